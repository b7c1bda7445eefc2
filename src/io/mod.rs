//! The only module that touches files and compression: input discovery, streaming line
//! readers over plain, gzip and zstd jsonl, record parsing, and atomic output writers.

mod files;
mod lines;
mod record;
mod write;

pub use files::{expand_inputs, read_bytes, read_text, remove_dir_all_if_exists, write_atomic};
pub use lines::{Compression, Line, LineReader};
pub use record::{ParsedRecord, Reject, parse_record};
pub use write::{AtomicFile, RollingZstWriter, ZstLogWriter};
