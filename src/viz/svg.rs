//! SVG drawn by credgraph itself from the layout: camps as shaded circles, edges
//! with end markers (a dot for agreement, a bar for contradiction, an arrow for the
//! reporting chain), dependent pairs dashed, nodes with name and post, and a
//! legend on the right. Every node is one `<circle class="node">`.

use super::{
    colour_of, layout, marker_of, stroke_width, xml_escape, EdgeKind, LegendEntry, Marker, Picture,
};
use std::io::{Result, Write};

pub const LEGEND_WIDTH: f64 = 280.0;

fn marker_id(marker: Marker, colour: &str) -> String {
    let name = match marker {
        Marker::Dot => "dot",
        Marker::Bar => "bar",
        Marker::Arrow => "arrow",
    };
    format!("{name}-{}", colour.trim_start_matches('#'))
}

/// The `<defs>` of one marker in one colour.
fn marker_def(marker: Marker, colour: &str) -> String {
    let id = marker_id(marker, colour);
    let shape = match marker {
        Marker::Dot => format!("<circle cx=\"5\" cy=\"5\" r=\"3\" fill=\"{colour}\"/>"),
        Marker::Bar => {
            format!("<rect x=\"4\" y=\"0\" width=\"2.5\" height=\"10\" fill=\"{colour}\"/>")
        }
        Marker::Arrow => format!("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/>"),
    };
    format!(
        "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"5\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">{shape}</marker>"
    )
}

