//! The reference engine: the HF `tokenizers` crate.

use anyhow::{Context, Result, anyhow};

/// A tokenizer loaded from tokenizer.json bytes through the HF `tokenizers` crate.
pub struct HfTokenizer {
    inner: tokenizers::Tokenizer,
}

impl HfTokenizer {
    /// Parses tokenizer.json bytes; `origin` names the file in errors.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<HfTokenizer> {
        let inner = tokenizers::Tokenizer::from_bytes(bytes)
            .map_err(|e| anyhow!("{e}"))
            .with_context(|| format!("{origin}: not a valid tokenizer.json"))?;
        Ok(HfTokenizer { inner })
    }

    /// Token ids of `text`, without special-token post-processing.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>> {
        let encoding = self
            .inner
            .encode_fast(text, false)
            .map_err(|e| anyhow!("tokenizer failed: {e}"))?;
        Ok(encoding.get_ids().to_vec())
    }

    /// The id of `token` (for example `<|endoftext|>`), if the vocabulary has it.
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.inner.token_to_id(token)
    }

    /// Vocabulary size including added tokens.
    pub fn vocab_size(&self) -> usize {
        self.inner.get_vocab_size(true)
    }
}
