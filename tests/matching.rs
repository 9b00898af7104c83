//! `credgraph match` and `import MATCHSHEET` through the binary: statements of
//! tables, sheets and the store matched to propositions with their stance; a match
//! sheet applied; a sheet edited badly refused with its position and without
//! touching the store.

mod common;

use common::{credgraph, credgraph_bare, dump, store_path, tools};
use serde_json::Value;
use std::collections::BTreeSet;
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

/// What a command that must fail with exit 1 says on standard error.
fn failure(command: &mut assert_cmd::Command) -> String {
    let output = command.assert().code(1).get_output().stderr.clone();
    String::from_utf8(output).unwrap()
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
        "SELECT DISTINCT ?run ?at ?sheet WHERE { ?s prov:wasGeneratedBy ?run . ?run a prov:Activity ; prov:startedAtTime ?at ; prov:used ?sheet }",
    );
    assert_eq!(run.len(), 1, "{run:?}");
    assert!(run[0]["sheet"].ends_with("/matches.yaml"), "{run:?}");
    // Importing the sheet again with a line left out keeps what that line got before.
    let edited = text.replacen("keep: true", "keep: false", 2);
    std::fs::write(&sheet, &edited).unwrap();
    credgraph(&db).arg("import").arg(&sheet).assert().success();
    let again = common::sparql(
        &db,
        "SELECT ?s ?polarity WHERE { ?s cg:proposition proposition:crab ; cg:polarity ?polarity } ORDER BY ?s",
    );
    assert_eq!(again, rows);
    // A second sheet may not match a statement the first one matches.
    let other = dir.path().join("other.yaml");
    std::fs::write(&other, &text).unwrap();
    let message = failure(credgraph(&db).arg("import").arg(&sheet).arg(&other));
    assert!(message.contains("other.yaml:"), "{message}");
    assert!(message.contains("matches it too"), "{message}");
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
        let message = failure(credgraph(&db).arg("import").arg(&sheet));
        assert!(message.contains(&format!("bad.yaml:{at}")), "{message}");
        assert!(message.contains(words), "{message}");
        assert_eq!(dump(&db), before, "nothing is imported");
    }
}

#[test]
fn bad_statement_tables_are_named_by_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "headlines.tsv",
        "id\tsource\theadline\nx\ty\tz\n",
    );
    let message = failure(credgraph_bare().args(["--memory", "match"]).arg(&path));
    assert!(message.contains("headlines.tsv:1:1"), "{message}");
    assert!(message.contains("no column `text`"), "{message}");
    let path = write(
        dir.path(),
        "unclosed.csv",
        "id,source,text\na,b,fine\nc,d,\"never closed\ne,f,g\n",
    );
    let message = failure(credgraph_bare().args(["--memory", "match"]).arg(&path));
    assert!(message.contains("unclosed.csv:3:1"), "{message}");
    assert!(message.contains("never closed"), "{message}");
}

fn articles() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/match-articles")
}

/// (relation, source a, source b) of a TSV with a header, a before b.
fn relations(text: &str) -> BTreeSet<(String, String, String)> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let (a, b) = (fields[1].to_string(), fields[2].to_string());
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            (fields[0].to_string(), a, b)
        })
        .collect()
}

/// Who corroborates and who contradicts whom, as the named queries answer.
fn derived_relations(db: &Path) -> BTreeSet<(String, String, String)> {
    let mut found = BTreeSet::new();
    for (relation, query) in [
        ("corroborates", "who-corroborates-whom"),
        ("contradicts", "who-contradicts-whom"),
    ] {
        for row in common::named_query(db, query, &[]) {
            let (a, b) = (row["source_a"].clone(), row["source_b"].clone());
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            found.insert((relation.to_string(), a, b));
        }
    }
    found
}

fn article_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(articles())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// Extracts the test articles into sheets (with `extra` flags), one per article, in order.
fn extract_sheets(db: &Path, dir: &Path, extra: &[&str]) -> Vec<std::path::PathBuf> {
    let sheets = dir.join("sheets");
    credgraph(db)
        .arg("extract")
        .args(article_files())
        .args(extra)
        .arg("-o")
        .arg(&sheets)
        .assert()
        .success();
    let mut yaml: Vec<_> = std::fs::read_dir(&sheets)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    yaml.sort();
    yaml
}

