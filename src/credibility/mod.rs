//! Credibility: truth discovery over the claim graph, track records, Admiralty grades.
//!
//! Every method takes a [`ClaimGraph`] (sources, items, mutually exclusive values,
//! claims) and gives a trust per source and a belief per value ([`Outcome`]). The six
//! published methods follow their papers with the published defaults; the default,
//! [`Method::DependenceAware`], is credgraph's own (see [`dependence_aware`]).

pub mod attributes;
pub mod average_log;
pub mod case;
pub mod claim_tables;
pub mod dependence_aware;
pub mod evaluate;
pub mod explain;
pub mod grades;
pub mod graph;
pub mod investment;
pub mod pooled_investment;
pub mod predictions;
pub mod related;
pub mod scores;
pub mod sums;
pub mod track_record;
pub mod truth_finder;
pub mod voting;

pub use graph::{ClaimGraph, ClaimGraphBuilder};

use crate::error::{Error, Result};

/// A truth-discovery method, by the name `--method` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Method {
    DependenceAware,
    Voting,
    Sums,
    AverageLog,
    Investment,
    PooledInvestment,
    #[value(name = "truthfinder")]
    TruthFinder,
}

impl Method {
    pub const ALL: [Method; 7] = [
        Method::DependenceAware,
        Method::Voting,
        Method::Sums,
        Method::AverageLog,
        Method::Investment,
        Method::PooledInvestment,
        Method::TruthFinder,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Method::DependenceAware => "dependence-aware",
            Method::Voting => "voting",
            Method::Sums => "sums",
            Method::AverageLog => "average-log",
            Method::Investment => "investment",
            Method::PooledInvestment => "pooled-investment",
            Method::TruthFinder => "truthfinder",
        }
    }

    /// Parses one method name, or `all`.
    pub fn parse_list(name: &str) -> Result<Vec<Method>> {
        if name == "all" {
            return Ok(Method::ALL.to_vec());
        }
        name.split(',')
            .map(|one| {
                let one = one.trim();
                Method::ALL
                    .into_iter()
                    .find(|m| m.name() == one)
                    .ok_or_else(|| {
                        Error::invalid(format!(
                            "unknown method '{one}'; the methods are {}, or all",
                            Method::ALL.map(Method::name).join(", ")
                        ))
                    })
            })
            .collect()
    }

    /// Runs the method with its default parameters.
    pub fn run(self, graph: &ClaimGraph) -> Outcome {
        self.run_with(graph, &Stopping::default())
    }

    /// Runs the method with its default parameters but for when its rounds stop.
    pub fn run_with(self, graph: &ClaimGraph, stopping: &Stopping) -> Outcome {
        match self {
            Method::DependenceAware => {
                dependence_aware::run(
                    graph,
                    &dependence_aware::Params::default().stopping(stopping),
                )
                .0
            }
            Method::Voting => voting::run(graph),
            Method::Sums => sums::run_until(graph, stopping.or(sums::ROUNDS, sums::TOLERANCE)),
            Method::AverageLog => {
                average_log::run_until(graph, stopping.or(sums::ROUNDS, sums::TOLERANCE))
            }
            Method::Investment => investment::run_until(
                graph,
                stopping.or(investment::ROUNDS, investment::TOLERANCE),
            ),
            Method::PooledInvestment => pooled_investment::run_until(
                graph,
                stopping.or(pooled_investment::ROUNDS, pooled_investment::TOLERANCE),
            ),
            Method::TruthFinder => truth_finder::run_until(
                graph,
                stopping.or(truth_finder::MAX_ROUNDS, truth_finder::TOLERANCE),
            ),
        }
    }
}

/// When an iterative method's rounds stop, as `--max-rounds` and `--tolerance` set
/// it; what is not set keeps the method's own (see each method's file).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Stopping {
    /// Rounds run at most.
    pub max_rounds: Option<usize>,
    /// The rounds stop once no source's trust moves by more than this in a round.
    pub tolerance: Option<f64>,
}

impl Stopping {
    /// This, with a method's own cap and tolerance where it sets none.
    pub fn or(&self, max_rounds: usize, tolerance: f64) -> Rounds {
        Rounds {
            max: self.max_rounds.unwrap_or(max_rounds),
            tolerance: self.tolerance.unwrap_or(tolerance),
        }
    }
}

/// The cap on rounds and the tolerance one run of a method uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rounds {
    pub max: usize,
    pub tolerance: f64,
}

