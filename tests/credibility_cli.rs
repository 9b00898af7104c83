//! import, score, explain and evaluate through the binary, as a user runs them.

mod common;

use common::{claimed_value, credgraph, credgraph_bare, seeded_store, sparql, store_path};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs a command that must succeed and reads its standard output as JSON.
fn json_output(command: &mut assert_cmd::Command) -> serde_json::Value {
    let out = command.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

fn count(db: &Path, pattern: &str) -> usize {
    let rows = sparql(
        db,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"),
    );
    rows[0]["n"].parse().unwrap()
}

const CLAIMS: &str = "item\tsource\tvalue\n\
flight-1/dep\talpha\t10:00\n\
flight-1/dep\tbeta\t10:00\n\
flight-1/dep\tgamma\t10:05\n\
flight-2/dep\talpha\t11:00\n\
flight-2/dep\tgamma\t11:30\n\
flight-2/gate\tbeta\tB7\n";

#[test]
fn import_makes_questions_propositions_and_statements() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let table = write(dir.path(), "claims.tsv", CLAIMS);
    credgraph(&db)
        .arg("import")
        .arg(&table)
        .assert()
        .success()
        .stderr(predicates::str::contains("imported 6 statements"));
    assert_eq!(count(&db, "?q a cg:Question"), 3);
    assert_eq!(count(&db, "?p a cg:Proposition ; cg:answers ?q"), 5);
    assert_eq!(
        count(
            &db,
            "?s cg:statedBy ?source ; cg:proposition ?p ; cg:polarity cg:Assertion"
        ),
        6
    );
    assert_eq!(count(&db, "?s a cg:Source ; rdfs:label \"gamma\""), 1);
    // The values of one item are the propositions of one question.
    assert_eq!(
        count(&db, "?p cg:answers ?q . ?q rdfs:label \"flight-1/dep\""),
        2
    );
    // Importing again replaces the file's statements instead of adding to them.
    credgraph(&db)
        .arg("import")
        .arg(&table)
        .assert()
        .success()
        .stderr(predicates::str::contains("replacing the earlier import"));
    assert_eq!(count(&db, "?s cg:statedBy ?source"), 6);
}

#[test]
fn import_reads_csv_with_named_columns_dates_and_certainty() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let table = write(
        dir.path(),
        "sheet.csv",
        "question,who,answer,day,how sure\n\
         \"Will it rain, today?\",forecaster,yes,2026-11-24,very likely\n\
         \"Will it rain, today?\",neighbour,no,2026-11-24,40%\n",
    );
    credgraph(&db)
        .args([
            "import", "--item", "question", "--source", "who", "--value", "answer",
        ])
        .args(["--date", "day", "--certainty", "how sure"])
        .arg(&table)
        .assert()
        .success();
    assert_eq!(
        count(
            &db,
            "?s cg:statedOn \"2026-11-24\"^^xsd:date ; cg:certainty cg:VeryLikely"
        ),
        1
    );
    assert_eq!(count(&db, "?s cg:certainty cg:Unlikely"), 1);
    assert_eq!(count(&db, "?q rdfs:label \"Will it rain, today?\""), 1);
}

#[test]
fn a_bad_row_stops_the_import_unless_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let table = write(
        dir.path(),
        "bad.tsv",
        "item\tsource\tvalue\nx\ta\t1\ny\tb\nz\tc\t3\n",
    );
    credgraph(&db)
        .arg("import")
        .arg(&table)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "bad.tsv:3: 2 fields, the header has 3",
        ))
        .stderr(predicates::str::contains("nothing was imported"));
    assert_eq!(count(&db, "?s cg:statedBy ?source"), 0);
    credgraph(&db)
        .args(["import", "--skip-bad"])
        .arg(&table)
        .assert()
        .success()
        .stderr(predicates::str::contains("1 bad row skipped"));
    assert_eq!(count(&db, "?s cg:statedBy ?source"), 2);
}

#[test]
fn a_failed_import_keeps_what_was_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let good = write(dir.path(), "claims.tsv", CLAIMS);
    credgraph(&db).arg("import").arg(&good).assert().success();
    let bad = write(
        dir.path(),
        "broken.csv",
        "item,source,value\nx,a,\"open\ny,b,2\n",
    );
    credgraph(&db)
        .arg("import")
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "broken.csv:2: a quoted field opened here is never closed",
        ));
    assert_eq!(count(&db, "?s cg:statedBy ?source"), 6);
    // Columns that are not there are named, with the ones that are.
    credgraph(&db)
        .args(["import", "--item", "flight"])
        .arg(&good)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "no column 'flight' (set it with --item)",
        ));
}

