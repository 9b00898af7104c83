//! `import --wikidata Q…`: the entities asked for, and those they refer to as posts,
//! organizations and parties (to `follow` steps), fetched from a SPARQL endpoint by
//! the CONSTRUCT query of `ontology/wikidata/entity.rq`, read from Wikidata's RDF
//! into entities, and mapped as entity JSON is.

use super::mapping::{Mapping, Role};
use super::{Claim, Entity, Time, Value, WD};
use crate::error::{Error, Result};
use crate::store::remote::{EndpointConfig, Form, Remote};
use oxigraph::model::{Term, Triple};
use oxigraph::sparql::QueryResults;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// The query, with its VALUES blocks empty.
pub const QUERY: &str = include_str!("../../../ontology/wikidata/entity.rq");
/// Where `--wikidata` goes when no `--wikidata-endpoint` is given.
pub const PUBLIC_ENDPOINT: &str = "https://query.wikidata.org/sparql";

const PROP: &str = "http://www.wikidata.org/prop/";
const STATEMENT: &str = "http://www.wikidata.org/prop/statement/";
const QUALIFIER: &str = "http://www.wikidata.org/prop/qualifier/";
const QUALIFIER_VALUE: &str = "http://www.wikidata.org/prop/qualifier/value/";
const WIKIBASE: &str = "http://wikiba.se/ontology#";
/// Entities asked for in one request.
const BATCH: usize = 50;

/// The query for some entities.
pub fn query(ids: &[String], mapping: &Mapping) -> String {
    let items: Vec<String> = ids.iter().map(|id| format!("<{WD}{id}>")).collect();
    let properties: Vec<String> = mapping
        .properties()
        .iter()
        .map(|p| format!("(<{PROP}{p}> <{STATEMENT}{p}>)"))
        .collect();
    let qualifiers: Vec<String> = [Role::Start, Role::End, Role::PositionOf]
        .iter()
        .flat_map(|&part| mapping.items_of(part))
        .map(|p| format!("(<{QUALIFIER}{p}> <{QUALIFIER_VALUE}{p}>)"))
        .collect();
    QUERY
        .replacen(
            "VALUES ?item { }",
            &format!("VALUES ?item {{ {} }}", items.join(" ")),
            1,
        )
        .replacen(
            "VALUES (?p ?ps) { }",
            &format!("VALUES (?p ?ps) {{ {} }}", properties.join(" ")),
            1,
        )
        .replacen(
            "VALUES (?pq ?pqv) { }",
            &format!("VALUES (?pq ?pqv) {{ {} }}", qualifiers.join(" ")),
            1,
        )
}

