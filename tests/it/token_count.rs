//! A `token_count` rule in a run: the documents dropped are exactly those under the bound,
//! each logged with its GPT-2 token count, and the others reach the shards.

use crate::util::{TestEnv, code, root, sample_lines, stderr, zst_lines};
use pilecurate::tokenize::{Engine, Tokenizer};

const SOURCE: &str = "Emails";
const MIN_TOKENS: usize = 800;

#[test]
fn documents_under_the_token_bound_are_dropped_with_their_count() {
    let env = TestEnv::new();
    let tokenizer_path = root().join("data/tokenizer/gpt2/tokenizer.json");
    let mut lines = Vec::new();
    let mut counts = Vec::new();
    let bytes = std::fs::read(&tokenizer_path).expect("read tokenizer");
    let tokenizer = Tokenizer::load(&bytes, "gpt2", Engine::Hf, "<|endoftext|>").expect("load");
    for line in sample_lines(usize::MAX) {
        let record: serde_json::Value = serde_json::from_str(&line).expect("sample json");
        if record["meta"]["pile_set_name"] == SOURCE {
            let text = record["text"].as_str().unwrap_or("");
            counts.push(tokenizer.encode(text).expect("encode").len());
            lines.push(line);
        }
    }
    let short = counts.iter().filter(|&&n| n < MIN_TOKENS).count();
    assert!(
        short > 0 && short < counts.len(),
        "the bound must split the sample"
    );

    env.write("in/docs.jsonl", (lines.join("\n") + "\n").as_bytes());
    let rules = format!(
        "name = \"tokens\"\n[[rule]]\nkind = \"token_count\"\ntokenizer = {:?}\nmin = {MIN_TOKENS}\n",
        tokenizer_path
    );
    let rule_set = env.write("tokens.toml", rules.as_bytes());
    let config = format!(
        "[dedup]\nexact = false\nfuzzy = false\n\n[tokenizer]\npath = {tokenizer_path:?}\n\n\
         [[input]]\npath = \"in/docs.jsonl\"\n\n[[source]]\nname = {SOURCE:?}\n\
         filters = [{rule_set:?}]\n"
    );
    let config = env.write("run.toml", config.as_bytes());
    let out = env.path("out");
    let output = env.run_config(&config, &out, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let dropped = zst_lines(&out.join("removed/filtered.jsonl.zst"));
    assert_eq!(dropped.len(), short);
    for record in &dropped {
        assert_eq!(record["reason"], "tokens/token_count");
        let id = record["id"].as_u64().expect("id") as usize;
        assert_eq!(
            record["value"].as_f64(),
            Some(counts[id] as f64),
            "doc {id}"
        );
    }
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).expect("report"))
            .expect("report json");
    let kept: u64 = counts
        .iter()
        .filter(|&&n| n >= MIN_TOKENS)
        .map(|&n| n as u64 + 1)
        .sum();
    assert_eq!(
        report["totals"]["tokens_out"].as_u64(),
        Some(kept),
        "{report}"
    );
}
