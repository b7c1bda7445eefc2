//! Pass 2: read the inputs again, tokenize the kept documents in parallel, and write them in
//! input order into per-source Megatron shards and curated jsonl parts.

use super::batches::{LineBatch, spawn_reader};
use super::records::{LineKind, classify};
use super::resolve::KeepSet;
use crate::config::Config;
use crate::doc::SourceId;
use crate::error::{FailureKind, tag};
use crate::io::{AtomicFile, ParsedRecord, RollingZstWriter};
use crate::report::SourceRow;
use crate::shard::megatron::{IndexedDatasetWriter, TokenDtype, dataset_prefix};
use crate::shard::pile_line;
use crate::tokenize::Tokenizer;
use anyhow::{Result, bail};
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Output folder of the Megatron shards, inside the run's output folder.
pub const MEGATRON_DIR: &str = "megatron";
/// Output folder of the curated jsonl parts.
pub const DOCS_DIR: &str = "docs";

struct SourceSink {
    megatron: IndexedDatasetWriter<AtomicFile>,
    docs: Option<RollingZstWriter>,
}

struct Encoded {
    source: SourceId,
    tokens: Vec<u32>,
    line: Vec<u8>,
    bytes: u64,
}

/// Runs pass 2 and fills the output columns of `rows`.
pub fn emit(
    config: &Config,
    keep: &KeepSet,
    tokenizer: &Tokenizer,
    rows: &mut [SourceRow],
    progress: &ProgressBar,
) -> Result<()> {
    let dtype = TokenDtype::for_vocab(tokenizer.vocab_size());
    let out = config.output_dir.as_path();
    let mut sinks: Vec<Option<SourceSink>> = config.sources.iter().map(|_| None).collect();
    let files: Vec<_> = config.inputs.iter().map(|i| i.path.clone()).collect();
    let (rx, reader) = spawn_reader(files, config.max_line_bytes)?;
    let names: Vec<String> = config
        .inputs
        .iter()
        .map(|i| i.path.display().to_string())
        .collect();
    let mut written = 0u64;
    for batch in rx {
        let LineBatch {
            file_index,
            lines,
            compressed_delta,
        } = batch.map_err(|e| tag(FailureKind::Input, e))?;
        let forced = config.inputs[file_index].source;
        // Only the lines pass 1 kept are parsed again; parsing is part of the parallel work.
        let encoded: Vec<Result<Encoded>> = lines
            .par_iter()
            .filter(|line| keep.contains(file_index, line.number))
            .map(|line| match classify(line, forced, config) {
                LineKind::Doc { source, record } => encode(config, tokenizer, source, &record),
                _ => bail!(
                    "{}:{}: this line held a document in the first pass and does not now; the \
                     input changed during the run: rerun on inputs that are not being written",
                    names[file_index],
                    line.number
                ),
            })
            .collect();
        for doc in encoded {
            let doc = doc?;
            let sink = match &mut sinks[doc.source as usize] {
                Some(sink) => sink,
                slot => slot.insert(open_sink(config, out, doc.source, dtype)?),
            };
            sink.megatron.add_document(&doc.tokens)?;
            if let Some(docs) = &mut sink.docs {
                docs.write_line(&doc.line)?;
            }
            let row = &mut rows[doc.source as usize];
            row.docs_out += 1;
            row.bytes_out += doc.bytes;
            row.tokens_out += doc.tokens.len() as u64;
            written += 1;
        }
        progress.inc(compressed_delta);
    }
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reader thread panicked"))?;
    if written != keep.len() {
        bail!(
            "the inputs changed during the run: pass 1 kept {} documents, pass 2 found {written}; \
             rerun on inputs that are not being written",
            keep.len()
        );
    }
    for (source, sink) in sinks.into_iter().enumerate() {
        if let Some(sink) = sink {
            finish_sink(config, out, source, sink)?;
        }
    }
    Ok(())
}

fn encode(
    config: &Config,
    tokenizer: &Tokenizer,
    source: SourceId,
    record: &ParsedRecord,
) -> Result<Encoded> {
    let mut tokens = tokenizer.encode(&record.text)?;
    tokens.push(tokenizer.eod_id());
    let line = if config.write_docs {
        pile_line(&record.text, record.meta.as_deref())
    } else {
        Vec::new()
    };
    Ok(Encoded {
        source,
        tokens,
        line,
        bytes: record.text.len() as u64,
    })
}

/// `megatron/<slug>_text_document.<extension>` (built by hand: a slug may contain dots).
fn megatron_path(out: &Path, config: &Config, source: usize, extension: &str) -> PathBuf {
    let prefix = dataset_prefix(MEGATRON_DIR, &config.sources[source].slug);
    out.join(format!("{prefix}.{extension}"))
}

fn open_sink(
    config: &Config,
    out: &Path,
    source: SourceId,
    dtype: TokenDtype,
) -> Result<SourceSink> {
    let bin = AtomicFile::create(&megatron_path(out, config, source as usize, "bin"))?;
    let docs = config.write_docs.then(|| {
        RollingZstWriter::new(
            &out.join(DOCS_DIR)
                .join(&config.sources[source as usize].slug),
            config.docs_part_bytes,
            config.zstd_level,
        )
    });
    Ok(SourceSink {
        megatron: IndexedDatasetWriter::new(bin, dtype),
        docs,
    })
}

fn finish_sink(config: &Config, out: &Path, source: usize, sink: SourceSink) -> Result<()> {
    let mut idx = AtomicFile::create(&megatron_path(out, config, source, "idx"))?;
    let bin = sink.megatron.finish(&mut idx)?;
    bin.finish()?;
    idx.finish()?;
    if let Some(docs) = sink.docs {
        docs.finish()?;
    }
    Ok(())
}
