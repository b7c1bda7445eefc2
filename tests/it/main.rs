//! Integration tests: the built binary run on real data in temporary folders.

mod bad_input;
mod batch_jobs;
mod cluster;
mod config_checks;
mod decontam;
mod dedup;
mod determinism;
mod distributions;
mod errors;
mod inspect;
mod layouts;
mod parquet_types;
mod inputs;
mod quality;
mod rewrite;
mod run;
mod safety;
mod steps;
mod token_count;
mod util;
mod warnings;
