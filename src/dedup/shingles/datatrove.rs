//! [`super::TextNorm::Datatrove`]'s words: a byte loop where ASCII (nearly all text) is
//! classified by a table, and only other characters look up their Unicode category.

use unicode_general_category::{GeneralCategory as Cat, get_general_category};

/// What an ASCII byte is to [`TextNorm::Datatrove`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum AsciiClass {
    /// Part of a word (lowercased).
    Word,
    /// Whitespace or punctuation: ends a word.
    Separator,
    /// A decimal digit: starts a number.
    Digit,
}

/// The class of each ASCII byte, so the common case needs no Unicode table lookup.
const ASCII_CLASSES: [AsciiClass; 128] = {
    let mut classes = [AsciiClass::Word; 128];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        classes[byte] = if b.is_ascii_digit() {
            AsciiClass::Digit
        } else if b.is_ascii_whitespace() || b == b'\x0B' || b.is_ascii_punctuation() {
            AsciiClass::Separator
        } else {
            AsciiClass::Word
        };
        byte += 1;
    }
    classes
};

/// Whether `c` is a decimal digit (Unicode `Nd`).
fn is_decimal(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        get_general_category(c) == Cat::DecimalNumber
    }
}

/// The character starting at byte `at` of `text` (a char boundary) and its length.
fn char_at(text: &str, at: usize) -> Option<(char, usize)> {
    let c = text.get(at..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// Calls `on_word` with each word of `text` under [`TextNorm::Datatrove`].
pub(super) fn for_each_datatrove_word(
    text: &str,
    word: &mut Vec<u8>,
    on_word: &mut impl FnMut(&[u8]),
) {
    word.clear();
    let bytes = text.as_bytes();
    let mut utf8 = [0u8; 4];
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let c = if byte.is_ascii() {
            match ASCII_CLASSES[usize::from(byte)] {
                AsciiClass::Word => {
                    let start = at;
                    at += 1;
                    while bytes.get(at).is_some_and(|&b| {
                        b.is_ascii() && ASCII_CLASSES[usize::from(b)] == AsciiClass::Word
                    }) {
                        at += 1;
                    }
                    word.extend(bytes[start..at].iter().map(u8::to_ascii_lowercase));
                    continue;
                }
                AsciiClass::Separator => {
                    if !word.is_empty() {
                        on_word(word);
                        word.clear();
                    }
                    at += 1;
                    continue;
                }
                AsciiClass::Digit => char::from(byte),
            }
        } else {
            match char_at(text, at) {
                Some((c, _)) => c,
                None => break,
            }
        };
        at += c.len_utf8();
        let category = if c.is_ascii() {
            Cat::DecimalNumber
        } else {
            get_general_category(c)
        };
        if category == Cat::DecimalNumber {
            // A number, with at most one inner separator followed by digits, becomes "0".
            at = skip_decimals(text, at);
            if matches!(bytes.get(at), Some(b'.' | b','))
                && char_at(text, at + 1).is_some_and(|(d, _)| is_decimal(d))
            {
                at = skip_decimals(text, at + 1);
            }
            word.push(b'0');
        } else if c.is_whitespace() || is_punctuation(category) {
            if !word.is_empty() {
                on_word(word);
                word.clear();
            }
        } else if category != Cat::NonspacingMark {
            for lower in c.to_lowercase() {
                word.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
            }
        }
    }
    if !word.is_empty() {
        on_word(word);
    }
}

/// The byte offset of the first character at or after `at` that is not a decimal digit.
fn skip_decimals(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii_digit() {
            at += 1;
        } else if byte.is_ascii() {
            break;
        } else {
            match char_at(text, at) {
                Some((d, len)) if is_decimal(d) => at += len,
                _ => break,
            }
        }
    }
    at
}

