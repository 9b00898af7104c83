//! credgraph's own method, the default: accuracy-based truth discovery that counts
//! dependent sources once.
//!
//! The model is ACCU with copy detection from Dong, Berti-Équille and Srivastava,
//! "Integrating Conflicting Data: The Role of Source Dependence", PVLDB 2(1), 2009,
//! with accuracy per attribute after Li, Dong, Lyons, Meng and Srivastava, "Truth
//! Finding on the Deep Web: Is the Problem Solved?", PVLDB 6(2), 2012. One file per
//! part of the model:
//!
//! - `accuracy.rs`: each source's accuracy A(s), the chance that a value it gives is
//!   true, a Beta posterior over the beliefs in its claims; and where items name an
//!   attribute (`ITEM/ATTRIBUTE`: a flight's departure time, its gate), its accuracy
//!   on each attribute, A(s, a).
//! - `votes.rs`: a value's vote count, the sum over its sources of ln(n A / (1 - A))
//!   times the claim's weight times the source's independence; the belief in a value,
//!   the softmax of vote counts over its item's n + 1 values.
//! - `discount.rs`: the independence: the sources giving a value are taken in order
//!   of accuracy, and each loses a share d of its vote to every source before it that
//!   it depends on: d = 1 for a dependence the graph declares, c·P(copy) for copying
//!   detected from the data.
//! - `agreements.rs`: the evidence of copying, per pair of sources and attribute: the
//!   items where both give the value taken as true, the same other value, or differ.
//! - `copying.rs`: P(copy) of each pair by Bayes' rule over those counts, over all the
//!   items a pair shares and on each attribute's items alone, and the share of pairs
//!   that copy.
//! - `false_values.rs`: n, how many false values an item has, per attribute.
//! - `start.rs`: the first beliefs, PooledInvestment's (Pasternack and Roth, COLING
//!   2010), run again with each value counted once per group of dependent sources.
//! - `findings.rs`: what is reported besides trust and belief.
//!
//! From the start, rounds alternate copy detection, beliefs and accuracies until no
//! accuracy moves by more than [`Params::tolerance`]. Where this departs from the
//! paper (a prior on accuracy, accuracy per attribute, n and the share of copiers
//! estimated from the data, copying per attribute, the second start), the file says
//! why; what each choice was measured to do is in BENCHMARKS.md, "How
//! dependence-aware got here".
//!
//! # Cost
//!
//! With S sources, A attributes, V values and M source memberships of source sets
//! (values claimed by the same sources with the same weights, on one attribute; a
//! source set is counted once, however many values it holds): a round is O(V + M +
//! S·A) for accuracies and votes, plus the square of a set's size for each set with
//! a dependent source in it, plus copy detection, O(S²·A) over a table of every pair
//! and attribute (held in a hash map of the pairs that share an item where the table
//! would pass 2²⁴ cells). The pair counts are taken in full once, O(Σ k²) over the
//! source sets' sizes k and the pairs of claims on different values of an item, and
//! after that again only on the items whose value taken as true changed. Memory:
//! the pair table, 16 bytes a cell, and a matrix of S² discounts up to 4,096 sources.
//! The number of rounds depends on the data, at most [`Params::max_rounds`].

mod accuracy;
mod agreements;
mod copying;
mod discount;
mod false_values;
mod findings;
mod start;
mod votes;

pub use accuracy::beta_interval;
pub use findings::{DependentPair, Findings};

use super::{ClaimGraph, Outcome};
use crate::credibility::related::LinkWeights;
use accuracy::Accuracy;
use copying::{Copying, Detected};
use discount::Discount;
use rustc_hash::FxHashSet;
use votes::vote;

