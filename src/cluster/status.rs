//! `pilecurate status OUT`: per step and rank, done, running, failed or not started, read
//! from the plan, the completion and failure records, the rank locks and the logs; one line
//! per step and one per failed or running rank; then what to run next.

use super::next::next_lines;
use crate::error::{FailureKind, failure};
use crate::io::{self, LockOwner, OutputLock};
use crate::pipeline::steps::Step;
use crate::pipeline::steps::record::{self, Plan};
use crate::pipeline::steps::upstream::Upstream;
use anyhow::Result;
use std::fmt::Write as _;
use std::path::Path;

/// Where one rank of one step stands.
#[derive(Clone, Debug, PartialEq)]
pub enum RankState {
    /// A valid completion record: wall seconds and host.
    Done {
        /// Wall time of the rank.
        seconds: f64,
        /// Host that ran it.
        host: String,
    },
    /// A lock held by a live process (or by one on another host, which cannot be checked
    /// from here).
    Running(LockOwner),
    /// A failure record, a lock left by a process that is gone, or an error in the log.
    Failed {
        /// What went wrong, on one line.
        reason: String,
        /// The rank's log, when it exists, and its last line starting with `error`.
        log: Option<(String, Option<String>)>,
    },
    /// Nothing yet.
    NotStarted,
}

/// The state of `rank` of `step` in the run in `out`.
pub fn rank_state(out: &Path, plan: &Plan, step: Step, rank: usize) -> RankState {
    let dir = record::rank_dir(out, step, rank);
    if let Some(owner) = OutputLock::live_holder(&dir) {
        return RankState::Running(owner);
    }
    let void = match record::read_completion(out, step, rank) {
        Some(done) => match record::verify_completion(
            out,
            plan,
            Upstream::default().of(out, plan, step, rank).as_deref(),
            &done,
        ) {
            Ok(()) => {
                return RankState::Done {
                    seconds: done.seconds,
                    host: done.host,
                };
            }
            Err(why) => Some(why),
        },
        None => None,
    };
    let log_path = record::log_path(out, step, rank);
    let log = io::read_text(&log_path).ok().map(|text| {
        let line = text.lines().rev().find(|l| l.starts_with("error"));
        (log_path.display().to_string(), line.map(str::to_string))
    });
    // A log older than the plan is of an attempt before the last submission, which
    // submitted the rank again: its error is no longer the rank's state.
    let modified = |path: &Path| io::fingerprint(path).map_or(0, |f| f.modified_ns);
    let log_is_current = modified(&log_path) >= modified(&record::plan_path(out));
    let reason = if let Some(failed) = record::read_failure(out, step, rank) {
        failed.error.lines().next().unwrap_or("").to_string()
    } else if let Some(owner) = stale_owner(&dir) {
        let (pid, host) = (owner.pid, owner.host);
        format!("killed: pid {pid} on {host} ended without a record")
    } else if let Some((_, Some(line))) = log.as_ref()
        && log_is_current
    {
        line.strip_prefix("error: ").unwrap_or(line).to_string()
    } else if let Some(why) = void {
        format!("done before, but {why}: to run again")
    } else {
        return RankState::NotStarted;
    };
    RankState::Failed { reason, log }
}

/// The owner named by a lock file in `dir` whose process is gone.
fn stale_owner(dir: &Path) -> Option<LockOwner> {
    let text = io::read_text(&dir.join(io::LOCK_FILE)).ok()?;
    serde_json::from_str(text.trim()).ok()
}

/// The status report of the run in `out`.
pub fn report(out: &Path) -> Result<String> {
    let Some(plan) = record::read_plan(out)? else {
        return Err(failure(
            FailureKind::Usage,
            format!(
                "{} holds no step-wise run (no {}): start one with `pilecurate slurm CONFIG \
                 --tasks N -o {}` (or `pilecurate run`), or name the output folder of one",
                out.display(),
                record::plan_path(out).display(),
                out.display()
            ),
        ));
    };
    let mut text = format!(
        "{}: a run of {} tasks (config hash {})\n",
        out.display(),
        plan.tasks,
        plan.config_hash
    );
    let mut states = Vec::new();
    for step in Step::ALL {
        let ranks: Vec<RankState> = (0..step.ranks(plan.tasks))
            .map(|rank| rank_state(out, &plan, step, rank))
            .collect();
        text.push_str(&step_lines(step, &ranks));
        states.push((step, ranks));
    }
    text.push_str(&next_lines(out, &plan, &states));
    Ok(text)
}

/// One line for the step, then one per failed or running rank.
fn step_lines(step: Step, states: &[RankState]) -> String {
    let (name, n) = (step.name(), states.len());
    let count = |f: fn(&RankState) -> bool| states.iter().filter(|s| f(s)).count();
    let done = count(|s| matches!(s, RankState::Done { .. }));
    let running = count(|s| matches!(s, RankState::Running(_)));
    let failed = count(|s| matches!(s, RankState::Failed { .. }));
    let mut line = format!("{name:<8} {done}/{n} done");
    if done == 0 && running == 0 && failed == 0 {
        line = format!("{name:<8} 0/{n} not started");
    } else if done == n {
        let slowest = states
            .iter()
            .filter_map(|s| match s {
                RankState::Done { seconds, host } => Some((*seconds, host)),
                _ => None,
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((seconds, host)) = slowest {
            let what = if n == 1 { "" } else { "slowest " };
            let _ = write!(line, "  ({what}{seconds:.1} s, {host})");
        }
    } else {
        let waiting = n - done - running - failed;
        for (k, word) in [
            (running, "running"),
            (failed, "failed"),
            (waiting, "not started"),
        ] {
            if k > 0 {
                let _ = write!(line, ", {k} {word}");
            }
        }
    }
    let mut text = line + "\n";
    for (rank, state) in states.iter().enumerate() {
        match state {
            RankState::Running(owner) if owner.host == io::host_name() => {
                let _ = writeln!(text, "  rank {rank}: running (pid {})", owner.pid);
            }
            RankState::Running(owner) => {
                let _ = writeln!(
                    text,
                    "  rank {rank}: running on {} ({})",
                    owner.host, owner.pid
                );
            }
            RankState::Failed { reason, log } => {
                let _ = writeln!(text, "  rank {rank}: failed: {reason}");
                if let Some((path, line)) = log {
                    let _ = write!(text, "    log: {path}");
                    match line {
                        Some(line) if !line.contains(reason.as_str()) => {
                            let _ = writeln!(text, "\n    {line}");
                        }
                        _ => text.push('\n'),
                    }
                }
            }
            _ => {}
        }
    }
    text
}
