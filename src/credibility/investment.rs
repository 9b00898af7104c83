//! Investment, Pasternack and Roth, "Knowing What to Believe (when you already know
//! something)", COLING 2010. Each source invests its trust uniformly in its claims
//! and gets back a share of each claim's belief in proportion to what it invested;
//! a claim's belief grows with what was invested in it through G(x) = x^g, g = 1.2.
//! Prior belief: each claim's share of the votes on its item. Trust starts at 1;
//! 20 rounds, or fewer once no source's trust moves by more than 1e-6 in a round;
//! trust and belief scaled so the largest is 1 after each round.

use super::{
    largest_move, scale_to_max, set_to_values, sum_by_set, sum_by_source, ClaimGraph, Outcome,
    Rounds,
};

pub const G: f64 = 1.2;
pub const ROUNDS: usize = 20;
pub const TOLERANCE: f64 = 1e-6;

pub fn run(graph: &ClaimGraph) -> Outcome {
    run_until(
        graph,
        Rounds {
            max: ROUNDS,
            tolerance: TOLERANCE,
        },
    )
}

/// Investment with exactly the given number of rounds.
pub fn run_rounds(graph: &ClaimGraph, rounds: usize) -> Outcome {
    run_until(graph, Rounds::exactly(rounds))
}

/// Investment until no trust moves by more than the tolerance, or at the cap.
pub fn run_until(graph: &ClaimGraph, rounds: Rounds) -> Outcome {
    let mut belief = vec![0.0; graph.value_count()];
    for item in 0..graph.item_count() {
        let votes: usize = graph
            .values_of(item)
            .map(|v| graph.sources_of(v).len())
            .sum();
        for v in graph.values_of(item) {
            belief[v] = graph.sources_of(v).len() as f64 / votes as f64;
        }
    }
    iterate(graph, belief, rounds, |graph, invested, belief| {
        let grown: Vec<f64> = invested.iter().map(|h| h.powf(G)).collect();
        set_to_values(graph, &grown, belief)
    })
}

/// The rounds Investment and PooledInvestment share: the trust update, then
/// `update_belief` from what each claim received (sum over its sources of trust
/// divided by the source's claim count), which is the same for the values of a
/// source set and given per set.
pub(super) fn iterate(
    graph: &ClaimGraph,
    mut belief: Vec<f64>,
    rounds: Rounds,
    update_belief: impl Fn(&ClaimGraph, &[f64], &mut [f64]),
) -> Outcome {
    let counts: Vec<f64> = (0..graph.source_count())
        .map(|s| graph.claim_count_of(s).max(1) as f64)
        .collect();
    let mut trust = vec![1.0; graph.source_count()];
    // What each claim receives from its sources: their trust over their claim count.
    let invest = |trust: &[f64]| {
        let share: Vec<f64> = trust.iter().zip(&counts).map(|(t, n)| t / n).collect();
        sum_by_set(graph, &share, |x| x)
    };
    let sets = graph.value_sets();
    let (mut done, mut moved) = (0, f64::INFINITY);
    let mut invested = invest(&trust);
    while done < rounds.max {
        if invested.contains(&0.0) {
            // Some claim got nothing: its return is undefined, stop as published
            // implementations do (not converged).
            moved = f64::INFINITY;
            break;
        }
        let returns = sum_by_source(graph, |v| belief[v] / invested[sets[v] as usize]);
        let before = trust.clone();
        for (s, t) in trust.iter_mut().enumerate() {
            *t = *t / counts[s] * returns[s];
        }
        invested = invest(&trust);
        update_belief(graph, &invested, &mut belief);
        // What the scaled trust invests is what was just invested, scaled alike.
        let scale = scale_to_max(&mut trust);
        invested.iter_mut().for_each(|x| *x /= scale);
        scale_to_max(&mut belief);
        done += 1;
        moved = largest_move(&before, &trust);
        if moved < rounds.tolerance {
            break;
        }
    }
    rounds.outcome(trust, belief, done, moved)
}
