//! Loading RDF files and folders into the store, each file into a graph of its own,
//! all or nothing.
//!
//! A load either stores every file it was given or nothing at all: new data goes
//! through Oxigraph's bulk loader, which writes nothing visible until it commits,
//! and reloading a file whose graph already exists replaces that graph in one
//! transaction.

use super::TargetGraph;
use crate::error::{Error, Position, Result};
use crate::formats::{self, RDF_FORMAT_NAMES};
use crate::journal::Touched;
use crate::progress;
use crate::store::remote::{self, Remote};
use crate::store::{CaseStore, Rewrite};
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::cell::Cell;
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// How to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The format of files named explicitly and of standard input; files found in
    /// folders are read by their extension.
    pub format: Option<RdfFormat>,
    /// Put every file's triples here instead of a graph per file.
    pub graph: Option<TargetGraph>,
    /// Resolve relative IRIs against this instead of the file's own URL.
    pub base_iri: Option<String>,
}

/// What one file contributed.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub source: String,
    pub graph: GraphName,
    pub quads: u64,
    /// The graph held an earlier load of the same file, now replaced.
    pub replaced: bool,
}

/// The name standard input goes by on the command line.
pub const STDIN: &str = "-";

/// One file of a load, worked out before anything is read.
#[derive(Debug, Clone)]
struct PlannedFile {
    path: Option<PathBuf>,
    format: RdfFormat,
    gzipped: bool,
    graph: GraphName,
    base_iri: Option<String>,
    replace: bool,
}

impl PlannedFile {
    fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "standard input".to_string(), |p| p.display().to_string())
    }

    fn error_path(&self) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from("<stdin>"))
    }
}

/// Loads files and folders (and `-` for standard input) into the store.
pub fn load(
    store: &CaseStore,
    inputs: &[PathBuf],
    options: &LoadOptions,
) -> Result<Vec<LoadedFile>> {
    let plan = plan(store, inputs, options)?;
    if let Some(remote) = store.remote_engine() {
        return load_remote(remote, &plan);
    }
    store.record(|touched| {
        // A file's own graph, and any graph its quads name (TriG, N-Quads).
        for file in &plan {
            touched.graph(&file.graph);
        }
        if plan.iter().any(|file| file.replace) {
            replace_in_bulk(store, &plan, touched)
        } else {
            load_in_bulk(store, &plan, touched, None)
        }
    })
}

/// The graph a file goes to by default: its own `file:` URL.
pub fn file_graph(path: &Path) -> Result<NamedNode> {
    let absolute = std::fs::canonicalize(path).map_err(|e| Error::file(path, e))?;
    let iri = format!(
        "file://{}",
        crate::files::encode_path(&absolute.to_string_lossy())
    );
    NamedNode::new(iri)
        .map_err(|e| Error::Internal(format!("file IRI for {}: {e}", path.display())))
}

