//! `credgraph import` of Wikidata through the binary: entity JSON in its forms, the
//! dumps' lines, WDQS results and `--wikidata` against a SPARQL endpoint (a
//! `credgraph serve` on loopback holding Wikidata-shaped RDF); the seed's people
//! imported instead of hand-modelled depend on each other as the hand-modelled ones
//! do; `extract` and `match` link names to the imported officials.
//!
//! The fixtures in tests/data/wikidata/ were written for these tests (see its
//! README).

mod common;

use common::server::Served;
use common::{credgraph, seed_data, sparql, store_path, test_data};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    test_data("wikidata").join(name)
}

fn import(db: &Path, files: &[&Path]) -> String {
    let output = credgraph(db)
        .arg("import")
        .args(files)
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    String::from_utf8(output).unwrap()
}

/// What a command that must fail with exit 1 says on standard error.
fn failure(command: &mut assert_cmd::Command) -> String {
    let output = command.assert().code(1).get_output().stderr.clone();
    String::from_utf8(output).unwrap()
}

fn pairs(db: &Path, query: &str) -> BTreeSet<(String, String)> {
    sparql(db, query)
        .into_iter()
        .map(|r| (r["a"].clone(), r["b"].clone()))
        .collect()
}

/// Who depends on whom among the sources that made statements.
const SPEAKER_DEPENDENCES: &str =
    "SELECT ?a ?b WHERE { ?a cg:dependsOn ?b . ?x cg:statedBy ?a . ?y cg:statedBy ?b }";

#[test]
fn the_seed_people_imported_from_wikidata_depend_as_the_hand_modelled_ones_do() {
    let case = seed_data().join("2022-12-24-belarus-threat.ttl");
    let dir = tempfile::tempdir().unwrap();
    let hand = dir.path().join("hand");
    credgraph(&hand)
        .arg("load")
        .arg(&case)
        .arg(seed_data().join("entities.ttl"))
        .assert()
        .success();
    credgraph(&hand).arg("reason").assert().success();
    let imported = dir.path().join("imported");
    credgraph(&imported)
        .arg("load")
        .arg(&case)
        .arg(fixture("seed-unnamed.ttl"))
        .assert()
        .success();
    let said = import(&imported, &[&fixture("seed-entities.jsonl")]);
    assert!(
        said.contains("6 people, 7 posts, 8 organizations, 6 tenures"),
        "{said}"
    );
    credgraph(&imported).arg("reason").assert().success();
    let expected = pairs(&hand, SPEAKER_DEPENDENCES);
    assert!(expected.len() >= 12, "{expected:?}");
    assert_eq!(pairs(&imported, SPEAKER_DEPENDENCES), expected);
    // The chain of command comes from the hierarchy: posts that direct
    // organizations report to the post directing the organization above.
    let chain = "SELECT ?a ?b WHERE { ?d cg:dependenceKind cg:ChainOfCommand ; cg:dependentSource ?a ; cg:dependsOnSource ?b . ?x cg:statedBy ?a }";
    let chain_of = |db: &Path| pairs(db, chain);
    let person = |slug: &str| format!("https://w3id.org/credgraph/id/person/{slug}");
    let budanov_to_reznikov = (person("kyrylo-budanov"), person("oleksii-reznikov"));
    assert!(chain_of(&hand).contains(&budanov_to_reznikov));
    // One difference: the import also holds Reznikov's successor, whom Budanov's
    // post reports to as well (the rule does not read tenures' dates).
    let mut expected = chain_of(&hand);
    expected.insert((person("kyrylo-budanov"), person("rustem-umerov")));
    assert_eq!(chain_of(&imported), expected);
    // The Wikidata IRI and revision come along; labels in every language.
    let rows = sparql(
        &imported,
        "SELECT ?same ?version ?uk WHERE { person:kyrylo-budanov owl:sameAs ?same ; schema:version ?version ; rdfs:label ?uk FILTER (LANG(?uk) = \"uk\") }",
    );
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["same"], "http://www.wikidata.org/entity/Q99000021");
    assert_eq!(rows[0]["uk"], "Кирило Буданов");
    credgraph(&imported).arg("validate").assert().success();
}

#[test]
fn entity_json_dump_lines_and_a_gzipped_dump_give_the_same_triples() {
    let dir = tempfile::tempdir().unwrap();
    let lines = std::fs::read_to_string(fixture("seed-entities.jsonl")).unwrap();
    let first = lines.lines().next().unwrap();
    // One entity as Special:EntityData gives it, and the rest as a dump.
    let entity_data = dir.path().join("Q99000001.json");
    let id = "Q99000001";
    std::fs::write(
        &entity_data,
        format!("{{\"entities\": {{\"{id}\": {first}}}}}"),
    )
    .unwrap();
    let dump = dir.path().join("dump.json.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&dump).unwrap(),
        flate2::Compression::default(),
    );
    let rest: Vec<&str> = lines.lines().skip(1).collect();
    write!(gz, "[\n{}\n]\n", rest.join(",\n")).unwrap();
    gz.finish().unwrap();
    let a = store_path(&dir);
    import(&a, &[&entity_data, &dump]);
    let b = dir.path().join("b");
    import(&b, &[&fixture("seed-entities.jsonl")]);
    let everything = "SELECT ?a ?b WHERE { GRAPH ?g { ?a ?p ?b } FILTER (STRSTARTS(STR(?g), \"https://w3id.org/credgraph/graph/wikidata/\") && !ISBLANK(?a) && !ISBLANK(?b)) }";
    let of_a = pairs(&a, everything);
    assert!(of_a.len() > 100, "{}", of_a.len());
    assert_eq!(of_a, pairs(&b, everything));
}

