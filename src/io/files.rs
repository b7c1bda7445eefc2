//! Small-file helpers: glob expansion of input patterns and whole-file reads and writes.

use super::atomic::AtomicFile;
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Expands a file path or glob pattern into the sorted list of files it names. Errors when
/// the pattern matches nothing, or when a path it names or matches is not a readable regular
/// file (a folder, a dangling symbolic link, a FIFO or device: inputs are read twice, from
/// the start), naming the path, why, and what to check.
pub fn expand_inputs(pattern: &Path) -> Result<Vec<PathBuf>> {
    // An existing path is taken as is, even if its name holds glob characters like `[`.
    match std::fs::symlink_metadata(pattern) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(e).with_context(|| {
                format!(
                    "cannot reach input {}: check the permissions of its folders",
                    pattern.display()
                )
            });
        }
        _ => {}
    }
    if std::fs::symlink_metadata(pattern).is_ok() {
        if pattern.is_dir() {
            bail!(
                "input {} is a folder: name its files with a glob, e.g. {}",
                pattern.display(),
                pattern.join("*.jsonl.zst").display()
            );
        }
        check_input_file(pattern, None)?;
        return Ok(vec![pattern.to_path_buf()]);
    }
    let Some(text) = pattern.to_str() else {
        bail!(
            "input pattern {} is not valid UTF-8: rename the files or the folder",
            pattern.display()
        );
    };
    let entries =
        glob::glob(text).with_context(|| format!("input pattern {text} is not a valid glob"))?;
    check_folders_searchable(pattern, text)?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.with_context(|| format!("cannot list the files matching {text}"))?;
        check_input_file(&path, Some(text))?;
        files.push(path);
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

/// Checks that every folder the pattern's leading components match can be listed: the glob
/// crate skips a folder it cannot search without a word, and an input there would vanish.
fn check_folders_searchable(pattern: &Path, text: &str) -> Result<()> {
    let components: Vec<_> = pattern.components().collect();
    for depth in 1..components.len() {
        let prefix: PathBuf = components[..depth].iter().collect();
        let Some(prefix_text) = prefix.to_str() else {
            continue;
        };
        let Ok(folders) = glob::glob(prefix_text) else {
            continue;
        };
        for folder in folders.flatten().filter(|f| f.is_dir()) {
            if let Err(e) = std::fs::read_dir(&folder) {
                bail!(
                    "cannot list folder {} (on the way to the inputs matching {text}): {e}; an \
                     input there would be skipped: fix its permissions",
                    folder.display()
                );
            }
        }
    }
    Ok(())
}

/// Checks that `path` (named by the config, or matched by `pattern`) is a regular file, or a
/// symbolic link to one, that can be opened; the error says what it is instead.
fn check_input_file(path: &Path, pattern: Option<&str>) -> Result<()> {
    let named = match pattern {
        Some(pattern) => format!("input {} (matched by {pattern})", path.display()),
        None => format!("input {}", path.display()),
    };
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e) => {
            if let Ok(target) = std::fs::read_link(path) {
                bail!(
                    "{named} is a symbolic link to {}, which cannot be read ({e}): fix or \
                     remove the link",
                    target.display()
                );
            }
            return Err(e).with_context(|| format!("cannot read {named}"));
        }
    };
    let kind = metadata.file_type();
    if kind.is_file() {
        return std::fs::File::open(path)
            .map(drop)
            .with_context(|| format!("cannot open {named}: check its permissions"));
    }
    let what = if kind.is_dir() {
        "a folder"
    } else {
        special_file_kind(&kind)
    };
    bail!(
        "{named} is {what}, not a regular file: inputs are read twice from the start, so \
         copy the data into a file{}",
        if pattern.is_some() {
            ", or narrow the pattern so that it matches files only"
        } else {
            ""
        }
    )
}

