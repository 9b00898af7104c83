//! What the method reports besides trust and belief, for `score` and `explain`: how
//! sure each accuracy is (a 90% credible interval of its Beta posterior, and the
//! evidence it rests on), how much of each source's vote dependence took away, and
//! the pairs found dependent, with the counts that made them so.
//!
//! Cost: O(S) Beta quantiles for S sources, then O(P log P) for the P pairs
//! reported; the pair counts are taken again first, in full, if the last round
//! changed what is taken as true.

use super::super::ClaimGraph;
use super::accuracy::beta_interval;
use super::agreements::PairCounts;
use super::{Fit, Params, REPORTED_DEPENDENCE};
use rustc_hash::FxHashSet;

/// What the method found besides trust and belief: intervals and the dependences
/// that discounted votes.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// 90% credible interval of each source's accuracy.
    pub interval: Vec<(f64, f64)>,
    /// The weighted number of claims each accuracy rests on.
    pub evidence: Vec<f64>,
    /// Each source's vote share lost to dependence: 1 - mean independence factor.
    pub discounted: Vec<f64>,
    /// Pairs found dependent (declared, or detected with probability above
    /// [`REPORTED_DEPENDENCE`] over all their items, or above `ATTRIBUTE_COPYING`
    /// (`copying.rs`) on one attribute's items where they are not reported over all).
    pub dependences: Vec<DependentPair>,
    /// The share of pairs that copy, as estimated from the last copy detection (the
    /// configured prior when nothing was estimated).
    pub copy_prior: f64,
}

/// A pair of sources found dependent, by source id (smaller first).
#[derive(Debug, Clone, PartialEq)]
pub struct DependentPair {
    pub a: usize,
    pub b: usize,
    /// 1 for declared dependence.
    pub probability: f64,
    pub declared: bool,
    /// For copying found on one attribute's items only (the pair over all its items
    /// is not reported): that attribute; the counts below are then its items'.
    pub attribute: Option<usize>,
    /// Items both cover, on which they agree on the value taken as true, agree on
    /// another value, and differ.
    pub shared_true: u32,
    pub shared_false: u32,
    pub different: u32,
}

impl Findings {
    /// The findings of the rounds that ended in `fit`.
    pub(super) fn of(
        graph: &ClaimGraph,
        params: &Params,
        declared: &FxHashSet<(u32, u32)>,
        fit: &mut Fit,
    ) -> Findings {
        let mut findings = Findings {
            copy_prior: fit.copying.prior,
            ..Findings::default()
        };
        findings.add_sources(graph, params, fit);
        findings.dependences = dependent_pairs(graph, declared, fit);
        findings
    }

    /// Each source's credible interval, evidence and vote share lost to dependence.
    fn add_sources(&mut self, graph: &ClaimGraph, params: &Params, fit: &Fit) {
        for (s, &(hits, total)) in fit.accuracy.evidence.iter().enumerate() {
            let alpha = params.prior_strength * params.prior_accuracy + hits;
            let beta = params.prior_strength * (1.0 - params.prior_accuracy) + (total - hits);
            self.interval.push(beta_interval(alpha, beta, 0.90));
            self.evidence.push(total);
            let claims = graph.claim_count_of(s);
            self.discounted.push(if claims > 0 {
                1.0 - fit.independence_sum[s] / claims as f64
            } else {
                0.0
            });
        }
    }
}

/// The pairs to report, most probable first: detected over all their items above
/// [`REPORTED_DEPENDENCE`], detected on one attribute's items (where not reported
/// already), and declared; each with its counts on what the final beliefs take as
/// true.
fn dependent_pairs(
    graph: &ClaimGraph,
    declared: &FxHashSet<(u32, u32)>,
    fit: &mut Fit,
) -> Vec<DependentPair> {
    let truth = graph.top_values(&fit.belief);
    let copying = &mut fit.copying;
    if copying.counted.as_ref() != Some(&truth) {
        copying.pairs.count(graph, &truth);
    }
    let (pairs, dependence) = (&copying.pairs, &fit.dependence);
    let mut dependences = Vec::new();
    for &((a, b), probability) in &dependence.pairs {
        if probability > REPORTED_DEPENDENCE && !declared.contains(&(a, b)) {
            dependences.push(pairs.pair(a, b, probability, false));
        }
    }
    let reported: FxHashSet<(u32, u32)> = dependence
        .pairs
        .iter()
        .filter(|&&(_, p)| p > REPORTED_DEPENDENCE)
        .map(|&(pair, _)| pair)
        .chain(declared.iter().copied())
        .collect();
    for &((a, b), attribute, probability) in &dependence.by_attribute {
        if !reported.contains(&(a, b)) {
            dependences.push(pairs.pair_on(a, b, attribute as usize, probability));
        }
    }
    for &(a, b) in declared {
        dependences.push(pairs.pair(a, b, 1.0, true));
    }
    dependences.sort_by(|x, y| {
        y.probability
            .total_cmp(&x.probability)
            .then((x.a, x.b, x.attribute).cmp(&(y.a, y.b, y.attribute)))
    });
    dependences
}

impl PairCounts {
    /// A pair as reported, with its counts over all attributes.
    fn pair(&self, a: u32, b: u32, probability: f64, declared: bool) -> DependentPair {
        self.reported(a, b, probability, declared, self.total(a, b), None)
    }

    /// A pair found copying on the items of one attribute only.
    fn pair_on(&self, a: u32, b: u32, attribute: usize, probability: f64) -> DependentPair {
        let (a, b) = (a.min(b), a.max(b));
        let counts = self.counts(a, b, attribute);
        self.reported(a, b, probability, false, counts, Some(attribute))
    }

    fn reported(
        &self,
        a: u32,
        b: u32,
        probability: f64,
        declared: bool,
        [shared_true, shared_false, one_true, both_false]: [u32; 4],
        attribute: Option<usize>,
    ) -> DependentPair {
        let different = one_true + both_false;
        DependentPair {
            a: a as usize,
            b: b as usize,
            probability,
            declared,
            attribute,
            shared_true,
            shared_false,
            different,
        }
    }
}
