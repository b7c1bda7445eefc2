//! Shared machinery of the repetition kinds (Gopher, FineWeb): duplicate counting over line
//! or paragraph slices, and word n-grams identified by 64-bit hashes instead of joined
//! strings, so no n-gram is ever built.
//!
//! Two n-gram identities are needed, as in datatrove: the top n-gram kinds join words with a
//! space (equal n-grams are equal word sequences, since words hold no space), the duplicate
//! n-gram kinds join them with `""` (so `ab c` equals `a bc`). The first is a fold of per-word
//! hashes; the second a polynomial hash modulo 2^61 - 1 of the concatenated word bytes, read
//! from prefix hashes at word boundaries.

use super::ngram_table::NgramTable;
use rustc_hash::FxHashSet;
use std::cell::RefCell;

/// Duplicate counts over a list of strings (datatrove's `find_duplicates`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DupStats {
    /// Strings in the list.
    pub items: usize,
    /// Occurrences of a string already seen earlier in the list.
    pub duplicates: usize,
    /// Characters of those occurrences.
    pub duplicate_chars: usize,
}

/// Counts repeats: every occurrence after the first of an equal string is a duplicate.
pub fn dup_stats<'a>(items: impl Iterator<Item = &'a str>) -> DupStats {
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let mut stats = DupStats::default();
    for item in items {
        stats.items += 1;
        if !seen.insert(item) {
            stats.duplicates += 1;
            stats.duplicate_chars += item.chars().count();
        }
    }
    stats
}

/// Splits at runs of at least `min_run` newlines, like `re.split("\n{min_run,}", text)`:
/// a leading or trailing run yields an empty first or last piece.
pub fn split_newline_runs(text: &str, min_run: usize) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if bytes[i] != b'\n' {
                i += 1;
                continue;
            }
            let run = bytes[i..].iter().take_while(|&&b| b == b'\n').count();
            if run >= min_run {
                let piece = &text[start..i];
                i += run;
                start = i;
                return Some(piece);
            }
            i += run;
        }
        if done {
            return None;
        }
        done = true;
        Some(&text[start..])
    })
}

thread_local! {
    // Scratch tables reused across documents on one worker thread: allocating and freeing a
    // table per n per document dominated the cost. Cleared before each use, so results do
    // not depend on what ran before.
    static COUNTS: RefCell<NgramTable<(u32, u32)>> = RefCell::default();
    static SEEN: RefCell<NgramTable<()>> = RefCell::default();
}

const MODULUS: u64 = (1 << 61) - 1;
const BASE: u64 = 0x1f3d_5b79_a3c1_4e27 % MODULUS;

fn mul_mod(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    let folded = (product as u64 & MODULUS) + (product >> 61) as u64;
    if folded >= MODULUS {
        folded - MODULUS
    } else {
        folded
    }
}

/// `BASE^k mod MODULUS` for the word lengths most words have.
const POWERS: [u64; 64] = {
    let mut powers = [1u64; 64];
    let mut k = 1;
    while k < 64 {
        let product = powers[k - 1] as u128 * BASE as u128;
        let folded = (product as u64 & MODULUS) + (product >> 61) as u64;
        powers[k] = if folded >= MODULUS {
            folded - MODULUS
        } else {
            folded
        };
        k += 1;
    }
    powers
};

/// `BASE^k mod MODULUS`.
fn power(k: usize) -> u64 {
    match POWERS.get(k) {
        Some(&p) => p,
        None => mul_mod(power(k - 63), POWERS[63]),
    }
}

/// The polynomial hash of `bytes` (each byte counted as `b + 1`, so leading zeros count).
fn poly_hash(bytes: &[u8]) -> u64 {
    let mut hash = 0;
    for &b in bytes {
        hash = mul_mod(hash, BASE) + u64::from(b) + 1;
        if hash >= MODULUS {
            hash -= MODULUS;
        }
    }
    hash
}

/// Per-document n-gram index over the words.
#[derive(Debug, Default)]
pub struct Ngrams {
    /// Identity of each word: its polynomial hash and length, mixed.
    word_hash: Vec<u64>,
    /// Characters of words `0..i`, for `i` in `0..=n_words`.
    chars: Vec<usize>,
    /// Polynomial hash of the bytes of words `0..i` concatenated.
    prefix: Vec<u64>,
    /// Bytes of words `0..i` concatenated.
    bytes: Vec<usize>,
}

