//! Parquet input read as a stream of JSON lines, one per row, so the rest of the pipeline
//! (line numbers, caps, rejects, the two passes) treats it exactly as jsonl.
//!
//! Rows are read one row group at a time (memory: one row group's column chunks and a few
//! thousand rows of JSON) in file order, so both passes see the same rows as the same line
//! numbers. Each row becomes an object of every column, nested structs as objects, lists as
//! arrays, nulls written out (`"meta":null`), through `arrow-json`.

use super::RecordLayout;
use anyhow::{Context, Result, bail};
use arrow_json::writer::{LineDelimited, WriterBuilder};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Rows converted to JSON at a time.
const BATCH_ROWS: usize = 1024;

/// A Parquet file's rows as JSON lines (each ending in `\n`).
pub(super) struct ParquetRows {
    file: File,
    metadata: ArrowReaderMetadata,
    next_group: usize,
    batches: Option<ParquetRecordBatchReader>,
    json: Vec<u8>,
    at: usize,
    compressed: Arc<AtomicU64>,
}

impl ParquetRows {
    /// Opens `path` and reads its footer; a file that is not Parquet, or is cut short, is an
    /// error naming it.
    pub(super) fn open(path: &Path, compressed: Arc<AtomicU64>) -> Result<ParquetRows> {
        let file =
            File::open(path).with_context(|| format!("cannot open input {}", path.display()))?;
        let metadata = load_metadata(&file, path)?;
        Ok(ParquetRows {
            file,
            metadata,
            next_group: 0,
            batches: None,
            json: Vec::new(),
            at: 0,
            compressed,
        })
    }

    /// Fills `json` with the next rows; false at the end of the file.
    fn refill(&mut self) -> io::Result<bool> {
        self.json.clear();
        self.at = 0;
        loop {
            if let Some(batches) = &mut self.batches {
                match batches.next() {
                    Some(batch) => {
                        let batch = batch.map_err(io::Error::other)?;
                        let mut writer = WriterBuilder::new()
                            .with_explicit_nulls(true)
                            .build::<_, LineDelimited>(&mut self.json);
                        writer.write(&batch).map_err(io::Error::other)?;
                        writer.finish().map_err(io::Error::other)?;
                        if !self.json.is_empty() {
                            return Ok(true);
                        }
                        continue;
                    }
                    None => self.batches = None,
                }
            }
            let groups = self.metadata.metadata().row_groups();
            let Some(group) = groups.get(self.next_group) else {
                return Ok(false);
            };
            self.compressed
                .fetch_add(group.compressed_size().max(0) as u64, Ordering::Relaxed);
            let file = self.file.try_clone()?;
            let reader =
                ParquetRecordBatchReaderBuilder::new_with_metadata(file, self.metadata.clone())
                    .with_row_groups(vec![self.next_group])
                    .with_batch_size(BATCH_ROWS)
                    .build()
                    .map_err(io::Error::other)?;
            self.next_group += 1;
            self.batches = Some(reader);
        }
    }
}

/// A Parquet file's footer; an error naming the file says what to do.
pub(super) fn load_metadata(file: &File, path: &Path) -> Result<ArrowReaderMetadata> {
    ArrowReaderMetadata::load(file, ArrowReaderOptions::new()).with_context(|| {
        format!(
            "{}: not a readable Parquet file (its footer is damaged or missing: is it \
             truncated?); re-copy it, or remove it from the inputs",
            path.display()
        )
    })
}

impl Read for ParquetRows {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at == self.json.len() && !self.refill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.json.len() - self.at);
        buf[..n].copy_from_slice(&self.json[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Refuses a Parquet input whose columns cannot hold `layout`'s text (the column missing,
/// or not a string), before any row is read: every row would be rejected otherwise.
pub fn check_parquet_layout(path: &Path, layout: &RecordLayout) -> Result<()> {
    use arrow_schema::{DataType, Fields};
    let schema = super::parquet_schema(path)?;
    let mut fields: Fields = schema.fields().clone();
    let segments = layout.text.segments();
    for (depth, segment) in segments.iter().enumerate() {
        let Some((_, field)) = fields.find(segment) else {
            let names: Vec<&str> = fields.iter().map(|f| f.name().as_str()).collect();
            bail!(
                "{}: no column {:?} for the text (text_field = {:?}); the columns there are \
                 {}: set the [[input]]'s text_field",
                path.display(),
                segments[..=depth].join("."),
                layout.text.as_str(),
                names.join(", ")
            );
        };
        match (field.data_type(), depth + 1 == segments.len()) {
            (DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View, true) => return Ok(()),
            // Pandas categoricals: strings stored once, rows holding keys.
            (DataType::Dictionary(_, values), true)
                if matches!(
                    values.as_ref(),
                    DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
                ) =>
            {
                return Ok(());
            }
            (DataType::Struct(inner), false) => fields = inner.clone(),
            (other, _) => bail!(
                "{}: column {:?} is {other}, not {}: set the [[input]]'s text_field to a \
                 string column",
                path.display(),
                segments[..=depth].join("."),
                if depth + 1 == segments.len() {
                    "a string"
                } else {
                    "a struct"
                }
            ),
        }
    }
    Ok(())
}
