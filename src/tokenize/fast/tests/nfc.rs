//! The fast path with an NFC normalizer (GPT-NeoX/Pythia style) against HF's own NFC.

use super::*;

/// Text with combining marks: decomposed, precomposed, reordered, composition-excluded.
const COMBINING: &[&str] = &[
    "e\u{301}",
    "caf\u{e9} cafe\u{301} CAFE\u{301}",
    "A\u{30a}ngstro\u{308}m \u{212b}ngstr\u{f6}m \u{c5}ngstr\u{f6}m",
    "\u{1100}\u{1161}\u{11a8} \u{1112}\u{1161}\u{11ab}\u{1100}\u{1173}\u{11af} \u{d55c}\u{ae00}",
    "\u{1100}\u{1161}\u{1100}\u{1161}\u{11a8}\u{11a8} \u{ac00}\u{11a8}",
    "Tie\u{302}\u{301}ng Vie\u{323}\u{302}t Nam, Vie\u{302}\u{323}t, Ti\u{1ebf}ng Vi\u{1ec7}t",
    "\u{928}\u{93c} \u{915}\u{93c}\u{93f}\u{924}\u{93e}\u{92c} \u{921}\u{93c}\u{902} \u{929}",
    "\u{9c7}\u{9be} \u{b47}\u{b3e} \u{d46}\u{d3e} \u{dd9}\u{dcf}\u{dca}",
    "a\u{301}\u{323} a\u{323}\u{301} q\u{307}\u{323} \u{1e0b}\u{323} \u{3b1}\u{313}\u{301}",
    "\u{2126} \u{212a} \u{2000} \u{f900} \u{2f800} \u{340}\u{341} \u{343}\u{344} \u{374}",
    "\u{301}leading mark \u{301}\u{301}\u{301}",
    "x\u{300}\u{316}\u{300}\u{316}\u{300}\u{316}\u{300}\u{316}\u{300}\u{316}\u{300}y",
    "\u{fb01} \u{ff21} \u{2460} \u{b2} (compatibility only: NFC keeps them)",
    "e\u{301}<|endoftext|>e\u{301}",
    "<|endoftext|>\u{301}",
    "A\u{30a}<|endoftext|>\u{301}\u{302} \u{1100}<|endoftext|>\u{1161}",
    "<|endoftext|\u{301}> <|endoftext|>\u{338} e\u{301}\u{301}<|endoftext|>",
    "\u{300}<mask>\u{301} \u{300} <mask> x\u{c5}y A\u{30a}y \u{c5} A\u{30a}",
    "[R]\u{301}  [R] \u{301}a \u{e9}word e\u{301}word word\u{301} ward\u{308}",
];

/// Same crate (unicode-normalization-alignments) and version as HF: HF's own NFC
/// normalizer gives what `normalize::nfc` gives, on every scalar value and on the texts.
#[test]
fn nfc_is_hf_nfc() {
    use tokenizers::{NormalizedString, Normalizer as _, normalizers::NFC};
    let hf_nfc = |text: &str| {
        let mut normalized = NormalizedString::from(text);
        NFC.normalize(&mut normalized).expect("nfc");
        normalized.get().to_string()
    };
    let scalars: String = ('\0'..=char::MAX).collect();
    let mut texts: Vec<String> = COMBINING.iter().map(|s| s.to_string()).collect();
    texts.extend(adversarial());
    for chunk in scalars.chars().collect::<Vec<_>>().chunks(64) {
        let chunk: String = chunk.iter().collect();
        texts.push(chunk.clone());
        texts.push(chunk.chars().flat_map(|c| [c, '\u{301}']).collect());
        texts.push(chunk.chars().flat_map(|c| ['a', c]).collect());
    }
    for text in &texts {
        assert_eq!(normalize::nfc(text), hf_nfc(text), "{text:?}");
    }
}

fn nfc_json(normalizer: Value) -> Value {
    let mut json = gpt2_json();
    json["normalizer"] = normalizer;
    json
}

fn gpt2_nfc() -> &'static (FastBpe, HfTokenizer) {
    static GPT2_NFC: OnceLock<(FastBpe, HfTokenizer)> = OnceLock::new();
    GPT2_NFC.get_or_init(|| engines(&nfc_json(json!({"type": "NFC"}))))
}

#[test]
fn nfc_sample_corpus_matches_hf() {
    check_sample(gpt2_nfc());
}

/// NFC and `Sequence [NFC]`, with added tokens normalized or not, decomposed in the file
/// or not, on text with combining marks next to them.
#[test]
fn nfc_variants_match_hf() {
    let nfc = json!({"type": "NFC"});
    let sequence = json!({"type": "Sequence", "normalizers": [{"type": "NFC"}]});
    let mut raw_eot = nfc_json(sequence.clone());
    raw_eot["added_tokens"][0]["normalized"] = Value::Bool(false);
    let mut flagged = nfc_json(nfc.clone());
    flagged["added_tokens"]
        .as_array_mut()
        .expect("list")
        .extend([
            token("<mask>", [false, true, true, false]),
            token("A\u{30a}", [false, false, false, true]),
            token("\u{e9}word", [true, false, false, true]),
            token("[R]", [false, true, true, true]),
            token("ward", [true, true, true, true]),
            token("e\u{301}x", [false, false, false, false]),
        ]);
    let mut prefix = nfc_json(nfc);
    prefix["pre_tokenizer"]["add_prefix_space"] = Value::Bool(true);
    let variants = [nfc_json(sequence), raw_eot, flagged, prefix];
    let mut texts: Vec<String> = COMBINING.iter().map(|s| s.to_string()).collect();
    texts.extend(["e\u{301}x", "\u{e9}x e\u{301}xx", "\u{c5}\u{c5}A\u{30a}"].map(String::from));
    texts.extend(adversarial());
    for variant in &variants {
        let engines = engines(variant);
        for text in &texts {
            check(&engines, text);
        }
    }
}
