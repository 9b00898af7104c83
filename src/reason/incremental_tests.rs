//! The property an incremental `reason` must have: after any sequence of loads,
//! replacements, drops and SPARQL updates, reasoning change by change gives the
//! derived graph a rebuild from scratch gives, triple for triple.
//!
//! Cases are generated here with a fixed seed per sequence: two institutions with
//! units, posts that report to one another, people holding them or members of a
//! unit, two outlets, questions with their answers and a few entailments, and
//! articles (a graph each) whose documents are published by an outlet, sometimes
//! derived from an earlier one or recording a person, holding statements by people
//! and outlets that assert or deny answers, sometimes quoting an earlier statement.
//! Two stores on disk take the same steps; after each, one is reasoned
//! incrementally and the other from scratch, and their derived graphs compared.

use super::{reason, Mode, ReasonOptions};
use crate::random::SplitMix64;
use crate::store::CaseStore;
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Quad};
use std::collections::BTreeSet;

const PREFIXES: &str = "@prefix cg: <https://w3id.org/credgraph/ns#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix e: <http://example.org/> .
";
const PEOPLE: usize = 6;
const ANSWERS: usize = 10;

fn entities(rng: &mut SplitMix64, extra_post: bool) -> String {
    let mut ttl = String::from(PREFIXES);
    ttl.push_str(
        "e:inst0 a cg:Organization . e:inst1 a cg:Organization .
e:unit0 a cg:Organization ; org:subOrganizationOf e:inst0 .
e:unit1 a cg:Organization ; org:subOrganizationOf e:inst1 .
e:post0 a cg:Post ; org:postIn e:unit0 .
e:post1 a cg:Post ; org:postIn e:unit0 ; org:reportsTo e:post0 .
e:post2 a cg:Post ; org:postIn e:unit1 .
e:outlet0 a cg:Outlet . e:outlet1 a cg:Outlet .
",
    );
    for p in 0..PEOPLE {
        ttl.push_str(&format!("e:person{p} a cg:Person .\n"));
    }
    ttl.push_str("e:person0 org:holds e:post0 .\ne:person1 org:holds e:post1 .\n");
    ttl.push_str("e:post2 org:heldBy e:person2 .\ne:person3 org:memberOf e:unit1 .\n");
    if extra_post || rng.chance(0.3) {
        ttl.push_str("e:person4 org:holds e:post1 .\n");
    }
    for q in 0..3 {
        ttl.push_str(&format!("e:q{q} a cg:Question .\n"));
    }
    for a in 0..ANSWERS {
        ttl.push_str(&format!(
            "e:a{a} a cg:Proposition ; cg:answers e:q{} .\n",
            a % 3
        ));
    }
    ttl.push_str("e:a0 cg:entails e:a4 . e:a5 cg:entails e:a1 .\n");
    ttl
}

fn source(rng: &mut SplitMix64) -> String {
    if rng.chance(0.2) {
        format!("e:outlet{}", rng.below(2))
    } else {
        format!("e:person{}", rng.below(PEOPLE))
    }
}

