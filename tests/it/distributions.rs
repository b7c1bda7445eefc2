//! Language and quality-score distributions reach the report for the sources whose rule
//! sets measure them, and the filtering by them is reproducible.

use crate::util::{SOURCES, TestEnv, code, root, sample_lines, stable_report, stderr};

#[test]
fn language_and_quality_distributions_are_reported() {
    let env = TestEnv::new();
    let mut text = sample_lines(300).join("\n");
    text.push('\n');
    env.write("in/a.jsonl", text.as_bytes());
    let filters = root().join("filters");
    let mut config = std::fs::read_to_string(env.config(
        "lang.toml",
        &["path = \"in/a.jsonl\""],
        &[],
        "[dedup]\nexact = false\nfuzzy = false",
    ))
    .unwrap();
    for source in SOURCES {
        config.push_str(&format!(
            "\n[[source]]\nname = {source:?}\nfilters = [{:?}, {:?}]\n",
            filters.join("language.toml"),
            filters.join("quality.toml")
        ));
    }
    let config = env.write("lang.toml", config.as_bytes());
    let mut reports = Vec::new();
    for threads in ["1", "2"] {
        let out = env.path(&format!("out{threads}"));
        let output = env.run_config(&config, &out, &["-j", threads]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        reports.push(stable_report(&out.join("report.json")));
    }
    assert_eq!(reports[0]["sources"], reports[1]["sources"]);
    let report = &reports[0];
    let mut languages = 0;
    let mut scored = 0;
    for source in report["sources"].as_array().unwrap() {
        let read = source["docs_read"].as_u64().unwrap();
        let count = |key: &str| -> u64 {
            let map = source[key].as_object().unwrap();
            map.values().map(|v| v.as_u64().unwrap()).sum()
        };
        assert_eq!(count("languages"), read, "{}", source["name"]);
        assert_eq!(count("language_deciles"), read, "{}", source["name"]);
        assert_eq!(count("quality_deciles"), read, "{}", source["name"]);
        languages += source["languages"]["en"].as_u64().unwrap_or(0);
        scored += read;
    }
    assert!(
        languages * 10 > scored * 8,
        "mostly English: {languages} of {scored}"
    );
    let markdown = std::fs::read_to_string(env.path("out1/report.md")).unwrap();
    assert!(markdown.contains("## Languages and quality scores"));
    assert!(markdown.contains("en "));
    assert!(markdown.contains("by language probability decile"));
    assert!(markdown.contains("0.9-1.0: "));
}
