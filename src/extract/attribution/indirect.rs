//! A sentence without quotes of the speaker's own words: indirect speech after a
//! reporting verb ("X said that ..."), "according to X", the speaker after the claim
//! ("..., the minister said"), or a sentence that refers back ("X told about this").

use super::claims::{split_coordinated, Claims};
use super::frames::{
    medium_of, ACCORDING_LEADING, ACCORDING_TRAILING, BACK_REFERENCE, CALLED_IT, FINITE, MEDIUM,
    TRAILING_VERB, VERB,
};
use super::reading::{clause_before, unmask, word_count, BackReference, Reading};
use crate::extract::speakers::{self, Mention};
use std::ops::Range;

/// One sentence as the indirect-speech rules see it.
struct Sentence<'s> {
    text: &'s str,
    span: Range<usize>,
    /// The sentence as written.
    words: &'s str,
    /// The sentence with the quotes' words masked.
    masked: &'s str,
    /// A short quote in the sentence, for each statement read from it.
    quoted_phrase: Option<&'s str>,
}

/// Reads a sentence for indirect speech, trying the rules in turn: "according to"
/// before the claim, then after it, a reporting verb with its subject, and the
/// speaker after the claim.
pub(super) fn read_indirect(
    text: &str,
    sentence: Range<usize>,
    masked: &str,
    quoted_phrase: Option<String>,
) -> Reading {
    let sentence = Sentence {
        text,
        words: &text[sentence.clone()],
        span: sentence,
        masked,
        quoted_phrase: quoted_phrase.as_deref(),
    };
    sentence
        .according_to_before()
        .or_else(|| sentence.according_to_after())
        .or_else(|| sentence.after_reporting_verb())
        .or_else(|| sentence.speaker_after_claim())
        .unwrap_or(Reading::Plain)
}

