//! Rules: SPARQL Update files that derive into the derived graph, with what each
//! one writes and reads so the engine reruns a rule only when its input changed.
//!
//! A rule's header may carry two keys:
//! * `# pairwise: yes` — it stores pairs of statements, whose number grows with
//!   the square of a proposition's backers; the engine skips it above a limit;
//! * `# native: NAME` — on the embedded store the engine computes the same
//!   triples in Rust instead (see `source_pairs`), and runs the file only against
//!   a remote engine.

use crate::error::{sparql_syntax, Error, Result};
use crate::vocab;
use spargebra::algebra::GraphPattern;
use spargebra::term::{NamedNodePattern, TermPattern};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
use spargebra::GraphUpdateOperation;
use std::collections::BTreeSet;
use std::path::Path;

macro_rules! shipped_rule {
    ($stem:literal) => {
        (
            $stem,
            include_str!(concat!("../../ontology/rules/", $stem, ".rq")),
        )
    };
}

/// The rules shipped in `ontology/rules/`, in the order they run.
const SHIPPED: &[(&str, &str)] = &[
    shipped_rule!("10-institution"),
    shipped_rule!("11-dependence-same-institution"),
    shipped_rule!("12-dependence-chain-of-command"),
    shipped_rule!("13-dependence-reporting"),
    shipped_rule!("14-dependence-quoting"),
    shipped_rule!("20-statement-agreement"),
    shipped_rule!("21-statement-contradiction"),
    shipped_rule!("30-source-pairs"),
];

/// One rule file.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The file name without extension, such as `10-dependence-same-institution`.
    pub file_stem: String,
    pub text: String,
    pub pairwise: bool,
    pub native: Option<String>,
    /// Predicates of the triples the rule inserts.
    pub writes: BTreeSet<String>,
    /// Classes the rule gives things with `rdf:type`.
    pub types: BTreeSet<String>,
    /// The rule's WHERE clauses, written out with full IRIs: a predicate is read
    /// when its IRI appears here.
    reads: String,
    /// Whose the triples it derives are (`# owners: sources ?a ?b`): an incremental
    /// `reason` recomputes it only for those a change touched.
    pub owners: Option<Owners>,
}

/// The variables naming what a rule's derived triples belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owners {
    pub kind: OwnerKind,
    /// Without the `?`.
    pub variables: Vec<String>,
}

/// What owns a rule's triples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerKind {
    Sources,
    Statements,
}

impl Rule {
    /// The rule's name without its ordering number: `dependence-same-institution`.
    pub fn name(&self) -> &str {
        self.file_stem
            .split_once('-')
            .filter(|(number, _)| number.chars().all(|c| c.is_ascii_digit()))
            .map_or(self.file_stem.as_str(), |(_, name)| name)
    }

    /// Whether the rule may read triples with this predicate.
    pub fn reads(&self, predicate: &str) -> bool {
        self.native.is_some() || self.reads.contains(&format!("<{predicate}>"))
    }

    pub fn parse(file_stem: &str, text: &str) -> Result<Self> {
        let update = spargebra::SparqlParser::new()
            .parse_update(text)
            .map_err(|e| match sparql_syntax("rule", text, &e) {
                Error::SparqlSyntax {
                    position,
                    message,
                    excerpt,
                    ..
                } => Error::SparqlSyntax {
                    what: "rule",
                    position,
                    message: format!("in rule {file_stem}: {message}"),
                    excerpt,
                },
                other => other,
            })?;
        let mut writes = BTreeSet::new();
        let mut types = BTreeSet::new();
        let mut reads = String::new();
        for operation in &update.operations {
            match operation {
                GraphUpdateOperation::DeleteInsert { delete, .. } if !delete.is_empty() => {
                    return Err(Error::invalid(format!(
                        "rule {file_stem}: rules may only insert (INSERT ... WHERE or INSERT DATA), found a DELETE"
                    )))
                }
                GraphUpdateOperation::DeleteInsert { insert, pattern, .. } => {
                    for quad in insert {
                        if quad.graph_name.to_string() != format!("<{}>", vocab::graph::DERIVED) {
                            return Err(outside_derived(file_stem));
                        }
                        if let NamedNodePattern::NamedNode(predicate) = &quad.predicate {
                            writes.insert(predicate.as_str().to_string());
                            if predicate.as_str() == RDF_TYPE {
                                if let TermPattern::NamedNode(class) = &quad.object {
                                    types.insert(class.as_str().to_string());
                                }
                            }
                        }
                    }
                    reads.push_str(&pattern_text(pattern));
                    reads.push('\n');
                }
                GraphUpdateOperation::InsertData { data } => {
                    for quad in data {
                        if quad.graph_name.to_string() != format!("<{}>", vocab::graph::DERIVED) {
                            return Err(outside_derived(file_stem));
                        }
                        writes.insert(quad.predicate.as_str().to_string());
                    }
                }
                _ => {
                    return Err(Error::invalid(format!(
                        "rule {file_stem}: rules may only insert (INSERT ... WHERE or INSERT DATA), found: {operation}"
                    )))
                }
            }
        }
        let header_value = |key: &str| {
            text.lines()
                .take_while(|line| line.starts_with('#') || line.trim().is_empty())
                .filter_map(|line| line.trim_start_matches('#').trim().strip_prefix(key))
                .map(|value| value.trim().to_string())
                .next()
        };
        Ok(Rule {
            file_stem: file_stem.to_string(),
            text: text.to_string(),
            pairwise: header_value("pairwise:").is_some_and(|v| v == "yes"),
            native: header_value("native:"),
            writes,
            types,
            reads,
            owners: header_value("owners:").and_then(|value| parse_owners(&value)),
        })
    }

