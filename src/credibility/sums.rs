//! Sums (hubs and authorities), Kleinberg's HITS adapted to truth discovery by
//! Pasternack and Roth, "Knowing What to Believe (when you already know something)",
//! COLING 2010: a source's trust is the sum of the beliefs in its claims, a claim's
//! belief the sum of the trust of its sources, both scaled so the largest is 1 after
//! each round. Prior belief 0.5 for every claim; 20 rounds.

use super::{scale_to_max, sum_by_source, sum_by_value, ClaimGraph, Outcome};

pub const ROUNDS: usize = 20;

pub fn run(graph: &ClaimGraph) -> Outcome {
    run_rounds(graph, ROUNDS)
}

/// Sums with a given number of rounds.
pub fn run_rounds(graph: &ClaimGraph, rounds: usize) -> Outcome {
    hubs_and_authorities(graph, rounds, |_| 1.0)
}

/// Sums with a per-source factor on the trust update (1 for Sums; Average-Log's
/// log(n)/n).
pub(super) fn hubs_and_authorities(
    graph: &ClaimGraph,
    rounds: usize,
    factor: impl Fn(usize) -> f64 + Sync,
) -> Outcome {
    let mut belief = vec![0.5; graph.value_count()];
    let mut trust = vec![0.0; graph.source_count()];
    for _ in 0..rounds {
        trust = sum_by_source(graph, |v| belief[v]);
        for (s, t) in trust.iter_mut().enumerate() {
            *t *= factor(s);
        }
        sum_by_value(graph, &trust, &mut belief, |x| x);
        scale_to_max(&mut trust);
        scale_to_max(&mut belief);
    }
    Outcome::new(trust, belief, rounds)
}
