//! `signaalradar ingest FILE...`: one batch into the store, with a progress bar and a summary.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use ingest::batch::{IngestOptions, IngestReport, Pipeline};
use ingest::store::Store;

use crate::cli::{Global, IngestArgs};
use crate::progress::Bar;

pub fn run(global: &Global, args: &IngestArgs) -> anyhow::Result<()> {
    let regions = super::regions(global)?;
    let anonymiser = super::anonymiser(&regions);
    let mut store = open_store(&global.store)?;
    let options = IngestOptions {
        skip_invalid: args.skip_invalid,
        actor: super::actor(),
    };
    let bar = Bar::new(args.json);
    let result =
        Pipeline::new(&regions, &anonymiser).ingest_files(&mut store, &args.files, &options, &bar);
    bar.finish();
    let report = result?;
    if !report.rejects.is_empty() {
        write_rejects(&args.rejects, &report)?;
    }
    // The batch is committed; now classify it and bring the index up to date. Should this
    // fail, the next command that opens the index catches up.
    let indexed = if args.no_index {
        None
    } else {
        let opened = super::analysis_commands::open(
            global,
            &global.store,
            super::analysis_commands::Sync::AfterIngest,
            args.json,
        );
        let (_, synced) = match opened {
            Err(e)
                if matches!(
                    e.downcast_ref::<analysis::Error>(),
                    Some(analysis::Error::IndexBusy { .. })
                ) =>
            {
                return Err(e.context(
                    "the batch is stored; another process kept the index busy for two minutes, so the next command that opens the index (search, trends, serve) will classify and index it",
                ));
            }
            opened => opened.context(
                "the batch is stored, but classifying and indexing it failed; run `signaalradar reindex`",
            )?,
        };
        Some(synced.indexed)
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_summary(&report, &store, Some(&args.rejects));
        if let Some(indexed) = indexed {
            println!("classified and indexed: {indexed} items");
        }
    }
    Ok(())
}

pub fn open_store(dir: &Path) -> anyhow::Result<Store> {
    Store::open(dir).with_context(|| format!("cannot open the store in {}", dir.display()))
}

/// Rejects as JSON Lines: where and what, never the record's text.
fn write_rejects(path: &Path, report: &IngestReport) -> anyhow::Result<()> {
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(path)
            .with_context(|| format!("cannot write the rejects file {}", path.display()))?,
    );
    for reject in &report.rejects {
        serde_json::to_writer(&mut file, reject)?;
        file.write_all(b"\n")?;
    }
    file.flush()?;
    Ok(())
}

pub fn print_summary(report: &IngestReport, store: &Store, rejects: Option<&Path>) {
    for notice in &report.notices {
        eprintln!("note: {notice}");
    }
    println!(
        "{:<28} {:>9} {:>9} {:>9}",
        "file", "sessions", "items", "rejected"
    );
    for file in &report.files {
        println!(
            "{:<28} {:>9} {:>9} {:>9}",
            file.file, file.sessions, file.items, file.rejected
        );
    }
    println!();
    println!(
        "sessions: {} new, {} already stored",
        report.sessions_added, report.sessions_already_stored
    );
    println!(
        "items:    {} new, {} already stored, {} duplicates in the input",
        report.items_added, report.items_already_stored, report.duplicate_items
    );
    let r = &report.redactions;
    println!(
        "redacted: {} names, {} e-mail addresses, {} phone numbers, {} postcodes, {} BSNs, {} IBANs",
        r.names, r.emails, r.phones, r.postcodes, r.bsns, r.ibans
    );
    if report.rejected > 0 {
        let target = rejects
            .map(|p| format!(" (details in {})", p.display()))
            .unwrap_or_default();
        println!(
            "rejected: {} (sessions, rows or whole files){target}",
            report.rejected
        );
        for reject in report.rejects.iter().take(10) {
            println!("  {reject}");
        }
    }
    if let Ok(counts) = store.counts() {
        println!(
            "store {}: {} sessions, {} items in total",
            store.dir().display(),
            counts.sessions,
            counts.items
        );
    }
}
