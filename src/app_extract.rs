//! Runs `extract` (articles to review sheets) and the sheet half of `import`.

use crate::cli::{ExtractArgs, ImportArgs};
use crate::error::{Error, Position, Result};
use crate::extract::linking::Directory;
use crate::extract::sheet::{self, Sheet, SpeakerKind};
use crate::extract::{self, article, rdf};
use crate::import::rdf::file_graph;
use crate::output;
use crate::store::CaseStore;
use oxigraph::io::RdfFormat;
use oxigraph::model::GraphName;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SheetFormat {
    Yaml,
    Json,
    Turtle,
}

impl SheetFormat {
    fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Ok(SheetFormat::Yaml),
            "json" => Ok(SheetFormat::Json),
            "turtle" | "ttl" => Ok(SheetFormat::Turtle),
            other => Err(Error::invalid(format!(
                "--format {other}: extract writes yaml (the review sheet), json or turtle"
            ))),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            SheetFormat::Yaml => "yaml",
            SheetFormat::Json => "json",
            SheetFormat::Turtle => "ttl",
        }
    }
}

/// Whether a file is a review sheet rather than a claim table.
pub fn is_sheet(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("yaml" | "yml" | "json")
    )
}

/// `credgraph extract`.
pub fn extract(store: &CaseStore, args: &ExtractArgs) -> Result<()> {
    let format = SheetFormat::parse(&args.format)?;
    let date = match &args.date {
        Some(value) => Some(article::parse_date(value).ok_or_else(|| {
            Error::invalid(format!(
                "--date {value:?}: unknown date format; write it as YYYY-MM-DD (or \"24 December 2022\", \"December 24, 2022\")"
            ))
        })?),
        None => None,
    };
    let overrides = extract::Overrides {
        date,
        outlet: args.outlet.clone(),
        title: args.title.clone(),
        url: args.url.clone(),
    };
    let folder = match &args.output {
        Some(path)
            if args.files.len() > 1 || path.is_dir() || path.to_string_lossy().ends_with('/') =>
        {
            std::fs::create_dir_all(path).map_err(|e| Error::file(path, e))?;
            Some(path.clone())
        }
        None if args.files.len() > 1 => {
            return Err(Error::invalid(
                "several articles need -o FOLDER: each gets a sheet of its own there",
            ))
        }
        _ => None,
    };
    let directory = Directory::read(store)?;
    // Read and check every article first: a bad one stops the run before anything is written.
    let mut articles = Vec::new();
    for path in &args.files {
        let (name, bytes) = read_input(path)?;
        let article = article::read(Path::new(&name), bytes)?;
        let date = overrides.date.clone().or_else(|| article.date.clone()).ok_or_else(|| {
            Error::invalid(format!(
                "{name}: no date: give --date YYYY-MM-DD or start the article with a `date: YYYY-MM-DD` line"
            ))
        })?;
        articles.push((path, name, article, date));
    }
    // Proposing and rendering run on every core. Ids are first made unique within
    // each article and against the store, then across the articles in their order,
    // so the result does not depend on which thread finished first.
    let mut sheets: Vec<Sheet> = par_map(&articles, |(_, name, article, date)| {
        let mut local = std::collections::HashSet::new();
        extract::propose(
            name,
            article,
            date.clone(),
            &overrides,
            &directory,
            &mut |id, document| {
                let iri = format!("{}statement/{id}", crate::vocab::ID);
                !local.contains(id)
                    && !other_articles_statement(store, &iri, document)
                    && local.insert(id.to_string())
            },
        )
    });
    let mut taken = std::collections::HashSet::new();
    for sheet in &mut sheets {
        let mine: std::collections::HashSet<String> =
            sheet.statements.iter().map(|s| s.id.clone()).collect();
        let document = sheet.article.document.clone();
        for statement in &mut sheet.statements {
            if taken.insert(statement.id.clone()) {
                continue;
            }
            let base = statement.id.clone();
            let mut n = 2;
            loop {
                let id = format!("{base}-{n}");
                let iri = format!("{}statement/{id}", crate::vocab::ID);
                if !taken.contains(&id)
                    && !mine.contains(&id)
                    && !other_articles_statement(store, &iri, &document)
                {
                    taken.insert(id.clone());
                    statement.id = id;
                    break;
                }
                n += 1;
            }
        }
    }
    if args.with_match {
        crate::app_match::match_sheets(store, &mut sheets)?;
    }
    let rendered: Vec<Result<String>> = par_map(&sheets, |sheet| render(sheet, format));
    let mut used = std::collections::HashSet::new();
    for (((path, name, _, _), sheet), rendered) in articles.iter().zip(&sheets).zip(rendered) {
        report(name, sheet);
        let rendered = rendered?;
        match (&folder, &args.output) {
            (Some(folder), _) => {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .filter(|s| s != "-")
                    .unwrap_or_else(|| "standard-input".into());
                let mut target = folder.join(format!("{stem}.{}", format.extension()));
                let mut n = 2;
                while !used.insert(target.clone()) {
                    target = folder.join(format!("{stem}-{n}.{}", format.extension()));
                    n += 1;
                }
                write_file(&target, &rendered)?;
            }
            (None, Some(file)) => write_file(file, &rendered)?,
            (None, None) => {
                let mut out = std::io::stdout().lock();
                out.write_all(rendered.as_bytes()).map_err(Error::Output)?;
                out.flush().map_err(Error::Output)?;
            }
        }
    }
    Ok(())
}

