//! Megatron-LM indexed dataset format: `.bin` token arrays and the `MMIDIDX` v1 `.idx` index.
//!
//! The `.bin` is every document's tokens, concatenated, little-endian, in the index dtype, with
//! no header. The `.idx` is, all little-endian: the 9-byte magic, a u64 version (1), a u8 dtype
//! code, u64 sequence count N, u64 document count N+1, then int32 lengths[N], int64 byte
//! pointers[N] and int64 document indices[N+1]. One document is one sequence here (Megatron's
//! `preprocess_data.py` without `--split-sentences`), so the document indices are `0..=N`.

mod error;
mod read;

pub use error::IndexError;
pub use read::{MegatronIndex, check_bin_len, read_index};

use anyhow::{Context, Result, bail};
use std::io::{BufWriter, Write};

/// The 9 bytes every `.idx` starts with.
pub const MAGIC: &[u8; 9] = b"MMIDIDX\x00\x00";
/// The only index version Megatron writes and reads.
pub const VERSION: u64 = 1;
/// Bytes before the arrays: magic, version, dtype code, sequence count, document count.
pub const HEADER_LEN: usize = 9 + 8 + 1 + 8 + 8;

/// Token storage type, chosen from the vocabulary size as Megatron does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenDtype {
    /// uint16 (code 8), for vocabularies under 65,500.
    U16,
    /// int32 (code 4) otherwise.
    I32,
}

impl TokenDtype {
    /// uint16 when `vocab_size < 65500`, else int32 (Megatron's `DType.optimal_dtype`; the
    /// threshold is 65,500, not 65,536).
    pub fn for_vocab(vocab_size: usize) -> TokenDtype {
        if vocab_size < 65_500 {
            TokenDtype::U16
        } else {
            TokenDtype::I32
        }
    }

    /// The code stored in the `.idx` header (Megatron's `DType` enum).
    pub fn code(self) -> u8 {
        match self {
            TokenDtype::U16 => 8,
            TokenDtype::I32 => 4,
        }
    }

    /// The dtype for a header code, `None` for codes this crate does not write.
    pub fn from_code(code: u8) -> Option<TokenDtype> {
        match code {
            8 => Some(TokenDtype::U16),
            4 => Some(TokenDtype::I32),
            _ => None,
        }
    }

    /// Bytes per token in the `.bin`.
    pub fn itemsize(self) -> usize {
        match self {
            TokenDtype::U16 => 2,
            TokenDtype::I32 => 4,
        }
    }

    /// Largest token id the dtype can hold.
    pub fn max_token(self) -> u32 {
        match self {
            TokenDtype::U16 => u32::from(u16::MAX),
            TokenDtype::I32 => i32::MAX.unsigned_abs(),
        }
    }
}

/// The Megatron prefix (path without `.bin`/`.idx`) of a source's dataset:
/// `{dir}/{slug}_text_document`, as `preprocess_data.py` names output for json key `text`.
pub fn dataset_prefix(dir: &str, slug: &str) -> String {
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() {
        format!("{slug}_text_document")
    } else {
        format!("{dir}/{slug}_text_document")
    }
}

/// Streams documents into a `.bin` writer and remembers their lengths for the `.idx`.
///
/// Memory is 4 bytes per document; tokens go straight to the sink, one `write_all` per
/// document, so an unbuffered sink is acceptable. After an error the writer refuses further use:
/// the `.bin` may hold a partial document.
pub struct IndexedDatasetWriter<W: Write> {
    bin: W,
    dtype: TokenDtype,
    lengths: Vec<u32>,
    bin_bytes: u64,
    scratch: Vec<u8>,
    failed: bool,
}

impl<W: Write> IndexedDatasetWriter<W> {
    /// A writer over the `.bin` sink.
    pub fn new(bin: W, dtype: TokenDtype) -> Self {
        Self {
            bin,
            dtype,
            lengths: Vec::new(),
            bin_bytes: 0,
            scratch: Vec::new(),
            failed: false,
        }
    }

