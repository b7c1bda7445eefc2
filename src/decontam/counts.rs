//! Pass-1 document frequencies of task n-grams: for each n-gram, the number of training
//! documents containing it. Each batch counts its own documents; counts merge by addition,
//! so the total is the same whatever the batching, order or thread count.

use super::tasks::NgramId;
use std::collections::BTreeMap;

/// Documents containing each task n-gram, for the n-grams seen at least once. Sparse: most
/// documents match nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NgramCounts {
    docs: BTreeMap<NgramId, u32>,
    n_docs: u64,
}

impl NgramCounts {
    /// Counts one document whose matched n-grams are `ids` (from
    /// [`super::TaskNgrams::matches`]); an id listed twice still counts once.
    pub fn add_doc(&mut self, ids: &[NgramId]) {
        self.n_docs += 1;
        let ascending = ids.windows(2).all(|pair| pair[0] < pair[1]);
        if ascending {
            for &id in ids {
                *self.docs.entry(id).or_insert(0) += 1;
            }
        } else {
            let mut distinct = ids.to_vec();
            distinct.sort_unstable();
            distinct.dedup();
            for id in distinct {
                *self.docs.entry(id).or_insert(0) += 1;
            }
        }
    }

    /// Adds the documents counted in `other`.
    pub fn merge(&mut self, other: NgramCounts) {
        self.n_docs += other.n_docs;
        for (id, n) in other.docs {
            let count = self.docs.entry(id).or_insert(0);
            *count = count.saturating_add(n);
        }
    }

    /// Documents containing n-gram `id`.
    pub fn get(&self, id: NgramId) -> u32 {
        self.docs.get(&id).copied().unwrap_or(0)
    }

    /// Documents counted, matched or not.
    pub fn n_docs(&self) -> u64 {
        self.n_docs
    }

    /// The n-grams found at least once, ascending, with their document counts.
    pub fn iter(&self) -> impl Iterator<Item = (NgramId, u32)> + '_ {
        self.docs.iter().map(|(&id, &n)| (id, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts `batches` of documents (each a list of matched ids) batch by batch, merges
    /// the batches, and compares with `expected` `(id, documents)` pairs.
    fn check(batches: &[&[&[u32]]], expected: &[(u32, u32)]) {
        let count = |batch: &[&[u32]]| {
            let mut counts = NgramCounts::default();
            for doc in batch {
                let ids: Vec<NgramId> = doc.iter().map(|&i| NgramId(i)).collect();
                counts.add_doc(&ids);
            }
            counts
        };
        let mut forward = NgramCounts::default();
        for batch in batches {
            forward.merge(count(batch));
        }
        let mut backward = NgramCounts::default();
        for batch in batches.iter().rev() {
            backward.merge(count(batch));
        }
        assert_eq!(forward, backward, "merge order changed the counts");
        let got: Vec<(u32, u32)> = forward.iter().map(|(id, n)| (id.0, n)).collect();
        assert_eq!(got, expected, "{batches:?}");
        let n_docs: usize = batches.iter().map(|b| b.len()).sum();
        assert_eq!(forward.n_docs(), n_docs as u64);
    }

    #[test]
    fn counts_documents_not_occurrences() {
        type Batches = &'static [&'static [&'static [u32]]];
        let cases: [(Batches, &[(u32, u32)]); 4] = [
            (&[], &[]),
            (&[&[&[], &[]]], &[]),
            (&[&[&[1, 5], &[5]], &[&[5, 7]]], &[(1, 1), (5, 3), (7, 1)]),
            // Out of order or repeated within a document: still one per document.
            (&[&[&[5, 1, 5, 5]], &[&[1]]], &[(1, 2), (5, 1)]),
        ];
        for (batches, expected) in cases {
            check(batches, expected);
        }
        assert_eq!(NgramCounts::default().get(NgramId(3)), 0);
    }
}
