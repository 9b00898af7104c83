//! The named queries of `queries/`: documented SPARQL files users run by name,
//! with parameters declared in their header comments.
//!
//! A header is the block of `#` lines at the top of the file: the first paragraph
//! says what the query answers, and each `# param NAME (KIND[, optional]): text`
//! line declares a parameter. KIND is `source`, `question`, `proposition` or
//! `statement` (given by name or IRI), or `iri`, `text`, `integer` or `date`.
//!
//! The query body says where the parameter applies with `VALUES ?NAME { UNDEF }`
//! (in every subquery that uses it); a given value replaces `UNDEF`, an optional
//! one left out stays unbound (the VALUES line is dropped). This is
//! plain SPARQL, so the same files run unchanged against any engine, and the
//! value is written as a SPARQL term, never pasted in as text.

use crate::error::{Error, Result};
use crate::resolve;
use crate::store::CaseStore;
use oxigraph::model::{Literal, NamedNode, Term};

macro_rules! named_query {
    ($name:literal) => {
        ($name, include_str!(concat!("../queries/", $name, ".rq")))
    };
}

/// The files of `queries/`, embedded. A test checks that every file is listed.
const FILES: &[(&str, &str)] = &[
    named_query!("who-corroborates-whom"),
    named_query!("corroborators"),
    named_query!("who-contradicts-whom"),
    named_query!("question-positions"),
    named_query!("source-statements"),
    named_query!("source-posts"),
    named_query!("dependencies"),
    named_query!("second-hand-statements"),
    named_query!("agreeing-statements"),
    named_query!("contradicting-statements"),
    named_query!("resolutions"),
    named_query!("sources"),
    named_query!("missing-wikidata"),
    named_query!("credibility"),
    named_query!("statement-credibility"),
    named_query!("unmatched-statements"),
    named_query!("propositions"),
];

/// What a parameter's value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// An entity of the case, looked up by name among instances of its class.
    Entity(resolve::EntityKind),
    Iri,
    Text,
    Integer,
    Date,
}

impl ParamKind {
    fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "iri" => ParamKind::Iri,
            "text" => ParamKind::Text,
            "integer" => ParamKind::Integer,
            "date" => ParamKind::Date,
            other => ParamKind::Entity(resolve::EntityKind::parse(other)?),
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ParamKind::Entity(kind) => kind.name(),
            ParamKind::Iri => "iri",
            ParamKind::Text => "text",
            ParamKind::Integer => "integer",
            ParamKind::Date => "date",
        }
    }
}

/// A declared parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub kind: ParamKind,
    pub optional: bool,
    pub description: String,
}

/// A named query.
#[derive(Debug, Clone)]
pub struct NamedQuery {
    pub name: &'static str,
    pub text: &'static str,
    /// The first paragraph of the header.
    pub description: String,
    pub params: Vec<Param>,
}

/// Every named query, in the order `query --list` shows them.
pub fn all() -> Vec<NamedQuery> {
    FILES
        .iter()
        .map(|(name, text)| parse_header(name, text))
        .collect()
}

/// The named query called `name`, or an error that suggests near names.
pub fn find(name: &str) -> Result<NamedQuery> {
    let queries = all();
    if let Some(query) = queries.iter().find(|q| q.name == name) {
        return Ok(query.clone());
    }
    let names: Vec<&str> = queries.iter().map(|q| q.name).collect();
    let near = resolve::near_names(name, names.iter().copied());
    let hint = if near.is_empty() {
        format!("the named queries are: {}", names.join(", "))
    } else {
        format!("did you mean {}?", near.join(" or "))
    };
    Err(Error::invalid(format!(
        "no named query '{name}'; {hint} (`credgraph query --list` describes them)"
    )))
}

/// A query file's header: its description and declared parameters (the internal
/// queries of `queries/internal/` are written the same way).
pub(crate) fn parse_header(name: &'static str, text: &'static str) -> NamedQuery {
    let mut description = String::new();
    let mut params = Vec::new();
    let mut in_description = true;
    for line in text.lines() {
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let comment = comment.trim();
        if let Some(declaration) = comment.strip_prefix("param ") {
            if let Some(param) = parse_param(declaration) {
                params.push(param);
            }
            continue;
        }
        if comment.is_empty() {
            in_description = false;
        } else if in_description {
            if !description.is_empty() {
                description.push(' ');
            }
            description.push_str(comment);
        }
    }
    NamedQuery {
        name,
        text,
        description,
        params,
    }
}

/// `source (source, optional): only the pairs that include this source`
fn parse_param(declaration: &str) -> Option<Param> {
    let (head, description) = declaration.split_once(':')?;
    let (name, kinds) = head.split_once('(')?;
    let kinds = kinds.trim().strip_suffix(')')?;
    let mut words = kinds.split(',').map(str::trim);
    let kind = ParamKind::parse(words.next()?)?;
    let optional = words.any(|w| w == "optional");
    Some(Param {
        name: name.trim().to_string(),
        kind,
        optional,
        description: description.trim().to_string(),
    })
}

