//! The fast path against the HF reference: the shipped sample, adversarial text, NFC, Split
//! pre-tokenizers and other variants, and files that do not fit.

use super::*;
use crate::tokenize::HfTokenizer;
use serde_json::{Value, json};
use std::io::BufRead;
use std::sync::OnceLock;

const DIR: &str = env!("CARGO_MANIFEST_DIR");

fn gpt2_json() -> Value {
    let bytes = std::fs::read(format!("{DIR}/data/tokenizer/gpt2/tokenizer.json"));
    serde_json::from_slice(&bytes.expect("shipped tokenizer")).expect("json")
}

fn engines(json: &Value) -> (FastBpe, HfTokenizer) {
    let bytes = serde_json::to_vec(json).expect("json");
    let fast = FastBpe::try_from_tokenizer_json(&bytes).expect("parses");
    let hf = HfTokenizer::from_bytes(&bytes, "test").expect("hf loads");
    (fast.expect("fits"), hf)
}

fn gpt2() -> &'static (FastBpe, HfTokenizer) {
    static GPT2: OnceLock<(FastBpe, HfTokenizer)> = OnceLock::new();
    GPT2.get_or_init(|| engines(&gpt2_json()))
}

/// The fast path gives HF's ids for `text`.
fn check((fast, hf): &(FastBpe, HfTokenizer), text: &str) {
    let expected = hf.encode(text).expect("hf encodes");
    let got = fast.encode(text);
    if got != expected {
        let same = |(a, b): &(&u32, &u32)| a == b;
        let at = got.iter().zip(&expected).take_while(same).count();
        let shown: String = text.chars().take(200).collect();
        panic!(
            "ids differ at {at}: {:?} vs {:?} for {shown:?}",
            &got[at..],
            &expected[at..]
        );
    }
}

