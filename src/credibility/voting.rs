//! Majority voting: a value's belief is the number of sources claiming it (scaled so
//! the largest is 1); every source is trusted alike. The baseline of every
//! truth-discovery paper, for instance Pasternack and Roth, "Knowing What to Believe
//! (when you already know something)", COLING 2010.

use super::{scale_to_max, ClaimGraph, Outcome};

pub fn run(graph: &ClaimGraph) -> Outcome {
    let mut belief: Vec<f64> = (0..graph.value_count())
        .map(|v| graph.sources_of(v).len() as f64)
        .collect();
    scale_to_max(&mut belief);
    // No rounds: one pass, settled by definition.
    Outcome {
        trust: vec![1.0; graph.source_count()],
        belief,
        rounds: 1,
        converged: true,
        max_rounds: 1,
    }
}