#[cfg(unix)]
fn special_file_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// The positions of the first file in `files` that another, earlier one names too (through
/// a symbolic link, `..` or a second pattern), as `(earlier, later)`; `None` when all differ.
pub fn first_repeated_file(files: &[PathBuf]) -> Result<Option<(usize, usize)>> {
    let mut seen = std::collections::HashMap::with_capacity(files.len());
    for (i, path) in files.iter().enumerate() {
        let identity = file_identity(path)
            .with_context(|| format!("cannot resolve input {}", path.display()))?;
        if let Some(&earlier) = seen.get(&identity) {
            return Ok(Some((earlier, i)));
        }
        seen.insert(identity, i);
    }
    Ok(None)
}

/// What makes two paths one file: device and inode where there are such (hard links
/// included), else the canonical path.
#[cfg(unix)]
fn file_identity(path: &Path) -> std::io::Result<(u64, u64, PathBuf)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path)?;
    Ok((meta.dev(), meta.ino(), PathBuf::new()))
}

#[cfg(not(unix))]
fn file_identity(path: &Path) -> std::io::Result<(u64, u64, PathBuf)> {
    Ok((0, 0, std::fs::canonicalize(path)?))
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
        check(root, "?.jsonl*", &["a.jsonl.gz", "b.jsonl.gz", "c.jsonl"]);
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

    /// Expands `pattern` under `root` and checks the error names `path` and says `why`.
    fn check_refused(root: &Path, pattern: &str, path: &str, why: &str) {
        let err = format!("{:#}", expand_inputs(&root.join(pattern)).unwrap_err());
        let path = root.join(path).display().to_string();
        assert!(err.contains(&path) && err.contains(why), "{pattern}: {err}");
    }

    /// What a glob matches but cannot be read as a file is an error, never skipped; named
    /// explicitly it says what it is, not that nothing matches.
    #[test]
    fn matches_that_are_not_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_atomic(&root.join("a.jsonl"), b"{}\n").unwrap();
        std::fs::create_dir(root.join("folder.jsonl")).unwrap();
        check_refused(root, "*.jsonl", "folder.jsonl", "is a folder");
        check_refused(root, "*", "folder.jsonl", "narrow the pattern");
        std::fs::remove_dir(root.join("folder.jsonl")).unwrap();
        check(root, "*.jsonl", &["a.jsonl"]);

        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("gone.jsonl"), root.join("link.jsonl")).unwrap();
            check_refused(root, "*.jsonl", "link.jsonl", "symbolic link to");
            check_refused(root, "link.jsonl", "link.jsonl", "gone.jsonl");
            std::fs::remove_file(root.join("link.jsonl")).unwrap();
            std::os::unix::fs::symlink(root.join("a.jsonl"), root.join("ok.jsonl")).unwrap();
            check(root, "*.jsonl", &["a.jsonl", "ok.jsonl"]);

            let fifo = root.join("pipe.jsonl");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo");
            check_refused(root, "*.jsonl", "pipe.jsonl", "a FIFO");
            check_refused(root, "pipe.jsonl", "pipe.jsonl", "not a regular file");
        }
    }

    #[test]
    fn a_file_named_twice_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in ["a.jsonl", "b.jsonl", "sub/c.jsonl"] {
            write_atomic(&root.join(name), b"{}\n").unwrap();
        }
        let paths =
            |names: &[&str]| -> Vec<PathBuf> { names.iter().map(|n| root.join(n)).collect() };
        let check = |names: &[&str], expected| {
            assert_eq!(
                first_repeated_file(&paths(names)).unwrap(),
                expected,
                "{names:?}"
            );
        };
        check(&["a.jsonl", "b.jsonl", "sub/c.jsonl"], None);
        check(&["a.jsonl", "b.jsonl", "a.jsonl"], Some((0, 2)));
        std::fs::hard_link(root.join("b.jsonl"), root.join("sub/hard.jsonl")).unwrap();
        check(&["b.jsonl", "a.jsonl", "sub/hard.jsonl"], Some((0, 2)));
        check(
            &["b.jsonl", "sub/../a.jsonl", "sub/c.jsonl", "a.jsonl"],
            Some((1, 3)),
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
