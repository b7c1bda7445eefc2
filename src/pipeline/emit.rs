//! Pass 2: read the inputs again, tokenize the kept documents in parallel, and write them in
//! input order into per-source Megatron shards and curated jsonl parts.

use super::batches::{LineBatch, Reading, map_then_fold, par_map_longest_first};
use super::origins::KeepSet;
use super::progress::Progress;
use super::records::{LineKind, classify, doc_id};
use super::tasks::{DecontamStage, log_decontam, record_outcome};
use crate::config::Config;
use crate::decontam::{CleanOutcome, Decontaminator, Verdict};
use crate::doc::SourceId;
use crate::filters::{self, apply};
use crate::io::{AtomicFile, ParsedRecord, RollingZstWriter};
use crate::report::SourceRow;
use crate::shard::curated_line;
use crate::shard::megatron::{IndexedDatasetWriter, TokenDtype, dataset_prefix};
use crate::tokenize::Tokenizer;
use anyhow::{Result, bail};
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
    /// The input's id field, when it has one.
    id_field: Option<String>,
    pieces: Vec<Piece>,
    /// The decontamination outcome, when the document was not clean.
    decontam: Option<CleanOutcome>,
}

struct Piece {
    tokens: Vec<u32>,
    line: Vec<u8>,
    bytes: u64,
}

/// Where pass 2 writes its shards and curated parts.
pub struct Target<'a> {
    /// The folder that gets `megatron/` and `docs/`.
    pub dir: &'a Path,
    /// Uncompressed bytes per curated part.
    pub part_bytes: u64,
}

/// Runs pass 2 on the batches of `reading` and fills the output columns of `rows`.
#[allow(clippy::too_many_arguments)]
pub fn emit(
    config: &Config,
    target: &Target<'_>,
    (rx, reader): Reading,
    keep: &KeepSet,
    tokenizer: &Tokenizer,
    rows: &mut [SourceRow],
    progress: &Progress,
    mut decontam: Option<DecontamStage<'_>>,
) -> Result<()> {
    let cleaner = decontam
        .as_ref()
        .map(|stage| (stage.decontaminator, stage.task_matches));
    let dtype = TokenDtype::for_vocab(tokenizer.vocab_size());
    let out = target.dir;
    let mut sinks: Vec<Option<SourceSink>> = config.sources.iter().map(|_| None).collect();
    let names: Vec<String> = config
        .inputs
        .iter()
        .map(|i| i.path.display().to_string())
        .collect();
    let mut writer = Writer {
        config,
        out,
        part_bytes: target.part_bytes,
        dtype,
        names: &names,
        sinks: &mut sinks,
        rows,
        decontam: &mut decontam,
        written: 0,
    };
    map_then_fold(
        rx,
        |batch| encode_batch(config, keep, tokenizer, cleaner, &names, batch),
        |batch, encoded| {
            writer.write_batch(batch.file_index, encoded)?;
            let lines = batch.lines.len() as u64;
            progress.advance(batch.compressed_delta, lines, writer.written);
            Ok(())
        },
    )?;
    let written = writer.written;
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reader thread panicked"))?;
    if written != keep.count() {
        bail!(
            "the inputs changed during the run: pass 1 kept {} documents, pass 2 found {written}; \
             rerun on inputs that are not being written",
            keep.count()
        );
    }
    crate::pipeline::interrupt::kill_point("emit:closing");
    // Each sink compresses what it still holds as it closes: side by side, not one after
    // another on one worker while the others idle at the end of the run.
    sinks
        .into_par_iter()
        .enumerate()
        .filter_map(|(source, sink)| sink.map(|sink| (source, sink)))
        .try_for_each(|(source, sink)| finish_sink(config, out, source, sink))
}

/// The sequential half of pass 2: the sinks and counts that batches are written into.
struct Writer<'a, 'd> {
    config: &'a Config,
    out: &'a Path,
    part_bytes: u64,
    dtype: TokenDtype,
    names: &'a [String],
    sinks: &'a mut Vec<Option<SourceSink>>,
    rows: &'a mut [SourceRow],
    decontam: &'a mut Option<DecontamStage<'d>>,
    written: u64,
}

