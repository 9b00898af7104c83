//! Reading an article: checking that it is text, its small header (`date:`,
//! `outlet:`, `title:`, `url:`), and dates in the ways news write them.

use crate::error::{Error, Position, Result};
use std::path::Path;

/// An article's text and what its header says.
#[derive(Debug, Clone)]
pub struct Article {
    pub text: String,
    /// Where the body starts, after the header (bytes).
    pub body_start: usize,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
}

const HEADER_KEYS: &[&str] = &[
    "date",
    "outlet",
    "title",
    "url",
    "note",
    "source",
    "published",
];

/// Checks that the bytes are UTF-8 text and reads the header.
pub fn read(path: &Path, bytes: Vec<u8>) -> Result<Article> {
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::Syntax {
            path: path.to_path_buf(),
            position: Some(position_of(&bytes, at)),
            message: "this is not a text: it holds a NUL byte, as binary files do; give the article as plain UTF-8 text".into(),
        });
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            return Err(Error::Syntax {
                path: path.to_path_buf(),
                position: Some(position_of(&bytes, at)),
                message: format!(
                    "not UTF-8 text (byte 0x{:02x}); save the article as UTF-8",
                    bytes[at]
                ),
            });
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::Syntax {
            path: path.to_path_buf(),
            position: None,
            message: "the article is empty".into(),
        });
    }
    let mut article = Article {
        body_start: 0,
        date: None,
        outlet: None,
        title: None,
        url: None,
        text,
    };
    read_header(path, &mut article)?;
    Ok(article)
}

fn position_of(bytes: &[u8], at: usize) -> Position {
    let before = &bytes[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    Position { line, column }
}

/// Reads `key: value` lines at the top. `date` may also open the first line with
/// the text going on after it (`date 2022-12-24 Currently, ...`).
fn read_header(path: &Path, article: &mut Article) -> Result<()> {
    let text = article.text.clone();
    let mut at = 0;
    loop {
        let rest = &text[at..];
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let line_start = at + skipped;
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |p| line_start + p);
        let line = &text[line_start..line_end];
        let Some((key, value, inline_rest)) = header_line(line) else {
            break;
        };
        let value = value.trim().to_string();
        let position = position_of(text.as_bytes(), line_start);
        match key.as_str() {
            "date" | "published" => {
                let date = parse_date(&value).ok_or_else(|| Error::Syntax {
                    path: path.to_path_buf(),
                    position: Some(position),
                    message: format!(
                        "unknown date format {:?} in the header; write it as YYYY-MM-DD (or \"24 December 2022\", \"December 24, 2022\")",
                        crate::error::quoted(&value)
                    ),
                })?;
                article.date = Some(date);
            }
            "outlet" | "source" => article.outlet = Some(value),
            "title" => article.title = Some(value),
            "url" => article.url = Some(value),
            _ => {}
        }
        match inline_rest {
            Some(offset) => {
                at = line_start + offset;
                break;
            }
            None => at = (line_end + 1).min(text.len()),
        }
        if line_end >= text.len() {
            break;
        }
    }
    article.body_start = at;
    Ok(())
}

/// A header line: the key, its value, and where the text goes on when a date opens
/// a line of text.
fn header_line(line: &str) -> Option<(String, String, Option<usize>)> {
    let (key, rest) = line.split_once([':', ' ', '\t'])?;
    let with_colon = line[key.len()..].starts_with(':');
    let key = key.trim().to_lowercase();
    if !HEADER_KEYS.contains(&key.as_str()) {
        return None;
    }
    let value = rest.trim();
    // Without a colon only a date opens the text ("date 2022-12-24 ..."): a text may
    // well begin with "Source said".
    let opens_with_date = matches!(key.as_str(), "date" | "published")
        && value
            .split_whitespace()
            .next()
            .is_some_and(|w| parse_date(w).is_some());
    if !with_colon && !opens_with_date {
        return None;
    }
    if key == "date" || key == "published" {
        // "date 2022-12-24 Currently, ..." keeps its text on the same line.
        let first = value.split_whitespace().next().unwrap_or_default();
        if parse_date(value).is_none() && parse_date(first).is_some() {
            let offset =
                line.len() - rest.len() + (rest.len() - rest.trim_start().len()) + first.len();
            let after = &line[offset..];
            let text_offset = offset + (after.len() - after.trim_start().len());
            return Some((key, first.to_string(), Some(text_offset)));
        }
    }
    Some((key, value.to_string(), None))
}

