//! Fast path for byte-level BPE tokenizers (GPT-2, and the Llama 3, GPT-4o, Qwen 2 and
//! OLMo 2 families), exact to the HF reference.
//!
//! Built from a tokenizer.json's own vocabulary, merges, added tokens, normalizer and
//! pre-tokenizer when the file fits (see `config` and `pre_json`): added tokens are split
//! out first (`added`), each remaining stretch is cut into pre-tokens by a hand-written
//! scanner (`pretokenize` for GPT-2's ByteLevel regex, `split` for the `Split` regexes of
//! the cl100k and o200k families, over the character classes of `classes`), and each
//! pre-token goes through the BPE core (`merge`). The ids are those of `HfTokenizer::encode`; the tests
//! compare the two engines on the sample corpus and on adversarial text.

mod added;
mod cache;
mod classes;
mod config;
mod merge;
mod merges_json;
mod normalize;
mod pre_json;
mod pretokenize;
mod queue;
mod split;
mod whole;

use added::{AddedTokens, Segment};
use anyhow::Result;
pub use config::Misfit;
use merge::{Merger, Scratch};
use normalize::Normalizer;
use pre_json::PreTokenizer;
use split::Scanner;
use std::cell::RefCell;

thread_local! {
    /// Each thread's buffers and piece memory, kept between documents.
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// A byte-level BPE encoder built from a tokenizer.json's own vocabulary and merges.
pub struct FastBpe {
    merger: Merger,
    /// Which encoder a thread's piece memory belongs to (see `cache`).
    owner: u64,
    /// The model vocabulary, byte-level token strings to ids (for [`FastBpe::token_to_id`]).
    vocab: config::Vocab,
    added: AddedTokens,
    normalizer: Normalizer,
    pre_tokenizer: PreTokenizer,
    /// The scanner of a `Split` pre-tokenizer.
    split: Option<Scanner>,
}

impl FastBpe {
    /// Builds the fast encoder when the tokenizer.json fits it (a ByteLevel pre-tokenizer, or a
    /// known `Split` then ByteLevel, a BPE model, no normalizer but NFC); `Ok(None)` when it
    /// does not fit.
    pub fn from_tokenizer_json(bytes: &[u8]) -> Result<Option<FastBpe>> {
        Ok(Self::try_from_tokenizer_json(bytes)?.ok())
    }

    /// Like [`FastBpe::from_tokenizer_json`], but says why a tokenizer does not fit.
    /// `Err` means the bytes are not a tokenizer.json at all.
    pub fn try_from_tokenizer_json(bytes: &[u8]) -> Result<std::result::Result<FastBpe, Misfit>> {
        let spec = match config::read(bytes)? {
            Ok(spec) => spec,
            Err(misfit) => return Ok(Err(misfit)),
        };
        let built = Merger::new(&spec.vocab, &spec.merges, spec.ignore_merges).and_then(|merger| {
            Ok(FastBpe {
                merger,
                owner: cache::new_owner(),
                added: AddedTokens::new(&spec.added_tokens, &spec.vocab, spec.normalizer)?,
                vocab: spec.vocab,
                normalizer: spec.normalizer,
                pre_tokenizer: spec.pre_tokenizer,
                split: match spec.pre_tokenizer {
                    PreTokenizer::Split(family) => Some(Scanner::new(family)),
                    PreTokenizer::ByteLevel { .. } => None,
                },
            })
        });
        Ok(built)
    }

    /// The id of `token` as HF's `token_to_id` finds it: added tokens first, then the
    /// model vocabulary.
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.added
            .id_of(token)
            .or_else(|| self.vocab.get(token).copied())
    }

    /// Vocabulary size including added tokens, as HF's `get_vocab_size(true)` counts it.
    pub fn vocab_size(&self) -> usize {
        self.vocab.len() + self.added.beyond_vocab()
    }

    /// Token ids of `text`, identical to `HfTokenizer::encode`.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut ids = Vec::with_capacity(text.len() / 4);
        self.encode_into(text, &mut ids);
        ids
    }

    /// Appends the token ids of `text` to `ids`.
    pub fn encode_into(&self, text: &str, ids: &mut Vec<u32>) {
        let add_prefix_space = matches!(
            self.pre_tokenizer,
            PreTokenizer::ByteLevel {
                add_prefix_space: true,
                ..
            }
        );
        SCRATCH.with_borrow_mut(|scratch| {
            scratch.cache.claim(self.owner);
            self.added
                .split(text, self.normalizer, &mut |segment| match segment {
                    Segment::Token(id) => ids.push(id),
                    Segment::Text(gap) if add_prefix_space && !gap.starts_with(' ') => {
                        self.encode_gap(&format!(" {gap}"), ids, scratch);
                    }
                    Segment::Text(gap) => self.encode_gap(gap, ids, scratch),
                });
            scratch.release_large();
        });
    }

    fn encode_gap(&self, gap: &str, ids: &mut Vec<u32>, scratch: &mut Scratch) {
        if let Some(scanner) = &self.split {
            for piece in scanner.pieces(gap) {
                self.merger.encode_piece(piece.as_bytes(), ids, scratch);
            }
        } else if let PreTokenizer::ByteLevel {
            use_regex: true, ..
        } = self.pre_tokenizer
        {
            for piece in pretokenize::pieces(gap) {
                self.merger.encode_piece(piece.as_bytes(), ids, scratch);
            }
        } else {
            self.merger.encode_piece(gap.as_bytes(), ids, scratch);
        }
    }
}

#[cfg(test)]
mod tests;
