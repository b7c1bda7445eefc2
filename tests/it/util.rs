//! Test harness: a temporary folder, configs written into it, and the built binary.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The eight sources of the shipped sample.
pub const SOURCES: [&str; 8] = [
    "Reference",
    "Emails",
    "Github",
    "Manpages",
    "Python Docs",
    "Wikipedia (en)",
    "US State of the Union",
    "Gutenberg (PG-19)",
];

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary folder for one test.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file (parents created) and returns its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Writes a run config reading `inputs` (TOML `[[input]]` bodies) with the shipped
    /// tokenizer and the given `[[source]]` names, all filtered by `filters/code.toml`
    /// unless `filters` says otherwise.
    pub fn config(&self, name: &str, inputs: &[&str], sources: &[&str], extra: &str) -> PathBuf {
        let root = root();
        let mut text = format!(
            "{extra}\n[tokenizer]\npath = {:?}\n",
            root.join("data/tokenizer/gpt2/tokenizer.json")
        );
        for input in inputs {
            text.push_str(&format!("\n[[input]]\n{input}\n"));
        }
        for source in sources {
            text.push_str(&format!(
                "\n[[source]]\nname = {source:?}\nfilters = [{:?}]\n",
                root.join("filters/code.toml")
            ));
        }
        self.write(name, text.as_bytes())
    }

    /// Runs `pilecurate run CONFIG -q -o OUT` with `extra` arguments in this folder.
    pub fn run_config(&self, config: &Path, out: &Path, extra: &[&str]) -> Output {
        let mut args = vec![
            "run",
            config.to_str().unwrap(),
            "-q",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Runs `pilecurate` with `args` in this folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_pilecurate"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("running pilecurate")
    }
}

/// The exit code, with stderr shown when the assertion fails.
pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The first `n` lines of the shipped sample (decompressed).
pub fn sample_lines(n: usize) -> Vec<String> {
    let file = std::fs::File::open(root().join("data/sample/sample.jsonl.gz")).unwrap();
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap();
    text.lines().take(n).map(str::to_string).collect()
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

pub fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

/// Every output file under `dir`, as (relative path, bytes), sorted: the step files under
/// `.work` and the lock aside (see [`tree_all`]).
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    tree_all(dir)
        .into_iter()
        .filter(|(name, _)| !name.starts_with(".work") && name != ".pilecurate.lock")
        .collect()
}

/// Every file under `dir`, as (relative path, bytes), sorted.
pub fn tree_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// Decompresses a .zst log into its lines.
pub fn zst_lines(path: &Path) -> Vec<serde_json::Value> {
    let bytes = zstd::decode_all(std::fs::File::open(path).unwrap()).unwrap();
    String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// report.json without `header.varying`, the fields that legitimately vary between runs
/// (date, command line, threads, wall times).
pub fn stable_report(path: &Path) -> serde_json::Value {
    let mut report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let header = report["header"].as_object_mut().unwrap();
    assert!(header.remove("varying").is_some(), "no header.varying");
    report
}

/// report.md without the block of varying header fields, cut as the README says.
pub fn stable_markdown(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let begin = text
        .find("<!-- varying -->\n")
        .expect("varying block start");
    let end_marker = "<!-- /varying -->\n";
    let end = text.find(end_marker).expect("varying block end") + end_marker.len();
    format!("{}{}", &text[..begin], &text[end..])
}
