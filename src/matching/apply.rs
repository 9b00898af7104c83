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
    let mut planner = Planner {
        store,
        path,
        text,
        graph,
        g: GraphName::NamedNode(graph.clone()),
        activity: activity(graph, &sheet.run.at),
        changes: Changes::default(),
        seen: HashSet::new(),
        directory: None,
    };
    // The new propositions of the sheet, by the id the lines use.
    let new: HashMap<&str, &super::sheet::NewProposition> = sheet
        .propositions
        .iter()
        .map(|proposition| (proposition.id.as_str(), proposition))
        .collect();
    let mut used_new: Vec<&str> = Vec::new();
    let mut ids = HashSet::new();
    for line in &sheet.statements {
        if !line.keep {
            planner.keep_as_is(line)?;
            continue;
        }
        if !ids.insert(line.statement.as_str()) {
            return Err(planner.fail(
                line,
                "statement",
                "the sheet has two lines for this statement; keep one".into(),
            ));
        }
        let statement = planner.statement(line)?;
        let proposition = match &line.proposition {
            Some(id) if new.contains_key(id.as_str()) => {
                if !used_new.contains(&id.as_str()) {
                    used_new.push(id.as_str());
                }
                named(id, "proposition").ok_or_else(|| {
                    planner.fail(
                        line,
                        "proposition",
                        format!("{:?} cannot name a proposition", crate::error::quoted(id)),
                    )
                })?
            }
            Some(id) => planner.store_proposition(line, id)?,
            None if line.new => planner.own_proposition(line),
            None => {
                planner.keep_as_is(line)?;
                continue;
            }
        };
        if line.new {
            planner.add_statement(line, &statement)?;
        } else {
            planner.remove_earlier_match(&statement)?;
        }
        planner.add_match(line, &statement, proposition);
    }
    for id in used_new {
        planner.mint(id, new[id])?;
    }
    planner.add_provenance(sheet);
    Ok(planner.changes)
}

/// The changes of one sheet as they are worked out.
struct Planner<'a> {
    store: &'a CaseStore,
    path: &'a Path,
    text: &'a str,
    /// The sheet's graph, as a node and as a graph name.
    graph: &'a NamedNode,
    g: GraphName,
    /// This application of the sheet, which generated the statements it matched.
    activity: NamedNode,
    changes: Changes,
    seen: HashSet<Quad>,
    /// The store's people, posts and organizations, read at the first new statement.
    directory: Option<crate::extract::linking::Directory>,
}

