//! The crate's error type. Each variant knows whether it is the caller's fault (bad input, a
//! missing file) or ours (a store that cannot be written), so the binary can choose its exit code.

use std::fmt;
use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// One or more records failed validation; nothing was stored.
    #[error("{0}")]
    Invalid(InvalidInput),
    /// A whole file is unusable (wrong format, encoding, empty, missing header).
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error("region registry {}: {message}", path.display())]
    Registry { path: PathBuf, message: String },
    /// The store changed since the caller looked (e.g. someone else moved an escalation on).
    #[error("{0}")]
    Conflict(String),
    /// Another process holds the store locked longer than we wait; trying again later helps.
    #[error("the store is busy: {0}")]
    Busy(String),
    #[error("store: {0}")]
    Store(#[from] rusqlite::Error),
    #[error("store schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("xlsx: {0}")]
    XlsxWrite(#[from] rust_xlsxwriter::XlsxError),
    #[error("csv: {0}")]
    CsvWrite(#[from] csv::Error),
}

impl Error {
    /// True when the input or the invocation is at fault and the user can fix it.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::Read { .. }
                | Error::Invalid(_)
                | Error::File { .. }
                | Error::Registry { .. }
                | Error::Conflict(_)
                | Error::Busy(_)
        )
    }
}

/// Where in an input file a problem is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Location {
    pub file: String,
    /// `line` for JSON Lines, `row` for CSV and XLSX (1-based, header is row 1).
    pub unit: LocationUnit,
    pub number: usize,
    /// The column or field, as the user wrote it where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LocationUnit {
    Line,
    Row,
}

impl Location {
    pub fn line(file: impl Into<String>, number: usize) -> Self {
        Location {
            file: file.into(),
            unit: LocationUnit::Line,
            number,
            column: None,
        }
    }

    pub fn row(file: impl Into<String>, number: usize) -> Self {
        Location {
            file: file.into(),
            unit: LocationUnit::Row,
            number,
            column: None,
        }
    }

    /// This location in `column` (a name from the input, cut to [`SHOWN_CHARS`]).
    pub fn with_column(&self, column: impl Into<String>) -> Self {
        Location {
            column: Some(cut(&column.into(), SHOWN_CHARS)),
            ..self.clone()
        }
    }
}

/// Longest name or value from the input that a message repeats, in characters.
pub const SHOWN_CHARS: usize = 60;

/// `text` cut to `max` characters, with "…" when it was longer: what came from the input is
/// never echoed at length (a 20 MB header cell must not become a 20 MB message).
pub fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            LocationUnit::Line => "line",
            LocationUnit::Row => "row",
        };
        write!(f, "{}, {unit} {}", self.file, self.number)?;
        if let Some(column) = &self.column {
            write!(f, ", column \"{column}\"")?;
        }
        Ok(())
    }
}

/// One problem with one record. The offending value is kept only for non-text fields: free text
/// may hold personal data and must never be echoed into reports or logs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordError {
    pub location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub problem: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location)?;
        if let Some(value) = &self.value {
            write!(f, "\"{value}\" ")?;
        }
        write!(f, "{}", self.problem)
    }
}

/// All record errors of a batch, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct InvalidInput {
    pub errors: Vec<RecordError>,
}

/// How many errors the one-line summary shows before "and N more".
const SHOWN_ERRORS: usize = 20;

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(
            f,
            "{n} problem{} in the input — nothing was stored; fix the input, or run with --skip-invalid to store the valid records and write the rest to a rejects file",
            if n == 1 { "" } else { "s" }
        )?;
        for error in self.errors.iter().take(SHOWN_ERRORS) {
            write!(f, "\n  {error}")?;
        }
        if n > SHOWN_ERRORS {
            write!(f, "\n  … and {} more", n - SHOWN_ERRORS)?;
        }
        Ok(())
    }
}
