//! Output writers: files that appear under their final name only when complete.

use anyhow::Result;
use std::path::{Path, PathBuf};

/// A file written under a temporary name in the same folder and renamed on `finish`.
/// Dropped without `finish`, the temporary file is removed.
pub struct AtomicFile {
    _private: (),
}

impl AtomicFile {
    /// Creates the temporary file (and the parent folders).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let _ = path;
        unimplemented!("io helper")
    }

    /// Flushes, syncs and renames the file to its final name.
    pub fn finish(self) -> Result<()> {
        unimplemented!("io helper")
    }
}

impl std::io::Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = buf;
        unimplemented!("io helper")
    }
    fn flush(&mut self) -> std::io::Result<()> {
        unimplemented!("io helper")
    }
}

/// Writes lines into `dir/part-NNNNN.jsonl.zst`, starting a new part once the uncompressed
/// bytes of the current one reach `part_bytes`. Parts are atomic files.
pub struct RollingZstWriter {
    _private: (),
}

impl RollingZstWriter {
    /// A writer for `dir`; no file is created until the first line.
    pub fn new(dir: &Path, part_bytes: u64, level: i32) -> RollingZstWriter {
        let _ = (dir, part_bytes, level);
        unimplemented!("io helper")
    }

    /// Appends one line (a `\n` is added).
    pub fn write_line(&mut self, line: &[u8]) -> Result<()> {
        let _ = line;
        unimplemented!("io helper")
    }

    /// Finishes the last part and returns every part written, in order.
    pub fn finish(self) -> Result<Vec<PathBuf>> {
        unimplemented!("io helper")
    }
}

/// A single zstd-compressed jsonl log (rejects, removals), written atomically.
pub struct ZstLogWriter {
    _private: (),
}

impl ZstLogWriter {
    /// Creates the log at `path`.
    pub fn create(path: &Path) -> Result<ZstLogWriter> {
        let _ = path;
        unimplemented!("io helper")
    }

    /// Appends one serializable record as a JSON line.
    pub fn write_record<T: serde::Serialize>(&mut self, record: &T) -> Result<()> {
        let _ = record;
        unimplemented!("io helper")
    }

    /// Number of records written.
    pub fn records(&self) -> u64 {
        unimplemented!("io helper")
    }

    /// Finishes the zstd frame and renames the file into place.
    pub fn finish(self) -> Result<()> {
        unimplemented!("io helper")
    }
}
