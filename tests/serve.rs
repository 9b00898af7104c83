//! `credgraph serve` as a team uses it: queries from any client, writes only with
//! the token, no federation, timeouts that stop the query, a visible row cap,
//! a body limit, CORS off unless asked, readers that never see half a write, and
//! the pages in headless Chromium. A test whose tool (Chromium, Python's clients)
//! is missing says so and skips (`common::tools`).

mod common;

use common::server::{cpu_ticks, query, send, update, Served, TOKEN};
use common::{credgraph, named_query, seed_data, seeded_store, store_path, tools, BUDANOV};
use std::net::TcpListener;
use std::time::{Duration, Instant};

const JSON: &str = "application/sparql-results+json";

fn bindings(body: &[u8]) -> usize {
    let value: serde_json::Value = serde_json::from_slice(body).expect("SPARQL JSON");
    value["results"]["bindings"].as_array().unwrap().len()
}

#[test]
fn a_named_query_over_http_answers_as_the_command_line_does() {
    let dir = seeded_store();
    let expected = named_query(&store_path(&dir), "who-corroborates-whom", &[]);
    let served = Served::start(&["--db", store_path(&dir).to_str().unwrap()], &[]);
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries/who-corroborates-whom.rq"),
    )
    .unwrap();
    let reply = query(&served, &text, JSON);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(common::rows(&reply.body), expected);
    assert!(!expected.is_empty());
    // GET with the query in the URL, as SPARQLWrapper and YASGUI send it.
    let encoded: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
    let reply = send(
        "GET",
        &served.url(&format!("/sparql?query={encoded}")),
        &[("Accept", JSON)],
        None,
    );
    assert_eq!(common::rows(&reply.body), expected);
}

#[test]
fn every_results_and_rdf_format_is_negotiated() {
    let served = Served::seed(&[]);
    let select = "SELECT ?person WHERE { ?person a cg:Person } ORDER BY ?person";
    let persons = bindings(&query(&served, select, JSON).body);
    assert!(persons >= 5);
    for (accept, media) in [
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ] {
        let reply = query(&served, select, accept);
        assert!(
            reply.content_type.starts_with(media),
            "{accept} gave {}",
            reply.content_type
        );
        assert_eq!(
            reply.text().lines().count(),
            persons + 1,
            "a header and a line per row"
        );
    }
    for (accept, media) in [
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/sparql-results+json", JSON),
    ] {
        let reply = query(&served, select, accept);
        assert_eq!(reply.status, 200);
        assert!(
            reply.content_type.starts_with(media),
            "{accept} gave {}",
            reply.content_type
        );
        let format = oxigraph::sparql::results::QueryResultsFormat::from_media_type(media).unwrap();
        let parsed = oxigraph::sparql::results::QueryResultsParser::from_format(format)
            .for_slice(&reply.body)
            .unwrap();
        let oxigraph::sparql::results::SliceQueryResultsParserOutput::Solutions(solutions) = parsed
        else {
            panic!("a table")
        };
        assert_eq!(solutions.count(), persons, "{accept}");
    }
    let construct = "CONSTRUCT { ?p a cg:Person } WHERE { ?p a cg:Person }";
    for media in [
        "text/turtle",
        "application/n-triples",
        "application/rdf+xml",
        "application/ld+json",
    ] {
        let reply = query(&served, construct, media);
        assert_eq!(reply.status, 200, "{media}: {}", reply.text());
        assert!(
            reply.content_type.starts_with(media),
            "{media} gave {}",
            reply.content_type
        );
        let format = oxigraph::io::RdfFormat::from_media_type(media).unwrap();
        let triples = oxigraph::io::RdfParser::from_format(format)
            .for_slice(&reply.body)
            .count();
        assert_eq!(triples, persons, "{media}");
    }
    // The query page's download links: a GET with `format`, no Accept header.
    let encoded: String = form_urlencoded::byte_serialize(select.as_bytes()).collect();
    for (format, media) in [
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
    ] {
        let link = send(
            "GET",
            &served.url(&format!("/query?query={encoded}&format={format}")),
            &[],
            None,
        );
        assert_eq!(link.status, 200);
        assert!(
            link.content_type.starts_with(media),
            "{format}: {}",
            link.content_type
        );
    }
    let encoded: String = form_urlencoded::byte_serialize(construct.as_bytes()).collect();
    let link = send(
        "GET",
        &served.url(&format!("/query?query={encoded}&format=nt")),
        &[],
        None,
    );
    assert_eq!(link.text().lines().count(), persons);
    let refused = query(&served, select, "image/png");
    assert_eq!(refused.status, 406);
    assert!(refused.text().contains("application/sparql-results+json"));
    let wrong_type = send(
        "POST",
        &served.url("/query"),
        &[("Content-Type", "text/plain")],
        Some(select.as_bytes().to_vec()),
    );
    assert_eq!(wrong_type.status, 415);
}

