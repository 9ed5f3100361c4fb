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
    let input: Box<dyn BufRead> = if args.file == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(&args.file)
            .with_context(|| format!("cannot read {}", args.file))?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut total = RedactionCounts::default();
    for (index, line) in input.lines().enumerate() {
        let line =
            line.with_context(|| format!("line {} is not readable UTF-8 text", index + 1))?;
        if args.jsonl {
            if line.trim().is_empty() {
                continue;
            }
            let mut object: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&line).map_err(|e| {
                    super::UsageError(format!("line {}: not a JSON object ({e})", index + 1))
                })?;
            let Some(serde_json::Value::String(text)) = object.get("text") else {
                return Err(super::UsageError(format!(
                    "line {}: has no \"text\" string field",
                    index + 1
                ))
                .into());
            };
            let redacted = anonymiser.anonymise(text);
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
