//! The run config: `RawConfig` read from TOML, resolved once into a validated [`Config`]
//! (absolute paths, expanded inputs, loaded rule sets, a hash of everything that shapes the
//! output). No stage ever sees the raw file or a command-line type.

mod layout;
pub mod limits;
pub mod raw;
mod sources;

pub use layout::DocsFormat;
use sources::resolve_sources;
pub use sources::slugify;

use crate::dedup::MinHashParams;
use crate::doc::SourceId;
use crate::error::{FailureKind, failure, tag};
use crate::filters::RuleSet;
use crate::io::{self, RecordLayout};
use crate::tokenize::Engine;
use anyhow::Result;
use raw::RawConfig;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What to do with a document whose source field names no declared source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownSource {
    /// Stop the run with an error naming the file, line and source (default).
    Error,
    /// Count the record as rejected (`unknown_source`) and go on.
    Reject,
}

/// A validated run config.
#[derive(Debug)]
pub struct Config {
    /// The config file.
    pub config_path: PathBuf,
    /// Output folder.
    pub output_dir: PathBuf,
    /// Worker threads (0 = one per core).
    pub threads: usize,
    /// Training token budget for the epochs column.
    pub target_tokens: u64,
    /// Policy for undeclared sources.
    pub unknown_source: UnknownSource,
    /// Line length cap.
    pub max_line_bytes: usize,
    /// tokenizer.json path.
    pub tokenizer_path: PathBuf,
    /// End-of-document token.
    pub eod_token: String,
    /// Tokenizer engine choice.
    pub engine: Engine,
    /// Exact dedup on.
    pub exact_dedup: bool,
    /// Fuzzy dedup on.
    pub fuzzy_dedup: bool,
    /// MinHash parameters.
    pub minhash: MinHashParams,
    /// Exact-Jaccard threshold of LSH candidate pairs; `None` when verification is off.
    pub verify_threshold: Option<f64>,
    /// Bytes of memory the dedup stage may use before spilling to disk.
    pub dedup_memory_budget: u64,
    /// Curated part size.
    pub docs_part_bytes: u64,
    /// zstd level.
    pub zstd_level: i32,
    /// Write curated parts.
    pub write_docs: bool,
    /// The curated parts' format.
    pub docs_format: DocsFormat,
    /// Input files in read order.
    pub inputs: Vec<InputFile>,
    /// Sources in priority order.
    pub sources: Vec<Source>,
    /// Decontamination parameters.
    pub decontam: crate::decontam::DecontamParams,
    /// Benchmark task files for decontamination (none: the stage is off).
    pub tasks: Vec<TaskFile>,
    /// Hex xxh3-128 of the config text, rule sets, tokenizer and input list.
    pub hash: String,
}

/// A benchmark task file for decontamination.
#[derive(Clone, Debug)]
pub struct TaskFile {
    /// Path to read.
    pub path: PathBuf,
    /// Fields whose text is n-grammed.
    pub text_fields: Vec<String>,
    /// Field naming the task.
    pub task_field: String,
    /// Field identifying the example.
    pub id_field: String,
}

/// One input file after glob expansion.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// Path to open.
    pub path: PathBuf,
    /// Source forced by the config entry, if any.
    pub source: Option<SourceId>,
    /// Where its records keep their text, source and id.
    pub layout: Arc<RecordLayout>,
}

/// One declared source.
#[derive(Debug)]
pub struct Source {
    /// Name as in `meta.pile_set_name`.
    pub name: String,
    /// File-safe output name.
    pub slug: String,
    /// Relative blend weight.
    pub weight: f64,
    /// Rule sets applied in order.
    pub rule_sets: Vec<Arc<RuleSet>>,
}

/// Command-line overrides applied on top of the file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--output`
    pub output: Option<PathBuf>,
    /// `--threads`
    pub threads: Option<usize>,
    /// `--tokenizer-engine`
    pub engine: Option<Engine>,
}

