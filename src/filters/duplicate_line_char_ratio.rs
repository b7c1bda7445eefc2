//! `duplicate_line_char_ratio`: FineWeb's duplicated line character ratio, which differs from
//! Gopher's `duplicate_line_char_fraction` in three ways: lines are `text.split("\n")`, lines
//! that are empty after stripping are left out, and the denominator is the characters of the
//! text without its `\n`s. The value is the characters of every non-empty line equal to an
//! earlier one over that denominator. datatrove: `char_duplicates_ratio`, drops at or above 0.01.

use super::kind::Measure;
use super::lines::py_strip;
use super::repetition::dup_stats;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `duplicate_line_char_ratio` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateLineCharRatio {}

impl Measure for DuplicateLineCharRatio {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let lines = views.newline_lines();
        let non_empty = lines
            .iter()
            .copied()
            .filter(|line| !py_strip(line).is_empty());
        let dups = dup_stats(non_empty);
        // Every `\n` is one character and one line break: lines - 1 of them.
        let newlines = lines.len().saturating_sub(1);
        ratio(dups.duplicate_chars, views.n_chars() - newlines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let measured = DuplicateLineCharRatio {}.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_characters_of_repeated_non_empty_lines() {
        let table = [
            ("", 0.0),
            ("\n\n\n", 0.0),
            ("ab\n\ncd\n \nab\n \n", 2.0 / 8.0),
            ("ab\nab\r", 0.0),
            (testdata::text("wiki:Answer"), 0.0),
            (testdata::text("code:flask/requirements/dev.txt"), 0.5067),
            (testdata::text("pydoc:library/turtle"), 0.1589),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
