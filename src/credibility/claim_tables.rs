//! The triples that make claims, read from the store graph by graph.
//!
//! Each table is one pattern of a graph (statements' sources, propositions,
//! polarities and certainties; answers; entailment; question labels; dependence;
//! resolutions). A store on disk keeps the tables in a cache file beside its
//! database with the journal counter they were read at (see [`crate::journal`]);
//! the next read takes from the cache every graph the journal says is unchanged and
//! asks the store only for the rest. Adding a file of statements and scoring again
//! reads that file's graph, not the whole case.

use crate::error::{Error, Result};
use crate::internal_queries::text_of;
use crate::journal::graph_key;
use crate::model::Interner;
use crate::store::{CaseStore, Location};
use oxigraph::model::GraphName;
use oxigraph::sparql::QueryResults;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The tables: a name and the graph pattern binding ?s and ?o.
pub const TABLES: [(&str, &str); 10] = [
    ("stated-by", "?s cg:statedBy ?o"),
    ("proposition", "?s cg:proposition ?o"),
    (
        "polarity-or-certainty",
        "{ ?s cg:polarity ?o } UNION { ?s cg:certainty ?o }",
    ),
    ("answers", "?s cg:answers ?o"),
    ("entails", "?s cg:entails ?o"),
    ("question-label", "?s a cg:Question ; rdfs:label ?o"),
    ("depends-on", "?s cg:dependsOn ?o"),
    // A resolution's status and truth degree in one value ("<status IRI> <degree>"),
    // so that neither is paired with another resolution's.
    (
        "resolution",
        "?r cg:resolves ?s ; cg:status ?status OPTIONAL { ?r cg:truthDegree ?degree } BIND (CONCAT(STR(?status), \" \", COALESCE(STR(?degree), \"\")) AS ?o)",
    ),
    ("party", "?s cg:memberOfParty ?o"),
    ("institution", "?s cg:institution ?o"),
];

pub const STATED_BY: usize = 0;
pub const PROPOSITION: usize = 1;
pub const POLARITY_OR_CERTAINTY: usize = 2;
pub const ANSWERS: usize = 3;
pub const ENTAILS: usize = 4;
pub const QUESTION_LABEL: usize = 5;
pub const DEPENDS_ON: usize = 6;
pub const RESOLUTION: usize = 7;
pub const PARTY: usize = 8;
pub const INSTITUTION: usize = 9;

const CACHE_FILE: &str = "credgraph-claims.cache";
/// The first bytes of a cache file; a cache of another version is read anew.
const MAGIC: &[u8] = b"credgraph claim tables 3\n";

type Rows = Vec<[u32; 2]>;

/// The tables of every graph, their strings interned.
#[derive(Default)]
pub struct ClaimTables {
    strings: Interner,
    /// By graph key.
    graphs: BTreeMap<String, Vec<Rows>>,
}

/// The cache file after its magic bytes, in postcard's compact encoding.
#[derive(Serialize)]
struct CacheOut<'a> {
    /// The journal counter the tables were read at.
    as_of: u64,
    strings: &'a [Box<str>],
    graphs: &'a BTreeMap<String, Vec<Rows>>,
}

/// What [`CacheOut`] wrote.
#[derive(Deserialize)]
struct CacheIn {
    as_of: u64,
    strings: Vec<Box<str>>,
    graphs: BTreeMap<String, Vec<Rows>>,
}

/// How a read went: graphs taken from the cache and read from the store.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ReadStats {
    pub cached_graphs: usize,
    pub read_graphs: usize,
}

impl ClaimTables {
    pub fn text(&self, id: u32) -> &str {
        self.strings.name(id)
    }

    /// The rows of a table over all graphs, each once.
    pub fn rows(&self, table: usize) -> Vec<[u32; 2]> {
        let mut parts = self.graphs.values().map(|tables| &tables[table]);
        let non_empty = self
            .graphs
            .values()
            .filter(|tables| !tables[table].is_empty())
            .count();
        if non_empty <= 1 {
            return parts
                .find(|rows| !rows.is_empty())
                .cloned()
                .unwrap_or_default();
        }
        let mut seen = FxHashSet::default();
        let mut out = Vec::new();
        for rows in parts {
            for &row in rows {
                if seen.insert(row) {
                    out.push(row);
                }
            }
        }
        out
    }

    /// The rows of a table graph by graph (a row in two graphs comes twice).
    pub fn rows_by_graph(&self, table: usize) -> impl Iterator<Item = &[[u32; 2]]> {
        self.graphs
            .values()
            .map(move |tables| tables[table].as_slice())
    }

