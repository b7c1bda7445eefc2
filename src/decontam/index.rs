//! N-gram hashes and the table from hash to task n-gram, one table per n-gram length.
//!
//! An n-gram's hash is a polynomial over its word hashes, `sum h[k] * B^(n-1-k)` (wrapping
//! `u64`), so a document's words are hashed once and every window of every length costs two
//! multiplications from the prefix sums. A table hit is then checked against the real words
//! ([`DocWords::window_eq`]), so a hash collision can cost time but never a false match.

use super::tasks::NgramId;
use super::words::{Word, lower_eq, scan_words};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::hash_map::Entry;

/// Odd multiplier of the polynomial hash (the 64-bit golden ratio).
const BASE: u64 = 0x9E37_79B9_7F4A_7C15;

/// Hash of an n-gram from its word hashes, in order.
pub fn ngram_hash(word_hashes: impl IntoIterator<Item = u64>) -> u64 {
    word_hashes
        .into_iter()
        .fold(0, |acc: u64, h| acc.wrapping_mul(BASE).wrapping_add(h))
}

/// `B^n`, to take a window of `n` words out of prefix hashes.
pub fn base_pow(n: usize) -> u64 {
    (0..n).fold(1u64, |acc, _| acc.wrapping_mul(BASE))
}

/// A document's words and the prefix hashes of their word hashes.
pub struct DocWords<'t> {
    text: &'t str,
    /// The words, in text order.
    pub words: Vec<Word>,
    /// `prefix[k]` is [`ngram_hash`] of the first `k` words.
    prefix: Vec<u64>,
}

/// Words kept between documents: buffers grown past this by a huge document are freed, so a
/// thread does not hold on to its worst case (32 bytes a word).
const KEEP_WORDS: usize = 1 << 18;

