//! credgraph's own method, the default: accuracy-based truth discovery that counts
//! dependent sources once.
//!
//! The model is ACCU with copy detection from Dong, Berti-Equille and Srivastava,
//! "Integrating Conflicting Data: The Role of Source Dependence", PVLDB 2(1), 2009:
//!
//! - each source has an accuracy A(s), the chance that a value it gives is true. It
//!   is the posterior mean of a Beta prior (mean [`Params::prior_accuracy`], worth
//!   [`Params::prior_strength`] claims) updated by the belief in each of its claims,
//!   weighted by the claim's certainty; so trust does not grow with mere volume, and
//!   a source with two claims stays near the prior.
//! - where items name an attribute (`ITEM/ATTRIBUTE`: a flight's departure time, its
//!   gate), a source also has an accuracy per attribute, A(s, a): the same posterior
//!   with the source's overall accuracy as the prior's mean, worth
//!   [`Params::attribute_strength`] claims. A site can be exact on gates and wrong on
//!   every time; its votes count by what it is good at. (Li, Dong, Lyons, Meng and
//!   Srivastava, "Truth Finding on the Deep Web: Is the Problem Solved?", PVLDB 6(2),
//!   2012, found attribute-level accuracy among the most useful refinements.)
//! - a value's vote count is the sum over its sources of ln(n A / (1 - A)) times the
//!   claim's weight times the source's independence I; the belief in a value is the
//!   softmax of vote counts over its item's n + 1 values, the unclaimed ones counting
//!   0 (n: how many false values an item has, [`Params::false_values`]); so a value
//!   only one source claims is believed as much as that source is accurate.
//! - n is estimated per attribute, each round, as the inverse of how often two
//!   independent sources that are both wrong on an item give the same wrong value
//!   (pairs weighed by their independence). Counting the distinct values of each
//!   item instead underestimates n wherever few sources cover an item: with three or
//!   four claims per item it found n = 1.4 where there were 10 false values, and
//!   sources that were right 70% of the time then looked worse than chance.
//! - independence: the sources giving a value are taken in order of accuracy, and
//!   each one's vote is multiplied by (1 - d) for every source before it that it
//!   depends on, d = 1 for a dependence the graph declares (same institution, chain
//!   of command, reporting, quoting: the dependent voices share one vote) and
//!   d = c·P(copy) for copying detected from the data (copy rate c).
//! - copying is detected per pair of sources from the items both cover: agreeing on
//!   a false value is unlikely for independent sources (probability
//!   (1-A₁)(1-A₂)/n) and likely for a copier, agreeing on true values is likely
//!   either way, and differing is unlikely for a copier. Bayes' rule with a prior
//!   α gives P(copy). α is the share of pairs that copy, estimated each time
//!   copying is detected as the mean P(copy) over the pairs that share an item,
//!   with [`Params::copy_prior`] worth [`Params::copy_prior_strength`] pairs (the
//!   EM update of a mixture's weight, with a Beta prior). Among many independent
//!   sources the published fixed α of 0.1 let pairs that happened to agree on their
//!   few shared items pass for copiers (2,275 of the 499,500 pairs of the synthetic
//!   set of BENCHMARKS.md, whose sources are independent by construction); the
//!   estimate falls to 0.0002 there and leaves about a dozen. Where copying is
//!   common it stays high (0.19 on Flight), and on a handful of sources the prior
//!   holds it near 0.1.
//! - where items name attributes, copying is also detected per pair on each
//!   attribute's items alone, from the shared false values and differences there,
//!   and a vote on an attribute is discounted by the larger of the pair's P(copy)
//!   there and over all its items ([`Params::copying_by_attribute`]). A site can
//!   take one attribute from a shared feed and the rest from elsewhere: on Flight
//!   the sites that report the scheduled departure time as the actual one share
//!   every wrong departure time but differ on gates, so over all their items they
//!   look independent; found copying on departures, they count as one voice there
//!   (actual departures 0.886 before, 0.932 with copying per attribute).
//!
//! The first beliefs are PooledInvestment's (Pasternack and Roth 2010), which
//! already discount crowded values; from vote shares, a majority that is wrong on
//! one attribute (most flight sites copying the same wrong departure times) sets the
//! first accuracies, and the sources that are right, agreeing with each other on
//! what is taken as false, look like copiers. Copying is then detected once on those
//! beliefs, and PooledInvestment runs again with each value counted once per group
//! of dependent sources giving it (of the sources on a value, taken by how many
//! claims they make, one dependent on a source already kept is left out): a copied
//! majority would otherwise set the first accuracies, its values would be taken as
//! true, and copiers agreeing on the truth are not suspicious, so that start would
//! be its own fixpoint. Rounds
//! then alternate beliefs, copy detection and accuracies until no accuracy moves by
//! more than [`Params::tolerance`].

use super::{equal_ranges, in_parts, sum_over_sets, threads, ClaimGraph, Outcome};
use rustc_hash::FxHashMap;
use statrs::distribution::{Beta, ContinuousCDF};

/// The tunable parts of the method; the defaults are what `score` uses.
#[derive(Debug, Clone)]
pub struct Params {
    /// Mean of the Beta prior on a source's accuracy.
    pub prior_accuracy: f64,
    /// How many claims the prior is worth.
    pub prior_strength: f64,
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
    pub tolerance: f64,
    pub max_rounds: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            prior_accuracy: 0.8,
            prior_strength: 2.0,
            attribute_strength: 10.0,
            by_attribute: true,
            invested_start: true,
            true_agreement_weight: 1.0,
            false_values: None,
            copy_rate: 0.95,
            copy_prior: 0.1,
            copy_prior_strength: 10.0,
            estimate_copy_prior: true,
            detect_copying: true,
            copying_by_attribute: true,
            tolerance: 1e-3,
            max_rounds: 50,
        }
    }
}

/// Accuracy is kept inside this band so that vote counts stay finite.
const ACCURACY_FLOOR: f64 = 0.01;
const ACCURACY_CEILING: f64 = 0.99;
/// Pairs above this dependence probability are reported as copying.
pub const REPORTED_DEPENDENCE: f64 = 0.5;
/// Copying found on one attribute's items counts where its P(copy) is above this.
/// A pair shares far fewer items on one attribute than over all, and there a
/// single wrong value two independent sources happen to share gives a small
/// P(copy); over the 499,500 pairs of independent synthetic sources (BENCHMARKS.md)
/// some 30,000 such cells made the rounds drift with the estimate of the copy
/// prior (6 rounds instead of 3, the same precision). Those small probabilities
/// stay in the pair's own, over all its items; on one attribute only clear copying
/// counts (Flight's feeds share hundreds of wrong values, at P(copy) 1.000).
const ATTRIBUTE_COPYING: f64 = 0.9;

/// What the method found besides trust and belief: intervals and the dependences
/// that discounted votes.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// 90% credible interval of each source's accuracy.
    pub interval: Vec<(f64, f64)>,
    /// The weighted number of claims each accuracy rests on.
    pub evidence: Vec<f64>,
    /// Each source's vote share lost to dependence: 1 - mean independence factor.
    pub discounted: Vec<f64>,
    /// Pairs found dependent (declared, or detected with probability above
    /// [`REPORTED_DEPENDENCE`] over all their items, or above [`ATTRIBUTE_COPYING`]
    /// on one attribute's items where they are not reported over all).
    pub dependences: Vec<DependentPair>,
    /// The share of pairs that copy, as estimated from the last copy detection (the
    /// configured prior when nothing was estimated).
    pub copy_prior: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DependentPair {
    pub a: usize,
    pub b: usize,
    /// 1 for declared dependence.
    pub probability: f64,
    pub declared: bool,
    /// For copying found on one attribute's items only (the pair over all its items
    /// is not reported): that attribute; the counts below are then its items'.
    pub attribute: Option<usize>,
    /// Items both cover, on which they agree on the value taken as true, agree on
    /// another value, and differ.
    pub shared_true: u32,
    pub shared_false: u32,
    pub different: u32,
}

