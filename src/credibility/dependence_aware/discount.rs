//! How much of a source's vote is lost to each other source already counted: the d
//! of the independence factor Π(1 - d) a vote is multiplied by (`votes.rs`).
//!
//! d is 1 for a dependence the graph declares (same institution, chain of command,
//! reporting, quoting: the dependent voices share one vote), and c·P(copy) for
//! copying detected from the data, c the copy rate ([`Params::copy_rate`]), as in
//! Dong, Berti-Équille and Srivastava, "Integrating Conflicting Data: The Role of
//! Source Dependence", PVLDB 2(1), 2009. Where items name attributes, a vote on an
//! attribute is discounted by the larger of the pair's P(copy) over all the items
//! both cover and over that attribute's items ([`Params::copying_by_attribute`]): a
//! site can take its departure times from the same feed as another and its gates
//! from elsewhere.
//!
//! Cost: for S sources and P pairs found dependent, O(S² + P) to build a matrix of
//! S² discounts (4 bytes each) up to 4,096 sources, O(P) to build a hash map above;
//! a look-up is O(1) either way.
//!
//! [`Params::copy_rate`]: super::Params::copy_rate
//! [`Params::copying_by_attribute`]: super::Params::copying_by_attribute

use rustc_hash::{FxHashMap, FxHashSet};

/// How much of a vote is lost, on the items of one attribute, to each other source
/// already counted: 1 for declared dependence, the copy rate times P(copy) for
/// detected copying, the larger of the pair's P(copy) over all the items both
/// cover and over that attribute's items.
pub(super) struct Discount {
    over_all: PairDiscount,
    /// Copying found on one attribute's items only, keyed by pair (smaller id
    /// first) and attribute: few entries, only those above [`ATTRIBUTE_COPYING`].
    ///
    /// [`ATTRIBUTE_COPYING`]: super::copying::ATTRIBUTE_COPYING
    on_attribute: FxHashMap<(u32, u32, u32), f64>,
    /// Where the matrix is small enough, for each attribute with copying of its
    /// own, the matrix of the larger of the two discounts: a look-up without
    /// hashing, in the inner loop of every vote.
    attribute_cells: Vec<Option<Vec<f32>>>,
}

/// The most cells (sources² times attributes with copying of their own) the
/// per-attribute matrices may take together: 16 MB of f32.
const DENSE_ATTRIBUTE_CELLS: usize = 1 << 22;

/// A pair's discount on every attribute: a matrix for up to
/// [`DENSE_DISCOUNT_LIMIT`] sources, a map above.
enum PairDiscount {
    Dense { sources: usize, cells: Vec<f32> },
    Sparse(FxHashMap<(u32, u32), f64>),
}

const DENSE_DISCOUNT_LIMIT: usize = 4096;

impl Discount {
    /// The discounts of `declared` pairs and of pairs found copying, over all their
    /// items (`dependence`) and on one attribute's (`by_attribute`), each a list of
    /// pairs (smaller id first) with their P(copy).
    pub(super) fn new(
        sources: usize,
        declared: &FxHashSet<(u32, u32)>,
        dependence: &[((u32, u32), f64)],
        by_attribute: &[((u32, u32), u32, f64)],
        copy_rate: f64,
    ) -> Self {
        Self::laid_out(
            sources,
            sources <= DENSE_DISCOUNT_LIMIT,
            declared,
            dependence,
            by_attribute,
            copy_rate,
        )
    }

    /// [`Self::new`] with the pairs' discounts in a matrix or a map.
    fn laid_out(
        sources: usize,
        dense: bool,
        declared: &FxHashSet<(u32, u32)>,
        dependence: &[((u32, u32), f64)],
        by_attribute: &[((u32, u32), u32, f64)],
        copy_rate: f64,
    ) -> Self {
        let pairs = dependence
            .iter()
            .map(|&(k, p)| (k, copy_rate * p))
            .chain(declared.iter().map(|&k| (k, 1.0)));
        let over_all = if dense {
            let mut cells = vec![0.0f32; sources * sources];
            for ((a, b), d) in pairs {
                let (a, b) = (a as usize, b as usize);
                let d = (cells[a * sources + b] as f64).max(d) as f32;
                cells[a * sources + b] = d;
                cells[b * sources + a] = d;
            }
            PairDiscount::Dense { sources, cells }
        } else {
            let mut map = FxHashMap::default();
            for (key, d) in pairs {
                let entry: &mut f64 = map.entry(key).or_default();
                *entry = entry.max(d);
            }
            PairDiscount::Sparse(map)
        };
        let mut on_attribute = FxHashMap::default();
        for &((a, b), attribute, p) in by_attribute {
            let entry: &mut f64 = on_attribute.entry((a, b, attribute)).or_default();
            *entry = entry.max(copy_rate * p);
        }
        let mut attribute_cells = Vec::new();
        if let PairDiscount::Dense { sources, cells } = &over_all {
            let attributes: FxHashSet<u32> = on_attribute.keys().map(|&(_, _, a)| a).collect();
            if sources * sources * attributes.len() <= DENSE_ATTRIBUTE_CELLS {
                let count = attributes
                    .iter()
                    .map(|&a| a as usize + 1)
                    .max()
                    .unwrap_or(0);
                attribute_cells = vec![None; count];
                for &attribute in &attributes {
                    attribute_cells[attribute as usize] = Some(cells.clone());
                }
                for (&(a, b, attribute), &d) in &on_attribute {
                    if let Some(cells) = &mut attribute_cells[attribute as usize] {
                        let (a, b) = (a as usize, b as usize);
                        let d = (cells[a * sources + b] as f64).max(d) as f32;
                        cells[a * sources + b] = d;
                        cells[b * sources + a] = d;
                    }
                }
            }
        }
        Discount {
            over_all,
            on_attribute,
            attribute_cells,
        }
    }

