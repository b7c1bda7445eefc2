//! Output shard formats: Megatron-LM indexed datasets (`.bin`/`.idx`, MMIDIDX v1) and
//! curated jsonl lines. Encoders write into any `Write`; `io` opens the files.

pub mod megatron;

use crate::io::KeptFields;

/// Encodes a curated document as one jsonl line (no newline): the input record's members
/// verbatim and in order with `text` in place of its text, then `pilecurate_id` (`id`) and,
/// for one piece of a document decontamination cut in several, `pilecurate_piece` (from 0).
///
/// The text is escaped as JSON requires (quotes, backslashes, control characters) and otherwise
/// kept as UTF-8, so the line parses back to the exact same string.
pub fn curated_line(text: &str, fields: &KeptFields, id: &str, piece: Option<usize>) -> Vec<u8> {
    let around = fields.before.len() + fields.after.len();
    let mut line = Vec::with_capacity(text.len() + around + id.len() + 48);
    line.extend_from_slice(&fields.before);
    push_json_string(&mut line, text);
    line.extend_from_slice(&fields.after);
    // The text is a member, so ours follow a comma.
    line.extend_from_slice(b",\"pilecurate_id\":");
    push_json_string(&mut line, id);
    if let Some(piece) = piece {
        line.extend_from_slice(format!(",\"pilecurate_piece\":{piece}").as_bytes());
    }
    line.push(b'}');
    line
}

/// Appends `text` as a JSON string literal. Only `"`, `\` and U+0000..U+001F must be escaped;
/// the runs between them are copied whole, and the next byte to escape is found eight bytes
/// at a time (code has one every few dozen bytes: newlines, quotes).
pub fn push_json_string(out: &mut Vec<u8>, text: &str) {
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

/// The length of `text` as a JSON string literal (what [`push_json_string`] writes).
pub fn json_string_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut len = text.len() + 2;
    let mut from = 0;
    while let Some(at) = next_escape(bytes, from) {
        len += match bytes[at] {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
            _ => 5,
        };
        from = at + 1;
    }
    len
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

    use crate::io::{RecordLayout, parse_record};

    /// Parses `input`, writes its curated line with id `i`, checks the exact bytes and that
    /// the text parses back.
    fn check(input: &str, text: &str, expected: &str) {
        let record = parse_record(input.as_bytes(), &RecordLayout::default(), true).unwrap();
        let fields = record.fields.expect("kept");
        let line = String::from_utf8(curated_line(text, &fields, "i", None)).expect("UTF-8");
        assert_eq!(line, expected);
        assert!(!line.contains('\n'), "one line: {line}");
        let parsed: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(parsed["text"], text);
    }

    #[test]
    fn encodes_curated_lines() {
        check(
            r#"{"text":"a"}"#,
            "plain",
            r#"{"text":"plain","pilecurate_id":"i"}"#,
        );
        check(
            r#"{"text": "a", "meta": {"pile_set_name": "Books3"}}"#,
            "say \"hi\"\\ now",
            r#"{"text":"say \"hi\"\\ now","meta":{"pile_set_name": "Books3"},"pilecurate_id":"i"}"#,
        );
        check(
            r#"{"id" : 7, "text": "a", "nested": {"a": [1, 2.50, "\u00e9"]}}"#,
            "a\nb\r\n\tc",
            r#"{"id":7,"text":"a\nb\r\n\tc","nested":{"a": [1, 2.50, "\u00e9"]},"pilecurate_id":"i"}"#,
        );
        check(
            r#"{"text":"a","pilecurate_id":"old","k\"ey":null}"#,
            "\u{0}\u{1}\u{8}\u{c}\u{1f}\u{7f}",
            "{\"text\":\"\\u0000\\u0001\\b\\f\\u001f\u{7f}\",\"k\\\"ey\":null,\"pilecurate_id\":\"i\"}",
        );
    }

    #[test]
    fn rewrites_a_nested_text_and_numbers_pieces() {
        let layout = RecordLayout {
            text: crate::io::FieldPath::parse("doc.body.text").unwrap(),
            ..RecordLayout::default()
        };
        let input = r#"{"a":1,"doc":{"x":[2],"body":{"text":"old","y":3},"z":4},"b":5}"#;
        let record = parse_record(input.as_bytes(), &layout, true).unwrap();
        assert_eq!(record.text, "old");
        let line = curated_line("new", &record.fields.unwrap(), "f:1", Some(2));
        assert_eq!(
            String::from_utf8(line).unwrap(),
            r#"{"a":1,"doc":{"x":[2],"body":{"text":"new","y":3},"z":4},"b":5,"pilecurate_id":"f:1","pilecurate_piece":2}"#
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
                assert_eq!(json_string_len(&text), ours.len());
                let expected = serde_json::to_vec(&text).expect("serde_json encodes");
                assert_eq!(ours, expected, "{text:?}");
            }
        }
    }

    #[test]
    fn round_trips_every_ascii_byte() {
        let text: String = (0u8..=0x7f).map(char::from).collect();
        let record = parse_record(br#"{"text":"a"}"#, &RecordLayout::default(), true).unwrap();
        let line = curated_line(&text, &record.fields.unwrap(), "", None);
        let parsed: serde_json::Value = serde_json::from_slice(&line).expect("valid JSON");
        assert_eq!(parsed["text"], text);
        assert!(!line.contains(&b'\n'));
    }
}
