//! The learned theme model: one logistic regression per theme over a text's [`features`]
//! (stems, stem pairs, character n-grams of compounds and which taxonomy queries matched), with
//! a threshold per theme chosen by cross-validation. It sits beside the taxonomy's queries:
//! a query match is one of its features, so a query still carries a theme on its own unless the
//! labelled statements show that it misleads, and a theme the model was not trained on is decided
//! by its queries alone. The model is a versioned JSON file (`data/theme-model.json`) written by
//! `signaalradar themes train`; a new model, like a new taxonomy, reclassifies everything.

pub mod explain;
pub mod features;
pub mod fit;
pub mod train;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use features::Extractor;

/// The file format this build reads and writes.
pub const FORMAT: u32 = 1;

/// The model file's name, next to the taxonomy's `themes.toml`.
pub const FILE_NAME: &str = "theme-model.json";

/// Where the model of the taxonomy at `themes` lives.
pub fn path_next_to(themes: &Path) -> PathBuf {
    themes.with_file_name(FILE_NAME)
}

/// What the model was trained on and how it scored, kept in the file for people to read.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TrainingSummary {
    /// The labelled files, with their number of statements.
    pub files: Vec<(String, usize)>,
    pub statements: usize,
    pub features: usize,
    /// Regularisation strength of the logistic regressions.
    pub alpha: f64,
    /// Micro-F1 of the out-of-fold predictions on the tuning statements.
    pub cross_validated_micro_f1: f64,
    /// Scores on the held-out test file, when one was given: (file, micro-F1, macro-F1).
    #[serde(default)]
    pub test: Option<(String, f64, f64)>,
    pub seconds: f64,
}

/// A trained model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThemeModel {
    pub format: u32,
    /// Raised by one on every model `themes train` accepts.
    pub version: u32,
    pub trained_at: String,
    /// The taxonomy whose queries were features when it was trained.
    pub taxonomy_version: u32,
    /// The themes it learned, in the order of `intercepts`, `thresholds` and each weight row.
    pub themes: Vec<String>,
    pub intercepts: Vec<f64>,
    /// The probability from which a theme is given.
    pub thresholds: Vec<f64>,
    /// Per feature, its weight for each theme (rounded; features with no weight left out).
    pub weights: BTreeMap<String, Vec<f32>>,
    pub training: TrainingSummary,
    /// A hash of the file's content: a new model means a new classification.
    #[serde(skip)]
    pub fingerprint: String,
    #[serde(skip)]
    lookup: FxHashMap<String, usize>,
    #[serde(skip)]
    rows: Vec<Vec<f32>>,
}

/// One theme's verdict on one text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    /// Index into the model's themes.
    pub theme: usize,
    pub probability: f64,
    pub accepted: bool,
}

