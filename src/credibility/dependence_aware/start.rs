//! Where the rounds start: the first beliefs.
//!
//! They are PooledInvestment's (Pasternack and Roth, "Knowing What to Believe (when
//! you already know something)", COLING 2010), which already discount crowded
//! values; from vote shares, a majority that is wrong on one attribute (most flight
//! sites copying the same wrong departure times) sets the first accuracies, and the
//! sources that are right, agreeing with each other on what is taken as false, look
//! like copiers.
//!
//! Copying is then detected once on those beliefs, and PooledInvestment runs again
//! with each value counted once per group of dependent sources giving it (of the
//! sources on a value, taken by how many claims they make, one dependent on a
//! source already kept is left out): a copied majority would otherwise set the first
//! accuracies, its values would be taken as true, and copiers agreeing on the truth
//! are not suspicious, so that start would be its own fixpoint. Voices are left out
//! value by value, not source by source: joining sources into groups by every
//! dependent pair chains false positives until most sources are left out.
//!
//! Cost: two runs of PooledInvestment, one copy detection (`copying.rs`), and to
//! leave voices out O(k log k + k·j) for each source set of k sources of which j are
//! kept.

use super::super::{pooled_investment, ClaimGraph};
use super::accuracy::Accuracy;
use super::copying::{Copying, Detected};
use super::discount::Discount;
use super::{Params, REPORTED_DEPENDENCE};
use rustc_hash::FxHashSet;

/// The first beliefs, and copying already found on them that the first round can
/// use as it is.
pub(super) struct Start {
    pub belief: Vec<f64>,
    pub found_first: Option<Detected>,
}

/// The first beliefs: vote shares, or PooledInvestment's; where copying is detected,
/// PooledInvestment's again with copied voices left out ([`one_voice_per_value`]).
/// The copy detection on the first beliefs leaves its counts and its estimate of
/// the share of copiers in `copying`.
pub(super) fn first_beliefs(
    graph: &ClaimGraph,
    params: &Params,
    n: &[f64],
    declared: &FxHashSet<(u32, u32)>,
    by_attribute: bool,
    copying: &mut Copying,
) -> Start {
    let mut belief = if params.invested_start {
        invested_start(graph)
    } else {
        vote_shares(graph)
    };
    let mut found_first = None;
    if params.invested_start && params.detect_copying {
        let accuracy = Accuracy::estimate(graph, &belief, params, by_attribute);
        let detected = copying.detect(graph, &belief, &accuracy, n, params);
        match one_voice_per_value(graph, &detected.pairs, declared) {
            // The first round brings the counts up to date from these.
            Some(keep) => belief = invested_start_with(graph, &keep),
            // Nothing left out: the first round discounts by what was found, on
            // attributes too, and the next detection replaces it.
            None => found_first = Some(detected),
        }
    }
    Start {
        belief,
        found_first,
    }
}

/// Weighted vote shares of each item's values.
pub(super) fn vote_shares(graph: &ClaimGraph) -> Vec<f64> {
    let votes: Vec<f64> = (0..graph.value_count())
        .map(|v| graph.weights_of(v).iter().map(|&w| w as f64).sum())
        .collect();
    graph.item_shares(&votes)
}

/// PooledInvestment's beliefs as shares of each item: a start that already
/// discounts crowded values (a source's return on a claim shrinks with every other
/// source investing in it), so copied majorities do not set the first accuracies.
fn invested_start(graph: &ClaimGraph) -> Vec<f64> {
    graph.item_shares(&pooled_investment::run(graph).belief)
}