pub fn run(graph: &ClaimGraph, params: &Params) -> (Outcome, Findings) {
    let n: Vec<f64> = match params.false_values {
        Some(n) => vec![n; graph.attribute_count().max(1)],
        None => mean_false_values(graph),
    };
    let declared: rustc_hash::FxHashSet<(u32, u32)> = graph.dependences().iter().copied().collect();
    let Fit {
        accuracy,
        belief,
        dependence,
        by_attribute,
        independence_sum,
        rounds,
        mut pairs,
        counted,
        copy_prior,
    } = fit(graph, params, &n, &declared);
    let mut findings = Findings {
        copy_prior,
        ..Findings::default()
    };
    for (s, &(hits, total)) in accuracy.evidence.iter().enumerate() {
        let alpha = params.prior_strength * params.prior_accuracy + hits;
        let beta = params.prior_strength * (1.0 - params.prior_accuracy) + (total - hits);
        findings.interval.push(beta_interval(alpha, beta, 0.90));
        findings.evidence.push(total);
        let claims = graph.claim_count_of(s);
        findings.discounted.push(if claims > 0 {
            1.0 - independence_sum[s] / claims as f64
        } else {
            0.0
        });
    }
    let truth = graph.top_values(&belief);
    if counted.as_ref() != Some(&truth) {
        pairs.count(graph, &truth);
    }
    for &((a, b), probability) in &dependence {
        if probability > REPORTED_DEPENDENCE && !declared.contains(&(a, b)) {
            findings
                .dependences
                .push(pairs.pair(a, b, probability, false));
        }
    }
    let reported: rustc_hash::FxHashSet<(u32, u32)> = dependence
        .iter()
        .filter(|&&(_, p)| p > REPORTED_DEPENDENCE)
        .map(|&(pair, _)| pair)
        .chain(declared.iter().copied())
        .collect();
    for &((a, b), attribute, probability) in &by_attribute {
        if !reported.contains(&(a, b)) {
            findings
                .dependences
                .push(pairs.pair_on(a, b, attribute as usize, probability));
        }
    }
    for &(a, b) in &declared {
        findings.dependences.push(pairs.pair(a, b, 1.0, true));
    }
    findings.dependences.sort_by(|x, y| {
        y.probability
            .total_cmp(&x.probability)
            .then((x.a, x.b, x.attribute).cmp(&(y.a, y.b, y.attribute)))
    });
    (
        Outcome::new(accuracy.overall.clone(), belief, rounds),
        findings,
    )
}

/// P(copy) of each pair of sources (smaller id first) found dependent from the
/// data, in order of the pairs.
type CopyProbabilities = Vec<((u32, u32), f64)>;

/// P(copy) of pairs of sources (smaller id first) on the items of one attribute.
type AttributeCopyProbabilities = Vec<((u32, u32), u32, f64)>;

/// What one pass of copy detection found: the pairs that may be copying, over all
/// the items they share and (where items name attributes) on one attribute's
/// items, and over every pair that shares an item, the sum of P(copy) and how many
/// there are.
#[derive(Default)]
struct Detected {
    pairs: CopyProbabilities,
    by_attribute: AttributeCopyProbabilities,
    total: f64,
    shared: usize,
}

impl Detected {
    /// The share of pairs that copy, estimated from this pass: the mean P(copy)
    /// over the pairs sharing an item, with the configured prior worth
    /// [`Params::copy_prior_strength`] pairs (the configured prior itself unless
    /// [`Params::estimate_copy_prior`]).
    fn next_prior(&self, params: &Params) -> f64 {
        let strength = params.copy_prior_strength.max(0.0);
        let pairs = self.shared as f64 + strength;
        if params.estimate_copy_prior && pairs > 0.0 {
            (self.total + strength * params.copy_prior) / pairs
        } else {
            params.copy_prior
        }
    }
}

/// Where one start of the rounds ended.
struct Fit {
    accuracy: Accuracy,
    belief: Vec<f64>,
    dependence: CopyProbabilities,
    by_attribute: AttributeCopyProbabilities,
    independence_sum: Vec<f64>,
    rounds: usize,
    pairs: PairCounts,
    counted: Option<Vec<Option<usize>>>,
    copy_prior: f64,
}

