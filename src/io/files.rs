//! Small-file helpers: glob expansion of input patterns and whole-file reads and writes.

use super::atomic::AtomicFile;
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Expands a file path or glob pattern into the sorted list of existing files it names.
/// Errors when the pattern matches nothing, naming the pattern and what to check.
pub fn expand_inputs(pattern: &Path) -> Result<Vec<PathBuf>> {
    // An existing path is taken as is, even if its name holds glob characters like `[`.
    if pattern.is_file() {
        return Ok(vec![pattern.to_path_buf()]);
    }
    if pattern.is_dir() {
        bail!(
            "input {} is a folder: name its files with a glob, e.g. {}",
            pattern.display(),
            pattern.join("*.jsonl.zst").display()
        );
    }
    let Some(text) = pattern.to_str() else {
        bail!(
            "input pattern {} is not valid UTF-8: rename the files or the folder",
            pattern.display()
        );
    };
    let entries =
        glob::glob(text).with_context(|| format!("input pattern {text} is not a valid glob"))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.with_context(|| format!("cannot list the files matching {text}"))?;
        if path.is_file() {
            files.push(path);
        }
    }
    if files.is_empty() {
        bail!(
            "no input file matches {text}: check the path and the spelling, and quote the \
             pattern in the config or the shell so that it reaches pilecurate unexpanded"
        );
    }
    files.sort();
    Ok(files)
}

/// Reads a whole file (config, filter rule set, tokenizer) as bytes, with the path in the error.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Reads a whole UTF-8 text file, with the path in the error.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        anyhow::anyhow!(
            "{} is not UTF-8 text (bad byte at offset {at})",
            path.display()
        )
    })
}

/// Writes `bytes` to `path` through a temporary name and a rename, creating parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.finish()
}

/// Removes a folder and everything in it; a missing folder is not an error.
pub fn remove_dir_all_if_exists(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove folder {}", path.display()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expands `pattern` under `root` and compares the file names with `expected`.
    fn check(root: &Path, pattern: &str, expected: &[&str]) {
        let files = expand_inputs(&root.join(pattern)).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, expected, "{pattern}");
    }

    #[test]
    fn expands_globs_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "b.jsonl.gz",
            "a.jsonl.gz",
            "c.jsonl",
            "sub/d.jsonl.gz",
            "x[1].jsonl",
        ] {
            write_atomic(&root.join(name), b"{}\n").unwrap();
        }
        check(root, "*.jsonl.gz", &["a.jsonl.gz", "b.jsonl.gz"]);
        check(
            root,
            "**/*.gz",
            &["a.jsonl.gz", "b.jsonl.gz", "sub/d.jsonl.gz"],
        );
        check(root, "c.jsonl", &["c.jsonl"]);
        check(root, "x[1].jsonl", &["x[1].jsonl"]);
        check(
            root,
            "*",
            &["a.jsonl.gz", "b.jsonl.gz", "c.jsonl", "x[1].jsonl"],
        );
        for bad in ["*.zst", "missing.jsonl", "sub", "[", "a"] {
            let err = expand_inputs(&root.join(bad)).unwrap_err();
            assert!(format!("{err:#}").contains(bad), "{err:#}");
        }
        let err = expand_inputs(&root.join("*.zst")).unwrap_err().to_string();
        assert!(
            err.contains("no input file matches") && err.contains("check the path"),
            "{err}"
        );
    }

    #[test]
    fn reads_and_writes_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/er/f.toml");
        write_atomic(&path, b"x = 1\n").unwrap();
        write_atomic(&path, "y = \"\u{e9}\"\n".as_bytes()).unwrap();
        assert_eq!(read_text(&path).unwrap(), "y = \"\u{e9}\"\n");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
        write_atomic(&path, b"\xff").unwrap();
        let err = format!("{:#}", read_text(&path).unwrap_err());
        assert!(err.contains("f.toml") && err.contains("not UTF-8"), "{err}");
        let missing = dir.path().join("nope.toml");
        assert!(format!("{:#}", read_bytes(&missing).unwrap_err()).contains("nope.toml"));
        remove_dir_all_if_exists(&dir.path().join("deep")).unwrap();
        assert!(!dir.path().join("deep").exists());
        remove_dir_all_if_exists(&dir.path().join("deep")).unwrap();
    }
}
