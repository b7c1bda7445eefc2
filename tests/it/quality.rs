//! `pilecurate quality train` on the shipped sample: deterministic model bytes, a held-out
//! accuracy line, and a clear error when a class has no documents.

use crate::util::{TestEnv, root};
use std::process::Command;

fn train(env: &TestEnv, out: &str, negative: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pilecurate"))
        .args([
            "quality",
            "train",
            "--positive",
            "Wikipedia (en)",
            "US State of the Union",
        ])
        .args(["--negative", negative, "--bits", "12", "--input"])
        .arg(root().join("data/sample/sample.jsonl.gz"))
        .arg("--out")
        .arg(env.path(out))
        .output()
        .expect("run pilecurate")
}

#[test]
fn trains_deterministically_and_reports_held_out_accuracy() {
    let env = TestEnv::new();
    let first = train(&env, "a.bin", "Emails");
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(stdout.contains("held-out accuracy"), "{stdout}");
    assert!(train(&env, "b.bin", "Emails").status.success());
    let a = std::fs::read(env.path("a.bin")).expect("model a");
    assert_eq!(a, std::fs::read(env.path("b.bin")).expect("model b"));
    assert_eq!(&a[..8], b"PCQUALTY");
    assert_eq!(a.len(), 20 + 4 * (1 << 12) + 8);
}

#[test]
fn refuses_a_negative_source_without_documents() {
    let env = TestEnv::new();
    let output = train(&env, "c.bin", "No Such Source");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("no training documents of the negative class"),
        "{stderr}"
    );
    assert!(!env.path("c.bin").exists());
}