/// `f` of every item, in order, the items shared out among the cores.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 16);
    if threads == 1 || items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| {
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Whether the store already has a statement of this IRI that another article
/// reports (the same article extracted again keeps its ids).
fn other_articles_statement(store: &CaseStore, iri: &str, document: &str) -> bool {
    let (Ok(node), Some(document)) = (
        oxigraph::model::NamedNode::new(iri),
        crate::vocab::expand(document).and_then(|d| oxigraph::model::NamedNode::new(d).ok()),
    ) else {
        return false;
    };
    let any = |found: Result<crate::store::Quads<'_>>| {
        found.is_ok_and(|mut quads| quads.next().is_some())
    };
    let exists = any(store.quads(Some(node.as_ref().into()), None, None, None));
    let ours = any(store.quads(
        Some(node.as_ref().into()),
        Some(crate::vocab::cg::REPORTED_IN),
        Some(document.as_ref().into()),
        None,
    ));
    exists && !ours
}

fn read_input(path: &Path) -> Result<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::file("<stdin>", e))?;
        return Ok(("-".into(), bytes));
    }
    let mut file = std::fs::File::open(path).map_err(|e| Error::file(path, e))?;
    file.read_to_end(&mut bytes)
        .map_err(|e| Error::file(path, e))?;
    Ok((path.display().to_string(), bytes))
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    crate::files::write_whole(path, |out| {
        out.write_all(text.as_bytes())
            .map_err(|e| Error::file(path, e))
    })
}

/// One line per article on standard error, and the sheet's notes.
fn report(name: &str, sheet: &Sheet) {
    let count = |kind: SpeakerKind| {
        sheet
            .statements
            .iter()
            .filter(|s| s.speaker_kind == kind)
            .count()
    };
    let quotes = sheet
        .statements
        .iter()
        .filter(|s| s.how == sheet::How::Quote)
        .count();
    let linked = sheet
        .statements
        .iter()
        .filter(|s| {
            !s.speaker_is_new
                && !matches!(s.speaker_kind, SpeakerKind::Unknown | SpeakerKind::Outlet)
        })
        .count();
    eprintln!(
        "{name}: {} statement{} proposed ({quotes} quoted, {} the outlet's own, {linked} by speakers already in the store, {} without a speaker)",
        sheet.statements.len(),
        crate::app::plural(sheet.statements.len() as u64),
        count(SpeakerKind::Outlet),
        count(SpeakerKind::Unknown),
    );
    for note in &sheet.notes {
        eprintln!("{name}: note: {note}");
    }
}

