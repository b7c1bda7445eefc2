//! How inputs are read and the curated copy is written: an `[[input]]`'s record layout
//! (text, source and id fields) and `[output] docs_format`.

use super::raw;
use crate::io::{FieldPath, RecordLayout};

/// The format of the curated copy (`[output] docs_format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocsFormat {
    /// `part-NNNNN.jsonl.zst`.
    JsonlZst,
    /// `part-NNNNN.parquet`, zstd inside.
    Parquet,
}

/// `[output] docs_format`.
pub(super) fn docs_format(value: &str) -> Result<DocsFormat, String> {
    match value {
        "jsonl.zst" => Ok(DocsFormat::JsonlZst),
        "parquet" => Ok(DocsFormat::Parquet),
        other => Err(format!(
            "docs_format = {other:?}: expected \"jsonl.zst\" or \"parquet\""
        )),
    }
}

/// The record layout an `[[input]]` names, the Pile's where it names none.
pub(super) fn input_layout(input: &raw::RawInput) -> Result<RecordLayout, String> {
    let mut layout = RecordLayout::default();
    let path = |key: &str, value: &str| FieldPath::parse(value).map_err(|e| format!("{key}: {e}"));
    if let Some(text) = &input.text_field {
        layout.text = path("text_field", text)?;
    }
    if let Some(source) = &input.source_field {
        layout.source = path("source_field", source)?;
    }
    if let Some(id) = &input.id_field {
        layout.id = Some(path("id_field", id)?);
    }
    // The text is taken out of the record as it is parsed: no other field may be found in it.
    let text = layout.text.as_str();
    let inside_text = |p: &str| p == text || p.starts_with(&format!("{text}."));
    for (key, other) in [
        ("source_field", Some(&layout.source)),
        ("id_field", layout.id.as_ref()),
    ] {
        if let Some(other) = other.filter(|p| inside_text(p.as_str())) {
            return Err(format!(
                "{key} = {:?} is the text field ({text:?}) or inside it; name another field",
                other.as_str()
            ));
        }
    }
    Ok(layout)
}
