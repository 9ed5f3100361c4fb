//! Reading the store back as flat rows: one per item with its session's fields, for export and
//! for the analysis crates.

use rusqlite::Row;

use super::Store;
use crate::error::Result;

/// One item with its session's fields, as stored (text anonymised).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExportRow {
    pub item_id: String,
    pub session_id: String,
    pub date: String,
    pub programme: String,
    pub group: String,
    pub mode: Option<String>,
    pub moderated: Option<bool>,
    pub participants: Option<i64>,
    /// Canonical region names joined by `|`.
    pub regions_present: String,
    pub cases_submitted: Option<i64>,
    pub cases_discussed: Option<i64>,
    /// Evaluation tags joined by `|`.
    pub evaluation_tags: String,
    pub score: Option<i64>,
    pub next_meeting_planned: Option<bool>,
    pub kind: String,
    pub region: String,
    pub text: String,
    /// Manual theme tags joined by `|`.
    pub themes: String,
    pub escalate: Option<String>,
}

const QUERY: &str = "
SELECT i.id, s.id, s.date, s.programme, s.group_id, s.mode, s.moderated, s.participants,
       (SELECT group_concat(region, '|') FROM (SELECT region FROM session_regions WHERE session_id = s.id ORDER BY region)),
       s.cases_submitted, s.cases_discussed,
       (SELECT group_concat(tag, '|') FROM (SELECT tag FROM session_tags WHERE session_id = s.id ORDER BY tag)),
       s.score, s.next_meeting_planned, i.kind, i.region, i.text,
       (SELECT group_concat(theme, '|') FROM (SELECT theme FROM item_tags WHERE item_id = i.id ORDER BY theme)),
       i.escalate
FROM items i JOIN sessions s ON s.id = i.session_id
ORDER BY s.date, s.programme, s.group_id, i.batch_id, i.ordinal";

impl ExportRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<ExportRow> {
        Ok(ExportRow {
            item_id: row.get(0)?,
            session_id: row.get(1)?,
            date: row.get(2)?,
            programme: row.get(3)?,
            group: row.get(4)?,
            mode: row.get(5)?,
            moderated: row.get(6)?,
            participants: row.get(7)?,
            regions_present: row.get::<_, Option<String>>(8)?.unwrap_or_default(),
            cases_submitted: row.get(9)?,
            cases_discussed: row.get(10)?,
            evaluation_tags: row.get::<_, Option<String>>(11)?.unwrap_or_default(),
            score: row.get(12)?,
            next_meeting_planned: row.get(13)?,
            kind: row.get(14)?,
            region: row.get(15)?,
            text: row.get(16)?,
            themes: row.get::<_, Option<String>>(17)?.unwrap_or_default(),
            escalate: row.get(18)?,
        })
    }
}

impl Store {
    /// Calls `f` for every stored item in date order, without loading them all at once.
    pub fn for_each_row(&self, mut f: impl FnMut(ExportRow) -> Result<()>) -> Result<()> {
        let mut statement = self.conn.prepare(QUERY)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            f(ExportRow::from_row(row)?)?;
        }
        Ok(())
    }
}
