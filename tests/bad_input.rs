//! Bad input gets a clear message naming the file, line and column or the field,
//! a non-zero exit, and leaves the store as it was.

mod common;
use common::*;
use predicates::prelude::*;

#[test]
fn malformed_turtle_names_file_line_and_column_and_stores_nothing() {
    let dir = seeded_store();
    let db = store_path(&dir);
    let before = dump(&db);
    credgraph(&db)
        .arg("load")
        .arg(test_data("bad-syntax.ttl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad-syntax.ttl:3:"));
    assert_eq!(dump(&db), before);
}

#[test]
fn a_file_that_fails_halfway_leaves_the_store_unchanged() {
    let dir = seeded_store();
    let db = store_path(&dir);
    let before = dump(&db);
    credgraph(&db)
        .arg("load")
        .arg(seed_data().join("entities.ttl"))
        .arg(test_data("fails-halfway.nt"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("fails-halfway.nt:2001:"));
    assert_eq!(
        dump(&db),
        before,
        "neither the good file nor the first 2,000 lines were kept"
    );
}

#[test]
fn a_broken_reload_keeps_the_earlier_version_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let case = dir.path().join("case.ttl");
    std::fs::write(
        &case,
        "<https://example.org/a> <https://example.org/p> 1 .\n",
    )
    .unwrap();
    credgraph(&db).arg("load").arg(&case).assert().success();
    let before = dump(&db);
    std::fs::write(
        &case,
        "<https://example.org/a> <https://example.org/p> 2 .\n<oops\n",
    )
    .unwrap();
    credgraph(&db)
        .arg("load")
        .arg(&case)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("case.ttl:2:"));
    assert_eq!(dump(&db), before);
}

