//! A crash at any step of a command that rewrites graphs (`reason`, `score`, a
//! `load` that replaces a file's graph) leaves the store as it was before the
//! command or as the command meant to leave it, never a mixture. The crash is
//! injected with `CREDGRAPH_CRASH_AFTER_STEPS=N`, which aborts the process after
//! the N-th step of the rewrite, as `kill -9` would; the test walks N from 1 until
//! the command runs to its end.

mod common;

use common::{credgraph, dump, seed_data, seeded_store, store_path};
use std::path::Path;

/// Runs `args` crashing after each step in turn; after every crash the store must
/// read as `before`, and once the command finishes, as something else.
fn crash_at_every_step(db: &Path, args: &[&str]) -> usize {
    let before = dump(db);
    for step in 1..=500 {
        let status = credgraph(db)
            .args(args)
            .env("CREDGRAPH_CRASH_AFTER_STEPS", step.to_string())
            .output()
            .unwrap()
            .status;
        if status.success() {
            assert!(
                step > 1,
                "the command ran to its end without a crash injected"
            );
            assert_ne!(
                dump(db),
                before,
                "`{}` ran to its end and changed nothing",
                args.join(" ")
            );
            return step;
        }
        assert_eq!(status.code(), None, "the command failed without crashing");
        // The next opening of the store rolls the interrupted rewrite back.
        assert_eq!(
            dump(db),
            before,
            "after a crash at step {step} of `{}` the store is not as it was",
            args.join(" ")
        );
        assert!(!db.join("credgraph-rewrite").exists());
    }
    panic!("`{}` never ran to its end", args.join(" "));
}

/// A small generated case of its own, so that reasoning again changes things.
fn generated(dir: &Path, seed: u32) -> std::path::PathBuf {
    let path = dir.join("more.nt");
    credgraph(&dir.join("unused"))
        .args(["generate", "--sources", "6", "--statements", "40"])
        .args(["--seed", &seed.to_string(), "-o"])
        .arg(&path)
        .assert()
        .success();
    path
}

#[test]
fn a_crash_at_any_step_of_reason_leaves_the_old_derived_graph() {
    let dir = seeded_store();
    let db = store_path(&dir);
    let more = generated(dir.path(), 3);
    credgraph(&db).arg("load").arg(&more).assert().success();
    let steps = crash_at_every_step(&db, &["reason"]);
    assert!(steps > 3, "reason had only {steps} steps");
}

#[test]
fn a_crash_at_any_step_of_an_incremental_reason_leaves_the_old_derived_graph() {
    let dir = seeded_store();
    let db = store_path(&dir);
    // The record of the last run and the journal, put back before each attempt:
    // otherwise a crash (which forgets the record) makes every later attempt a
    // full rebuild.
    let record = db.join("credgraph-reason");
    let saved = dir.path().join("saved-record");
    std::fs::create_dir_all(&saved).unwrap();
    // The seed's article with one statement given to another speaker: statements
    // only, so that the run is incremental (a generated case brings organizations,
    // whose change is reasoned over in full).
    let original = seed_data().join("2022-12-24-belarus-threat.ttl");
    let changed = dir.path().join("2022-12-24-belarus-threat.ttl");
    std::fs::write(
        &changed,
        std::fs::read_to_string(&original).unwrap().replacen(
            "cg:statedBy person:kyrylo-budanov ;",
            "cg:statedBy person:oleksii-reznikov ;",
            1,
        ),
    )
    .unwrap();
    let graph = format!("file://{}", original.canonicalize().unwrap().display());
    credgraph(&db)
        .args(["load", "--graph", &graph])
        .arg(&changed)
        .assert()
        .success();
    // With the journal: the opening after a crash records that anything may have
    // changed (the dump below rolls the crash back first).
    let mut files: Vec<_> = std::fs::read_dir(&record)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.push(db.join("credgraph-journal.json"));
    for file in &files {
        std::fs::copy(file, saved.join(file.file_name().unwrap())).unwrap();
    }
    let before = dump(&db);
    for step in 1..=200 {
        for file in &files {
            std::fs::copy(saved.join(file.file_name().unwrap()), file).unwrap();
        }
        let out = credgraph(&db)
            .arg("reason")
            .env("CREDGRAPH_CRASH_AFTER_STEPS", step.to_string())
            .output()
            .unwrap();
        if out.status.success() {
            let said = String::from_utf8_lossy(&out.stderr);
            assert!(said.contains("updated the derived graph"), "{said}");
            assert!(step > 2, "the incremental run had only {step} steps");
            assert_ne!(dump(&db), before);
            return;
        }
        assert_eq!(out.status.code(), None, "reason failed without crashing");
        assert_eq!(dump(&db), before, "after a crash at step {step}");
    }
    panic!("the incremental reason never ran to its end");
}

