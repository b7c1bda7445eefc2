//! The sbatch script of one step: `#SBATCH` lines (name, array of the pending ranks or a
//! single job, log file, the resources asked for) and the `pilecurate step` command it runs.

use super::{array_spec, shell_quote};
use crate::error::{FailureKind, failure};
use crate::pipeline::steps::Step;
use crate::pipeline::steps::record::LOGS_DIR;
use anyhow::Result;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What the scripts of a run share: absolute paths and the resources asked for.
#[derive(Clone, Debug, Default)]
pub struct ScriptSpec {
    /// The pilecurate binary the jobs run (absolute).
    pub binary: PathBuf,
    /// The run config, as given on the command line: its path is part of the config's hash
    /// (the inputs it names are resolved from it), so a job names it the same way.
    pub config: PathBuf,
    /// The folder `pilecurate slurm` ran in: a job runs there, so that a relative config
    /// path names the same file.
    pub workdir: PathBuf,
    /// The output folder (absolute).
    pub out: PathBuf,
    /// Ranks of the parallel steps.
    pub tasks: usize,
    /// `--partition`.
    pub partition: Option<String>,
    /// `--cpus-per-task`; the step then runs with as many worker threads.
    pub cpus_per_task: Option<usize>,
    /// `--mem`.
    pub mem: Option<String>,
    /// `--time`.
    pub time: Option<String>,
    /// `--account`.
    pub account: Option<String>,
    /// `--qos`.
    pub qos: Option<String>,
    /// Further `#SBATCH` arguments, verbatim.
    pub sbatch_args: Vec<String>,
}

/// The Slurm `--output` pattern of `step`: `<step>-%5a.log` for an array (`%5a` is the
/// array index zero-padded to five digits), `<step>-00000.log` for a single job; both the
/// names of `record::log_path`.
pub fn log_pattern(out: &Path, step: Step) -> PathBuf {
    let name = match is_array(step) {
        true => format!("{}-%5a.log", step.name()),
        false => format!("{}-00000.log", step.name()),
    };
    out.join(LOGS_DIR).join(name)
}

/// Whether `step` runs as a job array (scan, exact, fuzzy, emit), else as one job.
pub fn is_array(step: Step) -> bool {
    step.ranks(2) > 1
}

/// The text of `step`'s script, submitting the ranks `pending` (an array step) or its one
/// rank.
pub fn script_text(spec: &ScriptSpec, step: Step, pending: &[usize]) -> String {
    let name = step.name();
    let mut text = String::from("#!/bin/bash\n");
    let mut directive = |arg: String| {
        let _ = writeln!(text, "#SBATCH {arg}");
    };
    directive(format!("--job-name=pilecurate-{name}"));
    if is_array(step) {
        directive(format!("--array={}", array_spec(pending)));
    }
    let log = log_pattern(&spec.out, step);
    directive(format!("--output=\"{}\"", log.display()));
    let named = [
        ("partition", spec.partition.clone()),
        ("cpus-per-task", spec.cpus_per_task.map(|k| k.to_string())),
        ("mem", spec.mem.clone()),
        ("time", spec.time.clone()),
        ("account", spec.account.clone()),
        ("qos", spec.qos.clone()),
    ];
    for (option, value) in named {
        if let Some(value) = value {
            directive(format!("--{option}={value}"));
        }
    }
    for arg in &spec.sbatch_args {
        directive(arg.clone());
    }
    let _ = write!(
        text,
        "\n# Step {name} of a pilecurate run of {} tasks{}.\n\
         # `pilecurate status {}` says where the run stands; rerunning `pilecurate slurm`\n\
         # with the same arguments submits what is unfinished.\n",
        spec.tasks,
        match is_array(step) {
            true => ": array task R runs rank R",
            false => "",
        },
        shell_quote(&spec.out.to_string_lossy()),
    );
    let _ = writeln!(
        text,
        "cd {} || exit 1",
        shell_quote(&spec.workdir.to_string_lossy())
    );
    let _ = write!(
        text,
        "exec {} step {name} {} --tasks {} -o {}",
        shell_quote(&spec.binary.to_string_lossy()),
        shell_quote(&spec.config.to_string_lossy()),
        spec.tasks,
        shell_quote(&spec.out.to_string_lossy()),
    );
    if !is_array(step) {
        text.push_str(" --rank 0");
    }
    if spec.cpus_per_task.is_some() {
        text.push_str(" -j \"$SLURM_CPUS_PER_TASK\"");
    }
    text.push_str(" -q\n");
    text
}

