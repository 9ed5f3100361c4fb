//! Training the theme model: logistic regressions (`fit.rs`, argmin's L-BFGS) over the labelled statements'
//! features, one per theme, with each theme's threshold chosen on out-of-fold predictions so
//! that the model is judged on statements it did not see. Folds keep the statements of one
//! source page together, so that a page's wording cannot leak from training into judging.

use std::collections::BTreeMap;

use ndarray::Array1;
use rustc_hash::FxHashMap;

use super::{Extractor, ThemeModel, TrainingSummary, features, fit};
use crate::classify::Classifier;
use crate::error::{Error, Result};

/// One labelled statement.
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    pub themes: Vec<String>,
    /// Statements with the same group (their source page) stay in one fold.
    pub group: String,
    /// Thresholds are tuned on these (the real statements) when there are any.
    pub tune: bool,
}

/// Training settings; the defaults are what `themes train` uses.
#[derive(Debug, Clone)]
pub struct Options {
    /// L2 regularisation strength.
    pub alpha: f64,
    pub folds: usize,
    pub max_iterations: u64,
    /// Features seen in fewer statements are left out.
    pub min_statements: usize,
    pub max_features: usize,
    /// Each theme's regression reads only this many features: those most associated with it.
    pub features_per_theme: usize,
    /// A theme with fewer positive statements is left to its queries.
    pub min_positive: usize,
    /// Each tuning statement counts this many times in training.
    pub tune_weight: usize,
    /// No theme's threshold goes below this: thresholds tuned on a few hundred statements
    /// otherwise drift low and give themes on one loose word.
    pub min_threshold: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            alpha: 0.1,
            folds: 5,
            max_iterations: 50,
            min_statements: 2,
            max_features: 50_000,
            features_per_theme: 400,
            min_positive: 5,
            tune_weight: 2,
            min_threshold: 0.3,
        }
    }
}

/// The trained model and its out-of-fold probabilities per statement and learned theme.
#[derive(Debug)]
pub struct Trained {
    pub model: ThemeModel,
    pub out_of_fold: Vec<Vec<f64>>,
}

