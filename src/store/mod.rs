//! The case store: embedded Oxigraph on disk (RocksDB) or in memory, with the
//! ontology in its own graph and SPARQL that sees the union of all graphs.

use crate::error::{sparql_syntax, Error, Result};
use crate::journal::{Journal, JournalFile, Touched};
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedNodeRef, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The ontology, as shipped in `ontology/credgraph.ttl`.
pub const ONTOLOGY_TTL: &str = include_str!("../ontology/credgraph.ttl");

/// Where a store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Disk(PathBuf),
    Memory,
}

/// An open case store.
pub struct CaseStore {
    store: Store,
    location: Location,
    journal: Option<JournalFile>,
}

impl CaseStore {
    /// Opens the store at `path`, creating it (with the ontology) if it does not
    /// exist. Fails with [`Error::StoreLocked`] when another process holds it.
    pub fn open(path: &Path) -> Result<Self> {
        if path.exists() && !path.is_dir() {
            return Err(Error::invalid(format!(
                "{} is a file, not a store directory; give --db a directory",
                path.display()
            )));
        }
        std::fs::create_dir_all(path).map_err(|e| Error::file(path, e))?;
        let store = Store::open(path).map_err(|error| {
            let message = error.to_string();
            if message.contains("lock") || message.contains("Resource temporarily unavailable") {
                Error::StoreLocked {
                    path: path.to_path_buf(),
                }
            } else {
                Error::Internal(format!(
                    "cannot open the store at {}: {message}",
                    path.display()
                ))
            }
        })?;
        let case = CaseStore {
            store,
            location: Location::Disk(path.to_path_buf()),
            journal: Some(JournalFile::in_store(path)),
        };
        case.install_ontology()?;
        Ok(case)
    }

    /// A new store that lives in memory and disappears with the process.
    pub fn in_memory() -> Result<Self> {
        let case = CaseStore {
            store: Store::new()?,
            location: Location::Memory,
            journal: None,
        };
        case.install_ontology()?;
        Ok(case)
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The underlying Oxigraph store, for bulk work the wrappers here do not cover.
    /// Writes through it go inside [`Self::record`].
    pub fn oxigraph(&self) -> &Store {
        &self.store
    }

    /// Runs a write, noting in the store's journal which graphs it touched (see
    /// [`crate::journal`]); a store in memory keeps no journal. Not to be nested.
    pub fn record<T>(&self, write: impl FnOnce(&mut Touched) -> Result<T>) -> Result<T> {
        match &self.journal {
            Some(journal) => journal.record(write),
            None => write(&mut Touched::default()),
        }
    }

    /// The journal of a store on disk.
    pub fn journal(&self) -> Result<Option<Journal>> {
        self.journal.as_ref().map(JournalFile::read).transpose()
    }

    /// Makes the ontology graph hold exactly the shipped ontology, replacing an
    /// older version in one transaction.
    fn install_ontology(&self) -> Result<()> {
        let graph = NamedNodeRef::new_unchecked(vocab::graph::ONTOLOGY);
        let shipped = ontology_quads()?;
        let stored: HashSet<Quad> = self
            .store
            .quads_for_pattern(None, None, None, Some(graph.into()))
            .collect::<Result<_, _>>()?;
        if stored == shipped {
            return Ok(());
        }
        self.record(|touched| {
            touched.graph(&graph.into_owned().into());
            let mut transaction = self.store.start_transaction()?;
            transaction.clear_graph(graph)?;
            for quad in &shipped {
                transaction.insert(quad);
            }
            transaction.commit()?;
            Ok(())
        })
    }

    /// Parses a query with the prefixes of [`vocab::PREFIXES`] predeclared.
    pub fn parse_query(&self, text: &str) -> Result<oxigraph::sparql::PreparedSparqlQuery> {
        let mut prepared = evaluator()
            .parse_query(text)
            .map_err(|e| sparql_syntax("query", text, &e))?;
        prepared.dataset_mut().set_default_graph_as_union();
        Ok(prepared)
    }

    /// Runs a query over the union of all graphs.
    pub fn query(&self, text: &str) -> Result<QueryResults<'static>> {
        Ok(self.parse_query(text)?.on_store(&self.store).execute()?)
    }