pub fn write(picture: &Picture, out: &mut dyn Write) -> Result<()> {
    let width = picture.width + LEGEND_WIDTH;
    let legend = picture.legend();
    let height = picture.height.max(80.0 + 22.0 * legend.len() as f64);
    writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"Helvetica, Arial, sans-serif\">"
    )?;
    writeln!(out, "<title>{}</title>", xml_escape(&picture.title))?;
    writeln!(out, "<defs>")?;
    for (marker, colour) in [
        (Marker::Dot, super::AGREE_COLOUR),
        (Marker::Bar, super::CONTRADICT_COLOUR),
        (Marker::Arrow, super::REPORT_COLOUR),
    ] {
        writeln!(out, "{}", marker_def(marker, colour))?;
    }
    writeln!(out, "</defs>")?;
    writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"16\" y=\"26\" font-size=\"18\" fill=\"#222\">{}</text>",
        xml_escape(&picture.title)
    )?;

    writeln!(out, "<g class=\"groups\">")?;
    for group in &picture.groups {
        let Some((cx, cy, r)) = layout::group_circle(picture, group) else {
            continue;
        };
        writeln!(
            out,
            "<g class=\"group\"><circle cx=\"{cx:.0}\" cy=\"{cy:.0}\" r=\"{r:.0}\" fill=\"#000000\" fill-opacity=\"0.04\" stroke=\"#BBBBBB\" stroke-dasharray=\"2 3\"/><text x=\"{cx:.0}\" y=\"{:.0}\" font-size=\"11\" fill=\"#777\" text-anchor=\"middle\">{}</text></g>",
            cy - r + 12.0,
            xml_escape(&layout::short_label(&group.label))
        )?;
    }
    writeln!(out, "</g>")?;

    writeln!(out, "<g class=\"edges\">")?;
    for edge in &picture.edges {
        let (a, b) = (&picture.nodes[edge.source], &picture.nodes[edge.target]);
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let d = (dx * dx + dy * dy).sqrt().max(1e-6);
        // From border to border, so the end markers show.
        let (x1, y1) = (
            a.x + dx / d * (a.radius + 4.0),
            a.y + dy / d * (a.radius + 4.0),
        );
        let (x2, y2) = (
            b.x - dx / d * (b.radius + 4.0),
            b.y - dy / d * (b.radius + 4.0),
        );
        let colour = colour_of(edge.kind);
        let marker = marker_id(marker_of(edge.kind), colour);
        let start = if edge.kind == EdgeKind::Reports {
            String::new()
        } else {
            format!(" marker-start=\"url(#{marker})\"")
        };
        let dash = if edge.dependent {
            " stroke-dasharray=\"7 5\""
        } else {
            ""
        };
        writeln!(
            out,
            "<line class=\"edge {}\" x1=\"{x1:.0}\" y1=\"{y1:.0}\" x2=\"{x2:.0}\" y2=\"{y2:.0}\" stroke=\"{colour}\" stroke-width=\"{:.1}\" stroke-opacity=\"0.8\"{dash}{start} marker-end=\"url(#{marker})\"><title>{}</title></line>",
            edge.kind.name(),
            stroke_width(edge),
            xml_escape(&format!(
                "{} {} {}{}",
                a.label,
                edge.kind.name(),
                b.label,
                if edge.kind == EdgeKind::Reports {
                    String::new()
                } else {
                    format!(
                        " ({} statement pair{}{})",
                        edge.weight,
                        if edge.weight == 1 { "" } else { "s" },
                        if edge.dependent { ", dependent" } else { "" }
                    )
                }
            ))
        )?;
    }
    writeln!(out, "</g>")?;

    let shown = layout::labelled(picture);
    writeln!(out, "<g class=\"nodes\">")?;
    for (i, node) in picture.nodes.iter().enumerate() {
        let mut tooltip = node.label.clone();
        if !node.detail.is_empty() {
            tooltip.push_str(&format!(" — {}", node.detail));
        }
        if let Some(c) = node.credibility {
            tooltip.push_str(&format!("\ncredibility {c:.2}"));
        }
        if let Some(g) = &node.grade {
            tooltip.push_str(&format!(", grade {g}"));
        }
        for line in &node.lines {
            tooltip.push_str(&format!("\n• {line}"));
        }
        writeln!(
            out,
            "<g><circle class=\"node\" id=\"n{i}\" cx=\"{:.0}\" cy=\"{:.0}\" r=\"{:.1}\" fill=\"{}\" stroke=\"#333\" stroke-width=\"1\"><title>{}</title></circle>",
            node.x,
            node.y,
            node.radius,
            node.colour,
            xml_escape(&tooltip)
        )?;
        if shown[i] {
            writeln!(
                out,
                "<text x=\"{:.0}\" y=\"{:.0}\" font-size=\"12\" fill=\"#222\" text-anchor=\"middle\" paint-order=\"stroke\" stroke=\"white\" stroke-width=\"3\">{}</text>",
                node.x,
                node.y + node.radius + 13.0,
                xml_escape(&layout::short_label(&node.label))
            )?;
            if !node.detail.is_empty() {
                writeln!(
                    out,
                    "<text x=\"{:.0}\" y=\"{:.0}\" font-size=\"10\" fill=\"#666\" text-anchor=\"middle\" paint-order=\"stroke\" stroke=\"white\" stroke-width=\"3\">{}</text>",
                    node.x,
                    node.y + node.radius + 25.0,
                    xml_escape(&layout::short_label(&node.detail))
                )?;
            }
        }
        writeln!(out, "</g>")?;
    }
    writeln!(out, "</g>")?;

    // The legend.
    let x0 = picture.width + 10.0;
    writeln!(
        out,
        "<g class=\"legend\"><rect x=\"{x0:.0}\" y=\"40\" width=\"{:.0}\" height=\"{:.0}\" fill=\"#FAFAFA\" stroke=\"#CCC\" rx=\"6\"/><text x=\"{:.0}\" y=\"62\" font-size=\"13\" font-weight=\"bold\" fill=\"#222\">Legend</text>",
        LEGEND_WIDTH - 20.0,
        34.0 + 22.0 * legend.len() as f64,
        x0 + 12.0
    )?;
    for (k, entry) in legend.iter().enumerate() {
        let y = 84.0 + 22.0 * k as f64;
        let (sample, text) = match entry {
            LegendEntry::Line {
                colour,
                dashed,
                marker,
                text,
            } => (
                format!(
                    "<line x1=\"{:.0}\" y1=\"{y:.0}\" x2=\"{:.0}\" y2=\"{y:.0}\" stroke=\"{colour}\" stroke-width=\"2.5\"{} marker-end=\"url(#{})\"/>",
                    x0 + 14.0,
                    x0 + 44.0,
                    if *dashed { " stroke-dasharray=\"5 3\"" } else { "" },
                    marker_id(*marker, colour)
                ),
                text,
            ),
            LegendEntry::Swatch { colour, text } => (
                format!(
                    "<circle cx=\"{:.0}\" cy=\"{y:.0}\" r=\"7\" fill=\"{colour}\" stroke=\"#333\"/>",
                    x0 + 29.0
                ),
                text,
            ),
            LegendEntry::Note(text) => (String::new(), text),
        };
        writeln!(
            out,
            "{sample}<text x=\"{:.0}\" y=\"{:.0}\" font-size=\"11\" fill=\"#333\">{}</text>",
            x0 + 54.0,
            y + 4.0,
            xml_escape(&layout::short_label(text))
        )?;
    }
    writeln!(out, "</g>")?;
    writeln!(out, "</svg>")
}
