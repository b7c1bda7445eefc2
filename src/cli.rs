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
    /// Check a config before a long run: rule sets, tokenizer, task files, every input
    /// (readable, compression as named, first record) and the output folder. Writes nothing.
    Check(RunArgs),
    /// Validate and describe a Megatron .bin/.idx pair (ours or anyone's); --decode N prints
    /// its N-th document as text.
    Inspect(InspectArgs),
    /// Measure throughput (MB/s per stage and end to end) and peak memory.
    Bench(BenchArgs),
    /// Measure fuzzy dedup: precision/recall per preset, signature MB/s, a scale run.
    BenchDedup(BenchDedupArgs),
    /// The quality classifier: `quality train` fits one (see `quality_classifier` filters).
    #[command(subcommand)]
    Quality(QualityCommand),
    /// Run one rank of one step of a step-wise run (scan, exact, fuzzy, cluster, emit,
    /// merge), as an array task of Slurm or any other scheduler.
    Step(StepArgs),
    /// Write one sbatch script per step into OUT/slurm/ and submit them as dependent job
    /// arrays (only the unfinished ranks: the same command resumes a run).
    Slurm(SlurmArgs),
    /// Where a step-wise run stands: per step and rank done, running, failed or not
    /// started, and what to run next.
    Status(StatusArgs),
}

/// Arguments of `pilecurate step`.
#[derive(Debug, clap::Args)]
pub struct StepArgs {
    /// The step: scan, exact, fuzzy, cluster, emit or merge (in this order; each needs every
    /// rank of the ones before it done).
    #[arg(value_parser = ["scan", "exact", "fuzzy", "cluster", "emit", "merge"])]
    pub step: String,
    /// The run config (TOML). Default: data/pilecurate.toml, the shipped sample run.
    pub config: Option<PathBuf>,
    /// Ranks of the parallel steps (scan, exact, fuzzy, emit); the same for every step.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub tasks: u64,
    /// This rank (0-based). Default: the environment variable --rank-env names; cluster
    /// and merge have one rank, 0.
    #[arg(long)]
    pub rank: Option<u64>,
    /// The environment variable that holds the rank when --rank is not given
    /// (`JOB_COMPLETION_INDEX` on Kubernetes, `AWS_BATCH_JOB_ARRAY_INDEX` on AWS Batch).
    #[arg(long, default_value = "SLURM_ARRAY_TASK_ID")]
    pub rank_env: String,
    /// Output folder (overrides [run] output).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Worker threads, 0 for one per core (overrides [run] threads).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// No progress bars and no summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Merge: exit 0 even when some records were rejected (they are still counted and
    /// logged); without it the merge exits 6, as `run` does.
    #[arg(long)]
    pub allow_rejects: bool,
}

/// Arguments of `pilecurate slurm`.
#[derive(Debug, clap::Args)]
pub struct SlurmArgs {
    /// The run config (TOML). Default: data/pilecurate.toml, the shipped sample run.
    pub config: Option<PathBuf>,
    /// Ranks of the parallel steps (scan, exact, fuzzy, emit).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub tasks: u64,
    /// Output folder (overrides [run] output).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Slurm partition of every job.
    #[arg(long)]
    pub partition: Option<String>,
    /// CPUs of each job (array task); each step then runs with as many worker threads.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub cpus_per_task: Option<u64>,
    /// Memory of each array task, as sbatch takes it (`16G`).
    #[arg(long)]
    pub mem: Option<String>,
    /// Time limit of each array task, as sbatch takes it (`4:00:00`).
    #[arg(long)]
    pub time: Option<String>,
    /// Slurm account to charge.
    #[arg(long)]
    pub account: Option<String>,
    /// Slurm quality of service.
    #[arg(long)]
    pub qos: Option<String>,
    /// A further `#SBATCH` argument, verbatim (repeatable): `--sbatch-arg=--exclusive`.
    #[arg(long, allow_hyphen_values = true)]
    pub sbatch_arg: Vec<String>,
    /// Write the scripts only; submit nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Start over in a folder holding part of a run of another config or task count (its
    /// step files are deleted).
    #[arg(long)]
    pub force: bool,
    /// Print only the job ids.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `pilecurate status`.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The output folder of a step-wise run.
    pub out: PathBuf,
}

