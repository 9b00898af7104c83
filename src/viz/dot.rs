//! Graphviz DOT: nodes with their layout positions (for `neato -n`), camps as
//! clusters, agreement and contradiction told apart by colour and by end marker,
//! dependent pairs dashed, and a legend.

use super::{colour_of, layout, stroke_width, xml_escape, EdgeKind, LegendEntry, Marker, Picture};
use std::io::{Result, Write};

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn arrow(marker: Marker) -> &'static str {
    match marker {
        Marker::Dot => "dot",
        Marker::Bar => "tee",
        Marker::Arrow => "normal",
    }
}

pub fn write(picture: &Picture, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "digraph credgraph {{")?;
    writeln!(
        out,
        "  graph [label={}, labelloc=t, fontname=\"Helvetica\", fontsize=16, overlap=false, splines=true, forcelabels=true, bgcolor=\"white\"];",
        quoted(&picture.title)
    )?;
    writeln!(
        out,
        "  node [shape=circle, style=filled, fixedsize=true, fontname=\"Helvetica\", fontsize=10, color=\"#333333\", label=\"\"];"
    )?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];")?;
    let mut grouped = vec![false; picture.nodes.len()];
    for (g, group) in picture.groups.iter().enumerate() {
        writeln!(out, "  subgraph cluster_{g} {{")?;
        writeln!(
            out,
            "    label={}; style=\"rounded,filled\"; fillcolor=\"#F4F4F4\"; color=\"#BBBBBB\";",
            quoted(&group.label)
        )?;
        for &m in &group.members {
            grouped[m] = true;
            write_node(picture, m, out, "    ")?;
        }
        writeln!(out, "  }}")?;
    }
    for (i, _) in grouped.iter().enumerate().filter(|(_, &g)| !g) {
        write_node(picture, i, out, "  ")?;
    }
    for edge in &picture.edges {
        let marker = arrow(super::marker_of(edge.kind));
        let (direction, tail) = match edge.kind {
            EdgeKind::Reports => ("forward", "none"),
            _ => ("both", marker),
        };
        let mut style = Vec::new();
        if edge.dependent {
            style.push("dashed");
        }
        writeln!(
            out,
            "  n{} -> n{} [dir={direction}, arrowhead={marker}, arrowtail={tail}, color=\"{}\", penwidth={:.1}{}{}];",
            edge.source,
            edge.target,
            colour_of(edge.kind),
            stroke_width(edge),
            if style.is_empty() {
                String::new()
            } else {
                format!(", style=\"{}\"", style.join(","))
            },
            match edge.kind {
                EdgeKind::Reports => String::new(),
                kind => format!(
                    ", tooltip={}",
                    quoted(&format!(
                        "{} ({} statement pair{}){}",
                        kind.name(),
                        edge.weight,
                        if edge.weight == 1 { "" } else { "s" },
                        if edge.dependent { ", dependent" } else { "" }
                    ))
                ),
            }
        )?;
    }
    write_legend(picture, out)?;
    writeln!(out, "}}")
}

fn write_node(picture: &Picture, i: usize, out: &mut dyn Write, indent: &str) -> Result<()> {
    let node = &picture.nodes[i];
    let mut label = layout::short_label(&node.label);
    if !node.detail.is_empty() {
        label.push('\n');
        label.push_str(&layout::short_label(&node.detail));
    }
    let mut tooltip = node.label.clone();
    if let Some(c) = node.credibility {
        tooltip.push_str(&format!(" (credibility {c:.2}"));
        if let Some(g) = &node.grade {
            tooltip.push_str(&format!(", grade {g}"));
        }
        tooltip.push(')');
    }
    writeln!(
        out,
        "{indent}n{i} [xlabel={}, fillcolor=\"{}\", width={:.2}, pos=\"{:.0},{:.0}!\", tooltip={}, URL={}];",
        quoted(&label),
        node.colour,
        node.radius * 2.0 / 72.0,
        node.x,
        picture.height - node.y,
        quoted(&tooltip),
        quoted(&node.id)
    )
}

fn write_legend(picture: &Picture, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "  subgraph cluster_legend {{")?;
    writeln!(
        out,
        "    label=\"Legend\"; style=\"rounded\"; color=\"#BBBBBB\";"
    )?;
    let mut rows = String::new();
    for entry in picture.legend() {
        let (sample, text) = match entry {
            LegendEntry::Line {
                colour,
                dashed,
                marker,
                text,
            } => {
                let end = match marker {
                    Marker::Dot => "●",
                    Marker::Bar => "┤",
                    Marker::Arrow => "▶",
                };
                let line = if dashed { "╌╌╌" } else { "───" };
                (format!("<FONT COLOR=\"{colour}\">{line}{end}</FONT>"), text)
            }
            LegendEntry::Swatch { colour, text } => {
                (format!("<FONT COLOR=\"{colour}\">●</FONT>"), text)
            }
            LegendEntry::Note(text) => (String::new(), text),
        };
        rows.push_str(&format!(
            "<TR><TD ALIGN=\"LEFT\">{sample}</TD><TD ALIGN=\"LEFT\">{}</TD></TR>",
            xml_escape(&text)
        ));
    }
    writeln!(
        out,
        "    legend [shape=plaintext, style=\"\", fixedsize=false, label=<<TABLE BORDER=\"0\" CELLSPACING=\"2\">{rows}</TABLE>>];"
    )?;
    writeln!(out, "  }}")
}