    /// Runs a query whose default graph is one graph of the store.
    pub fn query_graph(&self, text: &str, graph: &GraphName) -> Result<QueryResults<'static>> {
        let mut prepared = evaluator()
            .parse_query(text)
            .map_err(|e| sparql_syntax("query", text, &e))?;
        prepared
            .dataset_mut()
            .set_default_graph(vec![graph.clone()]);
        Ok(prepared.on_store(&self.store).execute()?)
    }

    /// Runs a SPARQL update whose WHERE clauses see the union of all graphs; it may
    /// touch any graph.
    pub fn update(&self, text: &str) -> Result<()> {
        self.record(|touched| {
            touched.everything();
            self.update_unrecorded(text)
        })
    }

    /// [`Self::update`] inside a write that records what it touches itself.
    pub(crate) fn update_unrecorded(&self, text: &str) -> Result<()> {
        let mut prepared = evaluator()
            .parse_update(text)
            .map_err(|e| sparql_syntax("update", text, &e))?;
        for dataset in prepared.using_datasets_mut() {
            if dataset.is_default_dataset() {
                dataset.set_default_graph_as_union();
            }
        }
        prepared.on_store(&self.store).execute()?;
        Ok(())
    }

    /// Whether a named graph holds anything.
    pub fn graph_exists(&self, graph: NamedNodeRef<'_>) -> Result<bool> {
        Ok(self.store.contains_named_graph(graph)?
            && self
                .store
                .quads_for_pattern(None, None, None, Some(graph.into()))
                .next()
                .is_some())
    }

    /// Number of quads in one graph.
    pub fn graph_len(&self, graph: GraphNameRef<'_>) -> Result<usize> {
        let mut count = 0;
        for quad in self.store.quads_for_pattern(None, None, None, Some(graph)) {
            quad?;
            count += 1;
        }
        Ok(count)
    }

    /// Removes a named graph and its content.
    ///
    /// Oxigraph removes a graph in one transaction that re-reads the graph through
    /// its own pending deletions, which takes time growing with the square of the
    /// graph's size; a derived graph of millions of triples took minutes and
    /// gigabytes. Here one snapshot is read once and deleted in batches, each its
    /// own transaction: linear and bounded, at the price of atomicity, which a
    /// graph that `reason` rebuilds does not need.
    pub fn drop_graph(&self, graph: NamedNodeRef<'_>) -> Result<()> {
        const BATCH: usize = 100_000;
        let mut batch = Vec::with_capacity(BATCH);
        for quad in self
            .store
            .quads_for_pattern(None, None, None, Some(graph.into()))
        {
            batch.push(quad?);
            if batch.len() == BATCH {
                self.remove_quads(&batch)?;
                batch.clear();
            }
        }
        self.remove_quads(&batch)?;
        self.store.remove_named_graph(graph)?;
        Ok(())
    }

    /// Removes quads in one transaction.
    pub fn remove_quads(&self, quads: &[Quad]) -> Result<()> {
        let mut transaction = self.store.start_transaction()?;
        for quad in quads {
            transaction.remove(quad);
        }
        transaction.commit()?;
        Ok(())
    }

    /// The named graphs, sorted.
    pub fn named_graphs(&self) -> Result<Vec<NamedNode>> {
        let mut graphs = Vec::new();
        for graph in self.store.named_graphs() {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(node) = graph? {
                graphs.push(node);
            }
        }
        graphs.sort();
        Ok(graphs)
    }

    /// The first two columns of a SELECT where both are IRIs (other rows skipped).
    pub fn select_pairs(&self, query: &str) -> Result<Vec<(NamedNode, NamedNode)>> {
        let QueryResults::Solutions(solutions) = self.query(query)? else {
            return Err(Error::Internal("a SELECT gave no solutions".into()));
        };
        let mut pairs = Vec::new();
        for solution in solutions {
            let solution = solution?;
            if let (Some(Term::NamedNode(s)), Some(Term::NamedNode(o))) =
                (solution.get(0), solution.get(1))
            {
                pairs.push((s.clone(), o.clone()));
            }
        }
        Ok(pairs)
    }

    /// The first column of a SELECT where it is an IRI.
    pub fn select_iris(&self, query: &str) -> Result<Vec<NamedNode>> {
        let QueryResults::Solutions(solutions) = self.query(query)? else {
            return Err(Error::Internal("a SELECT gave no solutions".into()));
        };
        let mut iris = Vec::new();
        for solution in solutions {
            if let Some(Term::NamedNode(s)) = solution?.get(0) {
                iris.push(s.clone());
            }
        }
        Ok(iris)
    }

    /// Writes quads all at once: graphs in `replace` are emptied first. Nothing is
    /// visible until everything is written; with nothing to replace, Oxigraph's
    /// bulk loader does the writing.
    pub fn write_graphs(
        &self,
        replace: &[NamedNode],
        quads: impl IntoIterator<Item = Quad>,
    ) -> Result<()> {
        self.record(|touched| {
            for graph in replace {
                touched.graph(&graph.clone().into());
            }
            self.write_graphs_unrecorded(
                replace,
                quads
                    .into_iter()
                    .inspect(|quad| touched.graph(&quad.graph_name)),
            )
        })
    }

    fn write_graphs_unrecorded(
        &self,
        replace: &[NamedNode],
        quads: impl IntoIterator<Item = Quad>,
    ) -> Result<()> {
        let mut existing = Vec::new();
        for graph in replace {
            if self.graph_exists(graph.as_ref())? {
                existing.push(graph);
            }
        }
        if existing.is_empty() {
            let mut loader = self.store.bulk_loader();
            loader.load_quads(quads)?;
            loader.commit()?;
            return Ok(());
        }
        let mut transaction = self.store.start_transaction()?;
        for graph in existing {
            transaction.clear_graph(graph)?;
        }
        for quad in quads {
            transaction.insert(&quad);
        }
        transaction.commit()?;
        Ok(())
    }

    /// Whether the store holds any statement.
    pub fn has_statements(&self) -> Result<bool> {
        Ok(self
            .store
            .quads_for_pattern(None, Some(vocab::cg::STATED_BY), None, None)
            .next()
            .transpose()?
            .is_some())
    }
}

