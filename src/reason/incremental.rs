//! What an incremental `reason` needs: which graphs changed since the derived graph
//! was last brought up to date, what those graphs held then and hold now, and so
//! which sources the change touches.
//!
//! The journal says which graphs changed. What a changed graph held when the store
//! was last reasoned is in its *footprint*: the triples of it that the rules read,
//! kept beside the store (the folder [`FOLDER`]) for every graph of up to
//! [`FOOTPRINT_LIMIT`] such triples. Comparing footprints with the graphs now gives
//! the triples that appeared in or vanished from the store as a whole (a triple
//! another graph still holds has not vanished). From those, the sources touched:
//! the speakers of changed statements, the publishers of changed documents, the
//! sources of every statement whose proposition is linked to a changed one, and so
//! on (see [`affected`]). Every derived triple belongs to one or two sources (or,
//! for statement pairs, statements), as each rule's `# owners:` header says; an
//! incremental run takes out the derived triples of the touched sources and
//! derives them again.
//!
//! What is followed in full instead: a change to how organizations or posts nest
//! (`org:postIn`, `org:subOrganizationOf`, `org:reportsTo`, `rdfs:subClassOf`);
//! a SPARQL update (the journal cannot say what it touched); a changed graph
//! larger than the footprint limit; other options, other rules, or no record of an
//! earlier run.

use crate::error::{Error, Result};
use crate::journal::{graph_key, Journal};
use crate::store::CaseStore;
use crate::vocab::{self, cg, org, prov};
use md5::Digest;
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple,
};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The folder beside the store's files that keeps the record of the last run.
const FOLDER: &str = "credgraph-reason";
const MANIFEST: &str = "manifest.json";
/// Hashes of what the last full run derived (see `diff`).
const REMEMBERED: &str = "derived.hashes";
const REMEMBERED_MAGIC: &[u8] = b"credgraph derived hashes 1\n";
/// The most triples the rules read that a graph may hold and still be followed
/// change by change; a larger graph that changes is reasoned over in full.
pub const FOOTPRINT_LIMIT: usize = 200_000;

/// The predicates the shipped rules and the source pairs read.
fn read_predicates() -> [NamedNodeRef<'static>; 24] {
    [
        cg::STATED_BY,
        cg::PROPOSITION_PROP,
        cg::POLARITY,
        cg::REPORTED_IN,
        cg::PUBLISHED_BY,
        cg::RECORDS,
        cg::DERIVED_FROM,
        cg::ENTAILS,
        cg::ANSWERS,
        cg::AGREES_WITH,
        cg::CONTRADICTS,
        cg::DEPENDS_ON,
        prov::WAS_QUOTED_FROM,
        org::HOLDS,
        org::HELD_BY,
        org::POST_IN,
        org::SUB_ORGANIZATION_OF,
        org::MEMBER,
        org::ORGANIZATION,
        org::MEMBER_OF,
        org::HEAD_OF,
        org::REPORTS_TO,
        rdfs::SUB_CLASS_OF,
        rdf::TYPE,
    ]
}

/// Of those, the ones that shape organizations and posts: a change to them is
/// reasoned over in full.
fn shape_predicates() -> [NamedNodeRef<'static>; 4] {
    [
        org::POST_IN,
        org::SUB_ORGANIZATION_OF,
        org::REPORTS_TO,
        rdfs::SUB_CLASS_OF,
    ]
}

/// The record of the last run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// The journal's counter once the derived graph was up to date.
    pub as_of: u64,
    /// The options it was reasoned with.
    pub options: String,
    /// Whether the statement pairs were stored.
    pub pairs_stored: bool,
    /// Every graph the rules read then, by journal key: its footprint's file name,
    /// or none when it held more than [`FOOTPRINT_LIMIT`] triples the rules read.
    pub graphs: BTreeMap<String, Option<String>>,
}

/// What to do.
pub enum Plan {
    /// Rebuild from scratch, and why.
    Full(String),
    /// Nothing changed since the last run.
    UpToDate,
    /// Derive again what belongs to these sources and statements.
    Update(Update),
}

