//! Reads a `.idx` back and checks every invariant Megatron's `_IndexReader` relies on, so a
//! shard is verified before a training job finds out the hard way.

use super::{HEADER_LEN, IndexError, MAGIC, TokenDtype, VERSION};
use anyhow::Result;

/// A parsed, validated `.idx`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MegatronIndex {
    /// Token dtype of the `.bin`.
    pub dtype: TokenDtype,
    /// Tokens per sequence.
    pub lengths: Vec<u32>,
    /// Byte offset of each sequence in the `.bin`.
    pub pointers: Vec<u64>,
    /// Document boundaries over sequences: starts at 0, ends at the sequence count.
    pub document_indices: Vec<u64>,
}

/// Little-endian cursor over the `.idx` bytes; callers check the length first.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        out.copy_from_slice(&self.bytes[self.pos..self.pos + N]);
        self.pos += N;
        out
    }
}

/// Parses a `.idx` and validates it: magic, version, dtype, exact size,
/// `lengths.len() == document_indices.last() == N`, cumulative pointers, and document indices
/// that start at 0 and never decrease (equal neighbours are empty documents, which Megatron
/// accepts).
pub fn read_index(bytes: &[u8]) -> Result<MegatronIndex> {
    Ok(parse(bytes)?)
}

fn parse(bytes: &[u8]) -> Result<MegatronIndex, IndexError> {
    let got = bytes.len() as u64;
    if bytes.len() < HEADER_LEN {
        return Err(IndexError::Truncated {
            needed: HEADER_LEN as u64,
            got,
        });
    }
    let mut cur = Cursor { bytes, pos: 0 };
    let magic: [u8; 9] = cur.take();
    if &magic != MAGIC {
        return Err(IndexError::BadMagic {
            found: magic.to_vec(),
        });
    }
    let version = u64::from_le_bytes(cur.take());
    if version != VERSION {
        return Err(IndexError::BadVersion(version));
    }
    let [code] = cur.take();
    let dtype = TokenDtype::from_code(code).ok_or(IndexError::BadDtype(code))?;
    let n = u64::from_le_bytes(cur.take());
    let d = u64::from_le_bytes(cur.take());
    if d == 0 {
        return Err(IndexError::InconsistentCounts(
            "document count is 0, must be at least 1".into(),
        ));
    }
    // u128 so that absurd counts from a corrupt header cannot overflow the size check.
    let needed = HEADER_LEN as u128 + 12 * u128::from(n) + 8 * u128::from(d);
    if u128::from(got) < needed {
        let needed = u64::try_from(needed).unwrap_or(u64::MAX);
        return Err(IndexError::Truncated { needed, got });
    }
    if u128::from(got) > needed {
        let extra = (u128::from(got) - needed) as u64;
        return Err(IndexError::TrailingBytes { extra });
    }
    let (n_seq, n_doc) = (n as usize, d as usize);
    let mut lengths = Vec::with_capacity(n_seq);
    for index in 0..n {
        let len = i32::from_le_bytes(cur.take());
        let problem = || format!("negative length {len}");
        let bad = || IndexError::BadSequence {
            index,
            problem: problem(),
        };
        lengths.push(u32::try_from(len).map_err(|_| bad())?);
    }
    let itemsize = dtype.itemsize() as u64;
    let mut pointers = Vec::with_capacity(n_seq);
    let mut expected: u64 = 0;
    for (index, &len) in lengths.iter().enumerate() {
        let pointer = i64::from_le_bytes(cur.take());
        if u64::try_from(pointer) != Ok(expected) {
            let problem =
                format!("byte pointer {pointer}, expected {expected} (the running total)");
            return Err(IndexError::BadSequence {
                index: index as u64,
                problem,
            });
        }
        pointers.push(expected);
        expected += u64::from(len) * itemsize;
    }
    let mut document_indices = Vec::with_capacity(n_doc);
    let mut previous: u64 = 0;
    for index in 0..d {
        let value = i64::from_le_bytes(cur.take());
        let bad = |problem: String| IndexError::BadDocumentIndex { index, problem };
        let value = u64::try_from(value).map_err(|_| bad(format!("negative value {value}")))?;
        if index == 0 && value != 0 {
            return Err(bad(format!("first document index is {value}, must be 0")));
        }
        if value < previous {
            return Err(bad(format!(
                "{value} is below the previous index {previous}"
            )));
        }
        previous = value;
        document_indices.push(value);
    }
    if previous != n {
        let problem = format!("last document index is {previous}, sequence count is {n}");
        return Err(IndexError::InconsistentCounts(problem));
    }
    Ok(MegatronIndex {
        dtype,
        lengths,
        pointers,
        document_indices,
    })
}

impl MegatronIndex {
    /// Documents described (document indices minus one, as Megatron logs them).
    pub fn n_documents(&self) -> u64 {
        self.document_indices.len().saturating_sub(1) as u64
    }

    /// Total tokens over all sequences.
    pub fn n_tokens(&self) -> u64 {
        self.lengths.iter().map(|&len| u64::from(len)).sum()
    }

    /// Size the `.bin` must have.
    pub fn bin_len(&self) -> u64 {
        self.n_tokens() * self.dtype.itemsize() as u64
    }