impl Config {
    /// Reads and validates the config at `path`. Every error is a config error naming the
    /// file and the key, except missing inputs, which are input errors.
    pub fn load(path: &Path, overrides: &Overrides) -> Result<Config> {
        let text = io::read_text(path).map_err(|e| tag(FailureKind::Config, e))?;
        let origin = path.display().to_string();
        let raw: RawConfig = toml::from_str(&text).map_err(|e| {
            failure(
                FailureKind::Config,
                format!("{origin}: invalid config: {e}"),
            )
        })?;
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(text.as_bytes());
        let config_err = |msg: String| failure(FailureKind::Config, format!("{origin}: {msg}"));

        let sources = resolve_sources(&raw, &base, &origin, &mut hasher)?;
        // Every bound is checked before the inputs are listed, let alone read.
        let threads = overrides.threads.unwrap_or(raw.run.threads);
        let run = &raw.run;
        limits::check_run(threads, run.target_tokens, run.max_line_bytes)
            .map_err(|e| config_err(format!("[run] {e}")))?;
        limits::check_output(raw.output.docs_part_bytes, raw.output.zstd_level)
            .map_err(|e| config_err(format!("[output] {e}")))?;
        let d = &raw.dedup;
        let (minhash, verify_threshold) = d
            .overrides()
            .resolve()
            .map_err(|e| config_err(format!("[dedup] {e}")))?;
        limits::check_dedup(d.fuzzy.then_some(&minhash), d.memory_budget)
            .map_err(|e| config_err(format!("[dedup] {e}")))?;
        let source_id = |name: &str| sources.iter().position(|s| s.name == name);
        let mut inputs = Vec::new();
        for input in &raw.inputs {
            let source = match &input.source {
                None => None,
                Some(name) => Some(source_id(name).ok_or_else(|| {
                    config_err(format!(
                        "[[input]] {:?} names source {name:?}, which no [[source]] declares; \
                         add a [[source]] with that name",
                        input.path
                    ))
                })? as SourceId),
            };
            let layout = Arc::new(
                layout::input_layout(input)
                    .map_err(|e| config_err(format!("[[input]] {:?}: {e}", input.path)))?,
            );
            let files = io::expand_inputs(&base.join(&input.path))
                .map_err(|e| tag(FailureKind::Input, e))?;
            for path in files {
                hasher.update(path.display().to_string().as_bytes());
                inputs.push(InputFile {
                    path,
                    source,
                    layout: layout.clone(),
                });
            }
        }
        if inputs.is_empty() {
            return Err(config_err("no [[input]] given".to_string()));
        }
        let paths: Vec<PathBuf> = inputs.iter().map(|i| i.path.clone()).collect();
        let repeated = io::first_repeated_file(&paths).map_err(|e| tag(FailureKind::Input, e))?;
        if let Some((earlier, later)) = repeated {
            return Err(config_err(format!(
                "[[input]] names one file twice, as {} and {}: its documents would be read \
                 twice and removed as their own duplicates; make the [[input]] paths name \
                 each file once",
                paths[earlier].display(),
                paths[later].display()
            )));
        }

        let tokenizer_path = base.join(&raw.tokenizer.path);
        let engine = match overrides.engine {
            Some(engine) => engine,
            None => raw
                .tokenizer
                .engine
                .parse()
                .map_err(|e: String| config_err(format!("[tokenizer] engine: {e}")))?,
        };
        let docs_format = layout::docs_format(&raw.output.docs_format)
            .map_err(|e| config_err(format!("[output] {e}")))?;
        let unknown_source = match raw.run.on_unknown_source.as_str() {
            "error" => UnknownSource::Error,
            "reject" => UnknownSource::Reject,
            other => {
                return Err(config_err(format!(
                    "[run] on_unknown_source = {other:?}: expected \"error\" or \"reject\""
                )));
            }
        };
        // The hash covers what shapes the output; threads and the output folder do not.
        // The resolved MinHash settings too: a default (the normalization) may change
        // between versions while the config text does not.
        hasher.update(format!("{minhash:?}").as_bytes());
        hasher.update(raw.tokenizer.eod_token.as_bytes());
        hasher.update(&io::read_bytes(&tokenizer_path).map_err(|e| tag(FailureKind::Config, e))?);
        raw.decontam
            .validate()
            .map_err(|e| config_err(format!("[decontam]: {e:#}")))?;
        let mut tasks = Vec::new();
        for task in &raw.tasks {
            let task_path = base.join(&task.path);
            hasher.update(&io::read_bytes(&task_path).map_err(|e| tag(FailureKind::Config, e))?);
            tasks.push(TaskFile {
                path: task_path,
                text_fields: task.text_fields.clone(),
                task_field: task.task_field.clone(),
                id_field: task.id_field.clone(),
            });
        }
        Ok(Config {
            decontam: raw.decontam.clone(),
            tasks,
            config_path: path.to_path_buf(),
            output_dir: overrides
                .output
                .clone()
                .unwrap_or_else(|| PathBuf::from(&raw.run.output)),
            threads,
            target_tokens: raw.run.target_tokens,
            unknown_source,
            max_line_bytes: raw.run.max_line_bytes,
            tokenizer_path,
            eod_token: raw.tokenizer.eod_token.clone(),
            engine,
            exact_dedup: d.exact,
            fuzzy_dedup: d.fuzzy,
            minhash,
            verify_threshold: d.verify.then_some(verify_threshold),
            dedup_memory_budget: d.memory_budget,
            docs_part_bytes: raw.output.docs_part_bytes,
            zstd_level: raw.output.zstd_level,
            write_docs: raw.output.write_docs,
            docs_format,
            inputs,
            sources,
            hash: format!("{:032x}", hasher.digest128()),
        })
    }

    /// The id of the source called `name`.
    pub fn source_id(&self, name: &str) -> Option<SourceId> {
        self.sources
            .iter()
            .position(|s| s.name == name)
            .map(|i| i as SourceId)
    }
}
