//! Fact-checkers' verdicts as resolutions: the rating words of `lexicon/ratings.tsv`
//! (and of a user's `--ratings` file), and the rule for numeric rating scales.
//!
//! Words win over numbers when the table knows them, because real feeds pair
//! "False" with a `ratingValue` of 5 out of 5; numbers are used when the words are
//! missing or unknown. Words found in neither are never guessed: the review is left
//! out and the words are listed, so that the user can add them to a table.

use crate::error::{Error, Position, Result};
use crate::vocab::cg;
use oxigraph::model::NamedNodeRef;
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

/// The table built into the binary.
const BUILT_IN: &str = include_str!("../../lexicon/ratings.tsv");

/// What a verdict says of the claim's truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Confirmed,
    PartlyConfirmed,
    Refuted,
    /// No verdict on truth: satire, unproven, an explainer.
    Open,
}

impl Status {
    /// The ontology's individual for it.
    pub fn term(self) -> NamedNodeRef<'static> {
        match self {
            Status::Confirmed => cg::CONFIRMED,
            Status::PartlyConfirmed => cg::PARTLY_CONFIRMED,
            Status::Refuted => cg::REFUTED,
            Status::Open => cg::OPEN,
        }
    }

    /// As the ontology labels it: "partly confirmed".
    pub fn label(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::PartlyConfirmed => "partly confirmed",
            Status::Refuted => "refuted",
            Status::Open => "open",
        }
    }

    /// The status of a truth degree from a numeric scale: confirmed from 0.9,
    /// refuted to 0.1, partly confirmed between.
    pub fn of_degree(degree: f64) -> Status {
        if degree >= 0.9 {
            Status::Confirmed
        } else if degree <= 0.1 {
            Status::Refuted
        } else {
            Status::PartlyConfirmed
        }
    }
}

/// A status and how true the claim is, 0 to 1 (none for an open verdict).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub status: Status,
    pub degree: Option<f64>,
}

/// A numeric rating: `ratingValue` on a scale from `worstRating` to `bestRating`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub value: f64,
    pub best: f64,
    pub worst: f64,
}

impl Scale {
    /// schema.org's defaults for a rating without its bounds: 1 to 5.
    pub const DEFAULT_BEST: f64 = 5.0;
    pub const DEFAULT_WORST: f64 = 1.0;

    /// The verdict the scale gives: degree (value - worst) / (best - worst).
    pub fn verdict(self) -> std::result::Result<Verdict, String> {
        let Scale { value, best, worst } = self;
        if !(value.is_finite() && best.is_finite() && worst.is_finite()) || best == worst {
            return Err(format!(
                "the rating scale {} from {} to {} is not a scale",
                number(value),
                number(worst),
                number(best)
            ));
        }
        let degree = (value - worst) / (best - worst);
        if !(0.0..=1.0).contains(&degree) {
            return Err(format!(
                "the rating {} is outside its scale from {} to {}",
                number(value),
                number(worst),
                number(best)
            ));
        }
        Ok(Verdict {
            status: Status::of_degree(degree),
            degree: Some(degree),
        })
    }

    /// As a rating text: "4/5".
    pub fn text(self) -> String {
        format!("{}/{}", number(self.value), number(self.best))
    }
}

