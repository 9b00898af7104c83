//! `score`: runs methods on a case's claims, grades the results and writes them to
//! the scores graph as `cg:Assessment`s.

use super::case::{self, CaseClaims};
use super::dependence_aware::{self, DependentPair, Findings};
use super::grades::{GradeScale, Resolved};
use super::track_record::{Tally, TrackRecord};
use super::{Method, Outcome, Stopping};
use crate::error::{Error, Result};
use crate::store::{CaseStore, Rewrite};
use crate::vocab::{self, cg};
use md5::{Digest, Md5};
use oxigraph::model::GraphNameRef;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};
use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};
use std::time::Instant;

/// What to compute.
#[derive(Debug, Clone)]
pub struct ScoreOptions {
    pub methods: Vec<Method>,
    pub scale: GradeScale,
    /// When the iterative methods' rounds stop.
    pub stopping: Stopping,
    /// Where question labels split into object and attribute; `None`: at `/` where
    /// every label of a graph has the same shape.
    pub attribute_separator: Option<String>,
}

/// One source under one method.
#[derive(Debug, Clone)]
pub struct SourceScore {
    pub source: usize,
    /// The method's trust (a probability for the dependence-aware method).
    pub trust: f64,
    /// 90% credible interval, where the method gives one.
    pub interval: Option<(f64, f64)>,
    /// Estimated accuracy: the mean share of belief its claims get on their items.
    pub accuracy: f64,
    pub claims: usize,
    /// Claims on items another source also speaks to, or that were resolved.
    pub judged: f64,
    pub grade: char,
    /// Share of the source's votes lost to dependence (dependence-aware only).
    pub discounted: Option<f64>,
}

/// One value (a proposition being true, or false) under one method.
#[derive(Debug, Clone)]
pub struct ValueScore {
    pub value: usize,
    /// Belief as a share of its item's total (so values of an item sum to 1).
    pub belief: f64,
    pub independent_sources: usize,
    pub independent_voices: usize,
    pub grade: u8,
}

/// Everything one method gave.
#[derive(Debug, Clone)]
pub struct MethodScores {
    pub method: Method,
    pub sources: Vec<SourceScore>,
    pub values: Vec<ValueScore>,
    pub dependences: Vec<DependentPair>,
    pub rounds: usize,
    /// Whether the rounds settled before the cap.
    pub converged: bool,
    /// The cap on rounds the run had.
    pub max_rounds: usize,
    pub seconds: f64,
}

/// What `score` computed and wrote.
pub struct ScoreReport {
    pub claims: CaseClaims,
    pub methods: Vec<MethodScores>,
    /// Per source, where it made calls on resolved propositions.
    pub track_records: Vec<Option<TrackRecord>>,
    pub read_seconds: f64,
    pub write_seconds: f64,
    pub quads: usize,
}

/// Reads the case, scores it with every method asked for, and replaces the scores
/// graph with the results.
pub fn score(store: &CaseStore, options: &ScoreOptions) -> Result<ScoreReport> {
    let started = Instant::now();
    let claims = case::read(store, options.attribute_separator.as_deref())?;
    if claims.statements == 0 {
        return Err(Error::invalid(
            "the store holds no statements to score (a statement needs cg:statedBy and cg:proposition); load a case or import a claim table first",
        ));
    }
    if claims.graph.claim_count() == 0 {
        return Err(Error::invalid(format!(
            "none of the {} statements can be scored: {} lack a polarity (cg:polarity cg:Assertion or cg:Denial), the rest are made with a roughly even chance",
            claims.statements, claims.incomplete
        )));
    }
    let read_seconds = started.elapsed().as_secs_f64();
    let methods = options
        .methods
        .iter()
        .map(|&method| score_method(&claims, method, &options.scale, &options.stopping))
        .collect::<Vec<_>>();
    let track_records = track_records(&claims);

    let written = Instant::now();
    // The scores graph is rewritten through the store's undo log, so that a crash or
    // an error leaves it as it was. The quads go to the bulk loader in chunks, so
    // millions of assessments never sit in memory at once.
    let graph_name = NamedNode::new_unchecked(vocab::graph::SCORES);
    let now = now(store)?;
    let make = |sink: &mut dyn Sink| {
        quads(
            &claims,
            &methods,
            &track_records,
            &options.scale,
            &now,
            sink,
        )
    };
    // What the scores graph says of each subject, remembered from the last write
    // when the journal says nothing has touched the graph since.
    let remembered = ContentFile::of(store).and_then(|file| file.read(store));
    let (count, content) = store.record(|touched| {
        touched.graph(&graph_name.clone().into());
        store.rewrite(|rewrite| write_changes(store, rewrite, &graph_name, remembered, &make))
    })?;
    if let Some(file) = ContentFile::of(store) {
        file.write(store, &content)?;
    }
    Ok(ScoreReport {
        claims,
        methods,
        track_records,
        read_seconds,
        write_seconds: written.elapsed().as_secs_f64(),
        quads: count,
    })
}

