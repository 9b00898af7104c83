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

/// What relates two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Close numbers, times or dates.
    Close = 0,
    /// Lists sharing members.
    SharedMembers = 1,
    /// One above the other in the hierarchy.
    OnPath = 2,
}

impl Link {
    const ALL: [Link; 3] = [Link::Close, Link::SharedMembers, Link::OnPath];
}

/// ρ for each kind of link: the share of a linked value's votes, times the
/// link's weight, that a value adds to its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkWeights {
    pub close: f64,
    pub shared_members: f64,
    pub on_path: f64,
}

impl LinkWeights {
    /// The same ρ for every kind of link.
    pub fn all(rho: f64) -> Self {
        LinkWeights {
            close: rho,
            shared_members: rho,
            on_path: rho,
        }
    }

    pub fn of(&self, link: Link) -> f64 {
        match link {
            Link::Close => self.close,
            Link::SharedMembers => self.shared_members,
            Link::OnPath => self.on_path,
        }
    }

    /// Whether every ρ is 0: no value takes from another.
    pub fn is_zero(&self) -> bool {
        Link::ALL.iter().all(|&l| self.of(l) == 0.0)
    }
}

/// For each value, the values lending it part of their vote, with the weight.
#[derive(Debug, Clone, Default)]
pub struct Related {
    /// Per value, where its lenders start in `lender` and `weight`.
    start: Vec<u32>,
    lender: Vec<u32>,
    weight: Vec<f32>,
    link: Vec<Link>,
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

    /// Whether any of these values (an item's) has a lender.
    pub fn any_lender(&self, values: std::ops::Range<usize>) -> bool {
        match (self.start.get(values.start), self.start.get(values.end)) {
            (Some(a), Some(b)) => a != b,
            _ => false,
        }
    }

