//! What the article has said so far, for the sentences after it: whom a pronoun or
//! a surname stands for, whose quote a paragraph goes on with, through which medium
//! a speaker was heard.

use super::{Found, How, Speaker, SpeakerKind};
use crate::extract::lexicon::{FEMALE_NAMES, MALE_NAMES};
use crate::extract::speakers::{self, Mention, MentionKind};
use std::ops::Range;

/// What the article has said so far: for pronouns, surnames and quotes that go on.
#[derive(Default)]
pub(super) struct Discourse {
    people: Vec<Speaker>,
    last_person: Option<Speaker>,
    /// The paragraph in which `last_person` was last quoted or named.
    last_person_paragraph: usize,
    /// The paragraph being read.
    paragraph: usize,
    last_speaker: Option<Speaker>,
    last_in_paragraph: Option<Speaker>,
    mediums: Vec<(String, String)>,
    /// Who was quoted last in the paragraph, when a quote ended it so far.
    last_quoted: Option<Speaker>,
    /// Who was quoted at the end of the previous paragraph.
    previous_quoted: Option<Speaker>,
    /// Names of two or three words met in the text so far, for surnames.
    names_seen: Vec<(String, Option<String>)>,
    /// The people the text has been about, the most recent last, for pronouns.
    recent_people: Vec<Speaker>,
    /// The gender of people met, by name, where an honorific or a given name
    /// tells it.
    genders: Vec<(String, Gender)>,
    /// Where each person was last named in the text (bytes), by name.
    named_at: Vec<(String, Range<usize>)>,
}

/// A person's gender as the text tells it, for "he" and "she".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    Female,
    Male,
}

impl Gender {
    /// What a mention tells: "Mr." or "Mrs.", "Ms." before it, else a given name
    /// from the lists of `lexicon/extract/given-names-*.txt`.
    fn of(mention: &Mention) -> Option<Gender> {
        let lower = mention.words.trim().to_lowercase();
        let first = lower
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_end_matches('.');
        match first {
            "mr" => return Some(Gender::Male),
            "mrs" | "ms" | "miss" => return Some(Gender::Female),
            _ => {}
        }
        let given = mention
            .name
            .as_deref()
            .and_then(|name| name.split_whitespace().next())?
            .to_lowercase();
        let (female, male) = (FEMALE_NAMES.contains(&given), MALE_NAMES.contains(&given));
        match (female, male) {
            (true, false) => Some(Gender::Female),
            (false, true) => Some(Gender::Male),
            _ => None,
        }
    }

    /// The gender a pronoun asks for, if any.
    fn of_pronoun(word: &str) -> Option<Gender> {
        match word.to_lowercase().as_str() {
            "he" | "him" | "his" | "himself" => Some(Gender::Male),
            "she" | "her" | "hers" | "herself" => Some(Gender::Female),
            _ => None,
        }
    }
}

impl Discourse {
    /// Remembers the full names in some words (a sentence, the headline), for the
    /// surnames after them.
    /// Gives the names met, for where they stand.
    pub(super) fn meet_names(&mut self, words: &str) -> Vec<String> {
        let names = speakers::full_names(words);
        // A name whose given name tells a gender is a person's: one "he" or "she"
        // may stand for, though nobody has quoted them yet.
        for (full, _) in &names {
            let mention = Mention {
                words: full.clone(),
                kind: MentionKind::Person,
                name: Some(full.clone()),
                title: None,
                organization: None,
            };
            if let Some(gender) = Gender::of(&mention) {
                if !self.recent_people.iter().any(|p| p.name == *full) {
                    self.recent_people.push(Speaker {
                        kind: SpeakerKind::Person,
                        name: full.clone(),
                        title: None,
                        organization: None,
                    });
                }
                self.note_gender(full, Some(gender));
            }
        }
        let met = names.iter().map(|(full, _)| full.clone()).collect();
        self.names_seen.extend(names);
        met
    }

