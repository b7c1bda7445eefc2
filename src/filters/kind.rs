//! The closed list of rule kinds: one enum variant per `src/filters/<kind>.rs`, selected by
//! the TOML `kind` key. Each variant wraps its kind's parameter struct, which carries
//! `deny_unknown_fields` (serde ignores that attribute on an internally tagged enum itself).

use super::views::Views;
use super::{
    alpha_word_ratio, bullet_lines_ratio, char_count, ellipsis_lines_ratio, mean_word_length,
    stop_words, symbol_word_ratio, word_count,
};
use serde::Deserialize;

/// What every kind implements: one number measured on a document.
pub trait Measure {
    /// Measures the document. A pure function of the text: no I/O, no global state.
    fn measure(&self, views: &Views<'_>) -> f64;

    /// Checks the kind's parameters once, at load time; the error names the bad parameter.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
}

/// A rule kind with its parameters, as written in a rule set file.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleKind {
    /// Document length in characters.
    CharCount(char_count::CharCount),
    /// Number of non-symbol words.
    WordCount(word_count::WordCount),
    /// Mean length of the non-symbol words.
    MeanWordLength(mean_word_length::MeanWordLength),
    /// Occurrences of given symbols per word.
    SymbolWordRatio(symbol_word_ratio::SymbolWordRatio),
    /// Fraction of lines that start with a bullet.
    BulletLinesRatio(bullet_lines_ratio::BulletLinesRatio),
    /// Fraction of lines that end with an ellipsis.
    EllipsisLinesRatio(ellipsis_lines_ratio::EllipsisLinesRatio),
    /// Fraction of words with at least one letter.
    AlphaWordRatio(alpha_word_ratio::AlphaWordRatio),
    /// Number of distinct stop words present.
    StopWords(stop_words::StopWords),
}

impl RuleKind {
    /// The kind's implementation and its TOML name (also the default rule name).
    fn parts(&self) -> (&dyn Measure, &'static str) {
        match self {
            RuleKind::CharCount(kind) => (kind, "char_count"),
            RuleKind::WordCount(kind) => (kind, "word_count"),
            RuleKind::MeanWordLength(kind) => (kind, "mean_word_length"),
            RuleKind::SymbolWordRatio(kind) => (kind, "symbol_word_ratio"),
            RuleKind::BulletLinesRatio(kind) => (kind, "bullet_lines_ratio"),
            RuleKind::EllipsisLinesRatio(kind) => (kind, "ellipsis_lines_ratio"),
            RuleKind::AlphaWordRatio(kind) => (kind, "alpha_word_ratio"),
            RuleKind::StopWords(kind) => (kind, "stop_words"),
        }
    }

    /// The TOML name of the kind, e.g. `word_count`.
    pub fn name(&self) -> &'static str {
        self.parts().1
    }

    /// Measures a document.
    pub fn measure(&self, views: &Views<'_>) -> f64 {
        self.parts().0.measure(views)
    }

    /// Checks the parameters (see [`Measure::validate`]).
    pub fn validate(&self) -> Result<(), String> {
        self.parts().0.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(toml_text: &str, expected_name: &str) {
        let kind: RuleKind = toml::from_str(toml_text).expect(toml_text);
        assert_eq!(kind.name(), expected_name);
    }

    #[test]
    fn serde_names_match_kind_names() {
        let table = [
            ("kind = 'char_count'", "char_count"),
            ("kind = 'word_count'", "word_count"),
            ("kind = 'mean_word_length'", "mean_word_length"),
            (
                "kind = 'symbol_word_ratio'\nsymbols = ['#']",
                "symbol_word_ratio",
            ),
            ("kind = 'bullet_lines_ratio'", "bullet_lines_ratio"),
            ("kind = 'ellipsis_lines_ratio'", "ellipsis_lines_ratio"),
            ("kind = 'alpha_word_ratio'", "alpha_word_ratio"),
            ("kind = 'stop_words'", "stop_words"),
        ];
        for (toml_text, expected_name) in table {
            check(toml_text, expected_name);
        }
    }
}
