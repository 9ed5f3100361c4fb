//! Classification: an item's themes are its manual tags plus the themes whose queries match its
//! text. Texts are put in a throw-away in-memory index with the same analysis as the real one,
//! and every theme's query runs over it once — so classifying many texts costs one indexing
//! pass and one search per theme, whatever their number.

use std::sync::Arc;

use tantivy::collector::DocSetCollector;
use tantivy::directory::RamDirectory;
use tantivy::query::Query;
use tantivy::schema::{FAST, Schema};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{IndexBuilder, IndexWriter, TantivyDocument};

use crate::error::Result;
use crate::taxonomy::{EXACT_FIELD, TEXT_FIELD, Taxonomy, exact_options, text_options};
use crate::text_analysis;

/// Indexing memory for a classification pass, per writer thread (tantivy needs ≥ 15 MB).
const WRITER_BYTES_PER_THREAD: usize = 32 * 1024 * 1024;

/// Texts at or above this count are indexed by two writer threads, fewer by one without threads.
const PARALLEL_FROM: usize = 5_000;

/// Assigns themes to texts with a taxonomy.
#[derive(Debug, Clone)]
pub struct Classifier {
    taxonomy: Arc<Taxonomy>,
}

impl Classifier {
    pub fn new(taxonomy: Arc<Taxonomy>) -> Classifier {
        Classifier { taxonomy }
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// The themes (indices into the taxonomy, ascending) whose queries match each text.
    pub fn classify(&self, texts: &[&str]) -> Result<Vec<Vec<usize>>> {
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