impl Rounds {
    /// Exactly `rounds` rounds: a tolerance of zero never ends them early.
    pub fn exactly(rounds: usize) -> Self {
        Rounds {
            max: rounds,
            tolerance: 0.0,
        }
    }

    /// The outcome of a run that ran `rounds` rounds, the last moving trust by
    /// `moved` (converged when that is below the tolerance).
    pub fn outcome(&self, trust: Vec<f64>, belief: Vec<f64>, rounds: usize, moved: f64) -> Outcome {
        Outcome {
            trust,
            belief,
            rounds,
            converged: moved < self.tolerance,
            max_rounds: self.max,
        }
    }
}

/// What a method computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Per source; the scale is the method's own (only the dependence-aware method
    /// gives a probability).
    pub trust: Vec<f64>,
    /// Per value.
    pub belief: Vec<f64>,
    /// Rounds run.
    pub rounds: usize,
    /// Whether the last round moved no source's trust by more than the tolerance
    /// (voting, which has no rounds, always converges).
    pub converged: bool,
    /// The cap on rounds the run had.
    pub max_rounds: usize,
}

impl Outcome {
    /// Stopped at the cap without converging.
    pub fn hit_cap(&self) -> bool {
        !self.converged && self.rounds >= self.max_rounds
    }
}

/// The largest difference between two trust vectors, entry by entry.
pub(crate) fn largest_move(before: &[f64], after: &[f64]) -> f64 {
    before
        .iter()
        .zip(after)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
}

/// Into how many parts a pass over the claims is split: one per thread of the
/// pool the passes share (rayon's, whose threads live as long as the process, so
/// each keeps its memory between passes).
pub(crate) fn threads() -> usize {
    rayon::current_num_threads().clamp(1, 8)
}

/// `f` of each part, the parts shared out among the pool's threads; the results in
/// the order of the parts.
pub(crate) fn in_parts<T: Send, R: Send>(
    parts: Vec<T>,
    f: impl Fn(T) -> R + Sync + Send,
) -> Vec<R> {
    use rayon::prelude::*;
    if parts.len() <= 1 {
        return parts.into_iter().map(f).collect();
    }
    parts.into_par_iter().map(f).collect()
}

/// 0..len cut into `parts` consecutive ranges of about equal length (the last ones
/// may be empty).
pub(crate) fn equal_ranges(len: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let chunk = len.div_ceil(parts.max(1)).max(1);
    (0..parts.max(1))
        .map(|k| (k * chunk).min(len)..((k + 1) * chunk).min(len))
        .collect()
}

/// Sets `out[i] = f(i)` for every i, the slice shared out among threads.
pub(crate) fn fill(out: &mut [f64], f: impl Fn(usize) -> f64 + Sync) {
    let threads = threads();
    if threads == 1 || out.len() < 4096 {
        out.iter_mut().enumerate().for_each(|(i, x)| *x = f(i));
        return;
    }
    let mut parts = Vec::with_capacity(threads);
    let mut rest = &mut out[..];
    for range in equal_ranges(rest.len(), threads) {
        let (part, tail) = rest.split_at_mut(range.len());
        parts.push((range.start, part));
        rest = tail;
    }
    let f = &f;
    in_parts(parts, |(first, part)| {
        for (i, x) in part.iter_mut().enumerate() {
            *x = f(first + i);
        }
    });
}

/// For every source set, `f` of the sum of `per_source` over its sources.
pub(crate) fn sum_by_set(
    graph: &ClaimGraph,
    per_source: &[f64],
    f: impl Fn(f64) -> f64 + Sync,
) -> Vec<f64> {
    let mut out = vec![0.0; graph.set_count()];
    fill(&mut out, |set| {
        f(graph
            .set_sources(set)
            .iter()
            .map(|&s| per_source[s as usize])
            .sum())
    });
    out
}

/// For every value, `f` of the sum of `per_source` over the sources claiming it:
/// taken once per source set, then handed to the set's values.
pub(crate) fn sum_by_value(
    graph: &ClaimGraph,
    per_source: &[f64],
    out: &mut [f64],
    f: impl Fn(f64) -> f64 + Sync,
) {
    set_to_values(graph, &sum_by_set(graph, per_source, f), out)
}

/// Gives every value what its source set has in `per_set`.
pub(crate) fn set_to_values(graph: &ClaimGraph, per_set: &[f64], out: &mut [f64]) {
    let sets = graph.value_sets();
    fill(out, |v| per_set[sets[v] as usize])
}