fn plan(store: &CaseStore, inputs: &[PathBuf], options: &LoadOptions) -> Result<Vec<PlannedFile>> {
    if inputs.is_empty() {
        return Err(Error::invalid(
            "nothing to load: give files, folders, or - for standard input",
        ));
    }
    let mut plan = Vec::new();
    let mut seen = BTreeSet::new();
    for input in inputs {
        if input.as_os_str() == STDIN {
            let format = options.format.ok_or_else(|| {
                Error::invalid(format!(
                    "reading standard input needs --format ({RDF_FORMAT_NAMES})"
                ))
            })?;
            let graph = match &options.graph {
                Some(TargetGraph::Named(graph)) => GraphName::NamedNode(graph.clone()),
                _ => GraphName::DefaultGraph,
            };
            plan.push(PlannedFile {
                path: None,
                format,
                gzipped: false,
                graph,
                base_iri: options.base_iri.clone(),
                replace: false,
            });
            continue;
        }
        let metadata = std::fs::metadata(input).map_err(|e| Error::file(input, e))?;
        let files = if metadata.is_dir() {
            let found = rdf_files_under(input)?;
            if found.is_empty() {
                return Err(Error::invalid(format!(
                    "{}: no RDF files in this folder (looked for {RDF_FORMAT_NAMES} by extension, also gzipped)",
                    input.display()
                )));
            }
            found
        } else {
            let (by_extension, gzipped) = formats::rdf_format_of_path(input);
            let format = options.format.or(by_extension).ok_or_else(|| {
                Error::invalid(format!(
                    "{}: cannot tell the RDF format from the file name; give --format ({RDF_FORMAT_NAMES})",
                    input.display()
                ))
            })?;
            vec![(input.clone(), format, gzipped)]
        };
        for (path, format, gzipped) in files {
            let canonical = std::fs::canonicalize(&path).map_err(|e| Error::file(&path, e))?;
            if !seen.insert(canonical) {
                continue;
            }
            let own_graph = file_graph(&path)?;
            let base_iri = Some(
                options
                    .base_iri
                    .clone()
                    .unwrap_or_else(|| own_graph.as_str().to_string()),
            );
            let (graph, replace) = match &options.graph {
                Some(TargetGraph::Default) => (GraphName::DefaultGraph, false),
                Some(TargetGraph::Named(graph)) => (GraphName::NamedNode(graph.clone()), false),
                None => {
                    let exists = store.graph_exists(own_graph.as_ref())?;
                    (GraphName::NamedNode(own_graph), exists)
                }
            };
            plan.push(PlannedFile {
                path: Some(path),
                format,
                gzipped,
                graph,
                base_iri,
                replace,
            });
        }
    }
    Ok(plan)
}

/// Every RDF file under a folder, by extension, in path order; hidden entries skipped.
fn rdf_files_under(dir: &Path) -> Result<Vec<(PathBuf, RdfFormat, bool)>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current).map_err(|e| Error::file(&current, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::file(&current, e))?;
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry.file_type().map_err(|e| Error::file(&path, e))?;
            if kind.is_dir() {
                pending.push(path);
            } else if let (Some(format), gzipped) = formats::rdf_format_of_path(&path) {
                found.push((path, format, gzipped));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found)
}

/// The quads of one planned file, with errors that name the file and position.
fn parse(file: &PlannedFile) -> Result<impl Iterator<Item = Result<Quad>> + '_> {
    let reader: Box<dyn Read> = match &file.path {
        None => Box::new(std::io::stdin().lock()),
        Some(path) => {
            let handle = File::open(path).map_err(|e| Error::file(path, e))?;
            let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
            let counted =
                progress::counted(BufReader::new(handle), &path.display().to_string(), size);
            if file.gzipped {
                Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(counted)))
            } else {
                Box::new(counted)
            }
        }
    };
    // JSON-LD's parser takes memory (and stack) with every level of nesting; Turtle's
    // and TriG's keep an explicit stack, and read 100,000 levels in linear memory.
    let reader: Box<dyn Read> = if matches!(file.format, RdfFormat::JsonLd { .. }) {
        Box::new(crate::nesting::Limited::new(reader))
    } else {
        reader
    };
    let mut parser = RdfParser::from_format(file.format)
        .rename_blank_nodes()
        .with_default_graph(file.graph.clone());
    if let Some(base) = &file.base_iri {
        parser = parser
            .with_base_iri(base.as_str())
            .map_err(|e| Error::invalid(format!("invalid base IRI {base}: {e}")))?;
    }
    let path = file.error_path();
    Ok(parser
        .for_reader(reader)
        .map(move |quad| quad.map_err(|e| parse_error(&path, e))))
}

/// A parse error as "FILE:LINE:COLUMN: message".
pub fn parse_error(path: &Path, error: RdfParseError) -> Error {
    match error {
        RdfParseError::Syntax(error) => {
            let position = error.location().map(|range| Position {
                line: range.start.line + 1,
                column: range.start.column + 1,
            });
            Error::Syntax {
                path: path.to_path_buf(),
                position,
                message: crate::error::parser_message(&without_position_prefix(&error.to_string()))
                    .into_owned(),
            }
        }
        RdfParseError::Io(error) => {
            match error
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<crate::nesting::TooDeep>())
            {
                Some(too_deep) => Error::Syntax {
                    path: path.to_path_buf(),
                    position: Some(too_deep.position),
                    message: too_deep.to_string(),
                },
                None => Error::file(path, error),
            }
        }
    }
}

