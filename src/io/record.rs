//! Parses one jsonl line into a document record, or says precisely why it cannot.
//!
//! The hot path deserializes into a borrowed struct in one pass: `text` through a visitor that
//! takes a string and only names the type of anything else, `meta` as raw JSON kept verbatim.

use super::json_shape::{TextField, nesting_exceeds};
use crate::doc::RejectReason;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// Nesting allowed in `meta`, which we copy verbatim: serde_json's own recursion limit.
/// `RawValue` skips nested values without recursing, so it does not enforce the limit itself.
const MAX_META_DEPTH: usize = 128;

/// A line that parsed into a Pile-format record.
#[derive(Debug)]
pub struct ParsedRecord {
    /// The `text` field.
    pub text: String,
    /// The `meta` object verbatim, if present.
    pub meta: Option<Box<serde_json::value::RawValue>>,
    /// `meta.pile_set_name` when it is a string.
    pub pile_set_name: Option<String>,
}

/// A line that could not be parsed, with the reason and a human-readable detail.
#[derive(Debug)]
pub struct Reject {
    /// The reason category.
    pub reason: RejectReason,
    /// What exactly was wrong (serde_json's message with column, for instance).
    pub detail: String,
}

impl Reject {
    fn new(reason: RejectReason, detail: impl Into<String>) -> Reject {
        Reject {
            reason,
            detail: detail.into(),
        }
    }
}

#[derive(Deserialize)]
struct RawRecord<'a> {
    #[serde(default)]
    text: TextField,
    #[serde(borrow)]
    meta: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct MetaFields<'a> {
    #[serde(borrow)]
    pile_set_name: Option<Cow<'a, str>>,
}

/// Parses one line (without its newline).
pub fn parse_record(line: &[u8]) -> Result<ParsedRecord, Reject> {
    let line = std::str::from_utf8(line).map_err(|e| {
        Reject::new(
            RejectReason::InvalidUtf8,
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        )
    })?;
    let Some(first) = line.bytes().find(|b| !b.is_ascii_whitespace()) else {
        return Err(Reject::new(RejectReason::BlankLine, "blank line"));
    };
    // Checked explicitly: a derived struct would also accept a JSON array like ["id", "text"].
    if first != b'{' {
        return Err(match serde_json::from_str::<IgnoredAny>(line) {
            Ok(_) => Reject::new(
                RejectReason::NotObject,
                format!("top level is {}", json_type(first)),
            ),
            Err(e) => Reject::new(RejectReason::MalformedJson, e.to_string()),
        });
    }
    // The top level is an object and `text` takes any type, so every error here is malformed
    // JSON: syntax, end of input, duplicate field, trailing characters, nesting past 128.
    let record: RawRecord = serde_json::from_str(line)
        .map_err(|e| Reject::new(RejectReason::MalformedJson, e.to_string()))?;
    let text = match record.text {
        TextField::Str(text) if text.is_empty() => {
            return Err(Reject::new(
                RejectReason::EmptyText,
                "text is an empty string",
            ));
        }
        TextField::Str(text) => text,
        TextField::Missing => {
            return Err(Reject::new(RejectReason::MissingText, "no \"text\" field"));
        }
        TextField::Other(kind) => {
            return Err(Reject::new(
                RejectReason::BadTextType,
                format!("text is {kind}, not a string"),
            ));
        }
    };
    let meta = record.meta;
    if let Some(meta) = meta.filter(|m| nesting_exceeds(m.get(), MAX_META_DEPTH)) {
        let detail = format!(
            "meta nests deeper than {MAX_META_DEPTH} levels ({} bytes)",
            meta.get().len()
        );
        return Err(Reject::new(RejectReason::MalformedJson, detail));
    }
    let pile_set_name = meta
        .filter(|m| m.get().starts_with('{'))
        .and_then(|m| serde_json::from_str::<MetaFields>(m.get()).ok())
        .and_then(|fields| fields.pile_set_name)
        .map(Cow::into_owned);
    Ok(ParsedRecord {
        text,
        meta: meta.map(RawValue::to_owned),
        pile_set_name,
    })
}

