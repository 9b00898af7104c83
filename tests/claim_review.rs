//! Fact-checkers' verdicts: ClaimReview JSON-LD and tables imported as statements
//! of their claimants and resolutions by the checkers, in the invented town of
//! Northfield (tests/data/claim-review/).

mod common;

use common::{column, credgraph, sparql, store_path};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    common::test_data("claim-review").join(name)
}

fn fresh() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    (dir, db)
}

/// Imports `files` and returns what it said on standard error.
fn import(db: &Path, args: &[&str]) -> String {
    let output = credgraph(db).arg("import").args(args).assert().success();
    String::from_utf8(output.get_output().stderr.clone()).unwrap()
}

/// Imports `files` expecting failure, and returns what it said on standard error.
fn import_fails(db: &Path, args: &[&str]) -> String {
    let output = credgraph(db).arg("import").args(args).assert().code(1);
    String::from_utf8(output.get_output().stderr.clone()).unwrap()
}

fn path(name: &str) -> String {
    fixture(name).to_string_lossy().into_owned()
}

const RESOLUTIONS: &str = r"
    PREFIX cg: <https://w3id.org/credgraph/ns#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?claim ?status ?degree ?words ?checker ?on ?url ?resolution WHERE {
        ?resolution a cg:Resolution ; cg:resolves ?p ; cg:status ?s ; cg:ratingText ?words ;
            cg:resolvedOn ?on .
        ?p rdfs:label ?claim .
        ?s rdfs:label ?status .
        OPTIONAL { ?resolution cg:truthDegree ?degree }
        OPTIONAL { ?resolution cg:resolvedBy/rdfs:label ?checker }
        OPTIONAL { ?resolution cg:evidenceSource ?url }
    } ORDER BY ?claim ?checker";

const STATEMENTS: &str = r"
    PREFIX cg: <https://w3id.org/credgraph/ns#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?statement ?who ?by ?claim ?on ?text ?quote ?polarity ?where WHERE {
        ?statement a cg:Statement ; cg:statedBy ?by ; cg:proposition/rdfs:label ?claim ;
            cg:statedOn ?on ; cg:text ?text ; cg:isDirectQuote ?quote ; cg:polarity ?polarity .
        ?by rdfs:label ?who .
        OPTIONAL { ?statement cg:reportedIn/cg:url ?where }
    } ORDER BY ?claim";

fn resolutions(db: &Path) -> Vec<BTreeMap<String, String>> {
    sparql(db, RESOLUTIONS)
}

fn statements(db: &Path) -> Vec<BTreeMap<String, String>> {
    sparql(db, STATEMENTS)
}

fn count(db: &Path, query: &str) -> usize {
    sparql(db, query).len()
}

#[test]
fn a_json_ld_review_gives_the_claimants_statement_and_the_checkers_resolution() {
    let (_dir, db) = fresh();
    let said = import(&db, &[&path("one.json")]);
    assert!(
        said.contains("one.json: 1 review, 1 statement, 1 resolution (1 partly confirmed)"),
        "{said}"
    );
    assert!(said.contains("claimants 0 known and 1 new"), "{said}");

    let rows = statements(&db);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let s = &rows[0];
    assert_eq!(s["who"], "Marta Kovacs");
    assert_eq!(s["by"], "https://w3id.org/credgraph/id/person/marta-kovacs");
    assert_eq!(s["on"], "2023-02-27");
    assert_eq!(
        s["text"],
        "The new river bridge in Northfield cost 40 million euros."
    );
    assert_eq!(s["quote"], "false");
    assert_eq!(s["polarity"], "https://w3id.org/credgraph/ns#Assertion");
    assert_eq!(
        s["where"],
        "https://news.example.com/2023/02/27/council-meeting"
    );

    let rows = resolutions(&db);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0];
    // The words win over the numbers (2 of 5 would say the same here).
    assert_eq!(r["status"], "partly confirmed");
    assert_eq!(r["degree"], "0.25");
    assert_eq!(r["words"], "Mostly False");
    assert_eq!(r["checker"], "Northfield Verify");
    assert_eq!(r["on"], "2023-03-02");
    assert_eq!(r["url"], "https://verify.example.org/2023/03/bridge-cost");
    // The claimant's Wikidata identity is kept.
    let same = sparql(
        &db,
        "SELECT ?o WHERE { <https://w3id.org/credgraph/id/person/marta-kovacs> <http://www.w3.org/2002/07/owl#sameAs> ?o }",
    );
    assert_eq!(
        column(&same, "o"),
        ["http://www.wikidata.org/entity/Q999999901"]
    );
}

