//! TruthFinder, Yin, Han and Yu, "Truth Discovery with Multiple Conflicting
//! Information Providers on the Web", KDD 2007 (and IEEE TKDE 20(6), 2008).
//! A source's trustworthiness t(s) is the average confidence of its claims; a
//! claim's confidence is 1 / (1 + exp(-γ σ(v))) where σ(v) is the sum over its
//! sources of τ(s) = -ln(1 - t(s)). Published defaults: t₀ = 0.9, γ = 0.3, and
//! ρ = 0.5 for the influence between related claims, which is zero here: values of
//! one item exclude each other and no similarity between them is assumed.
//!
//! Stopping: the paper stops when the cosine similarity of the trust vector between
//! rounds changes by less than 0.001. On Flight that ends after one round, since the
//! first round moves every source's trust by about the same factor, and one round is
//! no better than voting (0.815). We stop instead when no source's trust moves by
//! more than 1e-6, or after 100 rounds.

use super::{sum_by_source, sum_by_value, ClaimGraph, Outcome, Rounds};

pub const INITIAL_TRUST: f64 = 0.9;
pub const DAMPENING: f64 = 0.3;
pub const TOLERANCE: f64 = 1e-6;
pub const MAX_ROUNDS: usize = 100;
/// Trust is kept below 1 so that τ stays finite.
const MAX_TRUST: f64 = 1.0 - 1e-12;

pub fn run(graph: &ClaimGraph) -> Outcome {
    run_rounds(graph, MAX_ROUNDS)
}

/// TruthFinder stopping after at most `max_rounds` rounds.
pub fn run_rounds(graph: &ClaimGraph, max_rounds: usize) -> Outcome {
    run_until(
        graph,
        Rounds {
            max: max_rounds,
            tolerance: TOLERANCE,
        },
    )
}

/// TruthFinder until no trust moves by more than the tolerance, or at the cap.
pub fn run_until(graph: &ClaimGraph, stopping: Rounds) -> Outcome {
    let max_rounds = stopping.max;
    let mut trust = vec![INITIAL_TRUST; graph.source_count()];
    let mut belief = vec![0.0; graph.value_count()];
    let (mut rounds, mut moved) = (0, f64::INFINITY);
    while rounds < max_rounds {
        rounds += 1;
        let tau: Vec<f64> = trust
            .iter()
            .map(|&t| -(1.0 - t.min(MAX_TRUST)).ln())
            .collect();
        sum_by_value(graph, &tau, &mut belief, |sigma| {
            1.0 / (1.0 + (-DAMPENING * sigma).exp())
        });
        moved = 0.0;
        let sums = sum_by_source(graph, |v| belief[v]);
        for (s, t) in trust.iter_mut().enumerate() {
            let claims = graph.claim_count_of(s);
            if claims == 0 {
                continue;
            }
            let new = sums[s] / claims as f64;
            moved = moved.max((new - *t).abs());
            *t = new;
        }
        if moved < stopping.tolerance {
            break;
        }
    }
    stopping.outcome(trust, belief, rounds, moved)
}
