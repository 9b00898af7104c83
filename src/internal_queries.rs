//! The internal queries of `queries/internal/`: the fixed SPARQL credgraph runs
//! itself (for the pictures, `explain`, the score tables, name lookups and
//! `extract`), embedded; and SELECT answers read as text.
//!
//! An internal query's file is written like a named query's: a header of `#` lines
//! that says what it answers and declares its parameters, and a body that binds
//! each parameter with `VALUES ?NAME { UNDEF }`, filled in by
//! [`named_queries::bind`]. The files are not listed by `credgraph query --list`:
//! they answer the code, in the columns it reads.

use crate::error::{Error, Result};
use crate::named_queries;
use crate::store::CaseStore;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;

/// A query of `queries/internal/`.
pub(crate) struct InternalQuery {
    name: &'static str,
    text: &'static str,
}

macro_rules! internal_query {
    ($name:literal) => {
        InternalQuery {
            name: $name,
            text: include_str!(concat!("../queries/internal/", $name, ".rq")),
        }
    };
}

// The pictures of `viz` and the /graph page.
pub(crate) const VIZ_STATEMENTS: InternalQuery = internal_query!("viz-statements");
pub(crate) const VIZ_LABELS: InternalQuery = internal_query!("viz-labels");
pub(crate) const VIZ_STATEMENT_PAIRS: InternalQuery = internal_query!("viz-statement-pairs");
pub(crate) const VIZ_DEPENDENCES: InternalQuery = internal_query!("viz-dependences");
pub(crate) const VIZ_SOURCE_SCORES: InternalQuery = internal_query!("viz-source-scores");
pub(crate) const VIZ_STATEMENT_SCORES: InternalQuery = internal_query!("viz-statement-scores");
pub(crate) const VIZ_INSTITUTIONS: InternalQuery = internal_query!("viz-institutions");
pub(crate) const VIZ_POSTS: InternalQuery = internal_query!("viz-posts");
pub(crate) const VIZ_SOURCE_PAIRS: InternalQuery = internal_query!("viz-source-pairs");
pub(crate) const VIZ_REPORTED_IN: InternalQuery = internal_query!("viz-reported-in");
pub(crate) const VIZ_REPORTING_CHAIN: InternalQuery = internal_query!("viz-reporting-chain");

// `explain` and the /source page.
pub(crate) const ENTITY_LABEL: InternalQuery = internal_query!("entity-label");
pub(crate) const EXPLAIN_ASSESSMENTS: InternalQuery = internal_query!("explain-assessments");
pub(crate) const EXPLAIN_SOURCE_STATEMENTS: InternalQuery =
    internal_query!("explain-source-statements");
pub(crate) const EXPLAIN_STATEMENT: InternalQuery = internal_query!("explain-statement");
pub(crate) const EXPLAIN_AGREEING_STATEMENTS: InternalQuery =
    internal_query!("explain-agreeing-statements");
pub(crate) const EXPLAIN_CONTRADICTING_STATEMENTS: InternalQuery =
    internal_query!("explain-contradicting-statements");
pub(crate) const EXPLAIN_SOURCE_PAIRS: InternalQuery = internal_query!("explain-source-pairs");
pub(crate) const EXPLAIN_STATEMENT_COUNT: InternalQuery =
    internal_query!("explain-statement-count");
pub(crate) const EXPLAIN_DEPENDENCES: InternalQuery = internal_query!("explain-dependences");
pub(crate) const EXPLAIN_STATEMENT_DETAILS: InternalQuery =
    internal_query!("explain-statement-details");

// Names for the claim graph's tables.
pub(crate) const SOURCE_LABELS: InternalQuery = internal_query!("source-labels");
pub(crate) const QUESTION_AND_PROPOSITION_LABELS: InternalQuery =
    internal_query!("question-and-proposition-labels");

// `import --hierarchy`: answers to link by the names of a hierarchy.
pub(crate) const ANSWERS_WITH_LABELS: InternalQuery = internal_query!("answers-with-labels");

// Looking up a name given by the user.
pub(crate) const ENTITY_NAMES: InternalQuery = internal_query!("entity-names");

// `extract`: what the store knows of the speakers it finds.
pub(crate) const LINKING_NAMES: InternalQuery = internal_query!("linking-names");
pub(crate) const LINKING_POSTS: InternalQuery = internal_query!("linking-posts");

/// A row of a SELECT answer, each column as text.
pub(crate) type Row = Vec<Option<String>>;

impl InternalQuery {
    /// The query's text with each parameter bound to the terms given for it (one,
    /// or several for a parameter that takes several); a parameter given no term
    /// stays unbound. Every parameter the header declares is given, and no other:
    /// the code and the file must agree.
    pub(crate) fn bind(&self, params: &[(&str, &[Term])]) -> Result<String> {
        let declared = named_queries::parse_header(self.name, self.text).params;
        let mut text = self.text.to_string();
        for param in &declared {
            let Some((_, terms)) = params.iter().find(|(name, _)| *name == param.name) else {
                return Err(self.mismatch(&format!("is not given its parameter {}", param.name)));
            };
            text = named_queries::bind(&text, &param.name, terms)
                .ok_or_else(|| self.mismatch(&format!("does not bind {}", param.name)))?;
        }
        if let Some((name, _)) = params
            .iter()
            .find(|(name, _)| !declared.iter().any(|p| p.name == *name))
        {
            return Err(self.mismatch(&format!("declares no parameter {name}")));
        }
        Ok(text)
    }

    /// Runs the query with its parameters bound ([`Self::bind`]) and reads its
    /// first `columns` columns as text ([`rows`]).
    pub(crate) fn rows(
        &self,
        store: &CaseStore,
        params: &[(&str, &[Term])],
        columns: usize,
    ) -> Result<Vec<Row>> {
        rows(store, &self.bind(params)?, columns)
    }