thread_local! {
    /// Each thread's word and prefix buffers, reused from document to document: grown
    /// afresh for each one, their reallocations and copies were 9% of the scan's
    /// instructions (callgrind, shipped sample), and their new pages the kernel's to clear.
    static BUFFERS: RefCell<(Vec<Word>, Vec<u64>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

impl<'t> DocWords<'t> {
    /// Scans and hashes the words of `text`.
    pub fn new(text: &'t str) -> DocWords<'t> {
        let (mut words, mut prefix) = BUFFERS.take();
        scan_words(text, &mut words);
        prefix.clear();
        prefix.reserve(words.len() + 1);
        prefix.push(0u64);
        let mut acc = 0u64;
        for word in &words {
            acc = acc.wrapping_mul(BASE).wrapping_add(word.hash);
            prefix.push(acc);
        }
        DocWords {
            text,
            words,
            prefix,
        }
    }

    /// Hash of the `table.n` words from word `start`; `start + table.n <= words.len()`.
    pub fn window_hash(&self, start: usize, table: &LenTable) -> u64 {
        self.hash_of(start, table.n, table.pow)
    }

    /// Hash of the `n` words from word `start`, `pow` being `B^n`; `start + n <= words.len()`.
    pub fn hash_of(&self, start: usize, n: usize, pow: u64) -> u64 {
        let before = self.prefix[start].wrapping_mul(pow);
        self.prefix[start + n].wrapping_sub(before)
    }

    /// Whether the words from word `start` lower-case to `ngram` (words joined by spaces).
    pub fn window_eq(&self, start: usize, ngram: &str) -> bool {
        let mut doc_words = self.words[start..].iter();
        ngram.split(' ').all(|lower| {
            doc_words
                .next()
                .is_some_and(|w| lower_eq(&self.text[w.start..w.end], lower))
        })
    }
}

impl Drop for DocWords<'_> {
    fn drop(&mut self) {
        if self.words.capacity() <= KEEP_WORDS {
            let buffers = (
                std::mem::take(&mut self.words),
                std::mem::take(&mut self.prefix),
            );
            BUFFERS.set(buffers);
        }
    }
}

/// The task n-grams of one length, by hash.
pub struct LenTable {
    /// Words per n-gram.
    pub n: usize,
    /// `B^n`, to take a window out of the prefix hashes.
    pow: u64,
    /// One bit per value of a hash's top bits, set for the hashes in `ids`: most windows
    /// miss, and this answers them from about a byte per n-gram, where `ids` would cost a
    /// cache miss into tens of megabytes.
    bits: Vec<u64>,
    /// `64 - log2(bits in `bits`)`: a hash's bit is `hash >> shift`.
    shift: u32,
    ids: FxHashMap<u64, NgramId>,
    /// N-grams whose hash was already taken by another n-gram of this length.
    collided: Vec<(u64, NgramId)>,
}

impl LenTable {
    /// The n-gram with this hash for which `is_it` holds, if any.
    pub fn lookup(&self, hash: u64, mut is_it: impl FnMut(NgramId) -> bool) -> Option<NgramId> {
        let bit = hash >> self.shift;
        if self.bits[(bit >> 6) as usize] & (1 << (bit & 63)) == 0 {
            return None;
        }
        let first = self.ids.get(&hash).copied()?;
        if is_it(first) {
            return Some(first);
        }
        let mut others = self.collided.iter().filter(|&&(h, _)| h == hash);
        others.find(|&&(_, id)| is_it(id)).map(|&(_, id)| id)
    }
}

/// Size of a new table's bit filter, in `u64`s (a power of two).
const MIN_BIT_WORDS: usize = 1 << 10;

/// Filter bits per n-gram, at least: about 1 in 8 windows that miss go on to `ids`.
const BITS_PER_NGRAM: usize = 8;

fn set_bit(bits: &mut [u64], shift: u32, hash: u64) {
    let bit = hash >> shift;
    bits[(bit >> 6) as usize] |= 1 << (bit & 63);
}

/// Tables of task n-grams, ascending by length.
#[derive(Default)]
pub struct NgramIndex {
    tables: Vec<LenTable>,
}

impl NgramIndex {
    /// Adds n-gram `id` of `n` words; the caller has checked it is not there yet.
    pub fn insert(&mut self, n: usize, hash: u64, id: NgramId) {
        let at = match self.tables.binary_search_by_key(&n, |t| t.n) {
            Ok(at) => at,
            Err(at) => {
                let table = LenTable {
                    n,
                    pow: base_pow(n),
                    bits: vec![0; MIN_BIT_WORDS],
                    shift: 64 - (MIN_BIT_WORDS * 64).trailing_zeros(),
                    ids: FxHashMap::default(),
                    collided: Vec::new(),
                };
                self.tables.insert(at, table);
                at
            }
        };
        let table = &mut self.tables[at];
        match table.ids.entry(hash) {
            Entry::Occupied(_) => table.collided.push((hash, id)),
            Entry::Vacant(slot) => {
                slot.insert(id);
            }
        }
        if table.ids.len() * BITS_PER_NGRAM > table.bits.len() * 64 {
            table.bits = vec![0; table.bits.len() * 2];
            table.shift -= 1;
            let hashes = table.ids.keys().copied();
            hashes.for_each(|h| set_bit(&mut table.bits, table.shift, h));
        }
        set_bit(&mut table.bits, table.shift, hash);
    }

    /// The table of `n`-grams, if there is one.
    pub fn table(&self, n: usize) -> Option<&LenTable> {
        self.tables.iter().find(|t| t.n == n)
    }

    /// All tables, ascending by length.
    pub fn tables(&self) -> &[LenTable] {
        &self.tables
    }

    /// A new index of the n-grams `keep` accepts, from the hashes already held (no n-gram
    /// is split and hashed again), inserted in id order as they were built.
    pub fn retained(&self, keep: impl Fn(NgramId) -> bool) -> NgramIndex {
        let mut entries: Vec<(NgramId, usize, u64)> = self
            .tables
            .iter()
            .flat_map(|t| {
                let firsts = t.ids.iter().map(|(&hash, &id)| (hash, id));
                firsts
                    .chain(t.collided.iter().copied())
                    .map(move |(hash, id)| (id, t.n, hash))
            })
            .filter(|&(id, _, _)| keep(id))
            .collect();
        entries.sort_unstable_by_key(|&(id, _, _)| id.0);
        let mut index = NgramIndex::default();
        for (id, n, hash) in entries {
            index.insert(n, hash, id);
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Indexes `ngrams` (lower-case, space-joined) and returns the windows of `text` that
    /// match one, as `(first word, n-gram index)`.
    fn check(ngrams: &[&str], text: &str, expected: &[(usize, u32)]) {
        let mut index = NgramIndex::default();
        let mut scratch = Vec::new();
        for (id, ngram) in ngrams.iter().enumerate() {
            let words = ngram.split(' ');
            let hash = ngram_hash(words.map(|w| super::super::words::lower_hash(w, &mut scratch)));
            index.insert(ngram.split(' ').count(), hash, NgramId(id as u32));
        }
        let doc = DocWords::new(text);
        let mut got = Vec::new();
        for table in index.tables() {
            for start in 0..(doc.words.len() + 1).saturating_sub(table.n) {
                let hash = doc.window_hash(start, table);
                let is_it = |id: NgramId| doc.window_eq(start, ngrams[id.0 as usize]);
                if let Some(id) = table.lookup(hash, is_it) {
                    got.push((start, id.0));
                }
            }
        }
        got.sort();
        assert_eq!(got, expected, "{text:?}");
    }

    #[test]
    fn windows_match_by_hash_and_words() {
        type Hits = &'static [(usize, u32)];
        let cases: [(&[&str], &str, Hits); 5] = [
            (
                &["a b", "b c d"],
                "A b, c d. a B",
                &[(0, 0), (1, 1), (4, 0)],
            ),
            (&["a b"], "a", &[]),
            (&["emily is always"], "Emily is ALWAYS under", &[(0, 0)]),
            (&["emily is always"], "Emily is alway s", &[]),
            (&["x y", "y x"], "x y x", &[(0, 0), (1, 1)]),
        ];
        for (ngrams, text, expected) in cases {
            check(ngrams, text, expected);
        }
    }

    #[test]
    fn collided_hashes_are_told_apart_by_words() {
        let mut index = NgramIndex::default();
        index.insert(2, 7, NgramId(0));
        index.insert(2, 7, NgramId(1));
        let table = index.table(2).expect("table of 2-grams");
        assert_eq!(table.lookup(7, |id| id == NgramId(1)), Some(NgramId(1)));
        assert_eq!(table.lookup(7, |_| false), None);
        assert_eq!(table.lookup(8, |_| true), None);
    }
}
