//! `pilecurate inspect PREFIX`: validates a Megatron `.bin`/`.idx` pair (ours or anyone's)
//! and describes it: dtype, sequences, documents, tokens, length percentiles; `--decode N`
//! prints the N-th document as text through a tokenizer. Reads the `.idx` whole and only
//! the decoded document's bytes of the `.bin`.

use crate::error::{FailureKind, failure, tag};
use crate::io;
use crate::shard::megatron::{MegatronIndex, check_bin_len, read_index};
use anyhow::{Context, Result};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// A validated pair and what it holds.
pub struct Inspected {
    /// The `.idx` path.
    pub idx: PathBuf,
    /// The `.bin` path.
    pub bin: PathBuf,
    /// The parsed index.
    pub index: MegatronIndex,
}

/// `PREFIX`, `PREFIX.bin` or `PREFIX.idx` to the pair's two paths.
pub fn pair_paths(prefix: &Path) -> (PathBuf, PathBuf) {
    let text = prefix.to_string_lossy();
    let stem = text
        .strip_suffix(".bin")
        .or_else(|| text.strip_suffix(".idx"))
        .unwrap_or(&text);
    (
        PathBuf::from(format!("{stem}.idx")),
        PathBuf::from(format!("{stem}.bin")),
    )
}

/// Reads and validates the pair at `prefix`: every `.idx` invariant Megatron relies on, and
/// the `.bin`'s exact size. A damaged pair is an input error naming the file.
pub fn open(prefix: &Path) -> Result<Inspected> {
    let (idx, bin) = pair_paths(prefix);
    let bytes = io::read_bytes(&idx).map_err(|e| tag(FailureKind::Input, e))?;
    let index = read_index(&bytes).map_err(|e| {
        failure(
            FailureKind::Input,
            format!(
                "{}: not a valid Megatron index ({e:#}); rewrite it, or point at the pair's prefix",
                idx.display()
            ),
        )
    })?;
    let bin_len = io::file_size(&bin).map_err(|e| tag(FailureKind::Input, e))?;
    check_bin_len(&index, bin_len).map_err(|e| {
        failure(
            FailureKind::Input,
            format!("{}: does not match its index: {e:#}", bin.display()),
        )
    })?;
    Ok(Inspected { idx, bin, index })
}

/// The summary `inspect` prints.
pub fn describe(pair: &Inspected) -> String {
    let index = &pair.index;
    let mut out = String::new();
    let _ = writeln!(out, "index     {}", pair.idx.display());
    let _ = writeln!(
        out,
        "data      {} ({} bytes)",
        pair.bin.display(),
        index.bin_len()
    );
    let _ = writeln!(out, "format    MMIDIDX version 1, dtype {:?}", index.dtype);
    let _ = writeln!(out, "sequences {}", index.lengths.len());
    let _ = writeln!(out, "documents {}", index.n_documents());
    let _ = writeln!(out, "tokens    {}", index.n_tokens());
    let mut lengths = index.lengths.clone();
    lengths.sort_unstable();
    if let (Some(first), Some(last)) = (lengths.first(), lengths.last()) {
        let at = |q: f64| lengths[((lengths.len() - 1) as f64 * q).round() as usize];
        let mean = index.n_tokens() as f64 / lengths.len() as f64;
        let _ = writeln!(
            out,
            "tokens per sequence: min {first}, p10 {}, p50 {}, p90 {}, p99 {}, max {last}, mean {mean:.1}",
            at(0.1),
            at(0.5),
            at(0.9),
            at(0.99),
        );
    }
    out
}

/// The token ids of document `n` (0-based; its sequences in order).
pub fn document_tokens(pair: &Inspected, n: u64) -> Result<Vec<u32>> {
    let index = &pair.index;
    let count = index.n_documents();
    if n >= count {
        return Err(failure(
            FailureKind::Usage,
            format!(
                "--decode {n}: {} holds {count} documents, numbered 0 to {}",
                pair.idx.display(),
                count.saturating_sub(1)
            ),
        ));
    }
    let first = index.document_indices[n as usize] as usize;
    let end = index.document_indices[n as usize + 1] as usize;
    let mut tokens = Vec::new();
    for sequence in first..end {
        let range = index
            .sequence_range(sequence)
            .context("sequence out of range in a validated index")?;
        let bytes = io::read_range(&pair.bin, range).map_err(|e| tag(FailureKind::Input, e))?;
        tokens.extend(index.decode_tokens(&bytes));
    }
    Ok(tokens)
}

/// Document `n` as text, decoded by the tokenizer.json at `tokenizer` (special tokens kept,
/// so the end-of-document token shows).
pub fn decode_document(pair: &Inspected, n: u64, tokenizer: &Path) -> Result<String> {
    let tokens = document_tokens(pair, n)?;
    let bytes = io::read_bytes(tokenizer).map_err(|e| tag(FailureKind::Config, e))?;
    let decoder = tokenizers::Tokenizer::from_bytes(&bytes).map_err(|e| {
        failure(
            FailureKind::Config,
            format!("{}: not a tokenizer.json: {e}", tokenizer.display()),
        )
    })?;
    if let Some(&bad) = tokens
        .iter()
        .find(|&&id| id as usize >= decoder.get_vocab_size(true))
    {
        return Err(failure(
            FailureKind::Config,
            format!(
                "document {n} holds token id {bad}, beyond the {} tokens of {}: it was written \
                 with another tokenizer; pass that one with --tokenizer",
                decoder.get_vocab_size(true),
                tokenizer.display()
            ),
        ));
    }
    decoder
        .decode(&tokens, false)
        .map_err(|e| anyhow::anyhow!("decoding document {n}: {e}"))
}
