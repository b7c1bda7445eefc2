//! The input ids of filter survivors, for the duplicates log: `file:line` from the origins,
//! or, when an input names an `id_field`, the ids each scan rank wrote beside its origins
//! (`ids.jsonl.zst`, one JSON string per survivor, in the origins' order).

use super::Step;
use super::state::Ctx;
use crate::config::Config;
use crate::io;
use crate::pipeline::origins::Origins;
use anyhow::{Context, Result, bail};
use std::path::PathBuf;

/// The ids log of a scan rank.
pub const IDS_LOG: &str = "ids.jsonl.zst";

/// Finds the input ids of survivors by their ordinals.
pub struct InputIds<'a> {
    ctx: &'a Ctx<'a>,
    origins: &'a Origins,
}

impl<'a> InputIds<'a> {
    /// Whether scan must write the ids log: some input names an `id_field`.
    pub fn needed(config: &Config) -> bool {
        config.inputs.iter().any(|input| input.layout.id.is_some())
    }

    /// The ids of the survivors `origins` lists.
    pub fn new(ctx: &'a Ctx<'a>, origins: &'a Origins) -> InputIds<'a> {
        InputIds { ctx, origins }
    }

    /// The ids of `ordinals` (ascending, no repeats), in the same order.
    pub fn lookup(&self, ordinals: &[u64]) -> Result<Vec<String>> {
        let config = self.ctx.config;
        if !Self::needed(config) {
            let found = self.origins.lookup(ordinals)?;
            let file = |i: u32| config.inputs[i as usize].path.display().to_string();
            return Ok(found
                .iter()
                .map(|o| format!("{}:{}", file(o.file), o.line))
                .collect());
        }
        let logs: Vec<PathBuf> = self
            .ctx
            .ranks(Step::Scan)
            .map(|rank| self.ctx.dir(Step::Scan, rank).join(IDS_LOG))
            .collect();
        let mut ids = io::read_lines(&logs);
        let mut wanted = ordinals.iter().peekable();
        let mut found = Vec::with_capacity(ordinals.len());
        self.origins.for_each(|ordinal, _| {
            let Some(line) = ids.next().transpose()? else {
                bail!("the scan ranks' {IDS_LOG} list fewer documents than their origins");
            };
            if wanted.next_if(|&&want| want == ordinal).is_some() {
                let id: String = serde_json::from_slice(&line)
                    .with_context(|| format!("a line of {IDS_LOG} is not a JSON string"))?;
                found.push(id);
            }
            Ok(())
        })?;
        if let Some(missing) = ordinals.get(found.len()) {
            bail!("the dedup stage asked for document {missing}, which is no filter survivor");
        }
        Ok(found)
    }

    /// The ids of `ordinals` in any order, repeats allowed.
    pub fn lookup_any(&self, ordinals: impl Iterator<Item = u64>) -> Result<Vec<String>> {
        let asked: Vec<u64> = ordinals.collect();
        let mut sorted = asked.clone();
        sorted.sort_unstable();
        sorted.dedup();
        let ids = self.lookup(&sorted)?;
        Ok(asked
            .iter()
            .map(|ordinal| ids[sorted.binary_search(ordinal).expect("looked up")].clone())
            .collect())
    }
}