impl Ngrams {
    /// Indexes the words of one document. Each word is hashed on its own (short chains the
    /// CPU runs side by side) and the prefix hash then takes one step per word:
    /// `prefix(w0..wi+1) = prefix(w0..wi) * BASE^len(wi) + hash(wi)`, the same value a
    /// byte-by-byte pass over the concatenation gives.
    pub fn new(words: &[&str]) -> Ngrams {
        let mut index = Ngrams {
            word_hash: Vec::with_capacity(words.len()),
            chars: Vec::with_capacity(words.len() + 1),
            prefix: Vec::with_capacity(words.len() + 1),
            bytes: Vec::with_capacity(words.len() + 1),
        };
        let (mut chars, mut hash, mut bytes) = (0, 0, 0);
        index.chars.push(0);
        index.prefix.push(0);
        index.bytes.push(0);
        for word in words {
            let own = poly_hash(word.as_bytes());
            let len = word.len();
            index
                .word_hash
                .push((own ^ ((len as u64) << 61)).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            chars += if word.is_ascii() {
                len
            } else {
                word.chars().count()
            };
            hash = mul_mod(hash, power(len)) + own;
            if hash >= MODULUS {
                hash -= MODULUS;
            }
            bytes += len;
            index.chars.push(chars);
            index.prefix.push(hash);
            index.bytes.push(bytes);
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
        let (times, first) = COUNTS.with_borrow_mut(|counts| {
            counts.reset(count);
            // (count, first position) of the best n-gram so far: ties keep the earlier one.
            let mut best = (0u32, 0u32);
            for start in 0..count {
                let key = self.word_hash[start..start + n]
                    .iter()
                    .fold(0u64, |acc, &h| {
                        (acc.rotate_left(23) ^ h).wrapping_mul(0x9e37_79b9_7f4a_7c15)
                    });
                let (entry, _) = counts.entry(key, (0, start as u32));
                entry.0 += 1;
                if entry.0 > best.0 || (entry.0 == best.0 && entry.1 < best.1) {
                    best = *entry;
                }
            }
            best
        });
        let first = first as usize;
        let ngram_chars = self.chars[first + n] - self.chars[first] + (n - 1);
        ngram_chars * times as usize
    }

    /// datatrove's `find_all_duplicate`: scan the n-grams (words joined by `""`) left to
    /// right; on one seen before, add its characters and jump `n` words ahead, else record it
    /// and move one word.
    pub fn duplicate_chars(&self, n: usize) -> usize {
        if n == 0 || self.n_words() < n {
            return 0;
        }
        let longest = (0..=self.n_words() - n)
            .map(|i| self.bytes[i + n] - self.bytes[i])
            .max()
            .unwrap_or(0);
        let mut powers = Vec::with_capacity(longest + 1);
        let mut power = 1;
        for _ in 0..=longest {
            powers.push(power);
            power = mul_mod(power, BASE);
        }
        SEEN.with_borrow_mut(|seen| {
            seen.reset(self.n_words());
            let (mut repeated, mut i) = (0, 0);
            while i + n <= self.n_words() {
                let len = self.bytes[i + n] - self.bytes[i];
                let shifted = mul_mod(self.prefix[i], powers[len]);
                let key = self.prefix[i + n] + MODULUS - shifted;
                let key = if key >= MODULUS { key - MODULUS } else { key };
                // The length goes into the key: the polynomial alone ignores leading zeros.
                let key = key ^ ((len as u64) << 61);
                if seen.entry(key, ()).1 {
                    i += 1;
                } else {
                    repeated += self.chars[i + n] - self.chars[i];
                    i += n;
                }
            }
            repeated
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected (lines split at `\n+`, paragraphs split at `\n{2,}`).
    type Pieces<'a> = (&'a [&'a str], &'a [&'a str]);

    fn check(input: &str, expected: Pieces<'_>) {
        let lines: Vec<&str> = split_newline_runs(input, 1).collect();
        let paragraphs: Vec<&str> = split_newline_runs(input, 2).collect();
        assert_eq!(
            (lines.as_slice(), paragraphs.as_slice()),
            expected,
            "{input:?}"
        );
    }

    #[test]
    fn splits_like_python_re_split() {
        let table: [(&str, Pieces<'_>); 5] = [
            ("", (&[""], &[""])),
            ("a", (&["a"], &["a"])),
            ("a\nb\n\n\nc", (&["a", "b", "c"], &["a\nb", "c"])),
            ("\na\n", (&["", "a", ""], &["\na\n"])),
            ("\n\na\n\n", (&["", "a", ""], &["", "a", ""])),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn counts_duplicates_and_ngrams() {
        let stats = dup_stats(["a", "bé", "a", "bé", "bé", "c"].into_iter());
        let expected = DupStats {
            items: 6,
            duplicates: 3,
            duplicate_chars: 1 + 2 + 2,
        };
        assert_eq!(stats, expected);
        let ngrams = Ngrams::new(&["a", "b", "a", "b", "a", "b", "c"]);
        // "a b" occurs 3 times, 3 chars each.
        assert_eq!(ngrams.top_chars(2), 9);
        // ab, ba, ab(dup: +2, skip to 4), ab(dup: +2, skip to 6): stop.
        assert_eq!(ngrams.duplicate_chars(2), 4);
        // Joined with "": "ab"+"c" equals "a"+"bc".
        assert_eq!(Ngrams::new(&["ab", "c", "a", "bc"]).duplicate_chars(2), 3);
        assert_eq!(Ngrams::new(&["ab", "c", "a", "bc"]).top_chars(2), 4);
        assert_eq!(Ngrams::new(&["a"]).duplicate_chars(2), 0);
    }
}
