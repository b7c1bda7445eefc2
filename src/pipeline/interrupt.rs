//! Ctrl-C and SIGTERM (what Slurm sends at a time limit or `scancel`): the first one asks the
//! run to stop at the next batch, so it unwinds, removes its temporaries and its lock, and
//! exits 130 with a word on how to resume; a second one exits at once. And the kill points
//! the crash tests use to stop a process dead at a chosen place.

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

/// The environment variable that names a kill point (tests only; see [`kill_point`]).
pub const KILL_POINT_VAR: &str = "PILECURATE_KILL_AT";

/// Stops the process dead, as SIGKILL would (no unwinding, no cleanup: temporaries, locks
/// and half-written records stay), when `PILECURATE_KILL_AT` names this point. Crash tests
/// use it to kill a run at exact places (`emit-1:record`, `merge:docs`) that a timer could
/// not hit reliably; unset, it costs one environment lookup per call, made per rank, never
/// per document.
pub fn kill_point(point: &str) {
    if std::env::var_os(KILL_POINT_VAR).is_some_and(|wanted| wanted == point) {
        eprintln!("killed at {point} ({KILL_POINT_VAR})");
        std::process::abort();
    }
}
