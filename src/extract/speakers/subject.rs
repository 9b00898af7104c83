//! The words in subject or object position, trimmed to the speaker's phrase: an
//! introduction ("On Tuesday, ...") and the verb's companions ("also", "has") go,
//! and so do parenthetical remarks and relative clauses; "A and B" may be two speakers.

use super::phrase::parse_one;
use super::words::{is_capitalized, lower};
use super::{Mention, MentionKind};
use crate::extract::lexicon::{INTRODUCERS, TRAILING_NOT_SPEAKER, WEEKDAYS};

/// Reads the words in subject position as speakers: one mention, or one for each
/// side of an "and" that joins two speakers. None when the words do not name a
/// speaker ("the troops", "it").
pub fn parse(words: &str) -> Option<Vec<Mention>> {
    let mut plain = without_ages(&without_parentheses(words));
    // "Anwar who is also the Pakatan Harapan chairman": the relative clause says
    // more about the speaker; the name is before it.
    for relative in [" who ", " whose ", " which "] {
        if let Some(at) = plain.find(relative) {
            if !plain[..at].contains(", ") {
                plain.truncate(at);
            }
        }
    }
    let words = strip_trailing(strip_introduction(plain.trim()));
    if words.is_empty() || words.split_whitespace().count() > 24 {
        return None;
    }
    if let Some((left, right)) = split_and(words) {
        if let (Some(a), Some(b)) = (parse_one(left), parse_one(right)) {
            if a.kind != MentionKind::Pronoun && b.kind != MentionKind::Pronoun {
                return Some(vec![a, b]);
            }
        }
    }
    parse_one(words).map(|m| vec![m])
}

/// The words after "according to", or after an inverted verb ("said X").
pub fn parse_object(words: &str) -> Option<Vec<Mention>> {
    let words = words.trim().trim_end_matches(['.', ',', ';', ':']);
    // "him", "her", "them" stand for the speaker carried over.
    let cut = cut_at_clause(words);
    parse(cut)
}

/// The words without an age in apposition: "Mr. King, 82," is Mr. King.
fn without_ages(words: &str) -> String {
    static AGE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r",\s*\d{1,3}\s*(?P<end>,|$)").expect("age pattern")
    });
    AGE.replace_all(words, "$end").into_owned()
}

/// The words without parenthetical remarks: "Netanyahu (local time)".
pub(super) fn without_parentheses(words: &str) -> String {
    let mut out = String::with_capacity(words.len());
    let mut depth = 0usize;
    for c in words.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Stops an object phrase where a new clause or an adverbial starts.
fn cut_at_clause(words: &str) -> &str {
    let mut end = words.len();
    for marker in [
        " on ", " in a ", " in an ", " at a ", " at the ", " during ", " who ", " which ",
        " when ", " after ", " before ", " while ", " last ", " this ", " earlier",
    ] {
        if let Some(at) = words.find(marker) {
            // Keep "Commander-in-Chief of ... in" titles: cut only past the first word.
            if at > 0 && at < end {
                end = at;
            }
        }
    }
    &words[..end]
}

/// The words without the introductory phrases before the subject.
pub(super) fn strip_introduction(words: &str) -> &str {
    // Drop leading comma-separated phrases that open with a preposition or adverb.
    let mut rest = words;
    loop {
        let first = rest
            .split_whitespace()
            .next()
            .map(lower)
            .unwrap_or_default();
        let Some(comma) = rest.find(", ") else {
            break;
        };
        // "On Tuesday, ...", "Speaking to reporters, ...", "Questioned about it, ...".
        let participle = first.ends_with("ing") || first.ends_with("ed");
        if INTRODUCERS.contains(&first) || first.ends_with("ly") || participle {
            rest = rest[comma + 2..].trim_start();
        } else {
            break;
        }
    }
    rest
}

/// The subject without the words at its end that belong to the verb: "Budanov
/// also", "the minister has repeatedly", "Antony Monday".
fn strip_trailing(words: &str) -> &str {
    let mut rest = words.trim_end_matches([',', ' ']);
    loop {
        let Some((head, last)) = rest.rsplit_once(' ') else {
            return rest;
        };
        let l = lower(last);
        let weekday = WEEKDAYS.contains(&l.as_str());
        if TRAILING_NOT_SPEAKER.contains(&l) || l.ends_with("ly") && !is_capitalized(last) {
            rest = head.trim_end_matches([',', ' ']);
        } else if weekday && head.ends_with(" on") {
            rest = head[..head.len() - 3].trim_end_matches([',', ' ']);
        } else if weekday {
            // "Defence Minister A.K. Antony Monday said".
            rest = head.trim_end_matches([',', ' ']);
        } else {
            return rest;
        }
    }
}

/// Splits "A and B" where both sides may be speakers; not inside a title such as
/// "Minister of Defence and Veterans".
fn split_and(words: &str) -> Option<(&str, &str)> {
    let at = words.find(" and ")?;
    let (left, right) = (&words[..at], &words[at + 5..]);
    let right_first = right.split_whitespace().next()?;
    let starts_speaker = is_capitalized(right_first)
        || matches!(
            lower(right_first).as_str(),
            "the" | "his" | "her" | "its" | "their"
        );
    starts_speaker.then_some((left.trim_end_matches(','), right))
}
