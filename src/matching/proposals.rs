//! The proposals as the user gets them: a match sheet to review and import, or one
//! JSON object a statement for scripts; candidates and new propositions named as the
//! sheet names them.

use super::inputs::Input;
use super::sheet::{self, MatchLine, MatchSheet, Run, Scored};
use super::{Candidate, Choice, Proposed};
use crate::extract;
use crate::vocab;
use oxigraph::model::NamedNode;
use std::collections::HashSet;
use std::io::Write;

/// The name a candidate has in the sheet: the store's as it is; one of a table
/// (those from `in_store` on) as a proposition to mint, `proposition:` and its id.
fn sheet_name(candidates: &[Candidate], in_store: usize, p: usize) -> String {
    let id = &candidates[p].id;
    if p < in_store || vocab::expand(id).is_some() || id.contains("://") {
        id.clone()
    } else if NamedNode::new(format!("{}proposition/{id}", vocab::ID)).is_ok() {
        format!("proposition:{id}")
    } else {
        format!("proposition:{}", extract::slug(id, 100))
    }
}

/// The ids of the new propositions, each unlike any candidate's and each other's.
/// A cluster whose most central statement already has a proposition of its own in
/// the store (one someone modelled, perhaps with what it entails) gathers on that
/// one instead of a new one.
pub fn new_proposition_ids(
    inputs: &[Input],
    candidates: &[Candidate],
    in_store: usize,
    reserved: &HashSet<String>,
    proposed: &Proposed,
) -> Vec<String> {
    let mut taken: HashSet<String> = (0..candidates.len())
        .map(|p| sheet_name(candidates, in_store, p))
        .chain(reserved.iter().cloned())
        .collect();
    proposed
        .new_propositions
        .iter()
        .map(|n| {
            if let Some(own) = &inputs[n.from].proposition {
                return own.clone();
            }
            let base = format!("proposition:{}", extract::slug(&n.label, 80));
            let mut id = base.clone();
            let mut k = 2;
            while !taken.insert(id.clone()) {
                id = format!("{base}-{k}");
                k += 1;
            }
            id
        })
        .collect()
}

/// The proposals as a match sheet. Candidates from `in_store` on come from tables:
/// those chosen are listed with the new propositions, to be minted on import.
pub fn match_sheet(
    inputs: &[Input],
    candidates: &[Candidate],
    in_store: usize,
    reserved: &HashSet<String>,
    proposed: &Proposed,
    described: Vec<String>,
) -> MatchSheet {
    let name = |p: usize| sheet_name(candidates, in_store, p);
    let new_ids = new_proposition_ids(inputs, candidates, in_store, reserved, proposed);
    let mut propositions: Vec<sheet::NewProposition> = proposed
        .new_propositions
        .iter()
        .zip(&new_ids)
        .filter(|(n, _)| inputs[n.from].proposition.is_none())
        .map(|(n, id)| sheet::NewProposition {
            id: id.clone(),
            label: n.label.clone(),
            question: n.question.clone(),
            cluster: format!("c{}", n.cluster + 1),
        })
        .collect();
    let mut listed = HashSet::new();
    for m in &proposed.matches {
        if let Choice::Existing(p) = m.choice {
            if p >= in_store && listed.insert(p) {
                let candidate = &candidates[p];
                propositions.push(sheet::NewProposition {
                    id: name(p),
                    label: candidate.text.clone(),
                    question: candidate
                        .question
                        .clone()
                        .unwrap_or_else(|| format!("Is it so that {}?", candidate.text.trim())),
                    cluster: format!("c{}", m.cluster + 1),
                });
            }
        }
    }
    let statements = inputs
        .iter()
        .zip(&proposed.matches)
        .map(|(input, m)| MatchLine {
            statement: input.name.clone(),
            keep: true,
            new: !input.in_store,
            source: input.statement.source.clone(),
            text: input.statement.text.clone(),
            date: input.statement.date.clone(),
            proposition: match m.choice {
                Choice::Existing(p) => Some(name(p)),
                Choice::New(n) => Some(new_ids[n].clone()),
                Choice::Alone => None,
            },
            stance: m.stance.stance,
            certainty: m.stance.certainty,
            certainty_wording: m.stance.certainty_wording.clone(),
            cue: m.stance.cue.clone(),
            cues: m.stance.cues.clone(),
            cluster: format!("c{}", m.cluster + 1),
            confidence: round(m.confidence),
            candidates: m
                .candidates
                .iter()
                .map(|&(p, score)| Scored {
                    proposition: name(p),
                    score: round(score as f64),
                })
                .collect(),
            evidence: m.evidence.clone(),
        })
        .collect();
    MatchSheet {
        run: Run {
            by: format!("credgraph {} match", env!("CARGO_PKG_VERSION")),
            at: sheet::now(),
            inputs: described,
        },
        propositions,
        statements,
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// One statement's proposal as `--format json` gives it.
#[derive(serde::Serialize)]
struct JsonRow<'a> {
    statement: &'a str,
    source: &'a str,
    text: &'a str,
    stance: &'static str,
    certainty: Option<crate::extract::hedging::Certainty>,
    cue: Option<&'a str>,
    cues: &'a [super::stance::Cue],
    candidates: Vec<Scored>,
    proposition: Option<&'a str>,
    new_proposition: bool,
    cluster: String,
    confidence: f64,
    evidence: &'a super::Evidence,
    stance_features: &'a [String],
}

/// Writes one JSON object per statement, a line each, in an array: the ids of the
/// tables given (scripts compare them with their own), written as they are made.
pub fn write_json(
    out: &mut dyn Write,
    inputs: &[Input],
    candidates: &[Candidate],
    reserved: &HashSet<String>,
    proposed: &Proposed,
) -> std::io::Result<()> {
    let new_ids = new_proposition_ids(inputs, candidates, candidates.len(), reserved, proposed);
    out.write_all(b"[\n")?;
    for (k, (input, m)) in inputs.iter().zip(&proposed.matches).enumerate() {
        let row = JsonRow {
            statement: &input.name,
            source: &input.statement.source,
            text: &input.statement.text,
            stance: m.stance.stance.name(),
            certainty: m.stance.certainty,
            cue: m.stance.cue.as_deref(),
            cues: &m.stance.cues,
            candidates: m
                .candidates
                .iter()
                .map(|&(p, score)| Scored {
                    proposition: candidates[p].id.clone(),
                    score: round(score as f64),
                })
                .collect(),
            proposition: match m.choice {
                Choice::Existing(p) => Some(candidates[p].id.as_str()),
                Choice::New(n) => Some(new_ids[n].as_str()),
                Choice::Alone => None,
            },
            new_proposition: matches!(m.choice, Choice::New(n)
                if inputs[proposed.new_propositions[n].from].proposition.is_none()),
            cluster: format!("c{}", m.cluster + 1),
            confidence: round(m.confidence),
            evidence: &m.evidence,
            stance_features: &m.stance.features,
        };
        if k > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut *out, &row)?;
    }
    out.write_all(b"\n]\n")
}
