//! *Rapporten*: the report archive of the reader's audience (national supporters the national
//! version, a programme leader their region's suppressed version), a form to make one, and the
//! downloads. A report of another audience is "not found", never "forbidden".

use analysis::disclosure::Role;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use ingest::store::{ReportRecord, UserRole};
use serde::Deserialize;

use super::super::AppState;
use super::super::auth::CurrentUser;
use super::super::error::AppError;
use super::super::i18n::Lang;
use super::super::snapshot::audience;
use super::{Page, TREND_ROLES};
use crate::report::{self, Request};

/// Periods offered in the form: the running one and this many before it.
const OFFERED_PERIODS: usize = 8;

#[derive(Debug)]
pub struct ReportRow {
    id: i64,
    period: String,
    lang: String,
    programme: String,
    generated: String,
    by: String,
    partial: bool,
    /// (file name, label, size) of the PDF, HTML, Markdown and XLSX.
    main: Vec<(String, String, String)>,
    /// (file name, size) of the chart images and CSV tables.
    other: Vec<(String, String)>,
}

#[derive(Debug, Template, WebTemplate)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    page: Page,
    national: bool,
    /// What the page is for, with the reader's disclosure threshold.
    intro: String,
    made: bool,
    /// (label, running) for the form.
    periods: Vec<(String, bool)>,
    programmes: Vec<String>,
    rows: Vec<ReportRow>,
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    gemaakt: Option<i64>,
}

/// Which archive a reader sees: (audience, region).
fn archive_of(user: &CurrentUser) -> Result<(&'static str, Option<String>), AppError> {
    let audience = audience(user, user.k)?;
    Ok((report::archive_audience(&audience), audience.region))
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}

fn row(record: ReportRecord, lang: Lang) -> ReportRow {
    let t = lang.texts();
    let mut main = Vec::new();
    let mut other = Vec::new();
    for (name, _, bytes) in record.files {
        let label = match name.rsplit('.').next() {
            _ if name.contains('/') => None,
            Some("pdf") => Some("PDF"),
            Some("html") => Some("HTML"),
            Some("md") => Some("Markdown"),
            Some("xlsx") => Some("XLSX"),
            _ => None,
        };
        match label {
            Some(label) => main.push((name, label.to_owned(), size(bytes))),
            None => other.push((name, size(bytes))),
        }
    }
    let order = |label: &str| {
        ["PDF", "HTML", "XLSX", "Markdown"]
            .iter()
            .position(|l| *l == label)
    };
    main.sort_by_key(|(_, label, _)| order(label));
    let r = record.report;
    ReportRow {
        id: record.id,
        period: r.period,
        lang: r.lang.to_uppercase(),
        programme: r
            .programme
            .unwrap_or_else(|| t.reports_all_programmes.into()),
        generated: r
            .generated_at
            .replace('T', " ")
            .trim_end_matches('Z')
            .to_owned(),
        by: if r.generated_by == super::super::reports::PLANNER {
            t.reports_planner.into()
        } else {
            r.generated_by
        },
        partial: r.partial,
        main,
        other,
    }
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<ReportsPage, AppError> {
    user.require(TREND_ROLES)?;
    let (audience, region) = archive_of(&user)?;
    let records = state
        .with_store(move |store| store.reports(audience, region.as_deref()))
        .await?;
    let config = state.config();
    let current = config.trend.period.of(state.today());
    let mut periods = vec![(current.label(), true)];
    let mut period = current;
    for _ in 0..OFFERED_PERIODS {
        period = period.previous();
        periods.push((period.label(), false));
    }
    let national = user.role() == UserRole::Landelijk;
    let t = lang.texts();
    Ok(ReportsPage {
        page: Page::new(lang, Some(&user), t.reports_title, "/rapporten"),
        national,
        intro: if national {
            t.reports_intro.to_owned()
        } else {
            super::with_k(t.reports_intro_leader, user.k)
        },
        made: query.gemaakt.is_some(),
        periods,
        programmes: if national {
            state.snapshot().programmes.clone()
        } else {
            Vec::new()
        },
        rows: records.into_iter().map(|r| row(r, lang)).collect(),
    })
}

#[derive(Debug, Deserialize)]
pub struct MakeForm {
    csrf: String,
    periode: String,
    taal: String,
    #[serde(default)]
    programma: String,
}

pub async fn make(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<MakeForm>,
) -> Result<Redirect, AppError> {
    user.check_csrf(Some(&form.csrf))?;
    user.require(TREND_ROLES)?;
    let audience = audience(&user, state.config().disclosure.k)?;
    let programme = Some(form.programma.trim().to_owned()).filter(|p| !p.is_empty());
    if programme.is_some() && audience.role != Role::Landelijk {
        return Err(AppError::BadRequest(
            "programme leaders get reports over all programmes".into(),
        ));
    }
    let lang = report::document::Lang::parse(&form.taal).ok_or_else(|| {
        AppError::BadRequest(format!("no language {:?}; use nl or en", form.taal))
    })?;
    let request = Request {
        period: form.periode,
        programme,
        audience,
        lang,
        today: state.today(),
        generated_at: chrono::Utc::now(),
    };
    let id = state.make_report(request, user.user.name.clone()).await?;
    tracing::info!(id, "report made on request");
    Ok(Redirect::to(&format!("/rapporten?gemaakt={id}")))
}

#[derive(Debug, Deserialize)]
pub struct FileQuery {
    naam: String,
}

pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(query): Query<FileQuery>,
) -> Result<Response, AppError> {
    user.require(TREND_ROLES)?;
    let (audience, region) = archive_of(&user)?;
    let not_found = || AppError::NotFound(format!("no report {id} with a file {:?}", query.naam));
    let name = query.naam.clone();
    let actor = format!("web:{}", user.user.name);
    let file = state
        .with_store(move |store| {
            let Some(report) = store.report(id)? else {
                return Ok(None);
            };
            if report.audience != audience || report.region != region {
                return Ok(None);
            }
            let file = store.report_file(id, &name)?;
            if file.is_some() {
                store.audit(
                    &actor,
                    ingest::store::AuditAction::ReportDownloaded,
                    serde_json::json!({"report": id, "file": name}),
                )?;
            }
            Ok(file)
        })
        .await?
        .ok_or_else(not_found)?;
    let file_name = file.name.rsplit('/').next().unwrap_or("rapport").to_owned();
    let disposition = format!("attachment; filename=\"{}\"", file_name.replace('"', ""));
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_str(&file.media_type)
                .unwrap_or(HeaderValue::from_static("application/octet-stream")),
        ),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
        ),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ),
    ];
    Ok((headers, file.content).into_response())
}
