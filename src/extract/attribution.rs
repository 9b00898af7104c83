//! The rules that find who said what in a news text: direct quotes and the frame
//! around them, indirect speech after reporting verbs, "according to", speakers
//! carried over by pronoun, surname or paragraph, sentences that refer back ("told
//! about this"), and what is left: the outlet's own report.

use super::lexicon;
use super::sentences::{quotations, Paragraph, Quotation};
pub use super::sheet::{How, SpeakerKind};
use super::speakers::{self, Mention, MentionKind};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A speaker as the article names them, after pronouns and surnames are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    pub kind: SpeakerKind,
    /// The fullest name the article gives; for an official named by post, the post.
    pub name: String,
    pub title: Option<String>,
    pub organization: Option<String>,
}

/// One proposed statement, before linking.
#[derive(Debug, Clone)]
pub struct Found {
    pub speaker: Speaker,
    pub how: How,
    pub verb: Option<String>,
    pub medium: Option<String>,
    /// Where the statement's words are in the text (bytes).
    pub span: Range<usize>,
    /// The statement's words: the text of the span, or the parts of a quote joined.
    pub text: String,
    /// The claim itself, without the attribution: for hedging and the proposition.
    pub claim: String,
    pub quoted_phrase: Option<String>,
    /// Which rule proposed it, for the reviewer.
    pub rule: &'static str,
    pub confidence: f64,
}

/// The reporting verbs as alternatives of a pattern (`lexicon/extract/reporting-verbs.txt`).
static REPORTING_VERBS: LazyLock<String> = LazyLock::new(|| lexicon::REPORTING_VERBS.alternation());

/// A reporting verb.
static VERB: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = &*REPORTING_VERBS;
    Regex::new(&format!(r"\b(?:{verbs})\b")).expect("verb pattern")
});

/// The attribution after a quote: `, Budanov added.`, `, he said,`, `said Budanov.`
static FRAME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = &*REPORTING_VERBS;
    Regex::new(&format!(
        r"^[\s,;:—–-]*(?:(?P<np>[^,;]{{1,120}}?(?:,[^,;]{{1,90}},)?)\s+(?P<verb>{verbs})\b|(?P<verb2>{verbs})\s+(?P<np2>[^,;]{{1,120}}(?:,[^;]{{1,90}},?)?))"
    ))
    .expect("frame pattern")
});

/// The attribution before a quote: `Budanov said: `, `He told reporters, `.
static FRAME_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = &*REPORTING_VERBS;
    Regex::new(&format!(
        r"(?P<np>[^.;:]{{1,160}}?)\s+(?P<verb>{verbs})\b(?P<rest>[^:]{{0,120}}?)[,:]?\s*$"
    ))
    .expect("frame pattern")
});

static ACCORDING_LEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\W*\w+,\s+)?[Aa]ccording to (?P<np>[^,]{1,160}),\s*").expect("according")
});

static ACCORDING_TRAILING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",?\s+according to (?P<np>[^,]{1,160}?)\s*[.!]?$").expect("according")
});

static TRAILING_VERB: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = &*REPORTING_VERBS;
    Regex::new(&format!(
        r",\s+(?:(?P<np>[^,]{{1,100}}?(?:,[^,]{{1,90}},)?)\s+(?P<verb>{verbs})|(?P<verb2>{verbs})\s+(?P<np2>[^,]{{1,120}}?(?:,[^,]{{1,90}})?))(?:\s+(?:on|in|at|during|late|earlier|last|this)\b[^,]{{0,60}})?\s*[.!]?$"
    ))
    .expect("trailing verb pattern")
});

static MEDIUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:in an? (?:exclusive )?(?:interview|statement|video|video address|televised address|address|speech|post|briefing|op-ed|article|comments?|conversation|podcast)(?: (?:with|to|on|for) (?:the |a )?(?:[A-Z][\w’'.&-]*)(?: (?:[A-Z][\w’'.&-]*|of|the|de))*)?|on (?:Telegram|Twitter|X|Facebook|Instagram|YouTube|television|TV|(?:the )?radio)|at an? (?:press conference|news conference|briefing|meeting|summit|forum)(?: (?:in|of|with) [A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*)*)?)",
    )
    .expect("medium pattern")
});

/// Words that refer back to what came before instead of saying something new.
static BACK_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:about (?:this|that|it)|this|that|so|it|as much|of this|of it)\b(?P<rest>.*)$")
        .expect("back reference")
});

static CALLED_IT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:it|this|that|them|these|the (?:move|operation|tactic|episode|maneuver|manoeuvre))\b",
    )
    .expect("called it")
});

/// Finite verbs that show a coordinated part is a clause of its own.
static FINITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?:{})\b", lexicon::FINITE_VERBS.alternation())).expect("finite")
});

/// Participles that report speech for the sentence's subject: ", saying".
static PARTICIPLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r",?\s(?:{})\b",
        lexicon::REPORTING_PARTICIPLES.alternation()
    ))
    .expect("participle")
});

/// What one sentence says and who says it.
enum Reading {
    /// Statements with their speakers' mentions.
    Statements(Vec<Draft>),
    /// A sentence that attributes earlier sentences to a speaker ("X told about
    /// this"). `joins` is set when it also belongs to the statement ("called it a
    /// 'carousel'").
    BackReference {
        mentions: Vec<Mention>,
        verb: String,
        medium: Option<String>,
        joins: bool,
        quoted_phrase: Option<String>,
        one_sentence: bool,
    },
    /// "X said:" before a quote in the next paragraph.
    Introduction(Vec<Mention>, String),
    /// No attribution.
    Plain,
}

struct Draft {
    mentions: Vec<Mention>,
    how: How,
    verb: Option<String>,
    span: Range<usize>,
    text: String,
    claim: String,
    quoted_phrase: Option<String>,
    rule: &'static str,
    confidence: f64,
    /// Carries the speaker to the rest of the paragraph ("According to him, ...").
    carries: bool,
    /// The quote has words around it that name nobody the rules know ("A local
    /// business sent a card that read:"): it does not go on with the last speaker.
    unresolved_frame: bool,
}

