//! Writing query answers: an aligned table for people, the SPARQL results formats
//! and every RDF syntax for programs.

use crate::error::{Error, Result};
use crate::formats;
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Term, TripleRef};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, QuerySolution, Variable};
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// How to write an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerFormat {
    /// Aligned columns for SELECT and ASK; Turtle for CONSTRUCT and DESCRIBE.
    Table,
    /// A SPARQL results format (SELECT and ASK only).
    Results(QueryResultsFormat),
    /// An RDF syntax (CONSTRUCT and DESCRIBE only).
    Rdf(RdfFormat),
}

/// The names `--results-format` takes, for messages.
pub const ANSWER_FORMAT_NAMES: &str = "table, json, xml, csv, tsv, or an RDF format (ttl, nt, nq, trig, rdf, jsonld) for CONSTRUCT and DESCRIBE";

impl AnswerFormat {
    pub fn parse(name: &str) -> Result<Self> {
        if name.eq_ignore_ascii_case("table") {
            return Ok(AnswerFormat::Table);
        }
        if let Some(format) = formats::results_format(name) {
            return Ok(AnswerFormat::Results(format));
        }
        if let Some(format) = formats::rdf_format(name) {
            return Ok(AnswerFormat::Rdf(format));
        }
        Err(Error::invalid(format!(
            "unknown results format '{name}'; use {ANSWER_FORMAT_NAMES}"
        )))
    }
}

/// Options for the table.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableStyle {
    /// Cut cells wider than this many columns (on a terminal); `None` keeps them whole.
    pub max_cell_width: Option<usize>,
    /// Read every row before printing, so that the columns fit them all; otherwise
    /// the first [`MEASURED_ROWS`] set the columns and the rest stream after them.
    pub measure_all: bool,
}

/// How many rows a streamed table reads to set its columns' widths; a wider value
/// after them is printed whole, and its line gives up the alignment.
pub const MEASURED_ROWS: usize = 1000;

/// Writes a query's answer in `format`.
pub fn write_answer(
    results: QueryResults<'_>,
    format: AnswerFormat,
    style: TableStyle,
    out: &mut dyn Write,
) -> Result<usize> {
    let io = Error::Output;
    match (results, format) {
        (QueryResults::Solutions(solutions), AnswerFormat::Table) => {
            let variables = solutions.variables().to_vec();
            let mut solutions = solutions;
            let mut first = Vec::new();
            while style.measure_all || first.len() < MEASURED_ROWS {
                match solutions.next() {
                    Some(solution) => first.push(solution?),
                    None => break,
                }
            }
            let columns = Columns::measure(&variables, &first, style);
            columns.write_header(out).map_err(io)?;
            for row in &first {
                columns.write_row(row, out).map_err(io)?;
            }
            let mut count = first.len();
            drop(first);
            for solution in solutions {
                columns.write_row(&solution?, out).map_err(io)?;
                count += 1;
            }
            Ok(count)
        }
        (QueryResults::Solutions(solutions), AnswerFormat::Results(format)) => {
            let mut serializer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(out, solutions.variables().to_vec())
                .map_err(io)?;
            let mut count = 0;
            for solution in solutions {
                serializer.serialize(&solution?).map_err(io)?;
                count += 1;
            }
            serializer.finish().map_err(io)?;
            Ok(count)
        }
        (QueryResults::Boolean(value), AnswerFormat::Table) => {
            writeln!(out, "{value}").map_err(io)?;
            Ok(1)
        }
        (QueryResults::Boolean(value), AnswerFormat::Results(format)) => {
            QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(out, value)
                .map_err(io)?;
            Ok(1)
        }
        (QueryResults::Graph(triples), AnswerFormat::Table | AnswerFormat::Rdf(_)) => {
            let rdf = match format {
                AnswerFormat::Rdf(rdf) => rdf,
                _ => RdfFormat::Turtle,
            };
            let mut serializer = rdf_serializer(rdf).for_writer(out);
            let mut count = 0;
            for triple in triples {
                let triple = triple?;
                serializer
                    .serialize_triple(TripleRef::from(&triple))
                    .map_err(io)?;
                count += 1;
            }
            serializer.finish().map_err(io)?;
            Ok(count)
        }
        (QueryResults::Graph(_), AnswerFormat::Results(_)) => Err(Error::invalid(
            "a CONSTRUCT or DESCRIBE query gives RDF: use an RDF format (ttl, nt, rdf, jsonld, ...)",
        )),
        (_, AnswerFormat::Rdf(_)) => Err(Error::invalid(
            "a SELECT or ASK query gives a table: use table, json, xml, csv or tsv",
        )),
    }
}

