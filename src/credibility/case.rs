//! The claim graph of a case in the store: statements become claims.
//!
//! - the item of a statement is the question its proposition answers (the
//!   proposition itself when it answers none);
//! - asserting proposition P claims the value P; denying it claims the value "not P"
//!   (named `not <IRI>`), which competes with P on P's question;
//! - certainty weighs the claim: a statement made with probability p counts
//!   |2p - 1| (plain statements 1), and one that calls P less likely than not
//!   counts for "not P" (and the other way round); "roughly even chance" counts
//!   nothing;
//! - entailment carries claims: asserting P also claims every proposition P entails,
//!   denying Q also denies every proposition that entails Q;
//! - declared and derived `cg:dependsOn` between sources become dependences;
//! - a question whose label names an attribute gives its claims that attribute:
//!   labels are split at the separator given, else, graph by graph (an imported
//!   claim table is one graph), at `/` where every question label of the graph has
//!   the same shape (`ITEM/ATTRIBUTE`; see [`AttributeSplit`]).

use super::attributes::AttributeSplit;
use super::claim_tables::{self, ClaimTables, ReadStats};
use super::graph::{ClaimGraph, ClaimGraphBuilder};
use super::related::Relations;
use crate::error::{Error, Result};
use crate::import::table::{BadRow, TableOptions};
use crate::internal_queries::{QUESTION_AND_PROPOSITION_LABELS, SOURCE_LABELS};
use crate::model::claim::{parse_value_name, value_name, Claim};
use crate::model::Certainty;
use crate::store::CaseStore;
use crate::vocab;
use oxigraph::model::{NamedNode, Term};
use rustc_hash::{FxHashMap, FxHashSet};

/// A case's claims, with what the graph's value names stand for.
pub struct CaseClaims {
    pub graph: ClaimGraph,
    /// Statements read, and those left out for lacking a source, proposition or
    /// polarity.
    pub statements: usize,
    pub incomplete: usize,
    /// Resolved propositions: IRI to true (confirmed) or false (refuted), where
    /// every verdict on it agrees.
    pub resolved: FxHashMap<String, bool>,
    /// Every verdict on each resolved proposition: its truth degree, 0 to 1.
    pub verdicts: FxHashMap<String, Vec<f64>>,
    /// The groups each source belongs to, for its track record's prior: its
    /// parties, then its institutions.
    pub groups: FxHashMap<String, Vec<String>>,
    /// Graphs taken from the claim table cache and read from the store.
    pub read: ReadStats,
}

impl CaseClaims {
    /// Whether the value is known true or false from a resolution.
    pub fn resolution_of(&self, value: usize) -> Option<bool> {
        let (proposition, assertion) = parse_value_name(self.graph.value_name(value));
        self.resolved
            .get(proposition)
            .map(|&confirmed| confirmed == assertion)
    }

    /// How right a claim of the value was (0 to 1), as the mean of the verdicts on
    /// its proposition, and whether those verdicts disagree; `None` when it is
    /// not resolved.
    pub fn credit_of(&self, value: usize) -> Option<(f64, bool)> {
        let (proposition, assertion) = parse_value_name(self.graph.value_name(value));
        let degrees = self.verdicts.get(proposition)?;
        let mean = degrees.iter().sum::<f64>() / degrees.len() as f64;
        let (low, high) = degrees
            .iter()
            .fold((1.0f64, 0.0f64), |(l, h), &d| (l.min(d), h.max(d)));
        let disagreed = high - low >= super::track_record::DISAGREEMENT;
        Some((if assertion { mean } else { 1.0 - mean }, disagreed))
    }
}

/// The truth degree of a verdict: its status IRI and its `cg:truthDegree` if any
/// (as the claim tables join them), or `None` for an open one.
fn degree_of(verdict: &str) -> Option<f64> {
    let (status, degree) = verdict.split_once(' ').unwrap_or((verdict, ""));
    let given = degree.trim().parse::<f64>().ok().filter(|d| d.is_finite());
    let default = if status == vocab::cg::CONFIRMED.as_str() {
        1.0
    } else if status == vocab::cg::REFUTED.as_str() {
        0.0
    } else if status == vocab::cg::PARTLY_CONFIRMED.as_str() {
        0.5
    } else {
        return None;
    };
    Some(given.unwrap_or(default).clamp(0.0, 1.0))
}

