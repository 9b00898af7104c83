//! `viz` through the binary: every format on the seed case, read back by the tools
//! people use (Graphviz, networkx, an XML parser, headless Chromium), and the bad
//! cases. A test whose tool is missing says so and skips (`common::tools`).

mod common;

use common::{credgraph, seeded_store, sparql, store_path, tools};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the picture of the seed case must hold, counted from the store itself: a
/// node per source that makes a statement; an edge per source pair with
/// agreements and one per pair with contradictions.
fn expected_counts(db: &Path) -> (usize, usize) {
    let sources = number(
        db,
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?st cg:statedBy ?s }",
    );
    let agreeing = number(db, "SELECT (COUNT(*) AS ?n) WHERE { ?p a cg:SourcePair . OPTIONAL { ?p cg:corroborations ?c } OPTIONAL { ?p cg:dependentAgreements ?d } FILTER(COALESCE(?c, 0) + COALESCE(?d, 0) > 0) }");
    let contradicting = number(
        db,
        "SELECT (COUNT(*) AS ?n) WHERE { ?p a cg:SourcePair ; cg:contradictions ?x FILTER(?x > 0) }",
    );
    (sources, agreeing + contradicting)
}

/// The number a `SELECT (COUNT(...) AS ?n)` query gives.
fn number(db: &Path, query: &str) -> usize {
    sparql(db, query)[0]["n"].parse().unwrap()
}

/// How many statements the store holds.
fn statement_count(db: &Path) -> usize {
    number(
        db,
        "SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { ?st cg:statedBy ?s }",
    )
}

fn draw(db: &Path, dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let path = dir.join(name);
    credgraph(db)
        .arg("viz")
        .args(extra)
        .arg("-o")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicates::str::contains("drew "));
    path
}

/// Runs a Python snippet with networkx (`python` has it); its standard output as
/// JSON.
fn networkx(python: &Path, script: &str, path: &Path) -> serde_json::Value {
    let output = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "networkx failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

const READ_WITH_NETWORKX: &str = r#"
import json, sys
import networkx as nx
path = sys.argv[1]
g = nx.read_graphml(path) if path.endswith(".graphml") else nx.read_gexf(path, version="1.3")
nodes = {d["label"]: d for _, d in g.nodes(data=True)}
relations = sorted({d["relation"] for _, _, d in g.edges(data=True)})
dependent = sorted({d["dependent"] for _, _, d in g.edges(data=True)})
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                  "budanov": nodes["Kyrylo Budanov"], "relations": relations,
                  "dependent": dependent}))
"#;

/// The seed case, reasoned and scored, and the counts its picture must have.
fn scored_seed() -> (tempfile::TempDir, usize, usize) {
    let dir = seeded_store();
    let db = store_path(&dir);
    credgraph(&db).arg("score").assert().success();
    let (nodes, edges) = expected_counts(&db);
    assert!(nodes > 3 && edges > 3, "the seed case has a graph to draw");
    (dir, nodes, edges)
}

#[test]
fn graphviz_draws_the_dot_picture_of_the_seed_case() {
    let Some(dot) = tools::GRAPHVIZ.find() else {
        return;
    };
    let (dir, _, _) = scored_seed();
    let path = draw(&store_path(&dir), dir.path(), "seed.dot", &[]);
    let rendered = Command::new(dot).arg("-Tsvg").arg(&path).output().unwrap();
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    assert!(String::from_utf8_lossy(&rendered.stdout).contains("Kyrylo Budanov"));
}

#[test]
fn networkx_reads_the_graphml_and_gexf_pictures_of_the_seed_case() {
    let Some(python) = tools::NETWORKX.find() else {
        return;
    };
    let (dir, nodes, edges) = scored_seed();
    let db = store_path(&dir);
    // The right counts and attributes.
    for name in ["seed.graphml", "seed.gexf"] {
        let path = draw(&db, dir.path(), name, &[]);
        let read = networkx(&python, READ_WITH_NETWORKX, &path);
        assert_eq!(read["nodes"], nodes, "{name}");
        assert_eq!(read["edges"], edges, "{name}");
        let budanov = &read["budanov"];
        assert_eq!(budanov["kind"], "source", "{name}");
        assert_eq!(
            budanov["institution"], "Ministry of Defence of Ukraine",
            "{name}"
        );
        assert!(budanov["credibility"].as_f64().unwrap() > 0.0, "{name}");
        assert_eq!(budanov["grade"], "F", "{name}");
        assert_eq!(
            read["relations"],
            serde_json::json!(["agree", "contradict"])
        );
        // Zaluzhnyi and the commander of OC "South" are one chain of command.
        assert_eq!(read["dependent"], serde_json::json!([false, true]));
    }
}

