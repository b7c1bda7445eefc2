//! The output folder: where a run may write (never `/`, a home or repository root, nor a
//! folder holding its own inputs), its manifest (`run.json`: refuse to mix two runs in one
//! folder; `running` before anything is touched, `complete` last), and the cleanup of a
//! previous attempt, which deletes only files a run wrote (see `owned`).

use super::owned::{self, RUN_DIRS, Slugs};
/// The dedup work folder of versions before step-wise runs (its files are cleaned up).
const WORK_DIR: &str = ".work/dedup";
use crate::config::Config;
use crate::error::{FailureKind, failure};
use crate::io;
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Name of the manifest inside the output folder.
pub const MANIFEST: &str = "run.json";

#[derive(Serialize, Deserialize)]
struct Manifest {
    tool: String,
    version: String,
    config_path: String,
    config_hash: String,
    /// `running` while the run goes on, `complete` once every output is in place.
    status: String,
    /// Slugs whose outputs this folder may hold (absent in manifests of older versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    slugs: Option<BTreeSet<String>>,
}

/// What the output folder holds before a run.
enum Found {
    /// Missing or empty (a lock file aside).
    Empty,
    /// A run of this same config: a rerun replaces it.
    SameRun(Manifest),
    /// A run of another config.
    OtherRun(Manifest),
    /// Files and no pilecurate manifest.
    Foreign,
}

fn survey(config: &Config) -> Result<Found> {
    let out = &config.output_dir;
    let entries: Vec<String> = io::list_dir(out)?
        .unwrap_or_default()
        .into_iter()
        // The lock, temporaries, and what `pilecurate slurm --dry-run` writes (the scripts
        // and the logs folder) before any run: pilecurate's, not a user's.
        .filter(|name| {
            name != io::LOCK_FILE
                && !io::is_unfinished(name)
                && !(matches!(name.as_str(), "slurm" | "logs") && io::is_real_dir(&out.join(name)))
        })
        .collect();
    if entries.is_empty() {
        return Ok(Found::Empty);
    }
    let previous: Option<Manifest> = if entries.iter().any(|e| e == MANIFEST) {
        serde_json::from_str(&io::read_text(&out.join(MANIFEST))?).ok()
    } else {
        None
    };
    Ok(match previous {
        Some(prev) if prev.config_hash == config.hash => Found::SameRun(prev),
        Some(prev) => Found::OtherRun(prev),
        None => Found::Foreign,
    })
}

/// What a run would do with the output folder, in a sentence (for `pilecurate check`);
/// an error when the run would be refused.
pub fn preview(config: &Config, force: bool) -> Result<String> {
    check_location(config)?;
    if let Some(owner) = io::OutputLock::live_holder(&config.output_dir) {
        return Err(locked(config, &owner));
    }
    let found = survey(config)?;
    refuse_conflict(config, &found, force)?;
    Ok(match found {
        Found::Empty => "missing or empty: the run writes a new one".to_string(),
        Found::SameRun(prev) => format!(
            "holds a {} run of this config: a rerun replaces its outputs",
            prev.status
        ),
        Found::OtherRun(prev) => format!(
            "holds a run of another config ({}): --force replaces that run's outputs",
            prev.config_path
        ),
        Found::Foreign => {
            "holds other files: --force writes beside them and leaves them alone".to_string()
        }
    })
}

/// Checks that the folder is empty, missing, or holds this same run (or `force`), marks it
/// `running`, then deletes what a previous attempt left. The caller has checked the
/// location ([`check_location`]) and holds the folder's lock.
pub fn prepare(config: &Config, force: bool) -> Result<()> {
    prepare_with(config, force, &|path| io::remove_path_if_exists(path))
}

/// Deletes a file: [`io::remove_path_if_exists`], or a failing stand-in in tests.
type Remove<'a> = &'a dyn Fn(&Path) -> Result<()>;

/// Refuses a folder that holds another run or files that are not pilecurate's (without
/// `force`), touching nothing: the check [`prepare`] starts with.
pub fn refuse_other_run(config: &Config, force: bool) -> Result<()> {
    refuse_conflict(config, &survey(config)?, force)
}

