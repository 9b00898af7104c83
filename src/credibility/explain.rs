//! `explain`: why a source or a statement scored as it did, from the scores graph
//! and the derived graph, in plain words or as data.

use super::grades::{credibility_words, reliability_words};
use crate::error::{Error, Result};
use crate::internal_queries::{
    InternalQuery, ENTITY_LABEL, EXPLAIN_AGREEING_STATEMENTS, EXPLAIN_ASSESSMENTS,
    EXPLAIN_CONTRADICTING_STATEMENTS, EXPLAIN_DEPENDENCES, EXPLAIN_SOURCE_PAIRS,
    EXPLAIN_SOURCE_STATEMENTS, EXPLAIN_STATEMENT, EXPLAIN_STATEMENT_COUNT,
    EXPLAIN_STATEMENT_DETAILS,
};
use crate::resolve::{self, EntityKind};
use crate::store::CaseStore;
use crate::vocab;
use oxigraph::model::{NamedNode, NamedNodeRef, Term};
use serde::Serialize;

/// What `explain` found, for a source or a statement.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Explanation {
    Source(SourceExplanation),
    Statement(StatementExplanation),
}

#[derive(Debug, Serialize)]
pub struct SourceExplanation {
    pub iri: String,
    pub name: String,
    pub assessments: Vec<Assessment>,
    pub statements: Vec<StatementLine>,
    pub statement_count: usize,
    pub corroborated_by: Vec<PairLine>,
    pub dependent_agreement_with: Vec<PairLine>,
    pub contradicted_by: Vec<PairLine>,
    pub depends_on: Vec<DependenceLine>,
}

