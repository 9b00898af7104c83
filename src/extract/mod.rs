//! News text to proposed statements, for review: who said what, in what capacity,
//! how (quote or paraphrase, reporting verb, hedging), where and when.
//!
//! Rule-based and offline: sentences and quotes ([`sentences`]), who speaks
//! ([`speakers`], [`attribution`]), how sure they are ([`hedging`]), whom the store
//! already knows ([`linking`]); the proposals go into a review sheet ([`sheet`]) that
//! `import` loads as RDF ([`rdf`]).

pub mod aliases;
pub mod article;
pub mod attribution;
pub mod hedging;
pub(crate) mod lexicon;
pub mod linking;
pub mod proposals;
pub mod rdf;
pub mod sentences;
pub mod sheet;
pub mod speakers;

use crate::vocab;
use attribution::{Found, Speaker};
use lexicon::CONNECTIVES;
use linking::Directory;
use sentences::Paragraph;
use sheet::{ArticleInfo, Polarity, Proposal, Sheet, SpeakerKind, SpeakerMention, TextSpan};
use std::ops::Range;

/// What the command line adds to what the article's header says.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
}

/// The slug of a name: lower case, each run of other characters one hyphen, at
/// most `max` characters cut at a hyphen.
pub fn slug(name: &str, max: usize) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if out.chars().count() > max {
        let cut: String = out.chars().take(max).collect();
        out = match cut.rfind('-') {
            Some(at) if at > max / 2 => cut[..at].to_string(),
            _ => cut,
        };
    }
    out
}

/// The file's name for the article's default outlet and document.
fn stem(file: &str) -> String {
    std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .filter(|s| !s.is_empty() && s != "-")
        .unwrap_or_else(|| "article".into())
}

/// Proposes the statements of one article. `file` is how the sheet names it;
/// `claim_id` takes a statement id and the article's document and says whether the
/// id is still free (ids are unique across a run, and against the store but for the
/// article's own statements, so that extracting it again gives the same ids).
pub fn propose(
    file: &str,
    article: &article::Article,
    date: String,
    overrides: &Overrides,
    directory: &Directory,
    claim_id: &mut dyn FnMut(&str, &str) -> bool,
) -> Sheet {
    let mut notes = Vec::new();
    let mut info = article_info(file, article, date, overrides, directory, &mut notes);
    // Two apostrophes stand for a double quotation mark in some wire feeds; the
    // working text swaps them for one mark and a placeholder of the same length, so
    // offsets stay those of the file.
    let working = article.text.replace("''", "\"\u{7f}");
    let mut paragraphs = sentences::paragraphs(&working, article.body_start);
    let headline = take_headline(&working, &mut paragraphs);
    if let Some(headline) = &headline {
        if info.title.is_none() {
            info.title = Some(headline.clone());
        }
    }
    let mut found = attribution::find(&working, &paragraphs, headline.as_deref().unwrap_or(""));
    drop_placeholders(&mut found);
    // Nothing to propose where there are no words: a stray mark, a lone dash.
    found.retain(|f| !proposition_label(&f.claim).is_empty());
    let offsets = CharOffsets::new(&article.text);
    let statements: Vec<Proposal> = found
        .into_iter()
        .map(|f| proposal(f, &article.text, &info, directory, &offsets, claim_id))
        .collect();
    if statements.is_empty() {
        notes.push("No statements found: the text has no attributed speech and no sentence reported in the outlet's own voice.".into());
    }
    Sheet {
        article: info,
        statements,
        notes,
    }
}

