//! The run report: per-source accounting of every document, rendered as `report.json`,
//! `report.md` and the Megatron `blend.txt`, with a self-check that nothing went missing.
//!
//! The pipeline fills a [`RunReport`]; [`check_accounting`] verifies that every record of every
//! source is either a document written or counted under exactly one removal; the renderers turn
//! the report into text and never do I/O.

mod accounting;
mod export;
mod figures;
mod format;
mod header;
mod markdown;
mod decontam;
mod distributions;
mod model;
mod sums;
mod provenance;
mod removals;
mod warnings;

#[cfg(test)]
mod fixtures;

pub use accounting::check_accounting;
pub use export::{render_blend, render_json};
pub use figures::DerivedFigures;
pub use markdown::render_markdown;
pub use model::{
    DecontamCounts, DecontamReport, DedupSummary, InputLayout, RewriteCounts, RunHeader, RunReport,
    SourceRow,
};
pub use provenance::GIT_COMMIT;
pub use warnings::{MAX_EPOCHS, NEARLY_ALL_LOST, warnings};