#[test]
fn a_syntax_error_says_where() {
    let served = Served::seed(&[]);
    let reply = query(&served, "SELECT ?s WHERE {\n  ?s ?p \n}", JSON);
    assert_eq!(reply.status, 400);
    assert!(
        reply.text().contains("at line 3, column"),
        "{}",
        reply.text()
    );
    assert!(
        reply.text().contains("  | }"),
        "the line is quoted: {}",
        reply.text()
    );
}

#[test]
fn a_bare_get_describes_the_service() {
    let served = Served::seed(&[]);
    let reply = send(
        "GET",
        &served.url("/sparql"),
        &[("Accept", "text/turtle")],
        None,
    );
    assert_eq!(reply.status, 200);
    let text = reply.text();
    assert!(text.contains("sparql-service-description#"), "{text}");
    assert!(text.contains("SPARQL11Query"));
    assert!(
        !text.contains("SPARQL11Update"),
        "a read-only endpoint offers no update"
    );
    let health = send("GET", &served.url("/health"), &[], None);
    assert_eq!(health.status, 200);
    let health: serde_json::Value = serde_json::from_slice(&health.body).unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["writable"], false);
}

#[test]
fn writes_need_writable_and_the_token() {
    let insert = "INSERT DATA { GRAPH <urn:notes> { <urn:a> <urn:b> \"checked\" } }";
    let read_only = Served::seed(&[]);
    let refused = update(&read_only, insert, Some(TOKEN));
    assert_eq!(refused.status, 403, "{}", refused.text());
    let put = send(
        "PUT",
        &read_only.url("/store?graph=urn:notes"),
        &[("Content-Type", "text/turtle")],
        Some(b"<urn:a> <urn:b> <urn:c> .".to_vec()),
    );
    assert_eq!(put.status, 403);

    let writable = Served::writable_empty(&[]);
    let count = |served: &Served| {
        bindings(
            &query(
                served,
                "SELECT * WHERE { GRAPH <urn:notes> { ?s ?p ?o } }",
                JSON,
            )
            .body,
        )
    };
    let missing = update(&writable, insert, None);
    assert_eq!(missing.status, 401);
    assert!(missing
        .header("www-authenticate")
        .unwrap()
        .starts_with("Bearer"));
    assert_eq!(
        update(&writable, insert, Some("wrong-token-0123456789")).status,
        401
    );
    assert_eq!(count(&writable), 0, "a refused update wrote nothing");
    assert_eq!(update(&writable, insert, Some(TOKEN)).status, 204);
    assert_eq!(count(&writable), 1);
}

#[test]
fn a_writable_endpoint_without_a_token_does_not_start() {
    credgraph(std::path::Path::new("unused"))
        .args(["--memory", "serve", "--writable", "--bind", "127.0.0.1:0"])
        .env_remove("CREDGRAPH_TOKEN")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--token-file"));
    let dir = tempfile::tempdir().unwrap();
    let short = dir.path().join("token");
    std::fs::write(&short, "short").unwrap();
    credgraph(std::path::Path::new("unused"))
        .args([
            "--memory",
            "serve",
            "--writable",
            "--bind",
            "127.0.0.1:0",
            "--token-file",
        ])
        .arg(&short)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("at least 16 characters"));
    // A port already taken is a clear error too.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    credgraph(std::path::Path::new("unused"))
        .args(["--memory", "serve", "--bind", &address])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("cannot listen on"));
}

