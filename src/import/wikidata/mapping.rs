//! The mapping table of `ontology/wikidata/mapping.tsv`: which Wikidata property or
//! class plays which part.

use crate::error::{Error, Result};
use rustc_hash::FxHashMap;
use std::path::Path;

/// The table shipped with credgraph.
pub const DEFAULT: &str = include_str!("../../../ontology/wikidata/mapping.tsv");

/// A part a property or class plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    InstanceOf,
    SubclassOf,
    PositionHeld,
    Start,
    End,
    PositionOf,
    Directs,
    PartOf,
    ParentOrganization,
    Subsidiary,
    Employer,
    Party,
    MemberOf,
    PersonClass,
    OrganizationClass,
    PartyClass,
    PositionClass,
}

const PARTS: &[(&str, Role)] = &[
    ("instance-of", Role::InstanceOf),
    ("subclass-of", Role::SubclassOf),
    ("position-held", Role::PositionHeld),
    ("start", Role::Start),
    ("end", Role::End),
    ("position-of", Role::PositionOf),
    ("directs", Role::Directs),
    ("part-of", Role::PartOf),
    ("parent-organization", Role::ParentOrganization),
    ("subsidiary", Role::Subsidiary),
    ("employer", Role::Employer),
    ("party", Role::Party),
    ("member-of", Role::MemberOf),
    ("person-class", Role::PersonClass),
    ("organization-class", Role::OrganizationClass),
    ("party-class", Role::PartyClass),
    ("position-class", Role::PositionClass),
];

/// Properties and classes by the part they play.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    parts: FxHashMap<String, Role>,
}

impl Mapping {
    pub fn default_table() -> Mapping {
        Mapping::parse(DEFAULT, Path::new("ontology/wikidata/mapping.tsv"))
            .expect("the shipped mapping parses")
    }

    pub fn read(path: &Path) -> Result<Mapping> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::file(path, e))?;
        Mapping::parse(&text, path)
    }

    /// Lines of `P…` or `Q…`, a tab, a part, and an optional note; `#` starts a
    /// comment line.
    pub fn parse(text: &str, path: &Path) -> Result<Mapping> {
        let mut parts = FxHashMap::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let bad = |message: String| Error::Syntax {
                path: path.to_path_buf(),
                position: Some(crate::error::Position {
                    line: i as u64 + 1,
                    column: 1,
                }),
                message,
            };
            let mut fields = line.split('\t');
            let id = fields.next().unwrap_or_default().trim();
            let part = fields.next().unwrap_or_default().trim();
            if !is_id(id) {
                return Err(bad(format!(
                    "{:?} is not a Wikidata property or item (P… or Q…, then a tab and a part)",
                    id
                )));
            }
            let Some(&(_, part)) = PARTS.iter().find(|(name, _)| *name == part) else {
                return Err(bad(format!(
                    "unknown part {:?}; the parts are {}",
                    part,
                    PARTS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                )));
            };
            parts.insert(id.to_string(), part);
        }
        Ok(Mapping { parts })
    }

    /// The part of a property or item, if it has one.
    pub fn part(&self, id: &str) -> Option<Role> {
        self.parts.get(id).copied()
    }

    /// The first property (by number) or item that plays `part`.
    pub fn property_of(&self, part: Role) -> Option<String> {
        self.items_of(part).first().map(|id| id.to_string())
    }

    /// The properties or items that play `part`, by number.
    pub fn items_of(&self, part: Role) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .parts
            .iter()
            .filter(|(_, p)| **p == part)
            .map(|(id, _)| id.as_str())
            .collect();
        out.sort_by_key(|id| (id[1..].parse::<u64>().unwrap_or(u64::MAX), id.to_string()));
        out
    }

    /// The properties the table maps, sorted (for the CONSTRUCT query).
    pub fn properties(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .parts
            .keys()
            .filter(|id| id.starts_with('P'))
            .map(String::as_str)
            .collect();
        out.sort();
        out
    }
}

/// `P123` or `Q123`.
pub fn is_id(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some('P' | 'Q')) && text.len() > 1 && chars.all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_maps_the_properties_the_issue_names() {
        let m = Mapping::default_table();
        assert_eq!(m.part("P39"), Some(Role::PositionHeld));
        assert_eq!(m.part("P580"), Some(Role::Start));
        assert_eq!(m.part("P582"), Some(Role::End));
        for p in ["P642", "P2389", "P361", "P108"] {
            assert!(m.part(p).is_some(), "{p}");
        }
        assert_eq!(m.part("P749"), Some(Role::ParentOrganization));
        assert_eq!(m.part("P355"), Some(Role::Subsidiary));
        assert_eq!(m.part("P102"), Some(Role::Party));
        assert_eq!(m.part("Q5"), Some(Role::PersonClass));
        assert!(m.properties().contains(&"P39"));
    }

    #[test]
    fn a_bad_line_names_its_line() {
        let err = Mapping::parse("P1\tposition-held\nP2\tboss-of\n", Path::new("m.tsv"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("m.tsv:2:"), "{err}");
        assert!(err.contains("boss-of"), "{err}");
        let err = Mapping::parse("X1\tparty\n", Path::new("m.tsv"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("m.tsv:1:"), "{err}");
    }
}