/// Reads every statement of the store into a claim graph (through the claim table
/// cache of a store on disk), splitting question labels into object and attribute
/// at `separator` (or as [`AttributeSplit::decide`] finds, graph by graph).
pub fn read(store: &CaseStore, separator: Option<&str>) -> Result<CaseClaims> {
    let (tables, read) = ClaimTables::read(store)?;
    Ok(CaseClaims {
        read,
        ..from_tables(&tables, separator)
    })
}

/// The claim graph of claim tables.
pub fn from_tables(tables: &ClaimTables, separator: Option<&str>) -> CaseClaims {
    let stated_by = tables.rows(claim_tables::STATED_BY);
    // Statements by their position in `stated_by`.
    let index: FxHashMap<u32, u32> = stated_by
        .iter()
        .enumerate()
        .map(|(i, &[statement, _])| (statement, i as u32))
        .collect();
    let mut proposition_of: Vec<Option<u32>> = vec![None; stated_by.len()];
    for [statement, proposition] in tables.rows(claim_tables::PROPOSITION) {
        if let Some(&i) = index.get(&statement) {
            proposition_of[i as usize] = Some(proposition);
        }
    }
    let levels: FxHashMap<String, f64> = Certainty::ALL
        .iter()
        .map(|level| (level.iri(), level.probability()))
        .collect();
    let mut polarity_of: Vec<Option<bool>> = vec![None; stated_by.len()];
    let mut certainty_of: Vec<Option<f64>> = vec![None; stated_by.len()];
    for [statement, object] in tables.rows(claim_tables::POLARITY_OR_CERTAINTY) {
        let Some(&i) = index.get(&statement) else {
            continue;
        };
        let object = tables.text(object);
        if object == vocab::cg::ASSERTION.as_str() {
            polarity_of[i as usize] = Some(true);
        } else if object == vocab::cg::DENIAL.as_str() {
            polarity_of[i as usize] = Some(false);
        } else if let Some(&p) = levels.get(object) {
            certainty_of[i as usize] = Some(p);
        }
    }
    drop(index);

    // By interned id: no text is copied for the millions of statements.
    let mut question: FxHashMap<u32, u32> = FxHashMap::default();
    for [p, q] in tables.rows(claim_tables::ANSWERS) {
        question.entry(p).or_insert(q);
    }
    // Attributes of questions whose labels name one (imported claim tables), decided
    // for each graph's labels together.
    let mut attributes: FxHashMap<u32, &str> = FxHashMap::default();
    for rows in tables.rows_by_graph(claim_tables::QUESTION_LABEL) {
        let labels = || rows.iter().map(|&[_, label]| tables.text(label));
        let split = AttributeSplit::decide(separator, labels());
        for &[q, label] in rows {
            let attribute = split.attribute_of(tables.text(label));
            if !attribute.is_empty() {
                attributes.entry(q).or_insert(attribute);
            }
        }
    }
    let mut entails: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    let mut entailed_by: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for [p, q] in tables.rows(claim_tables::ENTAILS) {
        entails.entry(p).or_default().push(q);
        entailed_by.entry(q).or_default().push(p);
    }

    let mut builder = ClaimGraphBuilder::new();
    let mut statements = 0;
    let mut incomplete = 0;
    let mut carried = Vec::new();
    let mut denied = String::new();
    for (i, &[_, source]) in stated_by.iter().enumerate() {
        let Some(proposition) = proposition_of[i] else {
            continue;
        };
        let source = tables.text(source);
        statements += 1;
        let Some(asserted) = polarity_of[i] else {
            incomplete += 1;
            continue;
        };
        let Some(claim) = Claim::of(asserted, certainty_of[i].unwrap_or(1.0)) else {
            continue;
        };
        let (assertion, weight) = (claim.assertion, claim.weight);
        closure(
            proposition,
            if assertion { &entails } else { &entailed_by },
            &mut carried,
        );
        for &target in &carried {
            let item = question.get(&target).copied().unwrap_or(target);
            let attribute = attributes.get(&item).copied().unwrap_or("");
            let value = if assertion {
                tables.text(target)
            } else {
                denied.clear();
                denied.push_str("not ");
                denied.push_str(tables.text(target));
                &denied
            };
            builder.add_with_attribute(source, tables.text(item), attribute, value, weight);
        }
    }
    for [a, b] in tables.rows(claim_tables::DEPENDS_ON) {
        builder.add_dependence(tables.text(a), tables.text(b));
    }
    let mut verdicts: FxHashMap<String, Vec<f64>> = FxHashMap::default();
    for [p, verdict] in tables.rows(claim_tables::RESOLUTION) {
        if let Some(degree) = degree_of(tables.text(verdict)) {
            verdicts
                .entry(tables.text(p).to_string())
                .or_default()
                .push(degree);
        }
    }
    // Confirmed or refuted where every verdict says so.
    let resolved = verdicts
        .iter()
        .filter_map(|(p, degrees)| {
            if degrees.iter().all(|&d| d >= 1.0) {
                Some((p.clone(), true))
            } else if degrees.iter().all(|&d| d <= 0.0) {
                Some((p.clone(), false))
            } else {
                None
            }
        })
        .collect();
    let mut groups: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for table in [claim_tables::PARTY, claim_tables::INSTITUTION] {
        for [s, g] in tables.rows(table) {
            let (s, g) = (tables.text(s), tables.text(g));
            // An organization is its own institution: no group of its own.
            if s != g {
                groups.entry(s.to_string()).or_default().push(g.to_string());
            }
        }
    }
    CaseClaims {
        graph: builder.build(),
        statements,
        incomplete,
        resolved,
        verdicts,
        groups,
        read: ReadStats::default(),
    }
}

