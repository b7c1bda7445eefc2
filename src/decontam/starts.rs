//! A bit filter over how task n-grams start: the hash of the first `min_ngram` words of
//! each one. Every task n-gram has at least `min_ngram` words, so a document window whose
//! first `min_ngram` words miss the filter starts no task n-gram of any length, and pass 1
//! looks it up in none of the per-length tables (up to `max_ngram - min_ngram + 1` of them,
//! six by default). A filter hit only sends the window on to the tables: no match is lost.

use super::index::base_pow;

/// Filter bits per distinct start, at least: about 1 window in 16 that starts no n-gram
/// passes the filter.
const BITS_PER_START: usize = 16;

/// Size of a new filter, in `u64`s (a power of two).
const MIN_WORDS: usize = 1 << 10;

/// The starts of all task n-grams, as a bit filter of their hashes.
pub struct StartFilter {
    /// Words in a start (`min_ngram`).
    n: usize,
    /// `B^n`, to take a window out of the prefix hashes.
    pow: u64,
    bits: Vec<u64>,
    /// `64 - log2(bits in `bits`)`: a hash's bit is `hash >> shift`.
    shift: u32,
    /// Every start inserted, to re-spread them when the filter grows.
    hashes: Vec<u64>,
}

impl StartFilter {
    /// An empty filter of starts of `n` words.
    pub fn new(n: usize) -> StartFilter {
        StartFilter {
            n,
            pow: base_pow(n),
            bits: vec![0; MIN_WORDS],
            shift: 64 - (MIN_WORDS * 64).trailing_zeros(),
            hashes: Vec::new(),
        }
    }

    /// Words in a start.
    pub fn n(&self) -> usize {
        self.n
    }

    /// `B^n` of [`StartFilter::n`].
    pub fn pow(&self) -> u64 {
        self.pow
    }

    /// Adds the hash of an n-gram's first [`StartFilter::n`] words.
    pub fn insert(&mut self, hash: u64) {
        self.hashes.push(hash);
        if self.hashes.len() * BITS_PER_START > self.bits.len() * 64 {
            self.bits = vec![0; self.bits.len() * 2];
            self.shift -= 1;
            for &h in &self.hashes {
                set_bit(&mut self.bits, self.shift, h);
            }
        }
        set_bit(&mut self.bits, self.shift, hash);
    }

    /// Whether a window whose first [`StartFilter::n`] words hash to `hash` may start a
    /// task n-gram (false: it surely does not).
    #[inline]
    pub fn may_start(&self, hash: u64) -> bool {
        let bit = hash >> self.shift;
        self.bits[(bit >> 6) as usize] & (1 << (bit & 63)) != 0
    }
}

fn set_bit(bits: &mut [u64], shift: u32, hash: u64) {
    let bit = hash >> shift;
    bits[(bit >> 6) as usize] |= 1 << (bit & 63);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserted_starts_always_pass_and_most_others_do_not() {
        let mut filter = StartFilter::new(8);
        let spread = |i: u64| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i << 7);
        // Enough starts to grow the filter several times.
        let starts: Vec<u64> = (0..20_000).map(spread).collect();
        for &h in &starts {
            filter.insert(h);
        }
        assert!(starts.iter().all(|&h| filter.may_start(h)));
        let others = (1_000_000..1_100_000).map(spread);
        let passed = others.filter(|&h| filter.may_start(h)).count();
        assert!(
            passed < 100_000 / 8,
            "{passed} of 100000 unrelated windows pass"
        );
    }
}
