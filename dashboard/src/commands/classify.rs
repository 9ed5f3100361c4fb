//! `signaalradar classify [FILE|-] [--jsonl]`: previews and measurement. Plain text lines are
//! printed as `themes<TAB>text`; JSON Lines get a `themes` array of theme ids added, other
//! fields kept in order. Nothing is stored.

use std::io::{BufRead, BufWriter, Write};

use anyhow::Context;

use crate::cli::{ClassifyArgs, Global};

pub fn run(global: &Global, args: &ClassifyArgs) -> anyhow::Result<()> {
    let classifier = super::classifier(global)?;
    let input = super::input_lines(&args.file)?;
    // All lines are classified at once: one indexing pass and one search per theme.
    let mut lines = Vec::new();
    let mut objects = Vec::new();
    for (index, line) in input.lines().enumerate() {
        let line =
            line.with_context(|| format!("line {} is not readable UTF-8 text", index + 1))?;
        if args.jsonl {
            if line.trim().is_empty() {
                continue;
            }
            let (object, text) = super::json_with_text(&line, index + 1)?;
            lines.push(text);
            objects.push(object);
        } else {
            lines.push(line);
        }
    }
    let texts: Vec<&str> = lines.iter().map(String::as_str).collect();
    let themes = classifier.classify_ids(&texts)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.jsonl {
        for (mut object, themes) in objects.into_iter().zip(themes) {
            object.insert("themes".into(), serde_json::json!(themes));
            serde_json::to_writer(&mut out, &object)?;
            out.write_all(b"\n")?;
        }
    } else {
        for (text, themes) in texts.iter().zip(themes) {
            let themes = if themes.is_empty() {
                "-".to_owned()
            } else {
                themes.join(",")
            };
            writeln!(out, "{themes}\t{text}")?;
        }
    }
    out.flush()?;
    Ok(())
}
