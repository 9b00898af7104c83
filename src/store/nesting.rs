//! How deeply a SPARQL text nests its groups, checked before it is parsed: the
//! parser and the evaluator recurse once per level, and a few kilobytes of `{` or `(`
//! would otherwise overflow a thread's stack and abort the whole process (a server's
//! included). Real queries nest a few levels; the limit is far above them.

/// The deepest nesting of `{`, `(` and `[` a query or update may have.
pub const MAX_NESTING: usize = 100;

/// The deepest nesting of brackets in `text`, outside strings, IRIs and comments.
pub fn depth(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'(' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            quote @ (b'"' | b'\'') => {
                let long = bytes[i..].starts_with(&[quote; 3]);
                i += if long { 3 } else { 1 };
                while i < bytes.len() {
                    if bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if long && bytes[i..].starts_with(&[quote; 3]) {
                        i += 2;
                        break;
                    }
                    if !long && (bytes[i] == quote || bytes[i] == b'\n') {
                        break;
                    }
                    i += 1;
                }
            }
            // An IRI runs to `>` without spaces; otherwise `<` is less-than.
            b'<' => {
                if let Some(end) = bytes[i + 1..]
                    .iter()
                    .position(|b| matches!(b, b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'{' | b'}'))
                {
                    if bytes[i + 1 + end] == b'>' {
                        i += end + 1;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    deepest
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
}
