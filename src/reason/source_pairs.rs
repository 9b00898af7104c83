//! Source pairs computed in Rust: for every two sources, how many pairs of their
//! statements agree and contradict, whether the two are independent, and which
//! statements are the evidence; then `cg:corroborates` between independent sources
//! that agree.
//!
//! It computes what `ontology/rules/30-source-pairs.rq` computes over the pairwise
//! rules' output, but straight from the statements and in time linear in the
//! statements plus the source pairs: statements that back a proposition the same
//! way are grouped by their *signature* (proposition and polarity) and then by
//! source, so a proposition backed by ten thousand statements of fifty sources
//! costs fifty squared, not ten thousand squared.
//!
//! How statements relate (the reading of the rules, see the ontology):
//! * a statement asserting `p` backs every proposition `p` entails (`cg:entails`,
//!   any number of steps) positively; one denying `p` backs every proposition that
//!   entails `p` negatively;
//! * two statements agree when they back a proposition the same way;
//! * they contradict when one backs positively what the other backs negatively, or
//!   both back positively different answers of one question.
//!
//! A pair of statements is counted once even when, through entailment, they relate
//! on several propositions: it is counted at the smallest one.

use crate::error::{Error, Result};
use crate::model::Interner;
use crate::store::{CaseStore, Quads};
use crate::vocab::{self, cg};
use md5::{Digest, Md5};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;

/// Where source-pair IRIs are minted; the rule mints the same ones with MD5.
pub const SOURCE_PAIR_NS: &str = "https://w3id.org/credgraph/id/source-pair/";

type Id = u32;

/// One statement, reduced to what relates it to others.
#[derive(Debug, Clone, Copy)]
struct Statement {
    source: Id,
    signature: Id,
}

/// A proposition and a polarity: statements sharing one back the same propositions.
#[derive(Debug, Clone)]
struct Signature {
    assertion: bool,
    /// The propositions backed, positively for an assertion and negatively for a
    /// denial, sorted.
    backs: Vec<Id>,
    /// The statements with this signature, grouped by source.
    by_source: Vec<SourceGroup>,
}

#[derive(Debug, Clone)]
struct SourceGroup {
    source: Id,
    count: u64,
    /// The first statements of this source here, up to the evidence limit.
    sample: Vec<Id>,
}

/// The statements' columns an index is built from.
#[derive(Default)]
struct Columns {
    stated_by: Vec<(NamedNode, NamedNode)>,
    propositions: Vec<(NamedNode, NamedNode)>,
    assertions: Vec<NamedNode>,
    denials: Vec<NamedNode>,
    /// `cg:entails` and `cg:answers` between propositions (and questions).
    entails: Vec<(NamedNode, NamedNode)>,
    answers: Vec<(NamedNode, NamedNode)>,
}

/// The statements of a case, interned to dense ids, ready for pairing.
pub struct StatementIndex {
    statement_terms: Vec<NamedNode>,
    source_terms: Vec<NamedNode>,
    statements: Vec<Statement>,
    signatures: Vec<Signature>,
    /// For each proposition id: the signatures backing it positively and negatively.
    positive: FxHashMap<Id, Vec<Id>>,
    negative: FxHashMap<Id, Vec<Id>>,
    /// For each question id: its propositions.
    questions: FxHashMap<Id, Vec<Id>>,
    answers: FxHashMap<Id, Id>,
    /// Agreement or contradiction asserted in the data, not derived.
    asserted: Vec<(Id, Id, bool)>,
    /// Statements skipped because they lack a source, proposition or polarity.
    pub incomplete: usize,
    /// Evidence statements kept per source of a pair and relation.
    evidence_limit: usize,
}

/// Totals of a pairing, before anything is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PairCounts {
    /// Unordered pairs of statements that agree, the same source's included.
    pub agreeing_statement_pairs: u64,
    /// Unordered pairs of statements that contradict, the same source's included.
    pub contradicting_statement_pairs: u64,
}

impl PairCounts {
    /// The triples the pairwise rules would store: agreement and contradiction are
    /// each stored in both directions.
    pub fn stored_triples(&self) -> u64 {
        2 * (self.agreeing_statement_pairs + self.contradicting_statement_pairs)
    }
}

/// What was found between two sources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourcePair {
    pub agreements: u64,
    pub contradictions: u64,
    pub agreeing_evidence: BTreeSet<Id>,
    pub contradicting_evidence: BTreeSet<Id>,
}

/// The result of pairing.
pub struct Pairing {
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "the tests hold it to count_statement_pairs")
    )]
    pub counts: PairCounts,
    /// Keyed by (first, second) source id, first < second by IRI.
    pub pairs: FxHashMap<(Id, Id), SourcePair>,
}

impl Pairing {
    /// Keeps only the pairs with one of these sources.
    pub fn keep_pairs_of(&mut self, index: &StatementIndex, sources: &FxHashSet<NamedNode>) {
        self.pairs.retain(|&(a, b), _| {
            sources.contains(index.source(a)) || sources.contains(index.source(b))
        });
    }
}

