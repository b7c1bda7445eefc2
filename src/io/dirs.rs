//! Folder and process helpers for the pipeline: listing, removing, sizing, peak memory.

use anyhow::{Context, Result};
use std::path::Path;

/// Names of the entries of `dir`, sorted; `None` when the folder does not exist.
pub fn list_dir(dir: &Path) -> Result<Option<Vec<String>>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(Some(names))
}

/// Removes a file or a folder tree; a missing path is not an error.
pub fn remove_path_if_exists(path: &Path) -> Result<()> {
    let result = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => Err(e),
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
    };
    result.with_context(|| format!("cannot remove {}", path.display()))
}

/// Size of a file in bytes.
pub fn file_size(path: &Path) -> Result<u64> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("{}: cannot read the file's size", path.display()))?;
    Ok(meta.len())
}

/// Peak resident memory of this process (VmHWM), in bytes; 0 where /proc is unavailable.
pub fn peak_memory_bytes() -> Result<u64> {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return Ok(0);
    };
    let kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .unwrap_or(0);
    Ok(kib * 1024)
}

/// Creates `dir` and its missing parents.
pub fn create_dir_all(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create folder {}", dir.display()))
}

/// Whether `path` is a real folder: not a symbolic link (to a folder or not), not a file.
pub fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir())
}

/// Removes `dir` if it is a real folder (not a link) and empty; anything else stays.
pub fn remove_dir_if_empty(dir: &Path) -> Result<()> {
    if !is_real_dir(dir) {
        return Ok(());
    }
    match std::fs::read_dir(dir).map(|mut entries| entries.next().is_none()) {
        Ok(true) => std::fs::remove_dir(dir)
            .with_context(|| format!("cannot remove empty folder {}", dir.display())),
        Ok(false) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot list {}", dir.display())),
    }
}
