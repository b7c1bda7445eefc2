//! Progress on stderr: a live bar when stderr is a terminal; otherwise (a batch job's log) a
//! plain line per stage at a steady interval and one when the stage ends. `--quiet` silences
//! both.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Seconds between plain progress lines, when stderr is not a terminal.
pub const INTERVAL_ENV: &str = "PILECURATE_PROGRESS_SECS";
const DEFAULT_INTERVAL: Duration = Duration::from_secs(10);

/// A stage's progress: a bar, a plain-line printer, or nothing.
pub struct Progress {
    bar: ProgressBar,
    plain: Option<Mutex<Plain>>,
}

struct Plain {
    label: &'static str,
    total_bytes: Option<u64>,
    started: Instant,
    last_line: Instant,
    interval: Duration,
    bytes: u64,
    docs: u64,
    kept: u64,
    message: String,
}

impl Progress {
    /// Progress of a pass over the inputs (`total` compressed bytes).
    pub fn bytes(quiet: bool, label: &'static str, total: u64) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), target(quiet));
        let style = ProgressStyle::with_template(
            "{prefix:>10} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(label);
        Progress {
            bar,
            plain: plain(quiet, label, Some(total)),
        }
    }

    /// Progress of a stage without a natural byte count (deduplication).
    pub fn spinner(quiet: bool, label: &'static str) -> Progress {
        let bar = ProgressBar::with_draw_target(None, target(quiet));
        let style =
            ProgressStyle::with_template("{prefix:>10} [{elapsed_precise}] {spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_prefix(label);
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress {
            bar,
            plain: plain(quiet, label, None),
        }
    }

    /// Counts a batch: compressed bytes consumed, documents (input lines) done, and the
    /// documents kept so far.
    pub fn advance(&self, bytes: u64, docs: u64, kept: u64) {
        self.bar.inc(bytes);
        self.bar.set_message(format!("{kept} kept"));
        if let Some(plain) = &self.plain {
            let mut plain = plain.lock().unwrap_or_else(|e| e.into_inner());
            plain.bytes += bytes;
            plain.docs += docs;
            plain.kept = kept;
            if plain.last_line.elapsed() >= plain.interval {
                plain.last_line = Instant::now();
                eprintln!("{}", plain.line(false));
            }
        }
    }

    /// Sets the spinner's message (printed as a plain line when the stage ends).
    pub fn set_message(&self, message: String) {
        if let Some(plain) = &self.plain {
            let mut plain = plain.lock().unwrap_or_else(|e| e.into_inner());
            plain.message = message.clone();
            eprintln!("{}", plain.line(false));
        }
        self.bar.set_message(message);
    }

    /// Ends the stage: clears the bar, or prints the stage's last plain line.
    pub fn finish(self) {
        self.bar.finish_and_clear();
        if let Some(plain) = &self.plain {
            let plain = plain.lock().unwrap_or_else(|e| e.into_inner());
            eprintln!("{}", plain.line(true));
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // An error or an interrupt ends the stage early: leave no half-drawn bar behind.
        self.bar.finish_and_clear();
    }
}

impl Plain {
    fn line(&self, done: bool) -> String {
        let seconds = self.started.elapsed().as_secs_f64();
        let mb = self.bytes as f64 / 1e6;
        let rate = if seconds > 0.0 { mb / seconds } else { 0.0 };
        let Some(total) = self.total_bytes else {
            let timing = if done { "done in" } else { "running for" };
            return format!(
                "pilecurate {}: {}, {timing} {seconds:.1} s",
                self.label, self.message
            );
        };
        let mut line = format!(
            "pilecurate {}: {} documents, {} kept, {mb:.1} MB",
            self.label, self.docs, self.kept
        );
        {
            let total_mb = total as f64 / 1e6;
            let share = if total > 0 {
                100.0 * self.bytes as f64 / total as f64
            } else {
                100.0
            };
            line.push_str(&format!(
                " of {total_mb:.1} MB ({share:.0}%), {rate:.1} MB/s"
            ));
            if done {
                line.push_str(&format!(", done in {seconds:.1} s"));
            } else if rate > 0.0 {
                let eta = (total_mb - mb).max(0.0) / rate;
                line.push_str(&format!(", {seconds:.0} s elapsed, eta {eta:.0} s"));
            }
        }
        line
    }
}

fn plain(quiet: bool, label: &'static str, total_bytes: Option<u64>) -> Option<Mutex<Plain>> {
    if quiet || std::io::stderr().is_terminal() {
        return None;
    }
    let interval = std::env::var(INTERVAL_ENV)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(DEFAULT_INTERVAL, Duration::from_secs_f64);
    let now = Instant::now();
    Some(Mutex::new(Plain {
        label,
        total_bytes,
        started: now,
        last_line: now,
        interval,
        bytes: 0,
        docs: 0,
        kept: 0,
        message: String::new(),
    }))
}

fn target(quiet: bool) -> ProgressDrawTarget {
    if quiet {
        ProgressDrawTarget::hidden()
    } else {
        // indicatif draws nothing when stderr is not a terminal: the plain lines serve there.
        ProgressDrawTarget::stderr()
    }
}
