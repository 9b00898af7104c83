//! A reviewed match sheet applied to the store: each kept statement points to its
//! proposition with its stance as polarity, new propositions and questions are
//! minted, statements new to the store are added, and the application is recorded
//! with its provenance (what ran, when, which sheet).
//!
//! Everything the sheet writes goes into the sheet's own graph. A statement already
//! in the store loses its earlier proposition, polarity and certainty, wherever they
//! were written, in the same write: `cg:proposition` and `cg:polarity` are functional.

use super::sheet::{MatchLine, MatchSheet};
use super::stance::Stance;
use crate::error::{Error, Position, Result};
use crate::extract::rdf::minted;
use crate::store::CaseStore;
use crate::vocab::{self, cg, rdfs};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

const PROV: &str = "http://www.w3.org/ns/prov#";

/// What applying a sheet changes.
#[derive(Debug, Default)]
pub struct Changes {
    /// Quads to take out of other graphs.
    pub remove: Vec<Quad>,
    /// Quads of the sheet's graph.
    pub insert: Vec<Quad>,
    pub matched: usize,
    pub left_out: usize,
    pub minted: usize,
    pub added: usize,
}

/// The IRI a sheet's statement or proposition names: a prefixed name, a full IRI,
/// or (for a statement new to the store) a bare id under `statement:`.
fn named(value: &str, bare_kind: &str) -> Option<NamedNode> {
    let full = match vocab::expand(value) {
        Some(full) => full,
        None if value.contains("://") => value.to_string(),
        None => format!("{}{bare_kind}/{value}", vocab::ID),
    };
    NamedNode::new(full).ok()
}

fn prov(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{PROV}{local}"))
}

