//! Disk-backed dedup through the binary: the same removals whatever the number of spilled
//! runs and threads, and a rerun after a corrupted intermediate file gives the same result.

use crate::util::{SOURCES, TestEnv, code, root, zst_lines};
use std::path::Path;

fn run(env: &TestEnv, name: &str, extra: &str, threads: &str) -> std::path::PathBuf {
    let input = format!("path = {:?}", root().join("data/sample/*.jsonl.gz"));
    let config = env.config(&format!("{name}.toml"), &[&input], &SOURCES, extra);
    let out = env.path(name);
    let args = [
        "run",
        config.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
        "-j",
        threads,
    ];
    let output = env.run(&args);
    assert!([0, 6].contains(&code(&output)), "{output:?}");
    out
}

fn duplicates(out: &Path) -> Vec<serde_json::Value> {
    zst_lines(&out.join("removed/duplicates.jsonl.zst"))
}

#[test]
fn many_runs_and_threads_give_the_same_removals() {
    let env = TestEnv::new();
    let memory = run(&env, "memory", "", "2");
    let spilled = run(&env, "spilled", "[dedup]\nmemory_budget = 60000", "1");
    let expected = duplicates(&memory);
    assert!(!expected.is_empty());
    assert!(
        expected
            .iter()
            .all(|r| r["cluster"].is_u64() && r["similarity"].is_f64())
    );
    assert_eq!(duplicates(&spilled), expected);
    let runs = std::fs::read_dir(spilled.join(".work/steps/scan/rank-00000"))
        .unwrap()
        .count();
    assert!(runs > 100, "only {runs} spill files");
    let report = std::fs::read_to_string(spilled.join("report.json")).unwrap();
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert!(report["header"]["varying"]["spill_runs"].as_u64().unwrap() > 5);
}

/// Intermediate files are checked against their rank's completion record: a flipped byte in
/// a key run, in the fuzzy pairs or in a partial shard, or a truncated file, gets its rank
/// redone, and the result is the same.
#[test]
fn a_corrupted_intermediate_file_is_redone() {
    let env = TestEnv::new();
    let out = run(&env, "out", "[dedup]\nmemory_budget = 200000", "2");
    let expected = duplicates(&out);
    let megatron = std::fs::read(out.join("megatron/Github_text_document.bin")).unwrap();
    let steps = out.join(".work/steps");
    let pairs = steps.join("fuzzy/rank-00000/pairs");
    let kept_pairs = std::fs::read(&pairs).unwrap();
    for name in [
        "scan/rank-00000/run-00000.p00000.band-000",
        "fuzzy/rank-00000/pairs",
        "emit/rank-00000/megatron/Github_text_document.bin",
    ] {
        let path = steps.join(name);
        let mut bytes = std::fs::read(&path).unwrap();
        let at = bytes.len() / 2;
        bytes[at] ^= 0x40;
        std::fs::write(&path, &bytes).unwrap();
    }
    let state = steps.join("cluster/rank-00000/state.json");
    let bytes = std::fs::read(&state).unwrap();
    std::fs::write(&state, &bytes[..bytes.len() - 3]).unwrap();
    let rerun = run(&env, "out", "[dedup]\nmemory_budget = 200000", "2");
    assert_eq!(duplicates(&rerun), expected);
    assert_eq!(std::fs::read(&pairs).unwrap(), kept_pairs);
    assert_eq!(
        std::fs::read(out.join("megatron/Github_text_document.bin")).unwrap(),
        megatron
    );
}

/// Exact-only dedup keys the text with the configured normalization: under `basic`, two
/// texts that differ only in punctuation are not duplicates; under the default `letters`,
/// they are.
#[test]
fn exact_only_dedup_follows_the_configured_normalization() {
    let env = TestEnv::new();
    let text = "The committee met on Tuesday and agreed to publish the report next month after review by the board";
    let quoted = format!("\"{}!\"", text.replace(' ', ", "));
    let lines: String = [text.to_string(), quoted]
        .iter()
        .map(|t| {
            format!(
                "{}\n",
                serde_json::json!({"text": t, "meta": {"pile_set_name": "Github"}})
            )
        })
        .collect();
    env.write("in.jsonl", lines.as_bytes());
    let removed = |normalization: &str| {
        let extra = format!("[dedup]\nfuzzy = false\nnormalization = {normalization:?}");
        let config = env.config(
            &format!("{normalization}.toml"),
            &["path = \"in.jsonl\""],
            &["Github"],
            &extra,
        );
        let config = std::fs::read_to_string(&config).unwrap().replace(
            &format!("filters = [{:?}]", root().join("filters/code.toml")),
            "",
        );
        let config = env.write(&format!("{normalization}.toml"), config.as_bytes());
        let out = env.path(normalization);
        let output = env.run_config(&config, &out, &[]);
        assert_eq!(code(&output), 0, "{}", crate::util::stderr(&output));
        duplicates(&out).len()
    };
    assert_eq!(removed("basic"), 0);
    assert_eq!(removed("letters"), 1);
}
