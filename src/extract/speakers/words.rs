//! What one word can be in a speaker's phrase: part of a name, a title, an
//! honorific, an organization, a state; the lists are those of `lexicon/extract/`.

use crate::extract::lexicon::{
    HONORIFICS, MONTHS, NOT_NAMES, ORGANIZATION_WORDS, STATE_NAMES, TITLE_WORDS, WEEKDAYS,
};

/// The word in lower case, without the punctuation around it.
pub(super) fn lower(word: &str) -> String {
    word.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '"' | '“' | '”' | '(' | ')'))
        .to_lowercase()
}

pub(super) fn is_honorific(word: &str) -> bool {
    HONORIFICS.contains(&lower(word))
}

pub(super) fn is_title_word(word: &str) -> bool {
    let w = lower(word);
    TITLE_WORDS.contains(&w) || w.split('-').any(|part| TITLE_WORDS.contains(part))
}

pub(super) fn is_organization_word(word: &str) -> bool {
    let w = lower(word);
    let w = w.trim_end_matches("’s").trim_end_matches("'s");
    ORGANIZATION_WORDS.contains(w)
}

pub(super) fn is_capitalized(word: &str) -> bool {
    word.trim_start_matches(['"', '“', '(', '«'])
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

/// Whether a word can be part of a person's name: capitalized, and not a title,
/// an honorific, an organization, a weekday, a month or a word never in a name.
pub(super) fn is_name_word(word: &str) -> bool {
    is_capitalized(word)
        && !is_honorific(word)
        && !is_title_word(word)
        && !is_organization_word(word)
        && !{
            let l = lower(word);
            NOT_NAMES.contains(&l) || WEEKDAYS.contains(&l.as_str()) || MONTHS.contains(&l.as_str())
        }
        && !word.contains(['"', '“', '”'])
        && !word.ends_with("’s")
        && !word.ends_with("'s")
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && (!word.chars().all(|c| !c.is_lowercase()) || is_initials(word))
}

/// Initials such as "A.K." or "J.".
fn is_initials(word: &str) -> bool {
    word.ends_with('.')
        && word
            .split('.')
            .filter(|p| !p.is_empty())
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase))
        && !matches!(word, "U.S." | "U.K." | "U.N." | "E.U.")
}

/// Whether a name of one word is a state or a capital speaking for one.
pub fn is_state_name(name: &str) -> bool {
    STATE_NAMES.contains(&name.to_lowercase())
}
