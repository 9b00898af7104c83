//! Sums (hubs and authorities), Kleinberg's HITS adapted to truth discovery by
//! Pasternack and Roth, "Knowing What to Believe (when you already know something)",
//! COLING 2010: a source's trust is the sum of the beliefs in its claims, a claim's
//! belief the sum of the trust of its sources, both scaled so the largest is 1 after
//! each round. Prior belief 0.5 for every claim; 20 rounds, as published, or fewer
//! once no source's trust moves by more than 1e-6 in a round (which is then said to
//! have converged).

use super::{largest_move, scale_to_max, sum_by_source, sum_by_value, ClaimGraph, Outcome, Rounds};

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

/// Sums with exactly the given number of rounds.
pub fn run_rounds(graph: &ClaimGraph, rounds: usize) -> Outcome {
    run_until(graph, Rounds::exactly(rounds))
}

/// Sums until no trust moves by more than the tolerance, or at the cap.
pub fn run_until(graph: &ClaimGraph, rounds: Rounds) -> Outcome {
    hubs_and_authorities(graph, rounds, |_| 1.0)
}

/// Sums with a per-source factor on the trust update (1 for Sums; Average-Log's
/// log(n)/n).
pub(super) fn hubs_and_authorities(
    graph: &ClaimGraph,
    rounds: Rounds,
    factor: impl Fn(usize) -> f64 + Sync,
) -> Outcome {
    let mut belief = vec![0.5; graph.value_count()];
    let mut trust = vec![0.0; graph.source_count()];
    let (mut done, mut moved) = (0, f64::INFINITY);
    while done < rounds.max {
        let mut new = sum_by_source(graph, |v| belief[v]);
        for (s, t) in new.iter_mut().enumerate() {
            *t *= factor(s);
        }
        sum_by_value(graph, &new, &mut belief, |x| x);
        scale_to_max(&mut new);
        scale_to_max(&mut belief);
        moved = largest_move(&trust, &new);
        trust = new;
        done += 1;
        if moved < rounds.tolerance {
            break;
        }
    }
    rounds.outcome(trust, belief, done, moved)
}
