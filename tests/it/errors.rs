//! Clear errors with documented exit codes: missing input, unreadable config, unknown
//! source, bad filter key, and an output folder that holds a different run.

use crate::util::{SOURCES, TestEnv, code, root, sample_lines, stderr};

fn check(env: &TestEnv, args: &[&str], expected_code: i32, expected_words: &[&str]) {
    let output = env.run(args);
    let message = stderr(&output);
    assert_eq!(code(&output), expected_code, "{args:?}: {message}");
    for word in expected_words {
        assert!(
            message.contains(word),
            "{args:?}: {word:?} not in {message}"
        );
    }
}

#[test]
fn errors_name_the_problem_and_map_to_exit_codes() {
    let env = TestEnv::new();
    let mut text = sample_lines(20).join("\n");
    text.push('\n');
    env.write("in/a.jsonl", text.as_bytes());

    check(&env, &["run", "nope.toml"], 3, &["nope.toml"]);
    env.write("broken.toml", b"[run\noutput = 1");
    check(&env, &["run", "broken.toml"], 3, &["broken.toml"]);
    let typo = env.config(
        "typo.toml",
        &["path = \"in/a.jsonl\""],
        &["Reference"],
        "[dedup]\nbandz = 3",
    );
    check(&env, &["run", typo.to_str().unwrap()], 3, &["bandz"]);

    let missing = env.config(
        "missing.toml",
        &["path = \"in/none-*.jsonl\""],
        &["Reference"],
        "",
    );
    check(
        &env,
        &["run", missing.to_str().unwrap()],
        4,
        &["none-*.jsonl"],
    );

    // The sample's first lines name sources this config does not declare.
    let unknown = env.config("unknown.toml", &["path = \"in/a.jsonl\""], &["Github"], "");
    check(
        &env,
        &["run", unknown.to_str().unwrap(), "-q"],
        4,
        &["a.jsonl:1", "Reference", "[[source]]"],
    );

    // A record without a source name: no [[source]] can be named "", so none is advised.
    env.write(
        "in/nameless.jsonl",
        b"{\"text\": \"no meta at all here\"}\n",
    );
    let nameless = env.config(
        "nameless.toml",
        &["path = \"in/nameless.jsonl\""],
        &["Github"],
        "",
    );
    let output = env.run(&["run", nameless.to_str().unwrap(), "-q", "-o", "nameless"]);
    assert_eq!(code(&output), 4, "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("nameless.jsonl:1"), "{message}");
    assert!(
        message.contains("no string meta.pile_set_name"),
        "{message}"
    );
    assert!(!message.contains("[[source]]"), "{message}");

    let forced = env.config(
        "forced.toml",
        &["path = \"in/a.jsonl\"\nsource = \"Nope\""],
        &["Reference"],
        "",
    );
    check(&env, &["run", forced.to_str().unwrap()], 3, &["Nope"]);

    let bad_rule = env.write(
        "rules.toml",
        b"name = \"x\"\n[[rule]]\nkind = \"word_count\"\nminn = 3\n",
    );
    let mut with_rule =
        std::fs::read_to_string(env.config("r.toml", &["path = \"in/a.jsonl\""], &[], "")).unwrap();
    with_rule.push_str(&format!(
        "\n[[source]]\nname = \"Reference\"\nfilters = [{bad_rule:?}]\n"
    ));
    let with_rule = env.write("r.toml", with_rule.as_bytes());
    check(
        &env,
        &["run", with_rule.to_str().unwrap()],
        3,
        &["rules.toml", "minn"],
    );

    // The tokenizer loads while pass 1 runs; its errors are still config errors.
    let with_tokenizer = |name: &str, edit: &dyn Fn(String) -> String| {
        let config = env.config(name, &["path = \"in/a.jsonl\""], &["Reference"], "");
        let text = edit(std::fs::read_to_string(config).unwrap());
        env.write(name, text.as_bytes())
    };
    let no_eod = with_tokenizer("eod.toml", &|text| {
        text.replace("[tokenizer]\n", "[tokenizer]\neod_token = \"<|nope|>\"\n")
    });
    check(
        &env,
        &["run", no_eod.to_str().unwrap(), "-q"],
        3,
        &["<|nope|>", "eod_token"],
    );
    let not_json = env.write("tok.json", b"{\"model\": 1}");
    let broken = with_tokenizer("tok.toml", &|text| {
        let path = regex_free_path_line(&text);
        text.replace(&path, &format!("path = {not_json:?}"))
    });
    check(
        &env,
        &["run", broken.to_str().unwrap(), "-q"],
        3,
        &["tok.json", "tokenizer.json"],
    );
}

/// The `path = ...` line of the `[tokenizer]` table of a config written by `TestEnv::config`.
fn regex_free_path_line(text: &str) -> String {
    let table = text.find("[tokenizer]\n").expect("a tokenizer table");
    let line = text[table..].lines().nth(1).expect("its path line");
    line.to_string()
}

#[test]
fn an_output_folder_of_another_run_is_refused() {
    let env = TestEnv::new();
    let mut text = sample_lines(30).join("\n");
    text.push('\n');
    env.write("in/a.jsonl", text.as_bytes());
    let sources = SOURCES;
    let first = env.config("first.toml", &["path = \"in/a.jsonl\""], &sources, "");
    let second = env.config(
        "second.toml",
        &["path = \"in/a.jsonl\""],
        &sources,
        "[dedup]\nfuzzy = false",
    );
    check(
        &env,
        &["run", first.to_str().unwrap(), "-q", "-o", "out"],
        0,
        &[],
    );
    // A killed attempt leaves its unfinished work files behind (an atomic temporary).
    let left = env.write("out/.work/dedup/.origins.tmp-999999-3", b"half written");
    // The same run again into the same folder is a rerun: allowed, and it clears them.
    check(
        &env,
        &["run", first.to_str().unwrap(), "-q", "-o", "out"],
        0,
        &[],
    );
    assert!(
        !left.exists(),
        "a killed attempt's temporary survived the rerun"
    );
    check(
        &env,
        &["run", second.to_str().unwrap(), "-q", "-o", "out"],
        5,
        &["out", "different run", "--force"],
    );
    check(
        &env,
        &[
            "run",
            second.to_str().unwrap(),
            "-q",
            "-o",
            "out",
            "--force",
        ],
        0,
        &[],
    );
    env.write("other/notes.txt", b"mine");
    check(
        &env,
        &["run", first.to_str().unwrap(), "-q", "-o", "other"],
        5,
        &["other"],
    );
    let _ = root();
}
