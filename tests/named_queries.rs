//! Every named query on the seed case returns the rows worked out by hand from the
//! text (see data/2022-12-24-belarus-threat.ttl for the reading of each statement).

mod common;
use common::*;

/// Runs a named query on a fresh, reasoned seed store.
fn query(name: &str, params: &[(&str, &str)]) -> Vec<std::collections::BTreeMap<String, String>> {
    let dir = seeded_store();
    named_query(&store_path(&dir), name, params)
}

#[test]
fn question_positions_list_every_statement_with_its_stance() {
    let rows = query("question-positions", &[]);
    assert_eq!(rows.len(), 16, "sixteen statements in the text");
    let belarus: Vec<_> = rows
        .iter()
        .filter(|r| r["asked"].starts_with("Will Russia launch a ground offensive against Ukraine from the territory of Belarus"))
        .collect();
    let positions: Vec<(String, String, String)> = belarus
        .iter()
        .map(|r| {
            (
                r["who"].clone(),
                r["stance"].clone(),
                r["certainty"].clone(),
            )
        })
        .collect();
    assert_eq!(
        positions,
        vec![
            (
                NAYEV.to_string(),
                "asserts".to_string(),
                "roughly even chance".to_string()
            ),
            (
                BUDANOV.to_string(),
                "denies".to_string(),
                "likely".to_string()
            ),
            (
                BUDANOV.to_string(),
                "denies".to_string(),
                "likely".to_string()
            ),
        ]
    );
    let zaluzhnyi = rows
        .iter()
        .find(|r| r["asked"] == "Will Russia try to go to Kyiv a second time?")
        .unwrap();
    assert_eq!(zaluzhnyi["certainty"], "almost certain");
    assert_eq!(zaluzhnyi["wording"], "has no doubt");
}

#[test]
fn question_positions_for_one_question() {
    let rows = query(
        "question-positions",
        &[("question", "Is Russia preparing a renewed large-scale offensive against Ukraine (as of December 2022)?")],
    );
    assert_eq!(column(&rows, "who"), vec![STOLTENBERG]);
}

#[test]
fn source_statements_show_budanov_and_his_reporting_chain() {
    let rows = query("source-statements", &[("source", "Budanov")]);
    assert_eq!(rows.len(), 7, "Budanov makes seven statements in the text");
    let quotes: Vec<_> = rows.iter().filter(|r| r["quote"] == "quote").collect();
    assert_eq!(quotes.len(), 1, "one direct quote");
    assert_eq!(quotes[0]["stance"], "denies");
    for row in &rows {
        assert_eq!(
            row["capacity"],
            "Chief of the Main Directorate of Intelligence of the Ministry of Defence of Ukraine"
        );
        assert!(
            row["reported_in"].contains("Outlet of the 2022-12-24 Belarus brief"),
            "{row:?}"
        );
        assert_eq!(
            row["derived_from"],
            "Kyrylo Budanov's interview with The New York Times (December 2022)"
        );
        assert_eq!(
            row["first_hand"], "yes",
            "the chain reaches the interview that records him"
        );
    }
    assert!(
        rows.iter()
            .any(|r| r["proposition_text"].contains("returned with all of them on board")),
        "the carousel"
    );
}

#[test]
fn dependencies_say_why() {
    let rows = query("dependencies", &[("source", "Reznikov")]);
    let reasons: Vec<(String, String, String)> = rows
        .iter()
        .filter(|r| r["dependent"] == BUDANOV || r["depends_on"] == BUDANOV)
        .map(|r| {
            (
                r["dependent"].clone(),
                r["depends_on"].clone(),
                r["why"].clone(),
            )
        })
        .filter(|(a, b, _)| (a == BUDANOV || a == REZNIKOV) && (b == BUDANOV || b == REZNIKOV))
        .collect();
    assert!(
        reasons.contains(&(BUDANOV.into(), REZNIKOV.into(), "chain of command".into())),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&(BUDANOV.into(), REZNIKOV.into(), "same institution".into())),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&(REZNIKOV.into(), BUDANOV.into(), "same institution".into())),
        "{reasons:?}"
    );
    let outlet = rows
        .iter()
        .find(|r| {
            r["dependent"].starts_with("Outlet of the 2022-12-24") && r["depends_on"] == REZNIKOV
        })
        .expect("the outlet reports Reznikov");
    assert_eq!(outlet["why"], "reporting");
    assert!(
        !rows
            .iter()
            .any(|r| r["dependent"] == STOLTENBERG || r["depends_on"] == STOLTENBERG),
        "NATO is outside the Ministry: {rows:?}"
    );
}

