//! The default normalization, `letters`: a document's words are its runs of letters, marks
//! and numbers, lower-cased, so that punctuation, quote style, symbols, case and spacing
//! do not change its keys.
//!
//! The rule, in full, character by character ([`normalize`] spells it out as code):
//! - a *word character* is one whose Unicode general category is a letter (`L*`), a mark
//!   (`M*`) or a number (`N*`); it is lower-cased with [`char::to_lowercase`];
//! - an *ignored* character is deleted without ending a word: the invisible format
//!   characters (`Cf`: soft hyphen, zero-width space and joiners, byte-order mark);
//! - every other character (punctuation, apostrophes and quotes of every style, symbols,
//!   emoji, whitespace, controls) ends a word: `don't` and `don’t` are both `don t`;
//! - the normalized text is the words joined by single spaces. Digits are kept as they
//!   are: "over 18" and "over 21" stay different (datatrove's rule folds both to "over 0").
//!
//! A text with no word character at all (only punctuation, symbols or emoji) is keyed by
//! [`super::normalize::normalize_basic`] instead, so that such texts do not all become the
//! empty text and merge with each other.
//!
//! The walker reads ASCII eight bytes at a time ([`swar`]): a block is classified, lower-cased
//! and appended whole, then only its word bytes are counted.

use super::normalize::{for_each_basic_word, normalize_basic};
use crate::swar;
use unicode_general_category::{GeneralCategory as Cat, get_general_category};
use xxhash_rust::xxh3::xxh3_128;

/// What a character is to the `letters` rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// Part of a word (lower-cased).
    Word,
    /// Deleted; does not end a word.
    Ignored,
    /// Ends a word.
    Separator,
}

/// The class of each ASCII byte.
const ASCII_CLASSES: [Class; 128] = {
    let mut classes = [Class::Separator; 128];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        if b.is_ascii_alphanumeric() {
            classes[byte] = Class::Word;
        }
        byte += 1;
    }
    classes
};

/// The class of `c` (see the module doc).
pub(crate) fn class(c: char) -> Class {
    if c.is_ascii() {
        return ASCII_CLASSES[c as usize];
    }
    match get_general_category(c) {
        Cat::UppercaseLetter
        | Cat::LowercaseLetter
        | Cat::TitlecaseLetter
        | Cat::ModifierLetter
        | Cat::OtherLetter
        | Cat::NonspacingMark
        | Cat::SpacingMark
        | Cat::EnclosingMark
        | Cat::DecimalNumber
        | Cat::LetterNumber
        | Cat::OtherNumber => Class::Word,
        Cat::Format => Class::Ignored,
        _ => Class::Separator,
    }
}