/// Trains a model for the classifier's taxonomy on `examples`.
pub fn train(
    classifier: &Classifier,
    examples: &[Example],
    options: &Options,
    version: u32,
    files: Vec<(String, usize)>,
) -> Result<Trained> {
    let started = std::time::Instant::now();
    let taxonomy = classifier.taxonomy();
    if examples.is_empty() {
        return Err(Error::Invalid(
            "no labelled statements to train on; pass files with --train".into(),
        ));
    }
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let matched: Vec<Vec<String>> = classifier
        .query_matches(&texts)?
        .into_iter()
        .map(|themes| {
            themes
                .into_iter()
                .map(|t| taxonomy.themes[t].id.clone())
                .collect()
        })
        .collect();
    let mut extractor = Extractor::default();
    let docs: Vec<Vec<String>> = examples
        .iter()
        .zip(&matched)
        .map(|(e, q)| {
            let q: Vec<&str> = q.iter().map(String::as_str).collect();
            extractor.features(&e.text, &q)
        })
        .collect();

    // The vocabulary: features in enough statements, the most common first, then sorted.
    let mut df: FxHashMap<&str, usize> = FxHashMap::default();
    for doc in &docs {
        for f in doc {
            *df.entry(f.as_str()).or_default() += 1;
        }
    }
    let mut vocabulary: Vec<(&str, usize)> = df
        .into_iter()
        .filter(|(f, n)| *n >= options.min_statements || f.starts_with("q:"))
        .collect();
    vocabulary.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    vocabulary.truncate(options.max_features);
    let mut vocabulary: Vec<&str> = vocabulary.into_iter().map(|(f, _)| f).collect();
    vocabulary.sort_unstable();
    let column: FxHashMap<&str, usize> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, f)| (*f, i))
        .collect();

    let n = docs.len();
    // Each statement as its vocabulary columns; every column has the value 1/√(their number).
    let rows: Vec<Vec<usize>> = docs
        .iter()
        .map(|doc| {
            let mut known: Vec<usize> = doc
                .iter()
                .filter_map(|f| column.get(f.as_str()).copied())
                .collect();
            known.sort_unstable();
            known
        })
        .collect();

    let learned: Vec<usize> = (0..taxonomy.themes.len())
        .filter(|&t| {
            let id = &taxonomy.themes[t].id;
            let positive = examples.iter().filter(|e| e.themes.contains(id)).count();
            positive >= options.min_positive && n - positive >= options.min_positive
        })
        .collect();
    let labels: Vec<Array1<usize>> = learned
        .iter()
        .map(|&t| {
            let id = &taxonomy.themes[t].id;
            examples
                .iter()
                .map(|e| usize::from(e.themes.contains(id)))
                .collect()
        })
        .collect();

    // Folds by source page.
    let fold_of: Vec<usize> = examples
        .iter()
        .map(|e| {
            let hash = blake3::hash(e.group.as_bytes());
            let bytes: [u8; 8] = hash.as_bytes()[..8].try_into().unwrap_or_default();
            (u64::from_le_bytes(bytes) % options.folds as u64) as usize
        })
        .collect();
    let weight_of = |i: usize| {
        if examples[i].tune {
            options.tune_weight.max(1)
        } else {
            1
        }
    };

    // Each job: (learned theme, fold or None for the final fit).
    let jobs: Vec<(usize, Option<usize>)> = (0..learned.len())
        .flat_map(|l| {
            (0..options.folds)
                .map(Some)
                .chain(std::iter::once(None))
                .map(move |f| (l, f))
        })
        .collect();
    let fit = |&(l, fold): &(usize, Option<usize>)| -> Result<Fitted> {
        let training: Vec<usize> = (0..n).filter(|&i| fold != Some(fold_of[i])).collect();
        let positives = training.iter().filter(|&&i| labels[l][i] == 1).count();
        if positives == 0 || positives == training.len() {
            // Nothing to learn from in this fold: the intercept says "never" (or "always").
            let intercept = if positives == 0 { -10.0 } else { 10.0 };
            return Ok(Fitted {
                weights: Vec::new(),
                intercept,
            });
        }
        let selected = select(&rows, &training, &labels[l], options.features_per_theme);
        let position: FxHashMap<usize, usize> =
            selected.iter().enumerate().map(|(k, &c)| (c, k)).collect();
        let sparse: Vec<fit::Row> = training
            .iter()
            .map(|&i| fit::Row {
                columns: rows[i]
                    .iter()
                    .filter_map(|c| position.get(c).copied())
                    .collect(),
                value: features::value(rows[i].len()),
                positive: labels[l][i] == 1,
                weight: weight_of(i) as f64,
            })
            .collect();
        let fitted = fit::logistic(
            &sparse,
            selected.len(),
            options.alpha,
            options.max_iterations,
        )?;
        Ok(Fitted {
            weights: selected.into_iter().zip(fitted.weights).collect(),
            intercept: fitted.intercept,
        })
    };
    let results: Vec<Result<Fitted>> = run_in_parallel(&jobs, &fit);

    let mut out_of_fold = vec![vec![0.0; learned.len()]; n];
    let mut finals: Vec<Fitted> = (0..learned.len()).map(|_| Fitted::default()).collect();
    for (&(l, fold), result) in jobs.iter().zip(results) {
        let fitted = result?;
        match fold {
            Some(fold) => {
                let weight: FxHashMap<usize, f64> = fitted.weights.iter().copied().collect();
                for i in (0..n).filter(|&i| fold_of[i] == fold) {
                    let value = features::value(rows[i].len());
                    let z = fitted.intercept
                        + rows[i]
                            .iter()
                            .filter_map(|c| weight.get(c))
                            .map(|w| w * value)
                            .sum::<f64>();
                    out_of_fold[i][l] = 1.0 / (1.0 + (-z).exp());
                }
            }
            None => finals[l] = fitted,
        }
    }

    // Thresholds: the best F1 on the tuning statements' out-of-fold probabilities.
    let tuning: Vec<usize> = if examples.iter().any(|e| e.tune) {
        (0..n).filter(|&i| examples[i].tune).collect()
    } else {
        (0..n).collect()
    };
    let mut thresholds = Vec::with_capacity(learned.len());
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for l in 0..learned.len() {
        let mut best: (f64, f64, (usize, usize, usize)) = (f64::MIN, 0.5, (0, 0, 0));
        let lowest = (options.min_threshold * 100.0).round().clamp(5.0, 95.0) as u32;
        for step in lowest..=95 {
            let threshold = f64::from(step) / 100.0;
            let counts = count(
                &tuning,
                |i| out_of_fold[i][l] >= threshold,
                |i| labels[l][i] == 1,
            );
            let f1 = f1(counts);
            let closer = (threshold - 0.5).abs() < (best.1 - 0.5).abs();
            if f1 > best.0 + 1e-12 || ((f1 - best.0).abs() <= 1e-12 && closer) {
                best = (f1, threshold, counts);
            }
        }
        thresholds.push(best.1);
        tp += best.2.0;
        fp += best.2.1;
        fn_ += best.2.2;
    }
    // Themes left to their queries count with the queries' verdicts.
    for (t, theme) in taxonomy.themes.iter().enumerate() {
        if learned.contains(&t) {
            continue;
        }
        let counts = count(
            &tuning,
            |i| matched[i].contains(&theme.id),
            |i| examples[i].themes.contains(&theme.id),
        );
        tp += counts.0;
        fp += counts.1;
        fn_ += counts.2;
    }

    let mut weights: BTreeMap<String, Vec<f32>> = BTreeMap::new();
    for (l, fitted) in finals.iter().enumerate() {
        for &(c, w) in &fitted.weights {
            let w = ((w * 1e4).round() / 1e4) as f32;
            if w != 0.0 {
                weights
                    .entry(vocabulary[c].to_owned())
                    .or_insert_with(|| vec![0.0; learned.len()])[l] = w;
            }
        }
    }
    let summary = TrainingSummary {
        files,
        statements: n,
        features: weights.len(),
        alpha: options.alpha,
        cross_validated_micro_f1: f1((tp, fp, fn_)),
        test: None,
        seconds: started.elapsed().as_secs_f64(),
    };
    let model = ThemeModel::assemble(
        version,
        taxonomy.version,
        learned
            .iter()
            .map(|&t| taxonomy.themes[t].id.clone())
            .collect(),
        // Rounded like the weights, so that the file reads back to the same fingerprint.
        finals
            .iter()
            .map(|f| (f.intercept * 1e4).round() / 1e4)
            .collect(),
        thresholds,
        weights,
        summary,
    );
    Ok(Trained { model, out_of_fold })
}

