//! The walk through an article's paragraphs: each sentence's reading becomes
//! statements, with speakers carried from sentence to sentence and paragraph to
//! paragraph; what no rule attributes is the outlet's own report.

use super::discourse::Discourse;
use super::frames::medium_of;
use super::reading::{self, BackReference, Draft, Reading};
use super::{Found, How, Speaker, SpeakerKind};
use crate::extract::lexicon::CONTINUING_OPENERS;
use crate::extract::sentences::{quotations, Paragraph};
use crate::extract::speakers::{Mention, MentionKind};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// The walk, with what it has proposed so far.
pub(super) struct Walk<'t> {
    text: &'t str,
    discourse: Discourse,
    found: Vec<Found>,
    /// Unattributed sentences of the previous paragraph, which a back-reference at
    /// the start of the next may claim.
    left_over: Vec<Range<usize>>,
    /// Paragraphs left in a quote opened and not closed (0: none open).
    run_on: usize,
    /// Where the previous paragraph's statements start in `found`.
    previous_paragraph: usize,
}

/// The rules of a quote without a frame of its own, given the speaker the text
/// goes on with.
const CONTINUED_RULES: [&str; 3] = [
    "quote going on with the paragraph's speaker",
    "quote paragraph going on with the person last named",
    "quote paragraph going on with the previous paragraph's quote",
];

/// A signature line under a quote: "― Pamela Padilla", "— Ann Lee, Tucson, Ariz."
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[―—–]\s*(?P<name>(?:(?:Mr|Mrs|Ms|Dr)\.\s+)?[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|de|van|von)){0,3})(?:,\s*[A-Z][^,]{0,40}(?:,\s*[A-Z][^,]{0,30})?)?\.?$",
    )
    .expect("signature pattern")
});

/// A mention with the apposition that follows it, as the words naming the speaker
/// are read: "Mr. King, 82," before its verb; "said Andrew Smith, who directs the
/// poll." to the sentence's end. Another quotation ends it.
fn with_apposition(
    text: &str,
    sentence: &Range<usize>,
    mention: Range<usize>,
    cue: Option<&Range<usize>>,
    quoted: &[Range<usize>],
) -> Range<usize> {
    static APPOSITION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:,\s*\d{1,3}\b)?(?:,?\s+(?:who|whose)\b[^,;:“”\x22]*)?")
            .expect("apposition pattern")
    });
    let limit = match cue {
        Some(cue) if cue.start >= mention.end => cue.start,
        _ => quoted
            .iter()
            .map(|q| q.start)
            .filter(|&start| start >= mention.end)
            .min()
            .unwrap_or(sentence.end),
    };
    let after = &text[mention.end..limit];
    let Some(found) = APPOSITION.find(after).filter(|f| !f.as_str().is_empty()) else {
        return mention;
    };
    let rest = after[found.end()..].trim_start();
    // Before its verb, the apposition is closed by a comma; after it, it runs to the
    // end of the sentence (or of what is left before a quote).
    let closed = match cue {
        Some(cue) if cue.start >= mention.end => {
            rest.starts_with(',') && rest[1..].trim().is_empty()
        }
        _ => rest
            .trim_start_matches(['.', ',', '!', '?', '"', '”', '“'])
            .trim()
            .is_empty(),
    };
    if !closed {
        return mention;
    }
    let words = found
        .as_str()
        .trim_end_matches(|c: char| c.is_whitespace() || c == '.');
    mention.start..mention.end + words.len()
}

/// Whether a quotation's words end a sentence ("... first." rather than "... first,").
fn ends_closed(words: &str) -> bool {
    words
        .trim_end()
        .trim_end_matches(['"', '”', '’', '»', '\''])
        .ends_with(['.', '!', '?', '…'])
}

/// A sentence that is only a quote with no frame of its own, which may go on with
/// the quotation the sentence before left open.
fn goes_on_quoting(sentence: &str, draft: &Draft) -> bool {
    draft.how == How::Quote
        && draft.mentions.is_empty()
        && !draft.unresolved_frame
        && sentence.starts_with(['"', '“', '«', '„'])
}

