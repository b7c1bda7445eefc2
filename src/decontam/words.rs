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

/// ASCII words up to this long are lower-cased into a stack buffer as they are scanned.
const LOWER_BUF: usize = 64;

/// Replaces the content of `words` with the words of `text`, in order.
///
/// ASCII bytes are classified and lower-cased by one table load, and an ASCII word's hash
/// is taken from the lower-cased bytes gathered while scanning it (one pass over the word,
/// where [`lower_hash`] would read it twice more); a word with any other character goes
/// through [`lower_hash`].
pub fn scan_words(text: &str, words: &mut Vec<Word>) {
    words.clear();
    let mut scratch = Vec::new();
    let mut lower = [0u8; LOWER_BUF];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if ASCII_LOWER_WORD[b as usize] == 0 {
                i += 1;
                continue;
            }
        } else {
            let (is_word, len) = char_class(text, i);
            if !is_word {
                i += len;
                continue;
            }
        }
        let start = i;
        let mut ascii = true;
        let mut gathered = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                let lower_b = ASCII_LOWER_WORD[b as usize];
                if lower_b == 0 {
                    break;
                }
                if gathered < LOWER_BUF {
                    lower[gathered] = lower_b;
                }
                gathered += 1;
                i += 1;
            } else {
                let (is_word, len) = char_class(text, i);
                if !is_word {
                    break;
                }
                ascii = false;
                i += len;
            }
        }
        let hash = match ascii && gathered <= LOWER_BUF {
            true => xxh3_64(&lower[..gathered]),
            false => lower_hash(&text[start..i], &mut scratch),
        };
        words.push(Word {
            start,
            end: i,
            hash,
        });
    }
}

/// For each ASCII byte: its lower-case form when it is `\w`, else 0 (NUL is not `\w`).
static ASCII_LOWER_WORD: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() || byte == b'_' {
            table[b] = byte.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// `\w` for each ASCII byte: one load instead of three range tests.
static ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = ASCII_LOWER_WORD[b] != 0;
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
    fn scanned_hashes_are_lower_hashes() {
        // ASCII words short and past the stack buffer, and words with other characters.
        let long = format!("{}Tail", "Ab".repeat(LOWER_BUF / 2));
        let text = format!(
            "{long} x MIXED_case_42, Zoë straße {}!",
            "é".repeat(LOWER_BUF)
        );
        let expected_words: Vec<&str> = text
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
            .collect();
        check(&text, &expected_words);
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
