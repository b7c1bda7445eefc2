//! The SentencePiece path against the HF reference: a tokenizer of the Llama 2 structure
//! trained on the shipped sample, its variants (no cuts, no byte fallback, missing byte
//! tokens, `ignore_merges`, other normalizers, added tokens inside words), adversarial text,
//! and the engine dispatch.

mod trained;

use super::*;
use crate::tokenize::{Engine, HfTokenizer, Tokenizer};
use serde_json::{Value, json};
use trained::{sample_texts, sp_json, special};

type Engines = (SentencePieceBpe, HfTokenizer);

fn engines(json: &Value) -> Engines {
    let bytes = serde_json::to_vec(json).expect("json");
    let hf = HfTokenizer::from_bytes(&bytes, "test").expect("hf loads");
    let sp = SentencePieceBpe::try_from_tokenizer_json(&bytes).expect("parses");
    (sp.expect("fits"), hf)
}

/// The fast path gives HF's ids for `text` (`label` names the tokenizer in a failure).
fn check((sp, hf): &Engines, text: &str, label: &str) {
    let expected = hf.encode(text).expect("hf encodes");
    let got = sp.encode(text);
    if got != expected {
        let at = got
            .iter()
            .zip(&expected)
            .take_while(|(a, b)| a == b)
            .count();
        let shown: String = text.chars().take(200).collect();
        panic!(
            "{label}: ids differ at {at}: {:?} vs {:?} for {shown:?}",
            &got[at..(at + 8).min(got.len())],
            &expected[at..(at + 8).min(expected.len())]
        );
    }
}

/// Hard cases; the long ones are `long` characters.
fn adversarial(long: usize) -> Vec<String> {
    let mut rng = 0x9E37_79B9_7F4A_7C15_u64;
    let mut random = |alphabet: &[char], n: usize| -> String {
        (0..n)
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                alphabet[(rng % alphabet.len() as u64) as usize]
            })
            .collect()
    };
    let mixed: Vec<char> = "ab c  \n\t1.,'sé日本😀\u{301}\u{a0}▁<s>".chars().collect();
    let mut texts: Vec<String> = [
        "",
        " ",
        "  ",
        "▁",
        "▁▁ ▁x",
        "\n\n\n",
        "\t \t  \n",
        "trailing   ",
        "   leading",
        "a\r\n\r\nb\r",
        "\u{a0}\u{a0}x \u{3000}y",
        "3.14159 2,000,000 ١٢٣ ⅫⅢ ½",
        "👨‍👩‍👧‍👦 family 🏳️‍🌈 👍🏽 ❤️ 𝔘𝔫𝔦 \u{10FFFF}",
        "日本語のテキスト 中文 한국어 العربية हिन्दी",
        "e\u{301}a\u{300}\u{301}\u{302} Z̴̧̛a̷l̶g̵o",
        "\u{0}\u{1}\u{7f}\u{85}\u{200B}\u{FEFF}\u{2028}\u{FFFD}",
        "<s>",
        "</s></s>",
        "a<s>b",
        "hello <s> world </s>",
        " <s> ",
        "<unk>x<unk>",
        "<s",
        "word<s>word</s>word",
        "fn main() {\n    println!(\"hi\");\n}\n",
    ]
    .map(str::to_string)
    .to_vec();
    for n in [1, 2, 3, 17, long / 100] {
        texts.extend([
            " ".repeat(n),
            "\n".repeat(n),
            format!("{}x", "\t".repeat(n)),
        ]);
        texts.push(format!("a{}b{} ", " \n".repeat(n), "😀".repeat(n)));
    }
    texts.extend([
        "a".repeat(long),
        "ab ".repeat(long / 3),
        "é".repeat(long / 2),
    ]);
    texts.extend([random(&mixed, long), " ".repeat(long)]);
    texts.push(random(
        &('\u{4e00}'..'\u{4f00}').collect::<Vec<_>>(),
        long / 3,
    ));
    texts
}

#[test]
fn sample_and_adversarial_text_match_hf() {
    let engines = engines(&sp_json());
    let cutter = &engines.0.cutter;
    assert!(
        cutter.cuts_at_marks(),
        "the trained file merges within words only"
    );
    assert!(cutter.is_alone('\n') && cutter.is_alone('7') && !cutter.is_alone('e'));
    for text in sample_texts().iter().chain(&adversarial(100_000)) {
        check(&engines, text, "trained");
    }
}

/// The post-processor's `<s>` is not added, and the vocabulary is HF's.
#[test]
fn no_special_tokens_and_the_same_vocabulary() {
    let (sp, hf) = engines(&sp_json());
    assert!(sp.encode("").is_empty());
    assert_ne!(sp.encode("hello").first(), sp.token_to_id("<s>").as_ref());
    assert_eq!(sp.vocab_size(), hf.vocab_size());
    for token in [
        "<unk>",
        "<s>",
        "</s>",
        "<0x0A>",
        "▁the",
        "e",
        "no such token",
    ] {
        assert_eq!(sp.token_to_id(token), hf.token_to_id(token), "{token}");
    }
}

fn edited(edit: impl FnOnce(&mut Value)) -> Value {
    let mut json = sp_json();
    edit(&mut json);
    json
}