fn fit(
    graph: &ClaimGraph,
    params: &Params,
    first_n: &[f64],
    declared: &rustc_hash::FxHashSet<(u32, u32)>,
) -> Fit {
    let mut n = first_n.to_vec();
    let sources = graph.source_count();
    let mut pairs = PairCounts::new(sources, graph.attribute_count());
    let mut belief = if params.invested_start {
        invested_start(graph)
    } else {
        vote_shares(graph)
    };
    let by_attribute = params.by_attribute && graph.attribute_count() > 1;
    let mut counted: Option<Vec<Option<usize>>> = None;
    let mut copy_prior = params.copy_prior;
    // Copying found on the first beliefs, when the first round can use it as it is.
    let mut found_first = None;
    if params.invested_start && params.detect_copying {
        let truth = graph.top_values(&belief);
        let accuracy = Accuracy::estimate(graph, &belief, params, by_attribute);
        pairs.count(graph, &truth);
        let detected = pairs.dependence(&accuracy, &n, params, copy_prior);
        copy_prior = detected.next_prior(params);
        match one_voice_per_value(graph, &detected.pairs, declared) {
            // The first round brings the counts up to date from these.
            Some(keep) => belief = invested_start_with(graph, &keep),
            // Nothing left out: the first round discounts by what was found, on
            // attributes too, and the next detection replaces it.
            None => found_first = Some(detected),
        }
        counted = Some(truth);
    }
    let mut accuracy = Accuracy::estimate(graph, &belief, params, by_attribute);
    let mut dependence = Detected::default();
    let mut independence_sum = vec![0.0; sources];
    let mut rounds = 0;
    while rounds < params.max_rounds {
        rounds += 1;
        if params.detect_copying {
            dependence = match found_first.take() {
                Some(found) => found,
                None => {
                    // The counts change only when what is taken as true does.
                    let truth = graph.top_values(&belief);
                    match &counted {
                        Some(before) if *before == truth => {}
                        Some(before) => pairs.recount(graph, before, &truth),
                        None => pairs.count(graph, &truth),
                    }
                    counted = Some(truth);
                    let detected = pairs.dependence(&accuracy, &n, params, copy_prior);
                    copy_prior = detected.next_prior(params);
                    detected
                }
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
            n = pairs.false_values(&discount, first_n);
        }
        vote(
            graph,
            &accuracy,
            &n,
            &discount,
            &mut belief,
            &mut independence_sum,
        );
        let new_accuracy = Accuracy::estimate(graph, &belief, params, by_attribute);
        let moved = new_accuracy.largest_change(&accuracy);

        accuracy = new_accuracy;
        if moved < params.tolerance {
            break;
        }
    }
    Fit {
        accuracy,
        belief,
        dependence: dependence.pairs,
        by_attribute: dependence.by_attribute,
        independence_sum,
        rounds,
        pairs,
        counted,
        copy_prior,
    }
}

/// How much of a vote is lost, on the items of one attribute, to each other source
/// already counted: 1 for declared dependence, the copy rate times P(copy) for
/// detected copying, the larger of the pair's P(copy) over all the items both
/// cover and over that attribute's items (a site can take its departure times from
/// the same feed as another and its gates from elsewhere).
struct Discount {
    over_all: PairDiscount,
    /// Copying found on one attribute's items only, keyed by pair (smaller id
    /// first) and attribute: few entries, only those above [`ATTRIBUTE_COPYING`].
    on_attribute: FxHashMap<(u32, u32, u32), f64>,
}

/// A pair's discount on every attribute: a matrix for up to
/// [`DENSE_DISCOUNT_LIMIT`] sources, a map above.
enum PairDiscount {
    Dense { sources: usize, cells: Vec<f32> },
    Sparse(FxHashMap<(u32, u32), f64>),
}

const DENSE_DISCOUNT_LIMIT: usize = 4096;

impl Discount {
    fn new(
        sources: usize,
        declared: &rustc_hash::FxHashSet<(u32, u32)>,
        dependence: &[((u32, u32), f64)],
        by_attribute: &[((u32, u32), u32, f64)],
        copy_rate: f64,
    ) -> Self {
        Self::laid_out(
            sources,
            sources <= DENSE_DISCOUNT_LIMIT,
            declared,
            dependence,
            by_attribute,
            copy_rate,
        )
    }

    /// [`Self::new`] with the pairs' discounts in a matrix or a map.
    fn laid_out(
        sources: usize,
        dense: bool,
        declared: &rustc_hash::FxHashSet<(u32, u32)>,
        dependence: &[((u32, u32), f64)],
        by_attribute: &[((u32, u32), u32, f64)],
        copy_rate: f64,
    ) -> Self {
        let pairs = dependence
            .iter()
            .map(|&(k, p)| (k, copy_rate * p))
            .chain(declared.iter().map(|&k| (k, 1.0)));
        let over_all = if dense {
            let mut cells = vec![0.0f32; sources * sources];
            for ((a, b), d) in pairs {
                let (a, b) = (a as usize, b as usize);
                let d = (cells[a * sources + b] as f64).max(d) as f32;
                cells[a * sources + b] = d;
                cells[b * sources + a] = d;
            }
            PairDiscount::Dense { sources, cells }
        } else {
            let mut map = FxHashMap::default();
            for (key, d) in pairs {
                let entry: &mut f64 = map.entry(key).or_default();
                *entry = entry.max(d);
            }
            PairDiscount::Sparse(map)
        };
        let mut on_attribute = FxHashMap::default();
        for &((a, b), attribute, p) in by_attribute {
            let entry: &mut f64 = on_attribute.entry((a, b, attribute)).or_default();
            *entry = entry.max(copy_rate * p);
        }
        Discount {
            over_all,
            on_attribute,
        }
    }

    /// For each of `sources`, whether any other's vote is discounted against it on
    /// any attribute.
    fn dependent(&self, sources: usize) -> Vec<bool> {
        let mut dependent = match &self.over_all {
            PairDiscount::Dense { cells, .. } => (0..sources)
                .map(|s| {
                    cells[s * sources..(s + 1) * sources]
                        .iter()
                        .any(|&d| d > 0.0)
                })
                .collect(),
            PairDiscount::Sparse(map) => {
                let mut dependent = vec![false; sources];
                for (&(a, b), &d) in map {
                    if d > 0.0 {
                        dependent[a as usize] = true;
                        dependent[b as usize] = true;
                    }
                }
                dependent
            }
        };
        for (&(a, b, _), &d) in &self.on_attribute {
            if d > 0.0 {
                dependent[a as usize] = true;
                dependent[b as usize] = true;
            }
        }
        dependent
    }

    fn get(&self, a: u32, b: u32, attribute: usize) -> f64 {
        let over_all = match &self.over_all {
            PairDiscount::Dense { sources, cells } => {
                cells[a as usize * sources + b as usize] as f64
            }
            PairDiscount::Sparse(map) => map.get(&(a.min(b), a.max(b))).copied().unwrap_or(0.0),
        };
        if self.on_attribute.is_empty() {
            return over_all;
        }
        let key = (a.min(b), a.max(b), attribute as u32);
        over_all.max(self.on_attribute.get(&key).copied().unwrap_or(0.0))
    }
}

/// Weighted vote shares of each item's values.
fn vote_shares(graph: &ClaimGraph) -> Vec<f64> {
    let votes: Vec<f64> = (0..graph.value_count())
        .map(|v| graph.weights_of(v).iter().map(|&w| w as f64).sum())
        .collect();
    graph.item_shares(&votes)
}

/// PooledInvestment's beliefs as shares of each item: a start that already
/// discounts crowded values (a source's return on a claim shrinks with every other
/// source investing in it), so copied majorities do not set the first accuracies.
fn invested_start(graph: &ClaimGraph) -> Vec<f64> {
    graph.item_shares(&super::pooled_investment::run(graph).belief)
}

/// The claims that count in the start: of the sources giving a value, taken in
/// order of how many claims they make, a source found dependent (or declared
/// dependent) on one already kept is left out, so that a value copied by many
/// counts as given once. Which sources of each source set are kept, indexed as the
/// sets' sources follow each other ([`ClaimGraph::keeping`]); `None` when nothing
/// is left out. Only copying over all the items a pair shares counts here, not
/// copying found on one attribute: on these first beliefs an attribute's own
/// evidence is thin where the beliefs are least sure (Flight's arrival times
/// fell from 0.98 to 0.60 when it counted).
fn one_voice_per_value(
    graph: &ClaimGraph,
    dependence: &[((u32, u32), f64)],
    declared: &rustc_hash::FxHashSet<(u32, u32)>,
) -> Option<Vec<bool>> {
    let discount = Discount::new(graph.source_count(), declared, dependence, &[], 1.0);
    // Which sources of each source set are kept, in the order of its sources.
    let mut set_keep: Vec<bool> = Vec::new();
    let mut order: Vec<(usize, u32)> = Vec::new();
    let mut kept: Vec<u32> = Vec::new();
    let mut dropped = false;
    for set in 0..graph.set_count() {
        let sources = graph.set_sources(set);
        let attribute = graph.set_attribute(set);
        order.clear();
        order.extend(sources.iter().enumerate().map(|(k, &s)| (k, s)));
        order.sort_by_key(|&(_, s)| (std::cmp::Reverse(graph.claim_count_of(s as usize)), s));
        let first = set_keep.len();
        set_keep.resize(first + sources.len(), true);
        kept.clear();
        for &(k, s) in &order {
            if kept
                .iter()
                .any(|&earlier| discount.get(s, earlier, attribute) > REPORTED_DEPENDENCE)
            {
                set_keep[first + k] = false;
                dropped = true;
            } else {
                kept.push(s);
            }
        }
    }
    dropped.then_some(set_keep)
}

/// PooledInvestment's beliefs from the sources of each set that `keep` marks
/// (see [`ClaimGraph::keeping`]), as shares of each item.
fn invested_start_with(graph: &ClaimGraph, keep: &[bool]) -> Vec<f64> {
    // Every set keeps its first source, so every value keeps a claim.
    let kept = graph.keeping(keep);
    kept.item_shares(&super::pooled_investment::run(&kept).belief)
}

/// The mean number of distinct values per item, less one, at least 1, for each
/// attribute alike: where the estimate of n starts.
fn mean_false_values(graph: &ClaimGraph) -> Vec<f64> {
    let attributes = graph.attribute_count().max(1);
    let n = if graph.item_count() == 0 {
        1.0
    } else {
        (graph.value_count() as f64 / graph.item_count() as f64 - 1.0).max(1.0)
    };
    vec![n; attributes]
}

/// Every source's accuracy, overall and per attribute.
#[derive(Debug, Clone)]
struct Accuracy {
    attributes: usize,
    overall: Vec<f64>,
    /// Indexed by source * attributes + attribute.
    by_attribute: Vec<f64>,
    /// Per source: the belief-weighted hits and the weighted claim count.
    evidence: Vec<(f64, f64)>,
}

impl Accuracy {
    fn estimate(graph: &ClaimGraph, belief: &[f64], params: &Params, per_attribute: bool) -> Self {
        let attributes = graph.attribute_count().max(1);
        let sources = graph.source_count();
        // Belief-weighted hits, then claim weights, per source and attribute: the
        // beliefs summed per source set, then each set's sum given to its sources.
        let cells = sources * attributes;
        let held = sum_over_sets(graph, |v| belief[v]);
        let mut sums = vec![0.0; 2 * cells];
        for (set, &b) in held.iter().enumerate() {
            let (a, size) = (graph.set_attribute(set), graph.set_size(set) as f64);
            for (&s, &w) in graph.set_sources(set).iter().zip(graph.set_weights(set)) {
                sums[s as usize * attributes + a] += w as f64 * b;
                sums[cells + s as usize * attributes + a] += w as f64 * size;
            }
        }
        let (hits, total) = sums.split_at(cells);
        let clamp = |x: f64| x.clamp(ACCURACY_FLOOR, ACCURACY_CEILING);
        let mut overall = Vec::with_capacity(sources);
        let mut evidence = Vec::with_capacity(sources);
        let mut by_attribute = vec![0.0; sources * attributes];
        for s in 0..sources {
            let row = s * attributes..(s + 1) * attributes;
            let h: f64 = hits[row.clone()].iter().sum();
            let t: f64 = total[row.clone()].iter().sum();
            let mean =
                (h + params.prior_strength * params.prior_accuracy) / (t + params.prior_strength);
            overall.push(clamp(mean));
            evidence.push((h, t));
            for k in row {
                by_attribute[k] = if !per_attribute {
                    clamp(mean)
                } else {
                    clamp(
                        (hits[k] + params.attribute_strength * mean)
                            / (total[k] + params.attribute_strength),
                    )
                };
            }
        }
        Accuracy {
            attributes,
            overall,
            by_attribute,
            evidence,
        }
    }

    fn of(&self, source: u32, attribute: usize) -> f64 {
        self.by_attribute[source as usize * self.attributes + attribute]
    }

    fn largest_change(&self, other: &Accuracy) -> f64 {
        self.by_attribute
            .iter()
            .zip(&other.by_attribute)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max)
    }
}

/// Items split into `parts` contiguous ranges of about equal claim counts.
fn item_ranges(graph: &ClaimGraph, parts: usize) -> Vec<std::ops::Range<usize>> {
    let per_part = graph.claim_count() / parts + 1;
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut claims = 0;
    for item in 0..graph.item_count() {
        claims += graph
            .values_of(item)
            .map(|v| graph.sources_of(v).len())
            .sum::<usize>();
        if claims >= per_part {
            ranges.push(start..item + 1);
            start = item + 1;
            claims = 0;
        }
    }
    if start < graph.item_count() || ranges.is_empty() {
        ranges.push(start..graph.item_count());
    }
    ranges
}

/// Rows 0..sources of the upper triangle of a pair table, split into `parts`
/// ranges of about equal numbers of pairs.
fn row_ranges(sources: usize, parts: usize) -> Vec<std::ops::Range<u32>> {
    let total = sources * sources.saturating_sub(1) / 2;
    let per_part = total / parts.max(1) + 1;
    let mut ranges = Vec::new();
    let (mut start, mut pairs) = (0, 0);
    for a in 0..sources {
        pairs += sources - a - 1;
        if pairs >= per_part {
            ranges.push(start as u32..a as u32 + 1);
            start = a + 1;
            pairs = 0;
        }
    }
    if start < sources || ranges.is_empty() {
        ranges.push(start as u32..sources as u32);
    }
    ranges
}

