//! Bad records are counted by reason, logged with file:line, and never lost; damaged
//! compressed streams stop the run with an error naming the file.

use crate::util::{
    SOURCES, TestEnv, code, gzip, sample_lines, stable_report, stderr, zst_lines, zstd,
};

#[test]
fn bad_records_are_counted_logged_and_accounted_for() {
    let env = TestEnv::new();
    let good = sample_lines(3);
    let lines = [
        good[0].as_str(),
        "{\"text\": \"unterminated",
        "[\"an-id\", \"an array is not a document\"]",
        "{\"meta\": {}}",
        "{\"text\": null}",
        "{\"text\": 42}",
        "{\"text\": \"\"}",
        "",
        good[1].as_str(),
        "{\"text\": \"no source here\", \"meta\": {\"pile_set_name\": \"Nowhere\"}}",
        good[2].as_str(),
    ];
    let mut bytes = lines.join("\n").into_bytes();
    bytes.extend(b"\n{\"text\": \"bad \xff\xfe utf8\"}\n");
    env.write("in/bad.jsonl", &bytes);
    let config = env.config(
        "bad.toml",
        &["path = \"in/bad.jsonl\""],
        &SOURCES,
        "[run]\non_unknown_source = \"reject\"",
    );
    let out = env.path("out");
    let output = env.run_config(&config, &out, &[]);
    assert_eq!(code(&output), 6, "rejects give exit 6: {}", stderr(&output));
    assert!(stderr(&output).contains("rejected"));

    let rejects = zst_lines(&out.join("rejects/rejects.jsonl.zst"));
    let reasons: Vec<(&str, u64)> = rejects
        .iter()
        .map(|r| (r["reason"].as_str().unwrap(), r["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("malformed_json", 2),
            ("not_object", 3),
            ("missing_text", 4),
            ("bad_text_type", 5),
            ("bad_text_type", 6),
            ("empty_text", 7),
            ("blank_line", 8),
            ("unknown_source", 10),
            ("invalid_utf8", 12),
        ]
    );
    assert!(
        rejects
            .iter()
            .all(|r| r["file"].as_str().unwrap().ends_with("bad.jsonl"))
    );

    let report = stable_report(&out.join("report.json"));
    let attributed: u64 = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["records_read"].as_u64().unwrap())
        .sum();
    let read = attributed
        + report["unattributed_rejects"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>();
    assert_eq!(read, 12, "every line is accounted for");

    let again = env.run(&[
        "run",
        config.to_str().unwrap(),
        "-q",
        "--allow-rejects",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
}

#[test]
fn truncated_streams_are_errors_naming_the_file() {
    let env = TestEnv::new();
    let mut text = sample_lines(200).join("\n");
    text.push('\n');
    let gz = gzip(text.as_bytes());
    let zst = zstd(text.as_bytes());
    env.write("in/cut.jsonl.gz", &gz[..gz.len() / 2]);
    env.write("in/cut.jsonl.zst", &zst[..zst.len() / 2]);
    for file in ["cut.jsonl.gz", "cut.jsonl.zst"] {
        let input = format!("path = \"in/{file}\"\nsource = \"Reference\"");
        let config = env.config(&format!("{file}.toml"), &[&input], &["Reference"], "");
        let out = env.path(&format!("out-{file}"));
        let output = env.run_config(&config, &out, &[]);
        assert_eq!(code(&output), 4, "{file}: {}", stderr(&output));
        let message = stderr(&output);
        assert!(message.contains(file), "{message}");
        assert!(message.contains("line"), "{message}");
    }
}