fn named_subject_object(quad: &Quad) -> Option<(NamedNode, NamedNode)> {
    let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
        return None;
    };
    let Term::NamedNode(object) = &quad.object else {
        return None;
    };
    Some((subject.clone(), object.clone()))
}

fn join<T>(handle: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    handle
        .join()
        .unwrap_or_else(|_| Err(Error::Internal("a statement reader failed".into())))
}

fn quads_with<'a>(store: &'a CaseStore, predicate: NamedNodeRef<'_>) -> Result<Quads<'a>> {
    store.quads(None, Some(predicate), None, None)
}

impl StatementIndex {
    /// Reads every statement of the store (any graph) and the propositions'
    /// entailments and questions.
    pub fn read(store: &CaseStore, evidence_limit: usize) -> Result<Self> {
        // Decoding terms from the store dominates reading. SPARQL decodes only the
        // variables asked for (a quad scan decodes all four terms), so each column
        // is one small query, and they run side by side.
        let stated_by_query = "?s cg:statedBy ?o";
        let proposition_query = "?s cg:proposition ?o";
        let assertion_query = "?s cg:polarity cg:Assertion";
        let denial_query = "?s cg:polarity cg:Denial";
        let (stated_by, propositions, (assertions, denials)) = if store.is_remote() {
            // One at a time: an engine answers them from its own cores, and
            // Virtuoso 7.2 fell over sorting four large answers at once.
            (
                store.scan_pairs(stated_by_query),
                store.scan_pairs(proposition_query),
                (
                    store.scan_iris(assertion_query),
                    store.scan_iris(denial_query),
                ),
            )
        } else {
            std::thread::scope(|scope| {
                let stated_by = scope.spawn(|| store.scan_pairs(stated_by_query));
                let propositions = scope.spawn(|| store.scan_pairs(proposition_query));
                let assertions = scope.spawn(|| store.scan_iris(assertion_query));
                let denials = store.scan_iris(denial_query);
                (
                    join(stated_by),
                    join(propositions),
                    (join(assertions), denials),
                )
            })
        };
        let edges = |predicate| -> Result<Vec<(NamedNode, NamedNode)>> {
            let mut found = Vec::new();
            for quad in quads_with(store, predicate)? {
                found.extend(named_subject_object(&quad?));
            }
            Ok(found)
        };
        let columns = Columns {
            stated_by: stated_by?,
            propositions: propositions?,
            assertions: assertions?,
            denials: denials?,
            entails: edges(cg::ENTAILS)?,
            answers: edges(cg::ANSWERS)?,
        };
        let mut declared = Vec::new();
        let derived = NamedNodeRef::new_unchecked(vocab::graph::DERIVED);
        for (predicate, agreement) in [(cg::AGREES_WITH, true), (cg::CONTRADICTS, false)] {
            for quad in quads_with(store, predicate)? {
                let quad = quad?;
                if quad.graph_name == GraphName::NamedNode(derived.into_owned()) {
                    continue;
                }
                if let Some((a, b)) = named_subject_object(&quad) {
                    declared.push((a, b, agreement));
                }
            }
        }
        Self::build(columns, declared, evidence_limit)
    }