/// An incremental run's work.
pub struct Update {
    pub manifest: Manifest,
    /// Journal keys of the graphs that changed.
    pub changed: Vec<String>,
    /// The sources whose dependences (and institution) are derived again.
    pub sources: FxHashSet<NamedNode>,
    /// The sources whose pairs with others are derived again: what they said
    /// changed. (A pair of others whose dependence changed only has its
    /// independence set again.)
    pub paired: FxHashSet<NamedNode>,
    /// Statements whose statement pairs go (those of `paired`, and those removed).
    pub statements: FxHashSet<NamedNode>,
    /// Declared `cg:dependsOn` that appeared or vanished.
    pub declared: Vec<(NamedNode, NamedNode)>,
}

/// The record beside a store.
pub struct Record {
    folder: PathBuf,
}

impl Record {
    pub fn of(directory: &Path) -> Self {
        Record {
            folder: directory.join(FOLDER),
        }
    }

    fn manifest_path(&self) -> PathBuf {
        self.folder.join(MANIFEST)
    }

    pub fn manifest(&self) -> Result<Option<Manifest>> {
        let path = self.manifest_path();
        match std::fs::read(&path) {
            // A record that cannot be read is no record: the run is full.
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::file(&path, e)),
        }
    }

    /// Forgets the last run, before a run changes the derived graph: should it
    /// not finish, the next one is full.
    pub fn forget(&self) -> Result<()> {
        let path = self.manifest_path();
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::file(&path, e)),
            _ => Ok(()),
        }
    }

    /// What the last full run derived, when nothing has written the derived graph
    /// since; none otherwise (or when the file cannot be read).
    pub fn remembered(&self, journal: &Journal) -> Option<super::diff::Remembered> {
        let bytes = std::fs::read(self.folder.join(REMEMBERED)).ok()?;
        let mut rest = bytes.strip_prefix(REMEMBERED_MAGIC)?;
        let mut take = |n: usize| -> Option<&[u8]> {
            let (head, tail) = rest.split_at_checked(n)?;
            rest = tail;
            Some(head)
        };
        let number = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8]));
        let as_of = number(take(8)?);
        if !journal.trusts(as_of) || journal.changed_since(vocab::graph::DERIVED, as_of) {
            return None;
        }
        let groups = number(take(8)?);
        let mut remembered = super::diff::Remembered::new();
        for _ in 0..groups {
            let length = usize::try_from(number(take(8)?)).ok()?;
            let name = String::from_utf8(take(length)?.to_vec()).ok()?;
            let count = usize::try_from(number(take(8)?)).ok()?;
            let hashes = take(count.checked_mul(16)?)?
                .chunks_exact(16)
                .map(|h| u128::from_le_bytes(h.try_into().unwrap_or([0; 16])))
                .collect();
            remembered.insert(name, hashes);
        }
        Some(remembered)
    }

    /// Remembers what a full run derived, as of the journal's counter after it.
    pub fn remember(&self, remembered: &super::diff::Remembered, as_of: u64) -> Result<()> {
        std::fs::create_dir_all(&self.folder).map_err(|e| Error::file(&self.folder, e))?;
        let path = self.folder.join(REMEMBERED);
        crate::files::write_whole(&path, |out| {
            let mut out = BufWriter::new(out);
            let mut write = |bytes: &[u8]| out.write_all(bytes).map_err(|e| Error::file(&path, e));
            write(REMEMBERED_MAGIC)?;
            write(&as_of.to_le_bytes())?;
            write(&(remembered.len() as u64).to_le_bytes())?;
            for (name, hashes) in remembered {
                write(&(name.len() as u64).to_le_bytes())?;
                write(name.as_bytes())?;
                write(&(hashes.len() as u64).to_le_bytes())?;
                for hash in hashes {
                    write(&hash.to_le_bytes())?;
                }
            }
            out.flush().map_err(|e| Error::file(&path, e))
        })
    }

    fn footprint_path(&self, file: &str) -> PathBuf {
        self.folder.join(file)
    }

    /// The triples a footprint holds.
    fn footprint(&self, file: &str) -> Result<Vec<Triple>> {
        let path = self.footprint_path(file);
        let reader = BufReader::new(File::open(&path).map_err(|e| Error::file(&path, e))?);
        RdfParser::from_format(RdfFormat::NTriples)
            .for_reader(reader)
            .map(|quad| {
                quad.map(Triple::from)
                    .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))
            })
            .collect()
    }

    /// Writes the record of a run that brought the derived graph up to date as of
    /// `as_of`: footprints of the graphs changed since `previous` (all of them
    /// without one), then the manifest.
    pub fn write(
        &self,
        store: &CaseStore,
        previous: Option<&Manifest>,
        journal: &Journal,
        manifest: ManifestParts,
    ) -> Result<()> {
        std::fs::create_dir_all(&self.folder).map_err(|e| Error::file(&self.folder, e))?;
        let mut graphs = BTreeMap::new();
        let mut keep: BTreeSet<String> = BTreeSet::new();
        for graph in input_graphs(store)? {
            let key = graph_key(&graph);
            let unchanged = previous
                .filter(|p| journal.trusts(p.as_of) && !journal.changed_since(&key, p.as_of))
                .and_then(|p| p.graphs.get(&key).cloned());
            let footprint = match unchanged {
                Some(footprint) => footprint,
                None => self.write_footprint(store, &graph, &key)?,
            };
            if let Some(file) = &footprint {
                keep.insert(file.clone());
            }
            graphs.insert(key, footprint);
        }
        // Footprints of graphs that are gone, or rewritten under another name.
        if let Ok(entries) = std::fs::read_dir(&self.folder) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if name.ends_with(".nt") && !keep.contains(&name) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        let manifest = Manifest {
            as_of: manifest.as_of,
            options: manifest.options,
            pairs_stored: manifest.pairs_stored,
            graphs,
        };
        crate::files::write_whole(&self.manifest_path(), |out| {
            serde_json::to_writer(&mut *out, &manifest)
                .map_err(|e| Error::Internal(format!("writing the reasoning record: {e}")))
        })
    }

    /// Writes a graph's footprint; none when it is too large to keep.
    fn write_footprint(
        &self,
        store: &CaseStore,
        graph: &GraphName,
        key: &str,
    ) -> Result<Option<String>> {
        let Some(triples) = read_triples(store, graph.as_ref())? else {
            return Ok(None);
        };
        let file = format!("{}.nt", hex::encode(md5::Md5::digest(key.as_bytes())));
        let path = self.footprint_path(&file);
        crate::files::write_whole(&path, |out| {
            let mut writer = RdfSerializer::from_format(RdfFormat::NTriples)
                .for_writer(BufWriter::new(&mut *out));
            for triple in &triples {
                writer
                    .serialize_triple(triple)
                    .map_err(|e| Error::file(&path, e))?;
            }
            let mut inner = writer.finish().map_err(|e| Error::file(&path, e))?;
            inner.flush().map_err(|e| Error::file(&path, e))
        })?;
        Ok(Some(file))
    }
}

