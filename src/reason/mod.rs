//! `credgraph reason`: runs the rules of `ontology/rules/` to a fixpoint into the
//! derived graph, rebuilding it from scratch, so that nothing derived is ever
//! written into a source's graph and running it twice gives the same graph.
//!
//! Rules run in file-name order. After the first pass a rule runs again only when
//! a predicate it reads gained triples since it last ran, until no rule adds
//! anything. Two kinds of rules get special treatment, as their headers say:
//! pairwise rules (statement pairs) are skipped when they would store more than
//! `max_statement_pairs` pairs, and a native rule (source pairs) is computed in
//! Rust (`source_pairs`) from the statements instead of by SPARQL.

mod diff;
pub mod incremental;
#[cfg(test)]
mod incremental_tests;
pub mod rules;
pub mod source_pairs;

use crate::error::{Error, Result};
use crate::store::{CaseStore, Location, Quads};
use crate::vocab;
use incremental::{Plan, Record};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedNodeRef, Quad, Term};
use oxigraph::sparql::QueryResults;
use rules::Rule;
use rustc_hash::FxHashSet;
use source_pairs::{PairCounts, StatementIndex};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The kinds of dependence between sources, each derived by a rule named
/// `dependence-KIND`.
pub const DEPENDENCE_KINDS: &[&str] = &[
    "same-institution",
    "chain-of-command",
    "reporting",
    "quoting",
];

/// How to reason.
#[derive(Debug, Clone)]
pub struct ReasonOptions {
    /// Which dependence rules run (see [`DEPENDENCE_KINDS`]).
    pub dependence: BTreeSet<String>,
    /// Store statement pairs only up to this many (agreeing plus contradicting).
    pub max_statement_pairs: u64,
    /// Keep at most this many evidence statements of each source of a pair, for
    /// agreement and for contradiction.
    pub evidence_limit: usize,
    /// Rules to run instead of the shipped ones.
    pub rules_dir: Option<PathBuf>,
    /// Rebuild from scratch even where only a few graphs changed.
    pub full: bool,
}

impl ReasonOptions {
    /// What the derived graph depends on besides the store: an incremental run
    /// needs the last run's to be the same.
    fn fingerprint(&self) -> String {
        format!(
            "credgraph {}; dependence {:?}; max statement pairs {}; evidence limit {}",
            env!("CARGO_PKG_VERSION"),
            self.dependence,
            self.max_statement_pairs,
            self.evidence_limit
        )
    }
}

impl Default for ReasonOptions {
    fn default() -> Self {
        ReasonOptions {
            dependence: DEPENDENCE_KINDS.iter().map(|k| k.to_string()).collect(),
            max_statement_pairs: 2_000_000,
            evidence_limit: 1,
            rules_dir: None,
            full: false,
        }
    }
}

/// The kinds of dependence `--dependence` names: `all`, `none`, or a comma-separated
/// list of [`DEPENDENCE_KINDS`].
pub fn parse_dependence(value: &str) -> Result<BTreeSet<String>> {
    let kinds: BTreeSet<String> = match value.trim() {
        "all" => DEPENDENCE_KINDS.iter().map(|k| k.to_string()).collect(),
        "none" => BTreeSet::new(),
        list => list
            .split(',')
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect(),
    };
    if let Some(kind) = kinds
        .iter()
        .find(|k| !DEPENDENCE_KINDS.contains(&k.as_str()))
    {
        return Err(Error::invalid(format!(
            "unknown dependence kind '{kind}'; the kinds are {} (or all, or none)",
            DEPENDENCE_KINDS.join(", ")
        )));
    }
    Ok(kinds)
}

/// What happened to one rule.
#[derive(Debug, Clone)]
pub struct RuleOutcome {
    pub rule: String,
    pub runs: u32,
    /// Triples it added to the derived graph, over all its runs.
    pub added: u64,
    /// Why it did not run, when it did not.
    pub skipped: Option<String>,
    pub time: Duration,
}

