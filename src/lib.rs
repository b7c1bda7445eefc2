//! pilecurate: raw Pile-style jsonl dumps in, curated Megatron-ready shards and reports out.
//!
//! Modules in reading order: the record types and errors, the config and its command line,
//! the stages in pipeline order, the pipeline that wires them, and the benchmark.
//! See ARCHITECTURE.md for the data flow and the invariants.

pub mod bench;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod dedup;
pub mod dedup_bench;
pub mod decontam;
pub mod doc;
pub mod error;
pub mod filters;
pub mod inspect;
pub mod io;
pub mod pipeline;
pub mod quality;
pub mod report;
pub mod shard;
mod swar;
pub mod tokenize;
