//! The word lists of `extract`, read from the files of `lexicon/extract/` that the
//! binary carries: edit a file, rebuild, and extraction follows.

use std::collections::HashSet;
use std::sync::{LazyLock, OnceLock};

/// One list file: one entry a line, `#` starts a comment, blank lines are left out.
pub(crate) struct WordList {
    text: &'static str,
    set: OnceLock<HashSet<&'static str>>,
}

impl WordList {
    const fn new(text: &'static str) -> Self {
        WordList {
            text,
            set: OnceLock::new(),
        }
    }

    /// Whether the word is on the list, exactly as written.
    pub(crate) fn contains(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| entries(self.text).collect())
            .contains(word)
    }

    /// The entries in the file's order.
    pub(crate) fn in_order(&self) -> impl Iterator<Item = &'static str> {
        entries(self.text)
    }

    /// The entries as a regular expression's alternatives, each matched literally.
    pub(crate) fn alternation(&self) -> String {
        self.in_order()
            .map(regex::escape)
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// The entries of a list file: one a line, `#` comments and blank lines left out.
/// The lists of `match` (`lexicon/*.txt`) are read with it too.
pub(crate) fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
}

macro_rules! list {
    ($name:literal) => {
        WordList::new(include_str!(concat!("../../lexicon/extract/", $name)))
    };
}

// Sentences and articles.
pub(crate) static ABBREVIATIONS: WordList = list!("abbreviations.txt");
pub(crate) static SENTENCE_STARTERS: WordList = list!("sentence-starters.txt");
static WEEKDAY_NAMES: WordList = list!("weekdays.txt");
static MONTH_NAMES: WordList = list!("months.txt");
/// The days of the week, as a slice: `match` reads them too.
pub(crate) static WEEKDAYS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| WEEKDAY_NAMES.in_order().collect());
/// The months in the calendar's order: a month's number is its place plus one.
pub(crate) static MONTHS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| MONTH_NAMES.in_order().collect());

// Who speaks.
pub(crate) static TITLE_WORDS: WordList = list!("title-words.txt");
pub(crate) static HONORIFICS: WordList = list!("honorifics.txt");
pub(crate) static ORGANIZATION_WORDS: WordList = list!("organization-words.txt");
pub(crate) static STATE_NAMES: WordList = list!("state-names.txt");
pub(crate) static NOT_NAMES: WordList = list!("not-names.txt");
pub(crate) static PARTICLES: WordList = list!("name-particles.txt");
pub(crate) static PRONOUNS: WordList = list!("pronouns.txt");
pub(crate) static SPEAKING_DOCUMENTS: WordList = list!("speaking-documents.txt");
pub(crate) static TRAILING_NOT_SPEAKER: WordList = list!("trailing-not-speaker.txt");
pub(crate) static INTRODUCERS: WordList = list!("introducers.txt");
pub(crate) static FEMALE_NAMES: WordList = list!("given-names-female.txt");
pub(crate) static MALE_NAMES: WordList = list!("given-names-male.txt");

// How they speak, and what.
pub(crate) static REPORTING_VERBS: WordList = list!("reporting-verbs.txt");
pub(crate) static REPORTING_PARTICIPLES: WordList = list!("reporting-participles.txt");
pub(crate) static FINITE_VERBS: WordList = list!("finite-verbs.txt");
pub(crate) static CONTINUING_OPENERS: WordList = list!("continuing-openers.txt");
pub(crate) static CONNECTIVES: WordList = list!("connectives.txt");

/// Every list, for the checks of the files themselves.
#[cfg(test)]
static ALL: &[&WordList] = &[
    &ABBREVIATIONS,
    &SENTENCE_STARTERS,
    &WEEKDAY_NAMES,
    &MONTH_NAMES,
    &TITLE_WORDS,
    &HONORIFICS,
    &ORGANIZATION_WORDS,
    &STATE_NAMES,
    &NOT_NAMES,
    &PARTICLES,
    &PRONOUNS,
    &SPEAKING_DOCUMENTS,
    &TRAILING_NOT_SPEAKER,
    &INTRODUCERS,
    &FEMALE_NAMES,
    &MALE_NAMES,
    &REPORTING_VERBS,
    &REPORTING_PARTICIPLES,
    &FINITE_VERBS,
    &CONTINUING_OPENERS,
    &CONNECTIVES,
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The list files as they are on disk, by name: what the binary carries.
    fn files() -> Vec<(String, String)> {
        let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicon/extract");
        let mut files: Vec<(String, String)> = std::fs::read_dir(&directory)
            .expect("lexicon/extract")
            .map(|entry| {
                let path = entry.expect("a file").path();
                let name = path
                    .file_name()
                    .expect("a name")
                    .to_string_lossy()
                    .to_string();
                (name, std::fs::read_to_string(&path).expect("a text file"))
            })
            .filter(|(name, _)| name.ends_with(".txt"))
            .collect();
        files.sort();
        files
    }

    /// The lists the code compares with a word as written; the others with the word
    /// in lower case, so an entry with a capital in them would never match.
    const AS_WRITTEN: &[&str] = &["sentence-starters.txt"];

    #[test]
    fn no_list_holds_an_entry_twice_or_with_space_around_it() {
        let mut problems = Vec::new();
        for (name, text) in files() {
            let mut seen = HashSet::new();
            for (number, line) in text.lines().enumerate() {
                let at = format!("lexicon/extract/{name}:{}", number + 1);
                let entry = match line.split_once('#') {
                    Some((entry, _)) => entry.trim_end(),
                    None => line,
                };
                if entry.trim().is_empty() {
                    continue;
                }
                if entry != entry.trim() {
                    problems.push(format!("{at}: {entry:?} has space around it"));
                }
                if !seen.insert(entry.trim().to_string()) {
                    problems.push(format!("{at}: {:?} is listed twice", entry.trim()));
                }
                if !AS_WRITTEN.contains(&name.as_str()) && entry.to_lowercase() != entry {
                    problems.push(format!(
                        "{at}: {entry:?} has a capital, but the list is looked up in lower case"
                    ));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_list_file_is_one_the_code_reads() {
        let files = files();
        assert_eq!(files.len(), ALL.len(), "{files:?}");
        for (name, text) in &files {
            assert!(
                ALL.iter().any(|list| list.text == text),
                "lexicon/extract/{name} is read by nothing: add it to src/extract/lexicon.rs"
            );
        }
    }

    #[test]
    fn entries_leave_out_comments_and_blank_lines() {
        let text = "# a comment\n\nsaid\n  told  # the past\n";
        assert_eq!(entries(text).collect::<Vec<_>>(), ["said", "told"]);
    }

    #[test]
    fn the_months_are_in_the_calendars_order() {
        assert_eq!(MONTHS.len(), 12);
        assert_eq!(MONTHS[0], "january");
        assert_eq!(MONTHS[4], "may");
        assert_eq!(MONTHS[11], "december");
    }
}