#[test]
fn second_hand_statements_are_all_but_the_outlets_own() {
    let rows = query("second-hand-statements", &[]);
    assert_eq!(
        rows.len(),
        14,
        "sixteen statements, two in the outlet's own voice"
    );
    assert!(rows.iter().all(|r| !r["who"].starts_with("Outlet")));
    for row in &rows {
        let expected = if row["who"] == BUDANOV {
            "Kyrylo Budanov's interview with The New York Times (December 2022)"
        } else {
            ""
        };
        assert_eq!(row["first_hand_record"], expected, "{row:?}");
    }
}

#[test]
fn agreeing_statements_are_worked_out_live() {
    let rows = query("agreeing-statements", &[]);
    // Five statements back the renewed offensive (ten pairs), Budanov's two
    // denials of the offensive from Belarus agree with each other.
    assert_eq!(rows.len(), 11, "{rows:?}");
    let budanov = query("agreeing-statements", &[("source", BUDANOV)]);
    assert_eq!(budanov.len(), 2, "each of his two denials, listed first");
    let dir = seeded_store();
    let derived = sparql(
        &store_path(&dir),
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH graph:derived { ?a cg:agreesWith ?b } }",
    );
    assert_eq!(
        derived[0]["n"], "22",
        "the rule stores the eleven pairs both ways"
    );
}

#[test]
fn contradicting_statements_are_worked_out_live() {
    let rows = query("contradicting-statements", &[]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r["on"].starts_with(
        "Russia launches a ground offensive against Ukraine from the territory of Belarus"
    )));
    let nayev = query("contradicting-statements", &[("source", NAYEV)]);
    assert_eq!(nayev.len(), 2);
    assert!(nayev.iter().all(|r| r["statement"].starts_with("Nayev")));
}

#[test]
fn resolutions_say_what_turned_out() {
    let rows = query("resolutions", &[]);
    assert_eq!(rows.len(), 13);
    let refuted: Vec<_> = rows.iter().filter(|r| r["status"] == "refuted").collect();
    assert_eq!(refuted.len(), 1);
    assert_eq!(refuted[0]["asserted_by"], NAYEV);
    assert_eq!(refuted[0]["denied_by"], BUDANOV);
    let confirmed: Vec<String> = rows
        .iter()
        .filter(|r| r["status"] == "confirmed")
        .map(|r| r["asserted_by"].clone())
        .collect();
    assert_eq!(confirmed.len(), 2);
    assert!(confirmed.iter().any(|a| a == STOLTENBERG));
    assert!(rows
        .iter()
        .filter(|r| r["status"] != "open")
        .all(|r| r["evidence_source"].contains("Institute for the Study of War")));
}

#[test]
fn sources_lists_people_institutions_and_outlets() {
    let rows = query("sources", &[]);
    assert_eq!(
        rows.len(),
        15,
        "six people, seven organizations, two outlets"
    );
    let budanov = rows.iter().find(|r| r["name"] == BUDANOV).unwrap();
    assert_eq!(budanov["statements"], "7");
    assert_eq!(budanov["institutions"], "Ministry of Defence of Ukraine");
    let nayev = rows.iter().find(|r| r["name"] == NAYEV).unwrap();
    assert_eq!(nayev["institutions"], "Armed Forces of Ukraine");
}

#[test]
fn missing_wikidata_lists_what_a_curator_should_look_up() {
    let rows = query("missing-wikidata", &[]);
    let names = column(&rows, "name");
    assert_eq!(rows.len(), 13, "{names:?}");
    assert!(!names.contains(&"North Atlantic Treaty Organization".to_string()));
    assert!(!names.contains(&"The New York Times".to_string()));
}

#[test]
fn names_are_resolved_by_alternative_label_and_prefixed_iri() {
    let by_alt = query("source-statements", &[("source", "Oleksiy Reznikov")]);
    let by_iri = query(
        "source-statements",
        &[("source", "person:oleksii-reznikov")],
    );
    assert_eq!(by_alt, by_iri);
    assert_eq!(by_alt.len(), 1);
}
