//! The run as a fixed sequence of steps, each an array of ranks a scheduler can run apart:
//! `scan` (N ranks, each a contiguous share of the inputs), `exact` and `fuzzy` (N ranks,
//! each a range of the dedup key space), `cluster` (1), `emit` (N, the shares of `scan`) and
//! `merge` (1). Each rank writes under temporary names, renames, then writes its completion
//! record; the outputs do not depend on N.

mod cluster_step;
mod dedup_steps;
mod driver;
mod emit_step;
mod input_ids;
mod merge_step;
mod parquet_docs;
pub mod record;
mod rank_files;
mod report_step;
pub mod upstream;
mod scan_step;
mod shares;
mod state;

pub use driver::{Merged, prepare_locked, prepare_steps, preview_plan, read_plan_for, run_rank};
pub use record::{Completion, Failure, Plan};
pub use state::Ctx;

use crate::config::Config;
use crate::error::{FailureKind, kind_of};
use crate::tokenize::Tokenizer;
use anyhow::Result;

/// Runs every step in this process (`pilecurate run`): ranks whose completion record still
/// matches their files are reused, the others run, one after another, each on the whole
/// worker pool. The plan (and its task count) is the caller's.
pub fn run_all(config: &Config, plan: &Plan, tokenizer: &Tokenizer, quiet: bool) -> Result<Merged> {
    let ctx = Ctx {
        config,
        plan,
        quiet,
    };
    let out = &config.output_dir;
    let mut merged = None;
    let mut upstream = upstream::Upstream::default();
    for step in Step::ALL {
        let mut failed = None;
        for rank in ctx.ranks(step) {
            let digest = upstream.of(out, plan, step, rank);
            let reusable = record::read_completion(out, step, rank)
                .map(|done| record::verify_completion(out, plan, digest.as_deref(), &done));
            match reusable {
                Some(Ok(())) if step != Step::Merge => {
                    if !quiet {
                        eprintln!("{} rank {rank}: done before, reused", step.name());
                    }
                    continue;
                }
                // The merge's outputs were cleared for it to write again: it always runs.
                _ if quiet || step == Step::Merge => {}
                Some(Err(why)) => {
                    eprintln!("{} rank {rank}: running again ({why})", step.name());
                }
                None if record::rank_dir(out, step, rank).is_dir() => {
                    eprintln!(
                        "{} rank {rank}: running again (an earlier attempt left no valid \
                         completion record)",
                        step.name()
                    );
                }
                None | Some(Ok(())) => {}
            }
            // A failing rank fails its step, after the step's other ranks have run (as on a
            // cluster): a rerun then has only that rank to redo. An interrupt stops at once.
            match run_rank(&ctx, step, rank, Some(tokenizer)) {
                Ok(report) => merged = report,
                Err(err) if kind_of(&err) == Some(FailureKind::Interrupted) => return Err(err),
                // The first error is the command's; later ones are named here.
                Err(err) if failed.is_some() => {
                    if !quiet {
                        eprintln!("{} rank {rank} failed too: {err:#}", step.name());
                    }
                }
                Err(err) => failed = Some(err),
            }
        }
        if let Some(err) = failed {
            return Err(err);
        }
    }
    merged.ok_or_else(|| anyhow::anyhow!("internal error: the merge step returned no report"))
}

/// What `pilecurate step` did with one rank.
pub enum StepOutcome {
    /// The rank ran; the merge rank returns the report.
    Ran(Option<Box<Merged>>),
    /// The rank's completion record still matched its files: nothing to do.
    Reused,
}

/// Runs rank `rank` of `step` of a run of `tasks` tasks, as one array task of a scheduler
/// (`pilecurate step`). The scan step prepares the folder and writes the plan (every scan
/// rank computes the same one); later steps only read it, so a late rank can never start a
/// run over under the others. A rank whose completion record still matches its files is
/// not run again.
pub fn run_step(
    config: &Config,
    step: Step,
    rank: usize,
    tasks: usize,
    quiet: bool,
) -> Result<StepOutcome> {
    crate::pipeline::in_pool(config, || {
        let plan = match step {
            Step::Scan => driver::plan_for_scan(config, tasks, quiet)?,
            _ => read_plan_for(config)?,
        };
        if plan.tasks != tasks {
            return Err(crate::error::failure(
                crate::error::FailureKind::OutputConflict,
                format!(
                    "{out} holds a run of {} tasks, and this command asks for {tasks}; pass \
                     --tasks {} (or start over: `pilecurate run '{config_path}' -o '{out}' \
                     --force --tasks {tasks}`, or the same with `pilecurate slurm`)",
                    plan.tasks,
                    plan.tasks,
                    out = config.output_dir.display(),
                    config_path = config.config_path.display(),
                ),
            ));
        }
        let out = &config.output_dir;
        if step != Step::Merge {
            if let Some(done) = record::read_completion(out, step, rank) {
                let digest = upstream::Upstream::default().of(out, &plan, step, rank);
                if record::verify_completion(out, &plan, digest.as_deref(), &done).is_ok() {
                    return Ok(StepOutcome::Reused);
                }
            }
        }
        let ctx = Ctx {
            config,
            plan: &plan,
            quiet,
        };
        run_rank(&ctx, step, rank, None).map(|merged| StepOutcome::Ran(merged.map(Box::new)))
    })
}

/// A step of a step-wise run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// Read, parse, filter; dedup keys and decontamination counts of each share of inputs.
    Scan,
    /// Exact duplicates, per range of exact keys.
    Exact,
    /// Fuzzy candidate pairs and their verification, per range of band keys.
    Fuzzy,
    /// Clusters from the pairs; the removal log and the documents to keep.
    Cluster,
    /// Read each share again; tokenize and write its part of every output.
    Emit,
    /// Join the parts into exactly what one machine writes, and the reports.
    Merge,
}

impl Step {
    /// Every step, in the order they run.
    pub const ALL: [Step; 6] = [
        Step::Scan,
        Step::Exact,
        Step::Fuzzy,
        Step::Cluster,
        Step::Emit,
        Step::Merge,
    ];

    /// The step's name on the command line and on disk.
    pub fn name(self) -> &'static str {
        match self {
            Step::Scan => "scan",
            Step::Exact => "exact",
            Step::Fuzzy => "fuzzy",
            Step::Cluster => "cluster",
            Step::Emit => "emit",
            Step::Merge => "merge",
        }
    }

    /// The step named `name`.
    pub fn from_name(name: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.name() == name)
    }

    /// How many ranks the step has in a run of `tasks` tasks.
    pub fn ranks(self, tasks: usize) -> usize {
        match self {
            Step::Cluster | Step::Merge => 1,
            _ => tasks,
        }
    }
}
