//! Running steps: preparing the folder and the plan, running one rank (its lock, its
//! records), and running every step in this process, skipping ranks whose completion
//! record still matches the files it names.

use super::rank_files::{clear_rank_dir, files_under, final_files, sweep_done_ranks};
use super::record::{self, Completion, Failure, Plan, rank_dir};
use super::state::Ctx;
use super::{Step, cluster_step, dedup_steps, emit_step, scan_step};
use crate::config::Config;
use crate::error::{FailureKind, failure};
use crate::io;
use crate::pipeline::{batches, interrupt, outdir};
use crate::report::RunReport;
use crate::tokenize::Tokenizer;
use anyhow::Result;
use std::time::Instant;

/// Checks the output folder and writes (or checks) the plan of a run of `tasks` tasks; the
/// caller holds the folder's lock. A folder holding part of a run of another config, task
/// count or inputs is refused without `force`; with it, that run's step files are deleted.
pub fn prepare_locked(config: &Config, tasks: usize, force: bool, quiet: bool) -> Result<Plan> {
    let out = &config.output_dir;
    let (plan, fresh) = decide_plan(config, tasks, force, quiet)?;
    outdir::prepare(config, force)?;
    if fresh {
        io::remove_dir_all_if_exists(&out.join(record::STEPS_DIR))?;
    } else {
        sweep_done_ranks(out, tasks)?;
    }
    record::write_plan(out, &plan)?;
    Ok(plan)
}

/// The plan [`prepare_locked`] would write, with its refusals, touching nothing (for
/// `pilecurate slurm --dry-run`).
pub fn preview_plan(config: &Config, tasks: usize, force: bool) -> Result<Plan> {
    outdir::check_location(config)?;
    decide_plan(config, tasks, force, true).map(|(plan, _)| plan)
}

/// The plan of a run of `tasks` tasks, and whether the folder's step files must go first.
fn decide_plan(config: &Config, tasks: usize, force: bool, quiet: bool) -> Result<(Plan, bool)> {
    let out = &config.output_dir;
    let fingerprints = batches::fingerprints(config)?;
    let mut sizes = Vec::with_capacity(fingerprints.len());
    sizes.extend(fingerprints.iter().map(|f| f.len));
    let mut plan = Plan {
        config_hash: config.hash.clone(),
        tasks,
        shares: super::shares::shares(&sizes, tasks),
        fingerprints,
    };
    // Another run's finished outputs (or foreign files) are refused first, with the message
    // that names them, before anything is touched.
    outdir::refuse_other_run(config, force)?;
    let previous = match record::read_plan(out) {
        Ok(previous) => previous,
        Err(why) => {
            // Nothing of a run whose plan cannot be trusted is reused: its steps start over.
            if !quiet {
                eprintln!("note: {why:#}; the run's steps start over");
            }
            None
        }
    };
    let fresh = match previous {
        Some(prev) if prev == plan => false,
        Some(prev)
            if prev.config_hash == plan.config_hash
                && prev.tasks == plan.tasks
                && prev.fingerprints.len() == plan.fingerprints.len() =>
        {
            // An input changed (fixed after a failure, say): the shares stay as they were,
            // and the ranks that read it, with what depends on them, are redone (their
            // completion records no longer match; see `upstream`).
            if !quiet {
                eprintln!(
                    "note: an input changed since {} was planned; the ranks that read it \
                     are redone",
                    out.display()
                );
            }
            plan.shares = prev.shares;
            false
        }
        Some(prev) if !force => {
            let what = match prev.config_hash == plan.config_hash {
                true => format!("{} tasks (this command asks for {tasks})", prev.tasks),
                false => format!("another config (hash {})", prev.config_hash),
            };
            return Err(failure(
                FailureKind::OutputConflict,
                format!(
                    "{} holds part of a run of {what}; finish it with the same config and \
                     --tasks {}, or start over with `pilecurate run --force` or `pilecurate \
                     slurm --force` (its step files are deleted)",
                    out.display(),
                    prev.tasks
                ),
            ));
        }
        Some(_) => true,
        None => true,
    };
    Ok((plan, fresh))
}

