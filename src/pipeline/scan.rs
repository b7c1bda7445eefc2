//! Pass 1: read every input, parse, filter, and compute dedup keys of the documents that
//! pass the filters. Lines are processed in parallel per batch and folded in input order,
//! so document ids, logs and counts do not depend on the thread count.

use super::batches::{LineBatch, map_then_fold, spawn_reader};
use super::logs::{RAW_PREFIX_BYTES, RejectRecord, RemovalRecord};
use super::origins::{KeepSet, Origin, OriginLog};
use super::records::{LineKind, classify};
use crate::config::Config;
use crate::decontam::{NgramCounts, NgramId, TaskNgrams};
use crate::dedup::runs::KeySpiller;
use crate::dedup::{MinHasher, exact_key};
use crate::doc::{RejectReason, SourceId};
use crate::error::{FailureKind, failure};
use crate::filters::{Edit, Verdict, Views, apply_views, detect_language, detects_language};
use crate::io::{Line, ZstLogWriter};
use crate::report::SourceRow;
use anyhow::Result;
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The documents that passed the filters, as the dedup and emit stages need them.
pub struct Survivors {
    /// Dedup keys of each filter survivor, in doc id order.
    pub index: KeySpiller,
    /// Where each filter survivor came from, on disk, in doc id order.
    pub origins: OriginLog,
    /// The input lines of the filter survivors (dedup then removes its duplicates).
    pub keep: KeepSet,
    /// Documents parsed in total (the next doc id).
    pub docs_parsed: u64,
    /// Decontamination: for each task n-gram, the filter survivors containing it.
    pub ngram_counts: NgramCounts,
}