/// A subject's key: a hash of its IRI.
fn subject_key(quad: &Quad) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    quad.subject.hash(&mut hasher);
    hasher.finish()
}

/// A hash of what the scores graph says of each subject, leaving out when it was
/// generated: subjects whose hash is unchanged are left as they are.
#[derive(Default)]
struct ContentHashes {
    hashes: FxHashMap<u64, u64>,
    /// The subjects themselves, by key.
    subjects: FxHashMap<u64, oxigraph::model::NamedOrBlankNode>,
    /// A subject's quads came in two runs: contents cannot be compared.
    scattered: bool,
    current: Option<(u64, u64)>,
}

impl ContentHashes {
    fn add(&mut self, quad: &Quad) {
        let key = subject_key(quad);
        if self.current.map(|(k, _)| k) != Some(key) {
            self.close();
            self.scattered |= self.hashes.contains_key(&key);
            self.current = Some((key, 0));
            self.subjects.insert(key, quad.subject.clone());
        }
        if quad.predicate.as_ref() == vocab::prov::GENERATED_AT_TIME {
            return;
        }
        let mut hasher = std::hash::DefaultHasher::new();
        (&quad.predicate, &quad.object).hash(&mut hasher);
        // Order-free: the store and `quads` give a subject's triples in different orders.
        if let Some((_, sum)) = &mut self.current {
            *sum = sum.wrapping_add(hasher.finish());
        }
    }

    fn close(&mut self) {
        if let Some((key, sum)) = self.current.take() {
            self.hashes.insert(key, sum);
        }
    }
}

impl Sink for ContentHashes {
    fn push(&mut self, quad: Quad) {
        self.add(&quad);
    }
}

/// Makes the scores graph hold what `make` gives. An empty graph is loaded in
/// bulk. Otherwise only the subjects whose content changed are rewritten: their
/// old triples deleted, the new ones loaded; the others keep their triples and
/// their time of generation. (Oxigraph deletes at tens of microseconds a quad, so
/// dropping millions of assessments to rewrite them took minutes.)
fn write_changes<'a>(
    store: &'a CaseStore,
    rewrite: &mut Rewrite<'a>,
    graph_name: &NamedNode,
    remembered: Option<ContentHashes>,
    make: &dyn Fn(&mut dyn Sink) -> Result<()>,
) -> Result<(usize, ContentHashes)> {
    let graph = Some(GraphNameRef::NamedNode(graph_name.as_ref()));
    let old = match remembered {
        Some(old) => old,
        None => {
            let mut old = ContentHashes::default();
            for quad in store.quads(None, None, None, graph)? {
                old.add(&quad?);
            }
            old.close();
            old
        }
    };
    let mut new = ContentHashes::default();
    make(&mut new)?;
    new.close();
    if old.hashes.is_empty() || old.scattered || new.scattered {
        rewrite.drop_graph(graph_name.as_ref())?;
        // Rebuilt whole: what is added needs no logging.
        let mut sink = QuadSink::new(store, None, None);
        make(&mut sink)?;
        return Ok((sink.finish()?, new));
    }
    let changed: FxHashSet<u64> = new
        .hashes
        .iter()
        .filter(|(key, hash)| old.hashes.get(key) != Some(hash))
        .map(|(&key, _)| key)
        .collect();
    // The old triples of changed and vanished subjects, looked up by subject.
    let mut batch = Vec::new();
    for (key, subject) in &old.subjects {
        if !changed.contains(key) && new.hashes.contains_key(key) {
            continue;
        }
        for quad in store.quads(Some(subject.as_ref()), None, None, graph)? {
            batch.push(quad?);
        }
        if batch.len() >= QuadSink::CHUNK {
            rewrite.remove(&batch)?;
            batch.clear();
        }
    }
    rewrite.remove(&batch)?;
    let mut sink = QuadSink::new(store, Some(changed), Some(rewrite));
    make(&mut sink)?;
    Ok((sink.finish()?, new))
}

