//! Dutch text analysis, shared by the index, the theme queries and the clustering: split into
//! words, drop over-long tokens, lower-case, drop Dutch stop words, fold diacritics, stem.
//! Folding comes before stemming so that "financiëel" and "financieel" reach the same stem.

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TokenStream, TokenizerManager,
};

/// The name the analyzer is registered under in every index.
pub const DUTCH: &str = "nl_stem";

/// The name of the unstemmed variant (lower-cased and folded only), for theme queries that
/// need a word exactly: the stemmer takes "scholing" (training) to "school".
pub const DUTCH_EXACT: &str = "nl_exact";

/// Tokens longer than this (in bytes) are dropped: they are URLs or garbage, not words.
const MAX_TOKEN_BYTES: usize = 40;

/// Builds the Dutch analyzer.
pub fn dutch_analyzer() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser);
    match StopWordFilter::new(Language::Dutch) {
        Some(stop_words) => builder
            .filter(stop_words)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::Dutch))
            .build(),
        // Only without tantivy's `stopwords` feature, which the workspace turns on.
        None => builder
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::Dutch))
            .build(),
    }
}

/// Builds the unstemmed analyzer.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the analyzers with `index`. Custom analyzers are not saved in the index, so this
/// runs after every create and open.
pub fn register(index: &Index) {
    register_in(index.tokenizers());
}

/// The same for a tokenizer manager not yet attached to an index.
pub fn register_in(tokenizers: &TokenizerManager) {
    tokenizers.register(DUTCH, dutch_analyzer());
    tokenizers.register(DUTCH_EXACT, exact_analyzer());
}

/// The stemmed terms of `text`, in order (stop words removed).
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(stream.token().text.clone());
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        terms(&mut dutch_analyzer(), text)
    }

    #[test]
    fn diacritics_fold_before_stemming() {
        assert_eq!(stems("continuïteit"), stems("continuiteit"));
        assert_eq!(stems("financiëel"), stems("financieel"));
        assert_eq!(stems("geëvalueerd"), stems("geevalueerd"));
    }

    #[test]
    fn inflections_meet_and_stop_words_go() {
        assert_eq!(stems("De docenten"), stems("docent"));
        assert_eq!(stems("bedrijven"), stems("Bedrijven"));
        assert!(stems("van de en het").is_empty());
    }

    #[test]
    fn compounds_stay_whole() {
        assert_eq!(stems("lerarentekort").len(), 1);
    }
}
