//! The `credgraph` binary: parse the arguments, run, map errors to exit codes.

use clap::Parser;

fn main() {
    let cli = credgraph::cli::Cli::parse();
    if let Err(error) = credgraph::app::run(cli) {
        if error.is_broken_pipe() {
            return;
        }
        eprintln!("error: {error}");
        std::process::exit(error.exit_code());
    }
}
