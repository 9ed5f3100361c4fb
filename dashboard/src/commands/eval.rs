//! `signaalradar eval anonymise`: recall and over-redaction on a gold file, for our anonymiser
//! or (with `--predicted`) for another system's output, scored the same way.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use ingest::anonymise::Layers;
use ingest::anonymise::eval::{GoldRecord, KindScore, MissClass, Scores, anonymise_records, score};

use crate::cli::{EvalAnonymiseArgs, EvalClassifyArgs, Global};

pub fn anonymise(global: &Global, args: &EvalAnonymiseArgs) -> anyhow::Result<()> {
    let gold: Vec<GoldRecord> = read_jsonl(&args.gold)?;
    anyhow::ensure!(
        !gold.is_empty(),
        super::UsageError(format!("{} holds no records", args.gold.display()))
    );
    let outputs: Vec<String> = match &args.predicted {
        Some(path) => predicted_texts(path, &gold)?,
        None => {
            let layers = match &args.layers {
                Some(list) => Layers::parse(list).map_err(super::UsageError)?,
                None => Layers::ALL,
            };
            let regions = super::regions(global)?;
            let anonymiser = super::anonymiser(&regions).with_layers(layers);
            anonymise_records(&anonymiser, &gold)
        }
    };
    let outputs: Vec<&str> = outputs.iter().map(String::as_str).collect();
    let mut scores = score(&gold, &outputs);
    if !args.misses {
        scores.misses.clear();
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&scores)?)?;
    } else {
        print_scores(&mut out, &scores)?;
    }
    Ok(())
}

/// `signaalradar eval classify`: the classifier against a gold file.
pub fn classify(global: &Global, args: &EvalClassifyArgs) -> anyhow::Result<()> {
    use analysis::eval::{GoldRecord, score};
    let gold: Vec<GoldRecord> = read_jsonl(&args.gold)?;
    anyhow::ensure!(
        !gold.is_empty(),
        super::UsageError(format!("{} holds no records", args.gold.display()))
    );
    let classifier = analysis::classify::Classifier::new(super::taxonomy(global)?);
    let texts: Vec<&str> = gold.iter().map(|g| g.text.as_str()).collect();
    let predicted = classifier.classify_ids(&texts)?;
    let ids: Vec<&str> = classifier
        .taxonomy()
        .themes
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    let mut scores = score(&gold, &predicted, &ids);
    if !args.misses {
        scores.misses.clear();
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&scores)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} records, taxonomy version {}",
        scores.records,
        classifier.taxonomy().version
    )?;
    writeln!(
        out,
        "{:<22} {:>7} {:>9} {:>7} {:>7}",
        "theme", "support", "precision", "recall", "F1"
    )?;
    let mut row = |name: &str, support: String, precision: f64, recall: f64, f1: f64| {
        writeln!(
            out,
            "{name:<22} {support:>7} {precision:>9.3} {recall:>7.3} {f1:>7.3}"
        )
    };
    for t in &scores.themes {
        let s = &t.scores;
        row(&t.theme, t.support.to_string(), s.precision, s.recall, s.f1)?;
    }
    let m = &scores.micro;
    row("micro", String::new(), m.precision, m.recall, m.f1)?;
    let m = &scores.macro_avg;
    row("macro", String::new(), m.precision, m.recall, m.f1)?;
    for miss in &scores.misses {
        writeln!(
            out,
            "  {:<8} missing [{}] extra [{}]",
            miss.id,
            miss.missing.join(", "),
            miss.extra.join(", ")
        )?;
    }
    Ok(())
}

fn print_scores(out: &mut impl Write, scores: &Scores) -> std::io::Result<()> {
    writeln!(out, "{} records", scores.records)?;
    writeln!(
        out,
        "{:<16} {:>7} {:>7} {:>8}",
        "kind", "found", "total", "recall"
    )?;
    for (name, s) in [
        ("persons", &scores.persons),
        ("e-mails", &scores.emails),
        ("phones", &scores.phones),
    ] {
        let KindScore {
            found,
            total,
            recall,
        } = s;
        writeln!(out, "{name:<16} {found:>7} {total:>7} {recall:>8.3}")?;
    }
    let o = &scores.over_redaction;
    writeln!(
        out,
        "over-redaction: {} of {} other words vanished ({:.2} %)",
        o.vanished,
        o.total,
        o.share * 100.0
    )?;
    let mut classes: Vec<MissClass> = scores.misses.iter().map(|m| m.class).collect();
    classes.sort();
    classes.dedup();
    for class in classes {
        let misses: Vec<_> = scores.misses.iter().filter(|m| m.class == class).collect();
        writeln!(out, "\n{} ({})", class.describe(), misses.len())?;
        for miss in misses {
            writeln!(out, "  {:<8} {}", miss.id, miss.context)?;
        }
    }
    Ok(())
}

fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<Vec<T>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| {
                super::UsageError(format!("{}, line {}: {e}", path.display(), i + 1)).into()
            })
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct Predicted {
    id: String,
    text: String,
}

/// Another system's output, matched to the gold records by id.
fn predicted_texts(path: &Path, gold: &[GoldRecord]) -> anyhow::Result<Vec<String>> {
    let predicted: Vec<Predicted> = read_jsonl(path)?;
    let mut by_id: HashMap<String, String> =
        predicted.into_iter().map(|p| (p.id, p.text)).collect();
    gold.iter()
        .map(|g| {
            by_id.remove(&g.id).ok_or_else(|| {
                super::UsageError(format!(
                    "{} has no record with id {:?}",
                    path.display(),
                    g.id
                ))
                .into()
            })
        })
        .collect()
}
