//! The `basic` normalization (`"basic"`, the `mtnlg` and `pile` presets; the default is
//! [`super::letters`]), its exact key, and [`ExactKey`], the key's streaming hasher.
//!
//! The rule, in full: a document's *words* are its maximal runs of characters that are not
//! Unicode White_Space ([`char::is_whitespace`]); each word is lowercased character by
//! character with [`char::to_lowercase`] (Unicode default case mapping, no locale, no
//! final-sigma rule); the *normalized text* is the words joined by single ASCII spaces. So
//! whitespace is collapsed and trimmed, and nothing else changes: punctuation, digits and
//! accents are kept. [`normalize_basic`] spells the rule out as code; the hot paths below
//! produce the same bytes without allocating per word or per document.

use crate::swar;
use xxhash_rust::xxh3::Xxh3Default;

/// Bytes of normalized text gathered before they are fed to the streaming hasher.
const CHUNK: usize = 4096;

/// The normalized text of `text` (see the module doc). Allocates; the reference for tests
/// and for callers that want to see what deduplication compares.
pub fn normalize_basic(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|word| word.chars().flat_map(char::to_lowercase).collect())
        .collect();
    words.join(" ")
}

/// The 128-bit key of a document's normalized text for exact deduplication: xxh3-128 of the
/// UTF-8 bytes of [`normalize_basic`]`(text)`, streamed through a fixed stack buffer.
pub fn exact_key_basic(text: &str) -> u128 {
    let mut key = ExactKey::new();
    if text.is_ascii() {
        key.push_ascii_text(text.as_bytes(), |_| {});
    } else {
        for_each_basic_word(text, &mut Vec::new(), |word| key.push_word(word));
    }
    key.finish()
}

/// An exact key fed one normalized word at a time, for callers that walk the words anyway
/// (MinHash over words: one scan of the text gives both keys).
pub(crate) struct ExactKey {
    hasher: Xxh3Default,
    chunk: [u8; CHUNK],
    filled: usize,
    first: bool,
}

impl ExactKey {
    pub(crate) fn new() -> ExactKey {
        ExactKey {
            hasher: Xxh3Default::new(),
            chunk: [0; CHUNK],
            filled: 0,
            first: true,
        }
    }

    /// Appends the next normalized word.
    #[inline]
    pub(crate) fn push_word(&mut self, word: &[u8]) {
        // One separator before every word but the first, then the word, flushing the
        // chunk whenever it is full so the stream equals the normalized text exactly.
        let separator: &[u8] = if self.first { b"" } else { b" " };
        self.first = false;
        for part in [separator, word] {
            if self.filled + part.len() > CHUNK {
                self.hasher.update(&self.chunk[..self.filled]);
                self.filled = 0;
            }
            if part.len() > CHUNK {
                self.hasher.update(part);
            } else {
                self.chunk[self.filled..self.filled + part.len()].copy_from_slice(part);
                self.filled += part.len();
            }
        }
    }

    /// For ASCII `text`: pushes each normalized word of it, lower-casing it straight into
    /// the chunk, and calls `on_word` with it there. One pass over each word, where
    /// [`for_each_basic_word`] and [`ExactKey::push_word`] take three (find, lower-case, copy).
    pub(crate) fn push_ascii_text(&mut self, text: &[u8], mut on_word: impl FnMut(&[u8])) {
        let mut i = 0;
        while i < text.len() {
            if is_ascii_space(&text[i]) {
                i += 1;
                continue;
            }
            let start = i;
            i = word_end(text, i);
            let word = &text[start..i];
            if word.len() >= CHUNK {
                let lower = word.to_ascii_lowercase();
                self.push_word(&lower);
                on_word(&lower);
                continue;
            }
            if self.filled + word.len() + 1 > CHUNK {
                self.hasher.update(&self.chunk[..self.filled]);
                self.filled = 0;
            }
            if !std::mem::take(&mut self.first) {
                self.chunk[self.filled] = b' ';
                self.filled += 1;
            }
            let lower = &mut self.chunk[self.filled..self.filled + word.len()];
            for (to, &from) in lower.iter_mut().zip(word) {
                *to = from.to_ascii_lowercase();
            }
            on_word(lower);
            self.filled += word.len();
        }
    }

    /// The key of the words pushed so far.
    pub(crate) fn finish(mut self) -> u128 {
        self.hasher.update(&self.chunk[..self.filled]);
        self.hasher.digest128()
    }
}

/// Calls `on_word` with the UTF-8 bytes of each normalized word of `text`, in order.
///
/// Words that are already lowercase are passed straight from `text`; others are lowercased
/// into `scratch`, which the caller keeps so that a document costs at most one allocation.
/// ASCII stretches are read eight bytes at a time even in a text with other characters: a
/// single one used to send the whole text through `split_whitespace`, a character at a time
/// (2% of a run's CPU on the full corpus).
pub(crate) fn for_each_basic_word(
    text: &str,
    scratch: &mut Vec<u8>,
    mut on_word: impl FnMut(&[u8]),
) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = space_at(text, i);
        if space {
            i += len;
            continue;
        }
        let start = i;
        let ascii;
        (i, ascii) = any_word_end(text, i);
        let word = &bytes[start..i];
        if ascii && !word.iter().any(u8::is_ascii_uppercase) {
            on_word(word);
            continue;
        }
        scratch.clear();
        if ascii {
            scratch.extend(word.iter().map(u8::to_ascii_lowercase));
        } else {
            let mut utf8 = [0u8; 4];
            for lower in text[start..i].chars().flat_map(char::to_lowercase) {
                scratch.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
            }
        }
        on_word(scratch);
    }
}

