//! Values of one item that support each other although they are not the same:
//! close numbers, lists sharing members, places on one path of a hierarchy.
//!
//! Values of an item exclude each other; but a source saying 2,121 is nearly right
//! where the truth is 2,120, one giving two of a book's three authors is partly
//! right, and one saying "California" does not contradict "Los Angeles". Each such
//! pair gets a weight: a claim of one value lends that share of its vote to the
//! other (TruthFinder's implication between facts, Yin, Han and Yu, KDD 2007):
//!
//! - numbers ([`numbers`]): e^(-distance / scale), the scale learned per attribute
//!   from how far claims that disagree with their item's median typically are;
//! - lists ([`lists`]): the share of members the two have in common (Jaccard);
//! - a hierarchy ([`hierarchy`]): 1 from a value to each of its descendants and 0.9
//!   to each of its ancestors, so that "Los Angeles" supports "California" and
//!   "California" is compatible with "Los Angeles" and "San Diego" but not
//!   "Chicago"; the most specific value wins where it is as well supported as the
//!   values above it, their common ancestor where sources split between places.
//!
//! The default method adds ρ times the lent votes to each value's own (see its
//! `votes.rs`); the published methods are run as published, without.

pub mod hierarchy;
pub mod lists;
pub mod numbers;

use super::evaluate::Tolerance;
use super::{equal_ranges, in_parts, threads, ClaimGraph};
use hierarchy::Hierarchy;
use lists::Lists;
use numbers::{Kind, Quantity, Scale};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Weights below this are not kept: a claim lending under 1% of its vote.
const SMALLEST_WEIGHT: f64 = 0.01;

/// Items with more values than this get no relations between numbers or lists
/// (every pair would be weighed); a hierarchy is followed whatever the size.
const MOST_VALUES_COMPARED: usize = 512;

/// What a claim of a value lends its ancestors in a hierarchy (it lends its
/// descendants 1: "California" is fully compatible with "Los Angeles"). A claim of
/// "Los Angeles" is as sure a claim of "California"; but where as many sources name
/// the city as the state, the state is the less specific account of the same fact,
/// and the city should win: so a little under 1.
const UPWARD: f64 = 0.9;

/// Share of an attribute's distinct values that must read as quantities of one
/// kind for the attribute to be numeric.
const NUMERIC_SHARE: f64 = 0.8;

/// How close two numbers must be to support each other (`--closeness`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Closeness {
    /// Only equal values agree.
    #[default]
    Exact,
    /// Learned per attribute from the claims.
    Learned,
    /// At this absolute distance, or share of the larger value, a claim lends e⁻¹
    /// of its vote.
    Given(Tolerance),
}

impl Closeness {
    /// `auto`, `0` (exact), a number or a percentage.
    pub fn parse(text: &str) -> Result<Closeness, String> {
        if text.trim() == "auto" {
            return Ok(Closeness::Learned);
        }
        Ok(match Tolerance::parse(text)? {
            Tolerance::Absolute(x) | Tolerance::Relative(x) if x == 0.0 => Closeness::Exact,
            tolerance => Closeness::Given(tolerance),
        })
    }
}

/// Which relations between values a graph is built with.
#[derive(Debug, Clone, Default)]
pub struct Relations {
    pub closeness: Closeness,
    pub lists: Lists,
    pub hierarchy: Option<Arc<Hierarchy>>,
}

impl Relations {
    /// What `evaluate` uses when no flag says otherwise: learned closeness, lists
    /// guessed, no hierarchy.
    pub fn guessed() -> Self {
        Relations {
            closeness: Closeness::Learned,
            lists: Lists::Guess,
            hierarchy: None,
        }
    }

    pub fn is_off(&self) -> bool {
        self.closeness == Closeness::Exact && self.lists == Lists::Off && self.hierarchy.is_none()
    }
}

/// How one attribute's values relate, as decided from its values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttributeRelation {
    /// The kind of quantity and the scale where the attribute is numeric.
    pub numeric: Option<(Kind, Scale)>,
    /// The separator where its values are lists.
    pub list_separator: Option<String>,
}

