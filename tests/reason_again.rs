//! `reason` on a store reasoned before, through the binary: it derives again only
//! what a change touches, says so, and its derived graph is the one `reason
//! --full` gives.

mod common;

use common::{credgraph, seed_data, seeded_store, store_path};
use std::path::Path;

const ARTICLE: &str = "2022-12-24-belarus-threat.ttl";

fn derived(db: &Path) -> Vec<String> {
    let out = credgraph(db)
        .args(["export", "--graph", "derived", "--format", "nt"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

fn reason(db: &Path, args: &[&str]) -> String {
    let out = credgraph(db).arg("reason").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

/// The article of the seed case with one statement given to another speaker.
fn changed_article(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(seed_data().join(ARTICLE)).unwrap();
    let changed = text.replacen(
        "cg:statedBy person:kyrylo-budanov ;",
        "cg:statedBy person:oleksii-reznikov ;",
        1,
    );
    assert_ne!(text, changed);
    let path = dir.join(ARTICLE);
    std::fs::write(&path, changed).unwrap();
    path
}

#[test]
fn a_changed_article_is_reasoned_over_alone_and_gives_what_a_rebuild_gives() {
    let dir = seeded_store();
    let db = store_path(&dir);
    assert!(reason(&db, &[]).contains("nothing changed since the last reason"));

    let before = derived(&db);
    let article = changed_article(dir.path());
    let graph = format!(
        "file://{}",
        seed_data().join(ARTICLE).canonicalize().unwrap().display()
    );
    credgraph(&db)
        .args(["load", "--graph", &graph])
        .arg(&article)
        .assert()
        .success();
    let said = reason(&db, &[]);
    assert!(
        said.contains("updated the derived graph for 1 changed graph"),
        "{said}"
    );
    let after = derived(&db);
    assert_ne!(
        before, after,
        "the speaker changed, so must the source pairs"
    );

    // A rebuild over it derives the same and writes nothing.
    let said = reason(&db, &["--full"]);
    assert!(
        said.contains("rebuilding the derived graph from scratch: --full"),
        "{said}"
    );
    assert!(said.contains("0 triples written, 0 taken out"), "{said}");
    assert_eq!(derived(&db), after);

    // Dropping the article's graph by name is followed change by change, too.
    credgraph(&db)
        .args(["update", &format!("DROP GRAPH <{graph}>")])
        .assert()
        .success();
    let said = reason(&db, &[]);
    assert!(said.contains("updated the derived graph"), "{said}");
    let dropped = derived(&db);
    reason(&db, &["--full"]);
    assert_eq!(derived(&db), dropped);
}

#[test]
fn an_update_that_may_write_any_graph_or_a_lost_record_means_a_rebuild() {
    let dir = seeded_store();
    let db = store_path(&dir);
    let before = derived(&db);
    credgraph(&db)
        .args([
            "update",
            "DELETE { GRAPH ?g { ?s cg:certainty ?c } } WHERE { GRAPH ?g { ?s cg:certainty ?c } }",
        ])
        .assert()
        .success();
    let said = reason(&db, &[]);
    assert!(
        said.contains("rebuilding the derived graph from scratch: a SPARQL update"),
        "{said}"
    );
    assert_eq!(derived(&db), before);

    // A record that cannot be read is no record: a rebuild, not an error.
    std::fs::write(db.join("credgraph-reason/manifest.json"), "not json").unwrap();
    let said = reason(&db, &[]);
    assert!(said.contains("no record of an earlier run"), "{said}");
    assert_eq!(derived(&db), before);

    // Nor is a footprint that cannot be read, once its graph changes.
    for entry in std::fs::read_dir(db.join("credgraph-reason")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "nt") {
            std::fs::write(&path, "<not n-triples").unwrap();
        }
    }
    let article = changed_article(dir.path());
    let graph = format!(
        "file://{}",
        seed_data().join(ARTICLE).canonicalize().unwrap().display()
    );
    credgraph(&db)
        .args(["load", "--graph", &graph])
        .arg(&article)
        .assert()
        .success();
    let said = reason(&db, &[]);
    assert!(
        said.contains("rebuilding the derived graph from scratch: the record of the last run"),
        "{said}"
    );
    let rebuilt = derived(&db);
    reason(&db, &["--full"]);
    assert_eq!(derived(&db), rebuilt);
}
