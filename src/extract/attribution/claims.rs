//! A reported sentence cut into its coordinated claims: "X said that A, and that B"
//! is two statements, each with the attribution it needs.

use super::frames::FINITE;
use super::reading::{word_count, Draft};
use super::How;
use crate::extract::speakers::Mention;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

static CONJUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",? and that |, and |, but |, (?:al)?though |; ").expect("conjunction")
});

/// How a claim is cut into coordinated claims, and what each part is.
pub(super) struct Claims<'a> {
    pub mentions: &'a [Mention],
    pub verb: &'a str,
    pub quoted_phrase: Option<String>,
    pub rule: &'static str,
    pub confidence: f64,
    pub carries: bool,
}

/// Splits "X said that A, and that B" (and "A, and the Bs are C", "A, but B") into
/// one statement per claim; the first keeps the attribution's words, as an analyst
/// would cite it. `claim` is where the claim lies in the sentence (bytes).
pub(super) fn split_coordinated(
    text: &str,
    sentence: Range<usize>,
    claim: Range<usize>,
    how: Claims<'_>,
) -> Vec<Draft> {
    let words = &text[sentence.clone()];
    let starts = part_starts(words, &claim);
    let split = starts.len() > 1;
    let mut drafts = Vec::new();
    for (i, &(text_start, claim_start)) in starts.iter().enumerate() {
        let (text_end, claim_end) = match starts.get(i + 1) {
            Some(&(next_text, _)) => {
                let end = words[..next_text].trim_end_matches([',', ';', ' ']).len();
                (end, end)
            }
            None => (words.len(), claim.end),
        };
        drafts.push(Draft {
            mentions: how.mentions.to_vec(),
            how: How::Paraphrase,
            verb: Some(how.verb.to_string()),
            span: sentence.start + text_start..sentence.start + text_end,
            text: words[text_start..text_end].trim().to_string(),
            claim: words[claim_start..claim_end.max(claim_start)]
                .trim()
                .to_string(),
            quoted_phrase: how.quoted_phrase.clone(),
            rule: if split {
                "one of the coordinated claims of a reported sentence"
            } else {
                how.rule
            },
            confidence: if split {
                how.confidence - 0.1
            } else {
                how.confidence
            },
            carries: how.carries,
            unresolved_frame: false,
        });
    }
    drafts
}

/// Where each coordinated part starts in the sentence's `words`: (where its text
/// starts, where its claim starts). A conjunction cuts when "that" follows it, or
/// when a clause of its own with a finite verb does.
fn part_starts(words: &str, claim: &Range<usize>) -> Vec<(usize, usize)> {
    let claim_words = &words[claim.clone()];
    let mut starts = vec![(0usize, claim.start)];
    let mut last_claim = claim.start;
    for found in CONJUNCTION.find_iter(claim_words) {
        let cut = claim.start + found.start();
        let after = claim.start + found.end();
        let rest = &words[after..claim.end];
        let left = &words[last_claim..cut];
        let that = found.as_str().ends_with("that ");
        let clause = that
            || word_count(left) >= 4
                && FINITE
                    .find(rest)
                    .is_some_and(|m| m.start() > 0 && word_count(&rest[..m.start()]) <= 6);
        if clause {
            let text_start = cut + found.as_str().len()
                - found.as_str().trim_start_matches([',', ';', ' ']).len();
            starts.push((text_start, after));
            last_claim = after;
        }
    }
    starts
}
