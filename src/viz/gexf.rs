//! GEXF 1.3 for Gephi (and networkx): typed attributes as in GraphML, plus the
//! visualization module's colours, positions, sizes, thickness and dashes.

use super::{colour_of, stroke_width, xml_escape, EdgeKind, Picture, View};
use std::io::{Result, Write};

const NODE_ATTRIBUTES: [(&str, &str); 7] = [
    ("kind", "string"),
    ("detail", "string"),
    ("institution", "string"),
    ("credibility", "double"),
    ("grade", "string"),
    ("statements", "integer"),
    ("camp", "string"),
];
const EDGE_ATTRIBUTES: [(&str, &str); 2] = [("relation", "string"), ("dependent", "boolean")];

/// "#RRGGBB" as r, g and b.
fn rgb(colour: &str) -> (u8, u8, u8) {
    let hex = colour.trim_start_matches('#');
    let part = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    (part(0), part(2), part(4))
}

fn value(index: usize, value: &str) -> String {
    format!(
        "<attvalue for=\"{index}\" value=\"{}\"/>",
        xml_escape(value)
    )
}

pub fn write(picture: &Picture, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">"
    )?;
    writeln!(
        out,
        "<meta><creator>credgraph</creator><description>{}</description></meta>",
        xml_escape(&picture.title)
    )?;
    let directed = picture.view == View::Statements;
    writeln!(
        out,
        "<graph defaultedgetype=\"{}\" mode=\"static\">",
        if directed { "directed" } else { "undirected" }
    )?;
    writeln!(out, "<attributes class=\"node\">")?;
    for (i, (name, kind)) in NODE_ATTRIBUTES.iter().enumerate() {
        writeln!(
            out,
            "<attribute id=\"{i}\" title=\"{name}\" type=\"{kind}\"/>"
        )?;
    }
    writeln!(out, "</attributes>\n<attributes class=\"edge\">")?;
    for (i, (name, kind)) in EDGE_ATTRIBUTES.iter().enumerate() {
        writeln!(
            out,
            "<attribute id=\"{i}\" title=\"{name}\" type=\"{kind}\"/>"
        )?;
    }
    writeln!(out, "</attributes>\n<nodes>")?;
    for (i, node) in picture.nodes.iter().enumerate() {
        let mut values = vec![value(0, node.kind.name()), value(1, &node.detail)];
        if let Some(institution) = &node.institution {
            values.push(value(2, institution));
        }
        if let Some(c) = node.credibility {
            values.push(value(3, &format!("{c}")));
        }
        if let Some(g) = &node.grade {
            values.push(value(4, g));
        }
        values.push(value(5, &node.statements.to_string()));
        if let Some(g) = node.group {
            values.push(value(6, &picture.groups[g].label));
        }
        let (r, g, b) = rgb(node.colour);
        writeln!(
            out,
            "<node id=\"n{i}\" label=\"{}\"><attvalues>{}</attvalues><viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/><viz:position x=\"{}\" y=\"{}\" z=\"0\"/><viz:size value=\"{}\"/></node>",
            xml_escape(&node.label),
            values.concat(),
            node.x,
            -node.y,
            node.radius
        )?;
    }
    writeln!(out, "</nodes>\n<edges>")?;
    for (i, edge) in picture.edges.iter().enumerate() {
        let (r, g, b) = rgb(colour_of(edge.kind));
        writeln!(
            out,
            "<edge id=\"e{i}\" source=\"n{}\" target=\"n{}\" weight=\"{}\" label=\"{}\"><attvalues>{}{}</attvalues><viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/><viz:thickness value=\"{:.1}\"/><viz:shape value=\"{}\"/></edge>",
            edge.source,
            edge.target,
            edge.weight,
            edge.kind.name(),
            value(0, edge.kind.name()),
            value(
                1,
                if edge.dependent && edge.kind != EdgeKind::Reports {
                    "true"
                } else {
                    "false"
                }
            ),
            stroke_width(edge),
            if edge.dependent { "dashed" } else { "solid" }
        )?;
    }
    writeln!(out, "</edges>\n</graph>\n</gexf>")
}