/// Fetches the entities and what they refer to, `follow` steps out.
pub fn fetch(url: &str, ids: &[String], follow: usize, mapping: &Mapping) -> Result<Vec<Entity>> {
    let remote = Remote::new(EndpointConfig::new(url))?;
    let mut fetched: BTreeMap<String, Entity> = BTreeMap::new();
    let mut wanted: Vec<String> = ids.to_vec();
    for step in 0..=follow {
        wanted.retain(|id| !fetched.contains_key(id));
        wanted.sort();
        wanted.dedup();
        if wanted.is_empty() {
            break;
        }
        let mut found = Vec::new();
        for chunk in wanted.chunks(BATCH) {
            let QueryResults::Graph(triples) = remote.query(&query(chunk, mapping), Form::Graph)?
            else {
                return Err(Error::Endpoint(format!(
                    "{url} did not answer the CONSTRUCT query with a graph"
                )));
            };
            let triples = triples
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| Error::Endpoint(format!("{url}: {e}")))?;
            found.extend(entities(&triples));
        }
        if step == 0 {
            let missing: Vec<&String> = wanted
                .iter()
                .filter(|id| !found.iter().any(|e: &Entity| &e.id == *id))
                .collect();
            if !missing.is_empty() {
                return Err(Error::invalid(format!(
                    "{url} knows nothing of {}",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        wanted = found.iter().flat_map(|e| referred(e, mapping)).collect();
        for e in found {
            fetched.insert(e.id.clone(), e);
        }
    }
    Ok(fetched.into_values().collect())
}

/// The ids an entity refers to as posts, organizations or parties.
fn referred(e: &Entity, mapping: &Mapping) -> Vec<String> {
    let mut out = Vec::new();
    for claim in &e.claims {
        let part = mapping.part(&claim.property);
        if matches!(
            part,
            Some(
                Role::PositionHeld
                    | Role::Directs
                    | Role::PartOf
                    | Role::ParentOrganization
                    | Role::Subsidiary
                    | Role::Employer
                    | Role::Party
                    | Role::MemberOf
            )
        ) {
            if let Value::Item(id) = &claim.value {
                out.push(id.clone());
            }
        }
        for (q, v) in &claim.qualifiers {
            if let (Some(Role::PositionOf), Value::Item(id)) = (mapping.part(q), v) {
                out.push(id.clone());
            }
        }
    }
    out
}

/// What the RDF says of one statement node.
#[derive(Default)]
struct StatementNode {
    value: Option<Value>,
    deprecated: bool,
    qualifiers: Vec<(String, Value)>,
    /// Qualifiers' value nodes (`pqv:`), which give a time's precision.
    time_nodes: Vec<(String, String)>,
}

/// Wikidata's RDF of some entities, as entities.
pub fn entities(triples: &[Triple]) -> Vec<Entity> {
    let text = |term: &Term| match term {
        Term::NamedNode(n) => n.as_str().to_string(),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_string(),
    };
    let subject_text = |t: &Triple| text(&Term::from(t.subject.clone()));
    // Statement nodes: property, main value, rank, qualifiers; time nodes.
    let mut statements: FxHashMap<String, StatementNode> = FxHashMap::default();
    let mut times: FxHashMap<String, (Option<String>, Option<u8>)> = FxHashMap::default();
    let mut entities: BTreeMap<String, Entity> = BTreeMap::new();
    let mut claims_of: Vec<(String, String, String)> = Vec::new();
    let value_of = |term: &Term| match term {
        Term::NamedNode(n) => match n.as_str().strip_prefix(WD) {
            Some(id) => Value::Item(id.to_string()),
            None => Value::Other,
        },
        Term::Literal(l)
            if l.datatype().as_str().ends_with("#dateTime")
                || l.datatype().as_str().ends_with("#date") =>
        {
            Value::Time(Time {
                lexical: if l.value().starts_with(['+', '-']) {
                    l.value().to_string()
                } else {
                    format!("+{}", l.value())
                },
                precision: 11,
            })
        }
        _ => Value::Other,
    };
    for t in triples {
        let s = subject_text(t);
        let p = t.predicate.as_str();
        if let Some(id) = s.strip_prefix(WD).filter(|id| super::mapping::is_id(id)) {
            let entity = entities.entry(id.to_string()).or_insert_with(|| Entity {
                id: id.to_string(),
                ..Entity::default()
            });
            if let Term::Literal(l) = &t.object {
                let pair = (
                    l.language().unwrap_or("und").to_string(),
                    l.value().to_string(),
                );
                match p {
                    "http://www.w3.org/2000/01/rdf-schema#label" => entity.labels.push(pair),
                    "http://www.w3.org/2004/02/skos/core#altLabel" => entity.aliases.push(pair),
                    "http://schema.org/version" => entity.revision = l.value().parse().ok(),
                    "http://schema.org/dateModified" => {
                        entity.modified = Some(l.value().to_string())
                    }
                    _ => {}
                }
            } else if let Some(property) = p.strip_prefix(PROP) {
                if super::mapping::is_id(property) {
                    claims_of.push((id.to_string(), property.to_string(), text(&t.object)));
                }
            }
            continue;
        }
        if let Some(property) = p.strip_prefix(STATEMENT) {
            statements.entry(s).or_default().value = Some(value_of(&t.object));
            let _ = property;
        } else if p == format!("{WIKIBASE}rank") {
            statements.entry(s).or_default().deprecated =
                text(&t.object).ends_with("DeprecatedRank");
        } else if let Some(q) = p.strip_prefix(QUALIFIER_VALUE) {
            statements
                .entry(s)
                .or_default()
                .time_nodes
                .push((q.to_string(), text(&t.object)));
        } else if let Some(q) = p.strip_prefix(QUALIFIER) {
            statements
                .entry(s)
                .or_default()
                .qualifiers
                .push((q.to_string(), value_of(&t.object)));
        } else if p == format!("{WIKIBASE}timeValue") {
            times.entry(s).or_default().0 = Some(text(&t.object));
        } else if p == format!("{WIKIBASE}timePrecision") {
            times.entry(s).or_default().1 = text(&t.object).parse().ok();
        }
    }
    let mut seen = FxHashSet::default();
    for (id, property, node) in claims_of {
        if !seen.insert((id.clone(), property.clone(), node.clone())) {
            continue;
        }
        let Some(StatementNode {
            value: Some(value),
            deprecated,
            qualifiers,
            time_nodes: precise,
        }) = statements.get(&node)
        else {
            continue;
        };
        // A qualifier's time with the precision its value node gives.
        let qualifiers = qualifiers
            .iter()
            .map(|(q, v)| match v {
                Value::Time(t) => {
                    let precision = precise
                        .iter()
                        .filter(|(pq, _)| pq == q)
                        .filter_map(|(_, n)| times.get(n))
                        .find_map(|(_, p)| *p)
                        .unwrap_or(t.precision);
                    (
                        q.clone(),
                        Value::Time(Time {
                            lexical: t.lexical.clone(),
                            precision,
                        }),
                    )
                }
                other => (q.clone(), other.clone()),
            })
            .collect();
        if let Some(entity) = entities.get_mut(&id) {
            entity.claims.push(Claim {
                property,
                value: value.clone(),
                qualifiers,
                deprecated: *deprecated,
            });
        }
    }
    for entity in entities.values_mut() {
        entity.labels.sort();
        entity.labels.dedup();
        entity.aliases.sort();
        entity.aliases.dedup();
        entity.claims.sort_by(|a, b| a.property.cmp(&b.property));
    }
    entities.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_asks_for_the_entities_and_every_mapped_property() {
        let mapping = Mapping::default_table();
        let text = query(&["Q1".into(), "Q2".into()], &mapping);
        assert!(text.contains("VALUES ?item { <http://www.wikidata.org/entity/Q1> <http://www.wikidata.org/entity/Q2> }"), "{text}");
        assert!(text.contains(
            "(<http://www.wikidata.org/prop/P39> <http://www.wikidata.org/prop/statement/P39>)"
        ));
        assert!(text.contains("(<http://www.wikidata.org/prop/qualifier/P580> <http://www.wikidata.org/prop/qualifier/value/P580>)"));
        spargebra::SparqlParser::new().parse_query(&text).unwrap();
    }
}
