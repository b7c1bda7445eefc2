//! `pilecurate inspect`: a run's shards described and decoded as the run wrote them, and
//! damaged pairs or bad arguments refused with their exit codes.

use crate::util::{TestEnv, code, root, stable_report, stderr, zst_lines};

#[test]
fn inspect_describes_and_decodes_a_runs_shard() {
    let env = TestEnv::new();
    let config = root().join("data/pilecurate.toml");
    let out = env.path("out");
    let run = env.run(&["run", config.to_str().unwrap(), "-q", "-o", "out"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let report = stable_report(&out.join("report.json"));
    let github = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "Github")
        .unwrap();
    let prefix = out.join("megatron/Github_text_document");
    let tokenizer = root().join("data/tokenizer/gpt2/tokenizer.json");
    let args = |extra: &[&str]| {
        let mut args = vec![
            "inspect".to_string(),
            prefix.display().to_string(),
            "--tokenizer".to_string(),
            tokenizer.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let run_args = |extra: &[&str]| {
        let owned = args(extra);
        env.run(&owned.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let shown = run_args(&["--decode", "0"]);
    assert_eq!(code(&shown), 0, "{}", stderr(&shown));
    let text = String::from_utf8_lossy(&shown.stdout).into_owned();
    let sequences = github["sequences_out"].as_u64().unwrap();
    assert!(text.contains(&format!("sequences {sequences}\n")), "{text}");
    let tokens = github["tokens_out"].as_u64().unwrap();
    assert!(text.contains(&format!("tokens    {tokens}\n")), "{text}");
    assert!(text.contains("dtype U16"), "{text}");
    // Document 0 is the first curated Github document, then the end-of-document token.
    let first = &zst_lines(&out.join("docs/Github/part-00000.jsonl.zst"))[0];
    let expected = format!(
        "document 0:\n{}<|endoftext|>\n",
        first["text"].as_str().unwrap()
    );
    assert!(text.ends_with(&expected), "{text}");

    let beyond = run_args(&["--decode", &sequences.to_string()]);
    assert_eq!(code(&beyond), 2, "{}", stderr(&beyond));
    assert!(stderr(&beyond).contains(&format!("holds {sequences} documents")));

    // A truncated .idx, a .bin of the wrong size, a missing pair: input errors naming files.
    let idx = std::fs::read(prefix.with_extension("idx")).unwrap();
    let bin = std::fs::read(prefix.with_extension("bin")).unwrap();
    env.write("bad/t.idx", &idx[..idx.len() - 3]);
    env.write("bad/t.bin", &bin);
    env.write("short/t.idx", &idx);
    env.write("short/t.bin", &bin[..bin.len() - 2]);
    for (path, words) in [
        ("bad/t", "t.idx: not a valid Megatron index"),
        ("short/t.bin", "t.bin: does not match its index"),
        ("missing/t", "missing/t.idx"),
    ] {
        let refused = env.run(&["inspect", path]);
        assert_eq!(code(&refused), 4, "{path}: {}", stderr(&refused));
        assert!(
            stderr(&refused).contains(words),
            "{path}: {}",
            stderr(&refused)
        );
    }
}
