//! The report's data model: what the pipeline fills in while it runs. Derived figures
//! (shares, epochs, ratios) are computed from it in `figures`, never stored.

use serde::Serialize;
use std::collections::BTreeMap;

/// Everything a run reports.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RunReport {
    /// How the run was made.
    pub header: RunHeader,
    /// One row per configured source, in config (priority) order.
    pub sources: Vec<SourceRow>,
    /// Records that could not be attributed to a source (malformed lines in inputs without a
    /// configured source), by reason.
    pub unattributed_rejects: BTreeMap<String, u64>,
    /// Deduplication summary.
    pub dedup: DedupSummary,
    /// Target training tokens for the epochs column (MT-NLG: 270e9).
    pub target_tokens: u64,
}

/// Run metadata.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RunHeader {
    /// pilecurate version.
    pub tool_version: String,
    /// Path of the run config.
    pub config_path: String,
    /// Hash of the resolved config, filter sets and tokenizer.
    pub config_hash: String,
    /// Input files read, in order.
    pub inputs: Vec<String>,
    /// Worker threads.
    pub threads: usize,
    /// Tokenizer file and engine.
    pub tokenizer: String,
    /// Wall seconds per stage, in pipeline order.
    pub stage_seconds: Vec<(String, f64)>,
    /// Wall seconds for the whole run.
    pub total_seconds: f64,
}

/// Accounting of one source.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SourceRow {
    /// Source name (`meta.pile_set_name` or the config's name).
    pub name: String,
    /// Megatron prefix / folder name.
    pub slug: String,
    /// Lines attributed to this source (documents parsed + records rejected).
    pub records_read: u64,
    /// Records rejected, by reason label.
    pub rejected: BTreeMap<String, u64>,
    /// Documents parsed.
    pub docs_read: u64,
    /// UTF-8 bytes of text parsed.
    pub bytes_read: u64,
    /// Documents dropped, by filter rule (`set/rule`).
    pub dropped_by_rule: BTreeMap<String, u64>,
    /// Exact duplicates removed.
    pub exact_duplicates: u64,
    /// Fuzzy duplicates removed whose survivor is in the same source.
    pub fuzzy_duplicates_within: u64,
    /// Fuzzy duplicates removed whose survivor is in a higher-priority source.
    pub fuzzy_duplicates_cross: u64,
    /// Documents written.
    pub docs_out: u64,
    /// UTF-8 bytes of text written.
    pub bytes_out: u64,
    /// Tokens written (EOD included).
    pub tokens_out: u64,
    /// Configured blend weight (relative).
    pub weight: f64,
}

/// Deduplication summary over all sources.
#[derive(Clone, Debug, Default, Serialize)]
pub struct DedupSummary {
    /// Documents that entered deduplication.
    pub candidates: u64,
    /// Bytes of memory held per candidate by the in-memory index.
    pub bytes_per_doc: u64,
    /// LSH cluster size -> number of clusters (size >= 2).
    pub cluster_sizes: BTreeMap<u64, u64>,
}
