//! The GPT-2 pre-tokenizer as a hand-written scanner.
//!
//! It splits text exactly as HF's ByteLevel pre-tokenizer does with the Oniguruma regex
//! `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`, without a
//! regex engine: every character is a letter, a number, whitespace or other, and each
//! alternative is a run of one class. The character classes follow Unicode 16.0, the version of
//! Oniguruma's tables; a test checks all code points against Oniguruma itself.

use unicode_general_category::{GeneralCategory, get_general_category};

/// The four character classes the GPT-2 regex distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Number,
    Space,
    Other,
}

const ASCII_CLASSES: [Class; 128] = {
    let mut classes = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        classes[b] = if c.is_ascii_alphabetic() {
            Class::Letter
        } else if c.is_ascii_digit() {
            Class::Number
        } else if matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
            Class::Space
        } else {
            Class::Other
        };
        b += 1;
    }
    classes
};

fn class(c: char) -> Class {
    if c.is_ascii() {
        return ASCII_CLASSES[c as usize];
    }
    if c.is_whitespace() {
        return Class::Space;
    }
    use GeneralCategory::*;
    match get_general_category(c) {
        UppercaseLetter | LowercaseLetter | TitlecaseLetter | ModifierLetter | OtherLetter => {
            Class::Letter
        }
        DecimalNumber | LetterNumber | OtherNumber => Class::Number,
        _ => Class::Other,
    }
}

/// The class and UTF-8 width of the character starting at byte `i` (a char boundary).
fn class_at(text: &str, i: usize) -> (Class, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (ASCII_CLASSES[b as usize], 1);
    }
    match text[i..].chars().next() {
        Some(c) => (class(c), c.len_utf8()),
        None => (Class::Other, 1),
    }
}

/// The end of the run of `k`-class characters that starts at byte `i`.
fn run_end(text: &str, mut i: usize, k: Class) -> usize {
    while i < text.len() {
        let (c, width) = class_at(text, i);
        if c != k {
            break;
        }
        i += width;
    }
    i
}

/// The end of the pre-token that starts at byte `start` (`start < text.len()`).
fn piece_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    if bytes[start] == b'\'' {
        match bytes.get(start + 1..) {
            Some([b's' | b't' | b'm' | b'd', ..]) => return start + 2,
            Some([b'r', b'e', ..] | [b'v', b'e', ..] | [b'l', b'l', ..]) => return start + 3,
            _ => {}
        }
    }
    let (first, width) = class_at(text, start);
    if bytes[start] == b' ' && start + 1 < text.len() {
        let (next, _) = class_at(text, start + 1);
        if next != Class::Space {
            return run_end(text, start + 1, next);
        }
    }
    if first != Class::Space {
        return run_end(text, start, first);
    }
    // `\s+(?!\S)` backs off one character before a non-space, unless that empties the
    // match; then `\s+` takes the whole (single-character) run.
    let mut last = start;
    let mut i = start + width;
    while i < text.len() {
        let (c, w) = class_at(text, i);
        if c != Class::Space {
            return if last > start { last } else { i };
        }
        last = i;
        i += w;
    }
    i
}

/// The GPT-2 pre-tokens of `text`, in order; together they cover it exactly.
pub fn pieces(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = piece_end(text, start);
        let piece = &text[start..end];
        start = end;
        Some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(pieces(text).collect::<Vec<_>>(), expected, "{text:?}");
    }

    #[test]
    fn splits_like_the_gpt2_regex() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("Hello world", &["Hello", " world"]),
            (
                "it's 'S we'll ''s",
                &["it", "'s", " '", "S", " we", "'ll", " ''", "s"],
            ),
            ("a  b", &["a", " ", " b"]),
            ("a\t\tb", &["a", "\t", "\t", "b"]),
            ("a \n b", &["a", " \n", " b"]),
            ("x   ", &["x", "   "]),
            (" 123abc!!", &[" 123", "abc", "!!"]),
            ("\u{a0}x \u{3000}", &["\u{a0}", "x", " \u{3000}"]),
            ("日本語 ٣٤", &["日本語", " ٣٤"]),
        ];
        for (text, expected) in cases {
            check(text, expected);
        }
    }

    /// Every code point's class agrees with Oniguruma's `\p{L}`, `\p{N}` and `\s`.
    #[test]
    fn classes_match_oniguruma() {
        let letter = onig::Regex::new(r"\A\p{L}\z").expect("regex");
        let number = onig::Regex::new(r"\A\p{N}\z").expect("regex");
        let space = onig::Regex::new(r"\A\s\z").expect("regex");
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            let expected = if letter.is_match(s) {
                Class::Letter
            } else if number.is_match(s) {
                Class::Number
            } else if space.is_match(s) {
                Class::Space
            } else {
                Class::Other
            };
            assert_eq!(class(c), expected, "U+{:04X}", c as u32);
        }
    }
}
