//! Evaluation against gold values: precision (share of gold items whose top value is
//! the gold value; overall and per attribute, where item names carry one, see
//! [`AttributeSplit`]) and the Spearman correlation between each source's trust
//! and its real accuracy on the gold items, over the sources with at least
//! [`MIN_GOLD_ITEMS`] gold items by default, as the truth-discovery literature
//! reports it (Li et al., "Truth Finding on the Deep Web", PVLDB 2012): an accuracy
//! measured on one or two items is mostly noise.

use super::attributes::AttributeSplit;
use super::related::{
    self,
    hierarchy::{self, Hierarchy},
};
use super::{ClaimGraph, Outcome};
use crate::error::{Error, Position, Result};
use crate::import::table::{self, TableOptions};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The gold table: item name to true value.
#[derive(Debug, Default, Clone)]
pub struct Gold {
    pub values: Vec<(String, String)>,
}

impl Gold {
    /// Reads a TSV or CSV table (optionally gzipped) with an item and a value column.
    /// An item listed twice with the same value counts once; with two values it is an
    /// error naming the line.
    pub fn read(path: &Path, item: &str, value: &str, delimiter: Option<u8>) -> Result<Gold> {
        let options = TableOptions {
            item: item.into(),
            source: String::new(),
            value: value.into(),
            delimiter,
            ..Default::default()
        };
        let table = table::read(path, &options)?;
        if let Some(bad) = table.bad.first() {
            return Err(Error::Syntax {
                path: path.to_path_buf(),
                position: Some(Position {
                    line: bad.line,
                    column: 1,
                }),
                message: bad.message.clone(),
            });
        }
        let mut seen: std::collections::HashMap<String, String> = Default::default();
        let mut values = Vec::new();
        for row in table.rows {
            match seen.get(&row.item) {
                Some(earlier) if *earlier == row.value => continue,
                Some(earlier) => {
                    return Err(Error::Syntax {
                        path: path.to_path_buf(),
                        position: Some(Position {
                            line: row.line,
                            column: 1,
                        }),
                        message: format!(
                            "item '{}' has a second gold value, '{}' (an earlier line says '{earlier}')",
                            row.item, row.value
                        ),
                    })
                }
                None => {
                    seen.insert(row.item.clone(), row.value.clone());
                    values.push((row.item, row.value));
                }
            }
        }
        Ok(Gold { values })
    }
}

/// Sources with fewer gold items than this are left out of the Spearman
/// correlation by default (`--min-gold-items`).
pub const MIN_GOLD_ITEMS: usize = 5;

/// How close a numeric value must be to the gold one to count as right
/// (`evaluate --within`): by an absolute difference, or a share of the gold value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tolerance {
    Absolute(f64),
    Relative(f64),
}

impl Tolerance {
    /// `0.5` (absolute) or `2%` (of the gold value); never negative.
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let (number, relative) = match text.trim().strip_suffix('%') {
            Some(number) => (number, true),
            None => (text.trim(), false),
        };
        let value: f64 = number.trim().parse().map_err(|_| {
            format!("'{text}' is not a tolerance: give a number (0.5) or a percentage (2%)")
        })?;
        if !value.is_finite() || value < 0.0 {
            return Err(format!("'{text}': a tolerance is a number of at least 0"));
        }
        Ok(if relative {
            Tolerance::Relative(value / 100.0)
        } else {
            Tolerance::Absolute(value)
        })
    }

    /// Whether `value` is within the tolerance of `gold`; both must read as numbers.
    pub fn accepts(&self, value: &str, gold: f64) -> bool {
        let Ok(value) = value.trim().parse::<f64>() else {
            return false;
        };
        let allowed = match *self {
            Tolerance::Absolute(d) => d,
            Tolerance::Relative(share) => share * gold.abs(),
        };
        // A hair of slack for decimals that binary floating point cannot hold.
        (value - gold).abs() <= allowed + 1e-9 * gold.abs().max(1.0)
    }
}

/// How one method did.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub method: String,
    /// Share of gold items whose top value is the gold value.
    pub precision: f64,
    /// With `--within`: share of gold items whose top value is the gold value or a
    /// number within the tolerance of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision_within: Option<f64>,
    /// With `--gold-paths` (or `--hierarchy`): share of gold items whose top value
    /// is the gold value or one of its ancestors (right, if less specific).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision_on_path: Option<f64>,
    /// Where some attribute's values are lists: the mean over gold items of the
    /// share of members the top value and the gold value have in common (Jaccard;
    /// 0 where nothing is chosen).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_jaccard: Option<f64>,
    /// Gold items evaluated (including those no source covers, which count as wrong).
    pub items: usize,
    /// Gold items no source covers.
    pub uncovered: usize,
    pub per_attribute: BTreeMap<String, AttributePrecision>,
    /// Spearman's rho between trust and real accuracy; `None` when trust is the same
    /// for every source (voting), or fewer than two sources have enough gold items.
    pub spearman: Option<f64>,
    /// Sources the correlation was taken over: those with at least
    /// `min_gold_items` gold items.
    pub spearman_sources: usize,
    /// The fewest gold items a source needed to count in the correlation.
    pub min_gold_items: usize,
    pub rounds: usize,
    /// Whether the method's rounds settled before its cap.
    pub converged: bool,
    /// The cap on rounds the run had.
    pub max_rounds: usize,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttributePrecision {
    pub precision: f64,
    pub items: usize,
}

