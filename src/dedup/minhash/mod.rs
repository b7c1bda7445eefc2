//! MinHash signatures over word or character n-gram shingles, folded into LSH band keys.
//!
//! Scheme, per document:
//! 1. tokens (words or characters, see [`super::shingles`]) are hashed once each;
//! 2. a *shingle* is `ngram` consecutive tokens; its hash combines the token hashes as
//!    `mix64(len_tag(k) + Σ word_hash[j] · position_mul[j])` (odd seeded multipliers, so order
//!    matters), which needs no `String` per shingle. A document with `k < ngram` words is one
//!    shingle of its `k` words, and a document with no words at all is one shingle of zero
//!    words: every empty document gets the same keys (they are identical), which match no
//!    document that has a word;
//! 3. the shingle hash's high 32 bits `x` go through `bands * rows` permutations
//!    `p_i(x) = a_i·x + b_i mod 2^32` (`a_i` odd, so each is a bijection), each image read
//!    as an `i32` so the running minimum is a signed 32-bit compare; `a_i, b_i` come from
//!    SplitMix64 seeded by [`MinHashParams::seed`]. 32-bit lanes are what vectorizes best:
//!    with baseline x86-64 (SSE2) the old one-shingle-at-a-time loop took 44 ns per shingle
//!    for 112 permutations, against 171 ns for 64-bit multiply-add and 196 ns for
//!    datatrove's `mod 2^61 - 1`. The loops live in `absorb.rs`, built for AVX-512, AVX2
//!    and the baseline and picked at run time; with minima held in registers while the
//!    shingles stream past, 112 permutations cost 6.2 ns per shingle with AVX-512, 8.8 ns
//!    with AVX2, 49 ns with SSE2 alone (272: 14.5, 20.4, 122 ns). Character n-grams repeat
//!    a lot, so most repeats are dropped first by a small direct-mapped table (a repeat
//!    that stays changes no minimum);
//! 4. band `b`'s key is xxh3-64 of its `rows` minima (little-endian `i32` bytes), seeded with the
//!    run seed mixed with `b`, so the same minima in two bands give different keys.

mod absorb;

use super::MinHashParams;
use super::letters;
use super::normalize::{ExactKey, exact_key_basic, for_each_basic_word};
use super::shingles::{Shingle, TextNorm, token_hashes, word_hash};
use absorb::{Isa, LANES, Work};
use std::cell::RefCell;
use xxhash_rust::xxh3::{xxh3_64_with_seed, xxh3_128};

/// Computes LSH band keys of documents. Cheap to share across threads (`&self` only).
#[derive(Clone, Debug)]
pub struct MinHasher {
    bands: usize,
    rows: usize,
    shingle: Shingle,
    norm: TextNorm,
    /// The instruction set the hot loops run with, detected once.
    isa: Isa,
    /// Per band: the seed of its key hash.
    band_seeds: Vec<u64>,
    /// Per position in a shingle: the odd multiplier of that word's hash.
    position_mul: Vec<u64>,
    /// Per permutation: odd multiplier `a_i`; padded to a multiple of [`LANES`].
    perm_mul: Vec<u32>,
    /// Per permutation: offset `b_i`; padded like `perm_mul`.
    perm_add: Vec<u32>,
}

/// Per-thread buffers, so that a document costs no allocation once they have grown.
#[derive(Default)]
struct Scratch {
    tokens: Vec<u64>,
    /// Lower-cased words (`basic`), or the whole normalized text (`letters`).
    lower: Vec<u8>,
    shingles: Vec<u32>,
    minima: Vec<i32>,
    band_bytes: Vec<u8>,
    seen: Vec<u32>,
}

impl Scratch {
    /// Tokens or shingles kept between documents; a buffer grown past this by a huge
    /// document is freed, so a thread does not hold on to its worst case.
    const KEEP: usize = 1 << 20;

