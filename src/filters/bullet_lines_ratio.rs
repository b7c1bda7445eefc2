//! `bullet_lines_ratio`: the fraction of lines that, after leading whitespace, start with a
//! bullet `•` or a hyphen `-` (Gopher: at most 0.9). A document without lines measures 0.

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `bullet_lines_ratio` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulletLinesRatio {}

impl Measure for BulletLinesRatio {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let lines = views.lines();
        let n_bullets = lines
            .iter()
            .filter(|line| line.trim_start().starts_with(['•', '-']))
            .count();
        ratio(n_bullets, lines.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let measured = BulletLinesRatio {}.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_bullet_lines() {
        let table = [
            ("", 0.0),
            ("- a\n  • b\nc\n", 2.0 / 3.0),
            ("--flag\n\t-x", 1.0),
            (testdata::text("pydoc:library/code"), 0.0163),
            (testdata::text("wiki:Alain Connes"), 0.0),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
