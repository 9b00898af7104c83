//! The rules that find who said what in a news text: direct quotes and the frame
//! around them, indirect speech after reporting verbs, "according to", speakers
//! carried over by pronoun, surname or paragraph, sentences that refer back ("told
//! about this"), and what is left: the outlet's own report.
//!
//! Each sentence is read on its own (`reading`: quotes in `quotes`, indirect
//! speech in `indirect`, cut into its claims by `claims`, with the patterns of
//! `frames`); the walk through the paragraphs (`walk`) gives each reading its
//! speakers from what the article has said so far (`discourse`).

mod claims;
mod discourse;
mod frames;
mod indirect;
mod quotes;
mod reading;
mod walk;

use super::sentences::Paragraph;
pub use super::sheet::{How, SpeakerKind};
use std::ops::Range;

/// A speaker as the article names them, after pronouns and surnames are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    pub kind: SpeakerKind,
    /// The fullest name the article gives; for an official named by post, the post.
    pub name: String,
    pub title: Option<String>,
    pub organization: Option<String>,
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
    /// Where the words naming the speaker are ("Trump", "he", "a spokesman for the
    /// campaign"), when the statement's own sentence or frame names them (bytes).
    pub mention: Option<Range<usize>>,
    /// Where the reporting verb or frame is ("said", "asked") (bytes).
    pub cue: Option<Range<usize>>,
    /// For a pronoun mention, where the person it stands for was last named (bytes).
    pub antecedent: Option<Range<usize>>,
}

/// Runs the rules over a text's paragraphs.
pub fn find(text: &str, paragraphs: &[Paragraph], headline: &str) -> Vec<Found> {
    let mut walk = walk::Walk::new(text, headline);
    for paragraph in paragraphs {
        walk.paragraph(paragraph);
    }
    walk.finish()
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

    #[test]
    fn a_question_or_exclamation_in_quotes_keeps_the_attribution_after_it() {
        let all = found(
            "“We will win this state in November,” Hillary Clinton said.\n“Is this the end of it, after all these months?” Donald Trump said, looking out at the crowd. “What a night for all of us here!” Trump added.",
        );
        let quotes: Vec<_> = all.iter().filter(|f| f.2 == How::Quote).collect();
        assert_eq!(quotes.len(), 3, "{all:?}");
        assert_eq!(quotes[0].0, "Hillary Clinton");
        assert_eq!(quotes[1].0, "Donald Trump", "{all:?}");
        assert_eq!(
            quotes[1].3,
            "Is this the end of it, after all these months?"
        );
        assert_eq!(quotes[2].0, "Donald Trump", "{all:?}");
        // The frame after the quote is not a statement of its own.
        assert!(all.iter().all(|f| !f.3.contains("looking out")), "{all:?}");
    }

    #[test]
    fn a_signature_line_names_the_speaker_of_the_quote_above_it() {
        let all = found(
            "“The campaign has forgotten the people who live out here,” said Senator Jeff Flake.\n“I have voted in every election since 1972 and never felt this left out.”\n― Pamela Padilla, Tucson, Ariz.",
        );
        let quotes: Vec<_> = all.iter().filter(|f| f.2 == How::Quote).collect();
        assert_eq!(quotes.len(), 2, "{all:?}");
        assert_eq!(quotes[0].0, "Jeff Flake");
        assert_eq!(quotes[1].0, "Pamela Padilla", "{all:?}");
        // The signature is no statement of its own.
        assert_eq!(all.len(), 2, "{all:?}");
    }

    #[test]
    fn he_is_not_the_woman_quoted_last_but_the_man_named_before_her() {
        let all = found(
            "Mitch McConnell spoke first on Tuesday.\n“The Senate will not take this bill up this year,” Nancy Pelosi said of the plan.\n“We have the votes to stop it in committee,” he said.",
        );
        let quotes: Vec<_> = all.iter().filter(|f| f.2 == How::Quote).collect();
        assert_eq!(quotes[0].0, "Nancy Pelosi", "{all:?}");
        assert_eq!(quotes[1].0, "Mitch McConnell", "{all:?}");
    }

    #[test]
    fn she_is_never_a_man_named_before() {
        // Mr. tells the man; the only woman is named earlier.
        let all = found(
            "Kellyanne Conway arrived at the briefing late.\n“The polls have moved a lot in the last week,” Mr. Priebus said.\n“We expect to close the gap in Ohio before the debate,” she said.",
        );
        let quotes: Vec<_> = all.iter().filter(|f| f.2 == How::Quote).collect();
        assert_eq!(quotes[0].0, "Priebus", "{all:?}");
        assert_eq!(quotes[1].0, "Kellyanne Conway", "{all:?}");
    }

    #[test]
    fn one_quotation_is_one_statement_however_many_sentences_or_parts() {
        let all = found(
            "“We are going to win this state. We are going to win it big. Believe me,” Donald Trump said.\n“The polls in this county,” she said, “have been wrong all year, and they will be wrong again.” Hillary Clinton laughed.",
        );
        let quotes: Vec<_> = all.iter().filter(|f| f.2 == How::Quote).collect();
        assert_eq!(quotes.len(), 2, "{all:?}");
        assert_eq!(
            quotes[0].3,
            "We are going to win this state. We are going to win it big. Believe me,"
        );
        assert_eq!(
            quotes[1].3,
            "The polls in this county, have been wrong all year, and they will be wrong again."
        );
    }

    #[test]
    fn a_quote_its_attribution_interrupts_between_sentences_is_one_quotation() {
        let text = "“We have the votes to move it this week,” Mitch McConnell said. “Nobody wants a shutdown a month before an election.”\n“No,” he said, “we will not take the deal.”";
        let all = find(text, &paragraphs(text, 0), "");
        let quotes: Vec<_> = all.iter().filter(|f| f.how == How::Quote).collect();
        assert_eq!(quotes.len(), 2, "{all:?}");
        assert_eq!(
            quotes[0].text,
            "We have the votes to move it this week, Nobody wants a shutdown a month before an election."
        );
        assert!(text[quotes[0].span.clone()].ends_with("election."));
        // A short first part is still part of the quotation.
        assert_eq!(quotes[1].text, "No, we will not take the deal.");
        assert!(quotes.iter().all(|q| q.speaker.name == "Mitch McConnell"));
    }

    #[test]
    fn a_quote_going_on_with_an_earlier_speaker_is_named_by_the_same_words() {
        let text = "“Health care costs are the first thing people ask me about,” Tammy Baldwin said.\n“I will keep coming back here until the costs come down.”";
        let all = find(text, &paragraphs(text, 0), "");
        assert_eq!(all.len(), 2, "{all:?}");
        let mention = all[1].mention.clone().expect("a mention");
        assert_eq!(&text[mention], "Tammy Baldwin");
        assert_eq!(all[1].mention, all[0].mention);
    }

    #[test]
    fn an_age_or_a_relative_clause_after_the_name_is_part_of_the_mention() {
        let text = "“I have never seen prices this low,” Mr. King, 82, said.\n“This is a dead heat, and anybody who says otherwise is guessing,” said Andrew Smith, who directs the poll.";
        let all = find(text, &paragraphs(text, 0), "");
        let mentions: Vec<&str> = all
            .iter()
            .map(|f| &text[f.mention.clone().expect("a mention")])
            .collect();
        assert_eq!(
            mentions,
            ["Mr. King, 82", "Andrew Smith, who directs the poll"]
        );
        assert_eq!(all[1].speaker.name, "Andrew Smith");
    }
}
