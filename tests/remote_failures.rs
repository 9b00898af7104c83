//! What credgraph says when a remote engine fails: down, wrong credentials, too
//! slow, a cut answer, a malformed answer, a write refused half way. Each is a
//! clear error and exit code 1, and a refused write leaves nothing half-written.
//! The engine here is a small scripted HTTP server on a loopback port, so each
//! failure happens exactly when the test wants it.

mod common;

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the fake engine saw it: its path and decoded form fields.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    /// The Authorization header, when one was sent.
    authorization: Option<String>,
    body: String,
}

type Script = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    /// Wait this long before answering.
    delay: Duration,
}

impl Reply {
    fn ok(content_type: &str, body: &str) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type", content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }
}

/// A fake engine answering each request with what `script` says; it records
/// every request.
struct Fake {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Fake {
    fn start(script: Box<Script>) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let script: Arc<Script> = Arc::from(script);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = Arc::clone(&log);
                let script = Arc::clone(&script);
                std::thread::spawn(move || serve(stream, &log, &*script));
            }
        });
        Fake { port, seen }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/sparql", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Seen>>, script: &Script) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
        let mut length = 0;
        let mut authorization = None;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).unwrap();
            if header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
                if name.eq_ignore_ascii_case("authorization") {
                    authorization = Some(value.trim().to_string());
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let body: String = form_urlencoded::parse(&body)
            .map(|(_, v)| v.into_owned())
            .collect::<Vec<_>>()
            .join("&");
        let request = Seen {
            path,
            authorization,
            body,
        };
        let index = {
            let mut log = log.lock().unwrap();
            log.push(request.clone());
            log.len() - 1
        };
        let reply = script(&request, index);
        std::thread::sleep(reply.delay);
        let mut head = format!(
            "HTTP/1.1 {} X\r\nContent-Length: {}\r\n",
            reply.status,
            reply.body.len()
        );
        for (name, value) in &reply.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        if stream.write_all(head.as_bytes()).is_err()
            || stream.write_all(reply.body.as_bytes()).is_err()
        {
            return;
        }
    }
}

const JSON: &str = "application/sparql-results+json";

