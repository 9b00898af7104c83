//! Copying between sources, detected from the data: P(copy) of each pair of sources
//! that share an item, by Bayes' rule over independence and copying in either
//! direction, from the pair's counts (`agreements.rs`) and the two sources'
//! accuracies. Dong, Berti-Équille and Srivastava, "Integrating Conflicting Data:
//! The Role of Source Dependence", PVLDB 2(1), 2009: agreeing on a false value is
//! unlikely for independent sources (probability (1 - A₁)(1 - A₂)/n) and likely for a
//! copier, agreeing on true values is likely either way, and differing is unlikely
//! for a copier, who copies a given value with probability c ([`Params::copy_rate`]).
//!
//! The prior α, the share of pairs that copy, is estimated each time copying is
//! detected, as the mean P(copy) over the pairs that share an item, with
//! [`Params::copy_prior`] worth [`Params::copy_prior_strength`] pairs (the EM update
//! of a mixture's weight, with a Beta prior). The paper's fixed α lets pairs of
//! independent sources that happen to agree on their few shared items pass for
//! copiers where sources are many; where copying is common the estimate stays high,
//! and on a handful of sources the prior holds it near its mean.
//!
//! Where items name attributes, copying is also detected per pair on each
//! attribute's items alone ([`Params::copying_by_attribute`]), from the shared false
//! values and differences there. A site can take one attribute from a shared feed
//! and the rest from elsewhere: sites that report the scheduled departure time as
//! the actual one share every wrong departure time but differ on gates, so over all
//! their items they look independent; found copying on departures, they count as one
//! voice there.
//!
//! Cost: O(S·A) logarithms for S sources on A attributes, then O(1) per (pair,
//! attribute) cell with counts: O(S²·A) over the table, its rows shared out among
//! threads, or over the map's cells followed by a sort of the pairs found.

use super::super::{in_parts, threads, ClaimGraph};
use super::accuracy::Accuracy;
use super::agreements::{row_ranges, PairCounts};
use super::Params;
use rustc_hash::FxHashMap;

/// Copying found on one attribute's items counts where its P(copy) is above this.
/// A pair shares far fewer items on one attribute than over all, and there a
/// single wrong value two independent sources happen to share gives a small
/// P(copy); among many independent sources, such cells made the rounds drift with
/// the estimate of the copy prior. Those small probabilities stay in the pair's
/// own, over all its items; on one attribute only clear copying counts (feeds that
/// share hundreds of wrong values are at P(copy) 1.000).
pub(super) const ATTRIBUTE_COPYING: f64 = 0.9;

/// A pair is kept among those that may be copying above this P(copy); most pairs
/// of many sources are not.
const MAY_COPY: f64 = 1e-6;

/// P(copy) of each pair of sources (smaller id first) found dependent from the
/// data, in order of the pairs.
pub(super) type CopyProbabilities = Vec<((u32, u32), f64)>;

/// P(copy) of pairs of sources (smaller id first) on the items of one attribute.
pub(super) type AttributeCopyProbabilities = Vec<((u32, u32), u32, f64)>;

/// Copy detection as the rounds go: the pair counts, what they were counted on,
/// and the share of pairs that copy as last estimated.
pub(super) struct Copying {
    pub pairs: PairCounts,
    /// What was taken as true when the pairs were last counted.
    pub counted: Option<Vec<Option<usize>>>,
    /// The share of pairs that copy, α.
    pub prior: f64,
}

impl Copying {
    pub(super) fn new(graph: &ClaimGraph, params: &Params) -> Self {
        Copying {
            pairs: PairCounts::new(graph.source_count(), graph.attribute_count()),
            counted: None,
            prior: params.copy_prior,
        }
    }