/// What a run knows of itself when it writes its record.
pub struct ManifestParts {
    pub as_of: u64,
    pub options: String,
    pub pairs_stored: bool,
}

/// The graphs the rules read: all but the derived one.
fn input_graphs(store: &CaseStore) -> Result<Vec<GraphName>> {
    let derived = vocab::graph::DERIVED;
    let mut graphs: Vec<GraphName> = store
        .named_graphs()?
        .into_iter()
        .filter(|g| g.as_str() != derived)
        .map(GraphName::NamedNode)
        .collect();
    if store.graph_len(GraphNameRef::DefaultGraph)? > 0 {
        graphs.push(GraphName::DefaultGraph);
    }
    Ok(graphs)
}

/// The triples of a graph that the rules read; none when there are more than
/// [`FOOTPRINT_LIMIT`].
fn read_triples(store: &CaseStore, graph: GraphNameRef<'_>) -> Result<Option<Vec<Triple>>> {
    let mut triples = Vec::new();
    for predicate in read_predicates() {
        for quad in store.quads(None, Some(predicate), None, Some(graph))? {
            triples.push(Triple::from(quad?));
            if triples.len() > FOOTPRINT_LIMIT {
                return Ok(None);
            }
        }
    }
    Ok(Some(triples))
}

fn graph_of_key(key: &str) -> Option<GraphName> {
    if key.is_empty() {
        Some(GraphName::DefaultGraph)
    } else if key.starts_with("_:") {
        None
    } else {
        Some(GraphName::NamedNode(NamedNode::new_unchecked(key)))
    }
}

