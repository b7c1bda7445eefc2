//! Running as a batch job: plain progress lines off a terminal, Ctrl-C ending a run cleanly
//! with exit 130, one writer per output folder, and `pilecurate check` before a long run.

use crate::util::{TestEnv, code, gzip, root, sample_lines, stderr};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn default_config() -> String {
    root().join("data/pilecurate.toml").display().to_string()
}

#[test]
fn off_a_terminal_each_stage_prints_plain_progress_lines() {
    let env = TestEnv::new();
    let output = Command::new(env!("CARGO_BIN_EXE_pilecurate"))
        .args(["run", &default_config(), "-o", "out"])
        .current_dir(env.dir.path())
        .env("PILECURATE_PROGRESS_SECS", "0")
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stderr(&output);
    for stage in ["scan", "exact", "fuzzy", "tokenize"] {
        let done = format!("pilecurate {stage}: ");
        assert!(
            text.lines()
                .any(|l| l.starts_with(&done) && l.contains("done in")),
            "no last line for {stage}:\n{text}"
        );
    }
    // The scan's lines count documents and MB, with a rate and an ETA while running.
    assert!(
        text.lines()
            .any(|l| l.starts_with("pilecurate scan: 1126 documents")
                && l.contains("kept")
                && l.contains("MB/s")
                && l.contains("eta")),
        "{text}"
    );
    let quiet = env.run(&["run", &default_config(), "-o", "out", "-q"]);
    assert_eq!(code(&quiet), 0);
    assert_eq!(stderr(&quiet), "", "-q prints nothing");
}

