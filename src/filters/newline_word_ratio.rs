//! `newline_word_ratio`: FineWeb's list ratio, the number of `\n` characters in the whole text
//! (blank lines included, unlike the other FineWeb kinds) divided by the number of words (all
//! words, punctuation tokens included, as the English word tokenizer of the *Words and lines*
//! section gives them; datatrove uses spaCy's tokenizer for its `language` parameter, English
//! by default). datatrove: `new_line_ratio`, drops above 0.3 (reason `list_ratio`).

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `newline_word_ratio` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewlineWordRatio {}

impl Measure for NewlineWordRatio {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let newlines = views.newline_lines().len().saturating_sub(1);
        ratio(newlines, views.word_stats().n_words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let measured = NewlineWordRatio {}.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_newlines_per_word() {
        let table = [
            ("", 0.0),
            ("\n\n", 0.0),
            ("one two.\nthree\n", 2.0 / 4.0),
            ("one\n\n\ntwo", 3.0 / 2.0),
            (testdata::text("wiki:Answer"), 0.0641),
            (testdata::text("man:wcscat.3"), 0.1053),
            (testdata::text("code:flask/requirements/dev.txt"), 0.3931),
            // 5 newlines (3 of them blank lines) over 15 words: dropped, above 0.3.
            (testdata::text("ref:foldoc:microreid"), 0.3333),
            (testdata::text("ref:foldoc:comma"), 0.28),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
