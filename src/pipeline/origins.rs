//! Where each filter survivor came from, kept on disk instead of in memory: pass 1 appends
//! `(doc id, input file, line)` to a spill file in doc id order, and the dedup stage streams
//! it back, joined with sorted lists of doc ids (verification's wanted texts, the removed
//! duplicates). What stays in memory is [`KeepSet`], one bit per input line.

use crate::io::{SpillDir, SpillReader, SpillWriter};
use anyhow::{Result, bail};

/// Name of the origins file in the dedup work folder.
const ORIGINS: &str = "origins";
/// A record: doc id (u64), then the input file index (high 16 bits) and line (low 48 bits).
const RECORD: usize = 16;
const LINE_BITS: u32 = 48;

/// Where a document came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Index of the input file in the config.
    pub file: u32,
    /// 1-based line number in that file.
    pub line: u64,
}

/// Appends the origins of pass 1's filter survivors, in doc id order.
pub struct OriginLog {
    writer: SpillWriter,
    count: u64,
}

impl OriginLog {
    /// Starts the origins file in `dir`, stamped with `identity` (the config's hash).
    pub fn create(dir: &SpillDir, identity: u64) -> Result<OriginLog> {
        Ok(OriginLog {
            writer: dir.create(ORIGINS, RECORD, identity)?,
            count: 0,
        })
    }

    /// Records one survivor; doc ids must come in ascending order.
    pub fn push(&mut self, doc_id: u64, origin: Origin) -> Result<()> {
        if origin.file >= 1 << 16 || origin.line >= 1 << LINE_BITS {
            bail!(
                "input file {} line {}: more than 65,536 input files or 2^48 lines per file \
                 is beyond what the dedup stage can address; split the run",
                origin.file,
                origin.line
            );
        }
        let mut record = [0u8; RECORD];
        record[..8].copy_from_slice(&doc_id.to_le_bytes());
        let packed = (u64::from(origin.file) << LINE_BITS) | origin.line;
        record[8..].copy_from_slice(&packed.to_le_bytes());
        self.count += 1;
        self.writer.write(&record)
    }

    /// Survivors recorded so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Completes the file (renamed into place, checksummed).
    pub fn finish(self) -> Result<()> {
        self.writer.finish().map(|_| ())
    }
}

/// Reads the origins files back: one per scan rank, in rank order (ranks read contiguous
/// shares of the inputs, so their doc ids follow one another).
#[derive(Clone, Debug)]
pub struct Origins {
    dirs: Vec<SpillDir>,
    identity: u64,
}

impl Origins {
    /// The origins files written by [`OriginLog`] in `dirs` with `identity`.
    pub fn new(dirs: Vec<SpillDir>, identity: u64) -> Origins {
        Origins { dirs, identity }
    }

    /// Streams every `(doc id, origin)` in doc id order.
    pub fn for_each(&self, mut visit: impl FnMut(u64, Origin) -> Result<()>) -> Result<()> {
        for dir in &self.dirs {
            self.for_each_in(dir, &mut visit)?;
        }
        Ok(())
    }

    fn for_each_in(
        &self,
        dir: &SpillDir,
        visit: &mut impl FnMut(u64, Origin) -> Result<()>,
    ) -> Result<()> {
        let mut reader: SpillReader = dir.open(ORIGINS, RECORD, self.identity)?;
        let mut record = [0u8; RECORD];
        while reader.next(&mut record)? {
            let word =
                |at: usize| u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7].map(|i| record[at + i]));
            let (doc_id, packed) = (word(0), word(8));
            let origin = Origin {
                file: (packed >> LINE_BITS) as u32,
                line: packed & ((1 << LINE_BITS) - 1),
            };
            visit(doc_id, origin)?;
        }
        Ok(())
    }

    /// The origins of `doc_ids` (ascending, no repeats), in the same order; an id that is
    /// not a filter survivor is an error (a bug upstream, never a silent skip).
    pub fn lookup(&self, doc_ids: &[u64]) -> Result<Vec<Origin>> {
        let mut found = Vec::with_capacity(doc_ids.len());
        let mut wanted = doc_ids.iter().peekable();
        self.for_each(|doc_id, origin| {
            if wanted.next_if(|&&want| want == doc_id).is_some() {
                found.push(origin);
            }
            Ok(())
        })?;
        if let Some(missing) = doc_ids.get(found.len()) {
            bail!("the dedup stage asked for document {missing}, which is no filter survivor");
        }
        Ok(found)
    }
}

/// The input lines whose documents reach the output: one growable bitset per input file,
/// indexed by line number, so pass 2 parses and tokenizes only those lines.
#[derive(Debug)]
pub struct KeepSet {
    files: Vec<Vec<u64>>,
    len: u64,
}

