//! Streaming line reader over `.jsonl`, `.jsonl.gz` (all gzip members) and `.jsonl.zst`.

use anyhow::Result;
use std::path::Path;

/// The compression of an input file, decided by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// No compression.
    Plain,
    /// gzip, possibly several concatenated members.
    Gzip,
    /// zstd, possibly several frames.
    Zstd,
}

/// One line of a decompressed input stream.
#[derive(Debug)]
pub struct Line {
    /// 1-based line number.
    pub number: u64,
    /// The line's bytes without the trailing `\n` (and `\r`), or `None` when the line was over
    /// the cap and was skipped without being buffered.
    pub bytes: Option<Vec<u8>>,
    /// Length of the line in bytes (also for skipped oversized lines).
    pub len: u64,
}

/// Reads an input file line by line, holding at most one line (up to the cap) in memory.
pub struct LineReader {
    _private: (),
}

impl LineReader {
    /// Opens `path`, choosing the decoder from its name.
    pub fn open(path: &Path, max_line_bytes: usize) -> Result<LineReader> {
        let _ = (path, max_line_bytes);
        unimplemented!("io helper")
    }

    /// The next line, `Ok(None)` at a clean end of stream. A truncated or corrupt compressed
    /// stream is an error naming the file, the last complete line and the bytes read.
    pub fn next_line(&mut self) -> Result<Option<Line>> {
        unimplemented!("io helper")
    }

    /// Compressed bytes consumed so far (for progress bars).
    pub fn compressed_bytes_read(&self) -> u64 {
        unimplemented!("io helper")
    }
}