/// The subjects of the scores graph and the hashes of their content, as the last
/// `score` wrote them, kept beside the store with the journal counter of that
/// write; trusted only while the journal says the graph has not changed since.
struct ContentFile {
    path: std::path::PathBuf,
}

const CONTENT_MAGIC: &[u8] = b"credgraph scores content 1\n";

impl ContentFile {
    fn of(store: &CaseStore) -> Option<ContentFile> {
        match store.location() {
            crate::store::Location::Disk(directory) => Some(ContentFile {
                path: directory.join("credgraph-scores.hashes"),
            }),
            crate::store::Location::Memory | crate::store::Location::Remote(_) => None,
        }
    }

    /// The remembered content, if there is a file and the journal vouches for it.
    fn read(&self, store: &CaseStore) -> Option<ContentHashes> {
        let journal = store.journal().ok()??;
        let bytes = std::fs::read(&self.path).ok()?;
        let rest = bytes.strip_prefix(CONTENT_MAGIC)?;
        let mut at = 0;
        let mut next = || -> Option<u64> {
            let word = rest.get(at..at + 8)?;
            at += 8;
            Some(u64::from_le_bytes(word.try_into().ok()?))
        };
        let as_of = next()?;
        if !journal.trusts(as_of) || journal.changed_since(vocab::graph::SCORES, as_of) {
            return None;
        }
        let count = next()? as usize;
        let mut hashes = FxHashMap::default();
        let mut lengths = Vec::with_capacity(count);
        for _ in 0..count {
            let (key, hash, length) = (next()?, next()?, next()? as usize);
            hashes.insert(key, hash);
            lengths.push((key, length));
        }
        let mut subjects = FxHashMap::default();
        let mut offset = at;
        for (key, length) in lengths {
            let iri = std::str::from_utf8(rest.get(offset..offset + length)?).ok()?;
            offset += length;
            subjects.insert(key, NamedNode::new_unchecked(iri).into());
        }
        Some(ContentHashes {
            hashes,
            subjects,
            ..ContentHashes::default()
        })
    }

    /// Remembers what was written, as of the journal's counter now.
    fn write(&self, store: &CaseStore, content: &ContentHashes) -> Result<()> {
        let Some(journal) = store.journal()? else {
            return Ok(());
        };
        let mut iris = Vec::with_capacity(content.subjects.len());
        for (key, subject) in &content.subjects {
            match subject {
                oxigraph::model::NamedOrBlankNode::NamedNode(node) => iris.push((*key, node)),
                // Not ours: compare against the store next time.
                _ => return Ok(()),
            }
        }
        crate::files::write_whole(&self.path, |out| {
            let io = |e: std::io::Error| Error::file(&self.path, e);
            let mut bytes = Vec::with_capacity(iris.len() * 120);
            bytes.extend_from_slice(CONTENT_MAGIC);
            bytes.extend_from_slice(&journal.counter.to_le_bytes());
            bytes.extend_from_slice(&(iris.len() as u64).to_le_bytes());
            for (key, node) in &iris {
                bytes.extend_from_slice(&key.to_le_bytes());
                bytes.extend_from_slice(
                    &content.hashes.get(key).copied().unwrap_or(0).to_le_bytes(),
                );
                bytes.extend_from_slice(&(node.as_str().len() as u64).to_le_bytes());
            }
            for (_, node) in &iris {
                bytes.extend_from_slice(node.as_str().as_bytes());
            }
            out.write_all(&bytes).map_err(io)
        })
    }
}

