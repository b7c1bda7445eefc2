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

/// The characters of `text` that [`counts`].
fn count(text: &str) -> usize {
    if text.is_ascii() {
        // An ASCII character that is neither whitespace, punctuation nor control is a
        // letter or digit: a test the compiler turns into vector compares.
        return text.bytes().filter(u8::is_ascii_alphanumeric).count();
    }
    text.chars().filter(|&c| counts(c)).count()
}

/// Bytes counted at a time before [`NonSymbolChars::measure_until`] compares with its floor.
const CHUNK_BYTES: usize = 4096;

impl Measure for NonSymbolChars {
    fn measure(&self, views: &Views<'_>) -> f64 {
        count(views.text()) as f64
    }

    /// Counts a chunk at a time and stops at `floor`: the "non-empty" rule of code sources
    /// (`min = 1`) then reads a few kilobytes of a file, not all of it.
    fn measure_until(&self, views: &Views<'_>, floor: f64) -> f64 {
        let text = views.text();
        let (mut counted, mut start) = (0, 0);
        while start < text.len() {
            let mut end = (start + CHUNK_BYTES).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            counted += count(&text[start..end]);
            if counted as f64 >= floor {
                break;
            }
            start = end;
        }
        counted as f64
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

    /// Below its floor the early-stopping count is exact; from the floor up it only
    /// reports having reached it. Texts cross chunk ends inside multi-byte characters.
    #[test]
    fn counting_until_a_floor_is_exact_below_it() {
        let long_symbols = format!("{}x{}", "\u{2014}".repeat(3000), "é".repeat(5000));
        let late = format!("{}ab", " .".repeat(10_000));
        let texts = testdata::sample()
            .iter()
            .map(|doc| doc.text.as_str())
            .chain(["", "...", "a", long_symbols.as_str(), late.as_str()]);
        for text in texts {
            let views = Views::new(text);
            let exact = NonSymbolChars {}.measure(&views);
            for floor in [0.0, 1.0, 2.0, 5000.0, 1e9] {
                let until = NonSymbolChars {}.measure_until(&views, floor);
                match exact < floor {
                    true => assert_eq!(until, exact, "{floor} {:?}", &text[..text.len().min(40)]),
                    false => assert!(until >= floor && until <= exact, "{floor}"),
                }
            }
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
