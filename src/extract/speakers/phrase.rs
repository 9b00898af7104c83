//! One noun phrase read as a mention: a name with or without a title, a post
//! alone, an organization, a pronoun, or nobody.

use super::words::{
    is_capitalized, is_honorific, is_name_word, is_organization_word, is_state_name, is_title_word,
    lower,
};
use super::{Mention, MentionKind};
use crate::extract::lexicon::{PARTICLES, PRONOUNS, SPEAKING_DOCUMENTS};

/// Reads one phrase (no "and" joining two speakers) as a mention.
pub(super) fn parse_one(words: &str) -> Option<Mention> {
    let words = words
        .trim()
        .trim_end_matches([',', ';'])
        .trim_start_matches("- ");
    if words.is_empty() {
        return None;
    }
    let l = lower(words);
    let first = l.split_whitespace().next().unwrap_or_default();
    if matches!(first, "no" | "none" | "nothing" | "nobody" | "neither") {
        // "No intelligence indicates ...": nobody speaks.
        return None;
    }
    // "The statement said", "a press release said": the words of whoever issued it.
    if PRONOUNS.contains(&l) || SPEAKING_DOCUMENTS.contains(&l) {
        return Some(Mention {
            words: words.to_string(),
            kind: MentionKind::Pronoun,
            name: None,
            title: None,
            organization: None,
        });
    }
    // Appositions: "Serhiy Nayev, commander of the Joint Forces" or
    // "The commander of the Joint Forces, Lt. Gen. Serhiy Nayev".
    let segments: Vec<&str> = words
        .split(", ")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if segments.len() > 3 {
        return None;
    }
    if let Some(pronoun) = pronoun_before_verb(&segments) {
        return parse_one(pronoun);
    }
    if segments.len() == 1 {
        if let Some(organization) = named_organization(words) {
            return Some(organization);
        }
        if let Some(person) = person_before_preposition(words) {
            return Some(person);
        }
    }
    let (name, titles) = name_and_titles(&segments)?;
    match name {
        Some(name) => Some(named(words, name, titles)),
        None => unnamed(words),
    }
}

/// An organization named whole: capitalized words ending in one that makes a
/// phrase an organization ("The New York Post", "Republican National Committee"),
/// never a person called "York Post".
fn named_organization(words: &str) -> Option<Mention> {
    let plain = strip_article(words);
    let tokens: Vec<&str> = plain.split_whitespace().collect();
    let last = *tokens.last()?;
    let capitalized = tokens
        .iter()
        .all(|t| is_capitalized(t) || matches!(*t, "of" | "and" | "for" | "the" | "&"));
    if tokens.len() < 2 || !capitalized || !is_organization_word(last) {
        return None;
    }
    Some(Mention {
        words: words.to_string(),
        kind: MentionKind::Organization,
        name: None,
        title: None,
        organization: Some(plain.to_string()),
    })
}

/// "Hurricane Florence, he says, will ...": the pronoun right before the verb is
/// the speaker; what comes before it is the reported clause.
fn pronoun_before_verb<'a>(segments: &[&'a str]) -> Option<&'a str> {
    let last = *segments.last()?;
    (segments.len() > 1 && PRONOUNS.contains(&lower(last))).then_some(last)
}

/// "Dr. Janette Nesheiwat of CityMD in New York City": the name comes first and
/// what follows the preposition says where she works.
fn person_before_preposition(words: &str) -> Option<Mention> {
    for preposition in [" of ", " from ", " at ", " in ", " with "] {
        if let Some((head, tail)) = words.split_once(preposition) {
            if let (Some(name), title) = split_name(head) {
                if name.contains(' ') && !tail.is_empty() {
                    return Some(Mention {
                        words: words.to_string(),
                        kind: MentionKind::Person,
                        name: Some(name),
                        organization: None,
                        title,
                    });
                }
            }
        }
    }
    None
}

/// The name and the titles of an apposition's segments; none when two segments
/// each name someone.
fn name_and_titles(segments: &[&str]) -> Option<(Option<String>, Vec<String>)> {
    let mut name = None;
    let mut titles = Vec::new();
    for segment in segments {
        let (segment_name, segment_title) = split_name(segment);
        match (segment_name, &name) {
            (Some(found), None) => name = Some(found),
            (Some(_), Some(_)) => return None,
            _ => {}
        }
        if let Some(title) = segment_title {
            titles.push(title);
        }
    }
    Some((name, titles))
}