/// The claims that count in the start: of the sources giving a value, taken in
/// order of how many claims they make, a source found dependent (or declared
/// dependent) on one already kept is left out, so that a value copied by many
/// counts as given once. Which sources of each source set are kept, indexed as the
/// sets' sources follow each other ([`ClaimGraph::keeping`]); `None` when nothing
/// is left out. Only copying over all the items a pair shares counts here, not
/// copying found on one attribute: on these first beliefs an attribute's own
/// evidence is thin where the beliefs are least sure, and counting it there cost
/// another attribute much of its precision and kept the rounds from settling
/// (BENCHMARKS.md).
fn one_voice_per_value(
    graph: &ClaimGraph,
    dependence: &[((u32, u32), f64)],
    declared: &FxHashSet<(u32, u32)>,
) -> Option<Vec<bool>> {
    let discount = Discount::new(graph.source_count(), declared, dependence, &[], 1.0);
    // Which sources of each source set are kept, in the order of its sources.
    let mut set_keep: Vec<bool> = Vec::new();
    let mut order: Vec<(usize, u32)> = Vec::new();
    let mut kept: Vec<u32> = Vec::new();
    let mut dropped = false;
    for set in 0..graph.set_count() {
        let sources = graph.set_sources(set);
        let attribute = graph.set_attribute(set);
        order.clear();
        order.extend(sources.iter().enumerate().map(|(k, &s)| (k, s)));
        order.sort_by_key(|&(_, s)| (std::cmp::Reverse(graph.claim_count_of(s as usize)), s));
        let first = set_keep.len();
        set_keep.resize(first + sources.len(), true);
        kept.clear();
        for &(k, s) in &order {
            if kept
                .iter()
                .any(|&earlier| discount.get(s, earlier, attribute) > REPORTED_DEPENDENCE)
            {
                set_keep[first + k] = false;
                dropped = true;
            } else {
                kept.push(s);
            }
        }
    }
    dropped.then_some(set_keep)
}

/// PooledInvestment's beliefs from the sources of each set that `keep` marks
/// (see [`ClaimGraph::keeping`]), as shares of each item.
fn invested_start_with(graph: &ClaimGraph, keep: &[bool]) -> Vec<f64> {
    // Every set keeps its first source, so every value keeps a claim.
    let kept = graph.keeping(keep);
    kept.item_shares(&pooled_investment::run(&kept).belief)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credibility::ClaimGraphBuilder;

    /// A wire service and a paper that reprints it, declared dependent, and a blog:
    /// where the paper gives what the wire gives, the paper's voice is left out (the
    /// wire makes more claims); where a source gives a value alone, or with the blog,
    /// every voice stays.
    #[test]
    fn a_value_given_by_dependent_sources_counts_one_voice_in_the_start() {
        let claims = [
            ("wire", "x", "a"),
            ("paper", "x", "a"),
            ("blog", "x", "b"),
            ("wire", "y", "c"),
            ("paper", "y", "c"),
            ("wire", "z", "d"),
            ("blog", "z", "d"),
            ("paper", "w", "e"),
            ("blog", "w", "f"),
            ("wire", "w", "f"),
        ];
        let mut b = ClaimGraphBuilder::with_claims(&claims);
        b.add_dependence("paper", "wire");
        let g = b.build();
        let declared: FxHashSet<(u32, u32)> = g.dependences().iter().copied().collect();
        let keep = one_voice_per_value(&g, &[], &declared).expect("the paper left out");
        let kept = g.keeping(&keep);
        let paper = g.source_id("paper").unwrap();
        let items = g.item_index();
        for (item, label, sources) in [
            ("x", "a", 1),
            ("x", "b", 1),
            ("y", "c", 1),
            ("z", "d", 2),
            ("w", "e", 1),
            ("w", "f", 2),
        ] {
            let v = g.value_id(items[item], label).unwrap();
            assert_eq!(kept.sources_of(v).len(), sources, "{item} = {label}");
        }
        let e = g.value_id(items["w"], "e").unwrap();
        assert_eq!(kept.sources_of(e), [paper as u32], "the paper alone on w");
        // Nothing declared or found: nothing left out.
        assert_eq!(one_voice_per_value(&g, &[], &Default::default()), None);
    }
}