    /// Copying detected on `belief`: the pair counts brought up to what it takes as
    /// true, P(copy) of every pair under the current estimate of α, and the estimate
    /// moved on.
    pub(super) fn detect(
        &mut self,
        graph: &ClaimGraph,
        belief: &[f64],
        accuracy: &Accuracy,
        n: &[f64],
        params: &Params,
    ) -> Detected {
        // The counts change only when what is taken as true does.
        let truth = graph.top_values(belief);
        match &self.counted {
            Some(before) if *before == truth => {}
            Some(before) => self.pairs.recount(graph, before, &truth),
            None => self.pairs.count(graph, &truth),
        }
        self.counted = Some(truth);
        let detected = self.pairs.dependence(accuracy, n, params, self.prior);
        self.prior = detected.next_prior(params);
        detected
    }
}

/// What one pass of copy detection found: the pairs that may be copying, over all
/// the items they share and (where items name attributes) on one attribute's
/// items, and over every pair that shares an item, the sum of P(copy) and how many
/// there are.
#[derive(Default)]
pub(super) struct Detected {
    pub pairs: CopyProbabilities,
    pub by_attribute: AttributeCopyProbabilities,
    pub total: f64,
    pub shared: usize,
}

impl Detected {
    /// The share of pairs that copy, estimated from this pass: the mean P(copy)
    /// over the pairs sharing an item, with the configured prior worth
    /// [`Params::copy_prior_strength`] pairs (the configured prior itself unless
    /// [`Params::estimate_copy_prior`]).
    pub(super) fn next_prior(&self, params: &Params) -> f64 {
        let strength = params.copy_prior_strength.max(0.0);
        let pairs = self.shared as f64 + strength;
        if params.estimate_copy_prior && pairs > 0.0 {
            (self.total + strength * params.copy_prior) / pairs
        } else {
            params.copy_prior
        }
    }

    /// A pair's P(copy) over all the items it shares: counted in the estimate of α,
    /// and kept if the pair may be copying.
    fn add_pair(&mut self, pair: (u32, u32), p: f64) {
        self.total += p;
        self.shared += 1;
        if p > MAY_COPY {
            self.pairs.push((pair, p));
        }
    }

    /// A (pair, attribute) cell's copying on that attribute alone, kept if clear.
    fn add_on_attribute(&mut self, model: &CopyModel, cell: (u32, u32, usize), counts: [u32; 4]) {
        if let Some(p) = model.on_attribute(cell, counts) {
            self.by_attribute.push(((cell.0, cell.1), cell.2 as u32, p));
        }
    }

    /// Copying on an attribute that is not above the pair's own P(copy) changes no
    /// discount: left out. Needs the pairs in order.
    fn keep_attributes_above_pairs(&mut self) {
        let pairs = &self.pairs;
        self.by_attribute.retain(|&(pair, _, p)| {
            let over_all = pairs
                .binary_search_by_key(&pair, |&(k, _)| k)
                .map_or(0.0, |i| pairs[i].1);
            p > over_all
        });
    }
}

/// The likelihood of a pair's counts under independence and under copying in
/// either direction, and P(copy) from them. The logarithms are taken once per
/// source and attribute, not per cell, and a term whose count is zero is not
/// computed. With p_t = a1 a2 and p_f = (1 - a1)(1 - a2)/n, the copier's terms
/// factor: a2 c + p_t (1 - c) = a2 (c + a1 (1 - c)) and (1 - a2) c + p_f (1 - c) =
/// (1 - a2) (c + (1 - a1)(1 - c)/n), so the only logarithm left per cell is that of
/// differing, ln(1 - p_t - p_f).
struct CopyModel<'a> {
    accuracy: &'a Accuracy,
    n: &'a [f64],
    true_agreement_weight: f64,
    /// α, the prior share of pairs that copy, and α / 2, that of each direction.
    copy_prior: f64,
    prior: f64,
    /// Whether copying is looked for on each attribute's items alone.
    on_attributes: bool,
    /// Indexed as the accuracies are: ln a, ln(1 - a), and of the other source
    /// (copied from this one), ln(c + a (1 - c)) and ln(c + (1 - a)(1 - c)/n).
    ln_a: Vec<f64>,
    ln_not_a: Vec<f64>,
    ln_true_copied: Vec<f64>,
    ln_false_copied: Vec<f64>,
    /// ln n per attribute, and ln(1 - c).
    ln_n: Vec<f64>,
    ln_not_copied: f64,
}

