//! Pictures of the agreement graph.
//!
//! [`read`] reads a [`Picture`] from the store (the source view: who agrees with
//! or contradicts whom; or the statement view: statements grouped by question with
//! the reporting chain), applies the filters, finds the camps and lays the picture
//! out; one writer per format turns it into a file.

pub mod cytoscape;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod html;
pub mod layout;
mod read;
pub mod svg;

use crate::error::{Error, Result};
use crate::store::CaseStore;

/// Which picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum View {
    /// A node per source, an edge per pair that agree or contradict.
    #[value(alias = "source")]
    Sources,
    /// A node per statement, grouped by question, with the reporting chain.
    #[value(alias = "statement")]
    Statements,
}

impl View {
    pub fn parse(name: &str) -> Result<View> {
        match name {
            "sources" | "source" => Ok(View::Sources),
            "statements" | "statement" => Ok(View::Statements),
            other => Err(Error::invalid(format!(
                "unknown view '{other}'; the views are sources and statements"
            ))),
        }
    }
}

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphviz's language.
    #[value(alias = "gv")]
    Dot,
    Svg,
    #[value(name = "graphml")]
    GraphMl,
    Gexf,
    /// Cytoscape.js JSON.
    #[value(aliases = ["json", "cyjs"])]
    Cytoscape,
    /// An offline page to explore.
    #[value(alias = "htm")]
    Html,
}

pub const FORMAT_NAMES: &str = "dot, svg, graphml, gexf, cytoscape (JSON), html";

impl Format {
    pub fn parse(name: &str) -> Result<Format> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "dot" | "gv" => Format::Dot,
            "svg" => Format::Svg,
            "graphml" => Format::GraphMl,
            "gexf" => Format::Gexf,
            "cytoscape" | "json" | "cyjs" => Format::Cytoscape,
            "html" | "htm" => Format::Html,
            other => {
                return Err(Error::invalid(format!(
                    "unknown picture format '{other}'; the formats are {FORMAT_NAMES}"
                )))
            }
        })
    }

    /// The format a file name's extension names, if any.
    pub fn of_path(path: &std::path::Path) -> Option<Format> {
        Format::parse(path.extension()?.to_str()?).ok()
    }
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct Options {
    pub view: View,
    /// A source: draw it and its neighbours only.
    pub focus: Option<String>,
    /// A question: only statements on it.
    pub question: Option<String>,
    /// Statements made on or after / on or before these dates (YYYY-MM-DD).
    pub from: Option<String>,
    pub to: Option<String>,
    /// Edges backed by fewer statement pairs are left out.
    pub min_weight: usize,
    /// Only agreement between independent sources.
    pub independent_only: bool,
    /// The scoring method whose credibility sizes the sources.
    pub method: String,
    /// The layout's random seed.
    pub seed: u64,
    /// Keep the question and dates of the statement pairs behind each edge (the
    /// HTML page's own filters need them; the other formats do not).
    pub pair_details: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            view: View::Sources,
            focus: None,
            question: None,
            from: None,
            to: None,
            min_weight: 1,
            independent_only: false,
            method: "dependence-aware".into(),
            seed: 1,
            pair_details: true,
        }
    }
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Source,
    Statement,
    Document,
    Outlet,
}

impl NodeKind {
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Source => "source",
            NodeKind::Statement => "statement",
            NodeKind::Document => "document",
            NodeKind::Outlet => "outlet",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    /// The IRI.
    pub id: String,
    pub label: String,
    /// A second line: the post a source spoke in, or a statement's speaker.
    pub detail: String,
    pub kind: NodeKind,
    /// The top-level organization (sources), or the question (statements).
    pub institution: Option<String>,
    pub colour: &'static str,
    /// Radius in picture units.
    pub radius: f64,
    pub credibility: Option<f64>,
    /// Admiralty grade: a letter for sources, a digit for statements.
    pub grade: Option<String>,
    /// Statements a source made (1 for a statement).
    pub statements: usize,
    /// The camp (sources) or question (statements) it is drawn in.
    pub group: Option<usize>,
    /// Shown on hover: a source's statements, a statement's text.
    pub lines: Vec<String>,
    /// For the page's filters: (question number, date as YYYYMMDD) of each of its
    /// statements; question 0 is none, date 0 unknown.
    pub keys: Vec<[u32; 2]>,
    pub x: f64,
    pub y: f64,
}

/// What an edge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    Agree,
    Contradict,
    /// Part of the reporting chain (outlet, document, statement).
    Reports,
}

