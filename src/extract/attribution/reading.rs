//! What one sentence says and who says it, read from the sentence alone: its quotes
//! and their frame, or indirect speech, or a sentence that introduces the quotes after
//! it. Whom a pronoun stands for is left to the walk.

use super::frames::VERB;
use super::{indirect, quotes, How};
use crate::extract::sentences::Quotation;
use crate::extract::speakers::{self, Mention, MentionKind};
use std::ops::Range;

/// What one sentence says and who says it.
pub(super) enum Reading {
    /// Statements with their speakers' mentions.
    Statements(Vec<Draft>),
    /// A sentence that attributes earlier sentences to a speaker ("X told about this").
    BackReference(BackReference),
    /// "X said:" before a quote in the next paragraph.
    Introduction(Vec<Mention>, String),
    /// No attribution.
    Plain,
}

/// A sentence that attributes earlier sentences to a speaker: "X told about this",
/// "X called it a 'carousel'".
pub(super) struct BackReference {
    pub mentions: Vec<Mention>,
    pub verb: String,
    pub medium: Option<String>,
    /// The sentence also belongs to the statement ("called it a 'carousel'").
    pub joins: bool,
    pub quoted_phrase: Option<String>,
    /// Only the last of the earlier sentences is the speaker's ("said it").
    pub one_sentence: bool,
}

/// A statement of a sentence, with the mentions of its speakers as written.
pub(super) struct Draft {
    pub mentions: Vec<Mention>,
    pub how: How,
    pub verb: Option<String>,
    pub span: Range<usize>,
    pub text: String,
    pub claim: String,
    pub quoted_phrase: Option<String>,
    pub rule: &'static str,
    pub confidence: f64,
    /// Carries the speaker to the rest of the paragraph ("According to him, ...").
    pub carries: bool,
    /// The quote has words around it that name nobody the rules know ("A local
    /// business sent a card that read:"): it does not go on with the last speaker.
    pub unresolved_frame: bool,
}

/// Reads one sentence.
pub(super) fn read(text: &str, sentence: Range<usize>, quotes: &[Quotation]) -> Reading {
    let words = &text[sentence.clone()];
    // A quote of a few words, or one woven into the reporter's clause ("said Mr
    // Spencer was "once again showing his ignorance""), is a quoted phrase of a
    // paraphrase; the others are the speaker's own words.
    let is_long = |k: usize, q: &Quotation| {
        (word_count(&text[q.inner.clone()]) >= 4 && !is_woven(text, &sentence, q))
            || opens_interrupted_quote(text, &sentence, quotes, k)
    };
    let (long, short): (Vec<&Quotation>, Vec<&Quotation>) = (
        quotes
            .iter()
            .enumerate()
            .filter(|&(k, q)| is_long(k, q))
            .map(|(_, q)| q)
            .collect(),
        quotes
            .iter()
            .enumerate()
            .filter(|&(k, q)| !is_long(k, q))
            .map(|(_, q)| q)
            .collect(),
    );
    let quoted_phrase = short
        .iter()
        .map(|q| {
            text[q.inner.clone()]
                .trim_end_matches(['.', ','])
                .to_string()
        })
        .find(|p| p.chars().next().is_some_and(char::is_lowercase));
    let masked = mask(words, quotes, sentence.start);
    if !long.is_empty() {
        return quotes::read_quotes(text, sentence, &long, &masked);
    }
    let reading = indirect::read_indirect(text, sentence.clone(), &masked, quoted_phrase);
    // Someone's words woven into a sentence that names nobody are still theirs,
    // not the outlet's: read them as quotes.
    let woven: Vec<&Quotation> = short
        .iter()
        .copied()
        .filter(|q| word_count(&text[q.inner.clone()]) >= 4)
        .collect();
    if matches!(reading, Reading::Plain) && !woven.is_empty() {
        return quotes::read_quotes(text, sentence, &woven, &masked);
    }
    reading
}

