//! The output folder's manifest (`run.json`): refuse to mix two different runs in one
//! folder, clear a previous attempt of the same run, and mark the run complete last.

use super::resolve::WORK_DIR;
use crate::config::Config;
use crate::error::{FailureKind, failure};
use crate::io;
use anyhow::Result;
use serde::{Deserialize, Serialize};

/// Name of the manifest inside the output folder.
pub const MANIFEST: &str = "run.json";

/// Everything a run writes into its output folder (cleared before a rerun).
const OUTPUTS: [&str; 8] = [
    "megatron",
    "docs",
    "removed",
    "rejects",
    "report.json",
    "report.md",
    "blend.txt",
    MANIFEST,
];

#[derive(Serialize, Deserialize)]
struct Manifest {
    tool: String,
    version: String,
    config_path: String,
    config_hash: String,
    /// `running` while the run goes on, `complete` once every output is in place.
    status: String,
}

/// Checks that the output folder is empty, missing, or holds this same run (or `force`),
/// clears previous outputs, and writes a `running` manifest.
pub fn prepare(config: &Config, force: bool) -> Result<()> {
    let out = &config.output_dir;
    let shown = out.display();
    if let Some(entries) = io::list_dir(out)? {
        let manifest = out.join(MANIFEST);
        let previous: Option<Manifest> = if entries.iter().any(|e| e == MANIFEST) {
            serde_json::from_str(&io::read_text(&manifest)?).ok()
        } else {
            None
        };
        match previous {
            _ if entries.is_empty() || force => {}
            Some(prev) if prev.config_hash == config.hash => {}
            Some(prev) => {
                return Err(failure(
                    FailureKind::OutputConflict,
                    format!(
                        "{shown} holds a different run (config {} with hash {}, this run's \
                         hash is {}); choose another --output, delete the folder, or pass \
                         --force to replace it",
                        prev.config_path, prev.config_hash, config.hash
                    ),
                ));
            }
            None => {
                return Err(failure(
                    FailureKind::OutputConflict,
                    format!(
                        "{shown} is not empty and holds no pilecurate {MANIFEST}; choose an \
                         empty or new --output folder, or pass --force to write into it"
                    ),
                ));
            }
        }
        for name in OUTPUTS {
            io::remove_path_if_exists(&out.join(name))?;
        }
        remove_unfinished(&out.join(WORK_DIR))?;
    }
    write_manifest(config, "running")
}

/// Deletes the temporaries a killed attempt left in `dir`. The finished work files there stay
/// (they are stamped with their config); an unfinished one is never read, and without this
/// every crash would leave one behind for good (16 bytes per filter survivor, for origins).
fn remove_unfinished(dir: &std::path::Path) -> Result<()> {
    for name in io::list_dir(dir)?.unwrap_or_default() {
        if io::is_unfinished(&name) {
            io::remove_path_if_exists(&dir.join(name))?;
        }
    }
    Ok(())
}

/// Marks the run complete: the last file a run writes.
pub fn complete(config: &Config) -> Result<()> {
    write_manifest(config, "complete")
}

fn write_manifest(config: &Config, status: &str) -> Result<()> {
    let manifest = Manifest {
        tool: "pilecurate".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        config_path: config.config_path.display().to_string(),
        config_hash: config.hash.clone(),
        status: status.to_string(),
    };
    let mut json = serde_json::to_string_pretty(&manifest)?;
    json.push('\n');
    io::write_atomic(&config.output_dir.join(MANIFEST), json.as_bytes())
}
