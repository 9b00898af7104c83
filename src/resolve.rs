//! Finding the entity a user means: by IRI, by prefixed name, or by name
//! (a label or alternative label), with suggestions when nothing matches.

use crate::error::{Error, Result};
use crate::internal_queries::ENTITY_NAMES;
use crate::store::CaseStore;
use crate::vocab;
use oxigraph::model::{NamedNode, NamedNodeRef, Term};
use oxigraph::sparql::QueryResults;

/// What kind of entity a name is looked up among.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    Source,
    Question,
    Proposition,
    Statement,
}

impl EntityKind {
    pub fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "source" => EntityKind::Source,
            "question" => EntityKind::Question,
            "proposition" => EntityKind::Proposition,
            "statement" => EntityKind::Statement,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Source => "source",
            EntityKind::Question => "question",
            EntityKind::Proposition => "proposition",
            EntityKind::Statement => "statement",
        }
    }

    fn class(self) -> NamedNodeRef<'static> {
        match self {
            EntityKind::Source => vocab::cg::SOURCE,
            EntityKind::Question => vocab::cg::QUESTION,
            EntityKind::Proposition => vocab::cg::PROPOSITION,
            EntityKind::Statement => vocab::cg::STATEMENT,
        }
    }
}

/// An IRI as given, or expanded from one of our prefixes (`person:kyrylo-budanov`).
pub fn expand_iri(value: &str) -> String {
    let value = value.trim();
    if let Some(inner) = value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        return inner.to_string();
    }
    vocab::expand(value).unwrap_or_else(|| value.to_string())
}

pub fn looks_like_iri(value: &str) -> bool {
    let value = value.trim();
    (value.starts_with('<') && value.ends_with('>'))
        || value.contains("://")
        || value.starts_with("urn:")
        || vocab::expand(value).is_some()
}

/// The entity of `kind` that `value` names: an IRI of one, or a name that matches
/// exactly one (whole name first, then every word of it), ignoring case.
pub fn entity(store: &CaseStore, kind: EntityKind, value: &str) -> Result<NamedNode> {
    let candidates = names(store, kind)?;
    if looks_like_iri(value) {
        let iri = expand_iri(value);
        if candidates.iter().any(|(entity, _)| entity.as_str() == iri) {
            return NamedNode::new(iri.clone())
                .map_err(|e| Error::invalid(format!("'{value}' is not a valid IRI: {e}")));
        }
        return Err(Error::invalid(format!(
            "no {} with the IRI <{iri}> in the store",
            kind.name()
        )));
    }
    let wanted = normalize(value);
    if wanted.is_empty() {
        return Err(Error::invalid(format!("an empty {} name", kind.name())));
    }
    let exact = distinct_entities(
        candidates
            .iter()
            .filter(|(_, name)| normalize(name) == wanted),
    );
    let matches = if exact.is_empty() {
        let words: Vec<&str> = wanted.split(' ').collect();
        distinct_entities(candidates.iter().filter(|(_, name)| {
            let name = normalize(name);
            let name_words: Vec<&str> = name.split(' ').collect();
            words.iter().all(|w| name_words.contains(w))
        }))
    } else {
        exact
    };
    match matches.len() {
        1 => Ok(matches.into_iter().next().expect("one match")),
        0 => {
            let near = near_names(value, candidates.iter().map(|(_, name)| name.as_str()));
            let hint = if near.is_empty() {
                format!(
                    "`credgraph query --name sources` lists the {}s",
                    kind.name()
                )
            } else {
                format!(
                    "did you mean {}?",
                    near.iter()
                        .map(|n| format!("'{n}'"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )
            };
            Err(Error::invalid(format!(
                "no {} named '{value}'; {hint}",
                kind.name()
            )))
        }
        _ => {
            // A name that matches thousands is answered with a few of them.
            const LISTED: usize = 10;
            let mut listed: Vec<String> = matches
                .iter()
                .take(LISTED)
                .map(|entity| {
                    let name = candidates
                        .iter()
                        .find(|(e, _)| e == entity)
                        .map(|(_, n)| n.as_str())
                        .unwrap_or_default();
                    format!("{name} <{}>", entity.as_str())
                })
                .collect();
            if matches.len() > LISTED {
                listed.push(format!("and {} more", matches.len() - LISTED));
            }
            Err(Error::invalid(format!(
                "'{value}' names {} {}s; give one of: {}",
                matches.len(),
                kind.name(),
                listed.join(", ")
            )))
        }
    }
}

fn distinct_entities<'a>(found: impl Iterator<Item = &'a (NamedNode, String)>) -> Vec<NamedNode> {
    let mut entities: Vec<NamedNode> = found.map(|(entity, _)| entity.clone()).collect();
    entities.sort();
    entities.dedup();
    entities
}

/// Lower case, words separated by single spaces, punctuation dropped.
fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every entity of `kind` with each of its names (labels and alternative labels).
fn names(store: &CaseStore, kind: EntityKind) -> Result<Vec<(NamedNode, String)>> {
    let query = ENTITY_NAMES.bind(&[("class", &[kind.class().into()])])?;
    let QueryResults::Solutions(solutions) = store.query(&query)? else {
        return Err(Error::Internal("a SELECT gave no solutions".into()));
    };
    let mut found = Vec::new();
    for solution in solutions {
        let solution = solution?;
        if let (Some(Term::NamedNode(entity)), Some(Term::Literal(name))) =
            (solution.get("entity"), solution.get("name"))
        {
            found.push((entity.clone(), name.value().to_string()));
        }
    }
    Ok(found)
}

/// Up to three of `names` close to `wanted`, closest first.
pub fn near_names<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let wanted = normalize(wanted);
    let mut scored: Vec<(f64, String)> = names
        .map(|name| {
            (
                strsim::jaro_winkler(&wanted, &normalize(name)),
                name.to_string(),
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_without_case_or_punctuation() {
        assert_eq!(
            normalize("  Operational Command \"South\" "),
            "operational command south"
        );
    }

    #[test]
    fn near_names_suggest_close_spellings() {
        let names = ["Kyrylo Budanov", "Jens Stoltenberg", "Serhiy Nayev"];
        assert_eq!(
            near_names("Kiril Budanov", names.into_iter()),
            vec!["Kyrylo Budanov"]
        );
        assert!(near_names("Zelensky", names.into_iter()).is_empty());
    }

    #[test]
    fn prefixed_names_expand() {
        assert_eq!(
            expand_iri("person:kyrylo-budanov"),
            "https://w3id.org/credgraph/id/person/kyrylo-budanov"
        );
        assert_eq!(expand_iri("<http://e/x>"), "http://e/x");
    }
}