impl Writer<'_, '_> {
    /// Writes one batch's documents, in input order.
    fn write_batch(&mut self, file_index: usize, encoded: Vec<Result<Encoded>>) -> Result<()> {
        for doc in encoded {
            let doc = doc?;
            self.written += 1;
            let row = &mut self.rows[doc.source as usize];
            if let (Some(stage), Some(outcome)) = (&mut *self.decontam, &doc.decontam) {
                record_outcome(stage.report, stage.decontaminator, &row.name, outcome);
                let file = &self.names[file_index];
                let id = doc_id(doc.id_field.as_deref(), file, doc.line_number);
                log_decontam(stage, (&row.name, &id), file, doc.line_number, outcome)?;
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
            let sink = match &mut self.sinks[doc.source as usize] {
                Some(sink) => sink,
                slot => {
                    let target = (self.out, self.part_bytes);
                    slot.insert(open_sink(self.config, target, doc.source, self.dtype)?)
                }
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
        Ok(())
    }
}

/// The parallel half of pass 2: parse, clean and tokenize the kept lines of one batch.
fn encode_batch(
    config: &Config,
    keep: &KeepSet,
    tokenizer: &Tokenizer,
    cleaner: Option<(&Decontaminator, &KeepSet)>,
    names: &[String],
    batch: &LineBatch,
) -> Vec<Result<Encoded>> {
    let input = &config.inputs[batch.file_index];
    // Only the lines pass 1 kept are parsed again.
    let kept = batch
        .lines
        .iter()
        .filter(|line| keep.contains(batch.file_index, line.number));
    par_map_longest_first(
        kept,
        |line| line,
        |line| match classify(line, input, config, config.write_docs) {
            LineKind::Doc { source, record } => {
                // A document without a task n-gram in pass 1 has none now: nothing to cut.
                let cleaner = cleaner
                    .filter(|(_, matched)| matched.contains(batch.file_index, line.number))
                    .map(|(decontaminator, _)| decontaminator);
                let id = doc_id(record.id.as_deref(), &names[batch.file_index], line.number);
                encode(
                    config,
                    tokenizer,
                    cleaner,
                    source,
                    (line.number, &id),
                    &record,
                )
            }
            _ => bail!(
                "{}:{}: this line held a document in the first pass and does not now; the \
             input changed during the run: rerun on inputs that are not being written",
                names[batch.file_index],
                line.number
            ),
        },
    )
}

fn encode(
    config: &Config,
    tokenizer: &Tokenizer,
    cleaner: Option<&Decontaminator>,
    source: SourceId,
    (line_number, id): (u64, &str),
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
        // One piece: the whole text (a one-element Vec of ranges, built without vec!).
        None => std::iter::once(0..text.len()).collect(),
    };
    let mut pieces = Vec::with_capacity(ranges.len());
    let several = ranges.len() > 1;
    for (number, range) in ranges.into_iter().enumerate() {
        let piece = &text[range];
        let mut tokens = tokenizer.encode(piece)?;
        tokens.push(tokenizer.eod_id());
        let line = match &record.fields {
            Some(fields) => curated_line(piece, fields, id, several.then_some(number)),
            None => Vec::new(),
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
        id_field: record.id.clone(),
        pieces,
        decontam: outcome.filter(|o| o.verdict != Verdict::Clean),
    })
}

/// `megatron/<slug>_text_document.<extension>` (built by hand: a slug may contain dots).
fn megatron_path(out: &Path, config: &Config, source: usize, extension: &str) -> PathBuf {
    let prefix = dataset_prefix(MEGATRON_DIR, &config.sources[source].slug);
    out.join(format!("{prefix}.{extension}"))
}

fn open_sink(
    config: &Config,
    (out, part_bytes): (&Path, u64),
    source: SourceId,
    dtype: TokenDtype,
) -> Result<SourceSink> {
    let bin = AtomicFile::create(&megatron_path(out, config, source as usize, "bin"))?;
    let docs = config.write_docs.then(|| {
        RollingZstWriter::new(
            &out.join(DOCS_DIR)
                .join(&config.sources[source as usize].slug),
            part_bytes,
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
