//! Hedging words mapped to the ICD-203 scale of estimative language, and negation.
//!
//! The table is read in order and the first phrase found in a statement's words wins,
//! so longer phrases ("no doubt", "highly unlikely") come before the words they
//! contain ("doubt", "unlikely").

use regex::Regex;
use std::sync::LazyLock;

pub use crate::model::Certainty;

/// Phrase patterns (case-insensitive, on word boundaries) and their band.
const TABLE: &[(&str, Certainty)] = &[
    (
        r"no doubts?|without (?:a )?doubt|undoubtedly|beyond doubt",
        Certainty::AlmostCertain,
    ),
    (
        r"almost certain(?:ly)?|(?:is|are|am) certain|certainly|definitely|(?:is|are|am) (?:sure|convinced)",
        Certainty::AlmostCertain,
    ),
    (
        r"highly unlikely|very unlikely|extremely unlikely|hardly",
        Certainty::VeryUnlikely,
    ),
    (
        r"no chance|(?:is|are|was|were|be) impossible|(?:is|are|was|were|has been|have been) ruled out|will never|cannot happen",
        Certainty::AlmostNoChance,
    ),
    (
        r"very likely|highly likely|highly probable|very probably|strongly (?:believes?|suspects?)",
        Certainty::VeryLikely,
    ),
    (
        r"unlikely|improbable|doubts?|doubtful|(?:is|are) not expected",
        Certainty::Unlikely,
    ),
    (
        r"can(?:not|[’']t) (?:be )?rul(?:e|ed) out|not (?:be )?ruled out|not rule out|cannot be excluded|cannot exclude|roughly even|even chance|(?-i:may)|might|could|possibl[ey]|perhaps|maybe|risk of .{1,80}(?:is|are) (?:gradually |steadily )?(?:increasing|growing|rising)",
        Certainty::RoughlyEvenChance,
    ),
    (
        r"likely|probabl[ey]|(?:is|are|was|were) expected to|indicates?|indicated|suggests?|suggested|appears? to|seems? to|apparently|presumably",
        Certainty::Likely,
    ),
    // Verbs of belief hedge the speaker's own view only ("we believe", "I think");
    // "sooner than Moscow thinks" does not.
    (
        r"(?-i:I|we|We)(?: \w+ly)? (?:believe|think|expect|suspect|estimate|assess)",
        Certainty::Likely,
    ),
];

/// Reporting verbs that carry a hedge of their own ("believes that ...").
const VERBS: &[(&str, Certainty)] = &[
    ("believe", Certainty::Likely),
    ("expect", Certainty::Likely),
    ("think", Certainty::Likely),
    ("thought", Certainty::Likely),
    ("suspect", Certainty::Likely),
    ("estimate", Certainty::Likely),
    ("assess", Certainty::Likely),
    ("fear", Certainty::Likely),
    ("doubt", Certainty::Unlikely),
];

/// The hedge a reporting verb carries: "believes" is likely, "doubts" unlikely.
pub fn verb_certainty(verb: &str) -> Option<(Certainty, String)> {
    let lower = verb.to_lowercase();
    VERBS
        .iter()
        .find(|(stem, _)| lower.starts_with(stem))
        .map(|(_, level)| (*level, verb.to_string()))
}

static PATTERNS: LazyLock<Vec<(Regex, Certainty)>> = LazyLock::new(|| {
    TABLE
        .iter()
        .map(|(pattern, level)| {
            let regex = Regex::new(&format!(r"(?i)\b(?:{pattern})\b")).expect("hedge pattern");
            (regex, *level)
        })
        .collect()
});

static NEGATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:not|no|never|none|nobody|nothing|neither|nor|cannot|without)\b|n[’']t\b")
        .expect("negation pattern")
});

/// The certainty a statement's words carry, with the words that carry it; none when
/// the statement is made plainly.
pub fn certainty(words: &str) -> Option<(Certainty, String)> {
    PATTERNS.iter().find_map(|(regex, level)| {
        regex
            .find(words)
            .map(|found| (*level, found.as_str().to_string()))
    })
}

/// Whether the statement's own claim is negated (a denial), leaving out negations
/// that belong to the hedge ("no doubt", "not ruled out").
pub fn is_negated(claim: &str, hedge: Option<&str>) -> bool {
    let mut rest = claim.to_string();
    if let Some(hedge) = hedge {
        rest = rest.replacen(hedge, " ", 1);
    }
    NEGATION.is_match(&rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longer_phrases_win_over_the_words_they_contain() {
        assert_eq!(
            certainty("he has no doubt that they will try").map(|c| c.0),
            Some(Certainty::AlmostCertain)
        );
        assert_eq!(
            certainty("he doubts it").map(|c| c.0),
            Some(Certainty::Unlikely)
        );
        assert_eq!(
            certainty("an attack is highly unlikely").map(|c| c.0),
            Some(Certainty::VeryUnlikely)
        );
        assert_eq!(
            certainty("this cannot be ruled out").map(|c| c.0),
            Some(Certainty::RoughlyEvenChance)
        );
        assert_eq!(
            certainty("we believe that Russia plans").map(|c| c.0),
            Some(Certainty::Likely)
        );
        assert_eq!(certainty("it will happen sooner than Moscow thinks"), None);
        assert_eq!(
            verb_certainty("believes").map(|c| c.0),
            Some(Certainty::Likely)
        );
        assert_eq!(
            verb_certainty("doubts").map(|c| c.0),
            Some(Certainty::Unlikely)
        );
        assert_eq!(verb_certainty("said"), None);
        assert_eq!(certainty("Russia began to transfer equipment"), None);
    }

    #[test]
    fn a_rising_risk_is_an_even_chance_and_a_remaining_one_is_plain() {
        let (level, words) =
            certainty("the risk of an offensive from Belarus is gradually increasing").unwrap();
        assert_eq!(level, Certainty::RoughlyEvenChance);
        assert!(words.ends_with("increasing"));
        assert_eq!(certainty("the long-term risks of this remain"), None);
    }

    #[test]
    fn negation_leaves_out_the_hedge() {
        assert!(is_negated("the troops are not lined up", None));
        assert!(!is_negated(
            "he has no doubt that they will go",
            Some("no doubt")
        ));
        assert!(is_negated("Russia won't attack", None));
    }
}