    /// The rule with its `#@ only ?variable` lines replaced by `VALUES ?variable {
    /// ... }` holding these IRIs: the same rule, limited to what they own. None when
    /// the rule has no such line for the variable.
    pub fn limited(&self, variable: &str, iris: &[oxigraph::model::NamedNode]) -> Option<String> {
        let marker = format!("#@ only ?{variable}");
        if !self.text.lines().any(|line| line.trim() == marker) {
            return None;
        }
        let values = format!(
            "VALUES ?{variable} {{ {} }}",
            iris.iter()
                .map(|iri| iri.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        );
        Some(
            self.text
                .lines()
                .map(|line| {
                    if line.trim() == marker {
                        values.as_str()
                    } else {
                        line
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }
}

/// `sources ?a ?b` or `statements ?s1 ?s2`.
fn parse_owners(value: &str) -> Option<Owners> {
    let mut words = value.split_whitespace();
    let kind = match words.next()? {
        "sources" => OwnerKind::Sources,
        "statements" => OwnerKind::Statements,
        _ => return None,
    };
    let variables: Vec<String> = words
        .map(|w| w.strip_prefix('?').map(str::to_string))
        .collect::<Option<_>>()?;
    (!variables.is_empty()).then_some(Owners { kind, variables })
}

fn outside_derived(file_stem: &str) -> Error {
    Error::invalid(format!(
        "rule {file_stem}: rules insert into the derived graph only (GRAPH <{}> {{ ... }}), never into a source's graph",
        vocab::graph::DERIVED
    ))
}

fn pattern_text(pattern: &GraphPattern) -> String {
    pattern.to_string()
}

/// The shipped rules.
pub fn shipped() -> Result<Vec<Rule>> {
    SHIPPED
        .iter()
        .map(|(stem, text)| Rule::parse(stem, text))
        .collect()
}

/// The rules in a folder of `.rq` files, in file-name order.
pub fn from_folder(dir: &Path) -> Result<Vec<Rule>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::file(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::file(dir, e))?.path();
        if path.extension().is_some_and(|e| e == "rq") {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::invalid(format!(
            "{}: no .rq rule files here",
            dir.display()
        )));
    }
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|e| Error::file(path, e))?;
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            Rule::parse(&stem, &text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_rules_is_shipped() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology/rules");
        let on_disk: Vec<String> = from_folder(&dir)
            .unwrap()
            .into_iter()
            .map(|r| r.file_stem)
            .collect();
        let shipped: Vec<String> = SHIPPED.iter().map(|(s, _)| s.to_string()).collect();
        assert_eq!(on_disk, shipped);
    }

    #[test]
    fn rules_know_what_they_write_and_read() {
        let rules = shipped().unwrap();
        let agreement = rules
            .iter()
            .find(|r| r.name() == "statement-agreement")
            .unwrap();
        assert!(agreement.pairwise);
        assert!(agreement
            .writes
            .contains("https://w3id.org/credgraph/ns#agreesWith"));
        assert!(agreement.reads("https://w3id.org/credgraph/ns#entails"));
        assert!(!agreement.reads("https://w3id.org/credgraph/ns#dependsOn"));
        let pairs = rules.iter().find(|r| r.name() == "source-pairs").unwrap();
        assert_eq!(pairs.native.as_deref(), Some("source-pairs"));
        let institution = rules
            .iter()
            .find(|r| r.name() == "dependence-same-institution")
            .unwrap();
        assert!(!institution.pairwise);
        assert!(institution
            .writes
            .contains("https://w3id.org/credgraph/ns#dependsOn"));
    }

    #[test]
    fn rules_that_write_outside_the_derived_graph_are_refused() {
        let error = Rule::parse(
            "99-bad",
            "INSERT { ?s <http://e/p> ?o } WHERE { ?s <http://e/q> ?o }",
        )
        .unwrap_err();
        assert!(error.to_string().contains("derived graph only"), "{error}");
    }

    #[test]
    fn every_shipped_rule_but_the_native_one_can_be_limited_to_its_owners() {
        let someone = [oxigraph::model::NamedNode::new_unchecked(
            "http://e/someone",
        )];
        for rule in shipped().unwrap() {
            if rule.native.is_some() {
                assert!(rule.owners.is_none(), "{}", rule.file_stem);
                continue;
            }
            let owners = rule
                .owners
                .clone()
                .unwrap_or_else(|| panic!("{}", rule.file_stem));
            for variable in &owners.variables {
                let text = rule
                    .limited(variable, &someone)
                    .unwrap_or_else(|| panic!("{} has no #@ only ?{variable}", rule.file_stem));
                assert!(text.contains(&format!("VALUES ?{variable} {{ <http://e/someone> }}")));
                Rule::parse(&rule.file_stem, &text).unwrap();
            }
        }
    }

    #[test]
    fn rules_that_delete_are_refused() {
        let error = Rule::parse("99-bad", "DELETE WHERE { ?s ?p ?o }").unwrap_err();
        assert!(error.to_string().contains("only insert"), "{error}");
    }
}
