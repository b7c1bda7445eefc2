//! `pilecurate slurm`: prepares the output folder (plan, checks), writes one sbatch script
//! per step into `OUT/slurm/`, and submits the steps that have unfinished ranks, each after
//! the previous one succeeded (`--dependency=afterok`). Ranks with a valid completion record
//! are not submitted again, so the same command resumes a run. It holds no lock while the
//! jobs run: each rank takes its own.

use super::script::{ScriptSpec, check_directive_path, is_array, script_text};
use super::{array_spec, shell_quote, unfinished_ranks};
use crate::config::Config;
use crate::error::{FailureKind, failure};
use crate::io;
use crate::pipeline::steps::record::{self, LOGS_DIR};
use crate::pipeline::steps::{Step, prepare_steps, preview_plan};
use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Folder of the sbatch scripts, under the output folder.
pub const SCRIPTS_DIR: &str = "slurm";

/// What `pilecurate slurm` was asked for, beyond the config.
#[derive(Clone, Debug, Default)]
pub struct SlurmOptions {
    /// The resources and paths every script shares (`binary`, `config`, `workdir`, `out` are filled
    /// in by [`submit`]).
    pub spec: ScriptSpec,
    /// Write the scripts, submit nothing.
    pub dry_run: bool,
    /// Start over in a folder holding part of another run.
    pub force: bool,
    /// Print only the job ids.
    pub quiet: bool,
}

/// One step's script and what was done with it.
#[derive(Clone, Debug)]
pub struct StepJob {
    /// The step.
    pub step: Step,
    /// Its sbatch script.
    pub script: PathBuf,
    /// Ranks still to run (empty: the step is done and not submitted).
    pub pending: Vec<usize>,
    /// The sbatch command that submits it (in a dry run, the previous job's id is the shell
    /// variable named after its step: `$scan`).
    pub command: Vec<String>,
    /// The job id sbatch gave it, once submitted.
    pub job_id: Option<String>,
}

/// Writes the scripts of every step and, unless `dry_run`, submits the unfinished ones.
pub fn submit(config: &Config, options: &SlurmOptions) -> Result<Vec<StepJob>> {
    if !options.dry_run && find_on_path("sbatch").is_none() {
        return Err(failure(
            FailureKind::Usage,
            "sbatch is not on PATH: run this on a Slurm login node, install the Slurm client \
             (Debian: slurm-client; scripts/local-slurm.sh starts a one-machine Slurm), or \
             pass --dry-run to write the scripts only",
        ));
    }
    let absolute = |path: &Path| {
        std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))
    };
    let out = absolute(&config.output_dir)?;
    check_directive_path(&out)?;
    super::script::check_directive_values(&options.spec)?;
    // A complete run is left as it is: preparing the folder would mark it running and
    // delete its outputs, for the merge to write them again.
    let plan = match complete_plan(config, &out, options) {
        Some(plan) => plan,
        // A dry run touches nothing but the scripts: the plan is worked out, not written.
        None if options.dry_run => preview_plan(config, options.spec.tasks, options.force)?,
        None => prepare_steps(config, options.spec.tasks, options.force, options.quiet)?,
    };
    if !options.dry_run {
        refuse_running(&out, &plan)?;
    }
    let spec = ScriptSpec {
        binary: std::env::current_exe().context("cannot find the pilecurate binary's path")?,
        config: config.config_path.clone(),
        workdir: std::env::current_dir().context("cannot read the current folder")?,
        out: out.clone(),
        ..options.spec.clone()
    };
    // Slurm fails a job whose --output folder is missing without running it or saying why.
    let logs = out.join(LOGS_DIR);
    io::create_dir_all(&logs)?;
    let mut jobs = Vec::new();
    let mut previous: Option<String> = None;
    for step in Step::ALL {
        let pending = unfinished_ranks(&out, &plan, step);
        let script = out
            .join(SCRIPTS_DIR)
            .join(format!("{}.sbatch", step.name()));
        let shown = if pending.is_empty() {
            vec![0]
        } else {
            pending.clone()
        };
        io::write_atomic(&script, script_text(&spec, step, &shown).as_bytes())?;
        let mut job = StepJob {
            step,
            script,
            pending,
            command: Vec::new(),
            job_id: None,
        };
        if job.pending.is_empty() {
            jobs.push(job);
            continue;
        }
        job.command = sbatch_command(&job.script, previous.as_deref());
        if options.dry_run {
            previous = Some(format!("${}", step.name()));
        } else {
            let id = sbatch(&job.command)?;
            previous = Some(id.clone());
            job.job_id = Some(id);
        }
        jobs.push(job);
    }
    Ok(jobs)
}