impl ThemeModel {
    /// Builds a model from trained weights (see [`train`]).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn assemble(
        version: u32,
        taxonomy_version: u32,
        themes: Vec<String>,
        intercepts: Vec<f64>,
        thresholds: Vec<f64>,
        weights: BTreeMap<String, Vec<f32>>,
        training: TrainingSummary,
    ) -> ThemeModel {
        let mut model = ThemeModel {
            format: FORMAT,
            version,
            trained_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            taxonomy_version,
            themes,
            intercepts,
            thresholds,
            weights,
            training,
            fingerprint: String::new(),
            lookup: FxHashMap::default(),
            rows: Vec::new(),
        };
        model.prepare();
        model
    }

    /// Reads a model file.
    pub fn load(path: &Path) -> Result<ThemeModel> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        ThemeModel::parse(path, &text)
    }

    /// Reads the model file at `path` if there is one.
    pub fn load_if_present(path: &Path) -> Result<Option<ThemeModel>> {
        match std::fs::read_to_string(path) {
            Ok(text) => ThemeModel::parse(path, &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::Read {
                path: path.to_owned(),
                source,
            }),
        }
    }

    pub fn parse(path: &Path, text: &str) -> Result<ThemeModel> {
        let invalid = |message: String| Error::Model {
            path: path.to_owned(),
            message,
        };
        let mut model: ThemeModel = serde_json::from_str(text).map_err(|e| {
            invalid(format!(
                "not a theme model ({e}); retrain it with `signaalradar themes train`"
            ))
        })?;
        if model.format != FORMAT {
            return Err(invalid(format!(
                "model format {} is not the {FORMAT} this version reads; retrain it with `signaalradar themes train`",
                model.format
            )));
        }
        let n = model.themes.len();
        if model.intercepts.len() != n || model.thresholds.len() != n {
            return Err(invalid(format!(
                "{n} themes but {} intercepts and {} thresholds",
                model.intercepts.len(),
                model.thresholds.len()
            )));
        }
        if let Some((feature, _)) = model.weights.iter().find(|(_, w)| w.len() != n) {
            return Err(invalid(format!(
                "feature {feature:?} has not one weight per theme"
            )));
        }
        if model
            .thresholds
            .iter()
            .chain(&model.intercepts)
            .any(|x| !x.is_finite())
        {
            return Err(invalid("a threshold or intercept is not a number".into()));
        }
        model.prepare();
        Ok(model)
    }

    /// Writes the model as pretty JSON (one feature per line, so that a diff is readable).
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = self.to_json();
        let temporary = path.with_extension("json.tmp");
        std::fs::write(&temporary, &text)
            .and_then(|()| std::fs::rename(&temporary, path))
            .map_err(|source| Error::Read {
                path: path.to_owned(),
                source,
            })
    }

    fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    fn prepare(&mut self) {
        self.fingerprint = blake3::hash(self.to_json().as_bytes()).to_hex()[..16].to_owned();
        self.lookup = FxHashMap::default();
        self.rows = Vec::with_capacity(self.weights.len());
        for (i, (feature, row)) in self.weights.iter().enumerate() {
            self.lookup.insert(feature.clone(), i);
            self.rows.push(row.clone());
        }
    }

    /// Every theme's probability for a text with `features` (from [`Extractor::features`]).
    pub fn verdicts(&self, features: &[String]) -> Vec<Verdict> {
        let known: Vec<usize> = features
            .iter()
            .filter_map(|f| self.lookup.get(f.as_str()).copied())
            .collect();
        self.verdicts_of_rows(&known)
    }

    /// The row of `feature`, if the model knows it.
    pub fn row(&self, feature: &str) -> Option<usize> {
        self.lookup.get(feature).copied()
    }

    /// Every theme's probability for a text whose known features are `known` (distinct rows,
    /// in feature order: from [`Extractor::known_rows`]).
    pub fn verdicts_of_rows(&self, known: &[usize]) -> Vec<Verdict> {
        let value = features::value(known.len());
        let mut sums = self.intercepts.clone();
        for &row in known {
            for (sum, w) in sums.iter_mut().zip(&self.rows[row]) {
                *sum += value * f64::from(*w);
            }
        }
        sums.iter()
            .enumerate()
            .map(|(theme, &z)| {
                let probability = 1.0 / (1.0 + (-z).exp());
                Verdict {
                    theme,
                    probability,
                    accepted: probability >= self.thresholds[theme],
                }
            })
            .collect()
    }

    /// The features that pushed `theme` (an index into the model's themes) up the most for a
    /// text with `features`: (feature as a person reads it, contribution), largest first.
    pub fn reasons(&self, theme: usize, features: &[String], top: usize) -> Vec<(String, f64)> {
        let known: Vec<(&String, usize)> = features
            .iter()
            .filter_map(|f| self.lookup.get(f.as_str()).map(|&row| (f, row)))
            .collect();
        let value = features::value(known.len());
        let mut contributions: Vec<(String, f64)> = known
            .into_iter()
            .map(|(f, row)| {
                (
                    features::describe(f),
                    value * f64::from(self.rows[row][theme]),
                )
            })
            .filter(|(_, c)| *c > 0.0)
            .collect();
        contributions.sort_by(|a, b| b.1.total_cmp(&a.1));
        contributions.truncate(top);
        contributions
    }

    /// The features with the largest weight for `theme`, as a person reads them.
    pub fn strongest(&self, theme: usize, top: usize) -> Vec<String> {
        let mut weighted: Vec<(&String, f32)> = self
            .weights
            .iter()
            .map(|(f, w)| (f, w[theme]))
            .filter(|(_, w)| *w > 0.0)
            .collect();
        weighted.sort_by(|a, b| b.1.total_cmp(&a.1));
        weighted
            .into_iter()
            .take(top)
            .map(|(f, _)| features::describe(f))
            .collect()
    }

    /// Records the held-out test file's scores in the summary.
    pub fn set_test_scores(&mut self, file: String, micro_f1: f64, macro_f1: f64) {
        self.training.test = Some((file, micro_f1, macro_f1));
        self.prepare();
    }

    /// Index of `theme` (an id) among the model's themes.
    pub fn theme_index(&self, theme: &str) -> Option<usize> {
        self.themes.iter().position(|t| t == theme)
    }
}
