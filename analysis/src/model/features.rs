//! The features the theme model reads from a text: the index's stems (the Dutch analysis of
//! [`crate::text_analysis`]), pairs of consecutive stems, character 5-grams of long words (so
//! that the parts of a compound such as "lerarentekort" or "personeelstekort" count), and which
//! themes' taxonomy queries matched. Every feature is present or absent; a text's features are
//! weighted 1/√n so that long texts do not outvote short ones (n at least 16, so that one word
//! of a short text does not decide alone).

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::text_analysis;

/// Words at least this many characters long (unstemmed) also give character n-grams.
const COMPOUND_FROM: usize = 9;
/// Length of the character n-grams of long words.
const GRAM: usize = 5;

/// Extracts features; holds the analyzers, so keep one per thread.
#[derive(Clone)]
pub struct Extractor {
    stems: TextAnalyzer,
    exact: TextAnalyzer,
}

impl std::fmt::Debug for Extractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Extractor")
    }
}

impl Default for Extractor {
    fn default() -> Extractor {
        Extractor {
            stems: text_analysis::dutch_analyzer(),
            exact: text_analysis::exact_analyzer(),
        }
    }
}

impl Extractor {
    /// The distinct features of `text` whose taxonomy queries matched `query_themes` (theme
    /// ids), sorted.
    pub fn features(&mut self, text: &str, query_themes: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        self.each_feature(text, query_themes, |feature| out.push(feature.to_owned()));
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The rows of `model` for the features of `text` it knows, ascending and distinct: what
    /// [`ThemeModel::verdicts`] makes of [`Extractor::features`], without a string per feature
    /// (the model's rows are in feature order, so the sums run in the same order).
    ///
    /// [`ThemeModel::verdicts`]: super::ThemeModel::verdicts
    pub fn known_rows(
        &mut self,
        text: &str,
        query_themes: &[&str],
        model: &super::ThemeModel,
    ) -> Vec<usize> {
        let mut rows = Vec::new();
        self.each_feature(text, query_themes, |feature| {
            rows.extend(model.row(feature))
        });
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// Calls `found` with every feature of `text`, in text order, repeats included; one buffer
    /// is reused for all of them.
    fn each_feature(&mut self, text: &str, query_themes: &[&str], mut found: impl FnMut(&str)) {
        let mut feature = String::new();
        let mut previous = String::new();
        let mut has_previous = false;
        let mut stream = self.stems.token_stream(text);
        while stream.advance() {
            let stem = &stream.token().text;
            feature.clear();
            feature.push_str("w:");
            feature.push_str(stem);
            found(&feature);
            if has_previous {
                feature.clear();
                feature.push_str("b:");
                feature.push_str(&previous);
                feature.push(' ');
                feature.push_str(stem);
                found(&feature);
            }
            previous.clear();
            previous.push_str(stem);
            has_previous = true;
        }
        let mut chars: Vec<char> = Vec::new();
        let mut stream = self.exact.token_stream(text);
        while stream.advance() {
            chars.clear();
            chars.extend(stream.token().text.chars());
            if chars.len() >= COMPOUND_FROM {
                for window in chars.windows(GRAM) {
                    feature.clear();
                    feature.push_str("c:");
                    feature.extend(window);
                    found(&feature);
                }
            }
        }
        for theme in query_themes {
            feature.clear();
            feature.push_str("q:");
            feature.push_str(theme);
            found(&feature);
        }
    }
}

/// Texts with fewer known features are weighted as if they had this many: otherwise one word
/// of a short text ("Volgende keer op locatie bij een van de scholen.") carries a theme alone.
const SHORT_TEXT: usize = 16;

/// The weight each of a text's `n` features gets.
pub fn value(n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        1.0 / (n.max(SHORT_TEXT) as f64).sqrt()
    }
}

/// A feature as a person reads it: "werkdruk", "lerar tekort", "…tekor…", "query corona".
pub fn describe(feature: &str) -> String {
    match feature.split_once(':') {
        Some(("w", stem)) => stem.to_owned(),
        Some(("b", pair)) => format!("\"{pair}\""),
        Some(("c", gram)) => format!("…{gram}…"),
        Some(("q", theme)) => format!("query {theme}"),
        _ => feature.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_pairs_grams_and_query_flags() {
        let f = Extractor::default().features("Het lerarentekort groeit", &["docent_werkdruk"]);
        assert!(f.contains(&"w:lerarentekort".to_owned()), "{f:?}");
        assert!(f.iter().any(|x| x.starts_with("b:lerarentekort ")), "{f:?}");
        assert!(f.contains(&"c:tekor".to_owned()), "{f:?}");
        assert!(f.contains(&"q:docent_werkdruk".to_owned()));
        assert!(!f.iter().any(|x| x.contains("het")), "stop words go: {f:?}");
        let mut sorted = f.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(f, sorted);
    }

    /// The fast path gives exactly the verdicts of the features as strings, for the committed
    /// model on every real labelled statement, with and without query matches.
    #[test]
    fn known_rows_give_the_same_verdicts_as_the_features() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let model = super::super::ThemeModel::load(&root.join("data/theme-model.json")).unwrap();
        let lines =
            std::fs::read_to_string(root.join("tests/fixtures/real/themes/dev.jsonl")).unwrap();
        let mut extractor = Extractor::default();
        let mut texts = 0;
        for line in lines.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = record["text"].as_str().unwrap();
            for queries in [&[][..], &["corona", "wetgeving"][..]] {
                let slow = model.verdicts(&extractor.features(text, queries));
                let fast = model.verdicts_of_rows(&extractor.known_rows(text, queries, &model));
                assert_eq!(slow, fast, "{text}");
            }
            texts += 1;
        }
        assert!(texts > 500, "{texts} texts");
    }

    #[test]
    fn empty_text_has_no_features() {
        assert!(Extractor::default().features("", &[]).is_empty());
        assert_eq!(value(0), 0.0);
        assert_eq!(value(4), 0.25, "short texts count as 16 features");
        assert_eq!(value(64), 0.125);
    }
}
