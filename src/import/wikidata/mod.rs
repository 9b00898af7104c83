//! `import` of Wikidata: people, the posts they held and when, organizations and
//! their hierarchy, from entity JSON, the dumps' lines, WDQS results, or an engine
//! asked by CONSTRUCT (`--wikidata Q…`). Which property plays which part is the
//! table of `ontology/wikidata/mapping.tsv` ([`mapping`]).
//!
//! - **Graphs.** Each entity goes into a graph of its own,
//!   `https://w3id.org/credgraph/graph/wikidata/Q…`, which importing the entity
//!   again replaces; the rows of a WDQS results file go into the file's graph.
//! - **IRIs.** An entity the store already knows (`owl:sameAs` its Wikidata IRI)
//!   keeps its IRI; else one of the store's people, posts or organizations whose
//!   label is the entity's label or alias, and which has no Wikidata IRI yet, is
//!   taken as the same; else the IRI is minted from the English label as
//!   everywhere (`person/kyrylo-budanov`), or from the id where there is none
//!   (`person/wikidata-q123`). Two entities that would get one IRI get the id
//!   appended (`person/john-smith-q123`).
//! - **What is written.** Labels and aliases in every language (`rdfs:label`,
//!   `skos:altLabel`: `extract` and `match` link names to them), `owl:sameAs` the
//!   Wikidata IRI, the revision (`schema:version`, `schema:dateModified`), and for
//!   each part of the mapping the terms `ontology/wikidata/mapping.tsv` names. A post
//!   that directs an organization reports to the post that directs the nearest
//!   organization above it, in this import or in the store.

pub mod endpoint;
pub mod json;
pub mod mapping;
pub mod results;

use crate::error::Result;
use crate::extract::linking::{normalize, Directory};
use crate::store::CaseStore;
use crate::vocab::{self, cg, org, owl, rdfs, schema, skos, time};
use mapping::{Mapping, Role};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{
    BlankNode, GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// Wikidata's entity namespace.
pub const WD: &str = "http://www.wikidata.org/entity/";
/// Where each imported entity's graph is.
pub const GRAPHS: &str = "https://w3id.org/credgraph/graph/wikidata/";

/// An entity as Wikidata gives it, reduced to what the mapping can read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entity {
    pub id: String,
    pub revision: Option<u64>,
    pub modified: Option<String>,
    /// (language, text).
    pub labels: Vec<(String, String)>,
    pub aliases: Vec<(String, String)>,
    pub claims: Vec<Claim>,
    /// The graph it goes into, when not its own (rows of a results file).
    pub graph: Option<NamedNode>,
}

/// One statement: property, main value, qualifiers.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub property: String,
    pub value: Value,
    pub qualifiers: Vec<(String, Value)>,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Item(String),
    Time(Time),
    Other,
}

/// A Wikidata time: `+2015-03-30T00:00:00Z` and its precision (11 a day, 10 a
/// month, 9 a year).
#[derive(Debug, Clone, PartialEq)]
pub struct Time {
    pub lexical: String,
    pub precision: u8,
}

impl Time {
    /// The first (or, with `last`, the last) day the time stands for, as
    /// `YYYY-MM-DD`; `None` before year 1 or coarser than a year.
    pub fn day(&self, last: bool) -> Option<String> {
        let text = self.lexical.strip_prefix('+').unwrap_or(&self.lexical);
        if text.starts_with('-') {
            return None;
        }
        let date = text.split('T').next()?;
        let mut parts = date.split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
        let day: u32 = parts.next().and_then(|d| d.parse().ok()).unwrap_or(0);
        if !(1..=9999).contains(&year) || self.precision < 9 {
            return None;
        }
        let precision = match (month, day) {
            (0, _) => 9,
            (_, 0) => self.precision.min(10),
            _ => self.precision,
        };
        let (month, day) = match precision {
            9 => (if last { 12 } else { 1 }, if last { 31 } else { 1 }),
            10 => (month, if last { days_in(year, month) } else { 1 }),
            _ => (month, day),
        };
        (1..=12)
            .contains(&month)
            .then(|| format!("{year:04}-{month:02}-{day:02}"))
    }
}

