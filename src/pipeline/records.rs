//! Turning one input line into a document of a declared source, or a reject. Both passes
//! call this same function, so both assign the same document ids.

use crate::config::{Config, UnknownSource};
use crate::doc::{RejectReason, SourceId};
use crate::io::{Line, ParsedRecord, parse_record};

/// What one line is.
pub enum LineKind {
    /// A document of a declared source.
    Doc {
        /// Its source.
        source: SourceId,
        /// The parsed record.
        record: ParsedRecord,
    },
    /// A record that cannot be used, and why.
    Reject {
        /// The reason category.
        reason: RejectReason,
        /// Details for the rejects log.
        detail: String,
        /// The source, when the input's config entry names one.
        source: Option<SourceId>,
    },
    /// A document naming an undeclared source while the policy is to stop.
    UnknownSource {
        /// The name found (empty when the record had no `meta.pile_set_name`).
        name: String,
    },
}

/// Classifies one line of an input whose config entry forces `forced` (if any).
pub fn classify(line: &Line, forced: Option<SourceId>, config: &Config) -> LineKind {
    let Some(bytes) = &line.bytes else {
        return LineKind::Reject {
            reason: RejectReason::OversizedLine,
            detail: format!(
                "line of {} bytes is over the cap of {} bytes ([run] max_line_bytes)",
                line.len, config.max_line_bytes
            ),
            source: forced,
        };
    };
    let record = match parse_record(bytes) {
        Ok(record) => record,
        Err(reject) => {
            return LineKind::Reject {
                reason: reject.reason,
                detail: reject.detail,
                source: forced,
            };
        }
    };
    if let Some(source) = forced {
        return LineKind::Doc { source, record };
    }
    let name = record.pile_set_name.as_deref().unwrap_or("");
    match config.source_id(name) {
        Some(source) => LineKind::Doc { source, record },
        None => match config.unknown_source {
            UnknownSource::Error => LineKind::UnknownSource {
                name: name.to_string(),
            },
            UnknownSource::Reject => LineKind::Reject {
                reason: RejectReason::UnknownSource,
                detail: if name.is_empty() {
                    "no string meta.pile_set_name and the [[input]] names no source".to_string()
                } else {
                    format!("source {name:?} is not declared in the config")
                },
                source: None,
            },
        },
    }
}
