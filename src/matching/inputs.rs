//! The statements `match` works on and the propositions it matches them to: from the
//! store (by the named queries `unmatched-statements` and `propositions`), from
//! statement tables, and from review sheets of `extract`.

use super::{Candidate, Statement};
use crate::error::{Error, Result};
use crate::extract::{self, sheet as extract_sheet};
use crate::named_queries;
use crate::store::CaseStore;
use crate::vocab;
use oxigraph::model::NamedNode;
use oxigraph::sparql::QueryResults;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A statement as `match` got it, and whether the store holds it.
pub struct Input {
    pub statement: Statement,
    /// The name the sheet and JSON give it: its prefixed IRI when the store holds it,
    /// else the id of its table or sheet.
    pub name: String,
    pub in_store: bool,
    /// The proposition the store gives it now (left out of its own candidates).
    pub proposition: Option<String>,
}

impl Input {
    /// A statement of a table or a sheet, which the store does not hold.
    pub fn new(statement: Statement) -> Input {
        Input {
            name: statement.id.clone(),
            statement,
            in_store: false,
            proposition: None,
        }
    }
}

/// The statements to match, and how the inputs are named in the sheet.
pub fn statements(store: &CaseStore, files: &[PathBuf]) -> Result<(Vec<Input>, Vec<String>)> {
    if files.is_empty() {
        return Ok((store_statements(store)?, vec!["the store".into()]));
    }
    let mut inputs = Vec::new();
    let mut ids = HashMap::new();
    for path in files {
        let found = if crate::import::sheet::is_sheet(path) {
            sheet_statements(store, path)?
        } else {
            crate::import::match_tables::statements(path)?
                .into_iter()
                .map(Input::new)
                .collect()
        };
        for input in found {
            if let Some(other) = ids.insert(input.name.clone(), path.clone()) {
                return Err(Error::invalid(format!(
                    "statement {} is in {} and in {}: give one of them another id",
                    crate::error::quoted(&input.name),
                    other.display(),
                    path.display()
                )));
            }
            inputs.push(input);
        }
    }
    Ok((
        inputs,
        files.iter().map(|f| f.display().to_string()).collect(),
    ))
}

/// The rows of a named query, each as the text of its variables.
fn rows(store: &CaseStore, name: &str, variables: &[&str]) -> Result<Vec<Vec<Option<String>>>> {
    let query = named_queries::find(name)?;
    let text = named_queries::prepare(store, &query, &[])?;
    let QueryResults::Solutions(solutions) = store.query(&text)? else {
        return Err(Error::Internal(format!("{name} gave no solutions")));
    };
    let mut out = Vec::new();
    for solution in solutions {
        let solution = solution?;
        out.push(
            variables
                .iter()
                .map(|v| crate::internal_queries::text_of(solution.get(*v)))
                .collect(),
        );
    }
    Ok(out)
}

fn store_statements(store: &CaseStore) -> Result<Vec<Input>> {
    let found = rows(
        store,
        "unmatched-statements",
        &[
            "statement",
            "source_name",
            "text",
            "stated_on",
            "proposition",
            "proposition_text",
            "outlet",
        ],
    )?;
    // A statement with two labels of its source or proposition comes once.
    let mut seen = HashSet::new();
    Ok(found
        .into_iter()
        .filter_map(|row| {
            let iri = row[0].clone().filter(|iri| seen.insert(iri.clone()))?;
            Some(Input {
                name: extract::short(&iri),
                statement: Statement {
                    id: iri,
                    source: row[1].clone().unwrap_or_default(),
                    text: row[2].clone().unwrap_or_default(),
                    topic: row[5].clone(),
                    date: row[3].clone(),
                    own_voice: row[6].as_deref() == Some("yes"),
                },
                in_store: true,
                proposition: row[4].as_deref().map(extract::short),
            })
        })
        .collect())
}

pub fn store_candidates(store: &CaseStore) -> Result<Vec<Candidate>> {
    let found = rows(
        store,
        "propositions",
        &["proposition", "proposition_text", "question_text"],
    )?;
    // A proposition with two labels or questions comes once.
    let mut seen = HashSet::new();
    Ok(found
        .into_iter()
        .filter_map(|row| {
            let id = extract::short(row[0].as_deref()?);
            if !seen.insert(id.clone()) {
                return None;
            }
            Some(Candidate {
                id,
                text: row[1].clone().unwrap_or_default(),
                question: row[2].clone().filter(|q| !q.is_empty()),
            })
        })
        .collect())
}

/// Whether the store holds a statement of this IRI.
fn holds(store: &CaseStore, iri: &str) -> Result<bool> {
    let Ok(node) = NamedNode::new(iri) else {
        return Ok(false);
    };
    Ok(store
        .quads(
            Some(node.as_ref().into()),
            Some(vocab::cg::STATED_BY),
            None,
            None,
        )?
        .next()
        .transpose()?
        .is_some())
}

/// The statements of a review sheet from `extract`.
fn sheet_statements(store: &CaseStore, path: &Path) -> Result<Vec<Input>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::file(path, e))?;
    let sheet = extract_sheet::from_yaml(path, &text)?;
    let mut out = Vec::new();
    for p in sheet.statements.iter().filter(|p| p.keep) {
        let iri = format!("{}statement/{}", vocab::ID, p.id);
        let in_store = holds(store, &iri)?;
        out.push(Input {
            name: if in_store {
                extract::short(&iri)
            } else {
                p.id.clone()
            },
            statement: Statement {
                id: p.id.clone(),
                source: p.speaker.clone(),
                text: p.text.clone(),
                topic: Some(p.proposition.clone()),
                date: extract::article::parse_date(&sheet.article.date),
                own_voice: p.speaker_kind == extract_sheet::SpeakerKind::Outlet,
            },
            in_store,
            proposition: None,
        });
    }
    Ok(out)
}
