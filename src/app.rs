//! Runs a parsed command line: opens the store, calls the library, prints.
//! Answers go to standard output; progress and summaries to standard error.

use crate::app_credibility;
use crate::app_extract;
use crate::cli::{
    Cli, Command, ExportArgs, GenerateArgs, LoadArgs, QueryArgs, ReasonArgs, ServeArgs, UpdateArgs,
    ValidateArgs, VizArgs,
};
use crate::error::{Error, Result};
use crate::export::{self, Scope};
use crate::formats;
use crate::import::rdf::{self as rdf_import, LoadOptions, TargetGraph};
use crate::named_queries;
use crate::output::{self, AnswerFormat, TableStyle};
use crate::reason::{self, ReasonOptions, DEPENDENCE_KINDS};
use crate::store::CaseStore;
use crate::validate::{self, Severity};
use crate::viz;
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedNode};
use std::io::{IsTerminal, Read, Write};

/// Runs the command line.
pub fn run(cli: Cli) -> Result<()> {
    if let Command::Generate(args) = &cli.command {
        // Needs no store.
        return generate(args);
    }
    if let Command::Evaluate(args) = &cli.command {
        if args.claims.is_some() {
            // Runs in memory on the table.
            return app_credibility::evaluate(None, args);
        }
    }
    if let Command::Query(QueryArgs { list: true, .. }) = &cli.command {
        return list_queries();
    }
    let engine = crate::endpoints::from_cli(&cli)?;
    if engine.is_some() && matches!(cli.command, Command::Serve(_)) {
        return Err(Error::invalid(
            "serve publishes the embedded store; an engine given by --endpoint or --profile has its own SPARQL endpoint",
        ));
    }
    let store = match engine {
        Some(config) => CaseStore::remote(config)?,
        None if cli.memory => CaseStore::in_memory()?,
        None => CaseStore::open(&cli.db)?,
    };
    if !cli.preload.is_empty() {
        let args = LoadArgs {
            files: cli.preload.clone(),
            format: None,
            graph: None,
            base: None,
        };
        load(&store, &args, !cli.prereason)?;
    }
    if cli.prereason {
        reason(
            &store,
            &ReasonArgs {
                dependence: "all".into(),
                max_statement_pairs: ReasonOptions::default().max_statement_pairs,
                evidence_limit: ReasonOptions::default().evidence_limit,
                rules: None,
            },
        )?;
    }
    match &cli.command {
        Command::Load(args) => load(&store, args, true),
        Command::Query(args) => query(&store, args),
        Command::Update(args) => update(&store, args),
        Command::Export(args) => export(&store, args),
        Command::Validate(args) => validate(&store, args),
        Command::Reason(args) => reason(&store, args),
        Command::Import(args) => app_credibility::import(&store, args),
        Command::Extract(args) => app_extract::extract(&store, args),
        Command::Match(args) => crate::app_match::run(&store, args),
        Command::Score(args) => app_credibility::score(&store, args),
        Command::Explain(args) => app_credibility::explain(&store, args),
        Command::Evaluate(args) => app_credibility::evaluate(Some(&store), args),
        Command::Viz(args) => viz(&store, args),
        Command::Serve(args) => serve(store, args),
        Command::Generate(_) => unreachable!("handled above"),
    }
}

fn load(store: &CaseStore, args: &LoadArgs, hint_reason: bool) -> Result<()> {
    let options = LoadOptions {
        format: args
            .format
            .as_deref()
            .map(formats::parse_rdf_format)
            .transpose()?,
        graph: args
            .graph
            .as_deref()
            .map(|g| {
                if g == "default" {
                    Ok(TargetGraph::Default)
                } else {
                    NamedNode::new(crate::resolve::expand_iri(g))
                        .map(TargetGraph::Named)
                        .map_err(|e| Error::invalid(format!("--graph {g}: not an IRI: {e}")))
                }
            })
            .transpose()?,
        base_iri: args.base.clone(),
    };
    let loaded = rdf_import::load(store, &args.files, &options)?;
    let total: u64 = loaded.iter().map(|f| f.quads).sum();
    for file in &loaded {
        let graph = match &file.graph {
            GraphName::DefaultGraph => "the default graph".to_string(),
            other => other.to_string(),
        };
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
        plural(loaded.len() as u64),
        plural(total),
        if hint_reason {
            "; run `credgraph reason` to update what is derived"
        } else {
            ""
        }
    );
    Ok(())
}

/// "s" unless there is one.
pub(crate) fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
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

