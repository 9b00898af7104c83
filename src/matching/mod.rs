//! Which statements speak to the same question, and how: `match` proposes, for each
//! statement, the proposition it speaks to (an existing one, or a new one shared by
//! a cluster of statements) and its stance towards it, for an analyst to review.
//!
//! Offline and rule-based, with no model to download: words are stemmed (Snowball)
//! and weighed by TF-IDF ([`similarity`]), with numbers, dates and names as terms of
//! their own ([`text`]); candidates are found through an inverted index, statements
//! are clustered by average link within a date window, above a bar set by how alike
//! the run's statements are at random ([`cluster`]), a statement's
//! candidates are its own scores blended with its cluster's, and its stance comes
//! from the cue words of `lexicon/` ([`stance`]). The proposals go into a match sheet
//! ([`sheet`]) that `import` applies ([`apply`]).

pub mod apply;
pub mod cluster;
pub mod extract_sheets;
pub mod inputs;
pub mod lexicon;
pub mod proposals;
pub mod sheet;
pub mod similarity;
pub mod stance;
pub mod text;

use lexicon::Lexicon;
use rayon::prelude::*;
use similarity::{Index, Scratch, Vector, Vocabulary};
use std::collections::{HashMap, HashSet};

/// A statement to match: an id, who made it, its words, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub id: String,
    pub source: String,
    pub text: String,
    /// The words to compare with other statements and propositions when they are not
    /// the whole text (a claim without the frame "X said that" around it).
    pub topic: Option<String>,
    /// YYYY-MM-DD.
    pub date: Option<String>,
    /// Whether the words are the source's own report (a headline, an outlet's
    /// sentence) rather than a speaker's quoted or paraphrased words: see
    /// [`stance::read`].
    pub own_voice: bool,
}

/// A proposition a statement may speak to.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub text: String,
    pub question: Option<String>,
}

/// How `match` decides.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How many candidates to give each statement.
    pub top: usize,
    /// The least score for a statement to be matched to an existing proposition.
    pub threshold: f32,
    /// The least mean cosine between two clusters' members for them to merge; none:
    /// the background cosine of the run's statements plus [`BACKGROUND_SDS`] of its
    /// standard deviations.
    pub cluster_threshold: Option<f32>,
    /// Statements further apart than this many days are not clustered together.
    pub window_days: Option<i64>,
    /// The share of a statement's candidate scores that comes from its cluster.
    pub cluster_weight: f32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            top: 5,
            threshold: 0.25,
            cluster_threshold: None,
            window_days: Some(60),
            cluster_weight: 0.5,
        }
    }
}

/// Which proposition a statement is matched to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// A candidate, by index.
    Existing(usize),
    /// The new proposition of its cluster, by index into [`Proposed::new_propositions`].
    New(usize),
    /// None: the statement stands alone and no candidate is near enough.
    Alone,
}

/// The words a statement shares with the proposition it is matched to (or with its
/// cluster's most central statement), as the statement writes them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    #[serde(default)]
    pub words: Vec<String>,
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    pub numbers: Vec<String>,
    #[serde(default)]
    pub dates: Vec<String>,
}

/// What `match` proposes for one statement.
#[derive(Debug, Clone)]
pub struct Match {
    pub stance: stance::Reading,
    /// Candidates by index, with their scores, best first.
    pub candidates: Vec<(usize, f32)>,
    pub cluster: u32,
    pub choice: Choice,
    /// How sure the proposal is, 0 to 1: the match's score and margin times the
    /// stance's confidence.
    pub confidence: f64,
    pub evidence: Evidence,
}

/// A proposition proposed for a cluster that no candidate fits.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProposition {
    pub cluster: u32,
    /// The words of the cluster's most central statement that asserts (or of its
    /// most central statement): its topic when it has one, else its text.
    pub label: String,
    pub question: String,
    /// The statement it was taken from, by index.
    pub from: usize,
}

/// What `match` proposes for a run.
#[derive(Debug, Clone)]
pub struct Proposed {
    pub matches: Vec<Match>,
    pub new_propositions: Vec<NewProposition>,
}

/// Terms in more statements than this are left out of the search for neighbours:
/// too common to tell stories apart, and the longest lists to walk.
const MAX_POSTINGS: usize = 2_000;

/// How many standard deviations above the mean cosine of two statements drawn at
/// random the members of a cluster must be alike, on average.
pub const BACKGROUND_SDS: f32 = 1.9;

/// The highest bar the background sets.
pub const MOST_ALIKE: f32 = 0.3;

