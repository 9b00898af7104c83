//! Statements that speak to the same thing, grouped: average-link agglomerative
//! clustering over the graph of each statement's nearest neighbours.
//!
//! Each statement's nearest statements (cosine of their TF-IDF vectors) are found
//! through an inverted index, never by comparing all pairs; terms standing in more
//! than `max_postings` statements are too common to tell statements apart and are
//! left out of that search. Then clusters are merged pairwise, the most similar pair
//! first, where the similarity of two clusters is the mean cosine over all pairs of
//! their members (average link; UPGMA, Sokal and Michener 1958), a pair outside the
//! neighbour graph counting 0. Merging stops when no two clusters reach the
//! threshold, and never joins statements further apart in time than the window.
//! With `k` neighbours a statement, the neighbour search is one pass over the index
//! per statement. Each merge folds the links of the cluster with fewer into the one
//! with more, and pushes the merged cluster's mean with each of its neighbours
//! again (older entries are skipped by version): in the worst case, a cluster that
//! grows one statement at a time, that is quadratic in the cluster's links. Checking
//! a popped pair's mean against the current one instead, and pushing only the pairs
//! whose mean rose, was measured slower by far (100,000 statements 15 s instead of
//! 5.5 s, 1,000,000 eight minutes instead of 69 s), since every pair of a growing
//! cluster then came off the heap again at each fall of its mean.

use super::similarity::{Index, Scratch, Vector};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

#[derive(Debug, Clone, Copy)]
pub struct ClusterOptions {
    /// The least mean cosine between two clusters' members for them to merge.
    pub threshold: f32,
    /// Statements further apart than this many days are not clustered together.
    pub window_days: Option<i64>,
    /// How many nearest statements each statement is linked to.
    pub neighbours: usize,
    /// Terms in more statements than this are left out of the neighbour search.
    pub max_postings: usize,
}

/// Each statement's cluster (numbered in order of first member), and its mean
/// cosine to the other members of its cluster (0 for a statement alone).
pub struct Clustering {
    pub cluster: Vec<u32>,
    pub centrality: Vec<f32>,
}

/// A candidate merge in the heap: the mean similarity, and the two clusters with
/// the versions they had when it was computed (a later merge makes it stale).
#[derive(PartialEq)]
struct Merge {
    mean: f32,
    a: u32,
    b: u32,
    versions: (u32, u32),
}

impl Eq for Merge {}

impl Ord for Merge {
    fn cmp(&self, other: &Self) -> Ordering {
        self.mean
            .total_cmp(&other.mean)
            .then_with(|| other.a.cmp(&self.a))
            .then_with(|| other.b.cmp(&self.b))
    }
}

impl PartialOrd for Merge {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Each statement's nearest other statements with their cosines, as edges i < j.
fn neighbour_edges(
    vectors: &[Vector],
    quantities: &[Vec<u32>],
    terms: usize,
    options: &ClusterOptions,
) -> Vec<(u32, u32, f32)> {
    let index = Index::new(terms, vectors).without_terms_over(options.max_postings);
    let mut edges: Vec<(u32, u32, f32)> = vectors
        .par_iter()
        .enumerate()
        .map_init(Scratch::default, |scratch, (i, v)| {
            index
                .nearest(v, options.neighbours + 1, scratch)
                .into_iter()
                .filter(|&(j, _)| j as usize != i)
                .map(|(j, sim)| {
                    let (a, b) = if (i as u32) < j {
                        (i as u32, j)
                    } else {
                        (j, i as u32)
                    };
                    let sim = sim * super::quantity_factor(&quantities[i], &quantities[j as usize]);
                    (a, b, sim)
                })
                .collect::<Vec<_>>()
        })
        .flatten()
        .collect();
    edges.par_sort_unstable_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)));
    edges.dedup_by(|x, y| x.0 == y.0 && x.1 == y.1);
    edges
}

/// The mean and standard deviation of the cosine between two statements: over all
/// pairs when there are at most 20,000, else over 20,000 pairs drawn at random (the
/// same way every run).
pub fn background(vectors: &[Vector]) -> (f32, f32) {
    const PAIRS: u64 = 20_000;
    let n = vectors.len() as u64;
    if n < 2 {
        return (0.0, 0.0);
    }
    let (mut sum, mut squares, mut count) = (0.0f64, 0.0f64, 0u64);
    let mut add = |a: u64, b: u64| {
        let c = super::similarity::cosine(&vectors[a as usize], &vectors[b as usize]) as f64;
        sum += c;
        squares += c * c;
        count += 1;
    };
    if n * (n - 1) / 2 <= PAIRS {
        for a in 0..n {
            for b in a + 1..n {
                add(a, b);
            }
        }
    } else {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        let mut drawn = 0;
        while drawn < PAIRS {
            let (a, b) = (next(), next());
            if a != b {
                add(a, b);
                drawn += 1;
            }
        }
    }
    let mean = sum / count as f64;
    let sd = (squares / count as f64 - mean * mean).max(0.0).sqrt();
    (mean as f32, sd as f32)
}