/// What a run has to do, given the last run's record.
pub fn plan(store: &CaseStore, record: &Record, journal: &Journal, options: &str) -> Result<Plan> {
    let Some(manifest) = record.manifest()? else {
        return Ok(Plan::Full("no record of an earlier run".into()));
    };
    if manifest.options != options {
        return Ok(Plan::Full("the options differ from the last run's".into()));
    }
    if !journal.trusts(manifest.as_of) {
        return Ok(Plan::Full(
            "a SPARQL update, or a write that did not finish, may have changed any graph".into(),
        ));
    }
    let derived = vocab::graph::DERIVED;
    let changed: Vec<String> = journal
        .graphs
        .iter()
        .filter(|(key, &at)| at > manifest.as_of && key.as_str() != derived)
        .map(|(key, _)| key.clone())
        .collect();
    if changed.is_empty() {
        return Ok(Plan::UpToDate);
    }
    // What the changed graphs held then, and hold now.
    let mut then: FxHashSet<Triple> = FxHashSet::default();
    let mut now: FxHashSet<Triple> = FxHashSet::default();
    let changed_graphs: FxHashSet<GraphName> =
        changed.iter().filter_map(|k| graph_of_key(k)).collect();
    for key in &changed {
        let Some(graph) = graph_of_key(key) else {
            return Ok(Plan::Full(format!(
                "graph {key} has a blank node for a name"
            )));
        };
        match manifest.graphs.get(key) {
            Some(Some(file)) => match record.footprint(file) {
                Ok(triples) => then.extend(triples),
                // A record that cannot be read is no record.
                Err(error) => {
                    return Ok(Plan::Full(format!("the record of the last run: {error}")))
                }
            },
            Some(None) => {
                return Ok(Plan::Full(format!(
                "graph {key} changed and held more than {FOOTPRINT_LIMIT} triples the rules read"
            )))
            }
            None => {}
        }
        match read_triples(store, graph.as_ref())? {
            Some(triples) => now.extend(triples),
            None => {
                return Ok(Plan::Full(format!(
                "graph {key} changed and holds more than {FOOTPRINT_LIMIT} triples the rules read"
            )))
            }
        }
    }
    // The triples that appeared in or vanished from the store as a whole.
    let mut delta: Vec<Triple> = Vec::new();
    for triple in then.union(&now) {
        let mut elsewhere = false;
        let mut present = false;
        for quad in store.quads(
            Some(triple.subject.as_ref()),
            Some(triple.predicate.as_ref()),
            Some(triple.object.as_ref()),
            None,
        )? {
            let quad = quad?;
            if matches!(&quad.graph_name, GraphName::NamedNode(g) if g.as_str() == derived) {
                continue;
            }
            present = true;
            if !changed_graphs.contains(&quad.graph_name) {
                elsewhere = true;
                break;
            }
        }
        let before = then.contains(triple) || elsewhere;
        if before != present {
            delta.push(triple.clone());
        }
    }
    let old = Before::of(&then);
    match affected(store, &delta, &old)? {
        Err(why) => Ok(Plan::Full(why)),
        Ok(Affected {
            sources,
            paired,
            statements,
            declared,
        }) => Ok(Plan::Update(Update {
            manifest,
            changed,
            sources,
            paired,
            statements,
            declared,
        })),
    }
}

