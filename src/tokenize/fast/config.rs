//! Reads a tokenizer.json and decides whether it fits the byte-level BPE fast path.
//!
//! A file fits when nothing but its pre-tokenizer (ByteLevel, or a `Split` by a known regex
//! then ByteLevel: see `pre_json`) and a plain BPE model decides its ids:
//! no normalizer other than Unicode NFC, no truncation or padding, no dropout, no subword prefix or suffix, and every
//! one of the 256 byte symbols in the vocabulary (so unknown-token and byte-fallback rules never
//! apply). Anything else is a [`Misfit`] with the reason, and the caller keeps the HF engine.

use super::merges_json::Merges;
use super::normalize::Normalizer;
use super::pre_json::{self, PreTokenizer};
use anyhow::{Context, Result};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

/// A model vocabulary: byte-level token strings to ids. Fx-hashed: loading GPT-2 looks up
/// 150,000 strings and inserts 50,000, and nothing here is keyed by untrusted input that
/// could be chosen to collide.
pub type Vocab = FxHashMap<String, u32>;

/// Why a tokenizer.json cannot use the fast path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tokenizer does not fit the byte-level BPE fast path: {0}")]
pub struct Misfit(pub String);

/// An added token as tokenizer.json lists it (`id` is advisory: HF reassigns ids on load).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AddedTokenSpec {
    pub content: String,
    #[serde(default)]
    pub single_word: bool,
    #[serde(default)]
    pub lstrip: bool,
    #[serde(default)]
    pub rstrip: bool,
    #[serde(default)]
    pub normalized: bool,
}

/// Everything of a fitting tokenizer.json that decides its ids.
#[derive(Debug)]
pub struct Spec {
    /// Byte-level token strings to ids.
    pub vocab: Vocab,
    /// Merge pairs in rank order.
    pub merges: Vec<(String, String)>,
    pub added_tokens: Vec<AddedTokenSpec>,
    pub normalizer: Normalizer,
    pub pre_tokenizer: PreTokenizer,
    pub ignore_merges: bool,
}

#[derive(Deserialize)]
struct FileJson<'a> {
    #[serde(default)]
    added_tokens: Vec<AddedTokenSpec>,
    #[serde(default)]
    normalizer: Option<serde_json::Value>,
    #[serde(default)]
    truncation: Option<IgnoredAny>,
    #[serde(default)]
    padding: Option<IgnoredAny>,
    #[serde(default)]
    pre_tokenizer: Option<serde_json::Value>,
    #[serde(default)]
    post_processor: Option<serde_json::Value>,
    #[serde(borrow)]
    model: &'a RawValue,
}

