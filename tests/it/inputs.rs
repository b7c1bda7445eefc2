//! Inputs never vanish quietly: what a glob matches or a config names but cannot be read as
//! a file is an input error (exit 4) naming it; a gzip file padded with zeros after its last
//! member is read whole, and other trailing bytes are damage.

use crate::util::{TestEnv, code, gzip, sample_lines, stable_report, stderr};

/// Runs `inputs` of source Reference; returns the exit code and stderr.
fn run(env: &TestEnv, name: &str, input: &str) -> (i32, String) {
    let input = format!("path = {input:?}\nsource = \"Reference\"");
    let config = env.config(&format!("{name}.toml"), &[&input], &["Reference"], "");
    let output = env.run_config(&config, &env.path(&format!("out-{name}")), &[]);
    (code(&output), stderr(&output))
}

fn check_refused(env: &TestEnv, name: &str, input: &str, words: &[&str]) {
    let (code, message) = run(env, name, input);
    assert_eq!(code, 4, "{name}: {message}");
    for word in words {
        assert!(message.contains(word), "{name}: {word:?} not in {message}");
    }
    assert!(!message.contains("no input file matches"), "{message}");
}

#[test]
fn matches_that_are_not_readable_files_are_input_errors() {
    let env = TestEnv::new();
    let text = sample_lines(20).join("\n") + "\n";
    env.write("in/a.jsonl", text.as_bytes());
    let (code, message) = run(&env, "fine", "in/*.jsonl");
    assert_eq!(code, 0, "{message}");

    std::fs::create_dir(env.path("in/folder.jsonl")).unwrap();
    check_refused(
        &env,
        "folder",
        "in/*.jsonl",
        &["folder.jsonl", "is a folder"],
    );
    std::fs::remove_dir(env.path("in/folder.jsonl")).unwrap();

    #[cfg(unix)]
    {
        let link = env.path("in/link.jsonl");
        std::os::unix::fs::symlink(env.path("in/gone.jsonl"), &link).unwrap();
        let words = ["link.jsonl", "symbolic link", "gone.jsonl"];
        check_refused(&env, "dangling", "in/*.jsonl", &words);
        check_refused(&env, "dangling-named", "in/link.jsonl", &words);
        std::fs::remove_file(&link).unwrap();

        let fifo = env.path("in/pipe.jsonl");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        // Never opened, so these runs cannot block on the FIFO.
        check_refused(&env, "fifo", "in/*.jsonl", &["pipe.jsonl", "FIFO"]);
        check_refused(&env, "fifo-named", "in/pipe.jsonl", &["pipe.jsonl", "FIFO"]);
    }
}

#[test]
fn zero_padded_gzip_is_read_whole_and_trailing_garbage_is_damage() {
    let env = TestEnv::new();
    let text = sample_lines(300).join("\n") + "\n";
    let members = gzip(text.as_bytes());
    env.write("in/plain.jsonl.gz", &members);
    let mut padded = members.clone();
    padded.resize(members.len() + 10_240, 0);
    env.write("in/padded.jsonl.gz", &padded);
    let mut garbage = members.clone();
    garbage.extend(b"\0\0\0junk");
    env.write("in/garbage.jsonl.gz", &garbage);

    for name in ["plain", "padded"] {
        let (code, message) = run(&env, name, &format!("in/{name}.jsonl.gz"));
        assert_eq!(code, 0, "{name}: {message}");
    }
    let report = |name: &str| {
        stable_report(&env.path(&format!("out-{name}/report.json")))["sources"].clone()
    };
    assert_eq!(report("plain"), report("padded"));
    assert_eq!(report("padded")[0]["records_read"], 300);

    check_refused(
        &env,
        "garbage",
        "in/garbage.jsonl.gz",
        &["garbage.jsonl.gz", "after line 300", "zero padding"],
    );
}