impl Sentence<'_> {
    /// The statements of the claim at `claim` (bytes of the sentence).
    fn claims(
        &self,
        claim: Range<usize>,
        mentions: &[Mention],
        verb: &str,
        rule: &'static str,
        confidence: f64,
        carries: bool,
    ) -> Reading {
        Reading::Statements(split_coordinated(
            self.text,
            self.span.clone(),
            claim,
            Claims {
                mentions,
                verb,
                quoted_phrase: self.quoted_phrase.map(str::to_string),
                rule,
                confidence,
                carries,
            },
        ))
    }

    /// "According to him, the troops are not lined up ..."
    fn according_to_before(&self) -> Option<Reading> {
        let caps = ACCORDING_LEADING.captures(self.masked)?;
        let mentions = speakers::parse_object(unmask(self.words, self.masked, &caps["np"]))?;
        let claim_start = caps.get(0).map_or(0, |m| m.end());
        Some(self.claims(
            claim_start..self.words.len(),
            &mentions,
            "according to",
            "paraphrase introduced by \"according to\"",
            0.85,
            true,
        ))
    }

    /// "The troops are not lined up, according to him."
    fn according_to_after(&self) -> Option<Reading> {
        let caps = ACCORDING_TRAILING.captures(self.masked)?;
        let mentions = speakers::parse_object(unmask(self.words, self.masked, &caps["np"]))?;
        let claim_end = caps.get(0).map_or(self.words.len(), |m| m.start());
        Some(self.claims(
            0..claim_end,
            &mentions,
            "according to",
            "paraphrase followed by \"according to\"",
            0.85,
            false,
        ))
    }

    /// "X said that ...", "X told about this", "X called it a 'carousel'", "X said:":
    /// the first reporting verb whose subject names a speaker and whose words after
    /// it say something.
    fn after_reporting_verb(&self) -> Option<Reading> {
        VERB.find_iter(self.masked).find_map(|found| {
            let subject = clause_before(self.masked, found.start());
            let mentions = speakers::parse(unmask(self.words, self.masked, subject))?;
            self.reported(mentions, found.as_str(), found.end())
        })
    }

    /// What the words after a reporting verb (ending at `verb_end`) report, if
    /// anything.
    fn reported(&self, mentions: Vec<Mention>, verb: &str, verb_end: usize) -> Option<Reading> {
        let verb = verb.to_string();
        let after = &self.masked[verb_end..];
        let medium = medium_of(self.words);
        let content_start = content_start(after, &verb);
        let content = after[content_start..].trim();
        let content_words = content.trim_end_matches(['.', '!', ':']).trim();
        if verb == "called" || verb == "calls" {
            return CALLED_IT
                .is_match(content_words)
                .then(|| self.back_reference(mentions, verb, medium, true, true));
        }
        if self.masked.trim_end().ends_with(':') && word_count(content_words) <= 3 {
            return Some(Reading::Introduction(mentions, verb));
        }
        if let Some(caps) = BACK_REFERENCE.captures(content_words) {
            let rest = caps["rest"].trim();
            let rest_is_frame = rest.is_empty()
                || MEDIUM.find(rest).is_some_and(|m| m.start() <= 3)
                || rest.starts_with("on ")
                || rest.starts_with("in ")
                || rest.starts_with("at ");
            if rest_is_frame {
                let one_sentence = content_words.starts_with("it");
                return Some(self.back_reference(mentions, verb, medium, false, one_sentence));
            }
        }
        if word_count(content_words) < 3 {
            return None;
        }
        let claim_offset = verb_end
            + content_start
            + (after[content_start..].len() - after[content_start..].trim_start().len());
        let claim_end = self.words.trim_end().trim_end_matches(['.', '!']).len();
        Some(self.claims(
            claim_offset..claim_end.max(claim_offset),
            &mentions,
            &verb,
            "indirect speech after a reporting verb",
            0.85,
            false,
        ))
    }

    fn back_reference(
        &self,
        mentions: Vec<Mention>,
        verb: String,
        medium: Option<String>,
        joins: bool,
        one_sentence: bool,
    ) -> Reading {
        Reading::BackReference(BackReference {
            mentions,
            verb,
            medium,
            joins,
            quoted_phrase: self.quoted_phrase.map(str::to_string),
            one_sentence,
        })
    }

    /// "Russia is preparing an offensive, the minister said."
    fn speaker_after_claim(&self) -> Option<Reading> {
        let caps = TRAILING_VERB.captures(self.masked)?;
        let (np, verb, inverted) = match (caps.name("np"), caps.name("verb")) {
            (Some(np), Some(verb)) => (np.as_str(), verb.as_str(), false),
            _ => (
                caps.name("np2").map_or("", |m| m.as_str()),
                caps.name("verb2").map_or("", |m| m.as_str()),
                true,
            ),
        };
        let np = unmask(self.words, self.masked, np);
        let mentions = if inverted {
            speakers::parse_object(np)
        } else {
            speakers::parse(np)
        }?;
        let claim_end = caps.get(0).map_or(self.words.len(), |m| m.start());
        Some(self.claims(
            0..claim_end,
            &mentions,
            verb,
            "paraphrase followed by its speaker",
            0.8,
            false,
        ))
    }
}

/// Where the reported content starts after the verb: past "that", an object of
/// "told" ("told reporters that", "told The New York Times"), adverbials ("on
/// Tuesday").
fn content_start(after: &str, verb: &str) -> usize {
    let trimmed = after.trim_start();
    let lead = after.len() - trimmed.len();
    // Up to the first "that" within a few words.
    let mut offset = 0;
    for (count, word) in trimmed.split_inclusive(' ').enumerate() {
        if count > 10 {
            break;
        }
        let w = word.trim();
        if w == "that" || w == "that," {
            return lead + offset + word.len();
        }
        if FINITE.is_match(w) || w.ends_with(['.', '!', '?']) {
            // "said there was no doubt that ...": that "that" is the claim's own.
            break;
        }
        if w.ends_with(':')
            || w.ends_with(',')
                && count > 0
                && !verb.starts_with("tel")
                && !verb.starts_with("told")
        {
            break;
        }
        offset += word.len();
    }
    if verb.starts_with("told") || verb.starts_with("tell") {
        // "told about this", "told reporters ..." without "that".
        if trimmed.starts_with("about ") {
            return lead;
        }
    }
    if let Some(colon) = trimmed.find(": ") {
        if word_count(&trimmed[..colon]) <= 6 {
            return lead + colon + 2;
        }
    }
    lead
}
