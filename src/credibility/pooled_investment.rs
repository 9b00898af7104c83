//! PooledInvestment, Pasternack and Roth, "Knowing What to Believe (when you already
//! know something)", COLING 2010: Investment's trust update, but the returns of the
//! values of one item are pooled: a value's belief is what was invested in it,
//! H(v), times G(H(v)) over the sum of G(H) over the item's values, G(x) = x^g,
//! g = 1.4. Prior belief uniform over an item's values; 10 rounds.

use super::{investment, set_to_values, ClaimGraph, Outcome};

pub const G: f64 = 1.4;
pub const ROUNDS: usize = 10;

pub fn run(graph: &ClaimGraph) -> Outcome {
    run_rounds(graph, ROUNDS)
}

/// PooledInvestment with a given number of rounds.
pub fn run_rounds(graph: &ClaimGraph, rounds: usize) -> Outcome {
    let mut belief = vec![0.0; graph.value_count()];
    for item in 0..graph.item_count() {
        let values = graph.values_of(item);
        let n = values.len() as f64;
        for v in values {
            belief[v] = 1.0 / n;
        }
    }
    investment::iterate(graph, belief, rounds, |graph, invested, belief| {
        // G(H) once per source set, then each value's share of its item's pool.
        let grown: Vec<f64> = invested.iter().map(|h| h.powf(G)).collect();
        set_to_values(graph, &grown, belief);
        let sets = graph.value_sets();
        for item in 0..graph.item_count() {
            let values = graph.values_of(item);
            let pool: f64 = belief[values.clone()].iter().sum();
            for v in values {
                belief[v] = if pool > 0.0 {
                    invested[sets[v] as usize] * belief[v] / pool
                } else {
                    0.0
                };
            }
        }
    })
}
