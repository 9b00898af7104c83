//! Average-Log, Pasternack and Roth, "Knowing What to Believe (when you already know
//! something)", COLING 2010: like Sums, but a source's trust is the average belief
//! in its claims times the logarithm of how many it makes, so volume counts, but
//! less than in Sums. Prior belief 0.5; 20 rounds; scaled so the largest is 1.

use super::{sums, ClaimGraph, Outcome};

pub fn run(graph: &ClaimGraph) -> Outcome {
    run_rounds(graph, sums::ROUNDS)
}

/// Average-Log with a given number of rounds.
pub fn run_rounds(graph: &ClaimGraph, rounds: usize) -> Outcome {
    sums::hubs_and_authorities(graph, rounds, |s| {
        let n = graph.claim_count_of(s) as f64;
        if n > 0.0 {
            n.ln() / n
        } else {
            0.0
        }
    })
}