/// Runs the rules over a text's paragraphs.
pub fn find(text: &str, paragraphs: &[Paragraph], headline: &str) -> Vec<Found> {
    let mut state = State::default();
    // The headline says nothing itself, but names people the text may call by one name.
    state.names_seen.extend(speakers::full_names(headline));
    let mut out = Vec::new();
    // Unattributed sentences of the previous paragraph, which a back-reference at
    // the start of the next may claim.
    let mut left_over: Vec<Range<usize>> = Vec::new();
    // Paragraphs left in a quote opened and not closed (0: none open).
    let mut run_on = 0usize;
    for paragraph in paragraphs {
        let mut pending: Vec<Range<usize>> = Vec::new();
        let mut carry: Option<(Vec<Speaker>, Option<String>)> = None;
        let paragraph_starts_with_quote = paragraph
            .sentences
            .first()
            .is_some_and(|s| text[s.clone()].starts_with(['"', '“', '«', '„']));
        for (index, sentence) in paragraph.sentences.iter().enumerate() {
            let marks = quotations(text, sentence.clone());
            if run_on > 0 && marks.is_empty() && is_statement_like(&text[sentence.clone()]) {
                // Inside a quote opened earlier and not yet closed: the speaker's words.
                out.push(state.unmarked_speech(
                    text,
                    sentence.clone(),
                    0.55,
                    "inside a quote that runs on from an earlier sentence",
                ));
                continue;
            }
            if marks.iter().any(|q| q.runs_on) {
                run_on = 3;
            } else if !marks.is_empty() {
                run_on = 0;
            }
            let mut reading = read(text, sentence.clone(), &marks);
            if matches!(reading, Reading::Plain) {
                reading = introduction(&text[sentence.clone()]).unwrap_or(reading);
            }
            state
                .names_seen
                .extend(speakers::full_names(&text[sentence.clone()]));
            if matches!(reading, Reading::Plain) {
                // "Mr Plaskitt was asked ...": "he" in what follows is Mr Plaskitt.
                if let Some(name) = speakers::subject_name(&text[sentence.clone()]) {
                    let mention = Mention {
                        words: name.clone(),
                        kind: MentionKind::Person,
                        name: Some(name),
                        title: None,
                        organization: None,
                    };
                    if !speakers::is_state_name(mention.words.as_str()) {
                        let person = state.resolve(&mention);
                        state.last_person = Some(person);
                        state.last_person_paragraph = state.paragraph;
                    }
                }
            }
            match reading {
                Reading::Statements(drafts) => {
                    for draft in drafts {
                        let carries = draft.carries;
                        let unknown = draft.mentions.is_empty();
                        let mut weak = false;
                        let framed = draft.unresolved_frame;
                        let mut speakers = Vec::new();
                        if unknown {
                            // A quote with no frame: the speaker of the previous
                            // quote or introduction, when the paragraph goes on with it.
                            // Within a paragraph, its last speaker; a paragraph that
                            // opens with a quote goes on with the person the text
                            // was last about (quoted, introduced, or its subject).
                            let continued = carry
                                .as_ref()
                                .map(|c| c.0.clone())
                                .or_else(|| {
                                    (index > 0)
                                        .then(|| state.last_in_paragraph.clone())
                                        .flatten()
                                        .map(|s| vec![s])
                                })
                                .or_else(|| {
                                    (index == 0 || paragraph_starts_with_quote)
                                        .then(|| {
                                            state.previous_quoted.clone().or_else(|| {
                                                weak = true;
                                                // Only someone quoted or named in
                                                // the two paragraphs before.
                                                (state.last_person_paragraph + 2 >= state.paragraph)
                                                    .then(|| state.last_person.clone())
                                                    .flatten()
                                            })
                                        })
                                        .flatten()
                                        .map(|s| vec![s])
                                });
                            match continued.filter(|_| !framed) {
                                Some(found) => speakers = found,
                                None => speakers.push(Speaker::unknown()),
                            }
                        } else {
                            for mention in &draft.mentions {
                                speakers.push(state.resolve(mention));
                            }
                        }
                        let medium = medium_of(&text[sentence.clone()]);
                        let confidence = if unknown {
                            if speakers[0].kind == SpeakerKind::Unknown {
                                0.2
                            } else {
                                0.6
                            }
                        } else {
                            draft.confidence
                                - if draft
                                    .mentions
                                    .iter()
                                    .any(|m| m.kind == MentionKind::Pronoun)
                                {
                                    0.1
                                } else {
                                    0.0
                                }
                        };
                        let rule = if unknown && speakers[0].kind != SpeakerKind::Unknown {
                            if index > 0 {
                                "quote going on with the paragraph's speaker"
                            } else if weak {
                                "quote paragraph going on with the person last named"
                            } else {
                                "quote paragraph going on with the previous paragraph's quote"
                            }
                        } else {
                            draft.rule
                        };
                        for speaker in &speakers {
                            let medium = medium.clone().or_else(|| state.medium_of(speaker));
                            out.push(Found {
                                speaker: speaker.clone(),
                                how: draft.how,
                                verb: draft.verb.clone(),
                                medium: medium.clone(),
                                span: draft.span.clone(),
                                text: draft.text.clone(),
                                claim: draft.claim.clone(),
                                quoted_phrase: draft.quoted_phrase.clone(),
                                rule,
                                confidence,
                            });
                            state.spoke(speaker, medium, draft.how);
                        }
                        if carries && !speakers.is_empty() {
                            carry = Some((speakers.clone(), None));
                        }
                        if draft.how == How::Paraphrase && !carries {
                            // A paraphrase does not carry past its own sentence.
                        }
                    }
                }
                Reading::BackReference {
                    mentions,
                    verb,
                    medium,
                    joins,
                    quoted_phrase,
                    one_sentence,
                } => {
                    let speakers: Vec<Speaker> =
                        mentions.iter().map(|m| state.resolve(m)).collect();
                    let mut claimed: Vec<Range<usize>> = if !pending.is_empty() {
                        std::mem::take(&mut pending)
                    } else if index == 0 {
                        std::mem::take(&mut left_over)
                    } else {
                        Vec::new()
                    };
                    if one_sentence && claimed.len() > 1 {
                        let last = claimed.pop().expect("one");
                        // The earlier ones stay the outlet's.
                        for earlier in claimed.drain(..) {
                            out.push(outlet_statement(text, earlier));
                        }
                        claimed.push(last);
                    }
                    if joins {
                        if let Some(last) = claimed.pop() {
                            for earlier in claimed.drain(..) {
                                out.push(outlet_statement(text, earlier));
                            }
                            claimed.push(last.start..sentence.end);
                        }
                    }
                    for range in claimed {
                        let words = text[range.clone()].to_string();
                        for speaker in &speakers {
                            let medium = medium.clone().or_else(|| state.medium_of(speaker));
                            out.push(Found {
                                speaker: speaker.clone(),
                                how: How::Paraphrase,
                                verb: Some(verb.clone()),
                                medium: medium.clone(),
                                span: range.clone(),
                                text: words.clone(),
                                claim: words.clone(),
                                quoted_phrase: quoted_phrase.clone(),
                                rule: "earlier sentences attributed by a later one (\"told about this\", \"called it\")",
                                confidence: 0.7,
                            });
                            state.spoke(speaker, medium, How::Paraphrase);
                        }
                    }
                    for speaker in &speakers {
                        if let Some(medium) = &medium {
                            state.mediums.push((speaker.name.clone(), medium.clone()));
                        }
                    }
                }
                Reading::Introduction(mentions, _verb) => {
                    let speakers: Vec<Speaker> =
                        mentions.iter().map(|m| state.resolve(m)).collect();
                    if let Some(first) = speakers.first() {
                        state.quote_speaker = Some(first.clone());
                        state.last_in_paragraph = Some(first.clone());
                        // The quote paragraphs that follow are theirs.
                        state.last_quoted = Some(first.clone());
                        if matches!(first.kind, SpeakerKind::Person | SpeakerKind::Official) {
                            state.last_person = Some(first.clone());
                            state.last_person_paragraph = state.paragraph;
                        }
                    }
                    carry = Some((speakers, None));
                }
                Reading::Plain => {
                    let carried = carry
                        .as_ref()
                        .filter(|_| !opens_with_new_subject(&text[sentence.clone()]));
                    if let Some((speakers, _)) = carried {
                        let words = text[sentence.clone()].to_string();
                        for speaker in speakers {
                            let medium = state.medium_of(speaker);
                            out.push(Found {
                                speaker: speaker.clone(),
                                how: How::Paraphrase,
                                verb: None,
                                medium,
                                span: sentence.clone(),
                                text: words.clone(),
                                claim: words.clone(),
                                quoted_phrase: None,
                                rule: "paraphrase carried on from \"according to\" earlier in the paragraph",
                                confidence: 0.55,
                            });
                        }
                    } else if is_statement_like(&text[sentence.clone()])
                        && FIRST_PERSON.is_match(&text[sentence.clone()])
                    {
                        // A reporter does not say "I" or "we": this is speech whose
                        // quotation marks the page lost, going on from its speaker.
                        out.push(state.unmarked_speech(
                            text,
                            sentence.clone(),
                            0.5,
                            "first-person words without quotation marks: speech going on",
                        ));
                    } else if is_statement_like(&text[sentence.clone()]) {
                        pending.push(sentence.clone());
                        state.last_quoted = None;
                    }
                }
            }
        }
        for range in left_over.drain(..) {
            out.push(outlet_statement(text, range));
        }
        // A quote left open runs on for at most a few paragraphs.
        run_on = run_on.saturating_sub(1);
        left_over = pending;
        state.last_in_paragraph = None;
        state.previous_quoted = state.last_quoted.take();
        state.paragraph += 1;
    }
    for range in left_over {
        out.push(outlet_statement(text, range));
    }
    out.sort_by_key(|f| (f.span.start, f.span.end));
    out
}

