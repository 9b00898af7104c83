//! `credgraph generate`: synthetic cases of any size with the shape of real ones, for
//! benchmarks and tests. Deterministic for a given seed.
//!
//! The generator draws, with a SplitMix64 stream seeded by `--seed`:
//! * institutions (one per 25 sources, at least 3), each a top organization with two
//!   levels of units under it, and a chain of posts reporting upwards;
//! * sources: 85% persons holding a post, 10% outlets, 5% institutions speaking
//!   for themselves; each source's activity follows a Zipf law (exponent 0.8), so a
//!   few sources make most statements, and its reliability is drawn between 0.5
//!   and 0.95;
//! * questions (`--questions`, by default one per 20 statements) grouped in topics
//!   (one per 10 questions); 60% are yes-or-no with one proposition, the rest have 2
//!   to 4 exclusive answers; 5% of propositions entail a proposition of another
//!   question of their topic; each question has one hidden true answer; question
//!   popularity follows a Zipf law too;
//! * statements: a source picks one of its institution's three topics (four times
//!   in five) or any topic, then a question, then, with its reliability, backs the
//!   truth (asserting the true answer, or denying a false one) or errs; one source in
//!   ten copies a leader source, repeating its latest claim half of the time;
//!   certainty is an ICD-203 level or absent; dates fall in 2022-2024;
//! * documents: every twenty statements of a source make one document; an outlet
//!   reports a third of the persons' documents in its own article derived from
//!   them, which is the reporting chain;
//! * resolutions for 60% of the questions, confirming the true answer and refuting
//!   the others.

use crate::error::{Error, Result};
use crate::random::SplitMix64;
use crate::vocab::{self, cg, org, rdfs, time};
use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Term, TripleRef};
use std::io::Write;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub sources: usize,
    pub statements: usize,
    pub questions: Option<usize>,
    pub seed: u64,
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default)]
pub struct GenerateReport {
    pub triples: u64,
    pub sources: usize,
    pub statements: usize,
    pub questions: usize,
}

/// Draws indices with probability proportional to 1/(rank+1)^exponent.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, exponent: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|rank| {
                total += 1.0 / ((rank + 1) as f64).powf(exponent);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn draw(&self, rng: &mut SplitMix64) -> usize {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|c| *c < x)
            .min(self.cumulative.len() - 1)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SourceKind {
    Person,
    Outlet,
    Institution,
}

struct Source {
    iri: NamedNode,
    kind: SourceKind,
    institution: usize,
    post: Option<NamedNode>,
    reliability: f64,
    leader: Option<usize>,
    last_claim: Option<(usize, usize, bool)>,
}

struct Question {
    propositions: Vec<NamedNode>,
    truth: usize,
}