/// The tunable parts of the method; the defaults are what `score` uses.
#[derive(Debug, Clone)]
pub struct Params {
    /// Mean of the Beta prior on a source's accuracy.
    pub prior_accuracy: f64,
    /// How many claims the prior is worth (with a pooled prior, the least).
    pub prior_strength: f64,
    /// Fit the prior's mean and strength to the sources' evidence in every round
    /// (see `accuracy.rs`), instead of [`Self::prior_accuracy`] and
    /// [`Self::prior_strength`] as given.
    pub pooled_prior: bool,
    /// How many claims a source's overall accuracy is worth as the prior of its
    /// accuracy on one attribute.
    pub attribute_strength: f64,
    /// Estimate accuracy per attribute where items name one.
    pub by_attribute: bool,
    /// Start from PooledInvestment's beliefs instead of vote shares.
    pub invested_start: bool,
    /// How much agreeing on a value taken as true counts as evidence in copy
    /// detection (1: as in the published model).
    pub true_agreement_weight: f64,
    /// False values per item in the vote and copy models; `None`: estimated from how
    /// often independent wrong values coincide, starting from the mean number of
    /// distinct values per item, less one (at least 1).
    pub false_values: Option<f64>,
    /// Where an attribute's values are classes (a small set of labels every item
    /// draws from), take n as that set's size less one instead of estimating it.
    pub class_false_values: bool,
    /// Chance a copier copies a given value (c).
    pub copy_rate: f64,
    /// Prior probability that two sources are dependent: where its estimate starts,
    /// and its mean in that estimate.
    pub copy_prior: f64,
    /// How many pairs the prior is worth in its estimate (0: none, the plain mean).
    pub copy_prior_strength: f64,
    /// Estimate the prior from the data (else keep [`Self::copy_prior`], as
    /// published).
    pub estimate_copy_prior: bool,
    /// Detect copying from the data (declared dependence always counts).
    pub detect_copying: bool,
    /// Where items name attributes, also detect copying on each attribute's items
    /// alone, and discount votes on an attribute by the larger of the two.
    pub copying_by_attribute: bool,
    /// ρ for each kind of link between values (close numbers, lists sharing
    /// members, values on one path of a hierarchy): the share of a linked value's
    /// vote count that a value adds to its own, times the link's weight. Links
    /// exist only where the graph was built with them.
    pub related_weight: LinkWeights,
    /// The rounds stop once no accuracy moves by more than this.
    pub tolerance: f64,
    /// The rounds stop after this many at most.
    pub max_rounds: usize,
}

impl Params {
    /// These parameters with the cap on rounds and the tolerance `stopping` sets.
    pub fn stopping(mut self, stopping: &super::Stopping) -> Self {
        let rounds = stopping.or(self.max_rounds, self.tolerance);
        self.max_rounds = rounds.max;
        self.tolerance = rounds.tolerance;
        self
    }
}

impl Default for Params {
    fn default() -> Self {
        Params {
            prior_accuracy: 0.8,
            prior_strength: 2.0,
            pooled_prior: true,
            attribute_strength: 10.0,
            by_attribute: false,
            invested_start: true,
            true_agreement_weight: 1.0,
            false_values: None,
            class_false_values: true,
            copy_rate: 0.95,
            copy_prior: 0.1,
            copy_prior_strength: 10.0,
            estimate_copy_prior: true,
            detect_copying: true,
            copying_by_attribute: true,
            related_weight: LinkWeights {
                close: 0.1,
                shared_members: 0.5,
                on_path: 0.5,
            },
            tolerance: 1e-3,
            max_rounds: 50,
        }
    }
}

/// Pairs above this dependence probability are reported as copying.
pub const REPORTED_DEPENDENCE: f64 = 0.5;