    /// The index of the statements that can relate to those of some sources: theirs,
    /// and every statement whose proposition is linked to one of theirs by
    /// entailment or a shared question. Pairs that involve one of these sources
    /// come out of it exactly as out of the whole index; other pairs do not.
    pub fn read_around(
        store: &CaseStore,
        sources: &FxHashSet<NamedNode>,
        evidence_limit: usize,
    ) -> Result<Self> {
        let objects = |predicate: NamedNodeRef<'_>, subject: &NamedNode| -> Result<Vec<Term>> {
            store
                .quads(Some(subject.as_ref().into()), Some(predicate), None, None)?
                .map(|quad| quad.map(|q| q.object))
                .collect()
        };
        let subjects = |predicate: NamedNodeRef<'_>,
                        object: &NamedNode|
         -> Result<Vec<NamedNode>> {
            let mut found = Vec::new();
            for quad in store.quads(None, Some(predicate), Some(object.as_ref().into()), None)? {
                if let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = quad?.subject {
                    found.push(subject);
                }
            }
            Ok(found)
        };
        let named = |terms: Vec<Term>| {
            terms.into_iter().filter_map(|t| match t {
                Term::NamedNode(n) => Some(n),
                _ => None,
            })
        };
        // Propositions linked by entailment (either way) or a shared question, and
        // the links among them.
        let mut seen: FxHashSet<NamedNode> = FxHashSet::default();
        let mut queue: Vec<NamedNode> = Vec::new();
        for source in sources {
            for statement in subjects(cg::STATED_BY, source)? {
                for proposition in named(objects(cg::PROPOSITION_PROP, &statement)?) {
                    if seen.insert(proposition.clone()) {
                        queue.push(proposition);
                    }
                }
            }
        }
        let mut entails: FxHashSet<(NamedNode, NamedNode)> = FxHashSet::default();
        let mut answers: FxHashSet<(NamedNode, NamedNode)> = FxHashSet::default();
        while let Some(node) = queue.pop() {
            for (predicate, edges) in [(cg::ENTAILS, &mut entails), (cg::ANSWERS, &mut answers)] {
                let forward = named(objects(predicate, &node)?).map(|o| (node.clone(), o));
                let backward = subjects(predicate, &node)?
                    .into_iter()
                    .map(|s| (s, node.clone()));
                for (from, to) in forward.chain(backward).collect::<Vec<_>>() {
                    for next in [&from, &to] {
                        if seen.insert(next.clone()) {
                            queue.push(next.clone());
                        }
                    }
                    edges.insert((from, to));
                }
            }
        }
        let mut statements: FxHashSet<NamedNode> = FxHashSet::default();
        for source in sources {
            statements.extend(subjects(cg::STATED_BY, source)?);
        }
        for node in &seen {
            statements.extend(subjects(cg::PROPOSITION_PROP, node)?);
        }
        let mut statements: Vec<NamedNode> = statements.into_iter().collect();
        statements.sort_unstable();
        let mut columns = Columns {
            entails: entails.into_iter().collect(),
            answers: answers.into_iter().collect(),
            ..Columns::default()
        };
        let mut declared = Vec::new();
        let derived = GraphName::NamedNode(NamedNode::new_unchecked(vocab::graph::DERIVED));
        let kept: FxHashSet<&NamedNode> = statements.iter().collect();
        for statement in &statements {
            for source in named(objects(cg::STATED_BY, statement)?) {
                columns.stated_by.push((statement.clone(), source));
            }
            for proposition in named(objects(cg::PROPOSITION_PROP, statement)?) {
                columns.propositions.push((statement.clone(), proposition));
            }
            for polarity in named(objects(cg::POLARITY, statement)?) {
                if polarity.as_ref() == cg::ASSERTION {
                    columns.assertions.push(statement.clone());
                } else if polarity.as_ref() == cg::DENIAL {
                    columns.denials.push(statement.clone());
                }
            }
            for (predicate, agreement) in [(cg::AGREES_WITH, true), (cg::CONTRADICTS, false)] {
                for quad in
                    store.quads(Some(statement.as_ref().into()), Some(predicate), None, None)?
                {
                    let quad = quad?;
                    if quad.graph_name == derived {
                        continue;
                    }
                    if let Some((a, b)) = named_subject_object(&quad) {
                        if kept.contains(&b) {
                            declared.push((a, b, agreement));
                        }
                    }
                }
            }
        }
        Self::build(columns, declared, evidence_limit)
    }

    /// The index of these statements; the propositions' entailments and questions
    /// are read whole.
    fn build(
        columns: Columns,
        declared: Vec<(NamedNode, NamedNode, bool)>,
        evidence_limit: usize,
    ) -> Result<Self> {
        let Columns {
            stated_by,
            propositions,
            assertions,
            denials,
            entails: entail_edges,
            answers: mut answer_edges,
        } = columns;
        let mut statement_ids = Interner::default();
        let mut source_ids = Interner::default();
        let mut proposition_ids = Interner::default();
        let mut question_ids = Interner::default();
        let mut source_of: Vec<Option<Id>> = Vec::new();
        for (statement, source) in stated_by {
            let s = statement_ids.id(statement.as_str()) as usize;
            if source_of.len() <= s {
                source_of.resize(s + 1, None);
            }
            source_of[s] = Some(source_ids.id(source.as_str()));
        }
        let count = statement_ids.len();
        let mut proposition_of: Vec<Option<Id>> = vec![None; count];
        for (statement, proposition) in propositions {
            if let Some(s) = statement_ids.get(statement.as_str()) {
                proposition_of[s as usize] = Some(proposition_ids.id(proposition.as_str()));
            }
        }
        let mut polarity_of: Vec<Option<bool>> = vec![None; count];
        for (subjects, assertion) in [(assertions, true), (denials, false)] {
            for statement in subjects {
                if let Some(s) = statement_ids.get(statement.as_str()) {
                    polarity_of[s as usize] = Some(assertion);
                }
            }
        }
        let mut entails: FxHashMap<Id, Vec<Id>> = FxHashMap::default();
        let mut entailed_by: FxHashMap<Id, Vec<Id>> = FxHashMap::default();
        for (from, to) in entail_edges {
            {
                let (from, to) = (
                    proposition_ids.id(from.as_str()),
                    proposition_ids.id(to.as_str()),
                );
                entails.entry(from).or_default().push(to);
                entailed_by.entry(to).or_default().push(from);
            }
        }
        let mut answers: FxHashMap<Id, Id> = FxHashMap::default();
        let mut questions: FxHashMap<Id, Vec<Id>> = FxHashMap::default();
        // Sorted, so that a proposition answering two questions keeps the same one
        // whatever order they were read in.
        answer_edges.sort_unstable();
        answer_edges.dedup();
        for (proposition, question) in answer_edges {
            {
                let (p, q) = (
                    proposition_ids.id(proposition.as_str()),
                    question_ids.id(question.as_str()),
                );
                if answers.insert(p, q).is_none() {
                    questions.entry(q).or_default().push(p);
                }
            }
        }

        let mut signature_ids: FxHashMap<(Id, bool), Id> = FxHashMap::default();
        let mut signatures: Vec<Signature> = Vec::new();
        let mut statements = Vec::with_capacity(count);
        let mut statement_terms = Vec::with_capacity(count);
        let mut dense_of: Vec<Option<Id>> = vec![None; count];
        let mut incomplete = 0;
        for s in 0..count {
            let (Some(source), Some(proposition), Some(assertion)) = (
                source_of.get(s).copied().flatten(),
                proposition_of[s],
                polarity_of[s],
            ) else {
                incomplete += 1;
                continue;
            };
            let signature = *signature_ids
                .entry((proposition, assertion))
                .or_insert_with(|| {
                    let backs = if assertion {
                        closure(proposition, &entails)
                    } else {
                        closure(proposition, &entailed_by)
                    };
                    signatures.push(Signature {
                        assertion,
                        backs,
                        by_source: Vec::new(),
                    });
                    Id::try_from(signatures.len() - 1).expect("fewer than 4 billion signatures")
                });
            let dense = Id::try_from(statements.len()).expect("fewer than 4 billion statements");
            dense_of[s] = Some(dense);
            statements.push(Statement { source, signature });
            statement_terms.push(NamedNode::new_unchecked(statement_ids.name(s as Id)));
        }

        // Group each signature's statements by source, keeping a sample for evidence.
        let mut group_of: FxHashMap<(Id, Id), usize> = FxHashMap::default();
        for (dense, statement) in statements.iter().enumerate() {
            let signature = &mut signatures[statement.signature as usize];
            let slot = *group_of
                .entry((statement.signature, statement.source))
                .or_insert_with(|| {
                    signature.by_source.push(SourceGroup {
                        source: statement.source,
                        count: 0,
                        sample: Vec::new(),
                    });
                    signature.by_source.len() - 1
                });
            let group = &mut signature.by_source[slot];
            group.count += 1;
            // The sample is the statements with the smallest IRIs, so that the
            // evidence does not depend on the order the store hands them out in.
            group.sample.push(dense as Id);
            if group.sample.len() > evidence_limit {
                let largest = (0..group.sample.len()).max_by(|&a, &b| {
                    statement_terms[group.sample[a] as usize]
                        .as_str()
                        .cmp(statement_terms[group.sample[b] as usize].as_str())
                });
                if let Some(largest) = largest {
                    group.sample.swap_remove(largest);
                }
            }
        }

        let mut positive: FxHashMap<Id, Vec<Id>> = FxHashMap::default();
        let mut negative: FxHashMap<Id, Vec<Id>> = FxHashMap::default();
        for (id, signature) in signatures.iter().enumerate() {
            let side = if signature.assertion {
                &mut positive
            } else {
                &mut negative
            };
            for &proposition in &signature.backs {
                side.entry(proposition).or_default().push(id as Id);
            }
        }

        let mut asserted = Vec::new();
        for (a, b, agreement) in declared {
            let dense = |t: &NamedNode| {
                statement_ids
                    .get(t.as_str())
                    .and_then(|s| dense_of[s as usize])
            };
            if let (Some(a), Some(b)) = (dense(&a), dense(&b)) {
                if a != b {
                    asserted.push((a.min(b), a.max(b), agreement));
                }
            }
        }
        asserted.sort_unstable();
        asserted.dedup();

        Ok(StatementIndex {
            statement_terms,
            source_terms: source_ids
                .into_names()
                .into_iter()
                .map(|name| NamedNode::new_unchecked(name.into_string()))
                .collect(),
            statements,
            signatures,
            positive,
            negative,
            questions,
            answers,
            asserted,
            incomplete,
            evidence_limit,
        })
    }

    pub fn statement_count(&self) -> usize {
        self.statements.len()
    }

    pub fn statement(&self, id: Id) -> &NamedNode {
        &self.statement_terms[id as usize]
    }

    pub fn source(&self, id: Id) -> &NamedNode {
        &self.source_terms[id as usize]
    }

    /// Counts the statement pairs the pairwise rules would derive, without pairing
    /// sources; cheap enough to decide whether to store them.
    pub fn count_statement_pairs(&self) -> PairCounts {
        let mut counts = PairCounts::default();
        self.visit(
            &mut |relation, _, _, pairs| match relation {
                Relation::Agree => counts.agreeing_statement_pairs += pairs,
                Relation::Contradict => counts.contradicting_statement_pairs += pairs,
            },
            false,
        );
        for &(a, b, agreement) in &self.asserted {
            if !self.derives(a, b, agreement) {
                if agreement {
                    counts.agreeing_statement_pairs += 1;
                } else {
                    counts.contradicting_statement_pairs += 1;
                }
            }
        }
        counts
    }

    /// Pairs sources: counts and evidence for every two sources whose statements
    /// agree or contradict.
    pub fn pair_sources(&self) -> Pairing {
        let mut counts = PairCounts::default();
        let mut pairs: FxHashMap<(Id, Id), SourcePair> = FxHashMap::default();
        let order = |a: Id, b: Id| {
            if self.source_terms[a as usize].as_str() <= self.source_terms[b as usize].as_str() {
                (a, b)
            } else {
                (b, a)
            }
        };
        self.visit(
            &mut |relation, left: Option<&SourceGroup>, right: Option<&SourceGroup>, n| {
                match relation {
                    Relation::Agree => counts.agreeing_statement_pairs += n,
                    Relation::Contradict => counts.contradicting_statement_pairs += n,
                }
                let (Some(left), Some(right)) = (left, right) else {
                    return;
                };
                if left.source == right.source {
                    return;
                }
                let pair = pairs.entry(order(left.source, right.source)).or_default();
                let evidence = match relation {
                    Relation::Agree => {
                        pair.agreements += n;
                        &mut pair.agreeing_evidence
                    }
                    Relation::Contradict => {
                        pair.contradictions += n;
                        &mut pair.contradicting_evidence
                    }
                };
                self.add_evidence(evidence, left);
                self.add_evidence(evidence, right);
            },
            true,
        );
        for &(a, b, agreement) in &self.asserted {
            if self.derives(a, b, agreement) {
                continue;
            }
            if agreement {
                counts.agreeing_statement_pairs += 1;
            } else {
                counts.contradicting_statement_pairs += 1;
            }
            let (sa, sb) = (
                self.statements[a as usize].source,
                self.statements[b as usize].source,
            );
            if sa == sb {
                continue;
            }
            let pair = pairs.entry(order(sa, sb)).or_default();
            let (count, evidence) = if agreement {
                (&mut pair.agreements, &mut pair.agreeing_evidence)
            } else {
                (&mut pair.contradictions, &mut pair.contradicting_evidence)
            };
            *count += 1;
            for statement in [a, b] {
                self.keep_evidence(evidence, statement);
            }
        }
        Pairing { counts, pairs }
    }

    /// Adds a source group's sample to a pair's evidence, up to the limit for that source.
    fn add_evidence(&self, evidence: &mut BTreeSet<Id>, group: &SourceGroup) {
        for &statement in &group.sample {
            self.keep_evidence(evidence, statement);
        }
    }

    /// Keeps a statement as evidence when its source has fewer than the limit, or
    /// in place of that source's statement with the largest IRI when it sorts
    /// before it: the evidence kept is the same whatever order statements come in.
    fn keep_evidence(&self, evidence: &mut BTreeSet<Id>, statement: Id) {
        if evidence.contains(&statement) {
            return;
        }
        let source = self.statements[statement as usize].source;
        let term = |s: Id| self.statement_terms[s as usize].as_str();
        let kept: Vec<Id> = evidence
            .iter()
            .copied()
            .filter(|&s| self.statements[s as usize].source == source)
            .collect();
        if kept.len() < self.evidence_limit {
            evidence.insert(statement);
            return;
        }
        if let Some(&largest) = kept.iter().max_by(|a, b| term(**a).cmp(term(**b))) {
            if term(statement) < term(largest) {
                evidence.remove(&largest);
                evidence.insert(statement);
            }
        }
    }

    /// Whether the reading of the propositions already relates two statements.
    fn derives(&self, a: Id, b: Id, agreement: bool) -> bool {
        let sa = &self.signatures[self.statements[a as usize].signature as usize];
        let sb = &self.signatures[self.statements[b as usize].signature as usize];
        if agreement {
            sa.assertion == sb.assertion && first_common(&sa.backs, &sb.backs).is_some()
        } else if sa.assertion != sb.assertion {
            first_common(&sa.backs, &sb.backs).is_some()
        } else {
            sa.assertion
                && self
                    .first_exclusive_question(&sa.backs, &sb.backs)
                    .is_some()
        }
    }

    /// The smallest question with different answers backed by the two sets.
    fn first_exclusive_question(&self, a: &[Id], b: &[Id]) -> Option<Id> {
        let mut best: Option<Id> = None;
        for x in a {
            let Some(qx) = self.answers.get(x) else {
                continue;
            };
            for y in b {
                if x != y && self.answers.get(y) == Some(qx) {
                    best = Some(best.map_or(*qx, |current| current.min(*qx)));
                }
            }
        }
        best
    }

    /// Calls `found` once for every group of statement pairs that relate: with the
    /// two source groups (when `by_source`) and the number of statement pairs, or
    /// with no groups and the total for a pair of signatures.
    fn visit(&self, found: &mut PairVisitor<'_>, by_source: bool) {
        // Agreement: signatures of one polarity backing a proposition, counted at
        // the smallest proposition they both back.
        for side in [&self.positive, &self.negative] {
            for (&proposition, signatures) in side {
                for (i, &first) in signatures.iter().enumerate() {
                    for &second in &signatures[i..] {
                        let (a, b) = (
                            &self.signatures[first as usize],
                            &self.signatures[second as usize],
                        );
                        if first_common(&a.backs, &b.backs) != Some(proposition) {
                            continue;
                        }
                        self.cross(Relation::Agree, a, b, first == second, found, by_source);
                    }
                }
            }
        }
        // Contradiction, assertion against denial, at the smallest proposition one
        // backs positively and the other negatively.
        for (&proposition, positives) in &self.positive {
            let Some(negatives) = self.negative.get(&proposition) else {
                continue;
            };
            for &first in positives {
                for &second in negatives {
                    let (a, b) = (
                        &self.signatures[first as usize],
                        &self.signatures[second as usize],
                    );
                    if first_common(&a.backs, &b.backs) != Some(proposition) {
                        continue;
                    }
                    self.cross(Relation::Contradict, a, b, false, found, by_source);
                }
            }
        }
        // Contradiction between assertions of different answers of one question, at
        // the smallest such question.
        for (&question, propositions) in &self.questions {
            let mut asserting: Vec<Id> = propositions
                .iter()
                .filter_map(|p| self.positive.get(p))
                .flatten()
                .copied()
                .collect();
            asserting.sort_unstable();
            asserting.dedup();
            for (i, &first) in asserting.iter().enumerate() {
                for &second in &asserting[i + 1..] {
                    let (a, b) = (
                        &self.signatures[first as usize],
                        &self.signatures[second as usize],
                    );
                    if self.first_exclusive_question(&a.backs, &b.backs) != Some(question) {
                        continue;
                    }
                    self.cross(Relation::Contradict, a, b, false, found, by_source);
                }
            }
        }
    }

    /// Reports the statement pairs between two signatures (or within one).
    fn cross(
        &self,
        relation: Relation,
        a: &Signature,
        b: &Signature,
        same: bool,
        found: &mut PairVisitor<'_>,
        by_source: bool,
    ) {
        if !by_source {
            let total_a: u64 = a.by_source.iter().map(|g| g.count).sum();
            if same {
                found(
                    relation,
                    None,
                    None,
                    total_a * total_a.saturating_sub(1) / 2,
                );
            } else {
                let total_b: u64 = b.by_source.iter().map(|g| g.count).sum();
                found(relation, None, None, total_a * total_b);
            }
            return;
        }
        if same {
            for (i, left) in a.by_source.iter().enumerate() {
                found(
                    relation,
                    Some(left),
                    Some(left),
                    left.count * left.count.saturating_sub(1) / 2,
                );
                for right in &a.by_source[i + 1..] {
                    found(relation, Some(left), Some(right), left.count * right.count);
                }
            }
        } else {
            for left in &a.by_source {
                for right in &b.by_source {
                    found(relation, Some(left), Some(right), left.count * right.count);
                }
            }
        }
    }
}

