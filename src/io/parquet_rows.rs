//! Parquet input read as a stream of JSON lines, one per row, so the rest of the pipeline
//! (line numbers, caps, rejects, the two passes) treats it exactly as jsonl.
//!
//! Rows are read one row group at a time (memory: one row group's column chunks and a few
//! thousand rows of JSON) in file order, so both passes see the same rows as the same line
//! numbers. Each row becomes an object of every column, nested structs as objects, lists as
//! arrays, nulls written out (`"meta":null`), through `arrow-json`.

use super::RecordLayout;
use super::parquet_json::FastStrings;
use anyhow::{Context, Result, bail};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, GenericStringArray, OffsetSizeTrait, RecordBatch};
use arrow_buffer::{Buffer, OffsetBuffer};
use arrow_json::writer::{LineDelimited, WriterBuilder};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, Read};
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
    /// The text column handed over apart, and its values not yet taken, in row order.
    split: Option<String>,
    texts: VecDeque<Option<String>>,
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
            split: None,
            texts: VecDeque::new(),
        })
    }

    /// Opens `path` to hand the top-level string column `text` over apart from the JSON
    /// lines ([`ParquetRows::take_text`]): in each line it is `""` (or `null`), so the text
    /// is neither escaped into JSON nor parsed back out of it. Any other column type is
    /// left in the JSON.
    pub(super) fn open_split(path: &Path, compressed: Arc<AtomicU64>, text: &str) -> Result<Self> {
        let mut rows = ParquetRows::open(path, compressed)?;
        let schema = rows.metadata.schema();
        if let Ok(field) = schema.field_with_name(text)
            && matches!(field.data_type(), DataType::Utf8 | DataType::LargeUtf8)
        {
            rows.split = Some(text.to_owned());
        }
        Ok(rows)
    }

    /// The text of the row whose line was just read, when the text column is handed over
    /// apart and the row's is not null.
    pub(super) fn take_text(&mut self) -> Option<String> {
        self.texts.pop_front().flatten()
    }

    /// Takes the text column out of `batch` into `texts`, leaving `""` (nulls kept).
    fn split_text(&mut self, batch: RecordBatch) -> io::Result<RecordBatch> {
        let Some(index) = self
            .split
            .as_ref()
            .and_then(|t| batch.schema().index_of(t).ok())
        else {
            return Ok(batch);
        };
        let column = batch.column(index);
        let placeholder: ArrayRef = match column.data_type() {
            DataType::Utf8 => take_strings::<i32>(column.as_string(), &mut self.texts),
            DataType::LargeUtf8 => take_strings::<i64>(column.as_string(), &mut self.texts),
            _ => return Ok(batch),
        };
        let mut columns = batch.columns().to_vec();
        columns[index] = placeholder;
        RecordBatch::try_new(batch.schema(), columns).map_err(io::Error::other)
    }

    /// Fills `json` with the next rows; false at the end of the file.
    fn refill(&mut self) -> io::Result<bool> {
        self.json.clear();
        self.at = 0;
        loop {
            if let Some(batches) = &mut self.batches {
                match batches.next() {
                    Some(batch) => {
                        let batch = self.split_text(batch.map_err(io::Error::other)?)?;
                        let mut writer = WriterBuilder::new()
                            .with_explicit_nulls(true)
                            .with_encoder_factory(Arc::new(FastStrings))
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

/// Moves the values of `strings` into `texts` and returns an array of as many `""`, with
/// the same nulls.
fn take_strings<O: OffsetSizeTrait>(
    strings: &GenericStringArray<O>,
    texts: &mut VecDeque<Option<String>>,
) -> ArrayRef {
    texts.extend(strings.iter().map(|value| value.map(str::to_owned)));
    Arc::new(GenericStringArray::<O>::new(
        OffsetBuffer::new_zeroed(strings.len()),
        Buffer::from(Vec::<u8>::new()),
        strings.nulls().cloned(),
    ))
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
        let n = self.fill_buf()?.len().min(buf.len());
        buf[..n].copy_from_slice(&self.json[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Rows are served from the JSON buffer itself: no copy into another buffer.
impl BufRead for ParquetRows {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at == self.json.len() && !self.refill()? {
            return Ok(&[]);
        }
        Ok(&self.json[self.at..])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.json.len());
    }
}

/// Refuses a Parquet input whose columns cannot hold `layout`'s text (the column missing,
/// or not a string), before any row is read: every row would be rejected otherwise.
pub fn check_parquet_layout(path: &Path, layout: &RecordLayout) -> Result<()> {
    use arrow_schema::Fields;
    let schema = super::parquet_schema(path)?;
    let mut fields: Fields = schema.fields().clone();
    let segments = layout.text.segments();
    for (depth, segment) in segments.iter().enumerate() {
        let Some((_, field)) = fields.find(segment) else {
            let names: Vec<&str> = fields.iter().map(|f| f.name().as_str()).collect();
            if names.is_empty() && depth == 0 {
                bail!(
                    "{}: the file has no columns (a Parquet file written from no records?); \
                     remove it from the inputs",
                    path.display()
                );
            }
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
