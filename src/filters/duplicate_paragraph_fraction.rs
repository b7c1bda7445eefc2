//! `duplicate_paragraph_fraction`: Gopher's duplicate paragraph fraction. Paragraphs are
//! `re.split("\n{2,}", text.strip())`: the stripped text cut at runs of two or more `\n`
//! (a `\n\r\n` is not a paragraph break); the value is the number of paragraphs equal to an
//! earlier one divided by the number of paragraphs (an empty text is one empty paragraph).
//! datatrove: `dup_para_frac`, at most 0.30.

use super::kind::Measure;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `duplicate_paragraph_fraction` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateParagraphFraction {}

impl Measure for DuplicateParagraphFraction {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let dups = views.paragraph_dups();
        ratio(dups.duplicates, dups.items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let measured = DuplicateParagraphFraction {}.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_repeated_paragraphs() {
        let table = [
            ("", 0.0),
            ("\n\n  a\n\nb\n\n\na\n\n", 1.0 / 3.0),
            ("a\nb\na", 0.0),
            (testdata::text("wiki:Answer"), 0.0),
            (testdata::text("email:spam-2/01237"), 0.1818),
            (testdata::text("pydoc:library/turtle"), 0.1415),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
