//! Added tokens (`<s>`, `</s>`, ...): split out of the text as HF's `AddedVocabulary` does.
//!
//! HF first finds the `normalized: false` tokens in the raw text (leftmost-longest), then
//! normalizes each gap between them and finds the `normalized: true` tokens, in their
//! normalized form, in the normalized gap. Empty gaps are dropped. Only tokens without
//! `lstrip`, `rstrip` and `single_word` get here (see `config`), and each must be in the model
//! vocabulary, so its id is the vocabulary's and the vocabulary size is unchanged.

use super::config::{AddedTokenSpec, Misfit, Vocab};
use super::normalize::Normalizer;
use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// A stretch of text: an added token's id, or text for the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Token(u32),
    Text(&'a str),
}

/// One set of patterns and the id of each.
struct Finder {
    automaton: AhoCorasick,
    ids: Vec<u32>,
}

/// The added tokens of one tokenizer.
pub struct AddedTokens {
    raw: Option<Finder>,
    normalized: Option<Finder>,
    by_content: FxHashMap<String, u32>,
}

impl AddedTokens {
    /// Finds each token's id in the vocabulary and builds the two finders.
    pub fn new(
        specs: &[AddedTokenSpec],
        vocab: &Vocab,
        normalizer: &Normalizer,
    ) -> Result<AddedTokens, Misfit> {
        // Like HF, a content listed twice keeps its last entry.
        let mut by_id: BTreeMap<u32, &AddedTokenSpec> = BTreeMap::new();
        let mut by_content = FxHashMap::default();
        for spec in specs.iter().filter(|s| !s.content.is_empty()) {
            let Some(&id) = vocab.get(&spec.content) else {
                return Err(Misfit(format!(
                    "its added token {:?} is not in the model vocabulary",
                    spec.content
                )));
            };
            by_id.insert(id, spec);
            by_content.insert(spec.content.clone(), id);
        }
        let finder = |normalized: bool| -> Result<Option<Finder>, Misfit> {
            let (patterns, ids): (Vec<String>, Vec<u32>) = by_id
                .iter()
                .filter(|(_, spec)| spec.normalized == normalized)
                .map(|(&id, spec)| match normalized {
                    true => (normalizer.normalize(&spec.content), id),
                    false => (spec.content.clone(), id),
                })
                .unzip();
            if patterns.is_empty() {
                return Ok(None);
            }
            let automaton = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .map_err(|e| Misfit(format!("its added tokens do not build: {e}")))?;
            Ok(Some(Finder { automaton, ids }))
        };
        Ok(AddedTokens {
            raw: finder(false)?,
            normalized: finder(true)?,
            by_content,
        })
    }

    /// The id of an added token's content.
    pub fn id_of(&self, content: &str) -> Option<u32> {
        self.by_content.get(content).copied()
    }

    /// Splits raw text on the `normalized: false` tokens.
    pub fn split_raw<'a>(&self, text: &'a str, f: &mut impl FnMut(Segment<'a>)) {
        split(self.raw.as_ref(), text, f);
    }

    /// Splits a normalized gap on the `normalized: true` tokens.
    pub fn split_normalized<'a>(&self, text: &'a str, f: &mut impl FnMut(Segment<'a>)) {
        split(self.normalized.as_ref(), text, f);
    }
}

fn split<'a>(finder: Option<&Finder>, text: &'a str, f: &mut impl FnMut(Segment<'a>)) {
    let mut last = 0;
    if let Some(finder) = finder {
        for found in finder.automaton.find_iter(text) {
            if found.start() > last {
                f(Segment::Text(&text[last..found.start()]));
            }
            f(Segment::Token(finder.ids[found.pattern().as_usize()]));
            last = found.end();
        }
    }
    if last < text.len() {
        f(Segment::Text(&text[last..]));
    }
}
