//! Compressed output writers: zstd jsonl parts that roll at a size, and single zstd logs,
//! all written as atomic files that appear under their final name only when complete.

use super::atomic::AtomicFile;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// zstd level of the rejects and removals logs: they are read rarely, written fast.
const LOG_LEVEL: i32 = 3;

/// A zstd stream (with content checksum) into an atomic file.
fn zstd_atomic(path: &Path, level: i32) -> Result<zstd::Encoder<'static, AtomicFile>> {
    let file = AtomicFile::create(path)?;
    let mut encoder = zstd::Encoder::new(file, level)
        .with_context(|| format!("cannot start a zstd encoder for {}", path.display()))?;
    encoder
        .include_checksum(true)
        .with_context(|| format!("cannot start a zstd encoder for {}", path.display()))?;
    Ok(encoder)
}

/// Ends the zstd frame and renames the file into place.
fn finish_zstd(encoder: zstd::Encoder<'static, AtomicFile>) -> Result<()> {
    let file = encoder.finish().context("cannot finish a zstd stream")?;
    file.finish()
}

/// Uncompressed bytes a [`RollingZstWriter`] gathers before handing them to its encoder.
/// A run writes one part per source and the sources' documents interleave line by line; fed
/// a line at a time, the encoders (a few MB of tables each) evicted each other from the CPU
/// cache: on the full corpus zstd took about 1.0 CPU-second in a run for bytes it compresses
/// alone in 0.55, and about 0.6 once each source's lines were gathered (1 MiB per source).
const PENDING_BYTES: usize = 1 << 20;

/// log2 of the zstd window of the curated parts: 1 MiB instead of level 3's 2 MiB. Eight
/// encoders run side by side in a run and each streams through a buffer of its window's
/// size; the smaller one compressed the full corpus' curated parts 3% of a run's CPU time
/// faster (10 to 20% faster alone) for parts 0.5% larger.
const PART_WINDOW_LOG: u32 = 20;

/// Writes lines into `dir/part-NNNNN.jsonl.zst`, starting a new part once the uncompressed
/// bytes of the current one reach `part_bytes`. Parts are atomic files.
pub struct RollingZstWriter {
    dir: PathBuf,
    part_bytes: u64,
    level: i32,
    current: Option<zstd::Encoder<'static, AtomicFile>>,
    /// Lines of the current part not yet given to `current`.
    pending: Vec<u8>,
    current_bytes: u64,
    parts: Vec<PathBuf>,
}

impl RollingZstWriter {
    /// A writer for `dir`; no file is created until the first line.
    pub fn new(dir: &Path, part_bytes: u64, level: i32) -> RollingZstWriter {
        RollingZstWriter {
            dir: dir.to_path_buf(),
            part_bytes,
            level,
            current: None,
            pending: Vec::new(),
            current_bytes: 0,
            parts: Vec::new(),
        }
    }

    /// Appends one line (a `\n` is added).
    pub fn write_line(&mut self, line: &[u8]) -> Result<()> {
        if self.current.is_none() {
            let path = self
                .dir
                .join(format!("part-{:05}.jsonl.zst", self.parts.len()));
            self.current_bytes = 0;
            let mut encoder = zstd_atomic(&path, self.level)?;
            encoder
                .window_log(PART_WINDOW_LOG)
                .with_context(|| format!("cannot set the zstd window of {}", path.display()))?;
            self.current = Some(encoder);
        }
        self.pending.extend_from_slice(line);
        self.pending.push(b'\n');
        self.current_bytes += line.len() as u64 + 1;
        if self.current_bytes >= self.part_bytes {
            self.finish_part()?;
        } else if self.pending.len() >= PENDING_BYTES {
            self.flush_pending()?;
        }
        Ok(())
    }

    /// Finishes the last part and returns every part written, in order.
    pub fn finish(mut self) -> Result<Vec<PathBuf>> {
        self.finish_part()?;
        Ok(std::mem::take(&mut self.parts))
    }

    fn flush_pending(&mut self) -> Result<()> {
        if let Some(encoder) = &mut self.current {
            let written = encoder.write_all(&self.pending);
            written
                .with_context(|| format!("cannot write to {}", encoder_path(encoder).display()))?;
        }
        self.pending.clear();
        Ok(())
    }

    fn finish_part(&mut self) -> Result<()> {
        self.flush_pending()?;
        if let Some(encoder) = self.current.take() {
            let path = encoder_path(&encoder).to_path_buf();
            finish_zstd(encoder)?;
            self.parts.push(path);
        }
        Ok(())
    }
}

fn encoder_path<'a>(encoder: &'a zstd::Encoder<'static, AtomicFile>) -> &'a Path {
    encoder.get_ref().path()
}

/// A single zstd-compressed jsonl log (rejects, removals), written atomically.
pub struct ZstLogWriter {
    encoder: zstd::Encoder<'static, AtomicFile>,
    /// The record being serialized: one write into the encoder per record, not one per JSON
    /// token (each write is a call into zstd's streaming compressor).
    line: Vec<u8>,
    records: u64,
}