#[test]
fn ctrl_c_stops_the_run_with_130_and_leaves_no_temporaries() {
    let env = TestEnv::new();
    // Enough text that the run is still reading when the signal comes.
    let lines = sample_lines(2000).join("\n") + "\n";
    let many: String = (0..15).map(|_| lines.as_str()).collect();
    env.write("big.jsonl.gz", &gzip(many.as_bytes()));
    let config = env.config(
        "c.toml",
        &["path = \"big.jsonl.gz\""],
        &crate::util::SOURCES,
        "",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_pilecurate"))
        .args(["run", config.to_str().unwrap(), "-o", "out"])
        .current_dir(env.dir.path())
        .env("PILECURATE_PROGRESS_SECS", "0")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first progress line means the run (and its signal handler) is under way.
    let mut stderr_lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = stderr_lines.next().unwrap().unwrap();
    assert!(first.starts_with("pilecurate scan"), "{first}");
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let rest: Vec<String> = stderr_lines.map(|l| l.unwrap()).collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{rest:?}");
    let text = rest.join("\n");
    assert!(text.contains("interrupted"), "{text}");
    assert!(text.contains("rerun the same command"), "{text}");
    let left: Vec<String> = crate::util::tree(&env.path("out"))
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name.contains(".tmp-") || name.ends_with(".pilecurate.lock"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    let manifest = std::fs::read_to_string(env.path("out/run.json")).unwrap();
    assert!(manifest.contains("\"running\""), "{manifest}");
}

#[test]
fn a_second_writer_is_refused_and_a_dead_ones_lock_is_taken_over() {
    let env = TestEnv::new();
    // A live owner: this test process, as if it were a run writing the folder.
    let live = lock_of_this_process("pilecurate run other.toml", 0);
    env.write("out/.pilecurate.lock", live.as_bytes());
    let refused = env.run(&["run", &default_config(), "-q", "-o", "out"]);
    assert_eq!(code(&refused), 5, "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(message.contains("another pilecurate process"), "{message}");
    assert!(
        message.contains(&std::process::id().to_string()),
        "{message}"
    );
    assert!(message.contains("other.toml"), "{message}");
    assert!(
        env.path("out/.pilecurate.lock").exists(),
        "the owner's lock was removed"
    );
    // The same owner, dead: a process of that id would have started at another time.
    let dead = lock_of_this_process("pilecurate run other.toml", 1);
    env.write("out/.pilecurate.lock", dead.as_bytes());
    let took_over = env.run(&["run", &default_config(), "-o", "out"]);
    assert_eq!(code(&took_over), 0, "{}", stderr(&took_over));
    assert!(
        stderr(&took_over).contains("no longer running"),
        "{}",
        stderr(&took_over)
    );
    assert!(
        !env.path("out/.pilecurate.lock").exists(),
        "the lock outlived the run"
    );
}

#[test]
fn check_reports_what_a_run_would_read_and_what_would_stop_it() {
    let env = TestEnv::new();
    let ok = env.run(&["check", &default_config(), "-o", "out"]);
    assert_eq!(code(&ok), 0, "{}", stderr(&ok));
    let text = String::from_utf8_lossy(&ok.stdout).into_owned();
    assert!(
        text.contains("sample.jsonl.gz: 1.2 MB, Gzip, first record of source"),
        "{text}"
    );
    assert!(text.contains("fast engine"), "{text}");
    assert!(text.contains("ok: the run can start"), "{text}");
    assert!(!env.path("out").exists(), "check wrote the output folder");

    // A gzip file named .zst, and a first record of an undeclared source.
    env.write("in/a.jsonl.zst", &gzip(b"{\"text\": \"x\"}\n"));
    let line = "{\"text\": \"hello\", \"meta\": {\"pile_set_name\": \"Nope\"}}\n";
    env.write("in/b.jsonl", line.as_bytes());
    let config = env.config(
        "c.toml",
        &["path = \"in/a.jsonl.zst\"", "path = \"in/b.jsonl\""],
        &["Github"],
        "",
    );
    let bad = env.run(&["check", config.to_str().unwrap(), "-o", "out"]);
    assert_eq!(code(&bad), 4, "{}", stderr(&bad));
    let message = stderr(&bad);
    assert!(message.contains("a.jsonl.zst: its name says Zstd but its first bytes are Gzip"));
    assert!(
        message.contains("b.jsonl:1: the first record's source \"Nope\""),
        "{message}"
    );
    let dry = env.run(&["run", config.to_str().unwrap(), "--dry-run", "-o", "out"]);
    assert_eq!(code(&dry), 4);
    assert!(
        !env.path("out").exists(),
        "--dry-run wrote the output folder"
    );
    // An empty input and a first record that would be rejected: warnings, and exit 6 as the
    // run would give (0 with --allow-rejects).
    env.write("in/empty.jsonl", b"");
    env.write("in/c.jsonl", b"not json\n");
    let config = env.config(
        "w.toml",
        &[
            "path = \"in/empty.jsonl\"",
            "path = \"in/c.jsonl\"\nsource = \"Github\"",
        ],
        &["Github"],
        "",
    );
    let warned = env.run(&["check", config.to_str().unwrap(), "-o", "out"]);
    assert_eq!(code(&warned), 6, "{}", stderr(&warned));
    assert!(
        stderr(&warned).contains("empty.jsonl is empty"),
        "{}",
        stderr(&warned)
    );
    assert!(stderr(&warned).contains("c.jsonl:1: the first record would be rejected"));
    let allowed = env.run(&[
        "check",
        config.to_str().unwrap(),
        "-o",
        "out",
        "--allow-rejects",
    ]);
    assert_eq!(code(&allowed), 0, "{}", stderr(&allowed));
    // A folder another live run holds.
    let live = lock_of_this_process("pilecurate run x.toml", 0);
    env.write("held/.pilecurate.lock", live.as_bytes());
    let locked = env.run(&["check", &default_config(), "-o", "held"]);
    assert_eq!(code(&locked), 5, "{}", stderr(&locked));
    assert!(stderr(&locked).contains("another pilecurate process"));
}

/// A lock file naming this test process as its owner, its start time moved by `shift` ticks
/// (1: a process of this pid that started at another time, so a dead owner).
fn lock_of_this_process(command: &str, shift: u64) -> String {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let started: u64 = stat[stat.rfind(')').unwrap() + 1..]
        .split_whitespace()
        .nth(19)
        .unwrap()
        .parse()
        .unwrap();
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    serde_json::json!({
        "host": host.trim(), "pid": std::process::id(), "command": command,
        "started": started + shift,
    })
    .to_string()
}