fn prepare_with(config: &Config, force: bool, remove: Remove<'_>) -> Result<()> {
    let out = &config.output_dir;
    let found = survey(config)?;
    refuse_conflict(config, &found, force)?;
    let ours: BTreeSet<String> = config.sources.iter().map(|s| s.slug.clone()).collect();
    // Work files of another config would be counted and spilled beside this run's: gone
    // first, before the manifest names this config.
    if !matches!(found, Found::SameRun(_)) {
        remove_matching(&out.join(WORK_DIR), owned::is_work_file, remove)?;
    }
    // What the cleanup below may delete: this run's slugs and the previous run's, recorded
    // in the `running` manifest first, so a cleanup killed halfway is finished by a rerun.
    let slugs = match found {
        Found::SameRun(prev) | Found::OtherRun(prev) => match prev.slugs {
            None => Slugs::Any,
            Some(prev) => Slugs::Only(prev.union(&ours).cloned().collect()),
        },
        Found::Empty | Found::Foreign => Slugs::Only(ours),
    };
    // The last moment a signal can stop the run with the folder as it was.
    super::interrupt::check()?;
    write_manifest(config, "running", &slugs)?;
    remove_run_outputs(out, &slugs, remove)
}

fn refuse_conflict(config: &Config, found: &Found, force: bool) -> Result<()> {
    let shown = config.output_dir.display();
    match found {
        _ if force => Ok(()),
        Found::Empty | Found::SameRun(_) => Ok(()),
        Found::OtherRun(prev) => Err(failure(
            FailureKind::OutputConflict,
            format!(
                "{shown} holds a different run (config {} with hash {}, this run's hash is {}); \
                 choose another --output, or pass --force to replace that run's outputs (only \
                 files pilecurate wrote are deleted)",
                prev.config_path, prev.config_hash, config.hash
            ),
        )),
        Found::Foreign => Err(failure(
            FailureKind::OutputConflict,
            format!(
                "{shown} is not empty and holds no pilecurate {MANIFEST}; choose an empty or \
                 new --output folder, or pass --force to write into it (its other files are \
                 left alone)"
            ),
        )),
    }
}

/// Marks the run complete: the last file a run writes, after every other one is synced.
pub fn complete(config: &Config) -> Result<()> {
    let slugs = config.sources.iter().map(|s| s.slug.clone()).collect();
    write_manifest(config, "complete", &Slugs::Only(slugs))
}

/// The error of a folder another live run holds.
pub fn locked(config: &Config, owner: &io::LockOwner) -> anyhow::Error {
    let out = &config.output_dir;
    failure(
        FailureKind::OutputConflict,
        format!(
            "{} is being written by another pilecurate process: pid {} on host {} ({}); wait \
             for it to finish or choose another --output. If that process is gone for good (a \
             lock from another host cannot be checked from here), delete {}",
            out.display(),
            owner.pid,
            owner.host,
            owner.command,
            out.join(io::LOCK_FILE).display()
        ),
    )
}

/// Refuses output folders that a cleanup could make a disaster of, whatever the flags.
pub fn check_location(config: &Config) -> Result<()> {
    let out = io::resolved(&config.output_dir);
    let shown = config.output_dir.display();
    let refuse = |why: String| {
        Err(failure(
            FailureKind::OutputConflict,
            format!("refusing to write into {shown} ({}): {why}", out.display()),
        ))
    };
    if out.exists() && !out.is_dir() {
        return refuse("it is a file, not a folder; choose a folder for the outputs".into());
    }
    if out.parent().is_none() {
        return refuse("it is the file system's root; choose a folder of its own".into());
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        if io::resolved(Path::new(&home)) == out {
            return refuse("it is the home folder; choose a folder of its own".into());
        }
    }
    if out.join(".git").exists() {
        return refuse(
            "it is the root of a repository; choose a folder of its own, such as out/".into(),
        );
    }
    let mut protected: Vec<(&str, PathBuf)> = vec![
        ("the config", config.config_path.clone()),
        ("the tokenizer", config.tokenizer_path.clone()),
    ];
    protected.extend(config.inputs.iter().map(|i| ("an input", i.path.clone())));
    protected.extend(config.tasks.iter().map(|t| ("a task file", t.path.clone())));
    for (what, path) in protected {
        let path = io::resolved(&path);
        if path.starts_with(&out) {
            return refuse(format!(
                "it holds {what}, {}; write the outputs to a folder apart from the inputs",
                path.display()
            ));
        }
    }
    Ok(())
}