impl<'a> CopyModel<'a> {
    fn new(
        accuracy: &'a Accuracy,
        n: &'a [f64],
        params: &Params,
        copy_prior: f64,
        attributes: usize,
    ) -> Self {
        let c = params.copy_rate;
        let per_cell = |f: &dyn Fn(f64, usize) -> f64| -> Vec<f64> {
            accuracy
                .by_attribute
                .iter()
                .enumerate()
                .map(|(k, &a)| f(a, k % accuracy.attributes))
                .collect()
        };
        CopyModel {
            accuracy,
            n,
            true_agreement_weight: params.true_agreement_weight,
            copy_prior,
            prior: copy_prior / 2.0,
            on_attributes: attributes > 1 && params.copying_by_attribute,
            ln_a: per_cell(&|a, _| a.ln()),
            ln_not_a: per_cell(&|a, _| (1.0 - a).ln()),
            ln_true_copied: per_cell(&|a, _| (c + a * (1.0 - c)).ln()),
            ln_false_copied: per_cell(&|a, attribute| {
                (c + (1.0 - a) * (1.0 - c) / n[attribute]).ln()
            }),
            ln_n: n.iter().map(|n| n.ln()).collect(),
            ln_not_copied: (1.0 - c).ln(),
        }
    }

    /// P(copy) = C / (C + I) from the log-likelihoods of independence, the first
    /// copying the second, and the second the first.
    fn probability(&self, [independent, l12, l21]: [f64; 3]) -> f64 {
        let top = independent.max(l12).max(l21);
        let copy = self.prior * ((l12 - top).exp() + (l21 - top).exp());
        let independent = (1.0 - self.copy_prior) * (independent - top).exp();
        copy / (copy + independent)
    }

    /// Adds to `likelihood` (independence, a copying b, b copying a) the
    /// log-likelihoods of one cell's counts: kt items agreeing on the value taken as
    /// true, kf on another, k1 + k2 differing.
    fn add(
        &self,
        likelihood: &mut [f64; 3],
        (a, b, attribute): (u32, u32, usize),
        [kt, kf, k1, k2]: [u32; 4],
    ) {
        let accuracy = self.accuracy;
        let kd = (k1 + k2) as f64;
        let (i, j) = (
            a as usize * accuracy.attributes + attribute,
            b as usize * accuracy.attributes + attribute,
        );
        let (kt, kf) = (kt as f64 * self.true_agreement_weight, kf as f64);
        let ln_pd = if kd > 0.0 {
            let (a1, a2) = (accuracy.by_attribute[i], accuracy.by_attribute[j]);
            let pt = a1 * a2;
            let pf = (1.0 - a1) * (1.0 - a2) / self.n[attribute];
            (1.0 - pt - pf).max(1e-12).ln()
        } else {
            0.0
        };
        // One source copying the value of `copied` (the other's index `other`).
        let copying = |copied: usize, other: usize| {
            let mut l = kd * (ln_pd + self.ln_not_copied);
            if kt > 0.0 {
                l += kt * (self.ln_a[copied] + self.ln_true_copied[other]);
            }
            if kf > 0.0 {
                l += kf * (self.ln_not_a[copied] + self.ln_false_copied[other]);
            }
            l
        };
        let mut independent = kd * ln_pd;
        if kt > 0.0 {
            independent += kt * (self.ln_a[i] + self.ln_a[j]);
        }
        if kf > 0.0 {
            independent += kf * (self.ln_not_a[i] + self.ln_not_a[j] - self.ln_n[attribute]);
        }
        likelihood[0] += independent;
        likelihood[1] += copying(j, i);
        likelihood[2] += copying(i, j);
    }

