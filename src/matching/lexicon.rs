//! The word lists and the stance model of `match`, read from the files of
//! `lexicon/` that the binary carries.

use crate::extract::lexicon::entries;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The kinds of cue a statement's words can carry, each a word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CueKind {
    Refuting,
    Negation,
    Reporting,
    Attribution,
}

impl CueKind {
    pub fn name(self) -> &'static str {
        match self {
            CueKind::Refuting => "refuting",
            CueKind::Negation => "negation",
            CueKind::Reporting => "reporting",
            CueKind::Attribution => "attribution",
        }
    }
}

const LISTS: [(CueKind, &str, &str); 4] = [
    (
        CueKind::Refuting,
        "lexicon/refuting.txt",
        include_str!("../../lexicon/refuting.txt"),
    ),
    (
        CueKind::Negation,
        "lexicon/negation.txt",
        include_str!("../../lexicon/negation.txt"),
    ),
    (
        CueKind::Reporting,
        "lexicon/reporting.txt",
        include_str!("../../lexicon/reporting.txt"),
    ),
    (
        CueKind::Attribution,
        "lexicon/attribution.txt",
        include_str!("../../lexicon/attribution.txt"),
    ),
];

const STOP_WORDS: &str = include_str!("../../lexicon/stop-words.txt");
const STANCE_MODEL: &str = include_str!("../../lexicon/stance-model.tsv");

/// The three stances, in the order of the model's columns.
pub const STANCES: [&str; 3] = ["asserts", "denies", "reports"];

/// The lists, read once.
#[derive(Debug)]
pub struct Lexicon {
    stop_words: HashSet<String>,
    /// Every word of every cue list.
    cue_words: HashSet<String>,
    /// Each list's entries as sequences of lower-case words.
    phrases: Vec<(CueKind, Vec<Vec<String>>)>,
    /// feature -> weight for each of [`STANCES`].
    weights: HashMap<String, [f64; 3]>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::parse().unwrap_or_else(|message| panic!("the lexicon shipped is broken: {message}"))
});

impl Lexicon {
    /// The lexicon the binary carries.
    pub fn get() -> &'static Lexicon {
        &LEXICON
    }

    fn parse() -> Result<Lexicon, String> {
        let stop_words = entries(STOP_WORDS).map(str::to_lowercase).collect();
        let phrases: Vec<(CueKind, Vec<Vec<String>>)> = LISTS
            .iter()
            .map(|(kind, _, text)| {
                let list = entries(text)
                    .map(|entry| {
                        super::text::words(entry)
                            .into_iter()
                            .map(|w| w.lower)
                            .collect()
                    })
                    .collect();
                (*kind, list)
            })
            .collect();
        let cue_words = phrases
            .iter()
            .flat_map(|(_, list)| list.iter().flatten().cloned())
            .collect();
        let mut weights = HashMap::new();
        let mut lines = STANCE_MODEL
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
        let header = lines.next().ok_or("lexicon/stance-model.tsv is empty")?.1;
        let columns: Vec<&str> = header.split('\t').collect();
        if columns[1..] != STANCES {
            return Err(format!(
                "lexicon/stance-model.tsv: the header must be feature, {}",
                STANCES.join(", ")
            ));
        }
        for (number, line) in lines {
            let fields: Vec<&str> = line.split('\t').collect();
            let parse = |i: usize| {
                fields
                    .get(i)
                    .and_then(|f| f.trim().parse::<f64>().ok())
                    .ok_or(format!(
                        "lexicon/stance-model.tsv:{}: column {} is not a number",
                        number + 1,
                        i + 1
                    ))
            };
            weights.insert(fields[0].to_string(), [parse(1)?, parse(2)?, parse(3)?]);
        }
        Ok(Lexicon {
            stop_words,
            cue_words,
            phrases,
            weights,
        })
    }

    pub fn is_stop_word(&self, lower: &str) -> bool {
        self.stop_words.contains(lower)
    }

    /// Whether a word belongs to a cue of stance ("denied", "hoax", "no evidence",
    /// "reportedly"): such words say how a statement stands, not what it is about,
    /// so they are left out of what two statements share.
    pub fn is_cue_word(&self, lower: &str) -> bool {
        self.cue_words.contains(lower)
    }

    /// The entries of the list of `kind` found in a sequence of lower-case words,
    /// each as (first word, number of words); the longest entry at each word.
    pub fn find(&self, kind: CueKind, words: &[&str]) -> Vec<(usize, usize)> {
        let Some((_, list)) = self.phrases.iter().find(|(k, _)| *k == kind) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let longest = list
                .iter()
                .filter(|entry| {
                    !entry.is_empty()
                        && words.len() >= i + entry.len()
                        && entry.iter().zip(&words[i..]).all(|(e, w)| e == w)
                })
                .map(Vec::len)
                .max();
            match longest {
                Some(n) => {
                    found.push((i, n));
                    i += n;
                }
                None => i += 1,
            }
        }
        found
    }

    /// The weights of a feature for each stance; zeros for a feature the model lacks.
    pub fn weights(&self, feature: &str) -> [f64; 3] {
        self.weights.get(feature).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lists_and_model_read() {
        let lexicon = Lexicon::parse().expect("lexicon");
        assert!(lexicon.is_stop_word("the"));
        assert!(!lexicon.is_stop_word("hoax"));
        assert_eq!(
            lexicon.find(
                CueKind::Refuting,
                &["there", "is", "no", "evidence", "that"]
            ),
            [(2, 2)]
        );
        assert!(lexicon.weights("(intercept)").iter().any(|w| *w != 0.0));
    }
}
