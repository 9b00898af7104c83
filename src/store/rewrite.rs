//! Replacing graphs so that a crash at any point leaves them as they were or as
//! they were meant to become, never a mixture.
//!
//! Oxigraph holds a transaction in memory, and deletes at tens of microseconds a
//! quad, so a graph of millions of triples cannot be swapped in one transaction.
//! A rewrite is instead a sequence of ordinary writes with an undo log beside the
//! store (the folder [`LOG`]):
//!
//! - `graphs`: the graphs rebuilt whole; written, with the log's other files empty,
//!   into a temporary folder that is then renamed into place: the rewrite begins.
//! - `removed.nq`: every quad the rewrite takes out, appended and synced to disk
//!   before it leaves the store;
//! - `added.nq`: every quad it puts into a graph not rebuilt whole, likewise before
//!   it goes in.
//!
//! The rewrite ends when the log is renamed away (and then deleted). A process
//! that dies before that leaves the log, and the next process to open the store
//! rolls the rewrite back before anything else: it empties the graphs rebuilt
//! whole, takes the added quads out, and loads the removed ones in one atomic bulk
//! load. Each of those steps can be repeated, so a crash during the roll-back is
//! rolled back again at the next opening. A rewrite that fails with an error is
//! rolled back at once.
//!
//! For the tests, the environment variable `CREDGRAPH_CRASH_AFTER_STEPS=N` makes
//! the process abort after the N-th step of a rewrite (a removal batch, a rule, a
//! write of new quads, the end), as a `kill -9` would.

use super::CaseStore;
use crate::error::{Error, Result};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{NamedNode, NamedNodeRef, Quad};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The undo log's folder in the store directory.
const LOG: &str = "credgraph-rewrite";
/// Quads removed per transaction: small enough that a transaction stays small in
/// memory, large enough that the sync of the log between batches costs nothing.
const BATCH: usize = 20_000;

/// A rewrite in progress; see the module documentation.
pub struct Rewrite<'a> {
    store: &'a CaseStore,
    /// The log, for a store on disk; none in memory or on an engine.
    log: Option<UndoLog>,
    steps: u64,
    /// The step after which to abort (`CREDGRAPH_CRASH_AFTER_STEPS`), read once.
    crash_after: Option<u64>,
}

struct UndoLog {
    folder: PathBuf,
    removed: BufWriter<File>,
    added: BufWriter<File>,
}

impl CaseStore {
    /// Runs `work`, which rewrites graphs through the [`Rewrite`] it is given, so
    /// that a crash or an error leaves every graph as it was (see the module
    /// documentation). Not to be nested.
    pub(crate) fn rewrite<'s, T>(
        &'s self,
        work: impl FnOnce(&mut Rewrite<'s>) -> Result<T>,
    ) -> Result<T> {
        let log = match (self.directory(), &self.backend) {
            (Some(directory), super::Backend::Embedded(_)) => Some(UndoLog::begin(directory)?),
            _ => None,
        };
        let mut rewrite = Rewrite {
            store: self,
            log,
            steps: 0,
            crash_after: std::env::var("CREDGRAPH_CRASH_AFTER_STEPS")
                .ok()
                .and_then(|n| n.parse().ok()),
        };
        match work(&mut rewrite) {
            Ok(value) => {
                rewrite.step();
                if let Some(log) = rewrite.log.take() {
                    log.end()?;
                }
                Ok(value)
            }
            Err(error) => {
                if let Some(log) = rewrite.log.take() {
                    log.close()?;
                    self.roll_back().map_err(|undo| {
                        Error::Internal(format!(
                            "{error}; and putting the graphs back failed ({undo}): they are put back when the store is next opened"
                        ))
                    })?;
                }
                Err(error)
            }
        }
    }

