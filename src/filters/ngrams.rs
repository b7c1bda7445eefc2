//! Word n-grams of one document for the repetition kinds, identified by 64-bit hashes so no
//! n-gram string is ever built, with two exact shortcuts that skip most hash-table work.
//!
//! Two identities are needed, as in datatrove: the top n-gram kinds join words with a space
//! (equal n-grams are equal word sequences, since words hold no space), the duplicate n-gram
//! kinds join them with `""` (so `ab c` equals `a bc`).
//!
//! - Top n-grams: an n-gram can repeat only where its first n-1 words repeat, so once the
//!   (n-1)-grams are counted, the n-gram count visits only those positions; every other
//!   n-gram occurs once.
//! - Duplicate n-grams: two equal joined n-grams of at least [`PREFIX_BYTES`] bytes start
//!   with the same [`PREFIX_BYTES`] bytes of the joined text, so a position whose first
//!   [`PREFIX_BYTES`] joined bytes occur nowhere else can neither repeat nor be repeated,
//!   and the greedy scan passes it without a lookup.

use super::ngram_table::NgramTable;
use std::cell::{OnceCell, RefCell};
use xxhash_rust::xxh3::xxh3_64;

/// Bytes of joined text that locate the positions a long duplicate n-gram may start at.
pub const PREFIX_BYTES: usize = 16;

thread_local! {
    // Scratch tables reused across documents on one worker thread: allocating a table per n
    // per document dominated the cost. Reset before each use, so results do not depend on
    // what ran before.
    static COUNTS: RefCell<NgramTable<(u32, u32)>> = RefCell::default();
    static SEEN: RefCell<NgramTable<()>> = RefCell::default();
}

/// A set of word positions.
#[derive(Debug, Clone)]
struct Positions(Vec<u64>);

impl Positions {
    fn new(n: usize) -> Self {
        Positions(vec![0; n.div_ceil(64)])
    }

    fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    #[cfg(test)]
    fn contains(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }

    fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The first position at or after `i`.
    fn next_from(&self, i: usize) -> Option<usize> {
        let mut block = i / 64;
        let mut bits = *self.0.get(block)? & (!0u64 << (i % 64));
        while bits == 0 {
            block += 1;
            bits = *self.0.get(block)?;
        }
        Some(block * 64 + bits.trailing_zeros() as usize)
    }

    /// The positions in increasing order.
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(block, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let bit = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(block * 64 + bit)
            })
        })
    }
}

/// Per-document n-gram index over the words.
#[derive(Debug, Default)]
pub struct Ngrams {
    /// xxh3 of each word.
    word_hash: Vec<u64>,
    /// Characters of words `0..i`, for `i` in `0..=n_words`.
    chars: Vec<usize>,
    /// Bytes of words `0..i` joined, for `i` in `0..=n_words`.
    bytes: Vec<usize>,
    /// The words joined with `""`.
    joined: Vec<u8>,
    /// `(n, positions whose n-gram occurs more than once)` of the last top n-gram count.
    repeated: RefCell<Option<(usize, Positions)>>,
    /// Positions whose first [`PREFIX_BYTES`] joined bytes occur at another position too.
    shared_prefix: OnceCell<Positions>,
}

impl Ngrams {
    /// Indexes the words of one document.
    pub fn new(words: &[&str]) -> Ngrams {
        let total: usize = words.iter().map(|w| w.len()).sum();
        let mut index = Ngrams {
            word_hash: Vec::with_capacity(words.len()),
            chars: Vec::with_capacity(words.len() + 1),
            bytes: Vec::with_capacity(words.len() + 1),
            joined: Vec::with_capacity(total),
            ..Ngrams::default()
        };
        index.bytes.push(0);
        for word in words {
            index.word_hash.push(xxh3_64(word.as_bytes()));
            index.joined.extend_from_slice(word.as_bytes());
            index.bytes.push(index.joined.len());
        }
        if index.joined.is_ascii() {
            // One byte per character: the byte offsets are the character offsets.
            index.chars.clone_from(&index.bytes);
        } else {
            let mut chars = 0;
            index.chars.push(0);
            for word in words {
                chars += word.chars().count();
                index.chars.push(chars);
            }
        }
        index
    }

    fn n_words(&self) -> usize {
        self.word_hash.len()
    }

