//! Putting statements into the store: RDF files, claim tables, review sheets, the
//! tables of `match`, Wikidata's people, posts and organizations, and
//! fact-checkers' reviews (ClaimReview).

pub mod claim_review;
pub mod claims;
pub mod hierarchy;
pub mod match_tables;
pub mod ratings;
pub mod rdf;
pub mod sheet;
pub mod table;
pub mod wikidata;

use oxigraph::model::{GraphName, NamedNode};

/// Where the triples of a file go when the user names one graph for all of them
/// (`--graph`), instead of the graph named by each file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetGraph {
    /// The store's default graph.
    Default,
    /// One named graph for every file.
    Named(NamedNode),
}

impl TargetGraph {
    /// `default`, or an IRI (`<...>`, a full IRI, or one of our prefixed names).
    pub fn parse(value: &str) -> crate::Result<TargetGraph> {
        if value == "default" {
            return Ok(TargetGraph::Default);
        }
        NamedNode::new(crate::resolve::expand_iri(value))
            .map(TargetGraph::Named)
            .map_err(|e| {
                crate::Error::invalid(format!("not an IRI: {e}; give an IRI or `default`"))
            })
    }

    pub fn graph_name(&self) -> GraphName {
        match self {
            TargetGraph::Default => GraphName::DefaultGraph,
            TargetGraph::Named(graph) => GraphName::NamedNode(graph.clone()),
        }
    }
}
