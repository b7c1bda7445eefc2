//! Decoder selection: the compression of an input file, decided by its name, a reader that
//! decompresses it while counting the compressed bytes it consumes (for progress bars), and
//! the error of a stream that breaks while being read.

use anyhow::{Context, Result};
use flate2::bufread::GzDecoder;
use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The compression of an input file, decided by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// No compression.
    Plain,
    /// gzip, possibly several concatenated members.
    Gzip,
    /// zstd, possibly several frames.
    Zstd,
    /// Not a line stream: a Parquet file, whose rows are read as JSON lines.
    Parquet,
}

impl Compression {
    /// The compression named by the file's extension (case-insensitive): `.gz` is gzip,
    /// `.zst` and `.zstd` are zstd, anything else is plain.
    pub fn from_path(path: &Path) -> Compression {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext.to_ascii_lowercase().as_str() {
            "gz" => Compression::Gzip,
            "zst" | "zstd" => Compression::Zstd,
            "parquet" => Compression::Parquet,
            _ => Compression::Plain,
        }
    }
}

/// A file whose stream broke while being read (truncated or corrupt compressed data, or an
/// I/O error). Callers that accept the prefix of a damaged file can downcast to it.
#[derive(Debug, thiserror::Error)]
#[error(
    "{path}: read failed after line {last_line} ({decompressed_bytes} decompressed bytes read): \
     {error}; the file is damaged or incomplete: re-copy it, or remove it from the inputs",
    path = .path.display()
)]
pub struct ReadError {
    /// The input file.
    pub path: PathBuf,
    /// The last line read completely (0 if none).
    pub last_line: u64,
    /// Decompressed bytes read before the failure.
    pub decompressed_bytes: u64,
    /// The decoder's or the file system's error (not a `source`: it is already in the message).
    pub error: io::Error,
}

/// A reader that counts the bytes passing through it into a shared counter, so the count can
/// be read while the reader itself is owned by a decoder.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Compressed bytes buffered ahead of the gzip decoder.
const GZIP_BUFFER_BYTES: usize = 64 << 10;
/// The first byte of every gzip member.
const GZIP_MAGIC: u8 = 0x1f;

/// A gzip stream read as `gzip -d` reads it: every member in turn, then the end of the file,
/// which may be followed by zero bytes (tape blocks and some archivers pad with them;
/// `gzip -t` accepts them). Anything else after a member that is not another member is an
/// error, as is a member that is cut short or fails its CRC.
struct GzipMembers<R: BufRead> {
    /// The member being decoded; `None` after the end.
    member: Option<GzDecoder<R>>,
}

impl<R: BufRead> GzipMembers<R> {
    fn new(inner: R) -> GzipMembers<R> {
        GzipMembers {
            member: Some(GzDecoder::new(inner)),
        }
    }
}

impl<R: BufRead> Read for GzipMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(member) = &mut self.member else {
                return Ok(0);
            };
            let n = member.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // The member ended and its CRC and length matched: what follows it?
            let Some(member) = self.member.take() else {
                return Ok(0);
            };
            let mut inner = member.into_inner();
            let available = inner.fill_buf()?;
            match available.first() {
                None => return Ok(0),
                Some(0) => return skip_zero_padding(&mut inner).map(|()| 0),
                Some(&GZIP_MAGIC) => self.member = Some(GzDecoder::new(inner)),
                Some(&byte) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "the byte {byte:#04x} after a gzip member starts neither another \
                             member nor zero padding: trailing garbage"
                        ),
                    ));
                }
            }
        }
    }
}

/// Consumes zero bytes to the end of the stream; a non-zero byte among them is an error.
fn skip_zero_padding(inner: &mut impl BufRead) -> io::Result<()> {
    let mut zeros = 0u64;
    loop {
        let available = inner.fill_buf()?;
        if available.is_empty() {
            return Ok(());
        }
        if let Some(at) = available.iter().position(|&b| b != 0) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a non-zero byte {:#04x} follows {} bytes of zero padding after the last \
                     gzip member: trailing garbage",
                    available[at],
                    zeros + at as u64
                ),
            ));
        }
        let n = available.len();
        zeros += n as u64;
        inner.consume(n);
    }
}

/// Opens `path` and returns its decompressed stream, buffered with `buffer` bytes, and the
/// counter of compressed bytes read. A Parquet file's rows come as JSON lines from buffers
/// of their own.
pub(super) fn open_decoded(
    path: &Path,
    buffer: usize,
) -> Result<(Box<dyn BufRead + Send>, Arc<AtomicU64>)> {
    let count = Arc::new(AtomicU64::new(0));
    if Compression::from_path(path) == Compression::Parquet {
        let rows = super::parquet_rows::ParquetRows::open(path, Arc::clone(&count))?;
        return Ok((Box::new(rows), count));
    }
    let file = File::open(path).with_context(|| format!("cannot open input {}", path.display()))?;
    let counted = CountingReader {
        inner: file,
        count: Arc::clone(&count),
    };
    let stream: Box<dyn Read + Send> = match Compression::from_path(path) {
        Compression::Plain => Box::new(counted),
        // Every member, not only the first (a plain GzDecoder stops after it).
        Compression::Gzip => Box::new(GzipMembers::new(BufReader::with_capacity(
            GZIP_BUFFER_BYTES,
            counted,
        ))),
        // zstd::Decoder reads every frame unless told `single_frame()`.
        Compression::Zstd => Box::new(
            zstd::Decoder::new(counted)
                .with_context(|| format!("cannot start a zstd decoder for {}", path.display()))?,
        ),
        Compression::Parquet => unreachable!("opened above"),
    };
    Ok((Box::new(BufReader::with_capacity(buffer, stream)), count))
}

/// Decompresses a whole gzip blob held in memory (an asset compiled into the binary),
/// checking its CRC-32 and length; `origin` names it in the error.
pub fn gunzip_bytes(bytes: &[u8], origin: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .with_context(|| format!("{origin}: damaged gzip data; rebuild the binary"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, expected: Compression) {
        assert_eq!(Compression::from_path(Path::new(name)), expected, "{name}");
    }

    #[test]
    fn compression_comes_from_the_extension() {
        check("a.jsonl", Compression::Plain);
        check("a", Compression::Plain);
        check("dir.gz/a.jsonl", Compression::Plain);
        check("a.jsonl.gz", Compression::Gzip);
        check("A.JSONL.GZ", Compression::Gzip);
        check("a.jsonl.zst", Compression::Zstd);
        check("a.jsonl.zstd", Compression::Zstd);
    }

    #[test]
    fn counts_compressed_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl.zst");
        let data = "line\n".repeat(10_000);
        std::fs::write(&path, zstd::encode_all(data.as_bytes(), 3).unwrap()).unwrap();
        let (mut stream, count) = open_decoded(&path, 1 << 16).unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        assert_eq!(out, data);
        let on_disk = std::fs::metadata(&path).unwrap().len();
        assert_eq!(count.load(Ordering::Relaxed), on_disk);
    }

    #[test]
    fn missing_file_names_the_path() {
        let err = open_decoded(Path::new("/nonexistent/x.jsonl"), 1 << 16)
            .err()
            .unwrap();
        assert!(
            format!("{err:#}").contains("/nonexistent/x.jsonl"),
            "{err:#}"
        );
    }
}
