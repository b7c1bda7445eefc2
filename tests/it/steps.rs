//! A run as steps gives the bytes of one `pilecurate run`, whatever the task count; a run
//! killed at any point resumes to the same result without redoing finished ranks; a changed
//! task count is refused; a failing rank fails alone and is redone, with what depends on it
//! only, once its input is fixed.

use crate::util::{
    TestEnv, code, gzip, root, sample_lines, stable_markdown, stable_report, stderr, tree, zstd,
};
use std::path::{Path, PathBuf};

const STEPS: [&str; 6] = ["scan", "exact", "fuzzy", "cluster", "emit", "merge"];

/// The shipped sample cut into nine inputs of uneven sizes (plain, gzip and zstd), and the
/// shipped config reading them, with curated parts small enough to roll over.
fn split_sample(env: &TestEnv) -> PathBuf {
    let lines = sample_lines(usize::MAX);
    let cuts = [0, 40, 45, 300, 420, 421, 700, 900, 1000, lines.len()];
    for (i, pair) in cuts.windows(2).enumerate() {
        let mut text = lines[pair[0]..pair[1]].join("\n");
        text.push('\n');
        let (name, bytes) = match i % 3 {
            0 => (format!("in/part-{i}.jsonl.gz"), gzip(text.as_bytes())),
            1 => (format!("in/part-{i}.jsonl.zst"), zstd(text.as_bytes())),
            _ => (format!("in/part-{i}.jsonl"), text.into_bytes()),
        };
        env.write(&name, &bytes);
    }
    let data = root().join("data");
    let text = std::fs::read_to_string(data.join("pilecurate.toml"))
        .unwrap()
        .replace("\"sample/*.jsonl.gz\"", "\"in/part-*\"")
        .replace("docs_part_bytes = 268435456", "docs_part_bytes = 150000")
        .replace(
            "\"tokenizer/",
            &format!("\"{}/", data.join("tokenizer").display()),
        )
        .replace("\"eval/", &format!("\"{}/", data.join("eval").display()))
        .replace(
            "\"../filters/",
            &format!("\"{}/", root().join("filters").display()),
        );
    env.write("split.toml", text.as_bytes())
}

/// Runs every rank of every step through `pilecurate step`, ranks of a step in reverse.
fn run_steps(env: &TestEnv, config: &Path, out: &Path, tasks: usize) {
    for step in STEPS {
        let ranks = if matches!(step, "cluster" | "merge") {
            1
        } else {
            tasks
        };
        for rank in (0..ranks).rev() {
            let output = step_rank(env, config, out, step, tasks, rank);
            assert_eq!(code(&output), 0, "{step} {rank}: {}", stderr(&output));
        }
    }
}

fn step_rank(
    env: &TestEnv,
    config: &Path,
    out: &Path,
    step: &str,
    tasks: usize,
    rank: usize,
) -> std::process::Output {
    let (tasks, rank) = (tasks.to_string(), rank.to_string());
    let config = config.to_str().unwrap();
    let out = out.to_str().unwrap();
    let args = [
        "step", step, config, "--tasks", &tasks, "--rank", &rank, "-o", out, "-q",
    ];
    env.run(&args)
}

/// Two output folders hold the same run: every output file by name, `megatron/` and
/// `blend.txt` byte for byte, the `.jsonl.zst` files decompressed, the reports minus their
/// varying header.
pub fn assert_same_run(a: &Path, b: &Path) {
    let (files_a, files_b) = (tree(a), tree(b));
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&files_a), names(&files_b));
    for ((name, bytes_a), (_, bytes_b)) in files_a.iter().zip(&files_b) {
        if name.ends_with(".zst") {
            let text = |bytes: &[u8]| zstd::decode_all(bytes).unwrap();
            assert!(text(bytes_a) == text(bytes_b), "{name}: contents differ");
        } else if name.starts_with("megatron/") || name == "blend.txt" {
            assert!(bytes_a == bytes_b, "{name} differs");
        }
    }
    assert_eq!(
        stable_report(&a.join("report.json")),
        stable_report(&b.join("report.json"))
    );
    assert_eq!(
        stable_markdown(&a.join("report.md")),
        stable_markdown(&b.join("report.md"))
    );
}