#[test]
fn score_writes_assessments_that_sparql_reads() {
    let dir = seeded_store();
    let db = store_path(&dir);
    credgraph(&db)
        .args(["score", "--method", "all"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Jens Stoltenberg"));
    // Every method assessed every source that makes a statement.
    let per_method = sparql(
        &db,
        "SELECT ?method (COUNT(DISTINCT ?source) AS ?n) WHERE { GRAPH <https://w3id.org/credgraph/graph/scores> { ?a cg:assesses ?source ; cg:method ?method ; cg:reliabilityGrade ?g } } GROUP BY ?method ORDER BY ?method",
    );
    let methods: Vec<&str> = per_method.iter().map(|r| r["method"].as_str()).collect();
    assert_eq!(
        methods,
        [
            "average-log",
            "dependence-aware",
            "investment",
            "pooled-investment",
            "sums",
            "track-record",
            "truthfinder",
            "voting"
        ]
    );
    // A statement made with a roughly even chance is no vote (Nayev's only one).
    let statement_sources = count(
        &db,
        "{ SELECT DISTINCT ?s WHERE { ?x cg:statedBy ?s ; cg:polarity ?p FILTER NOT EXISTS { ?x cg:certainty cg:RoughlyEvenChance } } }",
    );
    assert_eq!(statement_sources, 6);
    for row in &per_method {
        if row["method"] != "track-record" {
            assert_eq!(
                row["n"].parse::<usize>().unwrap(),
                statement_sources,
                "{row:?}"
            );
        }
    }
}

#[test]
fn the_seed_grades_are_the_ones_the_readme_justifies() {
    let dir = seeded_store();
    let db = store_path(&dir);
    credgraph(&db).arg("score").assert().success();
    // Stoltenberg's renewed offensive: resolved as confirmed, and asserted by
    // independent sources: credibility 1.
    let rows = sparql(
        &db,
        "SELECT ?grade ?independent WHERE { GRAPH <https://w3id.org/credgraph/graph/scores> {
            ?a cg:assesses proposition:russia-is-preparing-a-renewed-offensive ;
               cg:assessedPolarity cg:Assertion ; cg:credibilityGrade ?grade ;
               cg:independentSources ?independent } }",
    );
    assert_eq!(rows[0]["grade"], "1", "{rows:?}");
    assert!(
        rows[0]["independent"].parse::<usize>().unwrap() >= 2,
        "{rows:?}"
    );
    // Budanov's call on Belarus was right once it was resolved: a track record.
    let rows = sparql(
        &db,
        "SELECT ?value ?calls ?low WHERE { GRAPH <https://w3id.org/credgraph/graph/scores> {
            ?a cg:assesses person:kyrylo-budanov ; cg:method \"track-record\" ;
               cg:value ?value ; cg:evidenceCount ?calls ; cg:lowerBound ?low } }",
    );
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0]["value"].parse::<f64>().unwrap() > 0.5, "{rows:?}");
}

