//! `pilecurate slurm` and `pilecurate status`: the scripts a dry run writes, what a resumed
//! run submits, the status of a folder with done, failed and unstarted steps, and (where a
//! Slurm answers) a real run on Slurm giving exactly what `pilecurate run` gives.

mod on_slurm;

use crate::util::{SOURCES, TestEnv, code, gzip, root, sample_lines, stderr, tree};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `pilecurate step STEP CONFIG --tasks 4 -o OUT --rank R`, its stderr written to the
/// rank's log as a Slurm job's would be.
fn step(env: &TestEnv, config: &Path, step: &str, rank: usize) -> Output {
    let (config, out) = (config.to_str().unwrap(), env.path("out"));
    let rank_word = rank.to_string();
    let args = [
        "step", step, config, "--tasks", "4", "-o", "out", "-q", "--rank", &rank_word,
    ];
    let output = env.run(&args);
    let log = out.join(format!("logs/{step}-{rank:05}.log"));
    std::fs::write(log, &output.stderr).unwrap();
    output
}

#[test]
fn a_dry_run_writes_a_script_per_step_and_a_rerun_submits_only_what_is_unfinished() {
    let env = TestEnv::new();
    let config = root().join("data/pilecurate.toml");
    let config_word = config.to_str().unwrap();
    let dry_run = |extra: &[&str]| {
        let mut args = vec![
            "slurm",
            config_word,
            "--tasks",
            "4",
            "-o",
            "out",
            "--dry-run",
        ];
        args.extend_from_slice(extra);
        env.run(&args)
    };
    let resources = [
        "--partition=cpu",
        "--cpus-per-task=2",
        "--mem=4G",
        "--time=1:00:00",
    ];
    let first = dry_run(&[&resources[..], &["--sbatch-arg=--exclusive"]].concat());
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let out = std::path::absolute(env.path("out")).unwrap();
    let scripts = out.join("slurm");
    let names: Vec<String> = tree(&scripts).into_iter().map(|(n, _)| n).collect();
    let expected = ["cluster", "emit", "exact", "fuzzy", "merge", "scan"];
    assert_eq!(names, expected.map(|s| format!("{s}.sbatch")));
    let exe = env!("CARGO_BIN_EXE_pilecurate");
    for step in ["scan", "exact", "fuzzy", "emit"] {
        let text = read(&scripts.join(format!("{step}.sbatch")));
        for line in [
            format!("#SBATCH --job-name=pilecurate-{step}\n"),
            "#SBATCH --array=0-3\n".to_string(),
            format!(
                "#SBATCH --output=\"{}/logs/{step}-%5a.log\"\n",
                out.display()
            ),
            "#SBATCH --partition=cpu\n#SBATCH --cpus-per-task=2\n#SBATCH --mem=4G\n".into(),
            "#SBATCH --time=1:00:00\n".into(),
            "#SBATCH --exclusive\n".into(),
            format!(
                "exec {exe} step {step} {config_word} --tasks 4 -o {} -j \
                 \"$SLURM_CPUS_PER_TASK\" -q\n",
                out.display()
            ),
        ] {
            assert!(
                text.contains(&line),
                "{step}.sbatch lacks {line:?}:\n{text}"
            );
        }
    }
    for step in ["cluster", "merge"] {
        let text = read(&scripts.join(format!("{step}.sbatch")));
        assert!(!text.contains("--array"), "{text}");
        let log = format!(
            "#SBATCH --output=\"{}/logs/{step}-00000.log\"\n",
            out.display()
        );
        assert!(text.contains(&log), "{text}");
        assert!(
            text.contains(&format!("step {step} {config_word} ")),
            "{text}"
        );
        assert!(text.contains(" --rank 0 "), "{text}");
    }
    let listed = stdout(&first);
    assert!(listed.contains("scan=$(sbatch --parsable "), "{listed}");
    assert!(
        listed.contains("exact=$(sbatch --parsable --dependency=afterok:$scan "),
        "{listed}"
    );
    assert!(
        out.join("logs").is_dir(),
        "the log folder exists before any job"
    );

    // Scan ranks 0 and 2 done: the array holds 1 and 3.
    for rank in [0, 2] {
        assert_eq!(code(&step(&env, &config, "scan", rank)), 0);
    }
    assert_eq!(code(&dry_run(&[])), 0);
    let scan = read(&scripts.join("scan.sbatch"));
    assert!(scan.contains("#SBATCH --array=1,3\n"), "{scan}");
    assert!(
        !scan.contains("cpus-per-task"),
        "a rerun asks for what it is given"
    );

    // Every scan rank done: the scan is not submitted, the chain starts at exact.
    for rank in [1, 3] {
        assert_eq!(code(&step(&env, &config, "scan", rank)), 0);
    }
    let second = dry_run(&[]);
    let listed = stdout(&second);
    assert!(listed.contains("(done, not submitted)"), "{listed}");
    assert!(!listed.contains("scan=$("), "{listed}");
    assert!(listed.contains("exact=$(sbatch --parsable /"), "{listed}");
    assert!(listed.contains("merge=$(sbatch --parsable --dependency=afterok:$emit"));

    // Another task count is refused with the plan's own advice.
    let other = env.run(&[
        "slurm",
        config_word,
        "--tasks",
        "3",
        "-o",
        "out",
        "--dry-run",
    ]);
    assert_ne!(code(&other), 0);
    assert!(stderr(&other).contains("--tasks 4"), "{}", stderr(&other));

    // Without sbatch, a submission says what to do.
    let no_slurm = Command::new(exe)
        .args(["slurm", config_word, "--tasks", "4", "-o", "out"])
        .current_dir(env.dir.path())
        .env("PATH", env.path("empty"))
        .output()
        .unwrap();
    assert_eq!(code(&no_slurm), 2, "{}", stderr(&no_slurm));
    let text = stderr(&no_slurm);
    assert!(
        text.contains("sbatch is not on PATH") && text.contains("--dry-run"),
        "{text}"
    );
}

