//! Integration tests: the built binary run on real data in temporary folders.

mod bad_input;
mod determinism;
mod errors;
mod run;
mod util;
