//! `mean_word_length`: the mean length in characters of the non-symbol words (Gopher: 3 to
//! 10). A document without such words measures 0.

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `mean_word_length` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeanWordLength {}

impl Measure for MeanWordLength {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let stats = views.word_stats();
        ratio(stats.non_symbol_chars, stats.n_non_symbol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let measured = MeanWordLength {}.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-3, "{input:?}: {measured}");
    }

    #[test]
    fn averages_non_symbol_words() {
        let table = [
            ("", 0.0),
            ("...", 0.0),
            ("\"Hello, world!\"", 5.0),
            ("It's 3.5 -- ok...", 2.25),
            (testdata::text("wiki:Alain Connes"), 5.76),
            (testdata::text("ref:foldoc:microreid"), 6.2857),
            // Manpage tables: each box-drawing character is a one-letter word, as in spaCy.
            (testdata::text("man:wcscat.3"), 2.7431),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
