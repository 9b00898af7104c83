//! Paragraphs, sentences and quotation marks of a news text, as byte ranges of the
//! text so that every proposal can point back at its words.

use super::lexicon::{ABBREVIATIONS, SENTENCE_STARTERS};
use std::ops::Range;

/// A paragraph and its sentences.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub span: Range<usize>,
    pub sentences: Vec<Range<usize>>,
}

/// One quotation in a sentence: the marks' positions and the words between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotation {
    /// From the opening mark to just after the closing one (or the sentence's end
    /// when the quote is left open, as a quote running on into the next paragraph is).
    pub outer: Range<usize>,
    /// The quoted words, without the marks.
    pub inner: Range<usize>,
    /// Opened in an earlier sentence or paragraph: only its closing mark is here.
    pub ran_on: bool,
    /// Left open at the sentence's end: it goes on after it.
    pub runs_on: bool,
}

/// A wire report's dateline: a place, then a date, an agency or a dash.
static DATELINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    let place = r"(?:[A-Z][A-Za-z'’.-]+(?: [A-Z][A-Za-z'’.-]+){0,3})(?: \[[^\]]{1,40}\])?";
    let caps = r"[A-Z]{3,}(?:[ -][A-Z]{3,}){0,2}(?:, [A-Z][A-Za-z]+)?";
    let date = r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?|\d{1,2} [A-Z][a-z]{2,8}(?: \d{4})?)";
    let agency = r"\((?:[A-Za-z. ]{2,30})\)";
    let dash = r"(?: ?[–—:] ?| - )";
    let wire = r"(?:[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)?\. )?";
    regex::Regex::new(&format!(
        r"^(?:{place}, {date}(?: ?{agency})?{dash}?|{place}(?:, [A-Z][A-Za-z]+)? ?{agency}{dash}?|{caps}(?:, {date})?(?: ?{agency})?{dash}|{place} [–—] ){wire}\s*"
    ))
    .expect("dateline")
});

/// Splits a text into paragraphs and sentences.
///
/// A block of lines separated from others by blank lines is one paragraph, unless
/// each of its lines ends a sentence, in which case each line is a paragraph (text
/// pasted from a web page has a paragraph per line). A leading "- " or "• " is not
/// part of the paragraph.
pub fn paragraphs(text: &str, start: usize) -> Vec<Paragraph> {
    let mut blocks: Vec<Vec<Range<usize>>> = vec![Vec::new()];
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if trimmed.is_empty() {
            blocks.push(Vec::new());
        } else {
            let lead = content.len() - content.trim_start().len();
            let begin = offset + lead;
            let end = offset + content.trim_end().len();
            blocks.last_mut().expect("one block").push(begin..end);
        }
        offset += line.len();
    }
    let mut paragraphs = Vec::new();
    for block in blocks.into_iter().filter(|b| !b.is_empty()) {
        // Hard-wrapped text has short lines, most of which end mid-sentence; pasted
        // web text has a paragraph per line, a headline or a caption among them.
        // A headline on the first line does not count either way.
        let body = if block.len() > 2 {
            &block[1..]
        } else {
            &block[..]
        };
        let ending = body
            .iter()
            .filter(|line| ends_sentence(&text[(*line).clone()]))
            .count();
        let long_line = block
            .iter()
            .any(|line| text[line.clone()].chars().count() > 100);
        let lines_are_paragraphs = long_line || ending * 10 >= body.len() * 7;
        let spans = if lines_are_paragraphs || block.len() == 1 {
            block
        } else {
            let whole = block[0].start..block[block.len() - 1].end;
            std::iter::once(whole).collect()
        };
        for span in spans {
            let span = strip_bullet(text, span);
            if span.is_empty() {
                continue;
            }
            let mut sentences = sentences(text, span.clone());
            // "MOSCOW, January 18 – RIA Novosti." or "LAHORE:" opens a wire report:
            // the place and the agency are not part of its first sentence.
            if let Some(first) = sentences.first_mut() {
                if let Some(found) = DATELINE.find(&text[first.clone()]) {
                    if found.end() < first.len() {
                        first.start += found.end();
                    }
                    // "MOSCOW, January 18 – RIA Novosti." alone: nothing is left.
                    if text[first.clone()].split_whitespace().count() <= 3 && sentences.len() > 1 {
                        sentences.remove(0);
                    }
                }
            }
            paragraphs.push(Paragraph { span, sentences });
        }
    }
    paragraphs
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['"', '”', '’', '\'', ')'])
        .ends_with(['.', '!', '?', ':'])
}

