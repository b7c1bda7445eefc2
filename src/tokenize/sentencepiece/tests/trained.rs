//! A SentencePiece-style tokenizer.json trained at test time on the shipped sample (the
//! structure of the Llama 2 file: `Prepend` + `Replace` normalizer, no pre-tokenizer, byte
//! fallback, `<unk>` fused, `<s>` added by a template post-processor), so the tests need
//! nothing outside `data/`.

use crate::tokenize::sentencepiece::normalize::Normalizer;
use serde_json::{Value, json};
use std::io::BufRead;
use std::sync::OnceLock;
use tokenizers::models::bpe::{BPE, BpeTrainerBuilder};
use tokenizers::{AddedToken, Trainer};

const DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The texts of the shipped sample.
pub fn sample_texts() -> &'static [String] {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let file = std::fs::File::open(format!("{DIR}/data/sample/sample.jsonl.gz"));
        let file = file.expect("shipped sample");
        let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
        let texts: Vec<String> = reader
            .lines()
            .map(|line| {
                let record: Value = serde_json::from_str(&line.expect("gzip")).expect("json");
                record["text"].as_str().expect("text").to_string()
            })
            .collect();
        assert_eq!(texts.len(), 1126);
        texts
    })
}

/// The normalizer of the Llama 2 file.
pub fn sp_normalizer() -> Value {
    json!({"type": "Sequence", "normalizers": [
        {"type": "Prepend", "prepend": "▁"},
        {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
    ]})
}

/// A special added token that is matched in the raw text.
pub fn special(content: &str) -> Value {
    json!({"id": 0, "content": content, "single_word": false, "lstrip": false,
        "rstrip": false, "normalized": false, "special": true})
}

/// A fresh copy of the trained tokenizer.json.
pub fn sp_json() -> Value {
    static TRAINED: OnceLock<Value> = OnceLock::new();
    TRAINED.get_or_init(train).clone()
}

/// Words as SentencePiece trains on them: cut before a `▁` that follows another character,
/// and digits, newlines and tabs alone, so that no merge uses them.
fn llama_words(text: &str) -> Vec<String> {
    let alone = |c: char| c.is_ascii_digit() || c == '\n' || c == '\t';
    let mut words: Vec<String> = Vec::new();
    let mut last: Option<char> = None;
    for c in text.chars() {
        let starts = c == '▁' && last.is_some_and(|l| l != '▁');
        match words.last_mut() {
            Some(word) if !(starts || alone(c) || last.is_some_and(alone)) => word.push(c),
            _ => words.push(c.to_string()),
        }
        last = Some(c);
    }
    words
}

fn train() -> Value {
    let normalizer = Normalizer::from_json(&sp_normalizer()).expect("supported");
    let specials: Vec<AddedToken> = ["<unk>", "<s>", "</s>"]
        .map(str::to_string)
        .into_iter()
        .chain((0..=255u8).map(|b| format!("<{b:#04X}>")))
        .map(|token| AddedToken::from(token, true))
        .collect();
    // A small alphabet, so that many characters of the sample fall back to bytes.
    let mut trainer = BpeTrainerBuilder::new()
        .vocab_size(3000)
        .limit_alphabet(120)
        .special_tokens(specials)
        .show_progress(false)
        .build();
    trainer
        .feed(sample_texts().iter(), |text| {
            Ok(llama_words(&normalizer.normalize(text)))
        })
        .expect("feeds");
    let mut model = BPE::default();
    trainer.train(&mut model).expect("trains");
    let mut model = serde_json::to_value(&model).expect("serializes");
    // As in Llama 2, a newline is only its byte token.
    let vocab = model["vocab"].as_object_mut();
    vocab.expect("vocab").remove("\n");
    model["byte_fallback"] = json!(true);
    model["unk_token"] = json!("<unk>");
    model["fuse_unk"] = json!(true);
    json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": [special("<unk>"), special("<s>"), special("</s>")],
        "normalizer": sp_normalizer(),
        "pre_tokenizer": null,
        "post_processor": {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "<s>", "type_id": 1}},
                {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
        "decoder": null,
        "model": model,
    })
}
