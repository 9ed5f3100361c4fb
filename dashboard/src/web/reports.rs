//! Reports on the server: made on request from the *Rapporten* page, or by the planner when a
//! period closes, and kept in the store's archive. The store is held only to read what a report
//! needs and to archive it; rendering (the slow part) runs without it.

use std::collections::BTreeSet;

use analysis::trends::Period;
use analysis::trends::view::Audience;
use chrono::NaiveDate;
use ingest::store::UserRole;

use super::{AppError, AppState};
use crate::report::{self, Format, Request, Sources, document::Lang};

/// Who the planner's reports are made by, in the archive.
pub const PLANNER: &str = "planner";

/// At most this many missed periods are made in one catch-up (after a long downtime).
const CATCH_UP_PERIODS: usize = 8;

/// How often the planner looks for a closed period without a report.
pub const PLANNER_INTERVAL: std::time::Duration = std::time::Duration::from_secs(3600);

impl AppState {
    /// Makes the report `request` asks for in every format and archives it; returns its id.
    pub async fn make_report(&self, request: Request, by: String) -> Result<i64, AppError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || state.make_report_blocking(&request, &by))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
    }

    fn make_report_blocking(&self, request: &Request, by: &str) -> Result<i64, AppError> {
        let snapshot = self.snapshot();
        let config = self.config();
        let document = {
            let store = self.lock_store()?;
            let sources = Sources {
                store: &store,
                data: &snapshot.data,
                config,
                labels: &snapshot.labels,
                theme_order: &snapshot.theme_order,
                taxonomy_version: snapshot.taxonomy_version,
            };
            report::build(sources, request)?
        };
        let files = report::render(&document, &report::file_stem(request), &Format::ALL)
            .map_err(report::ReportError::from)?;
        let made = report::Made { document, files };
        let mut store = self.lock_store()?;
        Ok(report::archive(&mut store, config, request, &made, by)?)
    }

    /// Makes the report of every closed period that has none yet, for the national level and
    /// for every region with an enabled programme leader account: the latest closed period on
    /// `today`, and after a downtime the ones missed since the audience's newest archived
    /// report (at most [`CATCH_UP_PERIODS`]). Returns what it made, oldest period first per
    /// audience. A report that fails is logged and skipped with the rest of its audience's
    /// periods, to be tried again in the next round; the other audiences still get theirs.
    pub async fn catch_up_reports(&self, today: NaiveDate) -> Result<Vec<Planned>, AppError> {
        let config = self.config();
        let k = config.disclosure.k;
        let last = report::last_closed(config, today);
        let regions = self
            .with_store(|store| {
                Ok(store
                    .users()?
                    .into_iter()
                    .filter(|u| u.role == UserRole::Programmaleider && !u.disabled)
                    .filter_map(|u| u.region)
                    .collect::<BTreeSet<String>>())
            })
            .await?;
        let audiences = std::iter::once(Audience::national(k))
            .chain(regions.iter().map(|region| Audience::leader(region, k)));
        let mut made = Vec::new();
        for audience in audiences {
            let name = report::archive_audience(&audience);
            let region = audience.region.clone();
            let have = self
                .with_store(move |store| store.report_periods(name, region.as_deref()))
                .await?;
            for period in missing(last, &have) {
                let request = Request {
                    period: period.clone(),
                    programme: None,
                    audience: audience.clone(),
                    lang: Lang::Nl,
                    today,
                    generated_at: chrono::Utc::now(),
                };
                let region = audience.region.clone();
                match self.make_report(request, PLANNER.into()).await {
                    Ok(id) => {
                        tracing::info!(%period, audience = name, id, "scheduled report made");
                        made.push(Planned { period, region });
                    }
                    // A period before the first session has nothing to report; later ones may.
                    Err(AppError::BadRequest(message)) => {
                        tracing::info!(%period, audience = name, %message, "no scheduled report");
                    }
                    // One audience's failure does not hold up the others; the next round
                    // tries again.
                    Err(error) => {
                        tracing::warn!(%period, audience = name, %error, "the scheduled report could not be made");
                        break;
                    }
                }
            }
        }
        Ok(made)
    }
}

/// A report the planner made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub period: String,
    /// The region of a programme leader's version; `None` for the national one.
    pub region: Option<String>,
}

/// The closed periods up to `last` that an audience with reports of `have` is missing, oldest
/// first: back to its newest report (at most [`CATCH_UP_PERIODS`]), or only `last` when it has
/// none.
fn missing(last: Period, have: &[String]) -> Vec<String> {
    let mut wanted = Vec::new();
    let mut period = last;
    while wanted.len() < CATCH_UP_PERIODS {
        let label = period.label();
        if have.contains(&label) {
            break;
        }
        wanted.push(label);
        if have.is_empty() {
            break;
        }
        period = period.previous();
    }
    wanted.reverse();
    wanted
}

impl From<report::ReportError> for AppError {
    fn from(error: report::ReportError) -> Self {
        use report::ReportError as E;
        match error {
            E::NotAPeriod(..) | E::Future(..) | E::NoData(..) => {
                AppError::BadRequest(error.to_string())
            }
            E::Analysis(e) => e.into(),
            E::Store(e) => e.into(),
            E::Chart(e) => e.into(),
            E::Render(e) => AppError::Internal(e.to_string()),
        }
    }
}