/// Trust (each source's accuracy) and belief in each value, and what else the method
/// found ([`Findings`]).
///
/// A minister and her deputy, declared dependent, against an outsider: the two
/// voices count as one, and neither answer is believed more than the other.
///
/// ```
/// use credgraph::credibility::{dependence_aware, ClaimGraphBuilder};
///
/// let mut claims = ClaimGraphBuilder::new();
/// claims.add("minister", "bridge-reopens", "yes", 1.0);
/// claims.add("deputy", "bridge-reopens", "yes", 1.0);
/// claims.add("outsider", "bridge-reopens", "no", 1.0);
/// claims.add_dependence("deputy", "minister");
/// let graph = claims.build();
///
/// let params = dependence_aware::Params::default();
/// let (outcome, findings) = dependence_aware::run(&graph, &params);
/// let yes = graph.value_id(0, "yes").unwrap();
/// let no = graph.value_id(0, "no").unwrap();
/// assert!((outcome.belief[yes] - outcome.belief[no]).abs() < 1e-9);
/// assert!(findings.dependences[0].declared);
/// ```
pub fn run(graph: &ClaimGraph, params: &Params) -> (Outcome, Findings) {
    let classes = if params.class_false_values {
        false_values::class_false_values(graph)
    } else {
        vec![None; graph.attribute_count().max(1)]
    };
    let n: Vec<f64> = match params.false_values {
        Some(n) => vec![n; graph.attribute_count().max(1)],
        None => false_values::mean_false_values(graph)
            .into_iter()
            .zip(&classes)
            .map(|(n, class)| class.unwrap_or(n))
            .collect(),
    };
    let declared: FxHashSet<(u32, u32)> = graph.dependences().iter().copied().collect();
    let mut fit = fit(graph, params, &n, &classes, &declared);
    let findings = Findings::of(graph, params, &declared, &mut fit);
    (
        Outcome {
            trust: fit.accuracy.overall.clone(),
            belief: fit.belief,
            rounds: fit.rounds,
            converged: fit.converged,
            max_rounds: params.max_rounds,
        },
        findings,
    )
}

/// Where the rounds ended.
struct Fit {
    accuracy: Accuracy,
    belief: Vec<f64>,
    /// The copying that discounted the last round's votes.
    dependence: Detected,
    /// Per source, the sum of its claims' independence factors in the last round.
    independence_sum: Vec<f64>,
    rounds: usize,
    /// Whether the last round moved no accuracy by more than the tolerance.
    converged: bool,
    /// The pair counts, and the share of pairs that copy, as last estimated.
    copying: Copying,
}

/// The rounds, from the start ([`start::first_beliefs`]) until no accuracy moves by
/// more than [`Params::tolerance`]: copying detected on the beliefs, then n
/// estimated, votes discounted by the copying and beliefs from them, then the
/// accuracies from those beliefs.
fn fit(
    graph: &ClaimGraph,
    params: &Params,
    first_n: &[f64],
    classes: &[Option<f64>],
    declared: &FxHashSet<(u32, u32)>,
) -> Fit {
    let sources = graph.source_count();
    let by_attribute = params.by_attribute && graph.attribute_count() > 1;
    let mut copying = Copying::new(graph, params);
    let start::Start {
        mut belief,
        mut found_first,
    } = start::first_beliefs(graph, params, first_n, declared, by_attribute, &mut copying);
    let mut n = first_n.to_vec();
    let mut accuracy = Accuracy::estimate(graph, &belief, params, by_attribute);
    let mut dependence = Detected::default();
    let mut independence_sum = vec![0.0; sources];
    let (mut rounds, mut converged) = (0, false);
    while rounds < params.max_rounds {
        rounds += 1;
        if params.detect_copying {
            dependence = match found_first.take() {
                Some(found) => found,
                None => copying.detect(graph, &belief, &accuracy, &n, params),
            };
        }
        independence_sum.iter_mut().for_each(|x| *x = 0.0);
        let discount = Discount::new(
            sources,
            declared,
            &dependence.pairs,
            &dependence.by_attribute,
            params.copy_rate,
        );
        if params.false_values.is_none() && params.detect_copying {
            n = copying.pairs.false_values(&discount, first_n);
            for (n, class) in n.iter_mut().zip(classes) {
                if let Some(class) = class {
                    *n = *class;
                }
            }
        }
        vote(
            graph,
            &accuracy,
            &n,
            &discount,
            params.related_weight,
            &mut belief,
            &mut independence_sum,
        );
        let new_accuracy = Accuracy::estimate(graph, &belief, params, by_attribute);
        let moved = new_accuracy.largest_change(&accuracy);

        accuracy = new_accuracy;
        if moved < params.tolerance {
            converged = true;
            break;
        }
    }
    Fit {
        accuracy,
        belief,
        dependence,
        independence_sum,
        rounds,
        converged,
        copying,
    }
}