/// The normalized text of `text` under the `letters` rule (see the module doc). Allocates;
/// the reference for tests and for callers that want to see what deduplication compares.
pub fn normalize(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        match class(c) {
            Class::Word => word.extend(c.to_lowercase()),
            Class::Ignored => {}
            Class::Separator if !word.is_empty() => words.push(std::mem::take(&mut word)),
            Class::Separator => {}
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    if words.is_empty() {
        return normalize_basic(text);
    }
    words.join(" ")
}

/// The 128-bit exact key of `text` under the `letters` rule: xxh3-128 of the UTF-8 bytes of
/// [`normalize`]`(text)`.
pub fn exact_key(text: &str) -> u128 {
    let mut normalized = Vec::new();
    normalize_into(text, &mut normalized, |_| {});
    xxh3_128(&normalized)
}

/// Calls `on_word` with the UTF-8 bytes of each normalized word of `text`, in order;
/// `scratch` is kept by the caller, so that a document costs at most one allocation.
pub(crate) fn for_each_word(text: &str, scratch: &mut Vec<u8>, on_word: impl FnMut(&[u8])) {
    normalize_into(text, scratch, on_word);
}

/// Writes the normalized text of `text` into `out` (cleared first) and calls `on_word` with
/// each word as it lies there: the words for the shingles and the bytes of the exact key
/// come from one walk, and no word is copied twice.
pub(crate) fn normalize_into(text: &str, out: &mut Vec<u8>, mut on_word: impl FnMut(&[u8])) {
    out.clear();
    if walk(text, out, &mut on_word) == 0 {
        out.clear();
        let mut scratch = Vec::new();
        for_each_basic_word(text, &mut scratch, |word| {
            if !out.is_empty() {
                out.push(b' ');
            }
            out.extend_from_slice(word);
            on_word(word);
        });
    }
}

/// Appends the words of `text` under the rule (without the fallback) to `out`, joined by
/// single spaces, calling `on_word` with each; returns how many there were.
fn walk(text: &str, out: &mut Vec<u8>, on_word: &mut impl FnMut(&[u8])) -> usize {
    let bytes = text.as_bytes();
    let mut n_words = 0;
    let mut utf8 = [0u8; 4];
    // Where the word being gathered starts in `out`, if one is.
    let mut word: Option<usize> = None;
    let begin = |out: &mut Vec<u8>, n_words: usize| {
        if n_words > 0 {
            out.push(b' ');
        }
        out.len()
    };
    let mut i = 0;
    while i < bytes.len() {
        if word.is_none() {
            i = next_ascii_word_byte(bytes, i);
            if i == bytes.len() {
                break;
            }
        }
        let b = bytes[i];
        let class = if b < 0x80 {
            if b.is_ascii_alphanumeric() {
                word = word.or_else(|| Some(begin(out, n_words)));
                i = push_ascii_run(bytes, i, out);
                continue;
            }
            i += 1;
            Class::Separator
        } else {
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            let class = class(c);
            if class == Class::Word {
                word = word.or_else(|| Some(begin(out, n_words)));
                for lower in c.to_lowercase() {
                    out.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
                }
            }
            class
        };
        if class == Class::Separator
            && let Some(start) = word.take()
        {
            n_words += 1;
            on_word(&out[start..]);
        }
    }
    if let Some(start) = word {
        n_words += 1;
        on_word(&out[start..]);
    }
    n_words
}

/// The first byte at or after `i` that is an ASCII letter or digit or is not ASCII (the
/// end of `bytes` when there is none). Eight bytes a step.
#[inline]
fn next_ascii_word_byte(bytes: &[u8], mut i: usize) -> usize {
    while i + 8 <= bytes.len() {
        let x = swar::load(bytes, i);
        let (alnum, _) = swar::alnum_and_letters(x);
        let run = swar::bytes_before(alnum | (x & swar::HIGHS));
        i += run;
        if run < 8 {
            return i;
        }
    }
    while i < bytes.len() && bytes[i] < 0x80 && ASCII_CLASSES[usize::from(bytes[i])] != Class::Word
    {
        i += 1;
    }
    i
}

/// Appends the lower-cased run of ASCII letters and digits starting at `i` to `word` and
/// returns where it ends. Eight bytes a step: a block is lower-cased whole and its bytes up
/// to the first other one are kept.
#[inline]
fn push_ascii_run(bytes: &[u8], mut i: usize, word: &mut Vec<u8>) -> usize {
    while i + 8 <= bytes.len() {
        let x = swar::load(bytes, i);
        let (alnum, _) = swar::alnum_and_letters(x);
        let (_, lowered) = swar::classify(x);
        let run = swar::bytes_before((!alnum & swar::HIGHS) | (x & swar::HIGHS));
        // The whole block is stored (one eight-byte copy), then the bytes after the run cut.
        let end = word.len() + run;
        word.extend_from_slice(&lowered.to_le_bytes());
        word.truncate(end);
        i += run;
        if run < 8 {
            return i;
        }
    }
    while let Some(&b) = bytes.get(i) {
        if !b.is_ascii_alphanumeric() {
            break;
        }
        word.push(b.to_ascii_lowercase());
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests;
