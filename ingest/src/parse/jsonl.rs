//! JSON Lines: one session per line, its items nested under `items`.

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::fields::{Field, known_columns};
use super::{ParsedFile, RawEntry, RawItem, RawSession, RawValue};
use crate::error::{Location, RecordError};

/// The key holding a session's items (Dutch alias `punten`).
fn is_items_key(key: &str) -> bool {
    matches!(key.trim().to_lowercase().as_str(), "items" | "punten")
}

pub fn parse(name: &str, text: &str) -> ParsedFile {
    // Lines are independent, so they are parsed in parallel; their order is kept.
    let lines: Vec<&str> = text.lines().collect();
    let results: Vec<Option<Result<RawSession, Vec<RecordError>>>> = lines
        .par_iter()
        .enumerate()
        .map(|(index, line)| parse_line(name, index + 1, line))
        .collect();
    let mut parsed = ParsedFile::default();
    for result in results.into_iter().flatten() {
        match result {
            Ok(session) => parsed.sessions.push(session),
            Err(errors) => parsed.errors.extend(errors),
        }
    }
    parsed
}

/// One line: a session, its problems, or nothing for a blank line.
fn parse_line(
    name: &str,
    number: usize,
    line: &str,
) -> Option<Result<RawSession, Vec<RecordError>>> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let location = Location::line(name, number);
    Some(match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(object)) => session(&location, object),
        Ok(other) => Err(vec![RecordError {
            location,
            value: None,
            problem: format!(
                "is a JSON {}, expected an object with one session (see docs/input-formats.md)",
                kind_of(&other)
            ),
        }]),
        Err(e) => Err(vec![RecordError {
            location,
            value: None,
            problem: format!("is not valid JSON ({e}); each line must hold one session object"),
        }]),
    })
}

fn session(
    location: &Location,
    object: Map<String, Value>,
) -> Result<RawSession, Vec<RecordError>> {
    let mut errors = Vec::new();
    let mut entries = Vec::new();
    let mut items = Vec::new();
    let mut saw_items = false;
    for (key, value) in object {
        if is_items_key(&key) {
            saw_items = true;
            match value {
                Value::Array(values) => {
                    for (i, value) in values.into_iter().enumerate() {
                        let item_location = location.with_column(format!("{key}[{}]", i + 1));
                        match value {
                            Value::Object(fields) => match item(&item_location, fields) {
                                Ok(item) => items.push(item),
                                Err(e) => errors.extend(e),
                            },
                            other => errors.push(RecordError {
                                location: item_location,
                                value: None,
                                problem: format!(
                                    "is a JSON {}, expected an item object",
                                    kind_of(&other)
                                ),
                            }),
                        }
                    }
                }
                other => errors.push(RecordError {
                    location: location.with_column(key),
                    value: None,
                    problem: format!("is a JSON {}, expected an array of items", kind_of(&other)),
                }),
            }
            continue;
        }
        match Field::from_header(&key) {
            Some(field) if field.is_session_field() => {
                if let Some(entry) = entry(location, field, key, value, &mut errors) {
                    entries.push(entry);
                }
            }
            Some(_) => errors.push(RecordError {
                location: location.with_column(key),
                value: None,
                problem: "belongs to an item: move it into the session's \"items\"".into(),
            }),
            None => errors.push(unknown_field(location, key)),
        }
    }
    if !saw_items && errors.is_empty() {
        errors.push(RecordError {
            location: location.clone(),
            value: None,
            problem: "has no \"items\": a session needs at least one item".into(),
        });
    }
    if errors.is_empty() {
        Ok(RawSession {
            location: location.clone(),
            entries,
            items,
        })
    } else {
        Err(errors)
    }
}

