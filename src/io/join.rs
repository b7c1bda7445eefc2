//! Joining files that ranks of a step-wise run wrote apart: byte concatenation (zstd
//! streams concatenate into one valid stream; so do `.bin` token files) and a zero-copy
//! link where one file is the whole output; and the checksums that let a rank's files be
//! trusted when they are reused.

use super::AtomicFile;
use super::atomic::temp_path;
use anyhow::{Context, Result};
use std::fs::File;
use std::path::Path;

/// Writes the concatenation of `parts` to `dest` (atomically). The kernel copies the bytes
/// where it can (`copy_file_range`).
pub fn concat_files(parts: &[&Path], dest: &Path) -> Result<()> {
    let mut out = AtomicFile::create(dest)?;
    for part in parts {
        let mut file =
            File::open(part).with_context(|| format!("cannot open {}", part.display()))?;
        std::io::copy(&mut file, &mut out)
            .with_context(|| format!("cannot copy {} into {}", part.display(), dest.display()))?;
    }
    out.finish()
}

/// Makes `dest` hold the bytes of `src`: a hard link when the file system allows (no copy;
/// `src` stays, so the step that made it need not run again), else a copy. Atomic.
pub fn link_or_copy(src: &Path, dest: &Path) -> Result<()> {
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let temp = temp_path(dest);
    if std::fs::hard_link(src, &temp).is_ok() {
        std::fs::rename(&temp, dest)
            .with_context(|| format!("cannot rename {} to {}", temp.display(), dest.display()))?;
        // Renaming onto another link of the same file does nothing (POSIX), leaving the
        // temporary: `dest` already is `src` then.
        return super::remove_path_if_exists(&temp);
    }
    concat_files(&[src], dest)
}

/// Size and xxh3-64 of a file's contents, read in blocks (for completion records).
pub fn file_checksum(path: &Path) -> Result<(u64, u64)> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = std::io::Read::read(&mut file, &mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            return Ok((size, hasher.digest()));
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
}