/// What the sheet says of the article: the command line's words over its header's,
/// the outlet as the store knows it, and a document named for the date and the
/// file. An article without an outlet gets a note.
fn article_info(
    file: &str,
    article: &article::Article,
    date: String,
    overrides: &Overrides,
    directory: &Directory,
    notes: &mut Vec<String>,
) -> ArticleInfo {
    let stem = stem(file);
    let outlet = overrides.outlet.clone().or_else(|| article.outlet.clone());
    let outlet_name = outlet.unwrap_or_else(|| {
        notes.push(format!(
            "The article names no outlet: its own reports are given to \"Outlet of {stem}\"; put the real name in article.outlet (or pass --outlet)."
        ));
        format!("Outlet of {stem}")
    });
    let outlet_iri = directory
        .outlet(&outlet_name)
        .map(|o| short(&o.iri))
        .unwrap_or_else(|| format!("organization:{}", slug(&outlet_name, 80)));
    ArticleInfo {
        file: file.to_string(),
        document: format!(
            "document:{}",
            if stem.starts_with(date.as_str()) {
                slug(&stem, 100)
            } else {
                slug(&format!("{date} {stem}"), 100)
            }
        ),
        date,
        outlet: outlet_name,
        outlet_iri: Some(outlet_iri),
        title: overrides.title.clone().or_else(|| article.title.clone()),
        url: overrides.url.clone().or_else(|| article.url.clone()),
    }
}

/// A first line without a closing stop is the headline, not a statement: it is
/// taken out of the paragraphs.
fn take_headline(working: &str, paragraphs: &mut Vec<Paragraph>) -> Option<String> {
    let first = paragraphs.first()?;
    let line = &working[first.span.clone()];
    let headline = paragraphs.len() > 1
        && !line.trim_end().ends_with(['.', '!', '?', '"', '”', ':'])
        && line.split_whitespace().count() <= 25;
    if !headline {
        return None;
    }
    let headline = line.trim().to_string();
    paragraphs.remove(0);
    Some(headline)
}

/// The statements' words without the placeholders of the working text.
fn drop_placeholders(found: &mut [Found]) {
    for f in found {
        for text in [&mut f.text, &mut f.claim] {
            if text.contains('\u{7f}') {
                *text = text.replace('\u{7f}', "");
            }
        }
        if let Some(phrase) = &mut f.quoted_phrase {
            *phrase = phrase.replace('\u{7f}', "");
        }
    }
}

/// Byte offsets to character offsets.
struct CharOffsets {
    starts: Vec<usize>,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        CharOffsets {
            starts: text.char_indices().map(|(i, _)| i).collect(),
        }
    }

    fn of(&self, byte: usize) -> usize {
        self.starts.partition_point(|&b| b < byte)
    }
}

/// Words of the article (a byte range) as the sheet gives them: the text as
/// written and its character offsets.
fn text_span(text: &str, offsets: &CharOffsets, range: Range<usize>) -> TextSpan {
    TextSpan {
        text: text.get(range.clone()).unwrap_or_default().to_string(),
        start: offsets.of(range.start),
        end: offsets.of(range.end),
    }
}

/// A full IRI as a prefixed name when it has one.
pub fn short(iri: &str) -> String {
    vocab::compact(iri).unwrap_or_else(|| iri.to_string())
}