/// The analyst's story: ten articles about two events by five outlets are
/// extracted and imported, `match` proposes one sheet, it is imported, and the
/// corroborating and contradicting pairs are exactly those the articles were
/// written to give (tests/match-articles/README.md).
#[test]
fn ten_articles_matched_give_exactly_the_expected_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let yaml = extract_sheets(&db, dir.path(), &[]);
    credgraph(&db).arg("import").args(&yaml).assert().success();
    credgraph(&db).arg("reason").assert().success();
    assert!(
        derived_relations(&db).is_empty(),
        "before matching, nothing agrees"
    );
    let unmatched = common::named_query(&db, "unmatched-statements", &[]);
    assert!(unmatched.len() >= 40, "{}", unmatched.len());
    let sheet = dir.path().join("matches.yaml");
    credgraph(&db)
        .arg("match")
        .arg("-o")
        .arg(&sheet)
        .assert()
        .success();
    credgraph(&db).arg("import").arg(&sheet).assert().success();
    credgraph(&db).arg("reason").assert().success();
    let expected = relations(&std::fs::read_to_string(articles().join("expected.tsv")).unwrap());
    assert_eq!(derived_relations(&db), expected);
    credgraph(&db).arg("validate").assert().success();
    // Importing the sheet again changes nothing.
    let before = dump(&db);
    credgraph(&db).arg("import").arg(&sheet).assert().success();
    assert_eq!(dump(&db), before);
}

/// The same articles with `extract --match`: one review covers both steps.
#[test]
fn extract_with_match_gives_the_same_pairs_in_one_review() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let yaml = extract_sheets(&db, dir.path(), &["--match"]);
    let text = std::fs::read_to_string(&yaml[0]).unwrap();
    assert!(text.contains("  match:\n"), "{text}");
    credgraph(&db).arg("import").args(&yaml).assert().success();
    credgraph(&db).arg("reason").assert().success();
    let expected = relations(&std::fs::read_to_string(articles().join("expected.tsv")).unwrap());
    assert_eq!(derived_relations(&db), expected);
}

/// A new article about the seed's events attaches to the seed's propositions: the
/// border guard's "could launch an offensive from Belarus in spring" to the
/// offensive from Belarus (a hedged assertion), the security council's "preparing
/// a new offensive" to the renewed offensive; and the pairs they add are those
/// written down for it.
#[test]
fn a_new_article_about_the_seed_attaches_to_the_seeds_propositions() {
    let dir = common::seeded_store();
    let db = store_path(&dir);
    let article = articles().join("seed/seed-followup-2022-12-28.txt");
    let output = credgraph(&db)
        .arg("extract")
        .arg(&article)
        .args(["--match", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let sheet: Value = serde_json::from_slice(&output).unwrap();
    let proposals = sheet["statements"].as_array().unwrap();
    let of = |speaker: &str| -> Vec<&Value> {
        proposals
            .iter()
            .filter(|p| p["speaker"] == speaker && !p["proposition_iri"].is_null())
            .collect()
    };
    let demchenko = of("Andriy Demchenko");
    assert_eq!(demchenko.len(), 1, "{proposals:?}");
    assert_eq!(
        demchenko[0]["proposition_iri"],
        "proposition:offensive-from-belarus-in-winter-or-spring-2023"
    );
    assert_eq!(demchenko[0]["polarity"], "assert");
    assert_eq!(demchenko[0]["certainty"], "roughly-even-chance");
    assert_eq!(demchenko[0]["match"]["kind"], "existing");
    let danilov = of("Oleksiy Danilov");
    assert_eq!(danilov.len(), 1, "{proposals:?}");
    assert_eq!(
        danilov[0]["proposition_iri"],
        "proposition:russia-is-preparing-a-renewed-offensive"
    );
    let before = derived_relations(&db);
    let yaml = dir.path().join("followup.yaml");
    credgraph(&db)
        .arg("extract")
        .arg(&article)
        .arg("--match")
        .arg("-o")
        .arg(&yaml)
        .assert()
        .success();
    credgraph(&db).arg("import").arg(&yaml).assert().success();
    credgraph(&db).arg("reason").assert().success();
    let after = derived_relations(&db);
    let added: BTreeSet<_> = after.difference(&before).cloned().collect();
    let expected =
        relations(&std::fs::read_to_string(articles().join("seed/expected.tsv")).unwrap());
    assert_eq!(added, expected);
    assert!(before.is_subset(&after));
}

/// The slice of the Emergent training split in the test data.
fn emergent_slice() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/emergent-slice.tsv")
}

/// The slice's rows: claim_id, claim, claim_truth, article_id, outlet, url,
/// headline, stance.
fn emergent_rows(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect()
}

/// A slice of the Emergent headlines (real outlets, real claims): at least nine in
/// ten headlines rank their own claim first among the slice's claims.
#[test]
fn emergent_headlines_match_their_claims() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let text = std::fs::read_to_string(emergent_slice()).unwrap();
    let rows = emergent_rows(&text);
    let mut statements = String::from("id\tsource\ttext\n");
    let mut claims = String::from("id\ttext\n");
    let mut seen = BTreeSet::new();
    for row in &rows {
        statements.push_str(&format!("{}\t{}\t{}\n", row[3], row[4], row[6]));
        if seen.insert(row[0]) {
            claims.push_str(&format!("{}\t{}\n", row[0], row[1]));
        }
    }
    let statements = write(dir.path(), "statements.tsv", &statements);
    let claims = write(dir.path(), "claims.tsv", &claims);
    let found = match_json(
        &db,
        &[
            statements.to_str().unwrap(),
            "--propositions",
            claims.to_str().unwrap(),
        ],
    );
    let right = found
        .iter()
        .zip(&rows)
        .filter(|(m, row)| m["candidates"][0]["proposition"] == row[0])
        .count();
    assert!(
        right * 10 >= rows.len() * 9,
        "{right} of {} headlines ranked their claim first",
        rows.len()
    );
}