/// Vote counts with dependent voices discounted, then beliefs as a softmax over
/// each item's values. Adds each claim's independence factor to its source's sum.
/// A vote count depends only on the value's source set, so it is taken once per
/// set, the sets shared out among threads; then items are shared out, each thread
/// writing the beliefs of its own items.
fn vote(
    graph: &ClaimGraph,
    accuracy: &Accuracy,
    n: &[f64],
    discount: &Discount,
    belief: &mut [f64],
    independence_sum: &mut [f64],
) {
    let voters = Voters::new(graph, accuracy, n, discount);
    let voters = &voters;
    let sets = graph.set_count();
    let mut counts = Vec::with_capacity(sets);
    for (part, sums) in in_parts(equal_ranges(sets, threads()), |range| {
        voters.count_sets(graph, discount, range)
    }) {
        counts.extend(part);
        for (total, x) in independence_sum.iter_mut().zip(sums) {
            *total += x;
        }
    }
    let counts = &counts;
    let ranges = item_ranges(graph, threads());
    let mut slices = Vec::new();
    let mut rest = belief;
    let mut offset = 0;
    for range in &ranges {
        let end = graph.values_of(range.end.saturating_sub(1)).end.max(offset);
        let end = if range.is_empty() { offset } else { end };
        let (head, tail) = rest.split_at_mut(end - offset);
        slices.push((range.clone(), offset, head));
        rest = tail;
        offset = end;
    }
    in_parts(slices, |(items, offset, belief)| {
        beliefs_of_items(graph, voters, counts, items, offset, belief)
    });
}

/// What a round's voting needs per source, taken once: the vote of a claim by each
/// source on each attribute, and which sources have any dependence at all.
struct Voters<'a> {
    accuracy: &'a Accuracy,
    /// n, the number of false values of an item, per attribute.
    false_values: &'a [f64],
    /// ln(n a / (1 - a)), indexed as the accuracies are.
    score: Vec<f64>,
    /// Whether a source's vote can be discounted by any other.
    dependent: Vec<bool>,
}

impl<'a> Voters<'a> {
    fn new(graph: &ClaimGraph, accuracy: &'a Accuracy, n: &'a [f64], discount: &Discount) -> Self {
        let (sources, attributes) = (graph.source_count(), accuracy.attributes);
        let mut score = vec![0.0; sources * attributes];
        for s in 0..sources {
            for a in 0..attributes {
                let x = accuracy.of(s as u32, a);
                score[s * attributes + a] = (n[a] * x / (1.0 - x)).ln();
            }
        }
        Voters {
            accuracy,
            false_values: n,
            score,
            dependent: discount.dependent(sources),
        }
    }

    /// The vote count of each source set in `sets`, and per source the sum of its
    /// independence factors over those sets' claims.
    fn count_sets(
        &self,
        graph: &ClaimGraph,
        discount: &Discount,
        sets: std::ops::Range<usize>,
    ) -> (Vec<f64>, Vec<f64>) {
        let mut independence_sum = vec![0.0; graph.source_count()];
        let mut order: Vec<(u32, f32)> = Vec::new();
        let n = self.accuracy.attributes;
        let counts = sets
            .map(|set| {
                let attribute = graph.set_attribute(set);
                let values = graph.set_size(set) as f64;
                let score = |s: u32| self.score[s as usize * n + attribute];
                let (sources, weights) = (graph.set_sources(set), graph.set_weights(set));
                let mut count = 0.0;
                if sources.iter().all(|&s| !self.dependent[s as usize]) {
                    // Nobody's vote is discounted: the order does not matter.
                    for (&s, &w) in sources.iter().zip(weights) {
                        independence_sum[s as usize] += values;
                        count += score(s) * w as f64;
                    }
                    return count;
                }
                // The most accurate source counts in full; each next one loses what
                // it shares with those counted before it.
                let accuracy = |s: u32| self.accuracy.of(s, attribute);
                order.clear();
                order.extend(sources.iter().copied().zip(weights.iter().copied()));
                order.sort_unstable_by(|&(x, _), &(y, _)| {
                    accuracy(y).total_cmp(&accuracy(x)).then(x.cmp(&y))
                });
                for (k, &(s, w)) in order.iter().enumerate() {
                    let independence: f64 = if self.dependent[s as usize] {
                        order[..k]
                            .iter()
                            .map(|&(earlier, _)| 1.0 - discount.get(s, earlier, attribute))
                            .product()
                    } else {
                        1.0
                    };
                    independence_sum[s as usize] += values * independence;
                    count += score(s) * w as f64 * independence;
                }
                count
            })
            .collect();
        (counts, independence_sum)
    }
}

/// The beliefs in the values of `items` (written to `belief`, which starts at value
/// `offset`): the softmax of their sets' vote counts over the item's n + 1 values.
fn beliefs_of_items(
    graph: &ClaimGraph,
    voters: &Voters,
    counts: &[f64],
    items: std::ops::Range<usize>,
    offset: usize,
    belief: &mut [f64],
) {
    let sets = graph.value_sets();
    for item in items {
        let values = graph.values_of(item);
        let count = |v: usize| counts[sets[v] as usize];
        // The item has n + 1 values, of which the unclaimed ones have vote count 0.
        let attribute = graph.attribute(item);
        let unclaimed = (voters.false_values[attribute] + 1.0 - values.len() as f64).max(0.0);
        let top = values.clone().map(count).fold(0.0, f64::max);
        // Each value's exp(count - top) is kept in its belief until the sum is known.
        let mut sum = 0.0;
        for v in values.clone() {
            let e = (count(v) - top).exp();
            belief[v - offset] = e;
            sum += e;
        }
        sum += unclaimed * (-top).exp();
        for v in values {
            belief[v - offset] /= sum;
        }
    }
}

/// The (lower, upper) bounds of the central `mass` of Beta(alpha, beta).
pub fn beta_interval(alpha: f64, beta: f64, mass: f64) -> (f64, f64) {
    match Beta::new(alpha.max(1e-9), beta.max(1e-9)) {
        Ok(distribution) => {
            let tail = (1.0 - mass) / 2.0;
            (
                distribution.inverse_cdf(tail),
                distribution.inverse_cdf(1.0 - tail),
            )
        }
        Err(_) => (0.0, 1.0),
    }
}

/// How two claims on an item relate, as the index of a pair's counts: 0 the same
/// value, taken as true; 1 the same other value; 2 different values, one of them
/// taken as true; 3 different values, neither taken as true.
fn agreement(va: usize, vb: usize, true_value: Option<usize>) -> usize {
    if va != vb {
        if Some(va) == true_value || Some(vb) == true_value {
            2
        } else {
            3
        }
    } else if Some(va) == true_value {
        0
    } else {
        1
    }
}

/// What is taken as true, and the pairs of claims on one value tallied by source
/// sets: two sources giving one value are a pair of its set, and the pairs of a
/// set are visited once with how many of its values are taken as true, instead of
/// once per value. Copiers make few sets (Flight's 12 million such pairs come from
/// 10,194 sets).
struct SetTally<'a> {
    truth: &'a [Option<usize>],
    /// Per set: how many of its values are taken as true, and how many are not.
    same: Vec<[u32; 2]>,
}

impl<'a> SetTally<'a> {
    fn new(graph: &ClaimGraph, truth: &'a [Option<usize>]) -> Self {
        let sets = graph.value_sets();
        let mut same = vec![[0u32; 2]; graph.set_count()];
        for (item, &true_value) in truth.iter().enumerate() {
            for v in graph.values_of(item) {
                same[sets[v] as usize][usize::from(Some(v) != true_value)] += 1;
            }
        }
        SetTally { truth, same }
    }
}

/// Per pair of sources and attribute: items where they give the value taken as
/// true, the same other value, and different values.
struct PairCounts {
    sources: usize,
    attributes: usize,
    dense: Option<Vec<[u32; 4]>>,
    sparse: FxHashMap<(u32, u32, u32), [u32; 4]>,
}

/// Above this many (pair, attribute) cells the counts live in a hash map.
const DENSE_LIMIT: usize = 1 << 24;

impl PairCounts {
    fn new(sources: usize, attributes: usize) -> Self {
        let attributes = attributes.max(1);
        let cells = sources * sources.saturating_sub(1) / 2 * attributes;
        PairCounts {
            sources,
            attributes,
            dense: (cells <= DENSE_LIMIT).then(|| vec![[0; 4]; cells]),
            sparse: FxHashMap::default(),
        }
    }

