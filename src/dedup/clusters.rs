//! The in-memory dedup index: exact groups, then LSH clusters by union-find, with survivors
//! chosen by (source priority, doc id) so the outcome does not depend on push order.

use super::union_find::UnionFind;
use super::{Candidate, Fate};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Collects candidates and band keys in memory, then resolves clusters. Stored as columns:
/// a document costs `8 + 2 + 16 + 8 * bands` bytes (138 at 14 bands).
#[derive(Clone, Debug, Default)]
pub struct DedupIndex {
    bands: usize,
    doc_ids: Vec<u64>,
    priorities: Vec<u16>,
    exact_keys: Vec<u128>,
    /// `bands` keys per document, document after document.
    band_keys: Vec<u64>,
}

/// The result of [`DedupIndex::resolve`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DedupOutcome {
    /// Fate of every candidate, in the order pushed.
    pub fates: Vec<Fate>,
    /// Fuzzy (LSH) cluster size, survivor included, to number of clusters, for clusters of
    /// size >= 2. Counts exact survivors only: exact duplicates are in `exact_group_sizes`.
    pub cluster_sizes: BTreeMap<u64, u64>,
    /// Exact group size, survivor included, to number of groups, for groups of size >= 2.
    pub exact_group_sizes: BTreeMap<u64, u64>,
    /// Band collisions united: a run of `k` equal keys in one band counts `k - 1`.
    pub band_collisions: u64,
}

impl DedupIndex {
    /// An empty index for `bands` band keys per document.
    pub fn new(bands: usize) -> DedupIndex {
        DedupIndex {
            bands,
            ..DedupIndex::default()
        }
    }

    /// Adds a document. Doc ids are expected to be unique; if two are not, push order
    /// breaks the tie between them.
    ///
    /// # Panics
    /// If `band_keys.len()` is not the `bands` given to [`DedupIndex::new`] (a caller bug).
    pub fn push(&mut self, candidate: Candidate, band_keys: &[u64]) {
        assert_eq!(
            band_keys.len(),
            self.bands,
            "DedupIndex::push: wrong number of band keys"
        );
        self.doc_ids.push(candidate.doc_id);
        self.priorities.push(candidate.priority);
        self.exact_keys.push(candidate.exact);
        self.band_keys.extend_from_slice(band_keys);
    }

    /// Documents pushed so far.
    pub fn len(&self) -> usize {
        self.doc_ids.len()
    }

    /// Whether no document was pushed.
    pub fn is_empty(&self) -> bool {
        self.doc_ids.is_empty()
    }

    /// Bytes of memory held per document (excluding spare capacity). [`DedupIndex::resolve`]
    /// needs about 60 more per document (the fates included), plus 16 per document for
    /// each band being sorted at the same time (one per rayon thread).
    pub fn bytes_per_doc(&self) -> usize {
        size_of::<u64>() + size_of::<u16>() + size_of::<u128>() + self.bands * size_of::<u64>()
    }

