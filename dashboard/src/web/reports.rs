//! Reports on the server: made on request from the *Rapporten* page, or by the planner when a
//! period closes, and kept in the store's archive. The store is held only to read what a report
//! needs and to archive it; rendering (the slow part) runs without it.

use analysis::trends::view::Audience;
use chrono::NaiveDate;

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

    /// Makes the national report of every closed period that has none yet: the latest closed
    /// period on `today`, and after a downtime the ones missed since the newest archived
    /// report (at most [`CATCH_UP_PERIODS`]). Returns the periods made.
    pub async fn catch_up_reports(&self, today: NaiveDate) -> Result<Vec<String>, AppError> {
        let config = self.config();
        let last = report::last_closed(config, today);
        let have = self
            .with_store(|store| store.national_report_periods())
            .await?;
        let mut wanted = Vec::new();
        let mut period = last;
        while wanted.len() < CATCH_UP_PERIODS {
            let label = period.label();
            if have.contains(&label) {
                break;
            }
            wanted.push(label);
            // Without any archived report, only the latest closed period is made.
            if have.is_empty() {
                break;
            }
            period = config
                .trend
                .period
                .of(period.start() - chrono::Days::new(1));
        }
        wanted.reverse();
        let mut made = Vec::new();
        for label in wanted {
            let request = Request {
                period: label.clone(),
                programme: None,
                audience: Audience::national(config.disclosure.k),
                lang: Lang::Nl,
                today,
                generated_at: chrono::Utc::now(),
            };
            match self.make_report(request, PLANNER.into()).await {
                Ok(id) => {
                    tracing::info!(period = %label, id, "scheduled report made");
                    made.push(label);
                }
                // A period before the first session has nothing to report; later ones may.
                Err(AppError::BadRequest(message)) => {
                    tracing::info!(period = %label, %message, "no scheduled report");
                }
                Err(e) => return Err(e),
            }
        }
        Ok(made)
    }
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
