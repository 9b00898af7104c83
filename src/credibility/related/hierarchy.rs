//! A hierarchy of values (places within places, categories within categories),
//! read from a table of child and parent.
//!
//! Every value of the hierarchy is a child in some row; a root's row leaves the
//! parent empty. A parent that is nobody's child is an error (a typo would
//! otherwise make a new root), and so is a cycle. A value may have several parents.
//! Names are compared trimmed, inner spaces collapsed and without regard to case.

use crate::error::{Error, Result};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;

/// The index of the row read at `line`.
fn line_index(rows: &[(usize, String, String)], line: usize) -> usize {
    rows.iter().position(|(l, _, _)| *l == line).unwrap_or(0)
}

/// Child to parents, by key.
#[derive(Debug, Clone, Default)]
pub struct Hierarchy {
    parents: FxHashMap<String, Vec<String>>,
}

/// A name as compared (a hierarchy's values, a list's members): trimmed, inner
/// spaces collapsed, lower case.
pub fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Hierarchy {
    /// Reads a child, parent table: tab-separated, or comma-separated for a `.csv`
    /// name (gzipped or not); a first row `child`, `parent` is a header.
    pub fn read(path: &Path) -> Result<Hierarchy> {
        let name = path.to_string_lossy().to_ascii_lowercase();
        let delimiter = if name.ends_with(".csv") || name.ends_with(".csv.gz") {
            b','
        } else {
            b'\t'
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(crate::files::open_input(path)?);
        let mut rows = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let line = index + 1;
            let at =
                |message: String| Error::invalid(format!("{}:{line}: {message}", path.display()));
            let record = record.map_err(|e| at(format!("cannot read the row: {e}")))?;
            let cell = |i: usize| record.get(i).unwrap_or("").trim().to_string();
            let (child, parent) = (cell(0), cell(1));
            if line == 1
                && child.eq_ignore_ascii_case("child")
                && parent.eq_ignore_ascii_case("parent")
            {
                continue;
            }
            if record.len() > 2 && record.iter().skip(2).any(|c| !c.trim().is_empty()) {
                return Err(at(format!(
                    "{} columns; a hierarchy row is a child and its parent",
                    record.len()
                )));
            }
            if child.is_empty() {
                return Err(at("the child is empty".into()));
            }
            rows.push((line, child, parent));
        }
        Self::from_rows(rows).map_err(|(line, message)| {
            Error::invalid(format!("{}:{line}: {message}", path.display()))
        })
    }

    /// The hierarchy of (line, child, parent) rows, a root's parent empty; an error
    /// names the line at fault.
    pub fn from_rows(
        rows: Vec<(usize, String, String)>,
    ) -> std::result::Result<Hierarchy, (usize, String)> {
        let children: FxHashSet<String> = rows.iter().map(|(_, c, _)| key(c)).collect();
        let mut parents: FxHashMap<String, Vec<String>> = FxHashMap::default();
        let mut lines: FxHashMap<(String, String), usize> = FxHashMap::default();
        for (line, child, parent) in &rows {
            if parent.is_empty() {
                continue;
            }
            let (c, p) = (key(child), key(parent));
            if !children.contains(&p) {
                return Err((
                    *line,
                    format!(
                        "unknown parent '{parent}' of '{child}': every value has a row of its own (a root's with an empty parent)"
                    ),
                ));
            }
            if c == p {
                return Err((*line, format!("'{child}' is its own parent")));
            }
            lines.entry((c.clone(), p.clone())).or_insert(*line);
            let list = parents.entry(c).or_default();
            if !list.contains(&p) {
                list.push(p);
            }
        }
        let hierarchy = Hierarchy { parents };
        if let Some(edge) = hierarchy.cycle_edge() {
            let line = lines[&edge];
            let (_, child, parent) = &rows[line_index(&rows, line)];
            return Err((
                line,
                format!(
                    "'{child}' under '{parent}' closes a cycle: a value cannot be its own ancestor"
                ),
            ));
        }
        Ok(hierarchy)
    }

    /// An edge (child, parent) on a cycle, if there is one: a depth-first walk up
    /// the parents, the first edge back to a value on the current path.
    fn cycle_edge(&self) -> Option<(String, String)> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            OnPath,
            Done,
        }
        let mut marks: FxHashMap<&str, Mark> = FxHashMap::default();
        let mut starts: Vec<&String> = self.parents.keys().collect();
        starts.sort();
        for start in starts {
            if marks.contains_key(start.as_str()) {
                continue;
            }
            // The path, each entry a value and the index of its next parent to visit.
            let mut path: Vec<(&str, usize)> = vec![(start, 0)];
            marks.insert(start, Mark::OnPath);
            while let Some(&mut (node, ref mut next)) = path.last_mut() {
                let parents = self.parents.get(node).map_or(&[][..], Vec::as_slice);
                if *next == parents.len() {
                    marks.insert(node, Mark::Done);
                    path.pop();
                    continue;
                }
                let parent = parents[*next].as_str();
                *next += 1;
                match marks.get(parent) {
                    Some(Mark::OnPath) => return Some((node.to_string(), parent.to_string())),
                    Some(Mark::Done) => {}
                    None => {
                        marks.insert(parent, Mark::OnPath);
                        path.push((parent, 0));
                    }
                }
            }
        }
        None
    }

    pub fn is_empty(&self) -> bool {
        self.parents.is_empty()
    }

    /// Every ancestor of a value (by key), each once, nearest first.
    pub fn ancestors<'a>(&'a self, value_key: &str) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = Vec::new();
        let parents_of = |name: &str| self.parents.get(name).map_or(&[][..], Vec::as_slice);
        let mut pending: Vec<&'a str> = parents_of(value_key).iter().map(String::as_str).collect();
        let mut at = 0;
        while at < pending.len() {
            let name = pending[at];
            at += 1;
            if out.contains(&name) {
                continue;
            }
            out.push(name);
            pending.extend(parents_of(name).iter().map(String::as_str));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(rows: &[(&str, &str)]) -> Vec<(usize, String, String)> {
        rows.iter()
            .enumerate()
            .map(|(i, (c, p))| (i + 1, c.to_string(), p.to_string()))
            .collect()
    }

    #[test]
    fn ancestors_are_found_through_every_level() {
        let h = Hierarchy::from_rows(rows(&[
            ("USA", ""),
            ("California", "USA"),
            ("Los Angeles", "California"),
        ]))
        .unwrap();
        assert_eq!(h.ancestors("los angeles"), ["california", "usa"]);
        assert!(h.ancestors("usa").is_empty());
    }

    #[test]
    fn a_cycle_or_an_unknown_parent_is_an_error_naming_its_line() {
        let cycle = Hierarchy::from_rows(rows(&[("A", "C"), ("B", "A"), ("C", "B")])).unwrap_err();
        assert!(cycle.1.contains("cycle"), "{}", cycle.1);
        assert!((1..=3).contains(&cycle.0));
        let unknown =
            Hierarchy::from_rows(rows(&[("USA", ""), ("California", "Californa")])).unwrap_err();
        assert_eq!(unknown.0, 2);
        assert!(
            unknown.1.contains("unknown parent 'Californa'"),
            "{}",
            unknown.1
        );
        let own = Hierarchy::from_rows(rows(&[("A", "a")])).unwrap_err();
        assert!(own.1.contains("its own parent"), "{}", own.1);
    }
}
