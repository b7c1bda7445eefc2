//! Reading a byte range of a large file without reading the file (one document of a
//! multi-gigabyte `.bin`).

use anyhow::{Context, Result, bail};
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;

/// The bytes of `path` in `range`; an error when the file is shorter.
pub fn read_range(path: &Path, range: Range<u64>) -> Result<Vec<u8>> {
    let shown = path.display();
    let mut file = std::fs::File::open(path).with_context(|| format!("{shown}: cannot open"))?;
    let len = usize::try_from(range.end.saturating_sub(range.start))
        .with_context(|| format!("{shown}: range {range:?} is too large to read"))?;
    file.seek(SeekFrom::Start(range.start))
        .with_context(|| format!("{shown}: cannot seek to byte {}", range.start))?;
    let mut bytes = Vec::with_capacity(len);
    file.take(len as u64)
        .read_to_end(&mut bytes)
        .with_context(|| format!("{shown}: cannot read bytes {range:?}"))?;
    if bytes.len() != len {
        bail!(
            "{shown}: the file ends at byte {}, before the end of bytes {range:?}",
            range.start + bytes.len() as u64
        );
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_exactly_the_range_or_says_where_the_file_ends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.bin");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_range(&path, 2..5).unwrap(), b"234");
        assert_eq!(read_range(&path, 10..10).unwrap(), b"");
        let message = format!("{:#}", read_range(&path, 8..12).unwrap_err());
        assert!(message.contains("ends at byte 10"), "{message}");
        assert!(read_range(&dir.path().join("missing"), 0..1).is_err());
    }
}