/// Writes a generated case in `format` and says what it holds.
pub fn generate(
    options: &GenerateOptions,
    format: RdfFormat,
    out: &mut dyn Write,
) -> Result<GenerateReport> {
    if options.sources < 2 {
        return Err(Error::invalid(
            "--sources must be at least 2: a case needs sources that can agree",
        ));
    }
    if options.statements == 0 {
        return Err(Error::invalid("--statements must be at least 1"));
    }
    let io = Error::Output;
    let mut serializer = crate::output::rdf_serializer(format).for_writer(out);
    let mut triples = 0_u64;
    let mut emit = |s: NamedNodeRef<'_>, p: NamedNodeRef<'_>, o: Term| -> Result<()> {
        triples += 1;
        serializer
            .serialize_triple(TripleRef::new(s, p, o.as_ref()))
            .map_err(io)
    };
    let mut rng = SplitMix64::new(options.seed);
    let id = |kind: &str, n: usize| {
        NamedNode::new_unchecked(format!("{}{kind}/generated-{n}", vocab::ID))
    };
    let text = |s: String| -> Term { Literal::new_simple_literal(s).into() };
    let date = |day: usize| -> Term {
        let (year, rest) = (2022 + day / 365, day % 365);
        let month = (rest / 31).min(11) + 1;
        let day_of_month = (rest % 28) + 1;
        Literal::new_typed_literal(format!("{year}-{month:02}-{day_of_month:02}"), xsd::DATE).into()
    };

    // Institutions: a top organization, units under it, a chain of posts.
    let institutions = (options.sources / 25).max(3);
    let mut units_of: Vec<Vec<NamedNode>> = Vec::new();
    let mut posts_of: Vec<Vec<NamedNode>> = Vec::new();
    for i in 0..institutions {
        let top = id("organization", i * 100);
        emit(top.as_ref(), rdf::TYPE, cg::ORGANIZATION.into())?;
        emit(top.as_ref(), rdfs::LABEL, text(format!("Institution {i}")))?;
        let mut units = vec![top.clone()];
        for u in 1..=4 {
            let unit = id("organization", i * 100 + u);
            let parent = if u <= 2 {
                top.clone()
            } else {
                units[u - 2].clone()
            };
            emit(unit.as_ref(), rdf::TYPE, cg::ORGANIZATION.into())?;
            emit(
                unit.as_ref(),
                rdfs::LABEL,
                text(format!("Unit {u} of institution {i}")),
            )?;
            emit(unit.as_ref(), org::SUB_ORGANIZATION_OF, parent.into())?;
            units.push(unit);
        }
        units_of.push(units);
        posts_of.push(Vec::new());
    }

    // Sources.
    let mut sources: Vec<Source> = Vec::with_capacity(options.sources);
    for s in 0..options.sources {
        let draw = rng.unit();
        let kind = if draw < 0.85 {
            SourceKind::Person
        } else if draw < 0.95 {
            SourceKind::Outlet
        } else {
            SourceKind::Institution
        };
        let institution = rng.below(institutions);
        let reliability = 0.5 + 0.45 * rng.unit();
        let (iri, post) = match kind {
            SourceKind::Person => {
                let person = id("person", s);
                let units = &units_of[institution];
                let unit = units[rng.below(units.len())].clone();
                let post = id("post", s);
                emit(person.as_ref(), rdf::TYPE, cg::PERSON.into())?;
                emit(person.as_ref(), rdfs::LABEL, text(format!("Person {s}")))?;
                emit(post.as_ref(), rdf::TYPE, cg::POST.into())?;
                emit(post.as_ref(), rdfs::LABEL, text(format!("Post {s}")))?;
                emit(post.as_ref(), org::POST_IN, unit.into())?;
                if let Some(superior) = posts_of[institution].last() {
                    if rng.chance(0.5) {
                        emit(post.as_ref(), org::REPORTS_TO, superior.clone().into())?;
                    }
                }
                emit(person.as_ref(), org::HOLDS, post.clone().into())?;
                let tenure = id("tenure", s);
                let interval = id("interval", s);
                let (begin, end) = (id("instant", 2 * s), id("instant", 2 * s + 1));
                let begin_day = rng.below(400);
                emit(tenure.as_ref(), rdf::TYPE, cg::TENURE.into())?;
                emit(tenure.as_ref(), org::MEMBER, person.clone().into())?;
                emit(
                    tenure.as_ref(),
                    org::ORGANIZATION,
                    units_of[institution][0].clone().into(),
                )?;
                emit(tenure.as_ref(), cg::OF_POST, post.clone().into())?;
                emit(tenure.as_ref(), org::MEMBER_DURING, interval.clone().into())?;
                emit(interval.as_ref(), rdf::TYPE, time::INTERVAL.into())?;
                emit(interval.as_ref(), time::HAS_BEGINNING, begin.clone().into())?;
                emit(interval.as_ref(), time::HAS_END, end.clone().into())?;
                emit(begin.as_ref(), time::IN_XSD_DATE, date(begin_day))?;
                emit(
                    end.as_ref(),
                    time::IN_XSD_DATE,
                    date(begin_day + 365 + rng.below(700)),
                )?;
                posts_of[institution].push(post.clone());
                (person, Some(post))
            }
            SourceKind::Outlet => {
                let outlet = id("organization", 1_000_000 + s);
                emit(outlet.as_ref(), rdf::TYPE, cg::OUTLET.into())?;
                emit(outlet.as_ref(), rdfs::LABEL, text(format!("Outlet {s}")))?;
                (outlet, None)
            }
            SourceKind::Institution => (units_of[institution][0].clone(), None),
        };
        sources.push(Source {
            iri,
            kind,
            institution,
            post,
            reliability,
            leader: None,
            last_claim: None,
        });
    }
    for s in 0..sources.len() {
        if rng.chance(0.1) {
            let leader = rng.below(sources.len());
            if leader != s {
                sources[s].leader = Some(leader);
            }
        }
    }

    // Topics and questions.
    let question_count = options
        .questions
        .unwrap_or((options.statements / 20).max(1));
    let topics = (question_count / 10).max(1);
    let mut questions: Vec<Question> = Vec::with_capacity(question_count);
    let mut topic_questions: Vec<Vec<usize>> = vec![Vec::new(); topics];
    for q in 0..question_count {
        let question = id("question", q);
        emit(question.as_ref(), rdf::TYPE, cg::QUESTION.into())?;
        emit(
            question.as_ref(),
            rdfs::LABEL,
            text(format!("Question {q}?")),
        )?;
        let answers = if rng.chance(0.6) { 1 } else { 2 + rng.below(3) };
        let mut propositions = Vec::with_capacity(answers);
        for a in 0..answers {
            let proposition =
                NamedNode::new_unchecked(format!("{}proposition/generated-{q}-{a}", vocab::ID));
            emit(proposition.as_ref(), rdf::TYPE, cg::PROPOSITION.into())?;
            emit(
                proposition.as_ref(),
                rdfs::LABEL,
                text(format!("Answer {a} of question {q}")),
            )?;
            emit(proposition.as_ref(), cg::ANSWERS, question.clone().into())?;
            propositions.push(proposition);
        }
        let topic = rng.below(topics);
        if let Some(&earlier) = topic_questions[topic].last() {
            if rng.chance(0.05) {
                let from = &propositions[rng.below(propositions.len())];
                let earlier_question: &Question = &questions[earlier];
                let to =
                    &earlier_question.propositions[rng.below(earlier_question.propositions.len())];
                emit(from.as_ref(), cg::ENTAILS, to.clone().into())?;
            }
        }
        topic_questions[topic].push(q);
        let truth = rng.below(answers.max(2)).min(answers - 1);
        questions.push(Question {
            propositions,
            truth,
        });
    }
    let institution_topics: Vec<[usize; 3]> = (0..institutions)
        .map(|_| [rng.below(topics), rng.below(topics), rng.below(topics)])
        .collect();
    let topic_zipf: Vec<Zipf> = topic_questions
        .iter()
        .map(|qs| Zipf::new(qs.len().max(1), 1.0))
        .collect();

    // Statements, grouped into documents of twenty per source.
    let activity = Zipf::new(sources.len(), 0.8);
    let outlets: Vec<usize> = (0..sources.len())
        .filter(|&s| sources[s].kind == SourceKind::Outlet)
        .collect();
    // Per source: its open document, how many statements it holds, and the outlet
    // article reporting it, if any.
    let mut open_document: Vec<Option<(usize, usize, Option<NamedNode>)>> =
        vec![None; sources.len()];
    let mut document_count = 0_usize;
    for n in 0..options.statements {
        let s = activity.draw(&mut rng);
        let claim = match sources[s].leader.and_then(|l| sources[l].last_claim) {
            Some(copied) if rng.chance(0.5) => copied,
            _ => {
                let topic = if rng.chance(0.8) {
                    institution_topics[sources[s].institution][rng.below(3)]
                } else {
                    rng.below(topics)
                };
                let candidates = &topic_questions[topic];
                let q = if candidates.is_empty() {
                    rng.below(questions.len())
                } else {
                    candidates[topic_zipf[topic].draw(&mut rng)]
                };
                let question = &questions[q];
                let answers = question.propositions.len();
                let right = rng.chance(sources[s].reliability);
                if answers == 1 {
                    // A yes-or-no question: the truth is "yes" when `truth` is 0.
                    let asserted_true = question.truth == 0;
                    (q, 0, right == asserted_true)
                } else if right {
                    if rng.chance(0.8) {
                        (q, question.truth, true)
                    } else {
                        let wrong = (question.truth + 1 + rng.below(answers - 1)) % answers;
                        (q, wrong, false)
                    }
                } else if rng.chance(0.8) {
                    let wrong = (question.truth + 1 + rng.below(answers - 1)) % answers;
                    (q, wrong, true)
                } else {
                    (q, question.truth, false)
                }
            }
        };
        sources[s].last_claim = Some(claim);
        let (q, answer, assertion) = claim;
        let (document, used, report) = match open_document[s].take() {
            Some((document, used, report)) if used < 20 => (document, used, report),
            _ => {
                document_count += 1;
                let report = emit_document(
                    &mut emit,
                    &mut rng,
                    &sources,
                    &outlets,
                    s,
                    document_count,
                    &date,
                )?;
                (document_count, 0, report)
            }
        };
        open_document[s] = Some((document, used + 1, report.clone()));

        let statement = id("statement", n);
        let source = &sources[s];
        emit(statement.as_ref(), rdf::TYPE, cg::STATEMENT.into())?;
        emit(statement.as_ref(), cg::STATED_BY, source.iri.clone().into())?;
        emit(
            statement.as_ref(),
            cg::PROPOSITION_PROP,
            questions[q].propositions[answer].clone().into(),
        )?;
        emit(
            statement.as_ref(),
            cg::POLARITY,
            if assertion {
                cg::ASSERTION.into()
            } else {
                cg::DENIAL.into()
            },
        )?;
        emit(statement.as_ref(), cg::STATED_ON, date(rng.below(3 * 365)))?;
        if rng.chance(0.7) {
            let level = crate::model::Certainty::ALL[3 + rng.below(4)];
            emit(statement.as_ref(), cg::CERTAINTY, vocab_node(level.term()))?;
        }
        emit(
            statement.as_ref(),
            cg::REPORTED_IN,
            id("document", document).into(),
        )?;
        if let Some(report) = report {
            emit(statement.as_ref(), cg::REPORTED_IN, report.into())?;
        }
        if let Some(post) = &source.post {
            emit(statement.as_ref(), cg::IN_CAPACITY, post.clone().into())?;
        }
    }

    // Resolutions.
    for (q, question) in questions.iter().enumerate() {
        if !rng.chance(0.6) {
            continue;
        }
        for (a, proposition) in question.propositions.iter().enumerate() {
            let resolution =
                NamedNode::new_unchecked(format!("{}resolution/generated-{q}-{a}", vocab::ID));
            let confirmed = a == question.truth;
            emit(resolution.as_ref(), rdf::TYPE, cg::RESOLUTION.into())?;
            emit(
                resolution.as_ref(),
                cg::RESOLVES,
                proposition.clone().into(),
            )?;
            emit(
                resolution.as_ref(),
                cg::STATUS,
                if confirmed {
                    cg::CONFIRMED.into()
                } else {
                    cg::REFUTED.into()
                },
            )?;
            emit(resolution.as_ref(), cg::RESOLVED_ON, date(3 * 365))?;
        }
    }
    serializer.finish().map_err(io)?;
    Ok(GenerateReport {
        triples,
        sources: sources.len(),
        statements: options.statements,
        questions: questions.len(),
    })
}

