//! `credgraph export`: the whole store, one graph, or the derived graphs, in any
//! RDF syntax, to a file (written whole or not at all) or standard output.

use crate::error::{Error, Result};
use crate::formats::{self, RDF_FORMAT_NAMES};
use crate::output::rdf_serializer;
use crate::store::CaseStore;
use crate::vocab;
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, QuadRef, TripleRef};
use std::io::Write;
use std::path::Path;

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every graph, named and default.
    All,
    /// One graph.
    Graph(GraphName),
    /// The derived and scores graphs together.
    Computed,
}

impl Scope {
    /// `all`, `default`, `ontology`, `derived`, `scores`, `computed`, a prefixed
    /// name or an IRI.
    pub fn parse(value: &str) -> Result<Self> {
        Ok(match value {
            "all" => Scope::All,
            "computed" => Scope::Computed,
            "default" => Scope::Graph(GraphName::DefaultGraph),
            "ontology" => Scope::Graph(named(vocab::graph::ONTOLOGY)),
            "derived" => Scope::Graph(named(vocab::graph::DERIVED)),
            "scores" => Scope::Graph(named(vocab::graph::SCORES)),
            other => {
                let iri = crate::resolve::expand_iri(other);
                Scope::Graph(GraphName::NamedNode(NamedNode::new(iri).map_err(|e| {
                    Error::invalid(format!(
                        "not a graph name (all, default, ontology, derived, scores, computed, or an IRI): {e}"
                    ))
                })?))
            }
        })
    }
}

fn named(iri: &str) -> GraphName {
    GraphName::NamedNode(NamedNode::new_unchecked(iri))
}

/// The format to write: `--format`, else the output file's extension, else TriG
/// for several graphs and Turtle for one.
pub fn choose_format(
    format: Option<RdfFormat>,
    output: Option<&Path>,
    scope: &Scope,
) -> Result<RdfFormat> {
    if let Some(format) = format {
        return Ok(format);
    }
    if let Some(path) = output {
        let (format, _) = formats::rdf_format_of_path(path);
        return format.ok_or_else(|| {
            Error::invalid(format!(
                "{}: cannot tell the RDF format from the file name; give --format ({RDF_FORMAT_NAMES})",
                path.display()
            ))
        });
    }
    Ok(match scope {
        Scope::Graph(_) => RdfFormat::Turtle,
        Scope::All | Scope::Computed => RdfFormat::TriG,
    })
}

/// Writes the scope in `format`; returns how many quads were written.
pub fn export(
    store: &CaseStore,
    scope: &Scope,
    format: RdfFormat,
    out: &mut dyn Write,
) -> Result<usize> {
    let graphs: Option<Vec<GraphName>> = match scope {
        // An engine's own graphs (Virtuoso's system graphs) are left out.
        Scope::All if store.is_remote() => Some(
            store
                .named_graphs()?
                .into_iter()
                .map(GraphName::NamedNode)
                .collect(),
        ),
        Scope::All => None,
        Scope::Graph(graph) => Some(vec![graph.clone()]),
        Scope::Computed => Some(vec![
            named(vocab::graph::DERIVED),
            named(vocab::graph::SCORES),
        ]),
    };
    let several = matches!(scope, Scope::All) || graphs.as_ref().is_none_or(|g| g.len() > 1);
    if several && !formats::holds_datasets(format) {
        return Err(Error::invalid(format!(
            "{format} holds a single graph; export several graphs as TriG or N-Quads (--format trig or nq), or pick one with --graph"
        )));
    }
    if let Some(graphs) = &graphs {
        for graph in graphs {
            if let GraphName::NamedNode(node) = graph {
                if graphs.len() == 1 && !store.graph_exists(node.as_ref())? {
                    return Err(Error::invalid(format!(
                        "the store has no graph <{}>; `credgraph query 'SELECT ?g {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g'` lists them",
                        node.as_str()
                    )));
                }
            }
        }
    }
    let io = Error::Output;
    let mut serializer = rdf_serializer(format).for_writer(out);
    let mut count = 0;
    let mut write_graph = |graph: Option<GraphNameRef<'_>>| -> Result<()> {
        for quad in store.quads(None, None, None, graph)? {
            let quad = quad?;
            if several {
                serializer.serialize_quad(&quad).map_err(io)?;
            } else {
                let quad = QuadRef::from(&quad);
                serializer
                    .serialize_triple(TripleRef::new(quad.subject, quad.predicate, quad.object))
                    .map_err(io)?;
            }
            count += 1;
        }
        Ok(())
    };
    match &graphs {
        None => write_graph(None)?,
        Some(graphs) => {
            for graph in graphs {
                write_graph(Some(graph.as_ref()))?;
            }
        }
    }
    serializer.finish().map_err(io)?;
    Ok(count)
}

/// Exports to a file, written whole or not at all (gzipped when it ends in `.gz`).
pub fn export_to_file(
    store: &CaseStore,
    scope: &Scope,
    format: RdfFormat,
    path: &Path,
) -> Result<usize> {
    crate::files::write_whole(path, |out| export(store, scope, format, out))
}
