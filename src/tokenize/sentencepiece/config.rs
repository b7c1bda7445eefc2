//! Reads a tokenizer.json and decides whether it fits the SentencePiece-style BPE path.
//!
//! A file fits when its ids are decided by nothing but: added tokens without `lstrip`,
//! `rstrip` or `single_word` (each one in the model vocabulary), a normalizer made of
//! `Prepend` and string `Replace` steps, no pre-tokenizer, and a BPE model without dropout or
//! subword affixes (with or without byte fallback, unknown token and `ignore_merges`). The
//! post-processor only adds special tokens, which `encode_fast(text, false)` never asks for.
//! Anything else is a [`Misfit`] naming the first component that does not fit.

use super::normalize::Normalizer;
use anyhow::{Context, Result};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;
use serde_json::value::RawValue;

/// A model vocabulary: token strings to ids.
pub type Vocab = FxHashMap<String, u32>;

/// Why a tokenizer.json cannot use the SentencePiece BPE path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tokenizer does not fit the SentencePiece BPE fast path: {0}")]
pub struct Misfit(pub String);

/// An added token as tokenizer.json lists it (HF requires every field).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AddedTokenSpec {
    pub content: String,
    pub single_word: bool,
    pub lstrip: bool,
    pub rstrip: bool,
    pub normalized: bool,
}

/// Everything of a fitting tokenizer.json that decides its ids.
#[derive(Debug)]
pub struct Spec {
    pub vocab: Vocab,
    /// Merge pairs in rank order.
    pub merges: Vec<(String, String)>,
    pub added_tokens: Vec<AddedTokenSpec>,
    pub normalizer: Normalizer,
    pub unk_token: Option<String>,
    pub fuse_unk: bool,
    pub byte_fallback: bool,
    pub ignore_merges: bool,
}

#[derive(Deserialize)]
struct FileJson<'a> {
    #[serde(default)]
    added_tokens: Vec<AddedTokenSpec>,
    #[serde(default)]
    normalizer: Option<Value>,
    #[serde(default)]
    truncation: Option<IgnoredAny>,
    #[serde(default)]
    padding: Option<IgnoredAny>,
    #[serde(default)]
    pre_tokenizer: Option<Value>,
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
    merges: Vec<MergeJson>,
    #[serde(default)]
    dropout: Option<f64>,
    #[serde(default)]
    unk_token: Option<String>,
    #[serde(default)]
    continuing_subword_prefix: Option<String>,
    #[serde(default)]
    end_of_word_suffix: Option<String>,
    #[serde(default)]
    fuse_unk: bool,
    #[serde(default)]
    byte_fallback: bool,
    #[serde(default)]
    ignore_merges: bool,
}

/// A merge in either of HF's formats: a legacy `"a b"` line or an `["a", "b"]` pair.
#[derive(Deserialize)]
#[serde(untagged)]
enum MergeJson {
    Line(String),
    Pair(String, String),
}

