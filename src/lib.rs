//! pilecurate: raw Pile-style jsonl dumps in, curated Megatron-ready shards and reports out.
//!
//! Modules in reading order: the record types, the stages in pipeline order, then the
//! pipeline that wires them. See ARCHITECTURE.md for the data flow and the invariants.

pub mod doc;
pub mod io;
pub mod filters;
pub mod dedup;
pub mod tokenize;
pub mod shard;
pub mod report;