fn days_in(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Claim {
    fn item(&self) -> Option<&str> {
        match &self.value {
            Value::Item(id) if !self.deprecated => Some(id),
            _ => None,
        }
    }

    fn qualifier(&self, mapping: &Mapping, part: Role) -> Option<&Value> {
        self.qualifiers
            .iter()
            .find(|(p, _)| mapping.part(p) == Some(part))
            .map(|(_, v)| v)
    }
}

impl Entity {
    /// The items of the claims that play `part`.
    fn items<'a>(&'a self, mapping: &'a Mapping, part: Role) -> impl Iterator<Item = &'a str> {
        self.claims
            .iter()
            .filter(move |c| mapping.part(&c.property) == Some(part))
            .filter_map(Claim::item)
    }

    /// The label to mint an IRI from: English, another English, the
    /// multilingual one, else the first by language.
    fn name(&self) -> Option<&str> {
        let by = |wanted: &dyn Fn(&str) -> bool| {
            self.labels
                .iter()
                .filter(|(l, _)| wanted(l))
                .min_by(|a, b| a.0.cmp(&b.0))
                .map(|(_, t)| t.as_str())
        };
        by(&|l| l == "en")
            .or_else(|| by(&|l| l.starts_with("en-")))
            .or_else(|| by(&|l| l == "mul"))
            .or_else(|| by(&|_| true))
    }
}

/// What credgraph makes of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Person,
    Post,
    Organization,
}

impl Kind {
    fn path(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Post => "post",
            Kind::Organization => "organization",
        }
    }

    fn class(self) -> NamedNodeRef<'static> {
        match self {
            Kind::Person => cg::PERSON,
            Kind::Post => cg::POST,
            Kind::Organization => cg::ORGANIZATION,
        }
    }
}

/// The kinds of the entities of a batch and of the ids they refer to.
pub fn kinds(entities: &[Entity], mapping: &Mapping) -> BTreeMap<String, Kind> {
    let mut kinds: BTreeMap<String, Kind> = BTreeMap::new();
    let class_of = |e: &Entity, wanted: Role| {
        e.items(mapping, Role::InstanceOf)
            .chain(e.items(mapping, Role::SubclassOf))
            .any(|class| mapping.part(class) == Some(wanted))
    };
    // People and posts first: what they refer to is then known to be organizations.
    for e in entities {
        let holds = e.items(mapping, Role::PositionHeld).next().is_some();
        if class_of(e, Role::PersonClass) || holds || e.items(mapping, Role::Party).next().is_some()
        {
            kinds.insert(e.id.clone(), Kind::Person);
        }
        for post in e.items(mapping, Role::PositionHeld) {
            kinds.entry(post.to_string()).or_insert(Kind::Post);
        }
    }
    for e in entities {
        if !kinds.contains_key(&e.id) && class_of(e, Role::PositionClass) {
            kinds.insert(e.id.clone(), Kind::Post);
        }
    }
    for e in entities {
        if !kinds.contains_key(&e.id)
            && (class_of(e, Role::OrganizationClass)
                || class_of(e, Role::PartyClass)
                || e.items(mapping, Role::ParentOrganization).next().is_some()
                || e.items(mapping, Role::Subsidiary).next().is_some())
        {
            kinds.insert(e.id.clone(), Kind::Organization);
        }
    }
    // What people, posts and organizations refer to as organizations, until
    // nothing more is found (a chain of part-of).
    loop {
        let mut found = Vec::new();
        for e in entities {
            let parts: &[Role] = match kinds.get(&e.id) {
                Some(Kind::Person) => &[Role::Party, Role::Employer, Role::MemberOf],
                Some(Kind::Post) => &[Role::Directs, Role::PartOf],
                Some(Kind::Organization) => {
                    &[Role::PartOf, Role::ParentOrganization, Role::Subsidiary]
                }
                None => &[],
            };
            for &part in parts {
                found.extend(e.items(mapping, part).map(str::to_string));
            }
            if kinds.get(&e.id) == Some(&Kind::Person) {
                for claim in &e.claims {
                    if mapping.part(&claim.property) == Some(Role::PositionHeld) {
                        if let Some(Value::Item(o)) = claim.qualifier(mapping, Role::PositionOf) {
                            found.push(o.clone());
                        }
                    }
                }
            }
        }
        let before = kinds.len();
        for id in found {
            kinds.entry(id).or_insert(Kind::Organization);
        }
        if kinds.len() == before {
            break;
        }
    }
    kinds
}