/// Called with each group of related statement pairs: the relation, the two
/// source groups (when pairing by source) and how many statement pairs.
type PairVisitor<'a> = dyn FnMut(Relation, Option<&SourceGroup>, Option<&SourceGroup>, u64) + 'a;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relation {
    Agree,
    Contradict,
}

/// `start` and everything reachable from it along `edges`, sorted.
fn closure(start: Id, edges: &FxHashMap<Id, Vec<Id>>) -> Vec<Id> {
    let mut seen = FxHashSet::default();
    let mut pending = vec![start];
    while let Some(current) = pending.pop() {
        if seen.insert(current) {
            if let Some(next) = edges.get(&current) {
                pending.extend(next);
            }
        }
    }
    let mut all: Vec<Id> = seen.into_iter().collect();
    all.sort_unstable();
    all
}

/// The smallest element of two sorted lists.
fn first_common(a: &[Id], b: &[Id]) -> Option<Id> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return Some(a[i]),
        }
    }
    None
}

/// The IRI of the source pair of two sources, as the rule mints it.
pub fn source_pair_iri(first: &str, second: &str) -> NamedNode {
    let digest = Md5::digest(format!("{first} {second}").as_bytes());
    NamedNode::new_unchecked(format!("{SOURCE_PAIR_NS}{}", hex::encode(digest)))
}

