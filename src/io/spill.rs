//! Spill files: fixed-size binary records that deduplication writes to disk so its memory
//! stays bounded. Each file is written under a temporary name and renamed when complete, and
//! carries a header (magic number, format version, record size, the caller's identity of
//! what it was made from) and a trailer (record count, xxh3-64 of every byte before it).
//!
//! Layout, all integers little-endian:
//! `b"PCSPILL\0"` · `u32 version` · `u32 record_bytes` · `u64 identity` · records ·
//! `u64 n_records` · `u64 xxh3_64(all preceding bytes)`.
//!
//! A reader never trusts a file it has not checked: [`SpillReader`] verifies the length at
//! open and the checksum when the last record has been read (an error, not a short read),
//! and [`SpillDir::is_valid`] reads a whole file before a rerun reuses it.

use super::AtomicFile;
use anyhow::{Context, Result, bail, ensure};
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::Xxh3Default;

/// First bytes of every spill file.
pub const SPILL_MAGIC: [u8; 8] = *b"PCSPILL\0";
/// Format version; bumped whenever the layout or a record encoding changes.
pub const SPILL_VERSION: u32 = 1;
const HEADER_BYTES: u64 = 8 + 4 + 4 + 8;
const TRAILER_BYTES: u64 = 16;
/// Records are hashed and written in chunks of this many bytes.
const CHUNK_BYTES: usize = 1 << 16;

/// A folder of spill files (created on first use).
#[derive(Clone, Debug)]
pub struct SpillDir {
    root: PathBuf,
}

impl SpillDir {
    /// The spill folder at `root`; nothing is created until a file is written.
    pub fn new(root: &Path) -> SpillDir {
        SpillDir {
            root: root.to_path_buf(),
        }
    }

    /// Path of the file `name`.
    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Starts writing `name` (under a temporary name until [`SpillWriter::finish`]).
    pub fn create(&self, name: &str, record_bytes: usize, identity: u64) -> Result<SpillWriter> {
        let mut file = AtomicFile::create(&self.path(name))?;
        let mut header = Vec::with_capacity(HEADER_BYTES as usize);
        header.extend_from_slice(&SPILL_MAGIC);
        header.extend_from_slice(&SPILL_VERSION.to_le_bytes());
        header.extend_from_slice(&(record_bytes as u32).to_le_bytes());
        header.extend_from_slice(&identity.to_le_bytes());
        let mut hasher = Xxh3Default::new();
        hasher.update(&header);
        file.write_all(&header)
            .with_context(|| format!("cannot write {}", self.path(name).display()))?;
        Ok(SpillWriter {
            file,
            hasher,
            chunk: Vec::with_capacity(CHUNK_BYTES),
            record_bytes,
            n_records: 0,
        })
    }

    /// Opens `name` for streaming; errors if it is missing, of another format, version,
    /// record size or identity, or of a length that is not whole records.
    pub fn open(&self, name: &str, record_bytes: usize, identity: u64) -> Result<SpillReader> {
        let path = self.path(name);
        let context = || format!("spill file {}", path.display());
        let file = File::open(&path).with_context(context)?;
        let len = file.metadata().with_context(context)?.len();
        let mut reader = BufReader::with_capacity(CHUNK_BYTES, file);
        let mut header = [0u8; HEADER_BYTES as usize];
        reader
            .read_exact(&mut header)
            .with_context(|| format!("{}: truncated header", context()))?;
        ensure!(
            header[..8] == SPILL_MAGIC,
            "{}: not a spill file",
            context()
        );
        let field = |at: usize| u32::from_le_bytes([0, 1, 2, 3].map(|i| header[at + i]));
        ensure!(
            field(8) == SPILL_VERSION,
            "{}: format version {} (expected {SPILL_VERSION})",
            context(),
            field(8)
        );
        ensure!(
            field(12) as usize == record_bytes,
            "{}: records of {} bytes, expected {record_bytes}",
            context(),
            field(12)
        );
        let found = u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7].map(|i| header[16 + i]));
        ensure!(found == identity, "{}: made from other inputs", context());
        let body = len.checked_sub(HEADER_BYTES + TRAILER_BYTES);
        let n_records = match body {
            Some(body) if body % record_bytes as u64 == 0 => body / record_bytes as u64,
            _ => bail!("{}: truncated ({len} bytes)", context()),
        };
        let mut hasher = Xxh3Default::new();
        hasher.update(&header);
        Ok(SpillReader {
            reader,
            hasher,
            path,
            n_records,
            read: 0,
        })
    }

    /// Whether `name` exists and reads back whole with a matching checksum and identity.
    pub fn is_valid(&self, name: &str, record_bytes: usize, identity: u64) -> bool {
        let Ok(mut reader) = self.open(name, record_bytes, identity) else {
            return false;
        };
        let mut record = vec![0u8; record_bytes];
        loop {
            match reader.next(&mut record) {
                Ok(true) => {}
                Ok(false) => return true,
                Err(_) => return false,
            }
        }
    }

    /// Deletes the file `name` (an intermediate file no longer needed); absent is fine.
    pub fn remove(&self, name: &str) -> Result<()> {
        super::remove_path_if_exists(&self.path(name))
    }

    /// Total bytes of the files in the folder (0 when it does not exist).
    pub fn bytes_on_disk(&self) -> Result<u64> {
        let mut total = 0;
        for name in super::list_dir(&self.root)?.unwrap_or_default() {
            total += super::file_size(&self.root.join(name))?;
        }
        Ok(total)
    }
}