fn render(sheet: &Sheet, format: SheetFormat) -> Result<String> {
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
            let mut writer = output::rdf_serializer(RdfFormat::Turtle).for_writer(&mut out);
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

/// What one sheet gave.
pub struct ImportedSheet {
    pub path: PathBuf,
    pub statements: usize,
    pub left_out: usize,
    pub quads: usize,
    pub replaced: bool,
}

/// `credgraph import SHEET...`: every sheet is checked before anything is written;
/// then all go in together.
pub fn import_sheets(store: &CaseStore, args: &ImportArgs) -> Result<Vec<ImportedSheet>> {
    let mut all = Vec::new();
    let mut ids: std::collections::HashMap<String, PathBuf> = std::collections::HashMap::new();
    let mut replace = Vec::new();
    let mut report = Vec::new();
    for path in &args.files {
        let text = std::fs::read(path).map_err(|e| Error::file(path, e))?;
        let text = String::from_utf8(text).map_err(|e| Error::Syntax {
            path: path.clone(),
            position: None,
            message: format!("not UTF-8 text: {e}"),
        })?;
        let sheet = sheet::from_yaml(path, &text)?;
        let graph = match args.graph.as_deref() {
            Some("default") => GraphName::DefaultGraph,
            Some(iri) => GraphName::NamedNode(
                oxigraph::model::NamedNode::new(crate::resolve::expand_iri(iri))
                    .map_err(|e| Error::invalid(format!("--graph {iri}: not an IRI: {e}")))?,
            ),
            None => GraphName::NamedNode(file_graph(path)?),
        };
        let quads = rdf::quads(&sheet, graph.clone()).map_err(|e| {
            let line = e
                .statement
                .as_deref()
                .and_then(|id| sheet::statement_line(&text, id))
                .or_else(|| field_line(&text, e.field));
            let which = match &e.statement {
                Some(id) => format!("statement {id}: "),
                None => "article: ".into(),
            };
            Error::Syntax {
                path: path.clone(),
                position: line.map(|line| Position { line, column: 1 }),
                message: format!("{which}field `{}`: {}", e.field, e.message),
            }
        })?;
        // A statement id names one statement: not two of these sheets, and not one
        // that another graph of the store already holds.
        for proposal in sheet.statements.iter().filter(|p| p.keep) {
            let iri = format!("{}statement/{}", crate::vocab::ID, proposal.id);
            let line =
                sheet::statement_line(&text, &proposal.id).map(|line| Position { line, column: 1 });
            if let Some(other) = ids.insert(iri.clone(), path.clone()) {
                return Err(Error::Syntax {
                    path: path.clone(),
                    position: line,
                    message: format!(
                        "statement {}: {} has a statement of this id too; give one of them another id",
                        proposal.id,
                        other.display()
                    ),
                });
            }
            if let Some(elsewhere) = graph_holding(store, &iri, &graph) {
                return Err(Error::Syntax {
                    path: path.clone(),
                    position: line,
                    message: format!(
                        "statement {}: the store already has a statement of this id, in {elsewhere}; give this one another id",
                        proposal.id
                    ),
                });
            }
        }
        let mut replaced = false;
        if let (GraphName::NamedNode(g), None) = (&graph, &args.graph) {
            replaced = store.graph_exists(g.as_ref())?;
            replace.push(g.clone());
        }
        report.push(ImportedSheet {
            path: path.clone(),
            statements: sheet.statements.iter().filter(|s| s.keep).count(),
            left_out: sheet.statements.iter().filter(|s| !s.keep).count(),
            quads: quads.len(),
            replaced,
        });
        all.extend(quads);
    }
    store.write_graphs(&replace, all)?;
    Ok(report)
}

/// A graph other than `own` in which the store has quads about `iri`.
fn graph_holding(store: &CaseStore, iri: &str, own: &GraphName) -> Option<String> {
    let node = oxigraph::model::NamedNode::new(iri).ok()?;
    store
        .quads(Some(node.as_ref().into()), None, None, None)
        .ok()?
        .filter_map(|q| q.ok())
        .find(|q| q.graph_name != *own)
        .map(|q| match q.graph_name {
            GraphName::DefaultGraph => "the default graph".to_string(),
            other => other.to_string(),
        })
}

/// The line of an article field, for messages about it.
fn field_line(text: &str, field: &str) -> Option<u64> {
    text.lines()
        .position(|line| line.trim_start().starts_with(&format!("{field}:")))
        .map(|i| i as u64 + 1)
}
