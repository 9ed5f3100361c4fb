//! *Invoer*: a session form that follows the intervision script, with an anonymisation preview
//! before anything is saved, and a file upload (CSV, XLSX, JSONL) with a row-by-row validation
//! report. Both go through the same pipeline as `signaalradar ingest`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum_extra::extract::Form;
use ingest::parse::Format;

use super::{ENTRY_ROLES, Page};
use crate::web::AppState;
use crate::web::auth::CurrentUser;
use crate::web::error::AppError;
use crate::web::i18n::Lang;
use crate::web::intake::{self, Outcome, Problem};

/// Item rows in an empty form; "Meer regels" adds more.
const ROWS: usize = 5;
const MORE_ROWS: usize = 3;
const MAX_ROWS: usize = 40;
/// Largest upload accepted by the page (the server-wide body limit is the hard cap).
const MAX_UPLOAD: usize = 16 * 1024 * 1024;

/// One item row of the form, as typed.
#[derive(Debug, Clone, Default)]
pub struct ItemRow {
    pub n: usize,
    pub kind: String,
    pub text: String,
    pub region: String,
    pub themes: Vec<String>,
    pub escalate: String,
}

/// The form's values, as typed (raw text: never stored or logged from here).
#[derive(Default)]
pub struct EntryForm {
    pub date: String,
    pub programme: String,
    pub group: String,
    pub mode: String,
    pub moderated: String,
    pub participants: String,
    pub regions: Vec<String>,
    pub submitted: String,
    pub discussed: String,
    pub items: Vec<ItemRow>,
    pub tags: String,
    pub score: String,
    pub next_planned: String,
}

impl std::fmt::Debug for EntryForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntryForm")
            .field("items", &self.items.len())
            .finish_non_exhaustive()
    }
}

impl EntryForm {
    fn empty() -> EntryForm {
        let mut form = EntryForm {
            programme: "STO".into(),
            ..EntryForm::default()
        };
        form.pad(ROWS);
        form
    }

    /// Adds empty rows up to `rows`.
    fn pad(&mut self, rows: usize) {
        while self.items.len() < rows.min(MAX_ROWS) {
            self.items.push(ItemRow {
                n: self.items.len() + 1,
                ..ItemRow::default()
            });
        }
    }

    /// Reads the posted pairs (repeated keys for multi-selects; items as `tekst_3` etc.).
    fn from_pairs(pairs: &[(String, String)]) -> EntryForm {
        let mut form = EntryForm::default();
        let mut rows: std::collections::BTreeMap<usize, ItemRow> = Default::default();
        for (key, value) in pairs {
            let value = value.clone();
            match key.as_str() {
                "datum" => form.date = value,
                "programma" => form.programme = value,
                "groep" => form.group = value,
                "vorm" => form.mode = value,
                "gemodereerd" => form.moderated = value,
                "deelnemers" => form.participants = value,
                "regios" => form.regions.push(value),
                "ingebracht" => form.submitted = value,
                "besproken" => form.discussed = value,
                "tags" => form.tags = value,
                "score" => form.score = value,
                "vervolg" => form.next_planned = value,
                other => {
                    let Some((field, n)) = other.rsplit_once('_') else {
                        continue;
                    };
                    let Ok(n) = n.parse::<usize>() else { continue };
                    if n == 0 || n > MAX_ROWS {
                        continue;
                    }
                    let row = rows.entry(n).or_insert_with(|| ItemRow {
                        n,
                        ..ItemRow::default()
                    });
                    match field {
                        "soort" => row.kind = value,
                        "tekst" => row.text = value,
                        "regio" => row.region = value,
                        "themas" => row.themes.push(value),
                        "escaleren" => row.escalate = value,
                        _ => {}
                    }
                }
            }
        }
        form.items = rows.into_values().collect();
        for (i, row) in form.items.iter_mut().enumerate() {
            row.n = i + 1;
        }
        form
    }

    fn filled_items(&self) -> impl Iterator<Item = &ItemRow> {
        self.items.iter().filter(|i| !i.text.trim().is_empty())
    }

