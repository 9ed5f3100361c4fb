//! The query syntax people may type, in theme queries and in search: words, "phrases", `+`
//! and `-`, `AND`/`OR`/`NOT`, brackets, `^` boosts, and the two text fields (`text:` stemmed,
//! `exact:` unstemmed). Everything else tantivy's grammar knows — `*` (all, or a field's
//! existence), ranges, sets, regular expressions, other fields — is refused before it reaches
//! the index: some of it fails only when the query runs (`text:*` needs a fast field), and
//! none of it is needed to find words. A theme query that uses it is refused; a search reads
//! such a query as plain words ([`plain_words`]).

use tantivy::query_grammar::{UserInputAst, UserInputLeaf, parse_query_lenient};

use crate::taxonomy::{EXACT_FIELD, TEXT_FIELD};

/// Why `query` uses syntax people may not use, if it does (lenient: a typo in the syntax is
/// read as plain words elsewhere; only the constructs the grammar did recognise are checked).
pub fn refused(query: &str) -> Option<String> {
    let (ast, _) = parse_query_lenient(query);
    first_refused(&ast)
}

/// `query` as plain words: every character that is not a letter, digit, apostrophe or hyphen
/// becomes a space (for search, where a query with refused syntax is read this way).
pub fn plain_words(query: &str) -> String {
    query
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .map(|w| w.trim_matches(['-', '\'']))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn first_refused(ast: &UserInputAst) -> Option<String> {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().find_map(|(_, a)| first_refused(a)),
        UserInputAst::Boost(inner, _) => first_refused(inner),
        UserInputAst::Leaf(leaf) => match leaf.as_ref() {
            UserInputLeaf::Literal(literal) => match literal.field_name.as_deref() {
                None | Some(TEXT_FIELD | EXACT_FIELD) => None,
                Some(field) => Some(format!(
                    "`{field}:` is not a field to search in; use words, or `{EXACT_FIELD}:word` for a word exactly as written"
                )),
            },
            UserInputLeaf::All | UserInputLeaf::Exists { .. } => {
                Some("`*` is not supported; give the words to look for".into())
            }
            UserInputLeaf::Range { .. } => {
                Some("ranges (`[a TO b]`, `>`, `<`) are not supported; give words".into())
            }
            UserInputLeaf::Set { .. } => {
                Some("sets (`IN [...]`) are not supported; join words with OR".into())
            }
            UserInputLeaf::Regex { .. } => {
                Some("regular expressions are not supported; give words".into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_the_two_text_fields_pass() {
        for ok in [
            "werkdruk",
            "\"werkdruk docenten\"~2 OR lerarentekort",
            "+stage -corona",
            "(text:bedrijf OR exact:scholing)^2",
            "exact:\"regionaal plan\"",
            "werkdruk and \"unclosed",
        ] {
            assert_eq!(refused(ok), None, "{ok}");
        }
    }

    #[test]
    fn stars_ranges_sets_and_other_fields_are_refused_with_advice() {
        for bad in [
            "text:*",
            "*",
            "werkdruk OR region:*",
            "date:[2020-01-01T00:00:00Z TO 2030-01-01T00:00:00Z]",
            "batch:>1",
            "region: IN [a b]",
            "region:Achterhoek",
            "text:/.*/",
        ] {
            let why = refused(bad);
            assert!(why.is_some(), "{bad} passed");
        }
        assert!(refused("text:*").unwrap().contains('*'));
        // What people type without meaning syntax is refused too, and reads as plain words.
        for (typed, plain) in [
            ("let op: stage", "let op stage"),
            ("tijd:10 uur", "tijd 10 uur"),
            ("text:*", "text"),
            ("zie http://example.org/a", "zie http example org a"),
        ] {
            assert!(refused(typed).is_some(), "{typed}");
            assert_eq!(plain_words(typed), plain);
            assert_eq!(refused(&plain_words(typed)), None);
        }
        assert!(refused("region:Achterhoek").unwrap().contains("region:"));
    }
}