/// Where the walk is in a paragraph.
struct InParagraph {
    /// The sentence's place in the paragraph.
    index: usize,
    starts_with_quote: bool,
    /// The paragraph's unattributed sentences so far.
    pending: Vec<Range<usize>>,
    /// The speakers the rest of the paragraph goes on with ("According to him, ...",
    /// "X said:").
    carry: Option<Vec<Speaker>>,
    /// The quote the sentence before left open ("“Part one,” he said."), which a
    /// sentence opening with a quote and no frame of its own goes on with.
    open_quote: Option<usize>,
}

impl<'t> Walk<'t> {
    /// The walk of a text; the headline says nothing itself, but names people the
    /// text may call by one name.
    pub(super) fn new(text: &'t str, headline: &str) -> Self {
        let mut discourse = Discourse::default();
        discourse.meet_names(headline);
        Walk {
            text,
            discourse,
            found: Vec::new(),
            left_over: Vec::new(),
            run_on: 0,
            previous_paragraph: 0,
        }
    }

    pub(super) fn paragraph(&mut self, paragraph: &Paragraph) {
        if self.signature(paragraph) {
            return;
        }
        let starts_at = self.found.len();
        let mut here = InParagraph {
            index: 0,
            starts_with_quote: paragraph
                .sentences
                .first()
                .is_some_and(|s| self.text[s.clone()].starts_with(['"', '“', '«', '„'])),
            pending: Vec::new(),
            carry: None,
            open_quote: None,
        };
        for (index, sentence) in paragraph.sentences.iter().enumerate() {
            here.index = index;
            self.sentence(sentence.clone(), &mut here);
        }
        // What the paragraph before left unattributed stays the outlet's.
        for range in self.left_over.drain(..) {
            self.found.push(outlet_statement(self.text, range));
        }
        // A quote left open runs on for at most a few paragraphs.
        self.run_on = self.run_on.saturating_sub(1);
        self.left_over = here.pending;
        self.discourse.end_paragraph();
        self.previous_paragraph = starts_at;
    }

    /// A paragraph that is only a signature ("― Pamela Padilla, Tucson") names the
    /// speaker of the quotes before it that no frame of their own attributed (a
    /// reader's letter, a voter's words): they become that person's. Says whether the
    /// paragraph was one.
    fn signature(&mut self, paragraph: &Paragraph) -> bool {
        // The line from its start: a dash at its head may have been taken for a
        // bullet and left out of the paragraph.
        let line_start = self.text[..paragraph.span.start]
            .rfind('\n')
            .map_or(0, |at| at + 1);
        let words = self.text[line_start.min(paragraph.span.start)..paragraph.span.end].trim();
        let Some(name) = SIGNATURE.captures(words).and_then(|c| c.name("name")) else {
            return false;
        };
        let unframed = |f: &Found| {
            f.how == How::Quote
                && (f.rule == super::quotes::NO_SPEAKER_IN_SENTENCE
                    || CONTINUED_RULES.contains(&f.rule))
        };
        let quotes: Vec<usize> = (self.previous_paragraph..self.found.len())
            .filter(|&i| unframed(&self.found[i]))
            .collect();
        if quotes.is_empty() {
            return false;
        }
        let name = name.as_str();
        self.discourse.meet_names(name);
        let speaker = self.discourse.resolve(&Mention {
            words: name.to_string(),
            kind: MentionKind::Person,
            name: Some(name.to_string()),
            title: None,
            organization: None,
        });
        let at = line_start.min(paragraph.span.start);
        let line = &self.text[at..paragraph.span.end];
        let mention = line
            .find(name)
            .map(|offset| at + offset..at + offset + name.len());
        for i in quotes {
            let found = &mut self.found[i];
            found.speaker = speaker.clone();
            found.mention = mention.clone();
            found.rule = "direct quote signed on the line after it";
            found.confidence = 0.8;
        }
        true
    }

    /// The statements, in the text's order.
    pub(super) fn finish(mut self) -> Vec<Found> {
        for range in std::mem::take(&mut self.left_over) {
            self.found.push(outlet_statement(self.text, range));
        }
        self.found.sort_by_key(|f| (f.span.start, f.span.end));
        self.found
    }

