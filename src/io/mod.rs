//! The only module that touches files and compression: input discovery, streaming line
//! readers over plain, gzip and zstd jsonl, record parsing, and atomic output writers.

mod atomic;
mod decode;
mod dirs;
mod fields;
mod files;
mod json_shape;
mod lines;
mod join;
mod lock;
mod parquet_json;
mod parquet_rows;
mod parquet_write;
mod paths;
mod range;
mod record;
mod spill;
mod write;

pub use atomic::{AtomicFile, is_unfinished};
pub use decode::{Compression, ReadError, gunzip_bytes};
pub use dirs::{
    create_dir_all, file_size, is_real_dir, list_dir, peak_memory_bytes, remove_dir_if_empty,
    remove_path_if_exists,
};
pub use fields::{FieldPath, RecordLayout};
pub use files::{
    expand_inputs, first_repeated_file, read_bytes, read_text, remove_dir_all_if_exists,
    write_atomic,
};
pub use join::{concat_files, file_checksum, link_or_copy};
pub use lines::{Line, LineReader, read_lines};
pub use lock::{LOCK_FILE, LockOutcome, LockOwner, OutputLock, host_name};
pub use parquet_rows::check_parquet_layout;
pub use parquet_write::{
    Codec, ParquetPartWriter, infer_schema, merge_schemas, parquet_schema, with_added_fields,
    write_parquet_file,
};
pub use paths::{Fingerprint, fingerprint, resolved, sniff_compression};
pub use range::read_range;
pub use record::{
    ADDED_FIELDS, KeptFields, ParsedRecord, Reject, parse_record, parse_record_with_text, whole_row,
};
pub use spill::{SPILL_MAGIC, SPILL_VERSION, SpillDir, SpillReader, SpillWriter};
pub use write::{RollingZstWriter, ZstLogWriter};