impl EdgeKind {
    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::Agree => "agree",
            EdgeKind::Contradict => "contradict",
            EdgeKind::Reports => "reports",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Edge {
    pub source: usize,
    pub target: usize,
    pub kind: EdgeKind,
    /// How many statement pairs back it (1 in the statement view).
    pub weight: usize,
    /// The two depend on each other: not independent corroboration.
    pub dependent: bool,
    /// For the page's filters: (question number, earlier date, later date) of each
    /// statement pair behind it, when the store holds the statement pairs.
    pub pairs: Vec<[u32; 3]>,
}

/// A camp of sources that agree with each other, or a question's statements.
#[derive(Debug, Clone)]
pub struct Group {
    pub label: String,
    pub members: Vec<usize>,
}

/// The colours: Okabe and Ito's palette, safe for the common colour-blindnesses.
/// Agreement is blue, contradiction orange; node colours come from the rest.
pub const AGREE_COLOUR: &str = "#0072B2";
pub const CONTRADICT_COLOUR: &str = "#E69F00";
pub const REPORT_COLOUR: &str = "#999999";
pub const NODE_COLOURS: [&str; 6] = [
    "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#F0E442", "#8C8C8C",
];
/// Sources without an institution, documents and outlets.
pub const PLAIN_COLOUR: &str = "#DDDDDD";

#[derive(Debug, Clone)]
pub struct Picture {
    pub title: String,
    pub view: View,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub groups: Vec<Group>,
    /// Institution (or question) names and their colours, for the legend.
    pub colours: Vec<(String, &'static str)>,
    /// "credibility" when scores size the sources, else "statements".
    pub sized_by: &'static str,
    /// The questions the keys of nodes and edges number (from 1).
    pub questions: Vec<String>,
    pub width: f64,
    pub height: f64,
}

impl Picture {
    /// Lines of the legend: what colours, widths, dashes and sizes mean.
    pub fn legend(&self) -> Vec<LegendEntry> {
        let mut entries = vec![
            LegendEntry::Line {
                colour: AGREE_COLOUR,
                dashed: false,
                marker: Marker::Dot,
                text: "agree (width: statement pairs)".into(),
            },
            LegendEntry::Line {
                colour: CONTRADICT_COLOUR,
                dashed: false,
                marker: Marker::Bar,
                text: "contradict".into(),
            },
        ];
        if self.view == View::Sources {
            entries.push(LegendEntry::Line {
                colour: AGREE_COLOUR,
                dashed: true,
                marker: Marker::Dot,
                text: "dependent pair: not independent".into(),
            });
        } else {
            entries.push(LegendEntry::Line {
                colour: REPORT_COLOUR,
                dashed: false,
                marker: Marker::Arrow,
                text: "reporting chain".into(),
            });
        }
        for (name, colour) in &self.colours {
            entries.push(LegendEntry::Swatch {
                colour,
                text: name.clone(),
            });
        }
        if self.view == View::Sources {
            entries.push(LegendEntry::Note(format!("node size: {}", self.sized_by)));
            if !self.groups.is_empty() {
                entries.push(LegendEntry::Note(
                    "shaded: a camp of sources that agree".into(),
                ));
            }
        }
        entries
    }
}

/// How an edge's ends are marked, so that agreement and contradiction differ in
/// greyscale too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Dot,
    Bar,
    Arrow,
}

#[derive(Debug, Clone)]
pub enum LegendEntry {
    Line {
        colour: &'static str,
        dashed: bool,
        marker: Marker,
        text: String,
    },
    Swatch {
        colour: &'static str,
        text: String,
    },
    Note(String),
}

/// The marker of an edge kind.
pub fn marker_of(kind: EdgeKind) -> Marker {
    match kind {
        EdgeKind::Agree => Marker::Dot,
        EdgeKind::Contradict => Marker::Bar,
        EdgeKind::Reports => Marker::Arrow,
    }
}

pub fn colour_of(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Agree => AGREE_COLOUR,
        EdgeKind::Contradict => CONTRADICT_COLOUR,
        EdgeKind::Reports => REPORT_COLOUR,
    }
}

/// Stroke width of an edge: grows with the logarithm of its weight.
pub fn stroke_width(edge: &Edge) -> f64 {
    match edge.kind {
        EdgeKind::Reports => 1.0,
        _ => 1.0 + (edge.weight as f64).ln() * 1.5,
    }
}

/// The picture of the store's case, filtered and grouped, not yet laid out
/// ([`layout::lay_out`] places it).
pub fn read(store: &CaseStore, options: &Options) -> Result<Picture> {
    if let (Some(from), Some(to)) = (&options.from, &options.to) {
        if from > to {
            return Err(Error::invalid(format!(
                "--from {from} is after --to {to}: no date is in that range"
            )));
        }
    }
    for (flag, date) in [("--from", &options.from), ("--to", &options.to)] {
        if let Some(date) = date {
            if !crate::model::dates::is_date(date) {
                return Err(Error::invalid(format!(
                    "{flag} {date}: not a date; write YYYY-MM-DD"
                )));
            }
        }
    }
    let picture = match options.view {
        View::Sources => read::sources(store, options)?,
        View::Statements => read::statements(store, options)?,
    };
    if picture.nodes.is_empty() {
        return Err(Error::invalid(
            "nothing to draw: the filters leave no statement (try without --question, --from, --to or --focus)",
        ));
    }
    Ok(picture)
}

/// A date (or the date part of a date-time) as the number YYYYMMDD; 0 when it is
/// not one.
pub fn day_number(text: &str) -> u32 {
    let day = text.get(..10).unwrap_or("");
    if crate::model::dates::is_date(day) {
        day.replace('-', "").parse().unwrap_or(0)
    } else {
        0
    }
}

/// Writes the picture in a format.
pub fn write(picture: &Picture, format: Format, out: &mut dyn std::io::Write) -> Result<()> {
    let io = |e: std::io::Error| Error::Internal(format!("writing the picture: {e}"));
    match format {
        Format::Dot => dot::write(picture, out).map_err(io),
        Format::Svg => svg::write(picture, out).map_err(io),
        Format::GraphMl => graphml::write(picture, out).map_err(io),
        Format::Gexf => gexf::write(picture, out).map_err(io),
        Format::Cytoscape => cytoscape::write(picture, out),
        Format::Html => html::write(picture, out),
    }
}

/// Text made safe for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_named_by_word_or_extension() {
        assert_eq!(Format::parse("GEXF").unwrap(), Format::Gexf);
        assert_eq!(
            Format::of_path(std::path::Path::new("camps.graphml")),
            Some(Format::GraphMl)
        );
        let error = Format::parse("png").unwrap_err().to_string();
        assert!(error.contains("unknown picture format 'png'"), "{error}");
        assert!(error.contains("graphml"), "{error}");
    }

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(
            xml_escape("Command \"South\" <A&B>\u{1}"),
            "Command &quot;South&quot; &lt;A&amp;B&gt; "
        );
    }
}
