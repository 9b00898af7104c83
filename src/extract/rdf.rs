//! A reviewed sheet as RDF in the credgraph model: the article as a document of
//! its outlet, the medium as the document it was derived from, new speakers with
//! their posts, and one statement per kept proposal with its proposition and
//! question.

use super::sheet::{How, Polarity, Proposal, Sheet, SpeakerKind};
use super::{article, capitalize, linking, slug};
use crate::vocab::{self, cg, org, rdfs};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use std::collections::HashSet;

/// What is wrong with a field of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The statement's id, or none for the article block.
    pub statement: Option<String>,
    pub field: &'static str,
    pub message: String,
}

type Checked<T> = std::result::Result<T, FieldError>;

struct Writer {
    graph: GraphName,
    quads: Vec<Quad>,
    seen: HashSet<Quad>,
}

impl Writer {
    fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        let quad = Quad::new(
            NamedOrBlankNode::NamedNode(s.clone()),
            p.into_owned(),
            o.into(),
            self.graph.clone(),
        );
        if self.seen.insert(quad.clone()) {
            self.quads.push(quad);
        }
    }

    fn label(&mut self, s: &NamedNode, text: &str) {
        self.add(
            s,
            rdfs::LABEL,
            Literal::new_language_tagged_literal_unchecked(text, "en"),
        );
    }
}

/// An IRI written in the sheet: a prefixed name of credgraph's prefixes, or a full IRI.
fn iri(value: &str, statement: Option<&str>, field: &'static str) -> Checked<NamedNode> {
    let full = vocab::expand(value).unwrap_or_else(|| value.to_string());
    NamedNode::new(&full).map_err(|e| FieldError {
        statement: statement.map(str::to_string),
        field,
        message: format!(
            "{:?} is not an IRI or a prefixed name ({})",
            crate::error::quoted(value),
            crate::error::parser_message(&e.to_string())
        ),
    })
}

pub(crate) fn minted(kind: &str, name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{kind}/{}", vocab::ID, slug(name, 100)))
}

fn date_literal(date: &str) -> Literal {
    Literal::new_typed_literal(date, xsd::DATE)
}

/// The sheet's kept statements as quads in `graph`, or the first field that is wrong.
pub fn quads(sheet: &Sheet, graph: GraphName) -> Checked<Vec<Quad>> {
    let mut w = Writer {
        graph,
        quads: Vec::new(),
        seen: HashSet::new(),
    };
    let info = &sheet.article;
    let date = article::parse_date(&info.date).ok_or_else(|| FieldError {
        statement: None,
        field: "date",
        message: format!(
            "{:?} is not a date; write YYYY-MM-DD",
            crate::error::quoted(&info.date)
        ),
    })?;
    if info.outlet.trim().is_empty() {
        return Err(FieldError {
            statement: None,
            field: "outlet",
            message: "the outlet is empty: name who published the article".into(),
        });
    }
    let outlet = match &info.outlet_iri {
        Some(value) => iri(value, None, "outlet_iri")?,
        None => minted("organization", &info.outlet),
    };
    w.add(&outlet, rdf::TYPE, cg::OUTLET.into_owned());
    w.label(&outlet, &info.outlet);
    let document = iri(&info.document, None, "document")?;
    w.add(&document, rdf::TYPE, cg::DOCUMENT.into_owned());
    let title = info
        .title
        .clone()
        .unwrap_or_else(|| format!("Article of {date} by {}", info.outlet));
    w.label(&document, &title);
    w.add(&document, cg::PUBLISHED_BY, outlet.clone());
    w.add(&document, cg::PUBLISHED_ON, date_literal(&date));
    if let Some(url) = &info.url {
        w.add(&document, cg::URL, Literal::new_simple_literal(url));
    }
    let mut ids = HashSet::new();
    for proposal in sheet.statements.iter().filter(|p| p.keep) {
        if !ids.insert(proposal.id.as_str()) {
            return Err(FieldError {
                statement: Some(proposal.id.clone()),
                field: "id",
                message: "two statements have this id; give each its own".into(),
            });
        }
        statement(&mut w, proposal, &date, &document, &outlet)?;
    }
    Ok(w.quads)
}