/// One logistic regression: weights of the vocabulary columns it selected.
#[derive(Debug, Default)]
struct Fitted {
    weights: Vec<(usize, f64)>,
    intercept: f64,
}

/// The `k` columns most associated with the label over the `training` rows (chi-squared of
/// the 2×2 table of column present and label, either direction), ascending.
fn select(rows: &[Vec<usize>], training: &[usize], label: &Array1<usize>, k: usize) -> Vec<usize> {
    let mut with: FxHashMap<usize, (f64, f64)> = FxHashMap::default();
    let total = training.len() as f64;
    let positive = training.iter().filter(|&&i| label[i] == 1).count() as f64;
    for &i in training {
        for &c in &rows[i] {
            let entry = with.entry(c).or_default();
            if label[i] == 1 {
                entry.0 += 1.0;
            } else {
                entry.1 += 1.0;
            }
        }
    }
    let mut scored: Vec<(usize, f64)> = with
        .into_iter()
        .map(|(c, (a, b))| {
            // a: present and positive, b: present and negative.
            let c_ = positive - a;
            let d = total - positive - b;
            let numerator = total * (a * d - b * c_).powi(2);
            let denominator = (a + b) * (c_ + d) * (a + c_) * (b + d);
            let chi2 = if denominator > 0.0 {
                numerator / denominator
            } else {
                0.0
            };
            (c, chi2)
        })
        .collect();
    scored.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    scored.truncate(k);
    let mut selected: Vec<usize> = scored.into_iter().map(|(c, _)| c).collect();
    selected.sort_unstable();
    selected
}

/// Runs `f` over `jobs` on the machine's cores, results in job order.
fn run_in_parallel<J: Sync, R: Send>(jobs: &[J], f: &(dyn Fn(&J) -> R + Sync)) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = (0..jobs.len()).map(|_| None).collect();
    let slots = std::sync::Mutex::new(&mut results);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= jobs.len() {
                        break;
                    }
                    let r = f(&jobs[i]);
                    if let Ok(mut slots) = slots.lock() {
                        slots[i] = Some(r);
                    }
                }
            });
        }
    });
    results.into_iter().flatten().collect()
}

/// (true positives, false positives, false negatives) over `rows`.
fn count(
    rows: &[usize],
    predicted: impl Fn(usize) -> bool,
    gold: impl Fn(usize) -> bool,
) -> (usize, usize, usize) {
    rows.iter().fold((0, 0, 0), |(tp, fp, fn_), &i| {
        match (predicted(i), gold(i)) {
            (true, true) => (tp + 1, fp, fn_),
            (true, false) => (tp, fp + 1, fn_),
            (false, true) => (tp, fp, fn_ + 1),
            (false, false) => (tp, fp, fn_),
        }
    })
}