    /// Appends one document (its tokens, EOD already appended by the caller).
    ///
    /// A token id that does not fit the dtype is an error and nothing of the document is
    /// written, so the caller may skip it and go on.
    pub fn add_document(&mut self, tokens: &[u32]) -> Result<()> {
        if self.failed {
            bail!("indexed dataset writer used after a write error");
        }
        if i32::try_from(tokens.len()).is_err() {
            bail!(
                "document of {} tokens exceeds the int32 length field",
                tokens.len()
            );
        }
        let max = self.dtype.max_token();
        if let Some(pos) = tokens.iter().position(|&t| t > max) {
            bail!(
                "token id {} at position {pos} of document {} does not fit {:?} (max {max})",
                tokens[pos],
                self.lengths.len(),
                self.dtype
            );
        }
        self.scratch.clear();
        match self.dtype {
            TokenDtype::U16 => tokens
                .iter()
                .for_each(|&t| self.scratch.extend_from_slice(&(t as u16).to_le_bytes())),
            TokenDtype::I32 => tokens
                .iter()
                .for_each(|&t| self.scratch.extend_from_slice(&(t as i32).to_le_bytes())),
        }
        if let Err(err) = self.bin.write_all(&self.scratch) {
            self.failed = true;
            return Err(err).context("writing tokens to the .bin");
        }
        self.lengths.push(tokens.len() as u32);
        self.bin_bytes += self.scratch.len() as u64;
        Ok(())
    }

    /// Documents written so far.
    pub fn n_docs(&self) -> u64 {
        self.lengths.len() as u64
    }

    /// Bytes written to the `.bin` so far.
    pub fn bin_bytes(&self) -> u64 {
        self.bin_bytes
    }

    /// Writes the `.idx` into `idx` and returns the `.bin` sink (flushed) for the caller to finish.
    pub fn finish<I: Write>(mut self, idx: &mut I) -> Result<W> {
        if self.failed {
            bail!("indexed dataset writer finished after a write error");
        }
        self.bin.flush().context("flushing the .bin")?;
        write_index(self.dtype, &self.lengths, idx)?;
        Ok(self.bin)
    }
}