/// Oxigraph's messages start with "Parser error at line 3 column 14: "; the
/// position is already in our prefix.
fn without_position_prefix(message: &str) -> String {
    if message.starts_with("Parser error ") {
        if let Some((_, rest)) = message.split_once(": ") {
            return rest.to_string();
        }
    }
    message.to_string()
}

/// The graphs the plan's files replace.
fn replaced_graphs(plan: &[PlannedFile]) -> Vec<NamedNode> {
    plan.iter()
        .filter(|file| file.replace)
        .filter_map(|file| match &file.graph {
            GraphName::NamedNode(graph) => Some(graph.clone()),
            _ => None,
        })
        .collect()
}

/// Loads into an engine: every file's triples go into staging graphs in chunks,
/// then one update moves them into place, so a file that fails to parse or a chunk
/// the engine refuses leaves the engine as it was.
fn load_remote(remote: &Remote, plan: &[PlannedFile]) -> Result<Vec<LoadedFile>> {
    let replace = replaced_graphs(plan);
    let counts: Vec<Cell<u64>> = plan.iter().map(|_| Cell::new(0)).collect();
    let quads = plan.iter().zip(&counts).flat_map(|(file, count)| {
        let parsed: Box<dyn Iterator<Item = Result<Quad>>> = match parse(file) {
            Ok(quads) => Box::new(quads),
            Err(error) => Box::new(std::iter::once(Err(error))),
        };
        parsed.inspect(move |quad| {
            if quad.is_ok() {
                count.set(count.get() + 1);
            }
        })
    });
    remote::write_staged(remote, &replace, quads)?;
    Ok(plan
        .iter()
        .zip(counts)
        .map(|(file, count)| LoadedFile {
            source: file.name(),
            graph: file.graph.clone(),
            quads: count.get(),
            replaced: file.replace,
        })
        .collect())
}

