//! `line_substring`: a line rule that rewrites the text, and C4's `javascript` and policy
//! rules. Parameters as `substring` (`strings`, `case_insensitive`). Drops every line that
//! (after stripping) contains any listed string; kept lines are joined with `\n`; the measured
//! value is the fraction of lines kept. datatrove: C4QualityFilter's `filter_javascript`
//! (`"javascript"`, on the lowercased line) and `filter_policy` (`POLICY_SUBSTRINGS`).

use super::kind::Measure;
use super::lines::{LineEdit, Rewriter, rewrite_lines};
use super::substring::{Substrings, SubstringsToml};
use super::views::Views;
use serde::Deserialize;

/// Parameters of `line_substring`.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "SubstringsToml")]
pub struct LineSubstring {
    /// The compiled list.
    pub strings: Substrings,
}

impl TryFrom<SubstringsToml> for LineSubstring {
    type Error = String;

    fn try_from(raw: SubstringsToml) -> Result<Self, String> {
        Ok(LineSubstring {
            strings: raw.try_into()?,
        })
    }
}

impl Rewriter for LineSubstring {
    fn rewrite(&self, views: &Views<'_>) -> LineEdit {
        rewrite_lines(views, |line, out| {
            let keep = !self.strings.any(line);
            if keep {
                out.push_str(line);
            }
            keep
        })
    }
}

impl Measure for LineSubstring {
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
        let strings = ["javascript".to_string(), "privacy policy".to_string()];
        let kind = LineSubstring {
            strings: Substrings::new(&strings, true).expect("compile"),
        };
        let edit = kind.rewrite(&Views::new(input));
        let got = (edit.lines_removed, edit.text.as_deref());
        assert_eq!(got, expected, "{:?}", &input[..input.len().min(60)]);
    }

    #[test]
    fn drops_lines_with_listed_strings() {
        let table = [
            ("", (0, None)),
            (
                "Enable JavaScript to view.\nText.\nOur Privacy Policy.",
                (2, Some("Text.")),
            ),
            ("privacy\npolicy", (0, None)),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
        let strings = ["javascript".to_string()];
        let kind = LineSubstring {
            strings: Substrings::new(&strings, true).expect("compile"),
        };
        let edit = kind.rewrite(&Views::new(testdata::text("email:hard-ham-1/00109")));
        assert_eq!((edit.lines_in, edit.lines_removed), (283, 1));
    }
}
