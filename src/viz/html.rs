//! One self-contained HTML page that works offline: the picture's data as JSON,
//! laid out by credgraph, drawn by the page's own small script (`page.js`) on a
//! canvas, with pan and zoom, hover details, click to focus, filters, search and a
//! legend. No CDN, no request: a Content-Security-Policy forbids any.

use super::{layout, xml_escape, EdgeKind, LegendEntry, Marker, Picture, View};
use crate::error::{Error, Result};
use serde_json::json;

const SCRIPT: &str = include_str!("page.js");

const STYLE: &str = "
html, body { margin: 0; height: 100%; font: 13px/1.4 Helvetica, Arial, sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
header { padding: 8px 12px; border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; }
header h1 { font-size: 16px; margin: 0 12px 0 0; }
header label { white-space: nowrap; }
main { flex: 1; position: relative; min-height: 0; }
#canvas { width: 100%; height: 100%; display: block; cursor: grab; }
#legend { position: absolute; right: 10px; top: 10px; background: rgba(250,250,250,0.95); border: 1px solid #ccc; border-radius: 6px; padding: 8px 10px; max-width: 280px; }
#legend div { display: flex; align-items: center; gap: 8px; margin: 2px 0; }
#tip { position: fixed; max-width: 320px; background: white; border: 1px solid #999; border-radius: 4px; padding: 6px 8px; box-shadow: 0 2px 6px rgba(0,0,0,0.2); pointer-events: none; }
#tip ul { margin: 4px 0 0 16px; padding: 0; }
#status { color: #555; }
input[type=number] { width: 4em; }
";

fn legend_html(picture: &Picture) -> String {
    let mut out = String::from("<b>Legend</b>");
    for entry in picture.legend() {
        let (sample, text) = match entry {
            LegendEntry::Line {
                colour,
                dashed,
                marker,
                text,
            } => {
                let end = match marker {
                    Marker::Dot => format!("<circle cx=\"32\" cy=\"6\" r=\"3.5\" fill=\"{colour}\"/>"),
                    Marker::Bar => format!("<rect x=\"31\" y=\"0\" width=\"3\" height=\"12\" fill=\"{colour}\"/>"),
                    Marker::Arrow => format!("<path d=\"M26,1 L36,6 L26,11 z\" fill=\"{colour}\"/>"),
                };
                (
                    format!(
                        "<svg width=\"38\" height=\"12\"><line x1=\"2\" y1=\"6\" x2=\"32\" y2=\"6\" stroke=\"{colour}\" stroke-width=\"2.5\"{}/>{end}</svg>",
                        if dashed { " stroke-dasharray=\"5 3\"" } else { "" }
                    ),
                    text,
                )
            }
            LegendEntry::Swatch { colour, text } => (
                format!("<svg width=\"38\" height=\"14\"><circle cx=\"19\" cy=\"7\" r=\"6\" fill=\"{colour}\" stroke=\"#333\"/></svg>"),
                text,
            ),
            LegendEntry::Note(text) => ("<svg width=\"38\" height=\"12\"></svg>".into(), text),
        };
        out.push_str(&format!(
            "<div>{sample}<span>{}</span></div>",
            xml_escape(&text)
        ));
    }
    out
}

pub fn write(picture: &Picture, out: &mut dyn std::io::Write) -> Result<()> {
    let nodes: Vec<serde_json::Value> = picture
        .nodes
        .iter()
        .map(|n| {
            json!({
                "l": n.label, "d": n.detail, "k": n.kind.name(), "i": n.institution,
                "c": n.colour, "r": n.radius, "x": n.x, "y": n.y,
                "cr": n.credibility, "g": n.grade, "n": n.statements,
                "lines": n.lines, "grp": n.group, "q": n.keys,
                "sl": layout::short_label(&n.label), "sd": layout::short_label(&n.detail),
            })
        })
        .collect();
    let edges: Vec<serde_json::Value> = picture
        .edges
        .iter()
        .map(|e| {
            let kind = match e.kind {
                EdgeKind::Agree => 0,
                EdgeKind::Contradict => 1,
                EdgeKind::Reports => 2,
            };
            json!([e.source, e.target, kind, e.weight, e.dependent, e.pairs])
        })
        .collect();
    let groups: Vec<String> = picture
        .groups
        .iter()
        .map(|g| layout::short_label(&g.label))
        .collect();
    let data = json!({
        "nodes": nodes, "edges": edges, "groups": groups, "questions": picture.questions,
        "width": picture.width, "height": picture.height,
    });
    // Inside <script>, "</" would end the element and "<!--" change how it ends:
    // no "<" at all.
    let data = serde_json::to_string(&data)
        .map_err(|e| Error::Internal(e.to_string()))?
        .replace('<', "\\u003c");
    let group_word = match picture.view {
        View::Sources => "camp",
        View::Statements => "question",
    };
    let mut group_options = format!("<option value=\"\">every {group_word}</option>");
    for (g, group) in picture.groups.iter().enumerate() {
        group_options.push_str(&format!(
            "<option value=\"{g}\">{}</option>",
            xml_escape(&layout::short_label(&group.label))
        ));
    }
    let max_weight = picture.edges.iter().map(|e| e.weight).max().unwrap_or(1);
    // A question filter where the camps are the groups; the statement view's groups
    // are its questions already.
    let question_filter = if picture.view == View::Sources && !picture.questions.is_empty() {
        let mut options = String::from("<option value=\"\">every question</option>");
        for (i, q) in picture.questions.iter().enumerate() {
            options.push_str(&format!(
                "<option value=\"{}\">{}</option>",
                i + 1,
                xml_escape(&layout::short_label(q))
            ));
        }
        format!("<label><select id=\"question\">{options}</select></label>")
    } else {
        String::new()
    };
    let dated = picture
        .nodes
        .iter()
        .flat_map(|n| &n.keys)
        .filter(|k| k[1] > 0)
        .map(|k| k[1]);
    let (first, last) = dated.fold((u32::MAX, 0), |(lo, hi), d| (lo.min(d), hi.max(d)));
    let date_filter = if last > 0 {
        let iso = |d: u32| format!("{:04}-{:02}-{:02}", d / 10000, d / 100 % 100, d % 100);
        format!(
            "<label>from <input type=\"date\" id=\"from\" min=\"{}\" max=\"{}\"></label><label>to <input type=\"date\" id=\"to\" min=\"{}\" max=\"{}\"></label>",
            iso(first),
            iso(last),
            iso(first),
            iso(last)
        )
    } else {
        String::new()
    };
    let reports = if picture.view == View::Statements {
        "<label><input type=\"checkbox\" id=\"show-reports\" checked> reporting chain</label>"
    } else {
        ""
    };
    let page = format!(
        "<!DOCTYPE html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<label>search <input type=\"search\" id=\"search\" placeholder=\"name or post\"></label>
<label><select id=\"group\">{group_options}</select></label>
{question_filter}
{date_filter}
<label>at least <input type=\"number\" id=\"min-weight\" min=\"1\" max=\"{max_weight}\" value=\"1\"> statement pairs</label>
<label><input type=\"checkbox\" id=\"independent\"> independent agreement only</label>
<label><input type=\"checkbox\" id=\"show-agree\" checked> agree</label>
<label><input type=\"checkbox\" id=\"show-contradict\" checked> contradict</label>
{reports}
<button id=\"fit\">fit</button>
<span id=\"status\"></span>
</header>
<main>
<canvas id=\"canvas\" aria-label=\"{title}\"></canvas>
<div id=\"legend\">{legend}</div>
</main>
<div id=\"tip\" hidden></div>
<script type=\"application/json\" id=\"picture-data\">{data}</script>
<script>{SCRIPT}</script>
</body>
</html>
",
        title = xml_escape(&picture.title),
        legend = legend_html(picture),
    );
    out.write_all(page.as_bytes())
        .map_err(|e| Error::Internal(format!("writing the picture: {e}")))
}
