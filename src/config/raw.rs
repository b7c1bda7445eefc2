//! The run config file as written by users (TOML), before any path is resolved or checked.
//! Every table refuses unknown keys, so a typo is an error rather than a silent default.

use crate::dedup::ParamOverrides;
use serde::{Deserialize, Serialize};

/// The whole file.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// `[run]`
    #[serde(default)]
    pub run: RawRun,
    /// `[tokenizer]`
    pub tokenizer: RawTokenizer,
    /// `[dedup]`
    #[serde(default)]
    pub dedup: RawDedup,
    /// `[output]`
    #[serde(default)]
    pub output: RawOutput,
    /// `[[input]]`: files or globs to read, in order.
    #[serde(rename = "input")]
    pub inputs: Vec<RawInput>,
    /// `[[source]]`: the sources, highest dedup priority first.
    #[serde(rename = "source")]
    pub sources: Vec<RawSource>,
    /// `[decontam]`: downstream-task decontamination parameters (Megatron's defaults).
    #[serde(default)]
    pub decontam: crate::decontam::DecontamParams,
    /// `[[task]]`: benchmark task files whose n-grams are removed from the corpus.
    #[serde(rename = "task", default)]
    pub tasks: Vec<RawTask>,
}

/// `[[task]]`: a jsonl(.gz/.zst) file of benchmark examples for decontamination.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTask {
    /// File path, relative to the config file.
    pub path: String,
    /// Fields whose text is n-grammed (strings, or lists of strings), default `["text"]`.
    #[serde(default = "default_task_fields")]
    pub text_fields: Vec<String>,
    /// Field naming the task (default `task`); the file stem when the field is absent.
    #[serde(default = "default_task_field")]
    pub task_field: String,
    /// Field identifying the example (default `idx`); the line number when absent.
    #[serde(default = "default_id_field")]
    pub id_field: String,
}

fn default_task_fields() -> Vec<String> {
    vec!["text".to_string()]
}

fn default_task_field() -> String {
    "task".to_string()
}

fn default_id_field() -> String {
    "idx".to_string()
}

/// `[run]`: how the run behaves.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawRun {
    /// Output folder, relative to the working directory.
    pub output: String,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Training token budget used for the epochs column.
    pub target_tokens: u64,
    /// `"error"` (default) or `"reject"`: what to do with a document whose
    /// `meta.pile_set_name` is not a declared source.
    pub on_unknown_source: String,
    /// Lines longer than this are rejected as `oversized_line` without being read whole.
    pub max_line_bytes: usize,
}

impl Default for RawRun {
    fn default() -> Self {
        RawRun {
            output: "out".to_string(),
            threads: 0,
            target_tokens: 270_000_000_000,
            on_unknown_source: "error".to_string(),
            max_line_bytes: 64 << 20,
        }
    }
}

/// `[tokenizer]`
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTokenizer {
    /// Path of a tokenizer.json, relative to the config file.
    pub path: String,
    /// The end-of-document token appended to every document; its id comes from the tokenizer.
    #[serde(default = "default_eod")]
    pub eod_token: String,
    /// `"auto"` (default), `"hf"` or `"fast"`.
    #[serde(default = "default_engine")]
    pub engine: String,
}

fn default_eod() -> String {
    "<|endoftext|>".to_string()
}

fn default_engine() -> String {
    "auto".to_string()
}

/// `[dedup]`. The MinHash keys left out take their value from `preset` (when given), else
/// the defaults below; keys written explicitly always win over the preset.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawDedup {
    /// Exact dedup on the normalized-text hash.
    pub exact: bool,
    /// MinHash LSH fuzzy dedup.
    pub fuzzy: bool,
    /// `"datatrove"`, `"mtnlg"` or `"pile"`: the peers' settings.
    pub preset: Option<String>,
    /// Tokens per shingle (default 5).
    pub ngram: Option<usize>,
    /// LSH bands (default 14).
    pub bands: Option<usize>,
    /// Rows (hashes) per band (default 8).
    pub rows: Option<usize>,
    /// Permutation seed (default 42).
    pub seed: Option<u64>,
    /// `"words"` (default) or `"chars"`.
    pub shingle: Option<String>,
    /// `"letters"` (default), `"basic"` or `"datatrove"`.
    pub normalization: Option<String>,
    /// Verify LSH candidate pairs by exact Jaccard of their shingle sets.
    pub verify: bool,
    /// Minimum exact Jaccard of a verified pair (default: the preset's threshold, else
    /// `(1/bands)^(1/rows)`).
    pub verify_threshold: Option<f64>,
    /// Bytes of memory the dedup stage may use; keys beyond their share spill to disk.
    pub memory_budget: u64,
}

impl Default for RawDedup {
    fn default() -> Self {
        RawDedup {
            exact: true,
            fuzzy: true,
            preset: None,
            ngram: None,
            bands: None,
            rows: None,
            seed: None,
            shingle: None,
            normalization: None,
            verify: true,
            verify_threshold: None,
            memory_budget: 2 << 30,
        }
    }
}

impl RawDedup {
    /// The MinHash keys as [`ParamOverrides`], for [`ParamOverrides::resolve`].
    pub fn overrides(&self) -> ParamOverrides {
        ParamOverrides {
            preset: self.preset.clone(),
            ngram: self.ngram,
            bands: self.bands,
            rows: self.rows,
            seed: self.seed,
            shingle: self.shingle.clone(),
            normalization: self.normalization.clone(),
            verify_threshold: self.verify_threshold,
        }
    }
}

/// `[output]`
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawOutput {
    /// Uncompressed bytes per curated `part-NNNNN.jsonl.zst` before a new part starts.
    pub docs_part_bytes: u64,
    /// zstd level of curated parts and logs.
    pub zstd_level: i32,
    /// Write the curated parts (the Megatron shards are always written).
    pub write_docs: bool,
    /// `jsonl.zst` or `parquet`: the format of the curated parts.
    pub docs_format: String,
}

impl Default for RawOutput {
    fn default() -> Self {
        RawOutput {
            docs_part_bytes: 256 << 20,
            zstd_level: 3,
            write_docs: true,
            docs_format: "jsonl.zst".to_string(),
        }
    }
}

/// `[[input]]`
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawInput {
    /// A file or glob, relative to the config file.
    pub path: String,
    /// Every document of these files belongs to this source; without it the source is the
    /// record's `source_field`.
    pub source: Option<String>,
    /// Dotted path of the document text (default `text`).
    pub text_field: Option<String>,
    /// Dotted path of the source name (default `meta.pile_set_name`).
    pub source_field: Option<String>,
    /// Dotted path of the document id (default: none, the id is `file:line`).
    pub id_field: Option<String>,
}

/// `[[source]]`
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// The source name, as in `meta.pile_set_name`.
    pub name: String,
    /// File-safe name for outputs; derived from `name` when absent.
    pub slug: Option<String>,
    /// Relative blend weight.
    #[serde(default = "default_weight")]
    pub weight: f64,
    /// Filter rule set files, relative to the config file, applied in order.
    #[serde(default)]
    pub filters: Vec<String>,
}

fn default_weight() -> f64 {
    1.0
}
