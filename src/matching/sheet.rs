//! The match sheet: what `match` proposes, in a YAML file an analyst reviews and
//! `import` applies.

use crate::error::{Error, Position, Result};
use crate::extract::hedging::Certainty;
use serde::{Deserialize, Serialize};
use std::path::Path;

use super::stance::{Cue, Stance};

/// One run's proposals.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MatchSheet {
    /// What ran, when, on what.
    #[serde(rename = "match")]
    pub run: Run,
    /// New propositions, each shared by a cluster of statements: minted on import.
    #[serde(default)]
    pub propositions: Vec<NewProposition>,
    #[serde(default)]
    pub statements: Vec<MatchLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// The program and version that proposed the matches.
    pub by: String,
    /// When, as an xsd:dateTime.
    pub at: String,
    /// The inputs: files, or "the store".
    pub inputs: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NewProposition {
    /// The IRI to mint (a prefixed name such as proposition:dam-breached).
    pub id: String,
    pub label: String,
    pub question: String,
    pub cluster: String,
}

/// A candidate proposition and its score.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scored {
    pub proposition: String,
    pub score: f64,
}

/// The words the statement shares with the proposition it is matched to.
pub use super::Evidence as SharedWords;

/// One statement's proposal.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MatchLine {
    /// The statement: its IRI or prefixed name when it is in the store, else the id
    /// its table or sheet gives it (then `new` is true).
    pub statement: String,
    /// Set to false to leave the statement as it is.
    #[serde(default = "yes")]
    pub keep: bool,
    /// True when the store does not hold the statement: importing adds it, stated by
    /// `source` on `date`, with `text`.
    #[serde(default)]
    pub new: bool,
    pub source: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The proposition it speaks to: an existing IRI or one of `propositions`; null
    /// leaves its proposition as it is.
    pub proposition: Option<String>,
    pub stance: Stance,
    /// ICD-203 band of the words; null when stated plainly.
    #[serde(default)]
    pub certainty: Option<Certainty>,
    /// The words that carry the certainty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certainty_wording: Option<String>,
    /// The words that decided the stance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
    /// Every cue found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<Cue>,
    pub cluster: String,
    pub confidence: f64,
    #[serde(default)]
    pub candidates: Vec<Scored>,
    #[serde(default)]
    pub evidence: SharedWords,
}

fn yes() -> bool {
    true
}

/// The comment at the top of every match sheet.
pub const YAML_HEADER: &str = "\
# credgraph match sheet: which proposition each statement speaks to, and how,
# proposed by `credgraph match`. Review it, then run
#   credgraph import THIS-FILE.yaml
# Nothing is changed until then, and a line with `keep: false` changes nothing.
# `propositions` lists the new propositions proposed for clusters of statements that
# no existing proposition fits (id to mint, label, question); edit the labels freely.
# Fields of a statement (see the README, \"Matching statements\"):
#   statement (its IRI, or its id when `new: true`: importing then adds it, stated by
#   `source` on `date` with `text`), keep, proposition (an existing IRI or an id of
#   `propositions`; null leaves it as it is), stance (asserts | denies | reports),
#   certainty (almost-no-chance | very-unlikely | unlikely | roughly-even-chance |
#   likely | very-likely | almost-certain, or null) and certainty_wording (the words
#   that carry it), cue (the words that decided the
#   stance), cues, cluster (shared by the statements matched together), confidence
#   (0 to 1), candidates (best first, with scores), evidence (the words, names,
#   numbers and dates shared with the proposition).
";

/// Now as an xsd:dateTime: when a sheet was proposed.
pub fn now() -> String {
    oxsdatatypes::DateTime::now().to_string()
}

/// Writes a sheet as YAML, with the explaining header.
pub fn to_yaml(sheet: &MatchSheet) -> Result<String> {
    let body = serde_norway::to_string(sheet)
        .map_err(|e| Error::Internal(format!("writing the match sheet: {e}")))?;
    Ok(format!("{YAML_HEADER}{body}"))
}

/// Whether a YAML or JSON text is a match sheet rather than an extract sheet: its
/// first key at the top level is `match`.
pub fn is_match_sheet(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---" && *l != "{")
        .is_some_and(|l| {
            let l = l.trim_start_matches(['{', '[']).trim_start();
            l.starts_with("match:") || l.starts_with("\"match\"")
        })
}

/// Reads a match sheet, with the line and column of what does not fit.
pub fn from_yaml(path: &Path, text: &str) -> Result<MatchSheet> {
    crate::extract::sheet::read_yaml(path, text, "a match sheet")
}

/// Where the value of `field` of the statement `statement` stands in the sheet's
/// text: the line of its block's field, and the column its value starts at.
pub fn field_position(text: &str, statement: &str, field: &str) -> Option<Position> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|line| {
        let line = line.trim_start().trim_start_matches("- ").trim_start();
        line.strip_prefix("statement:")
            .is_some_and(|v| v.trim().trim_matches(['\'', '"']) == statement)
    })?;
    let key = format!("{field}:");
    for (i, line) in lines.iter().enumerate().skip(start) {
        let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
        if i > start && line.trim_start().starts_with("- statement:") {
            break;
        }
        if let Some(value) = trimmed.strip_prefix(&key) {
            let column = line.len() - value.trim_start().len() + 1;
            return Some(Position {
                line: i as u64 + 1,
                column: column as u64,
            });
        }
    }
    Some(Position {
        line: start as u64 + 1,
        column: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_found_in_its_statements_block() {
        let text = "match:\n  by: x\nstatements:\n- statement: statement:a\n  stance: asserts\n- statement: statement:b\n  source: B\n  stance: denies\n";
        assert_eq!(
            field_position(text, "statement:b", "stance"),
            Some(Position {
                line: 8,
                column: 11
            })
        );
        assert!(is_match_sheet("# header\nmatch:\n  by: x\n"));
        assert!(!is_match_sheet("article:\n  file: a.txt\n"));
    }
}