/// The query's text with `KEY=VALUE` arguments bound, names resolved to IRIs.
pub fn prepare(
    store: &CaseStore,
    query: &NamedQuery,
    given: &[(String, String)],
) -> Result<String> {
    let mut text = query.text.to_string();
    for (key, value) in given {
        let Some(param) = query.params.iter().find(|p| &p.name == key) else {
            let known: Vec<&str> = query.params.iter().map(|p| p.name.as_str()).collect();
            return Err(Error::invalid(if known.is_empty() {
                format!(
                    "the query '{}' takes no parameters, but got '{key}'",
                    query.name
                )
            } else {
                format!(
                    "the query '{}' has no parameter '{key}'; it takes: {}",
                    query.name,
                    known.join(", ")
                )
            }));
        };
        let term = param_value(store, param, value)?;
        text = bind(&text, &param.name, &[term]).ok_or_else(|| {
            Error::Internal(format!(
                "the query '{}' declares {} but has no `{}`",
                query.name,
                param.name,
                placeholder(&param.name)
            ))
        })?;
    }
    for param in &query.params {
        if param.optional && !given.iter().any(|(key, _)| key == &param.name) {
            text = bind(&text, &param.name, &[]).unwrap_or(text);
        }
        if !param.optional && !given.iter().any(|(key, _)| key == &param.name) {
            return Err(Error::invalid(format!(
                "the query '{}' needs --param {}=... ({}: {})",
                query.name,
                param.name,
                param.kind.name(),
                param.description
            )));
        }
    }
    Ok(text)
}

/// Where a query binds a parameter.
fn placeholder(name: &str) -> String {
    format!("VALUES ?{name} {{ UNDEF }}")
}

/// The query `text` with the parameter `name` bound wherever it says
/// `VALUES ?name { UNDEF }`: to `terms` (several give several rows), or, given
/// none, left unbound by dropping the line. `None` when the query has no such line.
pub(crate) fn bind(text: &str, name: &str, terms: &[Term]) -> Option<String> {
    let placeholder = placeholder(name);
    if !text.contains(&placeholder) {
        return None;
    }
    let values = if terms.is_empty() {
        // Joining with one empty row changes nothing, but Virtuoso 7.2 plans
        // some queries badly around it (minutes instead of milliseconds).
        String::new()
    } else {
        let terms: Vec<String> = terms.iter().map(Term::to_string).collect();
        format!("VALUES ?{name} {{ {} }}", terms.join(" "))
    };
    Some(text.replace(&placeholder, &values))
}

fn param_value(store: &CaseStore, param: &Param, value: &str) -> Result<Term> {
    let bad = |what: &str| Error::invalid(format!("--param {}={value}: not {what}", param.name));
    Ok(match param.kind {
        ParamKind::Entity(kind) => resolve::entity(store, kind, value)?.into(),
        ParamKind::Iri => NamedNode::new(resolve::expand_iri(value))
            .map_err(|_| bad("an IRI"))?
            .into(),
        ParamKind::Text => Literal::new_simple_literal(value).into(),
        ParamKind::Integer => {
            let number: i64 = value.parse().map_err(|_| bad("an integer"))?;
            Literal::from(number).into()
        }
        ParamKind::Date => {
            if !crate::model::dates::is_date(value) {
                return Err(bad("a date (YYYY-MM-DD)"));
            }
            Literal::new_typed_literal(value, oxigraph::model::vocab::xsd::DATE).into()
        }
    })
}

/// Runs a named query with its parameters (`("source", "Stoltenberg")`) and gives its
/// rows, each cell as text (an IRI as itself, a literal as its value) in the order of
/// the query's variables.
pub fn run(
    store: &CaseStore,
    name: &str,
    params: &[(&str, &str)],
) -> Result<Vec<Vec<Option<String>>>> {
    let query = find(name)?;
    let given: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let text = prepare(store, &query, &given)?;
    let oxigraph::sparql::QueryResults::Solutions(solutions) = store.query(&text)? else {
        return Err(Error::Internal(format!("{name} is not a SELECT query")));
    };
    let width = solutions.variables().len();
    crate::internal_queries::solution_rows(solutions, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_queries_is_listed() {
        let on_disk = crate::internal_queries::tests::rq_names_in("queries");
        let mut listed: Vec<String> = FILES.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed);
    }

    #[test]
    fn every_named_query_parses_and_is_documented() {
        let store = CaseStore::in_memory().unwrap();
        for query in all() {
            assert!(
                !query.description.is_empty(),
                "{} has no description",
                query.name
            );
            let _parsed = store
                .parse_query(query.text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", query.name));
            for param in &query.params {
                assert!(
                    query.text.contains(&placeholder(&param.name)),
                    "{} declares {} but has no placeholder for it",
                    query.name,
                    param.name
                );
            }
        }
    }

    #[test]
    fn headers_declare_parameters() {
        let query = find("corroborators").unwrap();
        assert_eq!(query.params.len(), 1);
        assert_eq!(query.params[0].name, "source");
        assert!(!query.params[0].optional);
        let query = find("who-contradicts-whom").unwrap();
        assert!(query.params[0].optional);
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let error = find("corroborator").unwrap_err().to_string();
        assert!(error.contains("corroborators"), "{error}");
    }
}
