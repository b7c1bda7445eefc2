//! The fast path with `Split` pre-tokenizers (Llama 3, Qwen 2, GPT-4o structure) against HF.
//!
//! The tokenizers are the shipped GPT-2 vocabulary and merges behind each family's
//! pre-tokenizer, exactly as those files write it, with their BPE and normalizer settings
//! and added tokens beyond the vocabulary: the same structure as the real files, small
//! enough to ship.

use super::*;
use crate::tokenize::fast::split::{CL100K, CL100K_DIGIT, O200K};

fn split_json(regex: &str, behavior: &str, invert: bool) -> Value {
    let mut json = gpt2_json();
    json["pre_tokenizer"] = json!({"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": regex}, "behavior": behavior, "invert": invert},
        {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}
    ]});
    json
}

/// Llama 3's structure: cl100k regex, `ignore_merges`, a ByteLevel post-processor and
/// raw added tokens beyond the vocabulary, one of them a piece of common words.
fn llama3_like() -> Value {
    let mut json = split_json(CL100K, "Isolated", false);
    json["model"]["ignore_merges"] = Value::Bool(true);
    json["post_processor"] = json!({"type": "ByteLevel", "add_prefix_space": true,
        "trim_offsets": false, "use_regex": true});
    json["added_tokens"].as_array_mut().expect("list").extend([
        token("<|begin_of_text|>", [false, false, false, false]),
        token("<|eot_id|>", [false, false, false, false]),
        token("tion", [false, false, false, false]),
    ]);
    json
}

/// GPT-4o's structure: o200k regex, kept as the matches of an inverted `Removed` split.
fn gpt4o_like() -> Value {
    let mut json = split_json(O200K, "Removed", true);
    json["model"]["continuing_subword_prefix"] = json!("");
    json["model"]["end_of_word_suffix"] = json!("");
    json["added_tokens"]
        .as_array_mut()
        .expect("list")
        .push(token("<|endofprompt|>", [false, false, false, false]));
    json
}

/// Qwen 2's structure: one digit per number, NFC.
fn qwen2_like() -> Value {
    let mut json = split_json(CL100K_DIGIT, "Isolated", false);
    json["normalizer"] = json!({"type": "NFC"});
    json
}

fn split_engines() -> &'static [(FastBpe, HfTokenizer)] {
    static ENGINES: OnceLock<Vec<(FastBpe, HfTokenizer)>> = OnceLock::new();
    ENGINES.get_or_init(|| {
        [llama3_like(), gpt4o_like(), qwen2_like()]
            .iter()
            .map(engines)
            .collect()
    })
}

fn split_texts() -> Vec<String> {
    let mut texts = adversarial();
    texts.extend(
        [
            "it's IT'S It'S we'Ll I'M you'rE they'VE he'D 'ſ ſ's",
            "l'été c'est qu'il d'Artagnan L'ÉTÉ ДОМ'S дом's 日本's ΑΒΓ'd",
            "HelloWorld XMLHttpRequest iPhone McDONALD'S ǅungla ʰAAA AʰB",
            "e\u{301}cole E\u{301}COLE \u{301}\u{301}x .\u{301}y  \u{301}z",
            "1234567890 12 123 1234 ١٢٣٤٥ ⅫⅢⅣ ½¾⅞ 𝟙𝟚𝟛𝟜𝟝",
            "a\r\nb\n\rc\r\r\n\nd \r\n e\t\r\n\tf  \n  g",
            "x  y   z\t\tw \u{a0}v\u{3000}\u{3000}u \u{85}t",
            "path/to/file\n//\n/// doc ./a ../b \\/c",
            "a<|begin_of_text|>b <|eot_id|> <|endofprompt|>x<|endoftext|>",
            "information nation tion tions station's TION",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀😀 👍🏽 𠀀𠀁 \u{E0001}\u{1D167}",
        ]
        .map(str::to_string),
    );
    texts.extend([
        "A".repeat(20_000) + "ʰ" + &"b".repeat(20_000),
        "1".repeat(30_000),
        "\u{301}".repeat(10_000),
        " \r\n".repeat(10_000) + "x",
    ]);
    texts
}

#[test]
fn split_sample_corpus_matches_hf() {
    for engines in split_engines() {
        check_sample(engines);
    }
}

#[test]
fn split_adversarial_text_matches_hf() {
    let texts = split_texts();
    for engines in split_engines() {
        for text in &texts {
            check(engines, text);
        }
        check_vocab(engines);
    }
}

/// Each structure is taken by `auto`; a regex or behaviour the scanner does not know, or a
/// second `Split`, sends the file to HF with the reason.
#[test]
fn split_files_fit_or_say_why_not() {
    use crate::tokenize::{Engine, Tokenizer};
    let load = |json: &Value| {
        let bytes = serde_json::to_vec(json).expect("json");
        Tokenizer::load(&bytes, "t", Engine::Auto, "<|endoftext|>").expect("loads")
    };
    for json in [llama3_like(), gpt4o_like(), qwen2_like()] {
        assert_eq!(load(&json).engine_name(), "fast");
    }
    let mut other_regex = llama3_like();
    other_regex["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] =
        json!(CL100K.replace("{1,3}", "{1,2}"));
    let mut merged = gpt4o_like();
    merged["pre_tokenizer"]["pretokenizers"][0]["behavior"] = json!("MergedWithNext");
    let mut two_splits = qwen2_like();
    let first = two_splits["pre_tokenizer"]["pretokenizers"][0].clone();
    two_splits["pre_tokenizer"]["pretokenizers"]
        .as_array_mut()
        .expect("list")
        .insert(0, first);
    for (json, reason) in [
        (other_regex, "regex is not one the fast path knows"),
        (merged, "behavior is \"MergedWithNext\""),
        (two_splits, "Sequence of [Split, Split, ByteLevel]"),
    ] {
        let tokenizer = load(&json);
        assert_eq!(tokenizer.engine_name(), "hf");
        let why = tokenizer.fallback_reason().expect("a reason");
        assert!(why.contains(reason), "{why}");
    }
}
