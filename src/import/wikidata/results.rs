//! WDQS results (SPARQL 1.1 JSON results) of who held a post: each row a holder
//! (`item`, or `person` / `holder`), from `start_date` (or `start`) to `end_date`
//! (or `end`), with their precisions where given (`start_precision`,
//! `end_precision`), and a `party`. The post is the row's `position` (or `post`),
//! else the file's name when it is a Wikidata id (`Q14211.json`, as such results
//! are commonly saved). A row's holder label comes from `itemLabel` where the query
//! asked for it. Rows of results that list posts rather than holders (an `item` with
//! `isPosition` true) make posts.
//!
//! The rows become entities holding the post, in the file's graph, and then go
//! through the same mapping as entity JSON.

use super::mapping::{Mapping, Role};
use super::{Claim, Entity, Time, Value, WD};
use crate::error::{Error, Result};
use oxigraph::model::NamedNode;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Whether the start of a file looks like SPARQL JSON results.
pub fn sniff(head: &str) -> bool {
    head.contains("\"head\"") && head.contains("\"vars\"")
}

/// The entities the rows of a results file stand for, in `graph`.
pub fn read(path: &Path, mapping: &Mapping, graph: &NamedNode) -> Result<Vec<Entity>> {
    let mut text = String::new();
    crate::files::open_input(path)?
        .read_to_string(&mut text)
        .map_err(|e| Error::file(path, e))?;
    let json: Json = serde_json::from_str(&text).map_err(|e| Error::Syntax {
        path: path.to_path_buf(),
        position: Some(crate::error::Position {
            line: e.line() as u64,
            column: e.column() as u64,
        }),
        message: crate::error::parser_message(&e.to_string()).into(),
    })?;
    let bad = |message: String| Error::invalid(format!("{}: {message}", path.display()));
    let bindings = json
        .pointer("/results/bindings")
        .and_then(Json::as_array)
        .ok_or_else(|| bad("no results.bindings: not SPARQL JSON results".into()))?;
    let property = |part: Role| {
        mapping.property_of(part).ok_or_else(|| {
            bad(format!(
                "the mapping gives no property for {part:?}, which results rows need"
            ))
        })
    };
    let file_post = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| n.trim_end_matches(".gz"))
        .and_then(|n| n.split('.').next())
        .filter(|n| super::mapping::is_id(n) && n.starts_with('Q'))
        .map(str::to_string);
    let mut holders: BTreeMap<String, Entity> = BTreeMap::new();
    for (i, row) in bindings.iter().enumerate() {
        let item = |names: &[&str]| {
            names.iter().find_map(|n| {
                row.pointer(&format!("/{n}/value"))
                    .and_then(Json::as_str)
                    .and_then(|v| v.strip_prefix(WD))
                    .map(str::to_string)
            })
        };
        let text = |name: &str| {
            row.pointer(&format!("/{name}/value"))
                .and_then(Json::as_str)
                .map(str::to_string)
        };
        let Some(holder) = item(&["item", "person", "holder"]) else {
            return Err(bad(format!(
                "row {} has no holder (item, person or holder) with a Wikidata IRI",
                i + 1
            )));
        };
        let entity = holders.entry(holder.clone()).or_insert_with(|| Entity {
            id: holder.clone(),
            graph: Some(graph.clone()),
            ..Entity::default()
        });
        if let Some(label) = row.get("itemLabel") {
            if let (Some(value), Some(language)) = (
                label.get("value").and_then(Json::as_str),
                label.get("xml:lang").and_then(Json::as_str),
            ) {
                let pair = (language.to_string(), value.to_string());
                if !entity.labels.contains(&pair) {
                    entity.labels.push(pair);
                }
            }
        }
        if text("isPosition").as_deref() == Some("true") {
            let class = mapping
                .items_of(Role::PositionClass)
                .first()
                .map(|c| c.to_string())
                .ok_or_else(|| bad("the mapping names no position class".into()))?;
            entity.claims.push(Claim {
                property: property(Role::InstanceOf)?,
                value: Value::Item(class),
                qualifiers: Vec::new(),
                deprecated: false,
            });
            continue;
        }
        let Some(post) = item(&["position", "post"]).or_else(|| file_post.clone()) else {
            return Err(bad(
                "the rows name no post (a `position` column), and the file's name is not its Wikidata id (Q….json)".into(),
            ));
        };
        let time = |value: &str, precision: &str| {
            text(value).map(|t| Time {
                lexical: if t.starts_with(['+', '-']) {
                    t
                } else {
                    format!("+{t}")
                },
                precision: text(precision).and_then(|p| p.parse().ok()).unwrap_or(11),
            })
        };
        let mut qualifiers = Vec::new();
        if let Some(t) =
            time("start_date", "start_precision").or_else(|| time("start", "start_precision"))
        {
            qualifiers.push((property(Role::Start)?, Value::Time(t)));
        }
        if let Some(t) = time("end_date", "end_precision").or_else(|| time("end", "end_precision"))
        {
            qualifiers.push((property(Role::End)?, Value::Time(t)));
        }
        entity.claims.push(Claim {
            property: property(Role::PositionHeld)?,
            value: Value::Item(post),
            qualifiers,
            deprecated: false,
        });
        if let Some(party) = item(&["party"]) {
            let claim = Claim {
                property: property(Role::Party)?,
                value: Value::Item(party),
                qualifiers: Vec::new(),
                deprecated: false,
            };
            if !entity.claims.contains(&claim) {
                entity.claims.push(claim);
            }
        }
    }
    Ok(holders.into_values().collect())
}