#[test]
fn a_list_leaves_other_items_aside_and_reads_words_names_and_numbers() {
    let (_dir, db) = fresh();
    let said = import(&db, &[&path("list.json")]);
    assert!(
        said.contains("list.json: 3 reviews (1 item of other types left aside), 3 statements"),
        "{said}"
    );
    let rows = resolutions(&db);
    let by_claim = |start: &str| rows.iter().find(|r| r["claim"].starts_with(start)).unwrap();
    let meals = by_claim("Every primary");
    assert_eq!(meals["status"], "confirmed");
    assert_eq!(meals["degree"], "1");
    // A Spanish verdict, by a checker named by a string.
    let tram = by_claim("El tranvía");
    assert_eq!(tram["words"], "Engañoso");
    assert_eq!(tram["status"], "partly confirmed");
    assert_eq!(tram["checker"], "Factos Lago");
    // Numbers alone (as strings), rated 4 of 5; the organization among the authors.
    let rent = by_claim("Rents in");
    assert_eq!(rent["words"], "4/5");
    assert_eq!(rent["degree"], "0.75");
    assert_eq!(rent["status"], "partly confirmed");
    assert_eq!(rent["checker"], "Lakeside Facts");
    // The claimant typed an organization is minted as one.
    let council = sparql(
        &db,
        "SELECT ?c WHERE { ?s <https://w3id.org/credgraph/ns#statedBy> ?c . ?c a <https://w3id.org/credgraph/ns#Organization> }",
    );
    assert_eq!(
        column(&council, "c"),
        ["https://w3id.org/credgraph/id/organization/northfield-city-council"]
    );
}

#[test]
fn json_lines_give_one_review_a_line() {
    let (_dir, db) = fresh();
    let said = import(&db, &[&path("reviews.jsonl")]);
    assert!(
        said.contains("reviews.jsonl: 3 reviews, 3 statements, 3 resolutions (1 partly confirmed, 1 refuted, 1 open)"),
        "{said}"
    );
    let rows = resolutions(&db);
    let open = rows.iter().find(|r| r["status"] == "open").unwrap();
    assert!(!open.contains_key("degree"), "{open:?}");
    // Without the claim's date, the statement is dated by the review.
    let tunnel = statements(&db)
        .into_iter()
        .find(|s| s["claim"].contains("tunnel"))
        .unwrap();
    assert_eq!(tunnel["on"], "2023-07-12");
    // A claimant of no stated kind is a source.
    let post = statements(&db)
        .into_iter()
        .find(|s| s["who"] == "A viral post")
        .unwrap();
    assert_eq!(
        post["by"],
        "https://w3id.org/credgraph/id/source/a-viral-post"
    );
}

#[test]
fn tables_under_our_names_and_claimskgs_import_as_json_ld_does() {
    let (_dir, db) = fresh();
    let said = import(&db, &[&path("reviews.csv"), &path("claimskg.tsv")]);
    assert!(said.contains("reviews.csv: 2 reviews"), "{said}");
    assert!(said.contains("claimskg.tsv: 2 reviews"), "{said}");
    let rows = resolutions(&db);
    let words: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (&r["words"][..], &r["status"][..], &r["on"][..]))
        .collect();
    assert_eq!(
        words,
        [
            ("Mixture", "partly confirmed", "2023-09-06"),
            ("Exaggerated", "partly confirmed", "2023-05-05"),
            ("1/5", "refuted", "2023-09-03"),
            ("Correct", "confirmed", "2023-04-22"),
        ]
    );
    let library = statements(&db)
        .into_iter()
        .find(|s| s["claim"].contains("library"))
        .unwrap();
    assert_eq!(library["text"], "The library closes on Sundays, from May.");
    assert_eq!(library["on"], "2023-04-20");
    assert_eq!(
        library["where"],
        "https://news.example.com/2023/04/20/library"
    );
    let deficit = statements(&db)
        .into_iter()
        .find(|s| s["claim"].contains("deficit"))
        .unwrap();
    assert_eq!(
        deficit["text"],
        "Northfield's budget deficit is \"the largest ever\"."
    );
}

#[test]
fn two_checkers_disagreeing_give_two_resolutions_of_one_proposition_and_one_statement() {
    let (_dir, db) = fresh();
    let said = import(&db, &[&path("disagree.jsonl")]);
    assert!(
        said.contains("2 reviews, 1 statement, 2 resolutions (1 partly confirmed, 1 refuted)"),
        "{said}"
    );
    let rows = resolutions(&db);
    assert_eq!(rows.len(), 2);
    let checkers: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (&r["checker"][..], &r["status"][..]))
        .collect();
    assert_eq!(
        checkers,
        [
            ("Lakeside Facts", "refuted"),
            ("Northfield Verify", "partly confirmed")
        ]
    );
    let propositions = sparql(
        &db,
        "SELECT DISTINCT ?p WHERE { ?r <https://w3id.org/credgraph/ns#resolves> ?p }",
    );
    assert_eq!(propositions.len(), 1);
    assert_eq!(statements(&db).len(), 1);
}

