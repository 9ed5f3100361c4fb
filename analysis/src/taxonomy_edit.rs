//! Editing the taxonomy file as a new version: merging two themes, or moving a query from one
//! theme to another. The file is edited in place (comments and layout kept, `toml_edit`), its
//! `version` raised by one, and the result checked as a taxonomy before anyone writes it; the
//! caller reclassifies everything with it and writes it only when that worked.

use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Value};

use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;

/// What an edit did, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    pub version: u32,
}

fn invalid(message: String) -> Error {
    Error::Invalid(message)
}

fn parse(text: &str) -> Result<DocumentMut> {
    text.parse::<DocumentMut>()
        .map_err(|e| invalid(format!("the taxonomy file is not valid TOML: {e}")))
}

/// Position of theme `id` in the `[[theme]]` array.
fn position(doc: &DocumentMut, id: &str) -> Result<usize> {
    doc.get("theme")
        .and_then(Item::as_array_of_tables)
        .and_then(|themes| {
            themes
                .iter()
                .position(|t| t.get("id").and_then(Item::as_str) == Some(id))
        })
        .ok_or_else(|| invalid(format!("there is no theme {id:?}")))
}

fn queries_mut(doc: &mut DocumentMut, at: usize) -> Result<&mut Array> {
    doc.get_mut("theme")
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|themes| themes.get_mut(at))
        .and_then(|t| t.get_mut("queries"))
        .and_then(Item::as_array_mut)
        .ok_or_else(|| invalid("a theme has no `queries` list".into()))
}

/// Raises `version`, then checks the result loads as a taxonomy.
fn finish(mut doc: DocumentMut) -> Result<Edited> {
    let version = doc
        .get("version")
        .and_then(Item::as_integer)
        .ok_or_else(|| invalid("the taxonomy file has no `version = N`".into()))?;
    let version = u32::try_from(version + 1).map_err(|_| invalid("version out of range".into()))?;
    doc["version"] = toml_edit::value(i64::from(version));
    let text = doc.to_string();
    Taxonomy::parse(Path::new("themes.toml"), &text)?;
    Ok(Edited { text, version })
}

/// Merges theme `from` into theme `into`: `into` gets `from`'s queries (after its own), `from`
/// goes. Items tagged or reviewed with `from` are the caller's to move (the store).
pub fn merge(text: &str, from: &str, into: &str) -> Result<Edited> {
    if from == into {
        return Err(invalid("choose two different themes to merge".into()));
    }
    let mut doc = parse(text)?;
    let source = position(&doc, from)?;
    let target = position(&doc, into)?;
    let moved: Vec<Value> = queries_mut(&mut doc, source)?.iter().cloned().collect();
    let queries = queries_mut(&mut doc, target)?;
    for query in moved {
        queries.push_formatted(query);
    }
    if let Some(themes) = doc.get_mut("theme").and_then(Item::as_array_of_tables_mut) {
        themes.remove(source);
    }
    finish(doc)
}

/// Moves query number `query` (0-based) of theme `from` to theme `to`. A theme keeps at least
/// one query: to empty one, merge it.
pub fn move_query(text: &str, from: &str, query: usize, to: &str) -> Result<Edited> {
    if from == to {
        return Err(invalid("the query is already in that theme".into()));
    }
    let mut doc = parse(text)?;
    let source = position(&doc, from)?;
    let target = position(&doc, to)?;
    let queries = queries_mut(&mut doc, source)?;
    if query >= queries.len() {
        return Err(invalid(format!(
            "theme {from:?} has {} queries; there is no number {}",
            queries.len(),
            query + 1
        )));
    }
    if queries.len() == 1 {
        return Err(invalid(format!(
            "{from:?} would have no query left; merge the two themes instead"
        )));
    }
    let moved = queries.remove(query);
    queries_mut(&mut doc, target)?.push_formatted(moved);
    finish(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> String {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/themes.toml"))
            .unwrap()
    }

    fn load(text: &str) -> Taxonomy {
        Taxonomy::parse(Path::new("themes.toml"), text).unwrap()
    }

    #[test]
    fn merging_moves_every_query_and_removes_the_theme_as_a_new_version() {
        let text = project();
        let before = load(&text);
        let edited = merge(&text, "schoolleiders", "eigenaarschap").unwrap();
        let after = load(&edited.text);
        assert_eq!(edited.version, before.version + 1);
        assert_eq!(after.version, edited.version);
        assert_eq!(after.themes.len(), before.themes.len() - 1);
        assert!(after.themes.iter().all(|t| t.id != "schoolleiders"));
        let queries = |t: &Taxonomy, id: &str| {
            t.themes
                .iter()
                .find(|x| x.id == id)
                .map(|x| x.queries.clone())
                .unwrap()
        };
        let mut expected = queries(&before, "eigenaarschap");
        expected.extend(queries(&before, "schoolleiders"));
        assert_eq!(queries(&after, "eigenaarschap"), expected);
        // The comments at the top stay.
        assert!(edited.text.starts_with("# Signaalradar theme taxonomy"));
    }

    #[test]
    fn a_query_moves_to_another_theme_and_a_last_query_does_not() {
        let text = project();
        let before = load(&text);
        let first = before.themes[0].queries[0].clone();
        let edited = move_query(&text, &before.themes[0].id, 0, &before.themes[1].id).unwrap();
        let after = load(&edited.text);
        assert!(!after.themes[0].queries.contains(&first));
        assert_eq!(after.themes[1].queries.last(), Some(&first));
        assert_eq!(after.version, before.version + 1);

        let one = "version = 3\n[[theme]]\nid = \"a\"\nlabel_nl = \"A\"\nlabel_en = \"A\"\ndescription_nl = \"a\"\ndescription_en = \"a\"\nqueries = ['appel']\n[[theme]]\nid = \"b\"\nlabel_nl = \"B\"\nlabel_en = \"B\"\ndescription_nl = \"b\"\ndescription_en = \"b\"\nqueries = ['peer']\n";
        let err = move_query(one, "a", 0, "b").unwrap_err();
        assert!(err.to_string().contains("merge"), "{err}");
        assert!(move_query(one, "a", 5, "b").is_err());
        assert!(merge(one, "a", "a").is_err());
        assert!(
            merge(one, "a", "zzz")
                .unwrap_err()
                .to_string()
                .contains("zzz")
        );
        let merged = merge(one, "a", "b").unwrap();
        assert_eq!(merged.version, 4);
        assert_eq!(load(&merged.text).themes[0].queries, ["peer", "appel"]);
    }
}