    /// For each of `sources`, whether any other's vote is discounted against it on
    /// any attribute.
    pub(super) fn dependent(&self, sources: usize) -> Vec<bool> {
        let mut dependent = match &self.over_all {
            PairDiscount::Dense { cells, .. } => (0..sources)
                .map(|s| {
                    cells[s * sources..(s + 1) * sources]
                        .iter()
                        .any(|&d| d > 0.0)
                })
                .collect(),
            PairDiscount::Sparse(map) => {
                let mut dependent = vec![false; sources];
                for (&(a, b), &d) in map {
                    if d > 0.0 {
                        dependent[a as usize] = true;
                        dependent[b as usize] = true;
                    }
                }
                dependent
            }
        };
        for (&(a, b, _), &d) in &self.on_attribute {
            if d > 0.0 {
                dependent[a as usize] = true;
                dependent[b as usize] = true;
            }
        }
        dependent
    }

    /// The discount between `a` and `b` (in either order) on `attribute`'s items.
    pub(super) fn get(&self, a: u32, b: u32, attribute: usize) -> f64 {
        if let PairDiscount::Dense { sources, cells } = &self.over_all {
            let at = a as usize * sources + b as usize;
            if self.on_attribute.is_empty() {
                return cells[at] as f64;
            }
            if !self.attribute_cells.is_empty() {
                return match self.attribute_cells.get(attribute) {
                    Some(Some(cells)) => cells[at] as f64,
                    _ => cells[at] as f64,
                };
            }
        }
        let over_all = match &self.over_all {
            PairDiscount::Dense { sources, cells } => {
                cells[a as usize * sources + b as usize] as f64
            }
            PairDiscount::Sparse(map) => map.get(&(a.min(b), a.max(b))).copied().unwrap_or(0.0),
        };
        if self.on_attribute.is_empty() {
            return over_all;
        }
        let key = (a.min(b), a.max(b), attribute as u32);
        over_all.max(self.on_attribute.get(&key).copied().unwrap_or(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four sources, two attributes: 0 and 1 copy over all their items (0.5), and on
    /// attribute 1 more (0.95) and on attribute 0 less (0.2, below what holds over
    /// all); 1 and 2 are declared dependent; 2 and 3 copy on attribute 0 only. The
    /// discount on each attribute is the larger of the two, in either order of the
    /// pair, with the pairs in a matrix or a map.
    #[test]
    fn a_vote_on_an_attribute_is_discounted_by_the_larger_dependence() {
        let declared: FxHashSet<(u32, u32)> = [(1, 2)].into_iter().collect();
        let over_all = [((0, 1), 0.5)];
        let on_attribute = [((0, 1), 0, 0.2), ((0, 1), 1, 0.95), ((2, 3), 0, 0.99)];
        let c = 0.9;
        let expected = |a: u32, b: u32, attribute: usize| match ((a.min(b), a.max(b)), attribute) {
            ((0, 1), 0) => c * 0.5,
            ((0, 1), 1) => c * 0.95,
            ((1, 2), _) => 1.0,
            ((2, 3), 0) => c * 0.99,
            _ => 0.0,
        };
        for dense in [true, false] {
            let discount = Discount::laid_out(4, dense, &declared, &over_all, &on_attribute, c);
            for a in 0..4 {
                for b in (0..4).filter(|&b| b != a) {
                    for attribute in 0..2 {
                        let d = discount.get(a, b, attribute);
                        assert!(
                            (d - expected(a, b, attribute)).abs() < 1e-6,
                            "dense {dense}: {a}, {b} on {attribute}: {d}"
                        );
                    }
                }
            }
            assert_eq!(discount.dependent(4), [true; 4]);
            // Without the copying on one attribute, 3 depends on nobody.
            let discount = Discount::laid_out(4, dense, &declared, &over_all, &[], c);
            assert_eq!(discount.dependent(4), [true, true, true, false]);
        }
    }
}