/// A found statement as a proposal of the sheet: its speaker linked to whom the
/// store knows, its hedge and negation, its proposition, and an id of its own.
fn proposal(
    found: Found,
    text: &str,
    article: &ArticleInfo,
    directory: &Directory,
    offsets: &CharOffsets,
    claim_id: &mut dyn FnMut(&str, &str) -> bool,
) -> Proposal {
    let mut review = Vec::new();
    let speaker = &found.speaker;
    let kind = speaker.kind;
    let name = match kind {
        SpeakerKind::Outlet => article.outlet.clone(),
        _ => speaker.name.clone(),
    };
    let linked = link_speaker(speaker, &name, article, directory, &mut review);
    let hedge = hedging::certainty(&found.claim).or_else(|| {
        // "believe that ...": the verb carries the hedge.
        found.verb.as_deref().and_then(hedging::verb_certainty)
    });
    let negated = hedging::is_negated(&found.claim, hedge.as_ref().map(|h| h.1.as_str()));
    if negated {
        review.push("the claim is negated: consider stating it positively as the proposition with polarity deny".to_string());
    }
    let proposition = proposition_label(&found.claim);
    let question = format!("Is it so that {}?", lowercase_first(&proposition));
    let id = statement_id(article, kind, &name, &proposition, claim_id);
    Proposal {
        id,
        keep: true,
        speaker: name,
        speaker_kind: kind,
        speaker_iri: linked.iri,
        speaker_is_new: linked.is_new,
        title: speaker.title.clone(),
        organization: speaker.organization.clone(),
        capacity: linked.capacity,
        how: found.how,
        verb: found.verb.clone(),
        speaker_mention: found.mention.clone().map(|r| {
            let TextSpan {
                text: words,
                start,
                end,
            } = text_span(text, offsets, r);
            SpeakerMention {
                text: words,
                start,
                end,
                resolved_through: found
                    .antecedent
                    .clone()
                    .map(|a| text_span(text, offsets, a)),
            }
        }),
        cue: found.cue.clone().map(|r| text_span(text, offsets, r)),
        medium: found.medium.clone(),
        start: offsets.of(found.span.start),
        end: offsets.of(found.span.end),
        text: found.text.clone(),
        quoted_phrase: found.quoted_phrase.clone(),
        polarity: Polarity::Assert,
        certainty: hedge.as_ref().map(|h| h.0),
        certainty_wording: hedge.map(|h| h.1),
        proposition,
        proposition_iri: None,
        question,
        confidence: (found.confidence * 100.0).round() / 100.0,
        rule: found.rule.to_string(),
        review: (!review.is_empty()).then(|| review.join("; ")),
        matched: None,
    }
}

/// A speaker as the store knows them, or as a new node.
struct Linked {
    iri: Option<String>,
    is_new: bool,
    /// The post they spoke in.
    capacity: Option<String>,
}

/// Links a speaker (`name` as the sheet gives it) to whom the store knows on the
/// article's date; what the reviewer must fill in goes to `review`.
fn link_speaker(
    speaker: &Speaker,
    name: &str,
    article: &ArticleInfo,
    directory: &Directory,
    review: &mut Vec<String>,
) -> Linked {
    let date = article.date.as_str();
    let new = |class: &str| Linked {
        iri: Some(format!("{class}:{}", slug(name, 80))),
        is_new: true,
        capacity: None,
    };
    match speaker.kind {
        SpeakerKind::Person => match directory.person(name) {
            Some(known) => Linked {
                iri: Some(short(&known.iri)),
                is_new: false,
                capacity: post_held(directory, &known.iri, speaker.title.as_deref(), date)
                    .map(|p| short(&p.iri)),
            },
            None => new("person"),
        },
        SpeakerKind::Official => {
            let post = directory.post(name, speaker.organization.as_deref());
            let capacity = post.map(|p| short(&p.iri));
            match post.and_then(|p| directory.holder(p, date)) {
                Some(holder) => Linked {
                    iri: Some(short(&holder)),
                    is_new: false,
                    capacity,
                },
                None => {
                    review.push("the speaker is named only by post: add the name if the article or another source gives it".to_string());
                    Linked {
                        capacity,
                        ..new("person")
                    }
                }
            }
        }
        SpeakerKind::Organization => match directory.organization(name) {
            Some(known) => Linked {
                iri: Some(short(&known.iri)),
                is_new: false,
                capacity: None,
            },
            None => new("organization"),
        },
        SpeakerKind::Outlet => Linked {
            iri: Some(
                article
                    .outlet_iri
                    .as_deref()
                    .unwrap_or_default()
                    .to_string(),
            ),
            is_new: directory.outlet(&article.outlet).is_none(),
            capacity: None,
        },
        SpeakerKind::Unknown => {
            review.push("no speaker found for this quote: fill in speaker and speaker_kind, or set keep: false".to_string());
            Linked {
                iri: None,
                is_new: false,
                capacity: None,
            }
        }
    }
}

/// The post a known person spoke in on the date: the only one they held, or of
/// several the one their title in the article names best.
fn post_held<'d>(
    directory: &'d Directory,
    person: &str,
    title: Option<&str>,
    date: &str,
) -> Option<&'d linking::KnownPost> {
    let held = directory.posts_of(person, date);
    match (title, held.len()) {
        (_, 0) => None,
        (_, 1) => Some(held[0]),
        (Some(title), _) => held.iter().copied().max_by(|a, b| {
            let s = |p: &linking::KnownPost| {
                p.names
                    .iter()
                    .map(|n| linking::similarity(n, title))
                    .fold(0.0, f64::max)
            };
            s(a).total_cmp(&s(b))
        }),
        (None, _) => None,
    }
}

