//! Turning one input line into a document of a declared source, or a reject. Both passes
//! call this same function, so both assign the same document ids.

use crate::config::{Config, InputFile, UnknownSource};
use crate::doc::{RejectReason, SourceId};
use crate::io::{Line, ParsedRecord, parse_record_with_text};

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
        /// The name found (empty when the record had no string source field).
        name: String,
    },
}

/// Classifies one line of `input`; `keep` also keeps the record's other fields (for the
/// curated copy), which does not change what the line is.
pub fn classify(line: &Line, input: &InputFile, config: &Config, keep: bool) -> LineKind {
    let forced = input.source;
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
    let record = match parse_record_with_text(bytes, line.text.as_deref(), &input.layout, keep) {
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
    let name = record.source_name.as_deref().unwrap_or("");
    match config.source_id(name) {
        Some(source) => LineKind::Doc { source, record },
        None => match config.unknown_source {
            UnknownSource::Error => LineKind::UnknownSource {
                name: name.to_string(),
            },
            UnknownSource::Reject => LineKind::Reject {
                reason: RejectReason::UnknownSource,
                detail: if name.is_empty() {
                    format!(
                        "no string {} and the [[input]] names no source",
                        input.layout.source
                    )
                } else {
                    format!("source {name:?} is not declared in the config")
                },
                source: None,
            },
        },
    }
}

/// A document's id as the curated copy and the logs give it: the input's `id_field`, or
/// `file:line` (the file as the user named it).
pub fn doc_id(id_field: Option<&str>, file: &str, line: u64) -> String {
    match id_field {
        Some(id) => id.to_owned(),
        None => format!("{file}:{line}"),
    }
}