/// One kept proposal as quads: its speaker, the post they spoke in, the medium, the
/// proposition, and the statement itself.
fn statement(
    w: &mut Writer,
    p: &Proposal,
    date: &str,
    document: &NamedNode,
    outlet: &NamedNode,
) -> Checked<()> {
    let statement = statement_node(p)?;
    let speaker = speaker(w, p, outlet)?;
    if let Some(post) = capacity(w, p)? {
        if p.speaker_is_new {
            w.add(&speaker, org::HOLDS, post.clone());
        }
        w.add(&statement, cg::IN_CAPACITY, post);
    }
    if let Some(medium) = p.medium.as_deref().filter(|m| !m.trim().is_empty()) {
        medium_record(w, p, medium, date, document, &speaker);
    }
    let proposition = proposition(w, p)?;
    describe(w, p, &statement, speaker, date, document, proposition);
    Ok(())
}

fn failure(p: &Proposal, field: &'static str, message: String) -> FieldError {
    FieldError {
        statement: Some(p.id.clone()),
        field,
        message,
    }
}

/// The statement's IRI, once its id, words and proposition are there.
fn statement_node(p: &Proposal) -> Checked<NamedNode> {
    if p.id.trim().is_empty() || p.id.contains(char::is_whitespace) {
        return Err(failure(
            p,
            "id",
            "an id is one word such as 2022-12-24-budanov-carousel".into(),
        ));
    }
    let statement = NamedNode::new(format!("{}statement/{}", vocab::ID, p.id)).map_err(|e| {
        let id = crate::error::quoted(&p.id);
        failure(p, "id", format!("{id:?} cannot name a statement: {e}"))
    })?;
    if p.text.trim().is_empty() {
        return Err(failure(p, "text", "the statement's words are empty".into()));
    }
    if p.proposition.trim().is_empty() && p.proposition_iri.is_none() {
        return Err(failure(
            p,
            "proposition",
            "say what the statement claims".into(),
        ));
    }
    Ok(statement)
}

/// The speaker's IRI; a new speaker (or one without an IRI) gets a type and a label.
fn speaker(w: &mut Writer, p: &Proposal, outlet: &NamedNode) -> Checked<NamedNode> {
    let id = Some(p.id.as_str());
    let speaker = match p.speaker_kind {
        SpeakerKind::Unknown => {
            return Err(failure(
                p,
                "speaker_kind",
                "the speaker is unknown: fill in speaker and speaker_kind, or set keep: false"
                    .into(),
            ))
        }
        SpeakerKind::Outlet => match &p.speaker_iri {
            Some(value) => iri(value, id, "speaker_iri")?,
            None => outlet.clone(),
        },
        kind => {
            if p.speaker.trim().is_empty() {
                return Err(failure(p, "speaker", "name the speaker".into()));
            }
            let class = match kind {
                SpeakerKind::Organization => "organization",
                _ => "person",
            };
            match &p.speaker_iri {
                Some(value) => iri(value, id, "speaker_iri")?,
                None => minted(class, &p.speaker),
            }
        }
    };
    let class = match p.speaker_kind {
        SpeakerKind::Organization => cg::ORGANIZATION,
        SpeakerKind::Outlet => cg::OUTLET,
        _ => cg::PERSON,
    };
    if p.speaker_is_new || p.speaker_iri.is_none() {
        w.add(&speaker, rdf::TYPE, class.into_owned());
        w.label(&speaker, &p.speaker);
    }
    Ok(speaker)
}

/// The capacity: a known post, or a new post from the title when the speaker is new.
fn capacity(w: &mut Writer, p: &Proposal) -> Checked<Option<NamedNode>> {
    let id = Some(p.id.as_str());
    let new_person =
        p.speaker_is_new && matches!(p.speaker_kind, SpeakerKind::Person | SpeakerKind::Official);
    Ok(match (&p.capacity, &p.title, &p.organization) {
        (Some(value), _, _) => Some(iri(value, id, "capacity")?),
        (None, Some(title), Some(organization)) if new_person => {
            Some(new_post(w, title, organization))
        }
        _ => None,
    })
}

/// A post is a title in an organization: "spokesman" of two ministries are two posts.
fn new_post(w: &mut Writer, title: &str, organization: &str) -> NamedNode {
    let named = if linking::normalize(title).ends_with(&linking::normalize(organization)) {
        title.to_string()
    } else {
        format!("{title} of {organization}")
    };
    let post = minted("post", &named);
    let org_iri = minted("organization", organization);
    w.add(&post, rdf::TYPE, cg::POST.into_owned());
    w.label(&post, &capitalize(title));
    w.add(&post, org::POST_IN, org_iri.clone());
    w.add(&org_iri, rdf::TYPE, cg::ORGANIZATION.into_owned());
    w.label(&org_iri, organization);
    post
}

