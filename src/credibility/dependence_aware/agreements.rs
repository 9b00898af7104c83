//! The evidence of copying: per pair of sources and attribute, on how many of the
//! items both cover they give the value taken as true, the same other value, or
//! different values (one of them taken as true, or neither). These are the counts
//! k_t, k_f and k_d of Dong, Berti-Équille and Srivastava, "Integrating Conflicting
//! Data: The Role of Source Dependence", PVLDB 2(1), 2009, kept per attribute so
//! that copying can be looked for on one attribute's items alone (`copying.rs`).
//!
//! Cost: a table of S(S - 1)/2 · A cells of four counts for S sources and A
//! attributes, while that is at most 2²⁴ cells, else a hash map of the (pair,
//! attribute) cells with counts. Counting in full visits every pair of sources in a
//! source set once per set (with how many of its values are taken as true), not once
//! per value, and every pair of claims on two different values of an item: O(Σ k² +
//! Σ c²) for sets of k sources and items of c claims at most, the table's rows
//! shared out among threads. As the rounds settle, only the items whose value taken
//! as true changed are counted again.

use super::super::{in_parts, threads, ClaimGraph};
use rustc_hash::FxHashMap;

/// How two claims on an item relate, as the index of a pair's counts: 0 the same
/// value, taken as true; 1 the same other value; 2 different values, one of them
/// taken as true; 3 different values, neither taken as true.
fn agreement(va: usize, vb: usize, true_value: Option<usize>) -> usize {
    if va != vb {
        if Some(va) == true_value || Some(vb) == true_value {
            2
        } else {
            3
        }
    } else if Some(va) == true_value {
        0
    } else {
        1
    }
}

/// What is taken as true, and the pairs of claims on one value tallied by source
/// sets: two sources giving one value are a pair of its set, and the pairs of a
/// set are visited once with how many of its values are taken as true, instead of
/// once per value. Copiers make few sets.
struct SetTally<'a> {
    truth: &'a [Option<usize>],
    /// Per set: how many of its values are taken as true, and how many are not.
    same: Vec<[u32; 2]>,
}

impl<'a> SetTally<'a> {
    fn new(graph: &ClaimGraph, truth: &'a [Option<usize>]) -> Self {
        let sets = graph.value_sets();
        let mut same = vec![[0u32; 2]; graph.set_count()];
        for (item, &true_value) in truth.iter().enumerate() {
            for v in graph.values_of(item) {
                same[sets[v] as usize][usize::from(Some(v) != true_value)] += 1;
            }
        }
        SetTally { truth, same }
    }
}

/// Per pair of sources and attribute: items where they give the value taken as
/// true, the same other value, and different values.
pub(super) struct PairCounts {
    pub sources: usize,
    pub attributes: usize,
    pub dense: Option<Vec<[u32; 4]>>,
    pub sparse: FxHashMap<(u32, u32, u32), [u32; 4]>,
}

/// Above this many (pair, attribute) cells the counts live in a hash map.
const DENSE_LIMIT: usize = 1 << 24;

impl PairCounts {
    pub(super) fn new(sources: usize, attributes: usize) -> Self {
        let attributes = attributes.max(1);
        let cells = sources * sources.saturating_sub(1) / 2 * attributes;
        PairCounts {
            sources,
            attributes,
            dense: (cells <= DENSE_LIMIT).then(|| vec![[0; 4]; cells]),
            sparse: FxHashMap::default(),
        }
    }

    /// The cell of a pair a < b and an attribute: pairs in the order (0, 1), (0, 2),
    /// ..., (1, 2), ..., only the upper triangle stored.
    pub(super) fn cell(&self, a: u32, b: u32, attribute: usize) -> usize {
        debug_assert!(a < b, "a pair's smaller source comes first: {a}, {b}");
        let (a, b) = (a as usize, b as usize);
        let pair = a * self.sources - a * (a + 1) / 2 + (b - a - 1);
        pair * self.attributes + attribute
    }

