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

/// `bytes` (at most [`INLINE`] of them) and their length, packed little-endian.
pub fn inline_key(bytes: &[u8]) -> u128 {
    let mut packed = [0u8; 16];
    packed[..bytes.len()].copy_from_slice(bytes);
    packed[15] = bytes.len() as u8;
    u128::from_le_bytes(packed)
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