/// The sources whose derived triples a change touches, and the statements whose
/// statement pairs go; or why the change is reasoned over in full. `delta` is what
/// appeared or vanished; `old` what the changed graphs held before, for the values
/// a vanished statement or document had.
fn affected(
    store: &CaseStore,
    delta: &[Triple],
    old: &Before,
) -> Result<std::result::Result<Affected, String>> {
    let shape = shape_predicates();
    let mut sources: FxHashSet<NamedNode> = FxHashSet::default();
    let mut statements: FxHashSet<NamedNode> = FxHashSet::default();
    let mut derived_documents: FxHashSet<NamedNode> = FxHashSet::default();
    let mut propositions: FxHashSet<NamedNode> = FxHashSet::default();
    let mut memberships: FxHashSet<NamedOrBlankNode> = FxHashSet::default();
    let mut said: FxHashSet<NamedNode> = FxHashSet::default();
    let mut published: FxHashSet<NamedNode> = FxHashSet::default();
    let mut declared: Vec<(NamedNode, NamedNode)> = Vec::new();
    let mut organization_class: BTreeMap<NamedNode, bool> = BTreeMap::new();
    for triple in delta {
        let predicate = triple.predicate.as_ref();
        // A membership is often a blank node.
        if predicate == org::MEMBER || predicate == org::ORGANIZATION {
            memberships.insert(triple.subject.clone());
            if predicate == org::MEMBER {
                sources.extend(named_term(&triple.object));
            }
            continue;
        }
        if shape.contains(&predicate) {
            return Ok(Err(format!(
                "<{}> changed: how organizations or posts nest",
                predicate.as_str()
            )));
        }
        let (Some(subject), object) = (named_subject(&triple.subject), named_term(&triple.object))
        else {
            continue;
        };
        let both = |set: &mut FxHashSet<NamedNode>, into_object: bool| {
            if into_object {
                if let Some(o) = &object {
                    set.insert(o.clone());
                }
            } else {
                set.insert(subject.clone());
            }
        };
        if predicate == rdf::TYPE {
            if let Some(class) = &object {
                let is = match organization_class.get(class) {
                    Some(&is) => is,
                    None => {
                        let is = is_organization_class(store, class)?;
                        organization_class.insert(class.clone(), is);
                        is
                    }
                };
                if is {
                    sources.insert(subject.clone());
                }
            }
        } else if predicate == cg::STATED_BY
            || predicate == cg::PROPOSITION_PROP
            || predicate == cg::POLARITY
        {
            // Who says what: the statement's pairs change (how propositions relate
            // does not), and so may its source's dependences.
            said.insert(subject.clone());
            if predicate == cg::STATED_BY {
                both(&mut sources, true);
            }
        } else if predicate == cg::AGREES_WITH || predicate == cg::CONTRADICTS {
            said.insert(subject.clone());
            both(&mut said, true);
        } else if predicate == cg::REPORTED_IN || predicate == prov::WAS_QUOTED_FROM {
            // Its publisher's dependence on the statement's source, or its quoting,
            // belongs to that source too.
            statements.insert(subject.clone());
            if predicate == prov::WAS_QUOTED_FROM {
                both(&mut statements, true);
            }
        } else if predicate == cg::PUBLISHED_BY {
            // Who depends on whom through the document: the dependences belong to
            // the sources it reports and records, and to publishers it is
            // derived from or that derive from it.
            published.insert(subject.clone());
        } else if predicate == cg::RECORDS {
            both(&mut sources, true);
        } else if predicate == cg::DERIVED_FROM {
            // The publishers of this document and of those derived from it now
            // depend on other publishers.
            derived_documents.insert(subject.clone());
        } else if predicate == cg::ENTAILS || predicate == cg::ANSWERS {
            propositions.insert(subject.clone());
            both(&mut propositions, true);
        } else if predicate == cg::DEPENDS_ON {
            // Declared: no rule reads it, the independence of one pair changes.
            if let Some(object) = object.clone() {
                declared.push((subject.clone(), object));
            }
        } else if predicate == org::HOLDS
            || predicate == org::MEMBER_OF
            || predicate == org::HEAD_OF
        {
            sources.insert(subject.clone());
        } else if predicate == org::HELD_BY {
            both(&mut sources, true);
        }
    }
    let lookup = Lookup { store, old };
    // Statements linked to a changed proposition (through entailment or a shared
    // question) relate differently to others: their sources are touched.
    let linked = lookup.linked_propositions(propositions)?;
    for proposition in &linked {
        said.extend(lookup.subjects(cg::PROPOSITION_PROP, proposition)?);
    }
    // Whose statement pairs are derived again.
    let mut paired: FxHashSet<NamedNode> = FxHashSet::default();
    for statement in &said {
        paired.extend(lookup.objects(cg::STATED_BY, statement)?);
    }
    statements.extend(said.iter().cloned());
    // Documents derived from a document whose derivation changed.
    let mut documents = derived_documents.clone();
    let mut queue: Vec<NamedNode> = derived_documents.into_iter().collect();
    while let Some(document) = queue.pop() {
        for later in lookup.subjects(cg::DERIVED_FROM, &document)? {
            if documents.insert(later.clone()) {
                queue.push(later);
            }
        }
    }
    for statement in &statements {
        sources.extend(lookup.objects(cg::STATED_BY, statement)?);
        // Who quoted it, and whom it quotes.
        for other in lookup
            .subjects(prov::WAS_QUOTED_FROM, statement)?
            .into_iter()
            .chain(lookup.objects(prov::WAS_QUOTED_FROM, statement)?)
        {
            sources.extend(lookup.objects(cg::STATED_BY, &other)?);
        }
    }
    for document in &documents {
        sources.extend(lookup.objects(cg::PUBLISHED_BY, document)?);
    }
    for document in &published {
        for statement in lookup.subjects(cg::REPORTED_IN, document)? {
            sources.extend(lookup.objects(cg::STATED_BY, &statement)?);
        }
        sources.extend(lookup.objects(cg::RECORDS, document)?);
        for (step, forward) in [(cg::DERIVED_FROM, true), (cg::DERIVED_FROM, false)] {
            let mut seen: FxHashSet<NamedNode> = FxHashSet::default();
            let mut queue = vec![document.clone()];
            while let Some(at) = queue.pop() {
                let next = if forward {
                    lookup.objects(step, &at)?
                } else {
                    lookup.subjects(step, &at)?
                };
                for other in next {
                    if seen.insert(other.clone()) {
                        sources.extend(lookup.objects(cg::PUBLISHED_BY, &other)?);
                        queue.push(other);
                    }
                }
            }
        }
    }
    for membership in &memberships {
        for quad in store.quads(Some(membership.as_ref()), Some(org::MEMBER), None, None)? {
            sources.extend(named_term(&quad?.object));
        }
        for object in old.objects(org::MEMBER, membership) {
            sources.extend(named_term(object));
        }
    }
    sources.extend(paired.iter().cloned());
    // The statement pairs of every source whose pairs are derived again.
    let mut pair_statements = said;
    for source in &paired {
        pair_statements.extend(lookup.subjects(cg::STATED_BY, source)?);
    }
    Ok(Ok(Affected {
        sources,
        paired,
        statements: pair_statements,
        declared,
    }))
}

