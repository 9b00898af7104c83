//! `explain`: why a source or a statement scored as it did, from the scores graph
//! and the derived graph, in plain words or as data.

use super::grades::{credibility_words, reliability_words};
use crate::error::{Error, Result};
use crate::internal_queries::rows;
use crate::resolve::{self, EntityKind};
use crate::store::CaseStore;
use crate::vocab;
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

/// How many statements and pairs an explanation lists.
const LISTED: usize = 15;

fn iri(text: &str) -> String {
    format!("<{text}>")
}

fn number(text: &Option<String>) -> Option<f64> {
    text.as_deref().and_then(|t| t.parse().ok())
}

fn whole(text: &Option<String>) -> Option<i64> {
    text.as_deref().and_then(|t| t.parse().ok())
}

pub(crate) fn name_of(store: &CaseStore, entity: &str) -> Result<String> {
    let found = rows(
        store,
        &format!(
            "SELECT ?l WHERE {{ {} rdfs:label ?l }} LIMIT 1",
            iri(entity)
        ),
        1,
    )?;
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
                    statement.as_str(),
                )?)),
                Err(_) => Err(error),
            };
        }
    };
    Ok(Explanation::Source(explain_source(store, source.as_str())?))
}

fn has_scores(store: &CaseStore) -> Result<bool> {
    store.graph_exists(oxigraph::model::NamedNodeRef::new_unchecked(
        vocab::graph::SCORES,
    ))
}

fn assessments(store: &CaseStore, target: &str) -> Result<Vec<Assessment>> {
    let query = format!(
        "SELECT ?method ?value ?low ?high ?evidence ?grade ?discounted WHERE {{
            GRAPH <{}> {{
                ?a cg:assesses {} ; cg:method ?method ; cg:value ?value .
                FILTER NOT EXISTS {{ ?a cg:assessedPolarity ?polarity }}
                OPTIONAL {{ ?a cg:lowerBound ?low }} OPTIONAL {{ ?a cg:upperBound ?high }}
                OPTIONAL {{ ?a cg:evidenceCount ?evidence }}
                OPTIONAL {{ ?a cg:reliabilityGrade ?grade }}
                OPTIONAL {{ ?a cg:discountedShare ?discounted }}
            }}
        }} ORDER BY (?method != \"dependence-aware\") (?method != \"track-record\") ?method",
        vocab::graph::SCORES,
        iri(target)
    );
    Ok(rows(store, &query, 7)?
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
            }
        })
        .collect())
}

/// Statements matching `pattern` (which binds ?statement), with their scores.
fn statement_lines(store: &CaseStore, pattern: &str, limit: usize) -> Result<Vec<StatementLine>> {
    let query = format!(
        "SELECT ?statement ?sourceName ?polarity ?propositionName ?belief ?digit ?independent WHERE {{
            {pattern}
            ?statement cg:statedBy ?source ; cg:proposition ?proposition ; cg:polarity ?polarity .
            OPTIONAL {{ ?source rdfs:label ?sourceLabel }}
            OPTIONAL {{ ?proposition rdfs:label ?propositionLabel }}
            BIND(COALESCE(?sourceLabel, STR(?source)) AS ?sourceName)
            BIND(COALESCE(?propositionLabel, STR(?proposition)) AS ?propositionName)
            OPTIONAL {{ GRAPH <{scores}> {{
                ?a cg:assesses ?proposition ; cg:method \"dependence-aware\" ;
                   cg:assessedPolarity ?polarity ; cg:value ?belief ;
                   cg:credibilityGrade ?digit ; cg:independentSources ?independent
            }} }}
        }} ORDER BY DESC(?belief) ?statement LIMIT {limit}",
        scores = vocab::graph::SCORES
    );
    Ok(rows(store, &query, 7)?
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

fn pair_lines(store: &CaseStore, source: &str, count: &str) -> Result<Vec<PairLine>> {
    let query = format!(
        "SELECT ?name ?n WHERE {{
            {{ ?pair cg:firstSource {s} ; cg:secondSource ?other }} UNION {{ ?pair cg:secondSource {s} ; cg:firstSource ?other }}
            ?pair {count} ?n .
            OPTIONAL {{ ?other rdfs:label ?label }}
            BIND(COALESCE(?label, STR(?other)) AS ?name)
        }} ORDER BY DESC(?n) ?name LIMIT {LISTED}",
        s = iri(source)
    );
    Ok(rows(store, &query, 2)?
        .into_iter()
        .map(|r| PairLine {
            source: r[0].clone().unwrap_or_default(),
            statements: whole(&r[1]).unwrap_or(0),
        })
        .collect())
}