#[test]
fn service_never_opens_a_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let target = format!("http://{}/sparql", listener.local_addr().unwrap());
    let served = Served::seed(&[]);
    let refused = query(
        &served,
        &format!("SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"),
        JSON,
    );
    assert_eq!(refused.status, 400);
    assert!(refused.text().contains("SERVICE"), "{}", refused.text());
    let silent = query(
        &served,
        &format!("SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}"),
        JSON,
    );
    assert_eq!(silent.status, 400, "{}", silent.text());
    let load = update(&served, &format!("LOAD <{target}>"), Some(TOKEN));
    assert!(load.status >= 400);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        listener.accept().is_err(),
        "the server connected to a URL a query named"
    );
}

#[test]
fn service_silent_is_refused_wherever_it_hides() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let service = format!(
        "SERVICE SILENT <http://{}/sparql> {{ ?s ?p ?o }}",
        listener.local_addr().unwrap()
    );
    let served = Served::writable_empty(&[]);
    for text in [
        format!("ASK {{ FILTER EXISTS {{ {service} }} }}"),
        format!("ASK {{ FILTER NOT EXISTS {{ {service} }} }}"),
        format!("SELECT * WHERE {{ {{ SELECT ?s WHERE {{ {service} }} }} }}"),
    ] {
        let reply = query(&served, &text, JSON);
        assert_eq!(reply.status, 400, "{text}: {}", reply.text());
        assert!(reply.text().contains("SERVICE"), "{}", reply.text());
    }
    let reply = update(
        &served,
        &format!("INSERT {{ <urn:a> <urn:b> ?o }} WHERE {{ {service} }}"),
        Some(TOKEN),
    );
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert!(reply.text().contains("SERVICE"), "{}", reply.text());
    let reply = update(
        &served,
        &format!(
            "INSERT {{ <urn:a> <urn:b> <urn:c> }} WHERE {{ FILTER NOT EXISTS {{ {service} }} }}"
        ),
        Some(TOKEN),
    );
    assert_eq!(reply.status, 400, "{}", reply.text());
    let reply = update(
        &served,
        &format!(
            "INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ; LOAD SILENT <http://{}/data.ttl>",
            listener.local_addr().unwrap()
        ),
        Some(TOKEN),
    );
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert!(
        reply.text().contains("LOAD is not available"),
        "{}",
        reply.text()
    );
    let empty = query(&served, "ASK { <urn:a> <urn:b> ?o }", JSON);
    assert!(
        empty.text().contains("false"),
        "the refused updates wrote nothing"
    );
    assert!(
        listener.accept().is_err(),
        "the server connected to a URL a query named"
    );
}

#[test]
fn a_query_past_the_timeout_is_stopped_and_the_next_one_answered() {
    let served = Served::seed(&["--timeout", "1"]);
    let started = Instant::now();
    let endless =
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }";
    let reply = query(&served, endless, JSON);
    let took = started.elapsed();
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert!(reply.text().contains("stopped"));
    assert!(took < Duration::from_secs(20), "stopped after {took:?}");
    // The stopped query no longer works: the process is idle again.
    std::thread::sleep(Duration::from_millis(1500));
    let before = cpu_ticks(served.pid());
    std::thread::sleep(Duration::from_secs(2));
    let ticks = cpu_ticks(served.pid()) - before;
    assert!(
        ticks < 50,
        "the server used {ticks} CPU ticks in 2 s after the timeout"
    );
    let next = query(&served, "ASK { ?s a cg:Person }", JSON);
    assert_eq!(next.status, 200);
    assert!(next.text().contains("true"));
}

