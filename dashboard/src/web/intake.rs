//! Storing sessions from the web (form, upload, API): the same pipeline as `signaalradar
//! ingest` — validate, anonymise, store as one batch, classify and index — followed by a new
//! trend snapshot. The report names problems by line or row; free text is never echoed.

use analysis::index::ThemeIndex;
use ingest::batch::{IngestOptions, IngestReport, Pipeline};
use ingest::parse::{Format, ParsedFile};
use ingest::store::Store;
use serde::Serialize;

use super::AppState;
use super::error::AppError;

/// One problem in the input, as the report shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// File and line or row, e.g. "sessies.csv, row 4".
    pub location: String,
    pub column: Option<String>,
    /// The offending value, for non-text fields only.
    pub value: Option<String>,
    pub problem: String,
}

/// What an upload or a form submission did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Outcome {
    /// True when a batch was stored (invalid records are then skipped, if asked).
    pub stored: bool,
    pub sessions_added: usize,
    pub sessions_already_stored: usize,
    pub items_added: usize,
    pub items_already_stored: usize,
    pub rejected: usize,
    pub problems: Vec<Problem>,
    pub notices: Vec<String>,
}

fn problems(errors: &[ingest::error::RecordError]) -> Vec<Problem> {
    errors
        .iter()
        .map(|e| {
            let unit = match e.location.unit {
                ingest::error::LocationUnit::Line => "regel",
                ingest::error::LocationUnit::Row => "rij",
            };
            Problem {
                location: if e.location.number == 0 {
                    e.location.file.clone()
                } else {
                    format!("{}, {unit} {}", e.location.file, e.location.number)
                },
                column: e.location.column.clone(),
                value: e.value.clone(),
                problem: e.problem.clone(),
            }
        })
        .collect()
}

/// Parses an uploaded file by its name's extension.
pub fn parse_upload(name: &str, bytes: &[u8]) -> (String, ingest::Result<ParsedFile>) {
    let parsed = Format::from_path(std::path::Path::new(name))
        .and_then(|format| ingest::parse::parse_bytes(format, name, bytes));
    (name.to_owned(), parsed)
}

/// Validates, anonymises and stores `inputs` as one batch, then classifies and indexes it and
/// reloads the trend snapshot. Invalid input is an [`Outcome`] with `stored: false`, not an error.
pub async fn ingest(
    state: &AppState,
    inputs: Vec<(String, ingest::Result<ParsedFile>)>,
    skip_invalid: bool,
    actor: String,
) -> Result<Outcome, AppError> {
    state
        .with_ingest(move |state, store, index| {
            store_batch(state, store, index, inputs, skip_invalid, actor)
        })
        .await
}

fn store_batch(
    state: &AppState,
    store: &mut Store,
    index: &mut ThemeIndex,
    inputs: Vec<(String, ingest::Result<ParsedFile>)>,
    skip_invalid: bool,
    actor: String,
) -> Result<Outcome, AppError> {
    let pipeline = Pipeline::new(state.regions(), state.anonymiser());
    let options = IngestOptions {
        skip_invalid,
        actor,
    };
    let report: IngestReport = match pipeline.ingest_parsed(store, inputs, &options, &NoProgress) {
        Ok(report) => report,
        Err(ingest::Error::Invalid(invalid)) => {
            return Ok(Outcome {
                stored: false,
                sessions_added: 0,
                sessions_already_stored: 0,
                items_added: 0,
                items_already_stored: 0,
                rejected: invalid.errors.len(),
                problems: problems(&invalid.errors),
                notices: Vec::new(),
            });
        }
        Err(e) if e.is_user_error() => {
            return Ok(Outcome {
                stored: false,
                sessions_added: 0,
                sessions_already_stored: 0,
                items_added: 0,
                items_already_stored: 0,
                rejected: 1,
                problems: vec![Problem {
                    location: String::new(),
                    column: None,
                    value: None,
                    problem: e.to_string(),
                }],
                notices: Vec::new(),
            });
        }
        Err(e) => return Err(e.into()),
    };
    index.sync(store, &state.classifier(), false, &|_| {})?;
    tracing::info!(
        sessions = report.sessions_added,
        items = report.items_added,
        rejected = report.rejected,
        "batch stored from the web"
    );
    Ok(Outcome {
        stored: true,
        sessions_added: report.sessions_added,
        sessions_already_stored: report.sessions_already_stored,
        items_added: report.items_added,
        items_already_stored: report.items_already_stored,
        rejected: report.rejected,
        problems: problems(&report.rejects),
        notices: report.notices,
    })
}

struct NoProgress;
impl ingest::batch::Progress for NoProgress {}
