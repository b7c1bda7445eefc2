//! Output shard formats: Megatron-LM indexed datasets (`.bin`/`.idx`, MMIDIDX v1) and
//! curated Pile-format jsonl lines. Encoders write into any `Write`; `io` opens the files.

pub mod megatron;

use serde_json::value::RawValue;

/// Encodes a curated document as one Pile-format jsonl line (no newline):
/// `{"text": ..., "meta": <original meta verbatim>}` (`meta` omitted when absent).
///
/// The text is escaped as JSON requires (quotes, backslashes, control characters) and otherwise
/// kept as UTF-8, so the line parses back to the exact same string.
pub fn pile_line(text: &str, meta: Option<&RawValue>) -> Vec<u8> {
    let meta_len = meta.map_or(0, |raw| raw.get().len() + 8);
    let mut line = Vec::with_capacity(text.len() + meta_len + 16);
    line.extend_from_slice(b"{\"text\":");
    push_json_string(&mut line, text);
    if let Some(raw) = meta {
        line.extend_from_slice(b",\"meta\":");
        line.extend_from_slice(raw.get().as_bytes());
    }
    line.push(b'}');
    line
}

/// Appends `text` as a JSON string literal. Only `"`, `\` and U+0000..U+001F must be escaped;
/// copying the runs between them keeps this a memcpy for ordinary prose.
fn push_json_string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut run_start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ],
            _ => continue,
        };
        out.extend_from_slice(&bytes[run_start..i]);
        out.extend_from_slice(escape);
        run_start = i + 1;
    }
    out.extend_from_slice(&bytes[run_start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Parsed {
        text: String,
        meta: Option<Box<RawValue>>,
    }

    /// Encodes `text` with `meta`, checks the exact bytes and that the line parses back.
    fn check(text: &str, meta: Option<&str>, expected: &str) {
        let raw = meta.map(|m| RawValue::from_string(m.to_string()).expect("test meta is JSON"));
        let line = pile_line(text, raw.as_deref());
        let line = String::from_utf8(line).expect("UTF-8 out");
        assert_eq!(line, expected);
        assert!(!line.contains('\n'), "one line: {line}");
        let parsed: Parsed = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(parsed.text, text);
        assert_eq!(parsed.meta.as_deref().map(RawValue::get), meta);
    }

    #[test]
    fn encodes_pile_lines() {
        check("plain", None, r#"{"text":"plain"}"#);
        check("", None, r#"{"text":""}"#);
        check(
            "say \"hi\"\\ now",
            Some(r#"{"pile_set_name":"Books3"}"#),
            r#"{"text":"say \"hi\"\\ now","meta":{"pile_set_name":"Books3"}}"#,
        );
        check("a\nb\r\n\tc", None, r#"{"text":"a\nb\r\n\tc"}"#);
        check(
            "\u{0}\u{1}\u{8}\u{c}\u{1f}\u{7f}",
            None,
            "{\"text\":\"\\u0000\\u0001\\b\\f\\u001f\u{7f}\"}",
        );
        check(
            "naïve 日本語 🦀 \u{2028}",
            None,
            "{\"text\":\"naïve 日本語 🦀 \u{2028}\"}",
        );
        check(
            "x",
            Some(r#"{ "id" : 7, "nested": {"a": [1, 2.50, "\u00e9"]} }"#),
            r#"{"text":"x","meta":{ "id" : 7, "nested": {"a": [1, 2.50, "\u00e9"]} }}"#,
        );
    }

    #[test]
    fn round_trips_every_ascii_byte() {
        let text: String = (0u8..=0x7f).map(char::from).collect();
        let line = pile_line(&text, None);
        let parsed: Parsed = serde_json::from_slice(&line).expect("valid JSON");
        assert_eq!(parsed.text, text);
        assert!(!line.contains(&b'\n'));
    }
}