/// A sentence that introduces the quotes after it without a reporting verb: "Mayor
/// Lisa Brown issued the following statement:", or a line that is only a name and
/// title ("Dr. Melissa Diaz-Musa, Director of Public Health").
pub(super) fn introduction(sentence: &str) -> Option<Reading> {
    let trimmed = sentence.trim();
    if trimmed.ends_with(':') {
        let name = speakers::subject_name(trimmed)?;
        let mentions = speakers::parse(&name)?;
        return Some(Reading::Introduction(mentions, ":".into()));
    }
    let ends = trimmed.ends_with(['.', '!', '?', '"', '”']);
    if ends || word_count(trimmed) > 10 {
        return None;
    }
    if !speakers::is_name_line(trimmed) {
        return None;
    }
    let mentions = speakers::parse(trimmed)?;
    (mentions.len() == 1 && mentions[0].kind == MentionKind::Person)
        .then(|| Reading::Introduction(mentions, "".into()))
}

/// Replaces the inside of quotations with `x` so that patterns see only the frame;
/// byte offsets stay the same.
fn mask(sentence: &str, quotes: &[Quotation], base: usize) -> String {
    let mut bytes = sentence.as_bytes().to_vec();
    for quote in quotes {
        for b in &mut bytes[quote.inner.start - base..quote.inner.end - base] {
            *b = b'x';
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| sentence.to_string())
}

/// The original words at the place of a part of the masked sentence.
pub(super) fn unmask<'a>(original: &'a str, masked: &str, part: &str) -> &'a str {
    let start = (part.as_ptr() as usize).saturating_sub(masked.as_ptr() as usize);
    original.get(start..start + part.len()).unwrap_or_default()
}

pub(super) fn word_count(words: &str) -> usize {
    words.split_whitespace().count()
}

/// Whether a quote is woven into the reporter's clause: a word (not a reporting
/// verb) runs into its opening mark and the clause goes on after its closing one.
/// The first part of a quote its attribution interrupts, however short: "“No,” he
/// said, “we will not.”" (it opens the sentence, ends in a comma, and a long
/// quote follows).
fn opens_interrupted_quote(
    text: &str,
    sentence: &Range<usize>,
    quotes: &[Quotation],
    k: usize,
) -> bool {
    let quote = &quotes[k];
    let opens = text[sentence.start..quote.outer.start].trim().is_empty();
    let open_ended = text[quote.inner.clone()].trim_end().ends_with(',');
    let followed = quotes
        .get(k + 1)
        .is_some_and(|next| word_count(&text[next.inner.clone()]) >= 4);
    opens && open_ended && followed && word_count(&text[quote.inner.clone()]) >= 1
}

fn is_woven(text: &str, sentence: &Range<usize>, quote: &Quotation) -> bool {
    let before = text[sentence.start..quote.outer.start].trim_end();
    let after = text[quote.outer.end..sentence.end].trim_start();
    let runs_in = before.chars().last().is_some_and(|c| c.is_alphanumeric());
    if !runs_in {
        return false;
    }
    let last_words: Vec<&str> = before.split_whitespace().rev().take(4).collect();
    let after_verb = last_words.first().is_some_and(|w| *w != "that")
        && last_words.iter().any(|w| VERB.is_match(w));
    if after_verb {
        return false;
    }
    // "... was "showing his ignorance"." and "... that "the war is over" because ...".
    after.is_empty()
        || after.starts_with(['.', ',', ';', '!', '?', ')'])
        || after.chars().next().is_some_and(char::is_lowercase)
}

/// The first reporting verb whose subject names a speaker, in a frame.
pub(super) fn find_subject_verb(words: &str, masked: &str) -> Option<(Vec<Mention>, String)> {
    for found in VERB.find_iter(masked) {
        let subject = clause_before(masked, found.start());
        if let Some(m) = speakers::parse(unmask(words, masked, subject)) {
            return Some((m, found.as_str().to_string()));
        }
    }
    None
}

/// The words of the clause that ends where the verb starts.
/// Parenthetical remarks ("(local time)", "[Israel]") are passed over.
pub(super) fn clause_before(masked: &str, at: usize) -> &str {
    let before = &masked[..at];
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in before.char_indices().rev() {
        match c {
            ')' | ']' => depth += 1,
            '(' | '[' if depth > 0 => depth -= 1,
            '(' | '[' | ';' | ':' | '—' if depth == 0 => {
                start = i + c.len_utf8();
                break;
            }
            _ => {}
        }
    }
    before[start..].trim()
}
