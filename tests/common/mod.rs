//! Helpers for driving the `credgraph` binary the way a user does.
#![allow(dead_code)]

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The repository's bundled seed case.
pub fn seed_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

pub fn test_data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The binary, with the store at `db` and no environment leaking in.
pub fn credgraph(db: &Path) -> Command {
    let mut command = Command::cargo_bin("credgraph").expect("the binary is built");
    command.env_remove("CREDGRAPH_DB").arg("--db").arg(db);
    command
}

/// The binary with no store or engine settings leaking in from the environment.
pub fn credgraph_bare() -> Command {
    let mut command = Command::cargo_bin("credgraph").expect("the binary is built");
    for variable in [
        "CREDGRAPH_DB",
        "CREDGRAPH_ENDPOINT",
        "CREDGRAPH_PROFILE",
        "CREDGRAPH_ENDPOINTS",
        "CREDGRAPH_ENDPOINT_USER",
        "CREDGRAPH_ENDPOINT_PASSWORD",
    ] {
        command.env_remove(variable);
    }
    command
}

/// A fresh store holding the seed case, reasoned.
pub fn seeded_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    credgraph(&store_path(&dir))
        .arg("load")
        .arg(seed_data())
        .assert()
        .success();
    credgraph(&store_path(&dir))
        .arg("reason")
        .assert()
        .success();
    dir
}

pub fn store_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("store")
}

/// Rows of a named query as maps from column to the value's text.
pub fn named_query(
    db: &Path,
    name: &str,
    params: &[(&str, &str)],
) -> Vec<BTreeMap<String, String>> {
    let mut command = credgraph(db);
    command.args(["query", "--name", name, "--results-format", "json"]);
    for (key, value) in params {
        command.arg("--param").arg(format!("{key}={value}"));
    }
    let output = command.assert().success().get_output().stdout.clone();
    rows(&output)
}

/// Rows of a SPARQL query.
pub fn sparql(db: &Path, query: &str) -> Vec<BTreeMap<String, String>> {
    let output = credgraph(db)
        .args(["query", query, "--results-format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    rows(&output)
}

pub fn rows(json: &[u8]) -> Vec<BTreeMap<String, String>> {
    let value: serde_json::Value = serde_json::from_slice(json).expect("SPARQL JSON results");
    value["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|row| {
            row.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v["value"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

/// The values of one column, in order.
pub fn column(rows: &[BTreeMap<String, String>], name: &str) -> Vec<String> {
    rows.iter()
        .map(|r| r.get(name).cloned().unwrap_or_default())
        .collect()
}

/// The whole store as sorted N-Quads lines, to compare before and after.
pub fn dump(db: &Path) -> Vec<String> {
    let output = credgraph(db)
        .args(["export", "--format", "nq"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut lines: Vec<String> = String::from_utf8(output)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lines.sort();
    lines
}

pub const STOLTENBERG: &str = "Jens Stoltenberg";
pub const REZNIKOV: &str = "Oleksii Reznikov";
pub const ZALUZHNYI: &str = "Valerii Zaluzhnyi";
pub const NAYEV: &str = "Serhiy Nayev";
pub const BUDANOV: &str = "Kyrylo Budanov";
pub const OC_SOUTH: &str = "Commander of Operational Command \"South\" (unnamed in the report)";
pub mod server;
pub mod tools;

/// A source's claim in the generated truth-discovery cases: "true" with chance
/// `accuracy`, else one of ten false values.
pub fn claimed_value(rng: &mut credgraph::SplitMix64, accuracy: f64) -> String {
    if rng.chance(accuracy) {
        "true".into()
    } else {
        format!("false-{}", rng.below(10))
    }
}
