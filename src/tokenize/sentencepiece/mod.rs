//! Fast path for SentencePiece-style BPE tokenizers (Llama 2, Mistral: byte fallback, `▁`
//! word marks, no pre-tokenizer), exact to the HF reference.
//!
//! Built from a tokenizer.json's own vocabulary, merges, added tokens and normalizer when the
//! file fits (see `config`). Added tokens are split out (`added`), each gap is normalized
//! (`normalize`), and the whole gap is one BPE "word" for HF. It is cut where no token can
//! span (`cut`: before a `▁` that follows another character, around a character that no merge
//! uses; both proven on load), and each piece merges on its own: pieces that are one token, and
//! each thread's recent pieces, are looked up instead (`memo`). The BPE core (`merge`) makes
//! HF's symbols (byte fallback, unknown token) and merges in HF's order.

mod added;
mod config;
mod cut;
mod memo;
mod merge;
mod normalize;

use added::{AddedTokens, Segment};
use anyhow::Result;
pub use config::Misfit;
use config::Vocab;
use cut::{Cutter, Piece};
use memo::{Key, WholeWords, WordMemo};
use merge::{MergeScratch, Merger};
use normalize::Normalizer;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_OWNER: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// Each thread's buffers and stretch memory, kept between documents.
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

#[derive(Default)]
struct Scratch {
    /// The encoder whose stretches `memo` holds.
    owner: u64,
    memo: WordMemo,
    normalized: String,
    spare: String,
    merge: MergeScratch,
}

/// A SentencePiece-style BPE encoder built from a tokenizer.json.
pub struct SentencePieceBpe {
    merger: Merger,
    /// Which encoder a thread's stretch memory belongs to.
    owner: u64,
    vocab: Vocab,
    added: AddedTokens,
    normalizer: Normalizer,
    /// Where stretches may be cut into pieces that merge on their own.
    cutter: Cutter,
    ignore_merges: bool,
    /// Stretches whose encoding is the one token they spell.
    whole: WholeWords,
}

impl SentencePieceBpe {
    /// Builds the encoder when the tokenizer.json fits it; `Ok(Err(misfit))` says why it does
    /// not, `Err` that the bytes are not a tokenizer.json at all.
    pub fn try_from_tokenizer_json(
        bytes: &[u8],
    ) -> Result<std::result::Result<SentencePieceBpe, Misfit>> {
        let spec = match config::read(bytes)? {
            Ok(spec) => spec,
            Err(misfit) => return Ok(Err(misfit)),
        };
        let merger = match Merger::new(
            &spec.vocab,
            &spec.merges,
            spec.unk_token.as_deref(),
            spec.fuse_unk,
            spec.byte_fallback,
        ) {
            Ok(merger) => merger,
            Err(misfit) => return Ok(Err(misfit)),
        };
        let added = match AddedTokens::new(&spec.added_tokens, &spec.vocab, &spec.normalizer) {
            Ok(added) => added,
            Err(misfit) => return Ok(Err(misfit)),
        };
        let cutter = Cutter::new(&merger, &spec.merges, spec.unk_token.as_deref());
        let mut whole = WholeWords::default();
        let (mut ids, mut scratch) = (Vec::new(), MergeScratch::default());
        for (token, &id) in &spec.vocab {
            ids.clear();
            merger.encode(token, &mut ids, &mut scratch);
            if ids == [id] {
                whole.insert(token, id);
            }
        }
        Ok(Ok(SentencePieceBpe {
            merger,
            owner: NEXT_OWNER.fetch_add(1, Ordering::Relaxed),
            vocab: spec.vocab,
            added,
            normalizer: spec.normalizer,
            cutter,
            ignore_merges: spec.ignore_merges,
            whole,
        }))
    }

    /// The id of `token` as HF's `token_to_id` finds it: added tokens first, then the
    /// model vocabulary.
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.added
            .id_of(token)
            .or_else(|| self.vocab.get(token).copied())
    }

    /// Vocabulary size including added tokens (all of which are in the model vocabulary).
    pub fn vocab_size(&self) -> usize {
        self.vocab.len()
    }

    /// Token ids of `text`, identical to `HfTokenizer::encode`.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut ids = Vec::with_capacity(text.len() / 3);
        self.encode_into(text, &mut ids);
        ids
    }

    /// Appends the token ids of `text` to `ids`.
    pub fn encode_into(&self, text: &str, ids: &mut Vec<u32>) {
        SCRATCH.with_borrow_mut(|scratch| {
            if scratch.owner != self.owner {
                scratch.memo.clear();
                scratch.owner = self.owner;
            }
            let mut normalized = std::mem::take(&mut scratch.normalized);
            self.added.split_raw(text, &mut |segment| match segment {
                Segment::Token(id) => ids.push(id),
                Segment::Text(gap) => {
                    self.normalizer
                        .apply(gap, &mut normalized, &mut scratch.spare);
                    self.added
                        .split_normalized(&normalized, &mut |inner| match inner {
                            Segment::Token(id) => ids.push(id),
                            Segment::Text(stretch) => self.encode_stretch(stretch, ids, scratch),
                        });
                }
            });
            scratch.normalized = normalized;
            scratch.merge.release_large();
            if scratch.normalized.capacity() > 1 << 20 {
                (scratch.normalized, scratch.spare) = Default::default();
            }
        });
    }

    /// One normalized stretch between added tokens: one BPE word for HF.
    fn encode_stretch(&self, stretch: &str, ids: &mut Vec<u32>, scratch: &mut Scratch) {
        if self.ignore_merges {
            if let Some(&id) = self.vocab.get(stretch) {
                ids.push(id);
                return;
            }
        }
        if self.cutter.cuts() {
            self.cutter.for_each(stretch, |piece| match piece {
                Piece::Word(word) => self.encode_word(word, ids, scratch),
                Piece::Token(id) => ids.push(id),
            });
        } else {
            self.merger.encode(stretch, ids, &mut scratch.merge);
        }
    }

    fn encode_word(&self, word: &str, ids: &mut Vec<u32>, scratch: &mut Scratch) {
        if !WordMemo::keeps(word) {
            return self.merger.encode(word, ids, &mut scratch.merge);
        }
        let key = Key::of(word);
        if let Some(id) = self.whole.get(word, key) {
            ids.push(id);
        } else if let Some(known) = scratch.memo.get(word, key) {
            ids.extend_from_slice(known);
        } else {
            let start = ids.len();
            self.merger.encode(word, ids, &mut scratch.merge);
            scratch.memo.insert(word, key, &ids[start..]);
        }
    }
}

#[cfg(test)]
mod tests;