    /// A sentence that attributes nothing: "Mr Plaskitt was asked ...", whose
    /// subject "he" in what follows stands for.
    pub(super) fn meet_subject(&mut self, sentence: &str) {
        let Some(name) = speakers::subject_name(sentence) else {
            return;
        };
        let mention = Mention {
            words: name.clone(),
            kind: MentionKind::Person,
            name: Some(name),
            title: None,
            organization: None,
        };
        if !speakers::is_state_name(mention.words.as_str()) {
            let person = self.resolve(&mention);
            self.about_person(person);
        }
    }

    /// Whom a quote without a frame goes on with, once the paragraph's own carried
    /// speakers are out of the question: within a paragraph (`index` > 0), its last
    /// speaker; a paragraph that opens with a quote goes on with the person the
    /// text was last about (quoted, introduced, or its subject). The flag says the
    /// speaker is only the person last named, a weaker guess.
    pub(super) fn goes_on_with(
        &self,
        index: usize,
        paragraph_starts_with_quote: bool,
    ) -> (Option<Speaker>, bool) {
        if index > 0 {
            if let Some(speaker) = &self.last_in_paragraph {
                return (Some(speaker.clone()), false);
            }
        }
        if !(index == 0 || paragraph_starts_with_quote) {
            return (None, false);
        }
        if let Some(quoted) = &self.previous_quoted {
            return (Some(quoted.clone()), false);
        }
        // Only someone quoted or named in the two paragraphs before.
        let recent = self.last_person_paragraph + 2 >= self.paragraph;
        (recent.then(|| self.last_person.clone()).flatten(), true)
    }

    /// "X said:" introduces the quotes after it: the paragraphs that follow are X's.
    pub(super) fn introduced(&mut self, speaker: &Speaker) {
        self.last_in_paragraph = Some(speaker.clone());
        self.last_quoted = Some(speaker.clone());
        if matches!(speaker.kind, SpeakerKind::Person | SpeakerKind::Official) {
            self.about_person(speaker.clone());
        }
    }

    /// The text is now about this person: the one "he" or "she" stands for first.
    fn about_person(&mut self, person: Speaker) {
        self.recent_people.retain(|p| p.name != person.name);
        self.recent_people.push(person.clone());
        self.last_person = Some(person);
        self.last_person_paragraph = self.paragraph;
    }

    /// A sentence in the outlet's own voice: the paragraph no longer ends in a quote.
    pub(super) fn outlet_spoke(&mut self) {
        self.last_quoted = None;
    }

    /// The speaker was heard through the medium (a back-reference names it).
    pub(super) fn heard_through(&mut self, speaker: &Speaker, medium: &str) {
        self.mediums
            .push((speaker.name.clone(), medium.to_string()));
    }

    pub(super) fn end_paragraph(&mut self) {
        self.last_in_paragraph = None;
        self.previous_quoted = self.last_quoted.take();
        self.paragraph += 1;
    }

