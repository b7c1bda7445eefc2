//! Progress bars on stderr: shown only when stderr is a terminal, hidden with `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A byte-counting bar for a pass over the inputs (`total` compressed bytes).
pub fn bytes_bar(quiet: bool, label: &'static str, total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), target(quiet));
    let style = ProgressStyle::with_template(
        "{prefix:>10} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(label);
    bar
}

/// A spinner for a stage without a natural byte count (deduplication).
pub fn spinner(quiet: bool, label: &'static str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, target(quiet));
    let style = ProgressStyle::with_template("{prefix:>10} [{elapsed_precise}] {spinner} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.set_prefix(label);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn target(quiet: bool) -> ProgressDrawTarget {
    if quiet {
        ProgressDrawTarget::hidden()
    } else {
        // indicatif draws nothing when stderr is not a terminal (CI logs, redirects).
        ProgressDrawTarget::stderr()
    }
}
