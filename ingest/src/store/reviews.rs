//! The review loop's table (schema v8): themes a person confirmed or corrected. A review
//! replaces the item's themes at once and stays authoritative through reclassifications
//! (the index reads it with every item, [`super::IndexRow::review`]); reviewed items are
//! training examples for the theme model. The audit log records who reviewed which item and
//! the themes chosen, never the text.

use rusqlite::{OptionalExtension, params};

use super::classification::{ItemTheme, ThemeSource};
use super::{AuditAction, Store, now};
use crate::error::{Error, Result};

/// An item waiting for review, with the themes it has now and why.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueItem {
    pub item_id: String,
    /// YYYY-MM-DD of its session.
    pub date: String,
    pub programme: String,
    pub kind: String,
    pub region: String,
    pub text: String,
    pub themes: Vec<ItemTheme>,
}

/// A person's verdict on an item's themes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub item_id: String,
    /// Sorted theme ids; empty for "other" (none of the themes).
    pub themes: Vec<String>,
    pub reviewer: String,
    pub reviewed_at: String,
}

/// A reviewed item's text, for training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedText {
    pub item_id: String,
    pub session_id: String,
    pub text: String,
    pub themes: Vec<String>,
}

/// Whether an item with `themes` waits for review: the classification gave it no theme, or a
/// theme only the model gave (no query or person backs it).
pub(super) fn doubtful(themes: &[ItemTheme]) -> bool {
    themes.is_empty() || themes.iter().any(|t| t.source == ThemeSource::Model)
}

/// Queues `item` (unless someone reviewed it), with its session's date.
pub(super) const ENQUEUE: &str = "
INSERT OR REPLACE INTO review_queue (item_id, date)
SELECT i.id, s.date FROM items i JOIN sessions s ON s.id = i.session_id
WHERE i.id = ?1 AND NOT EXISTS (SELECT 1 FROM item_reviews r WHERE r.item_id = i.id)";

