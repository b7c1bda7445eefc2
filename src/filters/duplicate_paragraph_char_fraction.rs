//! `duplicate_paragraph_char_fraction`: Gopher's duplicate paragraph character fraction.
//! Over the paragraphs of `duplicate_paragraph_fraction`, the characters of every paragraph
//! equal to an earlier one, divided by the characters of the whole, unstripped text.
//! datatrove: `dup_para_char_frac`, at most 0.20.

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `duplicate_paragraph_char_fraction` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateParagraphCharFraction {}

impl Measure for DuplicateParagraphCharFraction {
    fn measure(&self, views: &Views<'_>) -> f64 {
        ratio(views.paragraph_dups().duplicate_chars, views.n_chars())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let measured = DuplicateParagraphCharFraction {}.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_characters_of_repeated_paragraphs() {
        let table = [
            ("", 0.0),
            // The leading spaces are stripped from the text, not from inner paragraphs.
            ("  ab\n\nab\n\n ab", 2.0 / 13.0),
            ("x y\n\nx y\n\nx y\n", 6.0 / 14.0),
            (testdata::text("wiki:Answer"), 0.0),
            (testdata::text("pydoc:library/turtle"), 0.0717),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