/// The Emergent converter's case of the slice (gold stances) loads, reasons and
/// scores, with exactly the corroborating outlet pairs the gold stances imply.
#[test]
fn the_emergent_converter_gives_the_outlet_pairs_of_the_gold_stances() {
    let Some(python) = tools::PYTHON.find() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let slice = emergent_slice();
    let text = std::fs::read_to_string(&slice).unwrap();
    let rows = emergent_rows(&text);
    let case = dir.path().join("emergent.ttl");
    let converted = std::process::Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/emergent_rdf.py"))
        .arg("--data")
        .arg(&slice)
        .arg("-o")
        .arg(&case)
        .status()
        .expect("python3 runs");
    assert!(converted.success());
    credgraph(&db).arg("load").arg(&case).assert().success();
    credgraph(&db).arg("reason").assert().success();
    credgraph(&db).arg("score").assert().success();
    credgraph(&db).arg("validate").assert().success();
    // Two outlets corroborate each other when both assert one claim, or both deny
    // it; a headline that only reports it takes no side.
    let mut asserting: std::collections::BTreeMap<(&str, &str), BTreeSet<String>> =
        Default::default();
    for row in &rows {
        if row[7] == "for" || row[7] == "against" {
            asserting
                .entry((row[0], row[7]))
                .or_default()
                .insert(row[4].to_string());
        }
    }
    let mut expected = BTreeSet::new();
    for outlets in asserting.values() {
        for a in outlets {
            for b in outlets {
                if a < b {
                    expected.insert(("corroborates".to_string(), a.clone(), b.clone()));
                }
            }
        }
    }
    let corroborating: BTreeSet<_> = derived_relations(&db)
        .into_iter()
        .filter(|r| r.0 == "corroborates")
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(corroborating, expected);
}

/// Matching the store after importing the follow-up's plain extract sheet: a
/// cluster gathers on the proposition a seed statement already has (modelled by
/// hand, with what entails it) rather than on a new one.
#[test]
fn a_cluster_with_a_hand_modelled_statement_keeps_its_proposition() {
    let dir = common::seeded_store();
    let db = store_path(&dir);
    let yaml = dir.path().join("followup.yaml");
    credgraph(&db)
        .arg("extract")
        .arg(articles().join("seed/seed-followup-2022-12-28.txt"))
        .arg("-o")
        .arg(&yaml)
        .assert()
        .success();
    credgraph(&db).arg("import").arg(&yaml).assert().success();
    let sheet = dir.path().join("matches.yaml");
    credgraph(&db)
        .arg("match")
        .arg("-o")
        .arg(&sheet)
        .assert()
        .success();
    credgraph(&db).arg("import").arg(&sheet).assert().success();
    let rows = common::sparql(
        &db,
        "SELECT ?label WHERE { ?s cg:statedBy/rdfs:label \"Oleksiy Danilov\"@en ; cg:proposition ?p . ?p rdfs:label ?label }",
    );
    let seed = common::sparql(
        &db,
        "SELECT ?label WHERE { proposition:russia-is-preparing-a-renewed-offensive rdfs:label ?label }",
    );
    assert!(
        rows.iter().any(|r| r["label"] == seed[0]["label"]),
        "{rows:?}"
    );
    credgraph(&db).arg("reason").assert().success();
    credgraph(&db).arg("validate").assert().success();
    let corroborators = common::named_query(&db, "corroborators", &[("source", "Oleksiy Danilov")]);
    assert!(!corroborators.is_empty());
}
