//! The classification tables (schema v2) and the rows the index is built from. The analysis
//! crate decides the themes; the store only keeps them.

use rusqlite::{OptionalExtension, params};

use super::{Store, now};
use crate::error::Result;

/// An item as the index needs it: its fields, its session's date and programme, manual tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    pub item_id: String,
    pub session_id: String,
    /// YYYY-MM-DD
    pub date: String,
    pub programme: String,
    pub kind: String,
    pub region: String,
    pub text: String,
    pub tags: Vec<String>,
    /// The themes a person gave in the review loop (empty: none of them), which decide the
    /// item's themes instead of the classifier; `None` when nobody reviewed it.
    pub review: Option<Vec<String>>,
    pub batch_id: i64,
}

/// How an item got a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeSource {
    /// A person tagged it.
    Tag,
    /// One of the theme's taxonomy queries matched (and the model, if it decides, agreed).
    Query,
    /// The learned model gave it without a query match.
    Model,
    /// A person tagged it and the classifier gave it too.
    Both,
}

impl ThemeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeSource::Tag => "tag",
            ThemeSource::Query => "query",
            ThemeSource::Model => "model",
            ThemeSource::Both => "both",
        }
    }
}

/// One theme of an item and why it was given.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemTheme {
    pub theme: String,
    pub source: ThemeSource,
    /// The model's probability, when the model decided.
    pub probability: Option<f64>,
}

/// The taxonomy (and model) a store's classification was made with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassificationState {
    pub taxonomy_version: u32,
    /// Of the taxonomy file, and of the model file when there is one.
    pub fingerprint: String,
    pub model_version: Option<u32>,
}

const COLUMNS: &str = "
SELECT i.id, i.session_id, s.date, s.programme, i.kind, i.region, i.text,
       (SELECT group_concat(theme, '|') FROM item_tags WHERE item_id = i.id),
       i.batch_id,
       (SELECT themes FROM item_reviews WHERE item_id = i.id)
FROM items i JOIN sessions s ON s.id = i.session_id";

fn index_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<IndexRow> {
    let tags: Option<String> = row.get(7)?;
    Ok(IndexRow {
        item_id: row.get(0)?,
        session_id: row.get(1)?,
        date: row.get(2)?,
        programme: row.get(3)?,
        kind: row.get(4)?,
        region: row.get(5)?,
        text: row.get(6)?,
        tags: tags
            .map(|t| t.split('|').map(str::to_owned).collect())
            .unwrap_or_default(),
        batch_id: row.get(8)?,
        review: row
            .get::<_, Option<String>>(9)?
            .map(|t| super::reviews::split_themes(&t)),
    })
}