impl AttributeRelation {
    /// How values of the attribute relate, for a reader: "numbers within 1.5",
    /// "times within 12 min", "lists (;)"; `None` where only equal values agree.
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some((kind, scale)) = &self.numeric {
            let what = match kind {
                Kind::Number(unit) if unit.is_empty() => "numbers".to_string(),
                Kind::Number(unit) => format!("quantities in {unit}"),
                Kind::TimeOfDay => "times of day".to_string(),
                Kind::Date => "dates".to_string(),
            };
            let unit = match kind {
                Kind::TimeOfDay => " min",
                Kind::Date => " days",
                Kind::Number(_) => "",
            };
            parts.push(match scale {
                Scale::Absolute(x) => format!("{what}, scale {}{unit}", significant(*x)),
                Scale::Relative(x) => format!("{what}, scale {}%", significant(100.0 * x)),
            });
        }
        if let Some(separator) = &self.list_separator {
            parts.push(format!("lists separated by '{separator}'"));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// A number to three significant digits, without trailing zeros.
fn significant(x: f64) -> String {
    let digits = (2 - x.abs().log10().floor() as i32).clamp(0, 6) as usize;
    let text = format!("{x:.digits$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// For each value, the values lending it part of their vote, with the weight.
#[derive(Debug, Clone, Default)]
pub struct Related {
    /// Per value, where its lenders start in `lender` and `weight`.
    start: Vec<u32>,
    lender: Vec<u32>,
    weight: Vec<f32>,
    /// Per attribute.
    pub attributes: Vec<AttributeRelation>,
    /// The hierarchy, for telling ancestors when a value is chosen.
    hierarchy: Option<Arc<Hierarchy>>,
}

impl Related {
    /// Whether no value lends to another.
    pub fn is_empty(&self) -> bool {
        self.lender.is_empty()
    }

    /// The values lending to `value`, with their weights.
    pub fn lenders(&self, value: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let range = match self.start.get(value..value + 2) {
            Some(&[a, b]) => a as usize..b as usize,
            _ => 0..0,
        };
        self.lender[range.clone()]
            .iter()
            .zip(&self.weight[range])
            .map(|(&u, &w)| (u as usize, w as f64))
    }

    /// The hierarchy the graph was built with, if any.
    pub fn hierarchy(&self) -> Option<&Arc<Hierarchy>> {
        self.hierarchy.as_ref()
    }

    /// Whether `ancestor` is above `value` in the hierarchy (both value names).
    pub fn is_ancestor(&self, ancestor: &str, value: &str) -> bool {
        self.hierarchy.as_ref().is_some_and(|h| {
            let ancestor = hierarchy::key(ancestor);
            h.ancestors(&hierarchy::key(value))
                .contains(&ancestor.as_str())
        })
    }

    /// The relations of `graph`'s values. `lists` gives each attribute's list
    /// separator, decided when the graph was built.
    pub fn of(graph: &ClaimGraph, relations: &Relations, lists: &[Option<String>]) -> Related {
        let mut attributes: Vec<AttributeRelation> = (0..graph.attribute_count())
            .map(|a| AttributeRelation {
                numeric: None,
                list_separator: lists.get(a).cloned().flatten(),
            })
            .collect();
        // Each label read as a quantity once (values of many items share labels).
        let quantities: Vec<Option<Quantity>> = if relations.closeness == Closeness::Exact {
            Vec::new()
        } else {
            (0..graph.label_count())
                .map(|l| Quantity::parse(graph.label_name(l)))
                .collect()
        };
        let quantity = |v: usize| quantities.get(graph.label_of(v)).and_then(Option::as_ref);
        if relations.closeness != Closeness::Exact {
            for (a, numeric) in numeric_attributes(graph, relations.closeness, &quantity) {
                attributes[a].numeric = Some(numeric);
            }
        }
        let hierarchy = relations.hierarchy.clone().filter(|h| !h.is_empty());
        // Items shared out among threads, each part's lenders then joined in order.
        let parts = in_parts(equal_ranges(graph.item_count(), threads()), |items| {
            let mut part = Lent::default();
            for item in items {
                let relation = &attributes[graph.attribute(item)];
                part.relate_item(graph, item, relation, &quantity, hierarchy.as_deref());
            }
            part
        });
        let mut related = Related {
            start: Vec::with_capacity(graph.value_count() + 1),
            hierarchy,
            attributes,
            ..Related::default()
        };
        for part in parts {
            let offset = related.lender.len() as u32;
            related.start.extend(part.start.iter().map(|&s| s + offset));
            related.lender.extend(part.lender);
            related.weight.extend(part.weight);
        }
        related.start.push(related.lender.len() as u32);
        related
    }
}

/// The lenders of a range of items' values, as [`Related`] holds them but for the
/// final end offset.
#[derive(Default)]
struct Lent {
    start: Vec<u32>,
    lender: Vec<u32>,
    weight: Vec<f32>,
    /// Per value of the item at hand: (lender, weight), before sorting.
    pending: Vec<Vec<(u32, f32)>>,
}

impl Lent {
    /// Weighs every pair of an item's values and appends each value's lenders.
    fn relate_item<'q>(
        &mut self,
        graph: &ClaimGraph,
        item: usize,
        relation: &AttributeRelation,
        quantity: &dyn Fn(usize) -> Option<&'q Quantity>,
        hierarchy: Option<&Hierarchy>,
    ) {
        let values = graph.values_of(item);
        let first = values.start;
        let pending = &mut self.pending;
        pending.iter_mut().for_each(Vec::clear);
        pending.resize(values.len().max(pending.len()), Vec::new());
        let mut lend = |from: usize, to: usize, weight: f64| {
            if from != to && weight >= SMALLEST_WEIGHT {
                pending[to - first].push((from as u32, weight as f32));
            }
        };
        if values.len() > 1 && values.len() <= MOST_VALUES_COMPARED {
            if let Some((kind, scale)) = &relation.numeric {
                let quantities: Vec<Option<&Quantity>> = values
                    .clone()
                    .map(|v| quantity(v).filter(|q| &q.kind == kind))
                    .collect();
                for (i, a) in quantities.iter().enumerate() {
                    for (j, b) in quantities.iter().enumerate() {
                        if let (Some(a), Some(b)) = (a, b) {
                            lend(first + i, first + j, scale.support(a, b));
                        }
                    }
                }
            }
            if relation.list_separator.is_some() {
                let members: Vec<Vec<String>> = values
                    .clone()
                    .map(|v| lists::members(graph.value_name(v)))
                    .collect();
                for (i, a) in members.iter().enumerate() {
                    for (j, b) in members.iter().enumerate() {
                        lend(first + i, first + j, lists::jaccard(a, b));
                    }
                }
            }
        }
        if let Some(h) = hierarchy {
            let keys: FxHashMap<String, usize> = values
                .clone()
                .map(|v| (hierarchy::key(graph.value_name(v)), v))
                .collect();
            for v in values.clone() {
                for ancestor in h.ancestors(&hierarchy::key(graph.value_name(v))) {
                    if let Some(&u) = keys.get(ancestor) {
                        lend(v, u, UPWARD);
                        lend(u, v, 1.0);
                    }
                }
            }
        }
        for list in &mut self.pending[..values.len()] {
            self.start.push(self.lender.len() as u32);
            // One entry per lender, the largest weight where two relations give one.
            list.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
            list.dedup_by_key(|&mut (u, _)| u);
            for &(u, w) in list.iter() {
                self.lender.push(u);
                self.weight.push(w);
            }
        }
    }
}

/// The attributes whose values are mostly quantities of one kind, with the kind
/// and the scale; `quantity` gives a value's quantity, if it reads as one.
fn numeric_attributes<'q>(
    graph: &ClaimGraph,
    closeness: Closeness,
    quantity: &dyn Fn(usize) -> Option<&'q Quantity>,
) -> Vec<(usize, (Kind, Scale))> {
    // Per attribute, per kind: how many distinct values read as it.
    let attributes = graph.attribute_count().max(1);
    let mut kinds: Vec<FxHashMap<&Kind, usize>> = vec![FxHashMap::default(); attributes];
    let mut distinct = vec![0usize; attributes];
    for item in 0..graph.item_count() {
        let a = graph.attribute(item);
        for v in graph.values_of(item) {
            distinct[a] += 1;
            if let Some(q) = quantity(v) {
                *kinds[a].entry(&q.kind).or_default() += 1;
            }
        }
    }
    let chosen: Vec<Option<&Kind>> = kinds
        .into_iter()
        .enumerate()
        .map(|(a, counts)| {
            let (kind, count) = counts
                .into_iter()
                .max_by(|x, y| x.1.cmp(&y.1).then_with(|| y.0.cmp(x.0)))?;
            (count as f64 >= NUMERIC_SHARE * distinct[a] as f64).then_some(kind)
        })
        .collect();
    // Each numeric attribute's items: their amounts with how many claims give each.
    let mut items: Vec<Vec<Vec<(f64, usize)>>> = vec![Vec::new(); attributes];
    if closeness == Closeness::Learned {
        for item in 0..graph.item_count() {
            let a = graph.attribute(item);
            let Some(kind) = chosen[a] else { continue };
            let claims = graph
                .values_of(item)
                .filter_map(|v| {
                    let q = quantity(v).filter(|q| &q.kind == kind)?;
                    Some((q.amount, graph.sources_of(v).len()))
                })
                .collect();
            items[a].push(claims);
        }
    }
    let mut out = Vec::new();
    for (a, kind) in chosen.into_iter().enumerate() {
        let Some(kind) = kind else { continue };
        let scale = match closeness {
            Closeness::Exact => continue,
            Closeness::Given(Tolerance::Absolute(x)) => Scale::Absolute(x),
            Closeness::Given(Tolerance::Relative(x)) => Scale::Relative(x),
            Closeness::Learned => match numbers::learn_scale(kind, &items[a]) {
                Some(scale) => scale,
                None => continue,
            },
        };
        out.push((a, (kind.clone(), scale)));
    }
    out
}
