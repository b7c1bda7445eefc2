//! Rules that rewrite documents (the shipped C4 set) on real text: the curated jsonl and the
//! Megatron tokens hold the rewritten text, the report counts what each rule removed, and the
//! output is the same for one and two threads.

use crate::util::{TestEnv, code, root, sample_lines, stable_report, stderr, tree, zst_lines};
use pilecurate::filters::{RuleSet, Verdict, apply};
use pilecurate::shard::megatron::read_index;
use pilecurate::tokenize::{Engine, Tokenizer};
use std::path::Path;
use std::sync::Arc;

const SOURCES: [&str; 2] = ["Wikipedia (en)", "US State of the Union"];

fn c4() -> Arc<RuleSet> {
    let path = root().join("filters/c4.toml");
    let text = std::fs::read_to_string(&path).expect("read c4.toml");
    Arc::new(RuleSet::from_toml(&text, &path.display().to_string()).expect("parse c4.toml"))
}

/// Writes the sample's documents of `SOURCES` and a config filtering them with `c4.toml`.
fn setup(env: &TestEnv) -> (std::path::PathBuf, Vec<String>) {
    let mut texts = Vec::new();
    let mut lines = Vec::new();
    for line in sample_lines(usize::MAX) {
        let record: serde_json::Value = serde_json::from_str(&line).expect("sample json");
        if SOURCES.contains(&record["meta"]["pile_set_name"].as_str().unwrap_or("")) {
            texts.push(record["text"].as_str().unwrap_or("").to_string());
            lines.push(line);
        }
    }
    env.write("in/docs.jsonl", (lines.join("\n") + "\n").as_bytes());
    let mut config = format!(
        "[dedup]\nexact = false\nfuzzy = false\n\n[tokenizer]\npath = {:?}\n\n\
         [[input]]\npath = \"in/docs.jsonl\"\n",
        root().join("data/tokenizer/gpt2/tokenizer.json")
    );
    for source in SOURCES {
        config.push_str(&format!(
            "\n[[source]]\nname = {source:?}\nfilters = [{:?}]\n",
            root().join("filters/c4.toml")
        ));
    }
    (env.write("c4.toml", config.as_bytes()), texts)
}

fn run(env: &TestEnv, config: &Path, threads: &str) -> std::path::PathBuf {
    let out = env.path(&format!("out{threads}"));
    let args = ["run", config.to_str().unwrap_or(""), "-q", "-j", threads];
    let output = env.run(&[&args[..], &["-o", out.to_str().unwrap_or("")]].concat());
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    out
}

#[test]
fn c4_rewrites_reach_docs_tokens_and_report() {
    let env = TestEnv::new();
    let (config, texts) = setup(&env);
    let out = run(&env, &config, "1");

    // What the library says the kept documents become, in input order.
    let sets = [c4()];
    let expected: Vec<String> = texts
        .iter()
        .filter_map(|text| match apply(&sets, text) {
            Verdict::Keep(rewrite) => Some(rewrite.map_or_else(|| text.clone(), |r| r.text)),
            Verdict::Drop { .. } => None,
        })
        .collect();
    let rewritten = expected.iter().filter(|t| !texts.contains(t)).count();
    assert!(rewritten > 5, "only {rewritten} documents rewritten");

    let tokenizer_path = root().join("data/tokenizer/gpt2/tokenizer.json");
    let bytes = std::fs::read(&tokenizer_path).expect("tokenizer");
    let tokenizer = Tokenizer::load(&bytes, "gpt2", Engine::Hf, "<|endoftext|>").expect("load");
    let mut seen = 0;
    for slug in ["Wikipedia_en", "US_State_of_the_Union"] {
        let docs = zst_lines(&out.join("docs").join(slug).join("part-00000.jsonl.zst"));
        let prefix = out.join("megatron").join(format!("{slug}_text_document"));
        let index = read_index(&std::fs::read(prefix.with_extension("idx")).expect("idx"))
            .expect("valid idx");
        let bin = std::fs::read(prefix.with_extension("bin")).expect("bin");
        assert_eq!(index.lengths.len(), docs.len(), "{slug}");
        for (doc, (len, ptr)) in docs.iter().zip(index.lengths.iter().zip(&index.pointers)) {
            let text = doc["text"].as_str().unwrap_or("");
            assert!(
                expected.iter().any(|t| t == text),
                "{slug}: unexpected text"
            );
            let start = *ptr as usize;
            let tokens: Vec<u32> = bin[start..start + *len as usize * 2]
                .chunks(2)
                .map(|pair| u32::from(u16::from_le_bytes([pair[0], pair[1]])))
                .collect();
            let mut want = tokenizer.encode(text).expect("encode");
            want.push(tokenizer.eod_id());
            assert_eq!(tokens, want, "{slug}: tokens are not of the curated text");
            seen += 1;
        }
    }
    assert_eq!(seen, expected.len());

    let report = stable_report(&out.join("report.json"));
    let wiki = &report["sources"][0]["rewritten_by_rule"];
    let few_words = &wiki["c4/too_few_words"];
    assert!(few_words["docs"].as_u64().unwrap_or(0) > 0, "{wiki}");
    assert!(
        few_words["lines_removed"].as_u64().unwrap_or(0) > 0,
        "{wiki}"
    );
    assert!(
        few_words["chars_removed"].as_u64().unwrap_or(0) > 0,
        "{wiki}"
    );
    let markdown = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    assert!(
        markdown.contains("| Wikipedia (en) | c4/too_few_words |"),
        "{markdown}"
    );
}

#[test]
fn c4_rewrites_are_identical_for_one_and_two_threads() {
    let env = TestEnv::new();
    let (config, _) = setup(&env);
    let (one, two) = (run(&env, &config, "1"), run(&env, &config, "2"));
    let (files_one, files_two) = (tree(&one), tree(&two));
    assert_eq!(files_one.len(), files_two.len());
    for ((name, a), (_, b)) in files_one.iter().zip(&files_two) {
        if !name.starts_with("report.") {
            assert!(a == b, "{name} differs");
        }
    }
    let sources = |dir: &Path| stable_report(&dir.join("report.json"))["sources"].clone();
    assert_eq!(sources(&one), sources(&two));
}