/// An id for the statement from its date, its speaker and the proposition's first
/// words, with a number after it when `claim_id` says the id is taken.
fn statement_id(
    article: &ArticleInfo,
    kind: SpeakerKind,
    name: &str,
    proposition: &str,
    claim_id: &mut dyn FnMut(&str, &str) -> bool,
) -> String {
    let who = match kind {
        SpeakerKind::Outlet => "outlet".to_string(),
        SpeakerKind::Unknown => "unknown".to_string(),
        _ => slug(name.split_whitespace().last().unwrap_or(name), 40),
    };
    let base = slug(
        &format!(
            "{} {who} {}",
            article.date,
            proposition
                .split_whitespace()
                .take(6)
                .collect::<Vec<_>>()
                .join(" ")
        ),
        90,
    );
    let mut id = base.clone();
    let mut n = 2;
    while !claim_id(&id, &article.document) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

pub(crate) fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if chars.clone().next().is_some_and(char::is_lowercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_string(),
    }
}

/// The claim as a proposition's label: one sentence, capitalized, no closing stop.
fn proposition_label(claim: &str) -> String {
    let claim = claim
        .trim()
        .trim_start_matches(['"', '“', '”', '«'])
        .trim_end_matches(['"', '“', '”', '»'])
        .trim_end_matches(['.', ',', ';', ':', '!'])
        .trim();
    let claim = claim.strip_prefix("that ").unwrap_or(claim);
    // "However, ...", "Currently, ...", "So, according to him, ...": the connective
    // belongs to the article, not to the claim.
    let mut claim = claim;
    while let Some((first, rest)) = claim.split_once(", ") {
        let word = first.to_lowercase();
        let connective =
            CONNECTIVES.contains(&word) || (!first.contains(' ') && word.ends_with("ly"));
        if !connective {
            break;
        }
        claim = rest;
    }
    capitalize(&claim.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The text with its first letter in upper case.
pub(crate) fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_as_the_readme_describes() {
        assert_eq!(slug("Kyrylo Budanov", 80), "kyrylo-budanov");
        assert_eq!(slug("  OC \"South\"!", 80), "oc-south");
        assert_eq!(slug("one two three four", 12), "one-two");
    }

    fn sheet_of(text: &str) -> Sheet {
        let article = article::read(std::path::Path::new("a.txt"), text.as_bytes().to_vec())
            .expect("an article");
        propose(
            "a.txt",
            &article,
            "2023-01-01".into(),
            &Overrides::default(),
            &Directory::default(),
            &mut |_, _| true,
        )
    }

    #[test]
    fn doubled_apostrophes_quote_and_offsets_stay_the_files() {
        let text = "Kirby briefs reporters\nPentagon press secretary John Kirby spoke on Friday.\n''We will provide more security assistance,'' Kirby said.";
        let sheet = sheet_of(text);
        assert_eq!(
            sheet.article.title.as_deref(),
            Some("Kirby briefs reporters")
        );
        let quote = sheet
            .statements
            .iter()
            .find(|s| s.how == sheet::How::Quote)
            .expect("the quote");
        assert_eq!(quote.speaker, "John Kirby");
        assert_eq!(quote.text, "We will provide more security assistance,");
        let span: String = text
            .chars()
            .skip(quote.start)
            .take(quote.end - quote.start)
            .collect();
        assert!(
            span.contains("We will provide more security assistance"),
            "{span}"
        );
    }

    #[test]
    fn character_offsets_count_characters() {
        let offsets = CharOffsets::new("aʼb c");
        assert_eq!(offsets.of(0), 0);
        assert_eq!(offsets.of(3), 2);
        assert_eq!(offsets.of(4), 3);
    }
}
