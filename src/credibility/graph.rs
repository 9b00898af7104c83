//! The claim graph every method runs on: sources, items (questions), values
//! (propositions, mutually exclusive within an item) and the claims linking a source
//! to a value, in compressed sparse rows both ways.

use super::attributes::AttributeSplit;
use super::related::{lists, Related, Relations};
use crate::model::names::{fx_hash, Interner};
use rustc_hash::FxHashMap;

/// An item added by name only, whose attribute `build` decides.
const FROM_NAME: u32 = u32::MAX;

/// One claim as read from a table or the store, before the graph is built.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Claim {
    pub source: u32,
    pub item: u32,
    /// Index into the builder's value labels.
    pub label: u32,
    /// How much the claim counts (the speaker's certainty); 1 for a plain claim.
    pub weight: f32,
}

/// Collects claims and interns their names; `build` turns them into a [`ClaimGraph`].
#[derive(Debug, Default)]
pub struct ClaimGraphBuilder {
    sources: Interner,
    items: Interner,
    labels: Interner,
    attributes: Interner,
    /// The attribute of each item, by item id ([`FROM_NAME`] until `build`).
    item_attribute: Vec<u32>,
    /// The separator the user gave for attributes in item names, if any.
    separator: Option<String>,
    claims: Vec<Claim>,
    dependences: Vec<(u32, u32)>,
    /// The item of the last claim added: tables often give an item's claims in a
    /// row, and then its name need not be looked up again.
    last_item: Option<u32>,
    /// Which values support each other besides equal ones.
    relations: Relations,
}

/// Claims in order of their item (as they came within an item).
fn group_by_item(claims: Vec<Claim>, items: usize) -> Vec<Claim> {
    if claims.is_sorted_by_key(|c| c.item) {
        return claims;
    }
    let mut next = vec![0usize; items + 1];
    for c in &claims {
        next[c.item as usize + 1] += 1;
    }
    for i in 0..items {
        next[i + 1] += next[i];
    }
    let mut grouped = vec![Claim::default(); claims.len()];
    for c in claims {
        grouped[next[c.item as usize]] = c;
        next[c.item as usize] += 1;
    }
    grouped
}