/// An engine that already holds the shipped ontology, answers ASK with true and
/// every SELECT with `rows` (one variable ?s); the ontology check reads no rows
/// and so rewrites the ontology graph, which the script accepts.
fn answers(rows: usize) -> impl Fn(&Seen, usize) -> Reply + Send + Sync {
    move |seen: &Seen, _| {
        if seen.body.trim_start().starts_with("PREFIX") && seen.body.contains("ASK") {
            return Reply::ok(JSON, r#"{"head":{},"boolean":true}"#);
        }
        if seen.body.contains("SELECT") {
            let bindings: Vec<String> = (0..rows)
                .map(|i| format!(r#"{{"s":{{"type":"uri","value":"urn:row:{i}"}}}}"#))
                .collect();
            return Reply::ok(
                JSON,
                &format!(
                    r#"{{"head":{{"vars":["s"]}},"results":{{"bindings":[{}]}}}}"#,
                    bindings.join(",")
                ),
            );
        }
        Reply::ok("text/plain", "")
    }
}

fn credgraph(url: &str) -> Command {
    let mut command = common::credgraph_bare();
    command.args(["--endpoint", url]);
    command
}

#[test]
fn an_engine_that_is_down_is_named_in_the_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    credgraph(&format!("http://127.0.0.1:{port}/sparql"))
        .args(["query", "SELECT * WHERE { ?s ?p ?o }"])
        .assert()
        .code(1)
        .stderr(contains(format!(
            "cannot reach the SPARQL endpoint http://127.0.0.1:{port}/sparql"
        )));
}

#[test]
fn wrong_credentials_are_refused_without_trying_again() {
    let fake = Fake::start(Box::new(|_: &Seen, _| Reply {
        status: 401,
        headers: vec![("WWW-Authenticate", "Basic realm=\"engine\"".into())],
        body: "no".into(),
        delay: Duration::ZERO,
    }));
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, "wrong\n").unwrap();
    credgraph(&fake.url())
        .args(["--auth", "basic", "--user", "analyst", "--password-file"])
        .arg(&secret)
        .args(["query", "SELECT * WHERE { ?s ?p ?o }"])
        .assert()
        .code(1)
        .stderr(contains("HTTP 401"))
        .stderr(contains("not accepted"))
        .stderr(contains("wrong").not());
    assert_eq!(fake.seen().len(), 1, "a refused request is not repeated");
    // Without a password anywhere, nothing is sent at all.
    credgraph(&fake.url())
        .args(["--auth", "basic", "--user", "analyst", "query", "ASK {}"])
        .assert()
        .code(1)
        .stderr(contains("CREDGRAPH_ENDPOINT_PASSWORD"));
    assert_eq!(fake.seen().len(), 1);
}

#[test]
fn basic_and_bearer_credentials_come_from_a_file_or_the_environment() {
    let fake = Fake::start(Box::new(answers(0)));
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, "open sesame\n").unwrap();
    credgraph(&fake.url())
        .args(["--auth", "basic", "--user", "analyst", "--password-file"])
        .arg(&secret)
        .args(["query", "ASK {}"])
        .assert()
        .success();
    // base64("analyst:open sesame")
    assert!(fake
        .seen()
        .iter()
        .all(|s| s.authorization.as_deref() == Some("Basic YW5hbHlzdDpvcGVuIHNlc2FtZQ==")));

    let fake = Fake::start(Box::new(answers(0)));
    credgraph(&fake.url())
        .env("CREDGRAPH_ENDPOINT_PASSWORD", "token-123")
        .args(["--auth", "bearer", "query", "ASK {}"])
        .assert()
        .success();
    let seen = fake.seen();
    assert!(!seen.is_empty());
    assert!(seen
        .iter()
        .all(|s| s.authorization.as_deref() == Some("Bearer token-123")));
}

