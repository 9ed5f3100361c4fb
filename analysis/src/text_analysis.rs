//! Dutch text analysis, shared by the index, the theme queries and the clustering: split into
//! words, drop over-long tokens, lower-case, drop Dutch stop words, fold diacritics, stem.
//! Folding comes before stemming so that "financiëel" and "financieel" reach the same stem.

use rustc_hash::FxHashMap;
use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
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
            .filter(DutchStemmer)
            .build(),
        // Only without tantivy's `stopwords` feature, which the workspace turns on.
        None => builder
            .filter(AsciiFoldingFilter)
            .filter(DutchStemmer)
            .build(),
    }
}

/// The Dutch Snowball stemmer (the one tantivy's `Stemmer` runs), remembering the stem of every
/// word it has seen: a word recurs many times in a batch, and each text is analysed up to three
/// times (theme queries, model features, index), so most stems are looked up, not computed.
/// Each analyzer (one per thread) has its own memory, emptied when it grows past
/// [`MAX_REMEMBERED_STEMS`] words.
#[derive(Clone, Copy, Debug, Default)]
pub struct DutchStemmer;

/// Words one analyzer remembers the stem of (a year of sessions uses far fewer).
const MAX_REMEMBERED_STEMS: usize = 200_000;

impl TokenFilter for DutchStemmer {
    type Tokenizer<T: Tokenizer> = DutchStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> DutchStemmerFilter<T> {
        DutchStemmerFilter {
            inner: tokenizer,
            stems: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
pub struct DutchStemmerFilter<T> {
    inner: T,
    stems: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for DutchStemmerFilter<T> {
    type TokenStream<'a> = DutchStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.stems.len() > MAX_REMEMBERED_STEMS {
            self.stems.clear();
        }
        DutchStemmerStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::Dutch),
        }
    }
}

impl<T> std::fmt::Debug for DutchStemmerFilter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DutchStemmerFilter")
            .field("remembered", &self.stems.len())
            .finish_non_exhaustive()
    }
}

impl<T> std::fmt::Debug for DutchStemmerStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DutchStemmerStream")
            .field("remembered", &self.stems.len())
            .finish_non_exhaustive()
    }
}

pub struct DutchStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut FxHashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for DutchStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.stems.get(token.text.as_str()) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                let stem = self.stemmer.stem(&token.text).into_owned();
                let word = std::mem::replace(&mut token.text, stem.clone());
                self.stems.insert(word, stem);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
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

    /// The remembered stems are the stemmer's own: the same terms as tantivy's `Stemmer`, on a
    /// text where words recur (so the second time comes from memory).
    #[test]
    fn remembered_stems_equal_the_stemmers() {
        let text = "De docenten van de scholen geven les; docenten geven les aan leerlingen, \
                    de leerlingen krijgen stages bij bedrijven en de bedrijven bieden stages. \
                    Financiële regelingen, regelingen en financiering van scholing.";
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(StopWordFilter::new(Language::Dutch).unwrap())
            .filter(AsciiFoldingFilter)
            .filter(tantivy::tokenizer::Stemmer::new(Language::Dutch))
            .build();
        let mut remembering = dutch_analyzer();
        for _ in 0..3 {
            assert_eq!(terms(&mut remembering, text), terms(&mut plain, text));
        }
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