fn strip_bullet(text: &str, span: Range<usize>) -> Range<usize> {
    let part = &text[span.clone()];
    for bullet in ["- ", "– ", "— ", "• ", "* "] {
        if let Some(rest) = part.strip_prefix(bullet) {
            let skipped = part.len() - rest.trim_start().len();
            return span.start + skipped..span.end;
        }
    }
    span
}

/// Whether a character opens a quotation (straight marks open when no quote is open).
fn opens(c: char) -> bool {
    matches!(c, '“' | '«' | '„')
}

fn closes(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// Splits a paragraph into sentences: after `.`, `!` or `?` (and any closing marks)
/// followed by a space and a capital, a digit or an opening mark, unless the full
/// stop ends an abbreviation or a quotation is open.
pub fn sentences(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
    let part = &text[span.clone()];
    let chars: Vec<(usize, char)> = part.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut open_straight = false;
    let mut open_typographic = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c == '"' {
            open_straight = !open_straight;
        } else if opens(c) {
            open_typographic += 1;
        } else if closes(c) {
            open_typographic = open_typographic.saturating_sub(1);
        }
        if matches!(c, '.' | '!' | '?') && !open_straight && open_typographic == 0
            || matches!(c, '.' | '!' | '?') && closing_mark_follows(&chars, i)
        {
            // Take closing marks and brackets that follow.
            let mut j = i + 1;
            while j < chars.len()
                && matches!(chars[j].1, '"' | '”' | '’' | ')' | '»' | '\'' | '\u{7f}')
            {
                if chars[j].1 == '"' {
                    open_straight = false;
                }
                if closes(chars[j].1) {
                    open_typographic = open_typographic.saturating_sub(1);
                }
                j += 1;
            }
            if open_straight || open_typographic > 0 {
                i += 1;
                continue;
            }
            let next_word = next_word_after(&chars, j);
            let quoted_question = matches!(c, '?' | '!') && j > i + 1;
            let boundary = match next_word {
                None => j >= chars.len(),
                Some((k, word)) => {
                    k > j
                        && starts_sentence(&word)
                        && !(c == '.' && is_abbreviation(part, at, &word))
                        && !(quoted_question && attribution_follows(&part[chars[k].0..]))
                }
            };
            if boundary || j >= chars.len() {
                let end = if j < chars.len() {
                    chars[j].0
                } else {
                    part.len()
                };
                push_trimmed(&mut out, part, span.start, start..end);
                start = end;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if start < part.len() {
        push_trimmed(&mut out, part, span.start, start..part.len());
    }
    out
}

/// Whether `rest`, the text after a quotation that ends in `?` or `!`, opens with its
/// attribution: a name and a reporting verb ("Trump said, looking at the crowd"), or
/// a reporting verb and a name ("asked Mr. King"). The quotation and its frame are
/// then one sentence, as they are after `,”`.
fn attribution_follows(rest: &str) -> bool {
    static FRAME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        let verbs = crate::extract::lexicon::REPORTING_VERBS.alternation();
        let name = r"(?:[A-Z][\w’'.-]*|de|van|von|al-)";
        regex::Regex::new(&format!(
            r"^(?:(?:The |the )?{name}(?:\s+{name}){{0,4}},?\s+(?:{verbs})\b|(?:{verbs})\s+(?:the\s+)?{name})"
        ))
        .expect("attribution after a question")
    });
    FRAME.is_match(rest)
}

/// A full stop inside a quotation ends the sentence when the quotation closes right
/// after it and the text goes on with a new sentence: `"... exists." Budanov said`.
fn closing_mark_follows(chars: &[(usize, char)], i: usize) -> bool {
    let Some(&(_, next)) = chars.get(i + 1) else {
        return false;
    };
    if !(closes(next) || next == '"') {
        return false;
    }
    let after = chars.get(i + 2).map(|&(_, c)| c);
    after.is_none() || after.is_some_and(char::is_whitespace)
}

fn next_word_after(chars: &[(usize, char)], from: usize) -> Option<(usize, String)> {
    let mut k = from;
    while k < chars.len() && chars[k].1.is_whitespace() {
        k += 1;
    }
    if k >= chars.len() {
        return None;
    }
    let word: String = chars[k..]
        .iter()
        .map(|&(_, c)| c)
        .take_while(|c| !c.is_whitespace())
        .collect();
    Some((k, word))
}

fn starts_sentence(word: &str) -> bool {
    let Some(first) = word.chars().next() else {
        return false;
    };
    first.is_uppercase()
        || first.is_ascii_digit()
        || matches!(
            first,
            '"' | '“' | '«' | '„' | '(' | '-' | '–' | '—' | '‘' | '\''
        )
}

/// Whether the full stop at `at` ends an abbreviation rather than the sentence.
fn is_abbreviation(part: &str, at: usize, next: &str) -> bool {
    let before = &part[..at];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '“'))
        .map_or(0, |p| {
            p + before[p..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower) {
        // "no." ends a sentence as often as it abbreviates "number": only before a digit.
        if lower == "no" || lower == "nos" {
            return next.starts_with(|c: char| c.is_ascii_digit());
        }
        return true;
    }
    // An initial ("J.") or an acronym with full stops ("U.S", "U.N").
    let letters_and_dots = word.chars().all(|c| c.is_alphabetic() || c == '.');
    let single_letter_groups = word.split('.').all(|g| g.chars().count() <= 1);
    if letters_and_dots
        && single_letter_groups
        && word.chars().next().is_some_and(char::is_uppercase)
    {
        let next_word = next.trim_matches(|c: char| !c.is_alphanumeric());
        return !SENTENCE_STARTERS.contains(next_word);
    }
    false
}

fn push_trimmed(out: &mut Vec<Range<usize>>, part: &str, base: usize, range: Range<usize>) {
    let piece = &part[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    let (start, end) = (range.start + lead, range.end - trail);
    if start < end {
        out.push(base + start..base + end);
    }
}

/// The quotations of a sentence, in order. Straight marks pair up in turn; a
/// typographic pair may hold straight marks. A quotation left open runs to the
/// sentence's end.
pub fn quotations(text: &str, sentence: Range<usize>) -> Vec<Quotation> {
    let part = &text[sentence.clone()];
    let chars: Vec<(usize, char)> = part.char_indices().collect();
    let straight = chars.iter().filter(|(_, c)| *c == '"').count();
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    let quote = |start: usize, inner_start: usize, inner_end: usize, end: usize| Quotation {
        outer: sentence.start + start..sentence.start + end,
        inner: sentence.start + inner_start..sentence.start + inner_end,
        ran_on: start == 0 && inner_start == 0,
        runs_on: false,
    };
    for (i, &(at, c)) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let end = at + c.len_utf8();
        let after_space =
            prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '—' | '–'));
        match open {
            None if c == '"' => {
                // The closing mark of a quote opened in an earlier paragraph:
                // `... every match," Maksymov said.`
                let closes_earlier = out.is_empty()
                    && straight % 2 == 1
                    && prev.is_some_and(|p| matches!(p, ',' | '.' | '!' | '?' | '…'))
                    && next.is_none_or(char::is_whitespace);
                if closes_earlier {
                    out.push(quote(0, 0, at, end));
                } else {
                    open = Some((at, c));
                }
            }
            None if opens(c) || c == '‘' && after_space => open = Some((at, c)),
            None if closes(c) => {
                if after_space && next.is_some_and(char::is_alphanumeric) {
                    // A closing mark used to open: `” If I truly called out ...`.
                    open = Some((at, c));
                } else if out.is_empty() {
                    out.push(quote(0, 0, at, end));
                }
            }
            Some((start, mark)) => {
                // Pages mix their marks: a straight one may close a typographic
                // one and the other way round.
                let closing = match mark {
                    '"' => c == '"' || c == '”',
                    '‘' => c == '’' && next.is_none_or(|n| !n.is_alphanumeric()),
                    _ => closes(c) || c == '"' || (mark == '”' && c == '”'),
                };
                if closing {
                    out.push(quote(start, start + mark.len_utf8(), at, end));
                    open = None;
                }
            }
            _ => {}
        }
    }
    if let Some((start, mark)) = open {
        // A single quotation mark left open is an apostrophe, not a quote.
        if mark != '‘' || start == 0 {
            let mut left_open = quote(start, start + mark.len_utf8(), part.len(), part.len());
            left_open.runs_on = true;
            out.push(left_open);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        paragraphs(text, 0)
            .iter()
            .flat_map(|p| p.sentences.iter().map(|s| &text[s.clone()]))
            .collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let text =
            "Lt. Gen. Serhiy Nayev said on Feb. 3 that the U.S. Army would help. Mr. Smith agreed.";
        assert_eq!(
            split(text),
            vec![
                "Lt. Gen. Serhiy Nayev said on Feb. 3 that the U.S. Army would help.",
                "Mr. Smith agreed."
            ]
        );
    }

    #[test]
    fn an_acronym_before_a_new_sentence_ends_it() {
        let text = "The aid came from the U.S. The ministry thanked them.";
        assert_eq!(split(text).len(), 2);
    }

    #[test]
    fn open_quotes_are_never_split() {
        let text =
            "\"We are ready. The enemy is not,\" he said. “They will fail. Soon,” she added.";
        assert_eq!(
            split(text),
            vec![
                "\"We are ready. The enemy is not,\" he said.",
                "“They will fail. Soon,” she added."
            ]
        );
    }

    #[test]
    fn a_quote_ending_with_a_full_stop_ends_the_sentence() {
        let text = "Budanov called it a \"carousel.\" The train came back.";
        assert_eq!(split(text).len(), 2);
    }

    #[test]
    fn lines_that_end_sentences_are_paragraphs() {
        let text = "First one.\nSecond one.\n\nA wrapped\nparagraph here.";
        let paragraphs = paragraphs(text, 0);
        assert_eq!(paragraphs.len(), 3);
        assert_eq!(
            &text[paragraphs[2].span.clone()],
            "A wrapped\nparagraph here."
        );
    }

    #[test]
    fn bullets_are_not_part_of_the_paragraph() {
        let text = "- On December 20, Russia moved.";
        assert_eq!(split(text), vec!["On December 20, Russia moved."]);
    }

    #[test]
    fn quotations_pair_straight_and_typographic_marks() {
        let text = "\"One,\" he said, “two.”";
        let q = quotations(text, 0..text.len());
        assert_eq!(q.len(), 2);
        assert_eq!(&text[q[0].inner.clone()], "One,");
        assert_eq!(&text[q[1].inner.clone()], "two.");
    }
}