#[test]
fn unknown_formats_are_refused_with_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    credgraph(&db)
        .args(["load", "--format", "yaml"])
        .arg(seed_data().join("entities.ttl"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown RDF format 'yaml'")
                .and(predicate::str::contains("ttl")),
        );
    credgraph(&db)
        .arg("load")
        .arg(seed_data().join("2022-12-24-belarus-threat.txt"))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("2022-12-24-belarus-threat.txt")
                .and(predicate::str::contains("--format")),
        );
    credgraph(&db)
        .args(["export", "--format", "docx"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown RDF format 'docx'"));
    credgraph(&db)
        .args(["query", "ASK {}", "--results-format", "yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown results format 'yaml'"));
}

#[test]
fn a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    credgraph(&store_path(&dir))
        .args(["load", "no-such-case.ttl"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("no-such-case.ttl")
                .and(predicate::str::contains("No such file")),
        );
}

#[test]
fn invalid_sparql_shows_where() {
    let dir = tempfile::tempdir().unwrap();
    credgraph(&store_path(&dir))
        .args(["query", "SELECT ?s WHERE {\n  ?s ?p\n}"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("query syntax error at line 3, column")
                .and(predicate::str::contains("^")),
        );
    credgraph(&store_path(&dir))
        .args(["update", "INSERT DATA { <a> }"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("update syntax error at line 1"));
}

#[test]
fn unknown_named_queries_and_parameters_are_explained() {
    let dir = seeded_store();
    let db = store_path(&dir);
    credgraph(&db)
        .args(["query", "--name", "who-corroborates"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("no named query 'who-corroborates'")
                .and(predicate::str::contains("who-corroborates-whom")),
        );
    credgraph(&db)
        .args([
            "query",
            "--name",
            "corroborators",
            "--param",
            "person=Budanov",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "has no parameter 'person'; it takes: source",
        ));
    credgraph(&db)
        .args(["query", "--name", "corroborators"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs --param source=..."));
    credgraph(&db)
        .args([
            "query",
            "--name",
            "corroborators",
            "--param",
            "source=Stoltenburg",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no source named 'Stoltenburg'; did you mean 'Stoltenberg'",
        ));
    credgraph(&db)
        .args([
            "query",
            "--name",
            "corroborators",
            "--param",
            "source=Ukraine",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("names 5 sources"));
}

#[test]
fn shape_violations_are_listed_by_focus_node() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    credgraph(&db)
        .arg("load")
        .arg(seed_data())
        .assert()
        .success();
    credgraph(&db).arg("validate").assert().success();
    credgraph(&db)
        .arg("load")
        .arg(test_data("statement-without-date.ttl"))
        .assert()
        .success();
    let output = credgraph(&db)
        .arg("validate")
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("3 violations"), "{stderr}");
    let focus = "<https://example.org/statement/undated>";
    assert!(
        stdout.contains(&format!(
            "violation: {focus} cg:statedOn: a statement has exactly one date"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "violation: {focus} cg:polarity: a statement has exactly one polarity"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("violation: <https://example.org/proposition/p> cg:answers"),
        "{stdout}"
    );
}

#[test]
fn a_locked_store_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let _held = credgraph::CaseStore::open(&db).unwrap();
    credgraph(&db)
        .args(["query", "ASK {}"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("in use by another process"));
}

#[test]
fn bad_names_of_graphs_and_dependence_kinds() {
    let dir = seeded_store();
    let db = store_path(&dir);
    credgraph(&db)
        .args(["export", "--graph", "https://example.org/no-such-graph"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no graph <https://example.org/no-such-graph>",
        ));
    credgraph(&db)
        .args(["export", "--format", "ttl"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("TriG or N-Quads"));
    let before = dump(&db);
    credgraph(&db)
        .args(["reason", "--dependence", "friendship"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown dependence kind 'friendship'",
        ));
    assert_eq!(
        dump(&db),
        before,
        "the derived graph survives a refused reason"
    );
}

#[test]
fn bad_usage_exits_with_two() {
    let dir = tempfile::tempdir().unwrap();
    credgraph(&store_path(&dir))
        .arg("frobnicate")
        .assert()
        .code(2);
    credgraph(&store_path(&dir))
        .args(["query", "--param", "x=1"])
        .assert()
        .code(2);
}

#[test]
fn a_flag_with_fixed_choices_refuses_others_as_bad_usage_and_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let refused = |args: &[&str], listed: &[&str]| {
        let output = credgraph(&db).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        for choice in listed {
            assert!(
                stderr.contains(choice),
                "{args:?} should list {choice}: {stderr}"
            );
        }
    };
    refused(&["score", "--format", "xml"], &["text", "json"]);
    refused(
        &["explain", "Budanov", "--format", "yaml"],
        &["text", "json"],
    );
    refused(&["validate", "--format", "html"], &["text", "json"]);
    refused(
        &["score", "--method", "voting,magic"],
        &["dependence-aware", "truthfinder"],
    );
    refused(
        &["evaluate", "--gold", "gold.tsv", "--method", "oracle"],
        &["pooled-investment"],
    );
    refused(&["viz", "--view", "people"], &["sources", "statements"]);
    refused(&["viz", "--format", "png"], &["svg", "graphml", "html"]);
    refused(&["viz", "--method", "magic"], &["voting"]);
    refused(
        &["extract", "a.txt", "--format", "pdf"],
        &["yaml", "json", "turtle"],
    );
    refused(
        &["extract", "a.txt", "--date", "yesterday"],
        &["YYYY-MM-DD"],
    );
    refused(
        &["import", "a.tsv", "--delimiter", "pipes"],
        &["tab", "comma"],
    );
    refused(&["import", "a.tsv", "--graph", "not an iri"], &["default"]);
    refused(&["load", "a.ttl", "--graph", "not an iri"], &["default"]);
    refused(&["export", "--graph", "not an iri"], &["derived", "scores"]);
    refused(
        &[
            "generate",
            "--sources",
            "2",
            "--statements",
            "3",
            "--format",
            "csv",
        ],
        &["ttl"],
    );
    refused(&["match", "--format", "csv"], &["yaml", "json"]);
    assert!(!db.exists(), "bad usage opens no store");
}

#[test]
fn a_deeply_nested_query_is_refused_without_crashing() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let deep = format!("SELECT * WHERE {}{}", "{".repeat(5000), "}".repeat(5000));
    credgraph(&db)
        .args(["query", &deep])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("5000 levels deep"));
    let nested = format!(
        "SELECT * WHERE {}?s ?p ?o{}",
        "{".repeat(100),
        "}".repeat(100)
    );
    credgraph(&db).args(["query", &nested]).assert().success();
    credgraph(&db)
        .args([
            "update",
            &format!(
                "INSERT {{ }} WHERE {}{}",
                "{".repeat(5000),
                "}".repeat(5000)
            ),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("levels deep"));
}

#[test]
fn service_is_refused_wherever_it_hides_and_silent_included() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let service = "SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o }";
    for query in [
        format!("ASK {{ FILTER EXISTS {{ {service} }} }}"),
        format!("ASK {{ FILTER NOT EXISTS {{ {service} }} }}"),
        format!("SELECT * WHERE {{ {{ SELECT ?s WHERE {{ {service} }} }} }}"),
        format!("SELECT * WHERE {{ {service} }}"),
    ] {
        credgraph(&db)
            .args(["query", &query])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("SERVICE is not available"));
    }
    credgraph(&db)
        .args([
            "update",
            &format!("INSERT {{ <urn:a> <urn:b> ?o }} WHERE {{ {service} }}"),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("SERVICE is not available"));
    credgraph(&db)
        .args(["query", "ASK { FILTER NOT EXISTS { <urn:a> ?p ?o } }"])
        .assert()
        .success()
        .stdout(predicate::str::contains("true"));
}
