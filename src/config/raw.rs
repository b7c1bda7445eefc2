//! The run config file as written by users (TOML), before any path is resolved or checked.
//! Every table refuses unknown keys, so a typo is an error rather than a silent default.

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

/// `[dedup]`
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawDedup {
    /// Exact dedup on the normalized-text hash.
    pub exact: bool,
    /// MinHash LSH fuzzy dedup.
    pub fuzzy: bool,
    /// Words per shingle.
    pub ngram: usize,
    /// LSH bands.
    pub bands: usize,
    /// Rows (hashes) per band.
    pub rows: usize,
    /// Permutation seed.
    pub seed: u64,
}

impl Default for RawDedup {
    fn default() -> Self {
        RawDedup {
            exact: true,
            fuzzy: true,
            ngram: 5,
            bands: 14,
            rows: 8,
            seed: 42,
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
    /// Write the curated jsonl parts (the Megatron shards are always written).
    pub write_docs: bool,
}

impl Default for RawOutput {
    fn default() -> Self {
        RawOutput {
            docs_part_bytes: 256 << 20,
            zstd_level: 3,
            write_docs: true,
        }
    }
}

/// `[[input]]`
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawInput {
    /// A file or glob, relative to the config file.
    pub path: String,
    /// Every document of these files belongs to this source; without it the source is
    /// `meta.pile_set_name`.
    pub source: Option<String>,
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
