//! Error categories that decide the process exit code. Everything else is plain `anyhow`.

use std::fmt;

/// What kind of failure stopped a run; `main` maps it to the documented exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// An argument out of range for what it names, found after parsing (exit 2, as clap's).
    Usage,
    /// The config, a filter rule set or the tokenizer file is missing or invalid (exit 3).
    Config,
    /// An input is missing, damaged, or holds something the config does not cover (exit 4).
    Input,
    /// The output folder holds the outputs of a different run, is locked by another process,
    /// or is a place no run may write into (exit 5).
    OutputConflict,
    /// The run was interrupted by SIGINT or SIGTERM and stopped cleanly (exit 130).
    Interrupted,
}

impl FailureKind {
    /// The process exit code for this kind (see the README's exit-code table).
    pub fn exit_code(self) -> u8 {
        match self {
            FailureKind::Usage => 2,
            FailureKind::Config => 3,
            FailureKind::Input => 4,
            FailureKind::OutputConflict => 5,
            FailureKind::Interrupted => 130,
        }
    }
}

/// An error tagged with its [`FailureKind`]; wrap it in `anyhow` and add context freely,
/// `main` finds it anywhere in the chain.
#[derive(Debug)]
pub struct Failure {
    /// The category.
    pub kind: FailureKind,
    /// What went wrong and what to do about it.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// Builds an `anyhow::Error` of the given kind.
pub fn failure(kind: FailureKind, message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Failure {
        kind,
        message: message.into(),
    })
}

/// Tags an existing error with a kind, keeping its chain as the cause.
pub fn tag(kind: FailureKind, err: anyhow::Error) -> anyhow::Error {
    let message = format!("{err:#}");
    failure(kind, message)
}

/// The kind of the first tagged error in the chain, if any.
pub fn kind_of(err: &anyhow::Error) -> Option<FailureKind> {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Failure>())
        .map(|f| f.kind)
}
