//! Downstream-task decontamination, after Megatron's `tools/openwebtext/filter_ngrams.py`
//! (the MT-NLG and GPT-3 Appendix C rule): find task n-grams in training documents, cut each
//! match out with a margin, keep the long pieces, drop documents cut into too many pieces.
//!
//! The stage is pure (no I/O, no threads) and runs in the pipeline's two passes:
//! - build: [`TaskNgrams::from_tasks`] turns task texts into lower-cased word 13-grams (a
//!   task text of 8 to 12 words becomes one n-gram, whole), minus the degenerate ones
//!   ([`GuardParams`]);
//! - pass 1: [`TaskNgrams::matches`] lists the task n-grams a document contains; each
//!   batch adds them to an [`NgramCounts`], and the batches' counts are merged;
//! - between the passes: [`TaskNgrams::finalize`] drops the n-grams found in
//!   `key_threshold` documents or more (common phrases) and returns a [`Decontaminator`];
//! - pass 2: [`Decontaminator::clean`] returns a [`CleanOutcome`]: the byte ranges of the
//!   pieces to keep, the n-grams and tasks hit, and a [`Verdict`].
//!
//! Files: [`words`] (the `\w+` word scanner and word hashes), [`index`] (n-gram hashes and
//! their lookup), [`guard`], [`tasks`], [`counts`], [`clean`].

pub mod clean;
pub mod counts;
pub mod guard;
pub mod index;
pub mod starts;
pub mod tasks;
pub mod words;

pub use clean::{CleanOutcome, Decontaminator, Hit, Verdict};
pub use counts::NgramCounts;
pub use guard::GuardParams;
pub use tasks::{NgramId, TaskId, TaskNgrams, TaskStats, TaskText};

/// Decontamination parameters, `[decontam]` in the run config. The defaults are those of
/// `filter_ngrams.py`; lengths are in characters (Unicode scalar values), as in Python.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DecontamParams {
    /// Words per task n-gram (`--max-ngram-size`).
    pub max_ngram: usize,
    /// Task texts with fewer words are ignored; texts of `min_ngram..max_ngram` words are
    /// one n-gram, whole (`--min-ngram-size`).
    pub min_ngram: usize,
    /// N-grams found in this many training documents or more are ignored
    /// (`--key-threshold`).
    pub key_threshold: u32,
    /// Characters removed on each side of a match before looking for sentence punctuation
    /// (`--remove-char-each-side`).
    pub remove_char_each_side: usize,
    /// Pieces of a split document are kept only if longer than this, in characters
    /// (`--filter-text-char-len`).
    pub filter_text_char_len: usize,
    /// Documents split into more pieces than this are dropped (`--splits-count`).
    pub splits_count: usize,
    /// The degenerate n-gram guard (not in `filter_ngrams.py`).
    pub guard: GuardParams,
}

impl Default for DecontamParams {
    /// `filter_ngrams.py`'s defaults, with the guard on.
    fn default() -> DecontamParams {
        DecontamParams {
            max_ngram: 13,
            min_ngram: 8,
            key_threshold: 10,
            remove_char_each_side: 200,
            filter_text_char_len: 200,
            splits_count: 10,
            guard: GuardParams::default(),
        }
    }
}

/// The longest n-gram [`DecontamParams::max_ngram`] may ask for.
pub const MAX_NGRAM_LIMIT: usize = 64;

impl DecontamParams {
    /// Refuses parameters that cannot work: n-gram sizes out of `1..=64` or in the wrong
    /// order, a zero key threshold (every n-gram would be ignored).
    pub fn validate(&self) -> anyhow::Result<()> {
        let (min, max) = (self.min_ngram, self.max_ngram);
        anyhow::ensure!(
            (1..=MAX_NGRAM_LIMIT).contains(&max),
            "decontam: max_ngram must be in 1..={MAX_NGRAM_LIMIT}, not {max}"
        );
        anyhow::ensure!(
            (1..=max).contains(&min),
            "decontam: min_ngram must be in 1..=max_ngram ({max}), not {min}"
        );
        anyhow::ensure!(
            self.key_threshold >= 1,
            "decontam: key_threshold must be at least 1 (0 would ignore every n-gram)"
        );
        Ok(())
    }
}

#[cfg(test)]
mod testdata;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod params_tests {
    use super::*;

    fn check(toml_text: &str, expected: Result<DecontamParams, &str>) {
        let parsed = toml::from_str::<DecontamParams>(toml_text)
            .map_err(anyhow::Error::from)
            .and_then(|params| params.validate().map(|()| params));
        match (parsed, expected) {
            (Ok(params), Ok(want)) => assert_eq!(params, want, "{toml_text}"),
            (Err(err), Err(want)) => {
                let msg = format!("{err:#}");
                assert!(msg.contains(want), "{toml_text}: {msg}");
            }
            (got, want) => panic!("{toml_text}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn params_parse_validate_and_refuse_unknown_keys() {
        let defaults = DecontamParams::default();
        let no_guard = DecontamParams {
            guard: GuardParams {
                enabled: false,
                ..GuardParams::default()
            },
            ..DecontamParams::default()
        };
        let cases: [(&str, Result<DecontamParams, &str>); 7] = [
            ("", Ok(defaults.clone())),
            ("max_ngram = 13\nkey_threshold = 10", Ok(defaults)),
            ("[guard]\nenabled = false", Ok(no_guard)),
            ("max_ngrams = 13", Err("unknown field `max_ngrams`")),
            (
                "[guard]\nmin_distinct = 3",
                Err("unknown field `min_distinct`"),
            ),
            ("min_ngram = 14", Err("min_ngram must be in 1..=max_ngram")),
            ("key_threshold = 0", Err("key_threshold must be at least 1")),
        ];
        for (toml_text, expected) in cases {
            check(toml_text, expected);
        }
    }
}
