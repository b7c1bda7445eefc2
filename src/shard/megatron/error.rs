//! Why a `.idx` is refused: one variant per broken invariant, each message naming the
//! offending value and what was expected, so a bad shard is diagnosed from the message alone.

/// Why a `.idx` is not a valid MMIDIDX v1 index.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IndexError {
    /// Fewer bytes than the header and arrays need.
    #[error("truncated .idx: {got} bytes, the header and arrays need {needed}")]
    Truncated {
        /// Bytes required.
        needed: u64,
        /// Bytes present.
        got: u64,
    },
    /// More bytes than the arrays need (a multimodal index, or garbage appended).
    #[error(
        ".idx has {extra} bytes after the document indices (multimodal indices are not supported)"
    )]
    TrailingBytes {
        /// Bytes beyond the document indices.
        extra: u64,
    },
    /// Not an `MMIDIDX` file.
    #[error("bad .idx magic {found:02x?}: expected MMIDIDX\\0\\0 (a legacy TNTIDX index?)")]
    BadMagic {
        /// The first 9 bytes.
        found: Vec<u8>,
    },
    /// A version other than 1.
    #[error("unsupported .idx version {0}: only version 1 exists")]
    BadVersion(u64),
    /// A dtype code other than uint16 (8) or int32 (4).
    #[error("unsupported .idx dtype code {0}: token indices use 8 (uint16) or 4 (int32)")]
    BadDtype(u8),
    /// The header's counts disagree with each other or with the document indices.
    #[error("inconsistent .idx counts: {0}")]
    InconsistentCounts(String),
    /// A negative length or a pointer that is not the running byte total.
    #[error("bad .idx sequence {index}: {problem}")]
    BadSequence {
        /// Position in its array.
        index: u64,
        /// What is wrong with it.
        problem: String,
    },
    /// Document indices that do not start at 0 or go backwards.
    #[error("bad .idx document index {index}: {problem}")]
    BadDocumentIndex {
        /// Position in its array.
        index: u64,
        /// What is wrong with it.
        problem: String,
    },
    /// The `.bin` size does not match what the index describes.
    #[error(".bin is {got} bytes, the index describes {expected}")]
    BinLength {
        /// Bytes the index describes.
        expected: u64,
        /// Bytes the `.bin` has.
        got: u64,
    },
}
