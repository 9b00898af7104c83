//! What every command prints with: counts in words, tables, and answers written to
//! standard output or to a file, whole.

use crate::error::{Error, Result};
use oxigraph::model::GraphName;
use std::io::Write;
use std::path::Path;

/// "s" unless there is one.
pub fn plural<N: PartialEq + From<u8>>(n: N) -> &'static str {
    if n == N::from(1) {
        ""
    } else {
        "s"
    }
}

/// Thousands separated by commas.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A graph as a message names it.
pub fn graph(name: &GraphName) -> String {
    match name {
        GraphName::DefaultGraph => "the default graph".to_string(),
        other => other.to_string(),
    }
}

/// Writes `text` to standard output.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).map_err(Error::Output)?;
    out.flush().map_err(Error::Output)
}

/// Writes an answer through `write`: to `output` whole or not at all (gzipped when
/// its name ends in `.gz`), else to standard output.
pub fn to_output<T>(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    match output {
        Some(path) => crate::files::write_whole(path, write),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written = write(&mut out)?;
            out.flush().map_err(Error::Output)?;
            Ok(written)
        }
    }
}

/// The first row as the header, the rest as cells, in the style of `query`'s tables:
/// columns of numbers (or "-") to the right.
pub fn table(rows: &[Vec<String>]) -> Result<String> {
    let Some((header, cells)) = rows.split_first() else {
        return Ok(String::new());
    };
    let numeric: Vec<bool> = (0..header.len())
        .map(|c| {
            !cells.is_empty()
                && cells.iter().all(|row| {
                    let cell = row.get(c).map_or("", String::as_str);
                    cell.is_empty() || cell == "-" || cell.parse::<f64>().is_ok()
                })
        })
        .collect();
    let mut out = Vec::new();
    crate::output::write_text_table(header, cells, &numeric, &mut out).map_err(Error::Output)?;
    String::from_utf8(out).map_err(|e| Error::Internal(e.to_string()))
}

/// Pretty JSON and a line end, on standard output.
pub fn json(value: &impl serde::Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    print(&(text + "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count(7), "7");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(2_608_504), "2,608,504");
    }

    #[test]
    fn numeric_columns_are_right_aligned() {
        let rows = vec![
            vec!["source".to_string(), "score".to_string()],
            vec!["a".to_string(), "0.5".to_string()],
            vec!["longer".to_string(), "10.25".to_string()],
        ];
        let text = table(&rows).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.iter().any(|l| l.ends_with("  0.5")), "{text}");
    }
}