fn remove_byte_tokens(json: &mut Value, bytes: std::ops::RangeInclusive<u8>) {
    let vocab = json["model"]["vocab"].as_object_mut().expect("vocab");
    for b in bytes {
        vocab.remove(&format!("<{b:#04X}>"));
    }
}

/// Each variant, on a part of the sample and on the adversarial text.
#[test]
fn variants_match_hf() {
    let variants = [
        // A merge across a word start: no cuts, each gap merges as one stretch.
        edited(|json| {
            let vocab = json["model"]["vocab"].as_object_mut().expect("vocab");
            let id = vocab.len() + 10;
            vocab.insert("e▁".into(), json!(id));
            let merges = json["model"]["merges"].as_array_mut().expect("merges");
            merges.insert(0, json!(["e", "▁"]));
        }),
        edited(|json| json["model"]["byte_fallback"] = json!(false)),
        edited(|json| {
            json["model"]["byte_fallback"] = json!(false);
            json["model"]["fuse_unk"] = json!(false);
        }),
        edited(|json| {
            json["model"]["byte_fallback"] = json!(false);
            json["model"]["unk_token"] = json!(null);
        }),
        // Four-byte characters fall to `<unk>`, which HF writes after later byte tokens.
        edited(|json| remove_byte_tokens(json, 0xF0..=0xF4)),
        edited(|json| json["model"]["ignore_merges"] = json!(true)),
        edited(|json| {
            let merges = json["model"]["merges"].as_array_mut().expect("merges");
            for merge in merges.iter_mut() {
                let line = format!(
                    "{} {}",
                    merge[0].as_str().expect("a"),
                    merge[1].as_str().expect("b")
                );
                *merge = json!(line);
            }
            merges.insert(0, json!("#version: 0.2"));
        }),
        edited(|json| {
            json["normalizer"] =
                json!({"type": "Replace", "pattern": {"String": " "}, "content": "▁"});
        }),
        edited(|json| {
            json["normalizer"] = json!({"type": "Sequence", "normalizers": [
                {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
                {"type": "Prepend", "prepend": "▁▁"}]});
        }),
        edited(|json| json["normalizer"] = json!(null)),
        edited(|json| {
            let mut inner = special("ing");
            let mut marked = special("▁the");
            (inner["special"], marked["normalized"]) = (json!(false), json!(true));
            let mut normalized_s = special("</s>");
            normalized_s["normalized"] = json!(true);
            let added = json["added_tokens"].as_array_mut().expect("list");
            added.extend([inner, marked, normalized_s]);
        }),
    ];
    let mut texts: Vec<String> = sample_texts().iter().step_by(16).cloned().collect();
    texts.extend(adversarial(10_000));
    texts.extend(
        [
            "walking things ringing the then  the</s> </s>",
            "▁the the▁the ▁▁the",
            "sing<s>ing ing",
        ]
        .map(str::to_string),
    );
    for (n, variant) in variants.iter().enumerate() {
        let engines = engines(variant);
        // No cuts with a merge across a word start, or when characters can be dropped.
        assert_eq!(
            engines.0.cutter.cuts_at_marks(),
            n != 0 && n != 3,
            "variant {n}"
        );
        for text in &texts {
            check(&engines, text, &format!("variant {n}"));
        }
    }
}

#[test]
fn auto_and_fast_take_a_fitting_file_and_name_a_misfit() {
    let bytes = serde_json::to_vec(&sp_json()).expect("json");
    for engine in [Engine::Auto, Engine::Fast] {
        let tokenizer = Tokenizer::load(&bytes, "sp.json", engine, "</s>").expect("loads");
        assert_eq!(tokenizer.engine_name(), "fast");
        assert_eq!(tokenizer.eod_id(), 2);
    }
    let metaspace = edited(|json| {
        json["pre_tokenizer"] = json!({"type": "Metaspace", "replacement": "▁",
            "prepend_scheme": "always", "split": true});
    });
    let bytes = serde_json::to_vec(&metaspace).expect("json");
    let auto = Tokenizer::load(&bytes, "sp.json", Engine::Auto, "</s>").expect("loads");
    assert_eq!(auto.engine_name(), "hf");
    let error = Tokenizer::load(&bytes, "sp.json", Engine::Fast, "</s>").err();
    let error = format!("{:#}", error.expect("no fast path fits"));
    assert!(
        error.contains("it has a pre-tokenizer (Metaspace)"),
        "{error}"
    );
}

/// Misfits that only building the tables finds.
#[test]
fn misfits_found_while_building() {
    let cases = [
        (
            edited(|json| {
                json["added_tokens"]
                    .as_array_mut()
                    .expect("list")
                    .push(special("<new>"))
            }),
            "\"<new>\" is not in the model vocabulary",
        ),
        (
            edited(|json| {
                json["model"]["merges"]
                    .as_array_mut()
                    .expect("list")
                    .push(json!(["<s>", "</s>"]))
            }),
            "a merge names a token missing from its vocabulary",
        ),
        (
            edited(|json| json["model"]["unk_token"] = json!("<none>")),
            "its unk_token is not in its vocabulary",
        ),
    ];
    for (json, reason) in cases {
        let bytes = serde_json::to_vec(&json).expect("json");
        let got = SentencePieceBpe::try_from_tokenizer_json(&bytes).expect("parses");
        assert!(got.err().is_some_and(|m| m.0.contains(reason)), "{reason}");
    }
}