#[test]
fn the_svg_and_cytoscape_pictures_of_the_seed_case_read_back() {
    let (dir, nodes, edges) = scored_seed();
    let db = store_path(&dir);

    // SVG: well-formed XML with one circle per node, and a legend.
    let svg = std::fs::read_to_string(draw(&db, dir.path(), "seed.svg", &[])).unwrap();
    let document = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let circles = document
        .descendants()
        .filter(|n| n.has_tag_name("circle") && n.attribute("class") == Some("node"))
        .count();
    assert_eq!(circles, nodes);
    let lines = document
        .descendants()
        .filter(|n| {
            n.has_tag_name("line") && n.attribute("class").is_some_and(|c| c.starts_with("edge"))
        })
        .count();
    assert_eq!(lines, edges);
    assert!(svg.contains("Legend") && svg.contains("Jens Stoltenberg"));
    assert!(
        !svg.contains("https://w3id.org/credgraph/id/person"),
        "labels, not IRIs"
    );

    // Cytoscape.js elements.
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(draw(
            &db,
            dir.path(),
            "seed.json",
            &["--format", "cytoscape"],
        ))
        .unwrap(),
    )
    .unwrap();
    let elements = &json["elements"];
    let sources = elements["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["data"]["kind"] == "source")
        .count();
    assert_eq!(sources, nodes);
    assert_eq!(elements["edges"].as_array().unwrap().len(), edges);
}

#[test]
fn the_layout_is_the_same_for_the_same_seed() {
    let dir = seeded_store();
    let db = store_path(&dir);
    let read = |name: &str, seed: &str| {
        std::fs::read_to_string(draw(&db, dir.path(), name, &["--seed", seed])).unwrap()
    };
    assert_eq!(read("a.svg", "3"), read("b.svg", "3"));
    assert_ne!(read("a.svg", "3"), read("c.svg", "4"));
}

/// Runs headless Chromium (at `chromium`) on a page: the DOM after the script ran,
/// and a screenshot.
fn chromium(chromium: &Path, page: &Path, screenshot: &Path) -> String {
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--window-size=1400,900",
    ];
    let url = format!("file://{}", page.display());
    let dom = Command::new(chromium)
        .args(flags)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let shot = Command::new(chromium)
        .args(flags)
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    String::from_utf8(dom.stdout).unwrap()
}

/// Nodes and edges of `viz` with some flags, counted in its Cytoscape JSON.
fn cli_counts(db: &Path, flags: &[&str]) -> (usize, usize) {
    let out = credgraph(db)
        .args(["viz", "--format", "cytoscape"])
        .args(flags)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let nodes = json["elements"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["data"]["kind"] != "group")
        .count();
    (nodes, json["elements"]["edges"].as_array().unwrap().len())
}

fn body_attribute(dom: &str, name: &str) -> String {
    let key = format!("data-{name}=\"");
    let start = dom
        .find(&key)
        .unwrap_or_else(|| panic!("no {key} in the DOM"))
        + key.len();
    dom[start..].split('"').next().unwrap().to_string()
}

#[test]
fn the_html_page_has_nothing_to_fetch() {
    let dir = seeded_store();
    let page = draw(&store_path(&dir), dir.path(), "seed.html", &[]);
    let html = std::fs::read_to_string(&page).unwrap();
    // No src or href, no url(), and a policy that forbids any.
    for forbidden in [" src=", " href=", "url(", "@import"] {
        assert!(!html.contains(forbidden), "the page contains {forbidden}");
    }
    assert!(html.contains("Content-Security-Policy"));
}

#[test]
fn the_html_page_draws_offline_in_chromium() {
    let Some(browser) = tools::CHROMIUM.find() else {
        return;
    };
    let (dir, nodes, edges) = scored_seed();
    let db = store_path(&dir);
    let page = draw(&db, dir.path(), "seed.html", &[]);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dom = chromium(&browser, &page, &shots.join("viz-seed-sources.png"));
    assert_eq!(body_attribute(&dom, "ready"), "1");
    assert_eq!(body_attribute(&dom, "nodes"), nodes.to_string());
    assert_eq!(body_attribute(&dom, "edges"), edges.to_string());
    assert_eq!(body_attribute(&dom, "shown-nodes"), nodes.to_string());
    assert_eq!(body_attribute(&dom, "requests"), "0");
    assert!(shots.join("viz-seed-sources.png").metadata().unwrap().len() > 10_000);

    // The page's own filters, set through the address, agree with `viz`'s.
    let question = "Will Russia launch a ground offensive against Ukraine from the territory of Belarus in winter or spring 2023?";
    let encoded: String = question
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    for (fragment, flags) in [
        (format!("question={encoded}"), vec!["--question", question]),
        (
            "focus=Kyrylo%20Budanov".to_string(),
            vec!["--focus", "Budanov"],
        ),
        ("min=2".to_string(), vec!["--min-weight", "2"]),
    ] {
        let (nodes, edges) = cli_counts(&db, &flags);
        let address = PathBuf::from(format!("{}#{fragment}", page.display()));
        let dom = chromium(&browser, &address, &shots.join("viz-seed-filtered.png"));
        assert_eq!(
            body_attribute(&dom, "shown-nodes"),
            nodes.to_string(),
            "{fragment}"
        );
        assert_eq!(
            body_attribute(&dom, "shown-edges"),
            edges.to_string(),
            "{fragment}"
        );
    }
    let dom = chromium(
        &browser,
        &PathBuf::from(format!("{}#from=2030-01-01", page.display())),
        &shots.join("viz-seed-filtered.png"),
    );
    assert_eq!(body_attribute(&dom, "shown-nodes"), "0");

    // The statement view: statements, documents, outlets and the reporting chain.
    let page = draw(
        &db,
        dir.path(),
        "statements.html",
        &["--view", "statements"],
    );
    let dom = chromium(&browser, &page, &shots.join("viz-seed-statements.png"));
    let statements = statement_count(&db);
    assert!(body_attribute(&dom, "nodes").parse::<usize>().unwrap() > statements);
    assert_eq!(body_attribute(&dom, "requests"), "0");
}