    fn sentence(&mut self, sentence: Range<usize>, here: &mut InParagraph) {
        let words = &self.text[sentence.clone()];
        let marks = quotations(self.text, sentence.clone());
        if self.run_on > 0 && marks.is_empty() && is_statement_like(words) {
            // Inside a quote opened earlier and not yet closed: the speaker's words.
            let found = self.discourse.unmarked_speech(
                self.text,
                sentence,
                0.55,
                "inside a quote that runs on from an earlier sentence",
            );
            self.found.push(found);
            return;
        }
        if marks.iter().any(|q| q.runs_on) {
            self.run_on = 3;
        } else if !marks.is_empty() {
            self.run_on = 0;
        }
        let mut reading = reading::read(self.text, sentence.clone(), &marks);
        if matches!(reading, Reading::Plain) {
            reading = reading::introduction(words).unwrap_or(reading);
        }
        for name in self.discourse.meet_names(words) {
            if let Some(at) = locate(self.text, &sentence, &name, &[], None) {
                self.discourse.named(&name, at);
            }
        }
        if matches!(reading, Reading::Plain) {
            self.discourse.meet_subject(words);
        }
        let open_quote = here.open_quote.take();
        match reading {
            Reading::Statements(drafts) => {
                let mut drafts = drafts.into_iter();
                if let Some(first) = drafts.next() {
                    match open_quote.filter(|_| goes_on_quoting(words, &first)) {
                        Some(at) => self.go_on_quoting(at, first, here),
                        None => self.statement(first, &sentence, here),
                    }
                }
                for draft in drafts {
                    self.statement(draft, &sentence, here);
                }
            }
            Reading::BackReference(back) => self.back_reference(back, &sentence, here),
            Reading::Introduction(mentions, _verb) => self.introduction(&mentions, here),
            Reading::Plain => self.plain(sentence, here),
        }
    }

    /// A statement of the sentence, said by the speakers its mentions stand for, or
    /// when it names none (a quote with no frame), by whom the paragraph goes on with.
    fn statement(&mut self, draft: Draft, sentence: &Range<usize>, here: &mut InParagraph) {
        let unknown = draft.mentions.is_empty();
        let (speakers, weak) = if unknown {
            self.continued_speakers(&draft, here)
        } else {
            let speakers = draft
                .mentions
                .iter()
                .map(|mention| self.discourse.resolve(mention))
                .collect();
            (speakers, false)
        };
        let continued = unknown && speakers[0].kind != SpeakerKind::Unknown;
        let confidence = if unknown {
            if continued {
                0.6
            } else {
                0.2
            }
        } else if draft
            .mentions
            .iter()
            .any(|m| m.kind == MentionKind::Pronoun)
        {
            draft.confidence - 0.1
        } else {
            draft.confidence
        };
        let rule = match (continued, here.index > 0, weak) {
            (false, _, _) => draft.rule,
            (true, true, _) => CONTINUED_RULES[0],
            (true, false, true) => CONTINUED_RULES[1],
            (true, false, false) => CONTINUED_RULES[2],
        };
        let medium = medium_of(&self.text[sentence.clone()]);
        // A quote's frame is outside its quoted parts (between them, where the
        // attribution interrupts it); a paraphrase's may be inside its words.
        let own: Vec<Range<usize>> = match draft.how {
            How::Quote => quotations(self.text, sentence.clone())
                .into_iter()
                .map(|q| q.inner)
                .collect(),
            How::Paraphrase => Vec::new(),
        };
        for (k, speaker) in speakers.iter().enumerate() {
            let medium = medium.clone().or_else(|| self.discourse.medium_of(speaker));
            let mention = draft
                .mentions
                .get(k)
                .and_then(|m| locate(self.text, sentence, &m.words, &own, None));
            let cue = draft
                .verb
                .as_deref()
                .and_then(|verb| locate(self.text, sentence, verb, &own, mention.as_ref()));
            let mention =
                mention.map(|at| with_apposition(self.text, sentence, at, cue.as_ref(), &own));
            let pronoun = draft.mentions.get(k).map(|m| m.kind) == Some(MentionKind::Pronoun);
            let mut antecedent = if pronoun && speaker.kind != SpeakerKind::Unknown {
                self.discourse.last_named(&speaker.name)
            } else {
                None
            };
            // A quote going on with an earlier speaker is named by the words that
            // named them there.
            let mention = match mention {
                None if continued => {
                    let earlier = self.earlier_mention(speaker);
                    antecedent = earlier.as_ref().and_then(|(_, a)| a.clone());
                    earlier.map(|(m, _)| m)
                }
                mention => mention,
            };
            if let (Some(at), false, SpeakerKind::Person | SpeakerKind::Official) =
                (&mention, pronoun, speaker.kind)
            {
                self.discourse.named(&speaker.name, at.clone());
            }
            self.found.push(Found {
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
                mention,
                cue,
                antecedent,
            });
            self.discourse.spoke(speaker, medium, draft.how);
        }
        here.open_quote =
            (draft.how == How::Quote && speakers.len() == 1 && !ends_closed(&draft.text))
                .then(|| self.found.len() - 1);
        if draft.carries && !speakers.is_empty() {
            here.carry = Some(speakers);
        }
    }

