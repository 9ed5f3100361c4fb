//! CSV and spreadsheets: one item per row, the session's columns repeated on every row. Rows
//! with the same date, programme and group form one session.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Reader};

use super::fields::{Field, known_columns};
use super::{ParsedFile, RawEntry, RawItem, RawSession, RawValue};
use crate::error::{Error, Location, RecordError, Result, SHOWN_CHARS, cut};

/// The separator used inside one cell for lists (regions present, tags, themes).
const LIST_SEPARATORS: &[char] = &['|'];

/// Columns a tabular file must have.
const REQUIRED: [Field; 5] = [
    Field::Date,
    Field::Group,
    Field::Kind,
    Field::Region,
    Field::Text,
];

/// The header: which field each column holds (`None` for blank columns).
struct Header {
    columns: Vec<Option<(Field, String)>>,
}

impl Header {
    fn parse(name: &str, cells: &[String]) -> Result<Header> {
        let refuse = |message: String| Error::File {
            file: name.to_owned(),
            message,
        };
        let mut columns = Vec::with_capacity(cells.len());
        let mut seen: HashMap<Field, &str> = HashMap::new();
        for cell in cells {
            let cell_trimmed = cell.trim();
            if cell_trimmed.is_empty() {
                columns.push(None);
                continue;
            }
            let field = Field::from_header(cell_trimmed).ok_or_else(|| {
                refuse(format!(
                    "column {:?} is not known; rename or remove it (known columns: {})",
                    cut(cell_trimmed, SHOWN_CHARS),
                    known_columns()
                ))
            })?;
            if let Some(first) = seen.insert(field, cell_trimmed) {
                return Err(refuse(format!(
                    "columns {:?} and {:?} both mean \"{field}\"; keep one",
                    cut(first, SHOWN_CHARS),
                    cut(cell_trimmed, SHOWN_CHARS)
                )));
            }
            columns.push(Some((field, cell_trimmed.to_owned())));
        }
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|f| !seen.contains_key(f))
            .map(|f| f.dutch())
            .collect();
        if !missing.is_empty() {
            return Err(refuse(format!(
                "the header row lacks the required column{} {} (found: {}; see docs/input-formats.md)",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", "),
                found_columns(cells)
            )));
        }
        Ok(Header { columns })
    }
}

/// The header's non-empty cells for a message: at most 12, each cut short.
fn found_columns(cells: &[String]) -> String {
    const SHOWN: usize = 12;
    let found: Vec<&str> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let mut list: Vec<String> = found
        .iter()
        .take(SHOWN)
        .map(|c| cut(c, SHOWN_CHARS))
        .collect();
    if found.len() > SHOWN {
        list.push(format!("and {} more", found.len() - SHOWN));
    }
    list.join(", ")
}

/// Groups rows into sessions as they arrive.
struct Sessions {
    parsed: ParsedFile,
    /// Session key → index in `parsed.sessions`, and the row it was first seen on.
    by_key: HashMap<String, (usize, usize)>,
}

impl Sessions {
    fn new() -> Self {
        Sessions {
            parsed: ParsedFile::default(),
            by_key: HashMap::new(),
        }
    }

    /// Adds one data row (cells already as strings). Blank rows are skipped.
    fn add_row(&mut self, header: &Header, location: Location, cells: Vec<String>) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        if cells.len() > header.columns.len()
            && cells[header.columns.len()..]
                .iter()
                .any(|c| !c.trim().is_empty())
        {
            self.parsed.errors.push(RecordError {
                location,
                value: None,
                problem: format!(
                    "has {} cells but the header has {} columns (a text may contain an unquoted separator or a stray quote)",
                    cells.len(),
                    header.columns.len()
                ),
            });
            return;
        }
        let mut session_entries = Vec::new();
        let mut item_entries = Vec::new();
        for (cell, column) in cells.into_iter().zip(&header.columns) {
            let Some((field, column)) = column else {
                continue;
            };
            let value = cell.trim();
            if value.is_empty() {
                continue;
            }
            let value = if is_list(*field) {
                RawValue::List(
                    value
                        .split(LIST_SEPARATORS)
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned)
                        .collect(),
                )
            } else {
                RawValue::Text(value.to_owned())
            };
            let entry = RawEntry {
                field: *field,
                column: column.clone(),
                value,
            };
            if field.is_session_field() {
                session_entries.push(entry);
            } else {
                item_entries.push(entry);
            }
        }
        let key = session_key(&session_entries);
        let item = RawItem {
            location: location.clone(),
            entries: item_entries,
        };
        match self.by_key.get(&key) {
            Some(&(index, first_row)) => {
                let session = &mut self.parsed.sessions[index];
                if let Some(problem) = mismatch(&session.entries, &session_entries, first_row) {
                    let (column, problem) = problem;
                    self.parsed.errors.push(RecordError {
                        location: location.with_column(column),
                        value: None,
                        problem,
                    });
                } else {
                    session.items.push(item);
                }
            }
            None => {
                self.by_key
                    .insert(key, (self.parsed.sessions.len(), location.number));
                self.parsed.sessions.push(RawSession {
                    location,
                    entries: session_entries,
                    items: vec![item],
                });
            }
        }
    }
}