    /// The session as one JSON Lines record in the documented input format.
    fn to_json_line(&self) -> String {
        use serde_json::{Map, Value};
        let mut record = Map::new();
        let mut put = |key: &str, value: &str| {
            if !value.trim().is_empty() {
                record.insert(key.into(), Value::String(value.trim().into()));
            }
        };
        put("date", &self.date);
        put("programme", &self.programme);
        put("group", &self.group);
        put("mode", &self.mode);
        put("moderated", &self.moderated);
        put("participants", &self.participants);
        put("cases_submitted", &self.submitted);
        put("cases_discussed", &self.discussed);
        put("score", &self.score);
        put("next_meeting_planned", &self.next_planned);
        if !self.regions.is_empty() {
            record.insert("regions_present".into(), self.regions.clone().into());
        }
        let tags: Vec<String> = self
            .tags
            .split([',', ';'])
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        if !tags.is_empty() {
            record.insert("evaluation_tags".into(), tags.into());
        }
        let items: Vec<Value> = self
            .filled_items()
            .map(|i| {
                let mut item = Map::new();
                item.insert("kind".into(), i.kind.clone().into());
                item.insert("region".into(), i.region.clone().into());
                item.insert("text".into(), i.text.clone().into());
                if !i.themes.is_empty() {
                    item.insert("themes".into(), i.themes.clone().into());
                }
                if !i.escalate.is_empty() {
                    item.insert("escalate".into(), i.escalate.clone().into());
                }
                Value::Object(item)
            })
            .collect();
        record.insert("items".into(), items.into());
        Value::Object(record).to_string()
    }
}

/// An item as it will be stored: anonymised, with what was taken out.
#[derive(Debug, Clone)]
pub struct PreviewItem {
    pub kind: String,
    pub region: String,
    pub text: String,
    pub redacted: String,
}

#[derive(Debug, Template, WebTemplate)]
#[template(path = "entry.html")]
pub struct EntryPage {
    page: Page,
    form: EntryForm,
    regions: Vec<String>,
    themes: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    preview: Vec<PreviewItem>,
    problems: Vec<Problem>,
    outcome: Option<Outcome>,
    upload: Option<Outcome>,
    upload_name: String,
}

impl EntryPage {
    fn new(state: &AppState, lang: Lang, user: &CurrentUser, form: EntryForm) -> EntryPage {
        let t = lang.texts();
        let snapshot = state.snapshot();
        EntryPage {
            page: Page::new(lang, Some(user), t.entry_title, "/invoer"),
            form,
            regions: state.regions().names().map(str::to_owned).collect(),
            themes: snapshot
                .themes
                .iter()
                .map(|t| (t.id.clone(), lang.pick(&t.label_nl, &t.label_en).to_owned()))
                .collect(),
            kinds: vec![
                ("casus", t.kind_casus),
                ("advies", t.kind_advies),
                ("signaal", t.kind_signaal),
                ("evaluatie", t.kind_evaluatie),
            ],
            preview: Vec::new(),
            problems: Vec::new(),
            outcome: None,
            upload: None,
            upload_name: String::new(),
        }
    }

    fn selected_region(&self, region: &str) -> bool {
        self.form.regions.iter().any(|r| r == region)
    }
}