fn outlet_statement(text: &str, range: Range<usize>) -> Found {
    let words = text[range.clone()].to_string();
    Found {
        speaker: Speaker {
            kind: SpeakerKind::Outlet,
            name: String::new(),
            title: None,
            organization: None,
        },
        how: How::Paraphrase,
        verb: None,
        medium: None,
        span: range,
        claim: words.clone(),
        text: words,
        quoted_phrase: None,
        rule: "no attribution: the outlet's own report",
        confidence: 0.6,
    }
}

/// A sentence that introduces the quotes after it without a reporting verb: "Mayor
/// Lisa Brown issued the following statement:", or a line that is only a name and
/// title ("Dr. Melissa Diaz-Musa, Director of Public Health").
fn introduction(sentence: &str) -> Option<Reading> {
    let trimmed = sentence.trim();
    if trimmed.ends_with(':') {
        let name = speakers::subject_name(trimmed)?;
        let mentions = speakers::parse(&name)?;
        return Some(Reading::Introduction(mentions, ":".into()));
    }
    let ends = trimmed.ends_with(['.', '!', '?', '"', '”']);
    if ends || word_count(trimmed) > 10 {
        return None;
    }
    if !speakers::is_name_line(trimmed) {
        return None;
    }
    let mentions = speakers::parse(trimmed)?;
    (mentions.len() == 1 && mentions[0].kind == MentionKind::Person)
        .then(|| Reading::Introduction(mentions, "".into()))
}

/// A sentence that can be a statement of the outlet's: a few words, not a
/// question, not a link to another article, not a remark on where words were said.
fn is_statement_like(sentence: &str) -> bool {
    let words = sentence.split_whitespace().count();
    words >= 5 && !sentence.trim_end().ends_with('?') && !NOT_A_CLAIM.is_match(sentence)
}

/// First-person words, which a reporter's own sentences do not use.
static FIRST_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:I|I[’']m|I[’']ve|I[’']d|I[’']ll|[Ww]e|[Ww]e[’'](?:re|ve|ll|d)|[Oo]ur|us|[Mm]y|me)\b",
    )
    .expect("first person")
});

static NOT_A_CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:read (?:also|more)|see also|related|photo|video|watch|listen|subscribe|advertisement)\b|\b(?:made|gave|delivered) (?:the|these|those|his|her|their) (?:remarks|comments|statement|speech)\b",
    )
    .expect("not a claim")
});

/// Whether a sentence opens with a new subject (a name: "Germany has not decided"),
/// not with one of the words that go on with what came before: after "according to
/// him", such a sentence goes on with his account.
fn opens_with_new_subject(sentence: &str) -> bool {
    let first = sentence
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_matches(|c: char| !c.is_alphanumeric());
    first.chars().next().is_some_and(char::is_uppercase)
        && !lexicon::CONTINUING_OPENERS.contains(&first.to_lowercase())
}

impl Speaker {
    fn unknown() -> Self {
        Speaker {
            kind: SpeakerKind::Unknown,
            name: String::new(),
            title: None,
            organization: None,
        }
    }
}

