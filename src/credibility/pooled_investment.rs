//! PooledInvestment, Pasternack and Roth, "Knowing What to Believe (when you already
//! know something)", COLING 2010: Investment's trust update, but the returns of the
//! values of one item are pooled: a value's belief is what was invested in it,
//! H(v), times G(H(v)) over the sum of G(H) over the item's values, G(x) = x^g,
//! g = 1.4. Prior belief uniform over an item's values; 10 rounds, or fewer once no
//! source's trust moves by more than 1e-6 in a round.

use super::{fill, investment, ClaimGraph, Outcome, Rounds};

pub const G: f64 = 1.4;
pub const ROUNDS: usize = 10;
pub const TOLERANCE: f64 = investment::TOLERANCE;

pub fn run(graph: &ClaimGraph) -> Outcome {
    run_until(
        graph,
        Rounds {
            max: ROUNDS,
            tolerance: TOLERANCE,
        },
    )
}

/// PooledInvestment with exactly the given number of rounds.
pub fn run_rounds(graph: &ClaimGraph, rounds: usize) -> Outcome {
    run_until(graph, Rounds::exactly(rounds))
}

/// PooledInvestment until no trust moves by more than the tolerance, or at the cap.
pub fn run_until(graph: &ClaimGraph, rounds: Rounds) -> Outcome {
    let mut belief = vec![0.0; graph.value_count()];
    for item in 0..graph.item_count() {
        let values = graph.values_of(item);
        let n = values.len() as f64;
        for v in values {
            belief[v] = 1.0 / n;
        }
    }
    investment::iterate(graph, belief, rounds, |graph, invested, belief| {
        // G(H) once per source set; each item's pool, the sum of G(H) over its
        // values; then each value's share of its item's pool. All three shared out
        // among threads.
        let sets = graph.value_sets();
        let mut grown = vec![0.0; invested.len()];
        fill(&mut grown, |set| invested[set].powf(G));
        let mut pool = vec![0.0; graph.item_count()];
        fill(&mut pool, |item| {
            graph.values_of(item).map(|v| grown[sets[v] as usize]).sum()
        });
        fill(belief, |v| {
            let (set, pool) = (sets[v] as usize, pool[graph.item_of(v)]);
            if pool > 0.0 {
                invested[set] * grown[set] / pool
            } else {
                0.0
            }
        });
    })
}