fn is_list(field: Field) -> bool {
    matches!(
        field,
        Field::RegionsPresent | Field::EvaluationTags | Field::Themes
    )
}

/// Rows belong to one session when date, programme and group agree (as written, ignoring case).
fn session_key(entries: &[RawEntry]) -> String {
    let get = |field: Field| {
        entries
            .iter()
            .find(|e| e.field == field)
            .map(|e| match &e.value {
                RawValue::Text(t) => t.to_lowercase(),
                RawValue::List(l) => l.join("|").to_lowercase(),
            })
            .unwrap_or_default()
    };
    format!(
        "{}\u{0}{}\u{0}{}",
        get(Field::Date),
        get(Field::Programme),
        get(Field::Group)
    )
}

/// The first session column on which a later row disagrees with the session's first row.
fn mismatch(first: &[RawEntry], row: &[RawEntry], first_row: usize) -> Option<(String, String)> {
    for field in Field::ALL.into_iter().filter(|f| f.is_session_field()) {
        let a = first.iter().find(|e| e.field == field);
        let b = row.iter().find(|e| e.field == field);
        if a.map(|e| &e.value) != b.map(|e| &e.value) {
            let column = b.or(a).map(|e| e.column.clone()).unwrap_or_default();
            return Some((
                column,
                format!(
                    "differs from row {first_row} of the same session (same datum, programma and groep); a session's columns must be the same on all its rows"
                ),
            ));
        }
    }
    None
}

/// Picks the separator that splits the header line into the most columns: Dutch Excel writes
/// `;`, most other tools `,`.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut in_quotes = false;
    let mut counts = [0usize; 3];
    for c in header.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => counts[0] += 1,
            ',' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b';', b',', b'\t'];
    let (best, _) = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
        .unwrap_or((0, &0));
    candidates[best]
}

pub fn parse_csv(name: &str, text: &str) -> Result<ParsedFile> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header_cells: Vec<String> = loop {
        match records.next() {
            None => {
                return Err(Error::File {
                    file: name.to_owned(),
                    message: "is empty; expected a header row and one row per item".into(),
                });
            }
            Some(Err(e)) => {
                return Err(Error::File {
                    file: name.to_owned(),
                    message: format!("the header row cannot be read: {e}"),
                });
            }
            Some(Ok(record)) if record.iter().all(|c| c.trim().is_empty()) => continue,
            Some(Ok(record)) => break record.iter().map(str::to_owned).collect(),
        }
    };
    let header = Header::parse(name, &header_cells)?;
    let mut sessions = Sessions::new();
    // Rows are numbered by the line they start on, which is the row a spreadsheet shows
    // unless a quoted cell spans several lines.
    let mut last_line = 1;
    for record in records {
        let line = match &record {
            Ok(r) => r.position().map(|p| p.line() as usize),
            Err(e) => e.position().map(|p| p.line() as usize),
        }
        .unwrap_or(last_line + 1);
        last_line = line;
        let location = Location::row(name, line);
        match record {
            Ok(record) => sessions.add_row(
                &header,
                location,
                record.iter().map(str::to_owned).collect(),
            ),
            Err(e) => sessions.parsed.errors.push(RecordError {
                location,
                value: None,
                problem: format!("cannot be read as CSV: {e}"),
            }),
        }
    }
    Ok(sessions.parsed)
}

pub fn read_spreadsheet(path: &Path, name: &str) -> Result<ParsedFile> {
    let workbook = calamine::open_workbook_auto(path).map_err(|e| spreadsheet_error(name, e))?;
    parse_workbook(name, workbook)
}

