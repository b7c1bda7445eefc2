//! `short_line_ratio`: FineWeb's short line ratio, as datatrove ≥ 0.4 computes it. Over the
//! lines of `text.split("\n")` that are not blank (empty after Python's `str.strip()`), the
//! fraction at most `max_length` characters long (default 30; lines are not stripped, so
//! indentation counts). A text without non-blank lines measures 0. datatrove:
//! `short_line_thr` with `short_line_length`, drops above 0.67.

use super::kind::Measure;
use super::lines::py_strip;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `short_line_ratio`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShortLineRatio {
    /// A line of at most this many characters is short (datatrove's `short_line_length`,
    /// default 30).
    #[serde(default = "default_max_length")]
    pub max_length: usize,
    /// Leave out lines that are empty after stripping (default true, as datatrove ≥ 0.4;
    /// false counts them, and every empty line is short, as datatrove 0.2/0.3 did).
    #[serde(default = "default_skip_blank_lines")]
    pub skip_blank_lines: bool,
}

fn default_max_length() -> usize {
    30
}

fn default_skip_blank_lines() -> bool {
    true
}

impl Measure for ShortLineRatio {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let max = self.max_length;
        let (mut n_lines, mut short) = (0, 0);
        for line in views.newline_lines() {
            if self.skip_blank_lines && py_strip(line).is_empty() {
                continue;
            }
            n_lines += 1;
            // A line of at most `max` bytes has at most `max` characters: count only longer ones.
            short += usize::from(line.len() <= max || line.chars().count() <= max);
        }
        ratio(short, n_lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(kind: &ShortLineRatio, input: &str, expected: f64) {
        let measured = kind.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_short_non_blank_lines() {
        let kind: ShortLineRatio = toml::from_str("").expect("defaults");
        let long = "x".repeat(31);
        let accented = "é".repeat(30);
        let indented = format!("{}x", " ".repeat(30));
        let blank_between = format!("{long}\n\n \n\t\nshort\n");
        let table = [
            ("", 0.0),
            ("\n \n", 0.0),
            (long.as_str(), 0.0),
            (accented.as_str(), 1.0),
            (indented.as_str(), 0.0),
            (blank_between.as_str(), 1.0 / 2.0),
            (testdata::text("sotu:1800_john_adams"), 0.0),
            (testdata::text("wiki:Answer"), 0.5),
            (testdata::text("code:flask/requirements/dev.txt"), 0.9742),
            // 2 of 3 non-blank lines: kept at the 0.67 bar; 0.8333 with the blank lines.
            (testdata::text("ref:foldoc:microreid"), 0.6667),
            (testdata::text("ref:foldoc:comma"), 0.5),
        ];
        for (input, expected) in table {
            check(&kind, input, expected);
        }
    }

    #[test]
    fn blank_lines_count_when_not_skipped() {
        let toml_text = "max_length = 30\nskip_blank_lines = false";
        let kind: ShortLineRatio = toml::from_str(toml_text).expect(toml_text);
        let table = [
            ("", 1.0),
            ("short\n", 1.0),
            (testdata::text("wiki:Answer"), 0.7391),
            (testdata::text("ref:foldoc:microreid"), 0.8333),
        ];
        for (input, expected) in table {
            check(&kind, input, expected);
        }
    }
}