/// How a run went about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Rebuilt from scratch, and why.
    Full(String),
    /// Nothing changed since the last run.
    UpToDate,
    /// Derived again only what belongs to the sources the change touched.
    Incremental {
        changed_graphs: usize,
        sources: usize,
        removed: u64,
        added: u64,
    },
}

/// What `reason` did.
#[derive(Debug, Clone)]
pub struct ReasonReport {
    pub mode: Mode,
    /// For a full rebuild of a derived graph that held something: the triples
    /// written and taken out (the rest were derived as they were).
    pub written: Option<(u64, u64)>,
    pub rules: Vec<RuleOutcome>,
    pub passes: u32,
    pub statements: usize,
    pub incomplete_statements: usize,
    pub statement_pairs: PairCounts,
    pub statement_pairs_stored: bool,
    pub source_pairs: usize,
    pub corroborating_pairs: usize,
    /// Triples the rules added to the derived graph.
    pub derived_triples: u64,
    /// Time spent reading the statements for the pairwise and native rules.
    pub index_time: Duration,
    pub time: Duration,
}

/// Brings the derived graph up to date: from scratch, or, on a store on disk that
/// was reasoned before, by deriving again only what belongs to the sources the
/// graphs changed since then touch (see [`incremental`]).
pub fn reason(store: &CaseStore, options: &ReasonOptions) -> Result<ReasonReport> {
    let started = Instant::now();
    let rules = match &options.rules_dir {
        Some(dir) => rules::from_folder(dir)?,
        None => rules::shipped()?,
    };
    for kind in &options.dependence {
        if !DEPENDENCE_KINDS.contains(&kind.as_str()) {
            return Err(Error::invalid(format!(
                "unknown dependence kind '{kind}'; the kinds are {} (or none)",
                DEPENDENCE_KINDS.join(", ")
            )));
        }
    }
    let record = match store.location() {
        Location::Disk(directory) if !store.is_remote() => Some(Record::of(directory)),
        _ => None,
    };
    let fingerprint = options.fingerprint();
    let previous = match &record {
        Some(record) => record.manifest()?,
        None => None,
    };
    let plan = match (&record, store.journal()?) {
        _ if options.full => Plan::Full("--full".into()),
        _ if options.rules_dir.is_some() => Plan::Full("rules of your own (--rules)".into()),
        (Some(record), Some(journal)) => incremental::plan(store, record, &journal, &fingerprint)?,
        _ => Plan::Full("the store is in memory or on an engine".into()),
    };
    let derived = NamedNodeRef::new_unchecked(vocab::graph::DERIVED);
    let mut report = match plan {
        Plan::UpToDate => {
            return Ok(ReasonReport::nothing(Mode::UpToDate, started.elapsed()));
        }
        Plan::Update(update) => {
            if let Some(record) = &record {
                record.forget()?;
            }
            store.record(|touched| {
                touched.graph(&derived.into_owned().into());
                store.rewrite(|rewrite| update_derived(store, options, &rules, &update, rewrite))
            })?
        }
        Plan::Full(why) => {
            if let Some(record) = &record {
                record.forget()?;
            }
            let mut report = if options.rules_dir.is_none() && !store.is_remote() {
                let remembered = match (&record, store.journal()?) {
                    (Some(record), Some(journal)) => record.remembered(&journal),
                    _ => None,
                };
                let (report, derived_now) = store.record(|touched| {
                    touched.graph(&derived.into_owned().into());
                    store.rewrite(|rewrite| {
                        let mut rebuilt =
                            diff::rebuild(store, options, &rules, rewrite, remembered)?;
                        let derived_now = std::mem::take(&mut rebuilt.derived);
                        Ok((ReasonReport::rebuilt(rebuilt), derived_now))
                    })
                })?;
                if let (Some(record), Some(journal)) = (&record, store.journal()?) {
                    record.remember(&derived_now, journal.counter)?;
                }
                report
            } else {
                store.record(|touched| {
                    // The shipped rules write only the derived graph; rules of the
                    // user's may write anywhere.
                    touched.graph(&derived.into_owned().into());
                    if options.rules_dir.is_some() {
                        touched.everything();
                    }
                    // Rebuilt whole: a crash or an error leaves the derived graph as it was.
                    store.rewrite(|rewrite| {
                        rewrite.drop_graph(derived)?;
                        run(store, options, &rules, rewrite)
                    })
                })?
            };
            report.mode = Mode::Full(why);
            report
        }
    };
    // Rules of the user's own are not followed change by change.
    if let (Some(record), None, Some(journal)) = (&record, &options.rules_dir, store.journal()?) {
        let pairs_stored = match (&report.mode, &previous) {
            (Mode::Incremental { .. }, Some(previous)) => previous.pairs_stored,
            _ => report.statement_pairs_stored,
        };
        record.write(
            store,
            previous.as_ref(),
            &journal,
            incremental::ManifestParts {
                as_of: journal.counter,
                options: fingerprint,
                pairs_stored,
            },
        )?;
    }
    report.time = started.elapsed();
    Ok(report)
}

