//! The closed list of rule kinds: one enum variant per `src/filters/<kind>.rs`, selected by
//! the TOML `kind` key. Each variant wraps its kind's parameter struct, which carries
//! `deny_unknown_fields` (serde ignores that attribute on an internally tagged enum itself).

use super::lines::Rewriter;
use super::views::Views;
use super::{
    alpha_word_ratio, bullet_lines_ratio, char_count, ellipsis_lines_ratio, language_id,
    mean_word_length, non_symbol_chars, quality_classifier, stop_words, symbol_word_ratio,
    word_count,
};
use super::{
    citation_removal, duplicate_line_char_fraction, duplicate_line_char_ratio,
    duplicate_line_fraction, duplicate_ngram_char_fraction, duplicate_paragraph_char_fraction,
    duplicate_paragraph_fraction, line_count, line_max_word_length, line_min_words, line_substring,
    line_terminal_punctuation, newline_word_ratio, punctuated_line_ratio, regex, sentence_count,
    short_line_ratio, substring, token_count, top_ngram_char_fraction,
};
use serde::Deserialize;

/// What every kind implements: one number measured on a document.
pub trait Measure {
    /// Measures the document. A pure function of the text: no I/O, no global state.
    fn measure(&self, views: &Views<'_>) -> f64;

    /// [`Measure::measure`], allowed to stop early: once the document is known to measure
    /// at least `floor`, any value from `floor` up may come back. A rule with only a lower
    /// bound asks this way: the exact value matters only below it, where it is a drop's.
    fn measure_until(&self, views: &Views<'_>, floor: f64) -> f64 {
        let _ = floor;
        self.measure(views)
    }

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
    /// Number of characters outside whitespace and the punctuation set (no word split).
    NonSymbolChars(non_symbol_chars::NonSymbolChars),
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
    /// Score of the top language when it is in a configured set.
    LanguageId(language_id::LanguageId),
    /// Probability of high quality under a trained model (optionally plus a Pareto draw).
    QualityClassifier(quality_classifier::QualityClassifier),
    /// Number of tokens under a tokenizer.json.
    TokenCount(token_count::TokenCount),
    /// Number of lines.
    LineCount(line_count::LineCount),
    /// Gopher: fraction of lines repeating an earlier line.
    DuplicateLineFraction(duplicate_line_fraction::DuplicateLineFraction),
    /// Gopher: characters of repeated lines per character.
    DuplicateLineCharFraction(duplicate_line_char_fraction::DuplicateLineCharFraction),
    /// Gopher: fraction of paragraphs repeating an earlier paragraph.
    DuplicateParagraphFraction(duplicate_paragraph_fraction::DuplicateParagraphFraction),
    /// Gopher: characters of repeated paragraphs per character.
    DuplicateParagraphCharFraction(
        duplicate_paragraph_char_fraction::DuplicateParagraphCharFraction,
    ),
    /// Gopher: characters of the most frequent word n-gram per character.
    TopNgramCharFraction(top_ngram_char_fraction::TopNgramCharFraction),
    /// Gopher: characters of repeated word n-grams per character.
    DuplicateNgramCharFraction(duplicate_ngram_char_fraction::DuplicateNgramCharFraction),
    /// FineWeb: fraction of lines ending in terminal punctuation.
    PunctuatedLineRatio(punctuated_line_ratio::PunctuatedLineRatio),
    /// FineWeb: fraction of short lines.
    ShortLineRatio(short_line_ratio::ShortLineRatio),
    /// FineWeb: characters of repeated non-empty lines per non-newline character.
    DuplicateLineCharRatio(duplicate_line_char_ratio::DuplicateLineCharRatio),
    /// FineWeb: newlines per word.
    NewlineWordRatio(newline_word_ratio::NewlineWordRatio),
    /// C4 (rewrites): drop lines with an overlong word.
    LineMaxWordLength(line_max_word_length::LineMaxWordLength),
    /// C4 (rewrites): drop lines with too few words.
    LineMinWords(line_min_words::LineMinWords),
    /// C4 (rewrites): remove citation markers.
    CitationRemoval(citation_removal::CitationRemoval),
    /// C4 (rewrites): drop lines without terminal punctuation.
    LineTerminalPunctuation(line_terminal_punctuation::LineTerminalPunctuation),
    /// C4 (rewrites): drop lines containing listed strings.
    LineSubstring(line_substring::LineSubstring),
    /// C4: number of sentences.
    SentenceCount(sentence_count::SentenceCount),
    /// Blocklist: occurrences of literal strings.
    Substring(substring::Substring),
    /// Blocklist: matches of regular expressions.
    Regex(regex::Regex),
}

impl RuleKind {
    /// The kind's implementation and its TOML name (also the default rule name).
    fn parts(&self) -> (&dyn Measure, &'static str) {
        match self {
            RuleKind::CharCount(kind) => (kind, "char_count"),
            RuleKind::WordCount(kind) => (kind, "word_count"),
            RuleKind::NonSymbolChars(kind) => (kind, "non_symbol_chars"),
            RuleKind::MeanWordLength(kind) => (kind, "mean_word_length"),
            RuleKind::SymbolWordRatio(kind) => (kind, "symbol_word_ratio"),
            RuleKind::BulletLinesRatio(kind) => (kind, "bullet_lines_ratio"),
            RuleKind::EllipsisLinesRatio(kind) => (kind, "ellipsis_lines_ratio"),
            RuleKind::AlphaWordRatio(kind) => (kind, "alpha_word_ratio"),
            RuleKind::StopWords(kind) => (kind, "stop_words"),
            RuleKind::LanguageId(kind) => (kind, "language_id"),
            RuleKind::QualityClassifier(kind) => (kind, "quality_classifier"),
            RuleKind::TokenCount(kind) => (kind, "token_count"),
            RuleKind::LineCount(kind) => (kind, "line_count"),
            RuleKind::DuplicateLineFraction(kind) => (kind, "duplicate_line_fraction"),
            RuleKind::DuplicateLineCharFraction(kind) => (kind, "duplicate_line_char_fraction"),
            RuleKind::DuplicateParagraphFraction(kind) => (kind, "duplicate_paragraph_fraction"),
            RuleKind::DuplicateParagraphCharFraction(kind) => {
                (kind, "duplicate_paragraph_char_fraction")
            }
            RuleKind::TopNgramCharFraction(kind) => (kind, "top_ngram_char_fraction"),
            RuleKind::DuplicateNgramCharFraction(kind) => (kind, "duplicate_ngram_char_fraction"),
            RuleKind::PunctuatedLineRatio(kind) => (kind, "punctuated_line_ratio"),
            RuleKind::ShortLineRatio(kind) => (kind, "short_line_ratio"),
            RuleKind::DuplicateLineCharRatio(kind) => (kind, "duplicate_line_char_ratio"),
            RuleKind::NewlineWordRatio(kind) => (kind, "newline_word_ratio"),
            RuleKind::LineMaxWordLength(kind) => (kind, "line_max_word_length"),
            RuleKind::LineMinWords(kind) => (kind, "line_min_words"),
            RuleKind::CitationRemoval(kind) => (kind, "citation_removal"),
            RuleKind::LineTerminalPunctuation(kind) => (kind, "line_terminal_punctuation"),
            RuleKind::LineSubstring(kind) => (kind, "line_substring"),
            RuleKind::SentenceCount(kind) => (kind, "sentence_count"),
            RuleKind::Substring(kind) => (kind, "substring"),
            RuleKind::Regex(kind) => (kind, "regex"),
        }
    }