#[test]
fn an_answer_over_the_row_cap_is_cut_and_says_so() {
    let served = Served::seed(&["--max-rows", "7"]);
    let reply = query(&served, "SELECT * WHERE { ?s ?p ?o }", JSON);
    assert_eq!(reply.status, 200);
    assert_eq!(
        bindings(&reply.body),
        7,
        "a complete, well-formed document of 7 rows"
    );
    assert_eq!(reply.header("x-sparql-maxrows").as_deref(), Some("7"));
    let small = query(&served, "SELECT * WHERE { ?s ?p ?o } LIMIT 7", JSON);
    assert_eq!(bindings(&small.body), 7);
    assert_eq!(
        small.header("x-sparql-maxrows"),
        None,
        "a whole answer is not flagged"
    );
    let graph = query(
        &served,
        "CONSTRUCT WHERE { ?s ?p ?o }",
        "application/n-triples",
    );
    assert_eq!(graph.text().lines().count(), 7);
    assert_eq!(graph.header("x-sparql-maxrows").as_deref(), Some("7"));
}

#[test]
fn a_body_over_the_limit_is_refused() {
    let served = Served::writable_empty(&["--max-body", "1000"]);
    let huge = format!("SELECT * WHERE {{ ?s ?p \"{}\" }}", "x".repeat(5000));
    let reply = query(&served, &huge, JSON);
    assert_eq!(reply.status, 413, "{}", reply.text());
    let put = send(
        "PUT",
        &served.url("/store?graph=urn:big"),
        &[
            ("Content-Type", "application/n-triples"),
            ("Authorization", &format!("Bearer {TOKEN}")),
        ],
        Some(format!("<urn:a> <urn:b> \"{}\" .\n", "y".repeat(5000)).into_bytes()),
    );
    assert_eq!(put.status, 413);
    assert_eq!(
        send("GET", &served.url("/store?graph=urn:big"), &[], None).status,
        404
    );
}

