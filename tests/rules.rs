//! The rules are the definition: on the embedded store the source pairs are computed
//! in Rust, and that must give exactly the triples the SPARQL rule gives.

use credgraph::CaseStore;
use credgraph::{load, LoadOptions};
use credgraph::{reason, ReasonOptions};
use oxigraph::model::NamedNodeRef;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology/rules")
}

/// The shipped rules with the native computation switched off, so every rule runs
/// as SPARQL.
fn sparql_only_rules(dir: &Path) -> PathBuf {
    let target = dir.join("rules");
    std::fs::create_dir_all(&target).unwrap();
    for entry in std::fs::read_dir(rules_dir()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let text: String = text
            .lines()
            .filter(|line| !line.trim_start_matches('#').trim().starts_with("native:"))
            .map(|line| format!("{line}\n"))
            .collect();
        std::fs::write(target.join(path.file_name().unwrap()), text).unwrap();
    }
    target
}

/// The seed case in a store of its own, not yet reasoned.
fn seed_store() -> CaseStore {
    let store = CaseStore::in_memory().unwrap();
    load(&store, &[seed()], &LoadOptions::default()).unwrap();
    store
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn derived(store: &CaseStore) -> BTreeSet<String> {
    let graph = NamedNodeRef::new_unchecked("https://w3id.org/credgraph/graph/derived");
    store
        .oxigraph("test")
        .unwrap()
        .quads_for_pattern(None, None, None, Some(graph.into()))
        .map(|q| q.unwrap().to_string())
        .collect()
}

fn both_ways(files: &[PathBuf]) -> (BTreeSet<String>, BTreeSet<String>) {
    let dir = tempfile::tempdir().unwrap();
    let options = ReasonOptions {
        evidence_limit: 1_000_000,
        ..ReasonOptions::default()
    };
    let native = CaseStore::in_memory().unwrap();
    load(&native, files, &LoadOptions::default()).unwrap();
    let report = reason(&native, &options).unwrap();
    assert!(
        report.rules.iter().all(|r| r.skipped.is_none()),
        "{:?}",
        report.rules
    );

    let sparql = CaseStore::in_memory().unwrap();
    load(&sparql, files, &LoadOptions::default()).unwrap();
    reason(
        &sparql,
        &ReasonOptions {
            rules_dir: Some(sparql_only_rules(dir.path())),
            ..options
        },
    )
    .unwrap();
    (derived(&native), derived(&sparql))
}

#[test]
fn native_source_pairs_equal_the_sparql_rule_on_the_seed() {
    let (native, sparql) = both_ways(&[seed()]);
    assert!(native.iter().any(|q| q.contains("corroborates")));
    assert_eq!(native, sparql);
}

#[test]
fn native_source_pairs_equal_the_sparql_rule_on_a_generated_case() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("generated.nt");
    let mut file = std::fs::File::create(&case).unwrap();
    credgraph::generate(
        &credgraph::GenerateOptions {
            sources: 60,
            statements: 1500,
            questions: Some(80),
            seed: 11,
        },
        oxigraph::io::RdfFormat::NTriples,
        &mut file,
    )
    .unwrap();
    let (native, sparql) = both_ways(&[case]);
    let corroborations = native
        .iter()
        .filter(|q| q.contains("#corroborates>"))
        .count();
    assert!(
        corroborations > 50,
        "a case worth comparing: {corroborations}"
    );
    let only_native: Vec<_> = native.difference(&sparql).take(5).collect();
    let only_sparql: Vec<_> = sparql.difference(&native).take(5).collect();
    assert!(
        only_native.is_empty() && only_sparql.is_empty(),
        "native only: {only_native:#?}\nSPARQL only: {only_sparql:#?}"
    );
}

#[test]
fn reasoning_twice_gives_the_same_graph() {
    let store = seed_store();
    reason(&store, &ReasonOptions::default()).unwrap();
    let first = derived(&store);
    reason(&store, &ReasonOptions::default()).unwrap();
    assert_eq!(first, derived(&store));
}

#[test]
fn too_many_statement_pairs_are_left_to_the_named_queries() {
    let store = seed_store();
    let report = reason(
        &store,
        &ReasonOptions {
            max_statement_pairs: 5,
            ..ReasonOptions::default()
        },
    )
    .unwrap();
    assert!(!report.statement_pairs_stored);
    assert_eq!(report.statement_pairs.agreeing_statement_pairs, 11);
    assert_eq!(report.statement_pairs.contradicting_statement_pairs, 2);
    let derived = derived(&store);
    assert!(!derived.iter().any(|q| q.contains("#agreesWith>")));
    assert_eq!(
        derived
            .iter()
            .filter(|q| q.contains("#corroborates>"))
            .count(),
        14,
        "source pairs still computed"
    );
}

#[test]
fn switching_a_dependence_kind_off_changes_who_counts_as_independent() {
    let store = seed_store();
    let report = reason(
        &store,
        &ReasonOptions {
            dependence: ["reporting".to_string(), "quoting".to_string()].into(),
            ..ReasonOptions::default()
        },
    )
    .unwrap();
    // Without institution and command, the three Armed Forces voices are independent too.
    assert_eq!(report.corroborating_pairs, 10);
}
