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
/// the runs between them are copied whole, and the next byte to escape is found eight bytes
/// at a time (code has one every few dozen bytes: newlines, quotes).
fn push_json_string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = next_escape(bytes, from) {
        let byte = bytes[at];
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ],
        };
        out.extend_from_slice(&bytes[from..at]);
        out.extend_from_slice(escape);
        from = at + 1;
    }
    out.extend_from_slice(&bytes[from..]);
    out.push(b'"');
}

/// The first byte at or after `i` that JSON requires escaped.
#[inline]
fn next_escape(bytes: &[u8], mut i: usize) -> Option<usize> {
    while let Some(block) = bytes.get(i..i + 8) {
        let block: [u8; 8] = block.try_into().expect("eight bytes");
        let flags = escape_flags(u64::from_le_bytes(block));
        if flags != 0 {
            return Some(i + (flags.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let tail = bytes.get(i..)?;
    let needs = |&b: &u8| b == b'"' || b == b'\\' || b < 0x20;
    tail.iter().position(needs).map(|at| i + at)
}

/// Bit 7 set in bytes of `block` that are `"`, `\` or below 0x20 (the zero-byte and
/// less-than tests of "Bit Twiddling Hacks"). A borrow can flag bytes after a flagged one,
/// never before it: the lowest flag is exact, and it is the only one used.
fn escape_flags(block: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let control = below(block, 0x20);
    let quote = below(block ^ (ONES * u64::from(b'"')), 1);
    let backslash = below(block ^ (ONES * u64::from(b'\\')), 1);
    control | quote | backslash
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

    /// The eight-byte skipping finds every byte to escape wherever it falls in a block:
    /// same bytes as serde_json's own string encoder.
    #[test]
    fn escapes_like_serde_json_at_every_offset() {
        let base = "abcdefghijklmnopqrstuvwxyz0123456789 é日🦀";
        for special in ["\"", "\\", "\n", "\u{0}", "\u{1f}", "\t\r", "\u{7f}"] {
            for at in 0..=base.len() {
                let Some((head, tail)) = base.split_at_checked(at) else {
                    continue;
                };
                let text = format!("{head}{special}{tail}{special}");
                let mut ours = Vec::new();
                push_json_string(&mut ours, &text);
                let expected = serde_json::to_vec(&text).expect("serde_json encodes");
                assert_eq!(ours, expected, "{text:?}");
            }
        }
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
