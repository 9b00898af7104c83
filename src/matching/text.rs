//! A statement's words as `match` compares them: stemmed content words, names,
//! numbers and dates, each with the words as written for the evidence.

use super::lexicon::Lexicon;
use crate::extract::article::MONTHS;
use crate::extract::speakers::WEEKDAYS;
use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// One word of a text, with where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Word<'t> {
    /// As written.
    pub text: &'t str,
    /// Lower case.
    pub lower: String,
    /// Byte offsets in the text.
    pub start: usize,
    pub end: usize,
}

/// Splits a text into words: runs of letters and digits, with an apostrophe inside a
/// word kept ("isn't", "Reuters'"), hyphens and other marks splitting.
pub fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let inside_apostrophe = matches!(c, '\'' | '’')
            && start.is_some()
            && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        let joins_number = matches!(c, ',' | '.')
            && start.is_some_and(|s| text[s..at].chars().all(|d| d.is_ascii_digit()))
            && chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
        if c.is_alphanumeric() || inside_apostrophe || joins_number {
            start.get_or_insert(at);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(word(text, s, at));
        }
    }
    if let Some(s) = start {
        out.push(word(text, s, text.len()));
    }
    out
}

fn word(text: &str, start: usize, end: usize) -> Word<'_> {
    let written = &text[start..end];
    Word {
        text: written,
        lower: written.to_lowercase().replace('’', "'"),
        start,
        end,
    }
}

/// What a text speaks of, as terms to weigh: stems of content words (`w:`), numbers
/// (`n:`) and years, months and days of the week (`d:`), each with the word as
/// written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Terms {
    pub terms: Vec<(String, String)>,
    /// Words capitalised inside a sentence (not its first word): names.
    pub names: Vec<String>,
}

/// Multipliers written after a number ("19 million", "19M").
fn multiplier(word: &str) -> Option<f64> {
    match word {
        "thousand" | "k" => Some(1e3),
        "million" | "millions" | "m" | "mn" | "mln" => Some(1e6),
        "billion" | "billions" | "bn" | "b" => Some(1e9),
        "trillion" => Some(1e12),
        _ => None,
    }
}

/// The terms of a text.
pub fn terms(text: &str, lexicon: &Lexicon) -> Terms {
    let words = words(text);
    let title_case = title_case(&words);
    let mut out = Terms::default();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let lower = w.lower.as_str();
        if let Some(number) = number(lower) {
            // "19 million", "19M", "19m"
            let (value, used) = match words.get(i + 1).and_then(|n| multiplier(&n.lower)) {
                Some(m) => (number * m, 2),
                None => match split_suffix(lower) {
                    Some((n, m)) => (n * m, 1),
                    None => (number, 1),
                },
            };
            let written = words[i..i + used]
                .iter()
                .map(|w| w.text)
                .collect::<Vec<_>>()
                .join(" ");
            let kind = if (1800.0..2100.0).contains(&value) && value.fract() == 0.0 && used == 1 {
                "d"
            } else {
                "n"
            };
            out.terms
                .push((format!("{kind}:{}", format_number(value)), written));
            i += used;
            continue;
        }
        if let Some(n) = split_suffix(lower).map(|(n, m)| n * m) {
            out.terms
                .push((format!("n:{}", format_number(n)), w.text.to_string()));
            i += 1;
            continue;
        }
        if (MONTHS.contains(&lower) && lower != "may") || WEEKDAYS.contains(&lower) {
            out.terms.push((format!("d:{lower}"), w.text.to_string()));
            i += 1;
            continue;
        }
        let bare = lower.trim_end_matches("'s").trim_end_matches('\'');
        if !lexicon.is_stop_word(bare) && !lexicon.is_cue_word(bare) && bare.chars().count() > 1 {
            out.terms
                .push((format!("w:{}", STEMMER.stem(bare)), w.text.to_string()));
            if !title_case && is_name(text, w) {
                out.names.push(w.text.trim_end_matches("'s").to_string());
            }
        }
        i += 1;
    }
    out
}

/// Whether a capitalised word stands inside a sentence rather than at its start.
fn is_name(text: &str, w: &Word<'_>) -> bool {
    let first = w.text.chars().next().is_some_and(char::is_uppercase);
    if !first || w.start == 0 {
        return false;
    }
    let before = text[..w.start].trim_end();
    !(before.is_empty() || before.ends_with(['.', '!', '?', ':', '"', '“', '‘']))
}

/// Whether most words of a text are capitalised (a headline in title case), which
/// then says nothing about names.
fn title_case(words: &[Word<'_>]) -> bool {
    let capitalised = words
        .iter()
        .filter(|w| w.text.chars().next().is_some_and(char::is_uppercase))
        .count();
    capitalised * 2 > words.len()
}

/// A word that is a number ("1,000", "19", "2.5").
fn number(lower: &str) -> Option<f64> {
    if !lower.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let plain: String = lower.chars().filter(|c| *c != ',').collect();
    plain.parse::<f64>().ok()
}

/// A number with its multiplier run on ("19m", "2bn").
fn split_suffix(lower: &str) -> Option<(f64, f64)> {
    let at = lower.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))?;
    if at == 0 {
        return None;
    }
    let n = number(&lower[..at])?;
    let m = multiplier(&lower[at..])?;
    Some((n, m))
}

fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term_names(text: &str) -> Vec<String> {
        terms(text, Lexicon::get())
            .terms
            .into_iter()
            .map(|t| t.0)
            .collect()
    }

    #[test]
    fn words_keep_inner_apostrophes_and_number_commas() {
        let found: Vec<_> = words("It isn't 1,000 men - Reuters' count.")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(found, ["It", "isn't", "1,000", "men", "Reuters", "count"]);
    }

    #[test]
    fn inflections_meet_and_numbers_are_normalised() {
        assert_eq!(term_names("attacks"), term_names("attacked"));
        assert_eq!(term_names("19 million watches"), term_names("19M watches"));
        assert!(term_names("In 2015").contains(&"d:2015".to_string()));
        assert!(!term_names("the of and").iter().any(|t| t.starts_with("w:")));
    }

    #[test]
    fn names_are_capitalised_words_inside_a_sentence() {
        let found = terms(
            "Officials in Kherson said the dam at Nova Kakhovka held.",
            Lexicon::get(),
        );
        assert_eq!(found.names, ["Kherson", "Nova", "Kakhovka"]);
        let title = terms("Man Claims To Have Kept Burger For Years", Lexicon::get());
        assert!(title.names.is_empty());
    }
}
