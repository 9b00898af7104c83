//! Programs beyond Rust that some tests drive: Chromium, Graphviz's `dot`, Python
//! with networkx or with SPARQLWrapper and rdflib, and the SPARQL engines.
//!
//! A test asks for its tool with [`Tool::find`] and returns when it gets `None`:
//! the tool is missing, and one line on standard error names the test, the tool and
//! how to install it. The line goes to the process's standard error itself, past
//! the test harness's capture, so that a plain `cargo test` shows it. With
//! `CREDGRAPH_REQUIRE_TOOLS=1` (as `.ci/run` sets it) a missing tool fails the test
//! instead; `CREDGRAPH_REQUIRE_ENGINES=1`, the earlier name, is read the same way.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// A program a test needs, and how to get it.
pub struct Tool {
    /// What the messages call it.
    pub name: &'static str,
    /// The program, looked for on the PATH.
    pub program: &'static str,
    /// An environment variable that may give the program's path instead.
    pub variable: Option<&'static str>,
    /// Python modules the program must import (for `python3`).
    pub modules: &'static [&'static str],
    /// How to install it, on Debian.
    pub install: &'static str,
}

pub const CHROMIUM: Tool = Tool {
    name: "Chromium",
    program: "chromium",
    variable: None,
    modules: &[],
    install: "apt-get install chromium",
};

pub const GRAPHVIZ: Tool = Tool {
    name: "Graphviz's dot",
    program: "dot",
    variable: None,
    modules: &[],
    install: "apt-get install graphviz",
};

pub const PYTHON: Tool = Tool {
    name: "python3",
    program: "python3",
    variable: None,
    modules: &[],
    install: "apt-get install python3",
};

pub const NETWORKX: Tool = Tool {
    name: "python3 with networkx",
    program: "python3",
    variable: None,
    modules: &["networkx"],
    install: "apt-get install python3-pip, then pip install networkx",
};

pub const PYTHON_SPARQL_CLIENTS: Tool = Tool {
    name: "python3 with SPARQLWrapper and rdflib",
    program: "python3",
    variable: None,
    modules: &["SPARQLWrapper", "rdflib"],
    install: "apt-get install python3-pip, then pip install sparqlwrapper rdflib",
};

pub const OXIGRAPH_SERVER: Tool = Tool {
    name: "Oxigraph's server",
    program: "oxigraph",
    variable: Some("CREDGRAPH_TEST_OXIGRAPH"),
    modules: &[],
    install: "pip install oxigraph==0.5.13, or set CREDGRAPH_TEST_OXIGRAPH to its path",
};

pub const VIRTUOSO: Tool = Tool {
    name: "Virtuoso",
    program: "virtuoso-t",
    variable: Some("CREDGRAPH_TEST_VIRTUOSO"),
    modules: &[],
    install: "apt-get install virtuoso-opensource",
};

impl Tool {
    /// The program's path; or `None`, having said loudly that the calling test is
    /// skipped (or failed it, when tools are required).
    pub fn find(&self) -> Option<PathBuf> {
        let found = self.locate();
        if found.is_none() {
            skip(&format!("{} not found ({})", self.name, self.install));
        }
        found
    }

    fn locate(&self) -> Option<PathBuf> {
        let path = match self.variable.and_then(std::env::var_os) {
            Some(path) => Some(PathBuf::from(path)).filter(|path| path.is_file()),
            None => on_path(self.program),
        }?;
        if self.modules.is_empty() {
            return Some(path);
        }
        let imports = Command::new(&path)
            .arg("-c")
            .arg(format!("import {}", self.modules.join(", ")))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        matches!(imports, Ok(status) if status.success()).then_some(path)
    }
}

/// A program on the PATH.
fn on_path(program: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

/// The variable, set to 1, under which a missing tool fails the test rather than
/// skipping it.
pub fn required() -> Option<&'static str> {
    ["CREDGRAPH_REQUIRE_TOOLS", "CREDGRAPH_REQUIRE_ENGINES"]
        .into_iter()
        .find(|variable| std::env::var(variable).as_deref() == Ok("1"))
}

/// The running test as `file::name`.
fn current_test() -> String {
    let file = module_path!().split("::").next().unwrap_or("?");
    match std::thread::current().name() {
        Some(name) if name != "main" => format!("{file}::{name}"),
        _ => file.to_string(),
    }
}

/// Says on one line of standard error, past the harness's capture, that the
/// running test is skipped and why; panics instead when tools are required. The
/// caller returns from the test.
pub fn skip(why: &str) {
    if let Some(variable) = required() {
        panic!("{}: {why}; {variable}=1 requires it", current_test());
    }
    announce_skip(why);
}

/// Says on one line of standard error, past the harness's capture, that the
/// running test is skipped and why, whether or not tools are required: for what
/// is not a tool (a test suite kept outside the repository).
pub fn announce_skip(why: &str) {
    // One write, so that the lines of tests running at once do not interleave.
    let line = format!("SKIPPED {}: {why}\n", current_test());
    let _ = std::io::stderr().write_all(line.as_bytes());
}