/// Writes the `.idx` of sequences of `lengths` tokens, each its own document (the layout
/// [`IndexedDatasetWriter`] writes; also how the merge step joins ranks' shards).
pub fn write_index<I: Write>(dtype: TokenDtype, lengths: &[u32], idx: &mut I) -> Result<()> {
    let n = lengths.len() as u64;
    let mut out = BufWriter::with_capacity(1 << 16, idx);
    let mut write = || -> std::io::Result<()> {
        out.write_all(MAGIC)?;
        out.write_all(&VERSION.to_le_bytes())?;
        out.write_all(&[dtype.code()])?;
        out.write_all(&n.to_le_bytes())?;
        out.write_all(&(n + 1).to_le_bytes())?;
        for &len in lengths {
            out.write_all(&(len as i32).to_le_bytes())?;
        }
        let itemsize = dtype.itemsize() as i64;
        let mut pointer: i64 = 0;
        for &len in lengths {
            out.write_all(&pointer.to_le_bytes())?;
            pointer += i64::from(len) * itemsize;
        }
        for doc in 0..=n as i64 {
            out.write_all(&doc.to_le_bytes())?;
        }
        out.flush()
    };
    write().context("writing the .idx")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dtype: TokenDtype, docs: &[&[u32]]) -> (Vec<u8>, Vec<u8>) {
        let mut writer = IndexedDatasetWriter::new(Vec::new(), dtype);
        for doc in docs {
            writer.add_document(doc).expect("tokens fit");
        }
        let mut idx = Vec::new();
        let bin = writer.finish(&mut idx).expect("in-memory sinks");
        (bin, idx)
    }

    /// The hand-made vector of mission-anchors.md §3.2: [10,20,30,50256] and [7,50256], uint16.
    #[test]
    fn reproduces_the_reference_test_vector() {
        let (bin, idx) = write(TokenDtype::U16, &[&[10, 20, 30, 50256], &[7, 50256]]);
        let expected_bin: [u8; 12] = [
            0x0a, 0x00, 0x14, 0x00, 0x1e, 0x00, 0x50, 0xc4, 0x07, 0x00, 0x50, 0xc4,
        ];
        #[rustfmt::skip]
        let expected_idx: [u8; 82] = [
            0x4d, 0x4d, 0x49, 0x44, 0x49, 0x44, 0x58, 0x00, 0x00, // magic
            0x01, 0, 0, 0, 0, 0, 0, 0, // version 1
            0x08, // dtype uint16
            0x02, 0, 0, 0, 0, 0, 0, 0, // sequence count
            0x03, 0, 0, 0, 0, 0, 0, 0, // document count
            0x04, 0, 0, 0, 0x02, 0, 0, 0, // lengths
            0x00, 0, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0, 0, 0, 0, 0, // byte pointers
            0x00, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, // document indices
            0x02, 0, 0, 0, 0, 0, 0, 0,
        ];
        assert_eq!(bin, expected_bin);
        assert_eq!(idx, expected_idx);
    }

    #[test]
    fn dtype_follows_megatron_threshold() {
        let check = |vocab: usize, dtype: TokenDtype, code: u8| {
            assert_eq!(TokenDtype::for_vocab(vocab), dtype, "vocab {vocab}");
            assert_eq!(dtype.code(), code);
            assert_eq!(TokenDtype::from_code(code), Some(dtype));
        };
        check(50_257, TokenDtype::U16, 8);
        check(65_499, TokenDtype::U16, 8);
        check(65_500, TokenDtype::I32, 4);
        check(256_000, TokenDtype::I32, 4);
    }

    #[test]
    fn round_trips_through_the_reader() {
        for dtype in [TokenDtype::U16, TokenDtype::I32] {
            let docs: [&[u32]; 4] = [&[1, 2, 3], &[65_535], &[], &[9; 300]];
            let (bin, idx) = write(dtype, &docs);
            let index = read_index(&idx).expect("valid index");
            check_bin_len(&index, bin.len() as u64).expect("matching .bin");
            assert_eq!(index.dtype, dtype);
            assert_eq!(index.lengths, [3, 1, 0, 300]);
            let size = dtype.itemsize() as u64;
            assert_eq!(index.pointers, [0, 3 * size, 4 * size, 4 * size]);
            assert_eq!(index.document_indices, [0, 1, 2, 3, 4]);
            let tokens = index.read_document(&bin, 0).expect("doc 0");
            assert_eq!(tokens, [1, 2, 3]);
            assert_eq!(index.read_document(&bin, 1).expect("doc 1"), [65_535]);
        }
    }

    #[test]
    fn token_that_does_not_fit_is_an_error_and_writes_nothing() {
        let mut writer = IndexedDatasetWriter::new(Vec::new(), TokenDtype::U16);
        let err = writer.add_document(&[1, 65_536]).expect_err("65536 > u16");
        assert!(err.to_string().contains("65536"), "{err}");
        writer.add_document(&[5]).expect("writer still usable");
        assert_eq!((writer.n_docs(), writer.bin_bytes()), (1, 2));
        let mut writer = IndexedDatasetWriter::new(Vec::new(), TokenDtype::I32);
        assert!(writer.add_document(&[1 << 31]).is_err());
    }

    #[test]
    fn prefix_names_follow_preprocess_data() {
        assert_eq!(
            dataset_prefix("megatron/", "Books3"),
            "megatron/Books3_text_document"
        );
        assert_eq!(dataset_prefix("", "Books3"), "Books3_text_document");
    }
}
