//! `import`: claim tables into the model. Each item becomes a `cg:Question`, each
//! distinct value of an item a `cg:Proposition` answering it (the values of one item
//! exclude each other), each row a `cg:Statement` asserting the proposition, by the
//! row's source, with the row's date and certainty when the table has them.
//!
//! Minted IRIs (percent-encoded names; stable, so importing a table again gives
//! the same nodes):
//! - source `id/source/NAME` (a cell that is an IRI or a prefixed name is used as is)
//! - question `id/question/ITEM`, proposition `id/proposition/ITEM/VALUE`
//! - statement `id/statement/claim-MD5(SOURCE, ITEM, VALUE, DATE)`
//!
//! A file's triples go into the graph named by its `file:` URL (importing it again
//! replaces that graph), or into the graph given; all files or none are stored.

use super::rdf::file_graph;
use super::table::{self, TableOptions};
use crate::error::Result;
use crate::files::encode_segment;
use crate::model::Certainty;
use crate::resolve;
use crate::store::CaseStore;
use crate::vocab::{self, cg, rdfs};
use md5::{Digest, Md5};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

/// What one file gave.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    pub path: PathBuf,
    pub graph: GraphName,
    pub rows: usize,
    pub bad_rows: Vec<table::BadRow>,
    pub statements: usize,
    pub quads: usize,
    pub replaced: bool,
}

/// A table's rows, with names interned so that millions of rows stay small.
#[derive(Default)]
struct Compact {
    names: Vec<Box<str>>,
    ids: FxHashMap<Box<str>, u32>,
    rows: Vec<[u32; 3]>,
    dates: FxHashMap<usize, u32>,
    certainties: FxHashMap<usize, f64>,
}

impl Compact {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }
}

/// Imports tables into the store, all or nothing.
pub fn import(
    store: &CaseStore,
    paths: &[PathBuf],
    options: &TableOptions,
    graph: Option<&GraphName>,
) -> Result<Vec<ImportedFile>> {
    let mut tables = Vec::new();
    for path in paths {
        let mut compact = Compact::default();
        let bad = table::read_each(path, options, |row| {
            let at = compact.rows.len();
            let ids = [
                compact.id(row.source),
                compact.id(row.item),
                compact.id(row.value),
            ];
            compact.rows.push(ids);
            if let Some(date) = row.date {
                let id = compact.id(date);
                compact.dates.insert(at, id);
            }
            if let Some(p) = row.certainty {
                compact.certainties.insert(at, p);
            }
        })?;
        let target = match graph {
            Some(g) => g.clone(),
            None if path == Path::new("-") => GraphName::DefaultGraph,
            None => GraphName::NamedNode(file_graph(path)?),
        };
        tables.push((path.clone(), compact, bad, target));
    }

    let mut replace = Vec::new();
    let mut report = Vec::new();
    for (path, compact, bad, target) in &tables {
        let mut replaced = false;
        if let (GraphName::NamedNode(g), None) = (target, graph) {
            replaced = store.graph_exists(g.as_ref())?;
            replace.push(g.clone());
        }
        report.push(ImportedFile {
            path: path.clone(),
            graph: target.clone(),
            rows: compact.rows.len(),
            bad_rows: bad.clone(),
            statements: 0,
            quads: 0,
            replaced,
        });
    }
    let mut counts = vec![(0usize, 0usize); tables.len()];
    let quads = tables
        .iter()
        .enumerate()
        .flat_map(|(i, (_, compact, _, target))| {
            TableQuads::new(compact, target.clone())
                .map(move |(quad, statement)| (i, quad, statement))
        })
        .map(|(i, quad, statement)| {
            counts[i].0 += 1;
            counts[i].1 += statement as usize;
            quad
        });
    store.write_graphs(&replace, quads)?;
    for (file, (quads, statements)) in report.iter_mut().zip(counts) {
        file.quads = quads;
        file.statements = statements;
    }
    Ok(report)
}

/// The IRI of a minted entity: `id/KIND/` and the percent-encoded parts joined by `/`.
pub fn mint(kind: &str, parts: &[&str]) -> NamedNode {
    let path: Vec<String> = parts.iter().map(|p| encode_segment(p)).collect();
    NamedNode::new_unchecked(format!("{}{kind}/{}", vocab::ID, path.join("/")))
}

