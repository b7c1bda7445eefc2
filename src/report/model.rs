//! The report's data model: what the pipeline fills in while it runs. Derived figures
//! (shares, epochs, ratios) are computed from it in `figures`, never stored.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything a run reports.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
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
    /// Downstream-task decontamination, per task and source.
    pub decontam: DecontamReport,
}

/// What decontamination did: per task, per source.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DecontamReport {
    /// Task examples read from the task files.
    pub examples: u64,
    /// Distinct task n-grams searched for.
    pub ngrams: u64,
    /// Task n-grams ignored because they occur in `key_threshold` or more documents.
    pub ignored_ngrams: u64,
    /// Task name -> source name -> counts.
    pub tasks: BTreeMap<String, BTreeMap<String, DecontamCounts>>,
}

/// Decontamination counts of one task in one source.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DecontamCounts {
    /// Documents split into two or more pieces.
    pub split: u64,
    /// Documents cut down to one shorter piece.
    pub trimmed: u64,
    /// Documents removed (no piece long enough, or too many pieces).
    pub removed: u64,
    /// Matched n-gram -> documents it was cut from (the 20 most frequent, ties by n-gram).
    pub ngrams: BTreeMap<String, u64>,
}

/// Run metadata. The renderers group the fields that differ between two runs of the same
/// config and inputs (`date_utc`, `command_line`, `threads`, the wall times) apart from the
/// others, so that comparisons can leave them out.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RunHeader {
    /// pilecurate version.
    pub tool_version: String,
    /// Git commit the binary was built from, or `unknown`.
    pub git_commit: String,
    /// Path of the run config.
    pub config_path: String,
    /// Hash of the resolved config, filter sets and tokenizer.
    pub config_hash: String,
    /// Input files read, in order.
    pub inputs: Vec<String>,
    /// How each input was read (format and fields), in the same order.
    #[serde(default)]
    pub input_layouts: Vec<InputLayout>,
    /// Tokenizer file and engine.
    pub tokenizer: String,
    /// When the run ended, UTC, RFC 3339 (varies).
    pub date_utc: String,
    /// The command line, shell-quoted (varies).
    pub command_line: String,
    /// Worker threads (varies).
    pub threads: usize,
    /// Wall seconds per stage, in pipeline order (varies).
    pub stage_seconds: Vec<(String, f64)>,
    /// Wall seconds for the whole run (varies).
    pub total_seconds: f64,
    /// Ranks of each parallel step (1 for a `pilecurate run` on one machine; varies).
    pub tasks: usize,
    /// Sorted runs the dedup keys were spilled into, over every rank (varies).
    pub spill_runs: u64,
}

/// How one input file was read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InputLayout {
    /// The file.
    pub path: String,
    /// `jsonl`, `jsonl.gz`, `jsonl.zst` or `parquet`.
    pub format: String,
    /// Dotted path of the text.
    pub text_field: String,
    /// Dotted path of the source name (unused when `source` is set).
    pub source_field: String,
    /// Dotted path of the id; none: `file:line`.
    pub id_field: Option<String>,
    /// The source every record of the file belongs to, when the config forces one.
    pub source: Option<String>,
}

/// Accounting of one source.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
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
    /// What rewriting rules (`set/rule`) removed from the documents the filters kept.
    pub rewritten_by_rule: BTreeMap<String, RewriteCounts>,
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
    /// Documents removed by decontamination.
    pub decontam_removed: u64,
    /// Documents written as two or more pieces after decontamination.
    pub decontam_split: u64,
    /// Documents written as one shorter piece after decontamination.
    pub decontam_trimmed: u64,
    /// Megatron sequences written (documents plus the extra pieces of split ones).
    pub sequences_out: u64,
    /// Documents read by detected language, for sources whose rule sets have a
    /// `language_id` rule (language of the first 2 KiB of each document).
    pub languages: BTreeMap<String, u64>,
    /// Documents read by the detector's probability for their top language, by decile
    /// (`0.0-0.1` … `0.9-1.0`; 0 for a text with no letter), for the same sources.
    pub language_deciles: BTreeMap<String, u64>,
    /// Documents read by quality-classifier score decile (`0.0-0.1` … `0.9-1.0`), for
    /// sources whose rule sets have a `quality_classifier` rule.
    pub quality_deciles: BTreeMap<String, u64>,
}

/// What one rewriting rule removed, summed over the documents of a source it changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RewriteCounts {
    /// Documents the rule changed (and the filters kept).
    pub docs: u64,
    /// Lines it removed.
    pub lines_removed: u64,
    /// Characters it removed (Unicode scalar values, stripped whitespace included).
    pub chars_removed: u64,
}

/// Deduplication summary over all sources.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DedupSummary {
    /// Documents that entered deduplication.
    pub candidates: u64,
    /// Bits of memory held per input line through dedup: the keep set's one bit (keys,
    /// origins and candidate pairs are on disk; memory beyond this is per duplicate).
    pub memory_bits_per_line: u64,
    /// LSH cluster size -> number of clusters (size >= 2).
    pub cluster_sizes: BTreeMap<u64, u64>,
    /// Distinct LSH candidate pairs.
    pub lsh_candidate_pairs: u64,
    /// Candidate pairs rejected by exact-Jaccard verification.
    pub verification_rejected: u64,
    /// Sorted runs the dedup keys were spilled into (depends on the task count and memory:
    /// shown with the header's varying fields, not in report.json's `dedup`).
    #[serde(skip)]
    pub spill_runs: u64,
    /// Bytes of dedup key records per candidate (`24 + 16 × bands`), headers aside.
    pub disk_bytes_per_doc: u64,
}
