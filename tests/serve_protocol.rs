//! The W3C SPARQL 1.1 Protocol and Graph Store Protocol conformance tests, run
//! against `credgraph serve` on a loopback port. The suite is read from
//! `../shared/data/w3c-sparql-protocol/` (or CREDGRAPH_W3C_PROTOCOL_TESTS); the
//! tests say so and pass when it is absent.

mod common;

use common::server::{send, Reply, Served, TOKEN};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    graph::CanonicalizationAlgorithm, Graph, NamedNode, NamedOrBlankNode, Term, TermRef,
};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use std::path::{Path, PathBuf};

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const HT: &str = "http://www.w3.org/2011/http#";
const CNT: &str = "http://www.w3.org/2011/content#";
const UT: &str = "http://www.w3.org/2009/sparql/tests/test-update#";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";

fn suite() -> Option<PathBuf> {
    let folder = std::env::var_os("CREDGRAPH_W3C_PROTOCOL_TESTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/w3c-sparql-protocol")
        });
    if folder.join("protocol/manifest.ttl").exists() {
        Some(folder)
    } else {
        common::tools::announce_skip(&format!(
            "the W3C protocol test suite is not at {} (set CREDGRAPH_W3C_PROTOCOL_TESTS)",
            folder.display()
        ));
        None
    }
}

/// A manifest as a graph, with the small walks the runner needs.
struct Manifest {
    graph: Graph,
    folder: PathBuf,
}

fn iri(text: &str) -> NamedNode {
    NamedNode::new(text).unwrap()
}

fn subject(term: &Term) -> NamedOrBlankNode {
    match term {
        Term::NamedNode(n) => n.clone().into(),
        Term::BlankNode(b) => b.clone().into(),
        _ => panic!("{term} is not a node"),
    }
}

impl Manifest {
    fn read(path: &Path) -> Manifest {
        let base = format!("file://{}", path.display());
        let graph: Graph = RdfParser::from_format(RdfFormat::Turtle)
            .with_base_iri(base)
            .unwrap()
            .for_slice(&std::fs::read(path).unwrap())
            .map(|q| q.unwrap().into())
            .collect::<Vec<oxigraph::model::Triple>>()
            .into_iter()
            .collect();
        Manifest {
            graph,
            folder: path.parent().unwrap().to_path_buf(),
        }
    }

    fn objects(&self, node: &Term, predicate: &str) -> Vec<Term> {
        let predicate = iri(predicate);
        self.graph
            .objects_for_subject_predicate(&subject(node), &predicate)
            .map(TermRef::into_owned)
            .collect()
    }

    fn object(&self, node: &Term, predicate: &str) -> Option<Term> {
        self.objects(node, predicate).into_iter().next()
    }

    fn text(&self, node: &Term, predicate: &str) -> Option<String> {
        match self.object(node, predicate)? {
            Term::Literal(l) => Some(l.value().to_string()),
            Term::NamedNode(n) => Some(n.as_str().to_string()),
            other => Some(other.to_string()),
        }
    }

    fn list(&self, head: Option<Term>) -> Vec<Term> {
        let mut items = Vec::new();
        let mut node = head;
        while let Some(current) = node {
            if current == Term::NamedNode(iri(&format!("{RDF}nil"))) {
                break;
            }
            items.extend(self.object(&current, &format!("{RDF}first")));
            node = self.object(&current, &format!("{RDF}rest"));
        }
        items
    }

    /// The tests in the order of the manifest's entries.
    fn entries(&self) -> Vec<Term> {
        let manifest = self
            .graph
            .subjects_for_predicate_object(
                &iri(&format!("{RDF}type")),
                &iri(&format!("{MF}Manifest")),
            )
            .next()
            .expect("a manifest node")
            .into_owned();
        let head = self.object(&Term::from(manifest), &format!("{MF}entries"));
        self.list(head)
    }
}

/// Where the suite's paths point on our server.
fn our_path(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("/sparql/") {
        format!(
            "/sparql{}",
            if rest.starts_with('?') || rest.is_empty() {
                rest.to_string()
            } else {
                format!("/{rest}")
            }
        )
    } else if let Some(rest) = path.strip_prefix("/gsp") {
        format!("/store{rest}")
    } else {
        path.to_string()
    }
}

