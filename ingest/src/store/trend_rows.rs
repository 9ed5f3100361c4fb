//! The rows trend analysis loads: sessions with their regions and evaluation tags, and one row
//! per item and theme. No text: trends count, they do not read.

use super::Store;
use crate::error::Result;

/// A session as trend analysis needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionRow {
    pub id: String,
    /// YYYY-MM-DD
    pub date: String,
    pub programme: String,
    /// `fysiek` or `online`, if known.
    pub mode: Option<String>,
    pub moderated: Option<bool>,
    pub cases_submitted: Option<u32>,
    pub cases_discussed: Option<u32>,
    pub score: Option<u8>,
    /// The regions present.
    pub regions: Vec<String>,
    /// Evaluation tags.
    pub tags: Vec<String>,
    pub batch_id: i64,
}

/// One theme of one item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MentionRow {
    pub session_id: String,
    /// The region the item comes from.
    pub region: String,
    /// `casus`, `advies`, `signaal` or `evaluatie`.
    pub kind: String,
    pub theme: String,
    pub batch_id: i64,
}

const SESSIONS: &str = "
SELECT s.id, s.date, s.programme, s.mode, s.moderated, s.cases_submitted,
       s.cases_discussed, s.score,
       (SELECT group_concat(region, '|') FROM session_regions WHERE session_id = s.id),
       (SELECT group_concat(tag, '|') FROM session_tags WHERE session_id = s.id),
       s.batch_id
FROM sessions s WHERE s.batch_id > ?1 AND s.batch_id <= ?2";

// CROSS JOIN keeps this order: items in key order, each item's themes found by key prefix.
// Left to itself SQLite scans the theme index and looks items up at random: twice as slow.
const MENTIONS: &str = "
SELECT i.session_id, i.region, i.kind, t.theme, i.batch_id
FROM items i CROSS JOIN item_themes t ON t.item_id = i.id
WHERE i.batch_id > ?1 AND i.batch_id <= ?2";

fn split(joined: Option<String>) -> Vec<String> {
    joined
        .map(|j| j.split('|').map(str::to_owned).collect())
        .unwrap_or_default()
}

impl Store {
    /// Calls `f` for every session of the batches `after_batch + 1 ..= through_batch`.
    pub fn for_each_session_row(
        &self,
        after_batch: i64,
        through_batch: i64,
        mut f: impl FnMut(SessionRow) -> Result<()>,
    ) -> Result<()> {
        let mut statement = self.conn.prepare(SESSIONS)?;
        let mut rows = statement.query([after_batch, through_batch])?;
        while let Some(row) = rows.next()? {
            f(SessionRow {
                id: row.get(0)?,
                date: row.get(1)?,
                programme: row.get(2)?,
                mode: row.get(3)?,
                moderated: row.get(4)?,
                cases_submitted: row.get(5)?,
                cases_discussed: row.get(6)?,
                score: row.get(7)?,
                regions: split(row.get(8)?),
                tags: split(row.get(9)?),
                batch_id: row.get(10)?,
            })?;
        }
        Ok(())
    }

    /// Calls `f` for every (item, theme) of the batches `after_batch + 1 ..= through_batch`,
    /// as the stored classification has it.
    pub fn for_each_mention_row(
        &self,
        after_batch: i64,
        through_batch: i64,
        mut f: impl FnMut(MentionRow) -> Result<()>,
    ) -> Result<()> {
        let mut statement = self.conn.prepare(MENTIONS)?;
        let mut rows = statement.query([after_batch, through_batch])?;
        while let Some(row) = rows.next()? {
            f(MentionRow {
                session_id: row.get(0)?,
                region: row.get(1)?,
                kind: row.get(2)?,
                theme: row.get(3)?,
                batch_id: row.get(4)?,
            })?;
        }
        Ok(())
    }

    /// Up to `limit` anonymised texts of items with `theme` from sessions dated `from..=to`
    /// (YYYY-MM-DD), newest first, signals before other kinds: `(region, date, kind, text)`.
    pub fn theme_excerpts(
        &self,
        theme: &str,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<(String, String, String, String)>> {
        let mut statement = self.conn.prepare(
            "SELECT i.region, s.date, i.kind, i.text
             FROM item_themes t JOIN items i ON i.id = t.item_id JOIN sessions s ON s.id = i.session_id
             WHERE t.theme = ?1 AND s.date BETWEEN ?2 AND ?3
             ORDER BY i.kind = 'signaal' DESC, s.date DESC, i.id
             LIMIT ?4",
        )?;
        let rows = statement.query_map(rusqlite::params![theme, from, to, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
