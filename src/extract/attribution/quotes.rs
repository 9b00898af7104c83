//! A sentence with quotes in it: whom the words around the quotes name as the
//! speaker, and the quote's sentences as statements (or, when the frame reports a
//! claim with the quote inside it, one paraphrase).

use super::claims::{split_coordinated, Claims};
use super::frames::{
    ACCORDING_LEADING, ACCORDING_TRAILING, FRAME_AFTER, FRAME_BEFORE, PARTICIPLE, VERB,
};
use super::reading::{find_subject_verb, unmask, word_count, Draft, Reading};
use super::How;
use crate::extract::sentences::Quotation;
use crate::extract::speakers::{self, Mention, MentionKind};
use std::ops::Range;

/// The words of a sentence around its quotes, masked: the frame the rules read.
struct Frame<'s> {
    /// The sentence as written.
    words: &'s str,
    /// The sentence with the quotes' words masked.
    masked: &'s str,
    before: &'s str,
    between: Vec<&'s str>,
    after: &'s str,
}

/// The rule of a quote whose sentence names no speaker (a signature line after it
/// may).
pub(super) const NO_SPEAKER_IN_SENTENCE: &str = "direct quote, no speaker in its sentence";

/// Whom a quote's frame names, and how.
struct Attribution {
    mentions: Vec<Mention>,
    verb: String,
    rule: &'static str,
    confidence: f64,
    /// The frame reports a claim with the quote in it ("X said that Russia "...""):
    /// one paraphrase, not quotes.
    paraphrase_with_quote: bool,
}

impl Attribution {
    fn new(mentions: Vec<Mention>, verb: String) -> Self {
        Attribution {
            mentions,
            verb,
            rule: "direct quote with its speaker",
            confidence: 0.9,
            paraphrase_with_quote: false,
        }
    }
}

/// Reads a sentence whose `long` quotes are the speaker's own words.
pub(super) fn read_quotes(
    text: &str,
    sentence: Range<usize>,
    long: &[&Quotation],
    masked: &str,
) -> Reading {
    let base = sentence.start;
    let words = &text[sentence.clone()];
    let last = long[long.len() - 1];
    let frame = Frame {
        words,
        masked,
        before: &masked[..long[0].outer.start - base],
        between: long
            .windows(2)
            .map(|w| &masked[w[0].outer.end - base..w[1].outer.start - base])
            .collect(),
        after: &masked[last.outer.end - base..],
    };
    let Some(attribution) = frame.attribution() else {
        return unattributed(text, long, &frame);
    };
    if attribution.paraphrase_with_quote {
        // "X said that Russia "is preparing a new offensive"".
        let quote_text = long
            .iter()
            .map(|q| text[q.inner.clone()].trim())
            .collect::<Vec<_>>()
            .join(" ")
            .trim_end_matches(',')
            .to_string();
        return Reading::Statements(split_coordinated(
            text,
            sentence.clone(),
            0..words.trim_end().trim_end_matches(['.', '!']).len(),
            Claims {
                mentions: &attribution.mentions,
                verb: &attribution.verb,
                quoted_phrase: Some(quote_text),
                rule: "paraphrase with a quote in it",
                confidence: 0.8,
                carries: false,
            },
        ));
    }
    let mut drafts: Vec<Draft> = quote_pieces(text, long)
        .into_iter()
        .map(|(span, words)| Draft {
            mentions: attribution.mentions.clone(),
            how: How::Quote,
            verb: Some(attribution.verb.clone()),
            span,
            text: words.clone(),
            claim: words,
            quoted_phrase: None,
            rule: attribution.rule,
            confidence: attribution.confidence,
            carries: false,
            unresolved_frame: false,
        })
        .collect();
    drafts.extend(added_after_quote(
        &frame,
        base,
        last.outer.end - base,
        attribution.mentions,
    ));
    Reading::Statements(drafts)
}