#[test]
fn explain_says_why_in_words_and_in_json() {
    let dir = seeded_store();
    let db = store_path(&dir);
    credgraph(&db)
        .args(["explain", "Budanov"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("run `credgraph score` first"));
    credgraph(&db).arg("score").assert().success();
    let out = credgraph(&db)
        .args(["explain", "Budanov"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Kyrylo Budanov"), "{text}");
    assert!(text.contains("denies"), "{text}");
    assert!(text.contains("track record"), "{text}");
    assert!(text.contains("contradicted by"), "{text}");
    let json =
        json_output(credgraph(&db).args(["explain", "person:kyrylo-budanov", "--format", "json"]));
    assert_eq!(json["kind"], "source");
    assert!(json["statement_count"].as_u64().unwrap() >= 4, "{json}");
    assert!(
        !json["contradicted_by"].as_array().unwrap().is_empty(),
        "{json}"
    );
    // A statement, by IRI.
    let json = json_output(credgraph(&db).args([
        "explain",
        "statement:2022-12-24-budanov-no-imminent-threat",
        "--format",
        "json",
    ]));
    assert_eq!(json["kind"], "statement");
    assert_eq!(json["statement"]["denies"], true);
    assert!(
        !json["contradicting"].as_array().unwrap().is_empty(),
        "{json}"
    );
    // A source whose only statement is no vote is said to be unscored, and why.
    credgraph(&db)
        .args(["explain", "Nayev"])
        .assert()
        .success()
        .stdout(predicates::str::contains("not scored"))
        .stdout(predicates::str::contains("roughly even chance"));
    // An unknown name gets suggestions.
    credgraph(&db)
        .args(["explain", "Budanof"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("did you mean"));
}

#[test]
fn score_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    credgraph(&db)
        .args(["score", "--method", "magic"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown method 'magic'"));
    credgraph(&db)
        .arg("score")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("holds no statements"));
    // A store with people and organizations but no statement.
    credgraph(&db)
        .arg("load")
        .arg(common::seed_data().join("entities.ttl"))
        .assert()
        .success();
    credgraph(&db)
        .arg("score")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("holds no statements"));
    credgraph(&db)
        .args(["score", "--reliability-thresholds", "0.5,0.9,0.1,0"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("must decrease"));
}

#[test]
fn evaluate_reports_precision_per_attribute_and_spearman() {
    let dir = tempfile::tempdir().unwrap();
    let claims = write(dir.path(), "claims.tsv", CLAIMS);
    let gold = write(
        dir.path(),
        "gold.tsv",
        "item\tvalue\nflight-1/dep\t10:00\nflight-2/dep\t11:00\nflight-3/dep\t12:00\n",
    );
    let json = json_output(
        credgraph(&dir.path().join("unused"))
            .args([
                "evaluate", "--method", "voting", "--format", "json", "--claims",
            ])
            .arg(&claims)
            .arg("--gold")
            .arg(&gold),
    );
    assert_eq!(json["method"], "voting");
    // flight-1: 10:00 by two of three, right; flight-2: a tie goes to 11:00, right;
    // flight-3: no claims, wrong.
    assert_eq!(json["items"], 3);
    assert!(
        (json["precision"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9,
        "{json}"
    );
    assert!(json["spearman"].is_null());
    assert_eq!(json["per_attribute"]["dep"]["items"], 3);
    assert!(
        !dir.path().join("unused").exists(),
        "evaluate --claims made a store"
    );

    let json = json_output(
        credgraph(&dir.path().join("unused"))
            .args([
                "evaluate", "--method", "all", "--format", "json", "--claims",
            ])
            .arg(&claims)
            .arg("--gold")
            .arg(&gold),
    );
    let methods: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods.len(), 7);
    for m in json.as_array().unwrap() {
        for key in ["method", "precision", "spearman", "items", "per_attribute"] {
            assert!(m.get(key).is_some(), "{key} missing in {m}");
        }
    }
}

#[test]
fn evaluate_on_the_store_matches_evaluate_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let claims = write(dir.path(), "claims.tsv", CLAIMS);
    let gold = write(
        dir.path(),
        "gold.tsv",
        "item\tvalue\nflight-1/dep\t10:05\nflight-2/dep\t11:30\n",
    );
    credgraph(&db).arg("import").arg(&claims).assert().success();
    let run = |with_claims: bool| {
        let mut command = credgraph(&db);
        command.args([
            "evaluate",
            "--method",
            "dependence-aware",
            "--format",
            "json",
            "--gold",
        ]);
        command.arg(&gold);
        if with_claims {
            command.arg("--claims").arg(&claims);
        }
        let json = json_output(&mut command);
        (
            json["precision"].as_f64().unwrap(),
            json["items"].as_u64().unwrap(),
        )
    };
    assert_eq!(run(true), run(false));
}

#[test]
fn evaluate_names_a_bad_gold_file() {
    let dir = tempfile::tempdir().unwrap();
    let claims = write(dir.path(), "claims.tsv", CLAIMS);
    let gold = write(dir.path(), "gold.tsv", "flight\tanswer\nx\t1\n");
    credgraph(&dir.path().join("db"))
        .args(["evaluate", "--claims"])
        .arg(&claims)
        .arg("--gold")
        .arg(&gold)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("gold.tsv:1:1: no column 'item'"));
    // One item, two gold values: the second is named by its line.
    let gold = write(dir.path(), "gold.tsv", "item\tvalue\nx\t1\ny\t2\nx\t3\n");
    credgraph(&dir.path().join("db"))
        .args(["evaluate", "--claims"])
        .arg(&claims)
        .arg("--gold")
        .arg(&gold)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "gold.tsv:4:1: item 'x' has a second gold value",
        ));
    // A gold file that is not there is named before the claims are read (here a
    // claims table that would fail too).
    let bad_claims = write(dir.path(), "bad.tsv", "item\tvalue\nx\t1\n");
    credgraph(&dir.path().join("db"))
        .args(["evaluate", "--claims"])
        .arg(&bad_claims)
        .arg("--gold")
        .arg(dir.path().join("missing-gold.tsv"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("missing-gold.tsv"))
        .stderr(predicates::str::contains("bad.tsv").not());
}

#[test]
fn named_queries_read_the_scores() {
    let dir = seeded_store();
    let db = store_path(&dir);
    credgraph(&db).arg("score").assert().success();
    let rows = common::named_query(&db, "credibility", &[("source", "Stoltenberg")]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["name"], "Jens Stoltenberg");
    assert_eq!(rows[0]["grade"], "F");
    let rows = common::named_query(&db, "statement-credibility", &[("source", "Stoltenberg")]);
    let renewed = rows
        .iter()
        .find(|r| {
            r["claim"] == "Russia is preparing a renewed large-scale offensive against Ukraine"
        })
        .expect("Stoltenberg's statement of a renewed offensive");
    assert_eq!(renewed["credibility"], "1");
    assert_eq!(renewed["independent_sources"], "3");
}

const MORE_CLAIMS: &str = "item\tsource\tvalue\n\
flight-1/dep\tdelta\t10:05\n\
flight-2/dep\tdelta\t11:30\n\
flight-2/dep\tbeta\t11:30\n\
flight-3/dep\tdelta\t12:00\n";

fn score_json(db: &Path) -> (serde_json::Value, String) {
    let out = credgraph(db)
        .args(["score", "--method", "all", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .clone();
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn rescoring_reads_only_the_changed_graphs_and_matches_a_fresh_store() {
    let dir = tempfile::tempdir().unwrap();
    let first = write(dir.path(), "first.tsv", CLAIMS);
    let more = write(dir.path(), "more.tsv", MORE_CLAIMS);

    let db = dir.path().join("incremental.db");
    credgraph(&db).arg("import").arg(&first).assert().success();
    let (before, _) = score_json(&db);
    credgraph(&db).arg("import").arg(&more).assert().success();
    let (after, log) = score_json(&db);
    // The first table's graph and the ontology come from the cache; the new
    // table's graph and the rewritten scores graph are read.
    assert!(
        log.contains("graphs unchanged since the last read, 2 read anew"),
        "{log}"
    );
    assert_ne!(before, after);

    let fresh = dir.path().join("fresh.db");
    credgraph(&fresh)
        .arg("import")
        .arg(&first)
        .arg(&more)
        .assert()
        .success();
    let (expected, log) = score_json(&fresh);
    assert!(!log.contains("unchanged"), "{log}");
    assert_eq!(after, expected);

    // A SPARQL update may touch any graph: everything is read again.
    let retract = "DELETE { GRAPH ?g { ?s cg:polarity ?p } } WHERE { GRAPH ?g { ?s cg:polarity ?p } ?s cg:statedBy ?src . ?src rdfs:label \"delta\" . ?s cg:proposition ?x . ?x rdfs:label \"12:00\" }";
    for store in [&db, &fresh] {
        credgraph(store)
            .args(["update", retract])
            .assert()
            .success();
    }
    let (updated, log) = score_json(&db);
    assert!(!log.contains("unchanged"), "{log}");
    assert_eq!(updated["claims"], after["claims"].as_u64().unwrap() - 1);
    assert_eq!(updated, score_json(&fresh).0);

    // A damaged cache is only a slower read.
    std::fs::write(db.join("credgraph-claims.cache"), b"not a cache").unwrap();
    let (again, log) = score_json(&db);
    assert!(!log.contains("unchanged"), "{log}");
    assert_eq!(again, updated);
    let (cached, log) = score_json(&db);
    assert!(log.contains("unchanged"), "{log}");
    assert_eq!(cached, updated);
}

#[test]
fn scoring_again_rewrites_only_what_changed() {
    let dir = seeded_store();
    let db = store_path(&dir);
    let scores_graph = "GRAPH <https://w3id.org/credgraph/graph/scores>";
    let times = |db: &Path| {
        sparql(
            db,
            &format!("SELECT ?a ?t WHERE {{ {scores_graph} {{ ?a prov:generatedAtTime ?t }} }} ORDER BY ?a"),
        )
    };
    credgraph(&db).arg("score").assert().success();
    let before = times(&db);
    let triples = count(&db, &format!("{scores_graph} {{ ?s ?p ?o }}"));
    // Nothing changed: nothing is written, and every assessment keeps its time.
    credgraph(&db)
        .arg("score")
        .assert()
        .success()
        .stderr(predicates::str::contains("wrote 0 new or changed triples"));
    assert_eq!(times(&db), before);
    assert_eq!(
        count(&db, &format!("{scores_graph} {{ ?s ?p ?o }}")),
        triples
    );
    // More methods add their assessments; going back to one removes them again.
    credgraph(&db)
        .args(["score", "--method", "all"])
        .assert()
        .success();
    assert!(count(&db, &format!("{scores_graph} {{ ?s ?p ?o }}")) > triples);
    credgraph(&db).arg("score").assert().success();
    assert_eq!(
        count(&db, &format!("{scores_graph} {{ ?s ?p ?o }}")),
        triples
    );
    assert_eq!(
        times(&db),
        before,
        "the default method's assessments did not change"
    );
    // A change made behind score's back (a SPARQL update) is found and repaired.
    credgraph(&db)
        .args(["update", "DELETE { GRAPH ?g { ?a cg:value ?v } } WHERE { GRAPH ?g { ?a cg:value ?v ; cg:assesses ?s } ?s rdfs:label ?l FILTER(STR(?l) = \"Jens Stoltenberg\") }"])
        .assert()
        .success();
    // His assessment and his track record lost their values.
    assert_eq!(
        count(&db, &format!("{scores_graph} {{ ?s ?p ?o }}")),
        triples - 2
    );
    credgraph(&db)
        .arg("score")
        .assert()
        .success()
        .stderr(predicates::str::contains("wrote 0 new").not());
    assert_eq!(
        count(&db, &format!("{scores_graph} {{ ?s ?p ?o }}")),
        triples
    );
    assert_eq!(
        count(
            &db,
            &format!(
                "{scores_graph} {{ ?a cg:assesses ?s FILTER NOT EXISTS {{ ?a cg:value ?v }} }}"
            )
        ),
        0
    );
}

/// A claim table where four sites take their departure times from one feed (wrong
/// on 40% of the flights) and report four other attributes on their own, beside six
/// independent sites; generated from a fixed seed.
fn shared_feed_table() -> String {
    use credgraph::SplitMix64;
    let mut rng = SplitMix64::new(7);
    let mut table = String::from("item\tsource\tvalue\n");
    for flight in 0..300 {
        for attribute in ["dep_time", "gate", "terminal", "aircraft", "arr_gate"] {
            let item = format!("flight-{flight}/{attribute}");
            for site in 0..6 {
                if rng.chance(0.5) {
                    let value = claimed_value(&mut rng, 0.8);
                    table += &format!("{item}\tsite-{site}\t{value}\n");
                }
            }
            let fed = claimed_value(&mut rng, 0.6);
            for feed in 0..4 {
                let value = if attribute == "dep_time" {
                    fed.clone()
                } else {
                    claimed_value(&mut rng, 0.6)
                };
                table += &format!("{item}\tfeed-{feed}\t{value}\n");
            }
        }
    }
    table
}

#[test]
fn copying_on_one_attribute_is_stored_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let table = write(dir.path(), "feeds.tsv", &shared_feed_table());
    credgraph(&db).arg("import").arg(&table).assert().success();
    credgraph(&db)
        .arg("score")
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "6 pairs found copying (6 of them on some attributes only)",
        ));
    // Every pair of the four feed sites, on departure times only.
    let rows = sparql(
        &db,
        "SELECT ?a ?b ?attribute ?p WHERE {
            ?d a cg:Dependence ; cg:dependenceKind cg:Copying ; cg:onAttribute ?attribute ;
               cg:probability ?p ;
               cg:dependentSource [ rdfs:label ?a ] ; cg:dependsOnSource [ rdfs:label ?b ] .
        } ORDER BY ?a ?b",
    );
    assert_eq!(rows.len(), 6, "{rows:?}");
    for row in &rows {
        assert!(
            row["a"].starts_with("feed-") && row["b"].starts_with("feed-"),
            "{row:?}"
        );
        assert_eq!(row["attribute"], "dep_time");
        assert!(row["p"].parse::<f64>().unwrap() > 0.9, "{row:?}");
    }
    credgraph(&db)
        .args(["explain", "feed-0"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "feed-1 (copying on dep_time only, probability 1.00",
        ));
    let json = json_output(credgraph(&db).args(["explain", "feed-0", "--format", "json"]));
    let depends = json["depends_on"].as_array().unwrap();
    assert_eq!(depends.len(), 3, "{json}");
    assert!(
        depends.iter().all(|d| d["attribute"] == "dep_time"),
        "{json}"
    );
    // The independent sites are no one's copiers.
    let json = json_output(credgraph(&db).args(["explain", "site-0", "--format", "json"]));
    assert!(json["depends_on"].as_array().unwrap().is_empty(), "{json}");
    // A departure time only the feed sites give has one independent source; a gate
    // they happen to agree on has as many as give it.
    let independent = |attribute: &str| {
        sparql(
            &db,
            &format!(
                "SELECT ?backers ?independent WHERE {{
                    {{ SELECT ?p (COUNT(DISTINCT ?s) AS ?backers) (SUM(IF(STRSTARTS(?name, 'feed-'), 0, 1)) AS ?sites) WHERE {{
                        ?x cg:proposition ?p ; cg:statedBy ?s . ?s rdfs:label ?name .
                        ?p cg:answers [ rdfs:label ?q ] FILTER(STRENDS(?q, '/{attribute}'))
                    }} GROUP BY ?p }}
                    FILTER(?sites = 0 && ?backers > 1)
                    ?a cg:assesses ?p ; cg:method 'dependence-aware' ; cg:independentSources ?independent .
                }}"
            ),
        )
    };
    let departures = independent("dep_time");
    assert!(!departures.is_empty());
    assert!(
        departures.iter().all(|r| r["independent"] == "1"),
        "{departures:?}"
    );
    let gates = independent("gate");
    assert!(!gates.is_empty());
    assert!(
        gates.iter().all(|r| r["independent"] == r["backers"]),
        "{gates:?}"
    );
}