    /// Rolls back a rewrite that a process left unfinished, recorded in the journal
    /// as a write that may have touched anything. Returns whether there was one.
    pub(super) fn recover_rewrite(&self) -> Result<bool> {
        let Some(directory) = self.directory() else {
            return Ok(false);
        };
        for leftover in [format!("{LOG}.new"), format!("{LOG}.done")] {
            let path = directory.join(leftover);
            if path.exists() {
                std::fs::remove_dir_all(&path).map_err(|e| Error::file(&path, e))?;
            }
        }
        if !directory.join(LOG).exists() {
            return Ok(false);
        }
        self.record(|touched| {
            touched.everything();
            self.roll_back()
        })?;
        Ok(true)
    }

    /// Puts back what the undo log says was there, then ends the log.
    fn roll_back(&self) -> Result<()> {
        let (Some(directory), super::Backend::Embedded(store)) = (self.directory(), &self.backend)
        else {
            return Ok(());
        };
        let folder = directory.join(LOG);
        let graphs = folder.join("graphs");
        let whole: Vec<NamedNode> =
            BufReader::new(File::open(&graphs).map_err(|e| Error::file(&graphs, e))?)
                .lines()
                .map(|line| {
                    let line = line.map_err(|e| Error::file(&graphs, e))?;
                    NamedNode::new(line.trim())
                        .map_err(|e| Error::Internal(format!("{}: {e}", graphs.display())))
                })
                .collect::<Result<_>>()?;
        for graph in &whole {
            self.drop_graph(graph.as_ref())?;
        }
        super::in_batches(read_log(&folder.join("added.nq"))?, BATCH, |batch| {
            self.remove_quads(batch)
        })?;
        let mut loader = store.bulk_loader();
        loader.load_ok_quads::<Error, Error>(read_log(&folder.join("removed.nq"))?)?;
        loader.commit()?;
        let done = directory.join(format!("{LOG}.done"));
        std::fs::rename(&folder, &done).map_err(|e| Error::file(&folder, e))?;
        sync_folder(directory)?;
        std::fs::remove_dir_all(&done).map_err(|e| Error::file(&done, e))
    }

    fn directory(&self) -> Option<&Path> {
        match &self.location {
            super::Location::Disk(directory) => Some(directory),
            _ => None,
        }
    }
}

impl Rewrite<'_> {
    /// Empties a graph that is to be rebuilt whole: what it holds is logged and
    /// taken out in batches; anything added to it later needs no logging.
    pub fn drop_graph(&mut self, graph: NamedNodeRef<'_>) -> Result<()> {
        let Some(log) = &mut self.log else {
            return self.store.drop_graph(graph);
        };
        log.rebuilt_whole(graph)?;
        let store = self.store.oxigraph("rewrite")?;
        super::in_batches(
            store
                .quads_for_pattern(None, None, None, Some(graph.into()))
                .map(|quad| quad.map_err(Error::from)),
            BATCH,
            |batch| self.remove(batch),
        )?;
        store.remove_named_graph(graph)?;
        Ok(())
    }

    /// Takes quads out of the store, logged first.
    pub fn remove(&mut self, quads: &[Quad]) -> Result<()> {
        if quads.is_empty() {
            return Ok(());
        }
        if let Some(log) = &mut self.log {
            log.write(quads, Side::Removed)?;
        }
        self.store.remove_quads(quads)?;
        self.step();
        Ok(())
    }

    /// Notes quads about to be added to a graph not rebuilt whole; the caller adds
    /// them once this returns.
    pub fn adding(&mut self, quads: &[Quad]) -> Result<()> {
        if let Some(log) = &mut self.log {
            log.write(quads, Side::Added)?;
        }
        Ok(())
    }

    /// A step of the work is done (for the crash injection of the tests).
    pub fn step(&mut self) {
        self.steps += 1;
        if self.crash_after.is_some_and(|n| self.steps >= n) {
            std::process::abort();
        }
    }
}

#[derive(Clone, Copy)]
enum Side {
    Removed,
    Added,
}

