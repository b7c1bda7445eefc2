//! `duplicate_line_char_ratio`: FineWeb's duplicated line character ratio, which differs from
//! Gopher's `duplicate_line_char_fraction` in three ways: lines are `text.split("\n")`, blank
//! lines (empty after Python's `str.strip()`) are left out, and the denominator is the
//! characters of the text without its `\n`s (blank lines' spaces included). The value is the
//! characters of every non-blank line equal to an earlier one (compared unstripped) over that
//! denominator. datatrove: `char_duplicates_ratio`, drops above 0.01 (at or above in 0.2/0.3).

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
        let non_blank = lines
            .iter()
            .copied()
            .filter(|line| !py_strip(line).is_empty());
        let dups = dup_stats(non_blank);
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
        // Relative to the value, so that small ratios near 0 are checked too.
        let tolerance = 1e-4 * expected.max(0.01);
        assert!(
            (measured - expected).abs() < tolerance,
            "{input:?}: {measured}"
        );
    }

    #[test]
    fn counts_characters_of_repeated_non_blank_lines() {
        let table = [
            ("", 0.0),
            ("\n\n\n", 0.0),
            ("ab\n\ncd\n \nab\n \n", 2.0 / 8.0),
            ("ab\nab\r", 0.0),
            (" ab\nab\n ab", 3.0 / 8.0),
            (testdata::text("wiki:Answer"), 0.0),
            (testdata::text("code:flask/requirements/dev.txt"), 0.506_75),
            (testdata::text("pydoc:library/turtle"), 0.158_89),
            // One repeated heading (`1940s`) in a long article: under the 0.01 bar, not 0.
            (
                testdata::text("wiki:Academy Award for Best Production Design"),
                5.0 / 33822.0,
            ),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
