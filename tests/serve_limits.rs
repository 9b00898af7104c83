//! Queries that compute in memory stop at their deadline and within the server's
//! memory limit: property paths (`*`, `+`) and sorts over their closure, on a
//! chain of 20,000 nodes whose closure has 200 million pairs.

mod common;

use common::server::{cpu_ticks, query, Served};
use std::time::{Duration, Instant};

const JSON: &str = "application/sparql-results+json";

/// A chain n0 → n1 → … → n20000, written for the test.
fn chain() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chain.nt");
    let text: String = (0..20_000)
        .map(|i| {
            format!(
                "<http://example.org/n{i}> <http://example.org/next> <http://example.org/n{}> .\n",
                i + 1
            )
        })
        .collect();
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap().to_string();
    (dir, path)
}

#[test]
fn property_paths_and_sorts_stop_within_a_second_of_the_timeout() {
    let (_dir, chain) = chain();
    let served = Served::start(&["--memory", "--load", &chain], &["--timeout", "2"]);
    for endless in [
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (!rdf:type)* ?b }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a <http://example.org/next>+ ?b }",
        "SELECT ?a ?b WHERE { ?a <http://example.org/next>* ?b } ORDER BY DESC(STR(?b)) LIMIT 1",
    ] {
        let started = Instant::now();
        let reply = query(&served, endless, JSON);
        let took = started.elapsed();
        assert_eq!(reply.status, 503, "{endless}: {}", reply.text());
        assert!(reply.text().contains("--timeout"), "{}", reply.text());
        assert!(
            took < Duration::from_secs(3),
            "{endless} answered after {took:?}"
        );
    }
    // The stopped queries no longer work: the process is idle again.
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_ticks(served.pid());
    std::thread::sleep(Duration::from_secs(2));
    let ticks = cpu_ticks(served.pid()) - before;
    assert!(ticks < 50, "the server used {ticks} CPU ticks in 2 s after");
    let next = query(
        &served,
        "ASK { <http://example.org/n0> <http://example.org/next>+ <http://example.org/n20> }",
        JSON,
    );
    assert_eq!(next.status, 200);
    assert!(next.text().contains("true"));
}

#[test]
fn a_query_that_grows_past_the_memory_limit_is_stopped() {
    let (_dir, chain) = chain();
    let served = Served::start(
        &["--memory", "--load", &chain],
        &["--timeout", "300", "--max-memory", "200"],
    );
    let started = Instant::now();
    let reply = query(
        &served,
        "SELECT (COUNT(*) AS ?n) WHERE { ?a <http://example.org/next>* ?b }",
        JSON,
    );
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert!(reply.text().contains("--max-memory"), "{}", reply.text());
    assert!(started.elapsed() < Duration::from_secs(120));
    let next = query(&served, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON);
    assert_eq!(next.status, 200, "{}", next.text());
}
