//! Credibility: truth discovery over the claim graph, track records, Admiralty grades.
//!
//! Every method takes a [`ClaimGraph`] (sources, items, mutually exclusive values,
//! claims) and gives a trust per source and a belief per value ([`Outcome`]). The six
//! published methods follow their papers with the published defaults; the default,
//! [`Method::DependenceAware`], is credgraph's own (see [`dependence_aware`]).

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
pub mod scores;
pub mod sums;
pub mod track_record;
pub mod truth_finder;
pub mod voting;

pub use graph::{ClaimGraph, ClaimGraphBuilder};

use crate::error::{Error, Result};

/// A truth-discovery method, by the name `--method` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    DependenceAware,
    Voting,
    Sums,
    AverageLog,
    Investment,
    PooledInvestment,
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
        match self {
            Method::DependenceAware => {
                dependence_aware::run(graph, &dependence_aware::Params::default()).0
            }
            Method::Voting => voting::run(graph),
            Method::Sums => sums::run(graph),
            Method::AverageLog => average_log::run(graph),
            Method::Investment => investment::run(graph),
            Method::PooledInvestment => pooled_investment::run(graph),
            Method::TruthFinder => truth_finder::run(graph),
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
}

impl Outcome {
    pub fn new(trust: Vec<f64>, belief: Vec<f64>, rounds: usize) -> Self {
        Outcome {
            trust,
            belief,
            rounds,
        }
    }
}

/// Sets `out[i] = f(i)` for every i, the slice shared out among threads.
pub(crate) fn fill(out: &mut [f64], f: impl Fn(usize) -> f64 + Sync) {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    if threads == 1 || out.len() < 4096 {
        out.iter_mut().enumerate().for_each(|(i, x)| *x = f(i));
        return;
    }
    let chunk = out.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        for (c, part) in out.chunks_mut(chunk).enumerate() {
            scope.spawn(move || {
                for (i, x) in part.iter_mut().enumerate() {
                    *x = f(c * chunk + i);
                }
            });
        }
    });
}

/// Divides every entry by the largest, so the largest becomes 1 (nothing when all
/// are zero).
pub(crate) fn scale_to_max(values: &mut [f64]) {
    let max = values.iter().copied().fold(0.0, f64::max);
    if max > 0.0 {
        values.iter_mut().for_each(|v| *v /= max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