    /// Where items name attributes, P(copy) of the pair on one attribute's items
    /// alone, where the pair shares a false value there, if above
    /// [`ATTRIBUTE_COPYING`]. Only shared false values and differences count as
    /// evidence on one attribute: where most sources are right on nearly every item
    /// (scheduled times), each agreement on the true value is weak evidence of
    /// copying (its likelihood ratio c / a + 1 - c exceeds 1 for every a < 1), and
    /// over thousands of items it adds up to certainty for any two accurate sources.
    /// Without a shared false value, then, an attribute has no evidence of copying of
    /// its own.
    fn on_attribute(&self, cell: (u32, u32, usize), counts: [u32; 4]) -> Option<f64> {
        let [_, kf, k1, k2] = counts;
        if !(self.on_attributes && kf > 0) {
            return None;
        }
        let mut likelihood = [0.0; 3];
        self.add(&mut likelihood, cell, [0, kf, k1, k2]);
        let p = self.probability(likelihood);
        (p > ATTRIBUTE_COPYING).then_some(p)
    }
}

impl PairCounts {
    /// P(copy) of every pair with shared items, by Bayes' rule over independence and
    /// copying in either direction with `copy_prior` the prior share of pairs that
    /// copy, the evidence of each attribute weighed with the two sources' accuracies
    /// on it.
    pub(super) fn dependence(
        &self,
        accuracy: &Accuracy,
        n: &[f64],
        params: &Params,
        copy_prior: f64,
    ) -> Detected {
        let model = CopyModel::new(accuracy, n, params, copy_prior, self.attributes);
        let mut found = if self.dense.is_some() {
            self.detect_in_table(&model)
        } else {
            self.detect_in_map(&model)
        };
        found.keep_attributes_above_pairs();
        found
    }

    /// [`Self::dependence`] over the table, its rows shared out among threads.
    fn detect_in_table(&self, model: &CopyModel) -> Detected {
        let parts = in_parts(row_ranges(self.sources, threads()), |rows| {
            self.detect_in_rows(model, rows)
        });
        // Row ranges in order, each in order of its pairs: the list is sorted.
        let mut out = Detected::default();
        out.pairs
            .reserve(parts.iter().map(|part| part.pairs.len()).sum());
        for part in parts {
            out.pairs.extend(part.pairs);
            out.by_attribute.extend(part.by_attribute);
            out.total += part.total;
            out.shared += part.shared;
        }
        out
    }

    /// Copying among the table's pairs (a, b) with a in `rows`. A pair's cells come
    /// together: each pair is finished when the next begins.
    fn detect_in_rows(&self, model: &CopyModel, rows: std::ops::Range<u32>) -> Detected {
        let mut found = Detected::default();
        let mut current: Option<((u32, u32), [f64; 3])> = None;
        self.for_each_of(rows, |cell, counts| {
            let pair = (cell.0, cell.1);
            if current.map(|(p, _)| p) != Some(pair) {
                if let Some((done, likelihood)) = current.take() {
                    found.add_pair(done, model.probability(likelihood));
                }
                current = Some((pair, [0.0; 3]));
            }
            if let Some((_, likelihood)) = &mut current {
                model.add(likelihood, cell, counts);
            }
            found.add_on_attribute(model, cell, counts);
        });
        if let Some((done, likelihood)) = current {
            found.add_pair(done, model.probability(likelihood));
        }
        found
    }