#[test]
fn cross_origin_requests_are_refused_unless_listed() {
    let closed = Served::seed(&[]);
    let reply = send(
        "GET",
        &closed.url("/query?query=ASK%7B%7D"),
        &[("Origin", "https://elsewhere.example")],
        None,
    );
    assert_eq!(reply.header("access-control-allow-origin"), None);
    let preflight = send(
        "OPTIONS",
        &closed.url("/query"),
        &[
            ("Origin", "https://elsewhere.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        None,
    );
    assert_eq!(preflight.status, 403);

    let open = Served::seed(&["--cors", "https://yasgui.example"]);
    let reply = send(
        "GET",
        &open.url("/query?query=ASK%7B%7D"),
        &[("Origin", "https://yasgui.example")],
        None,
    );
    assert_eq!(
        reply.header("access-control-allow-origin").as_deref(),
        Some("https://yasgui.example")
    );
    let other = send(
        "GET",
        &open.url("/query?query=ASK%7B%7D"),
        &[("Origin", "https://elsewhere.example")],
        None,
    );
    assert_eq!(other.header("access-control-allow-origin"), None);
}

#[test]
fn a_host_that_is_not_loopback_is_refused() {
    // A page whose name was rebound to 127.0.0.1 sends its own name as Host.
    let served = Served::seed(&[]);
    let rebound = send(
        "GET",
        &served.url("/store"),
        &[("Host", "attacker.example")],
        None,
    );
    assert_eq!(rebound.status, 421, "{}", rebound.text());
    let local = send(
        "GET",
        &served.url("/health"),
        &[("Host", &format!("localhost:{}", served.port()))],
        None,
    );
    assert_eq!(local.status, 200);
}

#[test]
fn a_bad_graph_store_body_changes_nothing() {
    let served = Served::writable_empty(&[]);
    let bearer = format!("Bearer {TOKEN}");
    let put = |body: &str| {
        send(
            "PUT",
            &served.url("/store?graph=urn:case"),
            &[("Content-Type", "text/turtle"), ("Authorization", &bearer)],
            Some(body.as_bytes().to_vec()),
        )
    };
    assert_eq!(put("<urn:a> <urn:b> <urn:c> .").status, 201);
    let bad = put("<urn:a> <urn:b> <urn:d> .\n<urn:a> <urn:b> \"unclosed .\n");
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("line 2"), "{}", bad.text());
    let got = send(
        "GET",
        &served.url("/store?graph=urn:case"),
        &[("Accept", "application/n-triples")],
        None,
    );
    assert_eq!(got.text().trim(), "<urn:a> <urn:b> <urn:c> .");
}

#[test]
fn a_deeply_nested_json_ld_body_is_refused_before_it_is_parsed() {
    let served = Served::writable_empty(&[]);
    let bearer = format!("Bearer {TOKEN}");
    let body = format!(
        "{{\"@id\": \"urn:a\", \"urn:p\": {}1{}}}",
        "{\"urn:p\": ".repeat(5000),
        "}".repeat(5000)
    );
    let reply = send(
        "PUT",
        &served.url("/store?graph=urn:case"),
        &[
            ("Content-Type", "application/ld+json"),
            ("Authorization", &bearer),
        ],
        Some(body.into_bytes()),
    );
    assert_eq!(reply.status, 400);
    assert!(
        reply.text().contains("more than 100 levels deep"),
        "{}",
        reply.text()
    );
}

#[test]
fn readers_never_see_half_a_write_and_queries_run_in_parallel() {
    let served = std::sync::Arc::new(Served::writable_empty(&[]));
    const TRIPLES: usize = 2000;
    let writer = {
        let served = std::sync::Arc::clone(&served);
        std::thread::spawn(move || {
            for round in 0..15 {
                let body: String = (0..TRIPLES)
                    .map(|i| format!("<urn:s{i}> <urn:round> \"{round}\" .\n"))
                    .collect();
                let reply = send(
                    "PUT",
                    &served.url("/store?graph=urn:batch"),
                    &[
                        ("Content-Type", "application/n-triples"),
                        ("Authorization", &format!("Bearer {TOKEN}")),
                    ],
                    Some(body.into_bytes()),
                );
                assert!(reply.status < 300, "{}", reply.text());
            }
        })
    };
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let served = std::sync::Arc::clone(&served);
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                for _ in 0..40 {
                    let reply = query(
                        &served,
                        "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?round) AS ?rounds) WHERE { GRAPH <urn:batch> { ?s <urn:round> ?round } }",
                        "text/csv",
                    );
                    assert_eq!(reply.status, 200);
                    let row = reply.text().lines().nth(1).unwrap().to_string();
                    seen.push(row);
                }
                seen
            })
        })
        .collect();
    writer.join().unwrap();
    for reader in readers {
        for row in reader.join().unwrap() {
            assert!(
                row == "0,0" || row == format!("{TRIPLES},1"),
                "a reader saw {row}: part of a write"
            );
        }
    }
}

#[test]
fn python_clients_query_and_update_it() {
    let Some(python) = tools::PYTHON_SPARQL_CLIENTS.find() else {
        return;
    };
    let data = seed_data();
    let served = Served::start_with_env(
        &["--memory", "--load", data.to_str().unwrap(), "--reason"],
        &["--writable"],
        &[("CREDGRAPH_TOKEN", TOKEN)],
    );
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/python_clients.py");
    let output = std::process::Command::new(python)
        .arg(script)
        .args([served.base.as_str(), TOKEN])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let expected: Vec<String> = common::column(
        &common::rows(
            &query(
                &served,
                "SELECT ?name WHERE { ?p a cg:Person ; rdfs:label ?name } ORDER BY ?name",
                JSON,
            )
            .body,
        ),
        "name",
    );
    assert!(expected.len() >= 5);
    assert_eq!(found["json"], serde_json::json!(expected));
    assert_eq!(found["xml"], expected.len());
    assert_eq!(found["csv"], expected.len());
    assert!(found["construct"].as_u64().unwrap() >= 5);
    assert_eq!(
        found["rdflib"],
        serde_json::json!(["written by SPARQLWrapper"])
    );
}

