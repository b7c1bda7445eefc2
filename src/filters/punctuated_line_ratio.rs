//! `punctuated_line_ratio`: FineWeb's line punctuation ratio. Lines are `text.split("\n")`
//! (a final newline gives an empty last line); the value is the fraction of them that end in
//! terminal punctuation, `. ' " ! ?` by default (no stripping: a line ending in a space or
//! `\r` does not count). datatrove: `line_punct_thr`, drops at or below 0.12.

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `punctuated_line_ratio`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PunctuatedLineRatio {
    /// Characters a line may end with (default FineWeb's `. ' " ! ?`).
    #[serde(default = "default_endings")]
    pub endings: Vec<char>,
}

fn default_endings() -> Vec<char> {
    vec!['.', '\'', '"', '!', '?']
}

impl Measure for PunctuatedLineRatio {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let lines = views.newline_lines();
        let endings = self.endings.as_slice();
        let punctuated = lines.iter().filter(|line| line.ends_with(endings)).count();
        ratio(punctuated, lines.len())
    }

    fn validate(&self) -> Result<(), String> {
        if self.endings.is_empty() {
            return Err("`endings` must list at least one character".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let kind = PunctuatedLineRatio {
            endings: default_endings(),
        };
        let measured = kind.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_lines_ending_in_punctuation() {
        let table = [
            ("", 0.0),
            ("Hi.\nYes!\n", 2.0 / 3.0),
            ("\"Quoted\"\nno \nend\r\nwhy?", 2.0 / 4.0),
            (testdata::text("sotu:1800_john_adams"), 0.0),
            (testdata::text("wiki:Answer"), 0.2609),
            (testdata::text("man:wcscat.3"), 0.1333),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
