//! `word_count`: the number of non-symbol words, i.e. words with at least one character
//! outside datatrove's punctuation set (Gopher: 50 to 100,000).

use super::kind::Measure;
use super::views::Views;
use serde::Deserialize;

/// Parameters of `word_count` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordCount {}

impl Measure for WordCount {
    fn measure(&self, views: &Views<'_>) -> f64 {
        views.word_stats().n_non_symbol as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        assert_eq!(
            WordCount {}.measure(&Views::new(input)),
            expected,
            "{input:?}"
        );
    }

    #[test]
    fn counts_non_symbol_words() {
        let table = [
            ("", 0.0),
            ("-- ... !!", 0.0),
            ("\"Hello, world!\"", 2.0),
            ("It's 3.5 -- ok...", 4.0),
            (testdata::text("ref:foldoc:microreid"), 7.0),
            (testdata::text("wiki:Alain Connes"), 475.0),
            (testdata::text("wiki:Answer"), 300.0),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
