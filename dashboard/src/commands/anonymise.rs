//! `signaalradar anonymise [FILE|-] [--jsonl]`: previews and measurement. Plain text is
//! anonymised line by line; JSON Lines get their `text` field replaced, other fields kept in
//! order. Nothing is stored. A summary of counts (never values) goes to stderr.

use std::io::{BufRead, BufWriter, Write};

use anyhow::Context;
use ingest::anonymise::RedactionCounts;

use crate::cli::{AnonymiseArgs, Global};

pub fn run(global: &Global, args: &AnonymiseArgs) -> anyhow::Result<()> {
    let regions = super::regions(global)?;
    let anonymiser = super::anonymiser(&regions);
    let input = super::input_lines(&args.file)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut total = RedactionCounts::default();
    for (index, line) in input.lines().enumerate() {
        let line = match line {
            Ok(line) => line,
            // Text in another encoding is the caller's to fix (exit 2), not our failure.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Err(super::UsageError(format!(
                    "line {} is not UTF-8 text; save the file as UTF-8 and try again",
                    index + 1
                ))
                .into());
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read line {}", index + 1)),
        };
        if args.jsonl {
            if line.trim().is_empty() {
                continue;
            }
            let (mut object, text) = super::json_with_text(&line, index + 1)?;
            let redacted = anonymiser.anonymise(&text);
            total += redacted.counts;
            object.insert("text".into(), serde_json::Value::String(redacted.text));
            serde_json::to_writer(&mut out, &object)?;
            out.write_all(b"\n")?;
        } else {
            let redacted = anonymiser.anonymise(&line);
            total += redacted.counts;
            writeln!(out, "{}", redacted.text)?;
        }
    }
    out.flush()?;
    eprintln!(
        "redacted: {} names, {} e-mail addresses, {} phone numbers, {} postcodes, {} BSNs, {} IBANs",
        total.names, total.emails, total.phones, total.postcodes, total.bsns, total.ibans
    );
    Ok(())
}