/// What the store already says that an import needs.
struct Known {
    /// Wikidata id to the store's IRI for it.
    by_id: FxHashMap<String, NamedNode>,
    /// IRIs that have a Wikidata IRI.
    linked: FxHashSet<String>,
    /// Names of the store's people, posts and organizations, by kind and
    /// normalized name; only names of two words or more.
    names: FxHashMap<(Kind, String), Vec<String>>,
    sub_of: FxHashMap<String, Vec<String>>,
    directed_by: FxHashMap<String, Vec<String>>,
    post_in: FxHashMap<String, String>,
}

impl Known {
    fn read(store: &CaseStore) -> Result<Known> {
        let mut by_id = FxHashMap::default();
        let mut linked = FxHashSet::default();
        for (entity, same) in store.scan_pairs("?s owl:sameAs ?o")? {
            if let Some(id) = same.as_str().strip_prefix(WD) {
                by_id
                    .entry(id.to_string())
                    .or_insert_with(|| entity.clone());
                linked.insert(entity.as_str().to_string());
            }
        }
        let directory = Directory::read(store)?;
        let mut names: FxHashMap<(Kind, String), Vec<String>> = FxHashMap::default();
        let lists = [
            (
                Kind::Person,
                directory
                    .people
                    .iter()
                    .map(|k| (&k.iri, &k.names))
                    .collect::<Vec<_>>(),
            ),
            (
                Kind::Organization,
                directory
                    .organizations
                    .iter()
                    .map(|k| (&k.iri, &k.names))
                    .collect(),
            ),
            (
                Kind::Post,
                directory.posts.iter().map(|p| (&p.iri, &p.names)).collect(),
            ),
        ];
        for (kind, entries) in lists {
            for (iri, entity_names) in entries {
                for name in entity_names {
                    let key = normalize(name);
                    if key.contains(' ') {
                        let list = names.entry((kind, key)).or_default();
                        if !list.contains(iri) {
                            list.push(iri.clone());
                        }
                    }
                }
            }
        }
        let pairs = |pattern: &str| -> Result<Vec<(String, String)>> {
            Ok(store
                .scan_pairs(pattern)?
                .into_iter()
                .map(|(s, o)| (s.as_str().to_string(), o.as_str().to_string()))
                .collect())
        };
        let mut sub_of: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for (s, o) in pairs("?s org:subOrganizationOf ?o")? {
            sub_of.entry(s).or_default().push(o);
        }
        let mut directed_by: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for (post, organization) in pairs("?s cg:directs ?o")? {
            directed_by.entry(organization).or_default().push(post);
        }
        let post_in = pairs("?s org:postIn ?o")?.into_iter().collect();
        Ok(Known {
            by_id,
            linked,
            names,
            sub_of,
            directed_by,
            post_in,
        })
    }
}

/// The IRI of every id of the batch and every id it refers to.
fn iris(
    by_id: &FxHashMap<&str, &Entity>,
    kinds: &BTreeMap<String, Kind>,
    known: &Known,
) -> FxHashMap<String, NamedNode> {
    let mut out: FxHashMap<String, NamedNode> = FxHashMap::default();
    let mut minted: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (id, &kind) in kinds {
        if let Some(iri) = known.by_id.get(id) {
            out.insert(id.clone(), iri.clone());
            continue;
        }
        let entity = by_id.get(id.as_str());
        // One of the store's entities of this kind, named alike, not yet linked.
        let named: Option<&String> = entity.and_then(|e| {
            let mut found: Vec<&String> = e
                .labels
                .iter()
                .chain(&e.aliases)
                .filter_map(|(_, name)| known.names.get(&(kind, normalize(name))))
                .flatten()
                .filter(|iri| !known.linked.contains(iri.as_str()))
                .collect();
            found.sort();
            found.dedup();
            (found.len() == 1).then(|| found[0])
        });
        if let Some(iri) = named {
            out.insert(id.clone(), NamedNode::new_unchecked(iri.as_str()));
            continue;
        }
        let slug = entity
            .and_then(|e| e.name())
            .map(|name| crate::extract::slug(name, 100))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("wikidata-{}", id.to_lowercase()));
        minted
            .entry(format!("{}{}/{slug}", vocab::ID, kind.path()))
            .or_default()
            .push(id);
    }
    for (iri, ids) in minted {
        let clash = ids.len() > 1 || known.linked.contains(&iri);
        for id in ids {
            let iri = if clash {
                format!("{iri}-{}", id.to_lowercase())
            } else {
                iri.clone()
            };
            out.insert(id.to_string(), NamedNode::new_unchecked(iri));
        }
    }
    out
}