    /// The counts taken afresh, with `truth` the value taken as true of each item.
    pub(super) fn count(&mut self, graph: &ClaimGraph, truth: &[Option<usize>]) {
        self.sparse.clear();
        if let Some(mut table) = self.dense.take() {
            // Rows of the table (pairs by their smaller source) shared out among
            // threads, each adding the tallies into its own rows of the one table.
            table.iter_mut().for_each(|c| *c = [0; 4]);
            let tally = SetTally::new(graph, truth);
            let mut parts = Vec::new();
            let mut rest = &mut table[..];
            let mut at = 0;
            for rows in row_ranges(self.sources, threads()) {
                let end = if (rows.end as usize) + 1 < self.sources {
                    self.cell(rows.end, rows.end + 1, 0)
                } else {
                    at + rest.len()
                };
                let (head, tail) = rest.split_at_mut(end - at);
                parts.push((rows, at, head));
                rest = tail;
                at = end;
            }
            let this = &*self;
            in_parts(parts, |(rows, first, cells)| {
                this.count_rows(graph, &tally, rows, first, cells)
            });
            self.dense = Some(table);
        } else {
            let mut sparse = std::mem::take(&mut self.sparse);
            self.count_items(graph, truth, 0..truth.len(), false, &mut |_, key, kind| {
                sparse.entry(key).or_default()[kind] += 1
            });
            self.sparse = sparse;
        }
    }

    /// Adds into `cells` (the table's cells from `first` on) the tallied pairs of
    /// claims whose smaller source is in `rows`.
    fn count_rows(
        &self,
        graph: &ClaimGraph,
        tally: &SetTally,
        rows: std::ops::Range<u32>,
        first: usize,
        cells: &mut [[u32; 4]],
    ) {
        for (set, &[taken, other]) in tally.same.iter().enumerate() {
            let attribute = graph.set_attribute(set);
            let sources = graph.set_sources(set);
            // Sources are in increasing order: the first of a pair is the smaller.
            for (i, &a) in sources.iter().enumerate() {
                if !rows.contains(&a) {
                    continue;
                }
                for &b in &sources[i + 1..] {
                    let cell = &mut cells[self.cell(a, b, attribute) - first];
                    cell[0] += taken;
                    cell[1] += other;
                }
            }
        }
        // Pairs across two values of one item, item by item.
        for (item, &true_value) in tally.truth.iter().enumerate() {
            let attribute = graph.attribute(item);
            let values = graph.values_of(item);
            for v in values.clone() {
                for w in v + 1..values.end {
                    let kind = agreement(v, w, true_value);
                    for &a in graph.sources_of(v) {
                        for &b in graph.sources_of(w) {
                            let (a, b) = (a.min(b), a.max(b));
                            if a == b || !rows.contains(&a) {
                                continue;
                            }
                            cells[self.cell(a, b, attribute) - first][kind] += 1;
                        }
                    }
                }
            }
        }
    }

    /// Calls `add(cell, (a, b, attribute), kind)` for every pair of claims of
    /// different sources on the items given; `cell` is the dense table's cell when
    /// `dense`, else 0.
    fn count_items(
        &self,
        graph: &ClaimGraph,
        truth: &[Option<usize>],
        items: impl IntoIterator<Item = usize>,
        dense: bool,
        add: &mut dyn FnMut(usize, (u32, u32, u32), usize),
    ) {
        let mut claims: Vec<(u32, usize)> = Vec::new();
        for item in items {
            let true_value = truth[item];
            let attribute = graph.attribute(item);
            claims.clear();
            for v in graph.values_of(item) {
                claims.extend(graph.sources_of(v).iter().map(|&s| (s, v)));
            }
            for i in 0..claims.len() {
                for j in i + 1..claims.len() {
                    let ((a, va), (b, vb)) = (claims[i], claims[j]);
                    if a == b {
                        continue;
                    }
                    let kind = agreement(va, vb, true_value);
                    let (a, b) = (a.min(b), a.max(b));
                    let cell = if dense { self.cell(a, b, attribute) } else { 0 };
                    add(cell, (a, b, attribute as u32), kind);
                }
            }
        }
    }

    /// The counts brought from what `before` took as true to what `now` does, item
    /// by item where the two differ (after the first rounds, a few items): the
    /// changed items' pairs are taken out as they were counted and counted again.
    pub(super) fn recount(
        &mut self,
        graph: &ClaimGraph,
        before: &[Option<usize>],
        now: &[Option<usize>],
    ) {
        let changed: Vec<usize> = (0..now.len()).filter(|&i| before[i] != now[i]).collect();
        if changed.len() * 4 > now.len() {
            self.count(graph, now);
            return;
        }
        // Taken out while counting, which reads only the table's layout.
        let mut dense = self.dense.take();
        let mut sparse = std::mem::take(&mut self.sparse);
        for (truth, up) in [(before, false), (now, true)] {
            self.count_items(
                graph,
                truth,
                changed.iter().copied(),
                dense.is_some(),
                &mut |cell, key, kind| {
                    let counter = match &mut dense {
                        Some(dense) => &mut dense[cell][kind],
                        None => &mut sparse.entry(key).or_default()[kind],
                    };
                    *counter = if up { *counter + 1 } else { *counter - 1 };
                },
            );
        }
        self.dense = dense;
        self.sparse = sparse;
        // A pair no item counts any more is as if never counted.
        self.sparse.retain(|_, c| c.iter().any(|&x| x > 0));
    }