/// Each source's real accuracy on gold items: (right, covered), per source.
pub fn source_accuracy(graph: &ClaimGraph, gold_values: &[Option<usize>]) -> Vec<(usize, usize)> {
    let mut out = vec![(0, 0); graph.source_count()];
    for (s, counts) in out.iter_mut().enumerate() {
        for &v in graph.claims_of(s) {
            let v = v as usize;
            if let Some(Some(gold)) = gold_values.get(graph.item_of(v)) {
                counts.1 += 1;
                if *gold == v {
                    counts.0 += 1;
                }
            }
        }
    }
    out
}

/// The gold value of each item of the graph as a value id: `Some(Some(v))` when a
/// source claims the gold value, `Some(None)` when none does, `None` without gold.
pub struct GoldIndex {
    pub per_item: Vec<Option<Option<usize>>>,
    /// Each item's gold value as a number, where it reads as one.
    pub numbers: Vec<Option<f64>>,
    /// The tolerance of `--within`, if given.
    pub within: Option<Tolerance>,
    /// Each item's gold value as written on the graph (lists canonically).
    pub labels: Vec<Option<String>>,
    /// The hierarchy a chosen value is judged on the gold value's path by.
    pub paths: Option<std::sync::Arc<Hierarchy>>,
    /// Gold items (by name) the graph does not have at all, with their attribute
    /// ("" for none).
    pub uncovered: Vec<(String, String)>,
}

impl GoldIndex {
    /// The gold values of the graph's items. A gold item the graph lacks has an
    /// attribute when its name, split at `separator` (else `/`), ends in one of the
    /// graph's attributes.
    pub fn new(graph: &ClaimGraph, gold: &Gold, separator: Option<&str>) -> Self {
        let index = graph.item_index();
        let split = AttributeSplit::on(separator.unwrap_or("/"));
        let known: std::collections::HashSet<&str> = (0..graph.attribute_count())
            .map(|a| graph.attribute_name(a))
            .filter(|a| !a.is_empty())
            .collect();
        let attribute_of = |item: &str| {
            let attribute = split.attribute_of(item);
            if known.contains(attribute) {
                attribute.to_string()
            } else {
                String::new()
            }
        };
        let mut per_item = vec![None; graph.item_count()];
        let mut numbers = vec![None; graph.item_count()];
        let mut labels = vec![None; graph.item_count()];
        let mut uncovered = Vec::new();
        for (item, value) in &gold.values {
            match index.get(item.as_str()) {
                Some(&i) => {
                    let label = graph.canonical_value(i, value);
                    per_item[i] = Some(graph.value_id(i, &label));
                    labels[i] = Some(label.into_owned());
                    numbers[i] = value.trim().parse::<f64>().ok().filter(|n| n.is_finite());
                }
                None => uncovered.push((item.clone(), attribute_of(item))),
            }
        }
        GoldIndex {
            per_item,
            numbers,
            within: None,
            labels,
            paths: None,
            uncovered,
        }
    }

    /// The same, judging a value on the gold value's path in `hierarchy` as well.
    pub fn on_paths(mut self, hierarchy: Option<std::sync::Arc<Hierarchy>>) -> Self {
        self.paths = hierarchy;
        self
    }

    /// The same, judging numeric values right within `tolerance` as well.
    pub fn within(mut self, tolerance: Option<Tolerance>) -> Self {
        self.within = tolerance;
        self
    }

    /// The gold value ids, `None` where unknown or unclaimed.
    pub fn values(&self) -> Vec<Option<usize>> {
        self.per_item.iter().map(|g| g.flatten()).collect()
    }
}