    /// The words that last named a speaker in a statement of theirs, with what they
    /// were resolved through.
    fn earlier_mention(&self, speaker: &Speaker) -> Option<(Range<usize>, Option<Range<usize>>)> {
        self.found
            .iter()
            .rev()
            .filter(|f| f.speaker.kind == speaker.kind && f.speaker.name == speaker.name)
            .find_map(|f| Some((f.mention.clone()?, f.antecedent.clone())))
    }

    /// "“Part one,” he said. “Part two.”": the second sentence's quote is the same
    /// quotation as the one the sentence before left open, by the same speaker.
    fn go_on_quoting(&mut self, at: usize, draft: Draft, here: &mut InParagraph) {
        let found = &mut self.found[at];
        found.text = format!("{} {}", found.text, draft.text);
        found.claim = format!("{} {}", found.claim, draft.claim);
        found.span.end = draft.span.end;
        if !ends_closed(&draft.text) {
            here.open_quote = Some(at);
        }
    }

    /// The speakers of a quote with no frame: the speaker of the previous quote or
    /// introduction, when the paragraph goes on with it, else nobody known. The flag
    /// says the speaker is only the person last named.
    fn continued_speakers(&self, draft: &Draft, here: &InParagraph) -> (Vec<Speaker>, bool) {
        let (continued, weak) = match &here.carry {
            Some(carried) => (Some(carried.clone()), false),
            None => {
                let (speaker, weak) = self
                    .discourse
                    .goes_on_with(here.index, here.starts_with_quote);
                (speaker.map(|s| vec![s]), weak)
            }
        };
        // Words around the quote that name nobody the rules know: not the last speaker.
        let speakers = match continued.filter(|_| !draft.unresolved_frame) {
            Some(found) => found,
            None => vec![Speaker::unknown()],
        };
        (speakers, weak)
    }

    /// "X told about this": the paragraph's unattributed sentences so far (or, at
    /// its start, those the paragraph before left) are X's.
    fn back_reference(
        &mut self,
        back: BackReference,
        sentence: &Range<usize>,
        here: &mut InParagraph,
    ) {
        let speakers: Vec<Speaker> = back
            .mentions
            .iter()
            .map(|m| self.discourse.resolve(m))
            .collect();
        let claimed = self.claimed_sentences(&back, sentence, here);
        for range in claimed {
            let words = self.text[range.clone()].to_string();
            for speaker in &speakers {
                let medium = back
                    .medium
                    .clone()
                    .or_else(|| self.discourse.medium_of(speaker));
                self.found.push(Found {
                    speaker: speaker.clone(),
                    how: How::Paraphrase,
                    verb: Some(back.verb.clone()),
                    medium: medium.clone(),
                    span: range.clone(),
                    text: words.clone(),
                    claim: words.clone(),
                    quoted_phrase: back.quoted_phrase.clone(),
                    rule: "earlier sentences attributed by a later one (\"told about this\", \"called it\")",
                    confidence: 0.7,
                    mention: None,
                    cue: None,
                antecedent: None,
                });
                self.discourse.spoke(speaker, medium, How::Paraphrase);
            }
        }
        if let Some(medium) = &back.medium {
            for speaker in &speakers {
                self.discourse.heard_through(speaker, medium);
            }
        }
    }

    /// The sentences a back-reference claims; those it passes over stay the
    /// outlet's. "Said it" claims only the last; "called it a 'carousel'" joins the
    /// last to its own sentence.
    fn claimed_sentences(
        &mut self,
        back: &BackReference,
        sentence: &Range<usize>,
        here: &mut InParagraph,
    ) -> Vec<Range<usize>> {
        let mut claimed: Vec<Range<usize>> = if !here.pending.is_empty() {
            std::mem::take(&mut here.pending)
        } else if here.index == 0 {
            std::mem::take(&mut self.left_over)
        } else {
            Vec::new()
        };
        if back.one_sentence && claimed.len() > 1 {
            let last = claimed.pop().expect("one");
            for earlier in claimed.drain(..) {
                self.found.push(outlet_statement(self.text, earlier));
            }
            claimed.push(last);
        }
        if back.joins {
            if let Some(last) = claimed.pop() {
                for earlier in claimed.drain(..) {
                    self.found.push(outlet_statement(self.text, earlier));
                }
                claimed.push(last.start..sentence.end);
            }
        }
        claimed
    }