/// What one import wrote.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Imported {
    /// People, posts and organizations written: the batch's, and those it refers to.
    pub people: usize,
    pub posts: usize,
    pub organizations: usize,
    pub tenures: usize,
    /// Entities that are none of the above (places, classes), left out.
    pub left_out: usize,
    pub quads: usize,
    pub graphs: usize,
    /// Graphs that held an earlier import.
    pub replaced: usize,
}

/// Maps a batch of entities into the store, replacing the graphs it writes.
pub fn write(store: &CaseStore, entities: &[Entity], mapping: &Mapping) -> Result<Imported> {
    let kinds = kinds(entities, mapping);
    let known = Known::read(store)?;
    // The batch's entities by id (a holder of two results files' rows comes twice:
    // one is enough for its name).
    let by_id: FxHashMap<&str, &Entity> = entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let iris = iris(&by_id, &kinds, &known);
    let mut report = Imported::default();
    let mut writer = Writer {
        quads: Vec::new(),
        graph: GraphName::DefaultGraph,
    };
    let mut graphs: Vec<NamedNode> = Vec::new();
    let mut seen_graphs = FxHashSet::default();
    // Posts that direct an organization, and the hierarchy, this batch gives.
    let mut directs: Vec<(NamedNode, String, GraphName)> = Vec::new();
    let mut sub_of: FxHashMap<String, Vec<String>> = FxHashMap::default();
    let entity_name = |id: &str| by_id.get(id).and_then(|e| e.name()).map(str::to_string);
    for e in entities {
        let graph = e
            .graph
            .clone()
            .unwrap_or_else(|| NamedNode::new_unchecked(format!("{GRAPHS}{}", e.id)));
        if seen_graphs.insert(graph.clone()) {
            graphs.push(graph.clone());
        }
        writer.graph = graph.into();
        let Some(&kind) = kinds.get(&e.id) else {
            report.left_out += 1;
            continue;
        };
        let iri = &iris[&e.id];
        writer.entity(iri, kind, e);
        // A referred entity not in the batch is declared where it is referred to,
        // so that it has its kind and Wikidata IRI even where the store holds it
        // only in graphs this import replaces.
        let refer = |writer: &mut Writer, id: &str| -> Option<NamedNode> {
            let target = iris.get(id)?.clone();
            if !by_id.contains_key(id) {
                let kind = kinds.get(id).copied().unwrap_or(Kind::Organization);
                writer.add(&target, rdf::TYPE, kind.class().into_owned());
                writer.add(
                    &target,
                    owl::SAME_AS,
                    NamedNode::new_unchecked(format!("{WD}{id}")),
                );
            }
            Some(target)
        };
        match kind {
            Kind::Person => {
                let employers: Vec<&str> = e.items(mapping, Role::Employer).collect();
                let mut tenures: FxHashMap<String, usize> = FxHashMap::default();
                for claim in &e.claims {
                    match mapping.part(&claim.property) {
                        Some(Role::PositionHeld) => {}
                        Some(part @ (Role::Party | Role::MemberOf)) => {
                            if let Some(target) = claim.item().and_then(|id| refer(&mut writer, id))
                            {
                                let predicate = if part == Role::Party {
                                    cg::MEMBER_OF_PARTY
                                } else {
                                    org::MEMBER_OF
                                };
                                writer.add(iri, predicate, target);
                            }
                            continue;
                        }
                        _ => continue,
                    }
                    let Some(post_id) = claim.item() else {
                        continue;
                    };
                    let Some(post) = refer(&mut writer, post_id) else {
                        continue;
                    };
                    writer.add(iri, org::HOLDS, post.clone());
                    // The organization: the holding's own, the post's, the employer's.
                    let post_entity = by_id.get(post_id);
                    let organization = match claim.qualifier(mapping, Role::PositionOf) {
                        Some(Value::Item(o)) => refer(&mut writer, o),
                        _ => None,
                    }
                    .or_else(|| {
                        let p = post_entity?;
                        let o = p
                            .items(mapping, Role::Directs)
                            .chain(p.items(mapping, Role::PartOf))
                            .next()?;
                        iris.get(o).cloned()
                    })
                    .or_else(|| {
                        known
                            .post_in
                            .get(post.as_str())
                            .map(|o| NamedNode::new_unchecked(o.as_str()))
                    })
                    .or_else(|| match employers[..] {
                        [one] => refer(&mut writer, one),
                        _ => None,
                    });
                    let start = match claim.qualifier(mapping, Role::Start) {
                        Some(Value::Time(t)) => t.day(false),
                        _ => None,
                    };
                    let end = match claim.qualifier(mapping, Role::End) {
                        Some(Value::Time(t)) => t.day(true),
                        _ => None,
                    };
                    let base = format!("{}-{}", last_segment(iri), last_segment(&post));
                    let n = tenures.entry(base.clone()).or_default();
                    *n += 1;
                    let tenure = NamedNode::new_unchecked(format!(
                        "{}tenure/{}",
                        vocab::ID,
                        match (*n, &start) {
                            (1, _) => base.clone(),
                            (_, Some(day)) => format!("{base}-{day}"),
                            (n, None) => format!("{base}-{n}"),
                        }
                    ));
                    report.tenures += 1;
                    writer.tenure(&tenure, iri, &post, organization.as_ref(), start, end);
                    let who = e.name().unwrap_or(&e.id).to_string();
                    let what = entity_name(post_id).unwrap_or_else(|| last_segment(&post));
                    writer.add(
                        &tenure,
                        rdfs::LABEL,
                        Literal::new_language_tagged_literal_unchecked(
                            format!("{who} as {what}"),
                            "en",
                        ),
                    );
                }
            }
            Kind::Post => {
                for part in [Role::Directs, Role::PartOf] {
                    for o in e.items(mapping, part) {
                        if let Some(target) = refer(&mut writer, o) {
                            writer.add(iri, org::POST_IN, target.clone());
                            if part == Role::Directs {
                                writer.add(iri, cg::DIRECTS, target.clone());
                                directs.push((
                                    iri.clone(),
                                    target.as_str().to_string(),
                                    writer.graph.clone(),
                                ));
                            }
                        }
                    }
                }
            }
            Kind::Organization => {
                for part in [Role::PartOf, Role::ParentOrganization] {
                    for o in e.items(mapping, part) {
                        if kinds.get(o).is_some_and(|k| *k != Kind::Organization) {
                            continue;
                        }
                        if let Some(target) = refer(&mut writer, o) {
                            writer.add(iri, org::SUB_ORGANIZATION_OF, target.clone());
                            sub_of
                                .entry(iri.as_str().to_string())
                                .or_default()
                                .push(target.as_str().to_string());
                        }
                    }
                }
                for o in e.items(mapping, Role::Subsidiary) {
                    if let Some(target) = refer(&mut writer, o) {
                        writer.add(&target, org::SUB_ORGANIZATION_OF, iri.clone());
                        sub_of
                            .entry(target.as_str().to_string())
                            .or_default()
                            .push(iri.as_str().to_string());
                    }
                }
            }
        }
    }
    // The chain of command that the hierarchy implies.
    let mut directed_by = known.directed_by.clone();
    for (post, organization, _) in &directs {
        directed_by
            .entry(organization.clone())
            .or_default()
            .push(post.as_str().to_string());
    }
    for (post, organization, graph) in &directs {
        for superior in superiors(organization, &sub_of, &known.sub_of, &directed_by) {
            if superior != post.as_str() {
                writer.graph = graph.clone();
                writer.add(post, org::REPORTS_TO, NamedNode::new_unchecked(superior));
            }
        }
    }
    for kind in kinds.values() {
        match kind {
            Kind::Person => report.people += 1,
            Kind::Post => report.posts += 1,
            Kind::Organization => report.organizations += 1,
        }
    }
    for graph in &graphs {
        report.replaced += store.graph_exists(graph.as_ref())? as usize;
    }
    let written: FxHashSet<&GraphName> = writer.quads.iter().map(|q| &q.graph_name).collect();
    report.graphs = written.len();
    report.quads = writer.quads.len();
    store.write_graphs(&graphs, writer.quads)?;
    Ok(report)
}