/// What a change touches.
struct Affected {
    sources: FxHashSet<NamedNode>,
    paired: FxHashSet<NamedNode>,
    statements: FxHashSet<NamedNode>,
    declared: Vec<(NamedNode, NamedNode)>,
}

/// Look-ups in the store now and in what changed graphs held before.
struct Lookup<'a> {
    store: &'a CaseStore,
    old: &'a Before,
}

/// What the changed graphs held before, indexed both ways by predicate.
#[derive(Default)]
struct Before {
    forward: FxHashMap<(NamedNode, NamedOrBlankNode), Vec<Term>>,
    backward: FxHashMap<(NamedNode, Term), Vec<NamedOrBlankNode>>,
}

impl Before {
    fn of(triples: &FxHashSet<Triple>) -> Self {
        let mut before = Before::default();
        for triple in triples {
            before
                .forward
                .entry((triple.predicate.clone(), triple.subject.clone()))
                .or_default()
                .push(triple.object.clone());
            before
                .backward
                .entry((triple.predicate.clone(), triple.object.clone()))
                .or_default()
                .push(triple.subject.clone());
        }
        before
    }

    fn objects(&self, predicate: NamedNodeRef<'_>, subject: &NamedOrBlankNode) -> &[Term] {
        self.forward
            .get(&(predicate.into_owned(), subject.clone()))
            .map_or(&[], Vec::as_slice)
    }