/// The quads that record a pairing in the derived graph, given which source
/// depends on which, produced one pair at a time in IRI order. Agreement counts
/// as `cg:corroborations` between independent sources and `cg:dependentAgreements`
/// otherwise; a zero count is left out, as the rule leaves it out.
pub fn pairing_quads<'a>(
    index: &'a StatementIndex,
    pairing: &'a Pairing,
    depends_on: &'a FxHashSet<(NamedNode, NamedNode)>,
) -> impl Iterator<Item = Quad> + 'a {
    let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::graph::DERIVED));
    let mut keys: Vec<(Id, Id)> = pairing.pairs.keys().copied().collect();
    keys.sort_unstable_by(|x, y| {
        (index.source(x.0).as_str(), index.source(x.1).as_str())
            .cmp(&(index.source(y.0).as_str(), index.source(y.1).as_str()))
    });
    keys.into_iter().flat_map(move |key| {
        let pair = &pairing.pairs[&key];
        let (a, b) = (index.source(key.0), index.source(key.1));
        let independent = !depends_on.contains(&(a.clone(), b.clone()))
            && !depends_on.contains(&(b.clone(), a.clone()));
        let node = source_pair_iri(a.as_str(), b.as_str());
        let mut quads = Vec::with_capacity(
            8 + pair.agreeing_evidence.len() + pair.contradicting_evidence.len(),
        );
        let mut add = |p: NamedNodeRef<'_>, o: Term| {
            quads.push(Quad::new(node.clone(), p.into_owned(), o, graph.clone()));
        };
        add(
            oxigraph::model::vocab::rdf::TYPE,
            cg::SOURCE_PAIR.into_owned().into(),
        );
        add(cg::FIRST_SOURCE, a.clone().into());
        add(cg::SECOND_SOURCE, b.clone().into());
        if pair.agreements > 0 {
            let count = if independent {
                cg::CORROBORATIONS
            } else {
                cg::DEPENDENT_AGREEMENTS
            };
            add(count, integer(pair.agreements));
        }
        if pair.contradictions > 0 {
            add(cg::CONTRADICTIONS, integer(pair.contradictions));
        }
        add(cg::INDEPENDENT, Literal::from(independent).into());
        for &statement in &pair.agreeing_evidence {
            add(
                cg::AGREEING_STATEMENT,
                index.statement(statement).clone().into(),
            );
        }
        for &statement in &pair.contradicting_evidence {
            add(
                cg::CONTRADICTING_STATEMENT,
                index.statement(statement).clone().into(),
            );
        }
        if independent && pair.agreements > 0 {
            for (x, y) in [(a, b), (b, a)] {
                quads.push(Quad::new(
                    x.clone(),
                    cg::CORROBORATES.into_owned(),
                    y.clone(),
                    graph.clone(),
                ));
            }
        }
        quads
    })
}

