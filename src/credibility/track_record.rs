//! Track record: for propositions that were resolved, how often a source called them
//! right, as a Beta posterior over its accuracy.
//!
//! - **Graded calls.** A resolution's truth degree (`cg:truthDegree`: 1 confirmed,
//!   0 refuted, "mostly true" 0.75, "half true" 0.5, as `lexicon/ratings.tsv` maps
//!   fact-checkers' words) is how right a call asserting the proposition was; a call
//!   denying it was right by one minus that. Where several reviewers resolved one
//!   proposition, the call counts the mean of their degrees, and is marked
//!   *disagreed* when their degrees lie half the scale or more apart (one found it
//!   true, another false or mostly false).
//! - **Priors from groups.** A source's record starts from a prior worth `k` calls
//!   whose mean is its group's record, so a newcomer with one reviewed claim is not
//!   judged on it alone. The group is the political party (`cg:memberOfParty`) or
//!   the institution (`cg:institution`) whose other members made the most calls;
//!   a group's mean leaves the source itself out and is drawn towards the mean of
//!   every source by two calls' worth (a group's own calls are many). A source in
//!   no group starts from the mean of every source.
//! - **How strong the prior is.** `k` comes from the data (Bühlmann's credibility,
//!   by the method of moments): the spread of one source's calls against the spread
//!   of the sources' accuracies around their priors' means, beyond what chance alone
//!   would give. Where sources differ widely from their groups the prior is weak;
//!   where they call as their groups do it is strong; it is bounded to 2 to 50
//!   calls. With
//!   fewer than three sources that made two calls or more, `k` is 2, which with a
//!   mean of one half is the uniform prior Beta(1, 1).
//!
//! Two right calls from a uniform prior give mean 0.75 and an interval from about
//! 0.34 to 0.98; ninety right calls out of a hundred give 0.89, from 0.84 to 0.93.
//! Ranking by the interval's lower bound puts the long record first.

use super::dependence_aware::beta_interval;
use rustc_hash::FxHashMap;

/// Degrees this far apart or more are reviewers disagreeing.
pub const DISAGREEMENT: f64 = 0.5;
/// Bounds of the prior's strength, in calls.
const STRENGTH: (f64, f64) = (2.0, 50.0);

/// One source's resolved calls, before any prior.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    /// Calls right, partly right ones counted by their degree.
    pub right: f64,
    pub calls: u32,
    /// Calls whose reviewers disagree.
    pub disagreed: u32,
    /// The sum of the squares of the calls' credits, for their spread.
    pub squares: f64,
}

impl Tally {
    /// Adds a call right by `credit` (0 to 1).
    pub fn add(&mut self, credit: f64, disagreed: bool) {
        let credit = credit.clamp(0.0, 1.0);
        self.right += credit;
        self.squares += credit * credit;
        self.calls += 1;
        self.disagreed += disagreed as u32;
    }
}

/// Where a record starts: a mean worth `strength` calls, and the group it is from.
#[derive(Debug, Clone, PartialEq)]
pub struct Prior {
    pub mean: f64,
    pub strength: f64,
    pub from: Option<String>,
}

impl Prior {
    /// Beta(1, 1).
    pub fn uniform() -> Prior {
        Prior {
            mean: 0.5,
            strength: 2.0,
            from: None,
        }
    }
}

/// One source's record.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackRecord {
    pub right: f64,
    pub calls: u32,
    pub disagreed: u32,
    pub prior: Prior,
    pub mean: f64,
    pub lower: f64,
    pub upper: f64,
}

impl TrackRecord {
    /// `right` of `calls` from the uniform prior.
    pub fn new(right: u32, calls: u32) -> Self {
        let tally = Tally {
            right: right as f64,
            calls,
            disagreed: 0,
            squares: right as f64,
        };
        Self::with_prior(tally, Prior::uniform())
    }

    pub fn with_prior(tally: Tally, prior: Prior) -> Self {
        let wrong = (tally.calls as f64 - tally.right).max(0.0);
        let alpha = prior.mean * prior.strength + tally.right;
        let beta = (1.0 - prior.mean) * prior.strength + wrong;
        let (lower, upper) = beta_interval(alpha, beta, 0.90);
        TrackRecord {
            right: tally.right,
            calls: tally.calls,
            disagreed: tally.disagreed,
            prior,
            mean: alpha / (alpha + beta),
            lower,
            upper,
        }
    }
}

