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
    use analysis::eval::GoldRecord;
    let gold: Vec<GoldRecord> = read_jsonl(&args.gold)?;
    anyhow::ensure!(
        !gold.is_empty(),
        super::UsageError(format!("{} holds no records", args.gold.display()))
    );
    anyhow::ensure!(
        !(args.misses && is_held_out(&args.gold)),
        super::UsageError(format!(
            "{} is a held-out test split: it is only measured, its misses are not shown (tune on the dev split)",
            args.gold.display()
        ))
    );
    let classifier = super::classifier(global)?;
    let mut scores = score_classifier(&classifier, &gold)?;
    let explained = if args.misses {
        explain_misses(&classifier, &gold, &scores.misses)?
    } else {
        Vec::new()
    };
    scores.misses.clear();
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut value = serde_json::to_value(&scores)?;
        if args.misses {
            value["misses"] = serde_json::to_value(&explained)?;
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} records, {}",
        scores.records,
        describe_classifier(&classifier)
    )?;
    print_classify_scores(&mut out, &scores)?;
    print_misses(&mut out, &classifier, &explained)?;
    Ok(())
}

/// What decides the themes, for the first line of a report.
pub fn describe_classifier(classifier: &analysis::classify::Classifier) -> String {
    match classifier.model() {
        Some(model) => format!(
            "taxonomy version {} with model version {} ({} themes learned)",
            classifier.taxonomy().version,
            model.version,
            model.themes.len()
        ),
        None => format!(
            "taxonomy version {}, queries alone (no model)",
            classifier.taxonomy().version
        ),
    }
}

/// Scores `classifier` on `gold`, misses included.
pub fn score_classifier(
    classifier: &analysis::classify::Classifier,
    gold: &[analysis::eval::GoldRecord],
) -> anyhow::Result<analysis::eval::Scores> {
    let texts: Vec<&str> = gold.iter().map(|g| g.text.as_str()).collect();
    let predicted = classifier.classify_ids(&texts)?;
    let ids: Vec<&str> = classifier
        .taxonomy()
        .themes
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    Ok(analysis::eval::score(gold, &predicted, &ids))
}

/// A held-out test split: a file named `test*` in a folder named `real` (or below it).
fn is_held_out(path: &Path) -> bool {
    let named_test = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("test"));
    named_test && path.components().any(|c| c.as_os_str() == "real")
}

/// One missing or extra theme of one record, explained.
#[derive(Debug, serde::Serialize)]
struct ExplainedMiss {
    id: String,
    theme: String,
    /// "missing" (gold has it, the classifier did not give it) or "extra".
    kind: &'static str,
    text: String,
    #[serde(flatten)]
    why: analysis::model::explain::Explanation,
}

fn explain_misses(
    classifier: &analysis::classify::Classifier,
    gold: &[analysis::eval::GoldRecord],
    misses: &[analysis::eval::Miss],
) -> anyhow::Result<Vec<ExplainedMiss>> {
    let taxonomy = classifier.taxonomy();
    let by_id: HashMap<&str, &analysis::eval::GoldRecord> =
        gold.iter().map(|g| (g.id.as_str(), g)).collect();
    let mut explained = Vec::new();
    for miss in misses {
        let Some(record) = by_id.get(miss.id.as_str()) else {
            continue;
        };
        let kinds = miss
            .missing
            .iter()
            .map(|t| (t, "missing"))
            .chain(miss.extra.iter().map(|t| (t, "extra")));
        for (theme, kind) in kinds {
            let Some(index) = taxonomy.themes.iter().position(|t| &t.id == theme) else {
                continue;
            };
            explained.push(ExplainedMiss {
                id: miss.id.clone(),
                theme: theme.clone(),
                kind,
                text: record.text.clone(),
                why: analysis::model::explain::explain(classifier, &record.text, index)?,
            });
        }
    }
    Ok(explained)
}

fn print_classify_scores(
    out: &mut impl Write,
    scores: &analysis::eval::Scores,
) -> std::io::Result<()> {
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
    row("macro", String::new(), m.precision, m.recall, m.f1)
}

/// Misses grouped by theme: what was missed with the words that leaned towards the theme and
/// the words the model does not know, then what was given too much and why.
fn print_misses(
    out: &mut impl Write,
    classifier: &analysis::classify::Classifier,
    explained: &[ExplainedMiss],
) -> std::io::Result<()> {
    for theme in &classifier.taxonomy().themes {
        let of_theme: Vec<&ExplainedMiss> =
            explained.iter().filter(|m| m.theme == theme.id).collect();
        if of_theme.is_empty() {
            continue;
        }
        let missing = of_theme.iter().filter(|m| m.kind == "missing").count();
        writeln!(
            out,
            "\n{} — {missing} missed, {} given too much",
            theme.id,
            of_theme.len() - missing
        )?;
        for miss in of_theme {
            let why = &miss.why;
            let verdict = match (why.probability, why.threshold) {
                (Some(p), Some(t)) => format!("p {p:.2} / {t:.2}"),
                _ if why.query => "query matched".to_owned(),
                _ => "no query matched".to_owned(),
            };
            let query = if why.query && why.probability.is_some() {
                ", query matched"
            } else {
                ""
            };
            writeln!(out, "  {:<7} {:<10} {verdict}{query}", miss.kind, miss.id)?;
            writeln!(out, "          {}", snippet(&miss.text, 160))?;
            if !why.leaning.is_empty() {
                writeln!(out, "          leaning to it: {}", why.leaning.join(", "))?;
            }
            if miss.kind == "missing" && !why.unknown.is_empty() {
                writeln!(
                    out,
                    "          words the model does not know: {}",
                    why.unknown.join(", ")
                )?;
            }
        }
    }
    Ok(())
}

/// At most `max` characters of `text`, cut at a character boundary.
fn snippet(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{} …", &text[..cut]),
        None => text.to_owned(),
    }
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

pub(super) fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<Vec<T>> {
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
