//! `stop_words`: how many distinct stop words occur among the words (Gopher: at least 2 of
//! `the, be, to, of, and, that, have, with`). Matching is case-sensitive, as in datatrove:
//! `The` at the start of a sentence is not `the`.

use super::kind::Measure;
use super::views::Views;
use serde::Deserialize;

/// datatrove's `STOP_WORDS`, the default list.
const GOPHER_STOP_WORDS: [&str; 8] = ["the", "be", "to", "of", "and", "that", "have", "with"];

/// Parameters of `stop_words`, with the list sorted and deduplicated at load time.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "StopWordsToml")]
pub struct StopWords {
    sorted: Vec<String>,
    shortest: usize,
    longest: usize,
}

/// The TOML form of `stop_words`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StopWordsToml {
    /// The stop words; default datatrove's list.
    words: Option<Vec<String>>,
}

impl TryFrom<StopWordsToml> for StopWords {
    type Error = String;

    fn try_from(toml: StopWordsToml) -> Result<Self, String> {
        let words = toml
            .words
            .unwrap_or_else(|| GOPHER_STOP_WORDS.map(String::from).to_vec());
        Self::new(words)
    }
}

impl StopWords {
    /// A stop word list; fails when it is empty.
    pub fn new(mut words: Vec<String>) -> Result<Self, String> {
        words.sort_unstable();
        words.dedup();
        let lengths = words.iter().map(String::len);
        let (Some(shortest), Some(longest)) = (lengths.clone().min(), lengths.max()) else {
            return Err("`words` must list at least one stop word".into());
        };
        Ok(StopWords {
            sorted: words,
            shortest,
            longest,
        })
    }
}

impl Measure for StopWords {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let mut found = vec![false; self.sorted.len()];
        let mut n_found = 0;
        for word in views.words() {
            if word.len() < self.shortest || word.len() > self.longest {
                continue;
            }
            if let Ok(index) = self.sorted.binary_search_by(|stop| stop.as_str().cmp(word)) {
                n_found += usize::from(!found[index]);
                found[index] = true;
                if n_found == found.len() {
                    break;
                }
            }
        }
        n_found as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let default: StopWords = toml::from_str("").expect("default list");
        assert_eq!(default.measure(&Views::new(input)), expected, "{input:?}");
    }

    #[test]
    fn counts_distinct_stop_words() {
        let table = [
            ("", 0.0),
            ("the the the", 1.0),
            ("The cat sat on the mat, to be fair.", 3.0),
            ("THE AND OF", 0.0),
            (testdata::text("ref:foldoc:microreid"), 0.0),
            (testdata::text("wiki:Alain Connes"), 4.0),
            (testdata::text("sotu:1800_john_adams"), 8.0),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn custom_list_is_deduplicated_and_must_not_be_empty() {
        let custom: StopWords = toml::from_str("words = ['le', 'la', 'le']").expect("custom");
        assert_eq!(
            custom.measure(&Views::new("le chat et la souris, le chien")),
            2.0
        );
        assert!(toml::from_str::<StopWords>("words = []").is_err());
        assert!(toml::from_str::<StopWords>("word = ['x']").is_err());
    }
}
