//! Words as `filter_ngrams.py` sees them: runs of Python's `\w` (Unicode letters, numbers
//! and `_`), lower-cased. Each word is a byte range of the text plus the xxh3 hash of its
//! lower-cased form; no `String` is made for ASCII words.
//!
//! Two documented differences from `re.finditer(r"\w+", text.lower())`: words are found in
//! the original text and then lower-cased one by one (Python lower-cases first, which can
//! change a text's length, so its positions drift after a character such as `İ`), and
//! `str::to_lowercase` applies the final-sigma rule within the word, not the whole text.

use crate::swar;
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
/// ASCII text is read eight bytes at a time ([`swar`]): one step classifies and lower-cases
/// a block, so a short word costs a step or two instead of a branch per byte (0.36 s for the
/// corpus' 19M words, 0.55 to 0.63 s for the byte loop it replaced). An ASCII word's hash is
/// taken from the lower-cased bytes gathered while scanning it; a word with any other
/// character goes through [`lower_hash`].
pub fn scan_words(text: &str, words: &mut Vec<Word>) {
    words.clear();
    let mut scratch = Vec::new();
    // Eight bytes of slack: a block is stored whole, then only its word bytes are counted.
    let mut lower = [0u8; LOWER_BUF + 8];
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(start) = next_word_start(text, i) {
        i = start;
        let mut ascii = true;
        let mut gathered = 0;
        loop {
            if i + 8 <= bytes.len() {
                let x = swar::load(bytes, i);
                let (word, lowered) = swar::classify(x);
                // Word bytes up to the first other byte, ASCII or not.
                let run = swar::bytes_before((!word & swar::HIGHS) | (x & swar::HIGHS));
                if gathered < LOWER_BUF {
                    lower[gathered..gathered + 8].copy_from_slice(&lowered.to_le_bytes());
                }
                gathered += run;
                i += run;
                if run == 8 {
                    continue;
                }
            }
            // The byte at `i` (a char boundary) ends the word, unless it is a non-ASCII
            // word character, or the text's last bytes are still ASCII word bytes.
            let Some(&b) = bytes.get(i) else { break };
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

/// The byte offset of the first word character at or after `i` (a char boundary).
#[inline]
fn next_word_start(text: &str, mut i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    while i + 8 <= bytes.len() {
        let x = swar::load(bytes, i);
        let (word, _) = swar::classify(x);
        let skip = swar::bytes_before(word | (x & swar::HIGHS));
        i += skip;
        if skip < 8 {
            let (is_word, len) = char_class(text, i);
            if is_word {
                return Some(i);
            }
            i += len;
        }
    }
    while i < bytes.len() {
        let (is_word, len) = char_class(text, i);
        if is_word {
            return Some(i);
        }
        i += len;
    }
    None
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
mod tests;
