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
fn a_review_sheet_whose_aliases_expand_it_past_its_budget_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    // 2,000 aliases of a 100 KB note: a 110 KB file that would read as 200 MB.
    let note = "x".repeat(100_000);
    let aliases = "- *note\n".repeat(2000);
    let sheet = dir.path().join("bomb.yaml");
    std::fs::write(
        &sheet,
        format!(
            "article:\n  file: bomb.txt\n  date: 2024-01-01\n  outlet: Example\n  document: https://example.org/bomb\nnotes:\n- &note \"{note}\"\n{aliases}"
        ),
    )
    .unwrap();
    let started = std::time::Instant::now();
    credgraph(&db)
        .arg("import")
        .arg(&sheet)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bomb.yaml:7:").and(predicate::str::contains("aliases")));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "refused at once, not after expanding the aliases"
    );
}

#[test]
fn a_stray_quote_in_a_csv_table_is_reported_on_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let table = dir.path().join("claims.csv");
    std::fs::write(&table, "item,source,value\nx,s1,1\"\ny,s2,2\n").unwrap();
    credgraph(&db)
        .arg("import")
        .arg(&table)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("claims.csv:2: a stray quote"));
}

#[test]
fn an_error_quotes_a_long_line_by_its_start_and_length() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    // A claim table of one 3 MB line: the header that names no known column.
    let table = dir.path().join("one-line.tsv");
    std::fs::write(&table, "h".repeat(3_000_000)).unwrap();
    let output = credgraph(&db).arg("import").arg(&table).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.len() < 1000, "{} bytes", message.len());
    assert!(message.contains("one-line.tsv:1:"), "{message}");
    assert!(message.contains("… (3000000 characters)"), "{message}");
    // A query of one long line that does not parse.
    let query = dir.path().join("long.rq");
    std::fs::write(
        &query,
        format!("SELECT * WHERE {{ ?s ?p {} }}", "a".repeat(3_000_000)),
    )
    .unwrap();
    let output = credgraph(&db)
        .args(["query", "--file"])
        .arg(&query)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stderr.len() < 3000, "{} bytes", output.stderr.len());
}

#[test]
fn deeply_nested_json_ld_is_refused_where_it_goes_too_deep() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let before = dump(&db);
    for levels in [5_000, 60_000] {
        let file = dir.path().join(format!("nested-{levels}.jsonld"));
        std::fs::write(
            &file,
            format!(
                "{{\"@id\": \"https://example.org/a\",\n\"https://example.org/p\": {}1{}}}",
                "{\"https://example.org/p\": ".repeat(levels),
                "}".repeat(levels)
            ),
        )
        .unwrap();
        // Level 101 opens at the 100th object of line 2, after 25 + 99 × 26 characters.
        credgraph(&db)
            .arg("load")
            .arg(&file)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "nested-{levels}.jsonld:2:{}: ",
                25 + 99 * 26 + 1
            )))
            .stderr(predicate::str::contains("more than 100 levels deep"));
    }
    assert_eq!(dump(&db), before);
    // Nesting within the limit loads.
    let file = dir.path().join("nested-50.jsonld");
    std::fs::write(
        &file,
        format!(
            "{{\"@id\": \"https://example.org/a\", \"https://example.org/p\": {}1{}}}",
            "{\"https://example.org/p\": ".repeat(50),
            "}".repeat(50)
        ),
    )
    .unwrap();
    credgraph(&db).arg("load").arg(&file).assert().success();
}

#[test]
fn a_long_table_piped_into_a_reader_that_stops_ends_at_once() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    // 100 triples, and 100 million rows: every four of them.
    credgraph(&db)
        .arg("update")
        .arg(
            "INSERT { ?s <urn:p> ?o } WHERE { \
             VALUES ?s { <urn:0> <urn:1> <urn:2> <urn:3> <urn:4> <urn:5> <urn:6> <urn:7> <urn:8> <urn:9> } \
             VALUES ?o { 0 1 2 3 4 5 6 7 8 9 } }",
        )
        .assert()
        .success();
    let query = "SELECT * WHERE { ?a <urn:p> ?b . ?c <urn:p> ?d . ?e <urn:p> ?f . ?g <urn:p> ?h }";
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("credgraph"))
        .env_remove("CREDGRAPH_DB")
        .arg("--db")
        .arg(&db)
        .args(["query", query])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    // Read the header on a thread, so that a table that never comes fails the test
    // rather than hanging it.
    let stdout = child.stdout.take().unwrap();
    let (send, header) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .unwrap();
        // Leaving drops the pipe, as `head -1` does.
        let _ = send.send(line);
    });
    let first = header.recv_timeout(std::time::Duration::from_secs(5));
    let ended = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > std::time::Duration::from_secs(5) {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let first = first.expect("the header comes at once, before the rows are all read");
    assert!(first.starts_with("a "), "{first}");
    let status = ended.expect("the query stops when its reader does");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn deeply_nested_turtle_and_trig_load_without_a_limit() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    // Their parser keeps an explicit stack: 100,000 levels are read in memory that
    // grows with the depth, without overflowing the thread's stack.
    let levels = 100_000;
    let blank_nodes = dir.path().join("blank-nodes.ttl");
    std::fs::write(
        &blank_nodes,
        format!(
            "<https://example.org/a> <https://example.org/p> {}1{} .\n",
            "[ <https://example.org/p> ".repeat(levels),
            " ]".repeat(levels)
        ),
    )
    .unwrap();
    let lists = dir.path().join("lists.trig");
    std::fs::write(
        &lists,
        format!(
            "<https://example.org/g> {{ <https://example.org/a> <https://example.org/p> {}1{} . }}\n",
            "( ".repeat(levels),
            " )".repeat(levels)
        ),
    )
    .unwrap();
    for file in [blank_nodes, lists] {
        credgraph(&db).arg("load").arg(&file).assert().success();
    }
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
        .args(["update", "LOAD SILENT <http://127.0.0.1:9/data.ttl>"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("LOAD is not available"));
    credgraph(&db)
        .args(["query", "ASK { FILTER NOT EXISTS { <urn:a> ?p ?o } }"])
        .assert()
        .success()
        .stdout(predicate::str::contains("true"));
}
