//! `signaalradar audit [--since DATE] [--json]`: the audit log, oldest first.

use std::io::Write;

use crate::cli::{AuditArgs, Global};

pub fn run(global: &Global, args: &AuditArgs) -> anyhow::Result<()> {
    let store = super::ingest_files::open_store(&global.store)?;
    let since = match &args.since {
        Some(text) => Some(super::analysis_commands::date("--since", text)?.to_string()),
        None => None,
    };
    let entries = store.audit_entries(since.as_deref(), None)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&entries)?)?;
        return Ok(());
    }
    if entries.is_empty() {
        writeln!(
            out,
            "the audit log has no lines{}",
            match &since {
                Some(since) => format!(" since {since}"),
                None => String::new(),
            }
        )?;
    }
    for entry in &entries {
        writeln!(
            out,
            "{}  {:<24} {:<20} {}",
            entry.at, entry.actor, entry.action, entry.detail
        )?;
    }
    Ok(())
}