/// The records of sources with calls, each from the prior of its best group.
/// `groups[s]` names the groups source `s` belongs to.
pub fn records(tallies: &[Tally], groups: &[Vec<&str>]) -> Vec<Option<TrackRecord>> {
    let (right, calls) = tallies
        .iter()
        .fold((0.0, 0.0), |(r, c), t| (r + t.right, c + t.calls as f64));
    let overall = (right + 1.0) / (calls + 2.0);
    // Each group's sums over its members.
    let mut sums: FxHashMap<&str, (f64, f64)> = FxHashMap::default();
    for (s, tally) in tallies.iter().enumerate() {
        for &group in groups.get(s).map(Vec::as_slice).unwrap_or_default() {
            let sum = sums.entry(group).or_default();
            sum.0 += tally.right;
            sum.1 += tally.calls as f64;
        }
    }
    // Each source's prior mean: its best group's record without it, drawn towards
    // every source's by the weakest prior (a group's own calls are many).
    let means: Vec<(f64, Option<&str>)> = tallies
        .iter()
        .enumerate()
        .map(|(s, tally)| {
            // The group whose other members made the most calls.
            let best = groups
                .get(s)
                .into_iter()
                .flatten()
                .map(|&g| {
                    let (r, c) = sums[g];
                    (g, r - tally.right, c - tally.calls as f64)
                })
                .filter(|&(_, _, others)| others > 0.0)
                .max_by(|a, b| a.2.total_cmp(&b.2).then_with(|| b.0.cmp(a.0)));
            match best {
                Some((group, r, c)) => ((r + overall * STRENGTH.0) / (c + STRENGTH.0), Some(group)),
                None => (overall, None),
            }
        })
        .collect();
    let strength = prior_strength(
        &tallies
            .iter()
            .zip(&means)
            .map(|(t, (m, _))| (*t, *m))
            .collect::<Vec<_>>(),
    );
    tallies
        .iter()
        .zip(means)
        .map(|(tally, (mean, from))| {
            (tally.calls > 0).then(|| {
                let prior = Prior {
                    mean,
                    strength,
                    from: from.map(str::to_string),
                };
                TrackRecord::with_prior(*tally, prior)
            })
        })
        .collect()
}

