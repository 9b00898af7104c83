//! Every term of an aligned vocabulary that credgraph uses is listed, as checked,
//! in ontology/README.md; and each listed term exists in its published vocabulary
//! (`tests/data/vocab-terms.tsv`, the terms the published files define).

use std::collections::BTreeSet;
use std::path::Path;

const NAMESPACES: &[(&str, &str)] = &[
    ("prov", "http://www.w3.org/ns/prov#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("schema", "http://schema.org/"),
    ("cito", "http://purl.org/spar/cito/"),
    ("time", "http://www.w3.org/2006/time#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("sh", "http://www.w3.org/ns/shacl#"),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files() -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = ["ontology", "data", "queries", "src"]
        .map(|d| root().join(d))
        .to_vec();
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "ttl" || e == "rq" || e == "rs")
            {
                found.push(path);
            }
        }
    }
    found
}

/// `prefix:local` for every use of an aligned term, by prefix or full IRI.
fn used_terms() -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    for path in files() {
        let text = std::fs::read_to_string(&path).unwrap();
        for (prefix, namespace) in NAMESPACES {
            for (marker, _) in [(format!("{prefix}:"), 0), (namespace.to_string(), 1)] {
                let mut rest = text.as_str();
                while let Some(at) = rest.find(&marker) {
                    let before = rest[..at].chars().last();
                    let after = &rest[at + marker.len()..];
                    let local: String = after
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                        .collect();
                    let prefixed_use = marker.ends_with(':')
                        && !before.is_some_and(|c| {
                            c.is_alphanumeric() || c == '/' || c == '#' || c == '_' || c == '-'
                        });
                    let full_use = !marker.ends_with(':');
                    if (prefixed_use || full_use)
                        && local.chars().next().is_some_and(char::is_alphabetic)
                    {
                        terms.insert(format!("{prefix}:{local}"));
                    }
                    rest = &after[local.len().min(after.len())..];
                }
            }
        }
    }
    terms
}

fn listed_terms() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(root().join("ontology/README.md")).unwrap();
    readme
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .filter(|term| {
            NAMESPACES
                .iter()
                .any(|(p, _)| term.starts_with(&format!("{p}:")))
        })
        .map(String::from)
        .collect()
}

#[test]
fn every_aligned_term_used_is_listed_as_checked() {
    let missing: Vec<String> = used_terms().difference(&listed_terms()).cloned().collect();
    assert!(
        missing.is_empty(),
        "used but not listed in ontology/README.md: {missing:?}"
    );
}

#[test]
fn every_listed_term_exists_in_its_published_vocabulary() {
    // Every term the published vocabulary files give a type, in the namespaces
    // above (tests/data/README.md says how the list was cut from them).
    let published = std::fs::read_to_string(root().join("tests/data/vocab-terms.tsv")).unwrap();
    let published: BTreeSet<&str> = published
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .collect();
    // The list covers every namespace: a term of one it lacked would be "unknown".
    for (prefix, namespace) in NAMESPACES {
        assert!(
            published.iter().any(|iri| iri.starts_with(namespace)),
            "tests/data/vocab-terms.tsv has no term of {prefix}: ({namespace})"
        );
    }
    let unknown: Vec<String> = listed_terms()
        .into_iter()
        .filter(|term| {
            let (prefix, local) = term.split_once(':').unwrap();
            let namespace = NAMESPACES.iter().find(|(p, _)| *p == prefix).unwrap().1;
            !published.contains(format!("{namespace}{local}").as_str())
        })
        .collect();
    assert!(
        unknown.is_empty(),
        "not defined by their vocabulary: {unknown:?}"
    );
}
