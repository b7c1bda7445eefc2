//! The run as a fixed sequence of steps, each an array of ranks a scheduler can run apart:
//! `scan` (N ranks, each a contiguous share of the inputs), `exact` and `fuzzy` (N ranks,
//! each a range of the dedup key space), `cluster` (1), `emit` (N, the shares of `scan`) and
//! `merge` (1). Each rank writes under temporary names, renames, then writes its completion
//! record; the outputs do not depend on N.

mod cluster_step;
mod dedup_steps;
mod driver;
mod emit_step;
mod merge_step;
pub mod record;
mod scan_step;
mod shares;
mod state;

pub use driver::{Merged, prepare_locked, prepare_steps, read_plan_for, run_rank};
pub use record::{Completion, Failure, Plan};
pub use state::Ctx;

use crate::config::Config;
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
    for step in Step::ALL {
        for rank in ctx.ranks(step) {
            let reusable = record::read_completion(out, step, rank)
                .map(|done| record::verify_completion(out, plan, &done));
            match reusable {
                Some(Ok(())) if step != Step::Merge => {
                    if !quiet {
                        eprintln!("{} rank {rank}: done before, reused", step.name());
                    }
                    continue;
                }
                Some(Err(why)) if !quiet => {
                    eprintln!("{} rank {rank}: running again ({why})", step.name());
                }
                _ => {}
            }
            merged = run_rank(&ctx, step, rank, Some(tokenizer))?;
        }
    }
    merged.ok_or_else(|| anyhow::anyhow!("internal error: the merge step returned no report"))
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
