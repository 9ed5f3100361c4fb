//! Classification: an item's themes are its manual tags plus the themes the classifier gives
//! its text. The taxonomy's queries run first: texts are put in a throw-away in-memory index
//! with the same analysis as the real one, and every theme's query runs over it once — so
//! classifying many texts costs one indexing pass and one search per theme, whatever their
//! number. With a trained [`ThemeModel`], a theme it learned is given when its probability
//! (which counts the query match as one feature) reaches the theme's threshold; a theme it did
//! not learn is given by its queries alone.

use std::sync::Arc;

use tantivy::collector::DocSetCollector;
use tantivy::directory::RamDirectory;
use tantivy::query::Query;
use tantivy::schema::{FAST, Schema};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{IndexBuilder, IndexWriter, TantivyDocument};

use crate::error::Result;
use crate::model::{Extractor, ThemeModel};
use crate::taxonomy::{EXACT_FIELD, TEXT_FIELD, Taxonomy, exact_options, text_options};
use crate::text_analysis;

/// Indexing memory for a classification pass, per writer thread (tantivy needs ≥ 15 MB).
const WRITER_BYTES_PER_THREAD: usize = 32 * 1024 * 1024;

/// Texts at or above this count are indexed by two writer threads, fewer by one without threads.
const PARALLEL_FROM: usize = 5_000;

/// Texts at or above this count are scored by the model on two threads.
const MODEL_PARALLEL_FROM: usize = 2_000;

/// Assigns themes to texts with a taxonomy and, when there is one, a trained model.
#[derive(Debug, Clone)]
pub struct Classifier {
    taxonomy: Arc<Taxonomy>,
    model: Option<Arc<ThemeModel>>,
    /// For each taxonomy theme, its index among the model's themes (if the model learned it).
    learned: Vec<Option<usize>>,
    fingerprint: String,
}

/// Why a text got a theme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// Index into the taxonomy's themes.
    pub theme: usize,
    /// One of the theme's queries matched.
    pub query: bool,
    /// The model's probability, when the model decided (the theme is one it learned).
    pub probability: Option<f64>,
}

impl Classifier {
    /// A classifier by the taxonomy's queries alone.
    pub fn new(taxonomy: Arc<Taxonomy>) -> Classifier {
        Classifier::with_model(taxonomy, None)
    }

    /// A classifier by the queries and, for the themes it learned, `model`.
    pub fn with_model(taxonomy: Arc<Taxonomy>, model: Option<Arc<ThemeModel>>) -> Classifier {
        let learned = taxonomy
            .themes
            .iter()
            .map(|t| model.as_ref().and_then(|m| m.theme_index(&t.id)))
            .collect();
        let fingerprint = match &model {
            Some(m) => format!("{}+model-{}", taxonomy.fingerprint, m.fingerprint),
            None => taxonomy.fingerprint.clone(),
        };
        Classifier {
            taxonomy,
            model,
            learned,
            fingerprint,
        }
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    pub fn model(&self) -> Option<&ThemeModel> {
        self.model.as_deref()
    }

    /// The taxonomy, to build another classifier with.
    pub fn shared_taxonomy(&self) -> Arc<Taxonomy> {
        Arc::clone(&self.taxonomy)
    }

    /// The model, to build another classifier with (a new taxonomy keeps the model).
    pub fn shared_model(&self) -> Option<Arc<ThemeModel>> {
        self.model.clone()
    }

    /// Identifies the classification this classifier makes: the taxonomy's fingerprint, and
    /// the model's when there is one. When it changes, everything is reclassified.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The model version, if there is a model.
    pub fn model_version(&self) -> Option<u32> {
        self.model.as_ref().map(|m| m.version)
    }

    /// The themes (indices into the taxonomy, ascending) given to each text.
    pub fn classify(&self, texts: &[&str]) -> Result<Vec<Vec<usize>>> {
        Ok(self
            .decide(texts)?
            .into_iter()
            .map(|d| d.into_iter().map(|d| d.theme).collect())
            .collect())
    }

    /// The themes given to each text (ascending), each with why.
    pub fn decide(&self, texts: &[&str]) -> Result<Vec<Vec<Decision>>> {
        let matched = self.query_matches(texts)?;
        let Some(model) = &self.model else {
            return Ok(matched
                .into_iter()
                .map(|themes| {
                    themes
                        .into_iter()
                        .map(|theme| Decision {
                            theme,
                            query: true,
                            probability: None,
                        })
                        .collect()
                })
                .collect());
        };
        let decide_chunk = |texts: &[&str], matched: &[Vec<usize>]| -> Vec<Vec<Decision>> {
            let mut extractor = Extractor::default();
            texts
                .iter()
                .zip(matched)
                .map(|(text, matched)| self.decide_one(model, &mut extractor, text, matched))
                .collect()
        };
        if texts.len() < MODEL_PARALLEL_FROM {
            return Ok(decide_chunk(texts, &matched));
        }
        let half = texts.len() / 2;
        let (first, second) = std::thread::scope(|scope| {
            let first = scope.spawn(|| decide_chunk(&texts[..half], &matched[..half]));
            let second = decide_chunk(&texts[half..], &matched[half..]);
            (first.join(), second)
        });
        let mut decisions = first.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        decisions.extend(second);
        Ok(decisions)
    }

    fn decide_one(
        &self,
        model: &ThemeModel,
        extractor: &mut Extractor,
        text: &str,
        matched: &[usize],
    ) -> Vec<Decision> {
        let query_ids: Vec<&str> = matched
            .iter()
            .map(|&t| self.taxonomy.themes[t].id.as_str())
            .collect();
        let verdicts = model.verdicts_of_rows(&extractor.known_rows(text, &query_ids, model));
        (0..self.taxonomy.themes.len())
            .filter_map(|theme| {
                let query = matched.contains(&theme);
                match self.learned[theme] {
                    Some(m) => {
                        let verdict = verdicts[m];
                        verdict.accepted.then_some(Decision {
                            theme,
                            query,
                            probability: Some(verdict.probability),
                        })
                    }
                    None => query.then_some(Decision {
                        theme,
                        query,
                        probability: None,
                    }),
                }
            })
            .collect()
    }

    /// The themes (indices into the taxonomy, ascending) whose queries match each text.
    pub fn query_matches(&self, texts: &[&str]) -> Result<Vec<Vec<usize>>> {
        let mut matches = vec![Vec::new(); texts.len()];
        if texts.is_empty() {
            return Ok(matches);
        }
        let mut builder = Schema::builder();
        let text = builder.add_text_field(TEXT_FIELD, text_options(false));
        let exact = builder.add_text_field(EXACT_FIELD, exact_options());
        let ordinal = builder.add_u64_field("ordinal", FAST);
        let schema = builder.build();
        let document = |i: usize, body: &str| {
            let mut doc = TantivyDocument::new();
            doc.add_text(text, body);
            doc.add_text(exact, body);
            doc.add_u64(ordinal, i as u64);
            doc
        };
        let tokenizers = TokenizerManager::default();
        text_analysis::register_in(&tokenizers);
        let builder = IndexBuilder::new().schema(schema).tokenizers(tokenizers);
        let index = if texts.len() < PARALLEL_FROM {
            // Few texts (one, for "is my signal shared?"): a single-segment writer without
            // threads answers in well under a millisecond.
            let mut writer = builder
                .single_segment_index_writer(RamDirectory::create(), WRITER_BYTES_PER_THREAD)?;
            for (i, body) in texts.iter().enumerate() {
                writer.add_document(document(i, body))?;
            }
            writer.finalize()?
        } else {
            let index = builder.create_in_ram()?;
            let mut writer: IndexWriter =
                index.writer_with_num_threads(2, 2 * WRITER_BYTES_PER_THREAD)?;
            for (i, body) in texts.iter().enumerate() {
                writer.add_document(document(i, body))?;
            }
            writer.commit()?;
            index
        };
        let queries = self.taxonomy.compile(&index, text)?;
        let searcher = index.reader()?.searcher();
        let ordinals: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("ordinal"))
            .collect::<tantivy::Result<_>>()?;
        for (theme, query) in queries.iter().enumerate() {
            for address in searcher.search(query.as_ref() as &dyn Query, &DocSetCollector)? {
                let column = &ordinals[address.segment_ord as usize];
                if let Some(i) = column.first(address.doc_id) {
                    matches[i as usize].push(theme);
                }
            }
        }
        for themes in &mut matches {
            themes.sort_unstable();
        }
        Ok(matches)
    }

