//! The case store: embedded Oxigraph on disk (RocksDB) or in memory, or a remote
//! SPARQL 1.1 engine ([`remote`]), with the ontology in its own graph and SPARQL
//! that sees the union of all graphs. Commands go through [`CaseStore`] and work
//! the same on either; the few that need the embedded store say so.

pub mod federation;
pub mod remote;
mod rewrite;

pub(crate) use rewrite::Rewrite;

use crate::error::{sparql_syntax, Error, Result};
use crate::journal::{Journal, JournalFile, Touched};
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef,
    Triple,
};
use oxigraph::sparql::{QueryResults, SparqlEvaluator, Variable};
use oxigraph::store::Store;
use remote::{EndpointConfig, Remote};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The ontology, as shipped in `ontology/credgraph.ttl`.
pub const ONTOLOGY_TTL: &str = include_str!("../../ontology/credgraph.ttl");

/// Where a store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Disk(PathBuf),
    Memory,
    /// A remote engine, by its query URL.
    Remote(String),
}

/// Where the quads are.
enum Backend {
    Embedded(Store),
    Remote(Box<Remote>),
}

/// An open case store.
pub struct CaseStore {
    backend: Backend,
    location: Location,
    journal: Option<JournalFile>,
}

/// Quads, as a store hands them out.
pub type Quads<'a> = Box<dyn Iterator<Item = Result<Quad>> + 'a>;

