//! Exact and MinHash-LSH fuzzy deduplication across all sources, with deterministic survivors.
//!
//! Steps, each a file:
//! - [`letters`]: the default normalization (words are runs of letters, marks and digits,
//!   lower-cased: punctuation, quote style, case and spacing do not count) and
//!   [`exact_key`], xxh3-128 of the normalized text; [`mod@normalize`]: the `basic` rule
//!   (lower-case, collapse whitespace; the `mtnlg` and `pile` presets' and old configs');
//! - [`minhash`]: [`MinHasher`] turns a text into `bands` LSH band keys (word n-gram
//!   shingles, seeded permutations, one xxh3 key per band);
//! - [`shingles`]: what a shingle's tokens are (words or characters, `letters`, `basic` or
//!   datatrove-like normalization) and exact Jaccard; [`presets`]: the peers' settings;
//! - [`runs`]: [`runs::KeySpiller`] spills `(key, rank)` records into sorted, checksummed
//!   runs on disk (through [`crate::io::SpillDir`]) and merges them back;
//! - [`engine`]: [`engine::resolve_runs`] turns the runs into exact groups, candidate pairs,
//!   optionally [`verify`]-ed by exact Jaccard, and clusters, in bounded memory;
//! - [`clusters`]: [`DedupIndex`], the in-memory reference the engine is tested against.
//!   In both, the survivor is the lowest `(priority, doc_id)`.
//!
//! Files are only opened through `crate::io`; the outcome is a function of the texts, the
//! candidates and [`MinHashParams`] alone, whatever the push order or number of runs.

pub mod candidates;
mod components;
pub mod clusters;
pub mod engine;
pub mod letters;
mod merge;
pub mod minhash;
pub mod normalize;
pub mod presets;
pub mod runs;
pub mod shingles;
mod union_find;
pub mod verify;

pub use clusters::{DedupIndex, DedupOutcome};
pub use letters::{exact_key, normalize};
pub use minhash::MinHasher;
pub use normalize::{exact_key_basic, normalize_basic};
pub use presets::{ParamOverrides, Preset};
pub use shingles::{Shingle, TextNorm, jaccard};

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
    /// Shingle tokens: words or characters.
    pub shingle: Shingle,
    /// Normalization before tokens are taken.
    pub norm: TextNorm,
}

impl Default for MinHashParams {
    /// datatrove's and FineWeb's shape (word 5-grams, 14 bands of 8 rows, threshold ~0.72)
    /// over the default `letters` normalization.
    fn default() -> MinHashParams {
        MinHashParams {
            ngram: 5,
            bands: 14,
            rows: 8,
            seed: 1,
            shingle: Shingle::Words,
            norm: TextNorm::Letters,
        }
    }
}

impl MinHashParams {
    /// Refuses parameters that cannot work: zero words per shingle, bands or rows.
    pub fn validate(&self) -> anyhow::Result<()> {
        for (name, value) in [
            ("ngram", self.ngram),
            ("bands", self.bands),
            ("rows", self.rows),
        ] {
            anyhow::ensure!(
                value >= 1,
                "dedup: minhash {name} must be at least 1, not {value}"
            );
        }
        Ok(())
    }

    /// Probability that two documents of Jaccard similarity `jaccard` (over shingle sets)
    /// share at least one band key: `1 - (1 - j^rows)^bands`.
    pub fn collision_probability(&self, jaccard: f64) -> f64 {
        1.0 - (1.0 - jaccard.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The similarity where the S-curve is steepest, `(1/bands)^(1/rows)`.
    pub fn threshold(&self) -> f64 {
        (1.0 / self.bands as f64).powf(1.0 / self.rows as f64)
    }
}

/// A document taking part in deduplication.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
    /// Global document id.
    pub doc_id: u64,
    /// Source priority: lower wins a cluster.
    pub priority: u16,
    /// Exact key from [`MinHasher::exact_key`] ([`exact_key`] under the default).
    pub exact: u128,
}

/// What deduplication decided for one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Kept.
    Survivor,
    /// Same normalized text (the exact key's normalization) as document `of`, the survivor of its exact group. That
    /// document may itself be a [`Fate::FuzzyDuplicate`]: follow `of` to find the keeper.
    ExactDuplicate {
        /// Surviving document id of the exact group.
        of: u64,
    },
    /// In the LSH cluster whose survivor is `of`.
    FuzzyDuplicate {
        /// Surviving document id (also the cluster id).
        of: u64,
    },
}

#[cfg(test)]
mod spill_tests;
#[cfg(test)]
mod tests;