    /// [`Self::dependence`] over the map: each pair's likelihoods gathered from its
    /// cells, then the pairs found put in order.
    fn detect_in_map(&self, model: &CopyModel) -> Detected {
        let mut out = Detected::default();
        let mut likelihood: FxHashMap<(u32, u32), [f64; 3]> = FxHashMap::default();
        self.for_each(|cell, counts| {
            model.add(
                likelihood.entry((cell.0, cell.1)).or_default(),
                cell,
                counts,
            );
            out.add_on_attribute(model, cell, counts);
        });
        for (pair, l) in likelihood {
            out.add_pair(pair, model.probability(l));
        }
        out.pairs.sort_unstable_by_key(|&(pair, _)| pair);
        out.by_attribute
            .sort_unstable_by_key(|&(pair, attribute, _)| (pair, attribute));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::discount::Discount;
    use super::super::start::vote_shares;
    use super::super::REPORTED_DEPENDENCE;
    use super::*;
    use crate::credibility::ClaimGraphBuilder;

    #[test]
    fn copy_detection_over_the_table_in_parts_equals_the_map() {
        // Three sources giving the same values everywhere, six that vary.
        let mut b = ClaimGraphBuilder::new();
        for item in 0..30 {
            for source in 0..9 {
                let value = if source < 3 { 0 } else { (item + source) % 4 };
                b.add(
                    &format!("s{source}"),
                    &format!("i{item}"),
                    &value.to_string(),
                    1.0,
                );
            }
        }
        let g = b.build();
        let belief = vote_shares(&g);
        let truth = g.top_values(&belief);
        let params = Params::default();
        let accuracy = Accuracy::estimate(&g, &belief, &params, false);
        let found = |dense: bool| {
            let mut pairs = PairCounts::new(g.source_count(), g.attribute_count());
            if !dense {
                pairs.dense = None;
            }
            pairs.count(&g, &truth);
            let detected = pairs.dependence(&accuracy, &[3.0], &params, params.copy_prior);
            let prior = detected.next_prior(&params);
            let mut found: Vec<((u32, u32), f64)> = detected.pairs.into_iter().collect();
            found.sort_by_key(|(pair, _)| *pair);
            // Every pair of the nine sources shares an item.
            assert_eq!(detected.shared, 36, "dense {dense}");
            (found, prior)
        };
        let ((table, table_prior), (map, map_prior)) = (found(true), found(false));
        assert!(
            (table_prior - map_prior).abs() < 1e-12,
            "{table_prior} {map_prior}"
        );
        // The estimate is the mean P(copy) over the 36 pairs, 0.1 worth 10 pairs.
        let sum: f64 = table.iter().map(|(_, p)| p).sum();
        let below: f64 = map_prior * 46.0 - 1.0 - sum;
        assert!(
            (-1e-9..1e-4).contains(&below),
            "{map_prior}: P(copy) left out {below}"
        );
        assert_eq!(table.len(), map.len());
        for ((pair, p), (other, q)) in table.iter().zip(&map) {
            assert_eq!(pair, other);
            assert!((p - q).abs() < 1e-9, "{pair:?}: {p} against {q}");
        }
        // The three that agree everywhere are found.
        for pair in [(0, 1), (0, 2), (1, 2)] {
            let p = table.iter().find(|(q, _)| *q == pair).map(|(_, p)| *p);
            assert!(
                p.is_some_and(|p| p > REPORTED_DEPENDENCE),
                "{pair:?}: {p:?}"
            );
        }
    }

    /// P(copy) of a pair by Bayes' rule over the likelihoods as Dong, Berti-Équille
    /// and Srivastava write them: kt items agreeing on the true value, kf on the
    /// same false one, k1 + k2 differing; accuracies a1, a2; n false values.
    fn published_copy_probability(counts: [u32; 4], (a1, a2, n): (f64, f64, f64)) -> f64 {
        let params = Params::default();
        let (c, prior) = (params.copy_rate, params.copy_prior);
        let [kt, kf, k1, k2] = counts.map(f64::from);
        let kd = k1 + k2;
        let (pt, pf) = (a1 * a2, (1.0 - a1) * (1.0 - a2) / n);
        let pd = 1.0 - pt - pf;
        let independent = pt.powf(kt) * pf.powf(kf) * pd.powf(kd);
        let copying = |copied: f64| {
            (copied * c + pt * (1.0 - c)).powf(kt)
                * ((1.0 - copied) * c + pf * (1.0 - c)).powf(kf)
                * (pd * (1.0 - c)).powf(kd)
        };
        let copy = prior / 2.0 * (copying(a2) + copying(a1));
        copy / (copy + (1.0 - prior) * independent)
    }

    fn assert_probability(p: f64, expected: f64, what: &str) {
        if expected > 1e-6 {
            assert!(
                (p - expected).abs() < 1e-9 * expected.max(1e-3),
                "{what}: {p} against {expected}"
            );
        } else {
            assert_eq!(p, 0.0, "{what}: below the threshold, left out");
        }
    }

    #[test]
    fn copy_probability_is_bayes_rule_over_the_published_likelihoods() {
        let (a1, a2, n) = (0.8, 0.6, 4.0);
        let params = Params::default();
        let accuracy = Accuracy {
            attributes: 1,
            overall: vec![a1, a2],
            by_attribute: vec![a1, a2],
            evidence: vec![(0.0, 0.0); 2],
        };
        for counts in [[30, 5, 2, 1], [10, 0, 6, 3], [0, 4, 0, 0], [50, 0, 0, 0]] {
            let mut pairs = PairCounts::new(2, 1);
            pairs.dense = None;
            pairs.sparse.insert((0, 1, 0), counts);
            let found = pairs.dependence(&accuracy, &[n], &params, params.copy_prior);
            assert!(
                found.by_attribute.is_empty(),
                "one attribute: the pair's own"
            );
            let p = found.pairs.first().map_or(0.0, |&(pair, p)| {
                assert_eq!(pair, (0, 1));
                p
            });
            assert_probability(
                p,
                published_copy_probability(counts, (a1, a2, n)),
                &format!("{counts:?}"),
            );
        }
    }

    /// Two sources that share the same wrong value on many items of one attribute
    /// and differ on most items of another: over all their items they do not look
    /// like copiers, on the first attribute they do (Bayes' rule over that
    /// attribute's counts, agreement on true values left out), and a vote on that
    /// attribute is discounted by the larger of the two.
    #[test]
    fn copying_on_one_attribute_is_bayes_rule_over_its_items_alone() {
        let (a1, a2, n) = (0.8, 0.6, 4.0);
        let params = Params::default();
        let accuracy = Accuracy {
            attributes: 2,
            overall: vec![a1, a2],
            by_attribute: vec![a1, a1, a2, a2],
            evidence: vec![(0.0, 0.0); 2],
        };
        let (times, gates) = ([6, 8, 1, 0], [2, 0, 20, 10]);
        for dense in [true, false] {
            let mut pairs = PairCounts::new(2, 2);
            if dense {
                let (t, g) = (pairs.cell(0, 1, 0), pairs.cell(0, 1, 1));
                let table = pairs.dense.as_mut().unwrap();
                (table[t], table[g]) = (times, gates);
            } else {
                pairs.dense = None;
                pairs.sparse.insert((0, 1, 0), times);
                pairs.sparse.insert((0, 1, 1), gates);
            }
            let found = pairs.dependence(&accuracy, &[n, n], &params, params.copy_prior);
            // With the same accuracies on both attributes the pair's likelihoods
            // are those of the summed counts.
            let summed = std::array::from_fn(|k| times[k] + gates[k]);
            let over_all = published_copy_probability(summed, (a1, a2, n));
            let without_true = |[_, kf, k1, k2]: [u32; 4]| [0, kf, k1, k2];
            let on_times = published_copy_probability(without_true(times), (a1, a2, n));
            assert!(over_all < 0.01 && on_times > 0.99, "{over_all} {on_times}");
            let pair = found.pairs.first().map_or(0.0, |&(_, p)| p);
            assert_probability(pair, over_all, "over all items");
            let on = |attribute: u32| {
                found
                    .by_attribute
                    .iter()
                    .find(|&&(pair, a, _)| pair == (0, 1) && a == attribute)
                    .map_or(0.0, |&(_, _, p)| p)
            };
            assert_probability(on(0), on_times, "on the times");
            assert_probability(
                on(1),
                published_copy_probability(without_true(gates), (a1, a2, n)),
                "on the gates",
            );
            let discount = Discount::new(
                2,
                &Default::default(),
                &found.pairs,
                &found.by_attribute,
                0.9,
            );
            for (a, b) in [(0, 1), (1, 0)] {
                let d = discount.get(a, b, 0);
                assert!((d - 0.9 * on_times).abs() < 1e-6, "{d} on the times");
                assert_eq!(discount.get(a, b, 1), 0.0, "nothing on the gates");
            }
        }
    }
}