/// Four inputs of the sample, one per rank; `tweak` rewrites the lines of the second.
fn four_inputs(env: &TestEnv, tweak: impl Fn(String) -> String) -> Vec<PathBuf> {
    let lines = sample_lines(400);
    let mut paths = Vec::new();
    for (i, chunk) in lines.chunks(100).enumerate() {
        let mut text = chunk.join("\n") + "\n";
        if i == 1 {
            text = tweak(text);
        }
        paths.push(env.write(&format!("in-{i}.jsonl.gz"), &gzip(text.as_bytes())));
    }
    paths
}

fn status(env: &TestEnv) -> String {
    let output = env.run(&["status", "out"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    stdout(&output)
}

/// A config reading the four inputs (`extra` on top), its folder prepared by a dry run.
fn inputs_config(env: &TestEnv, extra: &str) -> PathBuf {
    let inputs: Vec<String> = (0..4)
        .map(|i| format!("path = \"in-{i}.jsonl.gz\""))
        .collect();
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let config = env.config("c.toml", &inputs, &SOURCES, extra);
    let config_word = config.to_str().unwrap();
    let dry = env.run(&[
        "slurm",
        config_word,
        "--tasks",
        "4",
        "-o",
        "out",
        "--dry-run",
    ]);
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    config
}

#[test]
fn status_names_the_input_of_a_failed_rank_and_says_what_to_run_next() {
    let env = TestEnv::new();
    // Rank 1's input names a source the config does not declare.
    four_inputs(&env, |text| {
        let at = text.find("\"pile_set_name\": \"").unwrap() + 18;
        let end = at + text[at..].find('"').unwrap();
        format!("{}Nowhere Land{}", &text[..at], &text[end..])
    });
    let config = inputs_config(&env, "[run]\non_unknown_source = \"error\"");
    for rank in 0..4 {
        let output = step(&env, &config, "scan", rank);
        assert_eq!(
            code(&output) == 0,
            rank != 1,
            "rank {rank}: {}",
            stderr(&output)
        );
    }
    let text = status(&env);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[1].starts_with("scan     3/4 done, 1 failed"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("  rank 1: failed: ") && lines[2].contains("in-1.jsonl.gz"),
        "{text}"
    );
    assert!(lines[3].contains("logs/scan-00001.log"), "{text}");
    for line in ["exact    0/4 not started", "merge    0/1 not started"] {
        assert!(lines.contains(&line), "{text}");
    }
    assert!(text.contains("next: pilecurate slurm "), "{text}");
    assert!(
        text.contains("pilecurate step scan ") && text.contains("--rank 1\n"),
        "{text}"
    );
}

#[test]
fn status_shows_done_steps_a_failed_and_a_running_rank_and_steps_not_started() {
    let env = TestEnv::new();
    let inputs = four_inputs(&env, |text| text);
    let config = inputs_config(&env, "");
    for (name, ranks) in [("scan", 4), ("exact", 4), ("fuzzy", 4), ("cluster", 1)] {
        for rank in 0..ranks {
            let output = step(&env, &config, name, rank);
            assert_eq!(code(&output), 0, "{name} {rank}: {}", stderr(&output));
        }
    }
    assert_eq!(code(&step(&env, &config, "emit", 0)), 0);
    // Rank 1's input is cut short after it was scanned: its emit fails, naming it.
    let bytes = std::fs::read(&inputs[1]).unwrap();
    std::fs::write(&inputs[1], &bytes[..bytes.len() - 40]).unwrap();
    assert_ne!(code(&step(&env, &config, "emit", 1)), 0);
    // Rank 2 is held by a process on another machine.
    let lock = env.path("out/.work/steps/emit/rank-00002/.pilecurate.lock");
    let owner = r#"{"host":"node-7","pid":4242,"command":"pilecurate step emit","started":null}"#;
    env.write(
        lock.strip_prefix(env.dir.path()).unwrap().to_str().unwrap(),
        owner.as_bytes(),
    );

    let text = status(&env);
    for start in ["scan     4/4 done  (slowest ", "cluster  1/1 done  ("] {
        assert!(
            text.lines().any(|l| l.starts_with(start)),
            "{start}:\n{text}"
        );
    }
    let lines: Vec<&str> = text.lines().collect();
    let emit = lines.iter().position(|l| l.starts_with("emit ")).unwrap();
    assert_eq!(
        lines[emit], "emit     1/4 done, 1 running, 1 failed, 1 not started",
        "{text}"
    );
    assert!(
        lines[emit + 1].starts_with("  rank 1: failed: ")
            && lines[emit + 1].contains("in-1.jsonl.gz"),
        "{text}"
    );
    assert!(lines[emit + 2].contains("logs/emit-00001.log"), "{text}");
    assert!(
        text.contains("  rank 2: running on node-7 (4242)\n"),
        "{text}"
    );
    assert!(text.contains("merge    0/1 not started\n"), "{text}");
    assert!(
        text.contains("next: wait for the 1 running rank(s)"),
        "{text}"
    );
}

/// Values an `#SBATCH` line cannot carry (a newline would run the rest as a command) are
/// refused; a dry run on a finished folder deletes nothing.
#[test]
fn a_dry_run_refuses_values_sbatch_cannot_carry_and_touches_no_output() {
    let env = TestEnv::new();
    let config = root().join("data/pilecurate.toml");
    let config_word = config.to_str().unwrap();
    for bad in [
        "--partition=cpu\ntouch /tmp/pilecurate-pwned",
        "--sbatch-arg=--exclusive\ntouch /tmp/pilecurate-pwned",
        "--partition=a b",
        "--mem=",
        "--account=x#y",
    ] {
        let output = env.run(&[
            "slurm",
            config_word,
            "--tasks",
            "2",
            "-o",
            "out",
            "--dry-run",
            bad,
        ]);
        assert_eq!(code(&output), 2, "{bad:?}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("#SBATCH line"),
            "{}",
            stderr(&output)
        );
    }
    let output = env.run_config(&config, &env.path("out"), &["--tasks", "2"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let shard = env.path("out/megatron/Github_text_document.bin");
    let bytes = std::fs::read(&shard).unwrap();
    std::fs::write(&shard, &bytes[..bytes.len() / 2]).unwrap();
    let before = tree(&env.path("out"));
    let output = env.run(&[
        "slurm",
        config_word,
        "--tasks",
        "2",
        "-o",
        "out",
        "--dry-run",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let after: Vec<_> = tree(&env.path("out"))
        .into_iter()
        .filter(|(name, _)| !name.starts_with("slurm/"))
        .collect();
    assert_eq!(after, before, "a dry run changed the outputs");
}