pub fn parse_spreadsheet_bytes(name: &str, bytes: &[u8]) -> Result<ParsedFile> {
    let workbook = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| spreadsheet_error(name, e))?;
    parse_workbook(name, workbook)
}

fn spreadsheet_error(name: &str, e: calamine::Error) -> Error {
    Error::File {
        file: name.to_owned(),
        message: format!(
            "cannot be opened as a spreadsheet ({e}); save it from Excel as .xlsx, or use the template data/templates/sessies.xlsx"
        ),
    }
}

/// Reads the first sheet (or the one called "Sessies"): the first non-empty row is the header.
fn parse_workbook<R: std::io::Read + std::io::Seek>(
    name: &str,
    mut workbook: calamine::Sheets<R>,
) -> Result<ParsedFile> {
    let sheet_names = workbook.sheet_names();
    let sheet_index = sheet_names
        .iter()
        .position(|s| s.eq_ignore_ascii_case("sessies"))
        .unwrap_or(0);
    let range = workbook
        .worksheet_range_at(sheet_index)
        .ok_or_else(|| Error::File {
            file: name.to_owned(),
            message: "has no worksheets".into(),
        })?
        .map_err(|e| spreadsheet_error(name, e))?;
    let first_row = range.start().map(|(row, _)| row as usize).unwrap_or(0);
    let mut rows = range.rows().enumerate();
    let header_cells: Vec<String> = loop {
        match rows.next() {
            None => {
                return Err(Error::File {
                    file: name.to_owned(),
                    message: "is empty; expected a header row and one row per item".into(),
                });
            }
            Some((_, row)) if row.iter().all(|c| matches!(c, Data::Empty)) => continue,
            Some((_, row)) => {
                break row
                    .iter()
                    .map(|c| cell_text(c).unwrap_or_default())
                    .collect();
            }
        }
    };
    let header = Header::parse(name, &header_cells)?;
    let mut sessions = Sessions::new();
    for (index, row) in rows {
        let location = Location::row(name, first_row + index + 1);
        let mut cells = Vec::with_capacity(row.len());
        let mut bad_cell = None;
        for (column, cell) in row.iter().enumerate() {
            match cell_text(cell) {
                Ok(text) => cells.push(text),
                Err(problem) => {
                    bad_cell = Some((column, problem));
                    break;
                }
            }
        }
        if let Some((column, problem)) = bad_cell {
            let column_name = header
                .columns
                .get(column)
                .and_then(|c| c.as_ref())
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| format!("{}", column + 1));
            sessions.parsed.errors.push(RecordError {
                location: location.with_column(column_name),
                value: None,
                problem,
            });
            continue;
        }
        sessions.add_row(&header, location, cells);
    }
    Ok(sessions.parsed)
}