/// An article: its document and statements; `version` changes its content.
fn article(rng: &mut SplitMix64, k: usize, version: usize) -> String {
    let mut ttl = String::from(PREFIXES);
    let document = format!("e:doc{k}");
    ttl.push_str(&format!(
        "{document} a cg:Document ; cg:publishedBy e:outlet{} .\n",
        rng.below(2)
    ));
    if k > 0 && rng.chance(0.3) {
        ttl.push_str(&format!(
            "{document} cg:derivedFrom e:doc{} .\n",
            rng.below(k)
        ));
    }
    if rng.chance(0.2) {
        ttl.push_str(&format!(
            "{document} cg:records e:person{} .\n",
            rng.below(PEOPLE)
        ));
    }
    if rng.chance(0.15) {
        // A proposition of the article's own, answering a question or entailing
        // another.
        ttl.push_str(&format!(
            "e:new{k}v{version} a cg:Proposition ; cg:answers e:q{} .\n",
            rng.below(3)
        ));
        if rng.chance(0.5) {
            ttl.push_str(&format!(
                "e:new{k}v{version} cg:entails e:a{} .\n",
                rng.below(ANSWERS)
            ));
        }
    }
    if rng.chance(0.15) {
        // An entailment between answers other articles' statements speak to.
        ttl.push_str(&format!(
            "e:a{} cg:entails e:a{} .\n",
            rng.below(ANSWERS),
            rng.below(ANSWERS)
        ));
    }
    if rng.chance(0.1) {
        ttl.push_str(&format!(
            "e:person{} cg:dependsOn e:person{} .\n",
            rng.below(PEOPLE),
            rng.below(PEOPLE)
        ));
    }
    let statements = 1 + rng.below(4);
    for i in 0..statements {
        let proposition = if rng.chance(0.1) {
            format!("e:new{k}v{version}")
        } else {
            format!("e:a{}", rng.below(ANSWERS))
        };
        let polarity = if rng.chance(0.75) {
            "cg:Assertion"
        } else {
            "cg:Denial"
        };
        ttl.push_str(&format!(
            "e:s{k}x{i} a cg:Statement ; cg:statedBy {} ; cg:proposition {proposition} ; cg:polarity {polarity} ; cg:reportedIn {document} .\n",
            source(rng)
        ));
        if k > 0 && rng.chance(0.15) {
            ttl.push_str(&format!(
                "e:s{k}x{i} prov:wasQuotedFrom e:s{}x0 .\n",
                rng.below(k)
            ));
        }
    }
    ttl
}

fn graph(name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("http://example.org/graph/{name}"))
}

fn quads(ttl: &str, graph: &NamedNode) -> Vec<Quad> {
    RdfParser::from_format(RdfFormat::Turtle)
        .with_default_graph(graph.clone())
        .for_slice(ttl.as_bytes())
        .collect::<Result<_, _>>()
        .expect("generated Turtle parses")
}

/// One step, taken on both stores alike.
enum Step {
    /// Load (or replace) a graph with this Turtle.
    Write(NamedNode, String),
    /// Drop a graph, as the Graph Store Protocol's DELETE does.
    Drop(NamedNode),
    /// A SPARQL update.
    Update(String),
}

fn take(store: &CaseStore, step: &Step) {
    match step {
        Step::Write(graph, ttl) => store
            .write_graphs(std::slice::from_ref(graph), quads(ttl, graph))
            .unwrap(),
        Step::Drop(graph) => store
            .record(|touched| {
                touched.graph(&graph.clone().into());
                store.drop_graph(graph.as_ref())
            })
            .unwrap(),
        Step::Update(text) => store.update(text).unwrap(),
    }
}

fn derived(store: &CaseStore) -> BTreeSet<String> {
    let graph = NamedNodeRef::new_unchecked(vocab::graph::DERIVED);
    store
        .quads(None, None, None, Some(GraphNameRef::NamedNode(graph)))
        .unwrap()
        .map(|quad| quad.unwrap().to_string())
        .collect()
}

