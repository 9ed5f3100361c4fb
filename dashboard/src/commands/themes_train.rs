//! `signaalradar themes train`: retrains the theme model from labelled statements, prints the
//! held-out test file's scores with the current classifier and with the new model, and writes
//! the new model only when it does not score worse (micro-F1). The next `serve`, `ingest` or
//! `reindex` reclassifies every item with it.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use analysis::classify::Classifier;
use analysis::eval::{GoldRecord, Scores};
use analysis::model::train::{Example, Options, train};
use ingest::store::AuditAction;

use crate::cli::{Global, ThemesTrainArgs};

/// The real labelled statements trained on (thresholds tuned on them), by default.
pub const DEFAULT_REAL: &str = "tests/fixtures/real/themes/dev.jsonl";
/// Further labelled statements trained on, by default.
pub const DEFAULT_TRAIN: &[&str] = &[
    "tests/fixtures/classify_gold.jsonl",
    "tests/fixtures/classify_holdout.jsonl",
];
/// The held-out file a new model must not score worse on, by default.
pub const DEFAULT_TEST: &str = "tests/fixtures/real/themes/test.jsonl";

pub fn run(global: &Global, args: &ThemesTrainArgs) -> anyhow::Result<()> {
    let current = super::classifier(global)?;
    // Items people reviewed on *Beoordelen* are real statements too.
    let reviewed = if Path::new(&global.store)
        .join(ingest::store::DATABASE_FILE)
        .exists()
    {
        super::ingest_files::open_store(&global.store)?.reviewed_texts()?
    } else {
        Vec::new()
    };
    let reviewed_from = format!("{} (reviewed items)", global.store.display());
    let Retrained {
        model: trained,
        before,
        after,
        worse,
        test,
    } = retrain(
        &current,
        &args.real,
        &args.train,
        &args.test,
        reviewed,
        &reviewed_from,
    )?;
    let version = trained.version;
    let path = super::model_path(global);
    let write = !args.dry_run && (!worse || args.force);

    let mut out = std::io::stdout().lock();
    if args.json {
        let report = serde_json::json!({
            "model_version": version,
            "statements": trained.training.statements,
            "features": trained.training.features,
            "seconds": trained.training.seconds,
            "cross_validated_micro_f1": trained.training.cross_validated_micro_f1,
            "test": args.test.display().to_string(),
            "before": &before,
            "after": &after,
            "worse": worse,
            "written": write.then(|| path.display().to_string()),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        writeln!(
            out,
            "trained model version {version} on {} statements ({} features) in {:.1} s; cross-validated micro-F1 on the real statements {:.3}",
            trained.training.statements,
            trained.training.features,
            trained.training.seconds,
            trained.training.cross_validated_micro_f1
        )?;
        writeln!(
            out,
            "\n{} ({} statements), F1 before → after\nbefore: {}",
            args.test.display(),
            test.len(),
            super::eval::describe_classifier(&current)
        )?;
        print_comparison(&mut out, &before, &after)?;
    }
    if worse && !args.force {
        anyhow::bail!(super::UsageError(format!(
            "the new model scores worse on {} (micro-F1 {:.3} → {:.3}); the current classification stays. Add labelled statements, or pass --force to write it anyway",
            args.test.display(),
            before.micro.f1,
            after.micro.f1
        )));
    }
    if !write {
        if !args.json {
            writeln!(out, "\n--dry-run: nothing written")?;
        }
        return Ok(());
    }
    trained
        .save(&path)
        .map_err(|e| anyhow::anyhow!("cannot write the model: {e}"))?;
    audit(global, &trained, &before, &after)?;
    if !args.json {
        writeln!(
            out,
            "\nwrote {} (model version {version}); the next serve, ingest or reindex reclassifies every item with it",
            path.display()
        )?;
    }
    Ok(())
}

/// A trained model and how it and the current classifier score on the test file.
pub struct Retrained {
    pub model: analysis::model::ThemeModel,
    pub before: Scores,
    pub after: Scores,
    /// The new model scores worse (micro-F1) than the current classifier: not to be written.
    pub worse: bool,
    /// Statements in the test file.
    pub test: Vec<GoldRecord>,
}

/// Trains the next model version for `current`'s taxonomy on the labelled files (`real`:
/// thresholds are tuned on them) and the `reviewed` items (real statements too, one fold per
/// session), and scores it and `current` on `test`. Shared by `themes train` and the review
/// page.
pub fn retrain(
    current: &Classifier,
    real: &[std::path::PathBuf],
    further: &[std::path::PathBuf],
    test_file: &Path,
    reviewed: Vec<ingest::store::ReviewedText>,
    reviewed_from: &str,
) -> anyhow::Result<Retrained> {
    let mut examples = Vec::new();
    let mut files = Vec::new();
    for (paths, tune) in [(real, true), (further, false)] {
        for path in paths {
            let records: Vec<GoldRecord> = super::eval::read_jsonl(path)?;
            files.push((path.display().to_string(), records.len()));
            examples.extend(records.into_iter().map(|r| {
                Example {
                    group: r
                        .source
                        .unwrap_or_else(|| format!("{}#{}", path.display(), r.id)),
                    text: r.text,
                    themes: r.themes,
                    tune,
                }
            }));
        }
    }
    if !reviewed.is_empty() {
        files.push((reviewed_from.to_owned(), reviewed.len()));
    }
    examples.extend(reviewed.into_iter().map(|r| Example {
        group: format!("session:{}", r.session_id),
        text: r.text,
        themes: r.themes,
        tune: true,
    }));
    anyhow::ensure!(
        !examples.is_empty(),
        super::UsageError("the labelled files hold no statements; pass --real or --train".into())
    );
    let test: Vec<GoldRecord> = super::eval::read_jsonl(test_file)?;
    anyhow::ensure!(
        !test.is_empty(),
        super::UsageError(format!("{} holds no statements", test_file.display()))
    );
    let version = current.model().map_or(1, |m| m.version + 1);
    let taxonomy = current.shared_taxonomy();
    let queries_only = Classifier::new(Arc::clone(&taxonomy));
    let mut model = train(
        &queries_only,
        &examples,
        &Options::default(),
        version,
        files,
    )?
    .model;
    let before = super::eval::score_classifier(current, &test)?;
    let candidate = Classifier::with_model(Arc::clone(&taxonomy), Some(Arc::new(model.clone())));
    let after = super::eval::score_classifier(&candidate, &test)?;
    model.set_test_scores(
        test_file.display().to_string(),
        after.micro.f1,
        after.macro_avg.f1,
    );
    let worse = after.micro.f1 + 1e-9 < before.micro.f1;
    Ok(Retrained {
        model,
        before,
        after,
        worse,
        test,
    })
}

fn print_comparison(out: &mut impl Write, before: &Scores, after: &Scores) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<22} {:>7} {:>7} {:>7}",
        "theme", "support", "before", "after"
    )?;
    for (b, a) in before.themes.iter().zip(&after.themes) {
        writeln!(
            out,
            "{:<22} {:>7} {:>7.3} {:>7.3}",
            b.theme, b.support, b.scores.f1, a.scores.f1
        )?;
    }
    writeln!(
        out,
        "{:<22} {:>7} {:>7.3} {:>7.3}",
        "micro", "", before.micro.f1, after.micro.f1
    )?;
    writeln!(
        out,
        "{:<22} {:>7} {:>7.3} {:>7.3}",
        "macro", "", before.macro_avg.f1, after.macro_avg.f1
    )
}

/// Records the change in the store's audit log, when there is a store.
fn audit(
    global: &Global,
    model: &analysis::model::ThemeModel,
    before: &Scores,
    after: &Scores,
) -> anyhow::Result<()> {
    if !Path::new(&global.store)
        .join(ingest::store::DATABASE_FILE)
        .exists()
    {
        return Ok(());
    }
    let store = super::ingest_files::open_store(&global.store)?;
    store.audit(
        &super::actor(),
        AuditAction::ModelChanged,
        serde_json::json!({
            "model_version": model.version,
            "statements": model.training.statements,
            "test_micro_f1_before": before.micro.f1,
            "test_micro_f1_after": after.micro.f1,
        }),
    )?;
    Ok(())
}