/// Runs one method on the claims and grades what it gives.
pub fn score_method(
    claims: &CaseClaims,
    method: Method,
    scale: &GradeScale,
    stopping: &Stopping,
) -> MethodScores {
    let graph = &claims.graph;
    let started = Instant::now();
    let (outcome, findings) = match method {
        Method::DependenceAware => {
            let params = dependence_aware::Params::default().stopping(stopping);
            let (outcome, findings) = dependence_aware::run(graph, &params);
            (outcome, Some(findings))
        }
        other => (other.run_with(graph, stopping), None),
    };
    let seconds = started.elapsed().as_secs_f64();
    // The dependence-aware method's beliefs are probabilities already (a value one
    // source alone claims is as believable as that source is accurate); the other
    // methods' scores are made shares of their item.
    let belief = if findings.is_some() {
        outcome.belief.clone()
    } else {
        graph.item_shares(&outcome.belief)
    };
    // Pairs dependent on every question, and pairs copying on one attribute's
    // questions only, which count as one voice only there.
    let mut dependent: FxHashSet<(u32, u32)> = FxHashSet::default();
    let mut dependent_on: FxHashSet<(u32, u32, usize)> = FxHashSet::default();
    match &findings {
        Some(f) => {
            for d in &f.dependences {
                let pair = (d.a as u32, d.b as u32);
                match d.attribute {
                    Some(attribute) => dependent_on.insert((pair.0, pair.1, attribute)),
                    None => dependent.insert(pair),
                };
            }
        }
        None => dependent.extend(graph.dependences().iter().copied()),
    }
    let sources = (0..graph.source_count())
        .map(|s| source_score(claims, s, &outcome, &belief, findings.as_ref(), scale))
        .collect();
    let values = (0..graph.value_count())
        .map(|v| {
            let voices: Vec<u32> = graph
                .values_of(graph.item_of(v))
                .flat_map(|w| graph.sources_of(w).iter().copied())
                .collect();
            let attribute = graph.attribute(graph.item_of(v));
            let linked = |a: u32, b: u32| {
                dependent.contains(&(a, b)) || dependent_on.contains(&(a, b, attribute))
            };
            let independent_sources = groups(graph.sources_of(v), linked);
            let independent_voices = groups(&voices, linked);
            let resolved = claims.resolution_of(v).map(|truth| {
                if truth {
                    Resolved::True
                } else {
                    Resolved::False
                }
            });
            ValueScore {
                value: v,
                belief: belief[v],
                independent_sources,
                independent_voices,
                grade: scale.credibility(
                    belief[v],
                    independent_sources,
                    independent_voices,
                    resolved,
                ),
            }
        })
        .collect();
    MethodScores {
        method,
        sources,
        values,
        dependences: findings.map(|f| f.dependences).unwrap_or_default(),
        rounds: outcome.rounds,
        converged: outcome.converged,
        max_rounds: outcome.max_rounds,
        seconds,
    }
}

fn source_score(
    claims: &CaseClaims,
    s: usize,
    outcome: &Outcome,
    belief: &[f64],
    findings: Option<&Findings>,
    scale: &GradeScale,
) -> SourceScore {
    let graph = &claims.graph;
    let values = graph.claims_of(s);
    let mut judged = 0.0;
    let mut sum = 0.0;
    for &v in values {
        let v = v as usize;
        sum += belief[v];
        let item = graph.item_of(v);
        let others = graph
            .values_of(item)
            .flat_map(|w| graph.sources_of(w).iter())
            .any(|&other| other as usize != s);
        if others || claims.resolution_of(v).is_some() {
            judged += 1.0;
        }
    }
    let accuracy = if values.is_empty() {
        0.0
    } else {
        sum / values.len() as f64
    };
    let trust = outcome.trust[s];
    let graded = if findings.is_some() { trust } else { accuracy };
    SourceScore {
        source: s,
        trust,
        interval: findings.map(|f| f.interval[s]),
        accuracy,
        claims: values.len(),
        judged,
        grade: scale.reliability(graded, judged),
        discounted: findings.map(|f| f.discounted[s]),
    }
}