/// What the article has said so far: for pronouns, surnames and quotes that go on.
#[derive(Default)]
struct State {
    people: Vec<Speaker>,
    last_person: Option<Speaker>,
    /// The paragraph in which `last_person` was last quoted or named.
    last_person_paragraph: usize,
    /// The paragraph being read.
    paragraph: usize,
    last_speaker: Option<Speaker>,
    quote_speaker: Option<Speaker>,
    last_in_paragraph: Option<Speaker>,
    mediums: Vec<(String, String)>,
    /// Who was quoted last in the paragraph, when a quote ended it so far.
    last_quoted: Option<Speaker>,
    /// Who was quoted at the end of the previous paragraph.
    previous_quoted: Option<Speaker>,
    /// Names of two or three words met in the text so far, for surnames.
    names_seen: Vec<(String, Option<String>)>,
}

impl State {
    fn resolve(&mut self, mention: &Mention) -> Speaker {
        match mention.kind {
            MentionKind::Pronoun => {
                let plural = matches!(mention.words.to_lowercase().as_str(), "they" | "them");
                let found = if plural {
                    self.last_speaker.clone()
                } else {
                    self.last_person.clone()
                };
                found.unwrap_or_else(Speaker::unknown)
            }
            MentionKind::Person => {
                let name = mention.name.clone().unwrap_or_default();
                // A surname, or a name given in full earlier: the fullest form.
                let last = name
                    .split_whitespace()
                    .last()
                    .unwrap_or_default()
                    .to_lowercase();
                let earlier = self.people.iter().find(|p| {
                    p.kind == SpeakerKind::Person
                        && p.name
                            .split_whitespace()
                            .last()
                            .unwrap_or_default()
                            .to_lowercase()
                            == last
                });
                match earlier {
                    Some(known) if !name.contains(' ') || known.name == name => {
                        let mut speaker = known.clone();
                        if speaker.title.is_none() {
                            speaker.title = mention.title.clone();
                            speaker.organization = mention.organization.clone();
                        }
                        speaker
                    }
                    _ => {
                        // A surname whose full name the article gave in passing.
                        let name = if name.contains(' ') {
                            name
                        } else {
                            self.names_seen
                                .iter()
                                .rev()
                                .find(|(full, _)| {
                                    full.split_whitespace().last().unwrap_or_default() == name
                                })
                                .or_else(|| {
                                    // "Rohit" after "Rohit Sharma".
                                    self.names_seen.iter().rev().find(|(full, _)| {
                                        full.split_whitespace().next().unwrap_or_default() == name
                                    })
                                })
                                .map(|(full, _)| full.clone())
                                .unwrap_or(name)
                        };
                        let speaker = Speaker {
                            kind: SpeakerKind::Person,
                            name,
                            title: mention.title.clone(),
                            organization: mention.organization.clone(),
                        };
                        self.people.push(speaker.clone());
                        speaker
                    }
                }
            }
            MentionKind::Official => {
                let title = mention
                    .title
                    .clone()
                    .unwrap_or_else(|| mention.words.clone());
                // "the president" after "President Volodymyr Zelensky": the same person.
                if let Some(head) = speakers::title_head(&title) {
                    if let Some(person) = self.person_titled(&head) {
                        return person;
                    }
                }
                Speaker {
                    kind: SpeakerKind::Official,
                    name: title.clone(),
                    title: Some(title),
                    organization: mention.organization.clone(),
                }
            }
            MentionKind::Organization => Speaker {
                kind: SpeakerKind::Organization,
                name: mention
                    .organization
                    .clone()
                    .or_else(|| mention.name.clone())
                    .unwrap_or_else(|| mention.words.clone()),
                title: None,
                organization: None,
            },
        }
    }

    /// A sentence without quotation marks that is still someone's words: the
    /// paragraph's speaker's, or the last person's.
    fn unmarked_speech(
        &mut self,
        text: &str,
        sentence: Range<usize>,
        confidence: f64,
        rule: &'static str,
    ) -> Found {
        let speaker = self
            .last_in_paragraph
            .clone()
            .or_else(|| self.last_person.clone())
            .unwrap_or_else(Speaker::unknown);
        let words = text[sentence.clone()].to_string();
        let found = Found {
            confidence: if speaker.kind == SpeakerKind::Unknown {
                0.2
            } else {
                confidence
            },
            medium: self.medium_of(&speaker),
            speaker: speaker.clone(),
            how: How::Quote,
            verb: None,
            span: sentence,
            text: words.clone(),
            claim: words,
            quoted_phrase: None,
            rule,
        };
        self.spoke(&speaker, None, How::Quote);
        found
    }

    /// The person most recently named with a title of this head word.
    fn person_titled(&mut self, head: &str) -> Option<Speaker> {
        let has = |title: &str| {
            title
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .any(|w| w == head)
        };
        if let Some(known) = self
            .people
            .iter()
            .rev()
            .find(|p| p.kind == SpeakerKind::Person && p.title.as_deref().is_some_and(has))
        {
            return Some(known.clone());
        }
        let (name, title) = self
            .names_seen
            .iter()
            .rev()
            .find(|(_, t)| t.as_deref().is_some_and(has))?
            .clone();
        let speaker = Speaker {
            kind: SpeakerKind::Person,
            name,
            title,
            organization: None,
        };
        self.people.push(speaker.clone());
        Some(speaker)
    }

    fn spoke(&mut self, speaker: &Speaker, medium: Option<String>, how: How) {
        if speaker.kind == SpeakerKind::Unknown {
            return;
        }
        if matches!(speaker.kind, SpeakerKind::Person | SpeakerKind::Official) {
            self.last_person = Some(speaker.clone());
            self.last_person_paragraph = self.paragraph;
        }
        self.last_speaker = Some(speaker.clone());
        self.last_in_paragraph = Some(speaker.clone());
        if how == How::Quote {
            self.quote_speaker = Some(speaker.clone());
            self.last_quoted = Some(speaker.clone());
        } else {
            self.last_quoted = None;
        }
        if let Some(medium) = medium {
            if !self.mediums.iter().any(|(n, _)| *n == speaker.name) {
                self.mediums.push((speaker.name.clone(), medium));
            }
        }
    }

    /// The medium a speaker was first reported through, for their later statements.
    fn medium_of(&self, speaker: &Speaker) -> Option<String> {
        self.mediums
            .iter()
            .find(|(name, _)| *name == speaker.name)
            .map(|(_, m)| m.clone())
    }
}

