//! The langid.py model in memory: its byte-level n-gram automaton and naive Bayes tables,
//! read from the flat layout `scripts/langid/export.py` writes, every table's size and
//! every index checked once so detection can index without further checks failing.

/// Magic bytes at the start of the model file.
const MAGIC: &[u8; 8] = b"PCLANGID";
/// The layout version this reader understands.
const VERSION: u32 = 1;

/// A language identification model: an automaton over bytes whose states emit feature ids
/// (byte n-grams), and per feature and language the log-likelihood of that n-gram.
#[derive(Debug)]
pub struct Model {
    /// ISO 639-1 code of each language (class).
    pub codes: Vec<String>,
    /// Log prior of each language.
    pub priors: Vec<f32>,
    /// Log-likelihood of each feature in each language, feature-major.
    pub likelihoods: Vec<f32>,
    /// Next state for (state, byte), at `state * 256 + byte`.
    pub next: Vec<u16>,
    /// Features emitted on entering state `s`: `outputs[offsets[s]..offsets[s + 1]]`.
    pub offsets: Vec<u32>,
    /// Feature ids, grouped by state.
    pub outputs: Vec<u16>,
    /// The deepest state's distance from the start state: the automaton's state after a text
    /// depends only on the text's last `sync_bytes` bytes (it is the longest suffix of the
    /// text that begins some n-gram), so a reader started that many bytes early from the
    /// start state is in step with one that read everything.
    pub sync_bytes: usize,
}

/// Reads little-endian fields off the front of a byte slice.
struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.bytes.len() < n {
            return Err(format!("truncated: {n} more bytes expected"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(self.values(1, u32::from_le_bytes)?[0])
    }

    /// `n` little-endian values of `N` bytes each.
    fn values<const N: usize, T>(
        &mut self,
        n: usize,
        from_le: fn([u8; N]) -> T,
    ) -> Result<Vec<T>, String> {
        let len = n.checked_mul(N).ok_or("a table size overflows")?;
        let bytes = self.take(len)?;
        Ok(bytes
            .chunks_exact(N)
            .map(|b| from_le(b.try_into().expect("chunks of N bytes")))
            .collect())
    }
}

impl Model {
    /// Parses and validates the decompressed model file.
    pub fn parse(bytes: &[u8]) -> Result<Model, String> {
        let mut cursor = Cursor { bytes };
        if cursor.take(MAGIC.len())? != MAGIC {
            return Err("not a pilecurate language model (bad magic)".into());
        }
        let version = cursor.u32()?;
        if version != VERSION {
            return Err(format!(
                "model layout version {version}, expected {VERSION}"
            ));
        }
        let n_classes = cursor.u32()? as usize;
        let n_features = cursor.u32()? as usize;
        let n_states = cursor.u32()? as usize;
        let n_outputs = cursor.u32()? as usize;
        if n_classes == 0 || n_states == 0 || n_states > usize::from(u16::MAX) + 1 {
            return Err(format!("bad sizes: {n_classes} classes, {n_states} states"));
        }
        let codes = cursor
            .take(2 * n_classes)?
            .chunks_exact(2)
            .map(|code| {
                std::str::from_utf8(code)
                    .ok()
                    .filter(|c| c.bytes().all(|b| b.is_ascii_lowercase()))
                    .map(str::to_owned)
                    .ok_or_else(|| format!("bad language code {code:?}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut model = Model {
            codes,
            priors: cursor.values(n_classes, f32::from_le_bytes)?,
            likelihoods: cursor.values(
                n_features
                    .checked_mul(n_classes)
                    .ok_or("a table size overflows")?,
                f32::from_le_bytes,
            )?,
            next: cursor.values(n_states * 256, u16::from_le_bytes)?,
            offsets: cursor.values(n_states + 1, u32::from_le_bytes)?,
            outputs: cursor.values(n_outputs, u16::from_le_bytes)?,
            sync_bytes: 0,
        };
        if !cursor.bytes.is_empty() {
            return Err(format!("{} trailing bytes", cursor.bytes.len()));
        }
        if model.next.iter().any(|&s| usize::from(s) >= n_states) {
            return Err("a transition leads to a state that does not exist".into());
        }
        let offsets_ok = model.offsets.first() == Some(&0)
            && model.offsets.last() == Some(&(n_outputs as u32))
            && model.offsets.windows(2).all(|w| w[0] <= w[1]);
        if !offsets_ok {
            return Err("output offsets are not increasing from 0 to the output count".into());
        }
        if model.outputs.iter().any(|&f| usize::from(f) >= n_features) {
            return Err("a state emits a feature that does not exist".into());
        }
        model.sync_bytes = model.max_depth();
        Ok(model)
    }

    /// Breadth-first distance of the farthest state from the start state.
    fn max_depth(&self) -> usize {
        let mut depth = vec![usize::MAX; self.n_states()];
        depth[0] = 0;
        let mut queue = std::collections::VecDeque::from([0usize]);
        let mut deepest = 0;
        while let Some(state) = queue.pop_front() {
            deepest = depth[state];
            for &next in &self.next[state * 256..(state + 1) * 256] {
                let next = usize::from(next);
                if depth[next] == usize::MAX {
                    depth[next] = depth[state] + 1;
                    queue.push_back(next);
                }
            }
        }
        deepest
    }

    /// Number of languages.
    pub fn n_classes(&self) -> usize {
        self.codes.len()
    }

    /// Number of automaton states.
    pub fn n_states(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of features.
    pub fn n_features(&self) -> usize {
        self.likelihoods.len() / self.n_classes()
    }

    /// The features emitted on entering `state`.
    pub fn emitted(&self, state: usize) -> &[u16] {
        &self.outputs[self.offsets[state] as usize..self.offsets[state + 1] as usize]
    }
}
