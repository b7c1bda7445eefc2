//! Output shard formats: Megatron-LM indexed datasets (`.bin`/`.idx`, MMIDIDX v1) and
//! curated Pile-format jsonl lines. Encoders write into any `Write`; `io` opens the files.

pub mod megatron;

/// Encodes a curated document as one Pile-format jsonl line (no newline):
/// `{"text": ..., "meta": <original meta verbatim>}` (`meta` omitted when absent).
pub fn pile_line(text: &str, meta: Option<&serde_json::value::RawValue>) -> Vec<u8> {
    let _ = (text, meta);
    unimplemented!("shard helper")
}
