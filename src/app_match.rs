//! Runs `match` (statements to proposed propositions and stances) and the match-sheet
//! half of `import`.

use crate::cli::{ImportArgs, MatchArgs, MatchFormat};
use crate::error::{Error, Result};
use crate::extract::{self, sheet as extract_sheet};
use crate::import::rdf::file_graph;
use crate::matching::sheet::{self, MatchLine, MatchSheet, Run, Scored};
use crate::matching::{self, Candidate, Choice, Proposed, Statement};
use crate::named_queries;
use crate::store::CaseStore;
use crate::vocab;
use oxigraph::model::NamedNode;
use oxigraph::sparql::QueryResults;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A statement as `match` got it, and whether the store holds it.
struct Input {
    statement: Statement,
    /// The name the sheet and JSON give it: its prefixed IRI when the store holds it,
    /// else the id of its table or sheet.
    name: String,
    in_store: bool,
    /// The proposition the store gives it now (left out of its own candidates).
    proposition: Option<String>,
}

impl Input {
    /// A statement of a table or a sheet, which the store does not hold.
    fn new(statement: Statement) -> Input {
        Input {
            name: statement.id.clone(),
            statement,
            in_store: false,
            proposition: None,
        }
    }
}

/// `credgraph match`.
pub fn run(store: &CaseStore, args: &MatchArgs) -> Result<()> {
    let (inputs, described) = statements(store, &args.files)?;
    if inputs.is_empty() {
        return Err(Error::invalid(if args.files.is_empty() {
            "no statement to match: every statement of the store shares its proposition with another (or the store holds none); give tables or sheets to match"
        } else {
            "no statement to match in the files given"
        }));
    }
    let own: HashSet<&str> = inputs
        .iter()
        .filter_map(|i| i.proposition.as_deref())
        .collect();
    let mut candidates = store_candidates(store)?;
    // New propositions are named unlike any of the store's, the statements' own too.
    let reserved: HashSet<String> = candidates.iter().map(|c| c.id.clone()).collect();
    candidates.retain(|c| !own.contains(c.id.as_str()));
    let in_store = candidates.len();
    for table in &args.propositions {
        candidates.extend(crate::import::match_tables::propositions(table)?);
    }
    let options = matching::Options {
        top: args.top.max(1),
        threshold: args.threshold,
        cluster_threshold: args.cluster_threshold,
        window_days: (args.window > 0).then_some(args.window),
        ..matching::Options::default()
    };
    let statements: Vec<Statement> = inputs.iter().map(|i| i.statement.clone()).collect();
    let proposed = matching::propose(&statements, &candidates, &options);
    summary(&proposed);
    let write = |out: &mut dyn Write| -> Result<()> {
        match args.format {
            MatchFormat::Yaml => {
                let sheet = match_sheet(
                    &inputs,
                    &candidates,
                    in_store,
                    &reserved,
                    &proposed,
                    described,
                );
                out.write_all(sheet::to_yaml(&sheet)?.as_bytes())
            }
            MatchFormat::Json => write_json(out, &inputs, &candidates, &reserved, &proposed),
        }
        .map_err(Error::Output)?;
        out.flush().map_err(Error::Output)
    };
    match &args.output {
        Some(path) => crate::files::write_whole(path, |out| {
            let mut buffered = std::io::BufWriter::new(out);
            write(&mut buffered)
        }),
        None => write(&mut std::io::BufWriter::new(std::io::stdout().lock())),
    }
}

/// The statements to match, and how the inputs are named in the sheet.
fn statements(store: &CaseStore, files: &[PathBuf]) -> Result<(Vec<Input>, Vec<String>)> {
    if files.is_empty() {
        return Ok((store_statements(store)?, vec!["the store".into()]));
    }
    let mut inputs = Vec::new();
    let mut ids = HashMap::new();
    for path in files {
        let found = if crate::app_extract::is_sheet(path) {
            sheet_statements(store, path)?
        } else {
            crate::import::match_tables::statements(path)?
                .into_iter()
                .map(Input::new)
                .collect()
        };
        for input in found {
            if let Some(other) = ids.insert(input.name.clone(), path.clone()) {
                return Err(Error::invalid(format!(
                    "statement {} is in {} and in {}: give one of them another id",
                    input.name,
                    other.display(),
                    path.display()
                )));
            }
            inputs.push(input);
        }
    }
    Ok((
        inputs,
        files.iter().map(|f| f.display().to_string()).collect(),
    ))
}

