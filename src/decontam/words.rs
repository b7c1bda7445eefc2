//! Words as `filter_ngrams.py` sees them: runs of Python's `\w` (Unicode letters, numbers
//! and `_`), lower-cased. Each word is a byte range of the text plus the xxh3 hash of its
//! lower-cased form; no `String` is made for ASCII words.
//!
//! Two documented differences from `re.finditer(r"\w+", text.lower())`: words are found in
//! the original text and then lower-cased one by one (Python lower-cases first, which can
//! change a text's length, so its positions drift after a character such as `İ`), and
//! `str::to_lowercase` applies the final-sigma rule within the word, not the whole text.

use unicode_general_category::{GeneralCategory, get_general_category};
use xxhash_rust::xxh3::xxh3_64;

/// One word of a text: `text[start..end]`, and the hash of its lower-cased form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// [`lower_hash`] of the word.
    pub hash: u64,
}

/// Whether `c` matches Python's `\w` on a `str`: `_` or a character whose general category
/// is a letter (`L*`) or a number (`N*`). Rust's `is_alphanumeric` would also take the
/// combining marks of the `Alphabetic` property, which Python splits words on.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    use GeneralCategory as G;
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
            | G::DecimalNumber
            | G::LetterNumber
            | G::OtherNumber
    )
}

/// Hash of the lower-cased `word`; `scratch` is reused between calls.
pub fn lower_hash(word: &str, scratch: &mut Vec<u8>) -> u64 {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return xxh3_64(word.as_bytes());
    }
    scratch.clear();
    if word.is_ascii() {
        scratch.extend(word.bytes().map(|b| b.to_ascii_lowercase()));
    } else {
        scratch.extend_from_slice(word.to_lowercase().as_bytes());
    }
    xxh3_64(scratch)
}

/// Whether `word` lower-cases to `lower`, which must already be lower-case.
pub fn lower_eq(word: &str, lower: &str) -> bool {
    if word.is_ascii() {
        word.len() == lower.len() && word.eq_ignore_ascii_case(lower)
    } else {
        word.to_lowercase() == lower
    }
}

/// Replaces the content of `words` with the words of `text`, in order.
pub fn scan_words(text: &str, words: &mut Vec<Word>) {
    words.clear();
    let mut scratch = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Skip to a word's first character, then to its end: two tight loops, with ASCII
        // bytes classified without decoding.
        let (is_word, len) = char_class(text, i);
        if !is_word {
            i += len;
            continue;
        }
        let start = i;
        i += len;
        while i < bytes.len() {
            let (is_word, len) = char_class(text, i);
            if !is_word {
                break;
            }
            i += len;
        }
        words.push(Word {
            start,
            end: i,
            hash: lower_hash(&text[start..i], &mut scratch),
        });
    }
}

/// `\w` for each ASCII byte: one load instead of three range tests.
static ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

/// Whether the character at byte `i` of `text` is `\w`, and its length in bytes.
#[inline]
fn char_class(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (ASCII_WORD[b as usize], 1);
    }
    match text[i..].chars().next() {
        Some(c) => (is_word_char(c), c.len_utf8()),
        None => (false, 1),
    }
}

/// The lower-cased words of `text`, as owned strings: for task texts, which are few.
pub fn lower_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    scan_words(text, &mut words);
    words
        .iter()
        .map(|w| text[w.start..w.end].to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        let mut words = Vec::new();
        scan_words(text, &mut words);
        let got: Vec<&str> = words.iter().map(|w| &text[w.start..w.end]).collect();
        assert_eq!(got, expected, "{text:?}");
        let mut scratch = Vec::new();
        for (word, lower) in words.iter().zip(lower_words(text)) {
            assert_eq!(word.hash, lower_hash(&lower, &mut scratch), "{lower}");
            assert!(lower_eq(&text[word.start..word.end], &lower), "{lower}");
        }
    }

    #[test]
    fn words_are_python_word_runs() {
        // Expected splits are those of Python 3.11 `re.findall(r"\w+", text)`.
        let cases: [(&str, &[&str]); 8] = [
            ("", &[]),
            ("  ...  ", &[]),
            (
                "Hexadecimal digits are 0, 1, 2, A.",
                &["Hexadecimal", "digits", "are", "0", "1", "2", "A"],
            ),
            (
                "has_close_elements([1.0, 2.8])",
                &["has_close_elements", "1", "0", "2", "8"],
            ),
            ("Father-in-law's", &["Father", "in", "law", "s"]),
            ("naïve café, Ελλάδα²", &["naïve", "café", "Ελλάδα²"]),
            // U+0301 (a combining mark) is not `\w`: Python splits "é" written as e + U+0301.
            ("cafe\u{301} ok", &["cafe", "ok"]),
            ("tail_word", &["tail_word"]),
        ];
        for (text, expected) in cases {
            check(text, expected);
        }
    }

    #[test]
    fn lower_eq_and_hash_ignore_case_only() {
        let mut scratch = Vec::new();
        assert_eq!(
            lower_hash("Emily", &mut scratch),
            lower_hash("emily", &mut scratch)
        );
        assert_ne!(
            lower_hash("Emily", &mut scratch),
            lower_hash("emil", &mut scratch)
        );
        assert!(lower_eq("ΕΛΛΆΔΑ", "ελλάδα"));
        assert!(!lower_eq("Emily", "emil"));
        assert!(!lower_eq("Emil", "emily"));
    }
}