/// Works out what a sheet changes, checking every line against the store first;
/// the first line that is wrong is an error naming its line and column.
pub fn plan(
    store: &CaseStore,
    path: &Path,
    text: &str,
    sheet: &MatchSheet,
    graph: &NamedNode,
) -> Result<Changes> {
    let fail = |line: &MatchLine, field: &str, message: String| Error::Syntax {
        path: path.to_path_buf(),
        position: super::sheet::field_position(text, &line.statement, field)
            .or(Some(Position { line: 1, column: 1 })),
        message: format!("statement {}: {message}", line.statement),
    };
    let g = GraphName::NamedNode(graph.clone());
    let mut changes = Changes::default();
    let mut seen = HashSet::new();
    let mut add = |changes: &mut Changes, s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
        let quad = Quad::new(
            NamedOrBlankNode::NamedNode(s.clone()),
            p.into_owned(),
            o,
            g.clone(),
        );
        if seen.insert(quad.clone()) {
            changes.insert.push(quad);
        }
    };
    let label = english;

    // The new propositions of the sheet, by the id the lines use.
    let mut new: HashMap<&str, &super::sheet::NewProposition> = HashMap::new();
    for proposition in &sheet.propositions {
        new.insert(proposition.id.as_str(), proposition);
    }
    let mut used_new: HashSet<&str> = HashSet::new();
    let mut ids = HashSet::new();
    // What an earlier import of this sheet gave a statement that this import leaves
    // alone: kept, since the sheet's graph is replaced whole.
    let keep_as_is = |changes: &mut Changes, line: &MatchLine| -> Result<()> {
        changes.left_out += 1;
        let Some(statement) = named(&line.statement, "statement") else {
            return Ok(());
        };
        // With it go what those triples name there (its source, its proposition)
        // and what they name in turn (the proposition's question).
        let mut nodes = vec![statement];
        for _ in 0..3 {
            let mut next = Vec::new();
            for node in nodes {
                for quad in store.quads(Some(node.as_ref().into()), None, None, Some(g.as_ref()))? {
                    let quad = quad?;
                    if let Term::NamedNode(object) = &quad.object {
                        next.push(object.clone());
                    }
                    changes.insert.push(quad);
                }
            }
            nodes = next;
        }
        Ok(())
    };
    for line in &sheet.statements {
        if !line.keep {
            keep_as_is(&mut changes, line)?;
            continue;
        }
        if !ids.insert(line.statement.as_str()) {
            return Err(fail(
                line,
                "statement",
                "the sheet has two lines for this statement; keep one".into(),
            ));
        }
        let statement = named(&line.statement, "statement").ok_or_else(|| {
            fail(
                line,
                "statement",
                format!(
                    "{:?} is not an IRI, a prefixed name or an id",
                    line.statement
                ),
            )
        })?;
        let in_store = store
            .quads(
                Some(statement.as_ref().into()),
                Some(cg::STATED_BY),
                None,
                None,
            )?
            .next()
            .transpose()?;
        match (&in_store, line.new) {
            (None, false) => {
                return Err(fail(
                    line,
                    "statement",
                    "the store has no such statement: import its sheet or table first, or set `new: true` with its source, text and date".into(),
                ))
            }
            (Some(quad), true) if quad.graph_name != g => {
                return Err(fail(
                    line,
                    "statement",
                    format!(
                        "the store already has a statement of this id, in {}; set `new: false` to match it, or give this one another id",
                        quad.graph_name
                    ),
                ))
            }
            _ => {}
        }
        let proposition = match &line.proposition {
            Some(id) if new.contains_key(id.as_str()) => {
                used_new.insert(id.as_str());
                named(id, "proposition").ok_or_else(|| {
                    fail(
                        line,
                        "proposition",
                        format!("{id:?} cannot name a proposition"),
                    )
                })?
            }
            Some(id) => {
                let iri = vocab::expand(id)
                    .or_else(|| id.contains("://").then(|| id.clone()))
                    .and_then(|iri| NamedNode::new(iri).ok())
                    .ok_or_else(|| {
                        fail(
                            line,
                            "proposition",
                            format!("{id:?} is not an IRI or a prefixed name"),
                        )
                    })?;
                let known = store
                    .quads(
                        Some(iri.as_ref().into()),
                        Some(rdf::TYPE),
                        Some(cg::PROPOSITION.into()),
                        None,
                    )?
                    .next()
                    .transpose()?
                    .is_some();
                if !known {
                    return Err(fail(
                        line,
                        "proposition",
                        format!("{id} is neither a proposition of the store nor one of the sheet's `propositions`"),
                    ));
                }
                iri
            }
            None if line.new => {
                // A statement alone: a proposition of its own, as `extract` mints.
                let label = line.text.trim().trim_end_matches(['.', ',', ';']);
                let own = minted("proposition", label);
                let question = format!("Is it so that {}?", crate::extract::lowercase_first(label));
                for quad in proposition_quads(&own, label, &question) {
                    add(&mut changes, &quad.0, quad.1.as_ref(), quad.2);
                }
                own
            }
            None => {
                keep_as_is(&mut changes, line)?;
                continue;
            }
        };
        if line.new {
            if !line.source.chars().any(char::is_alphanumeric) {
                return Err(fail(
                    line,
                    "source",
                    "a new statement needs its source".into(),
                ));
            }
            let source = minted("source", &line.source);
            add(
                &mut changes,
                &source,
                rdf::TYPE,
                cg::SOURCE.into_owned().into(),
            );
            add(&mut changes, &source, rdfs::LABEL, label(&line.source));
            add(
                &mut changes,
                &statement,
                rdf::TYPE,
                cg::STATEMENT.into_owned().into(),
            );
            add(&mut changes, &statement, cg::STATED_BY, source.into());
            add(&mut changes, &statement, cg::TEXT, label(line.text.trim()));
            add(
                &mut changes,
                &statement,
                cg::IS_DIRECT_QUOTE,
                Literal::from(false).into(),
            );
            if let Some(date) = &line.date {
                if date.len() != 10 || crate::model::dates::day_number(date).is_none() {
                    return Err(fail(
                        line,
                        "date",
                        format!("{date:?} is not a date; write YYYY-MM-DD"),
                    ));
                }
                add(
                    &mut changes,
                    &statement,
                    cg::STATED_ON,
                    Literal::new_typed_literal(&date[..10], xsd::DATE).into(),
                );
            }
            changes.added += 1;
        } else {
            for predicate in [
                cg::PROPOSITION_PROP,
                cg::POLARITY,
                cg::CERTAINTY,
                cg::CERTAINTY_WORDING,
            ] {
                for quad in
                    store.quads(Some(statement.as_ref().into()), Some(predicate), None, None)?
                {
                    let quad = quad?;
                    if quad.graph_name != g {
                        changes.remove.push(quad);
                    }
                }
            }
        }
        add(
            &mut changes,
            &statement,
            cg::PROPOSITION_PROP,
            proposition.into(),
        );
        let polarity = match line.stance {
            Stance::Asserts => cg::ASSERTION,
            Stance::Denies => cg::DENIAL,
            Stance::Reports => cg::REPORT,
        };
        add(
            &mut changes,
            &statement,
            cg::POLARITY,
            polarity.into_owned().into(),
        );
        if let Some(words) = line
            .certainty_wording
            .as_deref()
            .filter(|_| line.certainty.is_some())
        {
            add(
                &mut changes,
                &statement,
                cg::CERTAINTY_WORDING,
                Literal::new_simple_literal(words).into(),
            );
        }
        if let Some(level) = line.certainty {
            let term = NamedNode::new_unchecked(format!("{}{}", vocab::CG, level.term()));
            add(&mut changes, &statement, cg::CERTAINTY, term.into());
        }
        add(
            &mut changes,
            &statement,
            prov("wasGeneratedBy").as_ref(),
            activity(graph, &sheet.run.at).into(),
        );
        changes.matched += 1;
    }
    for id in used_new {
        let proposition = new[id];
        let iri = named(id, "proposition").ok_or_else(|| Error::Syntax {
            path: path.to_path_buf(),
            position: None,
            message: format!("proposition {id:?} cannot name a proposition"),
        })?;
        if proposition.label.trim().is_empty()
            || !proposition.question.chars().any(char::is_alphanumeric)
        {
            return Err(Error::Syntax {
                path: path.to_path_buf(),
                position: text
                    .lines()
                    .position(|l| {
                        l.trim_start().trim_start_matches("- ").trim() == format!("id: {id}")
                    })
                    .map(|i| Position {
                        line: i as u64 + 1,
                        column: 1,
                    }),
                message: format!(
                    "proposition {id}: its label and its question must both have words"
                ),
            });
        }
        for quad in proposition_quads(&iri, proposition.label.trim(), &proposition.question) {
            add(&mut changes, &quad.0, quad.1.as_ref(), quad.2);
        }
        changes.minted += 1;
    }
    // Provenance: each statement matched was generated by this application of the
    // sheet, an activity that used the sheet (the file, which names the graph too).
    let run = activity(graph, &sheet.run.at);
    let agent = minted("agent", &sheet.run.by);
    add(&mut changes, &run, rdf::TYPE, prov("Activity").into());
    add(
        &mut changes,
        &run,
        rdfs::LABEL,
        label(&format!(
            "{} on {}, reviewed in {}",
            sheet.run.by,
            sheet.run.inputs.join(", "),
            path.display()
        )),
    );
    if is_date_time(&sheet.run.at) {
        let at = Literal::new_typed_literal(&sheet.run.at, xsd::DATE_TIME);
        add(
            &mut changes,
            &run,
            prov("startedAtTime").as_ref(),
            at.into(),
        );
    }
    add(
        &mut changes,
        &run,
        prov("used").as_ref(),
        graph.clone().into(),
    );
    add(
        &mut changes,
        &run,
        prov("wasAssociatedWith").as_ref(),
        agent.clone().into(),
    );
    add(
        &mut changes,
        &agent,
        rdf::TYPE,
        prov("SoftwareAgent").into(),
    );
    add(&mut changes, &agent, rdfs::LABEL, label(&sheet.run.by));
    Ok(changes)
}

