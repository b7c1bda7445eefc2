//! `symbol_word_ratio`: occurrences of the given symbols in the text per word. datatrove's
//! single `max_symbol_word_ratio` (0.1) is checked twice, so a Gopher rule set has two rules
//! of this kind: `symbols = ["#"]` and `symbols = ["...", "…"]`.

use super::kind::Measure;
use super::views::{Views, ratio};
use memchr::memmem;
use serde::Deserialize;

/// Parameters of `symbol_word_ratio`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SymbolWordRatio {
    /// Strings to count; each is counted without overlaps (`str.count`) and the counts summed.
    pub symbols: Vec<String>,
}

impl Measure for SymbolWordRatio {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let text = views.text();
        let n_symbols = self
            .symbols
            .iter()
            // memmem's vector search, not `str::matches` (Two-Way for `...`); both count
            // without overlaps, as Python's `str.count`.
            .map(|symbol| memmem::find_iter(text.as_bytes(), symbol.as_bytes()).count())
            .sum();
        // datatrove divides by all words, punctuation tokens included.
        ratio(n_symbols, views.word_stats().n_words)
    }

    fn validate(&self) -> Result<(), String> {
        if self.symbols.is_empty() || self.symbols.iter().any(String::is_empty) {
            return Err("`symbols` must list at least one symbol, and no empty string".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: (&[&str], &str), expected: f64) {
        let (symbols, text) = input;
        let kind = SymbolWordRatio {
            symbols: symbols.iter().map(|s| s.to_string()).collect(),
        };
        let measured = kind.measure(&Views::new(text));
        assert!((measured - expected).abs() < 1e-4, "{text:?}: {measured}");
    }

    #[test]
    fn counts_symbols_per_word() {
        const HASH: &[&str] = &["#"];
        const ELLIPSIS: &[&str] = &["...", "…"];
        let table = [
            ((HASH, ""), 0.0),
            ((HASH, "# Title\n## Part"), 3.0 / 5.0),
            ((ELLIPSIS, "wait.... what… no...."), 3.0 / 6.0),
            (
                (HASH, testdata::text("code:flask/requirements/build.txt")),
                0.2222,
            ),
            ((HASH, testdata::text("man:wcscat.3")), 0.0024),
            ((ELLIPSIS, testdata::text("wiki:Alain Connes")), 0.0),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn refuses_empty_symbols() {
        assert!(SymbolWordRatio { symbols: vec![] }.validate().is_err());
        assert!(
            SymbolWordRatio {
                symbols: vec![String::new()]
            }
            .validate()
            .is_err()
        );
    }
}
