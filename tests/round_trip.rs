//! Export and reload give an isomorphic dataset: every quad format for the whole
//! store, every triple format for one graph.

mod common;
use common::*;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Dataset, GraphName, NamedNode};
use std::path::Path;

fn read(path: &Path, format: RdfFormat, graph: Option<&str>) -> Dataset {
    let bytes = std::fs::read(path).unwrap();
    let mut parser = RdfParser::from_format(format);
    if let Some(graph) = graph {
        parser = parser.with_default_graph(GraphName::NamedNode(NamedNode::new(graph).unwrap()));
    }
    let mut dataset: Dataset = parser.for_slice(&bytes).map(|q| q.unwrap()).collect();
    dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
    dataset
}

/// A reasoned seed store with a triple in the default graph too.
fn populated_store() -> tempfile::TempDir {
    let dir = seeded_store();
    credgraph(&store_path(&dir))
        .args([
            "update",
            "INSERT DATA { <https://example.org/note> rdfs:comment \"in the default graph\"@en }",
        ])
        .assert()
        .success();
    dir
}

#[test]
fn the_whole_store_round_trips_in_every_quad_format() {
    let dir = populated_store();
    for (extension, format) in [("nq", RdfFormat::NQuads), ("trig", RdfFormat::TriG)] {
        let first = dir.path().join(format!("first.{extension}"));
        credgraph(&store_path(&dir))
            .arg("export")
            .arg("-o")
            .arg(&first)
            .assert()
            .success();

        let copy = dir.path().join(format!("copy-{extension}"));
        credgraph(&copy)
            .arg("load")
            .arg(&first)
            .args(["--graph", "default"])
            .assert()
            .success();
        let second = dir.path().join(format!("second.{extension}"));
        credgraph(&copy)
            .arg("export")
            .arg("-o")
            .arg(&second)
            .assert()
            .success();

        let original = read(&first, format, None);
        assert!(
            original.len() > 500,
            "{extension}: the export holds the case"
        );
        assert_eq!(
            original,
            read(&second, format, None),
            "{extension}: not isomorphic"
        );
    }
}

#[test]
fn one_graph_round_trips_in_every_triple_format() {
    let dir = populated_store();
    let entities = std::fs::canonicalize(seed_data().join("entities.ttl")).unwrap();
    let graph = format!("file://{}", entities.display());
    for (extension, format) in [
        ("ttl", RdfFormat::Turtle),
        ("nt", RdfFormat::NTriples),
        ("rdf", RdfFormat::RdfXml),
        ("n3", RdfFormat::N3),
        (
            "jsonld",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
    ] {
        let first = dir.path().join(format!("graph.{extension}"));
        credgraph(&store_path(&dir))
            .args(["export", "--graph", &graph, "-o"])
            .arg(&first)
            .assert()
            .success();
        let copy = dir.path().join(format!("graph-copy-{extension}"));
        credgraph(&copy)
            .arg("load")
            .arg(&first)
            .args(["--graph", &graph])
            .assert()
            .success();
        let second = dir.path().join(format!("graph-again.{extension}"));
        credgraph(&copy)
            .args(["export", "--graph", &graph, "-o"])
            .arg(&second)
            .assert()
            .success();
        let original = read(&first, format, Some(&graph));
        assert!(
            original.len() > 100,
            "{extension}: {} triples",
            original.len()
        );
        assert_eq!(
            original,
            read(&second, format, Some(&graph)),
            "{extension}: not isomorphic"
        );
    }
}

#[test]
fn exports_compress_and_the_derived_graph_exports_alone() {
    let dir = populated_store();
    let path = dir.path().join("derived.nt.gz");
    credgraph(&store_path(&dir))
        .args(["export", "--graph", "derived", "-o"])
        .arg(&path)
        .assert()
        .success();
    let copy = dir.path().join("copy");
    credgraph(&copy)
        .arg("load")
        .arg(&path)
        .args(["--graph", "https://w3id.org/credgraph/graph/derived"])
        .assert()
        .success();
    let rows = sparql(
        &copy,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH graph:derived { ?a cg:corroborates ?b } }",
    );
    assert_eq!(rows[0]["n"], "14", "seven corroborating pairs, both ways");
}