/// An RDF serializer that writes our prefixes where the syntax has them.
pub fn rdf_serializer(format: RdfFormat) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, namespace) in vocab::PREFIXES {
        serializer = serializer
            .with_prefix(*prefix, *namespace)
            .expect("the built-in prefixes are valid IRIs");
    }
    serializer
}

/// How a value reads in a table: IRIs compacted, literals as their text.
pub fn cell(term: Option<&Term>) -> String {
    match term {
        None => String::new(),
        Some(Term::NamedNode(node)) => {
            vocab::compact(node.as_str()).unwrap_or_else(|| format!("<{}>", node.as_str()))
        }
        Some(Term::BlankNode(node)) => format!("_:{}", node.as_str()),
        Some(Term::Literal(literal)) => literal.value().replace(['\n', '\r'], " "),
    }
}

fn is_numeric(term: Option<&Term>) -> bool {
    matches!(term, Some(Term::Literal(literal)) if {
        let datatype = literal.datatype().as_str();
        datatype.starts_with("http://www.w3.org/2001/XMLSchema#")
            && matches!(
                &datatype[33..],
                "integer" | "decimal" | "double" | "float" | "int" | "long" | "nonNegativeInteger"
            )
    })
}

fn fit(text: &str, width: Option<usize>) -> String {
    match width {
        Some(max) if text.width() > max => {
            let mut cut = String::new();
            for c in text.chars() {
                if cut.width() + c.to_string().width() >= max {
                    break;
                }
                cut.push(c);
            }
            cut.push('…');
            cut
        }
        _ => text.to_string(),
    }
}

/// The columns of a query's table, measured on the rows read before printing;
/// the rows that come after are written to the same widths.
struct Columns<'v> {
    variables: &'v [Variable],
    header: Vec<String>,
    layout: Layout,
    max_cell_width: Option<usize>,
}

impl<'v> Columns<'v> {
    /// Columns that fit `rows`, numbers (every value a number) to the right.
    fn measure(variables: &'v [Variable], rows: &[QuerySolution], style: TableStyle) -> Self {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|row| {
                variables
                    .iter()
                    .map(|v| fit(&cell(row.get(v)), style.max_cell_width))
                    .collect()
            })
            .collect();
        let numeric: Vec<bool> = variables
            .iter()
            .map(|v| {
                !rows.is_empty()
                    && rows
                        .iter()
                        .all(|row| row.get(v).is_none() || is_numeric(row.get(v)))
            })
            .collect();
        let header: Vec<String> = variables.iter().map(|v| v.as_str().to_string()).collect();
        Columns {
            variables,
            layout: Layout::measure(&header, &cells, numeric),
            header,
            max_cell_width: style.max_cell_width,
        }
    }

    fn write_header(&self, out: &mut dyn Write) -> std::io::Result<()> {
        self.layout.write_header(&self.header, out)
    }

    fn write_row(&self, row: &QuerySolution, out: &mut dyn Write) -> std::io::Result<()> {
        let cells: Vec<String> = self
            .variables
            .iter()
            .map(|v| fit(&cell(row.get(v)), self.max_cell_width))
            .collect();
        self.layout.write_line(&cells, out)
    }
}