    /// The cell of a pair a < b and an attribute: pairs in the order (0, 1), (0, 2),
    /// ..., (1, 2), ..., only the upper triangle stored.
    fn cell(&self, a: u32, b: u32, attribute: usize) -> usize {
        debug_assert!(a < b, "a pair's smaller source comes first: {a}, {b}");
        let (a, b) = (a as usize, b as usize);
        let pair = a * self.sources - a * (a + 1) / 2 + (b - a - 1);
        pair * self.attributes + attribute
    }

    fn count(&mut self, graph: &ClaimGraph, truth: &[Option<usize>]) {
        self.sparse.clear();
        if let Some(mut table) = self.dense.take() {
            // Rows of the table (pairs by their smaller source) shared out among
            // threads, each adding the tallies into its own rows of the one table.
            table.iter_mut().for_each(|c| *c = [0; 4]);
            let tally = SetTally::new(graph, truth);
            let mut parts = Vec::new();
            let mut rest = &mut table[..];
            let mut at = 0;
            for rows in row_ranges(self.sources, threads()) {
                let end = if (rows.end as usize) + 1 < self.sources {
                    self.cell(rows.end, rows.end + 1, 0)
                } else {
                    at + rest.len()
                };
                let (head, tail) = rest.split_at_mut(end - at);
                parts.push((rows, at, head));
                rest = tail;
                at = end;
            }
            let this = &*self;
            in_parts(parts, |(rows, first, cells)| {
                this.count_rows(graph, &tally, rows, first, cells)
            });
            self.dense = Some(table);
        } else {
            let mut sparse = std::mem::take(&mut self.sparse);
            self.count_items(graph, truth, 0..truth.len(), false, &mut |_, key, kind| {
                sparse.entry(key).or_default()[kind] += 1
            });
            self.sparse = sparse;
        }
    }

    /// Adds into `cells` (the table's cells from `first` on) the tallied pairs of
    /// claims whose smaller source is in `rows`.
    fn count_rows(
        &self,
        graph: &ClaimGraph,
        tally: &SetTally,
        rows: std::ops::Range<u32>,
        first: usize,
        cells: &mut [[u32; 4]],
    ) {
        for (set, &[taken, other]) in tally.same.iter().enumerate() {
            let attribute = graph.set_attribute(set);
            let sources = graph.set_sources(set);
            // Sources are in increasing order: the first of a pair is the smaller.
            for (i, &a) in sources.iter().enumerate() {
                if !rows.contains(&a) {
                    continue;
                }
                for &b in &sources[i + 1..] {
                    let cell = &mut cells[self.cell(a, b, attribute) - first];
                    cell[0] += taken;
                    cell[1] += other;
                }
            }
        }
        // Pairs across two values of one item, item by item.
        for (item, &true_value) in tally.truth.iter().enumerate() {
            let attribute = graph.attribute(item);
            let values = graph.values_of(item);
            for v in values.clone() {
                for w in v + 1..values.end {
                    let kind = agreement(v, w, true_value);
                    for &a in graph.sources_of(v) {
                        for &b in graph.sources_of(w) {
                            let (a, b) = (a.min(b), a.max(b));
                            if a == b || !rows.contains(&a) {
                                continue;
                            }
                            cells[self.cell(a, b, attribute) - first][kind] += 1;
                        }
                    }
                }
            }
        }
    }

    /// Calls `add(cell, (a, b, attribute), kind)` for every pair of claims of
    /// different sources on the items given; `cell` is the dense table's cell when
    /// `dense`, else 0.
    fn count_items(
        &self,
        graph: &ClaimGraph,
        truth: &[Option<usize>],
        items: impl IntoIterator<Item = usize>,
        dense: bool,
        add: &mut dyn FnMut(usize, (u32, u32, u32), usize),
    ) {
        let mut claims: Vec<(u32, usize)> = Vec::new();
        for item in items {
            let true_value = truth[item];
            let attribute = graph.attribute(item);
            claims.clear();
            for v in graph.values_of(item) {
                claims.extend(graph.sources_of(v).iter().map(|&s| (s, v)));
            }
            for i in 0..claims.len() {
                for j in i + 1..claims.len() {
                    let ((a, va), (b, vb)) = (claims[i], claims[j]);
                    if a == b {
                        continue;
                    }
                    let kind = agreement(va, vb, true_value);
                    let (a, b) = (a.min(b), a.max(b));
                    let cell = if dense { self.cell(a, b, attribute) } else { 0 };
                    add(cell, (a, b, attribute as u32), kind);
                }
            }
        }
    }

    /// The counts brought from what `before` took as true to what `now` does, item
    /// by item where the two differ (after the first rounds, a few items): the
    /// changed items' pairs are taken out as they were counted and counted again.
    fn recount(&mut self, graph: &ClaimGraph, before: &[Option<usize>], now: &[Option<usize>]) {
        let changed: Vec<usize> = (0..now.len()).filter(|&i| before[i] != now[i]).collect();
        if changed.len() * 4 > now.len() {
            self.count(graph, now);
            return;
        }
        // Taken out while counting, which reads only the table's layout.
        let mut dense = self.dense.take();
        let mut sparse = std::mem::take(&mut self.sparse);
        for (truth, up) in [(before, false), (now, true)] {
            self.count_items(
                graph,
                truth,
                changed.iter().copied(),
                dense.is_some(),
                &mut |cell, key, kind| {
                    let counter = match &mut dense {
                        Some(dense) => &mut dense[cell][kind],
                        None => &mut sparse.entry(key).or_default()[kind],
                    };
                    *counter = if up { *counter + 1 } else { *counter - 1 };
                },
            );
        }
        self.dense = dense;
        self.sparse = sparse;
        // A pair no item counts any more is as if never counted.
        self.sparse.retain(|_, c| c.iter().any(|&x| x > 0));
    }

    /// Per attribute, how many false values an item has, as the inverse of how often
    /// two independent sources that are both wrong give the same wrong value; each pair
    /// weighed by its independence, and the prior worth one coincidence.
    fn false_values(&self, discount: &Discount, prior: &[f64]) -> Vec<f64> {
        // Per attribute: pairs' items where both are wrong, and where they also agree.
        let tally = |both_false: &mut [f64],
                     coincide: &mut [f64],
                     (a, b, attribute): (u32, u32, usize),
                     [_, kf, _, k3]: [u32; 4]| {
            let w = 1.0 - discount.get(a, b, attribute);
            both_false[attribute] += w * (kf + k3) as f64;
            coincide[attribute] += w * kf as f64;
        };
        let mut both_false = vec![0.0; self.attributes];
        let mut coincide = vec![0.0; self.attributes];
        if self.dense.is_some() {
            // Rows of the table shared out among threads.
            let parts = in_parts(row_ranges(self.sources, threads()), |rows| {
                let mut sums = (vec![0.0; self.attributes], vec![0.0; self.attributes]);
                self.for_each_of(rows, |cell, counts| {
                    tally(&mut sums.0, &mut sums.1, cell, counts)
                });
                sums
            });
            for (part_false, part_coincide) in parts {
                for k in 0..self.attributes {
                    both_false[k] += part_false[k];
                    coincide[k] += part_coincide[k];
                }
            }
        } else {
            self.for_each(|cell, counts| tally(&mut both_false, &mut coincide, cell, counts));
        }
        (0..self.attributes)
            .map(|a| ((both_false[a] + prior[a]) / (coincide[a] + 1.0)).max(1.0))
            .collect()
    }

    /// Calls `visit` with every (pair, attribute) that has counts; with the dense
    /// table, the cells of one pair come one after the other.
    fn for_each(&self, mut visit: impl FnMut((u32, u32, usize), [u32; 4])) {
        match &self.dense {
            Some(_) => self.for_each_of(0..self.sources as u32, visit),
            None => {
                for (&(a, b, attribute), c) in &self.sparse {
                    visit((a, b, attribute as usize), *c);
                }
            }
        }
    }

    /// [`Self::for_each`] over the dense table's pairs (a, b) with a in `rows`.
    fn for_each_of(
        &self,
        rows: std::ops::Range<u32>,
        mut visit: impl FnMut((u32, u32, usize), [u32; 4]),
    ) {
        let Some(dense) = &self.dense else {
            return;
        };
        let Some(first) = rows.clone().find(|&a| (a as usize) + 1 < self.sources) else {
            return;
        };
        let start = self.cell(first, first + 1, 0);
        let mut cells = dense[start..].chunks(self.attributes);
        for a in first..rows.end {
            for b in a + 1..self.sources as u32 {
                let Some(pair) = cells.next() else {
                    return;
                };
                for (attribute, c) in pair.iter().enumerate() {
                    if c.iter().any(|&x| x > 0) {
                        visit((a, b, attribute), *c);
                    }
                }
            }
        }
    }

