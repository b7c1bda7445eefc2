//! Pass 2: read the inputs again, tokenize the kept documents in parallel, and write them in
//! input order into per-source Megatron shards and curated jsonl parts.

use super::batches::{LineBatch, spawn_reader};
use super::records::{LineKind, classify};
use super::resolve::KeepSet;
use crate::config::Config;
use crate::doc::SourceId;
use crate::error::{FailureKind, tag};
use super::logs::DecontamRecord;
use super::tasks::record_outcome;
use crate::decontam::{CleanOutcome, Decontaminator, Verdict};
use crate::filters::{self, apply};
use crate::io::{AtomicFile, ParsedRecord, RollingZstWriter, ZstLogWriter};
use crate::report::{DecontamReport, SourceRow};
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

/// One kept document, ready to write: one piece, or several after decontamination.
struct Encoded {
    source: SourceId,
    line_number: u64,
    pieces: Vec<Piece>,
    /// The decontamination outcome, when the document was not clean.
    decontam: Option<CleanOutcome>,
}

struct Piece {
    tokens: Vec<u32>,
    line: Vec<u8>,
    bytes: u64,
}

/// Decontamination as pass 2 applies it: the cleaner, the report section it fills and the
/// log of every document it changed.
pub struct DecontamStage<'a> {
    /// The pass-2 cleaner.
    pub decontaminator: &'a Decontaminator,
    /// Counts per task and source.
    pub report: &'a mut DecontamReport,
    /// `removed/decontaminated.jsonl.zst`.
    pub log: &'a mut ZstLogWriter,
}

/// Runs pass 2 and fills the output columns of `rows`.
pub fn emit(
    config: &Config,
    keep: &KeepSet,
    tokenizer: &Tokenizer,
    rows: &mut [SourceRow],
    progress: &ProgressBar,
    mut decontam: Option<DecontamStage<'_>>,
) -> Result<()> {
    let cleaner = decontam.as_ref().map(|stage| stage.decontaminator);
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
                LineKind::Doc { source, record } => {
                    encode(config, tokenizer, cleaner, source, line.number, &record)
                }
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
            written += 1;
            let row = &mut rows[doc.source as usize];
            if let (Some(stage), Some(outcome)) = (&mut decontam, &doc.decontam) {
                record_outcome(stage.report, stage.decontaminator, &row.name, outcome);
                log_decontam(stage, &row.name, &names[file_index], doc.line_number, outcome)?;
                match outcome.verdict {
                    Verdict::Split => row.decontam_split += 1,
                    Verdict::Trimmed => row.decontam_trimmed += 1,
                    _ => {}
                }
            }
            if doc.pieces.is_empty() {
                row.decontam_removed += 1;
                continue;
            }
            row.docs_out += 1;
            let sink = match &mut sinks[doc.source as usize] {
                Some(sink) => sink,
                slot => slot.insert(open_sink(config, out, doc.source, dtype)?),
            };
            for piece in &doc.pieces {
                sink.megatron.add_document(&piece.tokens)?;
                if let Some(docs) = &mut sink.docs {
                    docs.write_line(&piece.line)?;
                }
                row.sequences_out += 1;
                row.bytes_out += piece.bytes;
                row.tokens_out += piece.tokens.len() as u64;
            }
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
    cleaner: Option<&Decontaminator>,
    source: SourceId,
    line_number: u64,
    record: &ParsedRecord,
) -> Result<Encoded> {
    // Filters are pure: re-applying the source's rule sets gives the text pass 1 kept.
    let sets = &config.sources[source as usize].rule_sets;
    let rewritten = match sets.iter().any(|set| set.rewrites()) {
        false => None,
        true => match apply(sets, &record.text) {
            filters::Verdict::Keep(rewrite) => rewrite.map(|rewrite| rewrite.text),
            filters::Verdict::Drop { .. } => bail!(
                "a document pass 1 kept is dropped by the filters in pass 2; the input changed \
                 during the run: rerun on inputs that are not being written"
            ),
        },
    };
    let text = rewritten.as_deref().unwrap_or(&record.text);
    let outcome = cleaner.map(|d| d.clean(text));
    let ranges = match &outcome {
        Some(outcome) => outcome.pieces.clone(),
        None => vec![0..text.len()],
    };
    let mut pieces = Vec::with_capacity(ranges.len());
    for range in ranges {
        let piece = &text[range];
        let mut tokens = tokenizer.encode(piece)?;
        tokens.push(tokenizer.eod_id());
        let line = if config.write_docs {
            pile_line(piece, record.meta.as_deref())
        } else {
            Vec::new()
        };
        pieces.push(Piece {
            tokens,
            line,
            bytes: piece.len() as u64,
        });
    }
    Ok(Encoded {
        source,
        line_number,
        pieces,
        decontam: outcome.filter(|o| o.verdict != Verdict::Clean),
    })
}

fn log_decontam(
    stage: &mut DecontamStage<'_>,
    source: &str,
    file: &str,
    line: u64,
    outcome: &CleanOutcome,
) -> Result<()> {
    let tasks = stage.decontaminator.tasks();
    let verdict = match outcome.verdict {
        Verdict::Clean => "clean",
        Verdict::Trimmed => "trimmed",
        Verdict::Split => "split",
        Verdict::DroppedShort => "removed_no_long_piece",
        Verdict::DroppedSplits => "removed_too_many_pieces",
    };
    let ngrams: Vec<&str> = outcome.hits.iter().map(|h| tasks.ngram(h.id)).collect();
    let task_names: Vec<&str> = outcome.tasks.iter().map(|t| tasks.task_name(*t)).collect();
    stage.log.write_record(&DecontamRecord {
        source,
        file,
        line,
        verdict,
        pieces_kept: outcome.pieces.len(),
        pieces_found: outcome.n_pieces,
        tasks: task_names,
        ngrams,
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
