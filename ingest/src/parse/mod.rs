//! Reading input files into raw records: strings per field, with where each came from. No
//! value is interpreted here — that is [`crate::validate`]'s job — but the shape is: unknown
//! columns, malformed lines and rows that do not fit the header are reported here.

mod fields;
mod jsonl;
mod tabular;
mod text_encoding;

use std::path::Path;

pub use fields::{Field, known_columns};
pub use text_encoding::Decoded;

use crate::error::{Error, Location, RecordError, Result};

/// Files larger than this are refused before reading: a year of sessions is a few megabytes.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// A field's value as found in the input.
#[derive(Clone, PartialEq, Eq)]
pub enum RawValue {
    Text(String),
    List(Vec<String>),
}

impl std::fmt::Debug for RawValue {
    // Values may be free text with personal data: show only their shape.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RawValue::Text(t) => write!(f, "Text({} chars)", t.chars().count()),
            RawValue::List(l) => write!(f, "List({} values)", l.len()),
        }
    }
}

/// One field of a record: which field, the column or key as the user wrote it, and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEntry {
    pub field: Field,
    pub column: String,
    pub value: RawValue,
}

/// An item's fields, unchecked.
#[derive(Debug, Clone)]
pub struct RawItem {
    pub location: Location,
    pub entries: Vec<RawEntry>,
}

/// A session's fields and its items, unchecked.
#[derive(Debug, Clone)]
pub struct RawSession {
    pub location: Location,
    pub entries: Vec<RawEntry>,
    pub items: Vec<RawItem>,
}

/// What one file yielded: the sessions that could be read, and the records that could not.
#[derive(Debug, Default)]
pub struct ParsedFile {
    pub sessions: Vec<RawSession>,
    pub errors: Vec<RecordError>,
    /// Notes for the user that are not errors, e.g. a conversion from Windows-1252.
    pub notices: Vec<String>,
}

/// The input formats, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    JsonLines,
    Csv,
    Spreadsheet,
}

impl Format {
    pub fn from_path(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "jsonl" | "ndjson" => Ok(Format::JsonLines),
            "csv" | "tsv" | "txt" => Ok(Format::Csv),
            "xlsx" | "xlsm" | "xls" | "ods" => Ok(Format::Spreadsheet),
            _ => Err(Error::File {
                file: display_name(path),
                message: format!(
                    "unknown file type {:?} (expected .jsonl, .csv or .xlsx; see docs/input-formats.md)",
                    if ext.is_empty() {
                        "(none)".to_owned()
                    } else {
                        format!(".{ext}")
                    }
                ),
            }),
        }
    }
}

/// The name used for a file in messages: its file name, as the user knows it.
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads one input file.
pub fn read_file(path: &Path) -> Result<ParsedFile> {
    let format = Format::from_path(path)?;
    let name = display_name(path);
    let size = std::fs::metadata(path)
        .map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Error::File {
            file: name,
            message: format!(
                "is {} MB, more than the {} MB a file may be; split it into smaller files",
                size / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    let parsed = match format {
        Format::Spreadsheet => tabular::read_spreadsheet(path, &name)?,
        Format::JsonLines | Format::Csv => {
            let bytes = std::fs::read(path).map_err(|source| Error::Read {
                path: path.to_owned(),
                source,
            })?;
            return parse_bytes(format, &name, &bytes);
        }
    };
    not_empty(&name, parsed)
}

/// A file without sessions or errors is refused: it is empty, or only a header.
fn not_empty(name: &str, parsed: ParsedFile) -> Result<ParsedFile> {
    if parsed.sessions.is_empty() && parsed.errors.is_empty() {
        return Err(Error::File {
            file: name.to_owned(),
            message: "contains no sessions (is it empty, or only a header?)".into(),
        });
    }
    Ok(parsed)
}

/// Parses a file held in memory (uploads, tests) by `format`. Text formats are decoded first
/// (UTF-8, or Windows-1252 with a notice); a workbook is binary and goes to the spreadsheet
/// reader as it is. A file without sessions is refused.
pub fn parse_bytes(format: Format, name: &str, bytes: &[u8]) -> Result<ParsedFile> {
    let parsed = match format {
        Format::Spreadsheet => tabular::parse_spreadsheet_bytes(name, bytes)?,
        Format::JsonLines | Format::Csv => {
            let decoded = text_encoding::decode(name, bytes)?;
            let mut parsed = match format {
                Format::Csv => tabular::parse_csv(name, &decoded.text)?,
                _ => jsonl::parse(name, &decoded.text),
            };
            parsed.notices.extend(decoded.notice);
            parsed
        }
    };
    not_empty(name, parsed)
}
