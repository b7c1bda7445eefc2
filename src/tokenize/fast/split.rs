//! The `Split` pre-tokenizers of the cl100k family (Llama 3, OLMo 2, Qwen 2 with one digit
//! per number) and of o200k (GPT-4o) as hand-written scanners, exact to Oniguruma.
//!
//! A regex is recognised only when its text is one of [`Family::recognise`]'s, character for
//! character; any other regex is a misfit. Each scanner follows its regex's alternatives in
//! order, with the backtracking Oniguruma does spelled out where it matters (o200k's two
//! overlapping letter classes, `\s*[\r\n]+`, `\s+(?!\S)`). Every character starts a match,
//! so the text between matches is always empty: `Isolated` and `Removed` with `invert`
//! give the same pieces. The tests compare the scanners with Oniguruma on adversarial text.

use super::classes::{Cat, Classes};

/// The cl100k regex, as Llama 3 and OLMo 2 write it.
pub const CL100K: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
/// The cl100k regex with one digit per number, as Qwen 2 writes it.
pub const CL100K_DIGIT: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
/// The o200k regex, as GPT-4o's tokenizer.json writes it.
pub const O200K: &str = r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// A family of `Split` regexes the scanner knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Contractions first, `\p{L}+` words, then numbers of at most `max_digits` characters.
    Cl100k { max_digits: usize },
    /// Case-aware words with contractions as suffixes, numbers of at most three characters.
    O200k,
}

impl Family {
    /// The family whose regex is exactly `regex`, if any.
    pub fn recognise(regex: &str) -> Option<Family> {
        match regex {
            CL100K => Some(Family::Cl100k { max_digits: 3 }),
            CL100K_DIGIT => Some(Family::Cl100k { max_digits: 1 }),
            O200K => Some(Family::O200k),
            _ => None,
        }
    }
}

/// Splits text into the pieces a `Split` pre-tokenizer of one family gives.
pub struct Scanner {
    family: Family,
    classes: Classes,
}

impl Scanner {
    /// A scanner for `family`.
    pub fn new(family: Family) -> Scanner {
        Scanner {
            family,
            classes: Classes::default(),
        }
    }