/// A chain of eight sources, each sharing six items with the next: on four they
/// agree, on two the next one says otherwise, and on every other item a third
/// source, further down the chain, says something else again. Trust learnt at one
/// end of the chain reaches the other a link a round, so beliefs keep moving for
/// many rounds. The gold value is always the first source's.
fn slow_to_settle() -> (String, String) {
    let mut claims = String::from("item\tsource\tvalue\n");
    let mut gold = String::from("item\tvalue\n");
    let mut item = 0;
    for link in 0..7 {
        for k in 0..6 {
            claims.push_str(&format!("q{item}\ts{link}\tx\n"));
            let next = if k < 4 { "x" } else { "y" };
            claims.push_str(&format!("q{item}\ts{}\t{next}\n", link + 1));
            if k % 2 == 0 {
                claims.push_str(&format!("q{item}\ts{}\ty\n", (link + 3) % 8));
            }
            gold.push_str(&format!("q{item}\tx\n"));
            item += 1;
        }
    }
    (claims, gold)
}

#[test]
fn a_case_built_not_to_converge_within_3_rounds_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (claims, gold) = slow_to_settle();
    let claims = write(dir.path(), "claims.tsv", &claims);
    let gold = write(dir.path(), "gold.tsv", &gold);
    let evaluate = |extra: &[&str]| {
        let out = credgraph(&dir.path().join("unused"))
            .args(["evaluate", "--method", "dependence-aware", "--claims"])
            .arg(&claims)
            .arg("--gold")
            .arg(&gold)
            .args(extra)
            .assert()
            .success()
            .get_output()
            .clone();
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let capped =
        "dependence-aware stopped at its cap of 3 rounds without converging (--max-rounds)";

    let (_, log) = evaluate(&["--max-rounds", "3"]);
    assert!(log.contains(capped), "{log}");
    let (json, log) = evaluate(&["--max-rounds", "3", "--format", "json"]);
    assert!(log.contains(capped), "{log}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["rounds"], 3, "{json}");
    assert_eq!(json["converged"], false, "{json}");
    assert_eq!(json["max_rounds"], 3, "{json}");

    // With the default cap of 50 the same case settles, after more than 3 rounds.
    let (json, log) = evaluate(&["--format", "json"]);
    assert!(!log.contains("without converging"), "{log}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["converged"], true, "{json}");
    assert_eq!(json["max_rounds"], 50, "{json}");
    let rounds = json["rounds"].as_u64().unwrap();
    assert!(rounds > 3 && rounds < 50, "{json}");
    // A looser tolerance settles it sooner.
    let (json, _) = evaluate(&["--format", "json", "--tolerance", "0.05"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["converged"], true, "{json}");
    assert!(json["rounds"].as_u64().unwrap() < rounds, "{json}");

    // `score` on a store says the same, in its summary and its JSON.
    let db = store_path(&dir);
    credgraph(&db).arg("import").arg(&claims).assert().success();
    let score = |extra: &[&str]| {
        let out = credgraph(&db)
            .args(["score", "--format", "json"])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .clone();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (json, String::from_utf8(out.stderr).unwrap())
    };
    let (json, log) = score(&["--max-rounds", "3"]);
    assert!(log.contains(capped), "{log}");
    let run = &json["methods"]["dependence-aware"];
    assert_eq!(run["rounds"], 3, "{run}");
    assert_eq!(run["converged"], false, "{run}");
    let (json, log) = score(&[]);
    assert!(!log.contains("without converging"), "{log}");
    assert_eq!(json["methods"]["dependence-aware"]["converged"], true);

    // Voting has no rounds to cap.
    let (json, log) = score(&["--method", "voting", "--max-rounds", "3"]);
    assert!(!log.contains("without converging"), "{log}");
    assert_eq!(json["methods"]["voting"]["rounds"], 1);
    assert_eq!(json["methods"]["voting"]["converged"], true);

    // Neither flag takes nonsense.
    for bad in [["--max-rounds", "0"], ["--tolerance", "-1"]] {
        credgraph(&db).arg("score").args(bad).assert().failure();
    }
}

#[test]
fn spearman_counts_only_sources_with_enough_gold_items() {
    let dir = tempfile::tempdir().unwrap();
    let (mut claims, gold) = slow_to_settle();
    // Two newcomers with two gold items each: too few to say how accurate they are.
    claims.push_str("q0\tnew-1\tx\nq1\tnew-1\ty\nq2\tnew-2\ty\nq3\tnew-2\ty\n");
    let claims = write(dir.path(), "claims.tsv", &claims);
    let gold = write(dir.path(), "gold.tsv", &gold);
    let evaluate = |extra: &[&str]| {
        let out = credgraph(&dir.path().join("unused"))
            .args(["evaluate", "--method", "pooled-investment", "--claims"])
            .arg(&claims)
            .arg("--gold")
            .arg(&gold)
            .args(extra)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8(out.stdout).unwrap()
    };
    let table = evaluate(&[]);
    assert!(
        table.contains("Spearman over 8 sources with at least 5 gold items (--min-gold-items)"),
        "{table}"
    );
    let json: serde_json::Value = serde_json::from_str(&evaluate(&["--format", "json"])).unwrap();
    assert_eq!(json["spearman_sources"], 8, "{json}");
    assert_eq!(json["min_gold_items"], 5, "{json}");
    let all: serde_json::Value =
        serde_json::from_str(&evaluate(&["--format", "json", "--min-gold-items", "1"])).unwrap();
    assert_eq!(all["spearman_sources"], 10, "{all}");
    assert_ne!(all["spearman"], json["spearman"], "{all} {json}");
    // The threshold leaves precision alone.
    assert_eq!(all["precision"], json["precision"]);
}

/// Rock-art sites and how many engravings each has, one of them named with a slash
/// of its own (the Khoekhoe name of Twyfelfontein).
const SITES: &str = "item\tsource\tvalue\n\
Twyfelfontein or /Ui-//aes\talpha\t2500\n\
Twyfelfontein or /Ui-//aes\tbeta\t2500\n\
Twyfelfontein or /Ui-//aes\tgamma\t5000\n\
Brandberg\talpha\t45000\n\
Brandberg\tgamma\t40000\n\
Spitzkoppe\tbeta\t100\n";

const SITES_GOLD: &str =
    "item\tvalue\nTwyfelfontein or /Ui-//aes\t2500\nBrandberg\t45000\nSpitzkoppe\t100\n";

/// `evaluate --format json` of one method, with extra arguments.
fn evaluate_json(
    dir: &Path,
    claims: Option<&Path>,
    gold: &Path,
    extra: &[&str],
) -> serde_json::Value {
    let mut command = credgraph(&store_path_in(dir));
    command.args([
        "evaluate",
        "--method",
        "dependence-aware",
        "--format",
        "json",
        "--gold",
    ]);
    command.arg(gold);
    if let Some(claims) = claims {
        command.arg("--claims").arg(claims);
    }
    command.args(extra);
    json_output(&mut command)
}

fn store_path_in(dir: &Path) -> PathBuf {
    dir.join("store")
}

#[test]
fn a_stray_slash_in_one_item_name_makes_no_attribute() {
    let dir = tempfile::tempdir().unwrap();
    let claims = write(dir.path(), "sites.tsv", SITES);
    let gold = write(dir.path(), "gold.tsv", SITES_GOLD);
    let json = evaluate_json(dir.path(), Some(&claims), &gold, &[]);
    assert_eq!(json["per_attribute"], serde_json::json!({}), "{json}");
    // The same as the table with the slashes taken out.
    let plain = write(dir.path(), "plain.tsv", &SITES.replace('/', ""));
    let plain_gold = write(dir.path(), "plain-gold.tsv", &SITES_GOLD.replace('/', ""));
    let without = evaluate_json(dir.path(), Some(&plain), &plain_gold, &[]);
    for key in ["precision", "items", "spearman"] {
        assert_eq!(json[key], without[key], "{key}");
    }

    // Imported into a store, the question's label is not split either.
    credgraph(&store_path_in(dir.path()))
        .arg("import")
        .arg(&claims)
        .assert()
        .success();
    let json = evaluate_json(dir.path(), None, &gold, &[]);
    assert_eq!(json["per_attribute"], serde_json::json!({}), "{json}");
    assert_eq!(json["precision"], without["precision"]);
}

#[test]
fn items_of_one_shape_split_and_a_given_separator_splits_on_itself() {
    let dir = tempfile::tempdir().unwrap();
    // Every item OBJECT/ATTRIBUTE: split, in memory and in the store.
    let claims = write(dir.path(), "claims.tsv", CLAIMS);
    let gold = write(
        dir.path(),
        "gold.tsv",
        "item\tvalue\nflight-1/dep\t10:00\nflight-2/gate\tB7\n",
    );
    let json = evaluate_json(dir.path(), Some(&claims), &gold, &[]);
    assert_eq!(json["per_attribute"]["dep"]["items"], 1, "{json}");
    assert_eq!(json["per_attribute"]["gate"]["items"], 1, "{json}");
    credgraph(&store_path_in(dir.path()))
        .arg("import")
        .arg(&claims)
        .assert()
        .success();
    let stored = evaluate_json(dir.path(), None, &gold, &[]);
    assert_eq!(stored["per_attribute"], json["per_attribute"]);

    // "|" splits only when asked for.
    let piped = write(dir.path(), "piped.tsv", &CLAIMS.replace('/', "|"));
    let piped_gold = write(
        dir.path(),
        "piped-gold.tsv",
        "item\tvalue\nflight-1|dep\t10:00\nflight-2|gate\tB7\n",
    );
    let json = evaluate_json(dir.path(), Some(&piped), &piped_gold, &[]);
    assert_eq!(json["per_attribute"], serde_json::json!({}), "{json}");
    let json = evaluate_json(
        dir.path(),
        Some(&piped),
        &piped_gold,
        &["--attribute-separator", "|"],
    );
    assert_eq!(json["per_attribute"]["dep"]["items"], 1, "{json}");
    assert_eq!(json["per_attribute"]["gate"]["items"], 1, "{json}");

    // And `score` takes it too: copying found per attribute needs attributes.
    let db = dir.path().join("piped-store");
    credgraph(&db).arg("import").arg(&piped).assert().success();
    credgraph(&db)
        .args(["score", "--attribute-separator", "|"])
        .assert()
        .success();
    credgraph(&db)
        .args(["score", "--attribute-separator", ""])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("the separator cannot be empty"));
}

#[test]
fn evaluate_writes_each_item_s_prediction() {
    let dir = tempfile::tempdir().unwrap();
    let claims = write(dir.path(), "claims.tsv", CLAIMS);
    let gold = write(
        dir.path(),
        "gold.tsv",
        "item\tvalue\nflight-1/dep\t10:00\nflight-2/dep\t11:30\nflight-3/dep\t12:00\n",
    );
    let predictions = dir.path().join("predictions.tsv");
    let out = credgraph(&store_path_in(dir.path()))
        .args([
            "evaluate",
            "--method",
            "voting,dependence-aware",
            "--format",
            "json",
            "--claims",
        ])
        .arg(&claims)
        .arg("--gold")
        .arg(&gold)
        .arg("--predictions")
        .arg(&predictions)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let evaluations: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let text = std::fs::read_to_string(&predictions).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("method\titem\tvalue\tbelief\trunner_up\trunner_up_belief\tgold\tcorrect")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    // Three items of the table and one gold item no source covers, per method.
    assert_eq!(rows.len(), 2 * 4, "{text}");
    for evaluation in evaluations.as_array().unwrap() {
        let method = evaluation["method"].as_str().unwrap();
        let of_method: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0] == method).collect();
        let items: Vec<&str> = of_method.iter().map(|r| r[1]).collect();
        assert_eq!(
            items,
            [
                "flight-1/dep",
                "flight-2/dep",
                "flight-2/gate",
                "flight-3/dep"
            ]
        );
        let mut right = 0;
        for row in &of_method {
            assert_eq!(row.len(), 8, "{row:?}");
            for belief in [row[3], row[5]].into_iter().filter(|b| !b.is_empty()) {
                let belief: f64 = belief.parse().unwrap();
                assert!((0.0..=1.0).contains(&belief), "{row:?}");
            }
            if row[7] == "true" {
                assert_eq!(row[2], row[6], "{row:?}");
                right += 1;
            }
        }
        // The rows marked correct are the ones the precision counts.
        let precision = evaluation["precision"].as_f64().unwrap();
        assert!(
            (precision - right as f64 / 3.0).abs() < 1e-9,
            "{evaluation}"
        );
        // flight-1/dep: 10:00 by two of three, 10:05 runner-up; flight-3/dep: none.
        assert_eq!(of_method[0][2], "10:00");
        assert_eq!(of_method[0][4], "10:05");
        assert_eq!(&of_method[3][2..], ["", "", "", "", "12:00", "false"]);
    }

    // A CSV by its name; a file that cannot be written leaves nothing behind.
    let csv = dir.path().join("predictions.csv");
    credgraph(&store_path_in(dir.path()))
        .args(["evaluate", "--method", "voting", "--claims"])
        .arg(&claims)
        .arg("--gold")
        .arg(&gold)
        .arg("--predictions")
        .arg(&csv)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("method,item,value,belief,runner_up,runner_up_belief,gold,correct\n"));
    assert_eq!(text.lines().count(), 1 + 4);
    credgraph(&store_path_in(dir.path()))
        .args(["evaluate", "--method", "voting", "--claims"])
        .arg(&claims)
        .arg("--gold")
        .arg(&gold)
        .arg("--predictions")
        .arg(dir.path().join("missing/predictions.tsv"))
        .assert()
        .code(1);
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn evaluate_within_a_tolerance_counts_close_numbers_right() {
    let dir = tempfile::tempdir().unwrap();
    // Voting picks 2121 for the first item (the gold value is 2120) and 10 for the
    // second (exactly its gold value).
    let claims = write(
        dir.path(),
        "claims.tsv",
        "item\tsource\tvalue\nq1\ts1\t2121\nq1\ts2\t2121\nq1\ts3\t2119\nq2\ts1\t10\nq2\ts2\t10\n",
    );
    let gold = write(dir.path(), "gold.tsv", "item\tvalue\nq1\t2120\nq2\t10\n");
    let evaluate = |extra: &[&str]| -> serde_json::Value {
        let output = credgraph_bare()
            .arg("evaluate")
            .arg("--claims")
            .arg(&claims)
            .arg("--gold")
            .arg(&gold)
            .args(["--method", "voting", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let exact = evaluate(&[]);
    assert_eq!(exact["precision"], 0.5, "{exact}");
    assert!(exact.get("precision_within").is_none(), "{exact}");
    assert_eq!(evaluate(&["--within", "1"])["precision_within"], 1.0);
    assert_eq!(evaluate(&["--within", "0.1%"])["precision_within"], 1.0);
    assert_eq!(evaluate(&["--within", "0"])["precision_within"], 0.5);
    credgraph_bare()
        .args(["evaluate", "--within=-3"])
        .arg("--claims")
        .arg(&claims)
        .arg("--gold")
        .arg(&gold)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a tolerance is a number of at least 0",
        ));
}

/// `evaluate --claims CLAIMS --gold GOLD --format json` of the default method with
/// extra arguments: the JSON and standard error.
fn evaluate_default(claims: &Path, gold: &Path, extra: &[&str]) -> (serde_json::Value, String) {
    let output = credgraph_bare()
        .arg("evaluate")
        .arg("--claims")
        .arg(claims)
        .arg("--gold")
        .arg(gold)
        .args(["--method", "dependence-aware", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    (
        serde_json::from_slice(&output.stdout).unwrap(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn close_numbers_support_each_other_unless_closeness_is_zero() {
    let dir = tempfile::tempdir().unwrap();
    // Three figures, one vote each: 2,120 sits between the other two.
    let claims = write(
        dir.path(),
        "claims.tsv",
        "item\tsource\tvalue\nspringfield/population\tcensus\t2,120\n\
         springfield/population\talmanac\t2,121\nspringfield/population\tatlas\t2,119\n",
    );
    let gold = write(
        dir.path(),
        "gold.tsv",
        "item\tvalue\nspringfield/population\t2,120\n",
    );
    let (close, log) = evaluate_default(&claims, &gold, &[]);
    assert_eq!(close["precision"], 1.0, "{close}");
    // One item: no attribute, the values of every item alike.
    assert!(log.contains("values: numbers, scale 1"), "{log}");
    // Exact matching: a three-way tie, which goes to the smallest label.
    let (exact, log) = evaluate_default(&claims, &gold, &["--closeness", "0"]);
    assert_eq!(exact["precision"], 0.0, "{exact}");
    assert!(!log.contains("scale"), "{log}");
    // A scale given by hand, and one that is not a scale.
    let (given, log) = evaluate_default(&claims, &gold, &["--closeness", "0.1%"]);
    assert_eq!(given["precision"], 1.0, "{given}");
    assert!(log.contains("scale 0.1%"), "{log}");
    credgraph_bare()
        .args(["evaluate", "--closeness", "near"])
        .arg("--claims")
        .arg(&claims)
        .arg("--gold")
        .arg(&gold)
        .assert()
        .failure()
        .stderr(predicates::str::contains("'near' is not a tolerance"));
}

const PLACES: &str = "child\tparent\nUSA\t\nCalifornia\tUSA\nLos Angeles\tCalifornia\n\
                      San Diego\tCalifornia\nIllinois\tUSA\nChicago\tIllinois\n";

#[test]
fn a_hierarchy_prefers_the_specific_place_and_judges_values_on_the_gold_path() {
    let dir = tempfile::tempdir().unwrap();
    let claims = write(
        dir.path(),
        "claims.tsv",
        "item\tsource\tvalue\nalice/born\ta\tCalifornia\nalice/born\tb\tLos Angeles\n\
         alice/born\tc\tChicago\nbob/born\ta\tLos Angeles\nbob/born\tb\tSan Diego\n\
         bob/born\td\tCalifornia\nbob/born\tc\tChicago\n",
    );
    let gold = write(
        dir.path(),
        "gold.tsv",
        "item\tvalue\nalice/born\tLos Angeles\nbob/born\tSan Diego\n",
    );
    let places = write(dir.path(), "places.tsv", PLACES);
    let places_arg = places.to_str().unwrap();
    // Without the hierarchy, alice's three answers tie (California, the smallest,
    // wins) and bob's four do too.
    let (plain, _) = evaluate_default(&claims, &gold, &[]);
    assert_eq!(plain["precision"], 0.0, "{plain}");
    assert!(plain.get("precision_on_path").is_none(), "{plain}");
    // With it: Los Angeles for alice (California is compatible with it); for bob,
    // whose sources split between two cities of California, California, which is
    // on the path to the gold value though not the gold value itself.
    let (tree, _) = evaluate_default(&claims, &gold, &["--hierarchy", places_arg]);
    assert_eq!(tree["precision"], 0.5, "{tree}");
    assert_eq!(tree["precision_on_path"], 1.0, "{tree}");
    // --gold-paths judges paths without changing the method: both ties went to
    // California, on the path to either gold city.
    let (judged, _) = evaluate_default(&claims, &gold, &["--gold-paths", places_arg]);
    assert_eq!(judged["precision"], 0.0, "{judged}");
    assert_eq!(judged["precision_on_path"], 1.0, "{judged}");
}

#[test]
fn a_hierarchy_with_a_cycle_or_an_unknown_parent_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let claims = write(
        dir.path(),
        "claims.tsv",
        "item\tsource\tvalue\nalice/born\ta\tCalifornia\n",
    );
    let gold = write(
        dir.path(),
        "gold.tsv",
        "item\tvalue\nalice/born\tCalifornia\n",
    );
    let cases = [
        (
            "cycle.tsv",
            "child\tparent\nUSA\tCalifornia\nCalifornia\tUSA\n",
            ":2: 'USA' under 'California' closes a cycle",
        ),
        (
            "typo.tsv",
            "USA\t\nCalifornia\tUSA\nLos Angeles\tCalifronia\n",
            ":3: unknown parent 'Califronia' of 'Los Angeles'",
        ),
    ];
    for (name, text, message) in cases {
        let file = write(dir.path(), name, text);
        for flag in ["--hierarchy", "--gold-paths"] {
            credgraph_bare()
                .arg("evaluate")
                .arg("--claims")
                .arg(&claims)
                .arg("--gold")
                .arg(&gold)
                .arg(flag)
                .arg(&file)
                .assert()
                .failure()
                .stderr(predicates::str::contains(format!("{name}{message}")));
        }
    }
}

#[test]
fn lists_match_in_any_order_and_partial_lists_score_by_jaccard() {
    let dir = tempfile::tempdir().unwrap();
    let claims = write(
        dir.path(),
        "claims.tsv",
        "item\tsource\tvalue\ndb/authors\ts1\tUllman; Widom\ndb/authors\ts2\tWidom;Ullman\n\
         db/authors\ts3\tUllman\nalgo/authors\ts1\tKnuth\nalgo/authors\ts2\tKnuth\n",
    );
    // The gold lists are written in another order and spacing.
    let gold = write(
        dir.path(),
        "gold.tsv",
        "item\tvalue\ndb/authors\tWidom ; Ullman\nalgo/authors\tKnuth; Graham\n",
    );
    let (lists, log) = evaluate_default(&claims, &gold, &[]);
    assert!(log.contains("authors: lists separated by ';'"), "{log}");
    assert_eq!(lists["precision"], 0.5, "{lists}");
    // One exact list, and Knuth alone shares one of two gold authors.
    assert_eq!(lists["mean_jaccard"], 0.75, "{lists}");
    // Read as plain text, no value equals a gold value as written.
    let (plain, _) = evaluate_default(&claims, &gold, &["--list-separator", "none"]);
    assert_eq!(plain["precision"], 0.0, "{plain}");
    assert!(plain.get("mean_jaccard").is_none(), "{plain}");
}

#[test]
fn import_hierarchy_links_answers_by_their_places_and_replaces_itself() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path_in(dir.path());
    let claims = write(
        dir.path(),
        "claims.tsv",
        "item\tsource\tvalue\nalice/born\ta\tCalifornia\nalice/born\tb\tLos Angeles\n\
         alice/born\tc\tChicago\nbob/born\ta\tUSA\nbob/born\tb\tSan Diego\n",
    );
    let places = write(dir.path(), "places.tsv", PLACES);
    credgraph(&db).arg("import").arg(&claims).assert().success();
    credgraph(&db)
        .args(["import", "--hierarchy"])
        .arg(&places)
        .assert()
        .success()
        .stderr(predicates::str::contains("2 entailments between answers"));
    // Los Angeles entails California; San Diego entails USA (two levels up); no
    // answer entails Chicago, nor anything across two questions.
    assert_eq!(count(&db, "?a cg:entails ?b"), 2);
    assert_eq!(
        count(
            &db,
            "?a cg:entails ?b ; rdfs:label 'Los Angeles' . ?b rdfs:label 'California'"
        ),
        1
    );
    credgraph(&db)
        .args(["import", "--hierarchy"])
        .arg(&places)
        .assert()
        .success()
        .stderr(predicates::str::contains("(replacing the earlier import)"));
    assert_eq!(count(&db, "?a cg:entails ?b"), 2);
    // A bad hierarchy names its line and changes nothing.
    let bad = write(dir.path(), "places.tsv", "USA\t\nCalifornia\tUSSA\n");
    credgraph(&db)
        .args(["import", "--hierarchy"])
        .arg(&bad)
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "places.tsv:2: unknown parent 'USSA'",
        ));
    assert_eq!(count(&db, "?a cg:entails ?b"), 2);
}
