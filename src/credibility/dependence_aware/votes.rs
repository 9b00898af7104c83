//! A round's votes and the beliefs they give.
//!
//! A value's vote count is the sum over its sources of ln(n A / (1 - A)) times the
//! claim's weight times the source's independence I, with A the source's accuracy on
//! the item's attribute and n how many false values an item has; the belief in a
//! value is the softmax of vote counts over its item's n + 1 values, the unclaimed
//! ones counting 0. So a value only one source claims is believed as much as that
//! source is accurate. This is the vote of Dong, Berti-Équille and Srivastava,
//! "Integrating Conflicting Data: The Role of Source Dependence", PVLDB 2(1), 2009.
//!
//! The independence: the sources giving a value are taken in order of accuracy, the
//! most accurate counting in full, and each next one's vote is multiplied by (1 - d)
//! for every source before it, d its discount against that source (`discount.rs`).
//! A source below chance (A < 1 / (n + 1)) votes against the value it gives, as
//! published; counting such votes as 0 instead was tried, and lost more than it won
//! (BENCHMARKS.md).
//!
//! Cost: O(S·A) for the votes of S sources on A attributes; then, a vote count
//! depending only on the value's source set, O(k) for a set of k sources none of
//! which depends on another, O(k log k + k²) for a set with a dependent source in it;
//! then O(V) for the beliefs in V values. Sets, then items, are shared out among
//! threads.

use super::super::{equal_ranges, in_parts, threads, ClaimGraph};
use super::accuracy::Accuracy;
use super::discount::Discount;
use crate::credibility::related::LinkWeights;

/// Vote counts with dependent voices discounted, then beliefs as a softmax over
/// each item's values. Adds each claim's independence factor to its source's sum.
/// A vote count depends only on the value's source set, so it is taken once per
/// set, the sets shared out among threads; then items are shared out, each thread
/// writing the beliefs of its own items.
pub(super) fn vote(
    graph: &ClaimGraph,
    accuracy: &Accuracy,
    n: &[f64],
    discount: &Discount,
    related_weight: LinkWeights,
    belief: &mut [f64],
    independence_sum: &mut [f64],
) {
    let mut voters = Voters::new(graph, accuracy, n, discount);
    voters.related_weight = related_weight;
    let voters = &voters;
    let sets = graph.set_count();
    let mut counts = Vec::with_capacity(sets);
    for (part, sums) in in_parts(equal_ranges(sets, threads()), |range| {
        voters.count_sets(graph, discount, range)
    }) {
        counts.extend(part);
        for (total, x) in independence_sum.iter_mut().zip(sums) {
            *total += x;
        }
    }
    let counts = &counts;
    let ranges = item_ranges(graph, threads());
    let mut slices = Vec::new();
    let mut rest = belief;
    let mut offset = 0;
    for range in &ranges {
        let end = graph.values_of(range.end.saturating_sub(1)).end.max(offset);
        let end = if range.is_empty() { offset } else { end };
        let (head, tail) = rest.split_at_mut(end - offset);
        slices.push((range.clone(), offset, head));
        rest = tail;
        offset = end;
    }
    in_parts(slices, |(items, offset, belief)| {
        beliefs_of_items(graph, voters, counts, items, offset, belief)
    });
}

/// Items split into `parts` contiguous ranges of about equal claim counts.
fn item_ranges(graph: &ClaimGraph, parts: usize) -> Vec<std::ops::Range<usize>> {
    let per_part = graph.claim_count() / parts + 1;
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut claims = 0;
    for item in 0..graph.item_count() {
        claims += graph
            .values_of(item)
            .map(|v| graph.sources_of(v).len())
            .sum::<usize>();
        if claims >= per_part {
            ranges.push(start..item + 1);
            start = item + 1;
            claims = 0;
        }
    }
    if start < graph.item_count() || ranges.is_empty() {
        ranges.push(start..graph.item_count());
    }
    ranges
}