    /// Characters of the most frequent n-gram (words joined by a space) times its count; ties
    /// go to the n-gram seen first (Python's `Counter.most_common(1)`). 0 without n-grams.
    pub fn top_chars(&self, n: usize) -> usize {
        if n == 0 || self.n_words() < n {
            return 0;
        }
        let count = self.n_words() - n + 1;
        let previous = self.repeated.borrow_mut().take();
        // Positions whose (n-1)-gram repeats, when that count was the last one made.
        let candidates = previous.filter(|(m, _)| *m + 1 == n).map(|(_, set)| set);
        let mut repeated = Positions::new(count);
        let (times, first) = COUNTS.with_borrow_mut(|counts| {
            counts.reset(candidates.as_ref().map_or(count, Positions::len));
            // (count, first position) of the best n-gram so far: ties keep the earlier one.
            let mut best = (0u32, 0u32);
            let mut visit = |start: usize| {
                let key = self.word_hash[start..start + n]
                    .iter()
                    .fold(0u64, |acc, &h| {
                        (acc.rotate_left(23) ^ h).wrapping_mul(0x9e37_79b9_7f4a_7c15)
                    });
                let (entry, _) = counts.entry(key, (0, start as u32));
                entry.0 += 1;
                if entry.0 == 2 {
                    repeated.insert(entry.1 as usize);
                }
                if entry.0 >= 2 {
                    repeated.insert(start);
                }
                if entry.0 > best.0 || (entry.0 == best.0 && entry.1 < best.1) {
                    best = *entry;
                }
            };
            match &candidates {
                // The (n-1)-gram of the last position may be the final one, with no n-gram.
                Some(set) => set.iter().filter(|&s| s < count).for_each(&mut visit),
                None => (0..count).for_each(&mut visit),
            }
            if best.0 < 2 {
                // Every n-gram occurs once: the first one is the most common.
                best = (1, 0);
            }
            best
        });
        *self.repeated.borrow_mut() = Some((n, repeated));
        let first = first as usize;
        let ngram_chars = self.chars[first + n] - self.chars[first] + (n - 1);
        ngram_chars * times as usize
    }

    /// Positions whose first [`PREFIX_BYTES`] joined bytes start at another position too (or
    /// run past the end of the text).
    fn shared_prefix(&self) -> &Positions {
        self.shared_prefix.get_or_init(|| {
            let n = self.n_words();
            let mut shared = Positions::new(n);
            COUNTS.with_borrow_mut(|firsts| {
                firsts.reset(n);
                for i in 0..n {
                    let start = self.bytes[i];
                    let Some(prefix) = self.joined.get(start..start + PREFIX_BYTES) else {
                        shared.insert(i);
                        continue;
                    };
                    // A cheap fold is enough: two prefixes that fold alike only cost a
                    // lookup later, never a wrong answer.
                    let bits = u128::from_le_bytes(prefix.try_into().expect("16 bytes"));
                    let key = ((bits as u64) ^ ((bits >> 64) as u64).rotate_left(29))
                        .wrapping_mul(0xff51_afd7_ed55_8ccd);
                    let (first, new) = firsts.entry(key, (i as u32, 0));
                    if !new {
                        shared.insert(first.0 as usize);
                        shared.insert(i);
                    }
                }
            });
            shared
        })
    }

    /// Positions where a joined n-gram may occur twice, and their number: those with a
    /// shared [`PREFIX_BYTES`]-byte start, and those whose n-gram is shorter than that.
    fn may_repeat(&self, n: usize) -> (Positions, usize) {
        let mut set = self.shared_prefix().clone();
        let starts = self.n_words() - n + 1;
        for (block, bits) in set.0.iter_mut().enumerate() {
            let first = block * 64;
            let mut short = 0u64;
            for i in first..(first + 64).min(starts) {
                let is_short = self.bytes[i + n] - self.bytes[i] < PREFIX_BYTES;
                short |= u64::from(is_short) << (i - first);
            }
            *bits |= short;
        }
        let len = set.len();
        (set, len)
    }

    /// datatrove's `find_all_duplicate`: scan the n-grams (words joined by `""`) left to
    /// right; on one seen before, add its characters and jump `n` words ahead, else record it
    /// and move one word. Positions whose n-gram cannot occur twice are passed over without
    /// recording them: no other n-gram could ever match them.
    pub fn duplicate_chars(&self, n: usize) -> usize {
        if n == 0 || self.n_words() < n {
            return 0;
        }
        let (candidates, lookups) = self.may_repeat(n);
        SEEN.with_borrow_mut(|seen| {
            seen.reset(lookups);
            let (mut repeated, mut i) = (0, 0);
            while let Some(at) = candidates.next_from(i) {
                if at + n > self.n_words() {
                    break;
                }
                let ngram = &self.joined[self.bytes[at]..self.bytes[at + n]];
                if seen.entry(xxh3_64(ngram), ()).1 {
                    i = at + 1;
                } else {
                    repeated += self.chars[at + n] - self.chars[at];
                    i = at + n;
                }
            }
            repeated
        })
    }
}

#[cfg(test)]
mod tests;