/// The plan of `out` if it holds this very run (config, task count, unchanged inputs),
/// every rank done and the manifest saying `complete`.
fn complete_plan(config: &Config, out: &Path, options: &SlurmOptions) -> Option<record::Plan> {
    let plan = record::read_plan(out).ok()??;
    let same_run = !options.force
        && plan.config_hash == config.hash
        && plan.tasks == options.spec.tasks
        && plan.fingerprints.len() == config.inputs.len()
        && config
            .inputs
            .iter()
            .zip(&plan.fingerprints)
            .all(|(input, then)| io::fingerprint(&input.path).is_ok_and(|now| &now == then));
    let done = Step::ALL
        .into_iter()
        .all(|step| unfinished_ranks(out, &plan, step).is_empty());
    let complete =
        super::next::read_manifest(out).is_some_and(|m| m["status"].as_str() == Some("complete"));
    (same_run && done && complete).then_some(plan)
}

/// What `pilecurate slurm` prints: per step its script and job, then how to follow them.
pub fn summary(jobs: &[StepJob], out: &Path, options: &SlurmOptions) -> String {
    let ids: Vec<&str> = jobs.iter().filter_map(|j| j.job_id.as_deref()).collect();
    if options.quiet {
        return format!("{}\n", ids.join(" "));
    }
    let mut text = String::new();
    for job in jobs {
        let ranks = match is_array(job.step) {
            true => format!("ranks {}", array_spec(&job.pending)),
            false => "one job".to_string(),
        };
        let state = match (&job.job_id, job.pending.is_empty()) {
            (_, true) => "done, not submitted".to_string(),
            (Some(id), false) => format!("job {id}, {ranks}"),
            (None, false) => format!("{ranks} to submit"),
        };
        let _ = writeln!(
            text,
            "{:<8} {}  ({state})",
            job.step.name(),
            job.script.display()
        );
    }
    let out_word = shell_quote(&out.to_string_lossy());
    if options.dry_run {
        text.push_str("dry run: scripts written, nothing submitted; to submit them by hand:\n");
        for job in jobs.iter().filter(|j| !j.command.is_empty()) {
            let words: Vec<String> = job.command.iter().map(|w| quote_word(w)).collect();
            let _ = writeln!(text, "  {}=$({})", job.step.name(), words.join(" "));
        }
    } else if ids.is_empty() {
        let _ = writeln!(
            text,
            "nothing to submit: every step is done; see `pilecurate status {out_word}`"
        );
    } else {
        let _ = writeln!(
            text,
            "submitted jobs {}; follow them with:\n  squeue -j {}\n  pilecurate status \
             {out_word}\n  logs: {}/<step>-<rank>.log",
            ids.join(" "),
            ids.join(","),
            out.join(LOGS_DIR).display()
        );
    }
    text
}

/// A word of a shown sbatch command; the previous job's id stays a shell variable.
fn quote_word(word: &str) -> String {
    match word.strip_prefix("--dependency=afterok:$") {
        Some(_) => word.to_string(),
        None => shell_quote(word),
    }
}

/// The sbatch command of a script, after job `after` succeeded (a failed rank cancels the
/// later jobs instead of leaving them pending forever).
fn sbatch_command(script: &Path, after: Option<&str>) -> Vec<String> {
    let mut words = vec!["sbatch".to_string(), "--parsable".to_string()];
    if let Some(id) = after {
        words.push(format!("--dependency=afterok:{id}"));
        words.push("--kill-on-invalid-dep=yes".to_string());
    }
    words.push(script.to_string_lossy().into_owned());
    words
}

/// Runs an sbatch command; returns the job id it printed.
fn sbatch(command: &[String]) -> Result<String> {
    let output = Command::new(&command[0])
        .args(&command[1..])
        .output()
        .with_context(|| format!("cannot run {}", command.join(" ")))?;
    let script = command.last().map_or("", String::as_str);
    if !output.status.success() {
        anyhow::bail!(
            "sbatch refused {script} ({}): {}; the jobs submitted before it are queued \
             (squeue); fix the cause and rerun the same command",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    // `--parsable` prints `id` or `id;cluster`.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let id = stdout.trim().split(';').next().unwrap_or("").to_string();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        anyhow::bail!("sbatch printed no job id for {script}: {:?}", stdout.trim());
    }
    Ok(id)
}

/// Refuses to submit while a rank of this run is running: it would be submitted twice.
fn refuse_running(out: &Path, plan: &record::Plan) -> Result<()> {
    for step in Step::ALL {
        for rank in 0..step.ranks(plan.tasks) {
            if let Some(owner) = io::OutputLock::live_holder(&record::rank_dir(out, step, rank)) {
                return Err(failure(
                    FailureKind::OutputConflict,
                    format!(
                        "rank {rank} of step {} is running (pid {} on {}); wait for the run's \
                         jobs to end (squeue) or cancel them (scancel), then rerun this command",
                        step.name(),
                        owner.pid,
                        owner.host
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The first `name` in a folder of `$PATH`.
fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