/// Aligned columns of text under a header and a rule, the `numeric` ones to the right.
pub fn write_text_table(
    header: &[String],
    cells: &[Vec<String>],
    numeric: &[bool],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let layout = Layout::measure(header, cells, numeric.to_vec());
    layout.write_header(header, out)?;
    for row in cells {
        layout.write_line(row, out)?;
    }
    Ok(())
}

/// How wide each column is and which are aligned to the right.
struct Layout {
    widths: Vec<usize>,
    numeric: Vec<bool>,
}

impl Layout {
    fn measure(header: &[String], cells: &[Vec<String>], numeric: Vec<bool>) -> Self {
        let widths = header
            .iter()
            .enumerate()
            .map(|(i, name)| {
                cells
                    .iter()
                    .map(|row| row.get(i).map_or(0, |c| c.width()))
                    .chain([name.width()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        Layout { widths, numeric }
    }

    /// The header and a rule under it.
    fn write_header(&self, header: &[String], out: &mut dyn Write) -> std::io::Result<()> {
        self.write_line(header, out)?;
        let rule: Vec<String> = self.widths.iter().map(|w| "-".repeat(*w)).collect();
        self.write_line(&rule, out)
    }

    /// One line; a value wider than its column is written whole, pushing the rest
    /// of the line to the right.
    fn write_line(&self, values: &[String], out: &mut dyn Write) -> std::io::Result<()> {
        let mut text = String::new();
        for (i, value) in values.iter().enumerate() {
            let width = self.widths.get(i).copied().unwrap_or(0);
            let pad = width.saturating_sub(value.width());
            let last = i + 1 == values.len();
            if self.numeric.get(i).copied().unwrap_or(false) {
                text.push_str(&" ".repeat(pad));
                text.push_str(value);
            } else {
                text.push_str(value);
                if !last {
                    text.push_str(&" ".repeat(pad));
                }
            }
            if !last {
                text.push_str("  ");
            }
        }
        writeln!(out, "{}", text.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::CaseStore;

    fn table(query: &str) -> String {
        let store = CaseStore::in_memory().unwrap();
        let results = store.query(query).unwrap();
        let mut out = Vec::new();
        write_answer(
            results,
            AnswerFormat::Table,
            TableStyle::default(),
            &mut out,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn tables_align_and_compact_iris() {
        let text = table(
            "SELECT ?level ?min WHERE { ?level cg:minProbability ?min } ORDER BY ?min LIMIT 2",
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0], "level               min",
            "numbers and their header align right"
        );
        assert_eq!(lines[2], "cg:AlmostNoChance  0.01");
        assert_eq!(lines[3], "cg:VeryUnlikely    0.05");
    }

    #[test]
    fn a_streamed_table_is_measured_on_its_first_rows() {
        let query = format!(
            "SELECT ?x WHERE {{ VALUES ?x {{ {} \"a much wider value\" }} }}",
            "\"a\" ".repeat(MEASURED_ROWS)
        );
        let text = table(&query);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "-", "the rule is as wide as the first rows");
        assert_eq!(lines.len(), 2 + MEASURED_ROWS + 1);
        assert_eq!(lines[2 + MEASURED_ROWS], "a much wider value");
        let store = CaseStore::in_memory().unwrap();
        let mut out = Vec::new();
        let style = TableStyle {
            measure_all: true,
            ..TableStyle::default()
        };
        write_answer(
            store.query(&query).unwrap(),
            AnswerFormat::Table,
            style,
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().nth(1), Some("-".repeat(18).as_str()));
    }

    #[test]
    fn long_cells_are_cut_only_when_asked() {
        assert_eq!(fit("abcdefgh", Some(5)), "abcd…");
        assert_eq!(fit("abcdefgh", None), "abcdefgh");
    }

    #[test]
    fn unknown_formats_are_refused_with_the_list() {
        let error = AnswerFormat::parse("yaml").unwrap_err();
        assert!(error.to_string().contains("json"), "{error}");
    }
}
