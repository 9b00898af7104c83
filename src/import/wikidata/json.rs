//! Wikidata's entity JSON: one entity (as `Special:EntityData` and `wbgetentities`
//! give it, bare or inside `{"entities": {…}}`), or the dumps' form, one entity a
//! line inside `[` and `]` with a comma after each (the lines of a file may also
//! stand alone, one entity each). Both the current form of values and the older
//! one (`numeric-id` without `id`) are read.

use super::{Claim, Entity, Time, Value};
use crate::error::{Error, Position, Result};
use serde_json::Value as Json;
use std::io::Read;
use std::path::Path;

/// Whether the start of a file looks like entity JSON.
pub fn sniff(head: &str) -> bool {
    head.contains("\"claims\"")
        && (head.contains("\"labels\"") || head.contains("\"entities\""))
        && head.contains("\"id\"")
}

/// The entities of a file (gzipped or not); an error names the line.
pub fn read(path: &Path) -> Result<Vec<Entity>> {
    let mut text = String::new();
    crate::files::open_input(path)?
        .read_to_string(&mut text)
        .map_err(|e| Error::file(path, e))?;
    parse(&text, path)
}

pub fn parse(text: &str, path: &Path) -> Result<Vec<Entity>> {
    let syntax = |line: usize, column: usize, message: String| Error::Syntax {
        path: path.to_path_buf(),
        position: Some(Position {
            line: line as u64,
            column: column as u64,
        }),
        message,
    };
    // One JSON value for the whole file first; else one a line (the dumps).
    if let Ok(whole) = serde_json::from_str::<Json>(text) {
        let mut out = Vec::new();
        collect(&whole, &mut out, &|message| syntax(1, 1, message))?;
        return Ok(out);
    }
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim().trim_end_matches(',')))
        .filter(|(_, line)| !line.is_empty() && *line != "[" && *line != "]")
        .collect();
    let parsed: Vec<Result<Vec<Entity>>> = {
        use rayon::prelude::*;
        lines
            .par_iter()
            .map(|&(number, line)| {
                let json: Json = serde_json::from_str(line).map_err(|e| {
                    syntax(
                        number,
                        e.column(),
                        crate::error::parser_message(&e.to_string()).into(),
                    )
                })?;
                let mut out = Vec::new();
                collect(&json, &mut out, &|message| syntax(number, 1, message))?;
                Ok(out)
            })
            .collect()
    };
    let mut out = Vec::new();
    for entities in parsed {
        out.extend(entities?);
    }
    Ok(out)
}

/// The entities of one JSON value: an entity, `{"entities": {id: entity}}`, or a list.
fn collect(json: &Json, out: &mut Vec<Entity>, error: &dyn Fn(String) -> Error) -> Result<()> {
    match json {
        Json::Array(items) => {
            for item in items {
                collect(item, out, error)?;
            }
        }
        Json::Object(map) if map.contains_key("entities") => {
            let Some(entities) = map["entities"].as_object() else {
                return Err(error(
                    "\"entities\" is not an object of entities by id".into(),
                ));
            };
            for entity in entities.values() {
                collect(entity, out, error)?;
            }
        }
        Json::Object(_) => {
            if let Some(entity) = entity(json, error)? {
                out.push(entity);
            }
        }
        _ => {
            return Err(error(
                "expected a Wikidata entity (an object with \"id\" and \"claims\")".into(),
            ))
        }
    }
    Ok(())
}

/// One entity; `None` for one that is missing (`"missing": ""`) or is not an item.
fn entity(json: &Json, error: &dyn Fn(String) -> Error) -> Result<Option<Entity>> {
    if json.get("missing").is_some() {
        return Ok(None);
    }
    let Some(id) = json.get("id").and_then(Json::as_str) else {
        return Err(error("an entity without \"id\"".into()));
    };
    if !super::mapping::is_id(id) {
        return Err(error(format!("{id:?} is not a Wikidata id (Q… or P…)")));
    }
    let mut entity = Entity {
        id: id.to_string(),
        revision: json.get("lastrevid").and_then(Json::as_u64),
        modified: json
            .get("modified")
            .and_then(Json::as_str)
            .map(str::to_string),
        ..Entity::default()
    };
    if let Some(labels) = json.get("labels").and_then(Json::as_object) {
        for label in labels.values() {
            if let Some(pair) = term(label) {
                entity.labels.push(pair);
            }
        }
    }
    if let Some(aliases) = json.get("aliases").and_then(Json::as_object) {
        for list in aliases.values() {
            for alias in list.as_array().into_iter().flatten() {
                if let Some(pair) = term(alias) {
                    entity.aliases.push(pair);
                }
            }
        }
    }
    // "claims" in the API and dumps; "statements" in the REST form.
    let claims = json.get("claims").or_else(|| json.get("statements"));
    for (property, statements) in claims.and_then(Json::as_object).into_iter().flatten() {
        for statement in statements.as_array().into_iter().flatten() {
            let deprecated = statement.get("rank").and_then(Json::as_str) == Some("deprecated");
            let Some(value) = statement.get("mainsnak").and_then(snak) else {
                continue;
            };
            let mut qualifiers = Vec::new();
            if let Some(map) = statement.get("qualifiers").and_then(Json::as_object) {
                for (qualifier, snaks) in map {
                    for s in snaks.as_array().into_iter().flatten() {
                        if let Some(v) = snak(s) {
                            qualifiers.push((qualifier.clone(), v));
                        }
                    }
                }
            }
            entity.claims.push(Claim {
                property: property.clone(),
                value,
                qualifiers,
                deprecated,
            });
        }
    }
    Ok(Some(entity))
}

