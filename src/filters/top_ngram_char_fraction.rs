//! `top_ngram_char_fraction`: Gopher's top n-gram character fraction. Parameter `n`. Over the
//! word n-grams (words joined by a space), the most frequent one's length in characters times
//! its count, divided by the characters of the text; ties go to the n-gram seen first. A
//! document with fewer than `n` words measures 0. datatrove: `top_n_grams`, at most 0.20,
//! 0.18 and 0.16 for n = 2, 3, 4.

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `top_ngram_char_fraction`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopNgramCharFraction {
    /// Words per n-gram (at least 1).
    pub n: usize,
}

impl Measure for TopNgramCharFraction {
    fn measure(&self, views: &Views<'_>) -> f64 {
        ratio(views.ngrams().top_chars(self.n), views.n_chars())
    }

    fn validate(&self) -> Result<(), String> {
        if self.n == 0 {
            return Err("`n` must be at least 1".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: (usize, &str), expected: f64) {
        let (n, text) = input;
        let measured = TopNgramCharFraction { n }.measure(&Views::new(text));
        assert!((measured - expected).abs() < 1e-4, "{text:?}: {measured}");
    }

    #[test]
    fn measures_the_most_frequent_ngram() {
        let table = [
            ((2, ""), 0.0),
            ((2, "word"), 0.0),
            // "the cat" (7 chars) twice, in 27 chars.
            ((2, "the cat and the cat and dog"), 14.0 / 27.0),
            // All distinct: the first 3-gram, once.
            ((3, "one two three four"), 13.0 / 18.0),
            ((2, testdata::text("wiki:Answer")), 0.0198),
            ((4, testdata::text("sotu:1800_john_adams")), 0.0120),
            // A manual page's table borders: one 4-gram of box-drawing runs.
            ((4, testdata::text("man:wcscat.3")), 0.8293),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
        assert!(TopNgramCharFraction { n: 0 }.validate().is_err());
    }
}
