//! Scoring a classifier against a gold file (DESIGN.md, "Evaluation files"): per theme and
//! micro/macro precision, recall and F1.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// One gold record; other fields of the evaluation format are ignored here.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldRecord {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub themes: Vec<String>,
    /// The page a real statement was copied from.
    #[serde(default)]
    pub source: Option<String>,
}

/// Precision, recall and F1 with the counts behind them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn from_counts(tp: usize, fp: usize, fn_: usize) -> Prf {
        // An empty denominator means nothing could go wrong: count it as perfect.
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            true_positives: tp,
            false_positives: fp,
            false_negatives: fn_,
            precision,
            recall,
            f1,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeScore {
    pub theme: String,
    /// Gold records carrying the theme.
    pub support: usize,
    #[serde(flatten)]
    pub scores: Prf,
}

/// Averages over themes: macro is the plain mean of the per-theme figures.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Average {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// A record the classifier got (partly) wrong.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub id: String,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub records: usize,
    pub themes: Vec<ThemeScore>,
    pub micro: Prf,
    #[serde(rename = "macro")]
    pub macro_avg: Average,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub misses: Vec<Miss>,
}

/// Scores `predicted` (theme ids per record, in gold order) against `gold` over `themes` (the
/// taxonomy's ids; gold or predicted ids outside it are counted under their own name).
pub fn score(gold: &[GoldRecord], predicted: &[Vec<String>], themes: &[&str]) -> Scores {
    let mut ids: Vec<String> = themes.iter().map(|t| t.to_string()).collect();
    for id in gold
        .iter()
        .flat_map(|g| &g.themes)
        .chain(predicted.iter().flatten())
    {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    let mut counts = vec![(0usize, 0usize, 0usize, 0usize); ids.len()];
    let mut misses = Vec::new();
    for (record, predicted) in gold.iter().zip(predicted) {
        let want: BTreeSet<&str> = record.themes.iter().map(String::as_str).collect();
        let got: BTreeSet<&str> = predicted.iter().map(String::as_str).collect();
        for (i, id) in ids.iter().enumerate() {
            let (w, g) = (want.contains(id.as_str()), got.contains(id.as_str()));
            let c = &mut counts[i];
            match (w, g) {
                (true, true) => c.0 += 1,
                (false, true) => c.1 += 1,
                (true, false) => c.2 += 1,
                (false, false) => {}
            }
            if w {
                c.3 += 1;
            }
        }
        if want != got {
            misses.push(Miss {
                id: record.id.clone(),
                missing: want.difference(&got).map(|s| s.to_string()).collect(),
                extra: got.difference(&want).map(|s| s.to_string()).collect(),
            });
        }
    }
    let per_theme: Vec<ThemeScore> = ids
        .iter()
        .zip(&counts)
        .map(|(id, &(tp, fp, fn_, support))| ThemeScore {
            theme: id.clone(),
            support,
            scores: Prf::from_counts(tp, fp, fn_),
        })
        .collect();
    let (tp, fp, fn_) = counts
        .iter()
        .fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
    let n = per_theme.len().max(1) as f64;
    let mean = |f: fn(&Prf) -> f64| per_theme.iter().map(|t| f(&t.scores)).sum::<f64>() / n;
    Scores {
        records: gold.len(),
        micro: Prf::from_counts(tp, fp, fn_),
        macro_avg: Average {
            precision: mean(|p| p.precision),
            recall: mean(|p| p.recall),
            f1: mean(|p| p.f1),
        },
        themes: per_theme,
        misses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(id: &str, themes: &[&str]) -> GoldRecord {
        GoldRecord {
            id: id.into(),
            text: String::new(),
            source: None,
            themes: themes.iter().map(|t| t.to_string()).collect(),
        }
    }

    fn ids(themes: &[&str]) -> Vec<String> {
        themes.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn counts_per_theme_and_averages() {
        let gold = [gold("1", &["a"]), gold("2", &["a", "b"]), gold("3", &[])];
        let predicted = [ids(&["a"]), ids(&["b"]), ids(&["b"])];
        let s = score(&gold, &predicted, &["a", "b"]);
        let a = &s.themes[0];
        assert_eq!((a.scores.true_positives, a.scores.false_negatives), (1, 1));
        assert_eq!(a.scores.precision, 1.0);
        assert_eq!(a.scores.recall, 0.5);
        let b = &s.themes[1];
        assert_eq!((b.scores.true_positives, b.scores.false_positives), (1, 1));
        // micro: tp 2, fp 1, fn 1
        assert!((s.micro.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.micro.recall - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.macro_avg.recall - 0.75).abs() < 1e-9);
        assert_eq!(s.misses.len(), 2);
    }

    #[test]
    fn a_perfect_prediction_scores_one() {
        let gold = [gold("1", &["a"]), gold("2", &[])];
        let s = score(&gold, &[ids(&["a"]), ids(&[])], &["a", "b"]);
        assert_eq!(s.micro.f1, 1.0);
        assert_eq!(s.macro_avg.f1, 1.0);
        assert!(s.misses.is_empty());
    }
}
