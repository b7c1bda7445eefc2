//! The audit records: one line per rejected record (`rejects/`) and per removed document
//! (`removed/`), so every document that does not reach the output can be traced.

use serde::Serialize;

/// How much of a rejected line is copied into the rejects log.
pub const RAW_PREFIX_BYTES: usize = 4096;

/// A record that could not be parsed into a document.
#[derive(Serialize)]
pub struct RejectRecord<'a> {
    /// Input file.
    pub file: &'a str,
    /// 1-based line.
    pub line: u64,
    /// Reason label.
    pub reason: &'static str,
    /// What exactly was wrong.
    pub detail: &'a str,
    /// Source, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    /// Length of the line in bytes.
    pub bytes: u64,
    /// The first bytes of the line (lossy UTF-8).
    pub raw: &'a str,
}

/// A parsed document that was dropped, by a filter rule or by deduplication.
#[derive(Serialize)]
pub struct RemovalRecord<'a> {
    /// Document id.
    pub id: u64,
    /// The document's id in the input: its `id_field`, or `file:line`.
    pub doc_id: &'a str,
    /// Source name.
    pub source: &'a str,
    /// Input file.
    pub file: &'a str,
    /// 1-based line.
    pub line: u64,
    /// `filter`, `exact_dedup` or `fuzzy_dedup`.
    pub stage: &'static str,
    /// `set/rule` for filters, `exact_duplicate` / `fuzzy_duplicate` for dedup.
    pub reason: &'a str,
    /// The measured value (filters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The rule's lower bound (filters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// The rule's upper bound (filters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The surviving document this one duplicates (dedup).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<u64>,
    /// The survivor's source (dedup).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_source: Option<&'a str>,
}

/// A kept document that decontamination changed or removed.
#[derive(Serialize)]
pub struct DecontamRecord<'a> {
    /// Source name.
    pub source: &'a str,
    /// The document's id, as its curated copy gives it (`pilecurate_id`).
    pub doc_id: &'a str,
    /// Input file.
    pub file: &'a str,
    /// 1-based line.
    pub line: u64,
    /// `trimmed`, `split`, `removed_no_long_piece` or `removed_too_many_pieces`.
    pub verdict: &'static str,
    /// Pieces written.
    pub pieces_kept: usize,
    /// Pieces the cuts made, before the `splits_count` rule.
    pub pieces_found: usize,
    /// Tasks whose n-grams matched.
    pub tasks: Vec<&'a str>,
    /// The matched n-grams, in text order.
    pub ngrams: Vec<&'a str>,
}