/// A JSON value's type, from its first byte, for reject details.
fn json_type(first: u8) -> &'static str {
    match first {
        b'[' => "an array",
        b'"' => "a string",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        _ => "a number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RejectReason::*;

    /// Parses `line` and checks the reject reason, or `Ok` with the expected text.
    fn check(line: &[u8], expected: Result<&str, RejectReason>) {
        let got = parse_record(line);
        let shown = String::from_utf8_lossy(line);
        match (got, expected) {
            (Ok(record), Ok(text)) => assert_eq!(record.text, text, "{shown}"),
            (Err(reject), Err(reason)) => {
                assert_eq!(reject.reason, reason, "{shown}: {}", reject.detail);
                assert!(!reject.detail.is_empty());
            }
            (got, expected) => panic!("{shown}: got {got:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn classifies_every_line() {
        check(
            br#"{"text": "hello", "meta": {"pile_set_name": "Pile-CC"}}"#,
            Ok("hello"),
        );
        check(
            br#"  {"meta": 1, "text": "a\nb\u00e9"}  "#,
            Ok("a\nb\u{e9}"),
        );
        check(
            br#"{"text": "x", "other": [[[[[[{"deep": true}]]]]]]}"#,
            Ok("x"),
        );
        check(
            "{\"text\": \"caf\u{e9} \u{1f600}\"}".as_bytes(),
            Ok("caf\u{e9} \u{1f600}"),
        );
        check(b"{\"text\": \"a\xff\"}", Err(InvalidUtf8));
        check(b"\xff\xfe", Err(InvalidUtf8));
        check(b"", Err(BlankLine));
        check(b" \t\r ", Err(BlankLine));
        check(br#"{"text": "unterminated"#, Err(MalformedJson));
        check(br#"{"text": "a"} trailing"#, Err(MalformedJson));
        check(br#"{"text": "a",}"#, Err(MalformedJson));
        check(br#"{"text": "\ud800"}"#, Err(MalformedJson));
        check(br#"{"text": "a", "text": "b"}"#, Err(MalformedJson));
        check(br#"[1, 2"#, Err(MalformedJson));
        check(b"nul", Err(MalformedJson));
        check(br#"[1, 2, 3]"#, Err(NotObject));
        check(br#"["an-id", "some text"]"#, Err(NotObject));
        check(br#""text""#, Err(NotObject));
        check(b"42", Err(NotObject));
        check(b"null", Err(NotObject));
        check(br#"{"meta": {}}"#, Err(MissingText));
        check(br#"{}"#, Err(MissingText));
        check(br#"{"text": null}"#, Err(BadTextType));
        check(br#"{"text": 42}"#, Err(BadTextType));
        check(br#"{"text": true}"#, Err(BadTextType));
        check(br#"{"text": ["a"]}"#, Err(BadTextType));
        check(br#"{"text": {"a": [1]}}"#, Err(BadTextType));
        check(br#"{"text": ""}"#, Err(EmptyText));
    }

    #[test]
    fn deep_nesting_is_malformed_not_a_stack_overflow() {
        for depth in [200, 100_000] {
            let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            check(
                format!(r#"{{"text": {deep}}}"#).as_bytes(),
                Err(MalformedJson),
            );
            check(
                format!(r#"{{"text": "a", "meta": {deep}}}"#).as_bytes(),
                Err(MalformedJson),
            );
            let in_string = format!(
                r#"{{"text": "a", "meta": {{"s": "{}"}}}}"#,
                "[".repeat(depth)
            );
            check(in_string.as_bytes(), Ok("a"));
            // Skipped without recursion: harmless, and not kept.
            check(
                format!(r#"{{"text": "a", "x": {deep}}}"#).as_bytes(),
                Ok("a"),
            );
            check(deep.as_bytes(), Err(NotObject));
        }
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        check(
            format!(r#"{{"text": "a", "meta": {ok}}}"#).as_bytes(),
            Ok("a"),
        );
    }

    #[test]
    fn details_carry_the_column() {
        let reject = parse_record(br#"{"text": "a",}"#).unwrap_err();
        assert!(reject.detail.contains("column"), "{}", reject.detail);
        let reject = parse_record(br#"{"text": 42}"#).unwrap_err();
        assert_eq!(reject.detail, "text is a number, not a string");
    }

    /// Parses a good line and returns its meta verbatim and its pile_set_name.
    fn meta_of(line: &str) -> (Option<String>, Option<String>) {
        let record = parse_record(line.as_bytes()).unwrap();
        (
            record.meta.map(|m| m.get().to_owned()),
            record.pile_set_name,
        )
    }

    #[test]
    fn keeps_meta_verbatim_and_finds_the_source() {
        let name = |s: &str| Some(s.to_owned());
        let meta = r#"{"pile_set_name": "Git\"Hub", "x": [1, {"y": null}]}"#;
        assert_eq!(
            meta_of(&format!(r#"{{"text": "a", "meta": {meta}}}"#)),
            (name(meta), name("Git\"Hub"))
        );
        assert_eq!(meta_of(r#"{"text": "a"}"#), (None, None));
        assert_eq!(meta_of(r#"{"text": "a", "meta": null}"#), (None, None));
        assert_eq!(
            meta_of(r#"{"text": "a", "meta": "x"}"#),
            (name(r#""x""#), None)
        );
        let numeric = r#"{"pile_set_name": 3}"#;
        assert_eq!(
            meta_of(&format!(r#"{{"text": "a", "meta": {numeric}}}"#)),
            (name(numeric), None)
        );
    }

    #[test]
    fn parses_the_whole_sample() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/sample.jsonl.gz");
        let mut reader = crate::io::LineReader::open(std::path::Path::new(path), 1 << 26).unwrap();
        let (mut n_docs, mut n_named) = (0, 0);
        while let Some(line) = reader.next_line().unwrap() {
            let record = parse_record(&line.bytes.unwrap()).unwrap();
            n_docs += 1;
            n_named += usize::from(record.pile_set_name.is_some());
        }
        assert_eq!((n_docs, n_named), (1126, 1126));
    }
}
