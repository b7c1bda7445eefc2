//! Parses one jsonl line into a document record, or says precisely why it cannot.

use crate::doc::RejectReason;

/// A line that parsed into a Pile-format record.
#[derive(Debug)]
pub struct ParsedRecord {
    /// The `text` field.
    pub text: String,
    /// The `meta` object verbatim, if present.
    pub meta: Option<Box<serde_json::value::RawValue>>,
    /// `meta.pile_set_name` when it is a string.
    pub pile_set_name: Option<String>,
}

/// A line that could not be parsed, with the reason and a human-readable detail.
#[derive(Debug)]
pub struct Reject {
    /// The reason category.
    pub reason: RejectReason,
    /// What exactly was wrong (serde_json's message with column, for instance).
    pub detail: String,
}

/// Parses one line (without its newline).
pub fn parse_record(line: &[u8]) -> Result<ParsedRecord, Reject> {
    let _ = line;
    unimplemented!("io helper")
}