#[cfg(test)]
mod dateline_tests {
    use super::*;

    fn first(text: &str) -> &str {
        let p = paragraphs(text, 0);
        &text[p[0].sentences[0].clone()]
    }

    #[test]
    fn datelines_are_not_part_of_the_first_sentence() {
        assert_eq!(
            first("LAHORE: Federal Minister Shah said so."),
            "Federal Minister Shah said so."
        );
        assert_eq!(
            first("WASHINGTON — Senator Cramer voted no."),
            "Senator Cramer voted no."
        );
        assert_eq!(
            first("MOSCOW, January 18 – RIA Novosti. The West has thrown off its masks."),
            "The West has thrown off its masks."
        );
        assert_eq!(
            first("New Delhi, Feb 15 (IANS) Pointing out that India was calm, Antony spoke."),
            "Pointing out that India was calm, Antony spoke."
        );
        assert_eq!(
            first("Tel Aviv [Israel], October 10 : Israeli Prime Minister Netanyahu said it."),
            "Israeli Prime Minister Netanyahu said it."
        );
    }

    #[test]
    fn names_and_colon_labels_are_not_datelines() {
        assert_eq!(first("Kyrylo Budanov said so."), "Kyrylo Budanov said so.");
        assert_eq!(
            first("José Gomes: \"We went out.\""),
            "José Gomes: \"We went out.\""
        );
    }
}
