//! `line_terminal_punctuation`: a C4 line rule that rewrites the text. Drops every line that
//! (after stripping) does not end in terminal punctuation, `. ? ! " '`, or that ends with an
//! ellipsis `...`. Kept lines are joined with `\n`; the measured value is the fraction of
//! lines kept. datatrove: C4QualityFilter's `filter_no_terminal_punct` (on by default; the
//! FineWeb recipe turns it off), stat `line-filter-no_terminal_punc`.

use super::kind::Measure;
use super::lines::{LineEdit, Rewriter, rewrite_lines};
use super::views::Views;
use serde::Deserialize;

const END_PUNCTUATION: [char; 5] = ['.', '?', '!', '"', '\''];

/// Parameters of `line_terminal_punctuation` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineTerminalPunctuation {}

impl Rewriter for LineTerminalPunctuation {
    fn rewrite(&self, views: &Views<'_>) -> LineEdit {
        rewrite_lines(views, |line, out| {
            let keep = line.ends_with(END_PUNCTUATION) && !line.ends_with("...");
            if keep {
                out.push_str(line);
            }
            keep
        })
    }
}

impl Measure for LineTerminalPunctuation {
    fn measure(&self, views: &Views<'_>) -> f64 {
        self.rewrite(views).kept_fraction()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    /// `expected`: (lines removed, the rewritten text or None when unchanged).
    fn check(input: &str, expected: (usize, Option<&str>)) {
        let edit = LineTerminalPunctuation {}.rewrite(&Views::new(input));
        let got = (edit.lines_removed, edit.text.as_deref());
        assert_eq!(got, expected, "{:?}", &input[..input.len().min(60)]);
    }

    #[test]
    fn keeps_lines_ending_in_punctuation() {
        let table = [
            ("", (0, None)),
            ("Done.\nWhy?\nWow!\n'q'\n\"q\"", (0, None)),
            (
                "Title\nText.  \nWait...\nWait..\n",
                (2, Some("Text.\nWait..")),
            ),
            ("ends with ellipsis …", (1, Some(""))),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
        let edit = LineTerminalPunctuation {}.rewrite(&Views::new(testdata::text("man:wcscat.3")));
        assert_eq!((edit.lines_in, edit.lines_removed), (44, 38));
    }
}