#[test]
fn an_engine_too_slow_to_answer_times_out() {
    let fake = Fake::start(Box::new(|_: &Seen, _| Reply {
        delay: Duration::from_secs(5),
        ..Reply::ok(JSON, r#"{"head":{},"boolean":true}"#)
    }));
    let started = std::time::Instant::now();
    credgraph(&fake.url())
        .args(["--endpoint-timeout", "1", "query", "ASK {}"])
        .assert()
        .code(1)
        .stderr(contains("did not answer in time"));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_cut_select_is_fetched_in_pages_and_a_cut_construct_is_an_error() {
    // Five rows in all; like Virtuoso, the engine cuts every answer at two rows
    // and says so in X-SPARQL-MaxRows.
    let fake = Fake::start(Box::new(|seen: &Seen, index| {
        if seen.body.contains("ASK") && !seen.body.contains("SELECT") {
            return Reply::ok(JSON, r#"{"head":{},"boolean":true}"#);
        }
        if seen.body.contains("GRAPH <") {
            // The connection's read of the ontology graph: not what is tested here.
            return answers(0)(seen, index);
        }
        let number = |word: &str| -> usize {
            seen.body
                .split_whitespace()
                .skip_while(|w| *w != word)
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        let offset = number("OFFSET");
        let limit = if seen.body.contains("LIMIT") {
            number("LIMIT")
        } else {
            5
        };
        let rows: Vec<usize> = (offset..5).take(limit.min(2)).collect();
        let cut = (offset..5).take(limit).count() > rows.len();
        let body = if seen.body.contains("CONSTRUCT") {
            "<urn:a> <urn:b> <urn:c> .\n".to_string()
        } else {
            let bindings: Vec<String> = rows
                .iter()
                .map(|i| format!(r#"{{"s":{{"type":"uri","value":"urn:row:{i}"}}}}"#))
                .collect();
            format!(
                r#"{{"head":{{"vars":["s"]}},"results":{{"bindings":[{}]}}}}"#,
                bindings.join(",")
            )
        };
        let content_type = if seen.body.contains("CONSTRUCT") {
            "application/n-triples"
        } else {
            JSON
        };
        let mut reply = Reply::ok(content_type, &body);
        if cut {
            reply.headers.push(("X-SPARQL-MaxRows", "2".into()));
        }
        reply
    }));
    let output = credgraph(&fake.url())
        .args([
            "query",
            "SELECT ?s WHERE { ?s ?p ?o }",
            "--results-format",
            "csv",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rows: Vec<String> = String::from_utf8(output)
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect();
    assert_eq!(
        rows,
        (0..5).map(|i| format!("urn:row:{i}")).collect::<Vec<_>>()
    );
    let paged: Vec<Seen> = fake
        .seen()
        .into_iter()
        .filter(|s| s.body.contains("OFFSET"))
        .collect();
    assert!(paged.len() >= 3, "{paged:?}");
    assert!(
        paged.iter().all(|s| s.body.contains("ORDER BY ?s")),
        "{paged:?}"
    );

    credgraph(&fake.url())
        .args(["query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"])
        .assert()
        .code(1)
        .stderr(contains("cut its answer at 2 rows"));
}

#[test]
fn a_read_in_parts_that_do_not_add_up_is_an_error() {
    // The engine cuts every answer at two rows, counts five, and then answers
    // every part with nothing (as when the key of some rows is a blank node).
    let fake = Fake::start(Box::new(|seen: &Seen, _| {
        if seen.body.contains("ASK") && !seen.body.contains("SELECT") {
            return Reply::ok(JSON, r#"{"head":{},"boolean":true}"#);
        }
        if seen.body.contains("COUNT(*) AS ?rows") {
            return Reply::ok(
                JSON,
                r#"{"head":{"vars":["rows"]},"results":{"bindings":[{"rows":{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"5"}}]}}"#,
            );
        }
        if seen.body.contains("MD5(STR(?s)), 1, 2)") {
            return Reply::ok(
                JSON,
                r#"{"head":{"vars":["s","p","o"]},"results":{"bindings":[]}}"#,
            );
        }
        // A part by one hex digit is cut too, and must be halved.
        let mut reply = Reply::ok(
            JSON,
            r#"{"head":{"vars":["s","p","o"]},"results":{"bindings":[]}}"#,
        );
        reply.headers.push(("X-SPARQL-MaxRows", "2".into()));
        reply
    }));
    credgraph(&fake.url())
        .args(["query", "ASK {}"])
        .assert()
        .code(1)
        .stderr(contains("5 rows counted, 0 read in parts"));
    let parts: Vec<Seen> = fake
        .seen()
        .into_iter()
        .filter(|s| s.body.contains("MD5(STR(?s))"))
        .collect();
    // Five rows, in parts aimed at nine tenths of the two-row cut (one row each):
    // five parts of the 16 buckets of the first hex digit (3, 3, 3, 3 and 4
    // buckets). Each part is cut, so halved down to single buckets (2k - 1 queries
    // for k buckets: 27 in all), and each bucket into two halves by two digits.
    let by_digits = |digits: usize| {
        parts
            .iter()
            .filter(|s| s.body.contains(&format!("MD5(STR(?s)), 1, {digits})")))
            .count()
    };
    assert_eq!((by_digits(1), by_digits(2)), (27, 32));
}

#[test]
fn a_malformed_answer_is_an_error_not_an_answer() {
    // The connection's own checks (the ontology graph, the union default graph)
    // get good answers; the query gets a truncated JSON document.
    let fake = Fake::start(Box::new(|seen: &Seen, index| {
        if !seen.body.contains("<urn:p>") {
            return answers(0)(seen, index);
        }
        Reply::ok(
            JSON,
            r#"{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri""#,
        )
    }));
    credgraph(&fake.url())
        .args(["query", "SELECT ?s WHERE { ?s <urn:p> ?o }"])
        .assert()
        .code(1)
        .stderr(contains("does not parse"));
    // An answer in a format that is not SPARQL results or RDF.
    let fake = Fake::start(Box::new(|_: &Seen, _| {
        Reply::ok("text/html", "<html>maintenance</html>")
    }));
    credgraph(&fake.url())
        .args(["query", "SELECT ?s WHERE { ?s ?p ?o }"])
        .assert()
        .code(1)
        .stderr(contains("text/html"));
}

#[test]
fn a_write_refused_half_way_leaves_nothing_half_written() {
    // The load's third chunk (triples 20 to 29) is refused, every time it is tried.
    let fake = Fake::start(Box::new(|seen: &Seen, index| {
        if seen.body.contains("INSERT DATA") && seen.body.contains("<urn:s:25>") {
            return Reply {
                status: 500,
                headers: Vec::new(),
                body: "disk full".into(),
                delay: Duration::ZERO,
            };
        }
        answers(0)(seen, index)
    }));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("case.nt");
    let mut text = String::new();
    for i in 0..50 {
        text.push_str(&format!("<urn:s:{i}> <urn:p> \"{i}\" .\n"));
    }
    std::fs::write(&file, text).unwrap();
    credgraph(&fake.url())
        .args(["--write-chunk", "10", "load"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(contains("nothing was changed on the engine"))
        .stderr(contains("disk full"));
    let seen = fake.seen();
    let tried = seen
        .iter()
        .filter(|s| s.body.contains("<urn:s:25>"))
        .count();
    assert_eq!(tried, 3, "the refused chunk is tried three times in all");
    assert!(
        seen.iter().any(|s| s.body.contains("<urn:s:15>")),
        "the chunks before it were written"
    );
    assert!(
        !seen
            .iter()
            .any(|s| s.body.contains("MOVE") && !s.body.contains("graph/ontology")),
        "nothing of the load was moved into place"
    );
    let dropped = seen
        .iter()
        .filter(|s| s.body.contains("DROP SILENT GRAPH") && s.body.contains("/staging/"))
        .count();
    assert!(dropped >= 1, "the staging graph was dropped: {seen:?}");
    assert!(seen.iter().all(|s| s.path == "/sparql"));
}

#[test]
fn remote_only_flags_without_an_engine_are_refused() {
    let mut command = Command::cargo_bin("credgraph").unwrap();
    command
        .env_remove("CREDGRAPH_ENDPOINT")
        .env_remove("CREDGRAPH_PROFILE")
        .args(["--memory", "--page-size", "10", "query", "ASK {}"])
        .assert()
        .code(1)
        .stderr(contains("--page-size is for a remote engine"));
}

#[test]
fn serve_refuses_an_engine_and_a_profile_must_exist() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("endpoints.yaml");
    std::fs::write(
        &file,
        "fuseki:\n  query: http://127.0.0.1:9/ds/query\n  update: http://127.0.0.1:9/ds/update\n",
    )
    .unwrap();
    Command::cargo_bin("credgraph")
        .unwrap()
        .env_remove("CREDGRAPH_ENDPOINT")
        .arg("--endpoints-file")
        .arg(&file)
        .args(["--profile", "virtuoso", "query", "ASK {}"])
        .assert()
        .code(1)
        .stderr(contains("no profile 'virtuoso' (it has: fuseki)"));
    Command::cargo_bin("credgraph")
        .unwrap()
        .env_remove("CREDGRAPH_PROFILE")
        .args(["--endpoint", "http://127.0.0.1:9/sparql", "serve"])
        .assert()
        .code(1)
        .stderr(contains("has its own SPARQL endpoint"));
    std::fs::write(
        &file,
        "fuseki:\n  query: http://127.0.0.1:9/ds/query\n  timout: 5\n",
    )
    .unwrap();
    Command::cargo_bin("credgraph")
        .unwrap()
        .env_remove("CREDGRAPH_ENDPOINT")
        .arg("--endpoints-file")
        .arg(&file)
        .args(["--profile", "fuseki", "query", "ASK {}"])
        .assert()
        .code(1)
        .stderr(contains("endpoints.yaml:3:"));
}
