//! Lookups that replace merging for most stretches: the stretches that are one token
//! (shared, built on load) and each thread's memory of recent stretches and their ids.
//!
//! A stretch of up to 15 bytes is keyed by value, its bytes and length in a `u128`, and most
//! stretches' ids fit beside the key: no allocation, no string comparison.

use rustc_hash::FxHashMap;

/// Stretches up to this many bytes are keyed by value.
const INLINE: usize = 15;
/// Stretches up to this many bytes are remembered per thread.
const MEMO_BYTES: usize = 64;
/// A thread's memory is emptied when it holds this many stretches.
const MEMO_ENTRIES: usize = 1 << 16;
/// Ids kept beside an inline key.
const INLINE_IDS: usize = 3;

/// The key of a stretch of at most [`INLINE`] bytes.
#[derive(Clone, Copy)]
pub struct Key(Option<u128>);

impl Key {
    /// The key of `word`, by value when it is short enough.
    pub fn of(word: &str) -> Key {
        let bytes = word.as_bytes();
        if bytes.len() > INLINE {
            return Key(None);
        }
        let mut padded = [0; 16];
        padded[..bytes.len()].copy_from_slice(bytes);
        padded[INLINE] = bytes.len() as u8;
        Key(Some(u128::from_le_bytes(padded)))
    }
}

/// Stretches whose encoding is the one token they spell.
#[derive(Default)]
pub struct WholeWords {
    inline: FxHashMap<u128, u32>,
    long: FxHashMap<Box<str>, u32>,
}

impl WholeWords {
    /// Records that `word` encodes to `id` alone.
    pub fn insert(&mut self, word: &str, id: u32) {
        match Key::of(word).0 {
            Some(key) => self.inline.insert(key, id),
            None => self.long.insert(word.into(), id),
        };
    }

    /// The one token of `word`, if it is one.
    pub fn get(&self, word: &str, key: Key) -> Option<u32> {
        match key.0 {
            Some(key) => self.inline.get(&key).copied(),
            None => self.long.get(word).copied(),
        }
    }
}

#[derive(Clone, Copy)]
struct InlineIds {
    len: u32,
    ids: [u32; INLINE_IDS],
}

/// A thread's memory of stretches and their ids (bounded: emptied when full).
#[derive(Default)]
pub struct WordMemo {
    inline: FxHashMap<u128, InlineIds>,
    long: FxHashMap<Box<str>, Box<[u32]>>,
}

impl WordMemo {
    /// Whether a stretch of this length is remembered at all.
    pub fn keeps(word: &str) -> bool {
        word.len() <= MEMO_BYTES
    }

    /// The remembered ids of `word`.
    pub fn get(&self, word: &str, key: Key) -> Option<&[u32]> {
        if let Some(key) = key.0 {
            if let Some(found) = self.inline.get(&key) {
                return Some(&found.ids[..found.len as usize]);
            }
        }
        self.long.get(word).map(|ids| &ids[..])
    }

    /// Remembers the ids of `word`.
    pub fn insert(&mut self, word: &str, key: Key, ids: &[u32]) {
        if self.inline.len() + self.long.len() >= MEMO_ENTRIES {
            self.clear();
        }
        match key.0 {
            Some(key) if ids.len() <= INLINE_IDS => {
                let mut inline = InlineIds {
                    len: ids.len() as u32,
                    ids: [0; INLINE_IDS],
                };
                inline.ids[..ids.len()].copy_from_slice(ids);
                self.inline.insert(key, inline);
            }
            _ => {
                self.long.insert(word.into(), ids.into());
            }
        }
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.inline.clear();
        self.long.clear();
    }
}
