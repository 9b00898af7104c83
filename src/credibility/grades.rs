//! Grades in the Admiralty code (NATO AJP-2.1, STANAG 2511): a letter for the
//! reliability of a source and a digit for the credibility of a piece of
//! information.
//!
//! | letter | source reliability | default rule |
//! | --- | --- | --- |
//! | A | completely reliable | accuracy ≥ 0.90 |
//! | B | usually reliable | accuracy ≥ 0.80 |
//! | C | fairly reliable | accuracy ≥ 0.65 |
//! | D | not usually reliable | accuracy ≥ 0.50 |
//! | E | unreliable | accuracy < 0.50 |
//! | F | reliability cannot be judged | fewer than 3 claims that another source also speaks to, or that were resolved |
//!
//! | digit | information credibility | default rule |
//! | --- | --- | --- |
//! | 1 | confirmed by other sources | resolved as true, or belief ≥ 0.90 with at least two independent sources |
//! | 2 | probably true | belief ≥ 0.70 |
//! | 3 | possibly true | belief ≥ 0.45 |
//! | 4 | doubtful | belief ≥ 0.20 |
//! | 5 | improbable | belief < 0.20 (more reliable independent sources say otherwise), or resolved as false |
//! | 6 | truth cannot be judged | no independent source other than the speaker's own group speaks to the question, and it is unresolved |
//!
//! Every threshold is a field of [`GradeScale`], set on the command line with
//! `--reliability-thresholds`, `--credibility-thresholds` and `--min-evidence`.

use crate::error::{Error, Result};

/// The thresholds that turn numbers into letters and digits.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeScale {
    /// Lowest accuracy for A, B, C and D (decreasing); below the last is E.
    pub reliability: [f64; 4],
    /// Fewest judged claims for any letter but F.
    pub min_evidence: f64,
    /// Lowest belief for 1, 2, 3 and 4 (decreasing); below the last is 5.
    pub credibility: [f64; 4],
}

impl Default for GradeScale {
    fn default() -> Self {
        GradeScale {
            reliability: [0.90, 0.80, 0.65, 0.50],
            min_evidence: 3.0,
            credibility: [0.90, 0.70, 0.45, 0.20],
        }
    }
}

/// What a resolution says about a value, when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    True,
    False,
}

impl GradeScale {
    /// Parses four decreasing numbers between 0 and 1, comma-separated.
    pub fn parse_thresholds(text: &str, flag: &str) -> Result<[f64; 4]> {
        let numbers: Vec<f64> = text
            .split(',')
            .map(|n| n.trim().parse::<f64>())
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| {
                Error::invalid(format!(
                    "{flag} {text}: not four numbers such as 0.9,0.8,0.65,0.5"
                ))
            })?;
        let [a, b, c, d] = numbers[..] else {
            return Err(Error::invalid(format!(
                "{flag} {text}: give four numbers, one per grade, such as 0.9,0.8,0.65,0.5"
            )));
        };
        let ok = (0.0..=1.0).contains(&a) && a >= b && b >= c && c >= d && d >= 0.0;
        if !ok {
            return Err(Error::invalid(format!(
                "{flag} {text}: the numbers must decrease and lie between 0 and 1"
            )));
        }
        Ok([a, b, c, d])
    }

    /// The reliability letter for an accuracy resting on `evidence` judged claims.
    pub fn reliability(&self, accuracy: f64, evidence: f64) -> char {
        if evidence < self.min_evidence {
            return 'F';
        }
        ['A', 'B', 'C', 'D']
            .into_iter()
            .zip(self.reliability)
            .find(|(_, low)| accuracy >= *low)
            .map(|(letter, _)| letter)
            .unwrap_or('E')
    }

    /// The credibility digit of a value believed with `belief`, claimed by
    /// `independent_sources` groups of mutually independent sources, on an item
    /// that `independent_voices` groups speak to in all.
    pub fn credibility(
        &self,
        belief: f64,
        independent_sources: usize,
        independent_voices: usize,
        resolved: Option<Resolved>,
    ) -> u8 {
        match resolved {
            Some(Resolved::True) => return 1,
            Some(Resolved::False) => return 5,
            None => {}
        }
        if independent_voices < 2 {
            return 6;
        }
        let [confirmed, probable, possible, doubtful] = self.credibility;
        if belief >= confirmed && independent_sources >= 2 {
            1
        } else if belief >= probable {
            2
        } else if belief >= possible {
            3
        } else if belief >= doubtful {
            4
        } else {
            5
        }
    }
}

/// The words of a reliability letter.
pub fn reliability_words(letter: char) -> &'static str {
    match letter {
        'A' => "completely reliable",
        'B' => "usually reliable",
        'C' => "fairly reliable",
        'D' => "not usually reliable",
        'E' => "unreliable",
        _ => "reliability cannot be judged",
    }
}

/// The words of a credibility digit.
pub fn credibility_words(digit: u8) -> &'static str {
    match digit {
        1 => "confirmed by other sources",
        2 => "probably true",
        3 => "possibly true",
        4 => "doubtful",
        5 => "improbable",
        _ => "truth cannot be judged",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_follow_the_thresholds_and_f_needs_evidence() {
        let scale = GradeScale::default();
        assert_eq!(scale.reliability(0.95, 10.0), 'A');
        assert_eq!(scale.reliability(0.85, 10.0), 'B');
        assert_eq!(scale.reliability(0.70, 10.0), 'C');
        assert_eq!(scale.reliability(0.55, 10.0), 'D');
        assert_eq!(scale.reliability(0.30, 10.0), 'E');
        assert_eq!(scale.reliability(0.99, 2.0), 'F');
    }

    #[test]
    fn digits_follow_belief_independence_and_resolution() {
        let scale = GradeScale::default();
        assert_eq!(scale.credibility(0.95, 2, 3, None), 1);
        // Believed, but by one independent group only: not "confirmed".
        assert_eq!(scale.credibility(0.95, 1, 3, None), 2);
        assert_eq!(scale.credibility(0.5, 1, 2, None), 3);
        assert_eq!(scale.credibility(0.3, 1, 2, None), 4);
        assert_eq!(scale.credibility(0.05, 1, 3, None), 5);
        assert_eq!(scale.credibility(0.99, 1, 1, None), 6);
        assert_eq!(scale.credibility(0.1, 1, 1, Some(Resolved::True)), 1);
        assert_eq!(scale.credibility(0.9, 3, 3, Some(Resolved::False)), 5);
    }

    #[test]
    fn thresholds_parse_and_are_checked() {
        assert_eq!(
            GradeScale::parse_thresholds("0.8, 0.6,0.4,0.2", "--x").unwrap(),
            [0.8, 0.6, 0.4, 0.2]
        );
        for bad in ["0.8,0.6", "0.2,0.4,0.6,0.8", "a,b,c,d", "1.5,0.5,0.4,0.1"] {
            assert!(GradeScale::parse_thresholds(bad, "--x").is_err(), "{bad}");
        }
    }
}
