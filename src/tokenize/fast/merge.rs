//! The BPE core: turns one pre-token's bytes into ids with HF's merge order.
//!
//! HF merges, again and again, the adjacent pair whose merge rule comes first in the file,
//! leftmost on ties. Three paths give that same result:
//! - a pre-token that is itself a token whose own encoding is that token (checked for every
//!   token when the tables are built) is one hash lookup, which covers most real words;
//! - a short pre-token rescans a small array of pair ranks after each merge;
//! - a long one pops (rank, position) entries from a priority queue ([`Queue`]) over a linked
//!   list of symbols, as HF does with its heap: time about linear in the pre-token's length.

use super::cache::PieceCache;
use super::config::{Misfit, Vocab};
use super::queue::Queue;
use super::whole::{INLINE, WholeTokens, inline_key};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Pre-tokens up to this many bytes take the rescanning path.
const SHORT: usize = 48;
const NO_MERGE: u64 = u64::MAX;
const END: u32 = u32::MAX;

/// GPT-2's printable stand-in for each byte, the alphabet of byte-level vocabularies.
pub fn byte_chars() -> [char; 256] {
    let mut chars = ['\0'; 256];
    let mut n = 0;
    for b in 0..=255u8 {
        let printable = matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
        let code = if printable {
            u32::from(b)
        } else {
            n += 1;
            255 + n
        };
        chars[usize::from(b)] = char::from_u32(code).unwrap_or('\0');
    }
    chars
}

/// Merge tables built from a vocabulary and its merges.
pub struct Merger {
    byte_ids: [u32; 256],
    /// Byte strings whose whole encoding is one token.
    whole: WholeTokens,
    /// `left << 32 | right` to `rank << 32 | merged`.
    pairs: FxHashMap<u64, u64>,
}

/// Buffers reused across pre-tokens, and the memory of short pre-tokens' ids.
#[derive(Default)]
pub struct Scratch {
    pub cache: PieceCache,
    ids: Vec<u32>,
    ranks: Vec<u64>,
    symbols: Vec<Symbol>,
}

impl Scratch {
    /// Buffers grown past this many entries (by one giant pre-token) are freed, so a thread
    /// does not keep them for the rest of the run.
    const KEEP: usize = 1 << 16;

    /// Frees the buffers a giant pre-token grew.
    pub fn release_large(&mut self) {
        if self
            .ids
            .capacity()
            .max(self.ranks.capacity())
            .max(self.symbols.capacity())
            > Self::KEEP
        {
            (self.ids, self.ranks, self.symbols) = Default::default();
        }
    }
}