/// The memory the bulk loader may use to write derived and computed graphs.
const BULK_MEMORY_MB: usize = 512;

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
            backend: Backend::Embedded(store),
            location: Location::Disk(path.to_path_buf()),
            journal: Some(JournalFile::in_store(path)),
        };
        remove_bulk_leftovers(path)?;
        if case.recover_rewrite()? {
            eprintln!(
                "note: a rewrite of graphs (reason, score or load) in {} was interrupted; its graphs are back as they were before it",
                path.display()
            );
        }
        case.install_ontology()?;
        Ok(case)
    }

    /// A new store that lives in memory and disappears with the process.
    pub fn in_memory() -> Result<Self> {
        let case = CaseStore {
            backend: Backend::Embedded(Store::new()?),
            location: Location::Memory,
            journal: None,
        };
        case.install_ontology()?;
        Ok(case)
    }

    /// A remote SPARQL 1.1 engine. Installs the ontology there when it is missing or
    /// old, and checks that the engine's default graph is the union of its named
    /// graphs, which the rules and named queries need.
    pub fn remote(config: EndpointConfig) -> Result<Self> {
        let url = config.query.clone();
        let case = CaseStore {
            backend: Backend::Remote(Box::new(Remote::new(config)?)),
            location: Location::Remote(url.clone()),
            journal: None,
        };
        case.install_ontology()?;
        let QueryResults::Boolean(union) = case.query("ASK { cg:Statement a owl:Class }")? else {
            return Err(Error::Internal("an ASK gave no boolean".into()));
        };
        if !union {
            return Err(Error::Endpoint(format!(
                "{url}: the engine's default graph is not the union of its named graphs, which credgraph's rules and queries need (Oxigraph: `oxigraph serve --union-default-graph`; Fuseki: unionDefaultGraph true; Virtuoso and GraphDB do so by default)"
            )));
        }
        Ok(case)
    }

    /// The engine, when the store is remote.
    pub fn remote_engine(&self) -> Option<&Remote> {
        match &self.backend {
            Backend::Remote(remote) => Some(remote),
            Backend::Embedded(_) => None,
        }
    }

    pub fn is_remote(&self) -> bool {
        self.remote_engine().is_some()
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The underlying Oxigraph store, for work the wrappers here do not cover; a
    /// remote store refuses, naming `what` needs the embedded store. Writes through
    /// it go inside [`Self::record`].
    pub fn oxigraph(&self, what: &str) -> Result<&Store> {
        match &self.backend {
            Backend::Embedded(store) => Ok(store),
            Backend::Remote(remote) => Err(Error::invalid(format!(
                "{what} works on the embedded store only, not against the engine at {} (drop --endpoint/--profile)",
                remote.config().query
            ))),
        }
    }

    /// The quads matching a pattern. On an engine, `GraphName::DefaultGraph` matches
    /// nothing: its default graph is the union of the named ones.
    pub fn quads(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Result<Quads<'_>> {
        match &self.backend {
            Backend::Embedded(store) => Ok(Box::new(
                store
                    .quads_for_pattern(subject, predicate, object, graph)
                    .map(|quad| quad.map_err(Error::from)),
            )),
            Backend::Remote(remote) => {
                let graph = match graph {
                    Some(GraphNameRef::DefaultGraph) => return Ok(Box::new(std::iter::empty())),
                    Some(GraphNameRef::NamedNode(g)) => Some(g.into_owned()),
                    Some(GraphNameRef::BlankNode(_)) => return Ok(Box::new(std::iter::empty())),
                    None => None,
                };
                let pattern = quad_pattern(
                    subject,
                    predicate,
                    object,
                    graph.as_ref().map(|g| g.as_ref()),
                );
                let variables: Vec<Variable> = [
                    (graph.is_none(), "g"),
                    (subject.is_none(), "s"),
                    (predicate.is_none(), "p"),
                    (object.is_none(), "o"),
                ]
                .into_iter()
                .filter(|(free, _)| *free)
                .map(|(_, name)| Variable::new_unchecked(name))
                .collect();
                let results = if graph.is_some() && subject.is_none() {
                    // One graph's subjects are IRIs (credgraph writes no blank node
                    // to an engine): read in parts by a hash of the subject.
                    remote.scan(&pattern, &variables, None)?
                } else {
                    let query = format!("SELECT * WHERE {{ {pattern} }}");
                    remote.query(&query, remote::Form::Select(Some((&query, &variables))))?
                };
                let quads = remote::rows_to_quads(
                    results,
                    graph.as_ref(),
                    subject.map(|s| s.into_owned()),
                    predicate.map(|p| p.into_owned()),
                    object.map(|o| o.into_owned()),
                )?;
                Ok(Box::new(quads.into_iter().map(Ok)))
            }
        }
    }

    /// How many quads match a pattern (counted by the engine when remote).
    pub fn count_quads(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Result<usize> {
        if let (Backend::Remote(_), Some(GraphNameRef::NamedNode(_)) | None) =
            (&self.backend, graph)
        {
            let graph = match graph {
                Some(GraphNameRef::NamedNode(g)) => Some(g),
                _ => None,
            };
            let query = format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ {} }}",
                quad_pattern(subject, predicate, object, graph)
            );
            let QueryResults::Solutions(mut solutions) = self.query(&query)? else {
                return Err(Error::Internal("a SELECT gave no solutions".into()));
            };
            return Ok(
                match solutions
                    .next()
                    .transpose()?
                    .as_ref()
                    .and_then(|s| s.get(0))
                {
                    Some(Term::Literal(n)) => n.value().parse().unwrap_or(0),
                    _ => 0,
                },
            );
        }
        let mut count = 0;
        for quad in self.quads(subject, predicate, object, graph)? {
            quad?;
            count += 1;
        }
        Ok(count)
    }

    /// Adds quads with no transaction around them (Oxigraph's bulk loader; on an
    /// engine, chunks per graph), for graphs that are rebuilt from scratch and
    /// dropped again when the work fails. Returns how many were written.
    pub fn bulk_insert(&self, quads: impl IntoIterator<Item = Quad>) -> Result<u64> {
        match &self.backend {
            Backend::Embedded(store) => {
                let mut count = 0;
                // Oxigraph's default aims at 2 GB a thread; derived graphs of
                // millions of triples go in well within less.
                let mut loader = store
                    .bulk_loader()
                    .with_max_memory_size_in_megabytes(BULK_MEMORY_MB);
                loader.load_quads(quads.into_iter().inspect(|_| count += 1))?;
                loader.commit()?;
                Ok(count)
            }
            Backend::Remote(remote) => {
                let chunk = remote.config().chunk.max(1);
                let mut pending: BTreeMap<NamedNode, Vec<Triple>> = BTreeMap::new();
                let mut count = 0;
                for quad in quads {
                    let GraphName::NamedNode(graph) = quad.graph_name.clone() else {
                        return Err(Error::Internal(
                            "a write to an engine must name its graph".into(),
                        ));
                    };
                    let triples = pending.entry(graph.clone()).or_default();
                    triples.push(Triple::from(quad));
                    count += 1;
                    if triples.len() >= chunk {
                        remote.insert(&graph, triples)?;
                        triples.clear();
                    }
                }
                for (graph, triples) in &pending {
                    if !triples.is_empty() {
                        remote.insert(graph, triples)?;
                    }
                }
                Ok(count)
            }
        }
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
    /// older version in one write.
    fn install_ontology(&self) -> Result<()> {
        let graph = NamedNodeRef::new_unchecked(vocab::graph::ONTOLOGY);
        let shipped = ontology_quads()?;
        let stored: HashSet<Quad> = self
            .quads(None, None, None, Some(graph.into()))?
            .collect::<Result<_>>()?;
        if stored == shipped {
            return Ok(());
        }
        self.write_graphs(&[graph.into_owned()], shipped)
    }

    /// Parses a query with the prefixes of [`vocab::PREFIXES`] predeclared.
    pub fn parse_query(&self, text: &str) -> Result<oxigraph::sparql::PreparedSparqlQuery> {
        let mut prepared = evaluator().for_query(parse_local_query(text)?);
        prepared.dataset_mut().set_default_graph_as_union();
        Ok(prepared)
    }

    /// Runs a query over the union of all graphs.
    pub fn query(&self, text: &str) -> Result<QueryResults<'static>> {
        match &self.backend {
            Backend::Embedded(store) => Ok(self.parse_query(text)?.on_store(store).execute()?),
            Backend::Remote(remote) => remote_query(remote, text, None),
        }
    }

    /// Runs a query whose default graph is one graph of the store.
    pub fn query_graph(&self, text: &str, graph: &GraphName) -> Result<QueryResults<'static>> {
        match &self.backend {
            Backend::Embedded(store) => {
                let mut prepared = evaluator().for_query(parse_local_query(text)?);
                prepared
                    .dataset_mut()
                    .set_default_graph(vec![graph.clone()]);
                Ok(prepared.on_store(store).execute()?)
            }
            Backend::Remote(remote) => {
                let GraphName::NamedNode(graph) = graph else {
                    return Err(Error::invalid(
                        "an engine's default graph is the union of its graphs; name a graph",
                    ));
                };
                remote_query(remote, text, Some(graph))
            }
        }
    }

    /// Runs a SPARQL update whose WHERE clauses see the union of all graphs; it may
    /// touch any graph.
    pub fn update(&self, text: &str) -> Result<()> {
        self.record(|touched| {
            // Recorded as writing the graphs it names, so that `reason` and `score`
            // need re-read only those; an update that may write graphs it does not
            // name may have changed any.
            // (Too deep a text is refused before it is parsed, below.)
            let parsed = crate::nesting::check(text, "update")
                .ok()
                .and_then(|()| parser().parse_update(text).ok());
            match parsed.as_ref().and_then(graphs_written) {
                Some(graphs) => {
                    for graph in graphs {
                        touched.graph(&graph);
                    }
                }
                None => touched.everything(),
            }
            self.update_unrecorded(text)
        })
    }

    /// [`Self::update`] inside a write that records what it touches itself.
    pub(crate) fn update_unrecorded(&self, text: &str) -> Result<()> {
        match &self.backend {
            Backend::Embedded(store) => {
                crate::nesting::check(text, "update").map_err(Error::invalid)?;
                let parsed = parser()
                    .parse_update(text)
                    .map_err(|e| sparql_syntax("update", text, &e))?;
                federation::check_update(&parsed).map_err(Error::invalid)?;
                let mut prepared = evaluator().for_update(parsed);
                for dataset in prepared.using_datasets_mut() {
                    if dataset.is_default_dataset() {
                        dataset.set_default_graph_as_union();
                    }
                }
                prepared.on_store(store).execute()?;
                Ok(())
            }
            Backend::Remote(remote) => {
                // Checked here for the position of a syntax error; the engine gets
                // the text as written, after our prefixes.
                parser()
                    .parse_update(text)
                    .map_err(|e| sparql_syntax("update", text, &e))?;
                remote.update(&format!("{}{text}", vocab::sparql_prologue()))
            }
        }
    }

    /// Whether a named graph holds anything.
    pub fn graph_exists(&self, graph: NamedNodeRef<'_>) -> Result<bool> {
        match &self.backend {
            Backend::Embedded(store) => Ok(store.contains_named_graph(graph)?
                && store
                    .quads_for_pattern(None, None, None, Some(graph.into()))
                    .next()
                    .is_some()),
            Backend::Remote(_) => self.ask(&format!("ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}")),
        }
    }

    fn ask(&self, query: &str) -> Result<bool> {
        match self.query(query)? {
            QueryResults::Boolean(answer) => Ok(answer),
            _ => Err(Error::Internal("an ASK gave no boolean".into())),
        }
    }

    /// Number of quads in one graph.
    pub fn graph_len(&self, graph: GraphNameRef<'_>) -> Result<usize> {
        self.count_quads(None, None, None, Some(graph))
    }

    /// Removes a named graph and its content.
    ///
    /// Oxigraph removes a graph in one transaction that re-reads the graph through
    /// its own pending deletions, which takes time growing with the square of the
    /// graph's size; a derived graph of millions of triples took minutes and
    /// gigabytes. Here one snapshot is read once and deleted in batches, each its
    /// own transaction: linear and bounded, at the price of atomicity, which a
    /// graph that `reason` rebuilds does not need. An engine drops it itself.
    pub fn drop_graph(&self, graph: NamedNodeRef<'_>) -> Result<()> {
        let store = match &self.backend {
            Backend::Embedded(store) => store,
            Backend::Remote(remote) => return remote.update(&format!("DROP SILENT GRAPH {graph}")),
        };
        in_batches(
            store
                .quads_for_pattern(None, None, None, Some(graph.into()))
                .map(|quad| quad.map_err(Error::from)),
            100_000,
            |batch| self.remove_quads(batch),
        )?;
        store.remove_named_graph(graph)?;
        Ok(())
    }

    /// Removes quads: in one transaction, or on an engine in chunks per graph.
    pub fn remove_quads(&self, quads: &[Quad]) -> Result<()> {
        match &self.backend {
            Backend::Embedded(store) => {
                let mut transaction = store.start_transaction()?;
                for quad in quads {
                    transaction.remove(quad);
                }
                transaction.commit()?;
            }
            Backend::Remote(remote) => {
                let mut by_graph: BTreeMap<&NamedNode, Vec<Triple>> = BTreeMap::new();
                for quad in quads {
                    if let GraphName::NamedNode(graph) = &quad.graph_name {
                        by_graph
                            .entry(graph)
                            .or_default()
                            .push(Triple::from(quad.clone()));
                    }
                }
                for (graph, triples) in by_graph {
                    for chunk in triples.chunks(remote.config().chunk.max(1)) {
                        remote.delete(graph, chunk)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The named graphs, sorted (on an engine, those that hold a triple).
    pub fn named_graphs(&self) -> Result<Vec<NamedNode>> {
        let mut graphs = Vec::new();
        match &self.backend {
            Backend::Embedded(store) => {
                for graph in store.named_graphs() {
                    if let oxigraph::model::NamedOrBlankNode::NamedNode(node) = graph? {
                        graphs.push(node);
                    }
                }
            }
            Backend::Remote(_) => {
                // GROUP BY, not DISTINCT: Virtuoso 7.2 answers it from its index in
                // 0.2 s, where DISTINCT scanned 11 million quads for 3 minutes.
                graphs =
                    self.select_iris("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")?;
                graphs.retain(|g| !remote::is_engine_graph(g));
            }
        }
        graphs.sort();
        Ok(graphs)
    }

    /// The rows of a graph pattern, for the variables named, in one graph or the
    /// union of all. The first variable must be bound to an IRI or a literal in
    /// every row (a triple pattern's subject): on an engine that cuts answers,
    /// the rows are read in pages keyed by it ([`Remote::scan`]).
    pub fn scan(
        &self,
        pattern: &str,
        variables: &[&str],
        graph: Option<&GraphName>,
    ) -> Result<QueryResults<'static>> {
        let variables: Vec<Variable> = variables
            .iter()
            .map(|v| Variable::new(*v).map_err(|e| Error::Internal(e.to_string())))
            .collect::<Result<_>>()?;
        match (&self.backend, graph) {
            (Backend::Remote(remote), None) => remote.scan(pattern, &variables, None),
            (Backend::Remote(remote), Some(GraphName::NamedNode(graph))) => {
                remote.scan(pattern, &variables, Some(graph))
            }
            _ => {
                let projection: String = variables.iter().map(|v| format!(" {v}")).collect();
                let text = format!("SELECT{projection} WHERE {{ {pattern} }}");
                match graph {
                    None => self.query(&text),
                    Some(graph) => self.query_graph(&text, graph),
                }
            }
        }
    }

    /// The pairs of IRIs `?s ?o` of a graph pattern (other rows skipped), over the
    /// union of all graphs, read as [`Self::scan`] reads.
    pub fn scan_pairs(&self, pattern: &str) -> Result<Vec<(NamedNode, NamedNode)>> {
        let QueryResults::Solutions(solutions) = self.scan(pattern, &["s", "o"], None)? else {
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

    /// The IRIs `?s` of a graph pattern, read as [`Self::scan`] reads.
    pub fn scan_iris(&self, pattern: &str) -> Result<Vec<NamedNode>> {
        iris(self.scan(pattern, &["s"], None)?)
    }

    /// The first column of a SELECT where it is an IRI.
    pub fn select_iris(&self, query: &str) -> Result<Vec<NamedNode>> {
        iris(self.query(query)?)
    }

    /// Writes quads all at once: graphs in `replace` are emptied first. Nothing is
    /// visible until everything is written; with nothing to replace, Oxigraph's
    /// bulk loader does the writing. On an engine the quads are written into
    /// staging graphs first and moved into place by one update at the end; a
    /// failure on the way drops the staging graphs and leaves the store as it was.
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
        let store = match &self.backend {
            Backend::Embedded(store) => store,
            Backend::Remote(remote) => {
                return remote::write_staged(remote, replace, quads.into_iter().map(Ok))
            }
        };
        let mut existing = Vec::new();
        for graph in replace {
            if self.graph_exists(graph.as_ref())? {
                existing.push(graph);
            }
        }
        if existing.is_empty() {
            let mut loader = store.bulk_loader();
            loader.load_quads(quads)?;
            loader.commit()?;
            return Ok(());
        }
        let mut transaction = store.start_transaction()?;
        for graph in existing {
            transaction.clear_graph(graph)?;
        }
        for quad in quads {
            transaction.insert(&quad);
        }
        transaction.commit()?;
        Ok(())
    }

    /// Replaces graphs and takes quads out of others in one write: on the embedded
    /// store one transaction, so a crash leaves everything as it was or everything
    /// done. On an engine the removals go first, then the graphs are written staged
    /// as [`Self::write_graphs`] writes them.
    pub fn rewrite_graphs(
        &self,
        replace: &[NamedNode],
        remove: &[Quad],
        quads: Vec<Quad>,
    ) -> Result<()> {
        let store = match &self.backend {
            Backend::Embedded(store) => store,
            Backend::Remote(_) => {
                self.record(|touched| {
                    for quad in remove {
                        touched.graph(&quad.graph_name);
                    }
                    self.remove_quads(remove)
                })?;
                return self.write_graphs(replace, quads);
            }
        };
        self.record(|touched| {
            let mut transaction = store.start_transaction()?;
            for graph in replace {
                touched.graph(&graph.clone().into());
                if self.graph_exists(graph.as_ref())? {
                    transaction.clear_graph(graph)?;
                }
            }
            for quad in remove {
                touched.graph(&quad.graph_name);
                transaction.remove(quad);
            }
            for quad in &quads {
                touched.graph(&quad.graph_name);
                transaction.insert(quad);
            }
            transaction.commit()?;
            Ok(())
        })
    }

    /// Whether the store holds any statement.
    pub fn has_statements(&self) -> Result<bool> {
        Ok(self
            .quads(None, Some(vocab::cg::STATED_BY), None, None)?
            .next()
            .transpose()?
            .is_some())
    }
}

/// Hands quads to `work` in batches of `size` (the last one shorter).
pub(crate) fn in_batches(
    quads: impl Iterator<Item = Result<Quad>>,
    size: usize,
    mut work: impl FnMut(&[Quad]) -> Result<()>,
) -> Result<()> {
    let mut batch = Vec::with_capacity(size);
    for quad in quads {
        batch.push(quad?);
        if batch.len() == size {
            work(&batch)?;
            batch.clear();
        }
    }
    if batch.is_empty() {
        Ok(())
    } else {
        work(&batch)
    }
}

/// Removes the files a bulk load writes into the store folder before it adds them
/// to the database (`bulk-<random>.sst`), left behind by a bulk load that was
/// killed. Only a process that holds the store's lock calls this, so no bulk load
/// is running.
fn remove_bulk_leftovers(directory: &Path) -> Result<()> {
    let entries = std::fs::read_dir(directory).map_err(|e| Error::file(directory, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::file(directory, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("bulk-") && name.ends_with(".sst") {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|e| Error::file(&path, e))?;
        }
    }
    Ok(())
}

/// `GRAPH ?g { ?s ?p ?o }` with the parts given written as constants.
fn quad_pattern(
    subject: Option<NamedOrBlankNodeRef<'_>>,
    predicate: Option<NamedNodeRef<'_>>,
    object: Option<TermRef<'_>>,
    graph: Option<NamedNodeRef<'_>>,
) -> String {
    let term = |bound: Option<String>, var: &str| bound.unwrap_or_else(|| format!("?{var}"));
    format!(
        "GRAPH {} {{ {} {} {} }}",
        term(graph.map(|g| g.to_string()), "g"),
        term(subject.map(|s| s.to_string()), "s"),
        term(predicate.map(|p| p.to_string()), "p"),
        term(object.map(|o| o.to_string()), "o"),
    )
}

/// A query on an engine: parsed here for the position of a syntax error and its
/// form; the engine gets the text as written, after our prefixes. A graph given
/// goes as the protocol's `default-graph-uri`, so that the query can still be
/// paged.
fn remote_query(
    remote: &Remote,
    text: &str,
    graph: Option<&NamedNode>,
) -> Result<QueryResults<'static>> {
    let query = parse_for_engine(text)?;
    let variables = pageable_variables(&query);
    let full = format!("{}{text}", vocab::sparql_prologue());
    let form = match &query {
        spargebra::Query::Select { .. } => {
            remote::Form::Select(variables.as_deref().map(|v| (full.as_str(), v)))
        }
        spargebra::Query::Ask { .. } => remote::Form::Ask,
        _ => remote::Form::Graph,
    };
    remote.query_in(&full, form, graph)
}

/// The first column of a SELECT answer where it is an IRI.
fn iris(results: QueryResults<'static>) -> Result<Vec<NamedNode>> {
    let QueryResults::Solutions(solutions) = results else {
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

/// A query for the embedded store: not nested too deep, parsed with our
/// prefixes, and naming no SERVICE (see [`federation`]).
fn parse_local_query(text: &str) -> Result<spargebra::Query> {
    crate::nesting::check(text, "query").map_err(Error::invalid)?;
    let parsed = parser()
        .parse_query(text)
        .map_err(|e| sparql_syntax("query", text, &e))?;
    federation::check_query(&parsed).map_err(Error::invalid)?;
    Ok(parsed)
}

/// The graphs an update writes, when its text names every one (`INSERT DATA`,
/// `DELETE DATA`, `DROP GRAPH <g>`, templates inside `GRAPH <g>`); none when it may
/// write graphs it does not name (a template's graph is a variable, `DROP ALL`).
fn graphs_written(update: &spargebra::Update) -> Option<Vec<GraphName>> {
    use spargebra::algebra::GraphTarget;
    use spargebra::term::{GraphName as Name, GraphNamePattern};
    use spargebra::GraphUpdateOperation as Operation;
    let of_name = |name: &Name| match name {
        Name::NamedNode(node) => GraphName::NamedNode(node.clone()),
        Name::DefaultGraph => GraphName::DefaultGraph,
    };
    let of_pattern = |pattern: &GraphNamePattern| match pattern {
        GraphNamePattern::NamedNode(node) => Some(GraphName::NamedNode(node.clone())),
        GraphNamePattern::DefaultGraph => Some(GraphName::DefaultGraph),
        GraphNamePattern::Variable(_) => None,
    };
    let of_target = |target: &GraphTarget| match target {
        GraphTarget::NamedNode(node) => Some(GraphName::NamedNode(node.clone())),
        GraphTarget::DefaultGraph => Some(GraphName::DefaultGraph),
        GraphTarget::NamedGraphs | GraphTarget::AllGraphs => None,
    };
    let mut graphs = Vec::new();
    for operation in &update.operations {
        match operation {
            Operation::InsertData { data } => {
                graphs.extend(data.iter().map(|q| of_name(&q.graph_name)))
            }
            Operation::DeleteData { data } => {
                graphs.extend(data.iter().map(|q| of_name(&q.graph_name)))
            }
            Operation::DeleteInsert { delete, insert, .. } => {
                for graph in delete.iter().map(|q| of_pattern(&q.graph_name)) {
                    graphs.push(graph?);
                }
                for graph in insert.iter().map(|q| of_pattern(&q.graph_name)) {
                    graphs.push(graph?);
                }
            }
            Operation::Load { destination, .. } => graphs.push(of_name(destination)),
            Operation::Clear { graph, .. } | Operation::Drop { graph, .. } => {
                graphs.push(of_target(graph)?)
            }
            Operation::Create { graph, .. } => graphs.push(GraphName::NamedNode(graph.clone())),
        }
    }
    Some(graphs)
}

/// The SPARQL parser, with our prefixes predeclared.
fn parser() -> spargebra::SparqlParser {
    let mut parser = spargebra::SparqlParser::new();
    for (prefix, namespace) in vocab::PREFIXES {
        parser = parser
            .with_prefix(*prefix, *namespace)
            .expect("the built-in prefixes are valid IRIs");
    }
    parser
}

/// A query parsed here, so that a syntax error is reported with its position and
/// the engine receives full IRIs instead of our predeclared prefixes.
fn parse_for_engine(text: &str) -> Result<spargebra::Query> {
    parser()
        .parse_query(text)
        .map_err(|e| sparql_syntax("query", text, &e))
}

/// The variables of a SELECT that can be fetched in pages (as a subquery, which
/// may not carry FROM).
fn pageable_variables(query: &spargebra::Query) -> Option<Vec<Variable>> {
    use spargebra::algebra::GraphPattern;
    let spargebra::Query::Select {
        dataset: None,
        pattern,
        ..
    } = query
    else {
        return None;
    };
    let mut pattern = pattern;
    loop {
        match pattern {
            GraphPattern::Slice { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::OrderBy { inner, .. } => pattern = inner,
            GraphPattern::Project { variables, .. } => return Some(variables.clone()),
            _ => return None,
        }
    }
}

/// The SPARQL evaluator every query and update goes through, with our prefixes
/// predeclared. Oxigraph is built without its `http-client` feature, so it has no
/// SERVICE handler and no query can make the process fetch a URL; a query a user
/// writes is refused before it gets here if it names a SERVICE at all
/// ([`federation`]), so that SERVICE SILENT is not quietly an empty answer.
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
    fn an_update_is_recorded_as_writing_the_graphs_it_names() {
        let written = |text: &str| {
            graphs_written(&parser().parse_update(text).unwrap())
                .map(|graphs| graphs.iter().map(|g| g.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(
            written("DROP GRAPH <http://e/g>"),
            Some(vec!["<http://e/g>".to_string()])
        );
        assert_eq!(
            written("DELETE WHERE { GRAPH <http://e/g> { ?s ?p ?o } }"),
            Some(vec!["<http://e/g>".to_string()])
        );
        assert_eq!(
            written("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"),
            Some(vec!["<http://e/g>".to_string()])
        );
        assert_eq!(
            written("INSERT DATA { <http://e/s> <http://e/p> 1 }"),
            Some(vec!["DEFAULT".to_string()])
        );
        assert_eq!(written("DROP ALL"), None);
        assert_eq!(
            written("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }"),
            None
        );
    }

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
