//! One writer per output folder: a lock file naming its owner (host, process id, command),
//! created exclusively, removed when the owner is done. A lock whose process is gone is
//! recognised as stale and taken over, with a word to the user.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// Name of the lock file inside the output folder.
pub const LOCK_FILE: &str = ".pilecurate.lock";

/// Who holds a lock: written into the lock file as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockOwner {
    /// The host the owner runs on.
    pub host: String,
    /// Its process id on that host.
    pub pid: u32,
    /// The command line it was started with.
    pub command: String,
    /// When the process started (Linux: clock ticks after boot, from `/proc`): with the
    /// pid, it tells the owner from a later process that reused its id.
    #[serde(default)]
    pub started: Option<u64>,
}

impl LockOwner {
    /// The current process.
    pub fn current() -> LockOwner {
        LockOwner {
            host: host_name(),
            pid: std::process::id(),
            command: std::env::args().collect::<Vec<_>>().join(" "),
            started: process_start(std::process::id()),
        }
    }

    /// Whether the owner is known to be gone: same host, and no such process, or a process
    /// of that id started at another time (the id was reused).
    fn is_gone(&self) -> bool {
        if self.host != host_name() || !Path::new("/proc/self/stat").exists() {
            // Another machine's process, or no /proc to ask: assume alive rather than take
            // over a folder that is being written.
            return false;
        }
        match (process_start(self.pid), self.started) {
            (None, _) => true,
            (Some(now), Some(then)) => now != then,
            (Some(_), None) => false,
        }
    }
}

/// The start time of process `pid` (field 22 of `/proc/PID/stat`), if it exists and is not
/// a zombie (a killed process whose parent has not reaped it yet is gone for our purposes:
/// it writes nothing more).
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let mut fields = stat[stat.rfind(')')? + 1..].split_whitespace();
    if matches!(fields.next(), Some("Z" | "X")) {
        return None;
    }
    fields.nth(18)?.parse().ok()
}

/// What [`OutputLock::acquire`] found.
#[derive(Debug)]
pub enum LockOutcome {
    /// The lock is ours; `stale` names the dead owner whose lock was taken over, if any.
    Acquired {
        /// The lock, released on drop.
        lock: OutputLock,
        /// The previous owner, when its lock was left behind by a process that is gone.
        stale: Option<LockOwner>,
    },
    /// Another live (or uncheckable) process holds the folder.
    Held(LockOwner, PathBuf),
}

/// A held lock on a folder; dropping it removes the lock file.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock on `dir` (created if missing) for `owner`.
    pub fn acquire(dir: &Path, owner: &LockOwner) -> Result<LockOutcome> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create output folder {}", dir.display()))?;
        let path = dir.join(LOCK_FILE);
        let mut stale = None;
        // Two rounds at most: a stale lock is removed once, then created exclusively, so of
        // two processes taking over the same stale lock only one wins.
        for _ in 0..2 {
            match create_whole(&path, owner) {
                Ok(()) => {
                    let lock = OutputLock { path };
                    return Ok(LockOutcome::Acquired { lock, stale });
                }
                Err(err) if err.kind() == ErrorKind::AlreadyExists => {
                    let seen = std::fs::read(&path).unwrap_or_default();
                    let holder = read_owner(&path);
                    match holder {
                        Some(holder) if !holder.is_gone() => {
                            return Ok(LockOutcome::Held(holder, path));
                        }
                        // Gone, or a lock file too damaged to name anyone (a crash while
                        // writing it): stale either way.
                        _ => {
                            stale = holder.or(Some(LockOwner {
                                host: "unknown".into(),
                                pid: 0,
                                command: "unreadable lock file".into(),
                                started: None,
                            }));
                            // Another process may have taken the stale lock over since it
                            // was read: remove only the very lock judged stale.
                            if std::fs::read(&path).unwrap_or_default() != seen {
                                continue;
                            }
                            match std::fs::remove_file(&path) {
                                Ok(()) => {}
                                Err(e) if e.kind() == ErrorKind::NotFound => {}
                                Err(e) => {
                                    return Err(e).with_context(|| {
                                        format!("cannot remove stale lock {}", path.display())
                                    });
                                }
                            }
                        }
                    }
                }
                Err(err) => {
                    return Err(err)
                        .with_context(|| format!("cannot create lock file {}", path.display()));
                }
            }
        }
        let holder = read_owner(&path).unwrap_or_else(|| LockOwner {
            host: "unknown".into(),
            pid: 0,
            command: "unknown".into(),
            started: None,
        });
        Ok(LockOutcome::Held(holder, path))
    }
}