/// Loads the files in one bulk load, which adds nothing before it commits, so any
/// error leaves the store as it was. During a rewrite, the quads that go to graphs
/// it does not rebuild whole are logged for its undo.
fn load_in_bulk(
    store: &CaseStore,
    plan: &[PlannedFile],
    touched: &mut Touched,
    rewrite: Option<(&mut Rewrite<'_>, &[NamedNode])>,
) -> Result<Vec<LoadedFile>> {
    let mut loader = store.oxigraph("load")?.bulk_loader();
    let report = load_into(&mut loader, plan, touched, rewrite)?;
    // Nothing is visible before this point, so any error above left the store as it was.
    loader.commit()?;
    Ok(report)
}

/// Parses the files into a bulk loader, logging for a rewrite what goes to graphs
/// it does not rebuild whole.
fn load_into(
    loader: &mut oxigraph::store::BulkLoader<'_>,
    plan: &[PlannedFile],
    touched: &mut Touched,
    mut rewrite: Option<(&mut Rewrite<'_>, &[NamedNode])>,
) -> Result<Vec<LoadedFile>> {
    const LOGGED: usize = 20_000;
    let mut report = Vec::new();
    let mut unlogged: Vec<Quad> = Vec::new();
    let mut logging: Result<()> = Ok(());
    for file in plan {
        let mut count = 0_u64;
        loader.load_ok_quads::<Error, Error>(parse(file)?.inspect(|quad| {
            if let Ok(quad) = quad {
                touched.graph(&quad.graph_name);
                count += 1;
                if let Some((rewrite, whole)) = &mut rewrite {
                    let rebuilt =
                        matches!(&quad.graph_name, GraphName::NamedNode(g) if whole.contains(g));
                    if !rebuilt && logging.is_ok() {
                        unlogged.push(quad.clone());
                        if unlogged.len() >= LOGGED {
                            logging = rewrite.adding(&unlogged);
                            unlogged.clear();
                        }
                    }
                }
            }
        }))?;
        report.push(LoadedFile {
            source: file.name(),
            graph: file.graph.clone(),
            quads: count,
            replaced: file.replace,
        });
    }
    logging?;
    if let Some((rewrite, _)) = &mut rewrite {
        rewrite.adding(&unlogged)?;
        rewrite.step();
    }
    Ok(report)
}

/// Loads files of which some replace the graph they were loaded into before,
/// through a rewrite of the store (a crash or an error puts the old graphs back).
///
/// A file loaded again is mostly what it was, so only the difference is written:
/// the old graph's quads are read as fingerprints, the file's quads compared with
/// them, and just the quads that left are taken out and the new ones loaded. When
/// the difference is large, holding the new quads in memory would cost more than
/// loading them again: the old graphs are then taken out whole and the files loaded
/// in bulk. Either way the work is linear in the size of the graphs, where clearing
/// them inside one transaction grew with the square of their size.
fn replace_in_bulk(
    store: &CaseStore,
    plan: &[PlannedFile],
    touched: &mut Touched,
) -> Result<Vec<LoadedFile>> {
    /// New quads held in memory at most (about 200 MB) before loading in bulk.
    const MAX_DIFFERENCE: usize = 1_000_000;
    let replaced = replaced_graphs(plan);
    let oxigraph = store.oxigraph("load")?;
    let fingerprint = Fingerprint::new();
    let mut old = rustc_hash::FxHashSet::default();
    for graph in &replaced {
        for quad in oxigraph.quads_for_pattern(None, None, None, Some(graph.into())) {
            old.insert(fingerprint.of(&quad?));
        }
    }
    let mut kept = rustc_hash::FxHashSet::default();
    let mut added = Vec::new();
    let mut report = Vec::new();
    let mut small = true;
    'files: for file in plan.iter().filter(|file| file.replace) {
        let mut count = 0_u64;
        for quad in parse(file)? {
            let quad = quad?;
            touched.graph(&quad.graph_name);
            count += 1;
            let print = fingerprint.of(&quad);
            if old.contains(&print) {
                kept.insert(print);
            } else {
                added.push(quad);
                if added.len() > MAX_DIFFERENCE {
                    small = false;
                    break 'files;
                }
            }
        }
        report.push(LoadedFile {
            source: file.name(),
            graph: file.graph.clone(),
            quads: count,
            replaced: true,
        });
    }
    let others: Vec<PlannedFile> = plan.iter().filter(|f| !f.replace).cloned().collect();
    store.rewrite(|rewrite| {
        if !small {
            drop((old, kept, added));
            for graph in &replaced {
                rewrite.drop_graph(graph.as_ref())?;
            }
            return load_in_bulk(store, plan, touched, Some((rewrite, &replaced)));
        }
        let mut gone = Vec::new();
        // Read again only when some old quad was not among the new.
        let some_gone = kept.len() < old.len();
        for graph in replaced.iter().filter(|_| some_gone) {
            for quad in oxigraph.quads_for_pattern(None, None, None, Some(graph.into())) {
                let quad = quad?;
                if !kept.contains(&fingerprint.of(&quad)) {
                    gone.push(quad);
                    if gone.len() >= 20_000 {
                        rewrite.remove(&gone)?;
                        gone.clear();
                    }
                }
            }
        }
        rewrite.remove(&gone)?;
        rewrite.adding(&added)?;
        let mut loader = oxigraph.bulk_loader();
        loader.load_quads(added)?;
        // The other files are loaded in the same bulk load, logged likewise.
        let mut rest = load_into(&mut loader, &others, touched, Some((rewrite, &[])))?;
        rewrite.step();
        loader.commit()?;
        report.append(&mut rest);
        Ok(reordered(plan, report))
    })
}

/// The report in the order of the plan.
fn reordered(plan: &[PlannedFile], mut report: Vec<LoadedFile>) -> Vec<LoadedFile> {
    let mut ordered = Vec::with_capacity(report.len());
    for file in plan {
        if let Some(at) = report.iter().position(|r| r.source == file.name()) {
            ordered.push(report.swap_remove(at));
        }
    }
    ordered.append(&mut report);
    ordered
}

/// A quad's 128-bit fingerprint: two SipHash values under random keys, so that two
/// different quads of a graph share one with a chance of about 2^-128 a pair.
struct Fingerprint(std::hash::RandomState, std::hash::RandomState);

impl Fingerprint {
    fn new() -> Self {
        Fingerprint(std::hash::RandomState::new(), std::hash::RandomState::new())
    }

    fn of(&self, quad: &Quad) -> u128 {
        use std::hash::BuildHasher;
        (u128::from(self.0.hash_one(quad)) << 64) | u128::from(self.1.hash_one(quad))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(content.as_bytes())
            .unwrap();
        path
    }

    #[test]
    fn each_file_goes_to_its_own_graph() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(dir.path(), "a.ttl", "<http://e/a> <http://e/p> 1 .");
        let b = write(dir.path(), "b.nt", "<http://e/b> <http://e/p> \"2\" .\n");
        let store = CaseStore::in_memory().unwrap();
        let loaded = load(&store, &[dir.path().to_path_buf()], &LoadOptions::default()).unwrap();
        assert_eq!(loaded.len(), 2);
        for (file, path) in loaded.iter().zip([&a, &b]) {
            assert_eq!(file.quads, 1);
            let graph = file_graph(path).unwrap();
            assert_eq!(file.graph, GraphName::NamedNode(graph.clone()));
            assert_eq!(store.graph_len(graph.as_ref().into()).unwrap(), 1);
        }
    }

    #[test]
    fn a_file_that_fails_halfway_leaves_the_store_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let good = write(dir.path(), "good.ttl", "<http://e/a> <http://e/p> 1 .");
        let bad = write(
            dir.path(),
            "bad.ttl",
            "<http://e/b> <http://e/p> 2 .\n<http://e/c> <http://e/p> .\n",
        );
        let store = CaseStore::in_memory().unwrap();
        let before = store.oxigraph("test").unwrap().len().unwrap();
        let error = load(&store, &[good, bad.clone()], &LoadOptions::default()).unwrap_err();
        let Error::Syntax { path, position, .. } = &error else {
            panic!("expected a syntax error, got {error}")
        };
        assert_eq!(path, &bad);
        assert_eq!(position.unwrap().line, 2, "{error}");
        assert_eq!(store.oxigraph("test").unwrap().len().unwrap(), before);
    }

    #[test]
    fn reloading_a_file_replaces_its_graph() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "case.ttl", "<http://e/a> <http://e/p> 1, 2 .");
        let store = CaseStore::in_memory().unwrap();
        load(&store, std::slice::from_ref(&path), &LoadOptions::default()).unwrap();
        write(dir.path(), "case.ttl", "<http://e/a> <http://e/p> 3 .");
        let loaded = load(&store, std::slice::from_ref(&path), &LoadOptions::default()).unwrap();
        assert!(loaded[0].replaced);
        let graph = file_graph(&path).unwrap();
        assert_eq!(store.graph_len(graph.as_ref().into()).unwrap(), 1);
    }

    #[test]
    fn unknown_extensions_need_a_format() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "case.data", "<http://e/a> <http://e/p> 1 .");
        let store = CaseStore::in_memory().unwrap();
        let error = load(&store, std::slice::from_ref(&path), &LoadOptions::default()).unwrap_err();
        assert!(error.to_string().contains("--format"), "{error}");
        let options = LoadOptions {
            format: Some(RdfFormat::Turtle),
            ..LoadOptions::default()
        };
        assert_eq!(load(&store, &[path], &options).unwrap()[0].quads, 1);
    }

    #[test]
    fn gzipped_files_are_read_through() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("case.nt.gz");
        let mut encoder = flate2::write::GzEncoder::new(
            File::create(&path).unwrap(),
            flate2::Compression::fast(),
        );
        encoder
            .write_all(b"<http://e/a> <http://e/p> <http://e/b> .\n")
            .unwrap();
        encoder.finish().unwrap();
        let store = CaseStore::in_memory().unwrap();
        assert_eq!(
            load(&store, &[path], &LoadOptions::default()).unwrap()[0].quads,
            1
        );
    }
}