fn list_queries() -> Result<()> {
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

fn query(store: &CaseStore, args: &QueryArgs) -> Result<()> {
    let text = match &args.name {
        Some(name) => {
            let query = named_queries::find(name)?;
            named_queries::prepare(store, &query, &args.params)?
        }
        None => read_text(&args.query, &args.file, "query")?,
    };
    let format = match (&args.results_format, &args.output) {
        (Some(name), _) => AnswerFormat::parse(name)?,
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
    };
    let rows = match &args.output {
        Some(path) => {
            let mut file = std::io::BufWriter::new(
                std::fs::File::create(path).map_err(|e| Error::file(path, e))?,
            );
            let rows = output::write_answer(results, format, style, &mut file)?;
            file.flush().map_err(|e| Error::file(path, e))?;
            rows
        }
        None => {
            let mut out = std::io::stdout().lock();
            let rows = output::write_answer(results, format, style, &mut out)?;
            out.flush().map_err(Error::Output)?;
            rows
        }
    };
    if terminal && format == AnswerFormat::Table {
        eprintln!("({rows} row{})", plural(rows as u64));
    }
    Ok(())
}

fn update(store: &CaseStore, args: &UpdateArgs) -> Result<()> {
    let text = read_text(&args.update, &args.file, "update")?;
    store.update(&text)?;
    eprintln!("update applied");
    Ok(())
}

fn export(store: &CaseStore, args: &ExportArgs) -> Result<()> {
    let scope = Scope::parse(&args.graph)?;
    let format = export::choose_format(args.format.as_deref(), args.output.as_deref(), &scope)?;
    let count = match &args.output {
        Some(path) => export::export_to_file(store, &scope, format, path)?,
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let count = export::export(store, &scope, format, &mut out)?;
            out.flush().map_err(Error::Output)?;
            count
        }
    };
    eprintln!(
        "exported {count} triple{} as {}",
        plural(count as u64),
        format.name()
    );
    Ok(())
}

fn viz(store: &CaseStore, args: &VizArgs) -> Result<()> {
    let format = match (&args.format, &args.output) {
        (Some(name), _) => viz::Format::parse(name)?,
        (None, Some(path)) => viz::Format::of_path(path).unwrap_or(viz::Format::Svg),
        (None, None) => viz::Format::Svg,
    };
    let options = viz::Options {
        view: viz::View::parse(&args.view)?,
        focus: args.focus.clone(),
        question: args.question.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        min_weight: args.min_weight.max(1),
        independent_only: args.independent_only,
        method: args.method.clone(),
        seed: args.seed,
        pair_details: format == viz::Format::Html,
    };
    let started = std::time::Instant::now();
    let mut picture = viz::read(store, &options)?;
    let read_seconds = started.elapsed().as_secs_f64();
    let drawn = std::time::Instant::now();
    viz::layout::lay_out(&mut picture, options.seed);
    match &args.output {
        Some(path) => crate::files::write_whole(path, |out| viz::write(&picture, format, out))?,
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            viz::write(&picture, format, &mut out)?;
            out.flush().map_err(Error::Output)?;
        }
    }
    let edges = picture
        .edges
        .iter()
        .filter(|e| e.kind != viz::EdgeKind::Reports)
        .count();
    eprintln!(
        "drew {} node{} and {} edge{}{}{} (read in {:.2} s, laid out and written in {:.2} s)",
        picture.nodes.len(),
        plural(picture.nodes.len() as u64),
        picture.edges.len(),
        plural(picture.edges.len() as u64),
        if picture.groups.is_empty() || options.view == viz::View::Statements {
            String::new()
        } else {
            format!(
                " in {} camp{}",
                picture.groups.len(),
                plural(picture.groups.len() as u64)
            )
        },
        match &args.output {
            Some(path) => format!(" to {}", path.display()),
            None => String::new(),
        },
        read_seconds,
        drawn.elapsed().as_secs_f64(),
    );
    if edges == 0
        && !store.graph_exists(oxigraph::model::NamedNodeRef::new_unchecked(
            crate::vocab::graph::DERIVED,
        ))?
    {
        eprintln!("no agreement or contradiction to draw yet: run `credgraph reason` first");
    }
    Ok(())
}

fn serve(store: CaseStore, args: &ServeArgs) -> Result<()> {
    let write_token = if args.writable {
        Some(write_token(args.token_file.as_deref())?)
    } else {
        if args.token_file.is_some() {
            return Err(Error::invalid(
                "--token-file is for a writable endpoint: add --writable",
            ));
        }
        None
    };
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        return Err(Error::invalid(format!(
            "--timeout {}: give a number of seconds above 0",
            args.timeout
        )));
    }
    if args.max_rows == 0 || args.max_connections == 0 || args.max_parallel_queries == Some(0) {
        return Err(Error::invalid(
            "--max-rows, --max-connections and --max-parallel-queries must be at least 1",
        ));
    }
    crate::server::serve(
        store,
        crate::server::Settings {
            bind: args.bind.clone(),
            write_token,
            timeout: std::time::Duration::from_secs_f64(args.timeout),
            max_rows: args.max_rows,
            max_body: args.max_body,
            cors_origins: args.cors.clone(),
            max_connections: args.max_connections,
            max_parallel_queries: args
                .max_parallel_queries
                .unwrap_or_else(|| 2 * std::thread::available_parallelism().map_or(2, usize::from)),
        },
    )
}