    /// Calls `visit` with every (pair, attribute) that has counts; with the dense
    /// table, the cells of one pair come one after the other.
    pub(super) fn for_each(&self, mut visit: impl FnMut((u32, u32, usize), [u32; 4])) {
        match &self.dense {
            Some(_) => self.for_each_of(0..self.sources as u32, visit),
            None => {
                for (&(a, b, attribute), c) in &self.sparse {
                    visit((a, b, attribute as usize), *c);
                }
            }
        }
    }

    /// [`Self::for_each`] over the dense table's pairs (a, b) with a in `rows`.
    pub(super) fn for_each_of(
        &self,
        rows: std::ops::Range<u32>,
        mut visit: impl FnMut((u32, u32, usize), [u32; 4]),
    ) {
        let Some(dense) = &self.dense else {
            return;
        };
        let Some(first) = rows.clone().find(|&a| (a as usize) + 1 < self.sources) else {
            return;
        };
        let start = self.cell(first, first + 1, 0);
        let mut cells = dense[start..].chunks(self.attributes);
        for a in first..rows.end {
            for b in a + 1..self.sources as u32 {
                let Some(pair) = cells.next() else {
                    return;
                };
                for (attribute, c) in pair.iter().enumerate() {
                    if c.iter().any(|&x| x > 0) {
                        visit((a, b, attribute), *c);
                    }
                }
            }
        }
    }

    /// The counts of a pair (smaller id first) on one attribute.
    pub(super) fn counts(&self, a: u32, b: u32, attribute: usize) -> [u32; 4] {
        match &self.dense {
            Some(dense) => dense[self.cell(a, b, attribute)],
            None => self
                .sparse
                .get(&(a, b, attribute as u32))
                .copied()
                .unwrap_or_default(),
        }
    }

    /// The counts of a pair over all attributes.
    pub(super) fn total(&self, a: u32, b: u32) -> [u32; 4] {
        let (a, b) = (a.min(b), a.max(b));
        let mut sum = [0; 4];
        for attribute in 0..self.attributes {
            let c = self.counts(a, b, attribute);
            for k in 0..4 {
                sum[k] += c[k];
            }
        }
        sum
    }
}

