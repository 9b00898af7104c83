//! The store's RDF and SPARQL commands: `load`, `query`, `update`, `export`, `validate`.

use super::cli::{ExportArgs, LoadArgs, OutputFormat, QueryArgs, UpdateArgs, ValidateArgs};
use super::print::{self, plural};
use crate::error::{Error, Result};
use crate::export;
use crate::import::rdf::{self as rdf_import, LoadOptions};
use crate::named_queries;
use crate::output::{self, AnswerFormat, TableStyle};
use crate::store::CaseStore;
use crate::validate::{self, Severity};
use std::io::{IsTerminal, Read, Write};

pub fn load(store: &CaseStore, args: &LoadArgs, hint_reason: bool) -> Result<()> {
    let options = LoadOptions {
        format: args.format,
        graph: args.graph.clone(),
        base_iri: args.base.clone(),
    };
    let loaded = rdf_import::load(store, &args.files, &options)?;
    let total: u64 = loaded.iter().map(|f| f.quads).sum();
    for file in &loaded {
        let graph = print::graph(&file.graph);
        eprintln!(
            "{}: {} triple{} into {graph}{}",
            file.source,
            file.quads,
            plural(file.quads),
            if file.replaced {
                " (replacing the earlier load)"
            } else {
                ""
            }
        );
    }
    eprintln!(
        "loaded {} file{}, {total} triple{}{}",
        loaded.len(),
        plural(loaded.len()),
        plural(total),
        if hint_reason {
            "; run `credgraph reason` to update what is derived"
        } else {
            ""
        }
    );
    Ok(())
}

pub fn list_queries() -> Result<()> {
    let mut out = std::io::stdout().lock();
    let io = Error::Output;
    for query in named_queries::all() {
        writeln!(out, "{}", query.name).map_err(io)?;
        writeln!(out, "    {}", query.description).map_err(io)?;
        for param in &query.params {
            writeln!(
                out,
                "    --param {}=...  ({}{}) {}",
                param.name,
                param.kind.name(),
                if param.optional { ", optional" } else { "" },
                param.description
            )
            .map_err(io)?;
        }
    }
    Ok(())
}

pub fn query(store: &CaseStore, args: &QueryArgs) -> Result<()> {
    let text = match &args.name {
        Some(name) => {
            let query = named_queries::find(name)?;
            named_queries::prepare(store, &query, &args.params)?
        }
        None => read_text(&args.query, &args.file, "query")?,
    };
    let format = match (args.results_format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => {
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            AnswerFormat::parse(extension).map_err(|_| {
                Error::invalid(format!(
                    "{}: cannot tell the results format from the file name; give --results-format",
                    path.display()
                ))
            })?
        }
        (None, None) => AnswerFormat::Table,
    };
    let results = store.query(&text)?;
    let terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let style = TableStyle {
        max_cell_width: (terminal && !args.full).then_some(60),
        measure_all: args.full,
    };
    let rows = print::to_output(args.output.as_deref(), |out| {
        output::write_answer(results, format, style, out)
    })?;
    if terminal && format == AnswerFormat::Table {
        eprintln!("({rows} row{})", plural(rows));
    }
    Ok(())
}

pub fn update(store: &CaseStore, args: &UpdateArgs) -> Result<()> {
    let text = read_text(&args.update, &args.file, "update")?;
    store.update(&text)?;
    eprintln!("update applied");
    Ok(())
}

pub fn export(store: &CaseStore, args: &ExportArgs) -> Result<()> {
    let scope = &args.graph;
    let format = export::choose_format(args.format, args.output.as_deref(), scope)?;
    let count = match &args.output {
        Some(path) => export::export_to_file(store, scope, format, path)?,
        None => print::to_output(None, |out| export::export(store, scope, format, out))?,
    };
    eprintln!(
        "exported {count} triple{} as {}",
        plural(count),
        format.name()
    );
    Ok(())
}

pub fn validate(store: &CaseStore, args: &ValidateArgs) -> Result<()> {
    let found = validate::validate(store, &args.shapes)?;
    let violations = found
        .iter()
        .filter(|v| v.severity == Severity::Violation)
        .count();
    let mut out = std::io::stdout().lock();
    let io = Error::Output;
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &found).map_err(|e| Error::Output(e.into()))?;
            writeln!(out).map_err(io)?;
        }
        OutputFormat::Text => {
            for finding in &found {
                let severity = match finding.severity {
                    Severity::Violation => "violation",
                    Severity::Warning => "warning",
                    Severity::Info => "info",
                };
                let path = finding
                    .path
                    .as_deref()
                    .map(|p| format!(" {p}"))
                    .unwrap_or_default();
                let value = finding
                    .value
                    .as_deref()
                    .map(|v| format!(" (value {v})"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{severity}: {}{path}: {}{value}",
                    finding.focus, finding.message
                )
                .map_err(io)?;
            }
        }
    }
    if violations > 0 {
        return Err(Error::Violations { count: violations });
    }
    eprintln!(
        "the store conforms to the shapes{}",
        if found.is_empty() {
            String::new()
        } else {
            format!(" ({} warnings)", found.len())
        }
    );
    Ok(())
}

fn read_text(
    argument: &Option<String>,
    file: &Option<std::path::PathBuf>,
    what: &str,
) -> Result<String> {
    match (argument.as_deref(), file) {
        (Some("-") | None, None) => {
            if std::io::stdin().is_terminal() && argument.is_none() {
                return Err(Error::invalid(format!(
                    "no {what} given: pass it as an argument, with --file, or on standard input"
                )));
            }
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Error::file("<stdin>", e))?;
            Ok(text)
        }
        (Some(text), None) => Ok(text.to_string()),
        (_, Some(path)) => std::fs::read_to_string(path).map_err(|e| Error::file(path, e)),
    }
}