    fn mismatch(&self, what: &str) -> Error {
        Error::Internal(format!("the internal query {} {what}", self.name))
    }
}

/// A term's text: an IRI as itself, a literal as its value, a blank node as `_:id`.
pub(crate) fn text_of(term: Option<&Term>) -> Option<String> {
    match term? {
        Term::NamedNode(n) => Some(n.as_str().to_string()),
        Term::Literal(l) => Some(l.value().to_string()),
        Term::BlankNode(b) => Some(format!("_:{}", b.as_str())),
    }
}

/// The rows of a SELECT, the first `columns` columns of each as text ([`text_of`]).
pub(crate) fn rows(store: &CaseStore, query: &str, columns: usize) -> Result<Vec<Row>> {
    let QueryResults::Solutions(solutions) = store.query(query)? else {
        return Ok(Vec::new());
    };
    solution_rows(solutions, columns)
}

/// Solutions as rows, the first `columns` columns of each as text ([`text_of`]).
pub(crate) fn solution_rows(
    solutions: oxigraph::sparql::QuerySolutionIter<'_>,
    columns: usize,
) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    for solution in solutions {
        let solution = solution?;
        out.push((0..columns).map(|i| text_of(solution.get(i))).collect());
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every internal query. Only the tests list them: outside the tests, a query
    /// no code runs is dead code, which the build warns of.
    const ALL: &[&InternalQuery] = &[
        &VIZ_STATEMENTS,
        &VIZ_LABELS,
        &VIZ_STATEMENT_PAIRS,
        &VIZ_DEPENDENCES,
        &VIZ_SOURCE_SCORES,
        &VIZ_STATEMENT_SCORES,
        &VIZ_INSTITUTIONS,
        &VIZ_POSTS,
        &VIZ_SOURCE_PAIRS,
        &VIZ_REPORTED_IN,
        &VIZ_REPORTING_CHAIN,
        &ENTITY_LABEL,
        &EXPLAIN_ASSESSMENTS,
        &EXPLAIN_SOURCE_STATEMENTS,
        &EXPLAIN_STATEMENT,
        &EXPLAIN_AGREEING_STATEMENTS,
        &EXPLAIN_CONTRADICTING_STATEMENTS,
        &EXPLAIN_SOURCE_PAIRS,
        &EXPLAIN_STATEMENT_COUNT,
        &EXPLAIN_DEPENDENCES,
        &EXPLAIN_STATEMENT_DETAILS,
        &SOURCE_LABELS,
        &QUESTION_AND_PROPOSITION_LABELS,
        &ANSWERS_WITH_LABELS,
        &ENTITY_NAMES,
        &LINKING_NAMES,
        &LINKING_POSTS,
    ];

    /// The names of the `.rq` files in a folder of the repository, sorted.
    pub(crate) fn rq_names_in(folder: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".rq"))
            .map(|n| n.trim_end_matches(".rq").to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_file_in_queries_internal_is_embedded() {
        let on_disk = rq_names_in("queries/internal");
        let mut embedded: Vec<String> = ALL.iter().map(|q| q.name.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn every_internal_query_is_documented_and_parses_bound_or_not() {
        let store = CaseStore::in_memory().unwrap();
        let iri = Term::from(oxigraph::model::NamedNode::new_unchecked("http://e/x"));
        for query in ALL {
            let header = named_queries::parse_header(query.name, query.text);
            assert!(
                !header.description.is_empty(),
                "{} has no description",
                query.name
            );
            // Each placeholder is a declared parameter, and each parameter has one.
            let mut placeholders: Vec<&str> = query
                .text
                .split("VALUES ?")
                .skip(1)
                .filter_map(|rest| rest.split_once(' '))
                .filter(|(_, after)| after.starts_with("{ UNDEF }"))
                .map(|(name, _)| name)
                .collect();
            placeholders.sort();
            placeholders.dedup();
            let mut declared: Vec<&str> = header.params.iter().map(|p| p.name.as_str()).collect();
            declared.sort();
            assert_eq!(
                placeholders, declared,
                "{}: its VALUES lines and its declared parameters differ",
                query.name
            );
            let unbound: Vec<(&str, &[Term])> = header
                .params
                .iter()
                .map(|p| (p.name.as_str(), &[][..]))
                .collect();
            let bound: Vec<(&str, &[Term])> = header
                .params
                .iter()
                .map(|p| (p.name.as_str(), std::slice::from_ref(&iri)))
                .collect();
            for params in [unbound, bound] {
                let text = query.bind(&params).unwrap();
                assert!(!text.contains("UNDEF"), "{}: {text}", query.name);
                let _parsed = store
                    .parse_query(&text)
                    .unwrap_or_else(|e| panic!("{} does not parse: {e}", query.name));
            }
        }
    }

    #[test]
    fn parameters_must_match_the_header() {
        let error = VIZ_SOURCE_SCORES.bind(&[]).unwrap_err().to_string();
        assert!(error.contains("method"), "{error}");
        let error = VIZ_LABELS.bind(&[("method", &[])]).unwrap_err().to_string();
        assert!(error.contains("method"), "{error}");
    }

    #[test]
    fn several_terms_bind_several_rows() {
        let sources: Vec<Term> = ["http://e/a", "http://e/b"]
            .into_iter()
            .map(|iri| oxigraph::model::NamedNode::new_unchecked(iri).into())
            .collect();
        let text = SOURCE_LABELS.bind(&[("source", &sources)]).unwrap();
        assert!(
            text.contains("VALUES ?source { <http://e/a> <http://e/b> }"),
            "{text}"
        );
    }
}