/// What a round's voting needs per source, taken once: the vote of a claim by each
/// source on each attribute, and which sources have any dependence at all.
struct Voters<'a> {
    accuracy: &'a Accuracy,
    /// n, the number of false values of an item, per attribute.
    false_values: &'a [f64],
    /// ln(n a / (1 - a)), indexed as the accuracies are.
    score: Vec<f64>,
    /// Whether a source's vote can be discounted by any other.
    dependent: Vec<bool>,
    /// ρ per kind of link: the share of a related value's vote count a value adds
    /// to its own.
    related_weight: LinkWeights,
}

impl<'a> Voters<'a> {
    fn new(graph: &ClaimGraph, accuracy: &'a Accuracy, n: &'a [f64], discount: &Discount) -> Self {
        let (sources, attributes) = (graph.source_count(), accuracy.attributes);
        let mut score = vec![0.0; sources * attributes];
        for s in 0..sources {
            for a in 0..attributes {
                let x = accuracy.of(s as u32, a);
                score[s * attributes + a] = (n[a] * x / (1.0 - x)).ln();
            }
        }
        Voters {
            accuracy,
            false_values: n,
            score,
            dependent: discount.dependent(sources),
            related_weight: LinkWeights::all(0.0),
        }
    }

    /// The vote count of each source set in `sets`, and per source the sum of its
    /// independence factors over those sets' claims.
    fn count_sets(
        &self,
        graph: &ClaimGraph,
        discount: &Discount,
        sets: std::ops::Range<usize>,
    ) -> (Vec<f64>, Vec<f64>) {
        let mut independence_sum = vec![0.0; graph.source_count()];
        let mut order: Vec<(u32, f32)> = Vec::new();
        let n = self.accuracy.attributes;
        let counts = sets
            .map(|set| {
                let attribute = graph.set_attribute(set);
                let values = graph.set_size(set) as f64;
                let score = |s: u32| self.score[s as usize * n + attribute];
                let (sources, weights) = (graph.set_sources(set), graph.set_weights(set));
                let mut count = 0.0;
                if sources.iter().all(|&s| !self.dependent[s as usize]) {
                    // Nobody's vote is discounted: the order does not matter.
                    for (&s, &w) in sources.iter().zip(weights) {
                        independence_sum[s as usize] += values;
                        count += score(s) * w as f64;
                    }
                    return count;
                }
                // The most accurate source counts in full; each next one loses what
                // it shares with those counted before it.
                let accuracy = |s: u32| self.accuracy.of(s, attribute);
                order.clear();
                order.extend(sources.iter().copied().zip(weights.iter().copied()));
                order.sort_unstable_by(|&(x, _), &(y, _)| {
                    accuracy(y).total_cmp(&accuracy(x)).then(x.cmp(&y))
                });
                for (k, &(s, w)) in order.iter().enumerate() {
                    let independence: f64 = if self.dependent[s as usize] {
                        order[..k]
                            .iter()
                            .map(|&(earlier, _)| 1.0 - discount.get(s, earlier, attribute))
                            .product()
                    } else {
                        1.0
                    };
                    independence_sum[s as usize] += values * independence;
                    count += score(s) * w as f64 * independence;
                }
                count
            })
            .collect();
        (counts, independence_sum)
    }
}