    fn release_large(&mut self) {
        if self.tokens.capacity() > Scratch::KEEP {
            self.tokens = Vec::new();
        }
        if self.shingles.capacity() > Scratch::KEEP {
            self.shingles = Vec::new();
        }
        if self.lower.capacity() > Scratch::KEEP {
            self.lower = Vec::new();
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

impl MinHasher {
    /// Builds the seeded permutations. Never panics: `ngram` and `rows` of 0 are read as 1
    /// (call [`MinHashParams::validate`] first to refuse them instead).
    pub fn new(params: &MinHashParams) -> MinHasher {
        let ngram = params.ngram.max(1);
        let rows = params.rows.max(1);
        let n_perm = params.bands * rows;
        let mut state = params.seed;
        let mut draw = || splitmix64(&mut state);
        let band_seeds = (0..params.bands).map(|_| draw()).collect();
        let position_mul = (0..ngram).map(|_| draw() | 1).collect();
        let mut perm_mul: Vec<u32> = (0..n_perm).map(|_| (draw() >> 32) as u32 | 1).collect();
        let mut perm_add: Vec<u32> = (0..n_perm).map(|_| (draw() >> 32) as u32).collect();
        // Padding permutations (never read back) spare the kernels a scalar tail.
        let padded = n_perm.div_ceil(LANES) * LANES;
        perm_mul.resize(padded, 1);
        perm_add.resize(padded, 0);
        MinHasher {
            bands: params.bands,
            rows,
            shingle: params.shingle,
            norm: params.norm,
            isa: Isa::detect(),
            band_seeds,
            position_mul,
            perm_mul,
            perm_add,
        }
    }

    /// Writes `bands` band keys for `text` into `out`.
    ///
    /// # Panics
    /// If `out.len()` is not the number of bands (a caller bug, not a data problem).
    pub fn band_keys(&self, text: &str, out: &mut [u64]) {
        self.check_out(out);
        SCRATCH.with_borrow_mut(|scratch| {
            self.fill_minima(text, scratch);
            self.write_band_keys(scratch, out);
            scratch.release_large();
        });
    }

    /// The exact key of `text` under this hasher's normalization: [`letters::exact_key`]
    /// under `letters`; under `basic` and `datatrove` (the presets) the `basic` key, as
    /// before `letters` existed.
    pub fn exact_key(&self, text: &str) -> u128 {
        match self.norm {
            TextNorm::Letters => letters::exact_key(text),
            TextNorm::Basic | TextNorm::Datatrove => exact_key_basic(text),
        }
    }

    /// Writes the band keys of `text` into `out`, as [`MinHasher::band_keys`], and returns
    /// its [`MinHasher::exact_key`]. With word shingles under `letters` or `basic`
    /// normalization both keys come from one walk over the normalized words (the tokens of
    /// the shingles are those words).
    ///
    /// # Panics
    /// If `out.len()` is not the number of bands (a caller bug, not a data problem).
    pub fn band_and_exact_keys(&self, text: &str, out: &mut [u64]) -> u128 {
        if self.shingle != Shingle::Words || self.norm == TextNorm::Datatrove {
            self.band_keys(text, out);
            return self.exact_key(text);
        }
        self.check_out(out);
        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch { tokens, lower, .. } = &mut *scratch;
            tokens.clear();
            let exact = if self.norm == TextNorm::Letters {
                // `lower` receives the whole normalized text: the exact key is its hash.
                letters::normalize_into(text, lower, |word| tokens.push(word_hash(word)));
                xxh3_128(lower)
            } else {
                let mut exact = ExactKey::new();
                if text.is_ascii() {
                    exact.push_ascii_text(text.as_bytes(), |word| tokens.push(word_hash(word)));
                } else {
                    for_each_basic_word(text, lower, |word| {
                        exact.push_word(word);
                        tokens.push(word_hash(word));
                    });
                }
                exact.finish()
            };
            self.absorb_tokens(scratch);
            self.write_band_keys(scratch, out);
            scratch.release_large();
            exact
        })
    }

    fn check_out(&self, out: &[u64]) {
        assert_eq!(
            out.len(),
            self.bands,
            "band_keys: out must hold one key per band"
        );
    }

    /// Band `b`'s key: xxh3-64 of its `rows` minima, seeded per band.
    fn write_band_keys(&self, scratch: &mut Scratch, out: &mut [u64]) {
        let Scratch {
            minima, band_bytes, ..
        } = scratch;
        for ((key, band_minima), &seed) in out
            .iter_mut()
            .zip(minima.chunks_exact(self.rows))
            .zip(&self.band_seeds)
        {
            band_bytes.clear();
            for minimum in band_minima {
                band_bytes.extend_from_slice(&minimum.to_le_bytes());
            }
            *key = xxh3_64_with_seed(band_bytes, seed);
        }
    }

    #[cfg(test)]
    pub(crate) fn signature(&self, text: &str) -> Vec<i32> {
        SCRATCH.with_borrow_mut(|scratch| {
            self.fill_minima(text, scratch);
            scratch.minima[..self.bands * self.rows].to_vec()
        })
    }

    /// The sorted, duplicate-free set of `text`'s shingle hashes: what the signature
    /// estimates the Jaccard similarity of, and what verification compares exactly.
    pub fn shingle_set(&self, text: &str) -> Vec<u32> {
        let mut shingles = Vec::new();
        SCRATCH.with_borrow_mut(|scratch| {
            token_hashes(text, self.shingle, self.norm, &mut scratch.tokens);
            let work = Work {
                tokens: &scratch.tokens,
                position_mul: &self.position_mul,
                shingles: &mut shingles,
                minima: None,
                seen: None,
            };
            absorb::run(self.isa, work);
            scratch.release_large();
        });
        shingles.sort_unstable();
        shingles.dedup();
        shingles
    }

    /// Sets `scratch.minima` to the padded minima of `text` over every permutation. Shingles
    /// are not sorted to remove repeats (a repeat leaves every minimum as it was, and
    /// absorbing it is cheaper than sorting); character n-grams, which repeat most, go
    /// through the cheaper repeat table instead.
    fn fill_minima(&self, text: &str, scratch: &mut Scratch) {
        token_hashes(text, self.shingle, self.norm, &mut scratch.tokens);
        self.absorb_tokens(scratch);
    }

    /// The minima of the shingles of `scratch.tokens`.
    fn absorb_tokens(&self, scratch: &mut Scratch) {
        scratch.minima.clear();
        scratch.minima.resize(self.perm_mul.len(), i32::MAX);
        let work = Work {
            tokens: &scratch.tokens,
            position_mul: &self.position_mul,
            shingles: &mut scratch.shingles,
            minima: Some((&self.perm_mul, &self.perm_add, &mut scratch.minima)),
            seen: (self.shingle == Shingle::Chars).then_some(&mut scratch.seen),
        };
        absorb::run(self.isa, work);
    }
}

/// One step of SplitMix64: the seeded stream the permutations are drawn from.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    mix64(*state)
}

/// The SplitMix64 / Murmur3 finalizer: a bijection on u64 with full avalanche.
fn mix64(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod pins;
#[cfg(test)]
mod tests;
