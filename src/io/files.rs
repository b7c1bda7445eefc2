//! Small-file helpers: glob expansion of input patterns and whole-file reads and writes.

use anyhow::Result;
use std::path::{Path, PathBuf};

/// Expands a file path or glob pattern into the sorted list of existing files it names.
/// Errors when the pattern matches nothing, naming the pattern and what to check.
pub fn expand_inputs(pattern: &Path) -> Result<Vec<PathBuf>> {
    let _ = pattern;
    unimplemented!("io helper")
}

/// Reads a whole file (config, filter rule set, tokenizer) as bytes, with the path in the error.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let _ = path;
    unimplemented!("io helper")
}

/// Reads a whole UTF-8 text file, with the path in the error.
pub fn read_text(path: &Path) -> Result<String> {
    let _ = path;
    unimplemented!("io helper")
}

/// Writes `bytes` to `path` through a temporary name and a rename, creating parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let _ = (path, bytes);
    unimplemented!("io helper")
}

/// Removes a folder and everything in it; a missing folder is not an error.
pub fn remove_dir_all_if_exists(path: &Path) -> Result<()> {
    let _ = path;
    unimplemented!("io helper")
}