fn medium_of(sentence: &str) -> Option<String> {
    MEDIUM
        .find(sentence)
        .map(|m| m.as_str().trim_end_matches(['.', ',']).to_string())
}

/// Replaces the inside of quotations with `x` so that patterns see only the frame;
/// byte offsets stay the same.
fn mask(sentence: &str, quotes: &[Quotation], base: usize) -> String {
    let mut bytes = sentence.as_bytes().to_vec();
    for quote in quotes {
        for b in &mut bytes[quote.inner.start - base..quote.inner.end - base] {
            *b = b'x';
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| sentence.to_string())
}

/// The original words at the place of a part of the masked sentence.
fn unmask<'a>(original: &'a str, masked: &str, part: &str) -> &'a str {
    let start = (part.as_ptr() as usize).saturating_sub(masked.as_ptr() as usize);
    original.get(start..start + part.len()).unwrap_or_default()
}

fn word_count(words: &str) -> usize {
    words.split_whitespace().count()
}

/// Whether a quote is woven into the reporter's clause: a word (not a reporting
/// verb) runs into its opening mark and the clause goes on after its closing one.
fn is_woven(text: &str, sentence: &Range<usize>, quote: &Quotation) -> bool {
    let before = text[sentence.start..quote.outer.start].trim_end();
    let after = text[quote.outer.end..sentence.end].trim_start();
    let runs_in = before.chars().last().is_some_and(|c| c.is_alphanumeric());
    if !runs_in {
        return false;
    }
    let last_words: Vec<&str> = before.split_whitespace().rev().take(4).collect();
    let after_verb = last_words.first().is_some_and(|w| *w != "that")
        && last_words.iter().any(|w| VERB.is_match(w));
    if after_verb {
        return false;
    }
    // "... was "showing his ignorance"." and "... that "the war is over" because ...".
    after.is_empty()
        || after.starts_with(['.', ',', ';', '!', '?', ')'])
        || after.chars().next().is_some_and(char::is_lowercase)
}

/// Reads one sentence.
fn read(text: &str, sentence: Range<usize>, quotes: &[Quotation]) -> Reading {
    let words = &text[sentence.clone()];
    // A quote of a few words, or one woven into the reporter's clause ("said Mr
    // Spencer was "once again showing his ignorance""), is a quoted phrase of a
    // paraphrase; the others are the speaker's own words.
    let (long, short): (Vec<&Quotation>, Vec<&Quotation>) = quotes
        .iter()
        .partition(|q| word_count(&text[q.inner.clone()]) >= 4 && !is_woven(text, &sentence, q));
    let quoted_phrase = short
        .iter()
        .map(|q| {
            text[q.inner.clone()]
                .trim_end_matches(['.', ','])
                .to_string()
        })
        .find(|p| p.chars().next().is_some_and(char::is_lowercase));
    let masked = mask(words, quotes, sentence.start);
    if !long.is_empty() {
        return read_quotes(text, sentence, &long, &masked);
    }
    let reading = read_indirect(text, sentence.clone(), &masked, quoted_phrase);
    // Someone's words woven into a sentence that names nobody are still theirs,
    // not the outlet's: read them as quotes.
    let woven: Vec<&Quotation> = short
        .iter()
        .copied()
        .filter(|q| word_count(&text[q.inner.clone()]) >= 4)
        .collect();
    if matches!(reading, Reading::Plain) && !woven.is_empty() {
        return read_quotes(text, sentence, &woven, &masked);
    }
    reading
}

