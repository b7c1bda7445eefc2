//! Where the stages meet: the only module that owns threads, ordering, progress and the
//! accounting of every document.
//!
//! A run is two streaming passes over the inputs with deduplication between them:
//! scan (read → parse → filter → dedup keys), resolve (exact + fuzzy clusters), emit
//! (read again → tokenize kept documents → shards), then the reports. Memory holds the dedup
//! keys of filter survivors and a bit per document, never the corpus text.

mod batches;
mod check;
mod emit;
pub mod interrupt;
mod logs;
mod origins;
mod owned;
pub mod outdir;
mod progress;
mod records;
mod resolve;
mod scan;
mod scan_line;
pub mod steps;
mod tasks;
mod verify;

use crate::config::Config;
use crate::error::{FailureKind, tag};
use crate::io::{self, ZstLogWriter};
use crate::report::{self, DecontamReport, RunHeader, RunReport, SourceRow};
use crate::tokenize::Tokenizer;
use anyhow::{Context, Result, anyhow};
use origins::KeepSet;
use progress::Progress;
use std::collections::BTreeMap;
use std::time::Instant;

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
    let threads = match config.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("pilecurate-worker-{i}"))
        .build()
        .context("starting the worker threads")?;
    pool.install(|| run_in_pool(config, options, threads))
}

fn run_in_pool(config: &Config, options: &RunOptions, threads: usize) -> Result<RunOutcome> {
    let started = Instant::now();
    let out = &config.output_dir;
    // What pass 2 must find again: the inputs as pass 1 is about to read them.
    let fingerprints = batches::fingerprints(config)?;
    // Pass 1's reader decompresses its first batches while the tokenizer and tasks load.
    let reading = batches::start_reading(config, None)?;
    let tokenizer_bytes =
        io::read_bytes(&config.tokenizer_path).map_err(|e| tag(FailureKind::Config, e))?;
    let origin = config.tokenizer_path.display().to_string();
    // Both are config, both checked before the output folder is touched; built side by side.
    let (tokenizer, tasks) = rayon::join(
        || Tokenizer::load(&tokenizer_bytes, &origin, config.engine, &config.eod_token),
        || tasks::load_tasks(config),
    );
    let tokenizer = tokenizer.map_err(|e| tag(FailureKind::Config, e))?;
    let tasks = tasks.map_err(|e| tag(FailureKind::Config, e))?;
    interrupt::check()?;
    outdir::check_location(config)?;
    let _lock = lock_output(config, options.quiet)?;
    outdir::prepare(config, options.force)?;

    let mut rows: Vec<SourceRow> = config
        .sources
        .iter()
        .map(|s| SourceRow {
            name: s.name.clone(),
            slug: s.slug.clone(),
            weight: s.weight,
            ..SourceRow::default()
        })
        .collect();
    let mut unattributed = BTreeMap::new();
    let mut stage_seconds = Vec::new();
    let mut input_bytes = 0;
    for input in &config.inputs {
        input_bytes += io::file_size(&input.path).map_err(|e| tag(FailureKind::Input, e))?;
    }

    let stage = Instant::now();
    let mut rejects = ZstLogWriter::create(&out.join("rejects/rejects.jsonl.zst"))?;
    let mut filtered = ZstLogWriter::create(&out.join("removed/filtered.jsonl.zst"))?;
    let bar = Progress::bytes(options.quiet, "scan", input_bytes);
    let mut survivors = scan::scan(
        config,
        reading,
        &mut rows,
        &mut unattributed,
        scan::Logs {
            rejects: &mut rejects,
            removed: &mut filtered,
        },
        &bar,
        tasks.as_ref().map(|(ngrams, _)| ngrams),
    )?;
    bar.finish();
    let rejected = rejects.records();
    rejects.finish()?;
    filtered.finish()?;
    stage_seconds.push(("read+filter".to_string(), stage.elapsed().as_secs_f64()));

    let stage = Instant::now();
    let spinner = Progress::spinner(options.quiet, "dedup");
    spinner.set_message(format!("{} documents", survivors.origins.count()));
    let mut duplicates = ZstLogWriter::create(&out.join("removed/duplicates.jsonl.zst"))?;
    let ngram_counts = std::mem::take(&mut survivors.ngram_counts);
    let task_matches = std::mem::replace(&mut survivors.task_matches, KeepSet::new(0));
    // Pass 2's reader decompresses its first batches while the clusters are resolved.
    let reading = batches::start_reading(config, Some(fingerprints))?;
    let (keep, mut dedup) = resolve::resolve(config, survivors, &mut rows, &mut duplicates)?;
    if tasks.is_some() {
        // The lines with a task n-gram are a second bit per line, held until pass 2.
        dedup.memory_bits_per_line += 1;
    }
    duplicates.finish()?;
    interrupt::check()?;
    spinner.finish();
    stage_seconds.push(("dedup".to_string(), stage.elapsed().as_secs_f64()));

    let stage = Instant::now();
    let bar = Progress::bytes(options.quiet, "tokenize", input_bytes);
    let mut decontam = DecontamReport::default();
    let decontaminator = tasks.map(|(ngrams, examples)| {
        decontam.examples = examples;
        decontam.ngrams = ngrams.len() as u64;
        ngrams.finalize(&ngram_counts)
    });
    let mut decontam_log = match &decontaminator {
        Some(d) => {
            decontam.ignored_ngrams = d.ignored().len() as u64;
            Some(ZstLogWriter::create(
                &out.join("removed/decontaminated.jsonl.zst"),
            )?)
        }
        None => None,
    };
    let stage_args = match (&decontaminator, &mut decontam_log) {
        (Some(decontaminator), Some(log)) => Some(tasks::DecontamStage {
            decontaminator,
            task_matches: &task_matches,
            report: &mut decontam,
            log,
        }),
        _ => None,
    };
    emit::emit(
        config, reading, &keep, &tokenizer, &mut rows, &bar, stage_args,
    )?;
    if let Some(log) = decontam_log {
        log.finish()?;
    }
    bar.finish();
    stage_seconds.push(("tokenize+write".to_string(), stage.elapsed().as_secs_f64()));

    let report = RunReport {
        header: RunHeader {
            config_path: config.config_path.display().to_string(),
            config_hash: config.hash.clone(),
            inputs: config
                .inputs
                .iter()
                .map(|i| i.path.display().to_string())
                .collect(),
            threads,
            tokenizer: format!("{origin} ({})", tokenizer.engine_description()),
            stage_seconds,
            total_seconds: started.elapsed().as_secs_f64(),
            ..RunHeader::of_this_process()
        },
        sources: rows,
        unattributed_rejects: unattributed,
        dedup,
        target_tokens: config.target_tokens,
        decontam,
    };
    report::check_accounting(&report)
        .map_err(|e| anyhow!("internal accounting error, please report it: {e}"))?;
    interrupt::check()?;
    write_reports(config, &report)?;
    outdir::complete(config)?;
    Ok(RunOutcome { report, rejected })
}

/// Takes the output folder's lock for the whole run: one writer per folder.
fn lock_output(config: &Config, quiet: bool) -> Result<io::OutputLock> {
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

fn write_reports(config: &Config, report: &RunReport) -> Result<()> {
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