    /// The values lending to `value`, with their weights and what links them.
    pub fn lenders(&self, value: usize) -> impl Iterator<Item = (usize, f64, Link)> + '_ {
        let range = match self.start.get(value..value + 2) {
            Some(&[a, b]) => a as usize..b as usize,
            _ => 0..0,
        };
        self.lender[range.clone()]
            .iter()
            .zip(&self.weight[range.clone()])
            .zip(&self.link[range])
            .map(|((&u, &w), &link)| (u as usize, w as f64, link))
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
            related.link.extend(part.link);
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
    link: Vec<Link>,
    /// Per value of the item at hand: (lender, weight, link), before sorting.
    pending: Vec<Vec<(u32, f32, Link)>>,
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
        let mut lend = |from: usize, to: usize, weight: f64, link: Link| {
            if from != to && weight >= SMALLEST_WEIGHT {
                pending[to - first].push((from as u32, weight as f32, link));
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
                            lend(first + i, first + j, scale.support(a, b), Link::Close);
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
                        let shared = lists::jaccard(a, b);
                        lend(first + i, first + j, shared, Link::SharedMembers);
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
                        lend(v, u, UPWARD, Link::OnPath);
                        lend(u, v, 1.0, Link::OnPath);
                    }
                }
            }
        }
        for list in &mut self.pending[..values.len()] {
            self.start.push(self.lender.len() as u32);
            // One entry per lender, the largest weight where two relations give one.
            list.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
            list.dedup_by_key(|&mut (u, _, _)| u);
            for &(u, w, link) in list.iter() {
                self.lender.push(u);
                self.weight.push(w);
                self.link.push(link);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credibility::dependence_aware::{self, Params};
    use crate::credibility::ClaimGraphBuilder;

    /// The value the default method believes most in, on the item named `item`.
    fn chosen(graph: &ClaimGraph, item: &str) -> String {
        let (outcome, _) = dependence_aware::run(graph, &Params::default());
        let item = graph.item_index()[item];
        let top = graph.top_values(&outcome.belief)[item].expect("a value");
        graph.value_name(top).to_string()
    }

    fn graph(claims: &[(&str, &str, &str)], relations: Relations, copiers: bool) -> ClaimGraph {
        let mut builder = ClaimGraphBuilder::with_claims(claims);
        builder.relations(relations);
        if copiers {
            builder.add_dependence("copier1", "copier2");
        }
        builder.build()
    }

    #[test]
    fn close_numbers_outvote_two_copying_sources_and_a_zero_tolerance_restores_exact() {
        let claims = [
            ("census", "springfield/population", "2,120"),
            ("almanac", "springfield/population", "2,121"),
            ("atlas", "springfield/population", "2,119"),
            ("copier1", "springfield/population", "2,890"),
            ("copier2", "springfield/population", "2,890"),
        ];
        let close = graph(&claims, Relations::guessed(), true);
        assert_eq!(chosen(&close, "springfield/population"), "2,120");
        let scale = &close.related().attributes[0].numeric;
        // The claims lie 2, 1, 769 and 769 from the median claim, 2,121.
        assert_eq!(scale.as_ref().map(|(_, s)| *s), Some(Scale::Absolute(2.0)));
        // Exact: four values of one vote each (the copiers count once); the tie goes
        // to the smallest label, and 2,120 takes nothing from its neighbours.
        let exact = Relations {
            closeness: Closeness::parse("0").unwrap(),
            ..Relations::guessed()
        };
        let exact = graph(&claims, exact, true);
        assert!(exact.related().is_empty());
        assert_eq!(chosen(&exact, "springfield/population"), "2,119");
    }

    fn places() -> Relations {
        let rows = [
            ("USA", ""),
            ("California", "USA"),
            ("Los Angeles", "California"),
            ("San Diego", "California"),
            ("Illinois", "USA"),
            ("Chicago", "Illinois"),
        ];
        let rows = rows
            .iter()
            .enumerate()
            .map(|(i, (c, p))| (i + 1, c.to_string(), p.to_string()))
            .collect();
        Relations {
            hierarchy: Some(Arc::new(Hierarchy::from_rows(rows).unwrap())),
            ..Relations::guessed()
        }
    }

    #[test]
    fn a_place_supports_its_region_and_a_region_is_compatible_with_its_places_only() {
        // Los Angeles lends to California, California to Los Angeles and San Diego;
        // nothing links either to Chicago.
        let claims = [
            ("a", "alice/born", "Los Angeles"),
            ("b", "alice/born", "San Diego"),
            ("c", "alice/born", "California"),
            ("d", "alice/born", "Chicago"),
        ];
        let g = graph(&claims, places(), false);
        let id = |label: &str| g.value_id(0, label).unwrap();
        // Weights are kept as f32.
        let lenders = |label: &str| -> Vec<(String, f32)> {
            g.related()
                .lenders(id(label))
                .map(|(u, w, _)| (g.value_name(u).to_string(), w as f32))
                .collect()
        };
        assert_eq!(
            lenders("California"),
            [
                ("Los Angeles".into(), UPWARD as f32),
                ("San Diego".into(), UPWARD as f32)
            ]
        );
        assert_eq!(lenders("Los Angeles"), [("California".into(), 1.0)]);
        assert!(lenders("Chicago").is_empty());
        // Sources split between two places in California: California is chosen.
        assert_eq!(chosen(&g, "alice/born"), "California");

        // One says California, one Los Angeles, one Chicago: the most specific value
        // that is as well supported as what lies above it.
        let claims = [
            ("a", "bob/born", "California"),
            ("b", "bob/born", "Los Angeles"),
            ("c", "bob/born", "Chicago"),
        ];
        assert_eq!(
            chosen(&graph(&claims, places(), false), "bob/born"),
            "Los Angeles"
        );
        // California against Chicago: neither supports the other, a tie as without
        // the hierarchy.
        let claims = [
            ("a", "carol/born", "California"),
            ("b", "carol/born", "Chicago"),
        ];
        let g = graph(&claims, places(), false);
        let (outcome, _) = dependence_aware::run(&g, &Params::default());
        let (ca, chicago) = (
            g.value_id(0, "California").unwrap(),
            g.value_id(0, "Chicago").unwrap(),
        );
        assert!((outcome.belief[ca] - outcome.belief[chicago]).abs() < 1e-9);
    }

    #[test]
    fn lists_in_any_order_are_one_value_and_partial_lists_count_partly() {
        let claims = [
            ("s1", "book/authors", "Ullman; Widom; Garcia-Molina"),
            ("s2", "book/authors", "Garcia-Molina;Ullman;Widom"),
            ("s3", "book/authors", "Ullman; Widom"),
            ("s4", "book/authors", "Ullman; Garcia-Molina"),
            ("s5", "book/authors", "Widom; Garcia-Molina"),
            ("s6", "book/authors", "Ullman; Widom"),
            ("s7", "book/authors", "Knuth; Graham"),
            ("s8", "book/authors", "Knuth; Graham"),
            ("s9", "book/authors", "Graham; Knuth"),
        ];
        let lists = graph(&claims, Relations::guessed(), false);
        // Two orders of the full list are one value, as are the two of Knuth's.
        assert_eq!(lists.value_count(), 5);
        assert_eq!(
            chosen(&lists, "book/authors"),
            "Garcia-Molina; Ullman; Widom"
        );
        // Without lists, each writing is a value of its own, and the three who
        // write "Knuth; Graham" one way or the other are not even one value.
        let plain = Relations {
            lists: Lists::Off,
            ..Relations::guessed()
        };
        let plain = graph(&claims, plain, false);
        assert_eq!(plain.value_count(), 7);
        assert_eq!(chosen(&plain, "book/authors"), "Knuth; Graham");
    }
}
