//! Megatron-LM indexed dataset format: `.bin` token arrays and the `MMIDIDX` v1 `.idx` index.

use anyhow::Result;
use std::io::Write;

/// Token storage type, chosen from the vocabulary size as Megatron does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenDtype {
    /// uint16 (code 8), for vocabularies under 65,500.
    U16,
    /// int32 (code 4) otherwise.
    I32,
}

impl TokenDtype {
    /// uint16 when `vocab_size < 65500`, else int32.
    pub fn for_vocab(vocab_size: usize) -> TokenDtype {
        let _ = vocab_size;
        unimplemented!("shard helper")
    }
}

/// Streams documents into a `.bin` writer and remembers their lengths for the `.idx`.
pub struct IndexedDatasetWriter<W: Write> {
    _bin: W,
}

impl<W: Write> IndexedDatasetWriter<W> {
    /// A writer over the `.bin` sink.
    pub fn new(bin: W, dtype: TokenDtype) -> Self {
        let _ = dtype;
        Self { _bin: bin }
    }

    /// Appends one document (its tokens, EOD already appended by the caller).
    pub fn add_document(&mut self, tokens: &[u32]) -> Result<()> {
        let _ = tokens;
        unimplemented!("shard helper")
    }

    /// Writes the `.idx` into `idx` and returns the `.bin` sink for the caller to finish.
    pub fn finish<I: Write>(self, idx: &mut I) -> Result<W> {
        let _ = idx;
        unimplemented!("shard helper")
    }
}