    /// The counts of a pair (smaller id first) on one attribute.
    fn counts(&self, a: u32, b: u32, attribute: usize) -> [u32; 4] {
        match &self.dense {
            Some(dense) => dense[self.cell(a, b, attribute)],
            None => self
                .sparse
                .get(&(a, b, attribute as u32))
                .copied()
                .unwrap_or_default(),
        }
    }

    /// The counts of a pair over all attributes.
    fn total(&self, a: u32, b: u32) -> [u32; 4] {
        let (a, b) = (a.min(b), a.max(b));
        let mut sum = [0; 4];
        for attribute in 0..self.attributes {
            let c = self.counts(a, b, attribute);
            for k in 0..4 {
                sum[k] += c[k];
            }
        }
        sum
    }

    fn pair(&self, a: u32, b: u32, probability: f64, declared: bool) -> DependentPair {
        self.reported(a, b, probability, declared, self.total(a, b), None)
    }

    /// A pair found copying on the items of one attribute only.
    fn pair_on(&self, a: u32, b: u32, attribute: usize, probability: f64) -> DependentPair {
        let (a, b) = (a.min(b), a.max(b));
        let counts = self.counts(a, b, attribute);
        self.reported(a, b, probability, false, counts, Some(attribute))
    }

    fn reported(
        &self,
        a: u32,
        b: u32,
        probability: f64,
        declared: bool,
        [shared_true, shared_false, one_true, both_false]: [u32; 4],
        attribute: Option<usize>,
    ) -> DependentPair {
        let different = one_true + both_false;
        DependentPair {
            a: a as usize,
            b: b as usize,
            probability,
            declared,
            attribute,
            shared_true,
            shared_false,
            different,
        }
    }