#[test]
fn importing_an_entity_again_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    import(&db, &[&fixture("seed-entities.jsonl")]);
    let budanov = std::fs::read_to_string(fixture("seed-entities.jsonl"))
        .unwrap()
        .lines()
        .find(|l| l.contains("\"Q99000021\""))
        .unwrap()
        .replace("Kyrylo Oleksiyovych Budanov", "K. O. Budanov")
        .replace("\"lastrevid\": 2000015", "\"lastrevid\": 2000099");
    let newer = dir.path().join("budanov.jsonl");
    std::fs::write(&newer, budanov).unwrap();
    let said = import(&db, &[&newer]);
    assert!(said.contains("1 replacing an earlier import"), "{said}");
    let names: Vec<String> = sparql(
        &db,
        "SELECT ?name WHERE { person:kyrylo-budanov skos:altLabel ?name } ORDER BY ?name",
    )
    .into_iter()
    .map(|r| r["name"].clone())
    .collect();
    assert_eq!(names, ["Budanov", "K. O. Budanov"]);
    let versions = sparql(
        &db,
        "SELECT ?v WHERE { person:kyrylo-budanov schema:version ?v }",
    );
    assert_eq!(versions.len(), 1, "{versions:?}");
    assert_eq!(versions[0]["v"], "2000099");
    // Still one tenure, not two.
    let tenures = sparql(
        &db,
        "SELECT ?t WHERE { ?t org:member person:kyrylo-budanov }",
    );
    assert_eq!(tenures.len(), 1, "{tenures:?}");
}

#[test]
fn wdqs_results_give_the_holders_of_the_post_the_file_is_named_by() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    import(&db, &[&fixture("seed-entities.jsonl")]);
    let said = import(&db, &[&fixture("holders/Q99000011.json")]);
    assert!(said.contains("2 people, 1 post"), "{said}");
    let rows = sparql(
        &db,
        "SELECT ?who ?from ?to WHERE { GRAPH ?g { ?t cg:ofPost post:minister-of-defence-of-ukraine ; org:member ?who ; org:memberDuring ?i . ?i time:hasBeginning/time:inXSDDate ?from OPTIONAL { ?i time:hasEnd/time:inXSDDate ?to } } FILTER (STRSTARTS(STR(?g), \"file:\")) } ORDER BY ?who",
    );
    let got: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["who"].rsplit('/').next().unwrap().to_string(),
                r["from"].clone(),
                r.get("to").cloned().unwrap_or_default(),
            )
        })
        .collect();
    // A year's precision starts on the first of January.
    assert_eq!(
        got,
        [
            (
                "oleksii-reznikov".to_string(),
                "2021-11-04".to_string(),
                "2023-09-05".to_string()
            ),
            (
                "rustem-umerov".to_string(),
                "2023-01-01".to_string(),
                String::new()
            ),
        ]
    );
    let party = sparql(
        &db,
        "SELECT ?p WHERE { person:rustem-umerov cg:memberOfParty ?p . ?p a cg:Organization ; owl:sameAs ?w }",
    );
    assert_eq!(party.len(), 1, "{party:?}");
    // Imported again, the party that only these rows name keeps its kind and
    // Wikidata IRI.
    import(&db, &[&fixture("holders/Q99000011.json")]);
    let again = sparql(
        &db,
        "SELECT ?p WHERE { person:rustem-umerov cg:memberOfParty ?p . ?p a cg:Organization ; owl:sameAs ?w }",
    );
    assert_eq!(again, party);
}

#[test]
fn a_bad_line_is_named_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let lines = std::fs::read_to_string(fixture("seed-entities.jsonl")).unwrap();
    let bad = dir.path().join("bad.jsonl");
    let first = lines.lines().next().unwrap();
    std::fs::write(&bad, format!("{first}\n{{\"id\": \"Q1\", \"claims\": [\n")).unwrap();
    let message = failure(credgraph(&db).arg("import").arg(&bad));
    assert!(message.contains("bad.jsonl:2:"), "{message}");
    let rows = sparql(&db, "SELECT ?s WHERE { ?s owl:sameAs ?w }");
    assert!(rows.is_empty(), "{rows:?}");
    // A mapping that names an unknown part is refused with its line.
    let mapping = dir.path().join("mapping.tsv");
    std::fs::write(&mapping, "P39\tposition-held\nP108\tboss\n").unwrap();
    let message = failure(
        credgraph(&db)
            .arg("import")
            .arg(fixture("seed-entities.jsonl"))
            .arg("--wikidata-mapping")
            .arg(&mapping),
    );
    assert!(message.contains("mapping.tsv:2:"), "{message}");
}

