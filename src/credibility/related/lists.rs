//! Values that are sets of names (a book's authors, a film's directors): written in
//! any order, compared by how many members they share.
//!
//! An attribute holds lists where the user names the separator (`--list-separator`)
//! or, by default, where at least a tenth of its distinct values contain `;` or `|`
//! (a comma is not guessed: "Twain, Mark" is one name). A list value is written
//! canonically, its members trimmed, duplicates dropped and sorted without regard
//! to case, joined by `; `: "B; A" and "A;B" are one value; "a; b" is another,
//! which shares every member with it.

use std::collections::BTreeMap;

/// Separators tried where the user names none.
pub const GUESSED: [&str; 2] = [";", "|"];

/// Share of an attribute's distinct values that must contain a separator for the
/// attribute to be read as lists.
const LIST_SHARE: f64 = 0.1;

/// How list values are recognised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Lists {
    /// No value is a list.
    #[default]
    Off,
    /// Per attribute, the first of [`GUESSED`] that a tenth of its values contain.
    Guess,
    /// Every value of every attribute is a list with this separator.
    Separator(String),
}

impl Lists {
    /// `auto`, `none`, or the separator itself.
    pub fn parse(text: &str) -> Result<Lists, String> {
        match text {
            "" => Err("the list separator cannot be empty".into()),
            "auto" => Ok(Lists::Guess),
            "none" => Ok(Lists::Off),
            separator => Ok(Lists::Separator(separator.to_string())),
        }
    }

    /// The separator of an attribute whose distinct values are `values`, if its
    /// values are lists.
    pub fn separator_for<'a>(&self, values: impl Iterator<Item = &'a str> + Clone) -> Option<&str> {
        match self {
            Lists::Off => None,
            Lists::Separator(separator) => Some(separator),
            Lists::Guess => {
                let total = values.clone().count();
                GUESSED.into_iter().find(|sep| {
                    let with = values.clone().filter(|v| v.contains(sep)).count();
                    with > 0 && with as f64 >= LIST_SHARE * total as f64
                })
            }
        }
    }
}

/// The canonical writing of a list value: members trimmed, one per key, ordered by
/// key, joined by `; `.
pub fn canonical(value: &str, separator: &str) -> String {
    let mut members: BTreeMap<String, String> = BTreeMap::new();
    for member in value.split(separator) {
        let written = member.split_whitespace().collect::<Vec<_>>().join(" ");
        if !written.is_empty() {
            members
                .entry(super::hierarchy::key(&written))
                .or_insert(written);
        }
    }
    members.into_values().collect::<Vec<_>>().join("; ")
}

/// The members of a canonical list value, as keys.
pub fn members(canonical: &str) -> Vec<String> {
    let mut keys: Vec<String> = canonical.split("; ").map(super::hierarchy::key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Shared members over all members of two sorted member lists; 1 for two empty.
pub fn jaccard(a: &[String], b: &[String]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    if union == 0 {
        1.0
    } else {
        shared as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_set_in_another_order_is_written_one_way() {
        assert_eq!(canonical("Widom ;Ullman", ";"), "Ullman; Widom");
        assert_eq!(
            canonical("Ullman; Widom; ullman", ";"),
            canonical("Widom;Ullman", ";")
        );
        // Written in other case, a list is another value, but one with every member
        // in common.
        let other_case = members(&canonical("ullman; WIDOM", ";"));
        assert_eq!(jaccard(&other_case, &members("Ullman; Widom")), 1.0);
        assert_eq!(canonical("A  B|C", "|"), "A B; C");
    }

    #[test]
    fn jaccard_counts_partial_lists_partly() {
        let a = members(&canonical("Ullman; Widom; Garcia-Molina", ";"));
        let b = members(&canonical("Widom; Ullman", ";"));
        assert!((jaccard(&a, &b) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(jaccard(&a, &a), 1.0);
        assert_eq!(jaccard(&a, &members("Knuth")), 0.0);
    }

    #[test]
    fn lists_are_guessed_from_a_share_of_the_values_never_from_commas() {
        let values = ["A; B", "C", "D", "E", "F"];
        assert_eq!(
            Lists::Guess.separator_for(values.iter().copied()),
            Some(";")
        );
        let names = ["Twain, Mark", "Austen, Jane"];
        assert_eq!(Lists::Guess.separator_for(names.iter().copied()), None);
        let rare = ["A; B"].into_iter().chain(["C"; 20]);
        assert_eq!(Lists::Guess.separator_for(rare), None);
        assert_eq!(Lists::parse("auto"), Ok(Lists::Guess));
        assert_eq!(Lists::parse(","), Ok(Lists::Separator(",".into())));
        assert!(Lists::parse("").is_err());
    }
}
