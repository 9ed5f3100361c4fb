//! Errors of the analysis crate, saying what the user can do about them.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Taxonomy { path: PathBuf, message: String },
    #[error("theme model {path}: {message}")]
    Model { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error(
        "the store's index at {path} is in use by another signaalradar process (ingest, reindex or serve); wait for it to finish and try again"
    )]
    IndexBusy { path: PathBuf },
    #[error(
        "the index at {path} cannot be used ({reason}); rebuild it from the store with `signaalradar reindex`"
    )]
    IndexBroken { path: PathBuf, reason: String },
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] ingest::Error),
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("trend computation failed: {0}")]
    Polars(#[from] polars::error::PolarsError),
}

impl Error {
    /// Whether the user can fix the problem (bad input or invocation) rather than it being a
    /// fault of ours or of the machine.
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Taxonomy { .. }
            | Error::Config { .. }
            | Error::Model { .. }
            | Error::Invalid(_)
            | Error::IndexBusy { .. } => true,
            Error::Store(e) => e.is_user_error(),
            _ => false,
        }
    }
}
