//! The `pilecurate` binary: parse arguments, resolve the config, run, map the outcome to an
//! exit code. Everything else lives in the library.

use clap::Parser;
use pilecurate::bench;
use pilecurate::cli::{
    Cli, Command, DEFAULT_CONFIG, EngineArg, InspectArgs, QualityCommand, QualityTrainArgs,
    RunArgs, SlurmArgs, StepArgs,
};
use pilecurate::config::{Config, Overrides};
use pilecurate::error::{FailureKind, kind_of};
use pilecurate::pipeline::{self, RunOptions};
use pilecurate::quality;
use pilecurate::report::RunReport;
use pilecurate::tokenize::Engine;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code of a run that finished but rejected some records.
const EXIT_REJECTS: u8 = 6;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) if args.dry_run => check(args),
        Command::Run(args) => run(args),
        Command::Check(args) => check(args),
        Command::Inspect(args) => inspect(args),
        Command::Bench(args) => bench::run(&args).map(|()| 0),
        Command::BenchDedup(args) => pilecurate::dedup_bench::run(&args).map(|()| 0),
        Command::Quality(QualityCommand::Train(args)) => quality_train(args),
        Command::Step(args) => step(args),
        Command::Slurm(args) => slurm(args),
        Command::Status(args) => pilecurate::cluster::status::report(&args.out).map(|text| {
            print!("{text}");
            0
        }),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(kind_of(&err).map_or(1, |kind| kind.exit_code()))
        }
    }
}

fn load_config(args: &RunArgs) -> anyhow::Result<Config> {
    let path = args
        .config
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG));
    let overrides = Overrides {
        output: args.output.clone(),
        threads: args.threads,
        engine: args.tokenizer_engine.map(|e| match e {
            EngineArg::Auto => Engine::Auto,
            EngineArg::Hf => Engine::Hf,
            EngineArg::Fast => Engine::Fast,
        }),
    };
    Config::load(&path, &overrides)
}

/// `pilecurate check` (and `run --dry-run`): what a run would find wrong, without running.
fn check(args: RunArgs) -> anyhow::Result<u8> {
    let config = load_config(&args)?;
    let report = pipeline::check(&config, args.force)?;
    for line in &report.lines {
        println!("{line}");
    }
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    let Some(first) = report.problems.first() else {
        println!("ok: the run can start");
        let rejects = report.rejects_expected && !args.allow_rejects;
        return Ok(if rejects { EXIT_REJECTS } else { 0 });
    };
    for problem in &report.problems {
        eprintln!("problem: {problem:#}");
    }
    eprintln!(
        "{} problem(s): the run would stop on them; fix each and check again",
        report.problems.len()
    );
    Ok(kind_of(first).map_or(1, |kind| kind.exit_code()))
}

fn run(args: RunArgs) -> anyhow::Result<u8> {
    let config = load_config(&args)?;
    let options = RunOptions {
        quiet: args.quiet,
        force: args.force,
        tasks: args.tasks.map(usize::try_from).transpose()?,
    };
    pipeline::interrupt::install_handler()?;
    let outcome = pipeline::run(&config, &options).map_err(|err| {
        if kind_of(&err) == Some(FailureKind::Interrupted) {
            err.context(format!(
                "the run into {} stopped before finishing (its run.json says running); rerun \
                 the same command to start it again",
                config.output_dir.display()
            ))
        } else {
            err
        }
    })?;
    if !args.quiet {
        print_summary(&outcome.report, &config);
    }
    Ok(rejects_exit(
        outcome.rejected,
        &config,
        args.quiet,
        args.allow_rejects,
    ))
}

/// The exit code of a finished run that rejected `rejected` records, said on stderr.
fn rejects_exit(rejected: u64, config: &Config, quiet: bool, allow_rejects: bool) -> u8 {
    if rejected == 0 {
        return 0;
    }
    // Said even under -q: it explains the exit code.
    let _ = quiet;
    eprintln!(
        "rejected: {rejected} records (exit 6 unless --allow-rejects); see {}",
        config
            .output_dir
            .join("rejects/rejects.jsonl.zst")
            .display()
    );
    if allow_rejects { 0 } else { EXIT_REJECTS }
}

