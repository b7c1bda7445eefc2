//! The curated copy as Parquet (`[output] docs_format = "parquet"`): the emit ranks' jsonl
//! parts of one source rewritten as Parquet parts by the merge, in rank order, so the rows
//! are the same for any task count.

use crate::config::Config;
use crate::error::{FailureKind, tag};
use crate::io::{self, Compression, ParquetPartWriter};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Writes the jsonl `parts` (in order) as `part-NNNNN.parquet` in `dest`.
pub fn write_parquet_docs(config: &Config, parts: &[PathBuf], dest: &Path) -> Result<()> {
    let advice = |what: &str| {
        format!(
            "{}: {what}; set [output] docs_format = \"jsonl.zst\" to keep the records as \
             they are, or give that field one kind in the inputs",
            dest.display()
        )
    };
    let schema = match input_schema(config)? {
        Some(schema) => schema,
        None => io::infer_schema(io::read_lines(parts)).map_err(|e| {
            let message = advice("the curated records have no one Parquet schema");
            tag(FailureKind::Input, e.context(message))
        })?,
    };
    let schema = io::with_added_fields(&schema);
    let mut writer =
        ParquetPartWriter::new(dest, schema, config.docs_part_bytes, config.zstd_level)?;
    for line in io::read_lines(parts) {
        let line = line?;
        writer.write_line(&line).map_err(|e| {
            tag(
                FailureKind::Input,
                e.context(advice("a curated record does not fit the Parquet schema")),
            )
        })?;
    }
    writer.finish()?;
    Ok(())
}

/// The inputs' own schema when every input is Parquet and their schemas agree.
fn input_schema(config: &Config) -> Result<Option<arrow_schema::Schema>> {
    let parquet = |path: &Path| Compression::from_path(path) == Compression::Parquet;
    if !config.inputs.iter().all(|input| parquet(&input.path)) {
        return Ok(None);
    }
    let schemas = config
        .inputs
        .iter()
        .map(|input| io::parquet_schema(&input.path))
        .collect::<Result<Vec<_>>>()?;
    Ok(io::merge_schemas(&schemas))
}
