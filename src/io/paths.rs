//! Paths as the file system resolves them, and fingerprints of input files: what the output
//! folder's safety checks and the two-pass consistency check compare.

use anyhow::{Context, Result};
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

/// `path` made absolute with symbolic links resolved, even when its last components do not
/// exist yet (an output folder about to be created): the longest existing ancestor is
/// canonicalized and the rest appended, `.` and `..` folded.
pub fn resolved(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut existing = absolute.clone();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut out = canonical;
            for name in rest.iter().rev() {
                push_folded(&mut out, name);
            }
            return out;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(PathBuf::from(name));
                existing = parent.to_path_buf();
            }
            // Nothing exists (or `..` ends the path): fold the components as written.
            _ => {
                let mut out = PathBuf::new();
                for component in absolute.components() {
                    push_folded(&mut out, component.as_os_str());
                }
                return out;
            }
        }
    }
}

fn push_folded(out: &mut PathBuf, name: impl AsRef<Path>) {
    for component in name.as_ref().components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
}

/// What identifies one state of an input file: its size and modification time. Pass 2 must
/// read the bytes pass 1 read; a file whose fingerprint changed between them is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    /// Size in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 where unknown).
    pub modified_ns: u128,
}

/// The fingerprint of the file at `path` now.
pub fn fingerprint(path: &Path) -> Result<Fingerprint> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("{}: cannot read the file's size and time", path.display()))?;
    let modified_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok(Fingerprint {
        len: meta.len(),
        modified_ns,
    })
}

/// The compression that the first bytes of the file at `path` announce: gzip's and zstd's
/// magic numbers, else plain (`pilecurate check` compares it with the file's name).
pub fn sniff_compression(path: &Path) -> Result<super::Compression> {
    use std::io::Read;
    let mut head = [0u8; 4];
    let mut file = std::fs::File::open(path)
        .with_context(|| format!("{}: cannot open the file", path.display()))?;
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e).with_context(|| format!("{}: cannot read", path.display())),
        }
    }
    Ok(match &head[..filled] {
        [0x1f, 0x8b, ..] => super::Compression::Gzip,
        [0x28, 0xb5, 0x2f, 0xfd] => super::Compression::Zstd,
        b"PAR1" => super::Compression::Parquet,
        _ => super::Compression::Plain,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_missing_tails_and_dot_dots() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("a")).unwrap();
        assert_eq!(resolved(&root.join("a")), root.join("a"));
        assert_eq!(
            resolved(&root.join("a/new/deeper")),
            root.join("a/new/deeper")
        );
        assert_eq!(resolved(&root.join("a/new/../x")), root.join("a/x"));
        assert_eq!(resolved(&root.join("a/./..")), root);
        assert_eq!(resolved(Path::new("/")), PathBuf::from("/"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("a"), root.join("link")).unwrap();
            assert_eq!(resolved(&root.join("link/new")), root.join("a/new"));
        }
    }

    #[test]
    fn a_rewritten_file_changes_its_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        std::fs::write(&path, "one\n").unwrap();
        let before = fingerprint(&path).unwrap();
        assert_eq!(before, fingerprint(&path).unwrap());
        std::fs::write(&path, "two\n").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(UNIX_EPOCH + std::time::Duration::from_secs(7))
            .unwrap();
        let after = fingerprint(&path).unwrap();
        assert_eq!(after.len, before.len, "same size: only the time tells");
        assert_ne!(after, before);
        assert!(fingerprint(&dir.path().join("gone")).is_err());
    }
}
