//! `duplicate_line_char_fraction`: Gopher's duplicate line character fraction. Over the
//! lines of `duplicate_line_fraction` (`re.split("\n+", text)`), the characters of every line
//! equal to an earlier line, divided by the characters of the whole text (newlines included).
//! datatrove: `dup_line_char_frac`, at most 0.20.

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `duplicate_line_char_fraction` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateLineCharFraction {}

impl Measure for DuplicateLineCharFraction {
    fn measure(&self, views: &Views<'_>) -> f64 {
        ratio(views.line_dups().duplicate_chars, views.n_chars())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let measured = DuplicateLineCharFraction {}.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_characters_of_repeated_lines() {
        let table = [
            ("", 0.0),
            ("ab\ncd\nab\n\nab", 4.0 / 12.0),
            ("é\né", 1.0 / 3.0),
            (testdata::text("wiki:Answer"), 0.0),
            (testdata::text("code:flask/requirements/dev.txt"), 0.4781),
            (testdata::text("email:spam-2/01237"), 0.0388),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