fn f1((tp, fp, fn_): (usize, usize, usize)) -> f64 {
    if tp == 0 {
        0.0
    } else {
        2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::model::ThemeModel;
    use crate::taxonomy::Taxonomy;

    fn classifier() -> Classifier {
        let taxonomy = Taxonomy::parse(
            Path::new("t.toml"),
            r#"
version = 3
[[theme]]
id = "corona"
label_nl = "Corona"
label_en = "COVID-19"
description_nl = "x"
description_en = "x"
queries = ['corona']
[[theme]]
id = "faciliteiten"
label_nl = "Faciliteiten"
label_en = "Facilities"
description_nl = "x"
description_en = "x"
queries = ['"nieuwe machines"']
"#,
        )
        .unwrap();
        Classifier::new(Arc::new(taxonomy))
    }

    /// Statements where "werkplaats" means facilities although no query says so, and
    /// "corona" in "coronabrug" (a bridge's name) does not mean the pandemic.
    fn examples() -> Vec<Example> {
        let mut examples = Vec::new();
        for i in 0..30 {
            let (text, themes): (String, &[&str]) = match i % 3 {
                0 => (
                    format!("De werkplaats van school {i} krijgt een grote opknapbeurt."),
                    &["faciliteiten"],
                ),
                1 => (
                    format!("Door corona lag stage {i} maandenlang stil."),
                    &["corona"],
                ),
                _ => (
                    format!("Leerlingen liepen {i} keer over de Coronabrug naar het station."),
                    &[],
                ),
            };
            examples.push(Example {
                text,
                themes: themes.iter().map(|t| t.to_string()).collect(),
                group: format!("page-{}", i / 2),
                tune: true,
            });
        }
        examples
    }

    #[test]
    fn learns_words_no_query_has_and_round_trips_through_its_file() {
        let classifier = classifier();
        let trained = train(
            &classifier,
            &examples(),
            &Options::default(),
            1,
            vec![("x".into(), 30)],
        )
        .unwrap();
        let model = trained.model;
        assert_eq!(model.themes, ["corona", "faciliteiten"]);
        assert!(
            model.training.cross_validated_micro_f1 > 0.9,
            "{:?}",
            model.training
        );
        let with_model =
            Classifier::with_model(classifier.shared_taxonomy(), Some(Arc::new(model.clone())));
        let found = with_model
            .classify_ids(&[
                "De werkplaats van school 7 is verouderd.",
                "Door corona lag de stage stil.",
            ])
            .unwrap();
        assert_eq!(found[0], ["faciliteiten"], "a word no query has");
        assert_eq!(found[1], ["corona"]);
        let decided = with_model
            .decide(&["De werkplaats van school 7 is verouderd."])
            .unwrap();
        assert!(!decided[0][0].query);
        assert!(decided[0][0].probability.is_some());

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.json");
        model.save(&path).unwrap();
        let loaded = ThemeModel::load(&path).unwrap();
        assert_eq!(loaded.fingerprint, model.fingerprint);
        assert_ne!(with_model.fingerprint(), classifier.fingerprint());
        let again = Classifier::with_model(classifier.shared_taxonomy(), Some(Arc::new(loaded)));
        assert_eq!(
            again
                .classify_ids(&["De werkplaats van school 7 is verouderd."])
                .unwrap(),
            [["faciliteiten"]]
        );
    }

    #[test]
    fn a_theme_with_too_few_statements_is_left_to_its_queries() {
        let mut examples = examples();
        examples.retain(|e| !e.themes.contains(&"faciliteiten".to_owned()));
        let classifier = classifier();
        let model = train(&classifier, &examples, &Options::default(), 1, vec![])
            .unwrap()
            .model;
        assert_eq!(model.themes, ["corona"]);
        let with_model =
            Classifier::with_model(classifier.shared_taxonomy(), Some(Arc::new(model)));
        let found = with_model
            .classify_ids(&[
                "Leerlingen liepen over de Coronabrug; er komen nieuwe machines.",
                "Leerlingen liepen 3 keer over de Coronabrug naar het station.",
            ])
            .unwrap();
        assert_eq!(found[0], ["faciliteiten"], "its query still decides");
        assert!(found[1].is_empty());
    }

    #[test]
    fn a_broken_model_file_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.json");
        std::fs::write(&path, "{\"format\": 1}").unwrap();
        let err = ThemeModel::load(&path).unwrap_err().to_string();
        assert!(err.contains("themes train"), "{err}");
        assert!(
            ThemeModel::load_if_present(&dir.path().join("none.json"))
                .unwrap()
                .is_none()
        );
        let mut model = train(&classifier(), &examples(), &Options::default(), 1, vec![])
            .unwrap()
            .model;
        model.thresholds.pop();
        let text = serde_json::to_string(&model).unwrap();
        let err = ThemeModel::parse(&path, &text).unwrap_err().to_string();
        assert!(err.contains("thresholds"), "{err}");
    }
}
