//! `pilecurate check`: everything a run would find wrong before it reads a corpus, in about a
//! second. The config (with its rule sets) is already loaded by the caller; this loads the
//! tokenizer and the task files, opens every input (is it a file, does its first bytes'
//! compression match its name, does its first record parse and name a declared source), and
//! says what the run would do with the output folder.

use super::outdir;
use super::records::{LineKind, classify};
use super::tasks;
use crate::config::Config;
use crate::error::{FailureKind, failure, tag};
use crate::io::{self, Compression, LineReader};
use crate::tokenize::Tokenizer;
use anyhow::Result;
use std::fmt::Write;

/// What `check` found: a printable summary, and the problems (empty when the run can go).
pub struct CheckReport {
    /// One line per finding, ready to print.
    pub lines: Vec<String>,
    /// Problems found, each tagged with its failure kind; the run would fail on each.
    pub problems: Vec<anyhow::Error>,
    /// What the run would go on with but probably was not meant (an empty input, a first
    /// record that would be rejected).
    pub warnings: Vec<String>,
    /// Whether some record is already known to be rejected (the run would exit 6).
    pub rejects_expected: bool,
}

/// Checks `config` as a run would, without writing anything. `force` is the flag the run
/// would be given.
pub fn check(config: &Config, force: bool) -> Result<CheckReport> {
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut rejects_expected = false;
    lines.push(format!(
        "config {} (hash {}): {} sources, {} rule sets",
        config.config_path.display(),
        config.hash,
        config.sources.len(),
        config
            .sources
            .iter()
            .map(|s| s.rule_sets.len())
            .sum::<usize>()
    ));
    let tokenizer = io::read_bytes(&config.tokenizer_path).and_then(|bytes| {
        let origin = config.tokenizer_path.display().to_string();
        Tokenizer::load(&bytes, &origin, config.engine, &config.eod_token)
    });
    match tokenizer {
        Ok(t) => lines.push(format!(
            "tokenizer {}: {} engine, {} tokens, end of document id {}",
            config.tokenizer_path.display(),
            t.engine_name(),
            t.vocab_size(),
            t.eod_id()
        )),
        Err(e) => problems.push(tag(FailureKind::Config, e)),
    }
    match tasks::load_tasks(config) {
        Ok(Some((ngrams, examples))) => lines.push(format!(
            "decontamination: {} task files, {} examples, {} n-grams",
            config.tasks.len(),
            examples,
            ngrams.len()
        )),
        Ok(None) => lines.push("decontamination: off (no [[task]])".to_string()),
        Err(e) => problems.push(tag(FailureKind::Config, e)),
    }
    let mut total = 0;
    for input in &config.inputs {
        match check_input(config, input) {
            Ok((bytes, line, warning)) => {
                total += bytes;
                lines.push(line);
                if let Some((warning, rejected)) = warning {
                    warnings.push(warning);
                    rejects_expected |= rejected;
                }
            }
            Err(e) => problems.push(tag(FailureKind::Input, e)),
        }
    }
    lines.push(format!(
        "inputs: {} files, {:.1} MB on disk",
        config.inputs.len(),
        total as f64 / 1e6
    ));
    match outdir::preview(config, force) {
        Ok(what) => lines.push(format!("output {}: {what}", config.output_dir.display())),
        Err(e) => problems.push(e),
    }
    Ok(CheckReport {
        lines,
        problems,
        warnings,
        rejects_expected,
    })
}

/// What a run would go on with but probably was not meant, and whether it is a reject.
type InputWarning = Option<(String, bool)>;

/// One input: its size, its compression by name and by content, its first record.
fn check_input(
    config: &Config,
    input: &crate::config::InputFile,
) -> Result<(u64, String, InputWarning)> {
    let path = &input.path;
    let shown = path.display();
    let bytes = io::file_size(path).map_err(|e| tag(FailureKind::Input, e))?;
    let named = Compression::from_path(path);
    let found = io::sniff_compression(path)?;
    // A Parquet file's footer is checked below, with a message that says what is wrong.
    if named != found && named != Compression::Parquet {
        return Err(failure(
            FailureKind::Input,
            format!(
                "{shown}: its name says {named:?} but its first bytes are {found:?}; rename it \
                 or recompress it"
            ),
        ));
    }
    if named == Compression::Parquet {
        io::check_parquet_layout(path, &input.layout)?;
    }
    let mut line = format!("input {shown}: {:.1} MB, {named:?}", bytes as f64 / 1e6);
    let mut reader = LineReader::open_input(path, config.max_line_bytes, &input.layout)?;
    let mut warning = None;
    match reader.next_line()? {
        None => {
            line.push_str(", empty");
            let why = format!("{shown} is empty: the run reads no document from it");
            warning = Some((why, false));
        }
        Some(first) => match classify(&first, input, config, false) {
            LineKind::Doc { source, .. } => {
                let name = &config.sources[source as usize].name;
                let _ = write!(line, ", first record of source {name:?}");
            }
            LineKind::Reject { detail, .. } => {
                line.push_str(", first record rejected");
                let why = format!(
                    "{shown}:{}: the first record would be rejected ({detail}); the run goes on, \
                     logs it in rejects/ and exits 6 unless --allow-rejects: is this the right \
                     file and layout?",
                    first.number
                );
                warning = Some((why, true));
            }
            LineKind::UnknownSource { name } if name.is_empty() => {
                return Err(failure(
                    FailureKind::Input,
                    format!(
                        "{shown}:{}: the first record has no string {}, so its source is \
                         unknown; set the [[input]]'s source_field, give it a source, or set \
                         [run] on_unknown_source = \"reject\"",
                        first.number, input.layout.source
                    ),
                ));
            }
            LineKind::UnknownSource { name } => {
                return Err(failure(
                    FailureKind::Input,
                    format!(
                        "{shown}:{}: the first record's source {name:?} is not declared; add a \
                         [[source]] for it, give the [[input]] a source, or set [run] \
                         on_unknown_source = \"reject\"",
                        first.number
                    ),
                ));
            }
        },
    }
    Ok((bytes, line, warning))
}