/// How much of a similarity is kept between two texts that both give numbers (or
/// both give dates) and share none ("12,000 evacuated" and "230 lifted from
/// rooftops", "19 million watches" and "24 million", "on Tuesday" and "on
/// Wednesday"): such texts speak of different quantities or times, so of different
/// propositions, however many other words they share. Numbers and dates are
/// compared each with their own kind.
pub fn quantity_factor(a: &[u32], b: &[u32]) -> f32 {
    let conflict = |kind: u32| {
        let mine = a.iter().filter(|x| *x & (1 << 31) == kind);
        let theirs = || b.iter().filter(|x| *x & (1 << 31) == kind);
        let mut mine = mine.peekable();
        mine.peek().is_some()
            && theirs().next().is_some()
            && !mine.any(|x| theirs().any(|y| y == x))
    };
    if conflict(0) || conflict(1 << 31) {
        0.5
    } else {
        1.0
    }
}

/// The number and the date terms of a text, by id (each with its kind in the top
/// bit, so that a number never meets a date).
fn quantities(terms: &text::Terms, vocabulary: &Vocabulary) -> Vec<u32> {
    let mut ids: Vec<u32> = terms
        .terms
        .iter()
        .filter(|(t, _)| t.starts_with("n:") || t.starts_with("d:"))
        .filter_map(|(t, _)| {
            let kind = if t.starts_with("d:") { 1 << 31 } else { 0 };
            vocabulary.id(t).map(|id| id | kind)
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Proposes, for each statement, its proposition and stance.
pub fn propose(statements: &[Statement], candidates: &[Candidate], options: &Options) -> Proposed {
    let texts = Texts::new(statements, candidates);
    let own = texts.nearest_candidates(options.top.max(1) * 4);
    let (clustering, members) = texts.cluster(statements, options);
    let cluster_scores = cluster_means(&members, &own);
    let readings: Vec<stance::Reading> = statements
        .par_iter()
        .map(|s| stance::read(&s.text, s.own_voice))
        .collect();
    let mut matches: Vec<Match> = readings
        .into_iter()
        .enumerate()
        .map(|(i, reading)| {
            let c = clustering.cluster[i];
            let ranked = blend(&own[i], cluster_scores.get(&c), options);
            let choice = match ranked.first() {
                Some(&(p, score)) if score >= options.threshold => Choice::Existing(p),
                _ if members[&c].len() > 1 => Choice::New(usize::MAX),
                _ => Choice::Alone,
            };
            let confidence = match choice {
                Choice::Existing(_) => {
                    let s1 = ranked[0].1 as f64;
                    let s2 = ranked.get(1).map_or(0.0, |r| r.1 as f64);
                    s1.min(1.0) * (0.5 + 0.5 * (s1 - s2) / s1)
                }
                Choice::New(_) => clustering.centrality[i] as f64,
                Choice::Alone => 0.0,
            } * reading.confidence;
            let evidence = match choice {
                Choice::Existing(p) => {
                    evidence(&texts.statement_terms[i], &texts.candidate_terms[p])
                }
                _ => Evidence::default(),
            };
            Match {
                stance: reading,
                candidates: ranked.into_iter().take(options.top).collect(),
                cluster: c,
                choice,
                confidence,
                evidence,
            }
        })
        .collect();
    let new_propositions = name_new_propositions(
        statements,
        &texts.statement_terms,
        &clustering,
        &members,
        &mut matches,
    );
    Proposed {
        matches,
        new_propositions,
    }
}

/// The words of a run's statements and candidates: their terms, TF-IDF vectors over
/// one vocabulary, and the numbers they name.
struct Texts {
    vocabulary: Vocabulary,
    statement_terms: Vec<text::Terms>,
    candidate_terms: Vec<text::Terms>,
    statement_vectors: Vec<Vector>,
    candidate_vectors: Vec<Vector>,
    statement_quantities: Vec<Vec<u32>>,
    candidate_quantities: Vec<Vec<u32>>,
}

impl Texts {
    fn new(statements: &[Statement], candidates: &[Candidate]) -> Texts {
        let lexicon = Lexicon::get();
        let statement_terms: Vec<text::Terms> = statements
            .par_iter()
            .map(|s| text::terms(s.topic.as_deref().unwrap_or(&s.text), lexicon))
            .collect();
        let candidate_terms: Vec<text::Terms> = candidates
            .par_iter()
            .map(|c| text::terms(&c.text, lexicon))
            .collect();
        let mut vocabulary = Vocabulary::default();
        let statement_counts: Vec<_> = statement_terms
            .iter()
            .map(|t| vocabulary.add(&t.terms))
            .collect();
        let candidate_counts: Vec<_> = candidate_terms
            .iter()
            .map(|t| vocabulary.add(&t.terms))
            .collect();
        let statement_vectors: Vec<Vector> = statement_counts
            .par_iter()
            .map(|c| vocabulary.vector(c))
            .collect();
        let candidate_vectors: Vec<Vector> = candidate_counts
            .par_iter()
            .map(|c| vocabulary.vector(c))
            .collect();
        drop((statement_counts, candidate_counts));
        let statement_quantities = statement_terms
            .iter()
            .map(|t| quantities(t, &vocabulary))
            .collect();
        let candidate_quantities = candidate_terms
            .iter()
            .map(|t| quantities(t, &vocabulary))
            .collect();
        Texts {
            vocabulary,
            statement_terms,
            candidate_terms,
            statement_vectors,
            candidate_vectors,
            statement_quantities,
            candidate_quantities,
        }
    }

    /// Each statement's `depth` nearest candidates (more than shown, for the
    /// cluster's blend), best first, scores weighed by the numbers they share.
    fn nearest_candidates(&self, depth: usize) -> Vec<Vec<(u32, f32)>> {
        let index = Index::new(self.vocabulary.len(), &self.candidate_vectors);
        self.statement_vectors
            .par_iter()
            .zip(&self.statement_quantities)
            .map_init(Scratch::default, |scratch, (v, mine)| {
                let mut found = index.nearest(v, depth, scratch);
                for (p, score) in &mut found {
                    *score *= quantity_factor(mine, &self.candidate_quantities[*p as usize]);
                }
                found.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                found
            })
            .collect()
    }

    /// The statements clustered, and each cluster's members.
    fn cluster(
        &self,
        statements: &[Statement],
        options: &Options,
    ) -> (cluster::Clustering, HashMap<u32, Vec<usize>>) {
        let days: Vec<Option<i64>> = statements
            .iter()
            .map(|s| s.date.as_deref().and_then(crate::model::dates::day_number))
            .collect();
        // Members of a cluster must be more alike than two statements of the run
        // drawn at random, by BACKGROUND_SDS standard deviations: a run of many
        // stories sets a low bar, a run of articles on one event a higher one. In a
        // small run most pairs may be of one story, and the bar would rise above
        // them: it never goes above MOST_ALIKE.
        let threshold = options.cluster_threshold.unwrap_or_else(|| {
            let (mean, sd) = cluster::background(&self.statement_vectors);
            (mean + BACKGROUND_SDS * sd).min(MOST_ALIKE)
        });
        let clustering = cluster::cluster(
            &self.statement_vectors,
            &self.statement_quantities,
            &days,
            self.vocabulary.len(),
            &cluster::ClusterOptions {
                threshold,
                window_days: options.window_days,
                neighbours: 20,
                max_postings: MAX_POSTINGS,
            },
        );
        let mut members: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, &c) in clustering.cluster.iter().enumerate() {
            members.entry(c).or_default().push(i);
        }
        (clustering, members)
    }
}

/// A cluster's mean score for each candidate any member found.
fn cluster_means(
    members: &HashMap<u32, Vec<usize>>,
    own: &[Vec<(u32, f32)>],
) -> HashMap<u32, HashMap<u32, f32>> {
    members
        .iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(&c, m)| {
            let mut sums: HashMap<u32, f32> = HashMap::new();
            for &i in m {
                for &(p, score) in &own[i] {
                    *sums.entry(p).or_default() += score;
                }
            }
            let n = m.len() as f32;
            sums.values_mut().for_each(|s| *s /= n);
            (c, sums)
        })
        .collect()
}

/// One new proposition per cluster that needs one, named by its most central
/// statement that asserts (else its most central statement); the matches that
/// chose a new one are pointed at their cluster's.
fn name_new_propositions(
    statements: &[Statement],
    statement_terms: &[text::Terms],
    clustering: &cluster::Clustering,
    members: &HashMap<u32, Vec<usize>>,
    matches: &mut [Match],
) -> Vec<NewProposition> {
    let mut new_propositions = Vec::new();
    let mut numbered: HashMap<u32, usize> = HashMap::new();
    for i in 0..matches.len() {
        if matches[i].choice != Choice::New(usize::MAX) {
            continue;
        }
        let c = matches[i].cluster;
        let n = *numbered.entry(c).or_insert_with(|| {
            let central = |stance: Option<stance::Stance>| {
                members[&c]
                    .iter()
                    .copied()
                    .filter(|&j| stance.is_none_or(|s| matches_stance(matches, j, s)))
                    .max_by(|&a, &b| {
                        clustering.centrality[a]
                            .total_cmp(&clustering.centrality[b])
                            .then(b.cmp(&a))
                    })
            };
            let from = central(Some(stance::Stance::Asserts))
                .or_else(|| central(None))
                .unwrap_or(i);
            let words = &statements[from];
            let label = label_of(words.topic.as_deref().unwrap_or(&words.text));
            new_propositions.push(NewProposition {
                cluster: c,
                question: format!("Is it so that {}?", crate::extract::lowercase_first(&label)),
                label,
                from,
            });
            new_propositions.len() - 1
        });
        matches[i].choice = Choice::New(n);
        let from = new_propositions[n].from;
        if from != i {
            matches[i].evidence = evidence(&statement_terms[i], &statement_terms[from]);
        }
    }
    new_propositions
}

fn matches_stance(matches: &[Match], j: usize, stance: stance::Stance) -> bool {
    matches.get(j).is_none_or(|m| m.stance.stance == stance)
}

/// A statement's own candidate scores blended with its cluster's mean, best first.
fn blend(
    own: &[(u32, f32)],
    cluster: Option<&HashMap<u32, f32>>,
    options: &Options,
) -> Vec<(usize, f32)> {
    let Some(cluster) = cluster else {
        return own.iter().map(|&(p, s)| (p as usize, s)).collect();
    };
    let w = options.cluster_weight;
    let mine: HashMap<u32, f32> = own.iter().copied().collect();
    let every: HashSet<u32> = mine.keys().chain(cluster.keys()).copied().collect();
    let mut ranked: Vec<(usize, f32)> = every
        .into_iter()
        .map(|p| {
            let a = mine.get(&p).copied().unwrap_or(0.0);
            let b = cluster.get(&p).copied().unwrap_or(0.0);
            (p as usize, (1.0 - w) * a + w * b)
        })
        .collect();
    ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

/// The label a statement gives a new proposition: its words, without the quotation
/// marks around them or a closing stop.
fn label_of(text: &str) -> String {
    let trimmed = text
        .trim()
        .trim_matches(['"', '“', '”', '\'', '‘', '’'])
        .trim_end_matches(['.', ',', ';'])
        .trim();
    let mut out: String = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > 200 {
        out = out.chars().take(200).collect::<String>() + "…";
    }
    out
}

/// The terms of a statement that the other text shares, as the statement writes them.
fn evidence(statement: &text::Terms, other: &text::Terms) -> Evidence {
    let theirs: HashSet<&str> = other.terms.iter().map(|(t, _)| t.as_str()).collect();
    let mut out = Evidence::default();
    let mut seen = HashSet::new();
    for (term, written) in &statement.terms {
        if !theirs.contains(term.as_str()) || !seen.insert(term.as_str()) {
            continue;
        }
        let list = match &term[..2] {
            "n:" => &mut out.numbers,
            "d:" => &mut out.dates,
            _ if statement.names.iter().any(|n| n == written) => &mut out.names,
            _ => &mut out.words,
        };
        list.push(written.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(id: &str, text: &str) -> Statement {
        Statement {
            id: id.into(),
            source: format!("source of {id}"),
            text: text.into(),
            topic: None,
            date: Some("2023-03-01".into()),
            own_voice: true,
        }
    }

    #[test]
    fn statements_on_one_event_share_a_new_proposition_and_others_do_not() {
        let statements = [
            statement(
                "a",
                "The Dnipro dam at Nova Kakhovka was breached overnight",
            ),
            statement("b", "The port of Odesa reopened to grain ships on Monday"),
            statement(
                "c",
                "The Nova Kakhovka dam on the Dnipro was breached, officials said",
            ),
            statement(
                "d",
                "It is not true that the Nova Kakhovka dam was breached",
            ),
        ];
        let proposed = propose(&statements, &[], &Options::default());
        let cluster: Vec<u32> = proposed.matches.iter().map(|m| m.cluster).collect();
        assert_eq!(cluster[0], cluster[2]);
        assert_eq!(cluster[0], cluster[3]);
        assert_ne!(cluster[0], cluster[1]);
        assert_eq!(proposed.matches[1].choice, Choice::Alone);
        assert_eq!(proposed.new_propositions.len(), 1);
        assert_eq!(proposed.matches[0].choice, Choice::New(0));
        assert_eq!(proposed.matches[3].stance.stance, stance::Stance::Denies);
        let evidence = &proposed.matches[3].evidence;
        assert!(
            evidence.names.iter().any(|n| n == "Kakhovka"),
            "{evidence:?}"
        );
    }

    #[test]
    fn a_statement_finds_its_proposition_among_candidates() {
        let candidates = [
            Candidate {
                id: "flood".into(),
                text: "The Nova Kakhovka dam was breached".into(),
                question: None,
            },
            Candidate {
                id: "grain".into(),
                text: "Odesa's port reopens to grain ships".into(),
                question: None,
            },
        ];
        let statements = [statement(
            "s",
            "Ships loaded with grain left the port of Odesa, the ministry said",
        )];
        let proposed = propose(&statements, &candidates, &Options::default());
        let m = &proposed.matches[0];
        assert_eq!(m.choice, Choice::Existing(1));
        assert_eq!(m.candidates[0].0, 1);
        assert!(
            m.evidence.names.contains(&"Odesa".to_string()),
            "{:?}",
            m.evidence
        );
        assert!(m.confidence > 0.0 && m.confidence <= 1.0);
    }
}
