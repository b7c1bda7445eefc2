//! Pass 1: read every input, parse, filter, and compute dedup keys of the documents that
//! pass the filters. Lines are processed in parallel per batch and folded in input order,
//! so document ids, logs and counts do not depend on the thread count.

use super::batches::{LineBatch, Reading, map_then_fold, par_map_longest_first};
use super::logs::{RejectRecord, RemovalRecord};
use super::origins::{KeepSet, Origin, OriginLog};
use super::progress::Progress;
use super::records::{LineKind, classify, doc_id};
use super::scan_line::{Scanned, count_distributions, scan_line};
use crate::config::Config;
use crate::decontam::{NgramCounts, TaskNgrams};
use crate::dedup::MinHasher;
use crate::dedup::runs::KeySpiller;
use crate::error::{FailureKind, failure};
use crate::filters::{detect_language, detects_language};
use crate::io::ZstLogWriter;
use crate::report::SourceRow;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The documents that passed the filters, as the dedup and emit stages need them.
pub struct Survivors {
    /// Dedup keys of each filter survivor, in doc id order.
    pub index: KeySpiller,
    /// Where each filter survivor came from, on disk, in doc id order.
    pub origins: OriginLog,
    /// Each filter survivor's input id, in the same order, when an input names an
    /// `id_field` (else `file:line` follows from the origins).
    pub ids: Option<ZstLogWriter>,
    /// The input lines of the filter survivors (dedup then removes its duplicates).
    pub keep: KeepSet,
    /// Documents parsed per input file (indexed like the config's inputs).
    pub docs_per_file: Vec<u64>,
    /// Decontamination: for each task n-gram, the filter survivors containing it.
    pub ngram_counts: NgramCounts,
    /// The input lines of the filter survivors that contain at least one task n-gram: only
    /// these can be cut by decontamination in pass 2 (the text is the same in both passes).
    pub task_matches: KeepSet,
}

/// The logs pass 1 writes: rejected records, and documents the filters removed.
pub struct Logs<'a> {
    /// The rejects log.
    pub rejects: &'a mut ZstLogWriter,
    /// The filter-removal log.
    pub removed: &'a mut ZstLogWriter,
}

/// Where pass 1 puts the survivors' dedup keys and origins.
pub struct SurvivorSinks {
    /// The key spiller.
    pub index: KeySpiller,
    /// The origins log.
    pub origins: OriginLog,
    /// The input ids log, when an input names an `id_field`.
    pub ids: Option<ZstLogWriter>,
}

/// A document's number for dedup and the logs before the global doc ids are known: input
/// file in the high 32 bits, the document's position in that file in the low 32. It orders
/// like the doc id and does not depend on how the inputs are shared out.
pub fn ordinal(file: usize, nth: u64) -> Result<u64> {
    if file >= 1 << 16 || nth >= 1 << 32 {
        return Err(failure(
            FailureKind::Input,
            format!(
                "input file {file}: more than 65,536 input files or 2^32 documents in one file \
                 is beyond what the dedup stage can address; split the inputs"
            ),
        ));
    }
    Ok(((file as u64) << 32) | nth)
}

/// Runs pass 1, filling `rows` and `unattributed`, writing the rejects and filter-removal logs
/// (removal records carry the document's [`ordinal`] as `id` until the merge).
#[allow(clippy::too_many_arguments)]
pub fn scan(
    config: &Config,
    (rx, reader): Reading,
    rows: &mut [SourceRow],
    unattributed: &mut BTreeMap<String, u64>,
    Logs { rejects, removed }: Logs<'_>,
    progress: &Progress,
    tasks: Option<&TaskNgrams>,
    sinks: SurvivorSinks,
) -> Result<Survivors> {
    let hasher = MinHasher::new(&config.minhash);
    let bands = config.minhash.bands;
    let dedup_on = config.exact_dedup || config.fuzzy_dedup;
    let detects: Vec<bool> = config
        .sources
        .iter()
        .map(|source| detects_language(&source.rule_sets))
        .collect();
    let any_detects = detects.contains(&true);
    let names: Vec<String> = config
        .inputs
        .iter()
        .map(|i| i.path.display().to_string())
        .collect();
    let out = Survivors {
        index: sinks.index,
        origins: sinks.origins,
        ids: sinks.ids,
        keep: KeepSet::new(config.inputs.len()),
        task_matches: KeepSet::new(config.inputs.len()),
        docs_per_file: vec![0; config.inputs.len()],
        ngram_counts: NgramCounts::default(),
    };
    let mut folder = Folder {
        config,
        names: &names,
        bands,
        rows,
        unattributed,
        rejects,
        removed,
        out,
    };
    map_then_fold(
        rx,
        |batch| {
            let input = &config.inputs[batch.file_index];
            if !any_detects {
                // No language to detect: one sweep, no batch of parsed records held.
                return par_map_longest_first(
                    batch.lines.iter(),
                    |line| line,
                    |line| {
                        let kind = classify(line, input, config, false);
                        scan_line(
                            (line, &input.layout),
                            kind,
                            None,
                            config,
                            &hasher,
                            dedup_on,
                            tasks,
                        )
                    },
                );
            }
            let kinds: Vec<LineKind> = batch
                .lines
                .par_iter()
                .map(|line| classify(line, input, config, false))
                .collect();
            // Languages first, for the whole batch (see `Views::with_language`).
            let languages: Vec<Option<(&'static str, f64)>> = kinds
                .par_iter()
                .map(|kind| match kind {
                    LineKind::Doc { source, record } if detects[*source as usize] => {
                        Some(detect_language(&record.text))
                    }
                    _ => None,
                })
                .collect();
            let items = kinds.into_iter().zip(languages).zip(&batch.lines);
            par_map_longest_first(
                items,
                |(_, line)| line,
                |((kind, language), line)| {
                    scan_line(
                        (line, &input.layout),
                        kind,
                        language,
                        config,
                        &hasher,
                        dedup_on,
                        tasks,
                    )
                },
            )
        },
        |batch, scanned| {
            folder.fold(&batch, scanned)?;
            let kept = folder.out.origins.count();
            progress.advance(batch.compressed_delta, batch.lines.len() as u64, kept);
            Ok(())
        },
    )?;
    let out = folder.out;
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reader thread panicked"))?;
    Ok(out)
}

/// The sequential half of pass 1: counts, logs and dedup keys, folded in input order.
struct Folder<'a> {
    config: &'a Config,
    names: &'a [String],
    bands: usize,
    rows: &'a mut [SourceRow],
    unattributed: &'a mut BTreeMap<String, u64>,
    rejects: &'a mut ZstLogWriter,
    removed: &'a mut ZstLogWriter,
    out: Survivors,
}

