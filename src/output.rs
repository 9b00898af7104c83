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
}

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
            let rows = solutions.collect::<Result<Vec<_>, _>>()?;
            write_table(&variables, &rows, style, out).map_err(io)?;
            Ok(rows.len())
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

/// Aligned columns under a header, numbers to the right.
pub fn write_table(
    variables: &[Variable],
    rows: &[QuerySolution],
    style: TableStyle,
    out: &mut dyn Write,
) -> std::io::Result<()> {
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
    write_text_table(&header, &cells, &numeric, out)
}

/// Aligned columns of text under a header and a rule, the `numeric` ones to the right.
pub fn write_text_table(
    header: &[String],
    cells: &[Vec<String>],
    numeric: &[bool],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let widths: Vec<usize> = header
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
    let line = |values: &[String], out: &mut dyn Write| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, value) in values.iter().enumerate() {
            let pad = widths[i].saturating_sub(value.width());
            let last = i + 1 == values.len();
            if numeric.get(i).copied().unwrap_or(false) {
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
    };
    line(header, out)?;
    line(
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
        out,
    )?;
    for row in cells {
        line(row, out)?;
    }
    Ok(())
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
