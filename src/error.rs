//! What can go wrong, said so that the user can fix it, and the exit code each
//! kind of failure maps to.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a text, counted from 1 as editors show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Every error credgraph reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A data file does not parse.
    #[error("{}: {message}", location(path, position))]
    Syntax {
        path: PathBuf,
        position: Option<Position>,
        message: String,
    },
    /// A file or folder cannot be read or written.
    #[error("{}: {source}", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A SPARQL query or update does not parse.
    #[error("{what} syntax error{}: {message}{}", position.map(|p| format!(" at {p}")).unwrap_or_default(), excerpt_block(excerpt))]
    SparqlSyntax {
        what: &'static str,
        position: Option<Position>,
        message: String,
        excerpt: Option<String>,
    },
    /// Another process holds the store.
    #[error("the store at {} is in use by another process (a running `credgraph serve`, or another command still working); stop it or point --db elsewhere", path.display())]
    StoreLocked { path: PathBuf },
    /// Input that is wrong in a way the message explains: unknown names, bad values.
    #[error("{0}")]
    Invalid(String),
    /// The data breaks the shapes; each violation is listed.
    #[error("{count} violation{} of the shapes", if *count == 1 { "" } else { "s" })]
    Violations { count: usize },
    /// A query or update failed while running.
    #[error("{0}")]
    Evaluation(String),
    /// A remote SPARQL engine could not be reached, failed, or answered wrongly.
    #[error("{0}")]
    Endpoint(String),
    /// A remote SPARQL engine refused the request (credentials, rights).
    #[error("{0}")]
    EndpointRefused(String),
    /// Writing the answer failed (a full disk, a closed pipe).
    #[error("cannot write the output: {0}")]
    Output(#[source] std::io::Error),
    /// Something broke inside credgraph or its storage.
    #[error("internal error: {0}")]
    Internal(String),
}

fn location(path: &Path, position: &Option<Position>) -> String {
    match position {
        Some(p) => format!("{}:{}:{}", path.display(), p.line, p.column),
        None => path.display().to_string(),
    }
}

fn excerpt_block(excerpt: &Option<String>) -> String {
    excerpt
        .as_ref()
        .map(|e| format!("\n{e}"))
        .unwrap_or_default()
}

impl Error {
    /// The process exit code: 1 for what the user can fix, 3 for internal failures.
    /// (Clap itself exits with 2 on bad usage.)
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Internal(_) => 3,
            _ => 1,
        }
    }

    /// The reader of our output went away (`credgraph ... | head`): not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Error::Invalid(message.into())
    }

    pub fn file(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::File {
            path: path.into(),
            source,
        }
    }
}

impl From<oxigraph::store::StorageError> for Error {
    fn from(error: oxigraph::store::StorageError) -> Self {
        Error::Internal(error.to_string())
    }
}

impl From<oxigraph::sparql::QueryEvaluationError> for Error {
    fn from(error: oxigraph::sparql::QueryEvaluationError) -> Self {
        use oxigraph::sparql::QueryEvaluationError as E;
        match error {
            E::Dataset(e) | E::Unexpected(e) => Error::Internal(e.to_string()),
            other => Error::Evaluation(other.to_string()),
        }
    }
}

impl From<oxigraph::sparql::UpdateEvaluationError> for Error {
    fn from(error: oxigraph::sparql::UpdateEvaluationError) -> Self {
        use oxigraph::sparql::UpdateEvaluationError as E;
        match error {
            E::Storage(e) => Error::Internal(e.to_string()),
            other => Error::Evaluation(other.to_string()),
        }
    }
}

/// Turns a SPARQL parse error into one that shows where, with the offending line
/// and a caret under the column.
pub fn sparql_syntax(
    what: &'static str,
    text: &str,
    error: &oxigraph::sparql::SparqlSyntaxError,
) -> Error {
    let message = parser_message(&error.to_string()).into_owned();
    // The parser prints "error at LINE:COLUMN: expected ..."; keep the position as
    // data and the rest as the message.
    let parsed = message.strip_prefix("error at ").and_then(|rest| {
        let (position, message) = rest.split_once(": ")?;
        let (line, column) = position.split_once(':')?;
        Some((
            Position {
                line: line.parse().ok()?,
                column: column.parse().ok()?,
            },
            message.to_string(),
        ))
    });
    match parsed {
        Some((position, message)) => Error::SparqlSyntax {
            what,
            position: Some(position),
            excerpt: excerpt(text, position),
            message,
        },
        None => Error::SparqlSyntax {
            what,
            position: None,
            message,
            excerpt: None,
        },
    }
}