#[derive(Debug, Serialize)]
pub struct Assessment {
    pub method: String,
    pub value: f64,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub evidence: Option<i64>,
    pub grade: Option<String>,
    pub grade_words: Option<String>,
    pub discounted_share: Option<f64>,
    /// A track record's right calls, partly right ones counted in part.
    pub right_calls: Option<f64>,
    /// A track record's calls whose reviewers disagree.
    pub disagreed_calls: Option<i64>,
    /// The accuracy a track record started from, and the group it is from.
    pub prior_mean: Option<f64>,
    pub prior_from: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct StatementLine {
    pub statement: String,
    pub source: String,
    pub denies: bool,
    pub proposition: String,
    pub belief: Option<f64>,
    pub credibility: Option<i64>,
    pub credibility_words: Option<String>,
    pub independent_sources: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct PairLine {
    pub source: String,
    pub statements: i64,
}

#[derive(Debug, Serialize)]
pub struct DependenceLine {
    pub source: String,
    pub kind: String,
    pub probability: Option<f64>,
    pub shared_false_values: Option<i64>,
    /// For copying found on one attribute's questions only: that attribute.
    pub attribute: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct StatementExplanation {
    pub statement: StatementLine,
    pub text: Option<String>,
    pub source_assessments: Vec<Assessment>,
    pub agreeing: Vec<StatementLine>,
    pub contradicting: Vec<StatementLine>,
    pub resolution: Option<String>,
}

fn number(text: &Option<String>) -> Option<f64> {
    text.as_deref().and_then(|t| t.parse().ok())
}

fn whole(text: &Option<String>) -> Option<i64> {
    text.as_deref().and_then(|t| t.parse().ok())
}

/// An entity's label, else its IRI (compacted where one of our prefixes fits).
pub(crate) fn name_of(store: &CaseStore, entity: NamedNodeRef<'_>) -> Result<String> {
    let found = ENTITY_LABEL.rows(store, &[("entity", &[entity.into()])], 1)?;
    let entity = entity.as_str();
    Ok(found
        .into_iter()
        .next()
        .and_then(|r| r[0].clone())
        .unwrap_or_else(|| vocab::compact(entity).unwrap_or_else(|| entity.to_string())))
}

/// Explains a source (by name or IRI) or a statement (by IRI).
pub fn explain(store: &CaseStore, target: &str) -> Result<Explanation> {
    if !has_scores(store)? {
        return Err(Error::invalid(
            "the store has no scores yet: run `credgraph score` first",
        ));
    }
    // A name is a source's first (statements' labels name their sources too).
    let source = match resolve::entity(store, EntityKind::Source, target) {
        Ok(source) => source,
        Err(error) => {
            return match resolve::entity(store, EntityKind::Statement, target) {
                Ok(statement) => Ok(Explanation::Statement(explain_statement(
                    store,
                    statement.as_ref(),
                )?)),
                Err(_) => Err(error),
            };
        }
    };
    Ok(Explanation::Source(explain_source(store, source.as_ref())?))
}

fn has_scores(store: &CaseStore) -> Result<bool> {
    store.graph_exists(NamedNodeRef::new_unchecked(vocab::graph::SCORES))
}

/// The term a query binds an entity's parameter to.
fn term(entity: NamedNodeRef<'_>) -> [Term; 1] {
    [entity.into()]
}

fn assessments(store: &CaseStore, source: NamedNodeRef<'_>) -> Result<Vec<Assessment>> {
    Ok(EXPLAIN_ASSESSMENTS
        .rows(store, &[("source", &term(source))], 11)?
        .into_iter()
        .map(|r| {
            let grade = r[5].clone();
            Assessment {
                method: r[0].clone().unwrap_or_default(),
                value: number(&r[1]).unwrap_or(f64::NAN),
                lower: number(&r[2]),
                upper: number(&r[3]),
                evidence: whole(&r[4]),
                grade_words: grade
                    .as_deref()
                    .and_then(|g| g.chars().next())
                    .map(|g| reliability_words(g).to_string()),
                grade,
                discounted_share: number(&r[6]),
                right_calls: number(&r[7]),
                disagreed_calls: whole(&r[8]),
                prior_mean: number(&r[9]),
                prior_from: r[10].clone(),
            }
        })
        .collect())
}

/// The statements a query of statement lines gives (the query's one parameter
/// bound to `entity`), with their scores.
fn statement_lines(
    store: &CaseStore,
    query: &InternalQuery,
    param: &str,
    entity: NamedNodeRef<'_>,
) -> Result<Vec<StatementLine>> {
    Ok(query
        .rows(store, &[(param, &term(entity))], 7)?
        .into_iter()
        .map(|r| {
            let digit = whole(&r[5]);
            StatementLine {
                statement: r[0].clone().unwrap_or_default(),
                source: r[1].clone().unwrap_or_default(),
                denies: r[2].as_deref() == Some(vocab::cg::DENIAL.as_str()),
                proposition: r[3].clone().unwrap_or_default(),
                belief: number(&r[4]),
                credibility: digit,
                credibility_words: digit.map(|d| credibility_words(d as u8).to_string()),
                independent_sources: whole(&r[6]),
            }
        })
        .collect())
}

/// The sources paired with `source`, by one of the pair's counts.
fn pair_lines(
    store: &CaseStore,
    source: NamedNodeRef<'_>,
    count: NamedNodeRef<'_>,
) -> Result<Vec<PairLine>> {
    Ok(EXPLAIN_SOURCE_PAIRS
        .rows(
            store,
            &[("source", &term(source)), ("count", &term(count))],
            2,
        )?
        .into_iter()
        .map(|r| PairLine {
            source: r[0].clone().unwrap_or_default(),
            statements: whole(&r[1]).unwrap_or(0),
        })
        .collect())
}

fn explain_source(store: &CaseStore, source: NamedNodeRef<'_>) -> Result<SourceExplanation> {
    let params = [("source", &term(source)[..])];
    let statement_count = EXPLAIN_STATEMENT_COUNT
        .rows(store, &params, 1)?
        .first()
        .and_then(|r| whole(&r[0]))
        .unwrap_or(0) as usize;
    let depends = EXPLAIN_DEPENDENCES.rows(store, &params, 5)?;
    Ok(SourceExplanation {
        iri: source.as_str().to_string(),
        name: name_of(store, source)?,
        assessments: assessments(store, source)?,
        statements: statement_lines(store, &EXPLAIN_SOURCE_STATEMENTS, "source", source)?,
        statement_count,
        corroborated_by: pair_lines(store, source, vocab::cg::CORROBORATIONS)?,
        dependent_agreement_with: pair_lines(store, source, vocab::cg::DEPENDENT_AGREEMENTS)?,
        contradicted_by: pair_lines(store, source, vocab::cg::CONTRADICTIONS)?,
        depends_on: depends
            .into_iter()
            .map(|r| DependenceLine {
                source: r[0].clone().unwrap_or_default(),
                kind: r[1].clone().unwrap_or_default(),
                probability: number(&r[2]),
                shared_false_values: whole(&r[3]),
                attribute: r[4].clone(),
            })
            .collect(),
    })
}

fn explain_statement(
    store: &CaseStore,
    statement: NamedNodeRef<'_>,
) -> Result<StatementExplanation> {
    let line = statement_lines(store, &EXPLAIN_STATEMENT, "statement", statement)?
        .into_iter()
        .next()
        .ok_or_else(|| {
            Error::invalid(format!(
                "{} lacks a source, proposition or polarity, so it was not scored",
                statement.as_str()
            ))
        })?;
    let details = EXPLAIN_STATEMENT_DETAILS.rows(store, &[("statement", &term(statement))], 3)?;
    let details = details.into_iter().next().unwrap_or_default();
    let source = details.first().cloned().flatten().unwrap_or_default();
    // A source that is no IRI (a blank node) has no assessments.
    let source_assessments = match NamedNode::new(source) {
        Ok(source) => assessments(store, source.as_ref())?,
        Err(_) => Vec::new(),
    };
    Ok(StatementExplanation {
        statement: line,
        text: details.get(1).cloned().flatten(),
        source_assessments,
        agreeing: statement_lines(store, &EXPLAIN_AGREEING_STATEMENTS, "explained", statement)?,
        contradicting: statement_lines(
            store,
            &EXPLAIN_CONTRADICTING_STATEMENTS,
            "explained",
            statement,
        )?,
        resolution: details.get(2).cloned().flatten(),
    })
}

/// A count that may hold parts: "3", "2.75".
pub fn decimal(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn assessment_words(a: &Assessment) -> String {
    let mut words = match a.method.as_str() {
        "track-record" => {
            let calls = a.evidence.unwrap_or(0);
            // Stores scored before graded records: the mean of Beta(1 + right,
            // 1 + wrong) gives back the count.
            let right = a
                .right_calls
                .unwrap_or_else(|| (a.value * (calls as f64 + 2.0) - 1.0).round());
            let mut words = format!(
                "track record: {} of {calls} resolved call{} right",
                decimal(right),
                if calls == 1 { "" } else { "s" },
            );
            if let Some(disagreed) = a.disagreed_calls.filter(|&d| d > 0) {
                words.push_str(&format!(" ({disagreed} where reviewers disagree)"));
            }
            words.push_str(&format!(", estimated accuracy {:.2}", a.value));
            if let Some(prior) = a.prior_mean {
                match &a.prior_from {
                    Some(group) => words.push_str(&format!(
                        ", starting from {prior:.2}, the record of {}",
                        crate::extract::short(group)
                    )),
                    None => words.push_str(&format!(
                        ", starting from {prior:.2}, the record of every source"
                    )),
                }
            }
            words
        }
        "dependence-aware" => format!(
            "credibility {:.2} (estimated share of its claims that are true)",
            a.value
        ),
        other => format!("{other} trust {:.3}", a.value),
    };
    if let (Some(low), Some(high)) = (a.lower, a.upper) {
        words.push_str(&format!(", 90% interval {low:.2} to {high:.2}"));
    }
    if a.method != "track-record" {
        if let Some(n) = a.evidence {
            words.push_str(&format!(
                ", from {n} claim{}",
                if n == 1 { "" } else { "s" }
            ));
        }
    }
    if let (Some(grade), Some(gw)) = (&a.grade, &a.grade_words) {
        words.push_str(&format!("; grade {grade}: {gw}"));
    }
    if let Some(d) = a.discounted_share {
        if d > 0.0005 {
            words.push_str(&format!(
                "; {} of its votes not counted because a source it depends on said the same",
                percent(d)
            ));
        }
    }
    words
}

fn statement_words(line: &StatementLine) -> String {
    let verb = if line.denies { "denies" } else { "asserts" };
    let mut words = format!("{} {verb} \"{}\"", line.source, line.proposition);
    match (line.belief, line.credibility, &line.credibility_words) {
        (Some(b), Some(d), Some(w)) => words.push_str(&format!(
            ": believed {}, credibility {d} ({w}), {} independent source{}",
            percent(b),
            line.independent_sources.unwrap_or(0),
            if line.independent_sources == Some(1) {
                ""
            } else {
                "s"
            }
        )),
        _ => words.push_str(
            ": not scored (no polarity, or made with a roughly even chance, which counts for neither side)",
        ),
    }
    words
}

/// The explanation in plain words.
pub fn to_text(explanation: &Explanation) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    match explanation {
        Explanation::Source(e) => {
            line(format!("{} <{}>", e.name, e.iri));
            if e.assessments.is_empty() {
                line("  not scored: it makes no statement that counts as a vote (a statement needs a polarity, and one made with a roughly even chance counts for neither side)".into());
            }
            for a in &e.assessments {
                line(format!("  {}", assessment_words(a)));
            }
            line(format!(
                "  {} statement{}{}:",
                e.statement_count,
                if e.statement_count == 1 { "" } else { "s" },
                if e.statement_count > e.statements.len() {
                    format!(", the {} most believed", e.statements.len())
                } else {
                    String::new()
                }
            ));
            for s in &e.statements {
                line(format!("    {}", statement_words(s)));
            }
            let pairs = |title: &str, list: &[PairLine], line: &mut dyn FnMut(String)| {
                if list.is_empty() {
                    return;
                }
                let names: Vec<String> = list
                    .iter()
                    .map(|p| format!("{} ({})", p.source, p.statements))
                    .collect();
                line(format!("  {title}: {}", names.join(", ")));
            };
            pairs(
                "independently corroborated by (statements)",
                &e.corroborated_by,
                &mut line,
            );
            pairs(
                "agrees, but not independently, with",
                &e.dependent_agreement_with,
                &mut line,
            );
            pairs("contradicted by", &e.contradicted_by, &mut line);
            if !e.depends_on.is_empty() {
                let deps: Vec<String> = e
                    .depends_on
                    .iter()
                    .map(|d| {
                        let kind = match &d.attribute {
                            Some(attribute) if attribute.is_empty() => {
                                format!("{} on questions without an attribute only", d.kind)
                            }
                            Some(attribute) => format!("{} on {attribute} only", d.kind),
                            None => d.kind.clone(),
                        };
                        match (d.probability, d.shared_false_values) {
                            (Some(p), Some(n)) => format!(
                                "{} ({kind}, probability {p:.2}, {n} shared false values)",
                                d.source
                            ),
                            _ => format!("{} ({kind})", d.source),
                        }
                    })
                    .collect();
                line(format!(
                    "  dependent on or with (their agreement counts once): {}",
                    deps.join("; ")
                ));
            }
        }
        Explanation::Statement(e) => {
            line(format!("<{}>", e.statement.statement));
            line(format!("  {}", statement_words(&e.statement)));
            if let Some(text) = &e.text {
                line(format!("  text: {text}"));
            }
            if let Some(r) = &e.resolution {
                line(format!("  resolved: {r}"));
            }
            for a in &e.source_assessments {
                line(format!("  the source's {}", assessment_words(a)));
            }
            for (title, list) in [
                ("agreeing", &e.agreeing),
                ("contradicting", &e.contradicting),
            ] {
                if list.is_empty() {
                    line(format!("  no {title} statement"));
                    continue;
                }
                line(format!("  {title}:"));
                for s in list.iter() {
                    line(format!("    {}", statement_words(s)));
                }
            }
        }
    }
    out
}