/// How many calls the prior is worth: Bühlmann's `k = σ² / τ²`, where `σ²` is the
/// spread of one source's calls around its own accuracy (pooled over sources) and
/// `τ²` the spread of the sources' accuracies around their priors' means, each
/// estimated by the method of moments: the observed spread of accuracies less the
/// part that few calls alone explain. For right-or-wrong calls this is the
/// beta-binomial's `m (1 - m) / τ² - 1`; graded calls spread less than right and
/// wrong ones, and `σ²` follows them. Each source comes with its prior's mean.
/// Bounded to [`STRENGTH`].
pub fn prior_strength(sources: &[(Tally, f64)]) -> f64 {
    let observed: Vec<(&Tally, f64)> = sources
        .iter()
        .filter(|(t, _)| t.calls >= 2)
        .map(|(t, m)| (t, *m))
        .collect();
    if observed.len() < 3 {
        return STRENGTH.0;
    }
    let count = observed.len() as f64;
    let n: f64 = observed.iter().map(|(t, _)| t.calls as f64).sum();
    let within: f64 = observed
        .iter()
        .map(|(t, _)| (t.squares - t.right * t.right / t.calls as f64).max(0.0))
        .sum::<f64>()
        / (n - count);
    let spread: f64 = observed
        .iter()
        .map(|(t, m)| t.calls as f64 * (t.right / t.calls as f64 - m).powi(2))
        .sum();
    let between = (spread - count * within) / n;
    if between.is_nan() || between <= 0.0 {
        return STRENGTH.1;
    }
    (within / between).clamp(STRENGTH.0, STRENGTH.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_right_calls_do_not_outrank_ninety_of_a_hundred() {
        let two = TrackRecord::new(2, 2);
        let ninety = TrackRecord::new(90, 100);
        assert!((two.mean - 0.75).abs() < 1e-12);
        assert!((ninety.mean - 91.0 / 102.0).abs() < 1e-12);
        assert!(ninety.lower > two.lower, "{ninety:?} {two:?}");
        assert!(two.upper - two.lower > 0.5);
        assert!(ninety.upper - ninety.lower < 0.11);
        // Beta(3, 1): P(X <= x) = x^3, so the 5% quantile is 0.05^(1/3).
        assert!(
            (two.lower - 0.05f64.powf(1.0 / 3.0)).abs() < 1e-6,
            "{}",
            two.lower
        );
    }

    /// Right-or-wrong calls.
    fn tally(right: f64, calls: u32) -> Tally {
        Tally {
            right,
            calls,
            disagreed: 0,
            squares: right,
        }
    }

    #[test]
    fn a_mostly_true_call_counts_part_of_a_right_one() {
        let mut t = Tally::default();
        t.add(1.0, false);
        t.add(0.75, false);
        t.add(0.0, true);
        assert_eq!(t.calls, 3);
        assert_eq!(t.disagreed, 1);
        assert!((t.right - 1.75).abs() < 1e-12);
        let record = TrackRecord::with_prior(t, Prior::uniform());
        assert!((record.mean - 2.75 / 5.0).abs() < 1e-12);
    }

    #[test]
    fn a_newcomer_starts_from_its_party_and_is_not_judged_on_one_claim() {
        // A party whose members are mostly right, another whose members are mostly
        // wrong; one newcomer in each makes one false claim.
        let mut tallies = Vec::new();
        let mut groups = Vec::new();
        for _ in 0..5 {
            tallies.push(tally(9.0, 10));
            groups.push(vec!["party/a"]);
            tallies.push(tally(2.0, 10));
            groups.push(vec!["party/b"]);
        }
        tallies.push(tally(0.0, 1));
        groups.push(vec!["party/a"]);
        tallies.push(tally(0.0, 1));
        groups.push(vec!["party/b"]);
        tallies.push(tally(0.0, 1));
        groups.push(vec![]);
        let records = records(&tallies, &groups);
        let a = records[10].as_ref().unwrap();
        let b = records[11].as_ref().unwrap();
        let alone = records[12].as_ref().unwrap();
        assert_eq!(a.prior.from.as_deref(), Some("party/a"));
        assert!(a.mean > 0.6, "{a:?}");
        assert!(b.mean < 0.4, "{b:?}");
        assert!(a.mean > alone.mean && alone.mean > b.mean, "{alone:?}");
        assert_eq!(alone.prior.from, None);
        // The group's mean leaves the source out: a member's own calls are not
        // counted twice
        // (four others at 9 of 10 and the newcomer's 0 of 1, against five at 9 of 10).
        let member = records[0].as_ref().unwrap();
        assert!(member.prior.mean < a.prior.mean, "{member:?} {a:?}");
    }

    #[test]
    fn the_prior_is_weak_where_sources_differ_and_strong_where_they_do_not() {
        let differ: Vec<(Tally, f64)> = (0..10)
            .map(|i| (tally(if i % 2 == 0 { 19.0 } else { 1.0 }, 20), 0.5))
            .collect();
        let alike: Vec<(Tally, f64)> = (0..10).map(|_| (tally(10.0, 20), 0.5)).collect();
        assert_eq!(prior_strength(&differ), STRENGTH.0);
        assert_eq!(prior_strength(&alike), STRENGTH.1);
        // Too few sources to tell: the uniform prior's strength.
        assert_eq!(prior_strength(&differ[..2]), STRENGTH.0);
        // Sources that differ only as their groups do: a strong prior around the
        // groups' means.
        let grouped: Vec<(Tally, f64)> = (0..10)
            .map(|i| {
                if i % 2 == 0 {
                    (tally(19.0, 20), 0.95)
                } else {
                    (tally(1.0, 20), 0.05)
                }
            })
            .collect();
        assert_eq!(prior_strength(&grouped), STRENGTH.1);
    }
}
