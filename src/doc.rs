//! The records that flow between stages: a parsed document, where it came from, and why a
//! line could not become a document.

use serde::Serialize;
use std::sync::Arc;

/// Index of a source in the run config's `[[sources]]` list (its order is also its priority).
pub type SourceId = u16;

/// Where a record was read from, for error messages, rejects and removal records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The input file as the user named it (after glob expansion).
    pub file: Arc<str>,
    /// 1-based line number in the decompressed stream.
    pub line: u64,
}

/// One document after parsing: the unit every stage works on.
#[derive(Clone, Debug)]
pub struct Document {
    /// Global id: the position of the document among all parsed documents, in input order.
    /// Deterministic for a given input list, whatever the thread count.
    pub id: u64,
    /// The source the document belongs to.
    pub source: SourceId,
    /// The document text.
    pub text: String,
    /// The original `meta` object, verbatim JSON (`None` when the record had none).
    pub meta: Option<Box<serde_json::value::RawValue>>,
    /// File and line the document was read from.
    pub origin: Origin,
}

/// Why an input line could not become a document. Each reason is counted separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// The line is not valid JSON.
    MalformedJson,
    /// The line is valid JSON but not an object (an array, a number, ...).
    NotObject,
    /// The object has no text field (`text`, or the input's `text_field`).
    MissingText,
    /// The text field is present but not a string (null, number, object, ...).
    BadTextType,
    /// `text` is an empty string.
    EmptyText,
    /// The input names an `id_field` the record does not have.
    MissingId,
    /// The id field is not a string or a number.
    BadIdType,
    /// The line contains bytes that are not UTF-8.
    InvalidUtf8,
    /// The line is longer than the configured cap; it was skipped without being read whole.
    OversizedLine,
    /// The line is blank (only whitespace).
    BlankLine,
    /// The document names a `meta.pile_set_name` the config does not declare
    /// (only with `on_unknown_source = "reject"`).
    UnknownSource,
}

impl RejectReason {
    /// Every reason, in report order.
    pub const ALL: [RejectReason; 11] = [
        RejectReason::MalformedJson,
        RejectReason::NotObject,
        RejectReason::MissingText,
        RejectReason::BadTextType,
        RejectReason::EmptyText,
        RejectReason::MissingId,
        RejectReason::BadIdType,
        RejectReason::InvalidUtf8,
        RejectReason::OversizedLine,
        RejectReason::BlankLine,
        RejectReason::UnknownSource,
    ];

    /// The snake_case label used in reports and the rejects log.
    pub fn label(self) -> &'static str {
        match self {
            RejectReason::MalformedJson => "malformed_json",
            RejectReason::NotObject => "not_object",
            RejectReason::MissingText => "missing_text",
            RejectReason::BadTextType => "bad_text_type",
            RejectReason::EmptyText => "empty_text",
            RejectReason::MissingId => "missing_id",
            RejectReason::BadIdType => "bad_id_type",
            RejectReason::InvalidUtf8 => "invalid_utf8",
            RejectReason::OversizedLine => "oversized_line",
            RejectReason::BlankLine => "blank_line",
            RejectReason::UnknownSource => "unknown_source",
        }
    }
}
