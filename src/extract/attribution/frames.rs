//! The patterns of an attribution's frame: the reporting verbs, a speaker before or
//! after a quote, "according to", the medium ("in an interview with ..."), and the
//! words that refer back to what came before.

use crate::extract::lexicon::{FINITE_VERBS, REPORTING_PARTICIPLES, REPORTING_VERBS};
use regex::Regex;
use std::sync::LazyLock;

/// The reporting verbs as alternatives of a pattern (`lexicon/extract/reporting-verbs.txt`).
static VERBS: LazyLock<String> = LazyLock::new(|| REPORTING_VERBS.alternation());

/// A reporting verb.
pub(super) static VERB: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = &*VERBS;
    Regex::new(&format!(r"\b(?:{verbs})\b")).expect("verb pattern")
});

/// The attribution after a quote: `, Budanov added.`, `, he said,`, `said Budanov.`
pub(super) static FRAME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = &*VERBS;
    Regex::new(&format!(
        r"^[\s,;:—–-]*(?:(?P<np>[^,;]{{1,120}}?(?:,[^,;]{{1,90}},)?)\s+(?P<verb>{verbs})\b|(?P<verb2>{verbs})\s+(?P<np2>[^,;]{{1,120}}(?:,[^;]{{1,90}},?)?))"
    ))
    .expect("frame pattern")
});

/// The attribution before a quote: `Budanov said: `, `He told reporters, `.
pub(super) static FRAME_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = &*VERBS;
    Regex::new(&format!(
        r"(?P<np>[^.;:]{{1,160}}?)\s+(?P<verb>{verbs})\b(?P<rest>[^:]{{0,120}}?)[,:]?\s*$"
    ))
    .expect("frame pattern")
});

pub(super) static ACCORDING_LEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\W*\w+,\s+)?[Aa]ccording to (?P<np>[^,]{1,160}),\s*").expect("according")
});

pub(super) static ACCORDING_TRAILING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",?\s+according to (?P<np>[^,]{1,160}?)\s*[.!]?$").expect("according")
});

/// The speaker after the claim: "..., the minister said." or "..., said the minister."
pub(super) static TRAILING_VERB: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = &*VERBS;
    Regex::new(&format!(
        r",\s+(?:(?P<np>[^,]{{1,100}}?(?:,[^,]{{1,90}},)?)\s+(?P<verb>{verbs})|(?P<verb2>{verbs})\s+(?P<np2>[^,]{{1,120}}?(?:,[^,]{{1,90}})?))(?:\s+(?:on|in|at|during|late|earlier|last|this)\b[^,]{{0,60}})?\s*[.!]?$"
    ))
    .expect("trailing verb pattern")
});

pub(super) static MEDIUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:in an? (?:exclusive )?(?:interview|statement|video|video address|televised address|address|speech|post|briefing|op-ed|article|comments?|conversation|podcast)(?: (?:with|to|on|for) (?:the |a )?(?:[A-Z][\w’'.&-]*)(?: (?:[A-Z][\w’'.&-]*|of|the|de))*)?|on (?:Telegram|Twitter|X|Facebook|Instagram|YouTube|television|TV|(?:the )?radio)|at an? (?:press conference|news conference|briefing|meeting|summit|forum)(?: (?:in|of|with) [A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*)*)?)",
    )
    .expect("medium pattern")
});

/// Words that refer back to what came before instead of saying something new.
pub(super) static BACK_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:about (?:this|that|it)|this|that|so|it|as much|of this|of it)\b(?P<rest>.*)$")
        .expect("back reference")
});

pub(super) static CALLED_IT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:it|this|that|them|these|the (?:move|operation|tactic|episode|maneuver|manoeuvre))\b",
    )
    .expect("called it")
});

/// Finite verbs that show a coordinated part is a clause of its own.
pub(super) static FINITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?:{})\b", FINITE_VERBS.alternation())).expect("finite")
});

/// Participles that report speech for the sentence's subject: ", saying".
pub(super) static PARTICIPLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r",?\s(?:{})\b",
        REPORTING_PARTICIPLES.alternation()
    ))
    .expect("participle")
});

/// The medium a sentence names: "in an interview with The New York Times".
pub(super) fn medium_of(sentence: &str) -> Option<String> {
    MEDIUM
        .find(sentence)
        .map(|m| m.as_str().trim_end_matches(['.', ',']).to_string())
}