impl ClaimGraphBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding these (source, item, value, weight) claims, for tests.
    #[cfg(test)]
    pub(crate) fn with_weighted_claims(claims: &[(&str, &str, &str, f32)]) -> Self {
        let mut builder = Self::new();
        for &(source, item, value, weight) in claims {
            builder.add(source, item, value, weight);
        }
        builder
    }

    /// A builder holding these (source, item, value) claims of weight 1, for tests.
    #[cfg(test)]
    pub(crate) fn with_claims(claims: &[(&str, &str, &str)]) -> Self {
        let mut builder = Self::new();
        for &(source, item, value) in claims {
            builder.add(source, item, value, 1.0);
        }
        builder
    }

    /// Splits item names added with [`add`](Self::add) at this separator; without,
    /// at `/` where every such name has the same shape (see [`AttributeSplit`]).
    pub fn attribute_separator(&mut self, separator: Option<&str>) {
        self.separator = separator.map(str::to_string);
    }

    /// Relates values that are not equal: close numbers, lists sharing members,
    /// values on one path of a hierarchy (see [`super::related`]). Off by default.
    pub fn relations(&mut self, relations: Relations) {
        self.relations = relations;
    }

    /// Adds "SOURCE says ITEM has VALUE", counting `weight`; the item's attribute is
    /// decided from the names of all items so added, when the graph is built.
    pub fn add(&mut self, source: &str, item: &str, value: &str, weight: f32) {
        let item_id = self.item_id(item, None);
        self.add_claim(source, item_id, value, weight);
    }

    /// Adds a claim on an item of a given attribute (the kind of thing the item is
    /// about; sources can be good at one attribute and bad at another).
    pub fn add_with_attribute(
        &mut self,
        source: &str,
        item: &str,
        attribute: &str,
        value: &str,
        weight: f32,
    ) {
        let item_id = self.item_id(item, Some(attribute));
        self.add_claim(source, item_id, value, weight);
    }

    /// The id of an item, numbering a new one with `attribute` (or one decided from
    /// its name at `build`).
    fn item_id(&mut self, item: &str, attribute: Option<&str>) -> u32 {
        if let Some(last) = self.last_item {
            if self.items.name(last) == item {
                return last;
            }
        }
        let id = self.items.id(item);
        if id as usize == self.item_attribute.len() {
            let attribute = attribute.map_or(FROM_NAME, |a| self.attributes.id(a));
            self.item_attribute.push(attribute);
        }
        self.last_item = Some(id);
        id
    }

    fn add_claim(&mut self, source: &str, item: u32, value: &str, weight: f32) {
        let claim = Claim {
            source: self.sources.id(source),
            item,
            label: self.labels.id(value),
            weight,
        };
        self.claims.push(claim);
    }

    /// Declares that `a` depends on `b` (or the other way round): their agreement is
    /// not independent. Unknown sources are added (they may have no claims).
    pub fn add_dependence(&mut self, a: &str, b: &str) {
        let (a, b) = (self.sources.id(a), self.sources.id(b));
        if a != b {
            self.dependences.push((a.min(b), a.max(b)));
        }
    }

    pub fn claim_count(&self) -> usize {
        self.claims.len()
    }

    /// Builds the graph. Values of an item are ordered by their label, so that
    /// "the first value with the highest belief" breaks ties by the smallest label.
    /// A source claiming the same value twice counts once, with the larger weight.
    pub fn build(self) -> ClaimGraph {
        let ClaimGraphBuilder {
            sources,
            items,
            mut labels,
            mut attributes,
            mut item_attribute,
            separator,
            claims,
            mut dependences,
            last_item: _,
            relations,
        } = self;
        if item_attribute.contains(&FROM_NAME) {
            let named = || (0..item_attribute.len()).filter(|&i| item_attribute[i] == FROM_NAME);
            let split =
                AttributeSplit::decide(separator.as_deref(), named().map(|i| items.name(i as u32)));
            for i in named().collect::<Vec<_>>() {
                item_attribute[i] = attributes.id(split.attribute_of(items.name(i as u32)));
            }
        }
        let (claims, list_separators) = write_lists_canonically(
            claims,
            &mut labels,
            &item_attribute,
            attributes.len(),
            &relations,
        );
        let attributes: Names = attributes.into_names().into();
        let sources: Names = sources.into_names().into();
        let items: Names = items.into_names().into();
        let labels: Names = labels.into_names().into();

        // Distinct (item, label) pairs become values, ordered by item then label:
        // claims grouped by item (a counting sort, unless they come grouped), then
        // each item's claims sorted by the rank of their label's name.
        let mut by_name: Vec<u32> = (0..labels.len() as u32).collect();
        by_name.sort_unstable_by(|&a, &b| labels[a as usize].cmp(&labels[b as usize]));
        let mut rank = vec![0u32; labels.len()];
        for (r, &label) in by_name.iter().enumerate() {
            rank[label as usize] = r as u32;
        }
        drop(by_name);
        let mut claims = group_by_item(claims, items.len());
        let mut start = 0;
        while start < claims.len() {
            let item = claims[start].item;
            let end = start
                + claims[start..]
                    .iter()
                    .position(|c| c.item != item)
                    .unwrap_or(claims.len() - start);
            claims[start..end].sort_unstable_by(|a, b| {
                (rank[a.label as usize], a.source)
                    .cmp(&(rank[b.label as usize], b.source))
                    .then(b.weight.total_cmp(&a.weight))
            });
            start = end;
        }
        claims.dedup_by(|later, kept| {
            later.item == kept.item && later.label == kept.label && later.source == kept.source
        });

        let mut value_item = Vec::new();
        let mut value_label = Vec::new();
        let mut item_start = vec![0u32; items.len() + 1];
        let mut value_start = Vec::with_capacity(claims.len() / 4);
        let mut value_source = Vec::with_capacity(claims.len());
        let mut value_weight = Vec::with_capacity(claims.len());
        let mut previous: Option<(u32, u32)> = None;
        for claim in &claims {
            if previous != Some((claim.item, claim.label)) {
                previous = Some((claim.item, claim.label));
                value_start.push(value_source.len() as u32);
                value_item.push(claim.item);
                value_label.push(claim.label);
                item_start[claim.item as usize + 1] += 1;
            }
            value_source.push(claim.source);
            value_weight.push(claim.weight);
        }
        value_start.push(value_source.len() as u32);
        for i in 0..items.len() {
            item_start[i + 1] += item_start[i];
        }

        let (source_start, source_value) = transpose(sources.len(), &value_start, &value_source);
        let sets = SourceSets::new(&value_start, &value_source, &value_weight, |v| {
            item_attribute[value_item[v] as usize]
        });

        dependences.sort_unstable();
        dependences.dedup();
        let mut graph = ClaimGraph {
            sources,
            items,
            attributes,
            item_attribute,
            labels,
            value_item,
            value_label,
            item_start,
            value_start,
            value_source,
            value_weight,
            source_start,
            source_value,
            sets,
            dependences,
            related: Default::default(),
        };
        if !relations.is_off() {
            graph.related = std::sync::Arc::new(Related::of(&graph, &relations, &list_separators));
        }
        graph
    }
}

