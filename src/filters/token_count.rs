//! `token_count`: the number of tokens of the document under a tokenizer.json (the run's GPT-2
//! BPE, or any other), so a source can be bounded in tokens, the unit training budgets use.
//!
//! `tokenizer` is a path relative to the rule set file, loaded once when the rule set is
//! loaded, with the fast byte-level BPE path when the tokenizer fits it (ids, hence counts,
//! are identical to the `tokenizers` crate's). No end-of-document token is counted. The count
//! is of the text the rule sees: after earlier rewriting rules, before decontamination.
//! A document the tokenizer refuses (an HF encode error) measures NaN, which fails every
//! bound, so it is dropped with the reason `token_count`, never silently kept.

use super::kind::Measure;
use super::views::Views;
use crate::tokenize::Tokenizer;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::Path;
use std::sync::Arc;

/// Parameters of `token_count`, with the tokenizer once loaded.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenCount {
    /// The tokenizer.json, relative to the rule set file.
    tokenizer: String,
    #[serde(skip)]
    loaded: Loaded,
}

/// The tokenizer, shared by clones of the rule; not printed by `Debug` (it is large).
#[derive(Clone, Default)]
struct Loaded(Option<Arc<Tokenizer>>);

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(tokenizer) => write!(f, "Tokenizer({})", tokenizer.engine_name()),
            None => write!(f, "not loaded"),
        }
    }
}

impl TokenCount {
    /// Reads the tokenizer named by `tokenizer`, relative to `base` (the rule set's folder).
    pub fn load(&mut self, base: &Path) -> Result<()> {
        let path = base.join(&self.tokenizer);
        let origin = path.display().to_string();
        let bytes =
            crate::io::read_bytes(&path).context("cannot load the token_count tokenizer")?;
        let tokenizer = Tokenizer::load_for_counting(&bytes, &origin)?;
        self.loaded = Loaded(Some(Arc::new(tokenizer)));
        Ok(())
    }
}

impl Measure for TokenCount {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let Some(tokenizer) = &self.loaded.0 else {
            return f64::NAN;
        };
        match tokenizer.encode(views.text()) {
            Ok(ids) => ids.len() as f64,
            Err(_) => f64::NAN,
        }
    }

    fn validate(&self) -> Result<(), String> {
        if self.tokenizer.is_empty() {
            return Err("`tokenizer` must name a tokenizer.json file".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::filters::{RuleSet, Verdict};

    fn set(bounds: &str) -> RuleSet {
        let origin = concat!(env!("CARGO_MANIFEST_DIR"), "/filters/inline.toml");
        let text = format!(
            "[[rule]]\nkind = 'token_count'\ntokenizer = '../data/tokenizer/gpt2/tokenizer.json'\n\
             {bounds}"
        );
        RuleSet::from_toml(&text, origin).expect("parse a token_count rule")
    }

    /// The measured value when dropped, `None` when kept.
    fn dropped_value(set: &RuleSet, text: &str) -> Option<f64> {
        match set.evaluate(text) {
            Verdict::Keep(_) => None,
            Verdict::Drop { value, .. } => Some(value),
        }
    }

    #[test]
    fn counts_gpt2_tokens_and_applies_bounds() {
        // GPT-2 ids of "Hello world": [15496, 995]; "<|endoftext|>" is one added token.
        let at_least_three = set("min = 3");
        assert_eq!(dropped_value(&at_least_three, "Hello world"), Some(2.0));
        assert_eq!(dropped_value(&at_least_three, "Hello world!"), None);
        assert_eq!(dropped_value(&at_least_three, ""), Some(0.0));
        let at_most_two = set("max = 2");
        assert_eq!(dropped_value(&at_most_two, "Hello world"), None);
        assert_eq!(dropped_value(&at_most_two, "a<|endoftext|>b"), Some(3.0));
    }

    #[test]
    fn missing_tokenizer_is_refused_at_load_time() {
        let origin = concat!(env!("CARGO_MANIFEST_DIR"), "/filters/inline.toml");
        let rules = "[[rule]]\nkind = 'token_count'\ntokenizer = 'no/such.json'\nmax = 5";
        let error = RuleSet::from_toml(rules, origin).expect_err("no tokenizer file");
        assert!(
            format!("{error:#}").contains("token_count tokenizer"),
            "{error:#}"
        );
    }
}
