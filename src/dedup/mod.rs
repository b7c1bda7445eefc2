//! Exact and MinHash-LSH fuzzy deduplication across all sources, with deterministic survivors.

/// MinHash LSH parameters.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MinHashParams {
    /// Words per shingle.
    pub ngram: usize,
    /// LSH bands.
    pub bands: usize,
    /// Hashes (rows) per band.
    pub rows: usize,
    /// Seed of the permutations.
    pub seed: u64,
}

/// The 128-bit key of a document's normalized text for exact deduplication.
pub fn exact_key(text: &str) -> u128 {
    let _ = text;
    unimplemented!("dedup helper")
}

/// Computes LSH band keys of documents.
pub struct MinHasher {
    _private: (),
}

impl MinHasher {
    /// Builds the seeded permutations.
    pub fn new(params: &MinHashParams) -> MinHasher {
        let _ = params;
        unimplemented!("dedup helper")
    }

    /// Writes `bands` band keys for `text` into `out` (`out.len() == bands`).
    pub fn band_keys(&self, text: &str, out: &mut [u64]) {
        let _ = (text, out);
        unimplemented!("dedup helper")
    }
}

/// A document taking part in deduplication.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
    /// Global document id.
    pub doc_id: u64,
    /// Source priority: lower wins a cluster.
    pub priority: u16,
    /// Exact key from [`exact_key`].
    pub exact: u128,
}

/// What deduplication decided for one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Kept.
    Survivor,
    /// Same normalized text as document `of`, which survives.
    ExactDuplicate {
        /// Surviving document id.
        of: u64,
    },
    /// In the LSH cluster whose survivor is `of`.
    FuzzyDuplicate {
        /// Surviving document id (also the cluster id).
        of: u64,
    },
}

/// Collects candidates and band keys in memory, then resolves clusters.
pub struct DedupIndex {
    _private: (),
}

/// The result of [`DedupIndex::resolve`].
pub struct DedupOutcome {
    /// Fate of every candidate, in the order pushed.
    pub fates: Vec<Fate>,
    /// Cluster size (survivor included) to number of clusters, for clusters of size >= 2.
    pub cluster_sizes: std::collections::BTreeMap<u64, u64>,
}

impl DedupIndex {
    /// An empty index for `bands` band keys per document.
    pub fn new(bands: usize) -> DedupIndex {
        let _ = bands;
        unimplemented!("dedup helper")
    }

    /// Adds a document (`band_keys.len() == bands`).
    pub fn push(&mut self, candidate: Candidate, band_keys: &[u64]) {
        let _ = (candidate, band_keys);
        unimplemented!("dedup helper")
    }

    /// Bytes of memory held per document.
    pub fn bytes_per_doc(&self) -> usize {
        unimplemented!("dedup helper")
    }

    /// Exact groups first, then LSH clusters among exact survivors; survivors chosen by
    /// (priority, doc id). Either step can be turned off.
    pub fn resolve(self, exact: bool, fuzzy: bool) -> DedupOutcome {
        let _ = (exact, fuzzy);
        unimplemented!("dedup helper")
    }
}