/// `pilecurate quality` subcommands.
#[derive(Debug, Subcommand)]
pub enum QualityCommand {
    /// Fit a logistic regression on hashed word unigrams and bigrams, positive sources
    /// against negative ones, print held-out accuracy and AUC, and write the model file.
    Train(QualityTrainArgs),
}

/// Arguments of `pilecurate quality train`.
#[derive(Debug, clap::Args)]
pub struct QualityTrainArgs {
    /// Sources (meta.pile_set_name) of the positive, high-quality class.
    #[arg(long, num_args = 1.., required = true)]
    pub positive: Vec<String>,
    /// Sources of the negative class.
    #[arg(long, num_args = 1.., required = true)]
    pub negative: Vec<String>,
    /// Pile-format jsonl(.gz/.zst) inputs.
    #[arg(long, num_args = 1.., required = true)]
    pub input: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long)]
    pub out: PathBuf,
    /// Fraction of documents held out for evaluation (chosen by a hash of the text).
    #[arg(long, default_value_t = 0.1)]
    pub holdout: f64,
    /// Seed of the held-out split and of the training order.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// log2 of the number of hashed feature buckets (the model is 4 * 2^bits bytes).
    #[arg(long, default_value_t = 18, value_parser = clap::value_parser!(u32).range(4..=26))]
    pub bits: u32,
    /// Passes over the training documents.
    #[arg(long, default_value_t = 5)]
    pub epochs: u32,
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
    /// Only check the config, inputs and output folder, as `pilecurate check` does.
    #[arg(long)]
    pub dry_run: bool,
    /// Run as N tasks per parallel step, one after another in this process (the layout of a
    /// cluster run, which `pilecurate slurm` or `step` can then finish). Default: the task
    /// count of the run the folder holds part of, else 1.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub tasks: Option<u64>,
}

/// Arguments of `pilecurate inspect`.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// The pair's prefix (`megatron/Github_text_document`), or its .bin or .idx path.
    pub prefix: PathBuf,
    /// Print document N (0-based) as text.
    #[arg(long, value_name = "N")]
    pub decode: Option<u64>,
    /// The tokenizer.json the pair was written with, for --decode.
    #[arg(long, default_value = "data/tokenizer/gpt2/tokenizer.json")]
    pub tokenizer: PathBuf,
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
    /// The folder of shipped rule sets whose full default stack is measured.
    #[arg(long, default_value = "filters")]
    pub filters: PathBuf,
    /// Stop after the filter measurements (skips dedup keys, tokenizers, end to end).
    #[arg(long)]
    pub filters_only: bool,
    /// Measure this tokenizer.json instead of the config's (in the end-to-end run too).
    #[arg(long)]
    pub tokenizer: Option<PathBuf>,
    /// The end-of-document token of `--tokenizer` (default: the config's).
    #[arg(long)]
    pub eod_token: Option<String>,
    /// Only the tokenizer engines: skip filters, dedup keys and the end-to-end runs.
    #[arg(long)]
    pub tokenizer_only: bool,
    /// Only the input formats: convert the corpus to Parquet and compare reading it with
    /// reading the gzip jsonl.
    #[arg(long)]
    pub formats_only: bool,
}

/// Arguments of `pilecurate bench-dedup`.
#[derive(Debug, clap::Args)]
pub struct BenchDedupArgs {
    /// A Pile-format jsonl(.gz/.zst) corpus of real documents.
    #[arg(long, default_value = "../shared/data/corpus/corpus.jsonl.gz")]
    pub corpus: PathBuf,
    /// Only this preset (`datatrove`, `mtnlg`, `pile`); default all three.
    #[arg(long)]
    pub preset: Option<String>,
    /// Real documents in the precision/recall sample (half get a perturbed copy).
    #[arg(long, default_value_t = 2000)]
    pub sample: usize,
    /// Documents generated for the scale run (0 skips it).
    #[arg(long, default_value_t = 5_000_000)]
    pub scale_docs: usize,
    /// Memory budget of the scale run, in bytes.
    #[arg(long, default_value_t = 2 << 30)]
    pub budget: u64,
}

/// `--tokenizer-engine` values.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum EngineArg {
    /// The fast path when the tokenizer fits it, else the HF crate.
    Auto,
    /// The HF `tokenizers` crate.
    Hf,
    /// The fast byte-level or SentencePiece BPE path (error if the tokenizer fits neither).
    Fast,
}
