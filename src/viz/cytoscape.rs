//! Cytoscape.js elements JSON: `{"elements": {"nodes": [...], "edges": [...]}}`,
//! each with its data and the node positions of the layout; camps and questions
//! as compound parent nodes.

use super::Picture;
use crate::error::{Error, Result};
use serde_json::{json, Value};

/// The elements as JSON; also the data the HTML page draws.
pub fn elements(picture: &Picture) -> Value {
    let mut nodes: Vec<Value> = picture
        .groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            json!({
                "data": { "id": format!("g{g}"), "label": group.label, "kind": "group" },
                "classes": "group",
            })
        })
        .collect();
    for (i, node) in picture.nodes.iter().enumerate() {
        let mut data = json!({
            "id": format!("n{i}"),
            "iri": node.id,
            "label": node.label,
            "detail": node.detail,
            "kind": node.kind.name(),
            "institution": node.institution,
            "credibility": node.credibility,
            "grade": node.grade,
            "statements": node.statements,
            "colour": node.colour,
            "radius": node.radius,
            "lines": node.lines,
        });
        if let Some(g) = node.group {
            data["parent"] = json!(format!("g{g}"));
            data["group"] = json!(g);
        }
        nodes.push(json!({
            "data": data,
            "position": { "x": node.x, "y": node.y },
            "classes": node.kind.name(),
        }));
    }
    let edges: Vec<Value> = picture
        .edges
        .iter()
        .enumerate()
        .map(|(i, edge)| {
            json!({
                "data": {
                    "id": format!("e{i}"),
                    "source": format!("n{}", edge.source),
                    "target": format!("n{}", edge.target),
                    "relation": edge.kind.name(),
                    "weight": edge.weight,
                    "dependent": edge.dependent,
                },
                "classes": edge.kind.name(),
            })
        })
        .collect();
    json!({ "elements": { "nodes": nodes, "edges": edges } })
}

pub fn write(picture: &Picture, out: &mut dyn std::io::Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, &elements(picture))
        .map_err(|e| Error::Internal(format!("writing the picture: {e}")))?;
    writeln!(out).map_err(|e| Error::Internal(format!("writing the picture: {e}")))
}
