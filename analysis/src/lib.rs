//! Signaalradar's analysis: a tantivy index of the anonymised items with Dutch analysis, the
//! versioned theme taxonomy and classification, search, "is my signal shared?", candidate
//! themes, and trends (polars): per theme and period, rising and new themes, escalation
//! candidates and session evaluation, each shown to a role through one disclosure layer. It
//! reads the store of the `ingest` crate and never writes raw text anywhere.

pub mod candidates;
pub mod classify;
pub mod coverage;
pub mod disclosure;
pub mod error;
pub mod eval;
pub mod index;
pub mod model;
pub mod query_syntax;
pub mod search;
pub mod shared;
pub mod taxonomy;
pub mod taxonomy_edit;
pub mod text_analysis;
pub mod trends;

pub use error::{Error, Result};