pub(super) fn split_themes(joined: &str) -> Vec<String> {
    joined
        .split('|')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Store {
    /// The review queue, newest session first: at most `limit` items after skipping `offset`.
    pub fn review_queue(&self, limit: usize, offset: usize) -> Result<Vec<QueueItem>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT i.id, q.date, s.programme, i.kind, i.region, i.text
             FROM review_queue q JOIN items i ON i.id = q.item_id
                                 JOIN sessions s ON s.id = i.session_id
             ORDER BY q.date DESC, q.item_id LIMIT ?1 OFFSET ?2",
        )?;
        let mut items: Vec<QueueItem> = statement
            .query_map(params![limit as i64, offset as i64], |r| {
                Ok(QueueItem {
                    item_id: r.get(0)?,
                    date: r.get(1)?,
                    programme: r.get(2)?,
                    kind: r.get(3)?,
                    region: r.get(4)?,
                    text: r.get(5)?,
                    themes: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        for item in &mut items {
            item.themes = self.item_themes(&item.item_id)?;
        }
        Ok(items)
    }

    /// One page of the review queue, how many items wait and how many were reviewed: what the
    /// review page and its API show.
    pub fn review_page(
        &self,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<QueueItem>, usize, usize)> {
        Ok((
            self.review_queue(limit, offset)?,
            self.review_queue_len()?,
            self.review_count()?,
        ))
    }

    /// How many items wait for review.
    pub fn review_queue_len(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM review_queue", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// An item's themes in the stored classification, by theme id.
    pub fn item_themes(&self, item_id: &str) -> Result<Vec<ItemTheme>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT theme, source, probability FROM item_themes WHERE item_id = ?1 ORDER BY theme",
        )?;
        let rows = statement.query_map([item_id], |r| {
            let source: String = r.get(1)?;
            Ok(ItemTheme {
                theme: r.get(0)?,
                source: match source.as_str() {
                    "tag" => ThemeSource::Tag,
                    "both" => ThemeSource::Both,
                    "model" => ThemeSource::Model,
                    _ => ThemeSource::Query,
                },
                probability: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// An item's text, if there is such an item.
    pub fn item_text(&self, item_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT text FROM items WHERE id = ?1", [item_id], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Records `actor`'s review of an item: `themes` (with why, as the classifier agreed) become
    /// its themes at once, the review is kept for every later reclassification and for training,
    /// and the audit log gets the item id and the themes, in one transaction.
    pub fn record_review(
        &mut self,
        item_id: &str,
        themes: &[ItemTheme],
        reviewer: &str,
        actor: &str,
    ) -> Result<Review> {
        let tx = self.conn.transaction()?;
        let exists: Option<i64> = tx
            .query_row("SELECT 1 FROM items WHERE id = ?1", [item_id], |r| r.get(0))
            .optional()?;
        if exists.is_none() {
            return Err(Error::Conflict(format!(
                "there is no item {:?}; reload the review page",
                crate::error::cut(item_id, 80)
            )));
        }
        let (taxonomy_version, model_version): (i64, Option<i64>) = tx
            .query_row(
                "SELECT taxonomy_version, model_version FROM classification WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((0, None));
        let mut ids: Vec<String> = themes.iter().map(|t| t.theme.clone()).collect();
        ids.sort();
        ids.dedup();
        let at = now();
        tx.execute(
            "INSERT INTO item_reviews (item_id, themes, reviewer, reviewed_at, taxonomy_version)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (item_id) DO UPDATE SET themes = ?2, reviewer = ?3, reviewed_at = ?4,
                                                 taxonomy_version = ?5",
            params![item_id, ids.join("|"), reviewer, at, taxonomy_version],
        )?;
        tx.execute("DELETE FROM item_themes WHERE item_id = ?1", [item_id])?;
        tx.execute("DELETE FROM review_queue WHERE item_id = ?1", [item_id])?;
        for theme in themes {
            tx.execute(
                "INSERT OR REPLACE INTO item_themes
                     (item_id, theme, source, probability, taxonomy_version, model_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    item_id,
                    theme.theme,
                    theme.source.as_str(),
                    theme.probability,
                    taxonomy_version,
                    model_version
                ],
            )?;
        }
        super::audit::record(
            &tx,
            actor,
            AuditAction::ThemesReviewed,
            &serde_json::json!({ "item": item_id, "themes": ids }),
        )?;
        tx.commit()?;
        Ok(Review {
            item_id: item_id.to_owned(),
            themes: ids,
            reviewer: reviewer.to_owned(),
            reviewed_at: at,
        })
    }

    /// The review of an item, if it has one.
    pub fn review(&self, item_id: &str) -> Result<Option<Review>> {
        Ok(self
            .conn
            .query_row(
                "SELECT item_id, themes, reviewer, reviewed_at FROM item_reviews WHERE item_id = ?1",
                [item_id],
                |r| {
                    let themes: String = r.get(1)?;
                    Ok(Review {
                        item_id: r.get(0)?,
                        themes: split_themes(&themes),
                        reviewer: r.get(2)?,
                        reviewed_at: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// How many items have been reviewed.
    pub fn review_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM item_reviews", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Every reviewed item's text and themes, for training the theme model.
    pub fn reviewed_texts(&self) -> Result<Vec<ReviewedText>> {
        let mut statement = self.conn.prepare(
            "SELECT i.id, i.session_id, i.text, r.themes
             FROM item_reviews r JOIN items i ON i.id = r.item_id ORDER BY i.id",
        )?;
        let rows = statement.query_map([], |r| {
            let themes: String = r.get(3)?;
            Ok(ReviewedText {
                item_id: r.get(0)?,
                session_id: r.get(1)?,
                text: r.get(2)?,
                themes: split_themes(&themes),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Items and items with at least one theme per month of their session, as
    /// `(year * 12 + month0, items, themed)`, oldest first: for coverage.
    pub fn coverage_by_month(&self) -> Result<Vec<(i32, usize, usize)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT CAST(substr(s.date, 1, 4) AS INTEGER) * 12 + CAST(substr(s.date, 6, 2) AS INTEGER) - 1 AS m,
                    COUNT(*),
                    SUM(EXISTS (SELECT 1 FROM item_themes t WHERE t.item_id = i.id))
             FROM items i JOIN sessions s ON s.id = i.session_id
             GROUP BY m ORDER BY m",
        )?;
        let rows = statement.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)? as i32,
                r.get::<_, i64>(1)? as usize,
                r.get::<_, i64>(2)? as usize,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Moves every manual tag and review of theme `from` to theme `into` (when two themes are
    /// merged), in one transaction; an item with both keeps one. Returns the items changed.
    pub fn merge_theme_labels(&mut self, from: &str, into: &str) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut changed = tx.execute(
            "UPDATE OR IGNORE item_tags SET theme = ?2 WHERE theme = ?1",
            params![from, into],
        )?;
        changed += tx.execute("DELETE FROM item_tags WHERE theme = ?1", [from])?;
        let reviews: Vec<(String, String)> = {
            let mut statement = tx.prepare(
                "SELECT item_id, themes FROM item_reviews WHERE '|' || themes || '|' LIKE '%|' || ?1 || '|%'",
            )?;
            let rows = statement.query_map([from], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (item, themes) in &reviews {
            let mut ids: Vec<String> = split_themes(themes)
                .into_iter()
                .map(|t| if t == from { into.to_owned() } else { t })
                .collect();
            ids.sort();
            ids.dedup();
            tx.execute(
                "UPDATE item_reviews SET themes = ?2 WHERE item_id = ?1",
                params![item, ids.join("|")],
            )?;
        }
        tx.commit()?;
        Ok(changed + reviews.len())
    }
}