/// The line at `position` with a caret under its column; of a long line, the
/// [`QUOTED_CHARS`] characters around the column.
fn excerpt(text: &str, position: Position) -> Option<String> {
    let line = text
        .lines()
        .nth(usize::try_from(position.line).ok()?.checked_sub(1)?)?;
    let column = usize::try_from(position.column).ok()?.saturating_sub(1);
    let (line, column, length) = match line.char_indices().nth(QUOTED_CHARS) {
        None => (line.to_string(), column, String::new()),
        Some(_) => {
            let length = line.chars().count();
            let first = column
                .saturating_sub(QUOTED_CHARS / 2)
                .min(length.saturating_sub(QUOTED_CHARS));
            let mut shown: String = line.chars().skip(first).take(QUOTED_CHARS).collect();
            if first + QUOTED_CHARS < length {
                shown.push('…');
            }
            if first > 0 {
                shown.insert(0, '…');
            }
            let column = column - first + usize::from(first > 0);
            (shown, column, format!(" (a line of {length} characters)"))
        }
    };
    let pad: String = line
        .chars()
        .take(column)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    Some(format!("  | {line}\n  | {pad}^{length}"))
}

/// How many characters of a line of input an error message quotes.
pub const QUOTED_CHARS: usize = 200;

/// How many characters of a parser's message an error passes on: parsers quote the
/// input they stopped at, which may be a whole file on one line.
pub const PARSER_MESSAGE_CHARS: usize = 1000;

/// Text of the input as an error message quotes it: whole when it is short, else
/// its first [`QUOTED_CHARS`] characters, an ellipsis and how long it is, so that a
/// file of one 200 MB line does not become a 200 MB message.
pub fn quoted(text: &str) -> std::borrow::Cow<'_, str> {
    shortened(text, QUOTED_CHARS)
}

/// A parser's message, cut as [`quoted`] cuts input, at [`PARSER_MESSAGE_CHARS`].
pub fn parser_message(message: &str) -> std::borrow::Cow<'_, str> {
    shortened(message, PARSER_MESSAGE_CHARS)
}

fn shortened(text: &str, most: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(most) {
        None => text.into(),
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()).into(),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let error = Error::Syntax {
            path: PathBuf::from("case.ttl"),
            position: Some(Position {
                line: 3,
                column: 14,
            }),
            message: "unexpected end of file".into(),
        };
        assert_eq!(error.to_string(), "case.ttl:3:14: unexpected end of file");
        assert_eq!(error.exit_code(), 1);
    }

    #[test]
    fn sparql_errors_point_at_the_column() {
        let text = "SELECT * WHERE {\n  ?s ?p \n}";
        let Err(parse_error) = oxigraph::sparql::SparqlEvaluator::new().parse_query(text) else {
            panic!("the query should not parse")
        };
        let error = sparql_syntax("query", text, &parse_error);
        let Error::SparqlSyntax { position, .. } = &error else {
            panic!("not a syntax error: {error}")
        };
        assert!(position.is_some(), "{error}");
        assert!(error.to_string().contains('^'), "{error}");
    }

    #[test]
    fn long_input_is_quoted_by_its_start_and_length() {
        assert_eq!(quoted("short"), "short");
        let long = "é".repeat(5000);
        let shown = quoted(&long);
        assert!(shown.starts_with(&"é".repeat(QUOTED_CHARS)));
        assert!(shown.ends_with("… (5000 characters)"), "{shown}");
        let text = format!("SELECT * WHERE {{ ?s ?p {} }}", "a".repeat(100_000));
        let Err(parse_error) = oxigraph::sparql::SparqlEvaluator::new().parse_query(&text) else {
            panic!("the query should not parse")
        };
        let message = sparql_syntax("query", &text, &parse_error).to_string();
        assert!(message.len() < 2 * PARSER_MESSAGE_CHARS, "{message}");
    }
}
