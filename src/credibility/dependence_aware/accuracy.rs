//! Each source's accuracy: the chance that a value it gives is true, overall and on
//! each attribute.
//!
//! A(s) is the accuracy of Dong, Berti-Équille and Srivastava (VLDB 2009), the mean
//! belief in the source's claims, taken as the posterior mean of a Beta prior (mean
//! [`Params::prior_accuracy`], worth [`Params::prior_strength`] claims) updated by the
//! belief in each claim, weighted by the claim's certainty. So trust does not grow
//! with mere volume, and a source with two claims stays near the prior.
//!
//! Where items name an attribute (`ITEM/ATTRIBUTE`: a flight's departure time, its
//! gate), a source also has an accuracy per attribute, A(s, a): the same posterior
//! over its claims on that attribute, with A(s) as the prior's mean, worth
//! [`Params::attribute_strength`] claims. A site can be exact on gates and wrong on
//! every time; its votes count by what it is good at. (Li, Dong, Lyons, Meng and
//! Srivastava, "Truth Finding on the Deep Web: Is the Problem Solved?", PVLDB 6(2),
//! 2012, found attribute-level accuracy among the most useful refinements.)
//!
//! Accuracies are kept within [0.01, 0.99], so that a vote, ln(n A / (1 - A)), stays
//! finite.
//!
//! Cost: O(V + M + S·A) for V values, M source memberships of source sets, S sources
//! and A attributes; the beliefs are summed once per source set, not once per claim.

use super::super::{sum_over_sets, ClaimGraph};
use super::Params;
use statrs::distribution::{Beta, ContinuousCDF};

/// Accuracy is kept inside this band so that vote counts stay finite.
const ACCURACY_FLOOR: f64 = 0.01;
const ACCURACY_CEILING: f64 = 0.99;

/// Every source's accuracy, overall and per attribute.
#[derive(Debug, Clone)]
pub(super) struct Accuracy {
    pub(super) attributes: usize,
    pub(super) overall: Vec<f64>,
    /// Indexed by source * attributes + attribute.
    pub(super) by_attribute: Vec<f64>,
    /// Per source: the belief-weighted hits and the weighted claim count.
    pub(super) evidence: Vec<(f64, f64)>,
}

impl Accuracy {
    /// The accuracies given the beliefs in every value; per attribute only where
    /// `per_attribute` (else each attribute's is the overall one).
    pub(super) fn estimate(
        graph: &ClaimGraph,
        belief: &[f64],
        params: &Params,
        per_attribute: bool,
    ) -> Self {
        let attributes = graph.attribute_count().max(1);
        let sources = graph.source_count();
        // Belief-weighted hits, then claim weights, per source and attribute: the
        // beliefs summed per source set, then each set's sum given to its sources.
        let cells = sources * attributes;
        let held = sum_over_sets(graph, |v| belief[v]);
        let mut sums = vec![0.0; 2 * cells];
        for (set, &b) in held.iter().enumerate() {
            let (a, size) = (graph.set_attribute(set), graph.set_size(set) as f64);
            for (&s, &w) in graph.set_sources(set).iter().zip(graph.set_weights(set)) {
                sums[s as usize * attributes + a] += w as f64 * b;
                sums[cells + s as usize * attributes + a] += w as f64 * size;
            }
        }
        let (hits, total) = sums.split_at(cells);
        let clamp = |x: f64| x.clamp(ACCURACY_FLOOR, ACCURACY_CEILING);
        let mut overall = Vec::with_capacity(sources);
        let mut evidence = Vec::with_capacity(sources);
        let mut by_attribute = vec![0.0; sources * attributes];
        for s in 0..sources {
            let row = s * attributes..(s + 1) * attributes;
            let h: f64 = hits[row.clone()].iter().sum();
            let t: f64 = total[row.clone()].iter().sum();
            let mean =
                (h + params.prior_strength * params.prior_accuracy) / (t + params.prior_strength);
            overall.push(clamp(mean));
            evidence.push((h, t));
            for k in row {
                by_attribute[k] = if !per_attribute {
                    clamp(mean)
                } else {
                    clamp(
                        (hits[k] + params.attribute_strength * mean)
                            / (total[k] + params.attribute_strength),
                    )
                };
            }
        }
        Accuracy {
            attributes,
            overall,
            by_attribute,
            evidence,
        }
    }

    pub(super) fn of(&self, source: u32, attribute: usize) -> f64 {
        self.by_attribute[source as usize * self.attributes + attribute]
    }

    /// How far the accuracies moved from `other`: the largest change of one source's
    /// accuracy on one attribute.
    pub(super) fn largest_change(&self, other: &Accuracy) -> f64 {
        self.by_attribute
            .iter()
            .zip(&other.by_attribute)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max)
    }
}

/// The (lower, upper) bounds of the central `mass` of Beta(alpha, beta): the
/// credible interval of an accuracy (the findings give 90%).
pub fn beta_interval(alpha: f64, beta: f64, mass: f64) -> (f64, f64) {
    match Beta::new(alpha.max(1e-9), beta.max(1e-9)) {
        Ok(distribution) => {
            let tail = (1.0 - mass) / 2.0;
            (
                distribution.inverse_cdf(tail),
                distribution.inverse_cdf(1.0 - tail),
            )
        }
        Err(_) => (0.0, 1.0),
    }
}