/// The rows of a named query, each as the text of its variables.
fn rows(store: &CaseStore, name: &str, variables: &[&str]) -> Result<Vec<Vec<Option<String>>>> {
    let query = named_queries::find(name)?;
    let text = named_queries::prepare(store, &query, &[])?;
    let QueryResults::Solutions(solutions) = store.query(&text)? else {
        return Err(Error::Internal(format!("{name} gave no solutions")));
    };
    let mut out = Vec::new();
    for solution in solutions {
        let solution = solution?;
        out.push(
            variables
                .iter()
                .map(|v| crate::credibility::case::text_of(solution.get(*v)))
                .collect(),
        );
    }
    Ok(out)
}

fn store_statements(store: &CaseStore) -> Result<Vec<Input>> {
    let found = rows(
        store,
        "unmatched-statements",
        &[
            "statement",
            "source_name",
            "text",
            "stated_on",
            "proposition",
            "proposition_text",
            "outlet",
        ],
    )?;
    // A statement with two labels of its source or proposition comes once.
    let mut seen = HashSet::new();
    Ok(found
        .into_iter()
        .filter_map(|row| {
            let iri = row[0].clone().filter(|iri| seen.insert(iri.clone()))?;
            Some(Input {
                name: extract::short(&iri),
                statement: Statement {
                    id: iri,
                    source: row[1].clone().unwrap_or_default(),
                    text: row[2].clone().unwrap_or_default(),
                    topic: row[5].clone(),
                    date: row[3].clone(),
                    own_voice: row[6].as_deref() == Some("yes"),
                },
                in_store: true,
                proposition: row[4].as_deref().map(extract::short),
            })
        })
        .collect())
}

fn store_candidates(store: &CaseStore) -> Result<Vec<Candidate>> {
    let found = rows(
        store,
        "propositions",
        &["proposition", "proposition_text", "question_text"],
    )?;
    // A proposition with two labels or questions comes once.
    let mut seen = HashSet::new();
    Ok(found
        .into_iter()
        .filter_map(|row| {
            let id = extract::short(row[0].as_deref()?);
            if !seen.insert(id.clone()) {
                return None;
            }
            Some(Candidate {
                id,
                text: row[1].clone().unwrap_or_default(),
                question: row[2].clone().filter(|q| !q.is_empty()),
            })
        })
        .collect())
}

/// Whether the store holds a statement of this IRI.
fn holds(store: &CaseStore, iri: &str) -> Result<bool> {
    let Ok(node) = NamedNode::new(iri) else {
        return Ok(false);
    };
    Ok(store
        .quads(
            Some(node.as_ref().into()),
            Some(vocab::cg::STATED_BY),
            None,
            None,
        )?
        .next()
        .transpose()?
        .is_some())
}

