//! How deeply a text nests its brackets, checked before it is parsed: SPARQL
//! queries and updates, and JSON-LD files as they are read. Their parsers recurse or
//! keep state once per level, and a few kilobytes of `{` or `(` would otherwise
//! overflow a thread's stack and abort the whole process (a server's included), or
//! take gigabytes (JSON-LD). Real queries and documents nest a few levels; the limit
//! is far above them.
//!
//! One scanner serves both: brackets are counted outside strings, IRIs and
//! comments as SPARQL writes them; JSON has only `"` strings, which SPARQL's rules
//! read the same way.

use crate::error::Position;
use std::io::Read;

/// The deepest nesting of `{`, `(` and `[` a query, update or JSON-LD file may have.
pub const MAX_NESTING: usize = 100;

/// Where the scanner is: in code, or inside something whose brackets do not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inside {
    Code,
    /// A `#` comment, to the end of the line.
    Comment,
    /// `run` (1 or 2) quotes at the start of a string: short, empty or long.
    Opening {
        quote: u8,
        run: u8,
    },
    /// A one-line string; `escaped` after a backslash.
    Short {
        quote: u8,
        escaped: bool,
    },
    /// A `'''` or `"""` string, with the run of quotes that may close it.
    Long {
        quote: u8,
        escaped: bool,
        run: u8,
    },
}

/// Follows a text chunk by chunk, counting how deep its brackets nest.
#[derive(Debug, Clone)]
pub struct Nesting {
    inside: Inside,
    depth: usize,
    deepest: usize,
    line: u64,
    column: u64,
    /// Where the first bracket beyond [`MAX_NESTING`] opened.
    too_deep: Option<Position>,
}

impl Default for Nesting {
    fn default() -> Self {
        Nesting {
            inside: Inside::Code,
            depth: 0,
            deepest: 0,
            line: 1,
            column: 0,
            too_deep: None,
        }
    }
}

impl Nesting {
    /// The deepest nesting so far.
    pub fn deepest(&self) -> usize {
        self.deepest
    }

    /// Where the first bracket beyond [`MAX_NESTING`] opened, if one has.
    pub fn too_deep(&self) -> Option<Position> {
        self.too_deep
    }

    /// Follows the next chunk of the text. An IRI (`<` to `>` without spaces or
    /// braces) is recognized within a chunk: a whole query is one chunk, and JSON has
    /// no `<` outside strings.
    pub fn follow(&mut self, chunk: &[u8]) {
        let mut i = 0;
        while i < chunk.len() {
            let byte = chunk[i];
            if byte == b'\n' {
                self.line += 1;
                self.column = 0;
            } else if byte & 0xC0 != 0x80 {
                // A character starts here (not a UTF-8 continuation byte).
                self.column += 1;
            }
            self.inside = match self.inside {
                Inside::Code => self.code(byte, &chunk[i + 1..], &mut i),
                Inside::Comment if byte == b'\n' => Inside::Code,
                Inside::Comment => Inside::Comment,
                Inside::Opening { quote, run } if byte == quote => match run {
                    1 => Inside::Opening { quote, run: 2 },
                    _ => Inside::Long {
                        quote,
                        escaped: false,
                        run: 0,
                    },
                },
                // `""`: an empty string, and this byte is code again.
                Inside::Opening { run: 2, .. } => self.code(byte, &chunk[i + 1..], &mut i),
                Inside::Opening { quote, .. } => string_byte(quote, byte),
                Inside::Short { quote, escaped } => {
                    if escaped {
                        Inside::Short {
                            quote,
                            escaped: false,
                        }
                    } else {
                        string_byte(quote, byte)
                    }
                }
                Inside::Long {
                    quote,
                    escaped,
                    run,
                } => match (escaped, byte) {
                    (true, _) => Inside::Long {
                        quote,
                        escaped: false,
                        run: 0,
                    },
                    (false, b'\\') => Inside::Long {
                        quote,
                        escaped: true,
                        run: 0,
                    },
                    (false, b) if b == quote && run == 2 => Inside::Code,
                    (false, b) if b == quote => Inside::Long {
                        quote,
                        escaped: false,
                        run: run + 1,
                    },
                    _ => Inside::Long {
                        quote,
                        escaped: false,
                        run: 0,
                    },
                },
            };
            i += 1;
        }
    }

    /// A byte of code; `rest` follows it in the chunk, and an IRI found there is
    /// skipped by moving `at`.
    fn code(&mut self, byte: u8, rest: &[u8], at: &mut usize) -> Inside {
        match byte {
            b'{' | b'(' | b'[' => {
                self.depth += 1;
                self.deepest = self.deepest.max(self.depth);
                if self.depth > MAX_NESTING && self.too_deep.is_none() {
                    self.too_deep = Some(Position {
                        line: self.line,
                        column: self.column,
                    });
                }
                Inside::Code
            }
            b'}' | b')' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                Inside::Code
            }
            b'#' => Inside::Comment,
            b'"' | b'\'' => Inside::Opening {
                quote: byte,
                run: 1,
            },
            // An IRI runs to `>` without spaces; otherwise `<` is less-than. An IRI
            // holds no line break, so the line stays; its characters are counted.
            b'<' => {
                if let Some(end) = rest
                    .iter()
                    .position(|b| matches!(b, b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'{' | b'}'))
                {
                    if rest[end] == b'>' {
                        let iri = &rest[..=end];
                        self.column += iri.iter().filter(|b| *b & 0xC0 != 0x80).count() as u64;
                        *at += end + 1;
                    }
                }
                Inside::Code
            }
            _ => Inside::Code,
        }
    }
}

