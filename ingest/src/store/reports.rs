//! The report archive (schema v5): each generated trend report with all its files. The store
//! keeps what it is given; which audience may fetch which report is the server's check, made
//! from the `audience` and `region` recorded here.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::Result;

/// A report about to be archived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub period: String,
    /// `landelijk` or `programmaleider`.
    pub audience: String,
    /// The programme leader's region; `None` for the national version.
    pub region: Option<String>,
    pub programme: Option<String>,
    /// `nl` or `en`.
    pub lang: String,
    pub partial: bool,
    /// UTC, RFC 3339: the same timestamp the report prints.
    pub generated_at: String,
    pub generated_by: String,
}

/// One file of a report.
#[derive(Clone, PartialEq, Eq)]
pub struct ReportFile {
    /// A relative path, e.g. `trendrapport-2026-Q3.pdf` or `grafieken/thema-corona.png`.
    pub name: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

impl std::fmt::Debug for ReportFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportFile")
            .field("name", &self.name)
            .field("media_type", &self.media_type)
            .field("bytes", &self.content.len())
            .finish()
    }
}

/// An archived report: its description and its files' names and sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRecord {
    pub id: i64,
    pub report: NewReport,
    /// (name, media type, size in bytes), by name.
    pub files: Vec<(String, String, u64)>,
}