pub(crate) use super::lexicon::MONTHS;

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',']).to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w) && (w.len() >= 3))
        .map(|i| i as u32 + 1)
}

fn valid(year: i32, month: u32, day: u32) -> Option<String> {
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// A date as YYYY-MM-DD, from YYYY-MM-DD, YYYY/MM/DD, DD.MM.YYYY, "24 December
/// 2022", "December 24, 2022" or "Dec. 24, 2022"; None for anything else.
pub fn parse_date(value: &str) -> Option<String> {
    let value = value.trim();
    let numbers: Vec<&str> = value.split(['-', '/', '.']).collect();
    if numbers.len() == 3
        && numbers
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    {
        let parse = |s: &str| s.parse::<u32>().ok();
        let (a, b, c) = (parse(numbers[0])?, parse(numbers[1])?, parse(numbers[2])?);
        return if numbers[0].len() == 4 && !value.contains('.') {
            valid(a as i32, b, c)
        } else if numbers[2].len() == 4 && value.contains('.') {
            valid(c as i32, b, a)
        } else {
            None
        };
    }
    let words: Vec<&str> = value.split_whitespace().collect();
    if words.len() == 3 {
        let day = |s: &str| {
            s.trim_end_matches([',', '.'])
                .trim_end_matches(|c: char| c.is_alphabetic())
                .parse::<u32>()
                .ok()
        };
        let year = |s: &str| {
            let s = s.trim_end_matches([',', '.']);
            (s.len() == 4).then(|| s.parse::<i32>().ok()).flatten()
        };
        if let (Some(d), Some(m), Some(y)) = (day(words[0]), month(words[1]), year(words[2])) {
            return valid(y, m, d);
        }
        if let (Some(m), Some(d), Some(y)) = (month(words[0]), day(words[1]), year(words[2])) {
            return valid(y, m, d);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_ways_news_write_them() {
        for written in [
            "2022-12-24",
            "2022/12/24",
            "24.12.2022",
            "24 December 2022",
            "December 24, 2022",
            "Dec. 24, 2022",
            "24th Dec 2022",
        ] {
            assert_eq!(
                parse_date(written).as_deref(),
                Some("2022-12-24"),
                "{written}"
            );
        }
        for bad in [
            "2022-13-01",
            "yesterday",
            "12/24/2022",
            "2023-02-29",
            "24 Decembre 2022x",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_seed_header_opens_the_first_line() {
        let article = read(
            Path::new("a.txt"),
            b" date 2022-12-24 Currently, no threat.\nNext.".to_vec(),
        )
        .unwrap();
        assert_eq!(article.date.as_deref(), Some("2022-12-24"));
        assert!(article.text[article.body_start..].starts_with("Currently"));
    }

    #[test]
    fn header_lines_then_text() {
        let article = read(
            Path::new("a.txt"),
            b"date: 24 December 2022\noutlet: Kyiv Wire\n\nThe text.".to_vec(),
        )
        .unwrap();
        assert_eq!(article.outlet.as_deref(), Some("Kyiv Wire"));
        assert!(article.text[article.body_start..]
            .trim_start()
            .starts_with("The text."));
    }

    #[test]
    fn binary_and_non_utf8_input_are_refused_with_a_position() {
        let error = read(Path::new("a.txt"), b"ok\nab\xffcd".to_vec()).unwrap_err();
        assert!(
            error.to_string().starts_with("a.txt:2:3: not UTF-8"),
            "{error}"
        );
        let error = read(Path::new("a.bin"), b"PK\x03\x04\x00\x00".to_vec()).unwrap_err();
        assert!(error.to_string().contains("NUL byte"), "{error}");
        assert!(read(Path::new("e.txt"), b" \n\n".to_vec())
            .unwrap_err()
            .to_string()
            .contains("empty"));
    }

    #[test]
    fn a_bad_header_date_is_reported_with_its_line() {
        let error = read(
            Path::new("a.txt"),
            b"outlet: X\ndate: someday\n\nText.".to_vec(),
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("a.txt:2:1: unknown date format"),
            "{error}"
        );
    }
}