    fn subjects(&self, predicate: NamedNodeRef<'_>, object: &Term) -> &[NamedOrBlankNode] {
        self.backward
            .get(&(predicate.into_owned(), object.clone()))
            .map_or(&[], Vec::as_slice)
    }
}

impl Lookup<'_> {
    fn objects(&self, predicate: NamedNodeRef<'_>, subject: &NamedNode) -> Result<Vec<NamedNode>> {
        let mut found = Vec::new();
        for quad in self
            .store
            .quads(Some(subject.as_ref().into()), Some(predicate), None, None)?
        {
            if let Some(object) = named_term(&quad?.object) {
                found.push(object);
            }
        }
        let subject = NamedOrBlankNode::from(subject.clone());
        found.extend(
            self.old
                .objects(predicate, &subject)
                .iter()
                .filter_map(named_term),
        );
        Ok(found)
    }

    fn subjects(&self, predicate: NamedNodeRef<'_>, object: &NamedNode) -> Result<Vec<NamedNode>> {
        let mut found = Vec::new();
        for quad in self
            .store
            .quads(None, Some(predicate), Some(object.as_ref().into()), None)?
        {
            found.extend(named_subject(&quad?.subject));
        }
        let object = Term::from(object.clone());
        found.extend(
            self.old
                .subjects(predicate, &object)
                .iter()
                .filter_map(named_subject),
        );
        Ok(found)
    }

    /// The propositions (and questions) linked to these by entailment either way
    /// or by answering one question, now or before.
    fn linked_propositions(&self, start: FxHashSet<NamedNode>) -> Result<FxHashSet<NamedNode>> {
        let mut seen = start;
        let mut queue: Vec<NamedNode> = seen.iter().cloned().collect();
        while let Some(node) = queue.pop() {
            for predicate in [cg::ENTAILS, cg::ANSWERS] {
                for next in self
                    .objects(predicate, &node)?
                    .into_iter()
                    .chain(self.subjects(predicate, &node)?)
                {
                    if seen.insert(next.clone()) {
                        queue.push(next);
                    }
                }
            }
        }
        Ok(seen)
    }
}

/// Whether a class is `org:Organization` or below it (`rdfs:subClassOf`, any steps).
fn is_organization_class(store: &CaseStore, class: &NamedNode) -> Result<bool> {
    let target = NamedNodeRef::new_unchecked("http://www.w3.org/ns/org#Organization");
    let mut seen: FxHashSet<NamedNode> = FxHashSet::default();
    let mut queue = vec![class.clone()];
    while let Some(node) = queue.pop() {
        if node.as_ref() == target {
            return Ok(true);
        }
        if !seen.insert(node.clone()) {
            continue;
        }
        for quad in store.quads(
            Some(node.as_ref().into()),
            Some(rdfs::SUB_CLASS_OF),
            None,
            None,
        )? {
            queue.extend(named_term(&quad?.object));
        }
    }
    Ok(false)
}

fn named_subject(subject: &NamedOrBlankNode) -> Option<NamedNode> {
    match subject {
        NamedOrBlankNode::NamedNode(node) => Some(node.clone()),
        NamedOrBlankNode::BlankNode(_) => None,
    }
}

fn named_term(term: &Term) -> Option<NamedNode> {
    match term {
        Term::NamedNode(node) => Some(node.clone()),
        _ => None,
    }
}