/// Deletes every file a run wrote for `slugs`, every unfinished temporary of ours, and the
/// run's folders once empty. A user's file in them stays, and keeps its folder.
fn remove_run_outputs(out: &Path, slugs: &Slugs, remove: Remove<'_>) -> Result<()> {
    // An output folder given as a link is the user's choice: clean the folder it names.
    let out = &io::resolved(out);
    remove_matching(
        out,
        |name| name != MANIFEST && owned::is_run_output(&[name], slugs),
        remove,
    )?;
    for dir in ["megatron", "removed", "rejects"] {
        remove_matching(
            &out.join(dir),
            |name| owned::is_run_output(&[dir, name], slugs),
            remove,
        )?;
    }
    let docs = out.join("docs");
    for slug in io::list_dir(&docs)?.unwrap_or_default() {
        let folder = docs.join(&slug);
        if io::is_real_dir(&folder) {
            remove_matching(
                &folder,
                |name| owned::is_run_output(&["docs", &slug, name], slugs),
                remove,
            )?;
            io::remove_dir_if_empty(&folder)?;
        }
    }
    // Finished work files of this config stay for reuse; unfinished ones never are.
    remove_matching(&out.join(WORK_DIR), |_| false, remove)?;
    for dir in RUN_DIRS {
        if dir != ".work/dedup" && dir != ".work" {
            io::remove_dir_if_empty(&out.join(dir))?;
        }
    }
    Ok(())
}

/// Deletes the files of `dir` that `ours` names, and every unfinished temporary there (a
/// killed attempt's: without this each crash would leave one for good). Never a folder, and
/// never through a symbolic link: a run folder that is a link to storage elsewhere is the
/// user's to clean (the run writes through it; a link named like a file is removed itself).
fn remove_matching(dir: &Path, ours: impl Fn(&str) -> bool, remove: Remove<'_>) -> Result<()> {
    if !io::is_real_dir(dir) {
        return Ok(());
    }
    for name in io::list_dir(dir)?.unwrap_or_default() {
        let path = dir.join(&name);
        if (ours(&name) || io::is_unfinished(&name)) && !io::is_real_dir(&path) {
            remove(&path)?;
        }
    }
    Ok(())
}

fn write_manifest(config: &Config, status: &str, slugs: &Slugs) -> Result<()> {
    let manifest = Manifest {
        tool: "pilecurate".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        config_path: config.config_path.display().to_string(),
        config_hash: config.hash.clone(),
        status: status.to_string(),
        slugs: match slugs {
            Slugs::Only(slugs) => Some(slugs.clone()),
            Slugs::Any => None,
        },
    };
    let mut json = serde_json::to_string_pretty(&manifest)?;
    json.push('\n');
    // `AtomicFile` syncs the file and its folder before this returns.
    io::write_atomic(&config.output_dir.join(MANIFEST), json.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;

    /// A cleanup that stops halfway (killed, or a failing disk) leaves `run.json` saying
    /// `running`, never `complete` over half the outputs.
    #[test]
    fn the_manifest_says_running_before_the_first_deletion() {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let overrides = Overrides {
            output: Some(dir.path().join("out")),
            ..Overrides::default()
        };
        let config = Config::load(&root.join("data/pilecurate.toml"), &overrides).unwrap();
        let out = &config.output_dir;
        std::fs::create_dir_all(out.join("megatron")).unwrap();
        for name in ["report.json", "megatron/Github_text_document.bin"] {
            std::fs::write(out.join(name), b"old").unwrap();
        }
        complete(&config).unwrap();
        let manifest = || io::read_text(&out.join(MANIFEST)).unwrap();
        assert!(manifest().contains("\"complete\""));
        let stop = |path: &Path| -> Result<()> {
            // What the folder says at the moment of the first deletion.
            assert!(manifest().contains("\"running\""), "{}", path.display());
            anyhow::bail!("disk gone")
        };
        assert!(prepare_with(&config, false, &stop).is_err());
        assert!(manifest().contains("\"running\""));
        prepare(&config, false).unwrap();
        assert!(!out.join("report.json").exists());
        assert!(
            !out.join("megatron").exists(),
            "an emptied run folder stays"
        );
    }
}