#[test]
fn a_claimant_and_a_checker_the_store_knows_are_linked_not_minted() {
    let (_dir, db) = fresh();
    credgraph(&db)
        .arg("load")
        .arg(fixture("known.ttl"))
        .assert()
        .success();
    let said = import(&db, &[&path("disagree.jsonl")]);
    assert!(said.contains("claimants 1 known and 0 new"), "{said}");
    let rows = statements(&db);
    assert_eq!(rows[0]["by"], "https://example.org/northfield/mayor");
    let checkers = sparql(
        &db,
        "SELECT DISTINCT ?c WHERE { ?r <https://w3id.org/credgraph/ns#resolvedBy> ?c } ORDER BY ?c",
    );
    assert_eq!(
        column(&checkers, "c"),
        [
            "https://example.org/northfield/verify",
            "https://w3id.org/credgraph/id/organization/lakeside-facts"
        ]
    );
    assert_eq!(
        count(
            &db,
            "SELECT ?p WHERE { ?p a <https://w3id.org/credgraph/ns#Person> }"
        ),
        1,
        "no second Marta Kovacs"
    );
}

#[test]
fn importing_a_file_again_replaces_what_it_gave() {
    let (dir, db) = fresh();
    let file = dir.path().join("reviews.jsonl");
    std::fs::copy(fixture("reviews.jsonl"), &file).unwrap();
    let file = file.to_string_lossy().into_owned();
    import(&db, &[&file]);
    assert_eq!(resolutions(&db).len(), 3);
    let text = std::fs::read_to_string(fixture("reviews.jsonl")).unwrap();
    let first: String = text.lines().next().unwrap().to_string();
    std::fs::write(&file, format!("{first}\n")).unwrap();
    let said = import(&db, &[&file]);
    assert!(said.contains("(replacing the earlier import)"), "{said}");
    // Its claimant was minted by the import replaced: minted again, not linked to it.
    assert!(said.contains("claimants 0 known and 1 new"), "{said}");
    let rows = resolutions(&db);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["words"], "Pants on Fire!");
    assert_eq!(statements(&db).len(), 1);
}

#[test]
fn a_bad_review_is_reported_by_position_and_nothing_is_imported() {
    let (_dir, db) = fresh();
    let said = import_fails(&db, &[&path("bad.jsonl")]);
    assert!(
        said.contains("3 bad reviews, so nothing was imported (--skip-bad imports the others)"),
        "{said}"
    );
    assert!(
        said.contains("bad.jsonl:2: no claimant (itemReviewed.author with a name)"),
        "{said}"
    );
    assert!(
        said.contains("bad.jsonl:3: the rating 'Stretching it' is not in the rating table, and there is no numeric rating"),
        "{said}"
    );
    assert!(said.contains("bad.jsonl:4: "), "{said}");
    assert!(
        said.contains(
            "unknown rating words: 'Stretching it' (2 reviews); add them to a --ratings file"
        ),
        "{said}"
    );
    assert_eq!(resolutions(&db).len(), 0);
    assert_eq!(statements(&db).len(), 0);

    // An item of a list is named by its number and line.
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.json");
    let text = std::fs::read_to_string(fixture("list.json")).unwrap();
    std::fs::write(&list, text.replace("\"Jonas Weber\"", "\"\"")).unwrap();
    let said = import_fails(&db, &[&list.to_string_lossy()]);
    assert!(said.contains("list.json:20: item 3: no claimant"), "{said}");
    assert!(said.contains("list.json:35: item 4: no claimant"), "{said}");
}

#[test]
fn skip_bad_imports_the_rest_and_lists_what_it_skipped() {
    let (_dir, db) = fresh();
    let said = import(&db, &[&path("bad.jsonl"), "--skip-bad"]);
    assert!(said.contains("bad.jsonl:2: skipped: no claimant"), "{said}");
    assert!(
        said.contains("bad.jsonl:3: skipped: the rating 'Stretching it'"),
        "{said}"
    );
    assert!(
        said.contains("bad.jsonl: 1 review (3 bad reviews skipped), 1 statement"),
        "{said}"
    );
    let rows = resolutions(&db);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["claim"], "The swimming pool reopens in October.");
    // The unknown words come last.
    assert!(
        said.trim_end()
            .lines()
            .rev()
            .nth(1)
            .unwrap()
            .starts_with("unknown rating words: 'Stretching it' (2 reviews)"),
        "{said}"
    );
}