#[test]
fn the_statement_view_groups_by_question_and_draws_the_reporting_chain() {
    let Some(python) = tools::NETWORKX.find() else {
        return;
    };
    let dir = seeded_store();
    let db = store_path(&dir);
    let path = draw(
        &db,
        dir.path(),
        "statements.graphml",
        &["--view", "statements"],
    );
    let read = networkx(
        &python,
        r#"
import json, sys
import networkx as nx
g = nx.read_graphml(sys.argv[1])
kinds = {}
for _, d in g.nodes(data=True):
    kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
reports = [(g.nodes[a]["kind"], g.nodes[b]["kind"]) for a, b, d in g.edges(data=True) if d["relation"] == "reports"]
print(json.dumps({"directed": g.is_directed(), "kinds": kinds, "reports": sorted(set(map(tuple, reports)))}))
"#,
        &path,
    );
    let statements = statement_count(&db);
    assert_eq!(read["kinds"]["statement"], statements);
    assert!(read["directed"].as_bool().unwrap());
    // Outlet to document, document to the interview it derives from, to statements.
    let reports = read["reports"].to_string();
    assert!(reports.contains("[\"outlet\",\"document\"]"), "{reports}");
    assert!(reports.contains("[\"document\",\"document\"]"), "{reports}");
    assert!(
        reports.contains("[\"document\",\"statement\"]"),
        "{reports}"
    );
}

#[test]
fn filters_narrow_the_picture() {
    let dir = seeded_store();
    let db = store_path(&dir);
    let count = |extra: &[&str]| cli_counts(&db, extra);
    let (all_nodes, all_edges) = count(&[]);
    // Budanov and those he agrees or disagrees with: fewer than all.
    let (focus_nodes, focus_edges) = count(&["--focus", "Budanov"]);
    assert!(focus_nodes >= 2 && focus_nodes < all_nodes);
    assert!(focus_edges >= 1 && focus_edges < all_edges);
    // Independent agreement only: no contradiction, nothing dependent.
    let out = credgraph(&db)
        .args(["viz", "--format", "graphml", "--independent-only"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains(">contradict<") && !text.contains("\"dependent\">true<"));
    assert!(text.contains(">agree<"));
    // A heavy minimum leaves only the nodes.
    let (_, heavy_edges) = count(&["--min-weight", "1000"]);
    assert_eq!(heavy_edges, 0);
    // A date range around the case keeps everything (one after it: see the bad cases).
    assert_eq!(
        count(&["--from", "2022-12-01", "--to", "2022-12-31"]).0,
        all_nodes
    );
}

#[test]
fn bad_requests_get_clear_errors_and_no_file() {
    let dir = seeded_store();
    let db = store_path(&dir);
    let out = dir.path().join("never.svg");
    let fails = |args: &[&str], message: &str| {
        credgraph(&db)
            .arg("viz")
            .args(args)
            .arg("-o")
            .arg(&out)
            .assert()
            .failure()
            .stderr(predicates::str::contains(message));
        assert!(!out.exists(), "{args:?} left a file");
    };
    fails(
        &["--format", "png"],
        "[possible values: dot, svg, graphml, gexf, cytoscape, html]",
    );
    fails(&["--focus", "Budanv"], "did you mean 'Budanov'");
    fails(&["--from", "2030-01-01"], "nothing to draw");
    fails(&["--from", "24.12.2022"], "not a date");
    fails(
        &["--view", "people"],
        "[possible values: sources, statements]",
    );

    let empty = tempfile::tempdir().unwrap();
    credgraph(&store_path(&empty))
        .args(["viz", "-o"])
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "the store holds no statements to draw",
        ));
    assert!(!out.exists());
}
