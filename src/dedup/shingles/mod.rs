//! What a shingle is made of: the *tokens* of a document (its normalized words, or the
//! characters of its normalized text) under one of three normalization rules, and the exact
//! Jaccard similarity of two shingle sets, used to verify LSH candidates.
//!
//! - [`TextNorm::Letters`] (the default) is [`super::letters`]' rule: words are runs of
//!   letters, marks and numbers, lower-cased; apostrophes and format characters deleted.
//! - [`TextNorm::Basic`] is [`super::normalize`]'s rule: lowercase, whitespace collapsed.
//! - [`TextNorm::Datatrove`] approximates datatrove's `simplify_text` followed by its word
//!   tokenizer: lowercase; each run of decimal digits (with one inner `.` or `,` and more
//!   digits) becomes `0`; punctuation (ASCII punctuation and Unicode `P*`) separates words;
//!   nonspacing marks (`Mn`) are dropped; words are what whitespace and punctuation
//!   separate. Two known gaps: no NFD decomposition (a precomposed `é` stays `é` where
//!   datatrove gets `e`), and no spaCy tokenizer (after punctuation removal spaCy's
//!   `blank("en")` splits almost only on whitespace; its rare extra splits are not done).
//!
//! In [`Shingle::Chars`] mode the tokens are the characters of the normalized words joined
//! by single spaces, as MT-NLG-style character n-grams over the normalized text.

mod datatrove;

use super::letters;
use super::normalize::for_each_basic_word;
use datatrove::for_each_datatrove_word;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

/// What a shingle's tokens are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shingle {
    /// Normalized words (word n-grams).
    #[default]
    Words,
    /// Characters of the normalized text, words joined by one space (character n-grams).
    Chars,
}

/// The normalization applied before tokens are taken (see the module doc).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextNorm {
    /// Runs of letters, marks and numbers, lower-cased ([`super::letters`]).
    #[default]
    Letters,
    /// Lowercase, whitespace collapsed ([`super::normalize`]).
    Basic,
    /// datatrove's `simplify_text`, approximated.
    Datatrove,
}

/// Appends the hash of each token of `text` to `out` (cleared first).
pub(crate) fn token_hashes(text: &str, shingle: Shingle, norm: TextNorm, out: &mut Vec<u64>) {
    out.clear();
    let mut scratch = Vec::new();
    let mut first = true;
    let mut on_word = |word: &[u8]| match shingle {
        Shingle::Words => out.push(word_hash(word)),
        Shingle::Chars => {
            if !std::mem::take(&mut first) {
                out.push(ASCII_HASHES[usize::from(b' ')]);
            }
            if word.is_ascii() {
                out.extend(word.iter().map(|&b| ASCII_HASHES[usize::from(b)]));
            } else {
                // Words come from `&str` slices or lowercased chars: always UTF-8.
                let word = std::str::from_utf8(word).unwrap_or_default();
                out.extend(word.chars().map(|c| char_hash(c as u64)));
            }
        }
    };
    match norm {
        TextNorm::Letters => letters::for_each_word(text, &mut scratch, on_word),
        TextNorm::Basic => for_each_basic_word(text, &mut scratch, on_word),
        TextNorm::Datatrove => for_each_datatrove_word(text, &mut scratch, &mut on_word),
    }
}

/// A word's token hash.
#[inline]
pub(crate) fn word_hash(word: &[u8]) -> u64 {
    xxh3_64(word)
}

/// A character's token hash: a bijective mix of its code point.
const fn char_hash(code_point: u64) -> u64 {
    let mut x = code_point.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// [`char_hash`] of every ASCII character, looked up instead of computed.
const ASCII_HASHES: [u64; 128] = {
    let mut hashes = [0; 128];
    let mut byte = 0;
    while byte < 128 {
        hashes[byte] = char_hash(byte as u64);
        byte += 1;
    }
    hashes
};

/// Exact Jaccard similarity of two sorted, duplicate-free sets (1 when both are empty).
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 {
        1.0
    } else {
        common as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_tokens_are_normalized_characters() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        token_hashes("Ab  c", Shingle::Chars, TextNorm::Basic, &mut a);
        token_hashes("ab c", Shingle::Chars, TextNorm::Basic, &mut b);
        assert_eq!(a.len(), 4);
        assert_eq!(a, b);
    }

    #[test]
    fn jaccard_table() {
        let cases: &[(&[u32], &[u32], f64)] = &[
            (&[], &[], 1.0),
            (&[1], &[], 0.0),
            (&[1, 2, 3], &[1, 2, 3], 1.0),
            (&[1, 2, 3], &[2, 3, 4], 0.5),
            (&[1, 5], &[2, 6], 0.0),
        ];
        for &(a, b, expected) in cases {
            assert_eq!(jaccard(a, b), expected, "{a:?} {b:?}");
        }
    }
}
