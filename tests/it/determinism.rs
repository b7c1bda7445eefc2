//! Same input and config give byte-identical outputs: whatever the thread count, and whether
//! the input is plain, gzip or zstd jsonl.

use crate::util::{
    SOURCES, TestEnv, code, gzip, root, sample_lines, stable_markdown, stable_report, stderr, tree,
    zst_lines, zstd,
};
use std::path::Path;

/// Compares two output folders: every file byte for byte, except the reports' varying
/// header fields (date, command line, threads, wall times), which are cut out first.
fn assert_same_outputs(a: &Path, b: &Path) {
    let (files_a, files_b) = (tree(a), tree(b));
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&files_a), names(&files_b));
    for ((name, bytes_a), (_, bytes_b)) in files_a.iter().zip(&files_b) {
        if name == "report.json" || name == "report.md" {
            continue;
        }
        assert!(bytes_a == bytes_b, "{name} differs");
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

#[test]
fn one_and_two_threads_give_identical_outputs() {
    let env = TestEnv::new();
    let config = root().join("data/pilecurate.toml");
    for threads in ["1", "2"] {
        let out = env.path(&format!("out{threads}"));
        let output = env.run_config(&config, &out, &["-j", threads]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
    }
    assert_same_outputs(&env.path("out1"), &env.path("out2"));
}

#[test]
fn plain_gzip_and_zstd_inputs_give_identical_outputs() {
    let env = TestEnv::new();
    let mut text = sample_lines(400).join("\n");
    text.push('\n');
    let plain = text.as_bytes();
    env.write("in/a.jsonl", plain);
    env.write("in/a.jsonl.gz", &gzip(plain));
    // A multi-member gzip must be read whole, like `cat a.gz b.gz`.
    let half = text.len() / 2 + text[text.len() / 2..].find('\n').unwrap() + 1;
    let mut two_members = gzip(&plain[..half]);
    two_members.extend(gzip(&plain[half..]));
    env.write("in/b.jsonl.gz", &two_members);
    env.write("in/a.jsonl.zst", &zstd(plain));
    let sources = SOURCES;
    for (name, file) in [
        ("plain", "a.jsonl"),
        ("gz", "a.jsonl.gz"),
        ("multigz", "b.jsonl.gz"),
        ("zst", "a.jsonl.zst"),
    ] {
        let input = format!("path = \"in/{file}\"");
        let config = env.config(&format!("{name}.toml"), &[&input], &sources, "");
        let out = env.path(&format!("out-{name}"));
        let output = env.run_config(&config, &out, &[]);
        assert_eq!(code(&output), 0, "{name}: {}", stderr(&output));
    }
    // Input file names appear in logs, the report and the curated ids (`file:line`);
    // compare everything else.
    let logs_differ_only_in_file_names = |a: &str, b: &str| {
        let strip = |dir: &str| {
            tree(&env.path(dir))
                .into_iter()
                .filter(|(n, _)| n.starts_with("megatron"))
                .collect::<Vec<_>>()
        };
        assert!(strip(a) == strip(b), "{a} vs {b}");
        let docs = |dir: &str| {
            let mut records = Vec::new();
            for (name, _) in tree(&env.path(dir)) {
                if name.starts_with("docs/") {
                    for mut record in zst_lines(&env.path(dir).join(&name)) {
                        let id = record["pilecurate_id"].as_str().unwrap();
                        let line = id.rsplit_once(':').unwrap().1.to_string();
                        record["pilecurate_id"] = line.into();
                        records.push((name.clone(), record));
                    }
                }
            }
            records
        };
        assert!(docs(a) == docs(b), "{a} vs {b}: curated records");
        assert_eq!(
            stable_report(&env.path(a).join("report.json"))["sources"],
            stable_report(&env.path(b).join("report.json"))["sources"]
        );
    };
    logs_differ_only_in_file_names("out-plain", "out-gz");
    logs_differ_only_in_file_names("out-plain", "out-multigz");
    logs_differ_only_in_file_names("out-plain", "out-zst");
}