#[test]
fn a_ratings_file_maps_words_the_table_lacks_and_a_bad_one_is_named_by_line() {
    let (_dir, db) = fresh();
    let said = import(
        &db,
        &[
            &path("bad.jsonl"),
            "--skip-bad",
            "--ratings",
            &path("my-ratings.tsv"),
        ],
    );
    assert!(
        said.contains("3 reviews (1 bad review skipped), 3 statements, 3 resolutions (1 confirmed, 2 partly confirmed)"),
        "{said}"
    );
    assert!(!said.contains("unknown rating words"), "{said}");
    let degrees: Vec<String> = resolutions(&db)
        .iter()
        .filter(|r| r["words"] == "Stretching it")
        .map(|r| r["degree"].clone())
        .collect();
    assert_eq!(degrees, ["0.4", "0.4"]);

    let said = import_fails(
        &db,
        &[&path("bad.jsonl"), "--ratings", &path("bad-ratings.tsv")],
    );
    assert!(
        said.contains("bad-ratings.tsv:2:1: status 'somewhat' is not one of"),
        "{said}"
    );
}

#[test]
fn a_gzipped_file_and_standard_input_are_read() {
    use std::io::Write;
    let (dir, db) = fresh();
    let gz = dir.path().join("reviews.jsonl.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    encoder
        .write_all(&std::fs::read(fixture("reviews.jsonl")).unwrap())
        .unwrap();
    encoder.finish().unwrap();
    let said = import(&db, &[&gz.to_string_lossy()]);
    assert!(said.contains("reviews.jsonl.gz: 3 reviews"), "{said}");

    let output = credgraph(&db)
        .args(["import", "--claim-review", "-"])
        .write_stdin(std::fs::read(fixture("one.json")).unwrap())
        .assert()
        .success();
    let said = String::from_utf8(output.get_output().stderr.clone()).unwrap();
    assert!(
        said.contains("-: 1 review, 1 statement, 1 resolution (1 partly confirmed)"),
        "{said}"
    );
    assert!(said.contains("into the default graph"), "{said}");
}

#[test]
fn other_kinds_of_import_are_not_taken_for_reviews() {
    let (dir, db) = fresh();
    let table = dir.path().join("claims.tsv");
    std::fs::write(
        &table,
        "item\tsource\tvalue\nbridge cost\tMarta Kovacs\t40 million\n",
    )
    .unwrap();
    let said = import(&db, &[&table.to_string_lossy()]);
    assert!(said.contains("1 row, "), "{said}");
    let said = import_fails(&db, &[&path("one.json"), &table.to_string_lossy()]);
    assert!(
        said.contains("import fact-checkers' reviews on their own"),
        "{said}"
    );
    let said = import_fails(
        &db,
        &[
            &table.to_string_lossy(),
            "--ratings",
            &path("my-ratings.tsv"),
        ],
    );
    assert!(
        said.contains("--ratings is for fact-checkers' reviews"),
        "{said}"
    );
}

#[test]
fn validate_reason_and_score_run_on_imported_reviews() {
    let (_dir, db) = fresh();
    credgraph(&db)
        .arg("load")
        .arg(fixture("known.ttl"))
        .assert()
        .success();
    import(
        &db,
        &[
            &path("one.json"),
            &path("list.json"),
            &path("reviews.jsonl"),
            &path("disagree.jsonl"),
            &path("reviews.csv"),
            &path("claimskg.tsv"),
        ],
    );
    credgraph(&db).arg("validate").assert().success();
    credgraph(&db).arg("reason").assert().success();
    let output = credgraph(&db).arg("score").assert().success();
    let said = String::from_utf8(output.get_output().stderr.clone()).unwrap()
        + &String::from_utf8(output.get_output().stdout.clone()).unwrap();
    assert!(!said.is_empty());
    // The mayor's claims were reviewed: the store scores her.
    let scored = sparql(
        &db,
        "SELECT ?a WHERE { ?a <https://w3id.org/credgraph/ns#assesses> <https://example.org/northfield/mayor> }",
    );
    assert!(!scored.is_empty(), "the mayor is assessed");
    // Two checkers rated one of the mayor's claims half true and false: her track
    // record counts both and says the reviewers disagree on that call.
    let record = sparql(
        &db,
        "SELECT ?right ?disagreed ?calls WHERE { GRAPH <https://w3id.org/credgraph/graph/scores> {
           ?a cg:assesses <https://example.org/northfield/mayor> ; cg:method \"track-record\" ;
              cg:rightCalls ?right ; cg:disagreedCalls ?disagreed ; cg:evidenceCount ?calls } }",
    );
    assert_eq!(record.len(), 1, "{record:?}");
    assert!(
        record[0]["calls"].parse::<u32>().unwrap() >= 2,
        "{record:?}"
    );
    assert_eq!(record[0]["disagreed"], "1", "{record:?}");
    let output = credgraph(&db)
        .args(["explain", "Marta Kovacs"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    assert!(text.contains("(1 where reviewers disagree)"), "{text}");
}
