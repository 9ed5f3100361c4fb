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

impl Outcome {
    /// Nothing stored, for these problems.
    fn refused(problems: Vec<Problem>) -> Outcome {
        Outcome {
            stored: false,
            sessions_added: 0,
            sessions_already_stored: 0,
            items_added: 0,
            items_already_stored: 0,
            rejected: problems.len(),
            problems,
            notices: Vec::new(),
        }
    }
}

/// Problems listed in one answer; the rest are counted in a last line (a file of a million bad
/// rows must not become a page of a million lines).
pub const MAX_PROBLEMS: usize = 500;

fn problems(errors: &[ingest::error::RecordError]) -> Vec<Problem> {
    let mut shown: Vec<Problem> = errors
        .iter()
        .take(MAX_PROBLEMS)
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
        .collect();
    if errors.len() > MAX_PROBLEMS {
        shown.push(Problem {
            location: String::new(),
            column: None,
            value: None,
            problem: format!(
                "and {} more problems; fix the ones above and upload again",
                errors.len() - MAX_PROBLEMS
            ),
        });
    }
    shown
}

/// Parses an uploaded file by its name's extension (the name is cut short for messages).
pub fn parse_upload(name: &str, bytes: &[u8]) -> (String, ingest::Result<ParsedFile>) {
    let name = &ingest::error::cut(name, 100);
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
    let (regions, anonymiser) = (state.regions(), state.anonymiser());
    let pipeline = Pipeline::new(&regions, &anonymiser);
    let options = IngestOptions {
        skip_invalid,
        actor,
    };
    let report: IngestReport = match pipeline.ingest_parsed(store, inputs, &options, &NoProgress) {
        Ok(report) => report,
        Err(ingest::Error::Invalid(invalid)) => {
            return Ok(Outcome::refused(problems(&invalid.errors)));
        }
        Err(e) if e.is_user_error() => {
            return Ok(Outcome::refused(vec![Problem {
                location: String::new(),
                column: None,
                value: None,
                problem: e.to_string(),
            }]));
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

/// The validator's problems (English, as on the command line) in Dutch for the pages; a text
/// no pattern knows stays as it is.
static DUTCH: std::sync::LazyLock<Vec<(regex::Regex, &'static str)>> = std::sync::LazyLock::new(
    || {
        [
            (r"^is not a meeting form \(expected (.*)\)$", "is geen vorm van bijeenkomst (verwacht: $1)"),
            (r"^is more than the (\d+) cases submitted.*$", "is meer dan de $1 ingebrachte casussen"),
            (r"^has (\d+) tags; at most (\d+) are allowed$", "heeft $1 tags; hoogstens $2 mogen"),
            (r"^has no items.*$", "heeft geen punten: een bijeenkomst heeft minstens één punt"),
            (r"^has (\d+) items; at most (\d+) per session.*$", "heeft $1 punten; hoogstens $2 per bijeenkomst (klopt de indeling op datum, programma en groep?)"),
            (r"^is not an item kind \(expected (.*)\)$", "is geen soort punt (verwacht: $1)"),
            (r"^is not an escalation choice \(expected (.*)\)$", "is geen escalatiekeuze (verwacht: $1)"),
            (r"^is not a date.*$", "is geen datum (schrijf JJJJ-MM-DD of DD-MM-JJJJ)"),
            (r"^is before (.*); check the year$", "ligt vóór $1; controleer het jaar"),
            (r"^lies in the future.*$", "ligt in de toekomst; leg een bijeenkomst vast nadat die is gehouden"),
            (r#"^is not a known region \(did you mean "(.*)"\?\)$"#, "is geen bekende regio (bedoel je \"$1\"?)"),
            (r"^is not a known region.*$", "is geen bekende regio"),
            (r"^holds a list; expected a single value$", "bevat een lijst; hier hoort één waarde"),
            (r"^is missing; this field is required$", "ontbreekt; dit veld is verplicht"),
            (r"^is (\d+) characters long; at most (\d+) are allowed \(split.*$", "is $1 tekens lang; hoogstens $2 (verdeel de tekst over meer punten)"),
            (r"^is (\d+) characters long; at most (\d+) are allowed$", "is $1 tekens lang; hoogstens $2"),
            (r"^is empty; an item needs a text$", "is leeg; een punt heeft een tekst nodig"),
            (r"^is empty$", "is leeg"),
            (r"^is not yes or no.*$", "is geen ja of nee"),
            (r"^is not a whole number from (\d+) to (\d+)$", "is geen geheel getal van $1 tot en met $2"),
            (r"^is not a tag.*$", "is geen tag (een paar woorden of een korte naam zoals format-te-strak)"),
            (r"^is not a theme id.*$", "is geen thema-id (bijv. docent_werkdruk of eigenaarschap)"),
            (r"^and (\d+) more problems.*$", "en nog $1 problemen; verbeter de bovenstaande en upload opnieuw"),
        ]
        .into_iter()
        .filter_map(|(pattern, dutch)| Some((regex::Regex::new(pattern).ok()?, dutch)))
        .collect()
    },
);

/// `problem` for a reader in `lang`, with the column named as the form and the files name it.
pub fn localise(problem: &Problem, lang: super::i18n::Lang) -> Problem {
    if lang == super::i18n::Lang::En {
        return problem.clone();
    }
    let text = DUTCH
        .iter()
        .find(|(pattern, _)| pattern.is_match(&problem.problem))
        .map_or_else(
            || problem.problem.clone(),
            |(pattern, dutch)| pattern.replace(&problem.problem, *dutch).into_owned(),
        );
    Problem {
        location: problem.location.clone(),
        column: problem.column.as_ref().map(|c| {
            ingest::parse::Field::from_header(c).map_or_else(|| c.clone(), |f| f.dutch().to_owned())
        }),
        value: problem.value.clone(),
        problem: text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::Lang;

    fn problem(column: &str, text: &str) -> Problem {
        Problem {
            location: "formulier, regel 1".into(),
            column: Some(column.into()),
            value: None,
            problem: text.into(),
        }
    }

    #[test]
    fn the_validators_problems_read_in_dutch() {
        let cases = [
            (
                "date",
                "is not a date (expected YYYY-MM-DD or DD-MM-YYYY)",
                "datum",
                "is geen datum (schrijf JJJJ-MM-DD of DD-MM-JJJJ)",
            ),
            (
                "region",
                "is not a known region (did you mean \"Achterhoek\"?)",
                "regio",
                "is geen bekende regio (bedoel je \"Achterhoek\"?)",
            ),
            (
                "group",
                "is missing; this field is required",
                "groep",
                "ontbreekt; dit veld is verplicht",
            ),
            (
                "score",
                "is not a whole number from 1 to 5",
                "score",
                "is geen geheel getal van 1 tot en met 5",
            ),
        ];
        for (column, english, dutch_column, dutch) in cases {
            let shown = localise(&problem(column, english), Lang::Nl);
            assert_eq!(shown.problem, dutch);
            assert_eq!(shown.column.as_deref(), Some(dutch_column));
            assert_eq!(
                localise(&problem(column, english), Lang::En).problem,
                english
            );
        }
        assert_eq!(
            localise(&problem("x", "something new"), Lang::Nl).problem,
            "something new"
        );
    }

    /// Every message the validator writes today has a Dutch pattern: run real bad input.
    #[test]
    fn real_validator_messages_are_covered() {
        let regions = ingest::region::RegionRegistry::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/sample/regions.toml"),
        )
        .unwrap();
        let line = r#"{"date": "31-02-2024", "group": "", "mode": "boot", "moderated": "misschien", "participants": 99, "regions_present": ["Atlantis"], "cases_submitted": 1, "cases_discussed": 3, "score": 9, "evaluation_tags": ["Niet Goed!!"], "items": [{"kind": "praatje", "region": "Achterhoeck", "text": "", "escalate": "soms", "themes": ["Onbekend Thema"]}]}"#;
        let parsed =
            ingest::parse::parse_bytes(ingest::parse::Format::JsonLines, "f", line.as_bytes())
                .unwrap();
        let validator = ingest::validate::Validator::new(&regions);
        let mut seen = 0;
        let mut missing = Vec::new();
        for raw in parsed.sessions {
            for e in validator.session(raw).unwrap_err() {
                seen += 1;
                if !DUTCH.iter().any(|(p, _)| p.is_match(&e.problem)) {
                    missing.push(e.problem);
                }
            }
        }
        assert!(missing.is_empty(), "no Dutch for {missing:?}");
        assert!(seen >= 5, "{seen} problems");
    }
}
