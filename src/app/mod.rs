//! The command layer: turns a parsed command line into library calls and prints what
//! they return. Answers go to standard output; progress and summaries to standard
//! error. Nothing here computes: each file is one group of commands.

pub mod cli;
mod credibility;
mod extract;
mod generate;
mod import;
mod matching;
mod print;
mod rdf;
mod reason;
mod serve;
mod viz;

use crate::endpoints::{self, Profile};
use crate::error::{Error, Result};
use crate::store::CaseStore;
use cli::{Cli, Command, LoadArgs, QueryArgs, ReasonArgs};

/// Runs the command line.
pub fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        // These need no store.
        Command::Generate(args) => return generate::generate(args),
        Command::Evaluate(args) if args.claims.is_some() => {
            return credibility::evaluate(None, args)
        }
        Command::Query(QueryArgs { list: true, .. }) => return rdf::list_queries(),
        _ => {}
    }
    let store = open(&cli)?;
    if !cli.preload.is_empty() {
        let args = LoadArgs {
            files: cli.preload.clone(),
            format: None,
            graph: None,
            base: None,
        };
        rdf::load(&store, &args, !cli.prereason)?;
    }
    if cli.prereason {
        reason::reason(&store, &ReasonArgs::default())?;
    }
    match &cli.command {
        Command::Load(args) => rdf::load(&store, args, true),
        Command::Query(args) => rdf::query(&store, args),
        Command::Update(args) => rdf::update(&store, args),
        Command::Export(args) => rdf::export(&store, args),
        Command::Validate(args) => rdf::validate(&store, args),
        Command::Reason(args) => reason::reason(&store, args),
        Command::Import(args) => import::import(&store, args),
        Command::Extract(args) => extract::extract(&store, args),
        Command::Match(args) => matching::run(&store, args),
        Command::Score(args) => credibility::score(&store, args),
        Command::Explain(args) => credibility::explain(&store, args),
        Command::Evaluate(args) => credibility::evaluate(Some(&store), args),
        Command::Viz(args) => viz::viz(&store, args),
        Command::Serve(args) => serve::serve(store, args),
        Command::Generate(_) => Err(Error::Internal("generate needs no store".into())),
    }
}

/// The store the command works on: a remote engine (--endpoint, --profile), one in
/// memory (--memory), or the embedded store of --db.
fn open(cli: &Cli) -> Result<CaseStore> {
    let flags = Profile {
        query: cli.endpoint.clone(),
        update: cli.update_url.clone(),
        store: cli.store_url.clone(),
        auth: cli.auth,
        user: cli.user.clone(),
        password_file: cli.password_file.clone(),
        timeout: cli.endpoint_timeout,
        page_size: cli.page_size,
        write_chunk: cli.write_chunk,
        ..Profile::default()
    };
    if cli.profile.is_none() && cli.endpoint.is_none() {
        let remote_only = [
            (cli.update_url.is_some(), "--update-url"),
            (cli.store_url.is_some(), "--store-url"),
            (cli.auth.is_some(), "--auth"),
            (cli.password_file.is_some(), "--password-file"),
            (cli.page_size.is_some(), "--page-size"),
            (cli.write_chunk.is_some(), "--write-chunk"),
            (cli.endpoint_timeout.is_some(), "--endpoint-timeout"),
        ];
        if let Some((_, flag)) = remote_only.iter().find(|(given, _)| *given) {
            return Err(Error::invalid(format!(
                "{flag} is for a remote engine: give --endpoint URL or --profile NAME too"
            )));
        }
    }
    let engine = endpoints::resolve(cli.profile.as_deref(), cli.endpoints_file.as_deref(), flags)?;
    if engine.is_some() && matches!(cli.command, Command::Serve(_)) {
        return Err(Error::invalid(
            "serve publishes the embedded store; an engine given by --endpoint or --profile has its own SPARQL endpoint",
        ));
    }
    match engine {
        Some(config) => CaseStore::remote(config),
        None if cli.memory => CaseStore::in_memory(),
        None => CaseStore::open(&cli.db),
    }
}