fn read_quotes(text: &str, sentence: Range<usize>, long: &[&Quotation], masked: &str) -> Reading {
    let base = sentence.start;
    let words = &text[sentence.clone()];
    let first = long[0];
    let last = long[long.len() - 1];
    let before = &masked[..first.outer.start - base];
    let after = &masked[last.outer.end - base..];
    let between: Vec<&str> = long
        .windows(2)
        .map(|w| &masked[w[0].outer.end - base..w[1].outer.start - base])
        .collect();
    let quote_text: String = long
        .iter()
        .map(|q| text[q.inner.clone()].trim())
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(',')
        .to_string();

    // A quote inside a paraphrase: "X said that Russia "is preparing a new offensive"".
    let mut mentions = None;
    let mut verb = None;
    let mut rule = "direct quote with its speaker";
    for frame in between.iter().chain([&after]) {
        if let Some((m, v)) = frame_after(words, masked, frame) {
            mentions = Some(m);
            verb = Some(v);
            break;
        }
    }
    if mentions.is_none() {
        if let Some(caps) = ACCORDING_TRAILING.captures(after) {
            if let Some(m) = speakers::parse_object(unmask(words, masked, &caps["np"])) {
                mentions = Some(m);
                verb = Some("according to".to_string());
            }
        }
    }
    let mut paraphrase_with_quote = false;
    // "José Gomes: "We went out onto the pitch ..."".
    if mentions.is_none() {
        if let Some(label) = before.trim().strip_suffix(':') {
            let label = label
                .trim()
                .trim_start_matches(['*', '-', '•', '–', '—', ' ']);
            if word_count(label) <= 8 && !VERB.is_match(label) {
                if let Some(m) = speakers::parse(unmask(words, masked, label)) {
                    if m.iter()
                        .all(|m| matches!(m.kind, MentionKind::Person | MentionKind::Official))
                    {
                        mentions = Some(m);
                        verb = Some(":".to_string());
                        rule = "direct quote after its speaker's name and a colon";
                    }
                }
            }
        }
    }
    if mentions.is_none() && !before.trim().is_empty() {
        if let Some(caps) = ACCORDING_LEADING.captures(before) {
            if let Some(m) = speakers::parse_object(unmask(words, masked, &caps["np"])) {
                mentions = Some(m);
                verb = Some("according to".to_string());
                paraphrase_with_quote =
                    caps.get(0).map_or(0, |m| m.end()) < before.trim_end().len();
            }
        }
    }
    if mentions.is_none() && !before.trim().is_empty() {
        if let Some(caps) = FRAME_BEFORE.captures(before) {
            if let Some(m) = speakers::parse(unmask(words, masked, &caps["np"])) {
                let rest = caps["rest"].trim();
                mentions = Some(m);
                verb = Some(caps["verb"].to_string());
                rule = "direct quote after its speaker";
                paraphrase_with_quote = rest.starts_with("that ") && word_count(rest) > 1;
            }
        }
    }
    if mentions.is_none() && !before.trim().is_empty() {
        if let Some(found) = find_subject_verb(words, before) {
            // "X said that Russia "..."": a paraphrase with the speaker's words in it.
            mentions = Some(found.0);
            verb = Some(found.1);
            paraphrase_with_quote = true;
        }
    }
    let mut confidence = 0.9;
    if mentions.is_none() {
        // "Ken McCallum gave a stark warning ..., saying that the UK faces "..."":
        // the participle's subject is the sentence's.
        if let Some(found) = PARTICIPLE.find(masked) {
            if let Some(m) = speakers::opening_speaker(&words[..found.start()]) {
                mentions = Some(m);
                verb = Some(found.as_str().trim_start_matches([',', ' ']).to_string());
                rule = "direct quote after a participle (\"saying\") of the sentence's subject";
                confidence = 0.75;
            }
        }
    }
    let Some(mentions) = mentions else {
        let frame_words = word_count(before)
            + between.iter().map(|b| word_count(b)).sum::<usize>()
            + word_count(after);
        let framed = frame_words >= 3;
        return Reading::Statements(
            quote_pieces(text, long)
                .into_iter()
                .map(|(span, words)| Draft {
                    mentions: Vec::new(),
                    how: How::Quote,
                    verb: None,
                    span,
                    text: words.clone(),
                    claim: words,
                    quoted_phrase: None,
                    rule: "direct quote, no speaker in its sentence",
                    confidence: 0.2,
                    carries: false,
                    unresolved_frame: framed,
                })
                .collect(),
        );
    };
    if paraphrase_with_quote {
        let verb = verb.unwrap_or_default();
        return Reading::Statements(split_coordinated(
            text,
            sentence.clone(),
            0..words.trim_end().trim_end_matches(['.', '!']).len(),
            Claims {
                mentions: &mentions,
                verb: &verb,
                quoted_phrase: Some(quote_text),
                rule: "paraphrase with a quote in it",
                confidence: 0.8,
                carries: false,
            },
        ));
    }
    let mut drafts: Vec<Draft> = quote_pieces(text, long)
        .into_iter()
        .map(|(span, words)| Draft {
            mentions: mentions.clone(),
            how: How::Quote,
            verb: verb.clone(),
            span,
            text: words.clone(),
            claim: words,
            quoted_phrase: None,
            rule,
            confidence,
            carries: false,
            unresolved_frame: false,
        })
        .collect();
    // "..., Budanov said, adding that Iran was very likely to supply more drones."
    if let Some(at) = after
        .find(", adding that ")
        .or_else(|| after.find(", adding "))
    {
        let start = last.outer.end - base + at + 2;
        let claim_start = words[start..]
            .find("that ")
            .map_or(start + "adding ".len(), |p| start + p + "that ".len());
        let end = words.trim_end().trim_end_matches(['.', '!']).len();
        if claim_start < end {
            drafts.push(Draft {
                mentions,
                how: How::Paraphrase,
                verb: Some("adding".into()),
                span: base + start..base + words.trim_end().len(),
                text: words[start..].trim().to_string(),
                claim: words[claim_start..end].trim().to_string(),
                quoted_phrase: None,
                rule: "indirect speech added after a quote (\"adding that\")",
                confidence: 0.8,
                carries: false,
                unresolved_frame: false,
            });
        }
    }
    Reading::Statements(drafts)
}

/// The sentences of a quote, each a statement of its own; a part cut by the
/// attribution ("Part one," X said, "part two.") joins the part that ends it.
fn quote_pieces(text: &str, long: &[&Quotation]) -> Vec<(Range<usize>, String)> {
    let mut pieces: Vec<(Range<usize>, String)> = Vec::new();
    let mut open = false;
    for quote in long {
        for range in super::sentences::sentences(text, quote.inner.clone()) {
            let words = text[range.clone()].trim().to_string();
            match pieces.last_mut() {
                Some((span, joined)) if open => {
                    *joined = format!("{joined} {words}");
                    span.end = range.end;
                }
                _ => pieces.push((range.clone(), words)),
            }
            open = !text[range].trim_end().ends_with(['.', '!', '?', '…']);
        }
    }
    // A stray mark is not a quote.
    pieces.retain(|(_, words)| words.chars().filter(|c| c.is_alphanumeric()).count() >= 2);
    pieces
}

/// `, Budanov added.` / `, said Budanov.` after a quote.
fn frame_after(words: &str, masked: &str, frame: &str) -> Option<(Vec<Mention>, String)> {
    let caps = FRAME_AFTER.captures(frame)?;
    if let (Some(np), Some(verb)) = (caps.name("np"), caps.name("verb")) {
        if let Some(m) = speakers::parse(unmask(words, masked, np.as_str())) {
            return Some((m, verb.as_str().to_string()));
        }
    }
    if let (Some(np), Some(verb)) = (caps.name("np2"), caps.name("verb2")) {
        if let Some(m) = speakers::parse_object(unmask(words, masked, np.as_str())) {
            return Some((m, verb.as_str().to_string()));
        }
    }
    None
}

/// The first reporting verb whose subject names a speaker, in a frame.
fn find_subject_verb(words: &str, masked: &str) -> Option<(Vec<Mention>, String)> {
    for found in VERB.find_iter(masked) {
        let subject = clause_before(masked, found.start());
        if let Some(m) = speakers::parse(unmask(words, masked, subject)) {
            return Some((m, found.as_str().to_string()));
        }
    }
    None
}

/// The words of the clause that ends where the verb starts.
/// Parenthetical remarks ("(local time)", "[Israel]") are passed over.
fn clause_before(masked: &str, at: usize) -> &str {
    let before = &masked[..at];
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in before.char_indices().rev() {
        match c {
            ')' | ']' => depth += 1,
            '(' | '[' if depth > 0 => depth -= 1,
            '(' | '[' | ';' | ':' | '—' if depth == 0 => {
                start = i + c.len_utf8();
                break;
            }
            _ => {}
        }
    }
    before[start..].trim()
}

