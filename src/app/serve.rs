//! `serve`: the SPARQL endpoint and its page.

use super::cli::ServeArgs;
use crate::error::{Error, Result};
use crate::store::CaseStore;

pub fn serve(store: CaseStore, args: &ServeArgs) -> Result<()> {
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
    for (flag, seconds) in [
        ("--timeout", args.timeout),
        ("--request-timeout", args.request_timeout),
    ] {
        if !(seconds > 0.0 && seconds.is_finite() && seconds < 1e9) {
            return Err(Error::invalid(format!(
                "{flag} {seconds}: give a number of seconds above 0"
            )));
        }
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
            request_timeout: std::time::Duration::from_secs_f64(args.request_timeout),
            max_parallel_queries: args
                .max_parallel_queries
                .unwrap_or_else(|| 2 * std::thread::available_parallelism().map_or(2, usize::from)),
            max_memory: (args.max_memory > 0).then_some(args.max_memory << 20),
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
