//! The normalizers the fast path supports: none, or Unicode NFC (GPT-NeoX/Pythia).
//!
//! HF applies the normalizer to each stretch of text left between the `normalized: false`
//! added tokens, before it looks for the `normalized: true` ones (see `added`). NFC here is
//! computed by `unicode-normalization-alignments`, the crate and version HF itself uses, so
//! both agree on the Unicode tables. ASCII text, and text that the NFC quick check proves
//! already normalized, is passed through without a copy.

use std::borrow::Cow;
use unicode_normalization_alignments::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The normalizer of a fitting tokenizer.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Normalizer {
    /// No normalizer (or an empty `Sequence`).
    #[default]
    None,
    /// `{"type": "NFC"}`, or a `Sequence` of only NFC.
    Nfc,
}

impl Normalizer {
    /// `text` as HF's normalizer leaves it.
    pub fn apply<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self {
            Normalizer::None => Cow::Borrowed(text),
            Normalizer::Nfc => nfc(text),
        }
    }
}

/// NFC of `text`, borrowed when `text` is already NFC.
pub fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.nfc().map(|(c, _)| c).collect())
}