    /// The speaker a mention stands for.
    pub(super) fn resolve(&mut self, mention: &Mention) -> Speaker {
        match mention.kind {
            MentionKind::Pronoun => self.pronoun(mention),
            MentionKind::Person => self.person(mention),
            MentionKind::Official => self.official(mention),
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

    /// "they" and "them" are the last speaker; "he" and "she" the person the text was
    /// most recently about whose gender, where the text tells it, fits: "she" never
    /// stands for a man named before, nor "he" for a woman.
    fn pronoun(&self, mention: &Mention) -> Speaker {
        let plural = matches!(mention.words.to_lowercase().as_str(), "they" | "them");
        if plural {
            return self.last_speaker.clone().unwrap_or_else(Speaker::unknown);
        }
        let Some(wanted) = Gender::of_pronoun(mention.words.trim()) else {
            return self.last_person.clone().unwrap_or_else(Speaker::unknown);
        };
        let fits = |person: &Speaker| {
            self.genders
                .iter()
                .find(|(name, _)| *name == person.name)
                .is_none_or(|&(_, gender)| gender == wanted)
        };
        match &self.last_person {
            Some(last) if fits(last) => last.clone(),
            _ => self
                .recent_people
                .iter()
                .rev()
                .find(|p| fits(p))
                .cloned()
                .unwrap_or_else(Speaker::unknown),
        }
    }

    /// A person by name: someone met before when the surname is theirs, else a new
    /// person under the fullest name the article gave.
    fn person(&mut self, mention: &Mention) -> Speaker {
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
        if let Some(known) = earlier.filter(|known| !name.contains(' ') || known.name == name) {
            let mut speaker = known.clone();
            if speaker.title.is_none() {
                speaker.title = mention.title.clone();
                speaker.organization = mention.organization.clone();
            }
            self.note_gender(&speaker.name, Gender::of(mention));
            return speaker;
        }
        let name = if name.contains(' ') {
            name
        } else {
            self.full_name(&name).unwrap_or(name)
        };
        let speaker = Speaker {
            kind: SpeakerKind::Person,
            name,
            title: mention.title.clone(),
            organization: mention.organization.clone(),
        };
        self.people.push(speaker.clone());
        let full = Mention {
            words: speaker.name.clone(),
            kind: MentionKind::Person,
            name: Some(speaker.name.clone()),
            title: None,
            organization: None,
        };
        self.note_gender(
            &speaker.name,
            Gender::of(mention).or_else(|| Gender::of(&full)),
        );
        speaker
    }

    /// The person called `name` was named at `at` in the text.
    pub(super) fn named(&mut self, name: &str, at: Range<usize>) {
        match self.named_at.iter_mut().find(|(known, _)| known == name) {
            Some((_, range)) => *range = at,
            None => self.named_at.push((name.to_string(), at)),
        }
    }

    /// Where the person called `name` was last named, if the text named them.
    pub(super) fn last_named(&self, name: &str) -> Option<Range<usize>> {
        self.named_at
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, at)| at.clone())
    }

    /// Remembers a person's gender where a mention told it (the first telling stands).
    fn note_gender(&mut self, name: &str, gender: Option<Gender>) {
        if let Some(gender) = gender {
            if !self.genders.iter().any(|(known, _)| known == name) {
                self.genders.push((name.to_string(), gender));
            }
        }
    }

    /// The full name the article gave in passing for a surname, or for a first name
    /// ("Rohit" after "Rohit Sharma").
    fn full_name(&self, name: &str) -> Option<String> {
        self.names_seen
            .iter()
            .rev()
            .find(|(full, _)| full.split_whitespace().last().unwrap_or_default() == name)
            .or_else(|| {
                self.names_seen
                    .iter()
                    .rev()
                    .find(|(full, _)| full.split_whitespace().next().unwrap_or_default() == name)
            })
            .map(|(full, _)| full.clone())
    }

    /// An official by post, or the person named earlier with that post: "the
    /// president" after "President Volodymyr Zelensky" is the same person.
    fn official(&mut self, mention: &Mention) -> Speaker {
        let title = mention
            .title
            .clone()
            .unwrap_or_else(|| mention.words.clone());
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

    /// A sentence without quotation marks that is still someone's words: the
    /// paragraph's speaker's, or the last person's.
    pub(super) fn unmarked_speech(
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
            mention: None,
            cue: None,
            antecedent: None,
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

    /// The speaker has made a statement: the one pronouns and quotes that go on
    /// stand for now.
    pub(super) fn spoke(&mut self, speaker: &Speaker, medium: Option<String>, how: How) {
        if speaker.kind == SpeakerKind::Unknown {
            return;
        }
        if matches!(speaker.kind, SpeakerKind::Person | SpeakerKind::Official) {
            self.about_person(speaker.clone());
        }
        self.last_speaker = Some(speaker.clone());
        self.last_in_paragraph = Some(speaker.clone());
        if how == How::Quote {
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
    pub(super) fn medium_of(&self, speaker: &Speaker) -> Option<String> {
        self.mediums
            .iter()
            .find(|(name, _)| *name == speaker.name)
            .map(|(_, m)| m.clone())
    }
}