/// A proposition with its label and the question it answers, minted from the
/// question's words: (subject, predicate, object) of each triple.
fn proposition_quads(
    proposition: &NamedNode,
    label: &str,
    question: &str,
) -> Vec<(NamedNode, NamedNode, Term)> {
    let q = minted("question", question);
    vec![
        (
            proposition.clone(),
            rdf::TYPE.into_owned(),
            cg::PROPOSITION.into_owned().into(),
        ),
        (
            proposition.clone(),
            rdfs::LABEL.into_owned(),
            english(label.trim()),
        ),
        (
            proposition.clone(),
            cg::ANSWERS.into_owned(),
            q.clone().into(),
        ),
        (
            q.clone(),
            rdf::TYPE.into_owned(),
            cg::QUESTION.into_owned().into(),
        ),
        (q, rdfs::LABEL.into_owned(), english(question.trim())),
    ]
}

/// Words in English, as a label.
fn english(text: &str) -> Term {
    Literal::new_language_tagged_literal_unchecked(text, "en").into()
}

/// The IRI of one application of a sheet.
fn activity(graph: &NamedNode, at: &str) -> NamedNode {
    use md5::Digest;
    let sheet = hex::encode(md5::Md5::digest(graph.as_str().as_bytes()));
    minted("activity", &format!("match {sheet} {at}"))
}