/// Where an attribute's values are lists (as `relations` says), each of its claims'
/// values written canonically ([`lists::canonical`]): the same set in another order
/// becomes one value. Also gives each attribute's list separator, if any.
fn write_lists_canonically(
    mut claims: Vec<Claim>,
    labels: &mut Interner,
    item_attribute: &[u32],
    attributes: usize,
    relations: &Relations,
) -> (Vec<Claim>, Vec<Option<String>>) {
    let mut separators = vec![None; attributes.max(1)];
    if relations.lists == lists::Lists::Off {
        return (claims, separators);
    }
    // Most tables have no label with a separator in it: nothing to decide.
    if let lists::Lists::Guess = relations.lists {
        let any = labels
            .names()
            .iter()
            .any(|l| lists::GUESSED.iter().any(|sep| l.contains(sep)));
        if !any {
            return (claims, separators);
        }
    }
    let mut distinct: Vec<rustc_hash::FxHashSet<u32>> = vec![Default::default(); attributes.max(1)];
    for c in &claims {
        distinct[item_attribute[c.item as usize] as usize].insert(c.label);
    }
    for (a, labels_of) in distinct.iter().enumerate() {
        let names = labels_of.iter().map(|&l| labels.name(l));
        separators[a] = relations.lists.separator_for(names).map(str::to_string);
    }
    if separators.iter().all(Option::is_none) {
        return (claims, separators);
    }
    let mut canonical: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    for c in &mut claims {
        let a = item_attribute[c.item as usize];
        if let Some(separator) = &separators[a as usize] {
            let label = *canonical.entry((a, c.label)).or_insert_with(|| {
                let written = lists::canonical(labels.name(c.label), separator);
                labels.id(&written)
            });
            c.label = label;
        }
    }
    (claims, separators)
}

/// Values claimed by the same sources with the same weights, on items of the same
/// attribute. Every method gives such values the same support, and there are few
/// of them where sources copy each other: Flight's 418,296 values have 10,194
/// sets. A round's sums over the claims are taken once per set instead.
#[derive(Debug, Clone, Default)]
struct SourceSets {
    /// The set of each value.
    of_value: Vec<u32>,
    /// Where each set's sources start in `source` and `weight`.
    start: Vec<u32>,
    source: Vec<u32>,
    weight: Vec<f32>,
    attribute: Vec<u32>,
    /// How many values each set has.
    values: Vec<u32>,
}

/// A value's sources, weights and attribute, compared and hashed by the weights'
/// bits.
#[derive(Clone, Copy)]
struct SetKey<'a> {
    attribute: u32,
    sources: &'a [u32],
    weights: &'a [f32],
}

impl PartialEq for SetKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.attribute == other.attribute
            && self.sources == other.sources
            && self.weights.len() == other.weights.len()
            && self
                .weights
                .iter()
                .zip(other.weights)
                .all(|(a, b)| a.to_bits() == b.to_bits())
    }
}

impl Eq for SetKey<'_> {}

impl std::hash::Hash for SetKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.attribute.hash(state);
        self.sources.hash(state);
        for w in self.weights {
            w.to_bits().hash(state);
        }
    }
}

impl SourceSets {
    /// Where a set's sources and weights are in `source` and `weight`.
    fn members(&self, set: usize) -> std::ops::Range<usize> {
        self.start[set] as usize..self.start[set + 1] as usize
    }