/// Refuses an option value an `#SBATCH` line cannot carry as one word: empty, or holding
/// white space, a control character (a newline would end the comment line and run the rest
/// as a command), a quote, a backslash or `#` (sbatch splits and unquotes these lines).
pub fn check_directive_values(spec: &ScriptSpec) -> Result<()> {
    let named = [
        ("--partition", &spec.partition),
        ("--mem", &spec.mem),
        ("--time", &spec.time),
        ("--account", &spec.account),
        ("--qos", &spec.qos),
    ];
    let values = named
        .iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| (*name, v)))
        .chain(spec.sbatch_args.iter().map(|v| ("--sbatch-arg", v)));
    for (name, value) in values {
        let bad = value
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '\\' | '#'));
        if value.is_empty() || bad.is_some() {
            let what = bad.map_or("nothing".to_string(), |c| format!("{c:?}"));
            return Err(failure(
                FailureKind::Usage,
                format!(
                    "{name} {value:?} holds {what}, which an #SBATCH line cannot carry as one \
                     word; give a value without it (one --sbatch-arg per option)"
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses an output folder an `#SBATCH --output` line could not name.
pub fn check_directive_path(out: &Path) -> Result<()> {
    let text = out.to_string_lossy();
    if let Some(c) = text.chars().find(|c| matches!(c, '"' | '%' | '\\' | '\n')) {
        return Err(failure(
            FailureKind::Usage,
            format!(
                "the output folder {} holds {c:?}, which Slurm's --output file names cannot \
                 carry; choose a folder without it (-o)",
                out.display()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ScriptSpec {
        ScriptSpec {
            binary: "/opt/bin/pilecurate".into(),
            config: "/data/run config.toml".into(),
            workdir: "/home/me".into(),
            out: "/scratch/out".into(),
            tasks: 4,
            cpus_per_task: Some(8),
            sbatch_args: vec!["--exclusive".into()],
            ..ScriptSpec::default()
        }
    }

    #[test]
    fn an_array_step_submits_its_pending_ranks_and_logs_per_rank() {
        let text = script_text(&spec(), Step::Emit, &[1, 3]);
        assert!(
            text.contains("#SBATCH --job-name=pilecurate-emit\n"),
            "{text}"
        );
        assert!(text.contains("#SBATCH --array=1,3\n"), "{text}");
        assert!(text.contains("#SBATCH --output=\"/scratch/out/logs/emit-%5a.log\"\n"));
        assert!(text.contains("#SBATCH --cpus-per-task=8\n#SBATCH --exclusive\n"));
        assert!(text.ends_with(
            "cd /home/me || exit 1\nexec /opt/bin/pilecurate step emit '/data/run config.toml' --tasks 4 -o \
             /scratch/out -j \"$SLURM_CPUS_PER_TASK\" -q\n"
        ));
    }

    #[test]
    fn a_single_step_is_a_plain_job_of_rank_0() {
        let text = script_text(&spec(), Step::Cluster, &[0]);
        assert!(!text.contains("--array"), "{text}");
        assert!(text.contains("#SBATCH --output=\"/scratch/out/logs/cluster-00000.log\"\n"));
        assert!(text.contains(" --rank 0 "), "{text}");
    }

    #[test]
    fn a_folder_slurm_cannot_name_is_refused() {
        assert!(check_directive_path(Path::new("/scratch/100%")).is_err());
        assert!(check_directive_path(Path::new("/scratch/a b")).is_ok());
    }
}