/// Whether a text has the form of an xsd:dateTime (2026-12-07T05:40:00Z).
fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 19 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':'
}
/// Whether a file given to `import` is a match sheet.
pub fn is_match_sheet(path: &Path) -> bool {
    crate::import::sheet::is_sheet(path)
        && std::fs::read_to_string(path).is_ok_and(|text| super::sheet::is_match_sheet(&text))
}

/// What one match sheet changed.
pub struct AppliedSheet {
    pub path: PathBuf,
    /// Whether an earlier import of the sheet was replaced.
    pub replaced: bool,
    pub matched: usize,
    pub left_out: usize,
    pub minted: usize,
    pub added: usize,
    pub removed: usize,
}

/// Imports match sheets: every sheet is checked against the store first; then all
/// are applied in one write.
pub fn import(store: &CaseStore, files: &[PathBuf]) -> Result<Vec<AppliedSheet>> {
    let mut replace = Vec::new();
    let mut remove = Vec::new();
    let mut insert = Vec::new();
    let mut reports = Vec::new();
    let mut claimed: HashMap<String, PathBuf> = HashMap::new();
    for path in files {
        let text = std::fs::read_to_string(path).map_err(|e| Error::file(path, e))?;
        let parsed = super::sheet::from_yaml(path, &text)?;
        // One statement, one proposition: two sheets may not both match it.
        for line in parsed.statements.iter().filter(|l| l.keep) {
            if let Some(other) = claimed.insert(line.statement.clone(), path.clone()) {
                if other != *path {
                    return Err(Error::Syntax {
                        path: path.clone(),
                        position: super::sheet::field_position(&text, &line.statement, "statement"),
                        message: format!(
                            "statement {}: {} matches it too; keep it in one sheet (keep: false in the other)",
                            line.statement,
                            other.display()
                        ),
                    });
                }
            }
        }
        let graph = crate::import::rdf::file_graph(path)?;
        let changes = plan(store, path, &text, &parsed, &graph)?;
        let replaced = store.graph_exists(graph.as_ref())?;
        reports.push(AppliedSheet {
            path: path.clone(),
            replaced,
            matched: changes.matched,
            left_out: changes.left_out,
            minted: changes.minted,
            added: changes.added,
            removed: changes.remove.len(),
        });
        replace.push(graph);
        remove.extend(changes.remove);
        insert.extend(changes.insert);
    }
    store.rewrite_graphs(&replace, &remove, insert)?;
    Ok(reports)
}
