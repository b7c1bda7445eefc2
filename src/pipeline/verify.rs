//! Serving the texts of LSH candidates for exact-Jaccard verification: pass 1 kept only each
//! document's origin (input file, line), so the lines are read again, only in the files that
//! hold a wanted document, and parsed with the same `classify` as both passes.

use super::batches::spawn_reader;
use super::origins::Origins;
use super::records::{LineKind, classify};
use crate::config::Config;
use crate::dedup::verify::{MaybeSets, SetOf, TextSource};
use crate::filters::{Verdict, apply};
use anyhow::{Result, anyhow};
use rayon::prelude::*;

/// The filter survivors' texts, re-read from the inputs.
pub struct InputTexts<'a> {
    config: &'a Config,
    /// Where each filter survivor came from (on disk).
    origins: &'a Origins,
}

impl<'a> InputTexts<'a> {
    /// A source over the survivors whose origins pass 1 logged.
    pub fn new(config: &'a Config, origins: &'a Origins) -> InputTexts<'a> {
        InputTexts { config, origins }
    }
}

impl TextSource for InputTexts<'_> {
    fn shingle_sets(
        &mut self,
        doc_ids: &[u64],
        set_of: SetOf<'_>,
        max_bytes: usize,
    ) -> Result<MaybeSets> {
        // Wanted lines per input file, ascending (doc ids grow with file and line).
        let mut wanted: Vec<Vec<(u64, u64)>> = vec![Vec::new(); self.config.inputs.len()];
        for (&doc_id, origin) in doc_ids.iter().zip(self.origins.lookup(doc_ids)?) {
            wanted[origin.file as usize].push((origin.line, doc_id));
        }
        let files: Vec<usize> = (0..wanted.len())
            .filter(|&f| !wanted[f].is_empty())
            .collect();
        let paths = files
            .iter()
            .map(|&f| {
                let input = &self.config.inputs[f];
                (input.path.clone(), Some(input.layout.clone()))
            })
            .collect();
        let (rx, reader) = spawn_reader(paths, self.config.max_line_bytes)?;
        let mut sets = Vec::with_capacity(doc_ids.len());
        let mut bytes = 0usize;
        let mut over = false;
        for batch in rx {
            let batch = batch?;
            let file = files[batch.file_index];
            let input = &self.config.inputs[file];
            let lines = &wanted[file];
            let found: Vec<(u64, Vec<u32>)> = batch
                .lines
                .par_iter()
                .filter_map(|line| {
                    let at = lines.binary_search_by_key(&line.number, |w| w.0).ok()?;
                    match classify(line, input, self.config, false) {
                        LineKind::Doc { record, source } => {
                            // Keys were computed on the text the filters leave (C4 rewrites).
                            let sets = &self.config.sources[source as usize].rule_sets;
                            let text = match sets.iter().any(|set| set.rewrites()) {
                                true => match apply(sets, &record.text) {
                                    Verdict::Keep(Some(rewrite)) => rewrite.text,
                                    _ => record.text,
                                },
                                false => record.text,
                            };
                            Some((lines[at].1, set_of(text.as_str())))
                        }
                        _ => None,
                    }
                })
                .collect();
            bytes += found.iter().map(|(_, s)| 16 + 4 * s.len()).sum::<usize>();
            sets.extend(found);
            if bytes > max_bytes {
                over = true;
                break;
            }
        }
        // Dropping the receiver (here, or above on `break`) ends the reader thread.
        reader
            .join()
            .map_err(|_| anyhow!("the reader thread panicked"))?;
        Ok((!over).then_some(sets))
    }
}