/// The SPARQL evaluator every query and update goes through, with our prefixes
/// predeclared. Oxigraph is built without its `http-client` feature, so it has no
/// SERVICE handler and no query can make the process fetch a URL.
pub fn evaluator() -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new();
    for (prefix, namespace) in vocab::PREFIXES {
        evaluator = evaluator
            .with_prefix(*prefix, *namespace)
            .expect("the built-in prefixes are valid IRIs");
    }
    evaluator
}

/// The shipped ontology as quads of the ontology graph.
pub fn ontology_quads() -> Result<HashSet<Quad>> {
    let graph = NamedNode::new_unchecked(vocab::graph::ONTOLOGY);
    RdfParser::from_format(RdfFormat::Turtle)
        .with_default_graph(GraphName::NamedNode(graph))
        .for_slice(ONTOLOGY_TTL.as_bytes())
        .map(|quad| {
            quad.map_err(|e| Error::Internal(format!("the shipped ontology does not parse: {e}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_holds_the_ontology_and_nothing_else() {
        let store = CaseStore::in_memory().unwrap();
        let ontology = NamedNodeRef::new_unchecked(vocab::graph::ONTOLOGY);
        assert!(store.graph_exists(ontology).unwrap());
        assert_eq!(store.named_graphs().unwrap(), vec![ontology.into_owned()]);
        assert!(!store.has_statements().unwrap());
    }

    #[test]
    fn the_ontology_has_no_blank_nodes_so_reinstalling_and_reloading_is_idempotent() {
        for quad in ontology_quads().unwrap() {
            assert!(!quad.subject.is_blank_node(), "{quad}");
            assert!(!quad.object.is_blank_node(), "{quad}");
        }
    }

    #[test]
    fn queries_see_the_union_of_graphs_and_know_our_prefixes() {
        let store = CaseStore::in_memory().unwrap();
        let QueryResults::Boolean(found) = store.query("ASK { cg:Statement a owl:Class }").unwrap()
        else {
            panic!("ASK gives a boolean")
        };
        assert!(found);
    }

    #[test]
    fn a_store_on_disk_is_locked_against_a_second_opener() {
        let dir = tempfile::tempdir().unwrap();
        let _first = CaseStore::open(dir.path()).unwrap();
        // RocksDB locks per process too, so a second open here is refused as well.
        match CaseStore::open(dir.path()) {
            Err(Error::StoreLocked { .. }) => {}
            Err(other) => panic!("expected a locked store, got {other}"),
            Ok(_) => panic!("expected a locked store"),
        }
    }
}