    /// Decodes sequence `index` from the `.bin` bytes (`None` when out of range).
    pub fn read_document(&self, bin: &[u8], index: usize) -> Option<Vec<u32>> {
        let range = self.sequence_range(index)?;
        let start = usize::try_from(range.start).ok()?;
        let end = usize::try_from(range.end).ok()?;
        Some(self.decode_tokens(bin.get(start..end)?))
    }

    /// Where sequence `index` lies in the `.bin`, in bytes (`None` when out of range).
    pub fn sequence_range(&self, index: usize) -> Option<std::ops::Range<u64>> {
        let start = *self.pointers.get(index)?;
        let len = u64::from(*self.lengths.get(index)?) * self.dtype.itemsize() as u64;
        Some(start..start.checked_add(len)?)
    }

    /// Token ids of `bytes`, a run of this index's dtype read from the `.bin`.
    pub fn decode_tokens(&self, bytes: &[u8]) -> Vec<u32> {
        let size = self.dtype.itemsize();
        let tokens = bytes.chunks_exact(size).map(|chunk| match self.dtype {
            TokenDtype::U16 => u32::from(u16::from_le_bytes([chunk[0], chunk[1]])),
            TokenDtype::I32 => i32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]) as u32,
        });
        tokens.collect()
    }
}

/// Checks that a `.bin` of `bin_len` bytes is exactly what `index` describes.
pub fn check_bin_len(index: &MegatronIndex, bin_len: u64) -> Result<()> {
    let expected = index.bin_len();
    if bin_len != expected {
        return Err(IndexError::BinLength {
            expected,
            got: bin_len,
        }
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::IndexedDatasetWriter;
    use super::*;

    /// The §3.2 test vector's `.idx`: lengths at 34, pointers at 42, document indices at 58.
    fn reference_idx() -> Vec<u8> {
        let mut writer = IndexedDatasetWriter::new(Vec::new(), TokenDtype::U16);
        writer.add_document(&[10, 20, 30, 50256]).expect("fits");
        writer.add_document(&[7, 50256]).expect("fits");
        let mut idx = Vec::new();
        writer.finish(&mut idx).expect("in memory");
        idx
    }

    fn put(idx: &mut [u8], at: usize, bytes: &[u8]) {
        idx[at..at + bytes.len()].copy_from_slice(bytes);
    }

    /// Applies `corrupt` to the reference index and expects the reader's message.
    fn check(corrupt: impl Fn(&mut Vec<u8>), expected: &str) {
        let mut idx = reference_idx();
        corrupt(&mut idx);
        let err = read_index(&idx).expect_err("corrupt index must be refused");
        assert!(
            err.downcast_ref::<IndexError>().is_some(),
            "an IndexError: {err}"
        );
        assert_eq!(err.to_string(), expected);
    }

    #[test]
    fn reads_the_reference_vector() {
        let index = read_index(&reference_idx()).expect("valid");
        assert_eq!(index.lengths, [4, 2]);
        assert_eq!(index.pointers, [0, 8]);
        assert_eq!(index.document_indices, [0, 1, 2]);
        let sizes = (index.n_documents(), index.n_tokens(), index.bin_len());
        assert_eq!(sizes, (2, 6, 12));
        check_bin_len(&index, 12).expect("12 bytes");
        let err = check_bin_len(&index, 11).expect_err("one byte short");
        assert_eq!(err.to_string(), ".bin is 11 bytes, the index describes 12");
    }

    #[test]
    fn refuses_each_corruption() {
        check(
            |idx| idx[0] = b'T',
            "bad .idx magic [54, 4d, 49, 44, 49, 44, 58, 00, 00]: \
             expected MMIDIDX\\0\\0 (a legacy TNTIDX index?)",
        );
        check(
            |idx| idx[9] = 2,
            "unsupported .idx version 2: only version 1 exists",
        );
        check(
            |idx| idx[17] = 1,
            "unsupported .idx dtype code 1: token indices use 8 (uint16) or 4 (int32)",
        );
        let truncated = "truncated .idx: 20 bytes, the header and arrays need 34";
        check(|idx| idx.truncate(20), truncated);
        let truncated = "truncated .idx: 81 bytes, the header and arrays need 82";
        check(|idx| idx.truncate(81), truncated);
        let trailing = ".idx has 1 bytes after the document indices \
                        (multimodal indices are not supported)";
        check(|idx| idx.push(0), trailing);
        // Header claims 3 sequences: the arrays no longer fit the file.
        let truncated = "truncated .idx: 82 bytes, the header and arrays need 94";
        check(|idx| idx[18] = 3, truncated);
        check(
            |idx| put(idx, 26, &0u64.to_le_bytes()),
            "inconsistent .idx counts: document count is 0, must be at least 1",
        );
        check(
            |idx| put(idx, 38, &(-1i32).to_le_bytes()),
            "bad .idx sequence 1: negative length -1",
        );
        check(
            |idx| idx[50] = 9,
            "bad .idx sequence 1: byte pointer 9, expected 8 (the running total)",
        );
        check(
            |idx| idx[58] = 1,
            "bad .idx document index 0: first document index is 1, must be 0",
        );
        check(
            |idx| idx[66] = 3,
            "bad .idx document index 2: 2 is below the previous index 3",
        );
        check(
            |idx| idx[74] = 3,
            "inconsistent .idx counts: last document index is 3, sequence count is 2",
        );
    }
}