/// A byte inside a one-line string: its quote or a line break ends it.
fn string_byte(quote: u8, byte: u8) -> Inside {
    match byte {
        b'\\' => Inside::Short {
            quote,
            escaped: true,
        },
        b'\n' => Inside::Code,
        b if b == quote => Inside::Code,
        _ => Inside::Short {
            quote,
            escaped: false,
        },
    }
}

/// The deepest nesting of brackets in `text`, outside strings, IRIs and comments.
pub fn depth(text: &str) -> usize {
    let mut nesting = Nesting::default();
    nesting.follow(text.as_bytes());
    nesting.deepest()
}

/// An error message when `text` nests deeper than [`MAX_NESTING`].
pub fn check(text: &str, what: &str) -> Result<(), String> {
    let found = depth(text);
    if found > MAX_NESTING {
        return Err(format!(
            "the {what} nests its groups {found} levels deep; credgraph takes at most {MAX_NESTING}"
        ));
    }
    Ok(())
}

/// What a [`Limited`] reader fails with when its text nests too deep.
#[derive(Debug, Clone, Copy)]
pub struct TooDeep {
    /// Where the bracket that went past the limit opened.
    pub position: Position,
}

impl std::fmt::Display for TooDeep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "objects and arrays nest here more than {MAX_NESTING} levels deep; credgraph reads at most {MAX_NESTING}"
        )
    }
}

impl std::error::Error for TooDeep {}

/// A reader that fails with [`TooDeep`] (as an `InvalidData` error) before handing
/// on text that nests deeper than [`MAX_NESTING`]: the parser behind it never sees
/// the level that is too deep.
pub struct Limited<R> {
    inner: R,
    nesting: Nesting,
}

impl<R> Limited<R> {
    pub fn new(inner: R) -> Self {
        Limited {
            inner,
            nesting: Nesting::default(),
        }
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.nesting.follow(&buf[..n]);
        match self.nesting.too_deep() {
            Some(position) => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                TooDeep { position },
            )),
            None => Ok(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_count_outside_strings_iris_and_comments() {
        assert_eq!(depth("SELECT * WHERE { ?s ?p ?o }"), 1);
        assert_eq!(depth("SELECT * WHERE { { ?s ?p ?o FILTER(?o < 3) } }"), 3);
        assert_eq!(
            depth("SELECT * WHERE { ?s ?p \"{{{{\" . ?s ?p <http://e/a#b> } # {{{{"),
            1
        );
        assert_eq!(depth("SELECT * WHERE { ?s ?p '''{\n{''' }"), 1);
        assert_eq!(
            depth("SELECT * WHERE { ?s ?p \"\" . ?s ?p ( '''a'''' ) }"),
            2
        );
        assert_eq!(depth("SELECT * WHERE { ?s ?p \"a\\\"{\" }"), 1);
        let deep = format!("SELECT * WHERE {}{}", "{".repeat(4000), "}".repeat(4000));
        assert_eq!(depth(&deep), 4000);
        assert!(check(&deep, "query").unwrap_err().contains("4000 levels"));
        let fine = format!(
            "SELECT * WHERE {}?s ?p ?o{}",
            "{".repeat(50),
            "}".repeat(50)
        );
        assert!(check(&fine, "query").is_ok());
    }

    #[test]
    fn json_read_in_small_pieces_is_stopped_where_it_goes_too_deep() {
        let json = format!(
            "{{\"@id\": \"http://e/a\\\"{{[\",\n \"http://e/p\": {}1{}}}",
            "{\"http://e/p\": ".repeat(150),
            "}".repeat(150)
        );
        let mut whole = Nesting::default();
        whole.follow(json.as_bytes());
        assert_eq!(whole.deepest(), 151);
        let mut pieces = Nesting::default();
        for piece in json.as_bytes().chunks(3) {
            pieces.follow(piece);
        }
        assert_eq!(pieces.deepest(), 151);
        // The outer object is level 1 on line 1; level 101 opens on line 2.
        let at = pieces.too_deep().unwrap();
        assert_eq!(at.line, 2);
        assert_eq!(at.column, 15 + 99 * 15 + 1);
        let mut read = String::new();
        let error = Limited::new(json.as_bytes())
            .read_to_string(&mut read)
            .unwrap_err();
        assert!(error.get_ref().unwrap().is::<TooDeep>());
    }
}