fn explain_source(store: &CaseStore, source: &str) -> Result<SourceExplanation> {
    let s = iri(source);
    let statement_count = rows(
        store,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?statement cg:statedBy {s} }}"),
        1,
    )?
    .first()
    .and_then(|r| whole(&r[0]))
    .unwrap_or(0) as usize;
    let depends = rows(
        store,
        &format!(
            "SELECT DISTINCT ?name ?kind ?probability ?shared ?attribute WHERE {{
                {{ ?d cg:dependentSource {s} ; cg:dependsOnSource ?other }} UNION {{ ?d cg:dependsOnSource {s} ; cg:dependentSource ?other }}
                ?d cg:dependenceKind ?k .
                OPTIONAL {{ ?k rdfs:label ?kindLabel }}
                BIND(COALESCE(?kindLabel, STR(?k)) AS ?kind)
                OPTIONAL {{ ?d cg:probability ?probability }} OPTIONAL {{ ?d cg:sharedFalseValues ?shared }}
                OPTIONAL {{ ?d cg:onAttribute ?attribute }}
                OPTIONAL {{ ?other rdfs:label ?label }}
                BIND(COALESCE(?label, STR(?other)) AS ?name)
            }} ORDER BY ?kind ?name ?attribute LIMIT {LISTED}"
        ),
        5,
    )?;
    Ok(SourceExplanation {
        iri: source.to_string(),
        name: name_of(store, source)?,
        assessments: assessments(store, source)?,
        statements: statement_lines(store, &format!("?statement cg:statedBy {s} ."), LISTED)?,
        statement_count,
        corroborated_by: pair_lines(store, source, "cg:corroborations")?,
        dependent_agreement_with: pair_lines(store, source, "cg:dependentAgreements")?,
        contradicted_by: pair_lines(store, source, "cg:contradictions")?,
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

fn explain_statement(store: &CaseStore, statement: &str) -> Result<StatementExplanation> {
    let s = iri(statement);
    let line = statement_lines(store, &format!("BIND({s} AS ?statement)"), 1)?
        .into_iter()
        .next()
        .ok_or_else(|| {
            Error::invalid(format!(
                "{statement} lacks a source, proposition or polarity, so it was not scored"
            ))
        })?;
    let details = rows(
        store,
        &format!(
            "SELECT ?source ?text ?status WHERE {{
                {s} cg:statedBy ?source ; cg:proposition ?p .
                OPTIONAL {{ {s} cg:text ?text }}
                OPTIONAL {{ ?r cg:resolves ?p ; cg:status ?st . ?st rdfs:label ?status }}
            }} LIMIT 1"
        ),
        3,
    )?;
    let details = details.into_iter().next().unwrap_or_default();
    let source = details.first().cloned().flatten().unwrap_or_default();
    let same_question = |same_side: bool| {
        format!(
            "{s} cg:proposition ?p0 ; cg:polarity ?pol0 .
             ?p0 cg:answers ?q . ?p cg:answers ?q .
             ?statement cg:proposition ?p ; cg:polarity ?pol .
             FILTER(?statement != {s})
             FILTER({cmp})",
            cmp = if same_side {
                "?p = ?p0 && ?pol = ?pol0"
            } else {
                "(?p = ?p0 && ?pol != ?pol0) || (?p != ?p0 && ?pol = cg:Assertion && ?pol0 = cg:Assertion)"
            }
        )
    };
    Ok(StatementExplanation {
        statement: line,
        text: details.get(1).cloned().flatten(),
        source_assessments: assessments(store, &source)?,
        agreeing: statement_lines(store, &same_question(true), LISTED)?,
        contradicting: statement_lines(store, &same_question(false), LISTED)?,
        resolution: details.get(2).cloned().flatten(),
    })
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn assessment_words(a: &Assessment) -> String {
    let mut words = match a.method.as_str() {
        "track-record" => {
            // The mean of Beta(1 + right, 1 + wrong) gives back the count.
            let calls = a.evidence.unwrap_or(0);
            let right = (a.value * (calls as f64 + 2.0) - 1.0).round() as i64;
            format!(
                "track record: {right} of {calls} resolved call{} right, estimated accuracy {:.2}",
                if calls == 1 { "" } else { "s" },
                a.value
            )
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