fn status_ok(name: &str, status: u16) -> bool {
    match name.rsplit('#').next().unwrap() {
        "StatusCode2xx" => (200..300).contains(&status),
        "StatusCode3xx" => (300..400).contains(&status),
        "StatusCode4xx" => (400..500).contains(&status),
        "StatusCode5xx" => (500..600).contains(&status),
        "OK" => status == 200,
        "Created" => status == 201,
        "NoContent" => status == 204,
        "NotFound" => status == 404,
        other => panic!("unknown expected status {other}"),
    }
}

fn encode(text: &str, encoding: &str) -> Vec<u8> {
    if encoding.eq_ignore_ascii_case("UTF-16") {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        bytes
    } else {
        text.as_bytes().to_vec()
    }
}

fn canonical(text: &[u8], format: RdfFormat, base: &str) -> Result<Graph, String> {
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(format)
        .with_base_iri(base)
        .unwrap()
        .for_slice(text)
    {
        let quad = quad.map_err(|e| e.to_string())?;
        graph.insert(quad.as_ref());
    }
    graph.canonicalize(CanonicalizationAlgorithm::Unstable);
    Ok(graph)
}

/// Checks a response against the test's `ht:resp`; a failure says why.
fn check(manifest: &Manifest, expected: &Term, reply: &Reply, base: &str) -> Result<(), String> {
    let statuses = manifest.objects(expected, &format!("{MF}expectedStatus"));
    if !statuses.is_empty()
        && !statuses
            .iter()
            .any(|s| status_ok(s.to_string().trim_matches(['<', '>']), reply.status))
    {
        return Err(format!(
            "status {} where {} was expected: {}",
            reply.status,
            statuses
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(" or "),
            reply.text()
        ));
    }
    let media = reply
        .content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    if let Some(format) = manifest.text(expected, &format!("{MF}expectedFormat")) {
        match format.as_str() {
            "boolean" | "tabular" => {
                let results_format = QueryResultsFormat::from_media_type(&media)
                    .ok_or_else(|| format!("{media} is not a results format"))?;
                let parsed = QueryResultsParser::from_format(results_format)
                    .for_slice(&reply.body)
                    .map_err(|e| e.to_string())?;
                match (format.as_str(), parsed) {
                    ("boolean", SliceQueryResultsParserOutput::Boolean(value)) => {
                        if let Some(Term::Literal(wanted)) =
                            manifest.object(expected, &format!("{MF}expectedBoolean"))
                        {
                            if wanted.value() != value.to_string() {
                                return Err(format!(
                                    "answered {value}, expected {}",
                                    wanted.value()
                                ));
                            }
                        }
                    }
                    ("tabular", SliceQueryResultsParserOutput::Solutions(solutions)) => {
                        for solution in solutions {
                            solution.map_err(|e| e.to_string())?;
                        }
                    }
                    _ => return Err(format!("not a {format} answer")),
                }
            }
            "RDF" => {
                let rdf = RdfFormat::from_media_type(&media)
                    .ok_or_else(|| format!("{media} is not an RDF format"))?;
                canonical(&reply.body, rdf, base)?;
            }
            other => return Err(format!("unknown expected format {other}")),
        }
    }
    for header in manifest.list(manifest.object(expected, &format!("{HT}headers"))) {
        let name = manifest.text(&header, &format!("{HT}fieldName")).unwrap();
        let value = manifest.text(&header, &format!("{HT}fieldValue")).unwrap();
        if name.eq_ignore_ascii_case("content-type") {
            let wanted = value.split(';').next().unwrap().trim();
            if !media.eq_ignore_ascii_case(wanted) {
                return Err(format!("Content-Type {media} where {wanted} was expected"));
            }
        }
    }
    if let Some(body) = manifest.object(expected, &format!("{HT}body")) {
        let chars = manifest.text(&body, &format!("{CNT}chars")).unwrap();
        let rdf = RdfFormat::from_media_type(&media).unwrap_or(RdfFormat::Turtle);
        let got = canonical(&reply.body, rdf, base)?;
        let wanted = canonical(chars.as_bytes(), RdfFormat::Turtle, base)?;
        if got != wanted {
            return Err(format!(
                "the graph differs:\n{}\nexpected:\n{chars}",
                reply.text()
            ));
        }
    }
    Ok(())
}