fn is_punctuation(category: Cat) -> bool {
    matches!(
        category,
        Cat::ConnectorPunctuation
            | Cat::DashPunctuation
            | Cat::OpenPunctuation
            | Cat::ClosePunctuation
            | Cat::InitialPunctuation
            | Cat::FinalPunctuation
            | Cat::OtherPunctuation
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_datatrove_word(text, &mut Vec::new(), &mut |w| {
            out.push(String::from_utf8(w.to_vec()).expect("utf-8"))
        });
        out
    }

    #[test]
    fn datatrove_normalization_table() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("Hello, World!", &["hello", "world"]),
            ("pi is 3.14159 or 3,14", &["pi", "is", "0", "or", "0"]),
            ("v2 1999-2020", &["v0", "0", "0"]),
            ("end. 12.", &["end", "0"]),
            ("it's «quoted»", &["it", "s", "quoted"]),
            ("cafe\u{301} ÉTÉ", &["cafe", "été"]),
            ("a_b a+b", &["a", "b", "a", "b"]),
        ];
        for &(text, expected) in cases {
            assert_eq!(words(text), expected, "{text:?}");
        }
    }

    /// The rule as first written, a `char` at a time with a category lookup for every
    /// non-ASCII character and digit: the reference the byte loop must equal.
    fn reference_words(text: &str, word: &mut Vec<u8>, on_word: &mut impl FnMut(&[u8])) {
        word.clear();
        let mut utf8 = [0u8; 4];
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_ascii() && !c.is_ascii_digit() {
                // The common case without a Unicode table lookup.
                if c.is_ascii_whitespace() || c == '\x0B' || c.is_ascii_punctuation() {
                    if !word.is_empty() {
                        on_word(word);
                        word.clear();
                    }
                } else {
                    word.push(c.to_ascii_lowercase() as u8);
                }
                continue;
            }
            let category = get_general_category(c);
            if category == Cat::DecimalNumber {
                // A number, with at most one inner separator followed by digits, becomes "0".
                while chars
                    .peek()
                    .is_some_and(|&d| get_general_category(d) == Cat::DecimalNumber)
                {
                    chars.next();
                }
                let mut ahead = chars.clone();
                if matches!(ahead.next(), Some('.' | ','))
                    && ahead
                        .peek()
                        .is_some_and(|&d| get_general_category(d) == Cat::DecimalNumber)
                {
                    chars.next();
                    while chars
                        .peek()
                        .is_some_and(|&d| get_general_category(d) == Cat::DecimalNumber)
                    {
                        chars.next();
                    }
                }
                word.push(b'0');
            } else if c.is_whitespace() || c.is_ascii_punctuation() || is_punctuation(category) {
                if !word.is_empty() {
                    on_word(word);
                    word.clear();
                }
            } else if category != Cat::NonspacingMark {
                for lower in c.to_lowercase() {
                    word.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
                }
            }
        }
        if !word.is_empty() {
            on_word(word);
        }
    }

    #[test]
    fn byte_loop_equals_the_reference_on_random_text() {
        // ASCII classes and the characters the rule treats specially: Unicode digits
        // (Arabic-Indic, fullwidth, Devanagari), `No` digits that are not `Nd`, marks,
        // Unicode punctuation and spaces, case pairs whose lowercase changes length.
        let alphabet: Vec<char> = "aZ09 .,;-_\t\n\x0b\x00\x7f'\"\u{663}\u{FF13}\u{967}\u{BD}\u{B2}\
             \u{301}\u{20DD}«»\u{2014}\u{3001}\u{A0}\u{3000}\u{2028}ÉİẞΣ日🦀"
            .chars()
            .collect();
        let mut state = 17u64;
        for n_chars in 0..2000 {
            let text: String = (0..n_chars % 40)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    alphabet[(state >> 33) as usize % alphabet.len()]
                })
                .collect();
            let (mut got, mut expected) = (Vec::new(), Vec::new());
            for_each_datatrove_word(&text, &mut Vec::new(), &mut |w| got.push(w.to_vec()));
            reference_words(&text, &mut Vec::new(), &mut |w| expected.push(w.to_vec()));
            assert_eq!(got, expected, "{text:?}");
        }
    }
}
