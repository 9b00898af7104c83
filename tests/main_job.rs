//! The README's main command: load the seed into an embedded store, reason, and
//! print who corroborates whom as a table; run again, the same answer.

mod common;
use common::*;

fn main_job(db: &std::path::Path) -> String {
    let output = credgraph(db)
        .arg("--load")
        .arg(seed_data())
        .args(["--reason", "query", "--name", "who-corroborates-whom"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(output).unwrap()
}

#[test]
fn the_main_job_prints_who_corroborates_whom() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let table = main_job(&db);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("source_a"), "{table}");
    assert!(
        lines[0].contains("corroborations") && lines[0].ends_with("statements"),
        "{table}"
    );
    assert!(lines[1].chars().all(|c| c == '-' || c == ' '), "{table}");
    let rows = &lines[2..];
    assert_eq!(rows.len(), 7, "{table}");
    assert!(
        rows.iter()
            .all(|row| row.contains(STOLTENBERG) || row.contains(REZNIKOV)),
        "{table}"
    );
    assert!(
        !rows
            .iter()
            .any(|row| row.contains(ZALUZHNYI) && row.contains(NAYEV)),
        "{table}"
    );
    // The count column lines up under its header.
    let column = lines[0].find("corroborations").unwrap() + "corroborations".len() - 1;
    assert!(
        rows.iter().all(|row| row.as_bytes()[column] == b'1'),
        "{table}"
    );

    assert_eq!(
        main_job(&db),
        table,
        "loading again replaces the files' graphs: same answer"
    );
}

#[test]
fn the_same_job_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let output = credgraph(&store_path(&dir))
        .arg("--memory")
        .arg("--load")
        .arg(seed_data())
        .args([
            "--reason",
            "query",
            "--name",
            "corroborators",
            "--param",
            "source=Stoltenberg",
            "--results-format",
            "csv",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let csv = String::from_utf8(output).unwrap();
    assert_eq!(
        csv.lines().count(),
        5,
        "a header and four corroborators: {csv}"
    );
    assert!(
        !store_path(&dir).exists(),
        "--memory leaves no store on disk"
    );
}
