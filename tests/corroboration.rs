//! The analyst's story on the seed case: who corroborates whom, independently.
//!
//! Worked out by hand from data/2022-12-24-belarus-threat.txt (see the comments in
//! data/2022-12-24-belarus-threat.ttl): Zaluzhnyi (a second try at Kyiv), Reznikov
//! and the commander of OC "South" (a new wave in February 2023), Nayev (the risk
//! from Belarus rising) and Stoltenberg (plans to renew the attack) all back
//! "Russia is preparing a renewed offensive". Zaluzhnyi, Nayev and the OC "South"
//! commander serve in the Armed Forces, one chain of command, so their agreement
//! is not independent; Reznikov (the Ministry) and Stoltenberg (NATO) are
//! independent of them and of each other. Budanov denies the offensive from
//! Belarus that Nayev's words assert.

mod common;
use common::*;

#[test]
fn who_corroborates_whom_on_the_seed_case() {
    let dir = seeded_store();
    let rows = named_query(&store_path(&dir), "who-corroborates-whom", &[]);
    let mut pairs: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            let mut pair = [r["source_a"].clone(), r["source_b"].clone()];
            pair.sort();
            (pair[0].clone(), pair[1].clone())
        })
        .collect();
    pairs.sort();
    let mut expected: Vec<(String, String)> = [
        (OC_SOUTH, STOLTENBERG),
        (OC_SOUTH, REZNIKOV),
        (STOLTENBERG, REZNIKOV),
        (STOLTENBERG, NAYEV),
        (STOLTENBERG, ZALUZHNYI),
        (REZNIKOV, NAYEV),
        (REZNIKOV, ZALUZHNYI),
    ]
    .iter()
    .map(|(a, b)| {
        let mut pair = [a.to_string(), b.to_string()];
        pair.sort();
        (pair[0].clone(), pair[1].clone())
    })
    .collect();
    expected.sort();
    assert_eq!(pairs, expected);
    assert!(column(&rows, "corroborations").iter().all(|n| n == "1"));
}

#[test]
fn nato_independently_corroborates_the_renewed_offensive() {
    let dir = seeded_store();
    let rows = named_query(
        &store_path(&dir),
        "corroborators",
        &[("source", STOLTENBERG)],
    );
    let mut corroborators = column(&rows, "corroborator");
    corroborators.sort();
    let mut expected = vec![OC_SOUTH, NAYEV, REZNIKOV, ZALUZHNYI];
    expected.sort();
    assert_eq!(corroborators, expected);
    let reznikov = rows.iter().find(|r| r["corroborator"] == REZNIKOV).unwrap();
    assert!(
        reznikov["their_statements"].contains("February 2023"),
        "{reznikov:?}"
    );
    assert!(
        reznikov["agreeing_with"].contains("renew its attack"),
        "{reznikov:?}"
    );
}

#[test]
fn one_chain_of_command_is_not_independent_corroboration() {
    let dir = seeded_store();
    let db = store_path(&dir);
    let rows = named_query(&db, "corroborators", &[("source", "Zaluzhnyi")]);
    let mut corroborators = column(&rows, "corroborator");
    corroborators.sort();
    assert_eq!(
        corroborators,
        vec![STOLTENBERG, REZNIKOV],
        "Nayev and OC South are his subordinates"
    );
    // They do agree, as the stored source pair shows, but not independently.
    let pairs = sparql(
        &db,
        "SELECT ?independent ?agreements WHERE {
           ?pair cg:firstSource person:serhiy-nayev ; cg:secondSource person:valerii-zaluzhnyi ;
                 cg:independent ?independent ; cg:dependentAgreements ?agreements
           FILTER NOT EXISTS { ?pair cg:corroborations ?any } }",
    );
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0]["independent"], "false");
    assert_eq!(pairs[0]["agreements"], "1");
    let why = named_query(&db, "dependencies", &[("source", "person:serhiy-nayev")]);
    assert!(
        why.iter().any(|r| r["dependent"] == NAYEV
            && r["depends_on"] == ZALUZHNYI
            && r["why"] == "chain of command"
            && r["through"] == "Commander-in-Chief of the Armed Forces of Ukraine"),
        "{why:?}"
    );
}

#[test]
fn budanov_is_contradicted_by_nayev() {
    let dir = seeded_store();
    let rows = named_query(&store_path(&dir), "who-contradicts-whom", &[]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["source_a"], BUDANOV);
    assert_eq!(rows[0]["source_b"], NAYEV);
    assert_eq!(
        rows[0]["contradictions"], "2",
        "his paraphrase and his quote"
    );
    assert_eq!(rows[0]["independent"], "true");
    assert!(rows[0]["statements"].contains("gradually increasing"));
}

#[test]
fn nobody_corroborates_budanov() {
    let dir = seeded_store();
    let rows = named_query(&store_path(&dir), "corroborators", &[("source", BUDANOV)]);
    assert!(rows.is_empty(), "{rows:?}");
}