enum Scanned {
    Reject {
        reason: RejectReason,
        detail: String,
        source: Option<SourceId>,
        raw: String,
        bytes: u64,
    },
    Unknown(String),
    Doc {
        source: SourceId,
        bytes: u64,
        dropped: Option<(usize, usize, f64)>,
        keys: Option<(u128, Vec<u64>)>,
        edits: Vec<Edit>,
        ngrams: Vec<NgramId>,
        /// Detected language and quality score, when the source's sets measure them.
        language: Option<(&'static str, f64)>,
        quality: Option<f64>,
    },
}

/// Runs pass 1, filling `rows` and `unattributed`, writing the rejects and filter-removal logs.
pub fn scan(
    config: &Config,
    rows: &mut [SourceRow],
    unattributed: &mut BTreeMap<String, u64>,
    rejects: &mut ZstLogWriter,
    removed: &mut ZstLogWriter,
    progress: &ProgressBar,
    tasks: Option<&TaskNgrams>,
) -> Result<Survivors> {
    let hasher = MinHasher::new(&config.minhash);
    let bands = config.minhash.bands;
    let dedup_on = config.exact_dedup || config.fuzzy_dedup;
    let detects: Vec<bool> = config
        .sources
        .iter()
        .map(|source| detects_language(&source.rule_sets))
        .collect();
    let files: Vec<_> = config.inputs.iter().map(|i| i.path.clone()).collect();
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let (rx, reader) = spawn_reader(files, config.max_line_bytes)?;
    let out = Survivors {
        index: super::resolve::key_spiller(config)?,
        origins: super::resolve::origin_log(config)?,
        keep: KeepSet::new(config.inputs.len()),
        docs_parsed: 0,
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
            let forced = config.inputs[batch.file_index].source;
            let kinds: Vec<LineKind> = batch
                .lines
                .par_iter()
                .map(|line| classify(line, forced, config))
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
            kinds
                .into_par_iter()
                .zip(languages)
                .zip(batch.lines.par_iter())
                .map(|((kind, language), line)| {
                    scan_line(line, kind, language, config, &hasher, dedup_on, tasks)
                })
                .collect::<Vec<Scanned>>()
        },
        |batch, scanned| {
            folder.fold(&batch, scanned)?;
            progress.inc(batch.compressed_delta);
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
                    bytes,
                    dropped,
                    keys,
                    edits,
                    ngrams,
                    language,
                    quality,
                } => {
                    let id = self.out.docs_parsed;
                    self.out.docs_parsed += 1;
                    let row = &mut self.rows[source as usize];
                    row.records_read += 1;
                    row.docs_read += 1;
                    row.bytes_read += bytes;
                    count_distributions(row, language, quality);
                    if let Some((set, rule, value)) = dropped {
                        let rule_set = &self.config.sources[source as usize].rule_sets[set];
                        let rule = &rule_set.rules[rule];
                        let reason = format!("{}/{}", rule_set.name, rule.name);
                        self.removed.write_record(&RemovalRecord {
                            id,
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
                    let origin = Origin {
                        file: batch.file_index as u32,
                        line: line.number,
                    };
                    self.out.origins.push(id, origin)?;
                    self.out.keep.insert(batch.file_index, line.number);
                }
            }
        }
        Ok(())
    }
}

/// Pass 1 for one line already classified, with its language when its source's rules
/// measure it (detected for the whole batch first).
fn scan_line(
    line: &Line,
    kind: LineKind,
    language: Option<(&'static str, f64)>,
    config: &Config,
    hasher: &MinHasher,
    dedup_on: bool,
    tasks: Option<&TaskNgrams>,
) -> Scanned {
    match kind {
        LineKind::UnknownSource { name } => Scanned::Unknown(name),
        LineKind::Reject {
            reason,
            detail,
            source,
        } => {
            let raw = line.bytes.as_deref().unwrap_or(&[]);
            let raw = String::from_utf8_lossy(&raw[..raw.len().min(RAW_PREFIX_BYTES)]);
            Scanned::Reject {
                reason,
                detail,
                source,
                raw: raw.into_owned(),
                bytes: line.len,
            }
        }
        LineKind::Doc { source, record } => {
            let original = record.text.as_str();
            let sets = &config.sources[source as usize].rule_sets;
            // One `Views` for the filters and the distributions: the language is detected
            // once even when a `language_id` rule measures it too.
            let views = match language {
                Some(language) => Views::with_language(original, language),
                None => Views::new(original),
            };
            let quality = sets.iter().find_map(|set| set.quality_score(original));
            // Dedup keys are computed on the text the filters leave (rewriting rules).
            let (dropped, rewrite) = match apply_views(sets, &views) {
                Verdict::Drop { set, rule, value } => (Some((set, rule, value)), None),
                Verdict::Keep(rewrite) => (None, rewrite),
            };
            let text = rewrite.as_ref().map_or(original, |r| r.text.as_str());
            let keys = (dropped.is_none() && dedup_on).then(|| {
                let mut band_keys = vec![0u64; config.minhash.bands];
                if config.fuzzy_dedup {
                    hasher.band_keys(text, &mut band_keys);
                }
                (exact_key(text), band_keys)
            });
            Scanned::Doc {
                source,
                bytes: original.len() as u64,
                dropped,
                keys,
                ngrams: match (tasks, dropped) {
                    (Some(tasks), None) => tasks.matches(text),
                    _ => Vec::new(),
                },
                edits: rewrite.map(|r| r.edits).unwrap_or_default(),
                language,
                quality,
            }
        }
    }
}

/// Adds a document's language, language-probability decile and quality-score decile to its
/// source's distributions.
fn count_distributions(row: &mut SourceRow, language: Option<(&str, f64)>, quality: Option<f64>) {
    if let Some((language, probability)) = language {
        *row.languages.entry(language.to_string()).or_default() += 1;
        *row.language_deciles.entry(decile(probability)).or_default() += 1;
    }
    if let Some(score) = quality {
        *row.quality_deciles.entry(decile(score)).or_default() += 1;
    }
}

/// The label of the tenth of 0..=1 that `score` falls in (`0.9-1.0` includes 1).
fn decile(score: f64) -> String {
    let decile = ((score * 10.0).floor() as i64).clamp(0, 9) as f64 / 10.0;
    format!("{decile:.1}-{:.1}", decile + 0.1)
}