/// How many groups of mutually dependent sources `sources` fall into, `dependent`
/// saying which pairs (smaller id first) depend on each other.
fn groups(sources: &[u32], dependent: impl Fn(u32, u32) -> bool) -> usize {
    let mut distinct: Vec<u32> = sources.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let mut parent: Vec<usize> = (0..distinct.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..distinct.len() {
        for j in i + 1..distinct.len() {
            if dependent(distinct[i], distinct[j]) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    (0..distinct.len())
        .filter(|&i| root(&mut parent, i) == i)
        .count()
}

/// Each source's calls on resolved propositions, graded, each record starting
/// from its party's or institution's (see [`super::track_record`]).
pub fn track_records(claims: &CaseClaims) -> Vec<Option<TrackRecord>> {
    let graph = &claims.graph;
    let tallies: Vec<Tally> = (0..graph.source_count())
        .map(|s| {
            let mut tally = Tally::default();
            for &v in graph.claims_of(s) {
                if let Some((credit, disagreed)) = claims.credit_of(v as usize) {
                    tally.add(credit, disagreed);
                }
            }
            tally
        })
        .collect();
    let groups: Vec<Vec<&str>> = (0..graph.source_count())
        .map(|s| {
            claims
                .groups
                .get(graph.source_name(s))
                .map(|g| g.iter().map(String::as_str).collect())
                .unwrap_or_default()
        })
        .collect();
    super::track_record::records(&tallies, &groups)
}

/// The IRI of an assessment: by method and what it assesses.
pub fn assessment_iri(method: &str, target: &str) -> NamedNode {
    let digest = hex::encode(Md5::digest(target.as_bytes()));
    NamedNode::new_unchecked(format!("{}assessment/{method}/{digest}", vocab::ID))
}

/// Scores are written to four decimals: finer differences mean nothing, and a
/// re-score after a small change then rewrites only what moved.
fn double(x: f64) -> Term {
    Literal::from((x * 1e4).round() / 1e4).into()
}

fn integer(x: usize) -> Term {
    Literal::from(x as i64).into()
}

fn now(store: &CaseStore) -> Result<Term> {
    if let oxigraph::sparql::QueryResults::Solutions(mut solutions) =
        store.query("SELECT (NOW() AS ?now) WHERE {}")?
    {
        if let Some(Some(now)) = solutions.next().transpose()?.map(|s| s.get(0).cloned()) {
            return Ok(now);
        }
    }
    Err(Error::Internal("NOW() gave nothing".into()))
}

/// Where `quads` puts what it makes.
trait Sink {
    fn push(&mut self, quad: Quad);
}

/// Takes quads and hands them to the bulk loader a chunk at a time; the first error
/// is kept and reported by `finish`; with `only`, just the quads of those subjects.
struct QuadSink<'a, 'r> {
    /// Oxigraph's bulk loader on the embedded store; chunks written one by one to
    /// an engine.
    loader: Option<oxigraph::store::BulkLoader<'a>>,
    store: &'a CaseStore,
    /// The rewrite that logs what is added, unless the graph is rebuilt whole.
    rewrite: Option<&'r mut Rewrite<'a>>,
    buffer: Vec<Quad>,
    written: usize,
    error: Option<Error>,
    only: Option<FxHashSet<u64>>,
}

impl Sink for QuadSink<'_, '_> {
    fn push(&mut self, quad: Quad) {
        if let Some(only) = &self.only {
            if !only.contains(&subject_key(&quad)) {
                return;
            }
        }
        self.buffer.push(quad);
        if self.buffer.len() >= Self::CHUNK {
            self.flush();
        }
    }
}

impl<'a, 'r> QuadSink<'a, 'r> {
    const CHUNK: usize = 100_000;

    fn new(
        store: &'a CaseStore,
        only: Option<FxHashSet<u64>>,
        rewrite: Option<&'r mut Rewrite<'a>>,
    ) -> Self {
        QuadSink {
            loader: store.oxigraph("").ok().map(|s| s.bulk_loader()),
            store,
            rewrite,
            buffer: Vec::new(),
            written: 0,
            error: None,
            only,
        }
    }

    fn flush(&mut self) {
        let chunk = std::mem::take(&mut self.buffer);
        self.written += chunk.len();
        if self.error.is_none() {
            if let Some(rewrite) = &mut self.rewrite {
                if let Err(e) = rewrite.adding(&chunk) {
                    self.error = Some(e);
                    return;
                }
            }
            let written = match &mut self.loader {
                Some(loader) => loader.load_quads(chunk).map_err(Error::from),
                None => self.store.bulk_insert(chunk).map(drop),
            };
            if let Err(e) = written {
                self.error = Some(e);
            }
        }
    }

    /// Writes what is left and commits; the number of quads written.
    fn finish(mut self) -> Result<usize> {
        self.flush();
        if let Some(error) = self.error {
            return Err(error);
        }
        if let Some(loader) = self.loader {
            loader.commit()?;
        }
        Ok(self.written)
    }
}

fn quads(
    claims: &CaseClaims,
    methods: &[MethodScores],
    track_records: &[Option<TrackRecord>],
    scale: &GradeScale,
    now: &Term,
    sink: &mut dyn Sink,
) -> Result<()> {
    let graph_name = GraphName::NamedNode(NamedNode::new_unchecked(vocab::graph::SCORES));
    let graph = &claims.graph;
    let mut add = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
        sink.push(Quad::new(s.clone(), p.into_owned(), o, graph_name.clone()));
    };
    let common = |add: &mut dyn FnMut(&NamedNode, NamedNodeRef<'_>, Term),
                  node: &NamedNode,
                  target: &str,
                  method: &str| {
        add(
            node,
            oxigraph::model::vocab::rdf::TYPE,
            cg::ASSESSMENT.into_owned().into(),
        );
        add(node, cg::ASSESSES, NamedNode::new_unchecked(target).into());
        add(node, cg::METHOD, Literal::new_simple_literal(method).into());
        add(node, vocab::prov::GENERATED_AT_TIME, now.clone());
    };
    for scores in methods {
        let method = scores.method.name();
        // Sources known only from dependences, or whose every statement was made
        // with a roughly even chance, made no claim to score.
        for source in scores.sources.iter().filter(|s| s.claims > 0) {
            let target = graph.source_name(source.source);
            let node = assessment_iri(method, target);
            common(&mut add, &node, target, method);
            add(&node, cg::VALUE, double(source.trust));
            if let Some((low, high)) = source.interval {
                add(&node, cg::LOWER_BOUND, double(low));
                add(&node, cg::UPPER_BOUND, double(high));
            }
            add(&node, cg::EVIDENCE_COUNT, integer(source.claims));
            add(
                &node,
                cg::RELIABILITY_GRADE,
                Literal::new_simple_literal(source.grade.to_string()).into(),
            );
            if let Some(discounted) = source.discounted {
                add(&node, cg::DISCOUNTED_SHARE, double(discounted));
            }
        }
        for value in &scores.values {
            let name = graph.value_name(value.value);
            let (proposition, assertion) = crate::model::claim::parse_value_name(name);
            if NamedNode::new(proposition).is_err() {
                continue; // a value of an in-memory table, not a proposition
            }
            let node = assessment_iri(method, name);
            common(&mut add, &node, proposition, method);
            let polarity = if assertion { cg::ASSERTION } else { cg::DENIAL };
            add(&node, cg::ASSESSED_POLARITY, polarity.into_owned().into());
            add(&node, cg::VALUE, double(value.belief));
            add(
                &node,
                cg::EVIDENCE_COUNT,
                integer(graph.sources_of(value.value).len()),
            );
            add(
                &node,
                cg::INDEPENDENT_SOURCES,
                integer(value.independent_sources),
            );
            add(&node, cg::CREDIBILITY_GRADE, integer(value.grade as usize));
        }
        for pair in scores.dependences.iter().filter(|d| !d.declared) {
            let (a, b) = (graph.source_name(pair.a), graph.source_name(pair.b));
            let attribute = pair.attribute.map(|k| graph.attribute_name(k));
            let node = match attribute {
                Some(attribute) => assessment_iri("copying", &format!("{a} {b} {attribute}")),
                None => assessment_iri("copying", &format!("{a} {b}")),
            };
            if let Some(attribute) = attribute {
                add(
                    &node,
                    cg::ON_ATTRIBUTE,
                    Literal::new_simple_literal(attribute).into(),
                );
            }
            add(
                &node,
                oxigraph::model::vocab::rdf::TYPE,
                cg::DEPENDENCE.into_owned().into(),
            );
            add(
                &node,
                cg::DEPENDENT_SOURCE,
                NamedNode::new_unchecked(a).into(),
            );
            add(
                &node,
                cg::DEPENDS_ON_SOURCE,
                NamedNode::new_unchecked(b).into(),
            );
            add(&node, cg::DEPENDENCE_KIND, cg::COPYING.into_owned().into());
            add(&node, cg::PROBABILITY, double(pair.probability));
            add(
                &node,
                cg::SHARED_FALSE_VALUES,
                integer(pair.shared_false as usize),
            );
        }
    }
    for (s, record) in track_records.iter().enumerate() {
        let Some(record) = record else {
            continue;
        };
        let target = graph.source_name(s);
        let node = assessment_iri("track-record", target);
        common(&mut add, &node, target, "track-record");
        add(&node, cg::VALUE, double(record.mean));
        add(&node, cg::LOWER_BOUND, double(record.lower));
        add(&node, cg::UPPER_BOUND, double(record.upper));
        add(&node, cg::EVIDENCE_COUNT, integer(record.calls as usize));
        add(&node, cg::RIGHT_CALLS, double(record.right));
        add(
            &node,
            cg::DISAGREED_CALLS,
            integer(record.disagreed as usize),
        );
        add(&node, cg::PRIOR_MEAN, double(record.prior.mean));
        if let Some(group) = record
            .prior
            .from
            .as_deref()
            .and_then(|g| NamedNode::new(g).ok())
        {
            add(&node, cg::PRIOR_FROM, group.into());
        }
        add(
            &node,
            cg::RELIABILITY_GRADE,
            Literal::new_simple_literal(
                scale
                    .reliability(record.mean, record.calls as f64)
                    .to_string(),
            )
            .into(),
        );
    }
    Ok(())
}
