//! Atomic files: written under a temporary name in the same folder, renamed when complete, so
//! a crash or an error never leaves a half-written file under the final name.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

const WRITE_BUFFER_BYTES: usize = 1 << 20;

/// Distinguishes temporary files of one process that target the same final name.
static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A file written under a temporary name in the same folder and renamed on `finish`.
/// Dropped without `finish`, the temporary file is removed.
pub struct AtomicFile {
    path: PathBuf,
    tmp_path: PathBuf,
    writer: Option<BufWriter<File>>,
}

/// What a temporary's name carries between the final name and the writer's process id.
const TMP_MARK: &str = ".tmp-";

/// Whether `name` is an [`AtomicFile`] temporary: a file that was never finished (its writer
/// is still running, or was killed) and that no reader may take for output.
/// The name is exactly what `create` makes: `.{final name}.tmp-{pid}-{counter}`, so a user's
/// `.draft.tmp-notes` is never taken for one.
pub fn is_unfinished(name: &str) -> bool {
    let Some((stem, tail)) = name.rsplit_once(TMP_MARK) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    name.starts_with('.')
        && stem.len() > 1
        && tail
            .split_once('-')
            .is_some_and(|(pid, n)| digits(pid) && digits(n))
}

/// A fresh temporary name beside `path`, as [`AtomicFile`] names its temporaries (so a
/// sweep after a crash recognises it).
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}{TMP_MARK}{}-{n}", std::process::id()))
}

impl AtomicFile {
    /// Creates the temporary file (and the parent folders).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let name = path.file_name().with_context(|| {
            format!("cannot write {}: the path has no file name", path.display())
        })?;
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create folder {}", parent.display()))?;
        let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp_name = format!(
            ".{}{TMP_MARK}{}-{n}",
            name.to_string_lossy(),
            std::process::id()
        );
        let tmp_path = parent.join(tmp_name);
        let file = File::create(&tmp_path)
            .with_context(|| format!("cannot create temporary file {}", tmp_path.display()))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp_path,
            writer: Some(BufWriter::with_capacity(WRITE_BUFFER_BYTES, file)),
        })
    }

    /// The final path of the file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the file to its final name.
    pub fn finish(mut self) -> Result<()> {
        let context = || format!("cannot finish writing {}", self.path.display());
        if let Some(writer) = self.writer.take() {
            let file = writer
                .into_inner()
                .map_err(|e| e.into_error())
                .with_context(context)?;
            file.sync_all().with_context(context)?;
        }
        std::fs::rename(&self.tmp_path, &self.path).with_context(context)?;
        // Make the rename itself durable; not every platform can open a folder, so best effort.
        if let Some(dir) = self.path.parent().and_then(|p| File::open(p).ok()) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    fn writer(&mut self) -> std::io::Result<&mut BufWriter<File>> {
        self.writer
            .as_mut()
            .ok_or_else(|| std::io::Error::other("file already finished"))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer()?.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.writer()?.write_all(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer()?.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Still holding the writer means `finish` never ran: the content is incomplete.
        if self.writer.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp_path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_temporary_is_known_by_its_name_and_a_finished_file_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = AtomicFile::create(&dir.path().join("origins")).unwrap();
        let temporary = names(dir.path()).remove(0);
        assert!(is_unfinished(&temporary), "{temporary}");
        for users in [
            ".draft.tmp-notes",
            ".tmp-1-2",
            "x.tmp-1-2",
            ".a.tmp-1-",
            ".a.tmp-12",
        ] {
            assert!(!is_unfinished(users), "{users}");
        }
        file.finish().unwrap();
        assert_eq!(names(dir.path()), ["origins"]);
        assert!(!is_unfinished("origins"));
        assert!(!is_unfinished("runs.tmp-1"), "a finished file, not hidden");
        assert!(!is_unfinished(".hidden"));
    }

    #[test]
    fn atomic_file_appears_only_when_finished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.txt");
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"half").unwrap();
        assert_eq!(names(&dir.path().join("sub")).len(), 1);
        assert!(!path.exists());
        drop(file);
        assert!(
            names(&dir.path().join("sub")).is_empty(),
            "temp file left behind"
        );
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"whole").unwrap();
        file.finish().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"whole");
        assert_eq!(names(&dir.path().join("sub")), ["out.txt"]);
    }
}
