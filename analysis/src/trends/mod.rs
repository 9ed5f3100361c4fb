//! Trends with polars: per theme and period, distinct regions against active regions; rising,
//! new and persistent themes; escalation candidates with dossiers and a lifecycle; session
//! evaluation. Every output for a role goes through [`view`], the disclosure layer.
//!
//! Flow: [`TrendData`] (loaded once from the store, refreshed after ingest) →
//! [`TrendTable::compute`] (polars, per period kind and programme) → [`Assessment::of`] (the
//! statistics) → [`escalation::candidates`] → [`view`] for the audience.

pub mod assess;
pub mod config;
pub mod data;
pub mod escalation;
pub mod evaluation;
pub mod period;
pub mod stats;
pub mod table;
pub mod view;

#[cfg(test)]
mod tests;

pub use assess::{Assessment, Flags};
pub use config::TrendConfig;
pub use data::TrendData;
pub use period::{Period, PeriodKind};
pub use table::{TableRequest, TrendTable};
