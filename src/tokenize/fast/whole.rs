//! The byte strings that encode to a single token, looked up before any merging: most
//! pre-tokens of real text are whole vocabulary words, so this lookup is the tokenizer's
//! most frequent operation.
//!
//! Strings of up to [`INLINE`] bytes are keyed by value (bytes and length packed into a
//! `u128`), so a lookup compares two words with no pointer to follow into a key stored
//! elsewhere on the heap. In a run, where filters and dedup share the cache, that pointer
//! chase and its `memcmp` were 5% of the CPU time; keyed by value, a run takes 4 to 8% less.

use rustc_hash::FxHashMap;

/// Longest string keyed by value: 15 bytes and the length byte fill a `u128`.
pub const INLINE: usize = 15;

/// Byte strings to the single token each one encodes to.
#[derive(Default)]
pub struct WholeTokens {
    short: FxHashMap<u128, u32>,
    long: FxHashMap<Box<[u8]>, u32>,
    max_len: usize,
}

/// `bytes` (at most [`INLINE`] of them) and their length, packed little-endian: byte `i` of
/// the key is `bytes[i]`, byte 15 the length, the others zero.
///
/// Built from two loads that may overlap, not by copying into a zeroed buffer: reading the
/// buffer back as a `u128` right after a copy of variable length and a byte store missed
/// the CPU's store forwarding, a stall on every lookup (23% of `encode_piece`'s cycles).
#[inline]
pub fn inline_key(bytes: &[u8]) -> u128 {
    let len = bytes.len();
    debug_assert!(len <= INLINE);
    let (low, high) = match len {
        0 => (0, 0),
        1..=3 => {
            let byte = |i: usize| u64::from(bytes[i]) << (8 * i);
            (byte(0) | byte(len / 2) | byte(len - 1), 0)
        }
        4..=7 => {
            let head = u64::from(load_u32(bytes, 0));
            let tail = u64::from(load_u32(bytes, len - 4)) << (8 * (len - 4));
            (head | tail, 0)
        }
        8 => (load_u64(bytes, 0), 0),
        _ => (
            load_u64(bytes, 0),
            load_u64(bytes, len - 8) >> (8 * (16 - len)),
        ),
    };
    let high = high | (len as u64) << 56;
    u128::from(low) | u128::from(high) << 64
}

fn load_u32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

fn load_u64(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

impl WholeTokens {
    /// Records that `bytes` encode to the single token `id`.
    pub fn insert(&mut self, bytes: Vec<u8>, id: u32) {
        self.max_len = self.max_len.max(bytes.len());
        if bytes.len() <= INLINE {
            self.short.insert(inline_key(&bytes), id);
        } else {
            self.long.insert(bytes.into_boxed_slice(), id);
        }
    }

    /// The single token `bytes` encode to, if they are one.
    #[inline]
    pub fn get(&self, bytes: &[u8]) -> Option<u32> {
        if bytes.len() <= INLINE {
            self.get_inline(inline_key(bytes))
        } else if bytes.len() <= self.max_len {
            self.long.get(bytes).copied()
        } else {
            None
        }
    }

    /// [`WholeTokens::get`] for a string of at most [`INLINE`] bytes, by its [`inline_key`].
    #[inline]
    pub fn get_inline(&self, key: u128) -> Option<u32> {
        self.short.get(&key).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key as the doc defines it, spelled out.
    fn packed(bytes: &[u8]) -> u128 {
        let mut packed = [0u8; 16];
        packed[..bytes.len()].copy_from_slice(bytes);
        packed[15] = bytes.len() as u8;
        u128::from_le_bytes(packed)
    }

    #[test]
    fn keys_are_the_bytes_and_length_packed() {
        let bytes: Vec<u8> = (0..INLINE as u8).map(|i| 0xf1 - 13 * i).collect();
        for len in 0..=INLINE {
            for start in 0..=INLINE - len {
                let piece = &bytes[start..start + len];
                assert_eq!(inline_key(piece), packed(piece), "{piece:?}");
            }
        }
    }

    #[test]
    fn keys_tell_apart_lengths_and_trailing_zero_bytes() {
        let mut whole = WholeTokens::default();
        let strings: [&[u8]; 6] = [
            b"",
            b"\0",
            b"a",
            b"a\0",
            b"fifteen bytes!!",
            b"sixteen bytes!!!",
        ];
        for (id, bytes) in strings.iter().enumerate() {
            whole.insert(bytes.to_vec(), id as u32);
        }
        for (id, bytes) in strings.iter().enumerate() {
            assert_eq!(whole.get(bytes), Some(id as u32), "{bytes:?}");
        }
        let long_miss = b"x".repeat(40);
        for missing in [
            &b"\0\0"[..],
            b"b",
            b"fifteen bytes!?",
            b"sixteen bytes!!?",
            &long_miss,
        ] {
            assert_eq!(whole.get(missing), None, "{missing:?}");
        }
    }
}