/// The statements of a review sheet from `extract`.
fn sheet_statements(store: &CaseStore, path: &Path) -> Result<Vec<Input>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::file(path, e))?;
    let sheet = extract_sheet::from_yaml(path, &text)?;
    let mut out = Vec::new();
    for p in sheet.statements.iter().filter(|p| p.keep) {
        let iri = format!("{}statement/{}", vocab::ID, p.id);
        let in_store = holds(store, &iri)?;
        out.push(Input {
            name: if in_store {
                extract::short(&iri)
            } else {
                p.id.clone()
            },
            statement: Statement {
                id: p.id.clone(),
                source: p.speaker.clone(),
                text: p.text.clone(),
                topic: Some(p.proposition.clone()),
                date: extract::article::parse_date(&sheet.article.date),
                own_voice: p.speaker_kind == extract_sheet::SpeakerKind::Outlet,
            },
            in_store,
            proposition: None,
        });
    }
    Ok(out)
}

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
fn new_proposition_ids(
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
fn match_sheet(
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
    cues: &'a [matching::stance::Cue],
    candidates: Vec<Scored>,
    proposition: Option<&'a str>,
    new_proposition: bool,
    cluster: String,
    confidence: f64,
    evidence: &'a matching::Evidence,
    stance_features: &'a [String],
}

/// Writes one JSON object per statement, a line each, in an array: the ids of the
/// tables given (scripts compare them with their own), written as they are made.
fn write_json(
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

/// One line on standard error.
fn summary(proposed: &Proposed) {
    let existing = proposed
        .matches
        .iter()
        .filter(|m| matches!(m.choice, Choice::Existing(_)))
        .count();
    let new = proposed
        .matches
        .iter()
        .filter(|m| matches!(m.choice, Choice::New(_)))
        .count();
    let clusters: HashSet<u32> = proposed.matches.iter().map(|m| m.cluster).collect();
    let statements = proposed.matches.len();
    eprintln!(
        "{} statement{}: {existing} matched to existing propositions, {new} to {} new proposition{} shared within a cluster, {} alone; {} cluster{}",
        statements,
        crate::app::plural(statements as u64),
        proposed.new_propositions.len(),
        crate::app::plural(proposed.new_propositions.len() as u64),
        statements - existing - new,
        clusters.len(),
        crate::app::plural(clusters.len() as u64),
    );
}

/// Whether a file given to `import` is a match sheet.
pub fn is_match_sheet(path: &Path) -> bool {
    crate::app_extract::is_sheet(path)
        && std::fs::read_to_string(path).is_ok_and(|text| sheet::is_match_sheet(&text))
}

/// `credgraph import MATCHSHEET...`: every sheet is checked against the store first;
/// then all are applied in one write.
pub fn import_match_sheets(store: &CaseStore, args: &ImportArgs) -> Result<()> {
    if args.graph.is_some() {
        return Err(Error::invalid(
            "a match sheet goes into a graph of its own (named by its file); --graph is for tables and review sheets",
        ));
    }
    let mut replace = Vec::new();
    let mut remove = Vec::new();
    let mut insert = Vec::new();
    let mut reports = Vec::new();
    let mut claimed: HashMap<String, PathBuf> = HashMap::new();
    for path in &args.files {
        let text = std::fs::read_to_string(path).map_err(|e| Error::file(path, e))?;
        let parsed = sheet::from_yaml(path, &text)?;
        // One statement, one proposition: two sheets may not both match it.
        for line in parsed.statements.iter().filter(|l| l.keep) {
            if let Some(other) = claimed.insert(line.statement.clone(), path.clone()) {
                if other != *path {
                    return Err(Error::Syntax {
                        path: path.clone(),
                        position: sheet::field_position(&text, &line.statement, "statement"),
                        message: format!(
                            "statement {}: {} matches it too; keep it in one sheet (keep: false in the other)",
                            line.statement,
                            other.display()
                        ),
                    });
                }
            }
        }
        let graph = file_graph(path)?;
        let changes = matching::apply::plan(store, path, &text, &parsed, &graph)?;
        let replaced = store.graph_exists(graph.as_ref())?;
        reports.push((
            path.clone(),
            replaced,
            changes.matched,
            changes.left_out,
            changes.minted,
            changes.added,
            changes.remove.len(),
        ));
        replace.push(graph);
        remove.extend(changes.remove);
        insert.extend(changes.insert);
    }
    store.rewrite_graphs(&replace, &remove, insert)?;
    for (path, replaced, matched, left_out, minted, added, removed) in reports {
        eprintln!(
            "{}: {matched} statement{} matched ({added} added to the store), {minted} new proposition{}, {left_out} left as they were, {removed} earlier triple{} replaced{}",
            path.display(),
            crate::app::plural(matched as u64),
            crate::app::plural(minted as u64),
            crate::app::plural(removed as u64),
            if replaced { " (replacing the earlier import of this sheet)" } else { "" }
        );
    }
    eprintln!("run `credgraph reason` to derive who agrees and contradicts");
    Ok(())
}

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
    let candidates = store_candidates(store)?;
    let proposed = matching::propose(&statements, &candidates, &matching::Options::default());
    let inputs: Vec<Input> = statements.into_iter().map(Input::new).collect();
    let reserved = candidates.iter().map(|c| c.id.clone()).collect();
    let sheet = match_sheet(
        &inputs,
        &candidates,
        candidates.len(),
        &reserved,
        &proposed,
        Vec::new(),
    );
    let new: HashMap<&str, &sheet::NewProposition> = sheet
        .propositions
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let by_id: HashMap<&str, &Candidate> = candidates.iter().map(|c| (c.id.as_str(), c)).collect();
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
                matching::stance::Stance::Asserts => Polarity::Assert,
                matching::stance::Stance::Denies => Polarity::Deny,
                matching::stance::Stance::Reports if relays => Polarity::Report,
                matching::stance::Stance::Reports => proposal.polarity,
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