/// A random step, given how many articles were written so far and which remain.
fn step(rng: &mut SplitMix64, articles: &mut Vec<(usize, usize)>, next: &mut usize) -> Step {
    let roll = rng.below(100);
    if roll < 35 || articles.is_empty() {
        let k = *next;
        *next += 1;
        articles.push((k, 0));
        Step::Write(graph(&format!("article{k}")), article(rng, k, 0))
    } else if roll < 60 {
        let at = rng.below(articles.len());
        articles[at].1 += 1;
        let (k, version) = articles[at];
        Step::Write(graph(&format!("article{k}")), article(rng, k, version))
    } else if roll < 75 {
        let (k, _) = articles.swap_remove(rng.below(articles.len()));
        Step::Drop(graph(&format!("article{k}")))
    } else if roll < 85 {
        let extra_post = rng.chance(0.5);
        Step::Write(graph("entities"), entities(rng, extra_post))
    } else if roll < 92 {
        let (k, _) = articles[rng.below(articles.len())];
        // Naming the graph it writes, or not (then it may have written any).
        let graph = if rng.chance(0.5) {
            format!("<http://example.org/graph/article{k}>")
        } else {
            "?g".to_string()
        };
        Step::Update(format!(
            "DELETE WHERE {{ GRAPH {graph} {{ <http://example.org/s{k}x0> <https://w3id.org/credgraph/ns#polarity> ?p }} }}"
        ))
    } else {
        Step::Write(
            graph("late"),
            format!(
                "{PREFIXES}e:late a cg:Statement ; cg:statedBy {} ; cg:proposition e:a{} ; cg:polarity cg:Assertion .\n",
                source(rng),
                rng.below(ANSWERS)
            ),
        )
    }
}

#[test]
fn incremental_and_full_reasoning_give_the_same_derived_graph() {
    let mut incremental_runs = 0;
    let mut full_runs = 0;
    for sequence in 0..50_u64 {
        let dir = tempfile::tempdir().unwrap();
        let changed = CaseStore::open(&dir.path().join("changed.db")).unwrap();
        let scratch = CaseStore::open(&dir.path().join("scratch.db")).unwrap();
        let mut rng = SplitMix64::new(1000 + sequence);
        let mut articles = Vec::new();
        let mut next = 0;
        let full = ReasonOptions {
            full: true,
            ..ReasonOptions::default()
        };
        for n in 0..10 {
            let step = if n == 0 {
                Step::Write(graph("entities"), entities(&mut rng, false))
            } else {
                step(&mut rng, &mut articles, &mut next)
            };
            take(&changed, &step);
            take(&scratch, &step);
            let report = reason(&changed, &ReasonOptions::default()).unwrap();
            match report.mode {
                Mode::Incremental { .. } | Mode::UpToDate => incremental_runs += 1,
                Mode::Full(_) => full_runs += 1,
            }
            // From nothing: the derived graph emptied first, so that the rebuild
            // writes it whole rather than comparing.
            let derived_graph = NamedNodeRef::new_unchecked(vocab::graph::DERIVED);
            scratch
                .record(|touched| {
                    touched.graph(&derived_graph.into_owned().into());
                    scratch.drop_graph(derived_graph)
                })
                .unwrap();
            reason(&scratch, &full).unwrap();
            let (a, b) = (derived(&changed), derived(&scratch));
            if a != b {
                let only_a: Vec<_> = a.difference(&b).take(5).collect();
                let only_b: Vec<_> = b.difference(&a).take(5).collect();
                panic!(
                    "sequence {sequence}, step {n} ({:?}): incremental has {} triples, full {}; only incremental: {only_a:#?}; only full: {only_b:#?}",
                    report.mode,
                    a.len(),
                    b.len()
                );
            }
        }
        // A full rebuild over what is there, writing only the difference, changes
        // nothing; nor does one after a change nobody reasoned about yet.
        let before = derived(&changed);
        reason(&changed, &full).unwrap();
        assert_eq!(
            derived(&changed),
            before,
            "sequence {sequence}: full over incremental"
        );
        let step = step(&mut rng, &mut articles, &mut next);
        take(&changed, &step);
        take(&scratch, &step);
        reason(&changed, &full).unwrap();
        reason(&scratch, &ReasonOptions::default()).unwrap();
        assert_eq!(
            derived(&changed),
            derived(&scratch),
            "sequence {sequence}: full by comparison"
        );
    }
    // The property says something only if most runs were incremental.
    assert!(
        incremental_runs > 2 * full_runs,
        "{incremental_runs} incremental runs, {full_runs} full"
    );
}