/// Prepares a step-wise run for a scheduler: the folder checked and locked while the plan is
/// written (see [`prepare_locked`]).
pub fn prepare_steps(config: &Config, tasks: usize, force: bool, quiet: bool) -> Result<Plan> {
    outdir::check_location(config)?;
    let _lock = crate::pipeline::lock_output(config, quiet)?;
    prepare_locked(config, tasks, force, quiet)
}

/// The plan a scan rank works to: the folder's plan when it is of this config, task count
/// and inputs as they are now (read without a lock: the ranks of an array start together,
/// and the plan does not change under them), else the folder prepared and the plan written
/// under the folder's lock, waiting up to two minutes for a sibling rank that holds it.
pub fn plan_for_scan(config: &Config, tasks: usize, quiet: bool) -> Result<Plan> {
    let fingerprints = batches::fingerprints(config)?;
    if let Ok(plan) = read_plan_for(config) {
        if plan.tasks == tasks && plan.fingerprints == fingerprints {
            return Ok(plan);
        }
    }
    outdir::check_location(config)?;
    let out = &config.output_dir;
    let deadline = Instant::now() + std::time::Duration::from_secs(120);
    let _lock = loop {
        match io::OutputLock::acquire(out, &io::LockOwner::current())? {
            io::LockOutcome::Acquired { lock, .. } => break lock,
            io::LockOutcome::Held(owner, _) if Instant::now() >= deadline => {
                return Err(outdir::locked(config, &owner));
            }
            io::LockOutcome::Held(..) => std::thread::sleep(std::time::Duration::from_millis(200)),
        }
    };
    prepare_locked(config, tasks, false, quiet)
}

/// The plan of the run in the config's output folder, which must be of this config.
pub fn read_plan_for(config: &Config) -> Result<Plan> {
    let out = &config.output_dir;
    let plan = record::read_plan(out).map_err(|e| {
        failure(
            FailureKind::OutputConflict,
            format!(
                "{e:#}; start the run over with `pilecurate run --force` or `pilecurate slurm \
                 --force` (its step files are deleted)"
            ),
        )
    })?;
    match plan {
        Some(plan) if plan.config_hash == config.hash => Ok(plan),
        Some(plan) => Err(failure(
            FailureKind::OutputConflict,
            format!(
                "{} was planned for another config (hash {}, this one is {}): the config or a \
                 file it names changed since. Finish the run with the config it was planned \
                 with, or start over with `pilecurate run --force` or `pilecurate slurm \
                 --force` (its step files are deleted)",
                out.display(),
                plan.config_hash,
                config.hash
            ),
        )),
        None => Err(failure(
            FailureKind::Usage,
            format!(
                "{} holds no plan yet; the `scan` step writes it (`pilecurate step scan CONFIG \
                 --tasks N`), as do `pilecurate slurm CONFIG --tasks N` and `pilecurate run`",
                out.display()
            ),
        )),
    }
}

/// What the merge rank returns: the report and the number of rejected records.
pub type Merged = (RunReport, u64);