/// A table of `len` sums, each range of values adding into it with `add`. The
/// values are shared out among threads in equal ranges, each adding into a table
/// of its own (one part for small graphs), and the tables then add up in order.
pub(crate) fn sum_over_values(
    graph: &ClaimGraph,
    len: usize,
    add: impl Fn(std::ops::Range<usize>, &mut [f64]) + Sync,
) -> Vec<f64> {
    let part = |values: std::ops::Range<usize>| {
        let mut sums = vec![0.0; len];
        add(values, &mut sums);
        sums
    };
    let threads = threads();
    let values = graph.value_count();
    if threads == 1 || values < 1 << 14 {
        return part(0..values);
    }
    let mut sums = vec![0.0; len];
    for part in in_parts(equal_ranges(values, threads), part) {
        for (total, x) in sums.iter_mut().zip(part) {
            *total += x;
        }
    }
    sums
}

/// For every source set, the sum of `f(v)` over its values v.
pub(crate) fn sum_over_sets(graph: &ClaimGraph, f: impl Fn(usize) -> f64 + Sync) -> Vec<f64> {
    let sets = graph.value_sets();
    sum_over_values(graph, graph.set_count(), |values, sums| {
        for v in values {
            sums[sets[v] as usize] += f(v);
        }
    })
}

/// For every source, the sum of `f(v)` over the values v it claims: `f` summed
/// over each source set's values, then each set's sum added to its sources.
pub(crate) fn sum_by_source(graph: &ClaimGraph, f: impl Fn(usize) -> f64 + Sync) -> Vec<f64> {
    let per_set = sum_over_sets(graph, f);
    let mut sums = vec![0.0; graph.source_count()];
    for (set, &x) in per_set.iter().enumerate() {
        for &s in graph.set_sources(set) {
            sums[s as usize] += x;
        }
    }
    sums
}

/// Divides every entry by the largest, so the largest becomes 1, and returns the
/// divisor (1, dividing nothing, when all are zero).
pub(crate) fn scale_to_max(values: &mut [f64]) -> f64 {
    let max = values.iter().copied().fold(0.0, f64::max);
    if max > 0.0 {
        values.iter_mut().for_each(|v| *v /= max);
        max
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A graph of `claims` claims by 7 sources, three per item, values varying and
    /// often shared (so values of one source set have several sources).
    fn spread_graph(claims: usize) -> ClaimGraph {
        let mut b = ClaimGraphBuilder::new();
        for k in 0..claims {
            let item = k / 3;
            b.add(
                &format!("s{}", (item + k % 3) % 7),
                &format!("i{item}"),
                &format!("v{}", (k * 7919) % 5 / 2),
                1.0,
            );
        }
        b.build()
    }

    #[test]
    fn sums_by_source_in_parts_equal_the_sums_over_each_source_claims() {
        // Enough claims that the sums are taken in parts on several threads.
        let g = spread_graph(100_000);
        let f = |v: usize| 1.0 / (v as f64 + 1.0);
        let sums = sum_by_source(&g, f);
        for (s, &sum) in sums.iter().enumerate() {
            let direct: f64 = g.claims_of(s).iter().map(|&v| f(v as usize)).sum();
            assert!((sum - direct).abs() <= 1e-9 * direct, "{s}: {sum} {direct}");
        }
    }

    #[test]
    fn sums_by_value_equal_the_sums_over_each_value_sources() {
        let g = spread_graph(100_000);
        let per_source: Vec<f64> = (0..g.source_count()).map(|s| 1.5 + s as f64).collect();
        let mut out = vec![0.0; g.value_count()];
        sum_by_value(&g, &per_source, &mut out, |x| 2.0 * x);
        for (v, &x) in out.iter().enumerate() {
            let direct: f64 = g
                .sources_of(v)
                .iter()
                .map(|&s| per_source[s as usize])
                .sum();
            assert_eq!(x, 2.0 * direct, "value {v}");
        }
    }

    #[test]
    fn method_names_parse_back() {
        for m in Method::ALL {
            assert_eq!(Method::parse_list(m.name()).unwrap(), [m]);
        }
        assert_eq!(Method::parse_list("all").unwrap().len(), 7);
        let err = Method::parse_list("magic").unwrap_err().to_string();
        assert!(err.contains("unknown method 'magic'"), "{err}");
    }
}