/// How `outcome` did against the gold values; the Spearman correlation over the
/// sources with at least `min_gold_items` gold items (and at least one).
pub fn evaluate(
    method: &str,
    graph: &ClaimGraph,
    outcome: &Outcome,
    gold: &GoldIndex,
    min_gold_items: usize,
    seconds: f64,
) -> Evaluation {
    let top = graph.top_values(&outcome.belief);
    let mut right = 0usize;
    let mut total = 0usize;
    let mut per_attribute: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut count = |attribute: Option<&str>, correct: bool| {
        total += 1;
        right += correct as usize;
        if let Some(attribute) = attribute {
            let entry = per_attribute.entry(attribute.to_string()).or_default();
            entry.1 += 1;
            entry.0 += correct as usize;
        }
    };
    let mut close = 0usize;
    let mut on_path = 0usize;
    let lists = graph
        .related()
        .attributes
        .iter()
        .any(|a| a.list_separator.is_some());
    let mut jaccard = 0.0;
    for (item, gold_value) in gold.per_item.iter().enumerate() {
        let Some(gold_value) = gold_value else {
            continue;
        };
        let chosen = top[item].map(|v| graph.value_name(v));
        if let (Some(paths), Some(chosen), Some(label)) = (&gold.paths, chosen, &gold.labels[item])
        {
            let (chosen, label) = (hierarchy::key(chosen), hierarchy::key(label));
            on_path +=
                (chosen == label || paths.ancestors(&label).contains(&chosen.as_str())) as usize;
        }
        if lists {
            if let (Some(chosen), Some(label)) = (chosen, &gold.labels[item]) {
                jaccard += related::lists::jaccard(
                    &related::lists::members(chosen),
                    &related::lists::members(label),
                );
            }
        }
        let correct = gold_value.is_some() && top[item] == *gold_value;
        count(named(graph.attribute_name(graph.attribute(item))), correct);
        let near = match (gold.within, gold.numbers[item]) {
            (Some(tolerance), Some(number)) => {
                top[item].is_some_and(|value| tolerance.accepts(graph.value_name(value), number))
            }
            _ => false,
        };
        close += (correct || near) as usize;
    }
    for (_, attribute) in &gold.uncovered {
        count(named(attribute), false);
    }
    let accuracy = source_accuracy(graph, &gold.values());
    let (trust, real): (Vec<f64>, Vec<f64>) = accuracy
        .iter()
        .enumerate()
        .filter(|(_, (_, covered))| *covered > 0 && *covered >= min_gold_items)
        .map(|(s, (right, covered))| (outcome.trust[s], *right as f64 / *covered as f64))
        .unzip();
    Evaluation {
        method: method.to_string(),
        precision: ratio(right, total),
        precision_within: gold.within.map(|_| ratio(close, total)),
        precision_on_path: gold.paths.as_ref().map(|_| ratio(on_path, total)),
        mean_jaccard: lists.then(|| {
            if total == 0 {
                0.0
            } else {
                jaccard / total as f64
            }
        }),
        items: total,
        uncovered: gold.uncovered.len(),
        per_attribute: per_attribute
            .into_iter()
            .map(|(name, (right, items))| {
                (
                    name,
                    AttributePrecision {
                        precision: ratio(right, items),
                        items,
                    },
                )
            })
            .collect(),
        spearman: spearman(&trust, &real),
        spearman_sources: trust.len(),
        min_gold_items,
        rounds: outcome.rounds,
        converged: outcome.converged,
        max_rounds: outcome.max_rounds,
        seconds,
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn named(attribute: &str) -> Option<&str> {
    (!attribute.is_empty()).then_some(attribute)
}

/// Spearman's rank correlation (Pearson's on average ranks); `None` when either
/// side is constant or there are fewer than two pairs.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() < 2 || x.len() != y.len() {
        return None;
    }
    pearson(&ranks(x), &ranks(y))
}

/// Ranks from 1, ties sharing their average rank.
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = rank;
        }
        i = j + 1;
    }
    ranks
}

fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_uses_average_ranks() {
        // Perfectly monotone.
        assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]).unwrap() - 1.0).abs() < 1e-12);
        assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap() + 1.0).abs() < 1e-12);
        // Ties: ranks of x are 1.5, 1.5, 3; of y 1, 2, 3. rho = 0.866...
        let rho = spearman(&[5.0, 5.0, 9.0], &[1.0, 2.0, 3.0]).unwrap();
        assert!((rho - 3f64.sqrt() / 2.0).abs() < 1e-12, "{rho}");
        assert_eq!(spearman(&[1.0, 1.0], &[1.0, 2.0]), None);
    }

    #[test]
    fn a_tolerance_is_absolute_or_a_share_of_the_gold_value() {
        let absolute = Tolerance::parse("1").unwrap();
        assert!(absolute.accepts("2121", 2120.0) && absolute.accepts("2119", 2120.0));
        assert!(!absolute.accepts("2122", 2120.0) && !absolute.accepts("n/a", 2120.0));
        let relative = Tolerance::parse("2%").unwrap();
        assert!(relative.accepts("30.70", 30.10) && !relative.accepts("30.80", 30.10));
        assert!(Tolerance::parse("0").unwrap().accepts("30.10", 30.1));
        assert!(Tolerance::parse("-1").is_err() && Tolerance::parse("x%").is_err());
    }
}
