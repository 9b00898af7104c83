//! The review sheet: what `extract` proposes, in a YAML file an analyst corrects
//! and `import` loads. The same structure is written as JSON for scripts.

use super::hedging::Certainty;
use crate::error::{Error, Position, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One article's proposals.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Sheet {
    pub article: ArticleInfo,
    #[serde(default)]
    pub statements: Vec<Proposal>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The article: where it was read, when and by whom it was published.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ArticleInfo {
    /// The file the text was read from (`-` for standard input).
    pub file: String,
    /// The article's date, YYYY-MM-DD; statements are dated by it.
    pub date: String,
    /// The outlet that published it.
    pub outlet: String,
    /// The outlet's IRI: an existing one when the store knows the outlet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet_iri: Option<String>,
    /// The IRI the article gets as a `cg:Document`.
    pub document: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Who speaks: a named person, a person named only by post, an organization, the
/// outlet in its own voice, or not known (a quote the rules could not attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpeakerKind {
    Person,
    /// A person the article names only by post.
    Official,
    Organization,
    /// The outlet, for what it reports in its own voice.
    Outlet,
    /// A quote whose speaker the rules could not find.
    Unknown,
}

/// Whether the statement's text is the speaker's own words in quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum How {
    Quote,
    Paraphrase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Polarity {
    Assert,
    Deny,
    /// Relays the proposition without taking a side (`cg:Report`).
    Report,
}

/// One proposed statement.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// The statement's IRI is `statement:` and this.
    pub id: String,
    /// Set to false to leave the proposal out when importing.
    #[serde(default = "yes")]
    pub keep: bool,
    /// The speaker's name (for an official named by post, the post; for the outlet,
    /// its name).
    pub speaker: String,
    pub speaker_kind: SpeakerKind,
    /// The speaker's IRI: an existing one when the store knows them, else minted.
    #[serde(default)]
    pub speaker_iri: Option<String>,
    /// True when the store does not know the speaker: importing adds them.
    #[serde(default)]
    pub speaker_is_new: bool,
    /// The speaker's title or post as the text gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// The post the speaker spoke in (`cg:inCapacity`), when the store knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<String>,
    pub how: How,
    /// The reporting verb ("said", "according to").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verb: Option<String>,
    /// The words of the article that name the speaker ("Trump", "he", "a spokesman
    /// for the campaign"), where the statement's sentence or frame names them; for
    /// a pronoun, `speaker` says whom it was resolved to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_mention: Option<SpeakerMention>,
    /// The reporting verb or frame as written in the article, where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<TextSpan>,
    /// Where the words were said ("in an interview with The New York Times").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// The statement's words: the quote, or the reporter's sentence.
    pub text: String,
    /// Character offsets of the words in the article file, end exclusive.
    pub start: usize,
    pub end: usize,
    /// A word or phrase quoted inside a paraphrase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoted_phrase: Option<String>,
    pub polarity: Polarity,
    /// ICD-203 band the words carry; absent when stated plainly.
    #[serde(default)]
    pub certainty: Option<Certainty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certainty_wording: Option<String>,
    /// What the statement claims, as a proposition's label.
    pub proposition: String,
    /// An existing proposition to use instead of minting one from the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposition_iri: Option<String>,
    /// The question the proposition answers.
    pub question: String,
    /// How sure the rules are of the attribution, 0 to 1.
    pub confidence: f64,
    /// The rule that proposed it.
    #[serde(default)]
    pub rule: String,
    /// What the reviewer should look at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<String>,
    /// With `extract --match`: what `match` proposed for the proposition.
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub matched: Option<Matched>,
}

/// Words of the article and where they are: character offsets, end exclusive, as
/// a statement's `start` and `end`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TextSpan {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// The words that name a statement's speaker, and for a pronoun the words that
/// named the person it was resolved to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SpeakerMention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_through: Option<TextSpan>,
}

