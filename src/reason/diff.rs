//! A full rebuild of a derived graph that already holds something: every rule is
//! evaluated from scratch, but only the difference is written. Oxigraph takes out
//! a quad at tens of microseconds (a RocksDB tombstone in every index), so
//! emptying a derived graph of millions of triples and writing it again cost
//! three to four times the first run; comparing costs a read.
//!
//! The shipped rules are stratified: a rule reads only what earlier rules (or the
//! data) hold. They are taken in groups of consecutive rules that write the same
//! predicates (the dependence rules share `cg:dependsOn`); for each group, what it
//! derives now is compared with what the derived graph holds of its predicates,
//! by 128-bit hashes of the quads, the new quads are added and the stale taken
//! out, before the next group reads them.

use super::rules::Rule;
use super::source_pairs::{self, PairCounts, StatementIndex};
use super::{
    construct_into, in_rule, policy_skip, too_many_pairs, NativeStats, ReasonOptions, RuleOutcome,
};
use crate::error::Result;
use crate::store::{CaseStore, Rewrite};
use crate::vocab;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Quad};
use rustc_hash::{FxHashSet, FxHasher};
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::time::{Duration, Instant};

/// Quads written or taken out per batch.
const BATCH: usize = 20_000;
/// Quads written per batch into a derived graph that was empty: nothing is logged.
const BULK_BATCH: usize = 500_000;

/// What the rebuild found, for the report.
pub struct Rebuilt {
    pub outcomes: Vec<RuleOutcome>,
    pub added: u64,
    pub removed: u64,
    pub index: Option<StatementIndex>,
    pub pairs: PairCounts,
    pub pairs_stored: bool,
    pub native: NativeStats,
    pub index_time: Duration,
    /// What each group now derives, by hash, to be remembered for the next run.
    pub derived: Remembered,
    /// The derived graph was empty: it was written whole, not compared.
    pub whole: bool,
}

/// Hashes of what each group of rules derived, by the group's output predicates.
pub type Remembered = std::collections::BTreeMap<String, FxHashSet<u128>>;

/// A 128-bit hash of a quad: two 64-bit hashes with different seeds.
fn key(quad: &Quad) -> u128 {
    let mut first = FxHasher::default();
    quad.hash(&mut first);
    let mut second = std::collections::hash_map::DefaultHasher::new();
    0x5eed_u64.hash(&mut second);
    quad.hash(&mut second);
    (u128::from(first.finish()) << 64) | u128::from(second.finish())
}

/// The derived quads a group of rules writes: its predicates, and of `rdf:type`
/// only its classes.
struct Output {
    predicates: BTreeSet<String>,
    classes: BTreeSet<String>,
}

impl Output {
    fn of(rules: &[&Rule]) -> Self {
        let mut output = Output {
            predicates: BTreeSet::new(),
            classes: BTreeSet::new(),
        };
        for rule in rules {
            output.predicates.extend(rule.writes.iter().cloned());
            output.classes.extend(rule.types.iter().cloned());
        }
        output
    }

    /// The group's name in what is remembered.
    fn name(&self) -> String {
        let mut name: Vec<&str> = self.predicates.iter().map(String::as_str).collect();
        name.extend(self.classes.iter().map(String::as_str));
        name.join(" ")
    }

    fn overlaps(&self, rule: &Rule) -> bool {
        rule.writes
            .iter()
            .any(|p| p != rdf::TYPE.as_str() && self.predicates.contains(p))
            || rule.types.iter().any(|c| self.classes.contains(c))
    }

    /// Calls `each` on every quad of the derived graph that this output covers.
    fn scan(&self, store: &CaseStore, mut each: impl FnMut(Quad)) -> Result<()> {
        let derived = GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(vocab::graph::DERIVED));
        for predicate in &self.predicates {
            let node = NamedNode::new_unchecked(predicate.as_str());
            if predicate == rdf::TYPE.as_str() {
                for class in &self.classes {
                    let class = NamedNode::new_unchecked(class.as_str());
                    for quad in store.quads(
                        None,
                        Some(node.as_ref()),
                        Some(class.as_ref().into()),
                        Some(derived),
                    )? {
                        each(quad?);
                    }
                }
            } else {
                for quad in store.quads(None, Some(node.as_ref()), None, Some(derived))? {
                    each(quad?);
                }
            }
        }
        Ok(())
    }
}

/// Writes a group's new quads as they come, and remembers which old ones it saw.
struct Writer<'r, 's> {
    rewrite: &'r mut Rewrite<'s>,
    store: &'s CaseStore,
    /// Hashes of what the derived graph held of the group's output, less those
    /// derived again.
    old: FxHashSet<u128>,
    /// Hashes of what was derived, to write each quad once.
    seen: FxHashSet<u128>,
    batch: Vec<Quad>,
    added: u64,
    /// The derived graph was empty and counts as rebuilt whole: what is added
    /// needs no logging.
    whole: bool,
}