impl Store {
    /// The newest batch's id (0 for an empty store).
    pub fn last_batch_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM batches", [], |r| r.get(0))?)
    }

    /// Calls `f` for every item of the batches after `after_batch` (0: all items).
    pub fn for_each_index_row(
        &self,
        after_batch: i64,
        mut f: impl FnMut(IndexRow) -> Result<()>,
    ) -> Result<()> {
        let mut statement = self
            .conn
            .prepare(&format!("{COLUMNS} WHERE i.batch_id > ?1"))?;
        let mut rows = statement.query([after_batch])?;
        while let Some(row) = rows.next()? {
            f(index_row(row)?)?;
        }
        Ok(())
    }

    /// One item as the index needs it.
    pub fn index_row(&self, item_id: &str) -> Result<Option<IndexRow>> {
        let mut statement = self
            .conn
            .prepare_cached(&format!("{COLUMNS} WHERE i.id = ?1"))?;
        let mut rows = statement.query([item_id])?;
        match rows.next()? {
            Some(row) => Ok(Some(index_row(row)?)),
            None => Ok(None),
        }
    }

    /// The taxonomy the stored classification was made with, if any.
    pub fn classification(&self) -> Result<Option<ClassificationState>> {
        Ok(self
            .conn
            .query_row(
                "SELECT taxonomy_version, fingerprint, model_version FROM classification WHERE id = 1",
                [],
                |r| {
                    Ok(ClassificationState {
                        taxonomy_version: r.get(0)?,
                        fingerprint: r.get(1)?,
                        model_version: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Drops the themes of the items of the batches after `after_batch`, in one statement, so
    /// that [`Store::write_themes`] can add theirs without looking each item up first.
    pub fn clear_themes_after(&mut self, after_batch: i64) -> Result<()> {
        self.conn.execute(
            "DELETE FROM item_themes WHERE item_id IN (SELECT id FROM items WHERE batch_id > ?1)",
            [after_batch],
        )?;
        self.conn.execute(
            "DELETE FROM review_queue WHERE item_id IN (SELECT id FROM items WHERE batch_id > ?1)",
            [after_batch],
        )?;
        Ok(())
    }

    /// Records themes in one transaction: `(item id, themes)` per item, made with
    /// `state`'s taxonomy. With `replace_all`, every earlier classification is dropped first
    /// (a new taxonomy); otherwise the items given must have no themes yet (their batches were
    /// cleared with [`Store::clear_themes_after`]) and the rest are kept.
    pub fn write_themes(
        &mut self,
        state: &ClassificationState,
        items: &[(String, Vec<ItemTheme>)],
        replace_all: bool,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        if replace_all {
            tx.execute("DELETE FROM item_themes", [])?;
            tx.execute("DELETE FROM review_queue", [])?;
            super::audit::record(
                &tx,
                "system",
                super::AuditAction::TaxonomyChanged,
                &serde_json::json!({
                    "reclassified": true,
                    "version": state.taxonomy_version,
                    "model_version": state.model_version,
                    "fingerprint": state.fingerprint,
                }),
            )?;
        }
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO item_themes (item_id, theme, source, probability, taxonomy_version, model_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut enqueue = tx.prepare_cached(super::reviews::ENQUEUE)?;
            for (item, themes) in items {
                if super::reviews::doubtful(themes) {
                    enqueue.execute([item])?;
                }
                for theme in themes {
                    insert.execute(params![
                        item,
                        theme.theme,
                        theme.source.as_str(),
                        theme.probability,
                        state.taxonomy_version,
                        state.model_version,
                    ])?;
                }
            }
        }
        tx.execute(
            "INSERT INTO classification (id, taxonomy_version, fingerprint, classified_at, model_version)
             VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET taxonomy_version = ?1, fingerprint = ?2, classified_at = ?3,
                                            model_version = ?4",
            params![state.taxonomy_version, state.fingerprint, now(), state.model_version],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Items and distinct regions per theme in the stored classification.
    pub fn theme_counts(&self) -> Result<Vec<(String, usize, usize)>> {
        let mut statement = self.conn.prepare(
            "SELECT t.theme, COUNT(*), COUNT(DISTINCT i.region)
             FROM item_themes t JOIN items i ON i.id = t.item_id
             GROUP BY t.theme",
        )?;
        let rows = statement.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)? as usize,
                r.get::<_, i64>(2)? as usize,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Store {
    /// Text and region of every item the classification gave no theme, newest first, at most
    /// `limit`; session evaluations (kind `evaluatie`: remarks about the meeting itself, not
    /// signals) are left out.
    pub fn unthemed_items(&self, limit: usize) -> Result<Vec<(String, String)>> {
        let mut statement = self.conn.prepare(
            "SELECT i.text, i.region FROM items i JOIN sessions s ON s.id = i.session_id
             WHERE i.kind != 'evaluatie'
               AND NOT EXISTS (SELECT 1 FROM item_themes t WHERE t.item_id = i.id)
             ORDER BY s.date DESC, i.id LIMIT ?1",
        )?;
        let rows = statement.query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The texts of the newest `limit` items, themed or not (newest session first).
    pub fn recent_texts(&self, limit: usize) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare(
            "SELECT i.text FROM items i JOIN sessions s ON s.id = i.session_id
             ORDER BY s.date DESC, i.id LIMIT ?1",
        )?;
        let rows = statement.query_map([limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many items the classification gave no theme.
    pub fn unthemed_count(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM items i
             WHERE NOT EXISTS (SELECT 1 FROM item_themes t WHERE t.item_id = i.id)",
            [],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }
}