/// Parses tokenizer.json bytes; `Err` only when the bytes are not JSON of a tokenizer at all.
pub fn read(bytes: &[u8]) -> Result<std::result::Result<Spec, Misfit>> {
    let file: FileJson = serde_json::from_slice(bytes).context("not a valid tokenizer.json")?;
    let misfit = |reason: String| Ok(Err(Misfit(reason)));
    if file.truncation.is_some() || file.padding.is_some() {
        return misfit("it sets truncation or padding".into());
    }
    if let Some(token) = file
        .added_tokens
        .iter()
        .find(|t| t.lstrip || t.rstrip || t.single_word)
    {
        return misfit(format!(
            "its added token {:?} strips spaces or matches single words",
            token.content
        ));
    }
    let normalizer = match file.normalizer.as_ref().map(Normalizer::from_json) {
        None => Normalizer::default(),
        Some(Ok(normalizer)) => normalizer,
        Some(Err(reason)) => return misfit(format!("its normalizer {reason}")),
    };
    if let Some(pre_tokenizer) = &file.pre_tokenizer {
        let kind = pre_tokenizer.get("type").and_then(Value::as_str);
        return misfit(format!(
            "it has a pre-tokenizer ({}); only none is supported",
            kind.unwrap_or("without a type")
        ));
    }
    let model = match serde_json::from_str::<BpeJson>(file.model.get()) {
        Ok(model) if model.kind.as_deref() == Some("BPE") => model,
        Ok(_) => return misfit("its model is not BPE".into()),
        Err(_) => {
            let kind: TypeJson = serde_json::from_str(file.model.get())?;
            if kind.kind.as_deref() != Some("BPE") {
                return misfit("its model is not BPE".into());
            }
            return misfit("its BPE model has no readable vocab and merges".into());
        }
    };
    if model.dropout.is_some_and(|p| p != 0.0) {
        return misfit("its BPE model uses dropout".into());
    }
    let affix = |a: &Option<String>| a.as_deref().is_some_and(|s| !s.is_empty());
    if affix(&model.continuing_subword_prefix) || affix(&model.end_of_word_suffix) {
        return misfit("its BPE model has a subword prefix or suffix".into());
    }
    let Some(merges) = merge_pairs(model.merges) else {
        return misfit("a merge line is not two tokens".into());
    };
    Ok(Ok(Spec {
        vocab: model.vocab,
        merges,
        added_tokens: file.added_tokens,
        normalizer,
        unk_token: model.unk_token,
        fuse_unk: model.fuse_unk,
        byte_fallback: model.byte_fallback,
        ignore_merges: model.ignore_merges,
    }))
}

/// The merges in rank order as HF reads them (legacy `#version` lines skipped, other lines
/// split on every space); `None` when a line is not two tokens.
fn merge_pairs(entries: Vec<MergeJson>) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::with_capacity(entries.len());
    for entry in entries {
        match entry {
            MergeJson::Pair(a, b) => pairs.push((a, b)),
            MergeJson::Line(line) if line.starts_with("#version") => {}
            MergeJson::Line(line) => {
                let mut parts = line.split(' ');
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(a), Some(b), None) => pairs.push((a.to_string(), b.to_string())),
                    _ => return None,
                }
            }
        }
    }
    Some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(edit: impl FnOnce(&mut Value), expected: Option<&str>) {
        let mut file = json!({"added_tokens": [], "normalizer": null, "pre_tokenizer": null,
            "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"],
                "byte_fallback": true, "unk_token": null}});
        edit(&mut file);
        let got = read(&serde_json::to_vec(&file).expect("json")).expect("a tokenizer.json");
        let reason = got.err().map(|m| m.0);
        match expected {
            None => assert_eq!(reason, None, "{file}"),
            Some(part) => assert!(
                reason.as_deref().is_some_and(|r| r.contains(part)),
                "{reason:?}"
            ),
        }
    }

    #[test]
    fn names_the_first_part_that_does_not_fit() {
        let token = |lstrip: bool| {
            json!({"content": "<s>", "single_word": false,
            "lstrip": lstrip, "rstrip": false, "normalized": false, "special": true})
        };
        check(|_| {}, None);
        check(|f| f["added_tokens"] = json!([token(false)]), None);
        check(|f| f["model"]["merges"] = json!([["a", "b"]]), None);
        check(
            |f| f["added_tokens"] = json!([token(true)]),
            Some("strips spaces"),
        );
        check(
            |f| f["truncation"] = json!({"max_length": 5}),
            Some("truncation"),
        );
        check(
            |f| f["normalizer"] = json!({"type": "NFKC"}),
            Some("has a NFKC step"),
        );
        let metaspace = json!({"type": "Metaspace", "replacement": "▁"});
        check(
            |f| f["pre_tokenizer"] = metaspace,
            Some("pre-tokenizer (Metaspace)"),
        );
        check(|f| f["model"]["type"] = json!("WordPiece"), Some("not BPE"));
        check(|f| f["model"]["dropout"] = json!(0.1), Some("dropout"));
        let prefix = json!("##");
        check(
            |f| f["model"]["continuing_subword_prefix"] = prefix,
            Some("prefix"),
        );
        check(
            |f| f["model"]["merges"] = json!(["a b c"]),
            Some("not two tokens"),
        );
    }
}