    /// "X said:" or a line with only a name: the quotes after it are X's.
    fn introduction(&mut self, mentions: &[Mention], here: &mut InParagraph) {
        let speakers: Vec<Speaker> = mentions.iter().map(|m| self.discourse.resolve(m)).collect();
        if let Some(first) = speakers.first() {
            self.discourse.introduced(first);
        }
        here.carry = Some(speakers);
    }

    /// A sentence no rule attributes: the paragraph's carried speaker's, speech
    /// whose quotation marks were lost, or the outlet's own (unless a back-reference
    /// claims it later).
    fn plain(&mut self, sentence: Range<usize>, here: &mut InParagraph) {
        let words = &self.text[sentence.clone()];
        let carried = here
            .carry
            .as_ref()
            .filter(|_| !opens_with_new_subject(words));
        if let Some(speakers) = carried {
            for speaker in speakers {
                let medium = self.discourse.medium_of(speaker);
                self.found.push(Found {
                    speaker: speaker.clone(),
                    how: How::Paraphrase,
                    verb: None,
                    medium,
                    span: sentence.clone(),
                    text: words.to_string(),
                    claim: words.to_string(),
                    quoted_phrase: None,
                    rule: "paraphrase carried on from \"according to\" earlier in the paragraph",
                    confidence: 0.55,
                    mention: None,
                    cue: None,
                    antecedent: None,
                });
            }
        } else if is_statement_like(words) && FIRST_PERSON.is_match(words) {
            // A reporter does not say "I" or "we": this is speech whose quotation
            // marks the page lost, going on from its speaker.
            let found = self.discourse.unmarked_speech(
                self.text,
                sentence,
                0.5,
                "first-person words without quotation marks: speech going on",
            );
            self.found.push(found);
        } else if is_statement_like(words) {
            here.pending.push(sentence);
            self.discourse.outlet_spoke();
        }
    }
}

/// Where `words` stand in the sentence, as whole words and outside the statement's
/// statement's own words (`own`: a quote's quoted parts); the occurrence nearest
/// `near` where given, else the first.
/// Case is kept, but for a first letter ("He said" for the mention "he").
fn locate(
    text: &str,
    sentence: &Range<usize>,
    words: &str,
    own: &[Range<usize>],
    near: Option<&Range<usize>>,
) -> Option<Range<usize>> {
    let words = words.trim();
    if words.is_empty() {
        return None;
    }
    let within = &text[sentence.clone()];
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    let mut chars = words.chars();
    let first = chars.next()?;
    let tail = chars.as_str();
    let mut candidates = Vec::new();
    for (at, c) in within.char_indices() {
        // The first letter in either case ("He" at a sentence's start), the rest as
        // written.
        if c != first && !c.to_lowercase().eq(first.to_lowercase()) {
            continue;
        }
        let after = at + c.len_utf8();
        if !within[after..].starts_with(tail) {
            continue;
        }
        let end = after + tail.len();
        if is_word(within[..at].chars().next_back()) || is_word(within[end..].chars().next()) {
            continue;
        }
        let range = sentence.start + at..sentence.start + end;
        if own
            .iter()
            .any(|o| range.start < o.end && o.start < range.end)
        {
            continue;
        }
        candidates.push(range);
    }
    match near {
        Some(near) => candidates.into_iter().min_by_key(|r| {
            if r.start >= near.end {
                r.start - near.end
            } else {
                near.start.saturating_sub(r.end)
            }
        }),
        None => candidates.into_iter().next(),
    }
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
        mention: None,
        cue: None,
        antecedent: None,
    }
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
/// not with one of the words that go on with what came before
/// (`lexicon/extract/continuing-openers.txt`).
fn opens_with_new_subject(sentence: &str) -> bool {
    let first = sentence
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_matches(|c: char| !c.is_alphanumeric());
    first.chars().next().is_some_and(char::is_uppercase)
        && !CONTINUING_OPENERS.contains(&first.to_lowercase())
}