impl UndoLog {
    /// Creates the log in a temporary folder and renames it into place.
    fn begin(directory: &Path) -> Result<Self> {
        let folder = directory.join(LOG);
        if folder.exists() {
            return Err(Error::Internal(format!(
                "{} exists: an earlier rewrite was not rolled back",
                folder.display()
            )));
        }
        let new = directory.join(format!("{LOG}.new"));
        if new.exists() {
            std::fs::remove_dir_all(&new).map_err(|e| Error::file(&new, e))?;
        }
        std::fs::create_dir_all(&new).map_err(|e| Error::file(&new, e))?;
        for name in ["graphs", "removed.nq", "added.nq"] {
            let path = new.join(name);
            File::create(&path)
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::file(&path, e))?;
        }
        sync_folder(&new)?;
        std::fs::rename(&new, &folder).map_err(|e| Error::file(&folder, e))?;
        sync_folder(directory)?;
        let append = |name: &str| -> Result<BufWriter<File>> {
            let path = folder.join(name);
            std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .map(BufWriter::new)
                .map_err(|e| Error::file(&path, e))
        };
        Ok(UndoLog {
            removed: append("removed.nq")?,
            added: append("added.nq")?,
            folder,
        })
    }

    fn rebuilt_whole(&mut self, graph: NamedNodeRef<'_>) -> Result<()> {
        let path = self.folder.join("graphs");
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(|e| Error::file(&path, e))?;
        writeln!(file, "{}", graph.as_str())
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::file(&path, e))
    }

    /// Appends quads to one side of the log and syncs it to disk.
    fn write(&mut self, quads: &[Quad], side: Side) -> Result<()> {
        let (out, name) = match side {
            Side::Removed => (&mut self.removed, "removed.nq"),
            Side::Added => (&mut self.added, "added.nq"),
        };
        let path = self.folder.join(name);
        let mut serializer = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(&mut *out);
        for quad in quads {
            serializer
                .serialize_quad(quad)
                .map_err(|e| Error::file(&path, e))?;
        }
        serializer.finish().map_err(|e| Error::file(&path, e))?;
        out.flush()
            .and_then(|()| out.get_ref().sync_data())
            .map_err(|e| Error::file(&path, e))
    }

    fn close(mut self) -> Result<()> {
        for (out, name) in [
            (&mut self.removed, "removed.nq"),
            (&mut self.added, "added.nq"),
        ] {
            out.flush()
                .and_then(|()| out.get_ref().sync_data())
                .map_err(|e| Error::file(self.folder.join(name), e))?;
        }
        Ok(())
    }

    /// The rewrite is done: the log is renamed away, then deleted.
    fn end(self) -> Result<()> {
        let folder = self.folder.clone();
        self.close()?;
        let done = folder.with_file_name(format!("{LOG}.done"));
        std::fs::rename(&folder, &done).map_err(|e| Error::file(&folder, e))?;
        if let Some(directory) = folder.parent() {
            sync_folder(directory)?;
        }
        std::fs::remove_dir_all(&done).map_err(|e| Error::file(&done, e))
    }
}

/// The quads of one side of a log. A crash while appending can leave a last line
/// cut short: its quad never reached the store, so it is skipped.
fn read_log(path: &Path) -> Result<impl Iterator<Item = Result<Quad>>> {
    let file = File::open(path).map_err(|e| Error::file(path, e))?;
    let path = path.to_path_buf();
    let mut lines = BufReader::new(file).lines().peekable();
    Ok(std::iter::from_fn(move || loop {
        let line = match lines.next()? {
            Ok(line) => line,
            Err(e) => return Some(Err(Error::file(&path, e))),
        };
        let last = lines.peek().is_none();
        match RdfParser::from_format(RdfFormat::NQuads)
            .for_slice(line.as_bytes())
            .next()
        {
            Some(Ok(quad)) => return Some(Ok(quad)),
            None => {}
            Some(Err(_)) if last => return None,
            Some(Err(e)) => return Some(Err(Error::Internal(format!("{}: {e}", path.display())))),
        }
    }))
}

fn sync_folder(folder: &Path) -> Result<()> {
    File::open(folder)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::file(folder, e))
}
