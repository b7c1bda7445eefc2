//! Eight ASCII bytes classified at once in a `u64` (SWAR), with no table load or branch per
//! byte: the word scanners of the filters, dedup and decontamination find where a word ends
//! a block at a time instead of a byte at a time.
//!
//! A block's flags are bit 7 of each byte; they are exact for the bytes before the block's
//! first non-ASCII byte, which every caller stops at.

/// `0x01` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// `0x80` in every byte: where each byte's flag is kept.
pub const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Bit 7 of each byte of `x` whose value lies in `lo..=hi` (`1 <= lo <= hi < 0x80`). Only the
/// bytes below the first byte of `x` that is `0x80` or more are meaningful: a byte's sum may
/// carry into the bytes after it, never into those before.
#[inline(always)]
fn bytes_in(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = x.wrapping_add(ONES * u64::from(0x80 - lo));
    let above_hi = x.wrapping_add(ONES * u64::from(0x7f - hi));
    at_least_lo & !above_hi & HIGHS
}

/// Eight bytes read in text order (little-endian: the first byte is the lowest).
#[inline(always)]
pub fn load(bytes: &[u8], at: usize) -> u64 {
    let block: [u8; 8] = bytes[at..at + 8].try_into().expect("eight bytes");
    u64::from_le_bytes(block)
}

/// For the bytes of `x`: bit 7 set in each that is `\w` (ASCII letter, digit or `_`), and
/// `x` with its upper-case letters lower-cased. Meaningful below the first non-ASCII byte.
#[inline(always)]
pub fn classify(x: u64) -> (u64, u64) {
    let upper = bytes_in(x, b'A', b'Z');
    let word =
        bytes_in(x | (ONES * 0x20), b'a', b'z') | bytes_in(x, b'0', b'9') | bytes_in(x, b'_', b'_');
    // A flag at bit 7 shifted right by two is 0x20 in the same byte: the case bit.
    (word, x.wrapping_add(upper >> 2))
}

/// For the bytes of `x`: bit 7 set in each that is an ASCII letter or digit, and in each
/// that is a letter. Meaningful below the first non-ASCII byte.
#[inline(always)]
pub fn alnum_and_letters(x: u64) -> (u64, u64) {
    let letters = bytes_in(x | (ONES * 0x20), b'a', b'z');
    (letters | bytes_in(x, b'0', b'9'), letters)
}

/// For the bytes of `x`: bit 7 set in each that is ASCII whitespace as [`char::is_whitespace`]
/// sees it (tab, line feed, vertical tab, form feed, carriage return, space). Meaningful below
/// the first non-ASCII byte.
#[inline(always)]
pub fn spaces(x: u64) -> u64 {
    bytes_in(x, b'\t', b'\r') | bytes_in(x, b' ', b' ')
}

/// The flags of the first `n` bytes of a block only (`n <= 8`).
#[inline(always)]
pub fn first_bytes(flags: u64, n: usize) -> u64 {
    match n {
        8 => flags,
        _ => flags & ((1 << (8 * n)) - 1),
    }
}

/// How many bytes of `x`, from the first, come before the first byte with a bit of `flags`
/// set (8 when none is).
#[inline(always)]
pub fn bytes_before(flags: u64) -> usize {
    (flags.trailing_zeros() / 8) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ASCII byte at every position, among neighbours of every kind, and non-ASCII
    /// bytes after it: the flags and lower-case forms of the bytes before them are exact.
    #[test]
    fn classifies_every_ascii_byte_at_every_position() {
        let fillers = [
            b' ', b'a', b'Z', b'_', b'9', 0x7f, 0x00, b'@', b'[', b'`', b'{', b'\t', b'\r', 0x1f,
        ];
        for b in 0u8..0x80 {
            for position in 0..8 {
                for &filler in &fillers {
                    for tail in [None, Some(0x80u8), Some(0xff)] {
                        let mut block = [filler; 8];
                        block[position] = b;
                        let valid = match tail {
                            Some(high) if position < 7 => {
                                block[position + 1..].fill(high);
                                position + 1
                            }
                            _ => 8,
                        };
                        let x = u64::from_le_bytes(block);
                        let (word, lower) = classify(x);
                        let (alnum, letters) = alnum_and_letters(x);
                        let space = spaces(x);
                        let lower = lower.to_le_bytes();
                        let flag = |flags: u64, k: usize| flags >> (8 * k + 7) & 1 == 1;
                        for k in 0..valid {
                            let c = block[k];
                            let is_word = c.is_ascii_alphanumeric() || c == b'_';
                            assert_eq!(flag(word, k), is_word, "{block:?} {k}");
                            assert_eq!(lower[k], c.to_ascii_lowercase(), "{block:?} {k}");
                            assert_eq!(flag(alnum, k), c.is_ascii_alphanumeric(), "{block:?}");
                            assert_eq!(flag(letters, k), c.is_ascii_alphabetic(), "{block:?}");
                            let is_space = char::from(c).is_whitespace();
                            assert_eq!(flag(space, k), is_space, "{block:?} {k}");
                        }
                        for n in 0..=8 {
                            let kept = first_bytes(HIGHS, n);
                            assert_eq!(kept.count_ones() as usize, n);
                            assert_eq!(bytes_before(!kept & HIGHS), n);
                        }
                        assert_eq!(bytes_before(x & HIGHS), valid, "{block:?}");
                    }
                }
            }
        }
    }
}
