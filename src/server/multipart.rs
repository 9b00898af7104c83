//! `multipart/form-data` bodies (RFC 7578), which the Graph Store Protocol lets a
//! client use to send several RDF documents in one POST. The crates that parse
//! them are built for async servers; this is the small synchronous part we need.

/// One part of a multipart body.
pub struct Part<'a> {
    pub content_type: Option<String>,
    pub body: &'a [u8],
}

/// The boundary parameter of a `multipart/form-data` Content-Type header.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_string())
            // RFC 2046: 1 to 70 characters.
            .filter(|b| !b.is_empty() && b.len() <= 70)
    })
}

/// The parts between the boundaries, or a message saying what is malformed.
pub fn parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, String> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut start = find(body, delimiter, 0).ok_or("the multipart body has no opening boundary")?
        + delimiter.len();
    let mut found = Vec::new();
    loop {
        if body[start..].starts_with(b"--") {
            return Ok(found);
        }
        // A delimiter starts a line: "--boundary" inside a document is content.
        let end = next_delimiter(body, delimiter, start)
            .ok_or("the multipart body has no closing boundary")?;
        let part = trim_line_end(strip_line_start(&body[start..end]));
        let (head, content) =
            split_head(part).ok_or("a part has no blank line after its headers")?;
        let head = String::from_utf8_lossy(head);
        let content_type = head.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-type")
                .then(|| value.trim().to_string())
        });
        found.push(Part {
            content_type,
            body: content,
        });
        start = end + delimiter.len();
    }
}

fn next_delimiter(body: &[u8], delimiter: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let found = find(body, delimiter, at)?;
        if found == 0 || body[found - 1] == b'\n' {
            return Some(found);
        }
        at = found + 1;
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn strip_line_start(part: &[u8]) -> &[u8] {
    part.strip_prefix(b"\r\n")
        .or_else(|| part.strip_prefix(b"\n"))
        .unwrap_or(part)
}

fn trim_line_end(part: &[u8]) -> &[u8] {
    part.strip_suffix(b"\r\n")
        .or_else(|| part.strip_suffix(b"\n"))
        .unwrap_or(part)
}

fn split_head(part: &[u8]) -> Option<(&[u8], &[u8])> {
    if let Some(at) = find(part, b"\r\n\r\n", 0) {
        return Some((&part[..at], &part[at + 4..]));
    }
    find(part, b"\n\n", 0).map(|at| (&part[..at], &part[at + 2..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_keep_their_types_and_bodies() {
        let body = b"--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Type: text/turtle\r\n\r\n<a> <b> <c> .\r\n--xyz\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nplain\r\n--xyz--\r\n";
        let found = parts(body, "xyz").unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].content_type.as_deref(), Some("text/turtle"));
        assert_eq!(found[0].body, b"<a> <b> <c> .");
        assert_eq!(found[1].content_type, None);
        assert_eq!(found[1].body, b"plain");
        assert_eq!(
            boundary("multipart/form-data; boundary=\"xyz\"").as_deref(),
            Some("xyz")
        );
    }

    #[test]
    fn a_boundary_inside_a_line_is_content() {
        let body = b"--xyz\r\nContent-Type: text/plain\r\n\r\nsee --xyz here\r\n--xyz--\r\n";
        let found = parts(body, "xyz").unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].body, b"see --xyz here");
        assert_eq!(
            boundary(&format!("multipart/form-data; boundary={}", "b".repeat(71))),
            None
        );
    }

    #[test]
    fn a_body_without_boundaries_is_refused() {
        assert!(parts(b"no parts here", "xyz").is_err());
        assert!(parts(
            b"--xyz\r\nContent-Type: text/turtle\r\n\r\nunfinished",
            "xyz"
        )
        .is_err());
    }
}