#[derive(Deserialize)]
struct TypeJson {
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct BpeJson {
    #[serde(rename = "type")]
    kind: Option<String>,
    vocab: Vocab,
    merges: Merges,
    dropout: Option<f64>,
    continuing_subword_prefix: Option<String>,
    end_of_word_suffix: Option<String>,
    ignore_merges: Option<bool>,
}

/// Parses tokenizer.json bytes; `Err` only when the bytes are not JSON of a tokenizer at all.
pub fn read(bytes: &[u8]) -> Result<std::result::Result<Spec, Misfit>> {
    let file: FileJson = serde_json::from_slice(bytes).context("not a valid tokenizer.json")?;
    let misfit = |reason: &str| Ok(Err(Misfit(reason.to_string())));
    let Some(normalizer) = file
        .normalizer
        .as_ref()
        .map_or(Some(Normalizer::None), normalizer)
    else {
        return misfit("it has a normalizer other than NFC");
    };
    if file.truncation.is_some() || file.padding.is_some() {
        return misfit("it sets truncation or padding");
    }
    let Some(pre_tokenizer) = file.pre_tokenizer.filter(|p| !p.is_null()) else {
        return misfit("it has no pre-tokenizer");
    };
    let pre_tokenizer = match pre_json::read(&pre_tokenizer) {
        Ok(pre_tokenizer) => pre_tokenizer,
        Err(reason) => return Ok(Err(reason)),
    };
    if let Err(reason) = pre_json::check_post_processor(file.post_processor.as_ref()) {
        return Ok(Err(reason));
    }
    // The model (most of the file) is read once when it is a BPE model; only a model that
    // does not read as one is read again, for its type, to say why.
    let model = match serde_json::from_str::<BpeJson>(file.model.get()) {
        Ok(model) if model.kind.as_deref() == Some("BPE") => model,
        Ok(_) => return misfit("its model is not BPE"),
        Err(_) => {
            let kind: TypeJson = serde_json::from_str(file.model.get())?;
            if kind.kind.as_deref() != Some("BPE") {
                return misfit("its model is not BPE");
            }
            return misfit("its BPE model has no readable vocab and merges");
        }
    };
    if model.dropout.is_some_and(|p| p != 0.0) {
        return misfit("its BPE model uses dropout");
    }
    let affix = |a: &Option<String>| a.as_deref().is_some_and(|s| !s.is_empty());
    if affix(&model.continuing_subword_prefix) || affix(&model.end_of_word_suffix) {
        return misfit("its BPE model has a subword prefix or suffix");
    }
    if model.merges.bad_line {
        return misfit("a merge line is not two tokens");
    }
    Ok(Ok(Spec {
        vocab: model.vocab,
        merges: model.merges.pairs,
        added_tokens: file.added_tokens,
        normalizer,
        pre_tokenizer,
        ignore_merges: model.ignore_merges.unwrap_or(false),
    }))
}

/// The supported normalizer that `json` describes: NFC, or a `Sequence` of only NFC (HF
/// applies them in turn, and NFC of NFC text is itself); `None` for any other.
fn normalizer(json: &serde_json::Value) -> Option<Normalizer> {
    match json.get("type")?.as_str()? {
        "NFC" => Some(Normalizer::Nfc),
        "Sequence" => {
            json.get("normalizers")?
                .as_array()?
                .iter()
                .try_fold(Normalizer::None, |acc, inner| match normalizer(inner)? {
                    Normalizer::None => Some(acc),
                    Normalizer::Nfc => Some(Normalizer::Nfc),
                })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BPE_MODEL: &str = r#""model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}"#;
    const BYTE_LEVEL: &str = r#""pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false}"#;

    fn check(json: &str, expected: Option<&str>) {
        let got = read(json.as_bytes()).expect("valid json");
        assert_eq!(
            got.err().map(|m| m.0),
            expected.map(str::to_string),
            "{json}"
        );
    }

    #[test]
    fn reasons() {
        let cases = [
            (format!("{{{BYTE_LEVEL}, {BPE_MODEL}}}"), None),
            (
                format!(r#"{{"normalizer": {{"type": "NFC"}}, {BYTE_LEVEL}, {BPE_MODEL}}}"#),
                None,
            ),
            (
                format!(r#"{{"normalizer": null, {BYTE_LEVEL}, {BPE_MODEL}}}"#),
                None,
            ),
            (
                format!(
                    r#"{{"normalizer": {{"type": "Sequence", "normalizers": [{{"type": "NFC"}}]}}, {BYTE_LEVEL}, {BPE_MODEL}}}"#
                ),
                None,
            ),
            (
                format!(r#"{{"normalizer": {{"type": "NFKC"}}, {BYTE_LEVEL}, {BPE_MODEL}}}"#),
                Some("it has a normalizer other than NFC"),
            ),
            (
                format!(r#"{{"normalizer": {{"type": "Lowercase"}}, {BYTE_LEVEL}, {BPE_MODEL}}}"#),
                Some("it has a normalizer other than NFC"),
            ),
            (
                format!(r#"{{"normalizer": {{"type": "NFD"}}, {BYTE_LEVEL}, {BPE_MODEL}}}"#),
                Some("it has a normalizer other than NFC"),
            ),
            (
                format!(
                    r#"{{"normalizer": {{"type": "Sequence", "normalizers": [{{"type": "NFC"}}, {{"type": "Lowercase"}}]}}, {BYTE_LEVEL}, {BPE_MODEL}}}"#
                ),
                Some("it has a normalizer other than NFC"),
            ),
            (
                format!(r#"{{"truncation": {{"max_length": 5}}, {BYTE_LEVEL}, {BPE_MODEL}}}"#),
                Some("it sets truncation or padding"),
            ),
            (format!("{{{BPE_MODEL}}}"), Some("it has no pre-tokenizer")),
            (
                format!(r#"{{"pre_tokenizer": {{"type": "Whitespace"}}, {BPE_MODEL}}}"#),
                Some("its pre-tokenizer is Whitespace, not ByteLevel or [Split, ByteLevel]"),
            ),
            (
                format!(r#"{{{BYTE_LEVEL}, "model": {{"type": "WordPiece", "vocab": {{}}}}}}"#),
                Some("its model is not BPE"),
            ),
            (
                // Reads as a BPE model's fields, but says it is another kind.
                format!(
                    r#"{{{BYTE_LEVEL}, "model": {{"type": "Unigram", "vocab": {{}}, "merges": []}}}}"#
                ),
                Some("its model is not BPE"),
            ),
            (
                format!(r#"{{{BYTE_LEVEL}, "model": {{"type": "BPE", "vocab": {{}}}}}}"#),
                Some("its BPE model has no readable vocab and merges"),
            ),
            (
                format!(
                    r#"{{{BYTE_LEVEL}, "model": {{"type": "BPE", "vocab": {{}}, "merges": [], "dropout": 0.1}}}}"#
                ),
                Some("its BPE model uses dropout"),
            ),
            (
                format!(
                    r#"{{{BYTE_LEVEL}, "model": {{"type": "BPE", "vocab": {{}}, "merges": ["a b c"]}}}}"#
                ),
                Some("a merge line is not two tokens"),
            ),
        ];
        for (json, expected) in &cases {
            check(json, *expected);
        }
    }
}
