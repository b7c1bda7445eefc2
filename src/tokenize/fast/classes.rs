//! The character classes that the `Split` regexes of the cl100k and o200k families tell
//! apart, one byte per character: a table for ASCII, one for the rest of the Basic
//! Multilingual Plane (built once), the Unicode tables for astral characters.
//!
//! Oniguruma's `\p{L}` is `Lu|Ll|Lt|Lm|Lo`, `\p{N}` is `Nd|Nl|No` and `\p{M}` is
//! `Mn|Mc|Me`; `\s` is its own list. A test checks every code point against Oniguruma.

use std::sync::OnceLock;
use unicode_general_category::{GeneralCategory, get_general_category};

/// What the regexes see in one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Cat {
    /// `Lu` or `Lt`: only in o200k's upper-case class.
    Upper,
    /// `Ll`: only in o200k's lower-case class.
    Lower,
    /// `Lm` or `Lo`: in both of o200k's letter classes.
    Caseless,
    /// `\p{M}`: in both of o200k's letter classes, "other" for cl100k.
    Mark,
    /// `\p{N}`.
    Number,
    /// `\r` or `\n`.
    Newline,
    /// Any other `\s`.
    Space,
    /// Everything else.
    Other,
}

impl Cat {
    /// `\p{L}`.
    #[inline]
    pub fn is_letter(self) -> bool {
        matches!(self, Cat::Upper | Cat::Lower | Cat::Caseless)
    }

    /// `\s`.
    #[inline]
    pub fn is_space(self) -> bool {
        matches!(self, Cat::Newline | Cat::Space)
    }

    /// `[^\s\p{L}\p{N}]`.
    #[inline]
    pub fn is_other(self) -> bool {
        matches!(self, Cat::Mark | Cat::Other)
    }

    /// `[^\r\n\p{L}\p{N}]`: the one character a word may start with.
    #[inline]
    pub fn is_prefix(self) -> bool {
        matches!(self, Cat::Mark | Cat::Other | Cat::Space)
    }
}

const ASCII: [Cat; 128] = {
    let mut cats = [Cat::Other; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        cats[b] = if c.is_ascii_uppercase() {
            Cat::Upper
        } else if c.is_ascii_lowercase() {
            Cat::Lower
        } else if c.is_ascii_digit() {
            Cat::Number
        } else if matches!(c, b'\r' | b'\n') {
            Cat::Newline
        } else if matches!(c, b'\t' | 0x0b | 0x0c | b' ') {
            Cat::Space
        } else {
            Cat::Other
        };
        b += 1;
    }
    cats
};

fn slow_cat(c: char) -> Cat {
    if c.is_ascii() {
        return ASCII[c as usize];
    }
    if c.is_whitespace() {
        return Cat::Space;
    }
    use GeneralCategory::*;
    match get_general_category(c) {
        UppercaseLetter | TitlecaseLetter => Cat::Upper,
        LowercaseLetter => Cat::Lower,
        ModifierLetter | OtherLetter => Cat::Caseless,
        NonspacingMark | SpacingMark | EnclosingMark => Cat::Mark,
        DecimalNumber | LetterNumber | OtherNumber => Cat::Number,
        _ => Cat::Other,
    }
}

/// The class of every Basic Multilingual Plane code point (surrogates: `Other`).
fn bmp() -> &'static [Cat] {
    static BMP: OnceLock<Box<[Cat]>> = OnceLock::new();
    BMP.get_or_init(|| {
        (0..=0xFFFF_u32)
            .map(|cp| char::from_u32(cp).map_or(Cat::Other, slow_cat))
            .collect()
    })
}

/// Looks up character classes in a text.
#[derive(Clone, Copy)]
pub struct Classes {
    bmp: &'static [Cat],
}

impl Default for Classes {
    fn default() -> Self {
        Classes { bmp: bmp() }
    }
}

impl Classes {
    /// The class and UTF-8 width of the character starting at byte `i` of `bytes` (valid
    /// UTF-8, `i` a char boundary below its length).
    #[inline]
    pub fn at(&self, bytes: &[u8], i: usize) -> (Cat, usize) {
        let b0 = bytes[i];
        if b0 < 0x80 {
            return (ASCII[usize::from(b0)], 1);
        }
        let cont = |k: usize| u32::from(bytes.get(i + k).copied().unwrap_or(0x80) & 0x3F);
        if b0 < 0xE0 {
            let cp = (u32::from(b0 & 0x1F) << 6) | cont(1);
            (self.bmp[cp as usize], 2)
        } else if b0 < 0xF0 {
            let cp = (u32::from(b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2);
            (self.bmp[cp as usize], 3)
        } else {
            let cp = (u32::from(b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
            (char::from_u32(cp).map_or(Cat::Other, slow_cat), 4)
        }
    }

    /// The class of `c`.
    #[cfg(test)]
    pub fn of(&self, c: char) -> Cat {
        let mut buf = [0; 4];
        self.at(c.encode_utf8(&mut buf).as_bytes(), 0).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code point's class agrees with Oniguruma's property classes and `\s`.
    #[test]
    fn classes_match_oniguruma() {
        let class = |pattern: &str| onig::Regex::new(&format!(r"\A{pattern}\z")).expect("regex");
        let expected = [
            (class(r"[\p{Lu}\p{Lt}]"), Cat::Upper),
            (class(r"\p{Ll}"), Cat::Lower),
            (class(r"[\p{Lm}\p{Lo}]"), Cat::Caseless),
            (class(r"\p{M}"), Cat::Mark),
            (class(r"\p{N}"), Cat::Number),
            (class(r"[\r\n]"), Cat::Newline),
            (class(r"\s"), Cat::Space),
        ];
        let classes = Classes::default();
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            let want = expected
                .iter()
                .find(|(regex, _)| regex.is_match(s))
                .map_or(Cat::Other, |(_, cat)| *cat);
            assert_eq!(classes.of(c), want, "U+{:04X}", c as u32);
        }
    }
}
