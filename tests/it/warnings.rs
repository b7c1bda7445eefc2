//! A run that finishes but probably did not do what its author meant says so: in
//! report.json's `warnings`, at the top of report.md, and on stderr after the summary.

use crate::util::{SOURCES, TestEnv, code, root, sample_lines, stderr};
use serde_json::Value;

/// The sample with every source under `filters/code.toml` except Emails, under the web
/// quality rules that drop every one of its 87 messages (the old default config's mistake).
fn emails_under_web_rules(env: &TestEnv) -> std::path::PathBuf {
    let root = root();
    let mut text = format!(
        "[run]\ntarget_tokens = 2_000_000\n[tokenizer]\npath = {:?}\n[[input]]\npath = {:?}\n",
        root.join("data/tokenizer/gpt2/tokenizer.json"),
        root.join("data/sample/sample.jsonl.gz"),
    );
    for source in SOURCES {
        let rules = if source == "Emails" {
            "gopher_quality"
        } else {
            "code"
        };
        let rules = root.join(format!("filters/{rules}.toml"));
        text.push_str(&format!(
            "\n[[source]]\nname = {source:?}\nfilters = [{rules:?}]\n"
        ));
    }
    env.write("emails.toml", text.as_bytes())
}

fn warnings(out: &std::path::Path) -> Vec<String> {
    let report: Value = serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap())
        .expect("report.json");
    let list = report["warnings"].as_array().expect("a warnings list");
    list.iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_source_that_loses_everything_is_warned_about_everywhere() {
    let env = TestEnv::new();
    let config = emails_under_web_rules(&env);
    let out = env.path("out");
    let args = ["run", config.to_str().unwrap(), "-o", out.to_str().unwrap()];
    let output = env.run(&args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let expected = [
        "source \"Emails\" kept 0 of 87 records (100.0% lost: 87 filtered (most by \
         gopher_quality/alpha_word_ratio: 86)): check its rule sets",
        "source \"Emails\" has weight 1 but wrote no tokens: blend.txt leaves it out and \
         renormalizes the weights of the other sources",
    ];
    assert_eq!(warnings(&out), expected);
    let message = stderr(&output);
    assert!(
        message.contains("(2 warnings, below and at its top)"),
        "{message}"
    );
    for warning in expected {
        assert!(
            message.contains(&format!("warning: {warning}\n")),
            "{message}"
        );
    }
    let markdown = std::fs::read_to_string(out.join("report.md")).unwrap();
    let section = markdown.find("## Warnings").expect("a warnings section");
    assert!(
        section < markdown.find("## Run").unwrap(),
        "warnings come first"
    );
    assert!(markdown.contains(&format!("- **{}**\n", expected[0])));
    let blend = std::fs::read_to_string(out.join("blend.txt")).unwrap();
    assert!(!blend.contains("Emails"), "{blend}");
}

#[test]
fn a_run_that_keeps_nothing_says_so() {
    let env = TestEnv::new();
    env.write(
        "in/a.jsonl",
        (sample_lines(20).join("\n") + "\n").as_bytes(),
    );
    let rules = env.write(
        "none.toml",
        b"name = \"none\"\n[[rule]]\nkind = \"word_count\"\nmin = 1000000000\n",
    );
    let text = std::fs::read_to_string(env.config(
        "c.toml",
        &["path = \"in/a.jsonl\"\nsource = \"Reference\""],
        &[],
        "",
    ))
    .unwrap()
        + &format!("\n[[source]]\nname = \"Reference\"\nfilters = [{rules:?}]\n");
    let config = env.write("c.toml", text.as_bytes());
    let out = env.path("out");
    let output = env.run(&["run", config.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let expected = "the run kept no document of 20 records: every one was rejected or \
                    removed (see the removals below) and blend.txt is empty";
    assert_eq!(warnings(&out), [expected]);
    assert!(stderr(&output).contains(&format!("warning: {expected}")));
    assert_eq!(std::fs::read_to_string(out.join("blend.txt")).unwrap(), "");
}