fn item(location: &Location, object: Map<String, Value>) -> Result<RawItem, Vec<RecordError>> {
    let mut errors = Vec::new();
    let mut entries = Vec::new();
    let prefix = location.column.clone().unwrap_or_default();
    for (key, value) in object {
        let column = format!("{prefix}.{key}");
        match Field::from_header(&key) {
            Some(field) if !field.is_session_field() => {
                if let Some(entry) = entry(location, field, column, value, &mut errors) {
                    entries.push(entry);
                }
            }
            Some(_) => errors.push(RecordError {
                location: location.with_column(column),
                value: None,
                problem: "belongs to the session, not to an item: move it out of \"items\"".into(),
            }),
            None => errors.push(unknown_field(location, column)),
        }
    }
    if errors.is_empty() {
        Ok(RawItem {
            location: location.clone(),
            entries,
        })
    } else {
        Err(errors)
    }
}

/// Converts one JSON value to a raw value; `null` means "not given".
fn entry(
    location: &Location,
    field: Field,
    column: String,
    value: Value,
    errors: &mut Vec<RecordError>,
) -> Option<RawEntry> {
    let value = match value {
        Value::Null => return None,
        Value::String(s) => RawValue::Text(s),
        Value::Number(n) => RawValue::Text(n.to_string()),
        Value::Bool(b) => RawValue::Text(if b { "ja" } else { "nee" }.into()),
        Value::Array(values) => {
            let mut list = Vec::with_capacity(values.len());
            for value in values {
                match value {
                    Value::String(s) => list.push(s),
                    Value::Number(n) => list.push(n.to_string()),
                    other => {
                        errors.push(RecordError {
                            location: location.with_column(column),
                            value: None,
                            problem: format!(
                                "holds a JSON {}, expected a list of texts",
                                kind_of(&other)
                            ),
                        });
                        return None;
                    }
                }
            }
            RawValue::List(list)
        }
        Value::Object(_) => {
            errors.push(RecordError {
                location: location.with_column(column),
                value: None,
                problem: "is a JSON object, expected a text, number or list".into(),
            });
            return None;
        }
    };
    Some(RawEntry {
        field,
        column,
        value,
    })
}

fn unknown_field(location: &Location, key: String) -> RecordError {
    RecordError {
        location: location.with_column(key),
        value: None,
        problem: format!(
            "is not a known field (known: {}, items; English aliases accepted)",
            known_columns()
        ),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sessions_with_nested_items_in_both_languages() {
        let text = r#"{"date":"2024-03-14","group":"G07","moderated":true,"participants":5,"regions_present":["Achterhoek","Twente Zuid"],"items":[{"kind":"casus","region":"Achterhoek","text":"Werkdruk is hoog.","themes":["docent_werkdruk"]}]}

{"datum":"14-03-2024","groep":"G08","punten":[{"soort":"signaal","regio":"Achterhoek","tekst":"x","escaleren":"ja"}]}
"#;
        let parsed = parse("s.jsonl", text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.sessions.len(), 2);
        let first = &parsed.sessions[0];
        assert_eq!(first.items.len(), 1);
        assert!(
            first
                .entries
                .iter()
                .any(|e| e.field == Field::Moderated && e.value == RawValue::Text("ja".into()))
        );
        assert_eq!(parsed.sessions[1].location.number, 3);
    }

    #[test]
    fn reports_bad_lines_without_losing_the_good_ones() {
        let text = "{\"date\":\"2024-03-14\",\"group\":\"G1\",\"items\":[]}\n{not json\n[1,2]\n{\"date\":\"x\",\"notes\":\"y\",\"items\":[]}\n{\"date\":\"x\",\"text\":\"y\",\"items\":[{\"date\":\"z\"}]}\n{\"date\":\"x\"}";
        let parsed = parse("s.jsonl", text);
        assert_eq!(parsed.sessions.len(), 1);
        let messages: Vec<String> = parsed.errors.iter().map(|e| e.to_string()).collect();
        assert!(
            messages[0].starts_with("s.jsonl, line 2: is not valid JSON"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("line 3: is a JSON array"),
            "{messages:?}"
        );
        assert!(
            messages[2].contains("column \"notes\": is not a known field"),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("line 5, column \"text\": belongs to an item")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("column \"items[1].date\": belongs to the session")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("line 6: has no \"items\"")),
            "{messages:?}"
        );
    }
}
