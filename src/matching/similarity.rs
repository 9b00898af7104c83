//! TF-IDF vectors of statements and propositions, and an inverted index that finds
//! the nearest ones without comparing every pair.
//!
//! A term's weight in a text is (1 + ln tf) · idf with idf = ln((N + 1) / (df + 1)) + 1
//! over every text of the run (statements and candidate propositions), and vectors
//! are scaled to length 1, so the dot product of two is their cosine (Salton and
//! Buckley, "Term-weighting approaches in automatic text retrieval", 1988).

use std::collections::HashMap;

/// A text as weighted terms: (term id, weight) sorted by id, of length 1.
pub type Vector = Vec<(u32, f32)>;

/// Term ids and document frequencies.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
    df: Vec<u32>,
    documents: u32,
}

impl Vocabulary {
    /// Counts one document's distinct terms; returns their ids with term counts.
    pub fn add(&mut self, terms: &[(String, String)]) -> Vec<(u32, u32)> {
        self.documents += 1;
        let mut counts: Vec<(u32, u32)> = Vec::with_capacity(terms.len());
        for (term, _) in terms {
            let next = self.ids.len() as u32;
            let id = *self.ids.entry(term.clone()).or_insert(next);
            if id as usize == self.df.len() {
                self.df.push(0);
            }
            match counts.iter_mut().find(|(t, _)| *t == id) {
                Some((_, n)) => *n += 1,
                None => counts.push((id, 1)),
            }
        }
        for (id, _) in &counts {
            self.df[*id as usize] += 1;
        }
        counts.sort_unstable();
        counts
    }

    pub fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    pub fn len(&self) -> usize {
        self.df.len()
    }

    pub fn idf(&self, id: u32) -> f32 {
        let n = self.documents as f32;
        let df = self.df[id as usize] as f32;
        ((n + 1.0) / (df + 1.0)).ln() + 1.0
    }

    /// The unit TF-IDF vector of a document's term counts.
    pub fn vector(&self, counts: &[(u32, u32)]) -> Vector {
        let mut vector: Vector = counts
            .iter()
            .map(|&(id, tf)| (id, (1.0 + (tf as f32).ln()) * self.idf(id)))
            .collect();
        let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut vector {
                *w /= norm;
            }
        }
        vector
    }
}

/// The cosine of two unit vectors.
pub fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// An inverted index over a fixed set of vectors: term -> (document, weight).
pub struct Index {
    postings: Vec<Vec<(u32, f32)>>,
    documents: usize,
}

impl Index {
    pub fn new(terms: usize, vectors: &[Vector]) -> Index {
        let mut postings = vec![Vec::new(); terms];
        for (doc, vector) in vectors.iter().enumerate() {
            for &(term, weight) in vector {
                postings[term as usize].push((doc as u32, weight));
            }
        }
        Index {
            postings,
            documents: vectors.len(),
        }
    }

    /// The index without the postings of terms in more than `max` documents: too
    /// common to tell documents apart, and the longest lists to walk.
    pub fn without_terms_over(mut self, max: usize) -> Index {
        for list in &mut self.postings {
            if list.len() > max {
                *list = Vec::new();
            }
        }
        self
    }

    /// The `k` documents nearest a vector (cosine > 0), best first; ties by document.
    /// `scratch` is a buffer of the index's size kept between calls.
    pub fn nearest(
        &self,
        query: &[(u32, f32)],
        k: usize,
        scratch: &mut Scratch,
    ) -> Vec<(u32, f32)> {
        scratch.ready(self.documents);
        for &(term, weight) in query {
            if let Some(list) = self.postings.get(term as usize) {
                for &(doc, w) in list {
                    scratch.add(doc, weight * w);
                }
            }
        }
        scratch.best(k)
    }
}

/// Sums of scores per document, with the documents touched, reused across queries.
#[derive(Default)]
pub struct Scratch {
    sums: Vec<f32>,
    touched: Vec<u32>,
}

impl Scratch {
    /// Makes room for documents numbered below `size`.
    pub fn ready(&mut self, size: usize) {
        if self.sums.len() < size {
            self.sums.resize(size, 0.0);
        }
    }

    pub fn add(&mut self, doc: u32, value: f32) {
        let slot = &mut self.sums[doc as usize];
        if *slot == 0.0 {
            self.touched.push(doc);
        }
        *slot += value;
    }

    /// The `k` largest sums, best first, and the buffer cleared.
    pub fn best(&mut self, k: usize) -> Vec<(u32, f32)> {
        // A sum that came back to exactly 0 may list its document twice; the second
        // reading finds 0 and skips it.
        let mut found: Vec<(u32, f32)> = Vec::with_capacity(self.touched.len());
        for &doc in &self.touched {
            let sum = std::mem::take(&mut self.sums[doc as usize]);
            if sum > 0.0 {
                found.push((doc, sum));
            }
        }
        self.touched.clear();
        let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if found.len() > k {
            found.select_nth_unstable_by(k, by_score);
            found.truncate(k);
        }
        found.sort_unstable_by(by_score);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(vocabulary: &mut Vocabulary, words: &[&str]) -> Vec<(u32, u32)> {
        let terms: Vec<(String, String)> = words
            .iter()
            .map(|w| (w.to_string(), w.to_string()))
            .collect();
        vocabulary.add(&terms)
    }

    #[test]
    fn the_index_finds_what_the_cosine_ranks_first() {
        let mut vocabulary = Vocabulary::default();
        let texts = [
            vec!["dam", "breach", "flood"],
            vec!["port", "closed", "strike"],
            vec!["dam", "flood", "evacuation", "order"],
        ];
        let counted: Vec<_> = texts.iter().map(|t| counts(&mut vocabulary, t)).collect();
        let vectors: Vec<Vector> = counted.iter().map(|c| vocabulary.vector(c)).collect();
        let index = Index::new(vocabulary.len(), &vectors);
        let mut scratch = Scratch::default();
        let found = index.nearest(&vectors[0], 3, &mut scratch);
        assert_eq!(found[0].0, 0);
        assert!((found[0].1 - 1.0).abs() < 1e-5);
        assert_eq!(found[1].0, 2);
        assert!((found[1].1 - cosine(&vectors[0], &vectors[2])).abs() < 1e-6);
        assert_eq!(found.len(), 2, "the port text shares no term");
    }
}