/// A source cell: an IRI or prefixed name as written, else a minted IRI.
fn source_iri(name: &str) -> (NamedNode, bool) {
    if resolve::looks_like_iri(name) {
        if let Ok(iri) = NamedNode::new(resolve::expand_iri(name)) {
            return (iri, false);
        }
    }
    (mint("source", &[name]), true)
}

/// Generates a table's quads as the bulk loader takes them; the flag marks the one
/// quad per statement that says it is one.
struct TableQuads<'a> {
    compact: &'a Compact,
    graph: GraphName,
    row: usize,
    pending: Vec<(Quad, bool)>,
    sources: FxHashMap<u32, NamedNode>,
    questions: FxHashMap<u32, NamedNode>,
    propositions: FxHashMap<(u32, u32), NamedNode>,
}

impl<'a> TableQuads<'a> {
    fn new(compact: &'a Compact, graph: GraphName) -> Self {
        TableQuads {
            compact,
            graph,
            row: 0,
            pending: Vec::new(),
            sources: FxHashMap::default(),
            questions: FxHashMap::default(),
            propositions: FxHashMap::default(),
        }
    }

    fn push(
        &mut self,
        s: &NamedNode,
        p: oxigraph::model::NamedNodeRef<'_>,
        o: Term,
        statement: bool,
    ) {
        self.pending.push((
            Quad::new(s.clone(), p.into_owned(), o, self.graph.clone()),
            statement,
        ));
    }

    fn label(text: &str) -> Term {
        Literal::new_simple_literal(text).into()
    }

    fn fill(&mut self) {
        let c = self.compact;
        let [source, item, value] = c.rows[self.row];
        let name = |id: u32| &*c.names[id as usize];
        let source_node = match self.sources.get(&source) {
            Some(node) => node.clone(),
            None => {
                let (node, minted) = source_iri(name(source));
                if minted {
                    self.push(&node, rdf::TYPE, cg::SOURCE.into_owned().into(), false);
                    self.push(&node, rdfs::LABEL, Self::label(name(source)), false);
                }
                self.sources.insert(source, node.clone());
                node
            }
        };
        let question = match self.questions.get(&item) {
            Some(node) => node.clone(),
            None => {
                let node = mint("question", &[name(item)]);
                self.push(&node, rdf::TYPE, cg::QUESTION.into_owned().into(), false);
                self.push(&node, rdfs::LABEL, Self::label(name(item)), false);
                self.questions.insert(item, node.clone());
                node
            }
        };
        let proposition = match self.propositions.get(&(item, value)) {
            Some(node) => node.clone(),
            None => {
                let node = mint("proposition", &[name(item), name(value)]);
                self.push(&node, rdf::TYPE, cg::PROPOSITION.into_owned().into(), false);
                self.push(&node, cg::ANSWERS, question.into(), false);
                self.push(&node, rdfs::LABEL, Self::label(name(value)), false);
                self.propositions.insert((item, value), node.clone());
                node
            }
        };
        let date = c.dates.get(&self.row).map(|&d| name(d));
        let mut hash = Md5::new();
        for part in [name(source), name(item), name(value), date.unwrap_or("")] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        let statement = NamedNode::new_unchecked(format!(
            "{}statement/claim-{}",
            vocab::ID,
            hex::encode(hash.finalize())
        ));
        self.push(&statement, cg::STATED_BY, source_node.into(), true);
        self.push(&statement, cg::PROPOSITION_PROP, proposition.into(), false);
        self.push(
            &statement,
            cg::POLARITY,
            cg::ASSERTION.into_owned().into(),
            false,
        );
        if let Some(date) = date {
            self.push(
                &statement,
                cg::STATED_ON,
                Literal::new_typed_literal(date, xsd::DATE).into(),
                false,
            );
        }
        if let Some(&p) = c.certainties.get(&self.row) {
            let level = Certainty::of_probability(p).iri();
            self.push(
                &statement,
                cg::CERTAINTY,
                NamedNode::new_unchecked(level).into(),
                false,
            );
        }
        self.row += 1;
    }
}

impl Iterator for TableQuads<'_> {
    type Item = (Quad, bool);

    fn next(&mut self) -> Option<Self::Item> {
        while self.pending.is_empty() {
            if self.row >= self.compact.rows.len() {
                return None;
            }
            self.fill();
            self.pending.reverse();
        }
        self.pending.pop()
    }
}