impl Merger {
    /// Builds the tables; `ignore_merges` makes any token that a whole pre-token spells win.
    pub fn new(
        vocab: &Vocab,
        merges: &[(String, String)],
        ignore_merges: bool,
    ) -> Result<Merger, Misfit> {
        let misfit = |reason: &str| Err(Misfit(reason.to_string()));
        let chars = byte_chars();
        // Byte of each alphabet character, by code point (all below U+0144): a load, not a
        // hash, for each of the vocabulary's 300,000 characters.
        let mut byte_of = vec![None; chars.iter().map(|&c| c as usize + 1).max().unwrap_or(0)];
        let mut byte_ids = [0; 256];
        for (b, c) in (0..=255u8).zip(chars) {
            byte_of[c as usize] = Some(b);
            match vocab.get(c.encode_utf8(&mut [0; 4]) as &str) {
                Some(&id) => byte_ids[usize::from(b)] = id,
                None => return misfit("its vocabulary lacks some of the 256 byte symbols"),
            }
        }
        let mut ids: Vec<u32> = vocab.values().copied().collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return misfit("two tokens of its vocabulary share an id");
        }
        let mut pairs = FxHashMap::default();
        pairs.reserve(merges.len());
        let mut joined = String::new();
        for (rank, (a, b)) in merges.iter().enumerate() {
            joined.clear();
            joined.push_str(a);
            joined.push_str(b);
            let (Some(&left), Some(&right), Some(&merged)) =
                (vocab.get(a), vocab.get(b), vocab.get(&joined))
            else {
                return misfit("a merge names a token missing from its vocabulary");
            };
            // Like HF's map, a repeated pair keeps its last rank.
            pairs.insert(key(left, right), (rank as u64) << 32 | u64::from(merged));
        }
        let mut merger = Merger {
            byte_ids,
            whole: WholeTokens::default(),
            pairs,
        };
        // Merging every token of the vocabulary is most of the load time: on all workers.
        let spelled: Vec<(Vec<u8>, u32)> = vocab
            .par_iter()
            .map_init(
                || (Scratch::default(), Vec::new()),
                |(scratch, out), (token, &id)| {
                    // Tokens outside the byte alphabet can never be spelled by a pre-token.
                    let bytes: Vec<u8> = token
                        .chars()
                        .map(|c| byte_of.get(c as usize).copied().flatten())
                        .collect::<Option<_>>()?;
                    out.clear();
                    merger.merge(&bytes, out, scratch);
                    (ignore_merges || *out == [id]).then_some((bytes, id))
                },
            )
            .flatten()
            .collect();
        let mut whole = WholeTokens::default();
        spelled
            .into_iter()
            .for_each(|(bytes, id)| whole.insert(bytes, id));
        merger.whole = whole;
        Ok(merger)
    }

    /// Appends the ids of one pre-token to `out`.
    pub fn encode_piece(&self, piece: &[u8], out: &mut Vec<u32>, scratch: &mut Scratch) {
        if piece.len() > INLINE {
            match self.whole.get(piece) {
                Some(id) => out.push(id),
                None => self.merge(piece, out, scratch),
            }
            return;
        }
        let key = inline_key(piece);
        if let Some(id) = self.whole.get_inline(key) {
            out.push(id);
        } else if let Some(ids) = scratch.cache.get(key) {
            out.extend_from_slice(ids);
        } else {
            let start = out.len();
            self.merge(piece, out, scratch);
            scratch.cache.insert(key, &out[start..]);
        }
    }

    fn merge(&self, piece: &[u8], out: &mut Vec<u32>, scratch: &mut Scratch) {
        if piece.len() <= SHORT {
            self.merge_short(piece, out, scratch);
        } else {
            self.merge_long(piece, out, scratch);
        }
    }

    fn pair(&self, left: u32, right: u32) -> u64 {
        self.pairs
            .get(&key(left, right))
            .copied()
            .unwrap_or(NO_MERGE)
    }

    fn merge_short(&self, piece: &[u8], out: &mut Vec<u32>, scratch: &mut Scratch) {
        let Scratch { ids, ranks, .. } = scratch;
        ids.clear();
        ids.extend(piece.iter().map(|&b| self.byte_ids[usize::from(b)]));
        ranks.clear();
        ranks.extend(ids.windows(2).map(|w| self.pair(w[0], w[1])));
        // Ranks are unique per pair, so comparing `rank << 32 | merged` compares ranks, and
        // `min_by_key` returns the leftmost of equal minima.
        while let Some((i, &best)) = ranks.iter().enumerate().min_by_key(|&(_, r)| *r) {
            if best == NO_MERGE {
                break;
            }
            ids[i] = best as u32;
            ids.remove(i + 1);
            ranks.remove(i);
            if i > 0 {
                ranks[i - 1] = self.pair(ids[i - 1], ids[i]);
            }
            if i < ranks.len() {
                ranks[i] = self.pair(ids[i], ids[i + 1]);
            }
        }
        out.extend_from_slice(ids);
    }

    fn merge_long(&self, piece: &[u8], out: &mut Vec<u32>, scratch: &mut Scratch) {
        assert!(piece.len() < END as usize, "a pre-token of 4 GiB or more");
        let n = piece.len() as u32;
        let symbols = &mut scratch.symbols;
        symbols.clear();
        // One array of symbols, so that a merge touches one cache line per symbol.
        symbols.extend((0..n).zip(piece).map(|(i, &b)| Symbol {
            id: self.byte_ids[usize::from(b)],
            prev: i.wrapping_sub(1),
            next: i + 1,
        }));
        let mut queue = Queue::default();
        for left in 0..n.saturating_sub(1) {
            queue.extend(self.queue_entry(symbols, left, left + 1));
        }
        while let Some(entry) = queue.pop() {
            let pos = entry as u32;
            let Symbol { id, prev, next } = symbols[pos as usize];
            // Stale entries: the left symbol was merged away, is last, or the pair changed
            // (a changed pair always has another rank).
            if id == END || next >= n {
                continue;
            }
            let right = symbols[next as usize];
            let merge = self.pair(id, right.id);
            if merge >> 32 != entry >> 32 {
                continue;
            }
            symbols[pos as usize].id = merge as u32;
            symbols[pos as usize].next = right.next;
            symbols[next as usize].id = END;
            if right.next < n {
                symbols[right.next as usize].prev = pos;
                queue.extend(self.queue_entry(symbols, pos, right.next));
            }
            if prev != END {
                queue.extend(self.queue_entry(symbols, prev, pos));
            }
        }
        let mut i = 0;
        while i < n {
            out.push(symbols[i as usize].id);
            i = symbols[i as usize].next;
        }
    }

    /// The queue entry `rank << 32 | left` of a pair, if it has a merge.
    fn queue_entry(&self, symbols: &[Symbol], left: u32, right: u32) -> Option<u64> {
        let merge = self.pair(symbols[left as usize].id, symbols[right as usize].id);
        (merge != NO_MERGE).then_some((merge >> 32) << 32 | u64::from(left))
    }
}

/// A symbol of a long pre-token: its id (`END` once merged away) and its live neighbours.
#[derive(Clone, Copy)]
struct Symbol {
    id: u32,
    prev: u32,
    next: u32,
}

fn key(left: u32, right: u32) -> u64 {
    u64::from(left) << 32 | u64::from(right)
}

#[cfg(test)]
mod tests;