/// The posts that direct the nearest organization above `organization` that has
/// any.
fn superiors(
    organization: &str,
    batch: &FxHashMap<String, Vec<String>>,
    store: &FxHashMap<String, Vec<String>>,
    directed_by: &FxHashMap<String, Vec<String>>,
) -> Vec<String> {
    let mut level: Vec<String> = vec![organization.to_string()];
    let mut seen: FxHashSet<String> = level.iter().cloned().collect();
    while !level.is_empty() {
        let mut next = Vec::new();
        for o in &level {
            for above in batch.get(o).into_iter().chain(store.get(o)).flatten() {
                if seen.insert(above.clone()) {
                    next.push(above.clone());
                }
            }
        }
        let mut found: Vec<String> = next
            .iter()
            .filter_map(|o| directed_by.get(o))
            .flatten()
            .cloned()
            .collect();
        if !found.is_empty() {
            found.sort();
            found.dedup();
            return found;
        }
        level = next;
    }
    Vec::new()
}

fn last_segment(iri: &NamedNode) -> String {
    iri.as_str()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Quads into one graph at a time.
struct Writer {
    quads: Vec<Quad>,
    graph: GraphName,
}

impl Writer {
    fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads
            .push(Quad::new(s.clone(), p.into_owned(), o, self.graph.clone()));
    }

    fn entity(&mut self, iri: &NamedNode, kind: Kind, e: &Entity) {
        self.add(iri, rdf::TYPE, kind.class().into_owned());
        self.add(
            iri,
            owl::SAME_AS,
            NamedNode::new_unchecked(format!("{WD}{}", e.id)),
        );
        let mut seen = FxHashSet::default();
        for (predicate, terms) in [(rdfs::LABEL, &e.labels), (skos::ALT_LABEL, &e.aliases)] {
            for (language, text) in terms {
                // Wikidata's codes are mostly BCP 47 tags; one that is not is left out.
                if let Ok(literal) = Literal::new_language_tagged_literal(text.trim(), language) {
                    if seen.insert((predicate, literal.clone())) {
                        self.add(iri, predicate, literal);
                    }
                }
            }
        }
        if let Some(revision) = e.revision {
            self.add(
                iri,
                schema::VERSION,
                Literal::new_typed_literal(revision.to_string(), xsd::INTEGER),
            );
        }
        if let Some(modified) = &e.modified {
            self.add(
                iri,
                schema::DATE_MODIFIED,
                Literal::new_typed_literal(modified.as_str(), xsd::DATE_TIME),
            );
        }
    }

    fn tenure(
        &mut self,
        tenure: &NamedNode,
        person: &NamedNode,
        post: &NamedNode,
        organization: Option<&NamedNode>,
        start: Option<String>,
        end: Option<String>,
    ) {
        self.add(tenure, rdf::TYPE, cg::TENURE.into_owned());
        self.add(tenure, org::MEMBER, person.clone());
        self.add(tenure, cg::OF_POST, post.clone());
        if let Some(organization) = organization {
            self.add(tenure, org::ORGANIZATION, organization.clone());
        }
        if start.is_none() && end.is_none() {
            return;
        }
        let interval = BlankNode::default();
        self.quads.push(Quad::new(
            tenure.clone(),
            org::MEMBER_DURING.into_owned(),
            interval.clone(),
            self.graph.clone(),
        ));
        let mut blank = |s: &BlankNode, p: NamedNodeRef<'_>, o: Term| {
            self.quads.push(Quad::new(
                NamedOrBlankNode::from(s.clone()),
                p.into_owned(),
                o,
                self.graph.clone(),
            ));
        };
        blank(&interval, rdf::TYPE, time::INTERVAL.into_owned().into());
        for (day, predicate) in [(start, time::HAS_BEGINNING), (end, time::HAS_END)] {
            if let Some(day) = day {
                let instant = BlankNode::default();
                blank(&interval, predicate, instant.clone().into());
                blank(&instant, rdf::TYPE, time::INSTANT.into_owned().into());
                blank(
                    &instant,
                    time::IN_XSD_DATE,
                    Literal::new_typed_literal(day, xsd::DATE).into(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_become_days_by_their_precision() {
        let t = |lexical: &str, precision| Time {
            lexical: lexical.into(),
            precision,
        };
        assert_eq!(
            t("+2015-03-30T00:00:00Z", 11).day(false).as_deref(),
            Some("2015-03-30")
        );
        assert_eq!(
            t("+2015-02-00T00:00:00Z", 10).day(true).as_deref(),
            Some("2015-02-28")
        );
        assert_eq!(
            t("+2016-02-01T00:00:00Z", 10).day(true).as_deref(),
            Some("2016-02-29")
        );
        assert_eq!(
            t("+1990-00-00T00:00:00Z", 9).day(false).as_deref(),
            Some("1990-01-01")
        );
        assert_eq!(
            t("+1990-00-00T00:00:00Z", 9).day(true).as_deref(),
            Some("1990-12-31")
        );
        assert_eq!(t("+1900-00-00T00:00:00Z", 7).day(false), None);
        assert_eq!(t("-0044-03-15T00:00:00Z", 11).day(false), None);
    }
}
