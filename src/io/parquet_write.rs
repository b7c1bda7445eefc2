//! Curated documents written as Parquet: jsonl lines decoded against a schema (the inputs'
//! own when they are Parquet, else inferred from the lines) and written with zstd, in parts
//! of a given size of jsonl text, row groups of at most [`ROW_GROUP_BYTES`].

use super::AtomicFile;
use anyhow::{Context, Result, bail};
use arrow_json::reader::{Decoder, ReaderBuilder, infer_json_schema_from_iterator};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Bytes of a row group in memory before it is written out.
pub const ROW_GROUP_BYTES: usize = 128 << 20;
/// Rows decoded from JSON at a time.
const DECODE_ROWS: usize = 1024;

/// The Arrow schema of a Parquet file, from its footer.
pub fn parquet_schema(path: &Path) -> Result<Schema> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let metadata = super::parquet_rows::load_metadata(&file, path)?;
    Ok(metadata.schema().as_ref().clone())
}

/// One schema for rows of several Parquet files: fields in first-seen order; a field that
/// not every file has, or whose nullability differs, is nullable. Two files that give one
/// column different types cannot share a schema: `None`.
pub fn merge_schemas(schemas: &[Schema]) -> Option<Schema> {
    let first = schemas.first()?;
    if schemas.iter().all(|s| s == first) {
        return Some(first.clone());
    }
    let merged = Schema::try_merge(schemas.iter().cloned()).ok()?;
    let fields: Vec<Field> = merged
        .fields()
        .iter()
        .map(|f| f.as_ref().clone().with_nullable(true))
        .collect();
    Some(Schema::new(fields))
}

/// `schema` with the members pilecurate adds to a curated record: `pilecurate_id` (a
/// string) and `pilecurate_piece` (a number, null unless the document was cut), replacing
/// input fields of those names.
pub fn with_added_fields(schema: &Schema) -> Schema {
    let mut fields: Vec<Field> = schema
        .fields()
        .iter()
        .filter(|f| !super::ADDED_FIELDS.contains(&f.name().as_str()))
        .map(|f| f.as_ref().clone())
        .collect();
    fields.push(Field::new("pilecurate_id", DataType::Utf8, false));
    fields.push(Field::new("pilecurate_piece", DataType::Int64, true));
    Schema::new(fields)
}

/// The schema of jsonl records, inferred from every line `lines` gives. Records whose
/// fields no one schema holds (an object in one, a string in another) are an error naming
/// the first record that does not fit (1-based).
pub fn infer_schema(lines: impl Iterator<Item = Result<Vec<u8>>>) -> Result<Schema> {
    let mut failure = None;
    let records = std::cell::Cell::new(0u64);
    let values = lines.map_while(|line| match line {
        Ok(line) => {
            records.set(records.get() + 1);
            Some(
                serde_json::from_slice::<serde_json::Value>(&line)
                    .map_err(|e| arrow_schema::ArrowError::JsonError(e.to_string())),
            )
        }
        Err(e) => {
            failure = Some(e);
            None
        }
    });
    let inferred = infer_json_schema_from_iterator(values);
    if let Some(e) = failure {
        return Err(e);
    }
    inferred.with_context(|| {
        format!(
            "record {} does not fit one Parquet schema with the records before it (a field \
             of another kind: an object or a list where there was a plain value, or the \
             reverse)",
            records.get()
        )
    })
}

/// Writes jsonl lines as Parquet files `part-NNNNN.parquet` in a folder, a new part after
/// each `part_bytes` of jsonl.
pub struct ParquetPartWriter {
    dir: PathBuf,
    schema: SchemaRef,
    properties: WriterProperties,
    part_bytes: u64,
    part: Option<(ArrowWriter<AtomicFile>, Decoder)>,
    parts: usize,
    bytes_in_part: u64,
    rows_pending: usize,
}

