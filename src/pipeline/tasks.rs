//! Loading the benchmark task files named by `[[task]]` into decontamination n-grams, and
//! the per-document decontamination step of pass 2.

use super::logs::DecontamRecord;
use super::origins::KeepSet;
use crate::config::{Config, TaskFile};
use crate::decontam::{CleanOutcome, Decontaminator, TaskNgrams, TaskText, Verdict};
use crate::error::{FailureKind, failure};
use crate::io::{LineReader, ZstLogWriter};
use crate::report::{DecontamCounts, DecontamReport};
use anyhow::Result;
use serde_json::Value;

/// Decontamination as pass 2 applies it: the cleaner, the report section it fills and the
/// log of every document it changed.
pub struct DecontamStage<'a> {
    /// The pass-2 cleaner.
    pub decontaminator: &'a Decontaminator,
    /// The kept lines that contained a task n-gram in pass 1; no other line can be cut.
    pub task_matches: &'a KeepSet,
    /// Counts per task and source.
    pub report: &'a mut DecontamReport,
    /// `removed/decontaminated.jsonl.zst`.
    pub log: &'a mut ZstLogWriter,
}

/// Matched n-grams listed per task and source in the report, at most.
pub const NGRAMS_LISTED: usize = 20;

/// Reads every task file; `None` when the config names none (the stage is off).
pub fn load_tasks(config: &Config) -> Result<Option<(TaskNgrams, u64)>> {
    if config.tasks.is_empty() {
        return Ok(None);
    }
    let mut texts = Vec::new();
    for file in &config.tasks {
        read_task_file(file, config.max_line_bytes, &mut texts)?;
    }
    let examples = texts.len() as u64;
    let ngrams = TaskNgrams::from_tasks(&texts, &config.decontam)?;
    Ok(Some((ngrams, examples)))
}

fn read_task_file(file: &TaskFile, max_line_bytes: usize, out: &mut Vec<TaskText>) -> Result<()> {
    let shown = file.path.display();
    let stem = file
        .path
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .split('.')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default();
    let mut reader = LineReader::open(&file.path, max_line_bytes)?;
    while let Some(line) = reader.next_line()? {
        let bad = |why: &str| {
            failure(
                FailureKind::Config,
                format!(
                    "{shown}:{}: task file line {why}; fix or remove the line",
                    line.number
                ),
            )
        };
        let Some(bytes) = &line.bytes else {
            return Err(bad("is over [run] max_line_bytes"));
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| bad(&format!("is not JSON ({e})")))?;
        let mut text = String::new();
        for field in &file.text_fields {
            match value.get(field) {
                Some(Value::String(s)) => push_text(&mut text, s),
                Some(Value::Array(items)) => {
                    for item in items.iter().filter_map(Value::as_str) {
                        push_text(&mut text, item);
                    }
                }
                Some(Value::Null) | None => {}
                Some(_) => return Err(bad(&format!("has a non-text field {field:?}"))),
            }
        }
        let scalar = |key: &str| match value.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(v @ Value::Number(_)) => Some(v.to_string()),
            _ => None,
        };
        out.push(TaskText {
            task: scalar(&file.task_field).unwrap_or_else(|| stem.clone()),
            example_id: scalar(&file.id_field).unwrap_or_else(|| line.number.to_string()),
            text,
        });
    }
    Ok(())
}

fn push_text(text: &mut String, piece: &str) {
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(piece);
}

/// Adds one cleaned document's outcome to the report (nothing for a clean document).
pub fn record_outcome(
    report: &mut DecontamReport,
    decontaminator: &Decontaminator,
    source: &str,
    outcome: &CleanOutcome,
) {
    if outcome.verdict == Verdict::Clean {
        return;
    }
    let tasks = decontaminator.tasks();
    for task in &outcome.tasks {
        let counts: &mut DecontamCounts = report
            .tasks
            .entry(tasks.task_name(*task).to_string())
            .or_default()
            .entry(source.to_string())
            .or_default();
        match outcome.verdict {
            Verdict::Split => counts.split += 1,
            Verdict::Trimmed => counts.trimmed += 1,
            Verdict::DroppedShort | Verdict::DroppedSplits => counts.removed += 1,
            Verdict::Clean => {}
        }
        let mut seen = Vec::new();
        for hit in &outcome.hits {
            // An n-gram cut twice from one document counts that document once.
            if seen.contains(&hit.id) || !tasks.sources(hit.id).any(|(t, _)| t == *task) {
                continue;
            }
            seen.push(hit.id);
            let ngram = tasks.ngram(hit.id);
            // All counted here; the merge keeps the most frequent (a cap here would keep
            // the first ones seen, which depend on how the inputs are shared out).
            if let Some(docs) = counts.ngrams.get_mut(ngram) {
                *docs += 1;
            } else {
                counts.ngrams.insert(ngram.to_string(), 1);
            }
        }
    }
}

/// Writes the `removed/decontaminated.jsonl.zst` record of a document cleaning changed.
pub fn log_decontam(
    stage: &mut DecontamStage<'_>,
    (source, doc_id): (&str, &str),
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
        doc_id,
        file,
        line,
        verdict,
        pieces_kept: outcome.pieces.len(),
        pieces_found: outcome.n_pieces,
        tasks: task_names,
        ngrams,
    })
}
