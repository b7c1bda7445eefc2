//! `char_count`: the length of the document in characters (Unicode scalar values, as
//! Python's `len(text)`), whitespace included. The cheapest rule: it needs no view.

use super::kind::Measure;
use super::views::Views;
use serde::Deserialize;

/// Parameters of `char_count` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharCount {}

impl Measure for CharCount {
    fn measure(&self, views: &Views<'_>) -> f64 {
        views.text().chars().count() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        assert_eq!(
            CharCount {}.measure(&Views::new(input)),
            expected,
            "{input:?}"
        );
    }

    #[test]
    fn counts_characters_not_bytes() {
        let table = [
            ("", 0.0),
            ("\n", 1.0),
            ("café …", 6.0),
            (
                testdata::text("code:requests/requests.egg-info/dependency_links.txt"),
                1.0,
            ),
            (testdata::text("ref:foldoc:microreid"), 67.0),
            (testdata::text("wiki:Alain Connes"), 3317.0),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
