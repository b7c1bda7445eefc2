//! Ctrl-C and SIGTERM (what Slurm sends at a time limit or `scancel`): the first one asks the
//! run to stop at the next batch, so it unwinds, removes its temporaries and its lock, and
//! exits 130 with a word on how to resume; a second one exits at once.

use crate::error::{FailureKind, failure};
use anyhow::{Context, Result};
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The exit code of a run stopped by a signal (128 + SIGINT, as shells report Ctrl-C).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Installs the handler (once per process).
pub fn install_handler() -> Result<()> {
    ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            eprintln!(
                "interrupted again: stopping now; rerun the same command to start again (it \
                 clears what this run leaves)"
            );
            std::process::exit(EXIT_INTERRUPTED);
        }
        eprintln!("interrupted: stopping after the current batch (again to stop at once)");
    })
    .context("cannot install the Ctrl-C handler")
}

/// Fails with an [`FailureKind::Interrupted`] error once a signal has arrived.
pub fn check() -> Result<()> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(failure(
            FailureKind::Interrupted,
            "interrupted by a signal (Ctrl-C or SIGTERM)",
        ));
    }
    Ok(())
}
