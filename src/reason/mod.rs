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

pub mod rules;
pub mod source_pairs;

use crate::error::{Error, Result};
use crate::store::CaseStore;
use crate::vocab;
use oxigraph::model::{NamedNode, NamedNodeRef, Quad};
use rules::Rule;
use source_pairs::{PairCounts, StatementIndex};
use std::collections::{BTreeMap, BTreeSet, HashSet};
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
    /// Keep at most this many evidence statements per source and pair side.
    pub evidence_limit: usize,
    /// Rules to run instead of the shipped ones.
    pub rules_dir: Option<PathBuf>,
}

impl Default for ReasonOptions {
    fn default() -> Self {
        ReasonOptions {
            dependence: DEPENDENCE_KINDS.iter().map(|k| k.to_string()).collect(),
            max_statement_pairs: 2_000_000,
            evidence_limit: 20,
            rules_dir: None,
        }
    }
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

/// What `reason` did.
#[derive(Debug, Clone)]
pub struct ReasonReport {
    pub rules: Vec<RuleOutcome>,
    pub passes: u32,
    pub statements: usize,
    pub incomplete_statements: usize,
    pub statement_pairs: PairCounts,
    pub statement_pairs_stored: bool,
    pub source_pairs: usize,
    pub corroborating_pairs: usize,
    pub derived_triples: usize,
    pub time: Duration,
}

/// Rebuilds the derived graph.
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
    let derived = NamedNodeRef::new_unchecked(vocab::graph::DERIVED);
    store.drop_graph(derived)?;
    match run(store, options, &rules) {
        Ok(mut report) => {
            report.time = started.elapsed();
            Ok(report)
        }
        Err(error) => {
            // Never leave a half-derived graph behind: derived facts are recomputable.
            store.drop_graph(derived)?;
            Err(error)
        }
    }
}

fn run(store: &CaseStore, options: &ReasonOptions, rules: &[Rule]) -> Result<ReasonReport> {
    let derived = NamedNodeRef::new_unchecked(vocab::graph::DERIVED);
    let needs_index = rules.iter().any(|r| r.pairwise || r.native.is_some());
    let index = if needs_index {
        Some(StatementIndex::read(store, options.evidence_limit)?)
    } else {
        None
    };
    let statement_pairs = index
        .as_ref()
        .map(StatementIndex::count_statement_pairs)
        .unwrap_or_default();
    let pair_total =
        statement_pairs.agreeing_statement_pairs + statement_pairs.contradicting_statement_pairs;
    let store_statement_pairs = pair_total <= options.max_statement_pairs;

    let mut outcomes: Vec<RuleOutcome> = rules
        .iter()
        .map(|rule| RuleOutcome {
            rule: rule.file_stem.clone(),
            runs: 0,
            added: 0,
            skipped: skip_reason(rule, options, store_statement_pairs, pair_total),
            time: Duration::ZERO,
        })
        .collect();

    let mut clock = 0_u64;
    let mut last_run: Vec<Option<u64>> = vec![None; rules.len()];
    let mut changed_at: BTreeMap<String, u64> = BTreeMap::new();
    let mut native_output: Vec<Vec<Quad>> = vec![Vec::new(); rules.len()];
    let mut passes = 0;
    loop {
        let mut ran = false;
        for (i, rule) in rules.iter().enumerate() {
            if outcomes[i].skipped.is_some() {
                continue;
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
            last_run[i] = Some(clock);
            let started = Instant::now();
            let before = predicate_counts(store, &rule.writes)?;
            match (&rule.native, &index) {
                (Some(native), Some(index)) => {
                    let output = run_native(store, native, index)?;
                    replace_output(store, &native_output[i], &output)?;
                    native_output[i] = output;
                }
                _ => store.update(&rule.text).map_err(|e| in_rule(rule, e))?,
            }
            let after = predicate_counts(store, &rule.writes)?;
            for (predicate, count) in &after {
                let was = before.get(predicate).copied().unwrap_or(0);
                if *count != was {
                    changed_at.insert(predicate.clone(), clock);
                    outcomes[i].added += count.saturating_sub(was) as u64;
                }
            }
            outcomes[i].runs += 1;
            outcomes[i].time += started.elapsed();
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

    let source_pairs = count_subjects_of_type(store, vocab::cg::SOURCE_PAIR)?;
    let corroborating_pairs = store
        .oxigraph()
        .quads_for_pattern(
            None,
            Some(vocab::cg::CORROBORATES),
            None,
            Some(derived.into()),
        )
        .count()
        / 2;
    Ok(ReasonReport {
        rules: outcomes,
        passes,
        statements: index.as_ref().map_or(0, StatementIndex::statement_count),
        incomplete_statements: index.as_ref().map_or(0, |i| i.incomplete),
        statement_pairs,
        statement_pairs_stored: store_statement_pairs,
        source_pairs,
        corroborating_pairs,
        derived_triples: store.graph_len(derived.into())?,
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

fn skip_reason(
    rule: &Rule,
    options: &ReasonOptions,
    store_pairs: bool,
    pair_total: u64,
) -> Option<String> {
    if let Some(kind) = rule.name().strip_prefix("dependence-") {
        if !options.dependence.contains(kind) {
            return Some(format!("dependence kind '{kind}' is switched off"));
        }
    }
    if rule.pairwise && !store_pairs {
        return Some(format!(
            "{pair_total} statement pairs exceed --max-statement-pairs {}; the named queries agreeing-statements and contradicting-statements compute them on demand",
            options.max_statement_pairs
        ));
    }
    None
}

fn run_native(store: &CaseStore, native: &str, index: &StatementIndex) -> Result<Vec<Quad>> {
    match native {
        "source-pairs" => {
            let pairing = index.pair_sources();
            let dependences = source_pairs::dependences(store)?;
            Ok(source_pairs::pairing_quads(index, &pairing, &dependences))
        }
        other => Err(Error::invalid(format!(
            "a rule asks for the native computation '{other}', which credgraph does not have (it has: source-pairs)"
        ))),
    }
}

/// Swaps a native rule's previous output for its new one.
fn replace_output(store: &CaseStore, old: &[Quad], new: &[Quad]) -> Result<()> {
    if old.is_empty() {
        // A first run into a freshly cleared graph: the bulk loader is fastest.
        let mut loader = store.oxigraph().bulk_loader();
        loader.load_quads(new.iter().cloned())?;
        loader.commit()?;
        return Ok(());
    }
    let keep: HashSet<&Quad> = new.iter().collect();
    let mut transaction = store.oxigraph().start_transaction()?;
    for quad in old.iter().filter(|q| !keep.contains(q)) {
        transaction.remove(quad);
    }
    for quad in new {
        transaction.insert(quad);
    }
    transaction.commit()?;
    Ok(())
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
        let mut count = 0;
        for quad in store.oxigraph().quads_for_pattern(
            None,
            Some(node.as_ref()),
            None,
            Some(derived.into()),
        ) {
            quad?;
            count += 1;
        }
        counts.insert(predicate.clone(), count);
    }
    Ok(counts)
}

fn count_subjects_of_type(store: &CaseStore, class: NamedNodeRef<'_>) -> Result<usize> {
    let derived = NamedNodeRef::new_unchecked(vocab::graph::DERIVED);
    let mut count = 0;
    for quad in store.oxigraph().quads_for_pattern(
        None,
        Some(oxigraph::model::vocab::rdf::TYPE),
        Some(class.into()),
        Some(derived.into()),
    ) {
        quad?;
        count += 1;
    }
    Ok(count)
}