pub async fn form(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> Result<EntryPage, AppError> {
    user.require(ENTRY_ROLES)?;
    Ok(EntryPage::new(&state, lang, &user, EntryForm::empty()))
}

/// Checks the form against the ingest rules without storing anything.
fn validate(state: &AppState, form: &EntryForm) -> Vec<Problem> {
    let line = form.to_json_line();
    let parsed = ingest::parse::parse_bytes(Format::JsonLines, "formulier", line.as_bytes());
    let (regions, anonymiser) = (state.regions(), state.anonymiser());
    let pipeline = ingest::batch::Pipeline::new(&regions, &anonymiser);
    let errors = match parsed {
        Ok(parsed) => {
            let mut errors = parsed.errors;
            for raw in parsed.sessions {
                if let Err(e) = pipeline.validator.session(raw) {
                    errors.extend(e);
                }
            }
            errors
        }
        Err(e) => {
            return vec![Problem {
                location: String::new(),
                column: None,
                value: None,
                problem: e.to_string(),
            }];
        }
    };
    errors
        .into_iter()
        .map(|e| Problem {
            location: String::new(),
            column: e.location.column,
            value: e.value,
            problem: e.problem,
        })
        .collect()
}

pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<EntryPage, AppError> {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    user.check_csrf(field("csrf"))?;
    user.require(ENTRY_ROLES)?;
    let action = field("actie").unwrap_or("voorbeeld").to_owned();
    let mut form = EntryForm::from_pairs(&pairs);
    let rows = form.items.len();
    match action.as_str() {
        "meer" => {
            form.pad(rows + MORE_ROWS);
            return Ok(EntryPage::new(&state, lang, &user, form));
        }
        "voorbeeld" | "opslaan" => {}
        other => {
            return Err(AppError::BadRequest(format!("onbekende actie {other:?}")));
        }
    }
    let problems = validate(&state, &form);
    let mut page_form = form;
    if action == "opslaan" && problems.is_empty() {
        let line = page_form.to_json_line();
        let input = intake::parse_upload("formulier.jsonl", line.as_bytes());
        let outcome = intake::ingest(
            &state,
            vec![input],
            false,
            format!("web:{}", user.user.name),
        )
        .await?;
        if outcome.stored {
            let mut page = EntryPage::new(&state, lang, &user, EntryForm::empty());
            page.outcome = Some(outcome);
            return Ok(page);
        }
        let mut page = EntryPage::new(&state, lang, &user, page_form);
        page.problems = outcome
            .problems
            .iter()
            .map(|p| intake::localise(p, lang))
            .collect();
        return Ok(page);
    }
    let preview = page_form
        .filled_items()
        .map(|item| {
            let redacted = state.anonymiser().anonymise(&item.text);
            PreviewItem {
                kind: item.kind.clone(),
                region: item.region.clone(),
                text: redacted.text,
                redacted: redaction_summary(lang, &redacted.counts),
            }
        })
        .collect();
    page_form.pad(rows.max(ROWS));
    let mut page = EntryPage::new(&state, lang, &user, page_form);
    page.preview = preview;
    page.problems = problems.iter().map(|p| intake::localise(p, lang)).collect();
    Ok(page)
}

fn redaction_summary(lang: Lang, counts: &ingest::anonymise::RedactionCounts) -> String {
    let t = lang.texts();
    if counts.total() == 0 {
        return t.nothing_redacted.into();
    }
    let names: [(u32, &str, &str); 6] = [
        (counts.names, "naam", "name"),
        (counts.emails, "e-mailadres", "e-mail address"),
        (counts.phones, "telefoonnummer", "phone number"),
        (counts.postcodes, "adres", "address"),
        (counts.bsns, "BSN", "BSN"),
        (counts.ibans, "IBAN", "IBAN"),
    ];
    names
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, nl, en)| format!("{n}× {}", lang.pick(nl, en)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A file upload: validated row by row; stored only when valid (or with "skip invalid").
pub async fn upload(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    mut multipart: Multipart,
) -> Result<EntryPage, AppError> {
    let mut csrf = None;
    let mut skip_invalid = false;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("het formulier kwam niet goed door: {e}")))?
    {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = Some(field.text().await.unwrap_or_default()),
            "overslaan" => skip_invalid = true,
            "bestand" => {
                let name = field
                    .file_name()
                    .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_owned())
                    .unwrap_or_default();
                let bytes = field.bytes().await.map_err(|e| {
                    AppError::BadRequest(format!("het bestand kwam niet goed door: {e}"))
                })?;
                if bytes.len() > MAX_UPLOAD {
                    return Err(AppError::BadRequest(format!(
                        "het bestand is groter dan {} MB; splits het op",
                        MAX_UPLOAD / (1024 * 1024)
                    )));
                }
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    user.check_csrf(csrf.as_deref())?;
    user.require(ENTRY_ROLES)?;
    let Some((name, bytes)) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
        return Err(AppError::BadRequest(
            "kies een bestand (.csv, .xlsx of .jsonl) om te uploaden".into(),
        ));
    };
    let input = intake::parse_upload(&name, &bytes);
    let outcome = intake::ingest(
        &state,
        vec![input],
        skip_invalid,
        format!("web:{}", user.user.name),
    )
    .await?;
    let mut page = EntryPage::new(&state, lang, &user, EntryForm::empty());
    let mut outcome = outcome;
    outcome.problems = outcome
        .problems
        .iter()
        .map(|p| intake::localise(p, lang))
        .collect();
    page.upload = Some(outcome);
    page.upload_name = name;
    Ok(page)
}
