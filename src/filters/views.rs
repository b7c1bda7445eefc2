//! The shared views of one document: its words and its lines, each computed at most once,
//! on first use, and shared by every rule of a rule set. Views borrow the text; building
//! them allocates one `Vec` per view, never one value per word or line.

use super::lines::py_strip;
use super::ngrams::Ngrams;
use super::repetition::{DupStats, dup_stats, split_newline_runs};
use super::word_stats::WordStats;
use super::words::split_words;
use std::cell::OnceCell;

/// Lazily computed views of one document text.
pub struct Views<'a> {
    text: &'a str,
    /// The words and their counts, split together.
    words: OnceCell<(Vec<&'a str>, WordStats)>,
    lines: OnceCell<Vec<&'a str>>,
    n_chars: OnceCell<usize>,
    newline_lines: OnceCell<Vec<&'a str>>,
    line_dups: OnceCell<DupStats>,
    paragraph_dups: OnceCell<DupStats>,
    ngrams: OnceCell<Ngrams>,
    language: OnceCell<(&'static str, f64)>,
}

impl<'a> Views<'a> {
    /// Wraps a document text; nothing is computed until a view is asked for.
    pub fn new(text: &'a str) -> Self {
        Views {
            text,
            words: OnceCell::new(),
            lines: OnceCell::new(),
            n_chars: OnceCell::new(),
            newline_lines: OnceCell::new(),
            line_dups: OnceCell::new(),
            paragraph_dups: OnceCell::new(),
            ngrams: OnceCell::new(),
            language: OnceCell::new(),
        }
    }

    /// Wraps a document text whose language was already detected (by
    /// [`super::detect_language`] on this same text), so rules do not detect it again. A
    /// batch detects the languages of all its documents first, then filters them: the
    /// detector's multi-megabyte tables stay in cache for the whole batch instead of
    /// being evicted by every document's other rules.
    pub fn with_language(text: &'a str, language: (&'static str, f64)) -> Self {
        let views = Views::new(text);
        views.language.get_or_init(|| language);
        views
    }

    /// The document text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The words, split as described in the `words` module.
    pub fn words(&self) -> &[&'a str] {
        &self.split().0
    }

    fn split(&self) -> &(Vec<&'a str>, WordStats) {
        self.words.get_or_init(|| {
            let mut words = Vec::with_capacity(self.text.len() / 5);
            let mut stats = WordStats::default();
            split_words(self.text, &mut words, &mut stats);
            (words, stats)
        })
    }

    /// The lines, split like Python's `str.splitlines()`: on `\n`, `\r\n`, `\r`, `\v`, `\f`,
    /// `\x1c`-`\x1e`, U+0085, U+2028 and U+2029, with no empty last line after a final break.
    pub fn lines(&self) -> &[&'a str] {
        self.lines.get_or_init(|| split_lines(self.text))
    }

    /// Length of the text in characters (Python's `len(text)`).
    pub fn n_chars(&self) -> usize {
        *self.n_chars.get_or_init(|| self.text.chars().count())
    }

    /// The text split at every `\n` (Python's `text.split("\n")`, FineWeb's lines): a final
    /// `\n` gives an empty last line, and `\r` stays in its line.
    pub fn newline_lines(&self) -> &[&'a str] {
        self.newline_lines
            .get_or_init(|| self.text.split('\n').collect())
    }

    /// Duplicates among Gopher's lines, `re.split("\n+", text)`.
    pub fn line_dups(&self) -> &DupStats {
        self.line_dups
            .get_or_init(|| dup_stats(split_newline_runs(self.text, 1)))
    }

    /// Duplicates among Gopher's paragraphs, `re.split("\n{2,}", text.strip())`.
    pub fn paragraph_dups(&self) -> &DupStats {
        self.paragraph_dups
            .get_or_init(|| dup_stats(split_newline_runs(py_strip(self.text), 2)))
    }

    /// The word n-gram index of the repetition kinds.
    pub fn ngrams(&self) -> &Ngrams {
        self.ngrams.get_or_init(|| Ngrams::new(self.words()))
    }

    /// The detected top language and its confidence ([`super::detect_language`]), measured
    /// once even when both a `language_id` rule and the report's distribution ask.
    pub fn language(&self) -> (&'static str, f64) {
        *self
            .language
            .get_or_init(|| super::detect_language(self.text))
    }

    /// The word counts shared by the Gopher kinds, gathered as the words are split.
    pub fn word_stats(&self) -> &WordStats {
        &self.split().1
    }
}

/// `numerator / denominator`, or 0 when the denominator is 0 (an empty document measures 0
/// on every ratio rather than NaN, so bounds compare predictably).
pub fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

fn split_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    // Most texts break lines with `\n` alone: one branch-free pass over the bytes proves it
    // (no `\r`, `\v`, `\f`, `\x1c`-`\x1e`, nor a lead byte of U+0085, U+2028 or U+2029),
    // and the split is then `str::split`'s memchr search.
    let rare_break = bytes.iter().fold(false, |found, &b| {
        found | matches!(b, b'\r' | 0x0b | 0x0c | 0x1c..=0x1e | 0xc2 | 0xe2)
    });
    if !rare_break {
        let mut lines: Vec<&str> = text.split('\n').collect();
        // No empty last line after a final break (and none at all for "").
        if text.is_empty() || text.ends_with('\n') {
            lines.pop();
        }
        return lines;
    }
    let mut lines = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let break_len = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => 2,
            b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1e => 1,
            0xc2 if bytes.get(i + 1) == Some(&0x85) => 2,
            0xe2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
            {
                3
            }
            _ => 0,
        };
        if break_len == 0 {
            i += 1;
        } else {
            lines.push(&text[start..i]);
            i += break_len;
            start = i;
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        assert_eq!(Views::new(input).lines(), expected, "{input:?}");
    }

    #[test]
    fn lines_like_python_splitlines() {
        let table: &[(&str, &[&str])] = &[
            ("", &[]),
            ("a", &["a"]),
            ("a\n", &["a"]),
            ("\n", &[""]),
            ("a\r\nb\rc\n\nd", &["a", "b", "c", "", "d"]),
            (
                "a\u{85}b\u{2028}c\u{2029}d\x0be\x0cf\x1cg",
                &["a", "b", "c", "d", "e", "f", "g"],
            ),
            ("café\u{2026}\n€", &["café\u{2026}", "€"]),
            ("a\n\nb\n\n", &["a", "", "b", ""]),
            ("\n\n", &["", ""]),
            ("a\nb", &["a", "b"]),
        ];
        for &(input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn word_stats_count_symbols_and_letters() {
        let views = Views::new("The cat -- 42 sat... ¿ok?");
        assert_eq!(
            views.words(),
            ["The", "cat", "--", "42", "sat", "...", "¿", "ok", "?"]
        );
        let expected = WordStats {
            n_words: 9,
            n_non_symbol: 6,
            non_symbol_chars: 3 + 3 + 2 + 3 + 1 + 2,
            n_alphabetic: 4,
        };
        assert_eq!(*views.word_stats(), expected);
    }
}
