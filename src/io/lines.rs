//! Streaming line reader over `.jsonl`, `.jsonl.gz` (all gzip members) and `.jsonl.zst`.
//!
//! Lines are read as bytes, so a bad byte costs one line, not the file. A line over the cap is
//! skipped chunk by chunk without being buffered. A decompression error (truncated or
//! corrupt stream) is a [`ReadError`], never a clean end of a shorter file.

use super::RecordLayout;
use super::decode::{Compression, ReadError, open_decoded};
use super::parquet_rows::ParquetRows;
use anyhow::Result;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Size of the buffer over the decompressed stream.
const BUFFER_BYTES: usize = 1 << 20;
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// One line of a decompressed input stream.
#[derive(Debug)]
pub struct Line {
    /// 1-based line number.
    pub number: u64,
    /// The line's bytes without the trailing `\n` (and `\r`), or `None` when the line was over
    /// the cap and was skipped without being buffered.
    pub bytes: Option<Vec<u8>>,
    /// Length of the line in bytes (also for skipped oversized lines); for a Parquet row
    /// whose text came apart, with the text's length.
    pub len: u64,
    /// A Parquet row's text column, handed over apart from `bytes` (where the text is
    /// `""`) by [`LineReader::open_input`]; `None` for every other line.
    pub text: Option<String>,
}

/// Reads an input file line by line, holding at most one line (up to the cap) in memory.
pub struct LineReader {
    path: PathBuf,
    reader: Box<dyn BufRead + Send>,
    /// A Parquet file whose text column comes apart from the lines (`open_input`).
    rows: Option<ParquetRows>,
    compressed_bytes: Arc<AtomicU64>,
    max_line_bytes: usize,
    line_number: u64,
    decompressed_bytes: u64,
    buf: Vec<u8>,
}

impl LineReader {
    /// Opens `path`, choosing the decoder from its name.
    pub fn open(path: &Path, max_line_bytes: usize) -> Result<LineReader> {
        let (reader, compressed_bytes) = open_decoded(path, BUFFER_BYTES)?;
        Ok(LineReader {
            path: path.to_path_buf(),
            reader,
            rows: None,
            compressed_bytes,
            max_line_bytes,
            line_number: 0,
            decompressed_bytes: 0,
            buf: Vec::new(),
        })
    }

    /// Opens an input laid out as `layout` says. A Parquet file whose text is a top-level
    /// string column hands each row's text over apart (`Line::text`): it is neither escaped
    /// into the JSON line nor parsed back out of it (a third of the time of reading such a
    /// file). Every other file reads as [`LineReader::open`] reads it.
    pub fn open_input(path: &Path, max_line_bytes: usize, layout: &RecordLayout) -> Result<Self> {
        let parquet = Compression::from_path(path) == Compression::Parquet;
        let [text] = layout.text.segments() else {
            return LineReader::open(path, max_line_bytes);
        };
        if !parquet {
            return LineReader::open(path, max_line_bytes);
        }
        let compressed_bytes = Arc::new(AtomicU64::new(0));
        let rows = ParquetRows::open_split(path, Arc::clone(&compressed_bytes), text)?;
        Ok(LineReader {
            path: path.to_path_buf(),
            reader: Box::new(io::empty()),
            rows: Some(rows),
            compressed_bytes,
            max_line_bytes,
            line_number: 0,
            decompressed_bytes: 0,
            buf: Vec::new(),
        })
    }

    /// The next line, `Ok(None)` at a clean end of stream. A truncated or corrupt compressed
    /// stream is an error naming the file, the last complete line and the bytes read.
    pub fn next_line(&mut self) -> Result<Option<Line>> {
        self.read_line().map_err(|error| {
            ReadError {
                path: self.path.clone(),
                last_line: self.line_number,
                decompressed_bytes: self.decompressed_bytes,
                error,
            }
            .into()
        })
    }

    /// Compressed bytes consumed so far (for progress bars).
    pub fn compressed_bytes_read(&self) -> u64 {
        self.compressed_bytes.load(Ordering::Relaxed)
    }

    /// Decompressed bytes consumed so far, line terminators included.
    pub fn decompressed_bytes_read(&self) -> u64 {
        self.decompressed_bytes
    }