/// Rows 0..sources of the upper triangle of a pair table, split into `parts`
/// ranges of about equal numbers of pairs.
pub(super) fn row_ranges(sources: usize, parts: usize) -> Vec<std::ops::Range<u32>> {
    let total = sources * sources.saturating_sub(1) / 2;
    let per_part = total / parts.max(1) + 1;
    let mut ranges = Vec::new();
    let (mut start, mut pairs) = (0, 0);
    for a in 0..sources {
        pairs += sources - a - 1;
        if pairs >= per_part {
            ranges.push(start as u32..a as u32 + 1);
            start = a + 1;
            pairs = 0;
        }
    }
    if start < sources || ranges.is_empty() {
        ranges.push(start as u32..sources as u32);
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::super::start::vote_shares;
    use super::*;
    use crate::credibility::ClaimGraphBuilder;
    use std::collections::BTreeMap;

    fn cells(pairs: &PairCounts) -> BTreeMap<(u32, u32, usize), [u32; 4]> {
        let mut cells = BTreeMap::new();
        pairs.for_each(|key, counts| {
            cells.insert(key, counts);
        });
        cells
    }

    #[test]
    fn row_ranges_cover_every_row_once_with_about_equal_pairs() {
        for (sources, parts) in [(1, 2), (2, 2), (10, 3), (1000, 2), (7, 8)] {
            let ranges = row_ranges(sources, parts);
            let mut next = 0;
            for range in &ranges {
                assert_eq!(range.start, next, "{sources} sources: {ranges:?}");
                next = range.end;
            }
            assert_eq!(next as usize, sources);
        }
        let ranges = row_ranges(1000, 2);
        let pairs =
            |r: &std::ops::Range<u32>| -> usize { r.clone().map(|a| 999 - a as usize).sum() };
        assert_eq!(ranges.len(), 2);
        assert!(
            pairs(&ranges[0]).abs_diff(pairs(&ranges[1])) < 1000,
            "{ranges:?}"
        );
    }

    /// Ten claims on two items: what each pair's cells hold, written out.
    #[test]
    fn a_pair_s_counts_are_its_agreements_item_by_item() {
        let claims = [
            ("s0", "x", "a"),
            ("s1", "x", "a"),
            ("s2", "x", "b"),
            ("s3", "x", "c"),
            ("s4", "x", "c"),
            ("s0", "y", "d"),
            ("s1", "y", "e"),
            ("s2", "y", "e"),
            ("s3", "y", "e"),
            ("s4", "y", "f"),
        ];
        let b = ClaimGraphBuilder::with_claims(&claims);
        let g = b.build();
        // a is taken as true on x, e on y.
        let items = g.item_index();
        let mut truth = vec![None; g.item_count()];
        truth[items["x"]] = g.value_id(items["x"], "a");
        truth[items["y"]] = g.value_id(items["y"], "e");
        assert!(truth.iter().all(Option::is_some));
        for dense in [true, false] {
            let mut pairs = PairCounts::new(g.source_count(), g.attribute_count());
            if !dense {
                pairs.dense = None;
            }
            pairs.count(&g, &truth);
            let id = |name: &str| g.source_id(name).unwrap() as u32;
            let of = |x: &str, y: &str| pairs.total(id(x), id(y));
            // s0, s1: the true value on x; on y, s1 the true one and s0 not.
            assert_eq!(of("s0", "s1"), [1, 0, 1, 0], "dense {dense}");
            // s1, s2: differ on x, one of them true; the true value on y.
            assert_eq!(of("s1", "s2"), [1, 0, 1, 0]);
            // s3, s4: the same other value on x; differ on y, one of them true.
            assert_eq!(of("s3", "s4"), [0, 1, 1, 0]);
            // s2, s4: differ on x, neither true; differ on y, one true.
            assert_eq!(of("s2", "s4"), [0, 0, 1, 1]);
            assert_eq!(of("s4", "s2"), of("s2", "s4"));
        }
    }

    #[test]
    fn pairs_tallied_by_source_sets_equal_pairs_counted_claim_by_claim() {
        // Copiers (sources 0 to 2) make shared sets; source 5 gives two values of
        // some items; two attributes; one item without a value taken as true.
        let mut b = ClaimGraphBuilder::new();
        for item in 0..40 {
            let name = format!("i{item}/a{}", item % 2);
            for source in 0..6 {
                let value = if source < 3 {
                    item % 3
                } else {
                    (item + source) % 4
                };
                b.add(&format!("s{source}"), &name, &value.to_string(), 1.0);
            }
            if item % 3 == 0 {
                b.add("s5", &name, "9", 1.0);
            }
        }
        let g = b.build();
        assert!(g.set_count() < g.value_count());
        let mut truth = g.top_values(&vote_shares(&g));
        truth[7] = None;
        let mut table = PairCounts::new(g.source_count(), g.attribute_count());
        table.count(&g, &truth);
        let mut map = PairCounts::new(g.source_count(), g.attribute_count());
        map.dense = None;
        map.count(&g, &truth);
        for kind in 0..4 {
            assert!(cells(&map).values().any(|c| c[kind] > 0), "kind {kind}");
        }
        assert_eq!(cells(&table), cells(&map));
    }

    #[test]
    fn counting_again_only_the_changed_items_gives_the_full_count() {
        let mut b = ClaimGraphBuilder::new();
        for item in 0..12 {
            for source in 0..5 {
                if (item + source) % 4 != 0 {
                    let value = (item * source) % 3;
                    b.add(
                        &format!("s{source}"),
                        &format!("i{item}/a{}", item % 2),
                        &value.to_string(),
                        1.0,
                    );
                }
            }
        }
        let g = b.build();
        let first: Vec<Option<usize>> =
            (0..g.item_count()).map(|i| g.values_of(i).next()).collect();
        let mut second = first.clone();
        for (i, truth) in second.iter_mut().enumerate().step_by(5) {
            *truth = g.values_of(i).last();
        }
        assert_ne!(first, second);
        for dense in [true, false] {
            let mut pairs = PairCounts::new(g.source_count(), g.attribute_count());
            if !dense {
                pairs.dense = None;
            }
            pairs.count(&g, &first);
            pairs.recount(&g, &first, &second);
            let mut fresh = PairCounts::new(g.source_count(), g.attribute_count());
            if !dense {
                fresh.dense = None;
            }
            fresh.count(&g, &second);
            assert!(!cells(&fresh).is_empty());
            assert_eq!(cells(&pairs), cells(&fresh), "dense: {dense}");
        }
    }
}
