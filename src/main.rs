//! The `credgraph` binary: parse the arguments, run, map errors to exit codes.

use clap::Parser;

// glibc's allocator spent a fifth of `serve`'s time under 64 concurrent clients,
// most of it contending between threads; mimalloc keeps a heap per thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
