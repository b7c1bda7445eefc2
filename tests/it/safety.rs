//! The output folder is safe: `--force` and reruns delete only what a run wrote, places no
//! run may write into are refused whatever the flags, temporaries anywhere are swept, a
//! changed config starts from clean work files, and a kill never leaves `run.json` claiming
//! a run complete that is not.

use crate::util::{TestEnv, code, root, stable_report, stderr, tree, tree_all};
use std::path::Path;

fn default_config() -> String {
    root().join("data/pilecurate.toml").display().to_string()
}

fn run_into(env: &TestEnv, out: &Path, extra: &[&str]) -> std::process::Output {
    env.run_config(Path::new(&default_config()), out, extra)
}

#[test]
fn force_deletes_only_what_a_run_wrote() {
    let env = TestEnv::new();
    let thesis = env.write("u/docs/thesis.txt", b"x");
    let model = env.write("u/megatron/model.ckpt", b"y");
    let notes = env.write("u/docs/Github/notes.txt", b"z");
    let out = env.path("u");
    let refused = run_into(&env, &out, &[]);
    assert_eq!(code(&refused), 5, "{}", stderr(&refused));
    for _ in 0..2 {
        let forced = run_into(&env, &out, &["--force"]);
        assert_eq!(code(&forced), 0, "{}", stderr(&forced));
        assert_eq!(std::fs::read(&thesis).unwrap(), b"x");
        assert_eq!(std::fs::read(&model).unwrap(), b"y");
        assert_eq!(std::fs::read(&notes).unwrap(), b"z");
        assert!(out.join("megatron/Github_text_document.bin").exists());
    }
}