#[test]
fn extract_and_match_link_names_to_imported_officials_by_alias_and_post_on_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    import(&db, &[&fixture("seed-entities.jsonl")]);
    let speakers = |date: &str| -> Vec<String> {
        let article = dir.path().join(format!("{date}.txt"));
        std::fs::write(
            &article,
            format!("date: {date}\noutlet: Test Wire\n\nUkraine's defence minister said on Saturday that Russia is preparing a new offensive. Serhii Naiev said the border with Belarus is guarded.\n"),
        )
        .unwrap();
        let output = credgraph(&db)
            .arg("extract")
            .arg(&article)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(output)
            .unwrap()
            .lines()
            .filter_map(|l| l.trim().strip_prefix("speaker_iri: "))
            .map(str::to_string)
            .collect()
    };
    // The post held on the article's date, and a name Wikidata gives as an alias.
    assert_eq!(
        speakers("2022-12-24"),
        ["person:oleksii-reznikov", "person:serhiy-nayev"]
    );
    assert_eq!(
        speakers("2024-01-10"),
        ["person:rustem-umerov", "person:serhiy-nayev"]
    );
    // A new statement of a match sheet is linked the same way.
    let table = dir.path().join("statements.tsv");
    std::fs::write(
        &table,
        "id\tsource\ttext\tdate\nq1\tSerhii Naiev\tThe border with Belarus is guarded\t2022-12-24\n",
    )
    .unwrap();
    let sheet = dir.path().join("matches.yaml");
    credgraph(&db)
        .arg("match")
        .arg(&table)
        .arg("-o")
        .arg(&sheet)
        .assert()
        .success();
    credgraph(&db).arg("import").arg(&sheet).assert().success();
    let by = sparql(&db, "SELECT ?s WHERE { ?x cg:statedBy ?s ; cg:text ?t FILTER (STR(?t) = \"The border with Belarus is guarded\") }");
    assert_eq!(by.len(), 1, "{by:?}");
    assert_eq!(
        by[0]["s"],
        "https://w3id.org/credgraph/id/person/serhiy-nayev"
    );
}

#[test]
fn import_wikidata_asks_an_endpoint_and_follows_posts_and_organizations() {
    let served = Served::start(
        &[
            "--memory",
            "--load",
            fixture("entity-rdf.ttl").to_str().unwrap(),
        ],
        &[],
    );
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let output = credgraph(&db)
        .args([
            "import",
            "--wikidata",
            "Q99000021",
            "http://www.wikidata.org/entity/Q99000023",
        ])
        .arg("--wikidata-endpoint")
        .arg(served.url("/query"))
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let said = String::from_utf8(output).unwrap();
    assert!(said.contains("2 people"), "{said}");
    // Tenures with their days: Reznikov's start has a month's precision.
    let rows = sparql(
        &db,
        "SELECT ?who ?from ?to WHERE { ?t org:member ?who ; org:memberDuring ?i . ?i time:hasBeginning/time:inXSDDate ?from OPTIONAL { ?i time:hasEnd/time:inXSDDate ?to } } ORDER BY ?who",
    );
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["from"].clone(), r.get("to").cloned().unwrap_or_default()))
        .collect();
    assert_eq!(
        got,
        [
            ("2020-08-05".to_string(), String::new()),
            ("2021-11-01".to_string(), "2023-09-05".to_string())
        ]
    );
    // The deprecated claim is not imported.
    let held = sparql(
        &db,
        "SELECT ?p WHERE { person:kyrylo-budanov org:holds ?p }",
    );
    assert_eq!(held.len(), 1, "{held:?}");
    // Followed: the posts, the directorate and the ministry above it; the chain of
    // command between the posts.
    let reports = sparql(&db, "SELECT ?a ?b WHERE { ?a org:reportsTo ?b }");
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert!(
        reports[0]["b"].ends_with("/post/minister-of-defence-of-ukraine"),
        "{reports:?}"
    );
    credgraph(&db).arg("reason").assert().success();
    let depends = sparql(
        &db,
        "SELECT ?d WHERE { ?d cg:dependentSource person:kyrylo-budanov ; cg:dependsOnSource person:oleksii-reznikov ; cg:dependenceKind cg:ChainOfCommand }",
    );
    assert_eq!(depends.len(), 1, "{depends:?}");
    // An entity the endpoint does not know is an error, and nothing is written.
    let other = dir.path().join("other");
    let message = failure(
        credgraph(&other)
            .args(["import", "--wikidata", "Q123456789"])
            .arg("--wikidata-endpoint")
            .arg(served.url("/query")),
    );
    assert!(message.contains("Q123456789"), "{message}");
    // An endpoint without entities to ask for is refused, not ignored.
    let message = failure(
        credgraph(&other)
            .arg("import")
            .arg(fixture("seed-entities.jsonl"))
            .arg("--wikidata-endpoint")
            .arg(served.url("/query")),
    );
    assert!(
        message.contains("give the entities with --wikidata"),
        "{message}"
    );
}