    /// The pieces of `text`, in order; together they cover it exactly.
    pub fn pieces<'a>(&'a self, text: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let mut start = 0;
        std::iter::from_fn(move || {
            if start >= text.len() {
                return None;
            }
            let end = match self.family {
                Family::Cl100k { max_digits } => {
                    self.cl100k_end(text.as_bytes(), start, max_digits)
                }
                Family::O200k => self.o200k_end(text.as_bytes(), start),
            };
            let piece = &text[start..end];
            start = end;
            Some(piece)
        })
    }

    /// The end of the match of the cl100k regex that starts at byte `start`.
    fn cl100k_end(&self, b: &[u8], start: usize, max_digits: usize) -> usize {
        if let Some(end) = contraction_end(b, start) {
            return end;
        }
        let (c0, w0) = self.classes.at(b, start);
        if c0.is_letter() {
            return self.run(b, start, Cat::is_letter);
        }
        if c0.is_prefix() && start + w0 < b.len() && self.classes.at(b, start + w0).0.is_letter() {
            return self.run(b, start + w0, Cat::is_letter);
        }
        if c0 == Cat::Number {
            return self.numbers_end(b, start, max_digits);
        }
        if let Some(end) = self.punctuation_end(b, start, c0) {
            return newlines_end(b, end, false);
        }
        self.space_end(b, start)
    }

    /// The end of the match of the o200k regex that starts at byte `start`.
    fn o200k_end(&self, b: &[u8], start: usize) -> usize {
        let (c0, w0) = self.classes.at(b, start);
        // Alternatives 1 and 2, each first with the one-character prefix, then without.
        if c0.is_prefix() && start + w0 < b.len() {
            if let Some(end) = self.mixed_word_end(b, start + w0) {
                return end;
            }
            // Without the prefix, a mark starts alternative 1 itself, which then matches.
            if c0 != Cat::Mark {
                if let Some(end) = self.upper_word_end(b, start + w0) {
                    return end;
                }
            }
        }
        if c0.is_letter() || c0 == Cat::Mark {
            if let Some(end) = self
                .mixed_word_end(b, start)
                .or_else(|| self.upper_word_end(b, start))
            {
                return end;
            }
        }
        if c0 == Cat::Number {
            return self.numbers_end(b, start, 3);
        }
        if let Some(end) = self.punctuation_end(b, start, c0) {
            return newlines_end(b, end, true);
        }
        self.space_end(b, start)
    }

    /// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+` and a contraction from
    /// `p`. The upper run is taken whole, then given back a character at a time until the
    /// lower-case class can start: at the character after the run (only `Ll` can be there),
    /// or at the run's last character that is in both classes.
    fn mixed_word_end(&self, b: &[u8], p: usize) -> Option<usize> {
        let mut i = p;
        let mut last_both_end = None;
        while i < b.len() {
            let (c, w) = self.classes.at(b, i);
            if !is_upper_class(c) {
                break;
            }
            if is_lower_class(c) {
                last_both_end = Some(i + w);
            }
            i += w;
        }
        let end = if i < b.len() && self.classes.at(b, i).0 == Cat::Lower {
            self.run(b, i, is_lower_class)
        } else {
            last_both_end?
        };
        Some(contraction_end(b, end).unwrap_or(end))
    }

    /// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*` and a contraction from `p`.
    fn upper_word_end(&self, b: &[u8], p: usize) -> Option<usize> {
        let upper_end = self.run(b, p, is_upper_class);
        if upper_end == p {
            return None;
        }
        let end = self.run(b, upper_end, is_lower_class);
        Some(contraction_end(b, end).unwrap_or(end))
    }

    /// `\p{N}{1,max}` from `start`, a number.
    fn numbers_end(&self, b: &[u8], start: usize, max: usize) -> usize {
        let mut i = start;
        for _ in 0..max {
            if i >= b.len() {
                break;
            }
            let (c, w) = self.classes.at(b, i);
            if c != Cat::Number {
                break;
            }
            i += w;
        }
        i
    }

    /// ` ?[^\s\p{L}\p{N}]+` from `start`, if it matches there.
    fn punctuation_end(&self, b: &[u8], start: usize, c0: Cat) -> Option<usize> {
        if b[start] == b' ' && start + 1 < b.len() && self.classes.at(b, start + 1).0.is_other() {
            return Some(self.run(b, start + 1, Cat::is_other));
        }
        c0.is_other().then(|| self.run(b, start, Cat::is_other))
    }

    /// `\s*[\r\n]+|\s+(?!\S)|\s+` from `start`, a space: up to the last line break of the
    /// run of spaces if it has one, else the whole run at the end of the text, else the run
    /// but its last character (which goes with the word after it) unless that is all of it.
    fn space_end(&self, b: &[u8], start: usize) -> usize {
        let mut i = start;
        let mut last_start = start;
        let mut last_newline_end = None;
        while i < b.len() {
            let (c, w) = self.classes.at(b, i);
            if !c.is_space() {
                break;
            }
            if c == Cat::Newline {
                last_newline_end = Some(i + w);
            }
            last_start = i;
            i += w;
        }
        match last_newline_end {
            Some(end) => end,
            None if i == b.len() || last_start == start => i,
            None => last_start,
        }
    }

    /// The end of the run of characters of a class that starts at byte `i`.
    #[inline]
    fn run(&self, b: &[u8], mut i: usize, class: impl Fn(Cat) -> bool) -> usize {
        while i < b.len() {
            let (c, w) = self.classes.at(b, i);
            if !class(c) {
                break;
            }
            i += w;
        }
        i
    }
}

/// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`, o200k's upper-case class.
fn is_upper_class(c: Cat) -> bool {
    matches!(c, Cat::Upper | Cat::Caseless | Cat::Mark)
}

/// `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`, o200k's lower-case class.
fn is_lower_class(c: Cat) -> bool {
    matches!(c, Cat::Lower | Cat::Caseless | Cat::Mark)
}

/// `[\r\n]*` (or `[\r\n/]*`) from `i`.
fn newlines_end(b: &[u8], mut i: usize, slash: bool) -> usize {
    while i < b.len() && (matches!(b[i], b'\r' | b'\n') || (slash && b[i] == b'/')) {
        i += 1;
    }
    i
}

/// `(?i:'s|'t|'re|'ve|'m|'ll|'d)` at `i`. Oniguruma folds case by Unicode's rules, under
/// which only `ſ` (U+017F, folding to `s`) joins the ASCII letters.
fn contraction_end(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'\'') {
        return None;
    }
    let lower = |k: usize| b.get(i + k).map(u8::to_ascii_lowercase);
    match lower(1)? {
        b's' | b't' | b'm' | b'd' => Some(i + 2),
        b'r' | b'v' if lower(2) == Some(b'e') => Some(i + 3),
        b'l' if lower(2) == Some(b'l') => Some(i + 3),
        0xC5 if b.get(i + 2) == Some(&0xBF) => Some(i + 3),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
