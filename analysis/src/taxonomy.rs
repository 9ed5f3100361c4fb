//! The versioned theme taxonomy (`data/themes.toml`): ids, labels, descriptions and the queries
//! that assign a theme. Loading is strict: unknown keys, duplicate ids, missing fields and
//! queries that do not parse are errors naming the theme and the query.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::Index;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};

use crate::error::{Error, Result};
use crate::text_analysis;

/// The default taxonomy file, relative to the working directory.
pub const DEFAULT_PATH: &str = "data/themes.toml";

/// Queries longer than this are refused: a theme query is a few words, not a document.
const MAX_QUERY_CHARS: usize = 2_000;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    #[serde(rename = "theme")]
    themes: Vec<Theme>,
}

/// One theme.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub id: String,
    pub label_nl: String,
    pub label_en: String,
    pub description_nl: String,
    pub description_en: String,
    /// Tantivy query syntax over the Dutch-analysed text; the theme applies when any matches.
    pub queries: Vec<String>,
}

/// A loaded, checked taxonomy.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub version: u32,
    /// blake3 of the file's bytes: tells whether the classification in a store is current.
    pub fingerprint: String,
    pub themes: Vec<Theme>,
    path: PathBuf,
}

impl Taxonomy {
    pub fn load(path: &Path) -> Result<Taxonomy> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        Taxonomy::parse(path, &text)
    }

    /// Parses and checks a taxonomy; `path` is only for messages.
    pub fn parse(path: &Path, text: &str) -> Result<Taxonomy> {
        let error = |message: String| Error::Taxonomy {
            path: path.to_owned(),
            message,
        };
        let file: File = toml::from_str(text).map_err(|e| error(e.to_string()))?;
        if file.version == 0 {
            return Err(error("`version` starts at 1".into()));
        }
        if file.themes.is_empty() {
            return Err(error("no [[theme]] entries".into()));
        }
        let mut seen = std::collections::HashSet::new();
        for theme in &file.themes {
            let id = &theme.id;
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(error(format!(
                    "theme id {id:?} must be lower-case letters, digits and `_`"
                )));
            }
            if !seen.insert(id.as_str()) {
                return Err(error(format!("theme id {id:?} appears twice")));
            }
            for (field, value) in [
                ("label_nl", &theme.label_nl),
                ("label_en", &theme.label_en),
                ("description_nl", &theme.description_nl),
                ("description_en", &theme.description_en),
            ] {
                if value.trim().is_empty() {
                    return Err(error(format!("theme {id:?} has an empty `{field}`")));
                }
            }
            if theme.queries.is_empty() {
                return Err(error(format!(
                    "theme {id:?} has no queries; give at least one"
                )));
            }
            for query in &theme.queries {
                if let Some(problem) =
                    crate::query_syntax::refused(query).or_else(|| stop_word_trap(query))
                {
                    return Err(error(format!("theme {id:?}: query {query:?}: {problem}")));
                }
            }
        }
        let taxonomy = Taxonomy {
            version: file.version,
            fingerprint: blake3::hash(text.as_bytes()).to_hex()[..16].to_owned(),
            themes: file.themes,
            path: path.to_owned(),
        };
        // Every query must parse against the text field as the index analyses it, and run:
        // some syntax parses and fails only when searched.
        let (index, field) = query_index();
        let queries = taxonomy.compile(&index, field)?;
        let searcher = index
            .reader()
            .map_err(|e| error(format!("cannot check the queries: {e}")))?
            .searcher();
        for (theme, query) in taxonomy.themes.iter().zip(&queries) {
            searcher
                .search(query.as_ref(), &tantivy::collector::Count)
                .map_err(|e| {
                    error(format!(
                        "theme {:?}: a query cannot run ({e}); use words and phrases",
                        theme.id
                    ))
                })?;
        }
        Ok(taxonomy)
    }

    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// The theme ids, comma-separated, for messages listing valid values.
    pub fn ids(&self) -> String {
        self.themes
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// One query per theme (its queries joined by OR), in taxonomy order, searching `field` of
    /// `index` by default (which must have the analyzers registered; `exact:` addresses its
    /// unstemmed field).
    pub fn compile(&self, index: &Index, field: Field) -> Result<Vec<Box<dyn Query>>> {
        let parser = QueryParser::for_index(index, vec![field]);
        self.themes
            .iter()
            .map(|theme| {
                let mut clauses = Vec::with_capacity(theme.queries.len());
                for query in &theme.queries {
                    if query.chars().count() > MAX_QUERY_CHARS {
                        return Err(Error::Taxonomy {
                            path: self.path.clone(),
                            message: format!(
                                "theme {:?}: a query is longer than {MAX_QUERY_CHARS} characters",
                                theme.id
                            ),
                        });
                    }
                    let parsed = parser.parse_query(query).map_err(|e| Error::Taxonomy {
                        path: self.path.clone(),
                        message: format!(
                            "theme {:?}: query {query:?} does not parse: {e}",
                            theme.id
                        ),
                    })?;
                    clauses.push((Occur::Should, parsed));
                }
                Ok(Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            })
            .collect()
    }
}

/// A phrase or required word that stop-word removal would quietly widen: a phrase left with
/// one word matches that word anywhere ("andere scholen" becomes "scholen"), and a required
/// stop word vanishes from the query.
fn stop_word_trap(query: &str) -> Option<String> {
    let mut analyzer = text_analysis::dutch_analyzer();
    let mut rest = query;
    while let Some(start) = rest.find('"') {
        let before = &rest[..start];
        let after = &rest[start + 1..];
        let end = after.find('"')?;
        let phrase = &after[..end];
        let exact = before.ends_with(&format!("{EXACT_FIELD}:"));
        if !exact && text_analysis::terms(&mut analyzer, phrase).len() < 2 {
            return Some(format!(
                "the phrase \"{phrase}\" keeps fewer than two words once stop words are removed, so it would match far more than meant; write it as {EXACT_FIELD}:\"{phrase}\" or drop it"
            ));
        }
        rest = &after[end + 1..];
    }
    for word in query.split_whitespace() {
        if let Some(word) = word.strip_prefix('+')
            && !word.starts_with(['(', '"'])
            && !word.contains(':')
            && text_analysis::terms(&mut analyzer, word).is_empty()
        {
            return Some(format!(
                "the required word {word:?} is a stop word and would be dropped; write +{EXACT_FIELD}:{word}"
            ));
        }
    }
    None
}

/// The field theme queries search by default: the Dutch-analysed (stemmed) text.
pub const TEXT_FIELD: &str = "text";

/// The field a query addresses as `exact:word`: the same text, unstemmed.
pub const EXACT_FIELD: &str = "exact";

/// The text field's options: the Dutch analyzer, with positions for phrase queries.
pub fn text_options(stored: bool) -> TextOptions {
    analysed_options(text_analysis::DUTCH, stored)
}

/// The exact field's options: lower-cased and folded, not stemmed.
pub fn exact_options() -> TextOptions {
    analysed_options(text_analysis::DUTCH_EXACT, false)
}

fn analysed_options(tokenizer: &str, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// A minimal in-memory index with the two fields queries may use, for checking them.
fn query_index() -> (Index, Field) {
    let mut builder = Schema::builder();
    let field = builder.add_text_field(TEXT_FIELD, text_options(false));
    builder.add_text_field(EXACT_FIELD, exact_options());
    let index = Index::create_in_ram(builder.build());
    text_analysis::register(&index);
    // One document, so that every query is really run when checked.
    if let Ok(mut writer) = index.writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
    {
        let mut doc = tantivy::TantivyDocument::new();
        doc.add_text(field, "signaal");
        let _ = writer.add_document(doc).and_then(|_| writer.commit());
    }
    (index, field)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"
version = 1
[[theme]]
id = "corona"
label_nl = "Corona"
label_en = "COVID-19"
description_nl = "Corona en de maatregelen."
description_en = "COVID-19 and its measures."
queries = ['corona', '"online lessen"~2']
"#;

    fn parse(text: &str) -> Result<Taxonomy> {
        Taxonomy::parse(Path::new("themes.toml"), text)
    }

    #[test]
    fn a_valid_taxonomy_loads() {
        let taxonomy = parse(ONE).unwrap();
        assert_eq!(taxonomy.version, 1);
        assert_eq!(taxonomy.themes[0].id, "corona");
        assert_eq!(taxonomy.fingerprint.len(), 16);
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let err = parse(&ONE.replace("label_en", "label_fr")).unwrap_err();
        assert!(err.to_string().contains("label_fr"), "{err}");
    }

    #[test]
    fn a_duplicate_id_is_refused() {
        let twice = format!("{ONE}{}", &ONE[ONE.find("[[theme]]").unwrap()..]);
        let err = parse(&twice).unwrap_err();
        assert!(
            err.to_string().contains("\"corona\" appears twice"),
            "{err}"
        );
    }

    #[test]
    fn a_query_that_does_not_parse_names_theme_and_query() {
        let err = parse(&ONE.replace("'corona'", "'(corona'")).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("corona") && message.contains("(corona"),
            "{message}"
        );
        let err = parse(&ONE.replace("'corona'", "'region:Twente'")).unwrap_err();
        assert!(err.to_string().contains("region:Twente"), "{err}");
    }

    #[test]
    fn stop_word_traps_are_refused() {
        let err = parse(&ONE.replace("'corona'", "'\"andere scholen\"~1'")).unwrap_err();
        assert!(
            err.to_string().contains("exact:\"andere scholen\""),
            "{err}"
        );
        let err = parse(&ONE.replace("'corona'", "'+zelf +scholen'")).unwrap_err();
        assert!(err.to_string().contains("+exact:zelf"), "{err}");
        parse(&ONE.replace(
            "'corona'",
            "'exact:\"andere scholen\"~1 +exact:zelf +scholen'",
        ))
        .unwrap();
    }

    #[test]
    fn the_committed_taxonomy_covers_every_documented_id() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/themes.toml");
        let taxonomy = Taxonomy::load(&path).unwrap();
        for id in [
            "corona",
            "docent_werkdruk",
            "plan_actualisatie",
            "eigenaarschap",
            "schoolleiders",
            "bedrijfsleven",
            "wetgeving",
            "professionalisering",
            "leerlijnen",
            "faciliteiten",
            "samenwerking",
        ] {
            assert!(taxonomy.theme(id).is_some(), "{id} missing");
        }
    }
}
