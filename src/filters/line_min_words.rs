//! `line_min_words`: a C4 line rule that rewrites the text. Drops every line with fewer than
//! `min_words` words (default 3), words being the line split on whitespace (Python's
//! `str.split()`, before citation markers are removed, as datatrove counts them). Kept lines
//! are stripped and joined with `\n`; the measured value is the fraction of lines kept.
//! datatrove: C4QualityFilter's `min_words_per_line` (3), stat `line-filter-too_few_words`.

use super::kind::Measure;
use super::lines::{LineEdit, Rewriter, rewrite_lines};
use super::views::Views;
use serde::Deserialize;

/// Parameters of `line_min_words`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineMinWords {
    /// Fewest words a kept line may hold (default 3).
    #[serde(default = "default_min_words")]
    pub min_words: usize,
}

fn default_min_words() -> usize {
    3
}

impl Rewriter for LineMinWords {
    fn rewrite(&self, views: &Views<'_>) -> LineEdit {
        let min = self.min_words;
        rewrite_lines(views, |line, out| {
            let keep = line.split_whitespace().nth(min.saturating_sub(1)).is_some() || min == 0;
            if keep {
                out.push_str(line);
            }
            keep
        })
    }
}

impl Measure for LineMinWords {
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
        let (min_words, text) = input;
        let edit = LineMinWords { min_words }.rewrite(&Views::new(text));
        let got = (edit.lines_removed, edit.text.as_deref());
        assert_eq!(got, expected, "{:?}", &text[..text.len().min(60)]);
    }

    #[test]
    fn drops_short_lines() {
        let table = [
            ((3, ""), (0, None)),
            (
                (3, "one two three\n\ntwo words\r\n one\ttwo three "),
                (2, Some("one two three\none\ttwo three")),
            ),
            ((0, "\n"), (0, Some(""))),
            ((3, "a b c [1]\nd e [1]"), (0, None)),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
        // A manual page: headings and blank lines go.
        let edit =
            LineMinWords { min_words: 3 }.rewrite(&Views::new(testdata::text("man:wcscat.3")));
        assert_eq!((edit.lines_in, edit.lines_removed), (44, 26));
    }
}
