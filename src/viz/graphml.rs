//! GraphML with typed attributes (Gephi, networkx, yEd): for nodes the kind,
//! label, post or speaker, institution or question, credibility, grade, statement
//! count, camp and position; for edges the relation, the number of statement pairs
//! and whether the two sources depend on each other.

use super::{xml_escape, EdgeKind, Picture, View};
use std::io::{Result, Write};

const NODE_KEYS: [(&str, &str); 10] = [
    ("kind", "string"),
    ("label", "string"),
    ("detail", "string"),
    ("institution", "string"),
    ("credibility", "double"),
    ("grade", "string"),
    ("statements", "int"),
    ("camp", "string"),
    ("x", "double"),
    ("y", "double"),
];
const EDGE_KEYS: [(&str, &str); 3] = [
    ("relation", "string"),
    ("weight", "int"),
    ("dependent", "boolean"),
];

fn data(key: &str, value: &str) -> String {
    format!("<data key=\"{key}\">{}</data>", xml_escape(value))
}

pub fn write(picture: &Picture, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">"
    )?;
    for (name, kind) in NODE_KEYS {
        writeln!(
            out,
            "<key id=\"{name}\" for=\"node\" attr.name=\"{name}\" attr.type=\"{kind}\"/>"
        )?;
    }
    for (name, kind) in EDGE_KEYS {
        writeln!(
            out,
            "<key id=\"{name}\" for=\"edge\" attr.name=\"{name}\" attr.type=\"{kind}\"/>"
        )?;
    }
    // The reporting chain has a direction; agreement does not.
    let directed = picture.view == View::Statements;
    writeln!(
        out,
        "<graph id=\"credgraph\" edgedefault=\"{}\">",
        if directed { "directed" } else { "undirected" }
    )?;
    writeln!(out, "<desc>{}</desc>", xml_escape(&picture.title))?;
    for (i, node) in picture.nodes.iter().enumerate() {
        let mut fields = vec![
            data("kind", node.kind.name()),
            data("label", &node.label),
            data("detail", &node.detail),
        ];
        if let Some(institution) = &node.institution {
            fields.push(data("institution", institution));
        }
        if let Some(c) = node.credibility {
            fields.push(data("credibility", &format!("{c}")));
        }
        if let Some(g) = &node.grade {
            fields.push(data("grade", g));
        }
        fields.push(data("statements", &node.statements.to_string()));
        if let Some(g) = node.group {
            fields.push(data("camp", &picture.groups[g].label));
        }
        fields.push(data("x", &format!("{}", node.x)));
        fields.push(data("y", &format!("{}", node.y)));
        writeln!(out, "<node id=\"n{i}\">{}</node>", fields.concat())?;
    }
    for (i, edge) in picture.edges.iter().enumerate() {
        writeln!(
            out,
            "<edge id=\"e{i}\" source=\"n{}\" target=\"n{}\">{}{}{}</edge>",
            edge.source,
            edge.target,
            data("relation", edge.kind.name()),
            data("weight", &edge.weight.to_string()),
            data(
                "dependent",
                if edge.dependent && edge.kind != EdgeKind::Reports {
                    "true"
                } else {
                    "false"
                }
            ),
        )?;
    }
    writeln!(out, "</graph>\n</graphml>")
}
