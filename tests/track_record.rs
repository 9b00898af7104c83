//! Track records through the binary: graded resolutions count part of a right call,
//! two reviewers who disagree are both counted and said to disagree, and a source
//! with one resolved call starts from its party's record.

mod common;

use common::{credgraph, sparql, store_path};
use std::fmt::Write;

/// A case written for this test: members of two parties, each making claims that
/// were later resolved; party A's are mostly right, party B's mostly wrong. A
/// newcomer of each party makes one claim, resolved false.
fn case() -> String {
    let mut ttl = String::from(
        "@prefix cg: <https://w3id.org/credgraph/ns#> .\n\
         @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\
         @prefix ex: <http://example.org/> .\n\
         @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n",
    );
    let claim = |ttl: &mut String, who: &str, n: usize, status: &str, degree: Option<f64>| {
        let p = format!("ex:{who}-claim-{n}");
        write!(
            ttl,
            "{p} a cg:Proposition .\n\
             ex:{who}-statement-{n} a cg:Statement ; cg:statedBy ex:{who} ; cg:proposition {p} ;\n\
               cg:polarity cg:Assertion ; cg:statedOn \"2020-01-01\"^^xsd:date .\n\
             ex:{who}-resolution-{n} a cg:Resolution ; cg:resolves {p} ; cg:status cg:{status} ;\n\
               cg:resolvedOn \"2020-02-01\"^^xsd:date"
        )
        .unwrap();
        if let Some(d) = degree {
            write!(ttl, " ; cg:truthDegree {d:.2}").unwrap();
        }
        ttl.push_str(" .\n");
    };
    for party in ["a", "b"] {
        for member in 0..4 {
            let who = format!("{party}{member}");
            writeln!(
                ttl,
                "ex:{who} a cg:Person ; cg:memberOfParty ex:party-{party} ."
            )
            .unwrap();
            for n in 0..8 {
                let right = if party == "a" { n < 7 } else { n < 2 };
                claim(
                    &mut ttl,
                    &who,
                    n,
                    if right { "Confirmed" } else { "Refuted" },
                    None,
                );
            }
        }
        let newcomer = format!("new-{party}");
        writeln!(
            ttl,
            "ex:{newcomer} a cg:Person ; cg:memberOfParty ex:party-{party} ."
        )
        .unwrap();
        claim(&mut ttl, &newcomer, 0, "Refuted", None);
    }
    // One with graded calls: mostly true, half true, and a claim two reviewers
    // disagree on (true for one, false for the other).
    ttl.push_str("ex:graded a cg:Person ; rdfs:label \"Graded Speaker\" .\n");
    claim(&mut ttl, "graded", 0, "PartlyConfirmed", Some(0.75));
    claim(&mut ttl, "graded", 1, "PartlyConfirmed", None);
    claim(&mut ttl, "graded", 2, "Confirmed", None);
    ttl.push_str(
        "ex:graded-resolution-2b a cg:Resolution ; cg:resolves ex:graded-claim-2 ; cg:status cg:Refuted ;\n\
           cg:resolvedOn \"2020-03-01\"^^xsd:date ; cg:ratingText \"False\" .\n",
    );
    ttl
}

fn record(db: &std::path::Path, who: &str) -> std::collections::BTreeMap<String, String> {
    let rows = sparql(
        db,
        &format!(
            "SELECT ?value ?calls ?right ?disagreed ?prior ?from WHERE {{ GRAPH <https://w3id.org/credgraph/graph/scores> {{
               ?a cg:assesses <http://example.org/{who}> ; cg:method \"track-record\" ; cg:value ?value ;
                  cg:evidenceCount ?calls ; cg:rightCalls ?right ; cg:disagreedCalls ?disagreed ; cg:priorMean ?prior .
               OPTIONAL {{ ?a cg:priorFrom ?from }} }} }}"
        ),
    );
    assert_eq!(rows.len(), 1, "{who}: {rows:?}");
    rows.into_iter().next().unwrap()
}

fn number(row: &std::collections::BTreeMap<String, String>, key: &str) -> f64 {
    row[key].parse().unwrap()
}

#[test]
fn graded_calls_disagreeing_reviewers_and_a_party_prior() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let file = dir.path().join("case.ttl");
    std::fs::write(&file, case()).unwrap();
    credgraph(&db).arg("load").arg(&file).assert().success();
    credgraph(&db)
        .args(["score", "--method", "voting"])
        .assert()
        .success();

    let graded = record(&db, "graded");
    assert_eq!(graded["calls"], "3");
    // 0.75 + 0.5 + the mean of 1 and 0.
    assert!((number(&graded, "right") - 1.75).abs() < 1e-9, "{graded:?}");
    assert_eq!(graded["disagreed"], "1");

    let a = record(&db, "new-a");
    let b = record(&db, "new-b");
    assert_eq!(a["from"], "http://example.org/party-a");
    assert_eq!(b["from"], "http://example.org/party-b");
    // One false claim each: the newcomer of the party whose members are mostly
    // right keeps most of their record; the other's is low.
    assert!(number(&a, "prior") > 0.75, "{a:?}");
    assert!(number(&a, "value") > 0.6, "{a:?}");
    assert!(number(&b, "value") < 0.35, "{b:?}");
    // The party's members all call alike, so the prior is strong: the newcomer
    // is judged much as its party's members are, not on its one claim.
    let member = record(&db, "a0");
    assert!(
        (number(&member, "value") - number(&a, "value")).abs() < 0.1,
        "{member:?} {a:?}"
    );

    let output = credgraph(&db)
        .args(["explain", "Graded Speaker"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    assert!(
        text.contains("1.75 of 3 resolved calls right (1 where reviewers disagree)"),
        "{text}"
    );
}