/// A cell as the text a user would type for it: whole numbers without ".0", dates as
/// YYYY-MM-DD, booleans as ja/nee.
fn cell_text(cell: &Data) -> std::result::Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "ja" } else { "nee" }.to_owned(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(dt) => dt.date().format("%Y-%m-%d").to_string(),
            None => return Err("holds a date Excel cannot convert".into()),
        },
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => {
            return Err(format!(
                "holds the Excel error {e}; fix the formula or type the value"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "datum;groep;soort;regio;tekst;thema's";

    #[test]
    fn sniffs_semicolon_comma_and_tab() {
        assert_eq!(sniff_delimiter("datum;groep;\"a,b\"\n"), b';');
        assert_eq!(sniff_delimiter("\n\ndate,group,kind\n"), b',');
        assert_eq!(sniff_delimiter("date\tgroup\tkind"), b'\t');
    }

    #[test]
    fn rows_group_into_sessions() {
        let text = format!(
            "{HEADER}\n14-03-2024;G7;casus;Achterhoek;Tekst een;docent_werkdruk|corona\n\n14-03-2024;G7;advies;Achterhoek;Tekst twee;\n15-03-2024;G7;casus;Achterhoek;\"Tekst; drie\";\n"
        );
        let parsed = parse_csv("s.csv", &text).unwrap();
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.sessions.len(), 2);
        assert_eq!(parsed.sessions[0].items.len(), 2);
        assert_eq!(parsed.sessions[1].location.number, 5);
        let themes = parsed.sessions[0].items[0]
            .entries
            .iter()
            .find(|e| e.field == Field::Themes)
            .unwrap();
        assert_eq!(
            themes.value,
            RawValue::List(vec!["docent_werkdruk".into(), "corona".into()])
        );
    }

    #[test]
    fn header_problems_are_file_errors_that_say_what_to_do() {
        let unknown = parse_csv("s.csv", "datum;groep;soort;regio;tekst;notities\n").unwrap_err();
        assert!(
            unknown
                .to_string()
                .contains("column \"notities\" is not known"),
            "{unknown}"
        );
        let missing = parse_csv("s.csv", "datum;soort;tekst\n1;2;3\n").unwrap_err();
        assert!(
            missing
                .to_string()
                .contains("lacks the required columns groep, regio"),
            "{missing}"
        );
        let dup = parse_csv("s.csv", "datum;date;groep;soort;regio;tekst\n").unwrap_err();
        assert!(dup.to_string().contains("both mean \"datum\""), "{dup}");
        let empty = parse_csv("s.csv", "\n\n").unwrap_err();
        assert!(empty.to_string().contains("is empty"), "{empty}");
    }

    #[test]
    fn ragged_rows_and_conflicting_session_columns_are_row_errors() {
        let text = "datum;groep;vorm;soort;regio;tekst\n14-03-2024;G7;online;casus;Achterhoek;a\n14-03-2024;G7;fysiek;advies;Achterhoek;b\n14-03-2024;G7;online;casus;Achterhoek;c;extra;more\n";
        let parsed = parse_csv("s.csv", text).unwrap();
        assert_eq!(parsed.sessions.len(), 1);
        assert_eq!(parsed.sessions[0].items.len(), 1);
        let messages: Vec<String> = parsed.errors.iter().map(|e| e.to_string()).collect();
        assert!(
            messages[0].starts_with("s.csv, row 3, column \"vorm\": differs from row 2"),
            "{messages:?}"
        );
        assert!(
            messages[1].starts_with("s.csv, row 4: has 8 cells"),
            "{messages:?}"
        );
    }

    #[test]
    fn spreadsheets_read_dates_numbers_and_booleans_as_typed() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (col, header) in [
            "Datum",
            "Groep",
            "Deelnemers",
            "Gemodereerd",
            "Soort",
            "Regio",
            "Tekst",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(1, col as u16, *header).unwrap();
        }
        let date = ExcelDateTime::from_ymd(2024, 3, 14).unwrap();
        let date_format = Format::new().set_num_format("dd-mm-yyyy");
        sheet
            .write_datetime_with_format(2, 0, &date, &date_format)
            .unwrap();
        sheet.write_number(2, 1, 7.0).unwrap();
        sheet.write_number(2, 2, 4.0).unwrap();
        sheet.write_boolean(2, 3, true).unwrap();
        sheet.write_string(2, 4, "casus").unwrap();
        sheet.write_string(2, 5, "Achterhoek").unwrap();
        sheet.write_string(2, 6, "Tekst").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let parsed = parse_spreadsheet_bytes("s.xlsx", &bytes).unwrap();
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let session = &parsed.sessions[0];
        // The header sits on row 2 of the sheet, so the data is row 3.
        assert_eq!(session.location.number, 3);
        let text = |field: Field| {
            session
                .entries
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.value.clone())
        };
        assert_eq!(text(Field::Date), Some(RawValue::Text("2024-03-14".into())));
        assert_eq!(text(Field::Group), Some(RawValue::Text("7".into())));
        assert_eq!(text(Field::Participants), Some(RawValue::Text("4".into())));
        assert_eq!(text(Field::Moderated), Some(RawValue::Text("ja".into())));
    }

    proptest::proptest! {
        #[test]
        fn csv_parsing_never_panics(text in "(?s).{0,400}") {
            let _ = parse_csv("p.csv", &text);
            let with_header = format!("datum;groep;soort;regio;tekst\n{text}");
            let _ = parse_csv("p.csv", &with_header);
        }

        #[test]
        fn jsonl_parsing_never_panics(text in "(?s).{0,400}") {
            let _ = super::super::jsonl::parse("p.jsonl", &text);
        }

        #[test]
        fn spreadsheet_parsing_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = parse_spreadsheet_bytes("p.xlsx", &bytes);
        }
    }
}
