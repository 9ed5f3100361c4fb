//! End-to-end tests: the `signaalradar` binary run as a user would, against temporary stores.

mod accounts;
mod bad_input;
mod browser;
mod cli;
mod helpers;
mod ingest;
mod privacy;
mod reports;
mod themes;
mod trends;
