//! Linking speakers to what the store already knows: a person by name, surname or
//! other spelling, an official by the post they held at the article's date, an
//! organization or outlet by name or abbreviation.

use crate::error::Result;
use crate::internal_queries::{LINKING_NAMES, LINKING_POSTS};
use crate::store::CaseStore;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use std::collections::BTreeMap;

/// An entity of the store with every name it goes by.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub iri: String,
    pub names: Vec<String>,
}

/// A post and who held it, when.
#[derive(Debug, Clone, Default)]
pub struct KnownPost {
    pub iri: String,
    pub names: Vec<String>,
    pub organization: Option<String>,
    /// Holders, with the tenure's first and last day when recorded.
    pub holders: Vec<(String, Option<String>, Option<String>)>,
}

/// What the store knows, read once per run.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub people: Vec<Known>,
    pub organizations: Vec<Known>,
    pub outlets: Vec<Known>,
    pub posts: Vec<KnownPost>,
}

fn text(term: Option<&Term>) -> Option<String> {
    match term? {
        Term::NamedNode(n) => Some(n.as_str().to_string()),
        Term::Literal(l) => Some(l.value().to_string()),
        _ => None,
    }
}

impl Directory {
    /// Reads people, organizations, outlets and posts from the store.
    pub fn read(store: &CaseStore) -> Result<Self> {
        let mut people: BTreeMap<String, Known> = BTreeMap::new();
        let mut organizations: BTreeMap<String, Known> = BTreeMap::new();
        let mut outlets: BTreeMap<String, Known> = BTreeMap::new();
        if let QueryResults::Solutions(rows) = store.query(&LINKING_NAMES.bind(&[])?)? {
            for row in rows {
                let row = row.map_err(|e| crate::Error::Evaluation(e.to_string()))?;
                let (Some(iri), Some(kind), Some(name)) = (
                    text(row.get("entity")),
                    text(row.get("kind")),
                    text(row.get("name")),
                ) else {
                    continue;
                };
                let map = if kind.ends_with("Person") {
                    &mut people
                } else if kind.ends_with("Outlet") {
                    &mut outlets
                } else {
                    &mut organizations
                };
                let known = map.entry(iri.clone()).or_insert_with(|| Known {
                    iri,
                    names: Vec::new(),
                });
                if !known.names.contains(&name) {
                    known.names.push(name);
                }
            }
        }
        let mut posts: BTreeMap<String, KnownPost> = BTreeMap::new();
        if let QueryResults::Solutions(rows) = store.query(&LINKING_POSTS.bind(&[])?)? {
            for row in rows {
                let row = row.map_err(|e| crate::Error::Evaluation(e.to_string()))?;
                let (Some(iri), Some(name)) = (text(row.get("post")), text(row.get("name"))) else {
                    continue;
                };
                let post = posts.entry(iri.clone()).or_insert_with(|| KnownPost {
                    iri,
                    ..KnownPost::default()
                });
                if !post.names.contains(&name) {
                    post.names.push(name);
                }
                post.organization = post.organization.take().or(text(row.get("organization")));
                if let Some(holder) = text(row.get("holder")) {
                    let entry = (holder, text(row.get("from")), text(row.get("to")));
                    if !post.holders.contains(&entry) {
                        post.holders.push(entry);
                    }
                }
            }
        }
        Ok(Directory {
            people: people.into_values().collect(),
            organizations: organizations.into_values().collect(),
            outlets: outlets.into_values().collect(),
            posts: posts.into_values().collect(),
        })
    }

    /// The person a name stands for: the same name or another spelling of it, or a
    /// surname that only one person has.
    pub fn person(&self, name: &str) -> Option<&Known> {
        let wanted = normalize(name);
        if let Some(exact) = self
            .people
            .iter()
            .find(|p| p.names.iter().any(|n| normalize(n) == wanted))
        {
            return Some(exact);
        }
        let surname = wanted.split(' ').next_back()?.to_string();
        let first = wanted.split(' ').next().unwrap_or_default().to_string();
        let mut candidates = self.people.iter().filter(|p| {
            p.names.iter().any(|n| {
                let n = normalize(n);
                let known_surname = n.split(' ').next_back().unwrap_or_default();
                let same_surname = known_surname == surname
                    || strsim::normalized_levenshtein(known_surname, &surname) >= 0.8
                        && surname.len() > 4;
                // "Oleksiy" and "Oleksii": a first name, if given, must be close.
                let known_first = n.split(' ').next().unwrap_or_default();
                same_surname
                    && (!wanted.contains(' ')
                        || !n.contains(' ')
                        || strsim::jaro_winkler(known_first, &first) >= 0.85)
            })
        });
        let found = candidates.next()?;
        candidates.next().is_none().then_some(found)
    }

    /// The known source a name stands for on a date: a person by name or alias,
    /// an official by the post the name gives ("Ukraine's defence minister") and who
    /// held it that day, else an organization or outlet by name.
    pub fn source(&self, name: &str, date: Option<&str>) -> Option<String> {
        if let Some(person) = self.person(name) {
            return Some(person.iri.clone());
        }
        if let Some(date) = date {
            if let Some(holder) = self.post(name, None).and_then(|p| self.holder(p, date)) {
                return Some(holder);
            }
        }
        self.organization(name).map(|o| o.iri.clone())
    }