    /// The rewriting side of the kinds that rewrite the text (C4's line rules), else `None`.
    pub fn rewriter(&self) -> Option<&dyn Rewriter> {
        match self {
            RuleKind::LineMaxWordLength(kind) => Some(kind),
            RuleKind::LineMinWords(kind) => Some(kind),
            RuleKind::CitationRemoval(kind) => Some(kind),
            RuleKind::LineTerminalPunctuation(kind) => Some(kind),
            RuleKind::LineSubstring(kind) => Some(kind),
            _ => None,
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

    /// Measures a document until it reaches `floor` ([`Measure::measure_until`]).
    pub fn measure_until(&self, views: &Views<'_>, floor: f64) -> f64 {
        self.parts().0.measure_until(views, floor)
    }

    /// Loads the files a kind names (paths relative to `base`, the rule set's folder), once
    /// at load time: the model of `quality_classifier`, the tokenizer of `token_count`.
    pub fn load_files(&mut self, base: &std::path::Path) -> anyhow::Result<()> {
        match self {
            RuleKind::QualityClassifier(kind) => kind.load(base),
            RuleKind::TokenCount(kind) => kind.load(base),
            _ => Ok(()),
        }
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
            ("kind = 'non_symbol_chars'", "non_symbol_chars"),
            ("kind = 'mean_word_length'", "mean_word_length"),
            (
                "kind = 'symbol_word_ratio'\nsymbols = ['#']",
                "symbol_word_ratio",
            ),
            ("kind = 'bullet_lines_ratio'", "bullet_lines_ratio"),
            ("kind = 'ellipsis_lines_ratio'", "ellipsis_lines_ratio"),
            ("kind = 'alpha_word_ratio'", "alpha_word_ratio"),
            ("kind = 'stop_words'", "stop_words"),
            ("kind = 'language_id'\nlanguages = ['en']", "language_id"),
            (
                "kind = 'quality_classifier'\nmodel = 'm.bin'",
                "quality_classifier",
            ),
            ("kind = 'token_count'\ntokenizer = 't.json'", "token_count"),
            ("kind = 'line_count'", "line_count"),
            (
                "kind = 'duplicate_line_fraction'",
                "duplicate_line_fraction",
            ),
            (
                "kind = 'duplicate_line_char_fraction'",
                "duplicate_line_char_fraction",
            ),
            (
                "kind = 'duplicate_paragraph_fraction'",
                "duplicate_paragraph_fraction",
            ),
            (
                "kind = 'duplicate_paragraph_char_fraction'",
                "duplicate_paragraph_char_fraction",
            ),
            (
                "kind = 'top_ngram_char_fraction'\nn = 2",
                "top_ngram_char_fraction",
            ),
            (
                "kind = 'duplicate_ngram_char_fraction'\nn = 5",
                "duplicate_ngram_char_fraction",
            ),
            ("kind = 'punctuated_line_ratio'", "punctuated_line_ratio"),
            ("kind = 'short_line_ratio'", "short_line_ratio"),
            (
                "kind = 'duplicate_line_char_ratio'",
                "duplicate_line_char_ratio",
            ),
            ("kind = 'newline_word_ratio'", "newline_word_ratio"),
            ("kind = 'line_max_word_length'", "line_max_word_length"),
            ("kind = 'line_min_words'", "line_min_words"),
            ("kind = 'citation_removal'", "citation_removal"),
            (
                "kind = 'line_terminal_punctuation'",
                "line_terminal_punctuation",
            ),
            ("kind = 'line_substring'\nstrings = ['x']", "line_substring"),
            ("kind = 'sentence_count'", "sentence_count"),
            ("kind = 'substring'\nstrings = ['x']", "substring"),
            ("kind = 'regex'\npatterns = ['x+']", "regex"),
        ];
        for (toml_text, expected_name) in table {
            check(toml_text, expected_name);
        }
    }
}