fn read_indirect(
    text: &str,
    sentence: Range<usize>,
    masked: &str,
    quoted_phrase: Option<String>,
) -> Reading {
    let words = &text[sentence.clone()];
    // "According to him, the troops are not lined up ..."
    if let Some(caps) = ACCORDING_LEADING.captures(masked) {
        if let Some(mentions) = speakers::parse_object(unmask(words, masked, &caps["np"])) {
            let claim_start = caps.get(0).map_or(0, |m| m.end());
            return Reading::Statements(split_coordinated(
                text,
                sentence.clone(),
                claim_start..words.len(),
                Claims {
                    mentions: &mentions,
                    verb: "according to",
                    quoted_phrase,
                    rule: "paraphrase introduced by \"according to\"",
                    confidence: 0.85,
                    carries: true,
                },
            ));
        }
    }
    if let Some(caps) = ACCORDING_TRAILING.captures(masked) {
        if let Some(mentions) = speakers::parse_object(unmask(words, masked, &caps["np"])) {
            let claim_end = caps.get(0).map_or(words.len(), |m| m.start());
            return Reading::Statements(split_coordinated(
                text,
                sentence.clone(),
                0..claim_end,
                Claims {
                    mentions: &mentions,
                    verb: "according to",
                    quoted_phrase,
                    rule: "paraphrase followed by \"according to\"",
                    confidence: 0.85,
                    carries: false,
                },
            ));
        }
    }
    // "X said that ...", "X told about this", "X called it a 'carousel'", "X said:".
    for found in VERB.find_iter(masked) {
        let subject = clause_before(masked, found.start());
        let Some(mentions) = speakers::parse(unmask(words, masked, subject)) else {
            continue;
        };
        let verb = found.as_str().to_string();
        let after = &masked[found.end()..];
        let medium = medium_of(words);
        let content_start = content_start(after, &verb);
        let content = after[content_start..].trim();
        let content_words = content.trim_end_matches(['.', '!', ':']).trim();
        if verb == "called" || verb == "calls" {
            if CALLED_IT.is_match(content_words) {
                return Reading::BackReference {
                    mentions,
                    verb,
                    medium,
                    joins: true,
                    quoted_phrase,
                    one_sentence: true,
                };
            }
            continue;
        }
        if masked.trim_end().ends_with(':') && word_count(content_words) <= 3 {
            return Reading::Introduction(mentions, verb);
        }
        if let Some(caps) = BACK_REFERENCE.captures(content_words) {
            let rest = caps["rest"].trim();
            let rest_is_frame = rest.is_empty()
                || MEDIUM.find(rest).is_some_and(|m| m.start() <= 3)
                || rest.starts_with("on ")
                || rest.starts_with("in ")
                || rest.starts_with("at ");
            if rest_is_frame {
                return Reading::BackReference {
                    mentions,
                    verb,
                    medium,
                    joins: false,
                    quoted_phrase,
                    one_sentence: content_words.starts_with("it"),
                };
            }
        }
        if word_count(content_words) < 3 {
            continue;
        }
        let claim_offset = found.end()
            + content_start
            + (after[content_start..].len() - after[content_start..].trim_start().len());
        let claim_end = words.trim_end().trim_end_matches(['.', '!']).len();
        return Reading::Statements(split_coordinated(
            text,
            sentence.clone(),
            claim_offset..claim_end.max(claim_offset),
            Claims {
                mentions: &mentions,
                verb: &verb,
                quoted_phrase,
                rule: "indirect speech after a reporting verb",
                confidence: 0.85,
                carries: false,
            },
        ));
    }
    // "Russia is preparing an offensive, the minister said."
    if let Some(caps) = TRAILING_VERB.captures(masked) {
        let (np, verb, inverted) = match (caps.name("np"), caps.name("verb")) {
            (Some(np), Some(verb)) => (np.as_str(), verb.as_str(), false),
            _ => (
                caps.name("np2").map_or("", |m| m.as_str()),
                caps.name("verb2").map_or("", |m| m.as_str()),
                true,
            ),
        };
        let mentions = if inverted {
            speakers::parse_object(unmask(words, masked, np))
        } else {
            speakers::parse(unmask(words, masked, np))
        };
        if let Some(mentions) = mentions {
            let claim_end = caps.get(0).map_or(words.len(), |m| m.start());
            return Reading::Statements(split_coordinated(
                text,
                sentence.clone(),
                0..claim_end,
                Claims {
                    mentions: &mentions,
                    verb,
                    quoted_phrase,
                    rule: "paraphrase followed by its speaker",
                    confidence: 0.8,
                    carries: false,
                },
            ));
        }
    }
    Reading::Plain
}

/// Where the reported content starts after the verb: past "that", an object of
/// "told" ("told reporters that", "told The New York Times"), adverbials ("on
/// Tuesday").
fn content_start(after: &str, verb: &str) -> usize {
    let trimmed = after.trim_start();
    let lead = after.len() - trimmed.len();
    // Up to the first "that" within a few words.
    let mut offset = 0;
    for (count, word) in trimmed.split_inclusive(' ').enumerate() {
        if count > 10 {
            break;
        }
        let w = word.trim();
        if w == "that" || w == "that," {
            return lead + offset + word.len();
        }
        if FINITE.is_match(w) || w.ends_with(['.', '!', '?']) {
            // "said there was no doubt that ...": that "that" is the claim's own.
            break;
        }
        if w.ends_with(':')
            || w.ends_with(',')
                && count > 0
                && !verb.starts_with("tel")
                && !verb.starts_with("told")
        {
            break;
        }
        offset += word.len();
    }
    if verb.starts_with("told") || verb.starts_with("tell") {
        // "told about this", "told reporters ..." without "that".
        if trimmed.starts_with("about ") {
            return lead;
        }
    }
    if let Some(colon) = trimmed.find(": ") {
        if word_count(&trimmed[..colon]) <= 6 {
            return lead + colon + 2;
        }
    }
    lead
}

static CONJUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",? and that |, and |, but |, (?:al)?though |; ").expect("conjunction")
});

/// How a claim is cut into coordinated claims, and what each part is.
struct Claims<'a> {
    mentions: &'a [Mention],
    verb: &'a str,
    quoted_phrase: Option<String>,
    rule: &'static str,
    confidence: f64,
    carries: bool,
}

