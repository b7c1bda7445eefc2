//! `ellipsis_lines_ratio`: the fraction of lines that, before trailing whitespace, end with
//! `...` or `…` (Gopher: at most 0.3). A document without lines measures 0.

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `ellipsis_lines_ratio` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EllipsisLinesRatio {}

impl Measure for EllipsisLinesRatio {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let lines = views.lines();
        let n_ellipsis = lines
            .iter()
            .filter(|line| {
                let line = line.trim_end();
                line.ends_with("...") || line.ends_with('…')
            })
            .count();
        ratio(n_ellipsis, lines.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let measured = EllipsisLinesRatio {}.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_lines_ending_in_ellipsis() {
        let table = [
            ("", 0.0),
            ("and then...\nso…  \nend.\n..", 2.0 / 4.0),
            (testdata::text("wiki:Alain Connes"), 0.0),
            (testdata::text("pydoc:library/code"), 0.0),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
