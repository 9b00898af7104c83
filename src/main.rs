//! The `credgraph` binary: parse the arguments, run, map errors to exit codes.

#![forbid(unsafe_code)]

use clap::Parser;

// mimalloc replaces malloc for Rust and for RocksDB's C++ alike ("override"), so
// memory allocated on one side and freed on the other meets one allocator. glibc's
// malloc took a fifth of `serve`'s time under 64 clients.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // No transparent huge pages: where memory is fragmented, faulting one in stalls
    // while the kernel compacts memory, which made the same scoring run up to half
    // again as slow; with 4 KB pages the time no longer depends on that. Best
    // effort: an older kernel without the call runs as before.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let cli = credgraph::Cli::parse();
    if let Err(error) = credgraph::run(cli) {
        if error.is_broken_pipe() {
            return;
        }
        eprintln!("error: {error}");
        std::process::exit(error.exit_code());
    }
}
