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
    pub attributes: usize,
    pub overall: Vec<f64>,
    /// Indexed by source * attributes + attribute.
    pub by_attribute: Vec<f64>,
    /// Per source: the belief-weighted hits and the weighted claim count.
    pub evidence: Vec<(f64, f64)>,
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
        let (prior_accuracy, prior_strength) = if params.pooled_prior {
            pooled_prior(
                (0..sources).map(|s| {
                    let row = s * attributes..(s + 1) * attributes;
                    (hits[row.clone()].iter().sum(), total[row].iter().sum())
                }),
                params,
            )
        } else {
            (params.prior_accuracy, params.prior_strength)
        };
        let mut overall = Vec::with_capacity(sources);
        let mut evidence = Vec::with_capacity(sources);
        let mut by_attribute = vec![0.0; sources * attributes];
        for s in 0..sources {
            let row = s * attributes..(s + 1) * attributes;
            let h: f64 = hits[row.clone()].iter().sum();
            let t: f64 = total[row.clone()].iter().sum();
            let mean = (h + prior_strength * prior_accuracy) / (t + prior_strength);
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

/// The prior of every source's accuracy pooled from all sources' evidence, (hits,
/// claims) each: a Beta distribution fitted by the method of moments, its mean the
/// share of all claims that are believed (with the fixed prior's mean worth ten
/// claims in it), its strength from how much more the
/// sources' hit rates differ than sampling alone would make them. Many sources
/// with one or two claims then sit at what sources of this data are like, not at a
/// fixed guess, and each claim moves them by as much as sources here differ.
/// Where nothing can be fitted (no claims, or rates no more spread than chance),
/// the strength is its upper bound: sources alike until their claims say otherwise.
fn pooled_prior(evidence: impl Iterator<Item = (f64, f64)>, params: &Params) -> (f64, f64) {
    let evidence: Vec<(f64, f64)> = evidence.filter(|&(_, t)| t > 0.0).collect();
    let (hits, claims): (f64, f64) = evidence
        .iter()
        .fold((0.0, 0.0), |(h, t), &(a, b)| (h + a, t + b));
    if claims <= 0.0 {
        return (params.prior_accuracy, params.prior_strength);
    }
    // The mean has a prior of its own, the fixed one, worth a few claims: a case of
    // three claims says little about what its sources are like.
    let mean = ((hits + POOLED_MEAN_PRIOR_CLAIMS * params.prior_accuracy)
        / (claims + POOLED_MEAN_PRIOR_CLAIMS))
        .clamp(ACCURACY_FLOOR, ACCURACY_CEILING);
    // Σ t (p - mean)² is expected to be σ² Σ t + k mean (1 - mean) over k sources
    // whose true rates vary by σ².
    let spread: f64 = evidence
        .iter()
        .map(|&(h, t)| t * (h / t - mean).powi(2))
        .sum();
    let chance = evidence.len() as f64 * mean * (1.0 - mean);
    let variance = (spread - chance) / claims;
    let strength = if variance > 0.0 {
        mean * (1.0 - mean) / variance - 1.0
    } else {
        f64::INFINITY
    };
    (
        mean,
        strength.clamp(params.prior_strength, MOST_POOLED_STRENGTH),
    )
}

/// The most claims a pooled prior is worth.
const MOST_POOLED_STRENGTH: f64 = 50.0;

/// How many claims the fixed prior's mean is worth in the pooled prior's mean.
const POOLED_MEAN_PRIOR_CLAIMS: f64 = 10.0;

/// The (lower, upper) bounds of the central `mass` of Beta(alpha, beta): the
/// credible interval of an accuracy (the findings give 90%).
///
/// ```
/// use credgraph::credibility::dependence_aware::beta_interval;
///
/// // Right on 9 of 10 claims, under a uniform prior: Beta(10, 2), mean 10/12.
/// let (low, high) = beta_interval(10.0, 2.0, 0.90);
/// assert!(low < 10.0 / 12.0 && 10.0 / 12.0 < high && high < 1.0);
/// ```
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credibility::ClaimGraphBuilder;

    /// Ten claims on two attributes; the accuracies, summed set by set, are the
    /// posterior means taken claim by claim.
    #[test]
    fn accuracy_is_the_posterior_mean_of_the_beliefs_in_a_source_s_claims() {
        let claims = [
            ("aa", "f1/dep", "10:00", 1.0),
            ("aa", "f1/gate", "B4", 1.0),
            ("aa", "f2/dep", "11:00", 1.0),
            ("feed", "f1/dep", "10:00", 1.0),
            ("feed", "f2/dep", "11:05", 0.5),
            ("feed", "f2/gate", "C1", 1.0),
            ("site", "f1/dep", "09:55", 1.0),
            ("site", "f1/gate", "B4", 1.0),
            ("site", "f2/dep", "11:05", 1.0),
            ("site", "f2/gate", "C2", 1.0),
        ];
        let b = ClaimGraphBuilder::with_weighted_claims(&claims);
        let g = b.build();
        assert_eq!(g.attribute_count(), 2);
        let belief: Vec<f64> = (0..g.value_count())
            .map(|v| 0.1 + 0.8 * (v % 3) as f64 / 2.0)
            .collect();
        // A fixed prior: the formula below is the posterior mean under it.
        let params = Params {
            pooled_prior: false,
            ..Params::default()
        };
        let accuracy = Accuracy::estimate(&g, &belief, &params, true);

        let mut hits = vec![[0.0; 2]; g.source_count()];
        let mut total = vec![[0.0; 2]; g.source_count()];
        for (v, &b) in belief.iter().enumerate() {
            let attribute = g.attribute(g.item_of(v));
            for (&s, &w) in g.sources_of(v).iter().zip(g.weights_of(v)) {
                hits[s as usize][attribute] += w as f64 * b;
                total[s as usize][attribute] += w as f64;
            }
        }
        let (strength, mean) = (params.prior_strength, params.prior_accuracy);
        for s in 0..g.source_count() {
            let (h, t) = (hits[s][0] + hits[s][1], total[s][0] + total[s][1]);
            let overall = (h + strength * mean) / (t + strength);
            assert!((accuracy.overall[s] - overall).abs() < 1e-12, "source {s}");
            assert!((accuracy.evidence[s].1 - t).abs() < 1e-12);
            for attribute in 0..2 {
                let on = (hits[s][attribute] + params.attribute_strength * overall)
                    / (total[s][attribute] + params.attribute_strength);
                let found = accuracy.of(s as u32, attribute);
                assert!((found - on).abs() < 1e-12, "source {s} on {attribute}");
            }
        }
        // Without accuracy per attribute, each attribute's is the overall one.
        let flat = Accuracy::estimate(&g, &belief, &params, false);
        for s in 0..g.source_count() {
            for attribute in 0..2 {
                assert_eq!(flat.of(s as u32, attribute), flat.overall[s]);
            }
        }
    }

    #[test]
    fn a_pooled_prior_sits_at_the_share_believed_and_is_stronger_the_more_alike_sources_are() {
        let params = Params::default();
        // Ten sources right on 8 of 10 claims each: rates no more spread than
        // chance, so the prior is as strong as allowed, at 0.8.
        let alike = vec![(8.0, 10.0); 10];
        let (mean, strength) = pooled_prior(alike.into_iter(), &params);
        assert!((mean - 0.8).abs() < 1e-12, "{mean}");
        assert_eq!(strength, MOST_POOLED_STRENGTH);
        // Half the sources always right, half right on 2 of 10: the rates differ
        // far beyond chance, and the prior is weak (never below the fixed one).
        let apart: Vec<(f64, f64)> = (0..10)
            .map(|k| {
                if k % 2 == 0 {
                    (10.0, 10.0)
                } else {
                    (2.0, 10.0)
                }
            })
            .collect();
        let (mean, strength) = pooled_prior(apart.into_iter(), &params);
        // 60 of 100 claims right, and the fixed mean 0.8 worth 10 more.
        assert!((mean - (60.0 + 8.0) / 110.0).abs() < 1e-12, "{mean}");
        assert!(
            strength < 5.0 && strength >= params.prior_strength,
            "{strength}"
        );
        // No claims: the fixed prior.
        let none = pooled_prior(std::iter::empty(), &params);
        assert_eq!(none, (params.prior_accuracy, params.prior_strength));
    }
}