    /// The organization (or outlet) a name stands for.
    pub fn organization(&self, name: &str) -> Option<&Known> {
        let wanted = normalize(name);
        self.organizations
            .iter()
            .chain(&self.outlets)
            .find(|o| o.names.iter().any(|n| normalize(n) == wanted))
            .or_else(|| {
                self.organizations
                    .iter()
                    .chain(&self.outlets)
                    .map(|o| {
                        (
                            o,
                            o.names
                                .iter()
                                .map(|n| similarity(n, name))
                                .fold(0.0, f64::max),
                        )
                    })
                    .filter(|(_, s)| *s >= 0.8)
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(o, _)| o)
            })
    }

    /// An outlet by name.
    pub fn outlet(&self, name: &str) -> Option<&Known> {
        let wanted = normalize(name);
        self.outlets
            .iter()
            .find(|o| o.names.iter().any(|n| normalize(n) == wanted))
    }

    /// The post a title names: by the post's own names, or by the organization the
    /// title names and the post's head word in it ("commander of the OC South").
    pub fn post(&self, title: &str, organization: Option<&str>) -> Option<&KnownPost> {
        let best = self
            .posts
            .iter()
            .map(|p| {
                (
                    p,
                    p.names
                        .iter()
                        .map(|n| similarity(n, title))
                        .fold(0.0, f64::max),
                )
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((post, score)) = best {
            if score >= 0.75 {
                return Some(post);
            }
        }
        let organization = self.organization(organization?)?;
        let head = normalize(title.split(" of ").next().unwrap_or(title));
        let head = head.split(' ').next_back()?;
        self.posts.iter().find(|p| {
            p.organization.as_deref() == Some(organization.iri.as_str())
                && p.names.iter().any(|n| {
                    normalize(n)
                        .split(' ')
                        .any(|w| w == head || strsim::normalized_levenshtein(w, head) >= 0.8)
                })
        })
    }

    /// The posts a person held on a date (tenures without dates count as held).
    pub fn posts_of(&self, person: &str, date: &str) -> Vec<&KnownPost> {
        self.posts
            .iter()
            .filter(|p| {
                p.holders.iter().any(|(holder, from, to)| {
                    holder == person
                        && from.as_deref().is_none_or(|f| f <= date)
                        && to.as_deref().is_none_or(|t| t >= date)
                })
            })
            .collect()
    }

    /// Who held a post on a date, when exactly one person did.
    pub fn holder(&self, post: &KnownPost, date: &str) -> Option<String> {
        let mut holders = post.holders.iter().filter(|(_, from, to)| {
            from.as_deref().is_none_or(|f| f <= date) && to.as_deref().is_none_or(|t| t >= date)
        });
        let found = holders.next()?;
        holders.next().is_none().then(|| found.0.clone())
    }
}

/// Lower case, letters and digits only, words joined by one space, no "the".
pub fn normalize(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "the")
        .collect::<Vec<_>>()
        .join(" ")
}

/// How alike two names are: the share of their words that match, allowing a
/// letter or two of difference in a word (Defense and Defence), 0 to 1.
pub fn similarity(a: &str, b: &str) -> f64 {
    let content = |s: &str| -> Vec<String> {
        normalize(s)
            .split(' ')
            .filter(|w| !matches!(*w, "of" | "and" | "for" | "in" | "a" | ""))
            .map(str::to_string)
            .collect()
    };
    let (a, b) = (content(a), content(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let matched = a
        .iter()
        .filter(|w| {
            b.iter()
                .any(|v| v == *w || (w.len() > 4 && strsim::normalized_levenshtein(v, w) >= 0.8))
        })
        .count();
    2.0 * matched as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directory() -> Directory {
        Directory {
            people: vec![
                Known {
                    iri: "person:oleksii-reznikov".into(),
                    names: vec!["Oleksii Reznikov".into(), "Reznikov".into()],
                },
                Known {
                    iri: "person:kyrylo-budanov".into(),
                    names: vec!["Kyrylo Budanov".into()],
                },
            ],
            organizations: vec![Known {
                iri: "organization:operational-command-south".into(),
                names: vec![
                    "Operational Command \"South\"".into(),
                    "OC \"South\"".into(),
                ],
            }],
            outlets: Vec::new(),
            posts: vec![KnownPost {
                iri: "post:commander-of-operational-command-south".into(),
                names: vec!["Commander of Operational Command \"South\"".into()],
                organization: Some("organization:operational-command-south".into()),
                holders: vec![("person:x".into(), Some("2022-01-01".into()), None)],
            }],
        }
    }

    #[test]
    fn people_by_name_surname_and_spelling() {
        let d = directory();
        assert_eq!(
            d.person("Oleksiy Reznikov").unwrap().iri,
            "person:oleksii-reznikov"
        );
        assert_eq!(d.person("Budanov").unwrap().iri, "person:kyrylo-budanov");
        assert!(d.person("Jens Stoltenberg").is_none());
        assert!(d.person("Dmytro Budanov").is_none());
    }

    #[test]
    fn officials_by_the_organization_their_title_names() {
        let d = directory();
        let post = d
            .post("commander of the OC \"South\"", Some("OC \"South\""))
            .unwrap();
        assert_eq!(post.iri, "post:commander-of-operational-command-south");
        assert_eq!(d.holder(post, "2022-12-24").as_deref(), Some("person:x"));
        assert_eq!(d.holder(post, "2021-12-24"), None);
    }

    #[test]
    fn similar_titles_despite_spelling() {
        assert!(similarity("Minister of Defense", "Minister of Defence of Ukraine") >= 0.75);
        assert!(
            similarity(
                "commander of the Joint Forces",
                "Minister of Defence of Ukraine"
            ) < 0.5
        );
    }
}
