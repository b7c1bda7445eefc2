//! `duplicate_ngram_char_fraction`: Gopher's duplicated n-gram character fraction. Parameter
//! `n`. datatrove's greedy scan: walk the word n-grams left to right, words joined by `""`;
//! an n-gram seen before adds its characters and the scan jumps `n` words ahead, a new one is
//! recorded and the scan moves one word. The sum is divided by the characters of the text.
//! datatrove: `dup_n_grams`, at most 0.15, 0.14, 0.13, 0.12, 0.11, 0.10 for n = 5 to 10.

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `duplicate_ngram_char_fraction`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateNgramCharFraction {
    /// Words per n-gram (at least 1).
    pub n: usize,
}

impl Measure for DuplicateNgramCharFraction {
    fn measure(&self, views: &Views<'_>) -> f64 {
        ratio(views.ngrams().duplicate_chars(self.n), views.n_chars())
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
        let measured = DuplicateNgramCharFraction { n }.measure(&Views::new(text));
        assert!((measured - expected).abs() < 1e-4, "{text:?}: {measured}");
    }

    #[test]
    fn measures_repeated_ngrams() {
        let table = [
            ((5, ""), 0.0),
            ((5, "a b c d"), 0.0),
            // "abcde" again at word 5: 5 chars of 19.
            ((5, "a b c d e a b c d e"), 5.0 / 19.0),
            // Six repeats of a 5-word line: 11 repeats of 5 chars found between the jumps.
            ((5, &"to be or not to\n".repeat(6)), 55.0 / 96.0),
            ((5, testdata::text("wiki:Answer")), 0.0187),
            ((6, testdata::text("wiki:Answer")), 0.0),
            ((5, testdata::text("pydoc:library/turtle")), 0.1880),
            ((10, testdata::text("man:wcscat.3")), 0.1205),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
        assert!(DuplicateNgramCharFraction { n: 0 }.validate().is_err());
    }
}