/// A number as a person writes it: `4`, `2.5`.
fn number(x: f64) -> String {
    let text = format!("{x:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// A truth degree as an `xsd:decimal` lexical form, to four places.
pub fn decimal(degree: f64) -> String {
    number(degree.clamp(0.0, 1.0))
}

/// Words as the table compares them: lower case, and every run of characters
/// other than letters and digits one space ("Pants on Fire!" is "pants on fire").
pub fn normalize(words: &str) -> String {
    words
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rating table: normalized words to verdicts.
#[derive(Debug, Clone)]
pub struct Ratings {
    words: FxHashMap<String, Verdict>,
}

/// How a review's rating was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Rated {
    pub verdict: Verdict,
    /// The reviewer's own words as published, or the numbers ("4/5") without them.
    pub text: String,
    /// Words the table does not know, when the numbers were used instead.
    pub unknown_words: Option<String>,
}

/// Why a review's rating gives no verdict.
#[derive(Debug, Clone, PartialEq)]
pub enum Unrated {
    /// Neither words nor numbers.
    Missing,
    /// Words the table does not know, and no numbers.
    UnknownWords(String),
    /// Words unknown (if any) and numbers that are not a scale.
    BadScale {
        unknown_words: Option<String>,
        message: String,
    },
}

impl Ratings {
    /// The table of `lexicon/ratings.tsv`, built into the binary.
    pub fn built_in() -> Result<Ratings> {
        let mut ratings = Ratings {
            words: FxHashMap::default(),
        };
        ratings
            .add_rows(Path::new("lexicon/ratings.tsv"), BUILT_IN)
            .map_err(|e| Error::Internal(format!("the built-in rating table: {e}")))?;
        Ok(ratings)
    }

    /// Adds the rows of a user's table, overriding the words it shares with this one.
    pub fn add_file(&mut self, path: &Path) -> Result<()> {
        let bytes = std::fs::read(path).map_err(|e| Error::file(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| Error::Syntax {
            path: path.to_path_buf(),
            position: None,
            message: format!("not UTF-8 text: {e}"),
        })?;
        self.add_rows(path, &text)
    }

    /// Adds the rows of a table's text: comments (`#`) and blank lines, a header
    /// naming the columns rating, status and degree, then one row per rating.
    fn add_rows(&mut self, path: &Path, text: &str) -> Result<()> {
        let error = |line: usize, message: String| Error::Syntax {
            path: PathBuf::from(path),
            position: Some(Position {
                line: line as u64 + 1,
                column: 1,
            }),
            message,
        };
        let mut columns: Option<[usize; 3]> = None;
        let mut seen: FxHashMap<String, usize> = FxHashMap::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            let Some([rating, status, degree]) = columns else {
                let find = |name: &str| fields.iter().position(|f| f.eq_ignore_ascii_case(name));
                let (Some(r), Some(s), Some(d)) = (find("rating"), find("status"), find("degree"))
                else {
                    return Err(error(
                        i,
                        format!(
                            "the first line must name the columns rating, status and degree (tab-separated), not '{}'",
                            crate::error::quoted(line)
                        ),
                    ));
                };
                columns = Some([r, s, d]);
                continue;
            };
            let field = |k: usize| fields.get(k).copied().unwrap_or("");
            let words = normalize(field(rating));
            if words.is_empty() {
                return Err(error(i, "the rating has no letters or digits".into()));
            }
            let status = match field(status).to_ascii_lowercase().as_str() {
                "confirmed" => Status::Confirmed,
                "partly" | "partly confirmed" => Status::PartlyConfirmed,
                "refuted" => Status::Refuted,
                "open" => Status::Open,
                other => {
                    return Err(error(
                        i,
                        format!(
                            "status '{}' is not one of confirmed, partly, refuted, open",
                            crate::error::quoted(other)
                        ),
                    ))
                }
            };
            let degree = match (status, field(degree)) {
                (Status::Open, "") => None,
                (Status::Open, _) => {
                    return Err(error(
                        i,
                        "an open verdict has no degree; leave the column empty".into(),
                    ))
                }
                (_, "") => {
                    return Err(error(
                        i,
                        "the degree is empty: give how true the claim is, 0 to 1".into(),
                    ))
                }
                (_, value) => match value.parse::<f64>() {
                    Ok(d) if (0.0..=1.0).contains(&d) => Some(d),
                    _ => {
                        return Err(error(
                            i,
                            format!(
                                "degree '{}' is not a number from 0 to 1",
                                crate::error::quoted(value)
                            ),
                        ))
                    }
                },
            };
            if let Some(first) = seen.insert(words.clone(), i + 1) {
                return Err(error(i, format!("'{words}' is on line {first} already")));
            }
            self.words.insert(words, Verdict { status, degree });
        }
        if columns.is_none() {
            return Err(Error::Syntax {
                path: path.to_path_buf(),
                position: None,
                message:
                    "no header: the first line must name the columns rating, status and degree"
                        .into(),
            });
        }
        Ok(())
    }

    /// The verdict of rating words, if the table knows them.
    pub fn words(&self, words: &str) -> Option<Verdict> {
        self.words.get(&normalize(words)).copied()
    }

    /// A review's rating: its words when the table knows them, else its numbers.
    pub fn rate(
        &self,
        words: Option<&str>,
        scale: Option<Scale>,
    ) -> std::result::Result<Rated, Unrated> {
        let words = words.map(str::trim).filter(|w| !w.is_empty());
        if let Some(words) = words {
            if let Some(verdict) = self.words(words) {
                return Ok(Rated {
                    verdict,
                    text: words.to_string(),
                    unknown_words: None,
                });
            }
        }
        let unknown_words = words.map(str::to_string);
        let Some(scale) = scale else {
            return Err(match unknown_words {
                Some(words) => Unrated::UnknownWords(words),
                None => Unrated::Missing,
            });
        };
        match scale.verdict() {
            Ok(verdict) => Ok(Rated {
                verdict,
                text: words.map_or_else(|| scale.text(), str::to_string),
                unknown_words,
            }),
            Err(message) => Err(Unrated::BadScale {
                unknown_words,
                message,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(ratings: &Ratings, words: &str) -> (Status, Option<f64>) {
        let v = ratings
            .words(words)
            .unwrap_or_else(|| panic!("{words} is in the table"));
        (v.status, v.degree)
    }

    #[test]
    fn the_truth_o_meter_has_six_levels() {
        let r = Ratings::built_in().unwrap();
        assert_eq!(verdict(&r, "True"), (Status::Confirmed, Some(1.0)));
        assert_eq!(
            verdict(&r, "Mostly True"),
            (Status::PartlyConfirmed, Some(0.75))
        );
        assert_eq!(
            verdict(&r, "Half True"),
            (Status::PartlyConfirmed, Some(0.5))
        );
        assert_eq!(
            verdict(&r, "Mostly False"),
            (Status::PartlyConfirmed, Some(0.25))
        );
        assert_eq!(verdict(&r, "FALSE"), (Status::Refuted, Some(0.0)));
        assert_eq!(verdict(&r, "Pants on Fire!"), (Status::Refuted, Some(0.0)));
    }

    #[test]
    fn misleading_and_missing_context_are_partly_true() {
        let r = Ratings::built_in().unwrap();
        assert_eq!(
            verdict(&r, "Misleading."),
            (Status::PartlyConfirmed, Some(0.25))
        );
        assert_eq!(
            verdict(&r, "Missing Context"),
            (Status::PartlyConfirmed, Some(0.5))
        );
        assert_eq!(verdict(&r, "Satire"), (Status::Open, None));
    }

    #[test]
    fn words_of_other_languages() {
        let r = Ratings::built_in().unwrap();
        assert_eq!(
            verdict(&r, "Engañoso"),
            (Status::PartlyConfirmed, Some(0.25))
        );
        assert_eq!(verdict(&r, "Faux"), (Status::Refuted, Some(0.0)));
        assert_eq!(
            verdict(&r, "Größtenteils richtig"),
            (Status::PartlyConfirmed, Some(0.75))
        );
    }

    #[test]
    fn a_one_to_five_scale_gives_degrees_and_statuses() {
        let r = Ratings::built_in().unwrap();
        let rate = |value: f64| {
            let rated = r
                .rate(
                    None,
                    Some(Scale {
                        value,
                        best: 5.0,
                        worst: 1.0,
                    }),
                )
                .unwrap();
            (rated.verdict.status, rated.verdict.degree, rated.text)
        };
        assert_eq!(rate(1.0), (Status::Refuted, Some(0.0), "1/5".into()));
        assert_eq!(
            rate(2.0),
            (Status::PartlyConfirmed, Some(0.25), "2/5".into())
        );
        assert_eq!(
            rate(3.0),
            (Status::PartlyConfirmed, Some(0.5), "3/5".into())
        );
        assert_eq!(rate(5.0), (Status::Confirmed, Some(1.0), "5/5".into()));
        // Near the ends of a fine scale: confirmed from 0.9, refuted to 0.1.
        let ten = |value: f64| {
            Scale {
                value,
                best: 10.0,
                worst: 0.0,
            }
            .verdict()
            .unwrap()
            .status
        };
        assert_eq!(ten(9.0), Status::Confirmed);
        assert_eq!(ten(8.5), Status::PartlyConfirmed);
        assert_eq!(ten(1.0), Status::Refuted);
        assert_eq!(ten(1.5), Status::PartlyConfirmed);
    }

    #[test]
    fn numbers_outside_their_scale_or_without_one_are_no_verdict() {
        let bad =
            |value: f64, best: f64, worst: f64| Scale { value, best, worst }.verdict().unwrap_err();
        assert!(bad(6.0, 5.0, 1.0).contains("outside its scale from 1 to 5"));
        assert!(bad(3.0, 3.0, 3.0).contains("not a scale"));
        assert!(bad(f64::NAN, 5.0, 1.0).contains("not a scale"));
        // A reversed scale (1 best) is a scale.
        let reversed = Scale {
            value: 1.0,
            best: 1.0,
            worst: 5.0,
        };
        assert_eq!(reversed.verdict().unwrap().status, Status::Confirmed);
    }

    #[test]
    fn known_words_win_over_numbers() {
        let r = Ratings::built_in().unwrap();
        let rated = r
            .rate(
                Some("False"),
                Some(Scale {
                    value: 5.0,
                    best: 5.0,
                    worst: 1.0,
                }),
            )
            .unwrap();
        assert_eq!(rated.verdict.status, Status::Refuted);
        assert_eq!(rated.text, "False");
        assert_eq!(rated.unknown_words, None);
    }

    #[test]
    fn unknown_words_fall_back_to_numbers_or_are_no_verdict() {
        let r = Ratings::built_in().unwrap();
        let scale = Scale {
            value: 4.0,
            best: 5.0,
            worst: 1.0,
        };
        let rated = r.rate(Some("Sort of right"), Some(scale)).unwrap();
        assert_eq!(rated.verdict.status, Status::PartlyConfirmed);
        assert_eq!(rated.verdict.degree, Some(0.75));
        assert_eq!(rated.text, "Sort of right");
        assert_eq!(rated.unknown_words.as_deref(), Some("Sort of right"));
        assert_eq!(
            r.rate(Some("Sort of right"), None),
            Err(Unrated::UnknownWords("Sort of right".into()))
        );
        assert_eq!(r.rate(Some("  "), None), Err(Unrated::Missing));
        assert_eq!(r.rate(None, None), Err(Unrated::Missing));
    }

    #[test]
    fn a_users_table_adds_and_overrides_words() {
        let mut r = Ratings::built_in().unwrap();
        r.add_rows(
            Path::new("mine.tsv"),
            "# my checkers' words\nrating\tstatus\tdegree\nSort of right\tpartly\t0.6\nMisleading\trefuted\t0\nSatire\topen\t\n",
        )
        .unwrap();
        assert_eq!(
            verdict(&r, "sort of right"),
            (Status::PartlyConfirmed, Some(0.6))
        );
        assert_eq!(verdict(&r, "misleading"), (Status::Refuted, Some(0.0)));
        assert_eq!(verdict(&r, "true"), (Status::Confirmed, Some(1.0)));
    }

    #[test]
    fn a_bad_line_of_a_users_table_is_named() {
        let bad = |text: &str| {
            let mut r = Ratings::built_in().unwrap();
            r.add_rows(Path::new("mine.tsv"), text)
                .unwrap_err()
                .to_string()
        };
        let header = "rating\tstatus\tdegree\n";
        let err = bad(&format!(
            "{header}\nFine\tconfirmed\t1\nMeh\tsomewhat\t0.5\n"
        ));
        assert!(err.starts_with("mine.tsv:4:1: status 'somewhat'"), "{err}");
        let err = bad(&format!("{header}Meh\tpartly\t1.5\n"));
        assert!(err.starts_with("mine.tsv:2:1: degree '1.5'"), "{err}");
        let err = bad(&format!("{header}Meh\tpartly\t\n"));
        assert!(err.contains("mine.tsv:2:1: the degree is empty"), "{err}");
        let err = bad(&format!("{header}Meh\topen\t0.5\n"));
        assert!(
            err.contains("mine.tsv:2:1: an open verdict has no degree"),
            "{err}"
        );
        let err = bad(&format!("{header}Meh\topen\t\nmeh!\topen\t\n"));
        assert!(
            err.contains("mine.tsv:3:1: 'meh' is on line 2 already"),
            "{err}"
        );
        let err = bad("words\tverdict\nMeh\topen\n");
        assert!(
            err.contains("mine.tsv:1:1: the first line must name"),
            "{err}"
        );
    }

    #[test]
    fn degrees_are_written_as_decimals() {
        assert_eq!(decimal(1.0), "1");
        assert_eq!(decimal(0.0), "0");
        assert_eq!(decimal(0.25), "0.25");
        assert_eq!(decimal(1.0 / 3.0), "0.3333");
    }
}