#[test]
fn folders_no_run_may_write_into_are_refused_whatever_the_flags() {
    let env = TestEnv::new();
    // An output folder holding the run's own input.
    let input = env.write(
        "in5/docs/sample.jsonl.gz",
        &std::fs::read(root().join("data/sample/sample.jsonl.gz")).unwrap(),
    );
    let config = env.config(
        "c.toml",
        &["path = \"in5/docs/*.jsonl.gz\"\nsource = \"Github\""],
        &["Github"],
        "",
    );
    let out = env.path("in5");
    let args = ["run", config.to_str().unwrap(), "-q", "--force", "-o"];
    let held = env.run(&[&args[..], &[out.to_str().unwrap()]].concat());
    assert_eq!(code(&held), 5);
    assert!(
        stderr(&held).contains("holds an input"),
        "{}",
        stderr(&held)
    );
    assert!(input.exists(), "the input was deleted");
    // The folder holding the config.
    let beside = env.run(&[&args[..], &[env.dir.path().to_str().unwrap()]].concat());
    assert_eq!(code(&beside), 5);
    assert!(
        stderr(&beside).contains("holds the config"),
        "{}",
        stderr(&beside)
    );

    for (out, words) in [("/", "root"), (".", "repository")] {
        env.write(".git/HEAD", b"ref: refs/heads/main\n");
        let refused = run_into(&env, Path::new(out), &["--force"]);
        assert_eq!(code(&refused), 5, "{out}: {}", stderr(&refused));
        assert!(stderr(&refused).contains(words), "{}", stderr(&refused));
        assert!(
            !stderr(&refused).contains("--force"),
            "{}",
            stderr(&refused)
        );
    }
    let home = env.path("home");
    std::fs::create_dir_all(&home).unwrap();
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_pilecurate"))
        .args(["run", &default_config(), "-q", "--force", "-o"])
        .arg(&home)
        .env("HOME", &home)
        .output()
        .unwrap();
    assert_eq!(code(&refused), 5);
    assert!(
        stderr(&refused).contains("home folder"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        std::fs::read_dir(&home).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn a_rerun_sweeps_temporaries_left_anywhere_in_the_folder() {
    let env = TestEnv::new();
    let out = env.path("out");
    assert_eq!(code(&run_into(&env, &out, &[])), 0);
    let planted = [
        ".report.json.tmp-99999-0",
        ".run.json.tmp-99999-3",
        "megatron/.Github_text_document.bin.tmp-99999-1",
        "docs/Github/.part-00000.jsonl.zst.tmp-99999-2",
        "removed/.filtered.jsonl.zst.tmp-99999-4",
        ".work/steps/scan/rank-00000/.origins.tmp-99999-5",
        ".work/steps/emit/rank-00000/docs/Github/.part-00000.jsonl.zst.tmp-99999-6",
    ];
    for name in planted {
        env.write(&format!("out/{name}"), b"half");
    }
    let rerun = run_into(&env, &out, &[]);
    assert_eq!(code(&rerun), 0, "{}", stderr(&rerun));
    for name in planted {
        assert!(!out.join(name).exists(), "{name} survived the rerun");
    }
}

#[test]
fn a_changed_config_under_force_starts_from_clean_work_files() {
    let env = TestEnv::new();
    let wide = env.write(
        "wide.toml",
        std::fs::read_to_string(default_config())
            .unwrap()
            .replace("bands = 14", "bands = 20")
            .replace(
                "\"sample/",
                &format!("\"{}/", root().join("data/sample").display()),
            )
            .replace(
                "\"tokenizer/",
                &format!("\"{}/", root().join("data/tokenizer").display()),
            )
            .replace(
                "\"eval/",
                &format!("\"{}/", root().join("data/eval").display()),
            )
            .replace(
                "\"../filters/",
                &format!("\"{}/", root().join("filters").display()),
            )
            .as_bytes(),
    );
    let out = env.path("out");
    let first = env.run(&["run", wide.to_str().unwrap(), "-q", "-o", "out"]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let forced = run_into(&env, &out, &["--force"]);
    assert_eq!(code(&forced), 0, "{}", stderr(&forced));
    let fresh = env.path("fresh");
    assert_eq!(code(&run_into(&env, &fresh, &[])), 0);
    let names = |dir: &Path| -> Vec<String> {
        tree_all(&dir.join(".work/steps/scan"))
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    };
    assert_eq!(
        names(&out),
        names(&fresh),
        "stale work files of bands = 20 stayed"
    );
    let report = |dir: &Path| stable_report(&dir.join("report.json"));
    assert_eq!(report(&out)["dedup"], report(&fresh)["dedup"]);
    assert_eq!(report(&out)["sources"], report(&fresh)["sources"]);
}

/// `run.json` says `complete` only when every output is in place: killed at many points of a
/// rerun over a complete folder, it either still describes the old, intact outputs, or says
/// `running`.
#[test]
fn a_kill_never_leaves_a_complete_manifest_over_missing_outputs() {
    let env = TestEnv::new();
    let base = env.path("base");
    assert_eq!(code(&run_into(&env, &base, &[])), 0);
    let complete = tree(&base);
    for delay_ms in [0, 30, 60, 90, 120, 180, 250, 400] {
        let trial = env.path(&format!("trial-{delay_ms}"));
        copy_tree(&base, &trial);
        let config = default_config();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pilecurate"))
            .args(["run", &config, "-q", "-o", trial.to_str().unwrap()])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let manifest = std::fs::read_to_string(trial.join("run.json")).unwrap_or_default();
        if manifest.contains("\"complete\"") {
            let now: Vec<_> = tree(&trial)
                .into_iter()
                .filter(|(name, _)| !name.starts_with(".work") && !name.contains(".tmp-"))
                .filter(|(name, _)| name != ".pilecurate.lock")
                .collect();
            let expected: Vec<_> = complete
                .iter()
                .filter(|(name, _)| !name.starts_with(".work"))
                .cloned()
                .collect();
            let names = |t: &[(String, Vec<u8>)]| t.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
            assert_eq!(names(&now), names(&expected), "killed after {delay_ms} ms");
        } else {
            assert!(
                manifest.contains("\"running\""),
                "after {delay_ms} ms: {manifest}"
            );
        }
        // Whatever the kill left, a rerun finishes the run.
        assert_eq!(
            code(&run_into(&env, &trial, &[])),
            0,
            "rerun after {delay_ms} ms"
        );
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for (name, bytes) in tree(from) {
        let path = to.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

#[test]
fn a_cleanup_never_follows_a_link_nor_deletes_a_folder() {
    let env = TestEnv::new();
    let out = env.path("out");
    assert_eq!(code(&run_into(&env, &out, &[])), 0);
    // The user moved Github's curated parts to other storage and linked them back.
    let elsewhere = env.write("scratch/part-00000.jsonl.zst", b"outside");
    std::fs::remove_dir_all(out.join("docs/Github")).unwrap();
    std::os::unix::fs::symlink(env.path("scratch"), out.join("docs/Github")).unwrap();
    // A folder named like a temporary and a user's file that only looks like one.
    let folder_file = env.write("out/.mine.tmp-1-2/keep.txt", b"mine");
    let draft = env.write("out/.draft.tmp-notes", b"mine");
    let rerun = run_into(&env, &out, &[]);
    assert_eq!(code(&rerun), 0, "{}", stderr(&rerun));
    assert!(elsewhere.exists(), "a file behind a link was deleted");
    assert!(folder_file.exists(), "a folder was deleted");
    assert!(draft.exists(), "a user's file was taken for a temporary");
}
