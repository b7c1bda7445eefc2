//! Where the stages meet: the only module that owns threads, ordering, progress and the
//! accounting of every document.
//!
//! A run is a fixed sequence of steps (see [`steps`]): two streaming passes over the inputs
//! with deduplication between them: scan (read → parse → filter → dedup keys), exact and
//! fuzzy dedup over key partitions, cluster, emit (read again → tokenize kept documents →
//! shards), then merge and the reports. Memory holds the dedup keys of one partition and a
//! bit per document, never the corpus text.

mod batches;
mod check;
mod emit;
pub mod interrupt;
mod logs;
mod origins;
pub(crate) mod owned;
pub mod outdir;
pub(crate) mod progress;
mod records;
mod scan;
mod scan_line;
pub mod steps;
mod tasks;
mod verify;

use crate::config::Config;
use crate::error::{FailureKind, tag};
use crate::io;
use crate::report::{self, RunReport};
use crate::tokenize::Tokenizer;
use anyhow::{Context, Result};

pub use batches::{BATCH_BYTES, BATCH_LINES, par_map_longest_first, spawn_reader};
pub use check::{CheckReport, check};
pub use emit::{DOCS_DIR, MEGATRON_DIR};

/// How to run, beyond the config.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// No progress bars or messages.
    pub quiet: bool,
    /// Replace the outputs of a different run in the output folder.
    pub force: bool,
    /// Tasks per parallel step; `None`: those of the run the folder holds part of, else 1.
    pub tasks: Option<usize>,
}

/// What a finished run produced.
pub struct RunOutcome {
    /// The report that was written.
    pub report: RunReport,
    /// Records rejected in total (the rejects log holds each one).
    pub rejected: u64,
}

/// Runs the whole pipeline on a thread pool of `config.threads` workers.
pub fn run(config: &Config, options: &RunOptions) -> Result<RunOutcome> {
    in_pool(config, || run_in_pool(config, options))
}

/// Runs `work` on a thread pool of `config.threads` workers (0: one per core).
pub(crate) fn in_pool<T: Send>(
    config: &Config,
    work: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    let threads = match config.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("pilecurate-worker-{i}"))
        .build()
        .context("starting the worker threads")?;
    pool.install(work)
}

fn run_in_pool(config: &Config, options: &RunOptions) -> Result<RunOutcome> {
    // Config errors come before the output folder is touched: the tokenizer and the task
    // files are loaded (side by side) and checked first.
    let tokenizer_bytes =
        io::read_bytes(&config.tokenizer_path).map_err(|e| tag(FailureKind::Config, e))?;
    let origin = config.tokenizer_path.display().to_string();
    let (tokenizer, tasks) = rayon::join(
        || Tokenizer::load(&tokenizer_bytes, &origin, config.engine, &config.eod_token),
        || tasks::load_tasks(config),
    );
    let tokenizer = tokenizer.map_err(|e| tag(FailureKind::Config, e))?;
    tasks.map_err(|e| tag(FailureKind::Config, e))?;
    interrupt::check()?;
    outdir::check_location(config)?;
    let _lock = lock_output(config, options.quiet)?;
    // A folder holding part of a run of this config (a cluster run, say) is finished with
    // its own task count; anything else runs as one task.
    let tasks = match (options.tasks, steps::record::read_plan(&config.output_dir)) {
        (Some(tasks), _) => tasks,
        (None, Ok(Some(plan))) if plan.config_hash == config.hash => plan.tasks,
        _ => 1,
    };
    let plan = steps::prepare_locked(config, tasks, options.force, options.quiet)?;
    let (report, rejected) = steps::run_all(config, &plan, &tokenizer, options.quiet)?;
    Ok(RunOutcome { report, rejected })
}

/// Takes the output folder's lock for the whole run: one writer per folder.
pub(crate) fn lock_output(config: &Config, quiet: bool) -> Result<io::OutputLock> {
    let out = &config.output_dir;
    match io::OutputLock::acquire(out, &io::LockOwner::current())? {
        io::LockOutcome::Acquired { lock, stale } => {
            if let Some(dead) = stale.filter(|_| !quiet) {
                eprintln!(
                    "note: {} was locked by pid {} on {} ({}), which is no longer running \
                     (killed or crashed); taking the folder over",
                    out.display(),
                    dead.pid,
                    dead.host,
                    dead.command
                );
            }
            Ok(lock)
        }
        io::LockOutcome::Held(owner, _) => Err(outdir::locked(config, &owner)),
    }
}

/// Writes `report.json`, `report.md` and `blend.txt`.
pub(crate) fn write_reports(config: &Config, report: &RunReport) -> Result<()> {
    let out = &config.output_dir;
    io::write_atomic(
        &out.join("report.json"),
        report::render_json(report).as_bytes(),
    )?;
    io::write_atomic(
        &out.join("report.md"),
        report::render_markdown(report).as_bytes(),
    )?;
    io::write_atomic(
        &out.join("blend.txt"),
        report::render_blend(report, MEGATRON_DIR).as_bytes(),
    )?;
    Ok(())
}
