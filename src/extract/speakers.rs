//! Who a phrase names as the speaker: a person by name with or without a title, an
//! official by post alone, an organization, or a pronoun to be carried over.

pub(crate) use super::lexicon::WEEKDAYS;
use super::lexicon::{
    HONORIFICS, INTRODUCERS, MONTHS, NOT_NAMES, ORGANIZATION_WORDS, PARTICLES, PRONOUNS,
    SPEAKING_DOCUMENTS, STATE_NAMES, TITLE_WORDS, TRAILING_NOT_SPEAKER,
};

/// What the words before (or after) a reporting verb name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The words as written.
    pub words: String,
    pub kind: MentionKind,
    /// The person's name as written ("Serhiy Nayev", or a surname alone).
    pub name: Option<String>,
    /// The post as written ("Commander-in-Chief of the Armed Forces of Ukraine").
    pub title: Option<String>,
    /// The organization the title names, if it names one.
    pub organization: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// A person named (with or without a title).
    Person,
    /// A person named by post alone ("the commander of the OC South").
    Official,
    /// An institution speaking as itself ("the Ministry of Defence").
    Organization,
    /// He, she, they, him, her, them: the speaker is carried over.
    Pronoun,
}

fn lower(word: &str) -> String {
    word.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '"' | '“' | '”' | '(' | ')'))
        .to_lowercase()
}

fn is_honorific(word: &str) -> bool {
    HONORIFICS.contains(&lower(word))
}

fn is_title_word(word: &str) -> bool {
    let w = lower(word);
    TITLE_WORDS.contains(&w) || w.split('-').any(|part| TITLE_WORDS.contains(part))
}

fn is_organization_word(word: &str) -> bool {
    let w = lower(word);
    let w = w.trim_end_matches("’s").trim_end_matches("'s");
    ORGANIZATION_WORDS.contains(w)
}

fn is_capitalized(word: &str) -> bool {
    word.trim_start_matches(['"', '“', '(', '«'])
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

fn is_name_word(word: &str) -> bool {
    is_capitalized(word)
        && !is_honorific(word)
        && !is_title_word(word)
        && !is_organization_word(word)
        && !{
            let l = lower(word);
            NOT_NAMES.contains(&l) || WEEKDAYS.contains(&l.as_str()) || MONTHS.contains(&l.as_str())
        }
        && !word.contains(['"', '“', '”'])
        && !word.ends_with("’s")
        && !word.ends_with("'s")
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && (!word.chars().all(|c| !c.is_lowercase()) || is_initials(word))
}

/// Initials such as "A.K." or "J.".
fn is_initials(word: &str) -> bool {
    word.ends_with('.')
        && word
            .split('.')
            .filter(|p| !p.is_empty())
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase))
        && !matches!(word, "U.S." | "U.K." | "U.N." | "E.U.")
}

/// Whether a name of one word is a state or a capital speaking for one.
pub fn is_state_name(name: &str) -> bool {
    STATE_NAMES.contains(&name.to_lowercase())
}

/// Names of two or three name-like words in a row ("Kyrylo Budanov"), for
/// expanding a surname met later.
pub fn full_names(sentence: &str) -> Vec<(String, Option<String>)> {
    let tokens: Vec<&str> = sentence
        .split_whitespace()
        .map(|t| t.trim_end_matches([',', '.', ';', ':', '"', '”', ')']))
        .collect();
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut last_title: Option<(usize, String)> = None;
    for (at, token) in tokens.iter().chain(std::iter::once(&"")).enumerate() {
        if !token.is_empty() && is_name_word(token) {
            run.push(token);
            continue;
        }
        // The title word just before the name: "President Volodymyr Zelensky";
        // a surname alone counts when the title is right before it ("President Trump").
        let title = last_title
            .as_ref()
            .filter(|(t, _)| at >= run.len() + t && at - run.len() - t <= 4)
            .map(|(_, w)| w.clone());
        let titled_surname = run.len() == 1
            && last_title
                .as_ref()
                .is_some_and(|(t, _)| *t == at - run.len());
        if (2..=3).contains(&run.len()) || titled_surname {
            out.push((
                run.join(" ")
                    .trim_end_matches("’s")
                    .trim_end_matches("'s")
                    .to_string(),
                title,
            ));
        }
        run.clear();
        if is_title_word(token) {
            last_title = Some((at + 1, lower(token)));
        }
    }
    out
}