    /// P(copy) of every pair with shared items, by Bayes' rule over independence and
    /// copying in either direction with `copy_prior` the prior share of pairs that
    /// copy, the evidence of each attribute weighed with the two sources' accuracies
    /// on it.
    fn dependence(
        &self,
        accuracy: &Accuracy,
        n: &[f64],
        params: &Params,
        copy_prior: f64,
    ) -> Detected {
        let c = params.copy_rate;
        let prior = copy_prior / 2.0;
        // P(copy) = C / (C + I) from the log-likelihoods of independence, the first
        // copying the second, and the second the first.
        let probability = |[independent, l12, l21]: [f64; 3]| {
            let top = independent.max(l12).max(l21);
            let copy = prior * ((l12 - top).exp() + (l21 - top).exp());
            let independent = (1.0 - copy_prior) * (independent - top).exp();
            copy / (copy + independent)
        };
        // Logarithms taken once per source and attribute, not per cell; a term whose
        // count is zero is not computed. With p_t = a1 a2 and p_f = (1 - a1)(1 - a2)/n,
        // the copier's terms factor: a2 c + p_t (1 - c) = a2 (c + a1 (1 - c)) and
        // (1 - a2) c + p_f (1 - c) = (1 - a2) (c + (1 - a1)(1 - c)/n), so the only
        // logarithm left per cell is that of differing, ln(1 - p_t - p_f).
        let per_cell = |f: &dyn Fn(f64, usize) -> f64| -> Vec<f64> {
            accuracy
                .by_attribute
                .iter()
                .enumerate()
                .map(|(k, &a)| f(a, k % accuracy.attributes))
                .collect()
        };
        let ln_a = per_cell(&|a, _| a.ln());
        let ln_not_a = per_cell(&|a, _| (1.0 - a).ln());
        // ln(c + a (1 - c)) and ln(c + (1 - a)(1 - c)/n) of the other source.
        let ln_true_copied = per_cell(&|a, _| (c + a * (1.0 - c)).ln());
        let ln_false_copied =
            per_cell(&|a, attribute| (c + (1.0 - a) * (1.0 - c) / n[attribute]).ln());
        let ln_n: Vec<f64> = n.iter().map(|n| n.ln()).collect();
        let ln_not_copied = (1.0 - c).ln();
        let add = |likelihood: &mut [f64; 3],
                   (a, b, attribute): (u32, u32, usize),
                   [kt, kf, k1, k2]: [u32; 4]| {
            let kd = (k1 + k2) as f64;
            let (i, j) = (
                a as usize * accuracy.attributes + attribute,
                b as usize * accuracy.attributes + attribute,
            );
            let (kt, kf) = (kt as f64 * params.true_agreement_weight, kf as f64);
            let ln_pd = if kd > 0.0 {
                let (a1, a2) = (accuracy.by_attribute[i], accuracy.by_attribute[j]);
                let pt = a1 * a2;
                let pf = (1.0 - a1) * (1.0 - a2) / n[attribute];
                (1.0 - pt - pf).max(1e-12).ln()
            } else {
                0.0
            };
            // One source copying the value of `copied` (the other's index `other`).
            let copying = |copied: usize, other: usize| {
                let mut l = kd * (ln_pd + ln_not_copied);
                if kt > 0.0 {
                    l += kt * (ln_a[copied] + ln_true_copied[other]);
                }
                if kf > 0.0 {
                    l += kf * (ln_not_a[copied] + ln_false_copied[other]);
                }
                l
            };
            let mut independent = kd * ln_pd;
            if kt > 0.0 {
                independent += kt * (ln_a[i] + ln_a[j]);
            }
            if kf > 0.0 {
                independent += kf * (ln_not_a[i] + ln_not_a[j] - ln_n[attribute]);
            }
            likelihood[0] += independent;
            likelihood[1] += copying(j, i);
            likelihood[2] += copying(i, j);
        };
        // Where items name attributes, P(copy) of the pair on one attribute's items
        // alone, where the pair shares a false value there, kept if above
        // [`ATTRIBUTE_COPYING`] and the pair's own. Only shared false values and
        // differences count as evidence on one attribute: where most sources are
        // right on nearly every item (scheduled times), each agreement on the true
        // value is weak evidence of copying (its likelihood ratio c / a + 1 - c
        // exceeds 1 for every a < 1), and over thousands of items it adds up to
        // certainty for any two accurate sources (192 pairs on Flight's scheduled
        // departures, whose precision fell). Without a shared false value, then, an
        // attribute has no evidence of copying of its own.
        let found_on_attribute =
            |found: &mut AttributeCopyProbabilities, cell: (u32, u32, usize), counts: [u32; 4]| {
                let [_, kf, k1, k2] = counts;
                if self.attributes > 1 && params.copying_by_attribute && kf > 0 {
                    let mut likelihood = [0.0; 3];
                    add(&mut likelihood, cell, [0, kf, k1, k2]);
                    let p = probability(likelihood);
                    if p > ATTRIBUTE_COPYING {
                        found.push(((cell.0, cell.1), cell.2 as u32, p));
                    }
                }
            };
        let mut out = Detected::default();
        if self.dense.is_some() {
            // Rows of the table shared out among threads. A pair's cells come
            // together: each pair is finished when the next begins, and kept if
            // it may be copying (most pairs of many sources are not).
            let pairs_of = |rows: std::ops::Range<u32>| {
                let mut found = Detected::default();
                let mut finish = |pair, likelihood| {
                    let p = probability(likelihood);
                    found.total += p;
                    found.shared += 1;
                    if p > 1e-6 {
                        found.pairs.push((pair, p));
                    }
                };
                let mut current: Option<((u32, u32), [f64; 3])> = None;
                self.for_each_of(rows, |cell, counts| {
                    let pair = (cell.0, cell.1);
                    if current.map(|(p, _)| p) != Some(pair) {
                        if let Some((done, likelihood)) = current.take() {
                            finish(done, likelihood);
                        }
                        current = Some((pair, [0.0; 3]));
                    }
                    if let Some((_, likelihood)) = &mut current {
                        add(likelihood, cell, counts);
                    }
                    found_on_attribute(&mut found.by_attribute, cell, counts);
                });
                if let Some((done, likelihood)) = current {
                    finish(done, likelihood);
                }
                found
            };
            let parts = in_parts(row_ranges(self.sources, threads()), pairs_of);
            // Row ranges in order, each in order of its pairs: the list is sorted.
            out.pairs
                .reserve(parts.iter().map(|part| part.pairs.len()).sum());
            for part in parts {
                out.pairs.extend(part.pairs);
                out.by_attribute.extend(part.by_attribute);
                out.total += part.total;
                out.shared += part.shared;
            }
        } else {
            let mut likelihood: FxHashMap<(u32, u32), [f64; 3]> = FxHashMap::default();
            self.for_each(|cell, counts| {
                add(
                    likelihood.entry((cell.0, cell.1)).or_default(),
                    cell,
                    counts,
                );
                found_on_attribute(&mut out.by_attribute, cell, counts);
            });
            for (pair, l) in likelihood {
                let p = probability(l);
                out.total += p;
                out.shared += 1;
                if p > 1e-6 {
                    out.pairs.push((pair, p));
                }
            }
            out.pairs.sort_unstable_by_key(|&(pair, _)| pair);
            out.by_attribute
                .sort_unstable_by_key(|&(pair, attribute, _)| (pair, attribute));
        }
        // What is not above the pair's own P(copy) changes no discount.
        let pairs = &out.pairs;
        out.by_attribute.retain(|&(pair, _, p)| {
            let over_all = pairs
                .binary_search_by_key(&pair, |&(k, _)| k)
                .map_or(0.0, |i| pairs[i].1);
            p > over_all
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credibility::ClaimGraphBuilder;
    use std::collections::BTreeMap;

    fn cells(pairs: &PairCounts) -> BTreeMap<(u32, u32, usize), [u32; 4]> {
        let mut cells = BTreeMap::new();
        pairs.for_each(|key, counts| {
            cells.insert(key, counts);
        });
        cells
    }

    #[test]
    fn row_ranges_cover_every_row_once_with_about_equal_pairs() {
        for (sources, parts) in [(1, 2), (2, 2), (10, 3), (1000, 2), (7, 8)] {
            let ranges = row_ranges(sources, parts);
            let mut next = 0;
            for range in &ranges {
                assert_eq!(range.start, next, "{sources} sources: {ranges:?}");
                next = range.end;
            }
            assert_eq!(next as usize, sources);
        }
        let ranges = row_ranges(1000, 2);
        let pairs =
            |r: &std::ops::Range<u32>| -> usize { r.clone().map(|a| 999 - a as usize).sum() };
        assert_eq!(ranges.len(), 2);
        assert!(
            pairs(&ranges[0]).abs_diff(pairs(&ranges[1])) < 1000,
            "{ranges:?}"
        );
    }

    #[test]
    fn copy_detection_over_the_table_in_parts_equals_the_map() {
        // Three sources giving the same values everywhere, six that vary.
        let mut b = ClaimGraphBuilder::new();
        for item in 0..30 {
            for source in 0..9 {
                let value = if source < 3 { 0 } else { (item + source) % 4 };
                b.add(
                    &format!("s{source}"),
                    &format!("i{item}"),
                    &value.to_string(),
                    1.0,
                );
            }
        }
        let g = b.build();
        let belief = vote_shares(&g);
        let truth = g.top_values(&belief);
        let params = Params::default();
        let accuracy = Accuracy::estimate(&g, &belief, &params, false);
        let found = |dense: bool| {
            let mut pairs = PairCounts::new(g.source_count(), g.attribute_count());
            if !dense {
                pairs.dense = None;
            }
            pairs.count(&g, &truth);
            let detected = pairs.dependence(&accuracy, &[3.0], &params, params.copy_prior);
            let prior = detected.next_prior(&params);
            let mut found: Vec<((u32, u32), f64)> = detected.pairs.into_iter().collect();
            found.sort_by_key(|(pair, _)| *pair);
            // Every pair of the nine sources shares an item.
            assert_eq!(detected.shared, 36, "dense {dense}");
            (found, prior)
        };
        let ((table, table_prior), (map, map_prior)) = (found(true), found(false));
        assert!(
            (table_prior - map_prior).abs() < 1e-12,
            "{table_prior} {map_prior}"
        );
        // The estimate is the mean P(copy) over the 36 pairs, 0.1 worth 10 pairs.
        let sum: f64 = table.iter().map(|(_, p)| p).sum();
        let below: f64 = map_prior * 46.0 - 1.0 - sum;
        assert!(
            (-1e-9..1e-4).contains(&below),
            "{map_prior}: P(copy) left out {below}"
        );
        assert_eq!(table.len(), map.len());
        for ((pair, p), (other, q)) in table.iter().zip(&map) {
            assert_eq!(pair, other);
            assert!((p - q).abs() < 1e-9, "{pair:?}: {p} against {q}");
        }
        // The three that agree everywhere are found.
        for pair in [(0, 1), (0, 2), (1, 2)] {
            let p = table.iter().find(|(q, _)| *q == pair).map(|(_, p)| *p);
            assert!(
                p.is_some_and(|p| p > REPORTED_DEPENDENCE),
                "{pair:?}: {p:?}"
            );
        }
    }

    #[test]
    fn a_round_of_votes_discounts_dependent_voices_as_the_formula_says() {
        // Sources 0 and 1 depend on each other, 2 and 3 on nobody; values with and
        // without a dependent voice; weights below 1.
        let mut b = ClaimGraphBuilder::new();
        let claims = [
            ("s0", "x", "a", 1.0),
            ("s1", "x", "a", 0.5),
            ("s2", "x", "a", 1.0),
            ("s3", "x", "b", 1.0),
            ("s2", "y", "c", 1.0),
            ("s3", "y", "c", 0.8),
            ("s1", "y", "d", 1.0),
        ];
        for (source, item, value, weight) in claims {
            b.add(source, item, value, weight);
        }
        let g = b.build();
        let params = Params::default();
        let accuracy = Accuracy::estimate(&g, &vote_shares(&g), &params, false);
        let dependence = [((0, 1), 0.6)];
        let discount = Discount::new(4, &Default::default(), &dependence, &[], 0.8);
        let n = [2.0];
        let mut belief = vec![0.0; g.value_count()];
        let mut independence_sum = vec![0.0; 4];
        vote(
            &g,
            &accuracy,
            &n,
            &discount,
            &mut belief,
            &mut independence_sum,
        );

        // The formula: the sources of a value in order of accuracy; each counts
        // ln(n a / (1 - a)) times its weight times the product of 1 - discount with
        // every source before it; beliefs a softmax over n + 1 values.
        let mut expected_sum = [0.0; 4];
        for item in 0..g.item_count() {
            let mut counts = Vec::new();
            for v in g.values_of(item) {
                let mut order: Vec<(u32, f32)> = g
                    .sources_of(v)
                    .iter()
                    .copied()
                    .zip(g.weights_of(v).iter().copied())
                    .collect();
                order.sort_by(|x, y| {
                    accuracy
                        .of(y.0, 0)
                        .total_cmp(&accuracy.of(x.0, 0))
                        .then(x.0.cmp(&y.0))
                });
                let mut count = 0.0;
                for (k, &(s, w)) in order.iter().enumerate() {
                    let independence: f64 = order[..k]
                        .iter()
                        .map(|&(e, _)| 1.0 - discount.get(s, e, 0))
                        .product();
                    expected_sum[s as usize] += independence;
                    let a = accuracy.of(s, 0);
                    count += (n[0] * a / (1.0 - a)).ln() * w as f64 * independence;
                }
                counts.push(count);
            }
            let z: f64 =
                counts.iter().map(|c| c.exp()).sum::<f64>() + (n[0] + 1.0 - counts.len() as f64);
            for (v, c) in g.values_of(item).zip(&counts) {
                assert!((belief[v] - c.exp() / z).abs() < 1e-12, "value {v}");
            }
        }
        for s in 0..4 {
            assert!((independence_sum[s] - expected_sum[s]).abs() < 1e-12);
        }
        // Of the two dependent sources, the less accurate counts 1 - 0.8 * 0.6 of
        // itself on x (s0 claims only x; s1 also d, where it counts in full).
        let (counted, discounted) = if accuracy.of(0, 0) >= accuracy.of(1, 0) {
            (independence_sum[0], independence_sum[1] - 1.0)
        } else {
            (independence_sum[1] - 1.0, independence_sum[0])
        };
        assert!((counted - 1.0).abs() < 1e-6, "{counted}");
        assert!((discounted - 0.52).abs() < 1e-6, "{discounted}");
    }

    #[test]
    fn pairs_tallied_by_source_sets_equal_pairs_counted_claim_by_claim() {
        // Copiers (sources 0 to 2) make shared sets; source 5 gives two values of
        // some items; two attributes; one item without a value taken as true.
        let mut b = ClaimGraphBuilder::new();
        for item in 0..40 {
            let name = format!("i{item}/a{}", item % 2);
            for source in 0..6 {
                let value = if source < 3 {
                    item % 3
                } else {
                    (item + source) % 4
                };
                b.add(&format!("s{source}"), &name, &value.to_string(), 1.0);
            }
            if item % 3 == 0 {
                b.add("s5", &name, "9", 1.0);
            }
        }
        let g = b.build();
        assert!(g.set_count() < g.value_count());
        let mut truth = g.top_values(&vote_shares(&g));
        truth[7] = None;
        let mut table = PairCounts::new(g.source_count(), g.attribute_count());
        table.count(&g, &truth);
        let mut map = PairCounts::new(g.source_count(), g.attribute_count());
        map.dense = None;
        map.count(&g, &truth);
        for kind in 0..4 {
            assert!(cells(&map).values().any(|c| c[kind] > 0), "kind {kind}");
        }
        assert_eq!(cells(&table), cells(&map));
    }

    /// P(copy) of a pair by Bayes' rule over the likelihoods as Dong, Berti-Equille
    /// and Srivastava write them: kt items agreeing on the true value, kf on the
    /// same false one, k1 + k2 differing; accuracies a1, a2; n false values.
    fn published_copy_probability(counts: [u32; 4], (a1, a2, n): (f64, f64, f64)) -> f64 {
        let params = Params::default();
        let (c, prior) = (params.copy_rate, params.copy_prior);
        let [kt, kf, k1, k2] = counts.map(f64::from);
        let kd = k1 + k2;
        let (pt, pf) = (a1 * a2, (1.0 - a1) * (1.0 - a2) / n);
        let pd = 1.0 - pt - pf;
        let independent = pt.powf(kt) * pf.powf(kf) * pd.powf(kd);
        let copying = |copied: f64| {
            (copied * c + pt * (1.0 - c)).powf(kt)
                * ((1.0 - copied) * c + pf * (1.0 - c)).powf(kf)
                * (pd * (1.0 - c)).powf(kd)
        };
        let copy = prior / 2.0 * (copying(a2) + copying(a1));
        copy / (copy + (1.0 - prior) * independent)
    }

    fn assert_probability(p: f64, expected: f64, what: &str) {
        if expected > 1e-6 {
            assert!(
                (p - expected).abs() < 1e-9 * expected.max(1e-3),
                "{what}: {p} against {expected}"
            );
        } else {
            assert_eq!(p, 0.0, "{what}: below the threshold, left out");
        }
    }

    #[test]
    fn copy_probability_is_bayes_rule_over_the_published_likelihoods() {
        let (a1, a2, n) = (0.8, 0.6, 4.0);
        let params = Params::default();
        let accuracy = Accuracy {
            attributes: 1,
            overall: vec![a1, a2],
            by_attribute: vec![a1, a2],
            evidence: vec![(0.0, 0.0); 2],
        };
        for counts in [[30, 5, 2, 1], [10, 0, 6, 3], [0, 4, 0, 0], [50, 0, 0, 0]] {
            let mut pairs = PairCounts::new(2, 1);
            pairs.dense = None;
            pairs.sparse.insert((0, 1, 0), counts);
            let found = pairs.dependence(&accuracy, &[n], &params, params.copy_prior);
            assert!(
                found.by_attribute.is_empty(),
                "one attribute: the pair's own"
            );
            let p = found.pairs.first().map_or(0.0, |&(pair, p)| {
                assert_eq!(pair, (0, 1));
                p
            });
            assert_probability(
                p,
                published_copy_probability(counts, (a1, a2, n)),
                &format!("{counts:?}"),
            );
        }
    }

    /// Two sources that share the same wrong value on many items of one attribute
    /// and differ on most items of another: over all their items they do not look
    /// like copiers, on the first attribute they do (Bayes' rule over that
    /// attribute's counts, agreement on true values left out), and a vote on that
    /// attribute is discounted by the larger of the two.
    #[test]
    fn copying_on_one_attribute_is_bayes_rule_over_its_items_alone() {
        let (a1, a2, n) = (0.8, 0.6, 4.0);
        let params = Params::default();
        let accuracy = Accuracy {
            attributes: 2,
            overall: vec![a1, a2],
            by_attribute: vec![a1, a1, a2, a2],
            evidence: vec![(0.0, 0.0); 2],
        };
        let (times, gates) = ([6, 8, 1, 0], [2, 0, 20, 10]);
        for dense in [true, false] {
            let mut pairs = PairCounts::new(2, 2);
            if dense {
                let (t, g) = (pairs.cell(0, 1, 0), pairs.cell(0, 1, 1));
                let table = pairs.dense.as_mut().unwrap();
                (table[t], table[g]) = (times, gates);
            } else {
                pairs.dense = None;
                pairs.sparse.insert((0, 1, 0), times);
                pairs.sparse.insert((0, 1, 1), gates);
            }
            let found = pairs.dependence(&accuracy, &[n, n], &params, params.copy_prior);
            // With the same accuracies on both attributes the pair's likelihoods
            // are those of the summed counts.
            let summed = std::array::from_fn(|k| times[k] + gates[k]);
            let over_all = published_copy_probability(summed, (a1, a2, n));
            let without_true = |[_, kf, k1, k2]: [u32; 4]| [0, kf, k1, k2];
            let on_times = published_copy_probability(without_true(times), (a1, a2, n));
            assert!(over_all < 0.01 && on_times > 0.99, "{over_all} {on_times}");
            let pair = found.pairs.first().map_or(0.0, |&(_, p)| p);
            assert_probability(pair, over_all, "over all items");
            let on = |attribute: u32| {
                found
                    .by_attribute
                    .iter()
                    .find(|&&(pair, a, _)| pair == (0, 1) && a == attribute)
                    .map_or(0.0, |&(_, _, p)| p)
            };
            assert_probability(on(0), on_times, "on the times");
            assert_probability(
                on(1),
                published_copy_probability(without_true(gates), (a1, a2, n)),
                "on the gates",
            );
            let discount = Discount::new(
                2,
                &Default::default(),
                &found.pairs,
                &found.by_attribute,
                0.9,
            );
            for (a, b) in [(0, 1), (1, 0)] {
                let d = discount.get(a, b, 0);
                assert!((d - 0.9 * on_times).abs() < 1e-6, "{d} on the times");
                assert_eq!(discount.get(a, b, 1), 0.0, "nothing on the gates");
            }
        }
    }

    /// Four sources, two attributes: 0 and 1 copy over all their items (0.5), and on
    /// attribute 1 more (0.95) and on attribute 0 less (0.2, below what holds over
    /// all); 1 and 2 are declared dependent; 2 and 3 copy on attribute 0 only. The
    /// discount on each attribute is the larger of the two, in either order of the
    /// pair, with the pairs in a matrix or a map.
    #[test]
    fn a_vote_on_an_attribute_is_discounted_by_the_larger_dependence() {
        let declared: rustc_hash::FxHashSet<(u32, u32)> = [(1, 2)].into_iter().collect();
        let over_all = [((0, 1), 0.5)];
        let on_attribute = [((0, 1), 0, 0.2), ((0, 1), 1, 0.95), ((2, 3), 0, 0.99)];
        let c = 0.9;
        let expected = |a: u32, b: u32, attribute: usize| match ((a.min(b), a.max(b)), attribute) {
            ((0, 1), 0) => c * 0.5,
            ((0, 1), 1) => c * 0.95,
            ((1, 2), _) => 1.0,
            ((2, 3), 0) => c * 0.99,
            _ => 0.0,
        };
        for dense in [true, false] {
            let discount = Discount::laid_out(4, dense, &declared, &over_all, &on_attribute, c);
            for a in 0..4 {
                for b in (0..4).filter(|&b| b != a) {
                    for attribute in 0..2 {
                        let d = discount.get(a, b, attribute);
                        assert!(
                            (d - expected(a, b, attribute)).abs() < 1e-6,
                            "dense {dense}: {a}, {b} on {attribute}: {d}"
                        );
                    }
                }
            }
            assert_eq!(discount.dependent(4), [true; 4]);
            // Without the copying on one attribute, 3 depends on nobody.
            let discount = Discount::laid_out(4, dense, &declared, &over_all, &[], c);
            assert_eq!(discount.dependent(4), [true, true, true, false]);
        }
    }

    #[test]
    fn counting_again_only_the_changed_items_gives_the_full_count() {
        let mut b = ClaimGraphBuilder::new();
        for item in 0..12 {
            for source in 0..5 {
                if (item + source) % 4 != 0 {
                    let value = (item * source) % 3;
                    b.add(
                        &format!("s{source}"),
                        &format!("i{item}/a{}", item % 2),
                        &value.to_string(),
                        1.0,
                    );
                }
            }
        }
        let g = b.build();
        let first: Vec<Option<usize>> =
            (0..g.item_count()).map(|i| g.values_of(i).next()).collect();
        let mut second = first.clone();
        for (i, truth) in second.iter_mut().enumerate().step_by(5) {
            *truth = g.values_of(i).last();
        }
        assert_ne!(first, second);
        for dense in [true, false] {
            let mut pairs = PairCounts::new(g.source_count(), g.attribute_count());
            if !dense {
                pairs.dense = None;
            }
            pairs.count(&g, &first);
            pairs.recount(&g, &first, &second);
            let mut fresh = PairCounts::new(g.source_count(), g.attribute_count());
            if !dense {
                fresh.dense = None;
            }
            fresh.count(&g, &second);
            assert!(!cells(&fresh).is_empty());
            assert_eq!(cells(&pairs), cells(&fresh), "dense: {dense}");
        }
    }
}
