//! Who a phrase names as the speaker: a person by name with or without a title, an
//! official by post alone, an organization, or a pronoun to be carried over.
//!
//! The words before (or after) a reporting verb are trimmed to the speaker's phrase
//! (`subject`) and read as a mention (`phrase`), word by word (`words`, with
//! the lists of `lexicon/extract/`); `names` keeps what a text says in passing.

mod names;
mod phrase;
mod subject;
mod words;

pub(crate) use super::lexicon::WEEKDAYS;
pub use names::{full_names, is_name_line, opening_speaker, subject_name, title_head};
pub use subject::{parse, parse_object};
pub use words::is_state_name;

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