impl Writer<'_, '_> {
    fn put(&mut self, quad: Quad) -> Result<()> {
        let key = key(&quad);
        if !self.seen.insert(key) || self.old.remove(&key) {
            return Ok(());
        }
        self.batch.push(quad);
        if self.batch.len() >= if self.whole { BULK_BATCH } else { BATCH } {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        if !self.whole {
            self.rewrite.adding(&batch)?;
        }
        self.added += batch.len() as u64;
        self.store.bulk_insert(batch)?;
        self.rewrite.step();
        Ok(())
    }
}

/// Rebuilds the derived graph with the shipped rules, writing only the difference.
/// `remembered`: what the last run derived, when nothing else has written the
/// derived graph since; otherwise the graph itself is read (which decodes every
/// quad: about 30 s for 5 million). An empty derived graph is written whole.
pub fn rebuild<'s>(
    store: &'s CaseStore,
    options: &ReasonOptions,
    rules: &[Rule],
    rewrite: &mut Rewrite<'s>,
    mut remembered: Option<Remembered>,
) -> Result<Rebuilt> {
    let derived = NamedNodeRef::new_unchecked(vocab::graph::DERIVED);
    let whole = store
        .quads(None, None, None, Some(GraphNameRef::NamedNode(derived)))?
        .next()
        .is_none();
    if whole {
        // Nothing to take out; what goes in is undone by emptying the graph.
        rewrite.drop_graph(derived)?;
        remembered = None;
    }
    let mut rebuilt = Rebuilt {
        outcomes: Vec::new(),
        added: 0,
        removed: 0,
        index: None,
        pairs: PairCounts::default(),
        pairs_stored: true,
        native: NativeStats::default(),
        index_time: Duration::ZERO,
        derived: Remembered::new(),
        whole,
    };
    let mut groups: Vec<Vec<&Rule>> = Vec::new();
    for rule in rules {
        match groups.last_mut() {
            Some(group) if Output::of(group).overlaps(rule) => group.push(rule),
            _ => groups.push(vec![rule]),
        }
    }
    for group in groups {
        let output = Output::of(&group);
        let mut old: FxHashSet<u128> = FxHashSet::default();
        match remembered.as_mut().map(|r| r.remove(&output.name())) {
            _ if whole => {}
            Some(Some(hashes)) => old = hashes,
            _ => output.scan(store, |quad| {
                old.insert(key(&quad));
            })?,
        }
        let mut writer = Writer {
            rewrite: &mut *rewrite,
            store,
            old,
            seen: FxHashSet::default(),
            batch: Vec::new(),
            added: 0,
            whole,
        };
        for rule in group {
            let started = Instant::now();
            let before = writer.seen.len();
            let mut skipped = policy_skip(rule, options);
            if skipped.is_none()
                && (rule.pairwise || rule.native.is_some())
                && rebuilt.index.is_none()
            {
                let read = Instant::now();
                let index = StatementIndex::read(store, options.evidence_limit)?;
                rebuilt.pairs = index.count_statement_pairs();
                rebuilt.index_time = read.elapsed();
                rebuilt.index = Some(index);
            }
            if skipped.is_none() && rule.pairwise {
                skipped = too_many_pairs(&rebuilt.pairs, options);
                rebuilt.pairs_stored &= skipped.is_none();
            }
            let mut seen_native = None;
            if skipped.is_none() {
                match (&rule.native, &rebuilt.index) {
                    (Some(_), Some(index)) => {
                        let pairing = index.pair_sources();
                        let dependences = source_pairs::dependences(store)?;
                        let mut stats = NativeStats {
                            source_pairs: pairing.pairs.len(),
                            ..NativeStats::default()
                        };
                        let quads = source_pairs::pairing_quads(index, &pairing, &dependences)
                            .inspect(|quad| {
                                stats.quads += 1;
                                if quad.predicate.as_ref() == vocab::cg::CORROBORATES {
                                    stats.corroborating_pairs += 1;
                                }
                            });
                        if writer.whole {
                            // Millions of quads into an empty graph: one bulk load
                            // rather than one per batch.
                            writer.flush()?;
                            let seen = &mut writer.seen;
                            let mut fresh = 0;
                            store.bulk_insert(
                                quads
                                    .filter(|quad| seen.insert(key(quad)))
                                    .inspect(|_| fresh += 1),
                            )?;
                            writer.added += fresh;
                            writer.rewrite.step();
                        } else {
                            for quad in quads {
                                writer.put(quad)?;
                            }
                        }
                        stats.corroborating_pairs /= 2;
                        seen_native = Some(stats);
                    }
                    _ => construct_into(store, &rule.text, |quad| writer.put(quad))
                        .map_err(|e| in_rule(rule, e))?,
                }
            }
            if let Some(stats) = seen_native {
                rebuilt.native = stats;
            }
            let runs = u32::from(skipped.is_none());
            rebuilt.outcomes.push(RuleOutcome {
                rule: rule.file_stem.clone(),
                runs,
                // What it derives, whether or not the graph held it already.
                added: (writer.seen.len() - before) as u64,
                skipped,
                time: started.elapsed(),
            });
        }
        writer.flush()?;
        rebuilt.added += writer.added;
        // What the group no longer derives.
        let stale = writer.old;
        rebuilt.derived.insert(output.name(), writer.seen);
        if !stale.is_empty() {
            let mut gone = Vec::new();
            output.scan(store, |quad| {
                if stale.contains(&key(&quad)) {
                    gone.push(quad);
                }
            })?;
            rebuilt.removed += gone.len() as u64;
            for batch in gone.chunks(BATCH) {
                rewrite.remove(batch)?;
            }
        }
    }
    Ok(rebuilt)
}