/// The person a sentence is about when its subject is a name ("Mr Plaskitt was
/// asked ..."), for pronouns in the sentences after it.
pub fn subject_name(sentence: &str) -> Option<String> {
    let (mention, marked) = opening_phrase(sentence)?;
    (mention.kind == MentionKind::Person && marked)
        .then_some(mention.name)
        .flatten()
}

/// The speaker the sentence opens with, whatever the verb: "Ken McCallum gave a
/// stark warning ...".
pub fn opening_speaker(sentence: &str) -> Option<Vec<Mention>> {
    let (mention, _) = opening_phrase(sentence)?;
    matches!(
        mention.kind,
        MentionKind::Person
            | MentionKind::Official
            | MentionKind::Organization
            | MentionKind::Pronoun
    )
    .then(|| vec![mention])
}

/// The noun phrase a sentence opens with, and whether a title or honorific marks it
/// as a person's.
fn opening_phrase(sentence: &str) -> Option<(Mention, bool)> {
    let plain = without_parentheses(sentence);
    let clause = strip_introduction(plain.trim());
    // The noun phrase that opens the clause: up to its first word in lower case
    // that is not part of a title ("of", "the", a title word).
    let mut words = Vec::new();
    let tokens: Vec<&str> = clause.split_whitespace().take(12).collect();
    for (i, token) in tokens.iter().enumerate() {
        let bare = token.trim_end_matches([',', ';', ':']);
        let l = lower(bare);
        if i == 0 && PRONOUNS.contains(&l) {
            words.push(bare);
            break;
        }
        let joins = matches!(l.as_str(), "of" | "the" | "for" | "and");
        // "opposition leader", "defence minister": a word in lower case that a
        // title follows belongs to it.
        let before_title = tokens
            .iter()
            .skip(i + 1)
            .take(2)
            .any(|t| is_title_word(t.trim_end_matches([',', ';', ':'])));
        if !(is_capitalized(bare)
            || is_title_word(bare)
            || joins
            || is_honorific(bare)
            || before_title)
        {
            break;
        }
        words.push(bare);
        if token.ends_with([',', ';', ':']) {
            break;
        }
    }
    let phrase = words.join(" ");
    let mention = parse_one(&phrase)?;
    // A person the words mark as one, by a title or an honorific: a bare pair of
    // capitalized words opening a sentence is as often a place or a storm.
    let marked = mention.title.is_some() || words.iter().any(|w| is_honorific(w));
    Some((mention, marked))
}

/// Whether a line is only a name, with a title after a comma: "Dr. Melissa
/// Diaz-Musa, Director of Public Health". A byline ("Linus Aleke in Abuja") is not.
pub fn is_name_line(line: &str) -> bool {
    let (name, title) = match line.split_once(", ") {
        Some((name, title)) => (name, Some(title)),
        None => (line, None),
    };
    let tokens: Vec<&str> = name
        .split_whitespace()
        .filter(|w| !is_honorific(w))
        .collect();
    (2..=4).contains(&tokens.len())
        && tokens
            .iter()
            .all(|w| is_name_word(w) || PARTICLES.contains(w))
        && title.is_none_or(|t| t.split_whitespace().any(is_title_word))
}

/// The word of a title that says what the post is: "spokesman" in "the Kremlin
/// spokesman", "head" in "head of the OVA".
pub fn title_head(title: &str) -> Option<String> {
    let before_of = title.split(" of ").next().unwrap_or(title);
    before_of
        .split_whitespace()
        .rev()
        .find(|w| is_title_word(w))
        .map(lower)
}