/// `pilecurate step`: one rank of one step; its rank from --rank or the environment.
fn step(args: StepArgs) -> anyhow::Result<u8> {
    use pilecurate::error::failure;
    use pilecurate::pipeline::steps::{Step, StepOutcome, run_step};
    let step = Step::from_name(&args.step).expect("clap checked the name");
    let run_args = RunArgs {
        config: args.config,
        output: args.output,
        threads: args.threads,
        tokenizer_engine: None,
        quiet: args.quiet,
        force: false,
        allow_rejects: args.allow_rejects,
        dry_run: false,
        tasks: None,
    };
    let config = load_config(&run_args)?;
    let from_env = std::env::var(&args.rank_env).ok();
    let rank = match (args.rank, from_env) {
        (Some(rank), _) => rank,
        (None, Some(value)) => value.trim().parse::<u64>().map_err(|_| {
            failure(
                FailureKind::Usage,
                format!(
                    "{}={value:?} is not a rank (a number from 0); pass --rank R instead",
                    args.rank_env
                ),
            )
        })?,
        (None, None) if step.ranks(usize::MAX) == 1 => 0,
        (None, None) => {
            return Err(failure(
                FailureKind::Usage,
                format!(
                    "which rank of step {}? pass --rank R, or run it as an array task that \
                     sets {} (name another variable with --rank-env)",
                    step.name(),
                    args.rank_env
                ),
            ));
        }
    };
    pipeline::interrupt::install_handler()?;
    let tasks = usize::try_from(args.tasks)?;
    let rank = usize::try_from(rank)?;
    let outcome = run_step(&config, step, rank, tasks, args.quiet).map_err(|err| {
        if kind_of(&err) == Some(FailureKind::Interrupted) {
            err.context(format!(
                "rank {rank} of step {} stopped before finishing; run the same command again \
                 to redo it (what other ranks finished is kept)",
                step.name()
            ))
        } else {
            err
        }
    })?;
    match outcome {
        StepOutcome::Ran(Some(merged)) if merged.1 > 0 => {
            if !args.quiet {
                print_summary(&merged.0, &config);
            }
            return Ok(rejects_exit(
                merged.1,
                &config,
                args.quiet,
                args.allow_rejects,
            ));
        }
        StepOutcome::Reused if !args.quiet => {
            eprintln!(
                "{} rank {rank}: done before and its files check out; nothing to do",
                step.name()
            );
        }
        StepOutcome::Ran(Some(merged)) if !args.quiet => print_summary(&merged.0, &config),
        _ => {}
    }
    Ok(0)
}

/// `pilecurate slurm`: write the step scripts, submit the unfinished steps, say how to follow.
fn slurm(args: SlurmArgs) -> anyhow::Result<u8> {
    use pilecurate::cluster::script::ScriptSpec;
    use pilecurate::cluster::slurm::{SlurmOptions, submit, summary};
    let config_path = args.config.unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG));
    let overrides = Overrides {
        output: args.output,
        ..Overrides::default()
    };
    let config = Config::load(&config_path, &overrides)?;
    let options = SlurmOptions {
        spec: ScriptSpec {
            tasks: usize::try_from(args.tasks)?,
            partition: args.partition,
            cpus_per_task: args.cpus_per_task.map(usize::try_from).transpose()?,
            mem: args.mem,
            time: args.time,
            account: args.account,
            qos: args.qos,
            sbatch_args: args.sbatch_arg,
            ..ScriptSpec::default()
        },
        dry_run: args.dry_run,
        force: args.force,
        quiet: args.quiet,
    };
    let jobs = submit(&config, &options)?;
    print!("{}", summary(&jobs, &config.output_dir, &options));
    Ok(0)
}

/// `pilecurate inspect`: validate and describe a Megatron pair, maybe decode a document.
fn inspect(args: InspectArgs) -> anyhow::Result<u8> {
    use std::io::Write;
    let pair = pilecurate::inspect::open(&args.prefix)?;
    let mut text = pilecurate::inspect::describe(&pair);
    if let Some(n) = args.decode {
        let document = pilecurate::inspect::decode_document(&pair, n, &args.tokenizer)?;
        text.push_str(&format!("document {n}:\n{document}\n"));
    }
    // A reader that stops early (`| head`) is not an error.
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(0),
    }
}

fn quality_train(args: QualityTrainArgs) -> anyhow::Result<u8> {
    let options = quality::TrainOptions {
        positive: args.positive,
        negative: args.negative,
        inputs: args.input,
        out: args.out,
        holdout: args.holdout,
        hyper: quality::Hyper {
            bits: args.bits,
            epochs: args.epochs,
            learning_rate: 0.5,
            l2: 1e-6,
            seed: args.seed,
        },
    };
    let s = quality::train(&options)?;
    println!(
        "trained on {} positive and {} negative documents; held out {} positive and {} negative",
        s.train.0, s.train.1, s.held_out.0, s.held_out.1
    );
    println!("held-out accuracy {:.4}, AUC {:.4}", s.accuracy, s.auc);
    println!("model written to {}", options.out.display());
    Ok(0)
}

fn print_summary(report: &RunReport, config: &Config) {
    let read: u64 = report.sources.iter().map(|s| s.docs_read).sum();
    let out: u64 = report.sources.iter().map(|s| s.docs_out).sum();
    let tokens: u64 = report.sources.iter().map(|s| s.tokens_out).sum();
    let warnings = pilecurate::report::warnings(report);
    let noted = match warnings.len() {
        0 => String::new(),
        1 => " (1 warning, below and at its top)".to_string(),
        n => format!(" ({n} warnings, below and at its top)"),
    };
    eprintln!(
        "{read} documents read, {out} kept, {tokens} tokens written in {:.1} s; report: {}{noted}",
        report.header.total_seconds,
        config.output_dir.join("report.md").display()
    );
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}