impl Planner<'_> {
    fn fail(&self, line: &MatchLine, field: &str, message: String) -> Error {
        Error::Syntax {
            path: self.path.to_path_buf(),
            position: super::sheet::field_position(self.text, &line.statement, field)
                .or(Some(Position { line: 1, column: 1 })),
            message: format!(
                "statement {}: {message}",
                crate::error::quoted(&line.statement)
            ),
        }
    }

    /// A triple of the sheet's graph, once.
    fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: Term) {
        let quad = Quad::new(
            NamedOrBlankNode::NamedNode(s.clone()),
            p.into_owned(),
            o,
            self.g.clone(),
        );
        if self.seen.insert(quad.clone()) {
            self.changes.insert.push(quad);
        }
    }

    /// What an earlier import of this sheet gave a statement that this import leaves
    /// alone: kept, since the sheet's graph is replaced whole. With it go what those
    /// triples name there (its source, its proposition) and what they name in turn
    /// (the proposition's question).
    fn keep_as_is(&mut self, line: &MatchLine) -> Result<()> {
        self.changes.left_out += 1;
        let Some(statement) = named(&line.statement, "statement") else {
            return Ok(());
        };
        let mut nodes = vec![statement];
        for _ in 0..3 {
            let mut next = Vec::new();
            for node in nodes {
                let quads = self.store.quads(
                    Some(node.as_ref().into()),
                    None,
                    None,
                    Some(self.g.as_ref()),
                )?;
                for quad in quads {
                    let quad = quad?;
                    if let Term::NamedNode(object) = &quad.object {
                        next.push(object.clone());
                    }
                    self.changes.insert.push(quad);
                }
            }
            nodes = next;
        }
        Ok(())
    }

    /// The statement a line names: in the store, unless the line says it is new
    /// (and then in no other graph of the store).
    fn statement(&self, line: &MatchLine) -> Result<NamedNode> {
        let statement = named(&line.statement, "statement").ok_or_else(|| {
            self.fail(
                line,
                "statement",
                format!(
                    "{:?} is not an IRI, a prefixed name or an id",
                    crate::error::quoted(&line.statement)
                ),
            )
        })?;
        let in_store = self
            .store
            .quads(
                Some(statement.as_ref().into()),
                Some(cg::STATED_BY),
                None,
                None,
            )?
            .next()
            .transpose()?;
        match (&in_store, line.new) {
            (None, false) => Err(self.fail(
                line,
                "statement",
                "the store has no such statement: import its sheet or table first, or set `new: true` with its source, text and date".into(),
            )),
            (Some(quad), true) if quad.graph_name != self.g => Err(self.fail(
                line,
                "statement",
                format!(
                    "the store already has a statement of this id, in {}; set `new: false` to match it, or give this one another id",
                    quad.graph_name
                ),
            )),
            _ => Ok(statement),
        }
    }

    /// A proposition of the store, by IRI or prefixed name.
    fn store_proposition(&self, line: &MatchLine, id: &str) -> Result<NamedNode> {
        let iri = vocab::expand(id)
            .or_else(|| id.contains("://").then(|| id.to_string()))
            .and_then(|iri| NamedNode::new(iri).ok())
            .ok_or_else(|| {
                self.fail(
                    line,
                    "proposition",
                    format!(
                        "{:?} is not an IRI or a prefixed name",
                        crate::error::quoted(id)
                    ),
                )
            })?;
        let known = self
            .store
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
            return Err(self.fail(
                line,
                "proposition",
                format!("{id} is neither a proposition of the store nor one of the sheet's `propositions`"),
            ));
        }
        Ok(iri)
    }

    /// A new statement alone: a proposition of its own, as `extract` mints.
    fn own_proposition(&mut self, line: &MatchLine) -> NamedNode {
        let label = line.text.trim().trim_end_matches(['.', ',', ';']);
        let own = minted("proposition", label);
        let question = format!("Is it so that {}?", crate::extract::lowercase_first(label));
        for (s, p, o) in proposition_quads(&own, label, &question) {
            self.add(&s, p.as_ref(), o);
        }
        own
    }

    /// A statement new to the store: its source, text and date.
    fn add_statement(&mut self, line: &MatchLine, statement: &NamedNode) -> Result<()> {
        if !line.source.chars().any(char::is_alphanumeric) {
            return Err(self.fail(line, "source", "a new statement needs its source".into()));
        }
        // A source the store knows, by name, alias or the post held on the
        // statement's date; else a new one.
        if self.directory.is_none() {
            self.directory = Some(crate::extract::linking::Directory::read(self.store)?);
        }
        let known = self
            .directory
            .as_ref()
            .and_then(|d| d.source(&line.source, line.date.as_deref()));
        let source = match known {
            Some(iri) => NamedNode::new_unchecked(iri),
            None => {
                let source = minted("source", &line.source);
                self.add(&source, rdf::TYPE, cg::SOURCE.into_owned().into());
                self.add(&source, rdfs::LABEL, english(&line.source));
                source
            }
        };
        self.add(statement, rdf::TYPE, cg::STATEMENT.into_owned().into());
        self.add(statement, cg::STATED_BY, source.into());
        self.add(statement, cg::TEXT, english(line.text.trim()));
        self.add(statement, cg::IS_DIRECT_QUOTE, Literal::from(false).into());
        if let Some(date) = &line.date {
            if !crate::model::dates::is_date(date) {
                return Err(self.fail(
                    line,
                    "date",
                    format!(
                        "{:?} is not a date; write YYYY-MM-DD",
                        crate::error::quoted(date)
                    ),
                ));
            }
            self.add(
                statement,
                cg::STATED_ON,
                Literal::new_typed_literal(date, xsd::DATE).into(),
            );
        }
        self.changes.added += 1;
        Ok(())
    }

    /// The proposition, polarity and certainty a statement of the store had from
    /// elsewhere: they are functional, so the match replaces them.
    fn remove_earlier_match(&mut self, statement: &NamedNode) -> Result<()> {
        for predicate in [
            cg::PROPOSITION_PROP,
            cg::POLARITY,
            cg::CERTAINTY,
            cg::CERTAINTY_WORDING,
        ] {
            for quad in
                self.store
                    .quads(Some(statement.as_ref().into()), Some(predicate), None, None)?
            {
                let quad = quad?;
                if quad.graph_name != self.g {
                    self.changes.remove.push(quad);
                }
            }
        }
        Ok(())
    }

    /// What the line says of its statement: proposition, stance as polarity,
    /// certainty, and the activity that generated it.
    fn add_match(&mut self, line: &MatchLine, statement: &NamedNode, proposition: NamedNode) {
        self.add(statement, cg::PROPOSITION_PROP, proposition.into());
        let polarity = match line.stance {
            Stance::Asserts => cg::ASSERTION,
            Stance::Denies => cg::DENIAL,
            Stance::Reports => cg::REPORT,
        };
        self.add(statement, cg::POLARITY, polarity.into_owned().into());
        if let Some(words) = line
            .certainty_wording
            .as_deref()
            .filter(|_| line.certainty.is_some())
        {
            self.add(
                statement,
                cg::CERTAINTY_WORDING,
                Literal::new_simple_literal(words).into(),
            );
        }
        if let Some(level) = line.certainty {
            self.add(
                statement,
                cg::CERTAINTY,
                NamedNode::new_unchecked(level.iri()).into(),
            );
        }
        let activity = self.activity.clone();
        self.add(statement, prov("wasGeneratedBy").as_ref(), activity.into());
        self.changes.matched += 1;
    }

    /// A new proposition of the sheet, with its question.
    fn mint(&mut self, id: &str, proposition: &super::sheet::NewProposition) -> Result<()> {
        let iri = named(id, "proposition").ok_or_else(|| Error::Syntax {
            path: self.path.to_path_buf(),
            position: None,
            message: format!(
                "proposition {:?} cannot name a proposition",
                crate::error::quoted(id)
            ),
        })?;
        if proposition.label.trim().is_empty()
            || !proposition.question.chars().any(char::is_alphanumeric)
        {
            return Err(Error::Syntax {
                path: self.path.to_path_buf(),
                position: self
                    .text
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
        for (s, p, o) in proposition_quads(&iri, proposition.label.trim(), &proposition.question) {
            self.add(&s, p.as_ref(), o);
        }
        self.changes.minted += 1;
        Ok(())
    }

    /// Provenance: each statement matched was generated by this application of the
    /// sheet, an activity that used the sheet (the file, which names the graph too)
    /// and was carried out by the version of credgraph that proposed the matches.
    fn add_provenance(&mut self, sheet: &MatchSheet) {
        let run = self.activity.clone();
        let agent = minted("agent", &sheet.run.by);
        self.add(&run, rdf::TYPE, prov("Activity").into());
        let label = english(&format!(
            "{} on {}, reviewed in {}",
            sheet.run.by,
            sheet.run.inputs.join(", "),
            self.path.display()
        ));
        self.add(&run, rdfs::LABEL, label);
        if is_date_time(&sheet.run.at) {
            let at = Literal::new_typed_literal(&sheet.run.at, xsd::DATE_TIME);
            self.add(&run, prov("startedAtTime").as_ref(), at.into());
        }
        let graph = self.graph.clone();
        self.add(&run, prov("used").as_ref(), graph.into());
        self.add(
            &run,
            prov("wasAssociatedWith").as_ref(),
            agent.clone().into(),
        );
        self.add(&agent, rdf::TYPE, prov("SoftwareAgent").into());
        self.add(&agent, rdfs::LABEL, english(&sheet.run.by));
    }
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
                            crate::error::quoted(&line.statement),
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
