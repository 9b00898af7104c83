//! Track record: for propositions that were resolved (confirmed or refuted), how
//! often a source called them right, as a Beta posterior over its accuracy from a
//! uniform prior Beta(1, 1): mean (right + 1) / (calls + 2) and the central 90%
//! interval. Two right calls give mean 0.75 and an interval from about 0.34 to 0.98;
//! ninety right calls out of a hundred give 0.89, from 0.84 to 0.93. Ranking by the
//! interval's lower bound puts the long record first.

use super::dependence_aware::beta_interval;

/// One source's record.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackRecord {
    pub right: u32,
    pub calls: u32,
    pub mean: f64,
    pub lower: f64,
    pub upper: f64,
}

impl TrackRecord {
    pub fn new(right: u32, calls: u32) -> Self {
        let wrong = calls.saturating_sub(right);
        let (alpha, beta) = (1.0 + right as f64, 1.0 + wrong as f64);
        let (lower, upper) = beta_interval(alpha, beta, 0.90);
        TrackRecord {
            right,
            calls,
            mean: alpha / (alpha + beta),
            lower,
            upper,
        }
    }
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
}