/// A person by name, with the title that says most; a lone name of a state
/// ("Moscow") is its government.
fn named(words: &str, name: String, mut titles: Vec<String>) -> Mention {
    // Ranks ("Lieutenant General") tell less than a post: a title with "of" wins.
    titles.sort_by_key(|t| !t.contains(" of "));
    let title = titles.first().map(|t| t.to_string());
    if !name.contains(' ') && title.is_none() && is_state_name(&name) {
        return Mention {
            words: words.to_string(),
            kind: MentionKind::Organization,
            name: Some(name),
            title: None,
            organization: None,
        };
    }
    let organization = title.as_deref().and_then(organization_of);
    Mention {
        words: words.to_string(),
        kind: MentionKind::Person,
        name: Some(name),
        title,
        organization,
    }
}

/// A phrase without a name: an official by post, an organization, or no speaker.
fn unnamed(words: &str) -> Option<Mention> {
    let head = head_word(words)?;
    let kind = if is_title_word(head) {
        MentionKind::Official
    } else if is_organization_word(head) || is_state_name(words) || is_state_name(head) {
        MentionKind::Organization
    } else {
        return None;
    };
    Some(Mention {
        words: words.to_string(),
        kind,
        name: None,
        title: (kind == MentionKind::Official).then(|| strip_article(words).to_string()),
        organization: match kind {
            MentionKind::Organization => Some(strip_article(words).to_string()),
            _ => organization_of(words),
        },
    })
}

/// The head of a noun phrase: its last word before "of", "for" or "in" ("a spokesman
/// for the campaign", "a narrator in the ad"), or its last word.
fn head_word(words: &str) -> Option<&str> {
    let before_of = words.split(" of ").next().unwrap_or(words);
    let before_of = before_of.split(" for ").next().unwrap_or(before_of);
    let before_of = before_of.split(" in ").next().unwrap_or(before_of);
    before_of
        .split_whitespace()
        .last()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
}

fn strip_article(words: &str) -> &str {
    words
        .strip_prefix("The ")
        .or_else(|| words.strip_prefix("the "))
        .unwrap_or(words)
}

/// Splits one segment into the name at its end and the title before it.
fn split_name(segment: &str) -> (Option<String>, Option<String>) {
    let tokens: Vec<&str> = segment.split_whitespace().collect();
    let mut run = 0;
    for token in tokens.iter().rev() {
        let particle = PARTICLES.contains(token) && run > 0;
        if is_name_word(token) || particle {
            run += 1;
        } else {
            break;
        }
    }
    // A particle cannot open the name.
    while run > 0 && PARTICLES.contains(tokens[tokens.len() - run]) {
        run -= 1;
    }
    let before = tokens.len() - run;
    // "in New York City", "at Lenox Hill Hospital": a place or an institution; "a
    // Utah Republican": what the person is, not who.
    if before > 0
        && matches!(
            lower(tokens[before - 1]).as_str(),
            "in" | "at" | "from" | "near" | "with" | "to" | "on" | "by" | "across" | "outside"
                // "a Utah Republican", "a New York Democrat": a description.
                | "a" | "an"
        )
    {
        run = 0;
    }
    // "The soybean harvest will come in late across northern Iowa": a clause before
    // a capitalized word, not a title before a name.
    if before > 6 && !tokens[..before].iter().any(|w| is_title_word(w)) {
        run = 0;
    }
    let after_of = before > 0 && matches!(lower(tokens[before - 1]).as_str(), "of" | "the" | "for");
    if after_of {
        // "of Ukraine Valerii Zaluzhnyi": the first word belongs to the title.
        if run >= 3 {
            run -= 1;
        } else {
            run = 0;
        }
    }
    if run > 4 {
        return (None, Some(segment.to_string()));
    }
    let split = tokens.len() - run;
    let name = (run > 0).then(|| tokens[split..].join(" "));
    // Honorifics ("Mr", "Dr.") are neither name nor post.
    let title_words: Vec<&str> = tokens[..split]
        .iter()
        .copied()
        .filter(|w| !is_honorific(w))
        .collect();
    let title = title_words.join(" ");
    let title = strip_article(title.trim());
    let has_title = title_words.iter().any(|w| is_title_word(w));
    let title = (!title.is_empty() && (has_title || name.is_none())).then(|| title.to_string());
    (name, title)
}

/// The organization a title names: after "of", or before the title word
/// ("NATO Secretary General", "Ukraine's Defence Minister").
fn organization_of(title: &str) -> Option<String> {
    if let Some((_, after)) = title.split_once(" of ") {
        let org = strip_article(after.trim());
        return (!org.is_empty()).then(|| org.to_string());
    }
    let tokens: Vec<&str> = title.split_whitespace().collect();
    let before: Vec<String> = tokens
        .iter()
        .take_while(|t| !is_title_word(t))
        .map(|t| t.trim_end_matches("’s").trim_end_matches("'s").to_string())
        .filter(|t| {
            is_capitalized(t)
                && !lower(t).ends_with("ian")
                && !lower(t).ends_with("ese")
                && !lower(t).ends_with("ish")
                && lower(t) != "the"
        })
        .collect();
    (!before.is_empty()).then(|| before.join(" "))
}