/// `pilecurate run` finishes the folder `out` left part done, and gives what a fresh run
/// of the config on one machine gives.
fn finishes_as_one_run(env: &TestEnv, config: &Path, out: &Path) {
    let output = env.run_config(config, out, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let fresh = env.path("fresh-one-run");
    assert_eq!(code(&env.run_config(config, &fresh, &[])), 0);
    assert_same_run(&fresh, out);
}

fn report_tasks(out: &Path) -> u64 {
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    report["header"]["varying"]["tasks"].as_u64().unwrap()
}

#[test]
fn steps_give_the_bytes_of_one_run_for_any_task_count() {
    let env = TestEnv::new();
    let config = split_sample(&env);
    let base = env.path("base");
    let output = env.run_config(&config, &base, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let parts = std::fs::read_dir(base.join("docs/Github")).unwrap().count();
    assert!(parts > 1, "the curated parts must roll over for this test");
    for tasks in [1, 2, 3, 7] {
        let out = env.path(&format!("tasks-{tasks}"));
        run_steps(&env, &config, &out, tasks);
        assert_same_run(&base, &out);
        assert_eq!(report_tasks(&out), tasks as u64);
    }
    // `run --tasks` lays the run out as a cluster would, in one process.
    let local = env.path("local-3");
    let output = env.run_config(&config, &local, &["--tasks", "3"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_same_run(&base, &local);
}

/// Every completion record of a folder, by path: a rank that was not redone keeps its
/// record byte for byte (a redone one records a new wall time).
fn records(out: &Path) -> Vec<(String, Vec<u8>)> {
    crate::util::tree_all(&out.join(".work/steps"))
        .into_iter()
        .filter(|(name, _)| name.ends_with("done.json") && !name.starts_with("merge"))
        .collect()
}

#[test]
fn a_run_killed_anywhere_resumes_to_the_same_result_without_redoing_finished_ranks() {
    let env = TestEnv::new();
    let config = split_sample(&env);
    let base = env.path("base");
    assert_eq!(code(&env.run_config(&config, &base, &["--tasks", "2"])), 0);
    let mut points: Vec<String> = Vec::new();
    for (step, ranks) in [
        ("scan", 2),
        ("exact", 2),
        ("fuzzy", 2),
        ("cluster", 1),
        ("emit", 2),
    ] {
        for rank in 0..ranks {
            points.push(format!("{step}-{rank}:start"));
            points.push(format!("{step}-{rank}:record"));
        }
    }
    for point in [
        "scan-1:written",
        "fuzzy-0:recorded",
        "emit:closing",
        "emit-1:written",
        "merge-0:start",
        "merge:logs",
        "merge:sources",
        "merge:reports",
        "merge-0:record",
    ] {
        points.push(point.to_string());
    }
    assert!(points.len() >= 20);
    for (i, point) in points.iter().enumerate() {
        let out = env.path(&format!("killed-{i}"));
        let killed = std::process::Command::new(env!("CARGO_BIN_EXE_pilecurate"))
            .args(["run", config.to_str().unwrap(), "-q", "--tasks", "2", "-o"])
            .arg(&out)
            .env("PILECURATE_KILL_AT", point)
            .output()
            .unwrap();
        assert!(
            stderr(&killed).contains(&format!("killed at {point}")),
            "{point} was never reached: {}",
            stderr(&killed)
        );
        let before = records(&out);
        let rerun = env.run(&["run", config.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(code(&rerun), 0, "after {point}: {}", stderr(&rerun));
        let text = stderr(&rerun);
        assert!(text.contains("no longer running"), "after {point}: {text}");
        assert_same_run(&base, &out);
        let after = records(&out);
        for (name, bytes) in &before {
            let now = after.iter().find(|(n, _)| n == name).map(|(_, b)| b);
            assert_eq!(now, Some(bytes), "after {point}: {name} was redone");
        }
    }
}

#[test]
fn a_changed_task_count_is_refused_with_what_to_do() {
    let env = TestEnv::new();
    let config = split_sample(&env);
    let out = env.path("out");
    for rank in 0..2 {
        let output = step_rank(&env, &config, &out, "scan", 2, rank);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
    }
    let output = step_rank(&env, &config, &out, "scan", 3, 0);
    let message = stderr(&output);
    assert_ne!(code(&output), 0);
    assert!(
        message.contains("2 tasks") && message.contains("--tasks 2"),
        "{message}"
    );
    let output = step_rank(&env, &config, &out, "exact", 3, 0);
    assert!(stderr(&output).contains("--tasks 2"), "{}", stderr(&output));
    let output = env.run_config(&config, &out, &["--tasks", "4"]);
    assert!(stderr(&output).contains("--tasks 2"), "{}", stderr(&output));
    // A step whose earlier steps are not done says so.
    let output = step_rank(&env, &config, &out, "emit", 2, 0);
    assert!(
        stderr(&output).contains("step exact"),
        "{}",
        stderr(&output)
    );
    // Finishing with the same count works, and gives the one-machine result.
    finishes_as_one_run(&env, &config, &out);
}

#[test]
fn a_failing_rank_fails_alone_and_is_redone_with_its_dependents_only() {
    let env = TestEnv::new();
    let config = split_sample(&env);
    let base = env.path("base");
    assert_eq!(code(&env.run_config(&config, &base, &[])), 0);
    let bad = env.path("in/part-3.jsonl.gz");
    let good = std::fs::read(&bad).unwrap();
    std::fs::write(&bad, &good[..good.len() / 2]).unwrap();
    let out = env.path("out");
    let failed: Vec<usize> = (0..3)
        .filter(|&rank| code(&step_rank(&env, &config, &out, "scan", 3, rank)) != 0)
        .collect();
    assert_eq!(failed.len(), 1, "one rank reads the truncated file");
    let record = out.join(format!(
        ".work/steps/scan/rank-{:05}/failed.json",
        failed[0]
    ));
    let record = std::fs::read_to_string(&record).unwrap();
    assert!(record.contains("part-3.jsonl.gz"), "{record}");
    let before = records(&out);
    assert_eq!(before.len(), 2, "the other ranks finished");
    // In one process too, the step's other ranks run before the step fails.
    let local = env.path("local");
    let output = env.run_config(&config, &local, &["--tasks", "3"]);
    assert_eq!(code(&output), 4, "{}", stderr(&output));
    assert_eq!(records(&local).len(), 2, "{}", stderr(&output));
    std::fs::write(&bad, &good).unwrap();
    let rerun = env.run(&["run", config.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code(&rerun), 0, "{}", stderr(&rerun));
    assert_same_run(&base, &out);
    for (name, bytes) in &before {
        let now = std::fs::read(out.join(".work/steps").join(name)).unwrap();
        assert_eq!(&now, bytes, "{name} was redone");
    }
}

#[test]
fn an_altered_or_missing_rank_file_is_redone_never_trusted() {
    let env = TestEnv::new();
    let config = split_sample(&env);
    let out = env.path("out");
    assert_eq!(code(&env.run_config(&config, &out, &["--tasks", "3"])), 0);
    let steps = out.join(".work/steps");
    let expected = tree(&out);
    std::fs::remove_file(steps.join("scan/rank-00001/rejects.jsonl.zst")).unwrap();
    let shard = steps.join("emit/rank-00002/megatron/Github_text_document.idx");
    let mut bytes = std::fs::read(&shard).unwrap();
    bytes[20] ^= 1;
    std::fs::write(&shard, &bytes).unwrap();
    let rerun = env.run(&["run", config.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let text = stderr(&rerun);
    assert_eq!(code(&rerun), 0, "{text}");
    assert!(text.contains("scan rank 1: running again"), "{text}");
    assert!(text.contains("emit rank 2: running again"), "{text}");
    assert!(text.contains("exact rank 0: done before, reused"), "{text}");
    assert_eq!(tree(&out).len(), expected.len());
    let base = env.path("base");
    assert_eq!(code(&env.run_config(&config, &base, &[])), 0);
    assert_same_run(&base, &out);
}

/// The ranks of an array start together on a fresh folder: none may fail for want of the
/// folder's lock while a sibling writes the plan.
#[test]
fn scan_ranks_started_together_all_finish() {
    let env = TestEnv::new();
    let config = split_sample(&env);
    let out = env.path("out");
    let children: Vec<_> = (0..4)
        .map(|rank| {
            std::process::Command::new(env!("CARGO_BIN_EXE_pilecurate"))
                .args([
                    "step",
                    "scan",
                    config.to_str().unwrap(),
                    "--tasks",
                    "4",
                    "-q",
                    "-o",
                ])
                .arg(&out)
                .env("SLURM_ARRAY_TASK_ID", rank.to_string())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert_eq!(code(&output), 0, "{}", stderr(&output));
    }
    finishes_as_one_run(&env, &config, &out);
}

/// A plan edited or damaged on disk is never trusted: `run` starts over (every input read),
/// a later step refuses it; a rerun merge leaves no temporaries behind.
#[test]
fn a_damaged_plan_is_never_trusted() {
    let env = TestEnv::new();
    let config = split_sample(&env);
    let base = env.path("base");
    assert_eq!(code(&env.run_config(&config, &base, &["--tasks", "3"])), 0);
    for _ in 0..2 {
        let output = step_rank(&env, &config, &base, "merge", 3, 0);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
    }
    let names: Vec<String> = crate::util::tree_all(&base)
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert!(!names.iter().any(|n| n.contains(".tmp-")), "{names:?}");
    let out = env.path("out");
    assert_eq!(code(&env.run_config(&config, &out, &["--tasks", "3"])), 0);
    let plan_path = out.join(".work/steps/plan.json");
    let mut plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&plan_path).unwrap()).unwrap();
    let end = plan["shares"][1][1].clone();
    plan["shares"][1][0] = end;
    std::fs::write(&plan_path, serde_json::to_vec(&plan).unwrap()).unwrap();
    let output = step_rank(&env, &config, &out, "exact", 3, 0);
    assert_eq!(code(&output), 5, "{}", stderr(&output));
    assert!(stderr(&output).contains("damaged"), "{}", stderr(&output));
    let output = env.run(&["run", config.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(stderr(&output).contains("damaged"), "{}", stderr(&output));
    assert_same_run(&base, &out);
}

/// A scan rank redone on a changed input makes every later record stale: a later step run
/// by hand refuses to work from them, and `run` redoes them, giving what a fresh run gives.
#[test]
fn a_later_step_refuses_records_made_before_an_earlier_rank_was_redone() {
    let env = TestEnv::new();
    let config = split_sample(&env);
    let out = env.path("out");
    assert_eq!(code(&env.run_config(&config, &out, &["--tasks", "3"])), 0);
    let input = env.path("in/part-8.jsonl");
    let mut text = std::fs::read_to_string(&input).unwrap();
    text.push_str(&sample_lines(20).join("\n"));
    text.push('\n');
    std::fs::write(&input, text).unwrap();
    let plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(".work/steps/plan.json")).unwrap()).unwrap();
    let rank = (0..3)
        .find(|&r| plan["shares"][r][1].as_u64() == Some(9))
        .unwrap();
    let output = step_rank(&env, &config, &out, "scan", 3, rank);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let output = step_rank(&env, &config, &out, "emit", 3, 0);
    assert_ne!(code(&output), 0, "emit worked from stale dedup records");
    assert!(stderr(&output).contains("stale"), "{}", stderr(&output));
    finishes_as_one_run(&env, &config, &out);
}