/// Runs rank `rank` of `step` under its own lock, recording its completion or failure; the
/// merge returns its report.
pub fn run_rank(
    ctx: &Ctx<'_>,
    step: Step,
    rank: usize,
    tokenizer: Option<&Tokenizer>,
) -> Result<Option<Merged>> {
    let out = ctx.out();
    let ranks = step.ranks(ctx.plan.tasks);
    if rank >= ranks {
        return Err(failure(
            FailureKind::Usage,
            format!(
                "step {} has ranks 0 to {} in this run; rank {rank} does not exist",
                step.name(),
                ranks - 1
            ),
        ));
    }
    check_dependencies(ctx, step)?;
    let upstream = super::upstream::Upstream::default()
        .of(out, ctx.plan, step, rank)
        .unwrap_or_default();
    let dir = rank_dir(out, step, rank);
    let lock = match io::OutputLock::acquire(&dir, &io::LockOwner::current())? {
        io::LockOutcome::Acquired { lock, stale } => {
            if let Some(dead) = stale.filter(|_| !ctx.quiet) {
                eprintln!(
                    "note: rank {rank} of step {} was left locked by pid {} on {}, which is no \
                     longer running (killed or crashed); running it again",
                    step.name(),
                    dead.pid,
                    dead.host
                );
            }
            lock
        }
        io::LockOutcome::Held(owner, _) => {
            return Err(failure(
                FailureKind::OutputConflict,
                format!(
                    "rank {rank} of step {} is being run by pid {} on {} ({}); wait for it, \
                     or stop it first. If that process is gone for good (a lock from another \
                     host cannot be checked from here: a job killed at its time limit, say), \
                     delete {}",
                    step.name(),
                    owner.pid,
                    owner.host,
                    owner.command,
                    dir.join(io::LOCK_FILE).display()
                ),
            ));
        }
    };
    clear_rank_dir(&dir)?;
    let point = |at: &str| interrupt::kill_point(&format!("{}-{rank}:{at}", step.name()));
    point("start");
    let started = Instant::now();
    let mut merged = None;
    let result = match step {
        Step::Scan => scan_step::scan_rank(ctx, rank),
        Step::Exact => dedup_steps::exact_rank(ctx, rank),
        Step::Fuzzy => dedup_steps::fuzzy_rank(ctx, rank),
        Step::Cluster => cluster_step::cluster_rank(ctx),
        Step::Emit => match tokenizer {
            Some(t) => emit_step::emit_rank(ctx, rank, t),
            None => {
                emit_step::load_tokenizer(ctx).and_then(|t| emit_step::emit_rank(ctx, rank, &t))
            }
        },
        Step::Merge => {
            super::report_step::merge_rank(ctx, tokenizer, started).map(|m| merged = Some(m))
        }
    };
    let finished = result.and_then(|()| {
        interrupt::check()?;
        let files = match step {
            Step::Merge => final_files(out)?,
            _ => files_under(out, &dir)?,
        };
        let done = Completion {
            step: step.name().to_string(),
            rank,
            tasks: ctx.plan.tasks,
            config_hash: ctx.plan.config_hash.clone(),
            host: io::host_name(),
            seconds: started.elapsed().as_secs_f64(),
            upstream,
            files,
        };
        let json = serde_json::to_string_pretty(&done)? + "\n";
        point("written");
        let mut record = io::AtomicFile::create(&record::done_path(out, step, rank))?;
        std::io::Write::write_all(&mut record, json.as_bytes())?;
        point("record");
        record.finish()?;
        point("recorded");
        if step == Step::Merge {
            outdir::complete(ctx.config)?;
        }
        Ok(())
    });
    if let Err(err) = &finished {
        let failed = Failure {
            step: step.name().to_string(),
            rank,
            host: io::host_name(),
            error: format!("{err:#}"),
        };
        if let Ok(json) = serde_json::to_string_pretty(&failed) {
            let _ = io::write_atomic(&record::failed_path(out, step, rank), json.as_bytes());
        }
    }
    drop(lock);
    finished.map(|()| merged)
}

/// Every rank of the steps before `step` must be done, and still of this run: of this plan,
/// and computed from what the ranks before it wrote (a rank redone since with other bytes
/// makes every later record stale). Only the records are read here, never the files.
fn check_dependencies(ctx: &Ctx<'_>, step: Step) -> Result<()> {
    let out = ctx.out();
    let mut upstream = super::upstream::Upstream::default();
    for before in Step::ALL.into_iter().take_while(|s| *s != step) {
        for rank in ctx.ranks(before) {
            let why = match record::read_completion(out, before, rank) {
                None => "is not".to_string(),
                Some(done) => {
                    let digest = upstream.of(out, ctx.plan, before, rank);
                    if done.config_hash != ctx.plan.config_hash || done.tasks != ctx.plan.tasks {
                        "was done for another config or task count".to_string()
                    } else if digest.as_deref() != Some(done.upstream.as_str()) {
                        "is stale: what it was computed from changed since".to_string()
                    } else {
                        continue;
                    }
                }
            };
            return Err(failure(
                FailureKind::Usage,
                format!(
                    "step {} needs every rank of step {} done first; rank {rank} {why} (see \
                     `pilecurate status '{}'`, or run `pilecurate run` on the folder, which \
                     redoes what is missing)",
                    step.name(),
                    before.name(),
                    out.display()
                ),
            ));
        }
    }
    Ok(())
}