fn vocab_node(local: &str) -> Term {
    NamedNode::new_unchecked(format!("{}{local}", vocab::CG)).into()
}

/// A source's new document; a third of persons' documents are reported by an
/// outlet in an article derived from them, which is returned.
fn emit_document(
    emit: &mut dyn FnMut(NamedNodeRef<'_>, NamedNodeRef<'_>, Term) -> Result<()>,
    rng: &mut SplitMix64,
    sources: &[Source],
    outlets: &[usize],
    s: usize,
    number: usize,
    date: &dyn Fn(usize) -> Term,
) -> Result<Option<NamedNode>> {
    let document = NamedNode::new_unchecked(format!("{}document/generated-{number}", vocab::ID));
    let source = &sources[s];
    emit(document.as_ref(), rdf::TYPE, cg::DOCUMENT.into())?;
    emit(
        document.as_ref(),
        rdfs::LABEL,
        Literal::new_simple_literal(format!("Document {number}")).into(),
    )?;
    emit(
        document.as_ref(),
        cg::PUBLISHED_ON,
        date(rng.below(3 * 365)),
    )?;
    if source.kind != SourceKind::Person {
        emit(
            document.as_ref(),
            cg::PUBLISHED_BY,
            source.iri.clone().into(),
        )?;
        return Ok(None);
    }
    emit(document.as_ref(), cg::RECORDS, source.iri.clone().into())?;
    if outlets.is_empty() || !rng.chance(1.0 / 3.0) {
        return Ok(None);
    }
    let outlet = &sources[outlets[rng.below(outlets.len())]];
    let article =
        NamedNode::new_unchecked(format!("{}document/generated-{number}-report", vocab::ID));
    emit(article.as_ref(), rdf::TYPE, cg::DOCUMENT.into())?;
    emit(
        article.as_ref(),
        rdfs::LABEL,
        Literal::new_simple_literal(format!("Report of document {number}")).into(),
    )?;
    emit(
        article.as_ref(),
        cg::PUBLISHED_BY,
        outlet.iri.clone().into(),
    )?;
    emit(article.as_ref(), cg::DERIVED_FROM, document.into())?;
    Ok(Some(article))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(seed: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let options = GenerateOptions {
            sources: 40,
            statements: 500,
            questions: None,
            seed,
        };
        generate(&options, RdfFormat::NTriples, &mut out).unwrap();
        out
    }

    #[test]
    fn a_seed_always_gives_the_same_case() {
        assert_eq!(case(7), case(7));
        assert_ne!(case(7), case(8));
    }

    #[test]
    fn generated_cases_are_valid_and_have_the_asked_size() {
        let store = crate::CaseStore::in_memory().unwrap();
        let bytes = case(1);
        store
            .oxigraph("test")
            .unwrap()
            .load_from_reader(
                oxigraph::io::RdfParser::from_format(RdfFormat::NTriples)
                    .with_default_graph(NamedNode::new_unchecked("http://e/generated")),
                bytes.as_slice(),
            )
            .unwrap();
        let violations = crate::validate::validate(&store, &[]).unwrap();
        assert!(
            violations.is_empty(),
            "{:?}",
            &violations[..violations.len().min(5)]
        );
        let index = crate::reason::source_pairs::StatementIndex::read(&store, 5).unwrap();
        assert_eq!(index.statement_count(), 500);
    }

    #[test]
    fn zipf_prefers_low_ranks() {
        let zipf = Zipf::new(100, 1.0);
        let mut rng = SplitMix64::new(3);
        let draws: Vec<usize> = (0..10_000).map(|_| zipf.draw(&mut rng)).collect();
        let first = draws.iter().filter(|d| **d == 0).count();
        let last = draws.iter().filter(|d| **d == 99).count();
        assert!(first > 10 * last, "{first} vs {last}");
    }
}
