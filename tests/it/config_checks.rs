//! Config values that would fail late, write outside the output folder or allocate absurdly
//! are config errors (exit 3) found before any input is read: the input here is a damaged
//! gzip file, which would be an input error (exit 4) if it were read first, and the output
//! folder is never created.

use crate::util::{TestEnv, code, sample_lines, stderr};

/// Runs a config made of `extra` tables and `sources` (`[[source]]` bodies) over the damaged
/// input; checks exit 3, the words in the message, and that nothing was written.
fn check(env: &TestEnv, name: &str, extra: &str, sources: &[&str], words: &[&str]) {
    let mut text = std::fs::read_to_string(env.config(
        &format!("{name}.toml"),
        &["path = \"in/damaged.jsonl.gz\"\nsource = \"Reference\""],
        &[],
        extra,
    ))
    .unwrap();
    for source in sources {
        text.push_str(&format!("\n[[source]]\n{source}\n"));
    }
    let config = env.write(&format!("{name}.toml"), text.as_bytes());
    let out = env.path(&format!("out-{name}"));
    let output = env.run_config(&config, &out, &[]);
    let message = stderr(&output);
    assert_eq!(code(&output), 3, "{name}: {message}");
    for word in words {
        assert!(message.contains(word), "{name}: {word:?} not in {message}");
    }
    assert!(!out.exists(), "{name}: the output folder was created");
}

#[test]
fn unsafe_names_and_absurd_numbers_are_config_errors_before_any_input_is_read() {
    let env = TestEnv::new();
    let gz = crate::util::gzip(sample_lines(50).join("\n").as_bytes());
    env.write("in/damaged.jsonl.gz", &gz[..gz.len() / 2]);
    let reference = "name = \"Reference\"";
    let with = |body: &str| format!("{reference}\n{body}");

    // Slugs name files under docs/ and megatron/.
    check(
        &env,
        "dot",
        "",
        &[&with("slug = \".\"")],
        &["\".\"", "outside docs/"],
    );
    check(&env, "dotdot", "", &[&with("slug = \"..\"")], &["\"..\""]);
    check(
        &env,
        "nul",
        "",
        &[&with("slug = \"a\\u0000b\"")],
        &["'\\0'", "`slug`"],
    );
    check(&env, "slash", "", &[&with("slug = \"a/b\"")], &["'/'"]);
    let long_slug = with(&format!("slug = \"{}\"", "s".repeat(101)));
    check(
        &env,
        "long-slug",
        "",
        &[&long_slug],
        &["101 bytes", "more than 100"],
    );
    // A long name gives a long derived slug, a longer one is refused itself.
    let derived = format!("name = \"{}\"", "n".repeat(150));
    check(
        &env,
        "derived",
        "",
        &[reference, &derived],
        &["derived from its name"],
    );
    let long_name = format!("name = \"{}\"", "n".repeat(300));
    check(
        &env,
        "long-name",
        "",
        &[reference, &long_name],
        &["300 bytes"],
    );
    // Two sources, one folder on a case-insensitive file system.
    let same = [reference, "name = \"Other\"\nslug = \"reference\""];
    check(
        &env,
        "same-slug",
        "",
        &same,
        &["\"Reference\"", "\"Other\"", "ignoring case"],
    );
    let unweighted = [&with("weight = 0.0") as &str];
    check(
        &env,
        "weightless",
        "",
        &unweighted,
        &["weight 0", "blend.txt"],
    );

    for (name, extra, words) in [
        (
            "bands",
            "[dedup]\nbands = 100000\nrows = 100000",
            &["[dedup]", "bands = 100000"][..],
        ),
        ("rows", "[dedup]\nrows = 65", &["rows = 65"]),
        (
            "hashes",
            "[dedup]\nbands = 200\nrows = 20",
            &["4000 hashes"],
        ),
        ("ngram", "[dedup]\nngram = 0", &["ngram = 0"]),
        (
            "budget",
            "[dedup]\nmemory_budget = 0",
            &["memory_budget = 0"],
        ),
        (
            "parts",
            "[output]\ndocs_part_bytes = 0",
            &["[output]", "docs_part_bytes = 0"],
        ),
        (
            "zstd",
            "[output]\nzstd_level = 99",
            &["zstd_level = 99", "1..=22"],
        ),
        (
            "lines",
            "[run]\nmax_line_bytes = 0",
            &["[run]", "max_line_bytes = 0"],
        ),
        ("target", "[run]\ntarget_tokens = 0", &["target_tokens = 0"]),
        ("threads", "[run]\nthreads = 100000", &["threads = 100000"]),
    ] {
        check(&env, name, extra, &[reference], words);
    }
    // One file named by two [[input]] entries would be read twice.
    let twice = env.config(
        "twice.toml",
        &[
            "path = \"in/damaged.jsonl.gz\"\nsource = \"Reference\"",
            "path = \"in/*.gz\"\nsource = \"Reference\"",
        ],
        &["Reference"],
        "",
    );
    let output = env.run_config(&twice, &env.path("out-twice"), &[]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("names one file twice"),
        "{}",
        stderr(&output)
    );
    // The same parameters are fine while fuzzy dedup is off.
    let output = {
        let config = env.config(
            "fuzzy-off.toml",
            &["path = \"in/damaged.jsonl.gz\"\nsource = \"Reference\""],
            &["Reference"],
            "[dedup]\nfuzzy = false\nbands = 100000",
        );
        env.run_config(&config, &env.path("out-fuzzy-off"), &[])
    };
    assert_eq!(code(&output), 4, "read, then damaged: {}", stderr(&output));
}
