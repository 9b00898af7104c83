//! The plain tables `match` reads, so that it can be measured on any data:
//! statements (TSV or CSV with a header: `id`, `source`, `text`, optional `date`) and
//! candidate propositions (`id`, `text`, optional `question`). A bad row is named by
//! its file, line and column.

use crate::error::{Error, Position, Result};
use crate::extract;
use crate::matching::{Candidate, Statement};
use std::path::Path;

/// A table's header and rows, each row with the line it starts on.
struct Rows {
    header: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

fn read_rows(path: &Path) -> Result<Rows> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut crate::files::open_input(path)?, &mut bytes)
        .map_err(|e| Error::file(path, e))?;
    let name = path.to_string_lossy().to_ascii_lowercase();
    let comma = name.trim_end_matches(".gz").ends_with(".csv");
    // In well-formed CSV quotes come in pairs (an escaped one is doubled); an odd
    // count means a quote was never closed and the reader took the rest of the file
    // into the last field.
    let unclosed = comma && memchr::memchr_iter(b'"', &bytes).count() % 2 == 1;
    let input = bytes.as_slice();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if comma { b',' } else { b'\t' })
        .quoting(comma)
        .flexible(true)
        .has_headers(false)
        .from_reader(input);
    let mut records = reader.records();
    let syntax = |line: u64, message: String| Error::Syntax {
        path: path.to_path_buf(),
        position: Some(Position { line, column: 1 }),
        message,
    };
    let header = match records.next() {
        Some(Ok(h)) => h.iter().map(|f| f.trim().to_lowercase()).collect(),
        Some(Err(e)) => return Err(syntax(1, e.to_string())),
        None => {
            return Err(syntax(
                1,
                "the table is empty: the first line must name the columns".into(),
            ))
        }
    };
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            syntax(line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    if unclosed {
        let line = rows.last().map_or(1, |(line, _)| *line);
        return Err(syntax(
            line,
            "a quoted field opened on this row is never closed".into(),
        ));
    }
    Ok(Rows { header, rows })
}

/// The columns a table must have, by name, and the optional ones.
fn columns(
    path: &Path,
    rows: &Rows,
    required: &[&str],
    optional: &[&str],
) -> Result<Vec<Option<usize>>> {
    let find = |name: &str| rows.header.iter().position(|h| h == name);
    let mut out = Vec::new();
    for name in required {
        out.push(Some(find(name).ok_or_else(|| Error::Syntax {
            path: path.to_path_buf(),
            position: Some(Position { line: 1, column: 1 }),
            message: format!(
                "no column `{name}`: the first line must name the columns {} (found: {})",
                required.join(", "),
                crate::error::quoted(&rows.header.join(", "))
            ),
        })?));
    }
    out.extend(optional.iter().map(|name| find(name)));
    Ok(out)
}

/// A field of a row: an error naming the line and column when a required one is empty.
fn field(
    path: &Path,
    line: u64,
    row: &[String],
    column: Option<usize>,
    name: &str,
) -> Result<Option<String>> {
    let Some(c) = column else { return Ok(None) };
    let value = row.get(c).map(|v| v.trim()).unwrap_or_default();
    if value.is_empty() {
        return Err(Error::Syntax {
            path: path.to_path_buf(),
            position: Some(Position {
                line,
                column: c as u64 + 1,
            }),
            message: format!("the `{name}` field is empty"),
        });
    }
    Ok(Some(value.to_string()))
}

/// A statement table: id, source, text, and an optional date. Its rows are taken as
/// the sources' own reports (headlines).
pub fn statements(path: &Path) -> Result<Vec<Statement>> {
    let rows = read_rows(path)?;
    let c = columns(path, &rows, &["id", "source", "text"], &["date"])?;
    let mut out = Vec::new();
    for (line, row) in &rows.rows {
        let id = field(path, *line, row, c[0], "id")?.unwrap_or_default();
        let date = match c[3].and_then(|d| row.get(d)).map(|d| d.trim()) {
            None | Some("") => None,
            Some(d) => Some(
                extract::article::parse_date(d)
                    .filter(|d| crate::model::dates::day_number(d).is_some())
                    .ok_or_else(|| Error::Syntax {
                        path: path.to_path_buf(),
                        position: Some(Position {
                            line: *line,
                            column: c[3].unwrap_or(0) as u64 + 1,
                        }),
                        message: format!(
                            "{:?} is not a date; write YYYY-MM-DD",
                            crate::error::quoted(d)
                        ),
                    })?,
            ),
        };
        out.push(Statement {
            id,
            source: field(path, *line, row, c[1], "source")?.unwrap_or_default(),
            text: field(path, *line, row, c[2], "text")?.unwrap_or_default(),
            topic: None,
            date,
            own_voice: true,
        });
    }
    Ok(out)
}

/// A propositions table: id, text, and an optional question.
pub fn propositions(path: &Path) -> Result<Vec<Candidate>> {
    let rows = read_rows(path)?;
    let c = columns(path, &rows, &["id", "text"], &["question"])?;
    let mut out = Vec::new();
    for (line, row) in &rows.rows {
        out.push(Candidate {
            id: field(path, *line, row, c[0], "id")?.unwrap_or_default(),
            text: field(path, *line, row, c[1], "text")?.unwrap_or_default(),
            question: c[2]
                .and_then(|q| row.get(q))
                .map(|q| q.trim().to_string())
                .filter(|q| !q.is_empty()),
        });
    }
    Ok(out)
}