    /// The next row of a Parquet file whose text comes apart.
    fn read_row(&mut self) -> io::Result<Option<Line>> {
        let Some(rows) = &mut self.rows else {
            return Ok(None);
        };
        let available = rows.fill_buf()?;
        if available.is_empty() {
            return Ok(None);
        }
        // One line per row, each ending in `\n`.
        let newline = memchr::memchr(b'\n', available).unwrap_or(available.len());
        let bytes = available[..newline].to_vec();
        rows.consume(newline + 1);
        let text = rows.take_text();
        // The length of the JSON line the row stands for (its `""` holding the text): the
        // cap means the same for a Parquet row however its text is read.
        let escaped = text.as_deref().map_or(2, crate::shard::json_string_len);
        let len = (bytes.len() + escaped - 2) as u64;
        self.decompressed_bytes += len + 1;
        self.line_number += 1;
        let within = len <= self.max_line_bytes as u64;
        Ok(Some(Line {
            number: self.line_number,
            bytes: within.then_some(bytes),
            len,
            text: text.filter(|_| within),
        }))
    }

    fn read_line(&mut self) -> io::Result<Option<Line>> {
        if self.rows.is_some() {
            return self.read_row();
        }
        // Most lines lie whole in the decoder's buffer: copied from there once. A line that
        // crosses the buffer's end, or is over the cap, takes the general path below.
        let available = self.reader.fill_buf()?;
        if let Some(newline) = memchr::memchr(b'\n', available)
            && newline <= self.max_line_bytes
        {
            let number = self.line_number + 1;
            let mut line = &available[..newline];
            line = line.strip_suffix(b"\r").unwrap_or(line);
            if number == 1 {
                line = line.strip_prefix(UTF8_BOM).unwrap_or(line);
            }
            let (bytes, len) = (line.to_vec(), line.len() as u64);
            self.reader.consume(newline + 1);
            self.decompressed_bytes += newline as u64 + 1;
            self.line_number = number;
            return Ok(Some(Line {
                number,
                bytes: Some(bytes),
                len,
                text: None,
            }));
        }
        self.buf.clear();
        // One byte more than the cap leaves room for the `\n` of a line exactly at the cap.
        // Saturating: an uncapped reader (`usize::MAX`) would wrap to a limit of 0 and end
        // the file at the first line that crosses the buffer.
        let limit = (self.max_line_bytes as u64).saturating_add(1);
        let n = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut self.buf)?;
        if n == 0 {
            return Ok(None);
        }
        self.decompressed_bytes += n as u64;
        let number = self.line_number + 1;
        let (bytes, len) = if self.buf.last() != Some(&b'\n') && n as u64 == limit {
            let (skipped, ends_with_cr) = self.skip_rest_of_line()?;
            (None, n as u64 + skipped - u64::from(ends_with_cr))
        } else {
            let mut line = self.buf.as_slice();
            if let Some(rest) = line.strip_suffix(b"\n") {
                line = rest.strip_suffix(b"\r").unwrap_or(rest);
            }
            if number == 1 {
                line = line.strip_prefix(UTF8_BOM).unwrap_or(line);
            }
            (Some(line.to_vec()), line.len() as u64)
        };
        self.line_number = number;
        Ok(Some(Line {
            number,
            bytes,
            len,
            text: None,
        }))
    }

    /// Consumes the stream up to and including the next `\n` (or to the end) a chunk at a time;
    /// returns how many bytes came before the `\n` and whether the line ended with `\r`.
    fn skip_rest_of_line(&mut self) -> io::Result<(u64, bool)> {
        let (mut skipped, mut last) = (0u64, self.buf.last().copied());
        loop {
            let available = self.reader.fill_buf()?;
            let newline = available.iter().position(|&b| b == b'\n');
            let before = newline.unwrap_or(available.len());
            if before > 0 {
                last = Some(available[before - 1]);
            }
            let consumed = before + usize::from(newline.is_some());
            skipped += before as u64;
            self.decompressed_bytes += consumed as u64;
            self.reader.consume(consumed);
            if newline.is_some() || consumed == 0 {
                break;
            }
        }
        Ok((skipped, last == Some(b'\r')))
    }
}

/// Every line of the files `paths`, in order (uncapped); after an error, nothing more.
pub fn read_lines(paths: &[PathBuf]) -> impl Iterator<Item = Result<Vec<u8>>> + '_ {
    paths.iter().flat_map(|path| {
        let mut reader = Some(LineReader::open(path, usize::MAX));
        std::iter::from_fn(move || match reader.take()? {
            Err(e) => Some(Err(e)),
            Ok(mut open) => match open.next_line() {
                Ok(Some(line)) => {
                    reader = Some(Ok(open));
                    Some(Ok(line.bytes.unwrap_or_default()))
                }
                Ok(None) => None,
                Err(e) => Some(Err(e)),
            },
        })
    })
}

#[cfg(test)]
mod tests;