    /// The theme ids matching each text.
    pub fn classify_ids(&self, texts: &[&str]) -> Result<Vec<Vec<String>>> {
        Ok(self
            .classify(texts)?
            .into_iter()
            .map(|themes| {
                themes
                    .into_iter()
                    .map(|t| self.taxonomy.themes[t].id.clone())
                    .collect()
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn classifier() -> Classifier {
        let taxonomy = Taxonomy::parse(
            Path::new("t.toml"),
            r#"
version = 1
[[theme]]
id = "corona"
label_nl = "Corona"
label_en = "COVID-19"
description_nl = "x"
description_en = "x"
queries = ['corona covid', '"online les"~2']
[[theme]]
id = "docent_werkdruk"
label_nl = "Werkdruk"
label_en = "Workload"
description_nl = "x"
description_en = "x"
queries = ['werkdruk lerarentekort', '+docenten +tijd']
"#,
        )
        .unwrap();
        Classifier::new(Arc::new(taxonomy))
    }

    #[test]
    fn queries_assign_themes_per_text() {
        let found = classifier()
            .classify_ids(&[
                "Door corona werd alles afgelast.",
                "Het lerarentekort en de werkdruk nemen toe.",
                "Docenten hebben geen tijd; de lessen gingen online.",
                "Niets bijzonders.",
                "Covid en werkdruk",
            ])
            .unwrap();
        assert_eq!(found[0], ["corona"]);
        assert_eq!(found[1], ["docent_werkdruk"]);
        assert_eq!(found[2], ["docent_werkdruk"]);
        assert!(found[3].is_empty());
        assert_eq!(found[4], ["corona", "docent_werkdruk"]);
    }

    #[test]
    fn phrases_skip_stop_words_and_fold_diacritics() {
        let found = classifier()
            .classify_ids(&["We gaven de online lessen thuis.", "COVID‑maatregelen"])
            .unwrap();
        assert_eq!(found[0], ["corona"]);
        assert_eq!(found[1], ["corona"]);
    }

    #[test]
    fn many_texts_keep_their_order() {
        let texts: Vec<String> = (0..6_000)
            .map(|i| {
                if i % 3 == 0 {
                    format!("corona nummer {i}")
                } else {
                    format!("iets anders {i}")
                }
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let found = classifier().classify(&refs).unwrap();
        for (i, themes) in found.iter().enumerate() {
            assert_eq!(themes.is_empty(), i % 3 != 0, "text {i}");
        }
    }
}