/// Writes one spill file; see [`SpillDir::create`].
pub struct SpillWriter {
    file: AtomicFile,
    hasher: Xxh3Default,
    chunk: Vec<u8>,
    record_bytes: usize,
    n_records: u64,
}

impl SpillWriter {
    /// Appends one record.
    ///
    /// # Panics
    /// If `record` is not of the size given at creation (a caller bug).
    pub fn write(&mut self, record: &[u8]) -> Result<()> {
        assert_eq!(
            record.len(),
            self.record_bytes,
            "spill record of wrong size"
        );
        self.chunk.extend_from_slice(record);
        self.n_records += 1;
        if self.chunk.len() >= CHUNK_BYTES {
            self.flush_chunk()?;
        }
        Ok(())
    }

    fn flush_chunk(&mut self) -> Result<()> {
        self.hasher.update(&self.chunk);
        self.file
            .write_all(&self.chunk)
            .with_context(|| format!("cannot write {}", self.file.path().display()))?;
        self.chunk.clear();
        Ok(())
    }

    /// Writes the trailer and renames the file to its final name; returns its checksum.
    pub fn finish(mut self) -> Result<u64> {
        self.flush_chunk()?;
        let count = self.n_records.to_le_bytes();
        self.hasher.update(&count);
        let checksum = self.hasher.digest();
        self.file.write_all(&count)?;
        self.file.write_all(&checksum.to_le_bytes())?;
        self.file.finish()?;
        Ok(checksum)
    }
}

/// Streams the records of one spill file; see [`SpillDir::open`].
pub struct SpillReader {
    reader: BufReader<File>,
    hasher: Xxh3Default,
    path: PathBuf,
    n_records: u64,
    read: u64,
}

impl SpillReader {
    /// Number of records in the file.
    pub fn len(&self) -> u64 {
        self.n_records
    }

    /// Whether the file holds no record.
    pub fn is_empty(&self) -> bool {
        self.n_records == 0
    }

    /// Reads the next record into `record`; `false` after the last one, once the trailer's
    /// count and checksum have been checked (a mismatch is an error).
    pub fn next(&mut self, record: &mut [u8]) -> Result<bool> {
        let context = || format!("spill file {}", self.path.display());
        if self.read == self.n_records {
            let mut trailer = [0u8; TRAILER_BYTES as usize];
            self.reader.read_exact(&mut trailer).with_context(context)?;
            self.hasher.update(&trailer[..8]);
            let count = u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7].map(|i| trailer[i]));
            let sum = u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7].map(|i| trailer[8 + i]));
            ensure!(
                count == self.n_records && sum == self.hasher.digest(),
                "{}: checksum mismatch, the file is corrupt; delete it and rerun",
                context()
            );
            self.read += 1;
            return Ok(false);
        }
        ensure!(
            self.read < self.n_records,
            "{}: read past the end",
            context()
        );
        self.reader.read_exact(record).with_context(context)?;
        self.hasher.update(record);
        self.read += 1;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &SpillDir, records: &[[u8; 4]]) {
        let mut writer = dir.create("run", 4, 7).unwrap();
        for r in records {
            writer.write(r).unwrap();
        }
        writer.finish().unwrap();
    }

    fn read_all(dir: &SpillDir) -> Result<Vec<[u8; 4]>> {
        let mut reader = dir.open("run", 4, 7)?;
        let mut out = Vec::new();
        let mut record = [0u8; 4];
        while reader.next(&mut record)? {
            out.push(record);
        }
        Ok(out)
    }

    #[test]
    fn round_trip_and_damage_is_detected() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = SpillDir::new(tmp.path());
        let records: Vec<[u8; 4]> = (0u32..50_000).map(u32::to_le_bytes).collect();
        write(&dir, &records);
        assert_eq!(read_all(&dir).unwrap(), records);
        assert!(dir.is_valid("run", 4, 7));
        assert!(!dir.is_valid("run", 4, 8), "identity must match");
        assert!(!dir.is_valid("run", 8, 7), "record size must match");
        let path = dir.path("run");
        let good = std::fs::read(&path).unwrap();
        // A flipped bit in a record, a truncation, a lost trailer: never trusted.
        let mut flipped = good.clone();
        flipped[1000] ^= 1;
        let damaged = [
            flipped,
            good[..good.len() - 4].to_vec(),
            good[..100].to_vec(),
        ];
        for bytes in damaged {
            std::fs::write(&path, &bytes).unwrap();
            assert!(!dir.is_valid("run", 4, 7));
            assert!(read_all(&dir).is_err());
        }
        assert!(!dir.is_valid("missing", 4, 7));
    }
}
