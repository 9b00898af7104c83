//! Average-Log, Pasternack and Roth, "Knowing What to Believe (when you already know
//! something)", COLING 2010: like Sums, but a source's trust is the average belief
//! in its claims times the logarithm of how many it makes, so volume counts, but
//! less than in Sums. Prior belief 0.5; 20 rounds, or fewer once no trust moves by
//! more than 1e-6 (as Sums); scaled so the largest is 1.

use super::{sums, ClaimGraph, Outcome, Rounds};

pub fn run(graph: &ClaimGraph) -> Outcome {
    run_until(
        graph,
        Rounds {
            max: sums::ROUNDS,
            tolerance: sums::TOLERANCE,
        },
    )
}

/// Average-Log with exactly the given number of rounds.
pub fn run_rounds(graph: &ClaimGraph, rounds: usize) -> Outcome {
    run_until(graph, Rounds::exactly(rounds))
}

/// Average-Log until no trust moves by more than the tolerance, or at the cap.
pub fn run_until(graph: &ClaimGraph, rounds: Rounds) -> Outcome {
    sums::hubs_and_authorities(graph, rounds, |s| {
        let n = graph.claim_count_of(s) as f64;
        if n > 0.0 {
            n.ln() / n
        } else {
            0.0
        }
    })
}