    fn key(&self, set: u32) -> SetKey<'_> {
        let claims = self.members(set as usize);
        SetKey {
            attribute: self.attribute[set as usize],
            sources: &self.source[claims.clone()],
            weights: &self.weight[claims],
        }
    }

    /// The sets of the values whose claims `value_start` delimits.
    fn new(
        value_start: &[u32],
        value_source: &[u32],
        value_weight: &[f32],
        attribute: impl Fn(usize) -> u32,
    ) -> Self {
        let values = value_start.len().saturating_sub(1);
        let mut sets = SourceSets {
            of_value: Vec::with_capacity(values),
            start: vec![0],
            ..SourceSets::default()
        };
        // Set ids, found by hashing the key of the set (a table of ids, not of
        // keys: where sets are nearly as many as values it stays small).
        let mut ids: hashbrown::HashTable<u32> = hashbrown::HashTable::new();
        for v in 0..values {
            let claims = value_start[v] as usize..value_start[v + 1] as usize;
            let key = SetKey {
                attribute: attribute(v),
                sources: &value_source[claims.clone()],
                weights: &value_weight[claims],
            };
            let h = fx_hash(&key);
            let found = ids.find(h, |&set| sets.key(set) == key).copied();
            let set = match found {
                Some(set) => set,
                None => {
                    let set = sets.values.len() as u32;
                    sets.source.extend_from_slice(key.sources);
                    sets.weight.extend_from_slice(key.weights);
                    sets.start.push(sets.source.len() as u32);
                    sets.attribute.push(key.attribute);
                    sets.values.push(0);
                    ids.insert_unique(h, set, |&set| fx_hash(&sets.key(set)));
                    set
                }
            };
            sets.values[set as usize] += 1;
            sets.of_value.push(set);
        }
        sets
    }
}

/// The values each source claims, from the sources of each value (CSR both ways):
/// where each source's values start, and the values.
fn transpose(sources: usize, value_start: &[u32], value_source: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut source_start = vec![0u32; sources + 1];
    for &s in value_source {
        source_start[s as usize + 1] += 1;
    }
    for i in 0..sources {
        source_start[i + 1] += source_start[i];
    }
    let mut fill = source_start.clone();
    let mut source_value = vec![0u32; value_source.len()];
    for v in 0..value_start.len().saturating_sub(1) {
        for &s in &value_source[value_start[v] as usize..value_start[v + 1] as usize] {
            source_value[fill[s as usize] as usize] = v as u32;
            fill[s as usize] += 1;
        }
    }
    (source_start, source_value)
}

/// Names by id, shared between a graph and those derived from it.
type Names = std::sync::Arc<[Box<str>]>;

/// Sources, items and values with the claims between them.
#[derive(Debug, Clone)]
pub struct ClaimGraph {
    sources: Names,
    items: Names,
    attributes: Names,
    item_attribute: Vec<u32>,
    labels: Names,
    value_item: Vec<u32>,
    value_label: Vec<u32>,
    item_start: Vec<u32>,
    value_start: Vec<u32>,
    value_source: Vec<u32>,
    value_weight: Vec<f32>,
    source_start: Vec<u32>,
    source_value: Vec<u32>,
    sets: SourceSets,
    dependences: Vec<(u32, u32)>,
    /// Values lending each other support; empty unless the builder was told.
    related: std::sync::Arc<Related>,
}

impl ClaimGraph {
    /// Which values support each other besides equal ones.
    pub fn related(&self) -> &Related {
        &self.related
    }

    /// The graph with values related as `relations` asks, on the values' names as
    /// they are now (after [`Self::relabel`]); lists are not rewritten here (see
    /// [`ClaimGraphBuilder::relations`]).
    pub fn with_relations(mut self, relations: &Relations) -> Self {
        if !relations.is_off() {
            self.related = std::sync::Arc::new(Related::of(&self, relations, &[]));
        }
        self
    }

