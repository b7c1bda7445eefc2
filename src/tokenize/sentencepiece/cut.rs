//! Where a normalized stretch may be cut into pieces that merge on their own.
//!
//! HF merges a whole stretch between added tokens as one word. Two kinds of places are
//! proven, on load, to be places no token can span, so cutting there changes no id:
//! - before a `▁` that follows another character, when no merge joins a token not ending
//!   in `▁` to one starting with it (by induction over merges, no symbol ever spans such a
//!   place), the `▁` is a token, and every character gives a symbol (a dropped character
//!   could put a `▁` left of the place);
//! - around an ASCII character whose one symbol appears in no merge at all (Llama 2's
//!   digits, `\n` and `\t` byte tokens): it stays a token of its own, and it is written
//!   straight away. A byte-fallback symbol only qualifies when no unknown token can be
//!   pending (HF would write a pending one after it).
//!
//! Each piece then merges independently: a heap pop in one piece never changes another's
//! pairs, so every piece's merges happen in the order they would alone.

use super::merge::Merger;
use super::normalize::MARK;

const NONE: u32 = u32::MAX;
const MARK_UTF8: &[u8] = "▁".as_bytes();

/// A piece of a stretch: text to merge, or a token written as it is.
pub enum Piece<'a> {
    Word(&'a str),
    Token(u32),
}

/// The places a tokenizer's stretches may be cut.
pub struct Cutter {
    /// Whether to cut before each `▁` that follows another character.
    marks: bool,
    /// The id of each ASCII character that is a token of its own, else `NONE`.
    alone: [u32; 128],
}

impl Cutter {
    /// Finds the places that are safe for this merger and merge list.
    pub fn new(merger: &Merger, merges: &[(String, String)], unk_token: Option<&str>) -> Cutter {
        let every_char_has_symbols = merger.has_unk() || merger.has_all_bytes();
        let marks = merger.char_id(MARK).is_some()
            && every_char_has_symbols
            && !unk_token.is_some_and(|t| t.ends_with(MARK))
            && !merges
                .iter()
                .any(|(a, b)| b.starts_with(MARK) && !a.ends_with(MARK));
        let merged: rustc_hash::FxHashSet<u32> = merger.merge_sides().collect();
        let mut alone = [NONE; 128];
        let unk_never_pending = !merger.has_unk() || merger.has_all_bytes();
        for (c, slot) in (0..128u8).zip(alone.iter_mut()) {
            let id = match merger.char_id(char::from(c)) {
                Some(id) => id,
                None if unk_never_pending => match merger.byte_id(c) {
                    Some(id) => id,
                    None => continue,
                },
                None => continue,
            };
            if !merged.contains(&id) {
                *slot = id;
            }
        }
        Cutter { marks, alone }
    }

    /// Whether stretches are cut before word marks.
    #[cfg(test)]
    pub fn cuts_at_marks(&self) -> bool {
        self.marks
    }

    /// Whether the ASCII character `c` is a token of its own, cut around.
    #[cfg(test)]
    pub fn is_alone(&self, c: char) -> bool {
        self.alone.get(c as usize).is_some_and(|&id| id != NONE)
    }

    /// Whether any place is cut at all (else a stretch is merged whole).
    pub fn cuts(&self) -> bool {
        self.marks || self.alone.iter().any(|&id| id != NONE)
    }

    /// Calls `f` on each piece of `text`, in order.
    pub fn for_each<'a>(&self, text: &'a str, mut f: impl FnMut(Piece<'a>)) {
        let bytes = text.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if let Some(&id) = self.alone.get(usize::from(b)) {
                if id != NONE {
                    if start < i {
                        f(Piece::Word(&text[start..i]));
                    }
                    f(Piece::Token(id));
                    start = i + 1;
                }
            } else if self.marks
                && b == MARK_UTF8[0]
                && i > start
                && bytes[i..].starts_with(MARK_UTF8)
                && !bytes[..i].ends_with(MARK_UTF8)
            {
                f(Piece::Word(&text[start..i]));
                start = i;
            }
        }
        if start < bytes.len() {
            f(Piece::Word(&text[start..]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(marks: bool, text: &str, expected: &[&str]) {
        let mut alone = [NONE; 128];
        alone[usize::from(b'\n')] = 10;
        alone[usize::from(b'7')] = 7;
        let cutter = Cutter { marks, alone };
        let mut pieces = Vec::new();
        cutter.for_each(text, |piece| {
            pieces.push(match piece {
                Piece::Word(word) => word.to_string(),
                Piece::Token(id) => format!("#{id}"),
            })
        });
        assert_eq!(pieces, expected, "{text:?}");
    }

    #[test]
    fn cuts_before_word_marks_and_around_lone_tokens() {
        check(true, "", &[]);
        check(true, "▁a▁bc", &["▁a", "▁bc"]);
        check(true, "x▁▁▁y▁", &["x", "▁▁▁y", "▁"]);
        check(true, "▁▁", &["▁▁"]);
        check(true, "a\n▁b", &["a", "#10", "▁b"]);
        check(true, "▁\n▁", &["▁", "#10", "▁"]);
        check(true, "▁a77▁b\n\n", &["▁a", "#7", "#7", "▁b", "#10", "#10"]);
        check(false, "▁a77▁b▁", &["▁a", "#7", "#7", "▁b▁"]);
        check(false, "é▁ü", &["é▁ü"]);
    }
}