/// `xsd:integer`, the datatype SPARQL's COUNT gives, so both paths write equal terms.
fn integer(value: u64) -> Term {
    Literal::new_typed_literal(value.to_string(), oxigraph::model::vocab::xsd::INTEGER).into()
}

/// The `cg:dependsOn` of the store, declared or derived, that involve one of
/// these sources.
pub fn dependences_of(
    store: &CaseStore,
    sources: &FxHashSet<NamedNode>,
) -> Result<FxHashSet<(NamedNode, NamedNode)>> {
    let mut found = FxHashSet::default();
    for source in sources {
        for quads in [
            store.quads(
                Some(source.as_ref().into()),
                Some(cg::DEPENDS_ON),
                None,
                None,
            )?,
            store.quads(
                None,
                Some(cg::DEPENDS_ON),
                Some(source.as_ref().into()),
                None,
            )?,
        ] {
            for quad in quads {
                if let Some(pair) = named_subject_object(&quad?) {
                    found.insert(pair);
                }
            }
        }
    }
    Ok(found)
}

/// Every `cg:dependsOn` of the store, declared or derived.
pub fn dependences(store: &CaseStore) -> Result<FxHashSet<(NamedNode, NamedNode)>> {
    let mut found = FxHashSet::default();
    for quad in quads_with(store, cg::DEPENDS_ON)? {
        if let Some(pair) = named_subject_object(&quad?) {
            found.insert(pair);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(turtle: &str) -> CaseStore {
        let store = CaseStore::in_memory().unwrap();
        let text = format!(
            "{}\n{turtle}",
            crate::vocab::sparql_prologue()
                .replace("PREFIX ", "@prefix ")
                .replace(">\n", "> .\n")
        );
        store
            .oxigraph("test")
            .unwrap()
            .load_from_reader(
                oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
                    .with_default_graph(NamedNode::new_unchecked("http://e/case")),
                text.as_bytes(),
            )
            .unwrap();
        store
    }

    /// Three sources on a yes-or-no question: a and b assert, c denies; d asserts a
    /// more specific proposition that entails it.
    const CASE: &str = r"
        @prefix e: <http://e/> .
        e:p cg:answers e:q . e:specific cg:entails e:p ; cg:answers e:q2 .
        e:s1 cg:statedBy e:a ; cg:proposition e:p ; cg:polarity cg:Assertion .
        e:s2 cg:statedBy e:a ; cg:proposition e:p ; cg:polarity cg:Assertion .
        e:s3 cg:statedBy e:b ; cg:proposition e:p ; cg:polarity cg:Assertion .
        e:s4 cg:statedBy e:c ; cg:proposition e:p ; cg:polarity cg:Denial .
        e:s5 cg:statedBy e:d ; cg:proposition e:specific ; cg:polarity cg:Assertion .
        e:s6 cg:statedBy e:d ; cg:proposition e:p .
    ";

    fn pair<'a>(
        index: &StatementIndex,
        pairing: &'a Pairing,
        x: &str,
        y: &str,
    ) -> Option<&'a SourcePair> {
        pairing.pairs.iter().find_map(|((a, b), pair)| {
            let (a, b) = (index.source(*a).as_str(), index.source(*b).as_str());
            ((a, b) == (x, y)).then_some(pair)
        })
    }

    #[test]
    fn pairs_are_counted_through_entailment_and_polarity() {
        let store = store_with(CASE);
        let index = StatementIndex::read(&store, 10).unwrap();
        assert_eq!(index.statement_count(), 5);
        assert_eq!(index.incomplete, 1, "s6 has no polarity");
        let pairing = index.pair_sources();
        // Agreeing pairs: s1-s2 (same source), s1-s3, s2-s3, s1-s5, s2-s5, s3-s5.
        // Contradicting: s4 against s1, s2, s3 and s5 (d's specific claim entails p).
        assert_eq!(pairing.counts.agreeing_statement_pairs, 6);
        assert_eq!(pairing.counts.contradicting_statement_pairs, 4);
        assert_eq!(pairing.counts, index.count_statement_pairs());
        let ab = pair(&index, &pairing, "http://e/a", "http://e/b").unwrap();
        assert_eq!((ab.agreements, ab.contradictions), (2, 0));
        let ac = pair(&index, &pairing, "http://e/a", "http://e/c").unwrap();
        assert_eq!((ac.agreements, ac.contradictions), (0, 2));
        let ad = pair(&index, &pairing, "http://e/a", "http://e/d").unwrap();
        assert_eq!(ad.agreements, 2);
        let cd = pair(&index, &pairing, "http://e/c", "http://e/d").unwrap();
        assert_eq!(cd.contradictions, 1);
        assert!(
            pair(&index, &pairing, "http://e/b", "http://e/a").is_none(),
            "pairs are ordered"
        );
    }

    #[test]
    fn different_answers_of_one_question_contradict_once() {
        let store = store_with(
            r"@prefix e: <http://e/> .
            e:yes cg:answers e:q . e:no cg:answers e:q .
            e:s1 cg:statedBy e:a ; cg:proposition e:yes ; cg:polarity cg:Assertion .
            e:s2 cg:statedBy e:b ; cg:proposition e:no ; cg:polarity cg:Assertion .
            e:s3 cg:statedBy e:c ; cg:proposition e:no ; cg:polarity cg:Denial .
            ",
        );
        let index = StatementIndex::read(&store, 10).unwrap();
        let pairing = index.pair_sources();
        // s1 and s2 contradict; s2 and s3 contradict; s1 and s3 do not relate (a
        // denial of "no" is not an assertion of "yes": answers need not be exhaustive).
        assert_eq!(pairing.counts.contradicting_statement_pairs, 2);
        assert_eq!(pairing.counts.agreeing_statement_pairs, 0);
        assert!(pair(&index, &pairing, "http://e/a", "http://e/c").is_none());
    }

    #[test]
    fn evidence_is_capped_per_pair() {
        let mut turtle = String::from("@prefix e: <http://e/> . e:p cg:answers e:q .\n");
        for i in 0..50 {
            let source = if i % 2 == 0 { "a" } else { "b" };
            turtle.push_str(&format!(
                "e:s{i} cg:statedBy e:{source} ; cg:proposition e:p ; cg:polarity cg:Assertion .\n"
            ));
        }
        let store = store_with(&turtle);
        let index = StatementIndex::read(&store, 3).unwrap();
        let pairing = index.pair_sources();
        let ab = pair(&index, &pairing, "http://e/a", "http://e/b").unwrap();
        assert_eq!(ab.agreements, 25 * 25);
        assert_eq!(
            ab.agreeing_evidence.len(),
            6,
            "three statements of each source"
        );
    }

    #[test]
    fn source_pair_iris_match_sparql_md5() {
        // MD5("http://e/a http://e/b"), as SPARQL's MD5() gives it.
        let store = CaseStore::in_memory().unwrap();
        let oxigraph::sparql::QueryResults::Solutions(mut rows) = store
            .query("SELECT (MD5(\"http://e/a http://e/b\") AS ?h) {}")
            .unwrap()
        else {
            panic!()
        };
        let row = rows.next().unwrap().unwrap();
        let Some(Term::Literal(hash)) = row.get("h") else {
            panic!()
        };
        assert_eq!(
            source_pair_iri("http://e/a", "http://e/b").as_str(),
            format!("{SOURCE_PAIR_NS}{}", hash.value())
        );
    }
}
