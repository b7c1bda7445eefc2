//! The degenerate n-gram guard: task n-grams made of digits, single characters or a few
//! repeated words are skipped, because they match unrelated text and are no evidence of
//! contamination. Not in `filter_ngrams.py`; on by default.
//!
//! The case that motivates it is real: HumanEval/78 (`hex_key`) lists "0, 1, 2, 3, 4, 5, 6,
//! 7, 8, 9, A, B, C, D, E, F", whose 13-gram `0 1 2 3 4 5 6 7 8 9 a b c` occurs in the
//! `isalpha.3` man page and in serde_json's `src/ser.rs`. HumanEval's float lists
//! (`[1.0, 2.0, 3.0]` is the word run `1 0 2 0 3 0`) and BIG-bench's digit-run tasks
//! behave the same way.
//!
//! A word is *informative* if it has two characters or more and is not all digits. An
//! n-gram is degenerate if it has fewer than `min_informative_words` informative words or
//! fewer than `min_distinct_words` distinct words. On HumanEval and the 12,296 examples of
//! the seven BIG-bench tasks in the shared eval set, the defaults (3 and 5) skip 690 n-gram
//! occurrences (686 of them in HumanEval) and keep 904,200 distinct n-grams; the skipped are
//! all number lists, letter lists or repeated tokens.

/// Settings of the degenerate n-gram guard, `[decontam.guard]` in the run config.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GuardParams {
    /// Whether the guard runs at all.
    pub enabled: bool,
    /// Fewest words of two characters or more, not all digits, a kept n-gram has.
    pub min_informative_words: usize,
    /// Fewest distinct words a kept n-gram has.
    pub min_distinct_words: usize,
}

impl Default for GuardParams {
    /// On, with 3 informative and 5 distinct words.
    fn default() -> GuardParams {
        GuardParams {
            enabled: true,
            min_informative_words: 3,
            min_distinct_words: 5,
        }
    }
}

/// Why the guard skipped an n-gram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Degenerate {
    /// Fewer than `min_informative_words` informative words.
    FewInformative,
    /// Fewer than `min_distinct_words` distinct words.
    FewDistinct,
}

/// Whether a lower-cased word has two characters or more and is not all digits.
fn is_informative(word: &str) -> bool {
    let mut chars = word.chars();
    let (Some(_), Some(_)) = (chars.next(), chars.next()) else {
        return false;
    };
    !word.chars().all(char::is_numeric)
}

impl GuardParams {
    /// Why the n-gram `words` (lower-cased) is degenerate, or `None` when it is kept.
    pub fn check(&self, words: &[String]) -> Option<Degenerate> {
        if !self.enabled {
            return None;
        }
        let informative = words.iter().filter(|w| is_informative(w)).count();
        if informative < self.min_informative_words {
            return Some(Degenerate::FewInformative);
        }
        // N-grams are short (13 words): a quadratic distinct count beats a hash set.
        let distinct = (0..words.len())
            .filter(|&i| !words[..i].contains(&words[i]))
            .count();
        if distinct < self.min_distinct_words {
            return Some(Degenerate::FewDistinct);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(guard: &GuardParams, ngram: &str, expected: Option<Degenerate>) {
        let words: Vec<String> = ngram.split(' ').map(str::to_owned).collect();
        assert_eq!(guard.check(&words), expected, "{ngram:?}");
    }

    #[test]
    fn guard_skips_digit_letter_and_repeated_runs() {
        let on = GuardParams::default();
        let off = GuardParams {
            enabled: false,
            ..GuardParams::default()
        };
        let hex = "0 1 2 3 4 5 6 7 8 9 a b c";
        let cases = [
            // HumanEval/78, HumanEval/0 and HumanEval/17: real task 13-grams.
            (&on, hex, Some(Degenerate::FewInformative)),
            (
                &on,
                "1 0 2 8 3 0 4 0 5 0 2 0 0",
                Some(Degenerate::FewInformative),
            ),
            (
                &on,
                "o o o o o o 4 2 1 2 2 1 1",
                Some(Degenerate::FewInformative),
            ),
            (
                &on,
                "has_close_elements 1 0 2 0 3 0 0 5 false has_close_elements 1 0",
                None,
            ),
            (
                &on,
                "yes no yes no yes no yes no yes no yes no yes",
                Some(Degenerate::FewDistinct),
            ),
            (&on, "7 8 9 a b c d e f prime numbers are 2", None),
            // implicit_relations: the Jane Austen passage.
            (
                &on,
                "determined her afterwards to stay and for their sakes avoid a breach with",
                None,
            ),
            (&off, hex, None),
        ];
        for (guard, ngram, expected) in cases {
            check(guard, ngram, expected);
        }
    }
}
