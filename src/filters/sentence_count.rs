//! `sentence_count`: the number of sentences, counted line by line (Python's
//! `str.splitlines()`) as C4 does after its line rules. It approximates NLTK's Punkt English
//! sentence splitter, which datatrove uses: within a line, a whitespace-separated token ends a
//! sentence when, after closing quotes and brackets, it ends in `.`, `?` or `!` and is not an
//! ellipsis (`..`), a single-letter initial (`J.`) or a common abbreviation (`Mr.`, `e.g.`);
//! the line's last token always ends one. An empty line has none. datatrove:
//! C4QualityFilter's `min_num_sentences` (5, reason `too_few_sentences`).

use super::kind::Measure;
use super::views::Views;
use serde::Deserialize;

/// Lowercased, without the final period: Punkt's English model treats these as abbreviations.
const ABBREVIATIONS: [&str; 40] = [
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "v", "etc", "e.g", "i.e", "u.s",
    "u.k", "inc", "ltd", "co", "corp", "no", "vol", "fig", "gen", "col", "lt", "sgt", "capt",
    "rev", "gov", "sen", "rep", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "a.m", "p.m",
];

/// Parameters of `sentence_count` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentenceCount {}

fn ends_sentence(token: &str) -> bool {
    let core = token.trim_end_matches(['"', '\'', ')', ']', '}', '”', '’', '»']);
    let Some(stem) = core.strip_suffix(['.', '?', '!']) else {
        return false;
    };
    if core.ends_with(['?', '!']) {
        return true;
    }
    if stem.ends_with('.') || stem.is_empty() {
        return false;
    }
    let stem = stem.trim_start_matches(['"', '\'', '(', '[', '“', '‘', '«']);
    let mut chars = stem.chars();
    if matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic()) {
        return false;
    }
    let is_abbreviation = stem.len() <= 5
        && ABBREVIATIONS
            .iter()
            .any(|abbreviation| abbreviation.eq_ignore_ascii_case(stem));
    !is_abbreviation
}

fn sentences_in_line(line: &str) -> usize {
    let mut tokens = line.split_whitespace().peekable();
    let mut count = 0;
    while let Some(token) = tokens.next() {
        if tokens.peek().is_none() || ends_sentence(token) {
            count += 1;
        }
    }
    count
}

impl Measure for SentenceCount {
    fn measure(&self, views: &Views<'_>) -> f64 {
        views
            .lines()
            .iter()
            .map(|line| sentences_in_line(line))
            .sum::<usize>() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: f64) {
        let measured = SentenceCount {}.measure(&Views::new(input));
        assert_eq!(measured, expected, "{:?}", &input[..input.len().min(60)]);
    }

    #[test]
    fn counts_sentences_per_line() {
        let table = [
            ("", 0.0),
            ("\n\n", 0.0),
            ("One. Two! Three? Four", 4.0),
            ("Mr. Smith met J. Doe, e.g. here. Then left.", 2.0),
            ("He said \"Stop!\" and left. Wait... no.", 3.0),
            ("Pi is 3.14 exactly.\nA title", 2.0),
            (testdata::text("sotu:1800_john_adams"), 40.0),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