impl OutputLock {
    /// The live owner of `dir`'s lock, if another process holds it (for `pilecurate check`,
    /// which takes no lock).
    pub fn live_holder(dir: &Path) -> Option<LockOwner> {
        read_owner(&dir.join(LOCK_FILE)).filter(|owner| !owner.is_gone())
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Creates the lock file at `path` with the owner in it, failing with `AlreadyExists` if it
/// exists: written under a temporary name, then hard-linked into place, so no other process
/// ever reads it empty (and takes it for a damaged, stale lock) while it is being written.
fn create_whole(path: &Path, owner: &LockOwner) -> std::io::Result<()> {
    let mut json = serde_json::to_string(owner).map_err(std::io::Error::other)?;
    json.push('\n');
    // The holder of the lock may sweep temporaries from the folder (a rerun clears what a
    // killed process left) and take ours between its writing and its linking: write again.
    let mut attempts = 0;
    loop {
        let temp = super::atomic::temp_path(path);
        let written = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .and_then(|mut file| {
                file.write_all(json.as_bytes())
                    .and_then(|()| file.sync_all())
            });
        let linked = written.and_then(|()| std::fs::hard_link(&temp, path));
        let _ = std::fs::remove_file(&temp);
        attempts += 1;
        match linked {
            Err(e) if e.kind() == ErrorKind::NotFound && attempts < 50 => continue,
            Err(e) if e.kind() == ErrorKind::Unsupported || e.raw_os_error() == Some(1) => {
                // No hard links here (EPERM on some file systems): exclusive create, then
                // write.
                let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
                file.write_all(json.as_bytes())?;
                return file.sync_all();
            }
            other => return other,
        }
    }
}

fn read_owner(path: &Path) -> Option<LockOwner> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(text.trim()).ok()
}

/// This machine's host name (Linux's `/proc`, else `$HOSTNAME`, else `unknown`).
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(pid: u32) -> LockOwner {
        LockOwner {
            host: host_name(),
            pid,
            command: "pilecurate run test".into(),
            started: process_start(pid),
        }
    }

    #[test]
    fn a_second_owner_is_refused_while_the_first_is_alive() {
        let dir = tempfile::tempdir().unwrap();
        let me = LockOwner::current();
        let LockOutcome::Acquired { lock, stale } = OutputLock::acquire(dir.path(), &me).unwrap()
        else {
            panic!("first lock refused")
        };
        assert!(stale.is_none());
        // The holder is this test process: alive, started when the lock says.
        let held = OutputLock::acquire(dir.path(), &owner(std::process::id())).unwrap();
        match held {
            LockOutcome::Held(holder, _) => assert_eq!(holder, me),
            LockOutcome::Acquired { .. } => panic!("a live owner's lock was taken"),
        }
        drop(lock);
        assert!(
            !dir.path().join(LOCK_FILE).exists(),
            "drop releases the lock"
        );
    }

    #[test]
    fn a_dead_owners_lock_is_taken_over_and_named() {
        let dir = tempfile::tempdir().unwrap();
        // A pid far above any pid_max: no such process.
        let dead = owner(4_000_000_000);
        std::fs::write(
            dir.path().join(LOCK_FILE),
            serde_json::to_string(&dead).unwrap(),
        )
        .unwrap();
        match OutputLock::acquire(dir.path(), &owner(std::process::id())).unwrap() {
            LockOutcome::Acquired { stale, .. } => assert_eq!(stale, Some(dead)),
            LockOutcome::Held(..) => panic!("a dead owner's lock was honoured"),
        }
        // A live pid that started at another time is a reused id: stale.
        let dir = tempfile::tempdir().unwrap();
        let reused = LockOwner {
            started: process_start(std::process::id()).map(|t| t + 1),
            ..owner(std::process::id())
        };
        let text = serde_json::to_string(&reused).unwrap();
        std::fs::write(dir.path().join(LOCK_FILE), text).unwrap();
        assert!(matches!(
            OutputLock::acquire(dir.path(), &owner(std::process::id())).unwrap(),
            LockOutcome::Acquired { stale: Some(_), .. }
        ));
        // A damaged lock file is stale too.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(LOCK_FILE), "{trunc").unwrap();
        assert!(matches!(
            OutputLock::acquire(dir.path(), &owner(std::process::id())).unwrap(),
            LockOutcome::Acquired { stale: Some(_), .. }
        ));
    }

    #[test]
    fn another_hosts_lock_is_never_taken() {
        let dir = tempfile::tempdir().unwrap();
        let remote = LockOwner {
            host: format!("{}-elsewhere", host_name()),
            pid: 4_000_000_000,
            command: "pilecurate step scan".into(),
            started: None,
        };
        std::fs::write(
            dir.path().join(LOCK_FILE),
            serde_json::to_string(&remote).unwrap(),
        )
        .unwrap();
        assert!(matches!(
            OutputLock::acquire(dir.path(), &owner(std::process::id())).unwrap(),
            LockOutcome::Held(holder, _) if holder == remote
        ));
    }
}
