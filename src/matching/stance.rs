//! How a statement stands towards what it speaks of: asserts, denies, or reports
//! without taking a side; with the cues that decided it and its ICD-203 certainty.
//!
//! The cues are the words of the lists in `lexicon/` (refuting, negation, reporting,
//! attribution), a question mark, and the hedging words `extract` maps to the ICD-203
//! scale. A negation just before a refuting word cancels it ("not a hoax" asserts), and a
//! negation that belongs to a hedge ("no doubt", "cannot be ruled out") is not one.
//! Which stance the cues add up to is a linear model whose weights are data
//! (`lexicon/stance-model.tsv`).

use super::lexicon::{CueKind, Lexicon, STANCES};
use super::text;
use crate::extract::hedging::{self, Certainty};
use serde::{Deserialize, Serialize};

/// A statement's stance towards its proposition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Asserts,
    Denies,
    Reports,
}

impl Stance {
    pub fn name(self) -> &'static str {
        match self {
            Stance::Asserts => "asserts",
            Stance::Denies => "denies",
            Stance::Reports => "reports",
        }
    }

    fn from_index(i: usize) -> Stance {
        [Stance::Asserts, Stance::Denies, Stance::Reports][i]
    }
}

/// A word or mark that bears on the stance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cue {
    pub kind: String,
    pub text: String,
}

/// What the words say of the stance.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub stance: Stance,
    /// The softmax of the model's sums: how far the chosen stance stands out.
    pub confidence: f64,
    pub certainty: Option<Certainty>,
    /// The words of the certainty.
    pub certainty_wording: Option<String>,
    /// The cue that decided the stance, when one did.
    pub cue: Option<String>,
    pub cues: Vec<Cue>,
    /// The model's features the words have, as `lexicon/stance-model.tsv` names them.
    pub features: Vec<String>,
}

