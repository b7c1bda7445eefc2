//! The files that say where a step-wise run stands: the plan (config hash, task count, each
//! rank's inputs), and per rank of each step a completion record (what it wrote, with sizes
//! and checksums) or a failure record (the error). `pilecurate status` and a resumed run read
//! nothing else.

use super::Step;
use crate::io;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Folder of the step-wise run's state and intermediate files, under the output folder.
pub const STEPS_DIR: &str = ".work/steps";
/// Folder of the per-rank logs of a cluster run, under the output folder.
pub const LOGS_DIR: &str = "logs";

/// The folder of one step's files.
pub fn step_dir(out: &Path, step: Step) -> PathBuf {
    out.join(STEPS_DIR).join(step.name())
}

/// The folder of one rank of one step: its outputs, lock and records.
pub fn rank_dir(out: &Path, step: Step, rank: usize) -> PathBuf {
    step_dir(out, step).join(format!("rank-{rank:05}"))
}

/// The completion record of a rank.
pub fn done_path(out: &Path, step: Step, rank: usize) -> PathBuf {
    rank_dir(out, step, rank).join("done.json")
}

/// The failure record of a rank (removed when the rank is run again).
pub fn failed_path(out: &Path, step: Step, rank: usize) -> PathBuf {
    rank_dir(out, step, rank).join("failed.json")
}

/// The log a cluster job writes for a rank: `logs/<step>-RRRRR.log`.
pub fn log_path(out: &Path, step: Step, rank: usize) -> PathBuf {
    out.join(LOGS_DIR)
        .join(format!("{}-{rank:05}.log", step.name()))
}

/// The plan of a step-wise run: what every rank of every step must agree on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Hash of the config (everything that shapes the output).
    pub config_hash: String,
    /// Ranks of the parallel steps.
    pub tasks: usize,
    /// Input files of each rank of `scan` and `emit`: `[first, end)` indices into the
    /// config's inputs (contiguous, so ranks' outputs follow input order).
    pub shares: Vec<(usize, usize)>,
    /// Each input's size and modification time when the run was planned: every rank
    /// refuses an input that changed since (its results would not fit the others').
    pub fingerprints: Vec<crate::io::Fingerprint>,
}

/// Path of the plan.
pub fn plan_path(out: &Path) -> PathBuf {
    out.join(STEPS_DIR).join("plan.json")
}

/// Reads the plan of the run in `out`, if there is one.
pub fn read_plan(out: &Path) -> Result<Option<Plan>> {
    let path = plan_path(out);
    if !path.exists() {
        return Ok(None);
    }
    let text = io::read_text(&path)?;
    let plan: Plan = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a pilecurate plan", path.display()))?;
    if !plan.is_consistent() {
        anyhow::bail!(
            "{}: damaged (its shares do not cover the inputs once, in order, in {} tasks)",
            path.display(),
            plan.tasks
        );
    }
    Ok(Some(plan))
}

impl Plan {
    /// Whether the shares cover every input exactly once, in order, one per task: a plan
    /// edited or damaged on disk would otherwise leave inputs unread.
    pub fn is_consistent(&self) -> bool {
        let mut next = 0;
        for &(first, end) in &self.shares {
            if first != next || end < first {
                return false;
            }
            next = end;
        }
        self.tasks >= 1 && self.shares.len() == self.tasks && next == self.fingerprints.len()
    }
}

/// Writes the plan.
pub fn write_plan(out: &Path, plan: &Plan) -> Result<()> {
    let json = serde_json::to_string_pretty(plan)? + "\n";
    io::write_atomic(&plan_path(out), json.as_bytes())
}

/// One file a rank wrote, as its completion record names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenFile {
    /// Path relative to the output folder.
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// xxh3-64 of the contents, hex.
    pub xxh3: String,
}

/// What a finished rank wrote: reused by a rerun only if every file still matches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    /// The step.
    pub step: String,
    /// The rank.
    pub rank: usize,
    /// Ranks of the parallel steps in this run.
    pub tasks: usize,
    /// The config hash of the run.
    pub config_hash: String,
    /// Host that ran it.
    pub host: String,
    /// Wall time of the rank, seconds.
    pub seconds: f64,
    /// What its results were computed from (see [`super::upstream`]).
    #[serde(default)]
    pub upstream: String,
    /// Every file it wrote.
    pub files: Vec<WrittenFile>,
}

/// Why a rank failed, for `pilecurate status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The step.
    pub step: String,
    /// The rank.
    pub rank: usize,
    /// Host that ran it.
    pub host: String,
    /// The error, as the command printed it.
    pub error: String,
}

/// Reads a rank's completion record, if it has one that parses.
pub fn read_completion(out: &Path, step: Step, rank: usize) -> Option<Completion> {
    let text = io::read_text(&done_path(out, step, rank)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Reads a rank's failure record, if any.
pub fn read_failure(out: &Path, step: Step, rank: usize) -> Option<Failure> {
    let text = io::read_text(&failed_path(out, step, rank)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Checks a completion record against the plan, what it was computed from and the files on
/// disk: `Ok(())` only if it is of this config and task count, the ranks before it and its
/// inputs are as they were (`upstream`, from [`super::upstream::Upstream::of`]), and every
/// file it names has its size and checksum.
pub fn verify_completion(
    out: &Path,
    plan: &Plan,
    upstream: Option<&str>,
    done: &Completion,
) -> Result<(), String> {
    if done.config_hash != plan.config_hash || done.tasks != plan.tasks {
        return Err("it was made by another config or task count".into());
    }
    if upstream != Some(done.upstream.as_str()) {
        return Err("what it was computed from changed".into());
    }
    for file in &done.files {
        let path = out.join(&file.name);
        let Ok((bytes, hash)) = io::file_checksum(&path) else {
            return Err(format!("{} is missing", file.name));
        };
        if bytes != file.bytes || format!("{hash:016x}") != file.xxh3 {
            return Err(format!("{} was altered", file.name));
        }
    }
    Ok(())
}

/// Describes a file the rank wrote (`name` relative to `out`) for its completion record.
pub fn written_file(out: &Path, name: &str) -> Result<WrittenFile> {
    let (bytes, hash) = io::file_checksum(&out.join(name))?;
    Ok(WrittenFile {
        name: name.to_string(),
        bytes,
        xxh3: format!("{hash:016x}"),
    })
}