impl Frame<'_> {
    /// The speaker the frame names, trying the rules in turn: a frame after the
    /// quote, "according to" after it, a name and a colon before it, "according to"
    /// before it, a frame before it, a reporting verb before it, a participle.
    fn attribution(&self) -> Option<Attribution> {
        self.after_quote()
            .or_else(|| self.according_to_after())
            .or_else(|| self.name_and_colon())
            .or_else(|| self.before_quote())
            .or_else(|| self.participle())
    }

    /// `, Budanov added.` / `, said Budanov.` after or between the quotes.
    fn after_quote(&self) -> Option<Attribution> {
        self.between
            .iter()
            .chain([&self.after])
            .find_map(|frame| frame_after(self.words, self.masked, frame))
            .map(|(mentions, verb)| Attribution::new(mentions, verb))
    }

    fn according_to_after(&self) -> Option<Attribution> {
        let caps = ACCORDING_TRAILING.captures(self.after)?;
        let mentions = speakers::parse_object(unmask(self.words, self.masked, &caps["np"]))?;
        Some(Attribution::new(mentions, "according to".to_string()))
    }

    /// "José Gomes: "We went out onto the pitch ..."".
    fn name_and_colon(&self) -> Option<Attribution> {
        let label = self.before.trim().strip_suffix(':')?;
        let label = label
            .trim()
            .trim_start_matches(['*', '-', '•', '–', '—', ' ']);
        if word_count(label) > 8 || VERB.is_match(label) {
            return None;
        }
        let mentions = speakers::parse(unmask(self.words, self.masked, label))?;
        if !mentions
            .iter()
            .all(|m| matches!(m.kind, MentionKind::Person | MentionKind::Official))
        {
            return None;
        }
        Some(Attribution {
            rule: "direct quote after its speaker's name and a colon",
            ..Attribution::new(mentions, ":".to_string())
        })
    }

    /// "According to X, ...", "X said: ", or "X said that Russia "..."" before the quote.
    fn before_quote(&self) -> Option<Attribution> {
        if self.before.trim().is_empty() {
            return None;
        }
        self.according_to_before()
            .or_else(|| self.frame_before())
            .or_else(|| {
                // "X said that Russia "..."": a paraphrase with the speaker's words in it.
                let (mentions, verb) = find_subject_verb(self.words, self.before)?;
                Some(Attribution {
                    paraphrase_with_quote: true,
                    ..Attribution::new(mentions, verb)
                })
            })
    }

    fn according_to_before(&self) -> Option<Attribution> {
        let caps = ACCORDING_LEADING.captures(self.before)?;
        let mentions = speakers::parse_object(unmask(self.words, self.masked, &caps["np"]))?;
        Some(Attribution {
            paraphrase_with_quote: caps.get(0).map_or(0, |m| m.end())
                < self.before.trim_end().len(),
            ..Attribution::new(mentions, "according to".to_string())
        })
    }

    fn frame_before(&self) -> Option<Attribution> {
        let caps = FRAME_BEFORE.captures(self.before)?;
        let mentions = speakers::parse(unmask(self.words, self.masked, &caps["np"]))?;
        let rest = caps["rest"].trim();
        Some(Attribution {
            rule: "direct quote after its speaker",
            paraphrase_with_quote: rest.starts_with("that ") && word_count(rest) > 1,
            ..Attribution::new(mentions, caps["verb"].to_string())
        })
    }

    /// "Ken McCallum gave a stark warning ..., saying that the UK faces "..."": the
    /// participle's subject is the sentence's.
    fn participle(&self) -> Option<Attribution> {
        let found = PARTICIPLE.find(self.masked)?;
        let mentions = speakers::opening_speaker(&self.words[..found.start()])?;
        Some(Attribution {
            rule: "direct quote after a participle (\"saying\") of the sentence's subject",
            confidence: 0.75,
            ..Attribution::new(
                mentions,
                found.as_str().trim_start_matches([',', ' ']).to_string(),
            )
        })
    }
}