/// Clusters statements by their vectors (see the module's documentation). `terms`
/// is the size of the vocabulary; `quantities` each statement's number terms (two
/// statements that both give numbers and share none are taken as less similar, see
/// [`super::quantity_factor`]); `days` each statement's date as a day number.
pub fn cluster(
    vectors: &[Vector],
    quantities: &[Vec<u32>],
    days: &[Option<i64>],
    terms: usize,
    options: &ClusterOptions,
) -> Clustering {
    let n = vectors.len();
    let edges = neighbour_edges(vectors, quantities, terms, options);
    // Cosines summed between clusters, each cluster's neighbours.
    let mut links: Vec<HashMap<u32, f32>> = vec![HashMap::new(); n];
    for &(a, b, sim) in &edges {
        links[a as usize].insert(b, sim);
        links[b as usize].insert(a, sim);
    }
    let mut size = vec![1u32; n];
    let mut version = vec![0u32; n];
    let mut dates: Vec<Option<(i64, i64)>> = days.iter().map(|d| d.map(|d| (d, d))).collect();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut heap: BinaryHeap<Merge> = edges
        .iter()
        .filter(|e| e.2 >= options.threshold)
        .map(|&(a, b, mean)| Merge {
            mean,
            a,
            b,
            versions: (0, 0),
        })
        .collect();
    let fits = |x: Option<(i64, i64)>, y: Option<(i64, i64)>| match (x, y, options.window_days) {
        (Some((l1, h1)), Some((l2, h2)), Some(w)) => h1.max(h2) - l1.min(l2) <= w,
        _ => true,
    };
    while let Some(merge) = heap.pop() {
        let (a, b) = (merge.a as usize, merge.b as usize);
        if parent[a] != merge.a
            || parent[b] != merge.b
            || (version[a], version[b]) != merge.versions
            || !fits(dates[a], dates[b])
        {
            continue;
        }
        // The larger cluster absorbs the smaller one's links.
        let (keep, gone) = if links[a].len() >= links[b].len() {
            (a, b)
        } else {
            (b, a)
        };
        parent[gone] = keep as u32;
        size[keep] += size[gone];
        version[keep] += 1;
        dates[keep] = match (dates[keep], dates[gone]) {
            (Some((l1, h1)), Some((l2, h2))) => Some((l1.min(l2), h1.max(h2))),
            (x, y) => x.or(y),
        };
        let moved = std::mem::take(&mut links[gone]);
        links[keep].remove(&(gone as u32));
        for (other, sum) in moved {
            if other as usize == keep {
                continue;
            }
            *links[keep].entry(other).or_default() += sum;
            let theirs = &mut links[other as usize];
            let carried = theirs.remove(&(gone as u32)).unwrap_or(sum);
            *theirs.entry(keep as u32).or_default() += carried;
        }
        for (&other, &sum) in &links[keep] {
            let mean = sum / (size[keep] as f32 * size[other as usize] as f32);
            if mean >= options.threshold {
                let (x, y) = (keep as u32, other);
                heap.push(Merge {
                    mean,
                    a: x,
                    b: y,
                    versions: (version[x as usize], version[y as usize]),
                });
            }
        }
    }
    // Each statement's cluster root.
    let root = |mut i: usize| {
        while parent[i] as usize != i {
            i = parent[i] as usize;
        }
        i as u32
    };
    let roots: Vec<u32> = (0..n).map(root).collect();
    let mut numbers: HashMap<u32, u32> = HashMap::new();
    let cluster: Vec<u32> = roots
        .iter()
        .map(|r| {
            let next = numbers.len() as u32;
            *numbers.entry(*r).or_insert(next)
        })
        .collect();
    // Mean cosine to the other members, over the neighbour edges within a cluster.
    let mut sums = vec![0.0f32; n];
    for &(a, b, sim) in &edges {
        if cluster[a as usize] == cluster[b as usize] {
            sums[a as usize] += sim;
            sums[b as usize] += sim;
        }
    }
    let centrality = (0..n)
        .map(|i| {
            let others = size[roots[i] as usize].saturating_sub(1);
            if others == 0 {
                0.0
            } else {
                sums[i] / others as f32
            }
        })
        .collect();
    Clustering {
        cluster,
        centrality,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(terms: &[u32]) -> Vector {
        let w = 1.0 / (terms.len() as f32).sqrt();
        terms.iter().map(|&t| (t, w)).collect()
    }

    fn options(threshold: f32, window_days: Option<i64>) -> ClusterOptions {
        ClusterOptions {
            threshold,
            window_days,
            neighbours: 10,
            max_postings: 100,
        }
    }

    #[test]
    fn near_statements_cluster_and_far_ones_do_not() {
        let vectors = vec![
            unit(&[0, 1, 2]),
            unit(&[5, 6]),
            unit(&[0, 1, 3]),
            unit(&[0, 2, 3]),
            unit(&[5, 6, 7]),
        ];
        let days = vec![None; vectors.len()];
        let found = cluster(
            &vectors,
            &vec![Vec::new(); 5],
            &days,
            8,
            &options(0.4, None),
        );
        assert_eq!(found.cluster, [0, 1, 0, 0, 1]);
        assert!(found.centrality.iter().all(|c| *c > 0.4));
    }

    #[test]
    fn average_link_does_not_chain() {
        // 0-1 and 1-2 are close, 0-2 share nothing: single link would chain them,
        // average link keeps the mean of 0 and 2 with the pair below the threshold.
        let vectors = vec![unit(&[0, 1]), unit(&[1, 2]), unit(&[2, 3])];
        let found = cluster(
            &vectors,
            &vec![Vec::new(); 3],
            &[None; 3],
            4,
            &options(0.4, None),
        );
        assert_ne!(found.cluster[0], found.cluster[2]);
    }

    #[test]
    fn statements_far_apart_in_time_stay_apart() {
        let vectors = vec![unit(&[0, 1]), unit(&[0, 1]), unit(&[0, 1])];
        let days = vec![Some(0), Some(3), Some(400)];
        let found = cluster(
            &vectors,
            &vec![Vec::new(); 3],
            &days,
            2,
            &options(0.5, Some(30)),
        );
        assert_eq!(found.cluster, [0, 0, 1]);
    }
}