fn adversarial() -> Vec<String> {
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
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').collect();
    let mixed: Vec<char> = "ab c\n\t1.,'sé日本😀\u{301}\u{a0}<|>".chars().collect();
    let mut texts: Vec<String> = [
        "",
        " ",
        "  ",
        "\n\n\n",
        "\t \t  \n",
        "trailing   ",
        "   leading",
        "a\r\n\r\nb",
        "\u{a0}\u{a0}x",
        " \u{3000}\u{3000}y",
        "x \n",
        "3.14159 2,000,000 ١٢٣ ⅫⅢ ½ 1234567",
        "👨‍👩‍👧‍👦 family 🏳️‍🌈 👍🏽 ❤️",
        "日本語のテキスト 中文 한국어 العربية हिन्दी",
        "e\u{301}a\u{300}\u{301}\u{302} Z̴̧̛a̷l̶g̵o",
        "\u{FFFD}\u{FFFE}\u{FFFF}\u{FDD0} \u{10FFFF}𝔘𝔫𝔦 \u{E000}",
        "\u{0}\u{1}\u{7f}\u{85}\u{200B}\u{FEFF}\u{2028}\u{180E}",
        "it's IT'S we'll I'm you're they've he'd don't 'tis ''s ' s 'll'll 'S",
        "<|endoftext|>",
        "a<|endoftext|>b",
        "hello <|endoftext|> world",
        " <|endoftext|> ",
        "<|endoftext|><|endoftext|>",
        "x<|endoftext|>\n\nNew doc",
        "<|endoftext|",
        "<|endoftext|>>",
        "fn main() {\n    println!(\"hi\");\n}\n",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for n in [1, 2, 3, 1000] {
        texts.extend([
            " ".repeat(n),
            "\n".repeat(n),
            format!("{}x", "\t".repeat(n)),
        ]);
        texts.push(format!("a{}b{} ", " \n".repeat(n), "\u{3000}".repeat(n)));
    }
    texts.extend([
        "a".repeat(100_000),
        "ab".repeat(50_000),
        "7".repeat(100_000),
    ]);
    texts.extend([
        random(&letters, 100_000),
        random(&mixed, 100_000),
        "!@#".repeat(3000),
    ]);
    texts.push(random(
        &('\u{4e00}'..'\u{4f00}').collect::<Vec<_>>(),
        30_000,
    ));
    texts
}

/// Both engines on every document of the shipped sample.
fn check_sample(engines: &(FastBpe, HfTokenizer)) {
    let file = std::fs::File::open(format!("{DIR}/data/sample/sample.jsonl.gz")).expect("sample");
    let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
    let mut n_docs = 0;
    for line in reader.lines() {
        let record: Value = serde_json::from_str(&line.expect("gzip")).expect("json line");
        check(engines, record["text"].as_str().expect("text"));
        n_docs += 1;
    }
    assert_eq!(n_docs, 1126);
}

#[test]
fn sample_corpus_matches_hf() {
    check_sample(gpt2());
}

#[test]
fn adversarial_text_matches_hf() {
    for text in adversarial() {
        check(gpt2(), &text);
    }
}

/// A special added token, flags `[single_word, lstrip, rstrip, normalized]`.
fn token(content: &str, [single_word, lstrip, rstrip, normalized]: [bool; 4]) -> Value {
    json!({"id": 0, "content": content, "single_word": single_word, "lstrip": lstrip,
        "rstrip": rstrip, "normalized": normalized, "special": true})
}

/// Prefix spaces, no regex, `ignore_merges` and added tokens with every flag.
#[test]
fn variants_match_hf() {
    let mut flagged = gpt2_json();
    flagged["added_tokens"]
        .as_array_mut()
        .expect("list")
        .extend([
            token("<mask>", [false, true, false, false]),
            token("[R]", [false, false, true, true]),
            token("word", [true, false, false, false]),
            token("ward", [true, true, true, true]),
            token("<|endoftext|>", [false, false, false, false]),
            token("<ma", [false, false, true, false]),
            token("<|end", [true, false, false, false]),
        ]);
    let mut variants = vec![flagged];
    for (path, value) in [
        ("/pre_tokenizer/add_prefix_space", true),
        ("/pre_tokenizer/use_regex", false),
        ("/model/ignore_merges", true),
    ] {
        let mut variant = gpt2_json();
        *variant.pointer_mut(path).expect("field") = Value::Bool(value);
        variants.push(variant);
    }
    let mut texts = adversarial();
    texts.truncate(40);
    texts.extend(
        [
            "a <mask> b",
            "a  <mask>",
            "<mask>",
            "  [R]  x",
            "[R] [R]\n",
            "word words sword word.",
            "toward ward  ward ",
            "éword _word word_",
            "<mask><mask> \t<mask>",
            "x<|endoftext|> <mask>",
            "<<mask> <ma<mask>x <mas <|end <|end| x<|end <|endoftext <|endoftext|>>",
            "<<<|end<|endoftext|><ma <ma  <mask>word word<|end",
            "Hello world",
            " Hello",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "HelloWorldHelloWorld",
        ]
        .map(str::to_string),
    );
    for variant in &variants {
        let engines = engines(variant);
        for text in &texts {
            check(&engines, text);
        }
        check_vocab(&engines);
    }
}

/// The fast path answers `token_to_id` and the vocabulary size as HF does (the run takes
/// its EOD id and its shard dtype from them without loading HF).
fn check_vocab((fast, hf): &(FastBpe, HfTokenizer)) {
    assert_eq!(fast.vocab_size(), hf.vocab_size());
    for token in [
        "<|endoftext|>",
        "<mask>",
        "[R]",
        "word",
        "ward",
        "Ġthe",
        "the",
        "nope!!",
    ] {
        assert_eq!(fast.token_to_id(token), hf.token_to_id(token), "{token}");
    }
}

/// Two encoders on one thread do not share the thread's memory of pre-token ids: GPT-2 with
/// only its first 2,000 merges splits many words differently from the full GPT-2.
#[test]
fn encoders_on_one_thread_keep_their_own_piece_memory() {
    let mut few_merges = gpt2_json();
    let merges = few_merges
        .pointer_mut("/model/merges")
        .and_then(Value::as_array_mut)
        .expect("merges");
    merges.truncate(2000);
    let (full, cut) = (gpt2(), engines(&few_merges));
    let text = "tokenizers tokenize unbelievably quickly; tokenizers tokenize again.";
    for _ in 0..2 {
        check(full, text);
        check(&cut, text);
    }
    assert_ne!(full.0.encode(text), cut.0.encode(text));
}

/// `auto` falls back to HF for a misfit, `fast` refuses it, and the EOD token is looked up
/// in the engine in use.
#[test]
fn engines_are_chosen_and_refused_as_asked() {
    use crate::tokenize::{Engine, Tokenizer};
    let gpt2 = serde_json::to_vec(&gpt2_json()).expect("json");
    let fast = Tokenizer::load(&gpt2, "gpt2", Engine::Auto, "<|endoftext|>").expect("loads");
    assert_eq!((fast.engine_name(), fast.eod_id()), ("fast", 50256));
    let hf = Tokenizer::load(&gpt2, "gpt2", Engine::Hf, "<|endoftext|>").expect("loads");
    assert_eq!((hf.engine_name(), hf.eod_id()), ("hf", 50256));
    assert_eq!(fast.vocab_size(), hf.vocab_size());
    let no_eod = Tokenizer::load(&gpt2, "gpt2", Engine::Auto, "<|nope|>").err();
    assert!(no_eod.is_some_and(|e| e.to_string().contains("eod_token")));

    let mut lowercase = gpt2_json();
    lowercase["normalizer"] = json!({"type": "Lowercase"});
    let lowercase = serde_json::to_vec(&lowercase).expect("json");
    let auto = Tokenizer::load(&lowercase, "lc", Engine::Auto, "<|endoftext|>").expect("loads");
    assert_eq!(auto.engine_name(), "hf");
    let refused = Tokenizer::load(&lowercase, "lc", Engine::Fast, "<|endoftext|>").err();
    assert!(refused.is_some_and(|e| e.to_string().contains("does not fit")));
    let broken = Tokenizer::load(b"{\"model\": 1}", "broken", Engine::Fast, "x").err();
    assert!(broken.is_some_and(|e| format!("{e:#}").contains("broken")));
}

#[test]
fn misfits_give_none() {
    let word_piece = json!({"version": "1.0", "added_tokens": [], "normalizer": null,
        "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
            "max_input_chars_per_word": 100, "vocab": {"[UNK]": 0, "a": 1, "##b": 2}}});
    let normalized = |normalizer: Value| {
        let mut json = gpt2_json();
        json["normalizer"] = normalizer;
        json
    };
    let nfkc = normalized(json!({"type": "NFKC"}));
    let lowercase = normalized(json!({"type": "Lowercase"}));
    let nfc_then_lowercase = normalized(
        json!({"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Lowercase"}]}),
    );
    let mut few_bytes = word_piece.clone();
    few_bytes["pre_tokenizer"] = gpt2_json()["pre_tokenizer"].clone();
    few_bytes["model"] = json!({"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2},
        "merges": ["a b"]});
    for json in [word_piece, nfkc, lowercase, nfc_then_lowercase, few_bytes] {
        let bytes = serde_json::to_vec(&json).expect("json");
        HfTokenizer::from_bytes(&bytes, "test").expect("a valid tokenizer");
        assert!(
            FastBpe::from_tokenizer_json(&bytes)
                .expect("parses")
                .is_none()
        );
    }
    assert!(FastBpe::from_tokenizer_json(b"not json").is_err());
}

mod nfc;
mod split;