/// `{"language": "en", "value": "…"}`.
fn term(json: &Json) -> Option<(String, String)> {
    let language = json.get("language")?.as_str()?;
    let value = json.get("value")?.as_str()?;
    (!value.trim().is_empty()).then(|| (language.to_string(), value.to_string()))
}

/// The value of a snak with one: an item, a time, or something else.
fn snak(json: &Json) -> Option<Value> {
    if json.get("snaktype").and_then(Json::as_str) != Some("value") {
        return None;
    }
    let value = json.get("datavalue")?.get("value")?;
    if let Some(id) = value.get("id").and_then(Json::as_str) {
        return Some(Value::Item(id.to_string()));
    }
    if let Some(number) = value.get("numeric-id").and_then(Json::as_u64) {
        let prefix = match value.get("entity-type").and_then(Json::as_str) {
            Some("property") => 'P',
            _ => 'Q',
        };
        return Some(Value::Item(format!("{prefix}{number}")));
    }
    if let Some(time) = value.get("time").and_then(Json::as_str) {
        let precision = value.get("precision").and_then(Json::as_u64).unwrap_or(11);
        return Some(Value::Time(Time {
            lexical: time.to_string(),
            precision: precision.min(14) as u8,
        }));
    }
    Some(Value::Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTITY: &str = r#"{"type":"item","id":"Q1","lastrevid":7,"modified":"2020-01-02T03:04:05Z",
      "labels":{"en":{"language":"en","value":"Ann Example"},"et":{"language":"et","value":"Ann Näide"}},
      "aliases":{"en":[{"language":"en","value":"A. Example"}]},
      "claims":{"P39":[{"mainsnak":{"snaktype":"value","property":"P39","datavalue":{"value":{"entity-type":"item","numeric-id":2},"type":"wikibase-entityid"}},
        "qualifiers":{"P580":[{"snaktype":"value","property":"P580","datavalue":{"value":{"time":"+2015-03-30T00:00:00Z","precision":11},"type":"time"}}]},
        "type":"statement","rank":"normal"},
        {"mainsnak":{"snaktype":"somevalue","property":"P39"},"type":"statement","rank":"normal"},
        {"mainsnak":{"snaktype":"value","property":"P39","datavalue":{"value":{"id":"Q3"},"type":"wikibase-entityid"}},"type":"statement","rank":"deprecated"}]}}"#;

    #[test]
    fn entity_data_dump_lines_and_the_older_form_read_alike() {
        let path = Path::new("e.json");
        let one = parse(ENTITY, path).unwrap();
        let wrapped = parse(&format!("{{\"entities\":{{\"Q1\":{ENTITY}}}}}"), path).unwrap();
        let flat = ENTITY.replace('\n', " ");
        let dump = parse(&format!("[\n{flat},\n{flat}\n]\n"), path).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(wrapped, one);
        assert_eq!(dump.len(), 2);
        assert_eq!(dump[0], one[0]);
        let e = &one[0];
        assert_eq!(e.revision, Some(7));
        assert_eq!(e.labels.len(), 2);
        assert_eq!(
            e.aliases,
            vec![("en".to_string(), "A. Example".to_string())]
        );
        // The unknown value is left out; the deprecated one is kept, marked.
        assert_eq!(e.claims.len(), 2);
        assert_eq!(e.claims[0].value, Value::Item("Q2".into()));
        assert!(e.claims[1].deprecated);
        assert_eq!(e.claims[0].qualifiers[0].0, "P580");
    }

    #[test]
    fn a_bad_line_of_a_dump_is_named() {
        let flat = ENTITY.replace('\n', " ");
        let err = parse(&format!("{flat}\n{{\"id\": \n"), Path::new("d.jsonl"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("d.jsonl:2:"), "{err}");
        let err = parse("{\"labels\": {}}", Path::new("d.json"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("without \"id\""), "{err}");
    }
}