/// Where it was said: a document of the medium, which the article derives from.
fn medium_record(
    w: &mut Writer,
    p: &Proposal,
    medium: &str,
    date: &str,
    document: &NamedNode,
    speaker: &NamedNode,
) {
    let month = &date[..7];
    let record = minted("document", &format!("{} {medium} {month}", p.speaker));
    w.add(&record, rdf::TYPE, cg::DOCUMENT.into_owned());
    w.label(&record, &format!("{} {medium} ({month})", p.speaker));
    w.add(&record, cg::RECORDS, speaker.clone());
    if let Some(publisher) = medium_outlet(medium) {
        let publisher_iri = minted("organization", &publisher);
        w.add(&publisher_iri, rdf::TYPE, cg::OUTLET.into_owned());
        w.label(&publisher_iri, &publisher);
        w.add(&record, cg::PUBLISHED_BY, publisher_iri);
    }
    w.add(document, cg::DERIVED_FROM, record);
}

/// The proposition: a known one, or a new one with its question.
fn proposition(w: &mut Writer, p: &Proposal) -> Checked<NamedNode> {
    if let Some(value) = &p.proposition_iri {
        return iri(value, Some(p.id.as_str()), "proposition_iri");
    }
    let proposition = minted("proposition", &p.proposition);
    let question_label = if p.question.trim().is_empty() {
        format!("Is it so that {}?", p.proposition)
    } else {
        p.question.clone()
    };
    let question = minted("question", &question_label);
    w.add(&question, rdf::TYPE, cg::QUESTION.into_owned());
    w.label(&question, &question_label);
    w.add(&proposition, rdf::TYPE, cg::PROPOSITION.into_owned());
    w.label(&proposition, &p.proposition);
    w.add(&proposition, cg::ANSWERS, question);
    Ok(proposition)
}

/// The statement itself: who stated what, when, where reported, in which words,
/// with what polarity and certainty.
fn describe(
    w: &mut Writer,
    p: &Proposal,
    statement: &NamedNode,
    speaker: NamedNode,
    date: &str,
    document: &NamedNode,
    proposition: NamedNode,
) {
    w.add(statement, rdf::TYPE, cg::STATEMENT.into_owned());
    let who = if p.speaker.is_empty() {
        "?"
    } else {
        p.speaker.as_str()
    };
    w.label(statement, &format!("{who}: {}", p.proposition));
    w.add(statement, cg::STATED_BY, speaker);
    w.add(statement, cg::STATED_ON, date_literal(date));
    w.add(statement, cg::REPORTED_IN, document.clone());
    w.add(
        statement,
        cg::TEXT,
        Literal::new_language_tagged_literal_unchecked(p.text.trim(), "en"),
    );
    w.add(
        statement,
        cg::IS_DIRECT_QUOTE,
        Literal::from(p.how == How::Quote),
    );
    if let Some(phrase) = &p.quoted_phrase {
        w.add(
            statement,
            cg::QUOTED_PHRASE,
            Literal::new_simple_literal(phrase),
        );
    }
    w.add(statement, cg::PROPOSITION_PROP, proposition);
    w.add(
        statement,
        cg::POLARITY,
        match p.polarity {
            Polarity::Assert => cg::ASSERTION.into_owned(),
            Polarity::Deny => cg::DENIAL.into_owned(),
            Polarity::Report => cg::REPORT.into_owned(),
        },
    );
    if let Some(level) = p.certainty {
        w.add(
            statement,
            cg::CERTAINTY,
            NamedNode::new_unchecked(format!("{}{}", vocab::CG, level.term())),
        );
        if let Some(words) = &p.certainty_wording {
            w.add(
                statement,
                cg::CERTAINTY_WORDING,
                Literal::new_simple_literal(words),
            );
        }
    }
}

/// The outlet a medium names: "in an interview with The New York Times".
fn medium_outlet(medium: &str) -> Option<String> {
    let after = [" with ", " to ", " for "]
        .iter()
        .find_map(|w| medium.split_once(w).map(|(_, rest)| rest))?;
    let name = after.trim();
    name.chars()
        .next()
        .is_some_and(char::is_uppercase)
        .then(|| name.to_string())
}
