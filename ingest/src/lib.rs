//! Signaalradar's ingest crate: everything between a moderator's file and the store.
//!
//! The data flows one way: [`parse`] reads JSON Lines, CSV and XLSX into raw records, [`validate`]
//! turns them into typed [`record`]s (parse, don't validate), [`anonymise`] scrubs every free-text
//! field, and [`store`] writes the batch to SQLite in one transaction. [`batch`] runs that pipeline
//! for a set of files. Raw (pre-anonymisation) text exists only in memory between parse and
//! anonymise: the store accepts [`record::AnonymisedText`] only, which only the anonymiser can make.

pub mod anonymise;
pub mod batch;
pub mod error;
pub mod export;
pub mod parse;
pub mod record;
pub mod region;
pub mod region_edit;
pub mod store;
pub mod synthetic;
pub mod template;
pub mod validate;

pub use error::{Error, Result};