impl ReasonReport {
    fn rebuilt(rebuilt: diff::Rebuilt) -> Self {
        let index = rebuilt.index.as_ref();
        ReasonReport {
            mode: Mode::Full(String::new()),
            derived_triples: rebuilt.outcomes.iter().map(|o| o.added).sum(),
            written: (!rebuilt.whole).then_some((rebuilt.added, rebuilt.removed)),
            rules: rebuilt.outcomes,
            passes: 1,
            statements: index.map_or(0, StatementIndex::statement_count),
            incomplete_statements: index.map_or(0, |i| i.incomplete),
            statement_pairs: rebuilt.pairs,
            statement_pairs_stored: rebuilt.pairs_stored,
            source_pairs: rebuilt.native.source_pairs,
            corroborating_pairs: rebuilt.native.corroborating_pairs,
            index_time: rebuilt.index_time,
            time: Duration::ZERO,
        }
    }

    fn nothing(mode: Mode, time: Duration) -> Self {
        ReasonReport {
            mode,
            written: None,
            rules: Vec::new(),
            passes: 0,
            statements: 0,
            incomplete_statements: 0,
            statement_pairs: PairCounts::default(),
            statement_pairs_stored: false,
            source_pairs: 0,
            corroborating_pairs: 0,
            derived_triples: 0,
            index_time: Duration::ZERO,
            time,
        }
    }
}