/// What `match` proposed for a statement of an extract sheet: the proposition and
/// polarity above are set from it; this says why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Matched {
    /// Shared by the statements matched together, across the sheets of the run.
    pub cluster: String,
    /// `existing` (a proposition of the store), `new` (shared within the cluster) or
    /// `alone` (no match: the statement keeps a proposition of its own).
    pub kind: String,
    /// The stance the words take and the cue that decided it.
    pub stance: crate::matching::stance::Stance,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
    pub confidence: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<crate::matching::sheet::Scored>,
    #[serde(default)]
    pub evidence: crate::matching::sheet::SharedWords,
}

fn yes() -> bool {
    true
}

/// The comment at the top of every YAML sheet.
pub const YAML_HEADER: &str = "\
# credgraph review sheet: statements proposed by `credgraph extract`.
# Correct what is wrong, set `keep: false` on what should not be loaded, then run
#   credgraph import THIS-FILE.yaml
# Fields of a statement (see the README, \"Extracting statements from articles\"):
#   speaker, speaker_kind (person | official | organization | outlet | unknown),
#   speaker_iri (an existing IRI, or one to mint), speaker_is_new, title, organization,
#   capacity (the post, cg:inCapacity), how (quote | paraphrase), verb,
#   speaker_mention and cue (the words naming the speaker and the reporting verb,
#   each with its text and character offsets start/end in the article; for a
#   pronoun, resolved_through: where the person was last named; for a quote going
#   on with an earlier speaker, the words that named them there), medium,
#   text with its character offsets start/end in the article, quoted_phrase,
#   polarity (assert | deny | report), certainty (almost-no-chance | very-unlikely | unlikely |
#   roughly-even-chance | likely | very-likely | almost-certain, or null),
#   certainty_wording, proposition (its label), proposition_iri (an existing one),
#   question, confidence (of the attribution, 0 to 1), rule, review, and with
#   `extract --match` the match: cluster, kind (existing | new | alone), stance, cue,
#   confidence, candidates, evidence (proposition and polarity are set from it).
# A statement with speaker_kind `unknown` must get a speaker or `keep: false`.
";

/// Writes a sheet as YAML, with the explaining header.
pub fn to_yaml(sheet: &Sheet) -> Result<String> {
    let body = serde_norway::to_string(sheet)
        .map_err(|e| Error::Internal(format!("writing the sheet: {e}")))?;
    Ok(format!("{YAML_HEADER}{body}"))
}

/// Reads a sheet from YAML (or JSON, which is YAML too), with the line and column of
/// what does not fit.
pub fn from_yaml(path: &Path, text: &str) -> Result<Sheet> {
    read_yaml(path, text, "a review sheet")
}

/// Reads YAML (or JSON) into `T`; an error names the line and column and says the
/// text is not `what`.
pub(crate) fn read_yaml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    what: &str,
) -> Result<T> {
    super::aliases::check_expansion(text).map_err(|error| Error::Syntax {
        path: path.to_path_buf(),
        position: error
            .location
            .map(|(line, column)| Position { line, column }),
        message: format!("not {what}: {}", error.message),
    })?;
    serde_norway::from_str::<T>(text).map_err(|error| {
        let position = error.location().map(|l| Position {
            line: l.line() as u64,
            column: l.column() as u64,
        });
        Error::Syntax {
            path: path.to_path_buf(),
            position,
            message: format!(
                "not {what}: {}",
                crate::error::parser_message(strip_location(&error.to_string()))
            ),
        }
    })
}

/// serde_norway appends " at line L column C"; the position is given once, in front.
fn strip_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => message,
    }
}

/// The line on which a statement's block starts, for messages about its fields.
pub fn statement_line(text: &str, id: &str) -> Option<u64> {
    text.lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches("- ").trim_start();
            line.strip_prefix("id:")
                .map(|v| v.trim().trim_matches(['\'', '"']) == id)
                .unwrap_or(false)
        })
        .map(|i| i as u64 + 1)
}