/// The bearer token of a writable endpoint: from a file, else the environment;
/// never from the command line, where other users of the machine could read it.
fn write_token(file: Option<&std::path::Path>) -> Result<String> {
    let token = match file {
        Some(path) => std::fs::read_to_string(path).map_err(|e| Error::file(path, e))?,
        None => std::env::var("CREDGRAPH_TOKEN").map_err(|_| {
            Error::invalid(
                "--writable needs a token for writes: give --token-file FILE or set CREDGRAPH_TOKEN",
            )
        })?,
    };
    let token = token.trim().to_string();
    if token.len() < 16 || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(format!(
            "the write token{} must be at least 16 characters without spaces",
            file.map(|p| format!(" in {}", p.display()))
                .unwrap_or_default()
        )));
    }
    Ok(token)
}

fn validate(store: &CaseStore, args: &ValidateArgs) -> Result<()> {
    let found = validate::validate(store, &args.shapes)?;
    let violations = found
        .iter()
        .filter(|v| v.severity == Severity::Violation)
        .count();
    let mut out = std::io::stdout().lock();
    let io = Error::Output;
    match args.format.as_str() {
        "json" => {
            serde_json::to_writer_pretty(&mut out, &found).map_err(|e| Error::Output(e.into()))?;
            writeln!(out).map_err(io)?;
        }
        "text" => {
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
        other => {
            return Err(Error::invalid(format!(
                "unknown --format {other}; use text or json"
            )))
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

fn reason(store: &CaseStore, args: &ReasonArgs) -> Result<()> {
    let dependence = match args.dependence.as_str() {
        "all" => DEPENDENCE_KINDS.iter().map(|k| k.to_string()).collect(),
        "none" => Default::default(),
        list => list
            .split(',')
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect(),
    };
    let options = ReasonOptions {
        dependence,
        max_statement_pairs: args.max_statement_pairs,
        evidence_limit: args.evidence_limit,
        rules_dir: args.rules.clone(),
    };
    let report = reason::reason(store, &options)?;
    for rule in &report.rules {
        match &rule.skipped {
            Some(why) => eprintln!("  {:<34} skipped: {why}", rule.rule),
            None => eprintln!(
                "  {:<34} {:>9} triple{} in {} run{} ({:.2} s)",
                rule.rule,
                rule.added,
                plural(rule.added),
                rule.runs,
                plural(u64::from(rule.runs)),
                rule.time.as_secs_f64()
            ),
        }
    }
    if report.incomplete_statements > 0 {
        eprintln!(
            "  {} statement{} lack a source, proposition or polarity and were left out (see `credgraph validate`)",
            report.incomplete_statements,
            plural(report.incomplete_statements as u64)
        );
    }
    eprintln!(
        "  read the statements in {:.2} s",
        report.index_time.as_secs_f64()
    );
    eprintln!(
        "reasoned over {} statement{} in {:.2} s: {} agreeing and {} contradicting statement pairs{}, {} source pair{}, {} corroborating; {} derived triples",
        report.statements,
        plural(report.statements as u64),
        report.time.as_secs_f64(),
        report.statement_pairs.agreeing_statement_pairs,
        report.statement_pairs.contradicting_statement_pairs,
        if report.statement_pairs_stored { "" } else { " (not stored)" },
        report.source_pairs,
        plural(report.source_pairs as u64),
        report.corroborating_pairs,
        report.derived_triples
    );
    Ok(())
}

fn generate(args: &GenerateArgs) -> Result<()> {
    let format = match (&args.format, &args.output) {
        (Some(name), _) => formats::parse_rdf_format(name)?,
        (None, Some(path)) => formats::rdf_format_of_path(path).0.ok_or_else(|| {
            Error::invalid(format!(
                "{}: cannot tell the RDF format from the file name; give --format",
                path.display()
            ))
        })?,
        (None, None) => RdfFormat::NTriples,
    };
    let options = crate::generate::GenerateOptions {
        sources: args.sources,
        statements: args.statements,
        questions: args.questions,
        seed: args.seed,
    };
    let report = match &args.output {
        Some(path) => {
            crate::files::write_whole(path, |out| crate::generate::generate(&options, format, out))?
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let report = crate::generate::generate(&options, format, &mut out)?;
            out.flush().map_err(Error::Output)?;
            report
        }
    };
    eprintln!(
        "generated {} triples: {} sources, {} questions, {} statements",
        report.triples, report.sources, report.questions, report.statements
    );
    Ok(())
}
