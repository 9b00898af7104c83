//! `import --hierarchy FILE`: a hierarchy of values (child, parent rows) as
//! entailment between the store's propositions.
//!
//! For every question, each answer whose label names a value of the hierarchy
//! entails each answer to the same question whose label names one of its ancestors:
//! "born in Los Angeles" `cg:entails` "born in California". A statement of the first
//! then also claims the second when scored (see `credibility::case`). The triples go
//! into the hierarchy file's own graph, which importing the file again replaces.

use crate::credibility::related::hierarchy::{self, Hierarchy};
use crate::error::Result;
use crate::internal_queries::ANSWERS_WITH_LABELS;
use crate::store::CaseStore;
use crate::vocab::cg;
use oxigraph::model::{GraphName, NamedNode, Quad};
use rustc_hash::FxHashMap;
use std::path::Path;

/// What one hierarchy import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedHierarchy {
    pub graph: NamedNode,
    /// Entailments written.
    pub links: usize,
    /// Whether an earlier import of the file was replaced.
    pub replaced: bool,
}

/// Reads the hierarchy (an error names its line) and writes the entailments it
/// implies between the store's answers, replacing the file's earlier import.
pub fn import(store: &CaseStore, path: &Path) -> Result<ImportedHierarchy> {
    let tree = Hierarchy::read(path)?;
    let graph = super::rdf::file_graph(path)?;
    // Per question, its answers by the key of their label.
    let mut answers: FxHashMap<String, FxHashMap<String, Vec<String>>> = FxHashMap::default();
    for row in ANSWERS_WITH_LABELS.rows(store, &[], 3)? {
        if let [Some(proposition), Some(question), Some(label)] = &row[..] {
            answers
                .entry(question.clone())
                .or_default()
                .entry(hierarchy::key(label))
                .or_default()
                .push(proposition.clone());
        }
    }
    let mut quads = Vec::new();
    let mut questions: Vec<&String> = answers.keys().collect();
    questions.sort();
    for question in questions {
        let by_key = &answers[question];
        let mut keys: Vec<&String> = by_key.keys().collect();
        keys.sort();
        for key in keys {
            for ancestor in tree.ancestors(key) {
                let Some(above) = by_key.get(ancestor) else {
                    continue;
                };
                for child in &by_key[key] {
                    for parent in above {
                        quads.push(Quad::new(
                            NamedNode::new_unchecked(child.as_str()),
                            cg::ENTAILS.into_owned(),
                            NamedNode::new_unchecked(parent.as_str()),
                            GraphName::NamedNode(graph.clone()),
                        ));
                    }
                }
            }
        }
    }
    let replaced = store.graph_exists(graph.as_ref())?;
    let links = quads.len();
    store.write_graphs(std::slice::from_ref(&graph), quads)?;
    Ok(ImportedHierarchy {
        graph,
        links,
        replaced,
    })
}