#[test]
fn a_crash_at_any_step_of_score_leaves_the_old_scores() {
    let dir = seeded_store();
    let db = store_path(&dir);
    credgraph(&db).arg("score").assert().success();
    let more = generated(dir.path(), 4);
    credgraph(&db).arg("load").arg(&more).assert().success();
    crash_at_every_step(&db, &["score"]);
    // Scoring again from the cache beside the store gives what a store without
    // the cache gives.
    credgraph(&db).arg("score").assert().success();
    let cached = scores(&db);
    for file in ["credgraph-scores.hashes", "credgraph-claims.cache"] {
        std::fs::remove_file(db.join(file)).unwrap();
    }
    credgraph(&db).arg("score").assert().success();
    assert_eq!(cached, scores(&db));
}

/// The scores graph without its times of generation.
fn scores(db: &Path) -> Vec<String> {
    dump(db)
        .into_iter()
        .filter(|line| line.contains("graph/scores") && !line.contains("generatedAtTime"))
        .collect()
}

#[test]
fn a_crash_at_any_step_of_reloading_a_file_leaves_its_old_graph() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let file = generated(dir.path(), 5);
    credgraph(&db).arg("load").arg(&file).assert().success();
    let first = std::fs::read_to_string(&file).unwrap();
    // The same file with a tenth of its lines gone and others new.
    let edited: String = first
        .lines()
        .enumerate()
        .filter(|(i, _)| i % 10 != 0)
        .map(|(_, line)| format!("{line}\n"))
        .chain(std::iter::once(
            "<https://example.org/new> <https://example.org/p> \"added\" .\n".to_string(),
        ))
        .collect();
    std::fs::write(&file, edited).unwrap();
    crash_at_every_step(&db, &["load", file.to_str().unwrap()]);
    let graph: Vec<String> = dump(&db)
        .into_iter()
        .filter(|line| line.contains("more.nt"))
        .collect();
    assert_eq!(
        graph.len(),
        std::fs::read_to_string(&file).unwrap().lines().count()
    );
}

#[test]
fn a_reload_that_fails_to_parse_leaves_the_old_graph() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let file = generated(dir.path(), 6);
    credgraph(&db).arg("load").arg(&file).assert().success();
    let before = dump(&db);
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("<https://example.org/a> <https://example.org/b> .\n");
    std::fs::write(&file, text).unwrap();
    credgraph(&db).arg("load").arg(&file).assert().code(1);
    assert_eq!(dump(&db), before);
}

#[test]
fn files_a_killed_bulk_load_left_are_removed_at_the_next_opening() {
    let dir = seeded_store();
    let db = store_path(&dir);
    // The name a bulk load gives the files it writes before adding them.
    let leftover = db.join("bulk-123456789012345678901234567890.sst");
    std::fs::write(&leftover, vec![0_u8; 4096]).unwrap();
    credgraph(&db)
        .args(["query", "ASK { ?s ?p ?o }"])
        .assert()
        .success();
    assert!(!leftover.exists());
}

#[test]
fn after_a_crash_and_an_unrelated_write_score_trusts_no_stale_cache() {
    let dir = seeded_store();
    let db = store_path(&dir);
    let more = generated(dir.path(), 9);
    credgraph(&db).arg("load").arg(&more).assert().success();
    credgraph(&db).arg("score").assert().success();
    // reason dies mid-way (leaving the journal's crash mark), then a write that
    // has nothing to do with it.
    let status = credgraph(&db)
        .arg("reason")
        .env("CREDGRAPH_CRASH_AFTER_STEPS", "2")
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), None, "reason was not aborted");
    let tiny = dir.path().join("tiny.nt");
    std::fs::write(
        &tiny,
        "<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n",
    )
    .unwrap();
    credgraph(&db).arg("load").arg(&tiny).assert().success();
    credgraph(&db).arg("score").assert().success();
    let with_caches = scores(&db);
    for file in ["credgraph-scores.hashes", "credgraph-claims.cache"] {
        std::fs::remove_file(db.join(file)).unwrap();
    }
    credgraph(&db).arg("score").assert().success();
    assert_eq!(with_caches, scores(&db));
}
