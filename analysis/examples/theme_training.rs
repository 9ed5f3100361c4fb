//! Trains the theme model with given settings and prints its scores on a held-out file: for
//! choosing `train::Options` (`cargo run --release -p analysis --example theme_training --
//! [alpha] [features per theme] [tune weight] [max iterations] [copies] [min threshold]`). Run from the
//! project folder; `MEASURE_REAL_TEST=1` also scores the real test split. With `copies` > 1 every statement is trained on that many times (each copy
//! its own group): only to time training on more statements.

use std::path::Path;
use std::sync::Arc;

use analysis::classify::Classifier;
use analysis::eval::{GoldRecord, score};
use analysis::model::train::{Example, Options, train};
use analysis::taxonomy::Taxonomy;

fn read(path: &str) -> Vec<GoldRecord> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<f64> = std::env::args()
        .skip(1)
        .map(|a| a.parse().unwrap())
        .collect();
    let defaults = Options::default();
    let options = Options {
        alpha: args.first().copied().unwrap_or(defaults.alpha),
        features_per_theme: args
            .get(1)
            .map_or(defaults.features_per_theme, |&v| v as usize),
        tune_weight: args.get(2).map_or(defaults.tune_weight, |&v| v as usize),
        max_iterations: args.get(3).map_or(defaults.max_iterations, |&v| v as u64),
        min_threshold: args.get(5).copied().unwrap_or(defaults.min_threshold),
        ..defaults
    };
    let taxonomy = Arc::new(Taxonomy::load(Path::new("data/themes.toml"))?);
    let queries = Classifier::new(Arc::clone(&taxonomy));
    let mut examples = Vec::new();
    for (path, tune) in [
        ("tests/fixtures/real/themes/dev.jsonl", true),
        ("tests/fixtures/classify_gold.jsonl", false),
        ("tests/fixtures/classify_holdout.jsonl", false),
    ] {
        for r in read(path) {
            examples.push(Example {
                group: r
                    .source
                    .clone()
                    .unwrap_or_else(|| format!("{path}#{}", r.id)),
                text: r.text,
                themes: r.themes,
                tune,
            });
        }
    }
    let copies = args.get(4).map_or(1, |&v| v as usize);
    let examples: Vec<Example> = (0..copies)
        .flat_map(|c| {
            examples.iter().map(move |e| Example {
                group: format!("{}#{c}", e.group),
                ..e.clone()
            })
        })
        .collect();
    println!("{} statements", examples.len());
    let trained = train(&queries, &examples, &options, 1, Vec::new())?;
    let model = Arc::new(trained.model);
    let classifier = Classifier::with_model(Arc::clone(&taxonomy), Some(model.clone()));
    let ids: Vec<&str> = taxonomy.themes.iter().map(|t| t.id.as_str()).collect();
    print!(
        "{options:?}\n  {:.1} s, cv {:.3}",
        model.training.seconds, model.training.cross_validated_micro_f1
    );
    // Settings are chosen on the cross-validated score (the real dev statements, out of fold)
    // and the synthetic unseen file; the real test split is only measured, on request.
    let mut files = vec!["tests/fixtures/classify_unseen.jsonl"];
    if std::env::var_os("MEASURE_REAL_TEST").is_some() {
        files.push("tests/fixtures/real/themes/test.jsonl");
    }
    for file in files {
        let gold = read(file);
        let texts: Vec<&str> = gold.iter().map(|g| g.text.as_str()).collect();
        let s = score(&gold, &classifier.classify_ids(&texts)?, &ids);
        print!(
            "  | {file}: micro {:.3} macro {:.3}",
            s.micro.f1, s.macro_avg.f1
        );
    }
    println!();
    Ok(())
}