impl Store {
    /// Archives a report with its files in one transaction; returns its id.
    pub fn add_report(&mut self, report: &NewReport, files: &[ReportFile]) -> Result<i64> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO reports (period, audience, region, programme, lang, partial, generated_at, generated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                report.period,
                report.audience,
                report.region,
                report.programme,
                report.lang,
                report.partial,
                report.generated_at,
                report.generated_by
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT INTO report_files (report_id, name, media_type, content) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for file in files {
                insert.execute(params![id, file.name, file.media_type, file.content])?;
            }
        }
        super::audit::record(
            &tx,
            &report.generated_by,
            super::AuditAction::ReportMade,
            &serde_json::json!({
                "report": id,
                "period": report.period,
                "audience": report.audience,
                "region": report.region,
                "files": files.len(),
            }),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The archived reports of one audience (`region` for a programme leader's), newest period
    /// first, then newest first.
    pub fn reports(&self, audience: &str, region: Option<&str>) -> Result<Vec<ReportRecord>> {
        let mut statement = self.conn.prepare(
            "SELECT id, period, audience, region, programme, lang, partial, generated_at, generated_by
             FROM reports WHERE audience = ?1 AND region IS ?2
             ORDER BY period DESC, id DESC",
        )?;
        let rows = statement.query_map(params![audience, region], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                NewReport {
                    period: r.get(1)?,
                    audience: r.get(2)?,
                    region: r.get(3)?,
                    programme: r.get(4)?,
                    lang: r.get(5)?,
                    partial: r.get(6)?,
                    generated_at: r.get(7)?,
                    generated_by: r.get(8)?,
                },
            ))
        })?;
        let reports: Vec<(i64, NewReport)> = rows.collect::<rusqlite::Result<_>>()?;
        let mut files = self.conn.prepare(
            "SELECT name, media_type, length(content) FROM report_files WHERE report_id = ?1 ORDER BY name",
        )?;
        reports
            .into_iter()
            .map(|(id, report)| {
                let names = files
                    .query_map([id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(ReportRecord {
                    id,
                    report,
                    files: names,
                })
            })
            .collect()
    }

    /// One archived report's description, if it exists.
    pub fn report(&self, id: i64) -> Result<Option<NewReport>> {
        Ok(self
            .conn
            .query_row(
                "SELECT period, audience, region, programme, lang, partial, generated_at, generated_by
                 FROM reports WHERE id = ?1",
                [id],
                |r| {
                    Ok(NewReport {
                        period: r.get(0)?,
                        audience: r.get(1)?,
                        region: r.get(2)?,
                        programme: r.get(3)?,
                        lang: r.get(4)?,
                        partial: r.get(5)?,
                        generated_at: r.get(6)?,
                        generated_by: r.get(7)?,
                    })
                },
            )
            .optional()?)
    }

    /// One file of an archived report.
    pub fn report_file(&self, id: i64, name: &str) -> Result<Option<ReportFile>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, media_type, content FROM report_files WHERE report_id = ?1 AND name = ?2",
                params![id, name],
                |r| {
                    Ok(ReportFile {
                        name: r.get(0)?,
                        media_type: r.get(1)?,
                        content: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// The periods that have a complete (not partial) report over all programmes, in any
    /// language, for one audience (`region` for a programme leader's).
    pub fn report_periods(&self, audience: &str, region: Option<&str>) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare(
            "SELECT DISTINCT period FROM reports
             WHERE audience = ?1 AND region IS ?2 AND programme IS NULL AND partial = 0
             ORDER BY period",
        )?;
        let rows = statement.query_map(params![audience, region], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The date of the first session (YYYY-MM-DD), if there is any.
    pub fn first_session_date(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT min(date) FROM sessions", [], |r| r.get(0))?)
    }

    /// The date of the newest session on or before `through` (YYYY-MM-DD): what a report's data
    /// runs up to.
    pub fn latest_session_date(&self, through: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row(
            "SELECT max(date) FROM sessions WHERE date <= ?1",
            [through],
            |r| r.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(audience: &str, region: Option<&str>, period: &str) -> NewReport {
        NewReport {
            period: period.into(),
            audience: audience.into(),
            region: region.map(Into::into),
            programme: None,
            lang: "nl".into(),
            partial: false,
            generated_at: "2026-10-01T03:00:00Z".into(),
            generated_by: "planner".into(),
        }
    }

    #[test]
    fn reports_are_archived_with_their_files_and_listed_per_audience() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let file = ReportFile {
            name: "grafieken/a.png".into(),
            media_type: "image/png".into(),
            content: vec![1, 2, 3],
        };
        let national = store
            .add_report(
                &report("landelijk", None, "2026-Q3"),
                std::slice::from_ref(&file),
            )
            .unwrap();
        store
            .add_report(
                &report("programmaleider", Some("Twente Zuid"), "2026-Q3"),
                &[],
            )
            .unwrap();
        store
            .add_report(&report("landelijk", None, "2026-Q2"), &[])
            .unwrap();

        let listed = store.reports("landelijk", None).unwrap();
        assert_eq!(
            listed
                .iter()
                .map(|r| r.report.period.as_str())
                .collect::<Vec<_>>(),
            ["2026-Q3", "2026-Q2"]
        );
        assert_eq!(
            listed[0].files,
            [("grafieken/a.png".into(), "image/png".into(), 3)]
        );
        assert_eq!(
            store
                .reports("programmaleider", Some("Twente Zuid"))
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .reports("programmaleider", Some("Achterhoek"))
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store.report_file(national, "grafieken/a.png").unwrap(),
            Some(file)
        );
        assert_eq!(store.report_file(national, "other").unwrap(), None);
        assert_eq!(
            store.report_periods("landelijk", None).unwrap(),
            ["2026-Q2", "2026-Q3"]
        );
        assert_eq!(
            store
                .report_periods("programmaleider", Some("Twente Zuid"))
                .unwrap(),
            ["2026-Q3"]
        );
        // A partial report or one of a single programme does not count as the period's report.
        let mut partial = report("programmaleider", Some("Achterhoek"), "2026-Q3");
        partial.partial = true;
        store.add_report(&partial, &[]).unwrap();
        let mut programme = report("landelijk", None, "2026-Q1");
        programme.programme = Some("Samen Opleiden".into());
        store.add_report(&programme, &[]).unwrap();
        assert!(
            store
                .report_periods("programmaleider", Some("Achterhoek"))
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store.report_periods("landelijk", None).unwrap(),
            ["2026-Q2", "2026-Q3"]
        );
        assert_eq!(store.report(national).unwrap().unwrap().period, "2026-Q3");
        // A leader's version without a region is refused by the schema.
        assert!(
            store
                .add_report(&report("programmaleider", None, "2026-Q3"), &[])
                .is_err()
        );
    }
}