impl Folder<'_> {
    /// Folds one batch's scanned lines.
    fn fold(&mut self, batch: &LineBatch, scanned: Vec<Scanned>) -> Result<()> {
        let file = self.names[batch.file_index].as_str();
        for (line, item) in batch.lines.iter().zip(scanned) {
            match item {
                // An empty name is a record without a string source field: no [[source]]
                // can be named "" (its slug would be empty), so do not advise one.
                Scanned::Unknown(name) if name.is_empty() => {
                    let field = &self.config.inputs[batch.file_index].layout.source;
                    return Err(failure(
                        FailureKind::Input,
                        format!(
                            "{file}:{}: the document has no string {field}, so its source is \
                             unknown; set this [[input]]'s source_field, give it a `source`, \
                             or set [run] on_unknown_source = \"reject\"",
                            line.number
                        ),
                    ));
                }
                Scanned::Unknown(name) => {
                    return Err(failure(
                        FailureKind::Input,
                        format!(
                            "{file}:{}: the document's source {name:?} is not declared in the \
                             config; add a [[source]] with name = {name:?}, give this [[input]] \
                             a `source`, or set [run] on_unknown_source = \"reject\"",
                            line.number
                        ),
                    ));
                }
                Scanned::Reject {
                    reason,
                    detail,
                    source,
                    raw,
                    bytes,
                } => {
                    let label = reason.label().to_string();
                    match source {
                        Some(s) => {
                            let row = &mut self.rows[s as usize];
                            row.records_read += 1;
                            *row.rejected.entry(label).or_default() += 1;
                        }
                        None => *self.unattributed.entry(label).or_default() += 1,
                    }
                    self.rejects.write_record(&RejectRecord {
                        file,
                        line: line.number,
                        reason: reason.label(),
                        detail: &detail,
                        source: source.map(|s| self.config.sources[s as usize].name.as_str()),
                        bytes,
                        raw: &raw,
                    })?;
                }
                Scanned::Doc {
                    source,
                    id_field,
                    bytes,
                    dropped,
                    keys,
                    edits,
                    ngrams,
                    language,
                    quality,
                } => {
                    let nth = &mut self.out.docs_per_file[batch.file_index];
                    let id = ordinal(batch.file_index, *nth)?;
                    *nth += 1;
                    let row = &mut self.rows[source as usize];
                    row.records_read += 1;
                    row.docs_read += 1;
                    row.bytes_read += bytes;
                    count_distributions(row, language, quality);
                    if let Some((set, rule, value)) = dropped {
                        let rule_set = &self.config.sources[source as usize].rule_sets[set];
                        let rule = &rule_set.rules[rule];
                        let reason = format!("{}/{}", rule_set.name, rule.name);
                        let doc_id = doc_id(id_field.as_deref(), file, line.number);
                        self.removed.write_record(&RemovalRecord {
                            id,
                            doc_id: &doc_id,
                            source: &row.name,
                            file,
                            line: line.number,
                            stage: "filter",
                            reason: &reason,
                            value: Some(value),
                            min: rule.min,
                            max: rule.max,
                            duplicate_of: None,
                            duplicate_source: None,
                        })?;
                        *row.dropped_by_rule.entry(reason).or_default() += 1;
                        continue;
                    }
                    for edit in &edits {
                        let rule_set = &self.config.sources[source as usize].rule_sets[edit.set];
                        let rule = &rule_set.rules[edit.rule].name;
                        let counts = row
                            .rewritten_by_rule
                            .entry(format!("{}/{rule}", rule_set.name))
                            .or_default();
                        counts.docs += 1;
                        counts.lines_removed += edit.lines_removed;
                        counts.chars_removed += edit.chars_removed;
                    }
                    let (exact, band_keys) = keys.unwrap_or((id as u128, vec![id; self.bands]));
                    let priority = source;
                    self.out.index.push(priority, id, exact, &band_keys)?;
                    self.out.ngram_counts.add_doc(&ngrams);
                    if !ngrams.is_empty() {
                        self.out.task_matches.insert(batch.file_index, line.number);
                    }
                    let origin = Origin {
                        file: batch.file_index as u32,
                        line: line.number,
                    };
                    self.out.origins.push(id, origin)?;
                    if let Some(ids) = &mut self.out.ids {
                        ids.write_record(&doc_id(id_field.as_deref(), file, line.number))?;
                    }
                    self.out.keep.insert(batch.file_index, line.number);
                }
            }
        }
        Ok(())
    }
}
