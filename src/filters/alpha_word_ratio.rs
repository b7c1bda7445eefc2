//! `alpha_word_ratio`: the fraction of all words (punctuation tokens included) that contain
//! at least one alphabetic character (Gopher: at least 0.8). No words measures 0.

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `alpha_word_ratio` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlphaWordRatio {}

impl Measure for AlphaWordRatio {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let stats = views.word_stats();
        ratio(stats.n_alphabetic, stats.n_words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let measured = AlphaWordRatio {}.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_words_with_letters() {
        let table = [
            ("", 0.0),
            ("3 apples, 4 pears", 2.0 / 5.0),
            ("naïve 東京 x2", 1.0),
            (testdata::text("wiki:Alain Connes"), 0.7730),
            (testdata::text("sotu:1800_john_adams"), 0.9196),
            (
                testdata::text("code:regex-syntax/src/unicode_tables/perl_space.rs"),
                0.2877,
            ),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
