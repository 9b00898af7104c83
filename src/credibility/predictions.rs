//! Predictions: what a method chose for each item, how strongly, what came second,
//! and whether the gold table agrees, so an evaluation can be checked item by item.
//!
//! Beliefs are probabilities: the dependence-aware method's own, the other methods'
//! scores made shares of their item (as `score` writes them).

use super::evaluate::{Gold, GoldIndex};
use super::{ClaimGraph, Method, Outcome};
use crate::error::{Error, Result};
use rustc_hash::FxHashMap;
use std::io::Write;
use std::path::Path;

/// One item under one method.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction<'a> {
    pub method: &'static str,
    pub item: &'a str,
    /// The most believed value and its belief; `None` for a gold item no source
    /// speaks to.
    pub value: Option<(&'a str, f64)>,
    /// The value believed next, where the item has two or more.
    pub runner_up: Option<(&'a str, f64)>,
    pub gold: Option<&'a str>,
    /// Whether the chosen value is the gold one, where gold is known.
    pub correct: Option<bool>,
}

/// The predictions of `method` for every item of the graph, then for the gold items
/// the graph lacks (no value, counted wrong, as [`super::evaluate::evaluate`] counts
/// them).
pub fn predictions<'a>(
    method: Method,
    graph: &'a ClaimGraph,
    outcome: &Outcome,
    gold: &'a Gold,
    index: &'a GoldIndex,
) -> Vec<Prediction<'a>> {
    let belief = match method {
        Method::DependenceAware => outcome.belief.clone(),
        _ => graph.item_shares(&outcome.belief),
    };
    let gold_of: FxHashMap<&str, &str> = gold
        .values
        .iter()
        .map(|(item, value)| (item.as_str(), value.as_str()))
        .collect();
    let top = graph.top_values(&outcome.belief);
    let mut out = Vec::with_capacity(graph.item_count() + index.uncovered.len());
    for (item, &top) in top.iter().enumerate() {
        let name = graph.item_name(item);
        // The runner-up by the method's own scores, ties to the first, as the top.
        let mut second: Option<usize> = None;
        for v in graph.values_of(item) {
            if Some(v) != top && second.is_none_or(|s| outcome.belief[v] > outcome.belief[s]) {
                second = Some(v);
            }
        }
        let gold_value = index.per_item[item];
        out.push(Prediction {
            method: method.name(),
            item: name,
            value: top.map(|v| (graph.value_name(v), belief[v])),
            runner_up: second.map(|v| (graph.value_name(v), belief[v])),
            gold: gold_of.get(name).copied(),
            correct: gold_value.map(|g| g.is_some() && g == top),
        });
    }
    for (item, _) in &index.uncovered {
        out.push(Prediction {
            method: method.name(),
            item,
            value: None,
            runner_up: None,
            gold: gold_of.get(item.as_str()).copied(),
            correct: Some(false),
        });
    }
    out
}

/// Writes predictions as a table with a header, separated by `delimiter`; beliefs
/// to four decimals.
pub fn write(
    out: &mut dyn Write,
    path: &Path,
    delimiter: u8,
    predictions: &[Prediction<'_>],
) -> Result<()> {
    let mut table = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(out);
    let failed = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => Error::file(path, e),
        other => Error::Internal(format!("{other:?}")),
    };
    table
        .write_record([
            "method",
            "item",
            "value",
            "belief",
            "runner_up",
            "runner_up_belief",
            "gold",
            "correct",
        ])
        .map_err(failed)?;
    let number = |x: Option<f64>| x.map(|x| format!("{x:.4}")).unwrap_or_default();
    for p in predictions {
        table
            .write_record([
                p.method,
                p.item,
                p.value.map_or("", |(v, _)| v),
                &number(p.value.map(|(_, b)| b)),
                p.runner_up.map_or("", |(v, _)| v),
                &number(p.runner_up.map(|(_, b)| b)),
                p.gold.unwrap_or_default(),
                p.correct.map_or("", |c| if c { "true" } else { "false" }),
            ])
            .map_err(failed)?;
    }
    table.flush().map_err(|e| Error::file(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credibility::ClaimGraphBuilder;

    #[test]
    fn each_item_gets_its_choice_the_runner_up_and_the_gold() {
        let mut b = ClaimGraphBuilder::new();
        b.add("s1", "bridge", "open", 1.0);
        b.add("s2", "bridge", "open", 1.0);
        b.add("s3", "bridge", "closed", 1.0);
        b.add("s1", "ferry", "late", 1.0);
        let graph = b.build();
        let gold = Gold {
            values: vec![
                ("bridge".into(), "open".into()),
                ("ferry".into(), "on time".into()),
                ("tunnel".into(), "shut".into()),
            ],
        };
        let index = GoldIndex::new(&graph, &gold, None);
        let outcome = Method::Voting.run(&graph);
        let rows = predictions(Method::Voting, &graph, &outcome, &gold, &index);
        assert_eq!(rows.len(), 3);
        let bridge = &rows[0];
        assert_eq!(bridge.value.map(|v| v.0), Some("open"));
        assert_eq!(bridge.runner_up.map(|v| v.0), Some("closed"));
        assert!((bridge.value.unwrap().1 - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(bridge.correct, Some(true));
        assert_eq!(rows[1].correct, Some(false));
        assert_eq!(rows[1].runner_up, None);
        assert_eq!(
            (rows[2].item, rows[2].value, rows[2].correct),
            ("tunnel", None, Some(false))
        );

        let mut text = Vec::new();
        write(&mut text, Path::new("p.tsv"), b'\t', &rows).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert_eq!(
            text.lines().nth(1),
            Some("voting\tbridge\topen\t0.6667\tclosed\t0.3333\topen\ttrue")
        );
    }
}