impl KeepSet {
    /// An empty set over `n_files` input files.
    pub fn new(n_files: usize) -> KeepSet {
        KeepSet {
            files: vec![Vec::new(); n_files],
            len: 0,
        }
    }

    /// Adds line `line` of input `file`.
    pub fn insert(&mut self, file: usize, line: u64) {
        let (word, bit) = ((line / 64) as usize, 1u64 << (line % 64));
        let words = &mut self.files[file];
        if words.len() <= word {
            words.resize(word + 1, 0);
        }
        if words[word] & bit == 0 {
            words[word] |= bit;
            self.len += 1;
        }
    }

    /// Removes line `line` of input `file` (a document that dedup removed).
    pub fn remove(&mut self, file: usize, line: u64) {
        let (word, bit) = ((line / 64) as usize, 1u64 << (line % 64));
        if let Some(w) = self.files[file].get_mut(word)
            && *w & bit != 0
        {
            *w &= !bit;
            self.len -= 1;
        }
    }

    /// Whether line `line` of input `file` holds a kept document.
    pub fn contains(&self, file: usize, line: u64) -> bool {
        self.files[file]
            .get((line / 64) as usize)
            .is_some_and(|word| word & (1 << (line % 64)) != 0)
    }

    /// Number of kept documents.
    pub fn count(&self) -> u64 {
        self.len
    }

    /// The bits of input files `[first, end)`: per file a `u64` word count, then the words.
    pub fn encode(&self, (first, end): (usize, usize)) -> Vec<u8> {
        let mut out = Vec::new();
        for words in &self.files[first..end] {
            out.extend_from_slice(&(words.len() as u64).to_le_bytes());
            words
                .iter()
                .for_each(|w| out.extend_from_slice(&w.to_le_bytes()));
        }
        out
    }

    /// A set over `n_files` inputs holding the bits [`KeepSet::encode`] wrote for `share`.
    pub fn decode(n_files: usize, share: (usize, usize), bytes: &[u8]) -> Result<KeepSet> {
        let mut set = KeepSet::new(n_files);
        let mut words = bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7].map(|i| c[i])));
        for file in share.0..share.1 {
            let Some(n) = words.next() else {
                bail!("a line set ends early (file {file})");
            };
            let bits: Vec<u64> = words.by_ref().take(n as usize).collect();
            if bits.len() as u64 != n {
                bail!("a line set ends early (file {file})");
            }
            set.len += bits.iter().map(|w| u64::from(w.count_ones())).sum::<u64>();
            set.files[file] = bits;
        }
        if words.next().is_some() || bytes.len() % 8 != 0 {
            bail!("a line set has trailing bytes");
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_round_trip_and_lookup_refuses_unknown_ids() {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = SpillDir::new(temp.path());
        let mut log = OriginLog::create(&dir, 7).expect("create");
        let at = |file, line| Origin { file, line };
        for (id, file, line) in [(0, 0, 1), (2, 0, 5), (3, 1, 1), (9, 3, (1 << 48) - 1)] {
            log.push(id, at(file, line)).expect("push");
        }
        assert!(
            log.push(10, at(1 << 16, 1)).is_err(),
            "file index out of range"
        );
        assert_eq!(log.count(), 4);
        log.finish().expect("finish");
        let origins = Origins::new(vec![dir.clone()], 7);
        let found = origins.lookup(&[2, 9]).expect("lookup");
        assert_eq!(found, [at(0, 5), at(3, (1 << 48) - 1)]);
        assert!(origins.lookup(&[2, 4]).is_err(), "4 is no survivor");
        assert!(
            Origins::new(vec![dir], 8).lookup(&[2]).is_err(),
            "other identity"
        );
    }

    #[test]
    fn keep_set_counts_inserts_and_removes_once() {
        let mut keep = KeepSet::new(2);
        keep.insert(0, 1);
        keep.insert(0, 1);
        keep.insert(1, 200);
        assert_eq!(keep.count(), 2);
        assert!(keep.contains(1, 200) && !keep.contains(1, 199) && !keep.contains(0, 5000));
        keep.remove(1, 200);
        keep.remove(1, 200);
        keep.remove(0, 99_999);
        assert_eq!(keep.count(), 1);
        assert!(!keep.contains(1, 200));
        keep.insert(1, 7);
        let back = KeepSet::decode(2, (1, 2), &keep.encode((1, 2))).expect("decode");
        assert!(back.contains(1, 7) && !back.contains(0, 1) && back.count() == 1);
        assert!(KeepSet::decode(2, (0, 2), &keep.encode((1, 2))).is_err());
    }
}