/// Whether the character at byte `i` of `text` (a char boundary) is whitespace, and its
/// length in bytes.
#[inline]
fn space_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (is_ascii_space(&b), 1);
    }
    text[i..]
        .chars()
        .next()
        .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8()))
}

/// The end of the word of `text` that goes on at byte `i` (a char boundary, not
/// whitespace), and whether the word is all ASCII.
#[inline]
fn any_word_end(text: &str, mut i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut ascii = true;
    loop {
        if i + 8 <= bytes.len() {
            let x = swar::load(bytes, i);
            let run = swar::bytes_before(swar::spaces(x) | (x & swar::HIGHS));
            i += run;
            if run == 8 {
                continue;
            }
        }
        if i == bytes.len() {
            return (i, ascii);
        }
        let (space, len) = space_at(text, i);
        if space {
            return (i, ascii);
        }
        ascii &= len == 1;
        i += len;
    }
}

/// The end of the word of ASCII `text` that goes on at byte `i`: where the next whitespace
/// byte is, or the end. Eight bytes a step, the tail a byte at a time.
#[inline]
fn word_end(text: &[u8], mut i: usize) -> usize {
    while i + 8 <= text.len() {
        let run = swar::bytes_before(swar::spaces(swar::load(text, i)));
        i += run;
        if run < 8 {
            return i;
        }
    }
    while i < text.len() && !is_ascii_space(&text[i]) {
        i += 1;
    }
    i
}

/// ASCII whitespace as [`char::is_whitespace`] sees it, which (unlike
/// [`u8::is_ascii_whitespace`]) includes the vertical tab.
fn is_ascii_space(byte: &u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxhash_rust::xxh3::xxh3_128;

    /// `text` normalizes to `expected`, and both fast paths agree with [`normalize_basic`].
    fn check(text: &str, expected: &str) {
        assert_eq!(normalize_basic(text), expected, "normalize({text:?})");
        assert_eq!(
            exact_key_basic(text),
            xxh3_128(expected.as_bytes()),
            "exact_key_basic({text:?})"
        );
        let mut words = Vec::new();
        for_each_basic_word(text, &mut Vec::new(), |w| {
            words.push(String::from_utf8(w.to_vec()).expect("utf-8"))
        });
        assert_eq!(words.join(" "), expected, "for_each_basic_word({text:?})");
    }

    #[test]
    fn normalization_table() {
        let long_word = "X".repeat(CHUNK + 10);
        let long_lower = long_word.to_lowercase();
        let many_words = "Ab ".repeat(CHUNK);
        let many_lower = "ab ".repeat(CHUNK);
        let cases: &[(&str, &str)] = &[
            ("", ""),
            ("   \n\t ", ""),
            ("Hello", "hello"),
            ("  Hello,   WORLD!\n", "hello, world!"),
            ("a\x0Bb\x0Cc\rd", "a b c d"),
            ("tab\tand\nnewline", "tab and newline"),
            ("ÉCOLE  Straße", "école straße"),
            (
                "LongerThanEight\x0Bword\tABCDEFGHIJKLMNOP  q\r\nr12345678 ",
                "longerthaneight word abcdefghijklmnop q r12345678",
            ),
            ("ΣΊΣΥΦΟΣ", "σίσυφοσ"),
            ("İstanbul", "i\u{307}stanbul"),
            ("nbsp\u{A0}and\u{3000}ideographic", "nbsp and ideographic"),
            (
                "Ünïcödé\u{85}Next\u{2028}LINE\u{2029}para\u{202F}x\u{205F}y\u{1680}z ASCII-only",
                "ünïcödé next line para x y z ascii-only",
            ),
            (
                "LongASCIIword\u{A0}naïveté   ÀÉÎ12345678\tİİ\u{2000}\u{200A}end",
                "longasciiword naïveté àéî12345678 i\u{307}i\u{307} end",
            ),
            ("zero\u{200B}width", "zero\u{200B}width"),
            ("digits 3.14 kept", "digits 3.14 kept"),
            (&long_word, &long_lower),
            (&many_words, many_lower.trim_end()),
        ];
        for (text, expected) in cases {
            check(text, expected);
        }
    }

    #[test]
    fn exact_key_ignores_case_and_spacing_only() {
        assert_eq!(
            exact_key_basic("The  cat\nsat"),
            exact_key_basic("the cat sat ")
        );
        assert_ne!(
            exact_key_basic("the cat sat"),
            exact_key_basic("the cat sat.")
        );
        assert_ne!(
            exact_key_basic("the cat sat"),
            exact_key_basic("thecat sat")
        );
        assert_ne!(exact_key_basic(""), exact_key_basic(" a"));
    }
}
