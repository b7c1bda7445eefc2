//! Test fixtures: the real task sets and corpus documents shipped in `data/eval/` and
//! `data/sample/` (provenance in `data/eval/README.md`), read with flate2 and serde_json.

use super::TaskText;
use flate2::read::MultiGzDecoder;
use std::io::{BufRead, BufReader, Read};

fn data_path(relative: &str) -> String {
    format!("{}/data/{relative}", env!("CARGO_MANIFEST_DIR"))
}

/// The lines of a shipped file, gunzipped if its name ends in `.gz`.
fn lines(relative: &str) -> Vec<String> {
    let path = data_path(relative);
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("open {path}: {e}"));
    let reader: Box<dyn Read> = if path.ends_with(".gz") {
        Box::new(MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    BufReader::new(reader)
        .lines()
        .map(|line| line.unwrap_or_else(|e| panic!("read {path}: {e}")))
        .collect()
}

#[derive(serde::Deserialize)]
struct EvalRow {
    set: String,
    task: String,
    idx: serde_json::Value,
    text: String,
}

/// Every example of `data/eval/humaneval.jsonl.gz` and `data/eval/bigbench_sample.jsonl`,
/// as `set:task` / idx / text.
pub fn eval_tasks() -> Vec<TaskText> {
    let mut tasks = Vec::new();
    for file in ["eval/humaneval.jsonl.gz", "eval/bigbench_sample.jsonl"] {
        for line in lines(file) {
            let row: EvalRow = serde_json::from_str(&line).expect("eval row");
            tasks.push(TaskText {
                task: format!("{}:{}", row.set, row.task),
                example_id: row.idx.to_string(),
                text: row.text,
            });
        }
    }
    tasks
}

/// The example `idx` of task `task` (without the `set:` prefix).
pub fn eval_task(task: &str, idx: u32) -> TaskText {
    let (want_id, suffix) = (idx.to_string(), format!(":{task}"));
    eval_tasks()
        .into_iter()
        .find(|t| t.task.ends_with(&suffix) && t.example_id == want_id)
        .unwrap_or_else(|| panic!("no eval example {task} {idx}"))
}

#[derive(serde::Deserialize)]
struct CorpusMeta {
    pile_set_name: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

#[derive(serde::Deserialize)]
struct CorpusDoc {
    text: String,
    meta: CorpusMeta,
}

fn corpus_docs(file: &str) -> Vec<CorpusDoc> {
    let parse = |line: String| serde_json::from_str::<CorpusDoc>(&line).expect("corpus doc");
    lines(file).into_iter().map(parse).collect()
}

/// Texts of `data/sample/sample.jsonl.gz`, in file order.
pub fn sample_texts() -> Vec<String> {
    corpus_docs("sample/sample.jsonl.gz")
        .into_iter()
        .map(|doc| doc.text)
        .collect()
}

/// The sample's one Gutenberg (PG-19) document: Jane Austen's *Sense and Sensibility*.
pub fn sense_and_sensibility() -> String {
    let doc = corpus_docs("sample/sample.jsonl.gz")
        .into_iter()
        .find(|doc| doc.meta.pile_set_name == "Gutenberg (PG-19)")
        .expect("a Gutenberg document in the sample");
    assert!(
        doc.text.contains("SENSE AND SENSIBILITY"),
        "not the expected novel"
    );
    doc.text
}

/// A corpus document of `data/eval/corpus_hits.jsonl.gz` by Wikipedia title or man page.
pub fn corpus_hit(name: &str) -> String {
    corpus_docs("eval/corpus_hits.jsonl.gz")
        .into_iter()
        .find(|doc| [&doc.meta.title, &doc.meta.page].contains(&&Some(name.to_owned())))
        .unwrap_or_else(|| panic!("no corpus hit {name}"))
        .text
}

/// The text of `text` from `before` characters before the first occurrence of `needle` to
/// `after` characters after its end, as a real excerpt of a long document.
pub fn excerpt(text: &str, needle: &str, before: usize, after: usize) -> String {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"));
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(before - 1)
        .map_or(0, |(i, _)| i);
    let end = at + needle.len();
    let stop = text[end..]
        .char_indices()
        .nth(after)
        .map_or(text.len(), |(i, _)| end + i);
    text[start..stop].to_owned()
}
