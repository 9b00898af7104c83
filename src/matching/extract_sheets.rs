//! `extract --match`: the statements of one run's review sheets matched against the
//! store's propositions and each other, so that one review covers both steps.

use super::inputs::{self, Input};
use super::proposals;
use super::{Choice, Statement};
use crate::error::Result;
use crate::extract::{self, sheet as extract_sheet};
use crate::store::CaseStore;
use std::collections::HashMap;

/// `extract --match`: matches the statements of the sheets of one run against the
/// store's propositions and each other, and sets each proposal's proposition,
/// question and polarity from what was found, with the match in its `match` field.
pub fn match_sheets(store: &CaseStore, sheets: &mut [extract_sheet::Sheet]) -> Result<()> {
    use extract_sheet::{Matched, Polarity, SpeakerKind};
    let statements: Vec<Statement> = sheets
        .iter()
        .flat_map(|sheet| {
            sheet.statements.iter().map(|p| Statement {
                id: p.id.clone(),
                source: p.speaker.clone(),
                text: p.text.clone(),
                topic: Some(p.proposition.clone()),
                date: extract::article::parse_date(&sheet.article.date),
                own_voice: p.speaker_kind == SpeakerKind::Outlet,
            })
        })
        .collect();
    if statements.is_empty() {
        return Ok(());
    }
    let candidates = inputs::store_candidates(store)?;
    let proposed = super::propose(&statements, &candidates, &super::Options::default());
    let inputs: Vec<Input> = statements.into_iter().map(Input::new).collect();
    let reserved = candidates.iter().map(|c| c.id.clone()).collect();
    let sheet = proposals::match_sheet(
        &inputs,
        &candidates,
        candidates.len(),
        &reserved,
        &proposed,
        Vec::new(),
    );
    let new: HashMap<&str, &super::sheet::NewProposition> = sheet
        .propositions
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let by_id: HashMap<&str, &super::Candidate> =
        candidates.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut lines = sheet.statements.iter().zip(&proposed.matches);
    for proposal in sheets.iter_mut().flat_map(|s| s.statements.iter_mut()) {
        let Some((line, m)) = lines.next() else { break };
        let kind = match m.choice {
            Choice::Existing(_) => "existing",
            Choice::New(_) => "new",
            Choice::Alone => "alone",
        };
        match line.proposition.as_deref() {
            Some(id) if new.contains_key(id) => {
                // Minted from the label, so every sheet of the cluster names one IRI.
                proposal.proposition = new[id].label.clone();
                proposal.question = new[id].question.clone();
                proposal.proposition_iri = None;
            }
            Some(id) => {
                if let Some(candidate) = by_id.get(id) {
                    proposal.proposition = candidate.text.clone();
                    if let Some(question) = &candidate.question {
                        proposal.question = question.clone();
                    }
                }
                proposal.proposition_iri = Some(id.to_string());
            }
            None => {}
        }
        if line.proposition.is_some() {
            // A speaker's own words are theirs whatever frame the outlet put them
            // in: only the outlet, or a cue other than attribution, reports.
            let relays = proposal.speaker_kind == SpeakerKind::Outlet
                || m.stance
                    .cues
                    .iter()
                    .any(|c| c.kind != "attribution" && c.kind != "hedging");
            proposal.polarity = match m.stance.stance {
                super::stance::Stance::Asserts => Polarity::Assert,
                super::stance::Stance::Denies => Polarity::Deny,
                super::stance::Stance::Reports if relays => Polarity::Report,
                super::stance::Stance::Reports => proposal.polarity,
            };
        }
        proposal.matched = Some(Matched {
            cluster: line.cluster.clone(),
            kind: kind.into(),
            stance: line.stance,
            cue: line.cue.clone(),
            confidence: line.confidence,
            candidates: line.candidates.clone(),
            evidence: line.evidence.clone(),
        });
    }
    Ok(())
}