/// Headless Chromium's (at `chromium`) DOM of a page after its script ran.
fn chromium_dom(chromium: &std::path::Path, url: &str) -> String {
    let output = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--virtual-time-budget=10000",
            "--dump-dom",
            url,
        ])
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_query_page_runs_a_named_query_and_shows_its_rows() {
    let Some(chromium) = tools::CHROMIUM.find() else {
        return;
    };
    let dir = seeded_store();
    let db = store_path(&dir);
    let expected = named_query(&db, "corroborators", &[("source", "Stoltenberg")]);
    assert!(!expected.is_empty());
    let served = Served::start(&["--db", db.to_str().unwrap()], &[]);
    let dom = chromium_dom(
        &chromium,
        &served.url("/#name=corroborators&source=Stoltenberg&run"),
    );
    let table = dom
        .split("<table id=\"results\">")
        .nth(1)
        .expect("a results table");
    let body = table
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    assert_eq!(body.matches("<tr>").count(), expected.len(), "{dom}");
    assert!(dom.contains(&format!("{} rows in", expected.len())));
    for corroborator in common::column(&expected, "corroborator") {
        assert!(table.contains(&corroborator), "{corroborator} is shown");
    }
    assert!(dom.contains("Download"));
    // A wrong query shows where it is wrong.
    let dom = chromium_dom(
        &chromium,
        &served.url("/#query=SELECT%20*%20WHERE%20%7B&run"),
    );
    assert!(dom.contains("line 1, column"), "{dom}");
}

#[test]
fn the_source_page_lists_the_statements_of_budanov() {
    let Some(chromium) = tools::CHROMIUM.find() else {
        return;
    };
    let data = seed_data();
    let served = Served::start(
        &["--memory", "--load", data.to_str().unwrap(), "--reason"],
        &[],
    );
    let dom = chromium_dom(&chromium, &served.url("/source?name=Budanov"));
    assert!(dom.contains(&format!("<h1>{BUDANOV}</h1>")));
    let dir = seeded_store();
    let statements = named_query(
        &store_path(&dir),
        "source-statements",
        &[("source", "Budanov")],
    );
    assert!(!statements.is_empty());
    let section = dom
        .split("id=\"statements\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    assert_eq!(
        section.matches("<tr>").count(),
        statements.len() + 1,
        "a header row and one per statement"
    );
    for proposition in common::column(&statements, "proposition_text") {
        assert!(
            section.contains(&proposition.replace('&', "&amp;")),
            "{proposition}"
        );
    }
    assert!(
        dom.contains("Chief of the Main Directorate of Intelligence"),
        "his post"
    );
}

#[test]
fn the_graph_page_draws_the_store_live() {
    let Some(chromium) = tools::CHROMIUM.find() else {
        return;
    };
    let served = Served::seed(&[]);
    let dom = chromium_dom(&chromium, &served.url("/graph"));
    assert!(dom.contains("<canvas"), "{dom}");
}

#[test]
fn the_sources_page_links_each_source_to_its_page_and_an_unknown_one_is_refused() {
    let served = Served::seed(&[]);
    let sources = send("GET", &served.url("/sources"), &[], None);
    assert_eq!(sources.status, 200);
    assert!(
        sources.text().contains("/source?name=Kyrylo%20Budanov")
            || sources.text().contains("/source?name=Kyrylo+Budanov")
    );
    let unknown = send("GET", &served.url("/source?name=Nobody%20Here"), &[], None);
    assert_eq!(unknown.status, 400);
}

#[test]
fn deeply_nested_queries_are_refused_and_the_server_stays_up() {
    let served = Served::seed(&[]);
    let deep = format!("SELECT * WHERE {}{}", "{".repeat(4000), "}".repeat(4000));
    let reply = query(&served, &deep, "application/sparql-results+json");
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert!(reply.text().contains("levels deep"), "{}", reply.text());
    let nested = format!(
        "SELECT * WHERE {}?s ?p ?o{} LIMIT 1",
        "{".repeat(100),
        "}".repeat(100)
    );
    let reply = query(&served, &nested, "application/sparql-results+json");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let health = send("GET", &served.url("/health"), &[], None);
    assert_eq!(health.status, 200, "the server went down");
}