/// The beliefs in the values of `items` (written to `belief`, which starts at value
/// `offset`): the softmax of their sets' vote counts over the item's n + 1 values.
/// Where values are related ([`crate::credibility::related`]), each value's count
/// adds ρ times the weighted counts of the values lending to it.
fn beliefs_of_items(
    graph: &ClaimGraph,
    voters: &Voters,
    counts: &[f64],
    items: std::ops::Range<usize>,
    offset: usize,
    belief: &mut [f64],
) {
    let sets = graph.value_sets();
    let related = graph.related();
    let rho = voters.related_weight;
    let lend = !rho.is_zero() && !related.is_empty();
    let mut lent: Vec<f64> = Vec::new();
    for item in items {
        let values = graph.values_of(item);
        let own = |v: usize| counts[sets[v] as usize];
        let lend = lend && related.any_lender(values.clone());
        if lend {
            lent.clear();
            lent.extend(values.clone().map(|v| {
                own(v)
                    + related
                        .lenders(v)
                        .map(|(u, w, link)| rho.of(link) * w * own(u))
                        .sum::<f64>()
            }));
        }
        let count = |v: usize| if lend { lent[v - values.start] } else { own(v) };
        // The item has n + 1 values, of which the unclaimed ones have vote count 0.
        let attribute = graph.attribute(item);
        let unclaimed = (voters.false_values[attribute] + 1.0 - values.len() as f64).max(0.0);
        let top = values.clone().map(count).fold(0.0, f64::max);
        // Each value's exp(count - top) is kept in its belief until the sum is known.
        let mut sum = 0.0;
        for v in values.clone() {
            let e = (count(v) - top).exp();
            belief[v - offset] = e;
            sum += e;
        }
        sum += unclaimed * (-top).exp();
        for v in values {
            belief[v - offset] /= sum;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::start::vote_shares;
    use super::super::Params;
    use super::*;
    use crate::credibility::ClaimGraphBuilder;

    #[test]
    fn a_round_of_votes_discounts_dependent_voices_as_the_formula_says() {
        // Sources 0 and 1 depend on each other, 2 and 3 on nobody; values with and
        // without a dependent voice; weights below 1.
        let claims = [
            ("s0", "x", "a", 1.0),
            ("s1", "x", "a", 0.5),
            ("s2", "x", "a", 1.0),
            ("s3", "x", "b", 1.0),
            ("s2", "y", "c", 1.0),
            ("s3", "y", "c", 0.8),
            ("s1", "y", "d", 1.0),
        ];
        let b = ClaimGraphBuilder::with_weighted_claims(&claims);
        let g = b.build();
        let params = Params::default();
        let accuracy = Accuracy::estimate(&g, &vote_shares(&g), &params, false);
        let dependence = [((0, 1), 0.6)];
        let discount = Discount::new(4, &Default::default(), &dependence, &[], 0.8);
        let n = [2.0];
        let mut belief = vec![0.0; g.value_count()];
        let mut independence_sum = vec![0.0; 4];
        vote(
            &g,
            &accuracy,
            &n,
            &discount,
            LinkWeights::all(0.0),
            &mut belief,
            &mut independence_sum,
        );

        // The formula: the sources of a value in order of accuracy; each counts
        // ln(n a / (1 - a)) times its weight times the product of 1 - discount with
        // every source before it; beliefs a softmax over n + 1 values.
        let mut expected_sum = [0.0; 4];
        for item in 0..g.item_count() {
            let mut counts = Vec::new();
            for v in g.values_of(item) {
                let mut order: Vec<(u32, f32)> = g
                    .sources_of(v)
                    .iter()
                    .copied()
                    .zip(g.weights_of(v).iter().copied())
                    .collect();
                order.sort_by(|x, y| {
                    accuracy
                        .of(y.0, 0)
                        .total_cmp(&accuracy.of(x.0, 0))
                        .then(x.0.cmp(&y.0))
                });
                let mut count = 0.0;
                for (k, &(s, w)) in order.iter().enumerate() {
                    let independence: f64 = order[..k]
                        .iter()
                        .map(|&(e, _)| 1.0 - discount.get(s, e, 0))
                        .product();
                    expected_sum[s as usize] += independence;
                    let a = accuracy.of(s, 0);
                    count += (n[0] * a / (1.0 - a)).ln() * w as f64 * independence;
                }
                counts.push(count);
            }
            let z: f64 =
                counts.iter().map(|c| c.exp()).sum::<f64>() + (n[0] + 1.0 - counts.len() as f64);
            for (v, c) in g.values_of(item).zip(&counts) {
                assert!((belief[v] - c.exp() / z).abs() < 1e-12, "value {v}");
            }
        }
        for s in 0..4 {
            assert!((independence_sum[s] - expected_sum[s]).abs() < 1e-12);
        }
        // Of the two dependent sources, the less accurate counts 1 - 0.8 * 0.6 of
        // itself on x (s0 claims only x; s1 also d, where it counts in full).
        let (counted, discounted) = if accuracy.of(0, 0) >= accuracy.of(1, 0) {
            (independence_sum[0], independence_sum[1] - 1.0)
        } else {
            (independence_sum[1] - 1.0, independence_sum[0])
        };
        assert!((counted - 1.0).abs() < 1e-6, "{counted}");
        assert!((discounted - 0.52).abs() < 1e-6, "{discounted}");
    }
}