/// Splits "X said that A, and that B" (and "A, and the Bs are C", "A, but B") into
/// one statement per claim; the first keeps the attribution's words, as an analyst
/// would cite it. `claim` is where the claim lies in the sentence (bytes).
fn split_coordinated(
    text: &str,
    sentence: Range<usize>,
    claim: Range<usize>,
    how: Claims<'_>,
) -> Vec<Draft> {
    let words = &text[sentence.clone()];
    let claim_words = &words[claim.clone()];
    // (where the part's text starts, where its claim starts), in `words`.
    let mut starts = vec![(0usize, claim.start)];
    let mut last_claim = claim.start;
    for found in CONJUNCTION.find_iter(claim_words) {
        let cut = claim.start + found.start();
        let after = claim.start + found.end();
        let rest = &words[after..claim.end];
        let left = &words[last_claim..cut];
        let that = found.as_str().ends_with("that ");
        let clause = that
            || word_count(left) >= 4
                && FINITE
                    .find(rest)
                    .is_some_and(|m| m.start() > 0 && word_count(&rest[..m.start()]) <= 6);
        if clause {
            let text_start = cut + found.as_str().len()
                - found.as_str().trim_start_matches([',', ';', ' ']).len();
            starts.push((text_start, after));
            last_claim = after;
        }
    }
    let split = starts.len() > 1;
    let mut drafts = Vec::new();
    for (i, &(text_start, claim_start)) in starts.iter().enumerate() {
        let (text_end, claim_end) = match starts.get(i + 1) {
            Some(&(next_text, _)) => {
                let end = words[..next_text].trim_end_matches([',', ';', ' ']).len();
                (end, end)
            }
            None => (words.len(), claim.end),
        };
        drafts.push(Draft {
            mentions: how.mentions.to_vec(),
            how: How::Paraphrase,
            verb: Some(how.verb.to_string()),
            span: sentence.start + text_start..sentence.start + text_end,
            text: words[text_start..text_end].trim().to_string(),
            claim: words[claim_start..claim_end.max(claim_start)]
                .trim()
                .to_string(),
            quoted_phrase: how.quoted_phrase.clone(),
            rule: if split {
                "one of the coordinated claims of a reported sentence"
            } else {
                how.rule
            },
            confidence: if split {
                how.confidence - 0.1
            } else {
                how.confidence
            },
            carries: how.carries,
            unresolved_frame: false,
        });
    }
    drafts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::sentences::paragraphs;

    fn found(text: &str) -> Vec<(String, SpeakerKind, How, String)> {
        find(text, &paragraphs(text, 0), "")
            .into_iter()
            .map(|f| (f.speaker.name, f.speaker.kind, f.how, f.text))
            .collect()
    }

    #[test]
    fn a_quote_then_its_speaker_and_a_pronoun_carried_over() {
        let all = found(
            "Kyrylo Budanov spoke on Monday.\n\"Russia is not ready to attack again,\" Budanov said. \"They lack the tanks for it,\" he added.",
        );
        let quotes: Vec<_> = all.iter().filter(|f| f.2 == How::Quote).collect();
        assert_eq!(quotes.len(), 2);
        assert!(quotes.iter().all(|q| q.0 == "Kyrylo Budanov"), "{all:?}");
        assert_eq!(quotes[0].3, "Russia is not ready to attack again,");
    }

    #[test]
    fn a_speaker_before_the_quote_and_inverted_after_it() {
        let all = found(
            "NATO Secretary General Jens Stoltenberg said: \"Moscow is moving new units every week.\"\n\"Putin has not changed his goals at all,\" said U.S. Secretary of State Antony Blinken.",
        );
        assert_eq!(all[0].0, "Jens Stoltenberg");
        assert_eq!(all[1].0, "Antony Blinken");
        assert!(all.iter().all(|f| f.2 == How::Quote));
    }

    #[test]
    fn a_quote_paragraph_goes_on_with_the_last_speaker() {
        let all = found(
            "\"The enemy is exhausted and short of shells,\" said Valerii Zaluzhnyi.\n\"We will hold the line through the whole winter.\"",
        );
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].0, "Valerii Zaluzhnyi");
        assert_eq!(all[1].2, How::Quote);
    }

    #[test]
    fn a_quote_without_any_speaker_is_left_unknown() {
        let all = found("\"Nobody here expects the power to come back soon,\" a sign read.");
        assert_eq!(all[0].1, SpeakerKind::Unknown);
    }

    #[test]
    fn indirect_speech_split_at_coordinated_claims() {
        let all = found(
            "The Commander-in-Chief Valerii Zaluzhnyi said that the Russians are training 200 000 soldiers, and that he has no doubt that they will try again.",
        );
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all[1].3.starts_with("and that he has no doubt"));
    }

    #[test]
    fn earlier_sentences_attributed_by_a_later_one() {
        let all = found(
            "No intelligence indicates an imminent threat from Belarus. The long-term risks of this remain.\nThe head of intelligence Kyrylo Budanov told about this in an interview with The New York Times.",
        );
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all.iter().all(|f| f.0 == "Kyrylo Budanov"));
        let with_medium = find(
            "No intelligence indicates an imminent threat from Belarus.\nKyrylo Budanov told about this in an interview with The New York Times.",
            &paragraphs(
                "No intelligence indicates an imminent threat from Belarus.\nKyrylo Budanov told about this in an interview with The New York Times.",
                0,
            ),
            "",
        );
        assert_eq!(
            with_medium[0].medium.as_deref(),
            Some("in an interview with The New York Times")
        );
    }

    #[test]
    fn according_to_carries_on_but_not_past_a_new_subject() {
        let all = found(
            "According to him, the troops are not ready. They go to Donbas after training. Germany has not decided on tanks.",
        );
        // "him" has no antecedent: the speaker is unknown, but the carrying is what is tested.
        assert_eq!(all.len(), 3);
        assert_eq!(all[1].1, all[0].1);
        assert_eq!(all[2].1, SpeakerKind::Outlet);
    }

    #[test]
    fn two_speakers_joined_by_and_get_a_statement_each() {
        let all = found(
            "The Minister of Defense Oleksiy Reznikov and the commander of the OC \"South\" also believe that Russia plans another wave in February.",
        );
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].0, "Oleksiy Reznikov");
        assert_eq!(all[1].1, SpeakerKind::Official);
        assert_eq!(all[0].3, all[1].3);
    }

    #[test]
    fn unattributed_sentences_are_the_outlets_and_links_are_nothing() {
        let all = found("On December 20, Russia began to move equipment closer to the border.\nRead also: What the trains in Belarus carry");
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].1, SpeakerKind::Outlet);
    }
}