impl ParquetPartWriter {
    /// Parts of `part_bytes` of jsonl in `dir`, rows of `schema`, zstd at `level`.
    pub fn new(dir: &Path, schema: Schema, part_bytes: u64, level: i32) -> Result<Self> {
        let level = ZstdLevel::try_new(level.clamp(1, 22))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(level))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .set_max_row_group_row_count(None)
            .build();
        Ok(ParquetPartWriter {
            dir: dir.to_path_buf(),
            schema: Arc::new(schema),
            properties,
            part_bytes: part_bytes.max(1),
            part: None,
            parts: 0,
            bytes_in_part: 0,
            rows_pending: 0,
        })
    }

    /// Adds one jsonl record.
    pub fn write_line(&mut self, line: &[u8]) -> Result<()> {
        if self.part.is_none() {
            super::create_dir_all(&self.dir)?;
            let path = self.dir.join(format!("part-{:05}.parquet", self.parts));
            let writer = ArrowWriter::try_new(
                AtomicFile::create(&path)?,
                self.schema.clone(),
                Some(self.properties.clone()),
            )?;
            let decoder = ReaderBuilder::new(self.schema.clone())
                .with_coerce_primitive(true)
                .with_batch_size(DECODE_ROWS)
                .build_decoder()?;
            self.part = Some((writer, decoder));
            self.parts += 1;
        }
        let (_, decoder) = self.part.as_mut().expect("opened above");
        let read = decoder.decode(line)?;
        if read != line.len() {
            bail!("a curated record is not one JSON object");
        }
        self.rows_pending += 1;
        self.bytes_in_part += line.len() as u64 + 1;
        if self.rows_pending == DECODE_ROWS {
            self.flush_rows()?;
        }
        if self.bytes_in_part >= self.part_bytes {
            self.close_part()?;
        }
        Ok(())
    }

    fn flush_rows(&mut self) -> Result<()> {
        if let Some((writer, decoder)) = &mut self.part
            && let Some(batch) = decoder.flush()?
        {
            writer.write(&batch)?;
        }
        self.rows_pending = 0;
        Ok(())
    }

    fn close_part(&mut self) -> Result<()> {
        self.flush_rows()?;
        if let Some((writer, _)) = self.part.take() {
            writer.into_inner()?.finish()?;
        }
        self.bytes_in_part = 0;
        Ok(())
    }

    /// Closes the last part; the number of parts written.
    pub fn finish(mut self) -> Result<usize> {
        self.close_part()?;
        Ok(self.parts)
    }
}

/// The compression of a Parquet file written by [`write_parquet_file`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    /// zstd level 3.
    Zstd,
    /// Snappy: pyarrow's and pandas' default, so most Parquet on the Hugging Face Hub.
    Snappy,
}

/// Writes jsonl `lines` as one Parquet file of their inferred schema (nested objects as
/// struct columns), `group_rows` rows per row group: how the tests and the bench make
/// Parquet inputs from jsonl.
pub fn write_parquet_file(
    path: &Path,
    lines: &[Vec<u8>],
    group_rows: usize,
    codec: Codec,
) -> Result<()> {
    let schema = Arc::new(infer_schema(lines.iter().map(|line| Ok(line.clone())))?);
    let compression = match codec {
        Codec::Zstd => Compression::ZSTD(ZstdLevel::try_new(3)?),
        Codec::Snappy => Compression::SNAPPY,
    };
    let properties = WriterProperties::builder()
        .set_compression(compression)
        .set_max_row_group_row_count(Some(group_rows.max(1)))
        .build();
    let mut writer =
        ArrowWriter::try_new(AtomicFile::create(path)?, schema.clone(), Some(properties))?;
    let mut decoder = ReaderBuilder::new(schema)
        .with_batch_size(DECODE_ROWS)
        .build_decoder()?;
    for chunk in lines.chunks(DECODE_ROWS) {
        for line in chunk {
            decoder.decode(line)?;
        }
        if let Some(batch) = decoder.flush()? {
            writer.write(&batch)?;
        }
    }
    writer.into_inner()?.finish()
}