/// Reads the words in subject position as speakers: one mention, or one for each
/// side of an "and" that joins two speakers. None when the words do not name a
/// speaker ("the troops", "it").
pub fn parse(words: &str) -> Option<Vec<Mention>> {
    let mut plain = without_parentheses(words);
    // "Anwar who is also the Pakatan Harapan chairman": the relative clause says
    // more about the speaker; the name is before it.
    for relative in [" who ", " whose ", " which "] {
        if let Some(at) = plain.find(relative) {
            if !plain[..at].contains(", ") {
                plain.truncate(at);
            }
        }
    }
    let words = strip_trailing(strip_introduction(plain.trim()));
    if words.is_empty() || words.split_whitespace().count() > 24 {
        return None;
    }
    if let Some((left, right)) = split_and(words) {
        if let (Some(a), Some(b)) = (parse_one(left), parse_one(right)) {
            if a.kind != MentionKind::Pronoun && b.kind != MentionKind::Pronoun {
                return Some(vec![a, b]);
            }
        }
    }
    parse_one(words).map(|m| vec![m])
}

/// The words without parenthetical remarks: "Netanyahu (local time)".
fn without_parentheses(words: &str) -> String {
    let mut out = String::with_capacity(words.len());
    let mut depth = 0usize;
    for c in words.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words after "according to", or after an inverted verb ("said X").
pub fn parse_object(words: &str) -> Option<Vec<Mention>> {
    let words = words.trim().trim_end_matches(['.', ',', ';', ':']);
    // "him", "her", "them" stand for the speaker carried over.
    let cut = cut_at_clause(words);
    parse(cut)
}

/// Stops an object phrase where a new clause or an adverbial starts.
fn cut_at_clause(words: &str) -> &str {
    let mut end = words.len();
    for marker in [
        " on ", " in a ", " in an ", " at a ", " at the ", " during ", " who ", " which ",
        " when ", " after ", " before ", " while ", " last ", " this ", " earlier",
    ] {
        if let Some(at) = words.find(marker) {
            // Keep "Commander-in-Chief of ... in" titles: cut only past the first word.
            if at > 0 && at < end {
                end = at;
            }
        }
    }
    &words[..end]
}

fn strip_introduction(words: &str) -> &str {
    // Drop leading comma-separated phrases that open with a preposition or adverb.
    let mut rest = words;
    loop {
        let first = rest
            .split_whitespace()
            .next()
            .map(lower)
            .unwrap_or_default();
        let Some(comma) = rest.find(", ") else {
            break;
        };
        // "On Tuesday, ...", "Speaking to reporters, ...", "Questioned about it, ...".
        let participle = first.ends_with("ing") || first.ends_with("ed");
        if INTRODUCERS.contains(&first) || first.ends_with("ly") || participle {
            rest = rest[comma + 2..].trim_start();
        } else {
            break;
        }
    }
    rest
}

fn strip_trailing(words: &str) -> &str {
    let mut rest = words.trim_end_matches([',', ' ']);
    loop {
        let Some((head, last)) = rest.rsplit_once(' ') else {
            return rest;
        };
        let l = lower(last);
        let weekday = WEEKDAYS.contains(&l.as_str());
        if TRAILING_NOT_SPEAKER.contains(&l) || l.ends_with("ly") && !is_capitalized(last) {
            rest = head.trim_end_matches([',', ' ']);
        } else if weekday && head.ends_with(" on") {
            rest = head[..head.len() - 3].trim_end_matches([',', ' ']);
        } else if weekday {
            // "Defence Minister A.K. Antony Monday said".
            rest = head.trim_end_matches([',', ' ']);
        } else {
            return rest;
        }
    }
}

/// Splits "A and B" where both sides may be speakers; not inside a title such as
/// "Minister of Defence and Veterans".
fn split_and(words: &str) -> Option<(&str, &str)> {
    let at = words.find(" and ")?;
    let (left, right) = (&words[..at], &words[at + 5..]);
    let right_first = right.split_whitespace().next()?;
    let starts_speaker = is_capitalized(right_first)
        || matches!(
            lower(right_first).as_str(),
            "the" | "his" | "her" | "its" | "their"
        );
    starts_speaker.then_some((left.trim_end_matches(','), right))
}

fn parse_one(words: &str) -> Option<Mention> {
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
    // "Hurricane Florence, he says, will ...": the pronoun right before the verb
    // is the speaker; what comes before it is the reported clause.
    if segments.len() > 1 {
        let last = lower(segments[segments.len() - 1]);
        if PRONOUNS.contains(&last) {
            return parse_one(segments[segments.len() - 1]);
        }
    }
    // "Dr. Janette Nesheiwat of CityMD in New York City": the name comes first and
    // what follows the preposition says where she works.
    if segments.len() == 1 {
        for preposition in [" of ", " from ", " at ", " in ", " with "] {
            if let Some((head, tail)) = words.split_once(preposition) {
                if let (Some(name), _) = split_name(head) {
                    if name.contains(' ') && !tail.is_empty() {
                        let title = split_name(head).1;
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
    }
    let mut name = None;
    let mut titles = Vec::new();
    for segment in &segments {
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
    // Ranks ("Lieutenant General") tell less than a post: a title with "of" wins.
    titles.sort_by_key(|t| !t.contains(" of "));
    let title = titles.first().map(|t| t.to_string());
    let organization = title.as_deref().and_then(organization_of);
    if let Some(name) = name {
        let single = !name.contains(' ');
        if single && title.is_none() && is_state_name(&name) {
            return Some(Mention {
                words: words.to_string(),
                kind: MentionKind::Organization,
                name: Some(name),
                title: None,
                organization: None,
            });
        }
        return Some(Mention {
            words: words.to_string(),
            kind: MentionKind::Person,
            name: Some(name),
            title,
            organization,
        });
    }
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

/// The head of a noun phrase: its last word before "of", or its last word.
fn head_word(words: &str) -> Option<&str> {
    let before_of = words.split(" of ").next().unwrap_or(words);
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
    // "in New York City", "at Lenox Hill Hospital": a place or an institution.
    if before > 0
        && matches!(
            lower(tokens[before - 1]).as_str(),
            "in" | "at" | "from" | "near" | "with" | "to" | "on" | "by" | "across" | "outside"
        )
    {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn one(words: &str) -> Mention {
        let mut all = parse(words).unwrap_or_else(|| panic!("no speaker in {words:?}"));
        assert_eq!(all.len(), 1, "{words}");
        all.remove(0)
    }

    #[test]
    fn a_title_and_a_name_without_a_comma() {
        let m = one("The Commander-in-Chief of the Armed Forces of Ukraine Valerii Zaluzhnyi");
        assert_eq!(m.name.as_deref(), Some("Valerii Zaluzhnyi"));
        assert_eq!(
            m.title.as_deref(),
            Some("Commander-in-Chief of the Armed Forces of Ukraine")
        );
        assert_eq!(m.organization.as_deref(), Some("Armed Forces of Ukraine"));
        let m = one("NATO Secretary General Jens Stoltenberg also");
        assert_eq!(m.name.as_deref(), Some("Jens Stoltenberg"));
        assert_eq!(m.organization.as_deref(), Some("NATO"));
        let m = one("The head of the Main Directorate of Intelligence Kyrylo Budanov");
        assert_eq!(m.name.as_deref(), Some("Kyrylo Budanov"));
    }

    #[test]
    fn appositions_either_way_round() {
        let m = one("The commander of the United Forces of the Armed Forces of Ukraine, Lieutenant General Serhiy Nayev");
        assert_eq!(m.name.as_deref(), Some("Serhiy Nayev"));
        assert_eq!(
            m.title.as_deref(),
            Some("commander of the United Forces of the Armed Forces of Ukraine")
        );
        let m = one("Serhiy Nayev, commander of the Joint Forces");
        assert_eq!(m.name.as_deref(), Some("Serhiy Nayev"));
        assert_eq!(m.title.as_deref(), Some("commander of the Joint Forces"));
    }

    #[test]
    fn two_speakers_joined_by_and() {
        let all = parse(
            "The Minister of Defense Oleksiy Reznikov and the commander of the OC \"South\" also",
        )
        .unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].name.as_deref(), Some("Oleksiy Reznikov"));
        assert_eq!(all[1].kind, MentionKind::Official);
        assert_eq!(
            all[1].title.as_deref(),
            Some("commander of the OC \"South\"")
        );
    }

    #[test]
    fn organizations_pronouns_and_non_speakers() {
        assert_eq!(
            one("The Ministry of Defence").kind,
            MentionKind::Organization
        );
        assert_eq!(one("Moscow").kind, MentionKind::Organization);
        assert_eq!(one("he").kind, MentionKind::Pronoun);
        assert_eq!(one("On Tuesday, Budanov").name.as_deref(), Some("Budanov"));
        assert!(parse("the troops").is_none());
        assert!(parse("it").is_none());
    }
}
