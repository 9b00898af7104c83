//! The `credgraph` binary: parse the arguments, run, map errors to exit codes.

use clap::Parser;

// mimalloc replaces malloc for Rust and for RocksDB's C++ alike ("override"), so
// memory allocated on one side and freed on the other meets one allocator. glibc's
// malloc took a fifth of `serve`'s time under 64 clients.
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
