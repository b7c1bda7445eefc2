//! `non_symbol_chars`: the number of characters that are neither whitespace nor in
//! datatrove's punctuation set (the characters of "symbol words"). A byte loop with no word
//! split, so it is the cheap way to ask whether a document has any text at all: a document
//! has a non-symbol word (`word_count >= 1`) exactly when it has a non-symbol character,
//! since the word splitter puts every non-whitespace character in some word.

use super::kind::Measure;
use super::punctuation::is_punctuation;
use super::views::Views;
use serde::Deserialize;

/// Parameters of `non_symbol_chars` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonSymbolChars {}

/// Whether `c` would make a word non-symbol: not whitespace, and (as in the Gopher word
/// statistics) neither ASCII punctuation or control nor in datatrove's non-ASCII set.
fn counts(c: char) -> bool {
    if c.is_ascii() {
        !(c.is_ascii_whitespace()
            || c == '\x0B'
            || c.is_ascii_punctuation()
            || c.is_ascii_control())
    } else {
        !(c.is_whitespace() || is_punctuation(c))
    }
}

impl Measure for NonSymbolChars {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let text = views.text();
        if text.is_ascii() {
            // An ASCII character that is neither whitespace, punctuation nor control is a
            // letter or digit: a test the compiler turns into vector compares.
            return text.bytes().filter(u8::is_ascii_alphanumeric).count() as f64;
        }
        text.chars().filter(|&c| counts(c)).count() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn measure(text: &str) -> f64 {
        NonSymbolChars {}.measure(&Views::new(text))
    }

    #[test]
    fn counts_characters_outside_whitespace_and_punctuation() {
        let table = [
            ("", 0.0),
            (" \t\n\x0B\x0C\r\u{85}\u{3000}", 0.0),
            ("-- ... !! \u{2014}\u{201c}\x01", 0.0),
            ("a-b", 2.0),
            ("\u{1c}x", 1.0),
            ("café 42", 6.0),
            ("我们。", 2.0),
            ("\x00\x1f\x7f !/:@[`{~09AZaz", 6.0),
        ];
        for (input, expected) in table {
            assert_eq!(measure(input), expected, "{input:?}");
        }
    }

    #[test]
    fn an_ascii_character_counts_iff_it_is_a_letter_or_digit() {
        for b in 0u8..128 {
            assert_eq!(counts(char::from(b)), b.is_ascii_alphanumeric(), "{b:#x}");
        }
    }

    /// The claim `code.toml` relies on: at least one non-symbol character exactly when at
    /// least one non-symbol word, on every sample document and on edge cases.
    #[test]
    fn has_a_non_symbol_char_iff_it_has_a_non_symbol_word() {
        let edge = [
            "",
            " ",
            "...",
            "\u{2026}",
            "\x01\x02",
            "\u{85}",
            "\u{a0}x",
            "-x-",
            "\u{1f600}",
            "\u{301}",
            "\u{1c}\u{1d}",
            "(((",
            "'s",
            "n't",
            "\u{ff01}",
            "_",
            "#include",
        ];
        let texts = testdata::sample()
            .iter()
            .map(|doc| doc.text.as_str())
            .chain(edge);
        for text in texts {
            let views = Views::new(text);
            assert_eq!(
                measure(text) >= 1.0,
                views.word_stats().n_non_symbol >= 1,
                "{:?}",
                &text[..text.len().min(80)]
            );
        }
    }
}
