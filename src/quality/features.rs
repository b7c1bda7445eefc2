//! Hashed word unigram and bigram features, as GPT-3's classifier (Spark `Tokenizer` +
//! `HashingTF`) and the Pile's (fastText with bigrams) used.
//!
//! Words are the maximal runs of alphanumeric characters, lowercased; each word and each
//! pair of adjacent words is hashed (xxh3-64, a fixed seed) into `2^bits` buckets. Every
//! occurrence counts, and the vector is scaled by `1/sqrt(n)` (n = features of the document)
//! so that long and short documents score on the same scale. Only the first
//! [`FEATURE_BYTES`] bytes of a text are read, which bounds the cost of a long book.

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Bytes of a text read for features.
pub const FEATURE_BYTES: usize = 64 * 1024;

/// Seed of the feature hash (part of the model format: changing it invalidates models).
const FEATURE_SEED: u64 = 0x7069_6c65_6375_7261;

/// Separates the two words of a bigram in the hashed key, so that `ab c` and `a bc` differ.
const BIGRAM_SEPARATOR: u8 = 0x1f;

/// The hashed features of a text: bucket indices (with repetition) and the common value.
pub struct Features {
    /// One bucket index per unigram and bigram occurrence.
    pub indices: Vec<u32>,
    /// The value of every feature, `1/sqrt(indices.len())` (0 when there is none).
    pub value: f32,
}

/// Extracts the features of `text` into `2^bits` buckets.
pub fn features(text: &str, bits: u32) -> Features {
    let mut end = text.len().min(FEATURE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mask = (1u64 << bits) - 1;
    let mut indices = Vec::with_capacity(end / 3);
    let mut word = String::new();
    let mut pair: Vec<u8> = Vec::new();
    let mut previous_len: Option<usize> = None;
    let mut emit = |word: &mut String, pair: &mut Vec<u8>, previous_len: &mut Option<usize>| {
        if word.is_empty() {
            return;
        }
        indices.push((xxh3_64_with_seed(word.as_bytes(), FEATURE_SEED) & mask) as u32);
        if let Some(len) = *previous_len {
            pair.truncate(len);
            pair.push(BIGRAM_SEPARATOR);
            pair.extend_from_slice(word.as_bytes());
            indices.push((xxh3_64_with_seed(pair, FEATURE_SEED) & mask) as u32);
        }
        pair.clear();
        pair.extend_from_slice(word.as_bytes());
        *previous_len = Some(word.len());
        word.clear();
    };
    for c in text[..end].chars() {
        if c.is_alphanumeric() {
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
        } else {
            emit(&mut word, &mut pair, &mut previous_len);
        }
    }
    emit(&mut word, &mut pair, &mut previous_len);
    let value = if indices.is_empty() {
        0.0
    } else {
        1.0 / (indices.len() as f32).sqrt()
    };
    Features { indices, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expected`: number of features (unigrams + bigrams).
    fn check(input: &str, expected: usize) {
        let f = features(input, 16);
        assert_eq!(f.indices.len(), expected, "{input:?}");
        assert!(f.indices.iter().all(|&i| i < 1 << 16));
    }

    #[test]
    fn counts_unigrams_and_bigrams() {
        let table = [
            ("", 0),
            ("   ,,, ", 0),
            ("word", 1),
            ("two words", 3),
            ("Three, little; words!", 5),
            ("Ünïcode wörds", 3),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn case_and_punctuation_do_not_matter_but_word_boundaries_do() {
        let a = features("Hello, World", 16).indices;
        assert_eq!(a, features("hello world", 16).indices);
        assert_ne!(features("ab c", 16).indices, features("a bc", 16).indices);
    }
}
