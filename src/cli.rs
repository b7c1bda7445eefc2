//! Command-line arguments (clap derive). `main` turns them into a validated `Config` and
//! `RunOptions` once; no stage sees these types.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The default config, relative to the working directory (the repository root).
pub const DEFAULT_CONFIG: &str = "data/pilecurate.toml";

/// Turn raw Pile-style jsonl dumps into a curated, deduplicated, tokenized corpus.
#[derive(Debug, Parser)]
#[command(name = "pilecurate", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole pipeline: read, filter, dedup, tokenize, write shards and reports.
    Run(RunArgs),
    /// Measure throughput (MB/s per stage and end to end) and peak memory.
    Bench(BenchArgs),
}

/// Arguments of `pilecurate run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The run config (TOML). Default: data/pilecurate.toml, the shipped sample run.
    pub config: Option<PathBuf>,
    /// Output folder (overrides [run] output).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Worker threads, 0 for one per core (overrides [run] threads).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Tokenizer engine (overrides [tokenizer] engine).
    #[arg(long, value_enum)]
    pub tokenizer_engine: Option<EngineArg>,
    /// No progress bars and no summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Replace the outputs of a different run in the output folder.
    #[arg(long)]
    pub force: bool,
    /// Exit 0 even when some records were rejected (they are still counted and logged).
    #[arg(long)]
    pub allow_rejects: bool,
}

/// Arguments of `pilecurate bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// A Pile-format jsonl(.gz/.zst) corpus. Default: the shipped sample, or
    /// ../shared/data/corpus/corpus.jsonl.gz when it exists.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// The run config whose tokenizer and filters are measured.
    #[arg(long, default_value = DEFAULT_CONFIG)]
    pub config: PathBuf,
    /// Worker threads for the end-to-end run (0 = one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
}

/// `--tokenizer-engine` values.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum EngineArg {
    /// The fast path when the tokenizer fits it, else the HF crate.
    Auto,
    /// The HF `tokenizers` crate.
    Hf,
    /// The fast byte-level BPE path (error if the tokenizer does not fit).
    Fast,
}