    /// The tables of a store: from the cache where the journal allows, the rest
    /// from the store; the cache is brought up to date.
    pub fn read(store: &CaseStore) -> Result<(ClaimTables, ReadStats)> {
        let graphs = all_graphs(store)?;
        let journal = store.journal()?;
        let cache = match store.location() {
            Location::Disk(directory) => Some(directory.join(CACHE_FILE)),
            Location::Memory | Location::Remote(_) => None,
        };
        let mut tables = ClaimTables::default();
        let mut as_of = 0;
        if let (Some(journal), Some(path)) = (&journal, &cache) {
            // A cache that cannot be read is only a slower read.
            if let Ok(Some((cached, cached_as_of))) = read_cache(path) {
                if journal.trusts(cached_as_of) {
                    tables = cached;
                    as_of = cached_as_of;
                }
            }
        }
        let now = journal.as_ref().map_or(0, |j| j.counter);
        let keys: FxHashSet<String> = graphs.iter().map(graph_key).collect();
        let before = tables.graphs.len();
        tables.graphs.retain(|key, _| keys.contains(key));
        // Whether the cache file needs writing: something read differs from it.
        let mut differs = tables.graphs.len() != before;
        let mut stats = ReadStats::default();
        for graph in &graphs {
            let key = graph_key(graph);
            let fresh = tables.graphs.contains_key(&key)
                && !journal
                    .as_ref()
                    .is_some_and(|j| j.changed_since(&key, as_of));
            if fresh {
                stats.cached_graphs += 1;
                continue;
            }
            let rows = read_graph(store, graph, &mut tables)?;
            // A graph that changed without changing its claims (the scores graph,
            // rewritten by every score) leaves the cache as it is.
            differs |= tables.graphs.get(&key) != Some(&rows);
            tables.graphs.insert(key, rows);
            stats.read_graphs += 1;
        }
        if let Some(path) = &cache {
            if differs || as_of == 0 {
                tables.compact();
                write_cache(path, &tables, now)?;
            }
        }
        Ok((tables, stats))
    }

    /// Drops strings no row uses any more (left by graphs read again or gone).
    fn compact(&mut self) {
        let mut used = vec![false; self.strings.len()];
        for rows in self.graphs.values().flatten() {
            for row in rows {
                used[row[0] as usize] = true;
                used[row[1] as usize] = true;
            }
        }
        if used.iter().all(|&u| u) {
            return;
        }
        let mut renumber = vec![u32::MAX; self.strings.len()];
        let mut strings = Vec::new();
        for (old, text) in std::mem::take(&mut self.strings)
            .into_names()
            .into_iter()
            .enumerate()
        {
            if used[old] {
                renumber[old] = strings.len() as u32;
                strings.push(text);
            }
        }
        for rows in self.graphs.values_mut().flatten() {
            for row in rows.iter_mut() {
                *row = [renumber[row[0] as usize], renumber[row[1] as usize]];
            }
        }
        self.strings = Interner::from_names(strings);
    }
}

/// The default graph and every named graph (on an engine, the named graphs only:
/// its default graph is their union).
fn all_graphs(store: &CaseStore) -> Result<Vec<GraphName>> {
    let mut graphs = Vec::new();
    if !store.is_remote() {
        graphs.push(GraphName::DefaultGraph);
    }
    graphs.extend(store.named_graphs()?.into_iter().map(GraphName::from));
    Ok(graphs)
}

/// The tables of one graph. Decoding terms dominates, and SPARQL decodes only the
/// variables asked for, so each table is one small query; on the embedded store
/// they run side by side, on an engine one after another (it answers from its own
/// cores, and large reads at once have brought Virtuoso 7.2 down).
fn read_graph(store: &CaseStore, graph: &GraphName, tables: &mut ClaimTables) -> Result<Vec<Rows>> {
    let read_table = |pattern: &str| -> Result<Vec<(String, String)>> {
        let QueryResults::Solutions(solutions) = store.scan(pattern, &["s", "o"], Some(graph))?
        else {
            return Ok(Vec::new());
        };
        let mut rows = Vec::new();
        for solution in solutions {
            let solution = solution?;
            if let (Some(s), Some(o)) = (text_of(solution.get(0)), text_of(solution.get(1))) {
                rows.push((s, o));
            }
        }
        Ok(rows)
    };
    let texts: Vec<Result<Vec<(String, String)>>> = if store.is_remote() {
        TABLES
            .iter()
            .map(|(_, pattern)| read_table(pattern))
            .collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = TABLES
                .iter()
                .map(|(_, pattern)| scope.spawn(|| read_table(pattern)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(Error::Internal("a statement reader failed".into()))
                    })
                })
                .collect()
        })
    };
    let mut out = Vec::with_capacity(TABLES.len());
    for rows in texts {
        let rows = rows?;
        out.push(
            rows.iter()
                .map(|(s, o)| [tables.strings.id(s), tables.strings.id(o)])
                .collect(),
        );
    }
    Ok(out)
}

fn cache_error(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::invalid(format!("{}: {message}", path.display()))
}

/// The cached tables and the journal counter they were read at; `None` without a
/// cache.
fn read_cache(path: &Path) -> Result<Option<(ClaimTables, u64)>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::file(path, e)),
    };
    let Some(encoded) = bytes.strip_prefix(MAGIC) else {
        return Err(cache_error(path, "not a claim table cache of this version"));
    };
    let cache: CacheIn = postcard::from_bytes(encoded).map_err(|e| cache_error(path, e))?;
    let count = cache.strings.len();
    let strings = Interner::from_names(cache.strings);
    if strings.len() != count {
        return Err(cache_error(path, "a string is listed twice"));
    }
    let in_range = cache.graphs.values().all(|tables| {
        tables.len() == TABLES.len()
            && tables
                .iter()
                .flatten()
                .flatten()
                .all(|&id| (id as usize) < count)
    });
    if !in_range {
        return Err(cache_error(path, "a row names a string out of range"));
    }
    Ok(Some((
        ClaimTables {
            strings,
            graphs: cache.graphs,
        },
        cache.as_of,
    )))
}

fn write_cache(path: &Path, tables: &ClaimTables, as_of: u64) -> Result<()> {
    let cache = CacheOut {
        as_of,
        strings: tables.strings.names(),
        graphs: &tables.graphs,
    };
    crate::files::write_whole(path, |out| {
        out.write_all(MAGIC).map_err(|e| Error::file(path, e))?;
        postcard::to_io(&cache, out).map_err(|e| cache_error(path, e))?;
        Ok(())
    })
}
