//! Which graphs of a store changed since a given moment, so that `score` re-reads
//! only those.
//!
//! A store on disk keeps a small journal beside its database files: a counter that
//! every write advances, and for each graph the counter of its last change. A write
//! first marks the journal pending and clears the mark when it is done, recording
//! the graphs it touched; a process that dies mid-write leaves the mark, and then
//! nothing cached is trusted. Writes that can touch any graph (a SPARQL update
//! whose templates name a graph by a variable, `DROP ALL`, rules of the user's)
//! record that everything changed; an update that names every graph it writes
//! records those.

use crate::error::{Error, Result};
use oxigraph::model::GraphName;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FILE_NAME: &str = "credgraph-journal.json";

/// The journal's content.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Journal {
    /// Advanced by every write.
    pub counter: u64,
    /// The counter of the last write that could have touched any graph.
    pub everything: u64,
    /// A write began and did not finish.
    pub pending: bool,
    /// The counter of each graph's last change, by graph key ([`graph_key`]).
    pub graphs: BTreeMap<String, u64>,
}

/// What a write touched: graphs, or possibly any.
#[derive(Debug, Default)]
pub struct Touched {
    graphs: std::collections::BTreeSet<String>,
    everything: bool,
    last: Option<GraphName>,
}

impl Touched {
    pub fn graph(&mut self, graph: &GraphName) {
        // Quads come in runs of one graph: most calls end here.
        if self.last.as_ref() == Some(graph) {
            return;
        }
        self.graphs.insert(graph_key(graph));
        self.last = Some(graph.clone());
    }

    pub fn everything(&mut self) {
        self.everything = true;
    }
}

/// A graph as the journal names it: its IRI, or "" for the default graph.
pub fn graph_key(graph: &GraphName) -> String {
    match graph {
        GraphName::NamedNode(node) => node.as_str().to_string(),
        GraphName::BlankNode(node) => format!("_:{}", node.as_str()),
        GraphName::DefaultGraph => String::new(),
    }
}

impl Journal {
    /// Whether the graph changed after `as_of`, as far as the journal knows.
    pub fn changed_since(&self, key: &str, as_of: u64) -> bool {
        self.graphs.get(key).is_some_and(|&at| at > as_of)
    }

    /// Whether anything cached as of `as_of` can be trusted at all.
    pub fn trusts(&self, as_of: u64) -> bool {
        !self.pending && self.everything <= as_of && self.counter >= as_of
    }
}

/// The journal file of a store directory.
pub struct JournalFile {
    path: PathBuf,
}

impl JournalFile {
    pub fn in_store(directory: &Path) -> Self {
        JournalFile {
            path: directory.join(FILE_NAME),
        }
    }

    /// The journal; a store without one (new, or written by an older credgraph)
    /// has an empty journal that trusts nothing cached before it.
    pub fn read(&self) -> Result<Journal> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                Error::invalid(format!(
                    "{}: not a credgraph journal ({e}); delete it to have score re-read everything",
                    self.path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Journal {
                everything: 1,
                counter: 1,
                ..Journal::default()
            }),
            Err(e) => Err(Error::file(&self.path, e)),
        }
    }

    fn write(&self, journal: &Journal) -> Result<()> {
        crate::files::write_whole(&self.path, |out| {
            serde_json::to_writer(&mut *out, journal)
                .map_err(|e| Error::Internal(format!("writing the journal: {e}")))
        })
    }

    /// Runs a write, recording what it touched: pending before, the graphs after.
    /// A write that fails is recorded as having changed what it touched (it may have
    /// got part of the way).
    pub fn record<T>(&self, write: impl FnOnce(&mut Touched) -> Result<T>) -> Result<T> {
        let mut journal = self.read()?;
        if journal.pending {
            // The write that left the mark may have touched anything, and this one
            // repairs nothing of it: nothing cached before now is trusted.
            journal.counter += 1;
            journal.everything = journal.counter;
        }
        journal.pending = true;
        self.write(&journal)?;
        let mut touched = Touched::default();
        let result = write(&mut touched);
        journal.counter += 1;
        if touched.everything {
            journal.everything = journal.counter;
        }
        for key in touched.graphs {
            journal.graphs.insert(key, journal.counter);
        }
        journal.pending = false;
        self.write(&journal)?;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

    #[test]
    fn writes_are_recorded_by_graph_and_a_crash_leaves_the_mark() {
        let dir = tempfile::tempdir().unwrap();
        let file = JournalFile::in_store(dir.path());
        let start = file.read().unwrap();
        assert!(!start.trusts(0), "a store without a journal trusts nothing");
        let as_of = start.counter;
        let graph = GraphName::NamedNode(NamedNode::new_unchecked("http://e/g"));
        file.record(|touched| {
            touched.graph(&graph);
            touched.graph(&graph);
            Ok(())
        })
        .unwrap();
        let after = file.read().unwrap();
        assert!(after.trusts(as_of));
        assert!(after.changed_since("http://e/g", as_of));
        assert!(!after.changed_since("http://e/other", as_of));
        // A write that never returns (the process dies) leaves the journal pending.
        let _ = std::panic::catch_unwind(|| file.record(|_| -> Result<()> { panic!("killed") }));
        assert!(!file.read().unwrap().trusts(after.counter));
        file.record(|touched| {
            touched.everything();
            Ok(())
        })
        .unwrap();
        let last = file.read().unwrap();
        assert!(!last.trusts(after.counter) && last.trusts(last.counter));
    }

    #[test]
    fn an_unrelated_write_after_a_crash_leaves_nothing_cached_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let file = JournalFile::in_store(dir.path());
        file.record(|_| Ok(())).unwrap();
        let as_of = file.read().unwrap().counter;
        let _ = std::panic::catch_unwind(|| file.record(|_| -> Result<()> { panic!("killed") }));
        // A later write that touches one other graph clears the mark, but what the
        // crashed write touched is unknown: a cache from before stays untrusted.
        let graph = GraphName::NamedNode(NamedNode::new_unchecked("http://e/tiny"));
        file.record(|touched| {
            touched.graph(&graph);
            Ok(())
        })
        .unwrap();
        let journal = file.read().unwrap();
        assert!(!journal.pending);
        assert!(!journal.trusts(as_of));
    }
}
