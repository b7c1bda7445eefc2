//! Pass 1 for one line: what the parallel half of the scan learns of it (a reject, a
//! document of an undeclared source, or a document with its filter verdict, dedup keys,
//! task n-grams and measured distributions), for `scan`'s fold to count and log.

use super::logs::RAW_PREFIX_BYTES;
use super::records::LineKind;
use crate::config::Config;
use crate::decontam::{NgramId, TaskNgrams};
use crate::dedup::MinHasher;
use crate::doc::{RejectReason, SourceId};
use crate::filters::{Edit, Verdict, Views, apply_views};
use crate::io::{Line, RecordLayout, whole_row};
use crate::report::SourceRow;

/// What pass 1 learned of one line.
pub(super) enum Scanned {
    /// A line that is no usable record.
    Reject {
        reason: RejectReason,
        detail: String,
        source: Option<SourceId>,
        raw: String,
        bytes: u64,
    },
    /// A document naming a source the config does not declare.
    Unknown(String),
    /// A document of a declared source.
    Doc {
        source: SourceId,
        /// The input's id field, when it has one.
        id_field: Option<String>,
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

/// Pass 1 for one line already classified, with its language when its source's rules
/// measure it (detected for the whole batch first).
pub(super) fn scan_line(
    (line, layout): (&Line, &RecordLayout),
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
            let whole = match (&line.bytes, &line.text) {
                (Some(bytes), Some(text)) => Some(whole_row(bytes, text, layout)),
                _ => None,
            };
            let raw = whole.as_deref().or(line.bytes.as_deref()).unwrap_or(&[]);
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
                let exact = match config.fuzzy_dedup {
                    true => hasher.band_and_exact_keys(text, &mut band_keys),
                    false => hasher.exact_key(text),
                };
                (exact, band_keys)
            });
            Scanned::Doc {
                source,
                id_field: record.id.clone(),
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
pub(super) fn count_distributions(
    row: &mut SourceRow,
    language: Option<(&str, f64)>,
    quality: Option<f64>,
) {
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
