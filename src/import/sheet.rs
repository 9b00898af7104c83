//! Review sheets from `extract` into the store: each sheet checked whole, then all
//! written in one transaction.

use super::rdf::file_graph;
use super::TargetGraph;
use crate::error::{quoted, Error, Position, Result};
use crate::extract::rdf;
use crate::extract::sheet;
use crate::store::CaseStore;
use oxigraph::model::GraphName;
use std::path::{Path, PathBuf};

/// Whether a file is a review sheet rather than a claim table.
pub fn is_sheet(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("yaml" | "yml" | "json")
    )
}

/// What one sheet gave.
pub struct ImportedSheet {
    pub path: PathBuf,
    pub statements: usize,
    pub left_out: usize,
    pub quads: usize,
    pub replaced: bool,
}

/// Imports review sheets: every sheet is checked before anything is written; then
/// all go in together, each into the graph named by its file unless `target` names
/// one for all.
pub fn import(
    store: &CaseStore,
    files: &[PathBuf],
    target: Option<&TargetGraph>,
) -> Result<Vec<ImportedSheet>> {
    let mut all = Vec::new();
    let mut ids: std::collections::HashMap<String, PathBuf> = std::collections::HashMap::new();
    let mut replace = Vec::new();
    let mut report = Vec::new();
    for path in files {
        let text = std::fs::read(path).map_err(|e| Error::file(path, e))?;
        let text = String::from_utf8(text).map_err(|e| Error::Syntax {
            path: path.clone(),
            position: None,
            message: format!("not UTF-8 text: {e}"),
        })?;
        let sheet = sheet::from_yaml(path, &text)?;
        let graph = match target {
            Some(target) => target.graph_name(),
            None => GraphName::NamedNode(file_graph(path)?),
        };
        let quads = rdf::quads(&sheet, graph.clone()).map_err(|e| {
            let line = e
                .statement
                .as_deref()
                .and_then(|id| sheet::statement_line(&text, id))
                .or_else(|| field_line(&text, e.field));
            let which = match &e.statement {
                Some(id) => format!("statement {}: ", quoted(id)),
                None => "article: ".into(),
            };
            Error::Syntax {
                path: path.clone(),
                position: line.map(|line| Position { line, column: 1 }),
                message: format!("{which}field `{}`: {}", e.field, e.message),
            }
        })?;
        // A statement id names one statement: not two of these sheets, and not one
        // that another graph of the store already holds.
        for proposal in sheet.statements.iter().filter(|p| p.keep) {
            let iri = format!("{}statement/{}", crate::vocab::ID, proposal.id);
            let line =
                sheet::statement_line(&text, &proposal.id).map(|line| Position { line, column: 1 });
            if let Some(other) = ids.insert(iri.clone(), path.clone()) {
                return Err(Error::Syntax {
                    path: path.clone(),
                    position: line,
                    message: format!(
                        "statement {}: {} has a statement of this id too; give one of them another id",
                        quoted(&proposal.id),
                        other.display()
                    ),
                });
            }
            if let Some(elsewhere) = graph_holding(store, &iri, &graph) {
                return Err(Error::Syntax {
                    path: path.clone(),
                    position: line,
                    message: format!(
                        "statement {}: the store already has a statement of this id, in {elsewhere}; give this one another id",
                        quoted(&proposal.id)
                    ),
                });
            }
        }
        let mut replaced = false;
        if let (GraphName::NamedNode(g), None) = (&graph, target) {
            replaced = store.graph_exists(g.as_ref())?;
            replace.push(g.clone());
        }
        report.push(ImportedSheet {
            path: path.clone(),
            statements: sheet.statements.iter().filter(|s| s.keep).count(),
            left_out: sheet.statements.iter().filter(|s| !s.keep).count(),
            quads: quads.len(),
            replaced,
        });
        all.extend(quads);
    }
    store.write_graphs(&replace, all)?;
    Ok(report)
}

/// A graph other than `own` in which the store has quads about `iri`.
fn graph_holding(store: &CaseStore, iri: &str, own: &GraphName) -> Option<String> {
    let node = oxigraph::model::NamedNode::new(iri).ok()?;
    store
        .quads(Some(node.as_ref().into()), None, None, None)
        .ok()?
        .filter_map(|q| q.ok())
        .find(|q| q.graph_name != *own)
        .map(|q| match q.graph_name {
            GraphName::DefaultGraph => "the default graph".to_string(),
            other => other.to_string(),
        })
}

/// The line of an article field, for messages about it.
fn field_line(text: &str, field: &str) -> Option<u64> {
    text.lines()
        .position(|line| line.trim_start().starts_with(&format!("{field}:")))
        .map(|i| i as u64 + 1)
}