    /// A value as this graph writes it on `item`: a list written canonically where
    /// the item's attribute holds lists, else as given.
    pub fn canonical_value<'a>(&self, item: usize, value: &'a str) -> std::borrow::Cow<'a, str> {
        let separator = self
            .related
            .attributes
            .get(self.attribute(item))
            .and_then(|a| a.list_separator.as_deref());
        match separator {
            Some(separator) => lists::canonical(value, separator).into(),
            None => value.into(),
        }
    }

    pub fn source_count(&self) -> usize {
        self.sources.len()
    }

    pub fn item_count(&self) -> usize {
        self.items.len()
    }

    /// How many distinct attributes the items have (1 when none is named).
    pub fn attribute_count(&self) -> usize {
        self.attributes.len()
    }

    /// The attribute id of an item.
    pub fn attribute(&self, item: usize) -> usize {
        self.item_attribute[item] as usize
    }

    pub fn attribute_name(&self, attribute: usize) -> &str {
        &self.attributes[attribute]
    }

    pub fn value_count(&self) -> usize {
        self.value_item.len()
    }

    pub fn claim_count(&self) -> usize {
        self.value_source.len()
    }

    pub fn source_name(&self, source: usize) -> &str {
        &self.sources[source]
    }

    pub fn item_name(&self, item: usize) -> &str {
        &self.items[item]
    }

    /// How many distinct value labels the graph has (values of different items
    /// may share one).
    pub fn label_count(&self) -> usize {
        self.labels.len()
    }

    /// The label id of a value: values with one label share it.
    pub fn label_of(&self, value: usize) -> usize {
        self.value_label[value] as usize
    }

    /// The text of a label id.
    pub fn label_name(&self, label: usize) -> &str {
        &self.labels[label]
    }

    pub fn value_name(&self, value: usize) -> &str {
        &self.labels[self.value_label[value] as usize]
    }

    pub fn source_id(&self, name: &str) -> Option<usize> {
        self.sources.iter().position(|s| &**s == name)
    }

    /// The item a value belongs to.
    pub fn item_of(&self, value: usize) -> usize {
        self.value_item[value] as usize
    }

    /// The values of an item, as a range of value ids (ordered by label).
    pub fn values_of(&self, item: usize) -> std::ops::Range<usize> {
        self.item_start[item] as usize..self.item_start[item + 1] as usize
    }

    /// The sources claiming a value.
    pub fn sources_of(&self, value: usize) -> &[u32] {
        &self.value_source[self.value_start[value] as usize..self.value_start[value + 1] as usize]
    }

    /// The weights of the claims of [`Self::sources_of`], in the same order.
    pub fn weights_of(&self, value: usize) -> &[f32] {
        &self.value_weight[self.value_start[value] as usize..self.value_start[value + 1] as usize]
    }

    /// How many source sets the values form: values claimed by the same sources
    /// with the same weights, on items of the same attribute.
    pub fn set_count(&self) -> usize {
        self.sets.values.len()
    }

    /// The source set of each value, by value.
    pub fn value_sets(&self) -> &[u32] {
        &self.sets.of_value
    }

    /// The sources of a set, as [`Self::sources_of`] gives them for each of its
    /// values.
    pub fn set_sources(&self, set: usize) -> &[u32] {
        &self.sets.source[self.sets.members(set)]
    }

    /// The weights of a set's claims, in the order of [`Self::set_sources`].
    pub fn set_weights(&self, set: usize) -> &[f32] {
        &self.sets.weight[self.sets.members(set)]
    }

    /// The attribute of the items of a set's values.
    pub fn set_attribute(&self, set: usize) -> usize {
        self.sets.attribute[set] as usize
    }

    /// How many values a set has.
    pub fn set_size(&self, set: usize) -> usize {
        self.sets.values[set] as usize
    }

    /// The values a source claims.
    pub fn claims_of(&self, source: usize) -> &[u32] {
        &self.source_value
            [self.source_start[source] as usize..self.source_start[source + 1] as usize]
    }

    /// The sources that make at least one claim (others are known only from
    /// declared dependences).
    pub fn sources_with_claims(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.source_count()).filter(|&s| self.claim_count_of(s) > 0)
    }

    /// Beliefs made shares of their item's total, so an item's values sum to 1
    /// (negative beliefs count as 0; an item with nothing believed splits evenly).
    pub fn item_shares(&self, belief: &[f64]) -> Vec<f64> {
        let mut shares = vec![0.0; belief.len()];
        for item in 0..self.item_count() {
            let values = self.values_of(item);
            let total: f64 = values.clone().map(|v| belief[v].max(0.0)).sum();
            let n = values.len() as f64;
            for v in values {
                shares[v] = if total > 0.0 {
                    belief[v].max(0.0) / total
                } else {
                    1.0 / n
                };
            }
        }
        shares
    }

    /// How many claims a source makes.
    pub fn claim_count_of(&self, source: usize) -> usize {
        (self.source_start[source + 1] - self.source_start[source]) as usize
    }

    /// Declared dependences between sources, as (smaller id, larger id).
    pub fn dependences(&self) -> &[(u32, u32)] {
        &self.dependences
    }

    /// For each item, its value with the highest belief; ties go to the smallest label.
    /// `None` for an item without values.
    pub fn top_values(&self, belief: &[f64]) -> Vec<Option<usize>> {
        (0..self.item_count())
            .map(|item| {
                let mut best: Option<usize> = None;
                for v in self.values_of(item) {
                    if best.is_none_or(|b| belief[v] > belief[b]) {
                        best = Some(v);
                    }
                }
                best
            })
            .collect()
    }

    /// The value of `item` labelled `label`, if some source claims it.
    pub fn value_id(&self, item: usize, label: &str) -> Option<usize> {
        self.values_of(item).find(|&v| self.value_name(v) == label)
    }

    /// Renames items and values where the functions give a new name (evaluation on
    /// the store names them by label instead of IRI). Values keep their order.
    pub fn relabel(
        mut self,
        item: impl Fn(&str) -> Option<String>,
        value: impl Fn(&str) -> Option<String>,
    ) -> Self {
        let rename = |names: &Names, new: &dyn Fn(&str) -> Option<String>| -> Names {
            names
                .iter()
                .map(|name| new(name).map_or_else(|| name.clone(), Into::into))
                .collect()
        };
        self.items = rename(&self.items, &item);
        self.labels = rename(&self.labels, &value);
        self
    }

    /// The graph with, of each source set's sources, only those `keep` marks on every
    /// value of the set (`keep` indexed as the sets' sources follow each other, set
    /// by set). Values keep their ids and their sets, so nothing is hashed again;
    /// two sets may now have the same sources, which changes no sum over sets. Every
    /// set keeps at least one source, so every value keeps a claim.
    pub(crate) fn keeping(&self, keep: &[bool]) -> ClaimGraph {
        let old = &self.sets;
        debug_assert_eq!(keep.len(), old.source.len());
        let mut sets = SourceSets {
            of_value: old.of_value.clone(),
            start: Vec::with_capacity(old.start.len()),
            source: Vec::with_capacity(old.source.len()),
            weight: Vec::with_capacity(old.weight.len()),
            attribute: old.attribute.clone(),
            values: old.values.clone(),
        };
        sets.start.push(0);
        for set in 0..old.values.len() {
            for k in old.members(set).filter(|&k| keep[k]) {
                sets.source.push(old.source[k]);
                sets.weight.push(old.weight[k]);
            }
            debug_assert!(sets.source.len() > *sets.start.last().unwrap_or(&0) as usize);
            sets.start.push(sets.source.len() as u32);
        }
        // A value's claims are its set's members in the same order.
        let mut value_start = Vec::with_capacity(self.value_start.len());
        let mut value_source = Vec::with_capacity(sets.source.len());
        let mut value_weight = Vec::with_capacity(sets.source.len());
        value_start.push(0);
        for &set in &sets.of_value {
            let members = sets.members(set as usize);
            value_source.extend_from_slice(&sets.source[members.clone()]);
            value_weight.extend_from_slice(&sets.weight[members]);
            value_start.push(value_source.len() as u32);
        }
        let (source_start, source_value) =
            transpose(self.sources.len(), &value_start, &value_source);
        ClaimGraph {
            sources: self.sources.clone(),
            items: self.items.clone(),
            attributes: self.attributes.clone(),
            item_attribute: self.item_attribute.clone(),
            labels: self.labels.clone(),
            value_item: self.value_item.clone(),
            value_label: self.value_label.clone(),
            item_start: self.item_start.clone(),
            value_start,
            value_source,
            value_weight,
            source_start,
            source_value,
            sets,
            dependences: self.dependences.clone(),
            related: self.related.clone(),
        }
    }

    /// Item names to ids (built on demand: evaluation and explanation need it).
    pub fn item_index(&self) -> FxHashMap<&str, usize> {
        self.items
            .iter()
            .enumerate()
            .map(|(i, name)| (&**name, i))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeping_a_sets_sources_keeps_them_on_every_value_of_the_set() {
        let mut b = ClaimGraphBuilder::new();
        // a and b on x = 1 and w = 9: one source set.
        b.add("a", "x", "1", 1.0);
        b.add("b", "x", "1", 0.5);
        b.add("c", "x", "2", 1.0);
        b.add("b", "w", "9", 0.5);
        b.add("a", "w", "9", 1.0);
        b.add("b", "z", "4", 1.0);
        let g = b.build();
        let id = |name: &str| g.source_id(name).unwrap() as u32;
        let value = |item: &str, label: &str| g.value_id(g.item_index()[item], label).unwrap();
        let pair = g.value_sets()[value("x", "1")] as usize;
        assert_eq!(g.value_sets()[value("w", "9")] as usize, pair);
        // Leave b out of that set only.
        let keep: Vec<bool> = (0..g.set_count())
            .flat_map(|set| {
                g.set_sources(set)
                    .iter()
                    .map(move |&s| set != pair || s != id("b"))
            })
            .collect();
        let kept = g.keeping(&keep);
        assert_eq!(kept.value_count(), g.value_count());
        assert_eq!(kept.claim_count(), 4);
        for (item, label) in [("x", "1"), ("w", "9")] {
            assert_eq!(kept.sources_of(value(item, label)), [id("a")]);
            assert_eq!(kept.weights_of(value(item, label)), [1.0]);
            assert_eq!(kept.value_name(value(item, label)), label);
        }
        assert_eq!(kept.sources_of(value("x", "2")), [id("c")]);
        let names = |s: u32| -> Vec<&str> {
            kept.claims_of(s as usize)
                .iter()
                .map(|&v| kept.value_name(v as usize))
                .collect()
        };
        assert_eq!(names(id("b")), ["4"]);
        assert_eq!(kept.claim_count_of(id("a") as usize), 2);
        assert_eq!(kept.claim_count_of(id("b") as usize), 1);
    }

    #[test]
    fn values_are_grouped_by_item_and_ordered_by_label() {
        let mut b = ClaimGraphBuilder::new();
        b.add("s1", "x", "b", 1.0);
        b.add("s2", "x", "a", 1.0);
        b.add("s3", "y", "c", 1.0);
        b.add("s1", "x", "b", 0.5);
        let g = b.build();
        assert_eq!(g.item_count(), 2);
        assert_eq!(g.value_count(), 3);
        let x: Vec<_> = g.values_of(0).map(|v| g.value_name(v)).collect();
        assert_eq!(x, ["a", "b"]);
        // The repeated claim counts once, with the larger weight.
        assert_eq!(g.claim_count(), 3);
        let b_value = g.value_id(0, "b").unwrap();
        assert_eq!(g.weights_of(b_value), [1.0]);
        assert_eq!(g.claims_of(0), [b_value as u32]);
    }

    #[test]
    fn rows_in_any_order_give_the_same_values_and_sources() {
        let rows = [
            ("s2", "y", "9"),
            ("s1", "x", "b"),
            ("s3", "y", "10"),
            ("s3", "x", "a"),
            ("s1", "y", "9"),
            ("s2", "x", "b"),
        ];
        let described = |rows: &mut dyn Iterator<Item = &(&str, &str, &str)>| {
            let mut b = ClaimGraphBuilder::new();
            for (source, item, value) in rows {
                b.add(source, item, value, 1.0);
            }
            let g = b.build();
            // Per item, its values with the names of their sources.
            type Values = Vec<(String, Vec<String>)>;
            let mut items: Vec<(String, Values)> = (0..g.item_count())
                .map(|i| {
                    let values = g
                        .values_of(i)
                        .map(|v| {
                            let mut sources: Vec<String> = g
                                .sources_of(v)
                                .iter()
                                .map(|&s| g.source_name(s as usize).to_string())
                                .collect();
                            sources.sort();
                            (g.value_name(v).to_string(), sources)
                        })
                        .collect();
                    (g.item_name(i).to_string(), values)
                })
                .collect();
            items.sort();
            items
        };
        let forward = described(&mut rows.iter());
        assert_eq!(forward, described(&mut rows.iter().rev()));
        // Labels in byte order within an item.
        assert_eq!(forward[1].0, "y");
        let y: Vec<&str> = forward[1].1.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(y, ["10", "9"]);
    }

    #[test]
    fn values_with_the_same_sources_weights_and_attribute_share_a_source_set() {
        let mut b = ClaimGraphBuilder::new();
        for (source, item, value, weight) in [
            ("s1", "f1/dep", "9:00", 1.0),
            ("s2", "f1/dep", "9:00", 1.0),
            ("s3", "f1/dep", "9:05", 1.0),
            // The same two sources on another flight's departure: the same set.
            ("s2", "f2/dep", "7:00", 1.0),
            ("s1", "f2/dep", "7:00", 1.0),
            // On an arrival: another attribute, another set.
            ("s1", "f2/arr", "8:00", 1.0),
            ("s2", "f2/arr", "8:00", 1.0),
            // With another weight: another set.
            ("s1", "f3/dep", "6:00", 1.0),
            ("s2", "f3/dep", "6:00", 0.5),
        ] {
            b.add(source, item, value, weight);
        }
        let g = b.build();
        let value = |item: &str, label: &str| g.value_id(g.item_index()[item], label).unwrap();
        let set = |item, label| g.value_sets()[value(item, label)] as usize;
        assert_eq!(set("f1/dep", "9:00"), set("f2/dep", "7:00"));
        assert_ne!(set("f1/dep", "9:00"), set("f2/arr", "8:00"));
        assert_ne!(set("f1/dep", "9:00"), set("f3/dep", "6:00"));
        assert_ne!(set("f1/dep", "9:00"), set("f1/dep", "9:05"));
        assert_eq!(g.set_count(), 4);
        assert_eq!(g.set_size(set("f1/dep", "9:00")), 2);
        assert_eq!(g.set_weights(set("f3/dep", "6:00")), [1.0, 0.5]);
        assert_every_value_has_its_sets_sources(&g);
        // Keeping all sources but s2 where s1 is there too: the sets stay, without
        // s2 where it had company, and so do the values and their ids.
        let (s1, s2) = (
            g.source_id("s1").unwrap() as u32,
            g.source_id("s2").unwrap() as u32,
        );
        let keep: Vec<bool> = (0..g.set_count())
            .flat_map(|set| {
                let sources = g.set_sources(set);
                let alone = !sources.contains(&s1);
                sources.iter().map(move |&s| s != s2 || alone)
            })
            .collect();
        let kept = g.keeping(&keep);
        assert_every_value_has_its_sets_sources(&kept);
        assert_eq!(kept.set_count(), 4);
        assert_eq!(kept.value_count(), g.value_count());
        assert_eq!(kept.claim_count(), 5);
        assert_eq!(kept.sources_of(value("f3/dep", "6:00")), [s1]);
        assert_eq!(kept.weights_of(value("f3/dep", "6:00")), [1.0]);
        assert_eq!(
            kept.sources_of(value("f1/dep", "9:05")),
            g.sources_of(value("f1/dep", "9:05"))
        );
        assert_eq!(kept.claim_count_of(s2 as usize), 0);
        assert_eq!(kept.claim_count_of(s1 as usize), 4);
        assert_eq!(kept.value_name(value("f2/dep", "7:00")), "7:00");
    }

    /// Each value's set has its sources, weights and attribute, and the sets' sizes
    /// add up to the values.
    fn assert_every_value_has_its_sets_sources(g: &ClaimGraph) {
        let mut sizes = vec![0; g.set_count()];
        for v in 0..g.value_count() {
            let set = g.value_sets()[v] as usize;
            sizes[set] += 1;
            assert_eq!(g.set_sources(set), g.sources_of(v));
            assert_eq!(g.set_weights(set), g.weights_of(v));
            assert_eq!(g.set_attribute(set), g.attribute(g.item_of(v)));
        }
        for (set, &size) in sizes.iter().enumerate() {
            assert_eq!(g.set_size(set), size);
        }
    }

    #[test]
    fn ties_go_to_the_smallest_label() {
        let mut b = ClaimGraphBuilder::new();
        b.add("s1", "x", "b", 1.0);
        b.add("s2", "x", "a", 1.0);
        let g = b.build();
        assert_eq!(g.top_values(&[1.0, 1.0]), [Some(0)]);
        assert_eq!(g.value_name(0), "a");
    }
}
