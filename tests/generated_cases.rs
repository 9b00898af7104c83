//! A generated case goes through the whole pipeline from the command line.

mod common;
use common::*;

#[test]
fn a_generated_case_loads_validates_and_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let case = dir.path().join("case.nt.gz");
    let stderr = credgraph(&db)
        .args([
            "generate",
            "--sources",
            "50",
            "--statements",
            "800",
            "--seed",
            "3",
            "-o",
        ])
        .arg(&case)
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&stderr).contains("800 statements"));
    credgraph(&db).arg("load").arg(&case).assert().success();
    credgraph(&db).arg("validate").assert().success();
    credgraph(&db).arg("reason").assert().success();
    let statements = sparql(&db, "SELECT (COUNT(*) AS ?n) WHERE { ?s a cg:Statement }");
    assert_eq!(statements[0]["n"], "800");
    let pairs = named_query(&db, "who-corroborates-whom", &[]);
    assert!(pairs.len() > 20, "{} corroborating pairs", pairs.len());
}

#[test]
fn generate_refuses_a_case_without_sources() {
    let dir = tempfile::tempdir().unwrap();
    credgraph(&store_path(&dir))
        .args(["generate", "--sources", "1", "--statements", "10"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--sources must be at least 2"));
}
