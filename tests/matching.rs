//! `credgraph match` and `import MATCHSHEET` through the binary: statements of
//! tables, sheets and the store matched to propositions with their stance; a match
//! sheet applied; a sheet edited badly refused with its position and without
//! touching the store.

mod common;

use common::{credgraph, credgraph_bare, dump, store_path};
use serde_json::Value;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn match_json(db: &Path, args: &[&str]) -> Vec<Value> {
    let output = credgraph(db)
        .arg("match")
        .args(args)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice::<Value>(&output)
        .expect("JSON")
        .as_array()
        .expect("an array")
        .clone()
}

/// The stance of each line of a table, read through the binary.
fn stances(rows: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut table = String::from("id\tsource\ttext\n");
    for (i, (_, text)) in rows.iter().enumerate() {
        table.push_str(&format!("s{i}\twire\t{text}\n"));
    }
    let path = write(dir.path(), "statements.tsv", &table);
    let found = match_json(&store_path(&dir), &[path.to_str().unwrap()]);
    found
        .iter()
        .map(|m| m["stance"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn stance_follows_negation_refutation_hedges_and_questions() {
    let cases = [
        ("asserts", "Russia is massing troops on the northern border"),
        (
            "denies",
            "\"We are not massing troops anywhere,\" the minister said",
        ),
        (
            "denies",
            "The ministry denied reports that troops were massing on the border",
        ),
        (
            "denies",
            "There is no evidence that troops are massing on the border",
        ),
        (
            "denies",
            "The governor dismissed as fabricated the claim that the dam burst",
        ),
        ("asserts", "It is not false that the dam burst on Tuesday"),
        ("reports", "Did the dam burst on Tuesday?"),
        (
            "reports",
            "Troops reportedly massing on the northern border",
        ),
    ];
    let expected: Vec<&str> = cases.iter().map(|c| c.0).collect();
    assert_eq!(stances(&cases), expected);
}

/// Headlines find their claim among candidate propositions, and every key scripts
/// rely on is there.
#[test]
fn statements_of_a_table_are_ranked_against_candidate_propositions() {
    let dir = tempfile::tempdir().unwrap();
    let statements = write(
        dir.path(),
        "statements.csv",
        "id,source,text,date\n\
         a1,wire-a,\"Dam on the Sava river burst, flooding 3,000 homes\",2024-05-02\n\
         a2,wire-b,Officials deny the Sava dam burst,2024-05-03\n\
         b1,wire-a,Port of Varna closed to tankers after strike,2024-05-02\n\
         b2,wire-c,Was the port of Varna really closed to tankers?,2024-05-04\n",
    );
    let propositions = write(
        dir.path(),
        "propositions.tsv",
        "id\ttext\tquestion\n\
         dam\tThe Sava river dam burst\tDid the Sava dam burst?\n\
         port\tThe port of Varna is closed to tankers\t\n\
         other\tA new bridge opened in the capital\t\n",
    );
    let found = match_json(
        &store_path(&dir),
        &[
            statements.to_str().unwrap(),
            "--propositions",
            propositions.to_str().unwrap(),
        ],
    );
    assert_eq!(found.len(), 4);
    let first: Vec<&str> = found
        .iter()
        .map(|m| m["candidates"][0]["proposition"].as_str().unwrap())
        .collect();
    assert_eq!(first, ["dam", "dam", "port", "port"]);
    let stances: Vec<&str> = found
        .iter()
        .map(|m| m["stance"].as_str().unwrap())
        .collect();
    assert_eq!(stances, ["asserts", "denies", "asserts", "reports"]);
    for m in &found {
        for key in [
            "statement",
            "stance",
            "certainty",
            "candidates",
            "cluster",
            "confidence",
        ] {
            assert!(m.get(key).is_some(), "{key} missing in {m}");
        }
        let score = m["candidates"][0]["score"].as_f64().unwrap();
        assert!(score > 0.0 && score <= 1.0);
    }
    assert_eq!(found[0]["cluster"], found[1]["cluster"]);
    assert_ne!(found[0]["cluster"], found[2]["cluster"]);
    assert!(found[0]["evidence"]["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n != "3,000"));
    assert_eq!(found[1]["cue"], "deny");
}

/// A match sheet of table statements imports: new statements, the chosen
/// propositions minted, polarity from the stance, and the run recorded.
#[test]
fn a_match_sheet_of_table_statements_imports_with_its_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let statements = write(
        dir.path(),
        "statements.tsv",
        "id\tsource\ttext\tdate\n\
         h1\tdaily.example\tGiant crab found on the beach at Whitstable\t2015-01-02\n\
         h2\tpost.example\tPhoto of giant crab at Whitstable is a hoax\t2015-01-03\n\
         h3\tnews.example\tWhitstable giant crab spotted by diver\t2015-01-03\n",
    );
    let propositions = write(
        dir.path(),
        "claims.tsv",
        "id\ttext\ncrab\tA giant crab was found at Whitstable\n",
    );
    let sheet = dir.path().join("matches.yaml");
    credgraph(&db)
        .arg("match")
        .arg(&statements)
        .arg("--propositions")
        .arg(&propositions)
        .arg("-o")
        .arg(&sheet)
        .assert()
        .success();
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(text.starts_with("# credgraph match sheet"));
    credgraph(&db).arg("import").arg(&sheet).assert().success();
    let rows = common::sparql(
        &db,
        "SELECT ?s ?polarity WHERE { ?s cg:proposition proposition:crab ; cg:polarity ?polarity } ORDER BY ?s",
    );
    let polarity: Vec<&str> = rows
        .iter()
        .map(|r| r["polarity"].rsplit('#').next().unwrap())
        .collect();
    assert_eq!(polarity, ["Assertion", "Denial", "Assertion"]);
    let run = common::sparql(
        &db,
        "SELECT ?run ?at WHERE { ?g prov:wasGeneratedBy ?run . ?run a prov:Activity ; prov:startedAtTime ?at ; prov:used ?g }",
    );
    assert_eq!(run.len(), 1, "{run:?}");
    credgraph(&db).arg("reason").assert().success();
    let contradicting = common::named_query(&db, "who-contradicts-whom", &[]);
    assert_eq!(contradicting.len(), 2, "{contradicting:?}");
    credgraph(&db).arg("validate").assert().success();
}

/// A match sheet edited badly is refused with the file, line and column, and
/// nothing is imported.
#[test]
fn a_badly_edited_match_sheet_is_refused_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    credgraph(&db)
        .arg("load")
        .arg(common::seed_data())
        .assert()
        .success();
    let good = "match:\n  by: credgraph match\n  at: 2026-01-01T00:00:00Z\n  inputs: [the store]\nstatements:\n- statement: statement:2022-12-24-budanov-no-imminent-threat\n  source: Kyrylo Budanov\n  text: no threat\n  proposition: proposition:offensive-from-belarus-in-winter-or-spring-2023\n  stance: denies\n  cluster: c1\n  confidence: 0.5\n";
    let before = dump(&db);
    let cases = [
        (
            good.replace(
                "proposition:offensive-from-belarus-in-winter-or-spring-2023",
                "proposition:no-such-thing",
            ),
            "9:16",
            "proposition:no-such-thing",
        ),
        (
            good.replace("stance: denies", "stance: refutes"),
            "10:11",
            "refutes",
        ),
        (
            good.replace(
                "statement:2022-12-24-budanov-no-imminent-threat",
                "statement:never-made",
            ),
            "6:14",
            "no such statement",
        ),
    ];
    for (text, at, words) in cases {
        let sheet = write(dir.path(), "bad.yaml", &text);
        let output = credgraph(&db)
            .arg("import")
            .arg(&sheet)
            .assert()
            .code(1)
            .get_output()
            .stderr
            .clone();
        let message = String::from_utf8(output).unwrap();
        assert!(message.contains(&format!("bad.yaml:{at}")), "{message}");
        assert!(message.contains(words), "{message}");
        assert_eq!(dump(&db), before, "nothing is imported");
    }
}

#[test]
fn a_table_without_a_text_column_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "headlines.tsv",
        "id\tsource\theadline\nx\ty\tz\n",
    );
    let output = credgraph_bare()
        .args(["--memory", "match"])
        .arg(&path)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let message = String::from_utf8(output).unwrap();
    assert!(message.contains("headlines.tsv:1:1"), "{message}");
    assert!(message.contains("no column `text`"), "{message}");
}