/// A proposition and everything reachable from it, into `out`.
fn closure(start: u32, next: &FxHashMap<u32, Vec<u32>>, out: &mut Vec<u32>) {
    out.clear();
    out.push(start);
    // Most propositions entail nothing: no set needed.
    if !next.contains_key(&start) {
        return;
    }
    let mut seen: FxHashSet<u32> = FxHashSet::default();
    seen.insert(start);
    let mut at = 0;
    while at < out.len() {
        if let Some(targets) = next.get(&out[at]) {
            for &t in targets {
                if seen.insert(t) {
                    out.push(t);
                }
            }
        }
        at += 1;
    }
}
/// Source names for display: labels where the store has them, looked up for the
/// sources scored only.
pub fn source_labels(store: &CaseStore, graph: &ClaimGraph) -> Result<FxHashMap<String, String>> {
    let sources: Vec<Term> = graph
        .sources_with_claims()
        .filter_map(|s| NamedNode::new(graph.source_name(s)).ok())
        .map(Term::from)
        .collect();
    if sources.is_empty() {
        return Ok(FxHashMap::default());
    }
    Ok(SOURCE_LABELS
        .rows(store, &[("source", &sources)], 2)?
        .into_iter()
        .filter_map(|r| Some((r[0].clone()?, r[1].clone()?)))
        .collect())
}

/// Reads a claim table straight into a claim graph, and the bad rows `options`
/// let it skip.
pub fn from_table(
    path: &std::path::Path,
    options: &TableOptions,
    separator: Option<&str>,
    relations: Relations,
) -> Result<(ClaimGraph, Vec<BadRow>)> {
    let mut builder = ClaimGraphBuilder::new();
    builder.attribute_separator(separator);
    builder.relations(relations);
    let bad = crate::import::table::read_each(path, options, |row| {
        // A table row asserts its value.
        if let Some(claim) = Claim::of(true, row.certainty.unwrap_or(1.0)) {
            if claim.assertion {
                builder.add(row.source, row.item, row.value, claim.weight);
            } else {
                builder.add(
                    row.source,
                    row.item,
                    &value_name(row.value, false),
                    claim.weight,
                );
            }
        }
    })?;
    Ok((builder.build(), bad))
}

/// The claim graph of the store, with items and values named by their labels.
pub fn read_labelled(
    store: &CaseStore,
    separator: Option<&str>,
    relations: &Relations,
) -> Result<ClaimGraph> {
    let claims = read(store, separator)?;
    if claims.graph.claim_count() == 0 {
        return Err(Error::invalid(
            "the store holds no statements to evaluate; import a claim table or pass --claims",
        ));
    }
    let labels: FxHashMap<String, String> = QUESTION_AND_PROPOSITION_LABELS
        .rows(store, &[], 2)?
        .into_iter()
        .filter_map(|r| Some((r[0].clone()?, r[1].clone()?)))
        .collect();
    Ok(claims
        .graph
        .relabel(
            |name| labels.get(name).cloned(),
            |name| {
                let (proposition, assertion) = parse_value_name(name);
                labels.get(proposition).map(|l| value_name(l, assertion))
            },
        )
        .with_relations(relations))
}