/// Runs every test of a manifest against a fresh writable server; returns the
/// names of the tests that failed, with why.
fn run_manifest(path: &Path) -> (usize, Vec<String>) {
    let manifest = Manifest::read(path);
    let served = Served::writable_empty(&[]);
    let bearer = format!("Bearer {TOKEN}");
    let mut failures = Vec::new();
    let entries = manifest.entries();
    for test in &entries {
        let name = manifest
            .text(test, &format!("{MF}name"))
            .unwrap_or_default();
        // Each test starts from an empty store holding its own data.
        let cleared = send(
            "POST",
            &served.url("/update"),
            &[
                ("Content-Type", "application/sparql-update"),
                ("Authorization", &bearer),
            ],
            Some(b"DROP ALL".to_vec()),
        );
        assert_eq!(cleared.status, 204, "{}", cleared.text());
        for data in manifest.objects(test, &format!("{UT}graphData")) {
            let file = manifest.text(&data, &format!("{UT}graph")).unwrap();
            let graph = manifest.text(&data, &format!("{RDFS}label")).unwrap();
            let file = manifest.folder.join(file.rsplit('/').next().unwrap());
            let encoded: String = form_urlencoded::byte_serialize(graph.as_bytes()).collect();
            let put = send(
                "PUT",
                &served.url(&format!("/store?graph={encoded}")),
                &[
                    ("Content-Type", "application/n-triples"),
                    ("Authorization", &bearer),
                ],
                Some(std::fs::read(&file).unwrap()),
            );
            assert!(put.status < 300, "{}", put.text());
        }
        let action = manifest.object(test, &format!("{MF}action")).unwrap();
        let mut location: Option<String> = None;
        let mut failure = None;
        for request in manifest.list(manifest.object(&action, &format!("{HT}requests"))) {
            let method = manifest.text(&request, &format!("{HT}methodName")).unwrap();
            let mut path = our_path(
                &manifest
                    .text(&request, &format!("{HT}absolutePath"))
                    .unwrap(),
            );
            let mut headers: Vec<(String, String)> = manifest
                .list(manifest.object(&request, &format!("{HT}headers")))
                .iter()
                .map(|h| {
                    (
                        manifest.text(h, &format!("{HT}fieldName")).unwrap(),
                        manifest.text(h, &format!("{HT}fieldValue")).unwrap(),
                    )
                })
                .collect();
            headers.push(("Authorization".into(), bearer.clone()));
            let mut body = manifest.object(&request, &format!("{HT}body")).map(|body| {
                let chars = manifest.text(&body, &format!("{CNT}chars")).unwrap();
                let encoding = manifest
                    .text(&body, &format!("{CNT}characterEncoding"))
                    .unwrap_or_else(|| "UTF-8".into());
                (chars, encoding)
            });
            if let Some(location) = &location {
                path = path.replace("$LOCATION$", location);
                if let Some((chars, _)) = &mut body {
                    *chars = chars.replace("$LOCATION$", location);
                }
            }
            let header_refs: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let url = served.url(&path);
            let reply = send(
                &method,
                &url,
                &header_refs,
                body.map(|(chars, encoding)| encode(&chars, &encoding)),
            );
            let expected = manifest.object(&request, &format!("{HT}resp")).unwrap();
            if manifest
                .object(&expected, &format!("{MF}expectedLocation"))
                .is_some()
            {
                location = reply.header("location");
                if location.is_none() {
                    failure = Some(format!("{method} {path}: no Location header"));
                    break;
                }
            }
            let base = url.split('?').next().unwrap().to_string();
            if let Err(why) = check(&manifest, &expected, &reply, &base) {
                failure = Some(format!("{method} {path}: {why}"));
                break;
            }
        }
        if let Some(why) = failure {
            failures.push(format!("{name}: {why}"));
        }
    }
    (entries.len(), failures)
}

#[test]
fn every_sparql_protocol_test_passes() {
    let Some(suite) = suite() else { return };
    let (count, failures) = run_manifest(&suite.join("protocol/manifest.ttl"));
    assert_eq!(count, 34, "the manifest lists 34 tests");
    assert!(
        failures.is_empty(),
        "{} of {count} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_graph_store_protocol_test_passes() {
    let Some(suite) = suite() else { return };
    for manifest in ["manifest-direct.ttl", "manifest-indirect.ttl"] {
        let (count, failures) = run_manifest(&suite.join("graph-store-protocol").join(manifest));
        assert!(count >= 4, "{manifest} lists its tests");
        assert!(
            failures.is_empty(),
            "{manifest}: {} of {count} failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
