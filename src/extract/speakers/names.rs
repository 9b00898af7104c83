//! Names and speakers met in passing: the full names a text gives (for a surname
//! later), the subject a sentence opens with (for a pronoun later), a line that is
//! only a name and a title, and the word of a title that says what the post is.

use super::phrase::parse_one;
use super::subject::{strip_introduction, without_parentheses};
use super::words::{is_capitalized, is_honorific, is_name_word, is_title_word, lower};
use super::{Mention, MentionKind};
use crate::extract::lexicon::{PARTICLES, PRONOUNS};

/// Names of two or three name-like words in a row ("Kyrylo Budanov"), for
/// expanding a surname met later.
pub fn full_names(sentence: &str) -> Vec<(String, Option<String>)> {
    let tokens: Vec<&str> = sentence
        .split_whitespace()
        .map(|t| t.trim_end_matches([',', '.', ';', ':', '"', '”', ')']))
        .collect();
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut last_title: Option<(usize, String)> = None;
    for (at, token) in tokens.iter().chain(std::iter::once(&"")).enumerate() {
        if !token.is_empty() && is_name_word(token) {
            run.push(token);
            continue;
        }
        // The title word just before the name: "President Volodymyr Zelensky";
        // a surname alone counts when the title is right before it ("President Trump").
        let title = last_title
            .as_ref()
            .filter(|(t, _)| at >= run.len() + t && at - run.len() - t <= 4)
            .map(|(_, w)| w.clone());
        let titled_surname = run.len() == 1
            && last_title
                .as_ref()
                .is_some_and(|(t, _)| *t == at - run.len());
        if (2..=3).contains(&run.len()) || titled_surname {
            out.push((
                run.join(" ")
                    .trim_end_matches("’s")
                    .trim_end_matches("'s")
                    .to_string(),
                title,
            ));
        }
        run.clear();
        if is_title_word(token) {
            last_title = Some((at + 1, lower(token)));
        }
    }
    out
}

/// The person a sentence is about when its subject is a name ("Mr Plaskitt was
/// asked ..."), for pronouns in the sentences after it.
pub fn subject_name(sentence: &str) -> Option<String> {
    let (mention, marked) = opening_phrase(sentence)?;
    (mention.kind == MentionKind::Person && marked)
        .then_some(mention.name)
        .flatten()
}

/// The speaker the sentence opens with, whatever the verb: "Ken McCallum gave a
/// stark warning ...".
pub fn opening_speaker(sentence: &str) -> Option<Vec<Mention>> {
    let (mention, _) = opening_phrase(sentence)?;
    matches!(
        mention.kind,
        MentionKind::Person
            | MentionKind::Official
            | MentionKind::Organization
            | MentionKind::Pronoun
    )
    .then(|| vec![mention])
}

/// The noun phrase a sentence opens with, and whether a title or honorific marks it
/// as a person's.
fn opening_phrase(sentence: &str) -> Option<(Mention, bool)> {
    let plain = without_parentheses(sentence);
    let clause = strip_introduction(plain.trim());
    // The noun phrase that opens the clause: up to its first word in lower case
    // that is not part of a title ("of", "the", a title word).
    let mut words = Vec::new();
    let tokens: Vec<&str> = clause.split_whitespace().take(12).collect();
    for (i, token) in tokens.iter().enumerate() {
        let bare = token.trim_end_matches([',', ';', ':']);
        let l = lower(bare);
        if i == 0 && PRONOUNS.contains(&l) {
            words.push(bare);
            break;
        }
        let joins = matches!(l.as_str(), "of" | "the" | "for" | "and");
        // "opposition leader", "defence minister": a word in lower case that a
        // title follows belongs to it.
        let before_title = tokens
            .iter()
            .skip(i + 1)
            .take(2)
            .any(|t| is_title_word(t.trim_end_matches([',', ';', ':'])));
        if !(is_capitalized(bare)
            || is_title_word(bare)
            || joins
            || is_honorific(bare)
            || before_title)
        {
            break;
        }
        words.push(bare);
        if token.ends_with([',', ';', ':']) {
            break;
        }
    }
    let phrase = words.join(" ");
    let mention = parse_one(&phrase)?;
    // A person the words mark as one, by a title or an honorific: a bare pair of
    // capitalized words opening a sentence is as often a place or a storm.
    let marked = mention.title.is_some() || words.iter().any(|w| is_honorific(w));
    Some((mention, marked))
}

/// Whether a line is only a name, with a title after a comma: "Dr. Melissa
/// Diaz-Musa, Director of Public Health". A byline ("Linus Aleke in Abuja") is not.
pub fn is_name_line(line: &str) -> bool {
    let (name, title) = match line.split_once(", ") {
        Some((name, title)) => (name, Some(title)),
        None => (line, None),
    };
    let tokens: Vec<&str> = name
        .split_whitespace()
        .filter(|w| !is_honorific(w))
        .collect();
    (2..=4).contains(&tokens.len())
        && tokens
            .iter()
            .all(|w| is_name_word(w) || PARTICLES.contains(w))
        && title.is_none_or(|t| t.split_whitespace().any(is_title_word))
}

/// The word of a title that says what the post is: "spokesman" in "the Kremlin
/// spokesman", "head" in "head of the OVA".
pub fn title_head(title: &str) -> Option<String> {
    let before_of = title.split(" of ").next().unwrap_or(title);
    before_of
        .split_whitespace()
        .rev()
        .find(|w| is_title_word(w))
        .map(lower)
}
