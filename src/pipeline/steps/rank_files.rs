//! The files of one rank's folder: clearing what an earlier attempt left, sweeping the
//! temporaries a killed process left in finished ranks, and listing what a rank wrote (with
//! checksums) for its completion record.

use super::Step;
use super::record::{self, WrittenFile, rank_dir};
use crate::io;
use anyhow::Result;
use std::path::Path;

/// Deletes the unfinished temporaries a killed process left in finished ranks' folders
/// (a finished rank writes nothing more there, so each is debris; unfinished ranks clear
/// their folder when they start, and may be running now).
pub fn sweep_done_ranks(out: &Path, tasks: usize) -> Result<()> {
    for step in Step::ALL {
        for rank in 0..step.ranks(tasks) {
            let dir = rank_dir(out, step, rank);
            if io::is_real_dir(&dir) && record::done_path(out, step, rank).is_file() {
                sweep_temporaries(&dir)?;
            }
        }
    }
    Ok(())
}

fn sweep_temporaries(dir: &Path) -> Result<()> {
    for name in io::list_dir(dir)?.unwrap_or_default() {
        let path = dir.join(&name);
        if io::is_real_dir(&path) {
            sweep_temporaries(&path)?;
        } else if io::is_unfinished(&name) {
            io::remove_path_if_exists(&path)?;
        }
    }
    Ok(())
}

/// Empties a rank's folder of what an earlier attempt left (all of it is ours), lock aside.
pub fn clear_rank_dir(dir: &Path) -> Result<()> {
    for name in io::list_dir(dir)?.unwrap_or_default() {
        if name != io::LOCK_FILE {
            let path = dir.join(&name);
            match io::is_real_dir(&path) {
                true => io::remove_dir_all_if_exists(&path)?,
                false => io::remove_path_if_exists(&path)?,
            }
        }
    }
    Ok(())
}

/// Every file under `dir` (lock and records aside), named relative to `out`, checksummed.
pub fn files_under(out: &Path, dir: &Path) -> Result<Vec<WrittenFile>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for name in io::list_dir(&folder)?.unwrap_or_default() {
            let path = folder.join(&name);
            // Followed through links: an output folder may link `docs/<slug>` to storage
            // elsewhere, and the run writes through it.
            if path.is_dir() {
                stack.push(path);
            } else if name != io::LOCK_FILE && name != "done.json" && name != "failed.json" {
                let relative = path.strip_prefix(out).unwrap_or(&path);
                files.push(record::written_file(out, &relative.to_string_lossy())?);
            }
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// The outputs a merge wrote (everything a run leaves outside `.work`, the manifest aside).
pub fn final_files(out: &Path) -> Result<Vec<WrittenFile>> {
    let mut files = Vec::new();
    for name in crate::pipeline::owned::TOP_FILES {
        files.push(record::written_file(out, name)?);
    }
    for folder in ["megatron", "docs", "removed", "rejects"] {
        if io::is_real_dir(&out.join(folder)) {
            files.extend(files_under(out, &out.join(folder))?);
        }
    }
    Ok(files)
}