impl ZstLogWriter {
    /// Creates the log at `path`.
    pub fn create(path: &Path) -> Result<ZstLogWriter> {
        Ok(ZstLogWriter {
            encoder: zstd_atomic(path, LOG_LEVEL)?,
            line: Vec::new(),
            records: 0,
        })
    }

    /// Appends one serializable record as a JSON line.
    pub fn write_record<T: serde::Serialize>(&mut self, record: &T) -> Result<()> {
        self.line.clear();
        let written = serde_json::to_writer(&mut self.line, record)
            .map_err(std::io::Error::from)
            .and_then(|()| {
                self.line.push(b'\n');
                self.encoder.write_all(&self.line)
            });
        written.with_context(|| {
            format!("cannot write to {}", encoder_path(&self.encoder).display())
        })?;
        self.records += 1;
        Ok(())
    }

    /// Appends one line that is already a JSON record (a `\n` is added).
    pub fn write_line(&mut self, line: &[u8]) -> Result<()> {
        self.line.clear();
        self.line.extend_from_slice(line);
        self.line.push(b'\n');
        let written = self.encoder.write_all(&self.line);
        written.with_context(|| {
            format!("cannot write to {}", encoder_path(&self.encoder).display())
        })?;
        self.records += 1;
        Ok(())
    }

    /// Number of records written.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Finishes the zstd frame and renames the file into place.
    pub fn finish(self) -> Result<()> {
        finish_zstd(self.encoder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::LineReader;

    fn read_lines(path: &Path) -> Vec<Vec<u8>> {
        let mut reader = LineReader::open(path, 1 << 26).unwrap();
        std::iter::from_fn(|| reader.next_line().unwrap().map(|l| l.bytes.unwrap())).collect()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// Writes `n_lines` lines of 10 bytes (with `\n`) in parts of `part_bytes`; checks the
    /// number of parts and that reading them back gives the lines in order.
    fn check(n_lines: usize, part_bytes: u64, n_parts: usize) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("shards");
        let mut writer = RollingZstWriter::new(&out, part_bytes, 3);
        let lines: Vec<Vec<u8>> = (0..n_lines)
            .map(|i| format!("line-{i:04}").into_bytes())
            .collect();
        for line in &lines {
            writer.write_line(line).unwrap();
        }
        let parts = writer.finish().unwrap();
        let expected: Vec<PathBuf> = (0..n_parts)
            .map(|i| out.join(format!("part-{i:05}.jsonl.zst")))
            .collect();
        assert_eq!(
            parts, expected,
            "{n_lines} lines, parts of {part_bytes} bytes"
        );
        let read: Vec<Vec<u8>> = parts.iter().flat_map(|p| read_lines(p)).collect();
        assert_eq!(read, lines);
        if n_parts > 0 {
            assert_eq!(names(&out).len(), n_parts, "temporary files left behind");
        } else {
            assert!(!out.exists());
        }
    }

    #[test]
    fn rolls_parts_between_lines() {
        check(0, 100, 0);
        check(1, 100, 1);
        check(10, 100, 1);
        check(11, 100, 2);
        check(25, 95, 3);
        check(3, 1, 3);
    }

    #[test]
    fn round_trips_the_sample() {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/sample.jsonl.gz");
        let lines = read_lines(&sample);
        assert_eq!(lines.len(), 1126);
        let dir = tempfile::tempdir().unwrap();
        let mut writer = RollingZstWriter::new(dir.path(), 1 << 30, 3);
        let mut plain = AtomicFile::create(&dir.path().join("s.jsonl")).unwrap();
        for line in &lines {
            writer.write_line(line).unwrap();
            plain.write_all(line).unwrap();
            plain.write_all(b"\n").unwrap();
        }
        plain.finish().unwrap();
        let parts = writer.finish().unwrap();
        assert_eq!(parts.len(), 1);
        assert!(read_lines(&parts[0]) == lines, "zst round trip differs");
        assert!(
            read_lines(&dir.path().join("s.jsonl")) == lines,
            "plain round trip differs"
        );
    }

    #[test]
    fn log_writer_counts_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rejects.jsonl.zst");
        let mut log = ZstLogWriter::create(&path).unwrap();
        log.write_record(&("a.jsonl", 3, "malformed_json")).unwrap();
        log.write_record(&("b.jsonl", 7, "empty_text")).unwrap();
        assert_eq!(log.records(), 2);
        assert!(!path.exists());
        log.finish().unwrap();
        let expected = [
            br#"["a.jsonl",3,"malformed_json"]"#.to_vec(),
            br#"["b.jsonl",7,"empty_text"]"#.to_vec(),
        ];
        assert_eq!(read_lines(&path), expected);
        let dropped = dir.path().join("dropped.jsonl.zst");
        drop(ZstLogWriter::create(&dropped).unwrap());
        assert_eq!(names(dir.path()), ["rejects.jsonl.zst"]);
    }
}