/// Quotes whose sentence names no speaker; whether the words around them are a
/// frame of some length decides if they may go on with the last speaker.
fn unattributed(text: &str, long: &[&Quotation], frame: &Frame<'_>) -> Reading {
    let frame_words = word_count(frame.before)
        + frame.between.iter().map(|b| word_count(b)).sum::<usize>()
        + word_count(frame.after);
    let framed = frame_words >= 3;
    Reading::Statements(
        quote_pieces(text, long)
            .into_iter()
            .map(|(span, words)| Draft {
                mentions: Vec::new(),
                how: How::Quote,
                verb: None,
                span,
                text: words.clone(),
                claim: words,
                quoted_phrase: None,
                rule: NO_SPEAKER_IN_SENTENCE,
                confidence: 0.2,
                carries: false,
                unresolved_frame: framed,
            })
            .collect(),
    )
}

/// "..., Budanov said, adding that Iran was very likely to supply more drones.": the
/// indirect speech after the last quote (`quote_end`, in the sentence), a statement
/// of its own.
fn added_after_quote(
    frame: &Frame<'_>,
    base: usize,
    quote_end: usize,
    mentions: Vec<Mention>,
) -> Option<Draft> {
    let words = frame.words;
    let at = frame
        .after
        .find(", adding that ")
        .or_else(|| frame.after.find(", adding "))?;
    let start = quote_end + at + 2;
    let claim_start = words[start..]
        .find("that ")
        .map_or(start + "adding ".len(), |p| start + p + "that ".len());
    let end = words.trim_end().trim_end_matches(['.', '!']).len();
    (claim_start < end).then(|| Draft {
        mentions,
        how: How::Paraphrase,
        verb: Some("adding".into()),
        span: base + start..base + words.trim_end().len(),
        text: words[start..].trim().to_string(),
        claim: words[claim_start..end].trim().to_string(),
        quoted_phrase: None,
        rule: "indirect speech added after a quote (\"adding that\")",
        confidence: 0.8,
        carries: false,
        unresolved_frame: false,
    })
}

/// The sentences of a quote, each a statement of its own; a part cut by the
/// attribution ("Part one," X said, "part two.") joins the part that ends it.
fn quote_pieces(text: &str, long: &[&Quotation]) -> Vec<(Range<usize>, String)> {
    let mut pieces: Vec<(Range<usize>, String)> = Vec::new();
    let mut open = false;
    for quote in long {
        // One quotation, however many sentences it holds.
        let Some(range) = trimmed(text, quote.inner.clone()) else {
            continue;
        };
        let words = text[range.clone()]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        match pieces.last_mut() {
            // Interrupted by its attribution ("Part one," X said, "part two."): the
            // same quotation goes on.
            Some((span, joined)) if open => {
                *joined = format!("{joined} {words}");
                span.end = range.end;
            }
            _ => pieces.push((range.clone(), words)),
        }
        open = !text[range].trim_end().ends_with(['.', '!', '?', '…']);
    }
    // A stray mark is not a quote.
    pieces.retain(|(_, words)| words.chars().filter(|c| c.is_alphanumeric()).count() >= 2);
    pieces
}

/// A range without the white space at its ends; none when nothing is left.
fn trimmed(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let words = &text[range.clone()];
    let start = range.start + (words.len() - words.trim_start().len());
    let end = range.end - (words.len() - words.trim_end().len());
    (start < end).then_some(start..end)
}

/// `, Budanov added.` / `, said Budanov.` after a quote.
fn frame_after(words: &str, masked: &str, frame: &str) -> Option<(Vec<Mention>, String)> {
    let caps = FRAME_AFTER.captures(frame)?;
    if let (Some(np), Some(verb)) = (caps.name("np"), caps.name("verb")) {
        if let Some(m) = speakers::parse(unmask(words, masked, np.as_str())) {
            return Some((m, verb.as_str().to_string()));
        }
    }
    if let (Some(np), Some(verb)) = (caps.name("np2"), caps.name("verb2")) {
        if let Some(m) = speakers::parse_object(unmask(words, masked, np.as_str())) {
            return Some((m, verb.as_str().to_string()));
        }
    }
    None
}
