//! `short_line_ratio`: FineWeb's short line ratio. Over the lines of `text.split("\n")`, the
//! fraction at most `max_length` characters long (default 30; the empty last line after a
//! final newline counts as short). datatrove: `short_line_thr`, drops at or above 0.67.

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `short_line_ratio`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShortLineRatio {
    /// A line of at most this many characters is short (default 30).
    #[serde(default = "default_max_length")]
    pub max_length: usize,
}

fn default_max_length() -> usize {
    30
}

impl Measure for ShortLineRatio {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let lines = views.newline_lines();
        let max = self.max_length;
        // A line of at most `max` bytes has at most `max` characters: count only longer ones.
        let short = lines
            .iter()
            .filter(|line| line.len() <= max || line.chars().count() <= max)
            .count();
        ratio(short, lines.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let kind = ShortLineRatio {
            max_length: default_max_length(),
        };
        let measured = kind.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_short_lines() {
        let long = "x".repeat(31);
        let accented = "é".repeat(30);
        let table = [
            ("", 1.0),
            (long.as_str(), 0.0),
            (accented.as_str(), 1.0),
            ("short\n", 1.0),
            (testdata::text("sotu:1800_john_adams"), 0.0),
            (testdata::text("wiki:Answer"), 0.7391),
            (testdata::text("code:flask/requirements/dev.txt"), 0.9745),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
