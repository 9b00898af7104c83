//! The sheets of a run of articles: proposed on every core, with statement ids unique
//! within each article, across the articles and against the store; and a sheet
//! written as YAML, JSON or Turtle.

use super::article::Article;
use super::linking::Directory;
use super::sheet::{self, Sheet};
use super::{rdf, Overrides};
use crate::error::{Error, Result};
use crate::store::CaseStore;
use crate::vocab;
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedNode};
use rayon::prelude::*;
use std::collections::HashSet;

/// One article of a run: its name in messages, its text, and its date.
pub struct ArticleInput {
    pub name: String,
    pub article: Article,
    pub date: String,
}

/// The sheet of each article, in order. Ids are first made unique within each article
/// and against the store, then across the articles in their order, so the result does
/// not depend on which thread finished first. A statement of the store keeps its id
/// only when the same article reports it (the article extracted again).
pub fn propose_sheets(
    store: &CaseStore,
    articles: &[ArticleInput],
    overrides: &Overrides,
    directory: &Directory,
) -> Vec<Sheet> {
    let mut sheets: Vec<Sheet> = articles
        .par_iter()
        .map(|input| {
            let mut local = HashSet::new();
            super::propose(
                &input.name,
                &input.article,
                input.date.clone(),
                overrides,
                directory,
                &mut |id, document| {
                    !local.contains(id)
                        && !other_articles_statement(store, &statement_iri(id), document)
                        && local.insert(id.to_string())
                },
            )
        })
        .collect();
    let mut taken = HashSet::new();
    for sheet in &mut sheets {
        let mine: HashSet<String> = sheet.statements.iter().map(|s| s.id.clone()).collect();
        let document = sheet.article.document.clone();
        for statement in &mut sheet.statements {
            if taken.insert(statement.id.clone()) {
                continue;
            }
            let base = statement.id.clone();
            let mut n = 2;
            loop {
                let id = format!("{base}-{n}");
                if !taken.contains(&id)
                    && !mine.contains(&id)
                    && !other_articles_statement(store, &statement_iri(&id), &document)
                {
                    taken.insert(id.clone());
                    statement.id = id;
                    break;
                }
                n += 1;
            }
        }
    }
    sheets
}

fn statement_iri(id: &str) -> String {
    format!("{}statement/{id}", vocab::ID)
}

/// Whether the store already has a statement of this IRI that another article
/// reports (the same article extracted again keeps its ids).
fn other_articles_statement(store: &CaseStore, iri: &str, document: &str) -> bool {
    let (Ok(node), Some(document)) = (
        NamedNode::new(iri),
        vocab::expand(document).and_then(|d| NamedNode::new(d).ok()),
    ) else {
        return false;
    };
    let any = |found: Result<crate::store::Quads<'_>>| {
        found.is_ok_and(|mut quads| quads.next().is_some())
    };
    let exists = any(store.quads(Some(node.as_ref().into()), None, None, None));
    let ours = any(store.quads(
        Some(node.as_ref().into()),
        Some(vocab::cg::REPORTED_IN),
        Some(document.as_ref().into()),
        None,
    ));
    exists && !ours
}

/// The formats a sheet is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SheetFormat {
    /// The review sheet, for `import`.
    #[value(alias = "yml")]
    Yaml,
    /// The same sheet as JSON.
    Json,
    /// RDF ready to `load`.
    #[value(alias = "ttl")]
    Turtle,
}

impl SheetFormat {
    pub fn extension(self) -> &'static str {
        match self {
            SheetFormat::Yaml => "yaml",
            SheetFormat::Json => "json",
            SheetFormat::Turtle => "ttl",
        }
    }
}

/// A sheet in the format asked for.
pub fn render(sheet: &Sheet, format: SheetFormat) -> Result<String> {
    match format {
        SheetFormat::Yaml => sheet::to_yaml(sheet),
        SheetFormat::Json => serde_json::to_string_pretty(sheet)
            .map(|s| s + "\n")
            .map_err(|e| Error::Internal(format!("writing the sheet: {e}"))),
        SheetFormat::Turtle => {
            let quads = rdf::quads(sheet, GraphName::DefaultGraph).map_err(|e| {
                Error::Internal(format!(
                    "the proposals do not make RDF: {}: {}",
                    e.field, e.message
                ))
            })?;
            let mut out = Vec::new();
            let mut writer = crate::output::rdf_serializer(RdfFormat::Turtle).for_writer(&mut out);
            for quad in &quads {
                writer
                    .serialize_triple(quad.as_ref())
                    .map_err(|e| Error::Internal(e.to_string()))?;
            }
            writer
                .finish()
                .map_err(|e| Error::Internal(e.to_string()))?;
            String::from_utf8(out).map_err(|e| Error::Internal(e.to_string()))
        }
    }
}
