//! `duplicate_line_fraction`: Gopher's duplicate line fraction. Lines are
//! `re.split("\n+", text)` (runs of `\n` are one break; a leading or trailing `\n` gives an
//! empty line, `\r` stays in its line); the value is the number of lines equal to an earlier
//! line divided by the number of lines. datatrove: `dup_line_frac`, at most 0.30.

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `duplicate_line_fraction` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateLineFraction {}

impl Measure for DuplicateLineFraction {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let dups = views.line_dups();
        ratio(dups.duplicates, dups.items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let measured = DuplicateLineFraction {}.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_repeated_lines() {
        let table = [
            ("", 0.0),
            ("a\nb\na\n\n\na", 2.0 / 4.0),
            // Leading and trailing newlines give two empty lines: one is a duplicate.
            ("\nx\n", 1.0 / 3.0),
            ("a\r\na\n", 0.0),
            (testdata::text("wiki:Answer"), 0.0),
            (testdata::text("code:flask/requirements/dev.txt"), 0.5692),
            (testdata::text("pydoc:library/turtle"), 0.2217),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
