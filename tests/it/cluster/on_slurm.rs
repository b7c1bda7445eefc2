//! A real run on Slurm, where one answers (`scripts/local-slurm.sh start` makes one):
//! `pilecurate slurm --tasks 4` on the sample split into four inputs gives what
//! `pilecurate run` gives.

use super::{read, stdout};
use crate::util::{
    TestEnv, code, gzip, root, sample_lines, stable_markdown, stable_report, stderr, tree,
    zst_lines,
};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Whether a Slurm answers here: sbatch on PATH and sinfo reaching a controller.
fn slurm_answers() -> bool {
    let sinfo = Command::new("sinfo").arg("-h").output();
    let sbatch = Command::new("sbatch").arg("--version").output();
    matches!((sinfo, sbatch), (Ok(a), Ok(b)) if a.status.success() && b.status.success())
}

/// data/pilecurate.toml with the sample split into four inputs (one per rank), the
/// config's other files named by absolute paths.
fn split_sample_config(env: &TestEnv) -> PathBuf {
    let data = root().join("data");
    let text = read(&data.join("pilecurate.toml"))
        .replace("\"tokenizer/", &format!("\"{}/tokenizer/", data.display()))
        .replace("\"eval/", &format!("\"{}/eval/", data.display()))
        .replace("\"../filters/", &format!("\"{}/filters/", root().display()))
        .replace("\"sample/*.jsonl.gz\"", "\"parts/*.jsonl.gz\"");
    let lines = sample_lines(usize::MAX);
    for (i, chunk) in lines.chunks(lines.len().div_ceil(4)).enumerate() {
        let part = chunk.join("\n") + "\n";
        env.write(&format!("parts/part-{i}.jsonl.gz"), &gzip(part.as_bytes()));
    }
    env.write("pilecurate.toml", text.as_bytes())
}

/// Every `.jsonl.zst` under `dir`, decompressed, by relative path.
fn zst_contents(dir: &Path) -> Vec<(String, Vec<serde_json::Value>)> {
    tree(dir)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".jsonl.zst"))
        .map(|(name, _)| (name.clone(), zst_lines(&dir.join(&name))))
        .collect()
}

#[test]
fn a_run_on_slurm_gives_what_pilecurate_run_gives() {
    if !slurm_answers() {
        eprintln!("skipped: no Slurm (sbatch not on PATH or sinfo does not answer)");
        return;
    }
    let env = TestEnv::new();
    let config = split_sample_config(&env);
    let config_word = config.to_str().unwrap();
    let started = Instant::now();
    let submitted = env.run(&["slurm", config_word, "--tasks", "4", "-o", "on-slurm"]);
    assert_eq!(code(&submitted), 0, "{}", stderr(&submitted));
    eprintln!("{}", stdout(&submitted));
    let text = loop {
        let output = env.run(&["status", "on-slurm"]);
        let text = stdout(&output);
        if text.contains("\ncomplete: ") {
            break text;
        }
        let names = "pilecurate-scan,pilecurate-exact,pilecurate-fuzzy,pilecurate-cluster,\
                     pilecurate-emit,pilecurate-merge";
        let queue = Command::new("squeue").args(["-h", "-n", names]).output();
        let queued = queue.map(|o| !o.stdout.is_empty()).unwrap_or(false);
        let logs = tree(&env.path("on-slurm/logs"));
        let logs: Vec<String> = logs
            .iter()
            .map(|(n, b)| format!("{n}:\n{}", String::from_utf8_lossy(b)))
            .collect();
        assert!(
            queued,
            "no job queued and not complete:\n{text}\n{}",
            logs.join("\n")
        );
        let waited = started.elapsed();
        assert!(
            waited < Duration::from_secs(300),
            "not done after {waited:?}:\n{text}"
        );
        std::thread::sleep(Duration::from_secs(1));
    };
    eprintln!(
        "done on Slurm in {:.1} s:\n{text}",
        started.elapsed().as_secs_f64()
    );

    // The same command again finds the run complete and leaves it alone.
    let again = env.run(&["slurm", config_word, "--tasks", "4", "-o", "on-slurm"]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert!(
        stdout(&again).contains("nothing to submit"),
        "{}",
        stdout(&again)
    );

    let here = env.run_config(&config, &env.path("here"), &[]);
    assert_eq!(code(&here), 0, "{}", stderr(&here));
    let (slurm, local) = (env.path("on-slurm"), env.path("here"));
    assert_eq!(tree(&slurm.join("megatron")), tree(&local.join("megatron")));
    assert!(!tree(&local.join("megatron")).is_empty());
    assert_eq!(
        read(&slurm.join("blend.txt")),
        read(&local.join("blend.txt"))
    );
    assert_eq!(
        stable_report(&slurm.join("report.json")),
        stable_report(&local.join("report.json"))
    );
    assert_eq!(
        stable_markdown(&slurm.join("report.md")),
        stable_markdown(&local.join("report.md"))
    );
    for folder in ["docs", "removed", "rejects"] {
        let (a, b) = (
            zst_contents(&slurm.join(folder)),
            zst_contents(&local.join(folder)),
        );
        let names = |files: &[(String, Vec<serde_json::Value>)]| {
            files
                .iter()
                .map(|(n, l)| (n.clone(), l.len()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&a),
            names(&b),
            "{folder}/: files and line counts differ"
        );
        for ((name, slurm_lines), (_, local_lines)) in a.iter().zip(&b) {
            assert!(slurm_lines == local_lines, "{folder}/{name} differs");
        }
    }
    assert!(!zst_contents(&slurm.join("docs")).is_empty());
}