/// Reads the stance of a statement's words. `own_voice` says whether the words are
/// the source's own report (a headline, an outlet's sentence), where attributing
/// them to someone else ("X says") or hedging them relays a claim; a speaker's own
/// quoted or paraphrased words take a side whatever frame the report puts around
/// them, and their hedges are their certainty, so those cues are left out of the
/// stance then.
pub fn read(text: &str, own_voice: bool) -> Reading {
    let lexicon = Lexicon::get();
    let words = text::words(text);
    let lower: Vec<&str> = words.iter().map(|w| w.lower.as_str()).collect();
    let hedge = hedging::certainty(text);
    // The words of the hedge: negations there belong to it ("no doubt").
    let hedge_span = hedge.as_ref().and_then(|(_, wording)| {
        let at = text.find(wording.as_str())?;
        Some(at..at + wording.len())
    });
    let in_hedge = |i: usize| {
        hedge_span
            .as_ref()
            .is_some_and(|span| span.contains(&words[i].start))
    };
    let mut used = vec![false; words.len()];
    let mut cues = Vec::new();
    // Each cue found, as the words it spans.
    let found = |kind: CueKind, used: &mut Vec<bool>, cues: &mut Vec<Cue>| {
        let mut spans = Vec::new();
        for (at, len) in lexicon.find(kind, &lower) {
            if (at..at + len).any(|i| used[i] || in_hedge(i)) {
                continue;
            }
            for flag in &mut used[at..at + len] {
                *flag = true;
            }
            cues.push(Cue {
                kind: kind.name().into(),
                text: text[words[at].start..words[at + len - 1].end].to_string(),
            });
            spans.push(at..at + len);
        }
        spans
    };
    let refuting = found(CueKind::Refuting, &mut used, &mut cues);
    let negation = found(CueKind::Negation, &mut used, &mut cues);
    // A negation at most two words before a refuting word cancels it ("not a hoax",
    // "is not at all fake"); any other negation or refuting word denies, and they do
    // not cancel each other ("No, he did not", "dismissed as fake").
    let mut cancelling = vec![false; negation.len()];
    let mut cancelled_refutations = 0;
    for r in &refuting {
        let before = negation
            .iter()
            .enumerate()
            .find(|(k, n)| !cancelling[*k] && n.end <= r.start && r.start - n.end <= 2);
        if let Some((k, _)) = before {
            cancelling[k] = true;
            cancelled_refutations += 1;
        }
    }
    let refutations = refuting.len() - cancelled_refutations;
    let negations = cancelling.iter().filter(|c| !**c).count();
    let reporting = found(CueKind::Reporting, &mut used, &mut cues).len();
    let attribution = if own_voice {
        found(CueKind::Attribution, &mut used, &mut cues).len()
    } else {
        0
    };
    let question = text.contains('?');
    if question {
        cues.push(Cue {
            kind: "question".into(),
            text: "?".into(),
        });
    }
    // "Report: ..." or "Police: ..." at the start: the words are someone's.
    // ("https://...", "at 3:00" are not: the colon must be followed by a space and
    // the label be words.)
    let labelled = own_voice
        && text.split_once(':').is_some_and(|(head, rest)| {
            !head.trim().is_empty()
                && rest.starts_with(char::is_whitespace)
                && !head.contains(|c: char| c.is_ascii_digit())
                && text::words(head).len() <= 3
        });
    if labelled {
        cues.push(Cue {
            kind: "attribution".into(),
            text: format!("{}:", text.split_once(':').map_or("", |(h, _)| h.trim())),
        });
    }
    let hedged = own_voice
        && hedge
            .as_ref()
            .is_some_and(|(level, _)| *level != Certainty::AlmostCertain);
    if let (true, Some((_, wording))) = (hedged, &hedge) {
        cues.push(Cue {
            kind: "hedging".into(),
            text: wording.clone(),
        });
    }
    let denial = refutations + negations > 0;
    let cancelled = !denial && cancelled_refutations > 0;
    let mut features: Vec<String> = vec!["(intercept)".into()];
    if denial {
        features.push("denial".into());
    } else if cancelled {
        features.push("double-negation".into());
    }
    for (present, name) in [
        (refutations > 0 && !cancelled, "refuting"),
        (reporting > 0, "reporting"),
        (attribution > 0 || labelled, "attribution"),
        (question, "question"),
        (hedged, "hedging"),
    ] {
        if present {
            features.push(name.into());
        }
    }
    // Cues that cancel out are no evidence of a denial: only their cancelling is.
    for cue in cues
        .iter()
        .filter(|c| !(cancelled && (c.kind == "refuting" || c.kind == "negation")))
    {
        // A label of one word ("Report:", "Breaking:") says how the words are
        // given; longer ones ("Apple Watch pricing:") name a story, not a stance.
        let words = if cue.kind == "attribution"
            && cue.text.ends_with(':')
            && cue.text.contains(char::is_whitespace)
        {
            "(label)".to_string()
        } else {
            cue.text.to_lowercase()
        };
        features.push(format!("{}:{words}", cue.kind));
    }
    let mut sums = [0.0f64; 3];
    for feature in &features {
        for (sum, weight) in sums.iter_mut().zip(lexicon.weights(feature)) {
            *sum += weight;
        }
    }
    let best = (0..3)
        .max_by(|&a, &b| sums[a].total_cmp(&sums[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    let top = sums[best];
    let total: f64 = sums.iter().map(|s| (s - top).exp()).sum();
    let stance = Stance::from_index(best);
    let cue = decisive(stance, &cues);
    debug_assert_eq!(STANCES[best], stance.name());
    Reading {
        stance,
        confidence: 1.0 / total,
        certainty: hedge.as_ref().map(|(level, _)| *level),
        certainty_wording: hedge.map(|(_, wording)| wording),
        cue,
        cues,
        features,
    }
}

/// The cue that speaks for the stance chosen.
fn decisive(stance: Stance, cues: &[Cue]) -> Option<String> {
    let kinds: &[&str] = match stance {
        Stance::Denies => &["refuting", "negation"],
        Stance::Reports => &["question", "reporting", "attribution", "hedging"],
        Stance::Asserts => &[],
    };
    if stance == Stance::Asserts {
        // Two negations that cancel decide an assertion.
        let negators: Vec<&str> = cues
            .iter()
            .filter(|c| c.kind == "refuting" || c.kind == "negation")
            .map(|c| c.text.as_str())
            .collect();
        return (negators.len() >= 2).then(|| negators.join(" … "));
    }
    kinds
        .iter()
        .find_map(|kind| cues.iter().find(|c| c.kind == *kind))
        .map(|c| c.text.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stance(text: &str) -> Stance {
        read(text, true).stance
    }

    #[test]
    fn plain_words_assert() {
        assert_eq!(
            stance("Russia is preparing a new offensive from Belarus"),
            Stance::Asserts
        );
    }

    #[test]
    fn negation_inside_a_quote_denies() {
        let reading = read("\"We will not attack Ukraine from our territory\"", false);
        assert_eq!(reading.stance, Stance::Denies);
        assert_eq!(reading.cue.as_deref(), Some("not"));
    }

    #[test]
    fn refuting_frames_deny() {
        for text in [
            "The ministry denied reports that the port was closed",
            "There is no evidence that the dam was breached",
            "Officials dismissed as fake the photo of the flooded airport",
            "Viral story of giant crab is a hoax",
        ] {
            assert_eq!(stance(text), Stance::Denies, "{text}");
        }
    }

    #[test]
    fn double_negation_asserts() {
        let reading = read("The viral video of the flooded airport is not fake", true);
        assert_eq!(reading.stance, Stance::Asserts);
        assert!(reading.cue.is_some_and(|c| c.contains("not")));
    }

    #[test]
    fn questions_and_reporting_words_report() {
        assert_eq!(stance("Did Apple buy a car company?"), Stance::Reports);
        assert_eq!(
            stance("Man reportedly kept a burger for 20 years"),
            Stance::Reports
        );
        let reading = read("Is the world's oldest burger real?", true);
        assert_eq!(reading.cue.as_deref(), Some("?"));
    }

    #[test]
    fn a_speakers_own_words_take_a_side_whatever_the_frame() {
        let text = "Russia could launch an offensive from Belarus in spring, the minister said";
        assert_eq!(read(text, false).stance, Stance::Asserts);
        assert_eq!(
            read(text, false).certainty,
            Some(Certainty::RoughlyEvenChance)
        );
        assert_eq!(read(text, true).stance, Stance::Reports);
    }

    #[test]
    fn a_hedge_of_certainty_is_not_a_negation() {
        let reading = read("He has no doubt that they will try again", false);
        assert_eq!(reading.stance, Stance::Asserts);
        assert_eq!(reading.certainty, Some(Certainty::AlmostCertain));
    }
}
