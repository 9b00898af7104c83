//! Every command against real SPARQL engines started here on loopback: Oxigraph's
//! server (`pip install oxigraph==0.5.13`) and Virtuoso 7.2 from Debian
//! (`virtuoso-opensource`). The seed case is loaded, reasoned, validated, queried,
//! scored and exported there, and each answer equals the embedded store's.
//!
//! When an engine is not installed, or does not start, the test says so loudly and
//! skips; with `CREDGRAPH_REQUIRE_TOOLS=1` (as `.ci/run` sets it) it fails instead
//! (`common::tools`).

mod common;

use assert_cmd::Command;
use common::{seed_data, tools};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// An engine running for one test, stopped when dropped.
struct Engine {
    name: &'static str,
    child: Child,
    /// The flags that point credgraph at it.
    flags: Vec<String>,
    /// Environment credgraph needs for it (a password).
    env: Vec<(String, String)>,
    _dir: tempfile::TempDir,
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Engine {
    fn credgraph(&self) -> Command {
        let mut command = common::credgraph_bare();
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command.args(&self.flags);
        command
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Skips loudly, or fails when tools are required: the engine did not start.
fn could_not_start(engine: &str, why: &str) -> Option<Engine> {
    tools::skip(&format!("{engine} could not start: {why}"));
    None
}

/// Waits until the engine answers a query, or gives up after a minute.
fn wait_for(url: &str, child: &mut Child) -> Result<(), String> {
    let started = Instant::now();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .into();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("it exited at start ({status})"));
        }
        let answered = agent
            .post(url)
            .header("Accept", "application/sparql-results+json")
            .send_form([("query", "ASK { }")]);
        if matches!(answered, Ok(response) if response.status().is_success()) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err("it did not answer within a minute".into())
}

fn oxigraph_server() -> Option<Engine> {
    let binary = tools::OXIGRAPH_SERVER.find()?;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = std::process::Command::new(binary)
        .args(["serve", "--location"])
        .arg(dir.path().join("data"))
        .args([
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--union-default-graph",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("oxigraph starts");
    let base = format!("http://127.0.0.1:{port}");
    if let Err(why) = wait_for(&format!("{base}/query"), &mut child) {
        let _ = child.kill();
        return could_not_start("Oxigraph's server", &why);
    }
    Some(Engine {
        name: "oxigraph",
        child,
        flags: vec![
            "--endpoint".into(),
            format!("{base}/query"),
            "--update-url".into(),
            format!("{base}/update"),
            "--store-url".into(),
            format!("{base}/store"),
        ],
        env: Vec::new(),
        _dir: dir,
    })
}

/// Virtuoso in a folder of its own, both its ports bound to 127.0.0.1 (it
/// listens on every interface by default), updates through its digest-protected
/// `/sparql-auth` and its Graph Store at `/sparql-graph-crud-auth` as `dba`.
fn virtuoso() -> Option<Engine> {
    let binary = tools::VIRTUOSO.find()?;
    let dir = tempfile::tempdir().unwrap();
    let (sql_port, http_port) = (free_port(), free_port());
    let vsp = Path::new("/var/lib/virtuoso-opensource-7/vsp");
    let ini = format!(
        "[Database]\nDatabaseFile = virtuoso.db\nErrorLogFile = virtuoso.log\nLockFile = virtuoso.lck\n\
         TransactionFile = virtuoso.trx\nxa_persistent_file = virtuoso.pxa\nErrorLogLevel = 7\n\
         FileExtend = 200\nStriping = 0\nTempStorage = TempDatabase\n\
         [TempDatabase]\nDatabaseFile = virtuoso-temp.db\nTransactionFile = virtuoso-temp.trx\nStriping = 0\n\
         [Parameters]\nServerPort = 127.0.0.1:{sql_port}\nDisableUnixSocket = 1\n\
         NumberOfBuffers = 20000\nMaxDirtyBuffers = 15000\nDirsAllowed = .\n\
         [HTTPServer]\nServerPort = 127.0.0.1:{http_port}\nServerRoot = {}\nServerThreads = 10\n\
         MaxClientConnections = 10\nCharset = UTF-8\n\
         [SPARQL]\nResultSetMaxRows = 10000\nMaxQueryExecutionTime = 300\nMaxQueryCostEstimationTime = 400\n",
        if vsp.is_dir() { vsp.display().to_string() } else { dir.path().display().to_string() }
    );
    std::fs::write(dir.path().join("virtuoso.ini"), ini).unwrap();
    let mut child = std::process::Command::new(binary)
        .args(["+foreground", "+configfile", "virtuoso.ini"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("virtuoso-t starts");
    let base = format!("http://127.0.0.1:{http_port}");
    if let Err(why) = wait_for(&format!("{base}/sparql"), &mut child) {
        let _ = child.kill();
        let log = std::fs::read_to_string(dir.path().join("virtuoso.log")).unwrap_or_default();
        return could_not_start(
            "Virtuoso",
            &format!(
                "{why}; the end of its log: {}",
                log.lines().rev().take(10).collect::<Vec<_>>().join(" | ")
            ),
        );
    }
    Some(Engine {
        name: "virtuoso",
        child,
        flags: vec![
            "--endpoint".into(),
            format!("{base}/sparql"),
            "--update-url".into(),
            format!("{base}/sparql-auth"),
            "--store-url".into(),
            format!("{base}/sparql-graph-crud-auth"),
            "--auth".into(),
            "digest".into(),
            "--user".into(),
            "dba".into(),
        ],
        env: vec![("CREDGRAPH_ENDPOINT_PASSWORD".into(), "dba".into())],
        _dir: dir,
    })
}

/// The embedded store on disk with the seed case, reasoned.
fn embedded(store: &Path) -> Command {
    let mut command = common::credgraph(store);
    command
        .env_remove("CREDGRAPH_ENDPOINT")
        .env_remove("CREDGRAPH_PROFILE");
    command
}

fn stdout(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{:?} failed: {}",
        command,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// CSV rows as a set, each cell's concatenated parts sorted (SPARQL leaves the
/// order of GROUP_CONCAT unspecified, and engines differ in it) and numbers
/// compared as numbers.
fn normalized(csv_text: &str) -> BTreeSet<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes());
    reader
        .records()
        .map(|record| {
            record
                .unwrap()
                .iter()
                .map(|cell| {
                    // The same number may be written 0 or 0.0 (xsd:double has
                    // several lexical forms).
                    if let Ok(number) = cell.parse::<f64>() {
                        return number.to_string();
                    }
                    let mut parts: Vec<&str> =
                        cell.split(" | ").flat_map(|p| p.split(", ")).collect();
                    parts.sort();
                    parts.join(" | ")
                })
                .collect()
        })
        .collect()
}

/// The named queries, each with a source when it needs one (as `query --list`
/// says).
fn named_queries() -> Vec<(String, Vec<String>)> {
    let listing = stdout(
        Command::cargo_bin("credgraph")
            .unwrap()
            .args(["query", "--list"]),
    );
    let mut queries: Vec<(String, Vec<String>)> = Vec::new();
    for line in listing.lines() {
        if !line.starts_with(' ') && !line.trim().is_empty() {
            queries.push((line.trim().to_string(), Vec::new()));
        } else if line.contains("--param source=") && line.contains("(source)") {
            if let Some(last) = queries.last_mut() {
                last.1 = vec!["--param".into(), "source=Stoltenberg".into()];
            }
        }
    }
    assert!(queries.len() >= 10, "{listing}");
    queries
}

/// Loads, reasons, validates, queries, scores and exports the seed case on an
/// engine, comparing every answer with the embedded store's.
fn the_seed_case_answers_as_on_the_embedded_store(engine: &Engine) {
    let local = common::seeded_store();
    let local = common::store_path(&local);
    engine
        .credgraph()
        .arg("load")
        .arg(seed_data())
        .assert()
        .success()
        .stderr(predicates::str::contains("470 triples"));
    engine.credgraph().arg("reason").assert().success();
    engine
        .credgraph()
        .arg("validate")
        .assert()
        .success()
        .stderr(predicates::str::contains("conforms"));

    for (name, params) in named_queries() {
        let mut args = vec!["query", "--name", &name, "--results-format", "csv"];
        args.extend(params.iter().map(String::as_str));
        let here = stdout(embedded(&local).args(&args));
        let there = stdout(engine.credgraph().args(&args));
        assert_eq!(
            normalized(&there),
            normalized(&here),
            "{}: named query {name} differs from the embedded store's",
            engine.name
        );
    }
    // Pages smaller than the answer: every row fetched once.
    let args = ["query", "--name", "sources", "--results-format", "csv"];
    let here = normalized(&stdout(embedded(&local).args(args)));
    assert!(here.len() > 5);
    assert_eq!(
        normalized(&stdout(
            engine.credgraph().args(["--page-size", "2"]).args(args)
        )),
        here,
        "{}: a paged answer differs",
        engine.name
    );

    let export = ["export", "--graph", "derived", "--format", "nt"];
    let lines = |text: String| -> BTreeSet<String> { text.lines().map(str::to_string).collect() };
    let here = lines(stdout(embedded(&local).args(export)));
    assert!(
        here.len() > 200,
        "the derived graph has {} triples",
        here.len()
    );
    assert_eq!(
        lines(stdout(engine.credgraph().args(export))),
        here,
        "{}: derived graph",
        engine.name
    );

    embedded(&local).arg("score").assert().success();
    engine.credgraph().arg("score").assert().success();
    for name in ["credibility", "statement-credibility"] {
        let args = ["query", "--name", name, "--results-format", "csv"];
        let here = normalized(&stdout(embedded(&local).args(args)));
        assert!(here.len() > 5, "{name}: {here:?}");
        assert_eq!(
            normalized(&stdout(engine.credgraph().args(args))),
            here,
            "{}: {name}",
            engine.name
        );
    }
    // The pictures and explanations, read through the internal queries with their
    // parameters bound or left unbound, come out as on the embedded store. (The
    // statement view numbers documents in the order the engine lists them: the
    // one drawn here has a single document.)
    for args in [
        &["viz", "--format", "dot"][..],
        &[
            "viz",
            "--format",
            "dot",
            "--from",
            "2022-12-24",
            "--question",
            "question:carousel-train-in-southern-belarus",
        ],
        &[
            "viz",
            "--view",
            "statements",
            "--format",
            "dot",
            "--to",
            "2022-12-24",
            "--focus",
            "Stoltenberg",
        ],
        &["explain", "Stoltenberg"],
        &["explain", "statement:2022-12-24-budanov-no-imminent-threat"],
    ] {
        assert_eq!(
            stdout(engine.credgraph().args(args)),
            stdout(embedded(&local).args(args)),
            "{}: {args:?}",
            engine.name
        );
    }

    // The whole store: the same graphs with the same number of triples each.
    let per_graph = |command: &mut Command| -> std::collections::BTreeMap<String, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for line in stdout(command.args(["export", "--format", "nq"])).lines() {
            let graph = line
                .trim_end_matches(" .")
                .rsplit(' ')
                .next()
                .unwrap()
                .to_string();
            *counts.entry(graph).or_default() += 1;
        }
        counts
    };
    let here = per_graph(&mut embedded(&local));
    assert!(here.len() >= 6, "{here:?}");
    assert_eq!(
        per_graph(&mut engine.credgraph()),
        here,
        "{}: the whole store",
        engine.name
    );

    // Key-set pages of three rows, fewer than many subjects have: reasoning,
    // scoring and exporting again read every row once, and end where they were.
    for step in ["reason", "score"] {
        engine
            .credgraph()
            .args(["--page-size", "3", step])
            .assert()
            .success();
    }
    assert_eq!(
        per_graph(engine.credgraph().args(["--page-size", "3"])),
        here,
        "{}: the whole store, in pages of three rows",
        engine.name
    );
    let args = ["query", "--name", "credibility", "--results-format", "csv"];
    assert_eq!(
        normalized(&stdout(engine.credgraph().args(args))),
        normalized(&stdout(embedded(&local).args(args))),
        "{}: scored in pages of three rows",
        engine.name
    );

    // A claim table imports there as here.
    let table = tempfile::tempdir().unwrap();
    let claims = table.path().join("departures.tsv");
    std::fs::write(
        &claims,
        "item\tsource\tvalue\nUA-123 departure\tsite-a\t10:00\nUA-123 departure\tsite-b\t10:05\nUA-123 departure\tsite-c\t10:00\n",
    )
    .unwrap();
    for command in [&mut embedded(&local), &mut engine.credgraph()] {
        command.arg("import").arg(&claims).assert().success();
    }
    let values = ["query", "SELECT ?source ?value WHERE { ?s cg:statedBy ?source ; cg:proposition ?p . ?p rdfs:label ?value ; cg:answers/rdfs:label \"UA-123 departure\" }", "--results-format", "csv"];
    let here = normalized(&stdout(embedded(&local).args(values)));
    assert_eq!(here.len(), 4, "{here:?}");
    assert_eq!(
        normalized(&stdout(engine.credgraph().args(values))),
        here,
        "{}: import",
        engine.name
    );

    engine
        .credgraph()
        .args(["explain", "Budanov"])
        .assert()
        .success()
        .stdout(predicates::str::contains("track record"));

    // Loading again replaces each file's graph: nothing doubles.
    let count = |command: &mut Command| {
        stdout(command.args([
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s cg:statedBy ?o }",
            "--results-format",
            "csv",
        ]))
    };
    let before = count(&mut engine.credgraph());
    engine
        .credgraph()
        .arg("load")
        .arg(seed_data())
        .assert()
        .success();
    assert_eq!(count(&mut engine.credgraph()), before);
    assert!(
        before.contains("19"),
        "the seed's 16 statements and 3 claims: {before}"
    );

    // A file that does not parse: reported with its position, nothing written.
    let graphs = |engine: &Engine| {
        stdout(engine.credgraph().args([
            "query",
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
            "--results-format",
            "csv",
        ]))
    };
    let graphs_before = graphs(engine);
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(bad.path().join("good.ttl"), "<urn:a> <urn:b> <urn:c> .\n").unwrap();
    std::fs::write(
        bad.path().join("zz-broken.ttl"),
        "<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n",
    )
    .unwrap();
    engine
        .credgraph()
        .arg("load")
        .arg(bad.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("zz-broken.ttl:2:"));
    assert_eq!(
        graphs(engine),
        graphs_before,
        "{}: a failed load changed the graphs",
        engine.name
    );
}

#[test]
fn oxigraph_server_runs_every_command_as_the_embedded_store() {
    let Some(engine) = oxigraph_server() else {
        return;
    };
    the_seed_case_answers_as_on_the_embedded_store(&engine);
}

#[test]
fn virtuoso_runs_every_command_as_the_embedded_store() {
    let Some(mut engine) = virtuoso() else {
        return;
    };
    the_seed_case_answers_as_on_the_embedded_store(&engine);

    // The wrong password: Virtuoso's digest challenge is answered, then refused,
    // and nothing is written.
    engine.env = vec![(
        "CREDGRAPH_ENDPOINT_PASSWORD".into(),
        "not-the-password".into(),
    )];
    let extra = tempfile::tempdir().unwrap();
    std::fs::write(extra.path().join("note.ttl"), "<urn:a> <urn:b> <urn:c> .\n").unwrap();
    engine
        .credgraph()
        .arg("load")
        .arg(extra.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("HTTP 401"))
        .stderr(predicates::str::contains("not accepted"));
    engine
        .credgraph()
        .args(["query", "ASK { <urn:a> <urn:b> <urn:c> }"])
        .assert()
        .success()
        .stdout(predicates::str::contains("false"));
}
