//! `line_max_word_length`: a C4 line rule that rewrites the text. Drops every line with a
//! word longer than `max_length` characters (default 1000), words being the line split on
//! whitespace (Python's `str.split()`). Kept lines are stripped and joined with `\n` (see
//! `rewrite`); the measured value is the fraction of lines kept. datatrove: C4QualityFilter's
//! `max_word_length` (1000), stat `line-filter-too_long_word`.

use super::kind::Measure;
use super::lines::{LineEdit, Rewriter, rewrite_lines};
use super::views::Views;
use serde::Deserialize;

/// Parameters of `line_max_word_length`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineMaxWordLength {
    /// Longest word a kept line may hold, in characters (default 1000).
    #[serde(default = "default_max_length")]
    pub max_length: usize,
}

fn default_max_length() -> usize {
    1000
}

impl Rewriter for LineMaxWordLength {
    fn rewrite(&self, views: &Views<'_>) -> LineEdit {
        let max = self.max_length;
        rewrite_lines(views, |line, out| {
            let too_long = line
                .split_whitespace()
                .any(|word| word.len() > max && word.chars().count() > max);
            if !too_long {
                out.push_str(line);
            }
            !too_long
        })
    }
}

impl Measure for LineMaxWordLength {
    fn measure(&self, views: &Views<'_>) -> f64 {
        self.rewrite(views).kept_fraction()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    /// `expected`: (lines removed, the rewritten text or None when unchanged).
    fn check(input: (usize, &str), expected: (usize, Option<&str>)) {
        let (max_length, text) = input;
        let edit = LineMaxWordLength { max_length }.rewrite(&Views::new(text));
        let got = (edit.lines_removed, edit.text.as_deref());
        assert_eq!(got, expected, "{:?}", &text[..text.len().min(60)]);
    }

    #[test]
    fn drops_lines_with_long_words() {
        let table = [
            ((5, ""), (0, None)),
            (
                (5, "short words\nlonger words\n  ok "),
                (1, Some("short words\nok")),
            ),
            ((5, "ééééé\néééééé"), (1, Some("ééééé"))),
            ((1000, "Already clean.\nTwo lines."), (0, None)),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
        // Rust tables of code points: 11 of 23 lines hold a word over 10 characters.
        let text = testdata::text("code:regex-syntax/src/unicode_tables/perl_space.rs");
        let edit = LineMaxWordLength { max_length: 10 }.rewrite(&Views::new(text));
        assert_eq!((edit.lines_in, edit.lines_removed), (23, 11));
    }
}