    /// Exact groups first, then LSH clusters among exact survivors; survivors chosen by
    /// (priority, doc id). Either step can be turned off.
    pub fn resolve(self, exact: bool, fuzzy: bool) -> DedupOutcome {
        let n = self.len();
        let rank = |i: usize| (self.priorities[i], self.doc_ids[i], i);
        let mut outcome = DedupOutcome {
            fates: vec![Fate::Survivor; n],
            ..Default::default()
        };

        if exact {
            let mut order: Vec<usize> = (0..n).collect();
            order.par_sort_unstable_by_key(|&i| (self.exact_keys[i], rank(i)));
            for group in order.chunk_by(|&a, &b| self.exact_keys[a] == self.exact_keys[b]) {
                let survivor = self.doc_ids[group[0]];
                for &i in &group[1..] {
                    outcome.fates[i] = Fate::ExactDuplicate { of: survivor };
                }
                if group.len() >= 2 {
                    *outcome
                        .exact_group_sizes
                        .entry(group.len() as u64)
                        .or_default() += 1;
                }
            }
        }
        if !fuzzy || self.bands == 0 {
            return outcome;
        }

        let survivors: Vec<usize> = (0..n)
            .filter(|&i| outcome.fates[i] == Fate::Survivor)
            .collect();
        // Edges are found per band in parallel and united in band order; the components,
        // and so the fates, do not depend on which edges a run of equal keys produced.
        let edges: Vec<Vec<(usize, usize)>> = (0..self.bands)
            .into_par_iter()
            .map(|band| {
                let mut keyed: Vec<(u64, usize)> = survivors
                    .iter()
                    .map(|&i| (self.band_keys[i * self.bands + band], i))
                    .collect();
                keyed.sort_unstable();
                keyed
                    .windows(2)
                    .filter(|w| w[0].0 == w[1].0)
                    .map(|w| (w[0].1, w[1].1))
                    .collect()
            })
            .collect();
        let mut sets = UnionFind::new(n);
        for &(a, b) in edges.iter().flatten() {
            sets.union(a, b);
        }
        outcome.band_collisions = edges.iter().map(|e| e.len() as u64).sum();

        // The best-ranked member of each component, keyed by the component's root.
        let mut best: Vec<Option<usize>> = vec![None; n];
        let mut sizes = vec![0u64; n];
        for &i in &survivors {
            let root = sets.find(i);
            sizes[root] += 1;
            if best[root].is_none_or(|b| rank(i) < rank(b)) {
                best[root] = Some(i);
            }
        }
        for &i in &survivors {
            if let Some(keeper) = best[sets.find(i)].filter(|&keeper| keeper != i) {
                outcome.fates[i] = Fate::FuzzyDuplicate {
                    of: self.doc_ids[keeper],
                };
            }
        }
        for &size in sizes.iter().filter(|&&s| s >= 2) {
            *outcome.cluster_sizes.entry(size).or_default() += 1;
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Fate::{ExactDuplicate as Exact, FuzzyDuplicate as Fuzzy, Survivor};

    /// `(doc_id, priority, exact key, band keys)` per document, pushed in order.
    type Doc = (u64, u16, u128, [u64; 2]);
    type Case = (
        &'static [Doc],
        (bool, bool),
        &'static [Fate],
        &'static [(u64, u64)],
    );

    fn index(docs: &[Doc]) -> DedupIndex {
        let mut index = DedupIndex::new(2);
        for &(doc_id, priority, exact, keys) in docs {
            index.push(
                Candidate {
                    doc_id,
                    priority,
                    exact,
                },
                &keys,
            );
        }
        index
    }

    /// Resolving `docs` gives `expected` fates and fuzzy `clusters` as (size, count).
    fn check(docs: &[Doc], steps: (bool, bool), expected: &[Fate], clusters: &[(u64, u64)]) {
        let outcome = index(docs).resolve(steps.0, steps.1);
        assert_eq!(outcome.fates, expected, "docs {docs:?}, steps {steps:?}");
        assert_eq!(
            outcome.cluster_sizes,
            clusters.iter().copied().collect(),
            "docs {docs:?}"
        );
    }

    #[test]
    fn resolve_table() {
        let both = (true, true);
        let cases: &[Case] = &[
            (&[], both, &[], &[]),
            // Exact group: lowest priority wins, then lowest doc id.
            (
                &[(5, 1, 7, [1, 2]), (9, 0, 7, [3, 4]), (2, 0, 7, [5, 6])],
                both,
                &[Exact { of: 2 }, Exact { of: 2 }, Survivor],
                &[],
            ),
            // A chain over two bands is one cluster of three.
            (
                &[
                    (1, 0, 1, [10, 20]),
                    (2, 0, 2, [10, 21]),
                    (3, 0, 3, [11, 21]),
                ],
                both,
                &[Survivor, Fuzzy { of: 1 }, Fuzzy { of: 1 }],
                &[(3, 1)],
            ),
            // Equal keys in different bands do not collide.
            (
                &[(1, 0, 1, [10, 20]), (2, 0, 2, [20, 10])],
                both,
                &[Survivor, Survivor],
                &[],
            ),
            // An exact duplicate points at its group's survivor, which may be a fuzzy dup;
            // only exact survivors count in fuzzy clusters.
            (
                &[
                    (1, 3, 1, [10, 20]),
                    (2, 3, 1, [10, 20]),
                    (3, 0, 2, [10, 99]),
                ],
                both,
                &[Fuzzy { of: 3 }, Exact { of: 1 }, Survivor],
                &[(2, 1)],
            ),
            // Exact off: identical texts still meet through their band keys.
            (
                &[(4, 0, 1, [10, 20]), (3, 0, 1, [10, 20])],
                (false, true),
                &[Fuzzy { of: 3 }, Survivor],
                &[(2, 1)],
            ),
            // Fuzzy off: band collisions are ignored.
            (
                &[(1, 0, 1, [10, 20]), (2, 0, 2, [10, 20]), (3, 0, 1, [0, 0])],
                (true, false),
                &[Survivor, Survivor, Exact { of: 1 }],
                &[],
            ),
            // Two separate clusters.
            (
                &[
                    (1, 0, 1, [1, 0]),
                    (2, 0, 2, [1, 5]),
                    (3, 0, 3, [2, 6]),
                    (4, 0, 4, [8, 6]),
                ],
                both,
                &[Survivor, Fuzzy { of: 1 }, Survivor, Fuzzy { of: 3 }],
                &[(2, 2)],
            ),
        ];
        for &(docs, steps, expected, clusters) in cases {
            check(docs, steps, expected, clusters);
        }
        assert_eq!(DedupIndex::new(14).bytes_per_doc(), 8 + 2 + 16 + 14 * 8);
    }
}
