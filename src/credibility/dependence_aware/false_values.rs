//! n, how many false values an item has, per attribute: the n of a vote,
//! ln(n A / (1 - A)), of the softmax over an item's n + 1 values, and of the chance
//! that two independent wrong sources give the same value, (1 - A₁)(1 - A₂)/n.
//! Dong, Berti-Équille and Srivastava (VLDB 2009) take n as given.
//!
//! Here n is estimated per attribute, each round, as the inverse of how often two
//! independent sources that are both wrong on an item give the same wrong value
//! (pairs weighed by their independence), starting from the mean number of distinct
//! values per item, less one. That mean alone underestimates n wherever few sources
//! cover an item: an item with three claims shows at most three values however many
//! false ones there are, and sources right most of the time then look worse than
//! chance (BENCHMARKS.md gives the case).
//!
//! Cost: O(S²·A) over the pair table of S sources and A attributes, its rows shared
//! out among threads (over the cells with counts, with the map).

use super::super::{in_parts, threads, ClaimGraph};
use super::agreements::{row_ranges, PairCounts};
use super::discount::Discount;

/// The mean number of distinct values per item, less one, at least 1, for each
/// attribute alike: where the estimate of n starts.
pub(super) fn mean_false_values(graph: &ClaimGraph) -> Vec<f64> {
    let attributes = graph.attribute_count().max(1);
    let n = if graph.item_count() == 0 {
        1.0
    } else {
        (graph.value_count() as f64 / graph.item_count() as f64 - 1.0).max(1.0)
    };
    vec![n; attributes]
}

/// Per attribute, n where the attribute's values are classes: every item's values
/// drawn from one small set of labels (four breeds of dog, "same" or "different"),
/// so that an item has exactly that set's size less one false values, as the
/// published model takes n. An attribute is taken as classes where its labels
/// over all items are at most twice as many as the most any one item has, and its
/// items at least twice as many as its labels. `None` for other attributes (open
/// domains: numbers, names, times), whose n is estimated.
pub(super) fn class_false_values(graph: &ClaimGraph) -> Vec<Option<f64>> {
    let attributes = graph.attribute_count().max(1);
    let mut labels: Vec<rustc_hash::FxHashSet<&str>> = vec![Default::default(); attributes];
    let mut widest = vec![0usize; attributes];
    let mut items = vec![0usize; attributes];
    for item in 0..graph.item_count() {
        let a = graph.attribute(item);
        let values = graph.values_of(item);
        widest[a] = widest[a].max(values.len());
        items[a] += 1;
        // Stop collecting once the attribute is plainly open.
        if labels[a].len() <= 4 * widest[a] {
            labels[a].extend(values.map(|v| graph.value_name(v)));
        }
    }
    (0..attributes)
        .map(|a| {
            let domain = labels[a].len();
            (domain >= 2 && domain <= 2 * widest[a] && items[a] >= 2 * domain)
                .then(|| (domain - 1) as f64)
        })
        .collect()
}

impl PairCounts {
    /// Per attribute, how many false values an item has, as the inverse of how often
    /// two independent sources that are both wrong give the same wrong value; each pair
    /// weighed by its independence, and the prior worth one coincidence.
    pub(super) fn false_values(&self, discount: &Discount, prior: &[f64]) -> Vec<f64> {
        // Per attribute: pairs' items where both are wrong, and where they also agree.
        let tally = |both_false: &mut [f64],
                     coincide: &mut [f64],
                     (a, b, attribute): (u32, u32, usize),
                     [_, kf, _, k3]: [u32; 4]| {
            let w = 1.0 - discount.get(a, b, attribute);
            both_false[attribute] += w * (kf + k3) as f64;
            coincide[attribute] += w * kf as f64;
        };
        let mut both_false = vec![0.0; self.attributes];
        let mut coincide = vec![0.0; self.attributes];
        if self.dense.is_some() {
            // Rows of the table shared out among threads.
            let parts = in_parts(row_ranges(self.sources, threads()), |rows| {
                let mut sums = (vec![0.0; self.attributes], vec![0.0; self.attributes]);
                self.for_each_of(rows, |cell, counts| {
                    tally(&mut sums.0, &mut sums.1, cell, counts)
                });
                sums
            });
            for (part_false, part_coincide) in parts {
                for k in 0..self.attributes {
                    both_false[k] += part_false[k];
                    coincide[k] += part_coincide[k];
                }
            }
        } else {
            self.for_each(|cell, counts| tally(&mut both_false, &mut coincide, cell, counts));
        }
        (0..self.attributes)
            .map(|a| ((both_false[a] + prior[a]) / (coincide[a] + 1.0)).max(1.0))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credibility::ClaimGraphBuilder;

    /// Ten claims on three items: 7 values, so 7 / 3 - 1 false values per item.
    #[test]
    fn n_starts_at_the_distinct_values_per_item_less_one() {
        let claims = [
            ("s0", "x", "a"),
            ("s1", "x", "a"),
            ("s2", "x", "b"),
            ("s3", "x", "c"),
            ("s0", "y", "d"),
            ("s1", "y", "e"),
            ("s2", "y", "d"),
            ("s0", "z", "f"),
            ("s1", "z", "g"),
            ("s3", "z", "f"),
        ];
        let b = ClaimGraphBuilder::with_claims(&claims);
        let g = b.build();
        assert_eq!(mean_false_values(&g), [7.0 / 3.0 - 1.0]);
        // Never below 1: one value per item.
        let mut b = ClaimGraphBuilder::new();
        b.add("s0", "x", "a", 1.0);
        assert_eq!(mean_false_values(&b.build()), [1.0]);
    }

    /// Three pairs, both wrong on 10, 6 and 4 items of which they agree on 5, 0 and 2;
    /// the third pair is dependent (discount 0.5) and counts half.
    #[test]
    fn n_is_the_inverse_of_how_often_independent_wrong_values_coincide() {
        let declared = Default::default();
        let discount = Discount::new(4, &declared, &[((2, 3), 0.5)], &[], 1.0);
        for dense in [true, false] {
            let mut pairs = PairCounts::new(4, 1);
            let cells = [
                ((0, 1), [7, 5, 3, 5]),
                ((0, 2), [9, 0, 2, 6]),
                ((2, 3), [1, 2, 0, 2]),
            ];
            if dense {
                for ((a, b), counts) in cells {
                    let cell = pairs.cell(a, b, 0);
                    pairs.dense.as_mut().unwrap()[cell] = counts;
                }
            } else {
                pairs.dense = None;
                for ((a, b), counts) in cells {
                    pairs.sparse.insert((a, b, 0), counts);
                }
            }
            let n = pairs.false_values(&discount, &[3.0]);
            // Both wrong: 10 + 6 + 0.5 * 4; coinciding: 5 + 0.5 * 2; the prior 3 worth 1.
            let expected = (10.0 + 6.0 + 2.0 + 3.0) / (5.0 + 1.0 + 1.0);
            assert!((n[0] - expected).abs() < 1e-12, "dense {dense}: {n:?}");
        }
    }
}