/// Takes out the derived triples of the touched sources (their dependences; the
/// pairs of those whose statements changed; where statement pairs are stored,
/// those of the touched statements), then derives them again: each rule limited
/// to them by its `#@ only` lines, the source pairs from the statements around
/// them. A pair of two other sources whose dependence changed has only its
/// independence set again.
fn update_derived(
    store: &CaseStore,
    options: &ReasonOptions,
    rules: &[Rule],
    update: &incremental::Update,
    rewrite: &mut crate::store::Rewrite<'_>,
) -> Result<ReasonReport> {
    let started = Instant::now();
    let pairs_stored = update.manifest.pairs_stored;
    let mut gone = Gone::new(store);
    gone.of_sources(
        &update.sources,
        &[vocab::cg::INSTITUTION, vocab::cg::DEPENDS_ON],
        &[vocab::cg::DEPENDENT_SOURCE, vocab::cg::DEPENDS_ON_SOURCE],
    )?;
    let dependences_before = dependence_pairs(gone.quads.iter());
    gone.of_sources(
        &update.paired,
        &[vocab::cg::CORROBORATES],
        &[vocab::cg::FIRST_SOURCE, vocab::cg::SECOND_SOURCE],
    )?;
    if pairs_stored {
        for statement in &update.statements {
            for predicate in [vocab::cg::AGREES_WITH, vocab::cg::CONTRADICTS] {
                gone.both_ways(statement, predicate)?;
            }
        }
    }
    let gone: Vec<Quad> = gone.quads.into_iter().collect();
    let mut removed = gone.len() as u64;
    for batch in gone.chunks(20_000) {
        rewrite.remove(batch)?;
    }

    let sorted = |set: &FxHashSet<NamedNode>| {
        let mut list: Vec<NamedNode> = set.iter().cloned().collect();
        list.sort_unstable();
        list
    };
    let (sources, statements) = (sorted(&update.sources), sorted(&update.statements));
    let mut outcomes = Vec::new();
    let mut added = 0;
    let mut index_time = Duration::ZERO;
    let mut native = NativeStats::default();
    let mut dependences_after: FxHashSet<(NamedNode, NamedNode)> = FxHashSet::default();
    for rule in rules {
        let skipped = policy_skip(rule, options).or_else(|| {
            (rule.pairwise && !pairs_stored)
                .then(|| "statement pairs are not stored (as in the last full run)".to_string())
        });
        let started = Instant::now();
        let mut quads: Vec<Quad> = Vec::new();
        if skipped.is_none() && rule.native.is_some() {
            if !update.paired.is_empty() {
                let read = Instant::now();
                let index =
                    StatementIndex::read_around(store, &update.paired, options.evidence_limit)?;
                index_time = read.elapsed();
                let mut pairing = index.pair_sources();
                pairing.keep_pairs_of(&index, &update.paired);
                let dependences = source_pairs::dependences_of(store, &update.paired)?;
                native.source_pairs = pairing.pairs.len();
                quads.extend(source_pairs::pairing_quads(&index, &pairing, &dependences));
            }
        } else if skipped.is_none() {
            let owners = rule.owners.as_ref().ok_or_else(|| {
                Error::Internal(format!(
                    "rule {} says nothing of whose its triples are",
                    rule.file_stem
                ))
            })?;
            let of = match owners.kind {
                rules::OwnerKind::Sources => &sources,
                rules::OwnerKind::Statements => &statements,
            };
            if !of.is_empty() {
                let mut found: FxHashSet<Quad> = FxHashSet::default();
                for variable in &owners.variables {
                    let text = rule.limited(variable, of).ok_or_else(|| {
                        Error::Internal(format!(
                            "rule {} has no #@ only ?{variable} line",
                            rule.file_stem
                        ))
                    })?;
                    found.extend(construct(store, &text).map_err(|e| in_rule(rule, e))?);
                }
                dependences_after.extend(dependence_pairs(found.iter()));
                quads.extend(found);
            }
        }
        let count = quads.len() as u64;
        if count > 0 {
            rewrite.adding(&quads)?;
            store.bulk_insert(quads)?;
            rewrite.step();
        }
        added += count;
        outcomes.push(RuleOutcome {
            rule: rule.file_stem.clone(),
            runs: u32::from(skipped.is_none()),
            added: count,
            skipped,
            time: started.elapsed(),
        });
    }
    // Pairs of two untouched sources whose dependence changed.
    let mut changed: Vec<(NamedNode, NamedNode)> = dependences_before
        .symmetric_difference(&dependences_after)
        .cloned()
        .chain(update.declared.iter().cloned())
        .filter(|(a, b)| !update.paired.contains(a) && !update.paired.contains(b))
        .map(|(a, b)| {
            if a.as_str() <= b.as_str() {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect();
    changed.sort_unstable();
    changed.dedup();
    for (a, b) in &changed {
        let (out, into) = set_independence(store, a, b)?;
        if !out.is_empty() {
            rewrite.remove(&out)?;
        }
        if !into.is_empty() {
            rewrite.adding(&into)?;
            store.bulk_insert(into.iter().cloned())?;
        }
        removed += out.len() as u64;
        added += into.len() as u64;
    }
    Ok(ReasonReport {
        written: None,
        mode: Mode::Incremental {
            changed_graphs: update.changed.len(),
            sources: update.sources.len(),
            removed,
            added,
        },
        rules: outcomes,
        passes: 1,
        statements: update.statements.len(),
        incomplete_statements: 0,
        statement_pairs: PairCounts::default(),
        statement_pairs_stored: pairs_stored,
        source_pairs: native.source_pairs,
        corroborating_pairs: 0,
        derived_triples: added,
        index_time,
        time: started.elapsed(),
    })
}

/// The derived quads an incremental run takes out, found by look-ups.
struct Gone<'a> {
    store: &'a CaseStore,
    quads: FxHashSet<Quad>,
}

impl<'a> Gone<'a> {
    fn new(store: &'a CaseStore) -> Self {
        Gone {
            store,
            quads: FxHashSet::default(),
        }
    }

    fn derived() -> GraphNameRef<'static> {
        GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(vocab::graph::DERIVED))
    }

    fn take(&mut self, quads: Quads<'_>) -> Result<()> {
        for quad in quads {
            self.quads.insert(quad?);
        }
        Ok(())
    }

    /// The derived triples with this predicate from or to a node.
    fn both_ways(&mut self, node: &NamedNode, predicate: NamedNodeRef<'_>) -> Result<()> {
        let graph = Some(Self::derived());
        self.take(
            self.store
                .quads(Some(node.as_ref().into()), Some(predicate), None, graph)?,
        )?;
        self.take(
            self.store
                .quads(None, Some(predicate), Some(node.as_ref().into()), graph)?,
        )
    }

    /// For each source: its triples with `own` predicates (from it, and to it but
    /// for `cg:institution`), and every node that names it by a `mentions`
    /// predicate, whole.
    fn of_sources(
        &mut self,
        sources: &FxHashSet<NamedNode>,
        own: &[NamedNodeRef<'static>],
        mentions: &[NamedNodeRef<'static>],
    ) -> Result<()> {
        let graph = Some(Self::derived());
        for source in sources {
            for &predicate in own {
                if predicate == vocab::cg::INSTITUTION {
                    self.take(self.store.quads(
                        Some(source.as_ref().into()),
                        Some(predicate),
                        None,
                        graph,
                    )?)?;
                } else {
                    self.both_ways(source, predicate)?;
                }
            }
            for &predicate in mentions {
                let nodes: Vec<Quad> = self
                    .store
                    .quads(None, Some(predicate), Some(source.as_ref().into()), graph)?
                    .collect::<Result<_>>()?;
                for quad in nodes {
                    self.take(
                        self.store
                            .quads(Some(quad.subject.as_ref()), None, None, graph)?,
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// The `cg:dependsOn` pairs among some quads.
fn dependence_pairs<'q>(
    quads: impl Iterator<Item = &'q Quad>,
) -> FxHashSet<(NamedNode, NamedNode)> {
    quads
        .filter(|q| q.predicate.as_ref() == vocab::cg::DEPENDS_ON)
        .filter_map(|q| match (&q.subject, &q.object) {
            (oxigraph::model::NamedOrBlankNode::NamedNode(a), Term::NamedNode(b)) => {
                Some((a.clone(), b.clone()))
            }
            _ => None,
        })
        .collect()
}

/// Sets a stored source pair's independence (and so whether its agreements are
/// corroborations, and `cg:corroborates` between the two) to what the store says
/// now; the quads to take out and to put in, none when it is right or there is no
/// pair. `a` sorts before `b`.
fn set_independence(
    store: &CaseStore,
    a: &NamedNode,
    b: &NamedNode,
) -> Result<(Vec<Quad>, Vec<Quad>)> {
    use vocab::cg;
    let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::graph::DERIVED));
    let node = source_pairs::source_pair_iri(a.as_str(), b.as_str());
    let quads: Vec<Quad> = store
        .quads(Some(node.as_ref().into()), None, None, Some(graph.as_ref()))?
        .collect::<Result<_>>()?;
    if quads.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let depends = |x: &NamedNode, y: &NamedNode| -> Result<bool> {
        Ok(store
            .quads(
                Some(x.as_ref().into()),
                Some(cg::DEPENDS_ON),
                Some(y.as_ref().into()),
                None,
            )?
            .next()
            .is_some())
    };
    let independent = !depends(a, b)? && !depends(b, a)?;
    let flag = oxigraph::model::Literal::from(independent);
    if quads
        .iter()
        .any(|q| q.predicate.as_ref() == cg::INDEPENDENT && q.object == Term::from(flag.clone()))
    {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut out = Vec::new();
    let mut into = Vec::new();
    let mut agreements = None;
    for quad in &quads {
        let predicate = quad.predicate.as_ref();
        if predicate == cg::INDEPENDENT {
            out.push(quad.clone());
        } else if predicate == cg::CORROBORATIONS || predicate == cg::DEPENDENT_AGREEMENTS {
            agreements = Some(quad.object.clone());
            out.push(quad.clone());
        }
    }
    into.push(Quad::new(
        node.clone(),
        cg::INDEPENDENT.into_owned(),
        flag,
        graph.clone(),
    ));
    if let Some(count) = agreements {
        let predicate = if independent {
            cg::CORROBORATIONS
        } else {
            cg::DEPENDENT_AGREEMENTS
        };
        into.push(Quad::new(
            node.clone(),
            predicate.into_owned(),
            count,
            graph.clone(),
        ));
        for (x, y) in [(a, b), (b, a)] {
            let corroborates = Quad::new(
                x.clone(),
                cg::CORROBORATES.into_owned(),
                y.clone(),
                graph.clone(),
            );
            if independent {
                into.push(corroborates);
            } else {
                out.push(corroborates);
            }
        }
    }
    Ok((out, into))
}

/// What a rule would insert, as quads of the derived graph: each of its
/// `INSERT ... WHERE` operations asked as a CONSTRUCT.
fn construct(store: &CaseStore, text: &str) -> Result<Vec<Quad>> {
    let mut quads = Vec::new();
    construct_into(store, text, |quad| {
        quads.push(quad);
        Ok(())
    })?;
    Ok(quads)
}

/// [`construct`], handing each quad to `each` as it comes.
fn construct_into(
    store: &CaseStore,
    text: &str,
    mut each: impl FnMut(Quad) -> Result<()>,
) -> Result<()> {
    use spargebra::{GraphUpdateOperation, Query, SparqlParser};
    let update = SparqlParser::new()
        .parse_update(text)
        .map_err(|e| Error::Internal(format!("a rule does not parse: {e}")))?;
    let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::graph::DERIVED));
    for operation in update.operations {
        let GraphUpdateOperation::DeleteInsert {
            insert, pattern, ..
        } = operation
        else {
            return Err(Error::Internal(
                "only INSERT ... WHERE rules are compared with what is derived".into(),
            ));
        };
        let query = Query::Construct {
            template: insert
                .into_iter()
                .map(|quad| spargebra::term::TriplePattern {
                    subject: quad.subject,
                    predicate: quad.predicate,
                    object: quad.object,
                })
                .collect(),
            dataset: None,
            pattern: *pattern,
            base_iri: None,
        };
        let QueryResults::Graph(triples) = store.query(&query.to_string())? else {
            return Err(Error::Internal("a CONSTRUCT gave no graph".into()));
        };
        for triple in triples {
            each(triple?.in_graph(graph.clone()))?;
        }
    }
    Ok(())
}

/// The statement index, read when a pairwise or native rule first needs it.
/// (Reading it alongside the dependence rules was tried: on two cores the two
/// slowed each other down more than they overlapped.)
struct Statements<'a> {
    store: &'a CaseStore,
    evidence_limit: usize,
    index: Option<StatementIndex>,
    read_time: Duration,
    pairs: PairCounts,
}

impl Statements<'_> {
    fn get(&mut self) -> Result<&StatementIndex> {
        if self.index.is_none() {
            let started = Instant::now();
            let index = StatementIndex::read(self.store, self.evidence_limit)?;
            self.pairs = index.count_statement_pairs();
            self.read_time = started.elapsed();
            self.index = Some(index);
        }
        self.index
            .as_ref()
            .ok_or_else(|| Error::Internal("the statement index is missing".into()))
    }
}

fn run(
    store: &CaseStore,
    options: &ReasonOptions,
    rules: &[Rule],
    rewrite: &mut crate::store::Rewrite<'_>,
) -> Result<ReasonReport> {
    let mut statements = Statements {
        store,
        evidence_limit: options.evidence_limit,
        index: None,
        read_time: Duration::ZERO,
        pairs: PairCounts::default(),
    };
    let mut outcomes: Vec<RuleOutcome> = rules
        .iter()
        .map(|rule| RuleOutcome {
            rule: rule.file_stem.clone(),
            runs: 0,
            added: 0,
            skipped: policy_skip(rule, options),
            time: Duration::ZERO,
        })
        .collect();

    let mut clock = 0_u64;
    let mut last_run: Vec<Option<u64>> = vec![None; rules.len()];
    let mut changed_at: BTreeMap<String, u64> = BTreeMap::new();
    let mut native_stats = NativeStats::default();
    let mut passes = 0;
    loop {
        let mut ran = false;
        for (i, rule) in rules.iter().enumerate() {
            if outcomes[i].skipped.is_some() {
                continue;
            }
            if rule.pairwise && last_run[i].is_none() {
                statements.get()?;
                if let Some(why) = too_many_pairs(&statements.pairs, options) {
                    outcomes[i].skipped = Some(why);
                    continue;
                }
            }
            let due = match last_run[i] {
                None => true,
                Some(at) => changed_at
                    .iter()
                    .any(|(predicate, changed)| *changed > at && rule.reads(predicate)),
            };
            if !due {
                continue;
            }
            ran = true;
            clock += 1;
            let first_run = last_run[i].is_none();
            last_run[i] = Some(clock);
            if rule.native.is_some() {
                // Reading the statements is reported on its own line.
                statements.get()?;
            }
            let started = Instant::now();
            let (changed, added): (BTreeSet<String>, u64) = match &rule.native {
                Some(native) => {
                    let index = statements.get()?;
                    if !first_run {
                        remove_output(store, rule)?;
                    }
                    native_stats = run_native(store, native, index)?;
                    (rule.writes.clone(), native_stats.quads)
                }
                _ => {
                    let before = predicate_counts(store, &rule.writes)?;
                    store
                        .update_unrecorded(&rule.text)
                        .map_err(|e| in_rule(rule, e))?;
                    let after = predicate_counts(store, &rule.writes)?;
                    let mut changed = BTreeSet::new();
                    let mut added = 0;
                    for (predicate, count) in after {
                        let was = before.get(&predicate).copied().unwrap_or(0);
                        if count != was {
                            added += count.saturating_sub(was) as u64;
                            changed.insert(predicate);
                        }
                    }
                    (changed, added)
                }
            };
            for predicate in changed {
                changed_at.insert(predicate, clock);
            }
            outcomes[i].added += added;
            outcomes[i].runs += 1;
            outcomes[i].time += started.elapsed();
            rewrite.step();
        }
        if !ran {
            break;
        }
        passes += 1;
        if passes > 100 {
            return Err(Error::invalid(
                "the rules did not reach a fixpoint after 100 passes; a rule keeps adding new triples (does it mint new IRIs or blank nodes on every run?)",
            ));
        }
    }

    let index = statements.index.as_ref();
    let has_native = rules.iter().any(|r| r.native.is_some());
    let (source_pairs, corroborating_pairs) = if has_native {
        (native_stats.source_pairs, native_stats.corroborating_pairs)
    } else {
        (
            count_derived(
                store,
                Some(oxigraph::model::vocab::rdf::TYPE),
                Some(vocab::cg::SOURCE_PAIR),
            )?,
            count_derived(store, Some(vocab::cg::CORROBORATES), None)? / 2,
        )
    };
    let outcomes_skipped_pairwise = rules
        .iter()
        .zip(&outcomes)
        .any(|(rule, outcome)| rule.pairwise && outcome.skipped.is_some());
    Ok(ReasonReport {
        mode: Mode::Full(String::new()),
        written: None,
        derived_triples: outcomes.iter().map(|o| o.added).sum(),
        rules: outcomes,
        passes,
        statements: index.map_or(0, StatementIndex::statement_count),
        incomplete_statements: index.map_or(0, |i| i.incomplete),
        statement_pairs: statements.pairs,
        statement_pairs_stored: !outcomes_skipped_pairwise,
        source_pairs,
        corroborating_pairs,
        index_time: statements.read_time,
        time: Duration::ZERO,
    })
}

fn in_rule(rule: &Rule, error: Error) -> Error {
    match error {
        Error::Evaluation(message) => {
            Error::Evaluation(format!("rule {}: {message}", rule.file_stem))
        }
        other => other,
    }
}

/// Why the pairwise rules do not store these statement pairs, when they are too many.
fn too_many_pairs(pairs: &PairCounts, options: &ReasonOptions) -> Option<String> {
    let total = pairs.agreeing_statement_pairs + pairs.contradicting_statement_pairs;
    (total > options.max_statement_pairs).then(|| {
        format!(
            "{total} statement pairs exceed --max-statement-pairs {}; the named queries agreeing-statements and contradicting-statements compute them on demand",
            options.max_statement_pairs
        )
    })
}

/// Why a rule does not run at all under these options.
fn policy_skip(rule: &Rule, options: &ReasonOptions) -> Option<String> {
    let kind = rule.name().strip_prefix("dependence-")?;
    (!options.dependence.contains(kind))
        .then(|| format!("dependence kind '{kind}' is switched off"))
}

/// What a native computation wrote.
#[derive(Debug, Clone, Copy, Default)]
struct NativeStats {
    quads: u64,
    source_pairs: usize,
    corroborating_pairs: usize,
}

/// Runs a native computation, streaming its output into the derived graph.
fn run_native(store: &CaseStore, native: &str, index: &StatementIndex) -> Result<NativeStats> {
    match native {
        "source-pairs" => {
            let pairing = index.pair_sources();
            let dependences = source_pairs::dependences(store)?;
            let mut stats = NativeStats {
                source_pairs: pairing.pairs.len(),
                ..NativeStats::default()
            };
            store.bulk_insert(
                source_pairs::pairing_quads(index, &pairing, &dependences).inspect(|quad| {
                    stats.quads += 1;
                    if quad.predicate.as_ref() == vocab::cg::CORROBORATES {
                        stats.corroborating_pairs += 1;
                    }
                }),
            )?;
            stats.corroborating_pairs /= 2;
            Ok(stats)
        }
        other => Err(Error::invalid(format!(
            "a rule asks for the native computation '{other}', which credgraph does not have (it has: source-pairs)"
        ))),
    }
}

/// Removes what a rule wrote into the derived graph: triples with the predicates it
/// writes, and of `rdf:type` only those with the classes it writes.
fn remove_output(store: &CaseStore, rule: &Rule) -> Result<()> {
    let derived = NamedNodeRef::new_unchecked(vocab::graph::DERIVED);
    let rdf_type = oxigraph::model::vocab::rdf::TYPE.as_str();
    let mut quads = Vec::new();
    for predicate in &rule.writes {
        let node = NamedNode::new_unchecked(predicate.as_str());
        if predicate == rdf_type {
            for class in &rule.types {
                let class = NamedNode::new_unchecked(class.as_str());
                for quad in store.quads(
                    None,
                    Some(node.as_ref()),
                    Some(class.as_ref().into()),
                    Some(derived.into()),
                )? {
                    quads.push(quad?);
                }
            }
        } else {
            for quad in store.quads(None, Some(node.as_ref()), None, Some(derived.into()))? {
                quads.push(quad?);
            }
        }
    }
    store.remove_quads(&quads)
}

/// How many derived triples each predicate has.
fn predicate_counts(
    store: &CaseStore,
    predicates: &BTreeSet<String>,
) -> Result<BTreeMap<String, usize>> {
    let derived = NamedNodeRef::new_unchecked(vocab::graph::DERIVED);
    let mut counts = BTreeMap::new();
    for predicate in predicates {
        let node = NamedNode::new_unchecked(predicate.as_str());
        let count = store.count_quads(None, Some(node.as_ref()), None, Some(derived.into()))?;
        counts.insert(predicate.clone(), count);
    }
    Ok(counts)
}

/// How many derived quads match a predicate and object.
fn count_derived(
    store: &CaseStore,
    predicate: Option<NamedNodeRef<'_>>,
    object: Option<NamedNodeRef<'_>>,
) -> Result<usize> {
    let derived = NamedNodeRef::new_unchecked(vocab::graph::DERIVED);
    store.count_quads(
        None,
        predicate,
        object.map(Into::into),
        Some(derived.into()),
    )
}
