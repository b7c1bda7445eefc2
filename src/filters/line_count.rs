//! `line_count`: the number of lines, split like Python's `str.splitlines()` (a final line
//! break does not add an empty line). A length bound like `char_count` and `word_count`, for
//! sources whose unit is the line (code, lists); datatrove: none. Default bounds: none.

use super::kind::Measure;
use super::views::Views;
use serde::Deserialize;

/// Parameters of `line_count` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineCount {}

impl Measure for LineCount {
    fn measure(&self, views: &Views<'_>) -> f64 {
        views.lines().len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        assert_eq!(
            LineCount {}.measure(&Views::new(input)),
            expected,
            "{input:?}"
        );
    }

    #[test]
    fn counts_lines() {
        let table = [
            ("", 0.0),
            ("a", 1.0),
            ("a\n", 1.0),
            ("a\r\n\nb", 3.0),
            (testdata::text("man:wcscat.3"), 44.0),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
