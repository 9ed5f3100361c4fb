//! Why a text got, or did not get, a theme: for `eval classify --misses` and for people who
//! check a decision. Names the words that pushed the model towards the theme and the text's
//! words the model does not know at all (the ones a new query or more labelled statements
//! would have to bring in).

use serde::Serialize;

use super::features::{self, Extractor};
use crate::classify::Classifier;
use crate::error::Result;

/// The classifier's view of one text and one theme.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// One of the theme's queries matched the text.
    pub query: bool,
    /// The model's probability and the theme's threshold, when the model decides the theme.
    pub probability: Option<f64>,
    pub threshold: Option<f64>,
    /// The text's features that pushed the model towards the theme, strongest first.
    pub leaning: Vec<String>,
    /// The text's words (stems) the model has no weight for.
    pub unknown: Vec<String>,
}

/// Explains the classifier's verdict on `text` for `theme` (an index into the taxonomy).
pub fn explain(classifier: &Classifier, text: &str, theme: usize) -> Result<Explanation> {
    let taxonomy = classifier.taxonomy();
    let matched = classifier.query_matches(&[text])?.pop().unwrap_or_default();
    let query = matched.contains(&theme);
    let query_ids: Vec<&str> = matched
        .iter()
        .map(|&t| taxonomy.themes[t].id.as_str())
        .collect();
    let found = Extractor::default().features(text, &query_ids);
    let mut explanation = Explanation {
        query,
        probability: None,
        threshold: None,
        leaning: Vec::new(),
        unknown: found
            .iter()
            .filter(|f| f.starts_with("w:"))
            .filter(|f| !f[2..].chars().all(|c| c.is_ascii_digit()))
            .map(|f| features::describe(f))
            .collect(),
    };
    let Some(model) = classifier.model() else {
        return Ok(explanation);
    };
    explanation.unknown = found
        .iter()
        .filter(|f| f.starts_with("w:") && !model.weights.contains_key(f.as_str()))
        .filter(|f| !f[2..].chars().all(|c| c.is_ascii_digit()))
        .map(|f| features::describe(f))
        .collect();
    if let Some(m) = model.theme_index(&taxonomy.themes[theme].id) {
        explanation.probability = Some(model.verdicts(&found)[m].probability);
        explanation.threshold = Some(model.thresholds[m]);
        explanation.leaning = model
            .reasons(m, &found, 6)
            .into_iter()
            .map(|(f, _)| f)
            .collect();
    }
    Ok(explanation)
}
