//! The store: a directory holding the SQLite database that is the system of record. Only
//! anonymised text reaches it — [`Store::write_batch`] takes [`CleanSession`]s, whose text type
//! only the anonymiser can make. A batch is written in one transaction: whole or not at all.

mod export_rows;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension, ToSql, params};
use rusqlite_migration::{M, Migrations};

pub use export_rows::ExportRow;

use crate::error::{Error, Result};
use crate::record::{CleanSession, Session, StoredItem};

/// Rows inserted per SQL statement (at most 12 parameters each: well below SQLite's limit).
const ROWS_PER_STATEMENT: usize = 100;

/// The database file inside the store directory.
pub const DATABASE_FILE: &str = "signaalradar.sqlite3";

/// The default store directory, relative to the working directory.
pub const DEFAULT_DIR: &str = "data/store";

/// Schema migrations, in order. Append; never edit a released one.
static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(vec![M::up(include_str!("schema.sql"))]));

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    dir: PathBuf,
}

/// What a batch brings, besides its sessions.
#[derive(Debug, Clone, Default)]
pub struct BatchMeta {
    pub sources: Vec<String>,
    pub actor: String,
    pub rejected: usize,
    /// Counts per kind of redaction (never the values), as JSON.
    pub redactions: serde_json::Value,
}

/// What writing a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct WriteOutcome {
    pub batch_id: i64,
    pub sessions_added: usize,
    pub sessions_already_stored: usize,
    pub items_added: usize,
    pub items_already_stored: usize,
}

/// Totals of what the store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct StoreCounts {
    pub sessions: usize,
    pub items: usize,
    pub batches: usize,
}

impl Store {
    /// Opens (creating if needed) the store in `dir` and brings its schema up to date.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_owned(),
            source,
        })?;
        let mut conn = Connection::open(dir.join(DATABASE_FILE))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted pages are zeroed, so nothing removed lingers in the file.
        conn.pragma_update(None, "secure_delete", "ON")?;
        // 64 MiB of page cache: a year of sessions fits, so a batch never thrashes.
        conn.pragma_update(None, "cache_size", -65536)?;
        MIGRATIONS.to_latest(&mut conn)?;
        Ok(Store {
            conn,
            dir: dir.to_owned(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes a batch in one transaction. Sessions and items already stored (same content id)
    /// are counted, not written again.
    pub fn write_batch(
        &mut self,
        sessions: &[CleanSession],
        meta: &BatchMeta,
    ) -> Result<WriteOutcome> {
        let started = std::time::Instant::now();
        let tx = self.conn.transaction()?;
        let now = now();
        tx.execute(
            "INSERT INTO batches (ingested_at, sources, sessions_added, items_added, rejected, redactions)
             VALUES (?1, ?2, 0, 0, ?3, ?4)",
            params![
                now,
                serde_json::to_string(&meta.sources).unwrap_or_default(),
                meta.rejected as i64,
                meta.redactions.to_string(),
            ],
        )?;
        let batch_id = tx.last_insert_rowid();
        let mut outcome = WriteOutcome {
            batch_id,
            ..WriteOutcome::default()
        };
        // Rows go in sorted by their (random-looking) content ids, so SQLite appends to its
        // B-trees instead of splitting pages all over them, and many rows per statement, since
        // per-statement overhead dominates otherwise.
        let mut order: Vec<&Session> = sessions.iter().map(|c| &c.session).collect();
        order.sort_by(|a, b| a.id.cmp(&b.id));
        let dates: Vec<String> = order
            .iter()
            .map(|s| s.date.format("%Y-%m-%d").to_string())
            .collect();
        let modes: Vec<Option<&str>> = order.iter().map(|s| s.mode.map(|m| m.as_str())).collect();
        let ids: Vec<&str> = order.iter().map(|s| s.id.as_str()).collect();
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(order.len() * 12);
        for (i, s) in order.iter().enumerate() {
            values.extend([
                &ids[i] as &dyn ToSql,
                &dates[i],
                &s.programme,
                &s.group,
                &modes[i],
                &s.moderated,
                &s.participants,
                &s.cases_submitted,
                &s.cases_discussed,
                &s.score,
                &s.next_meeting_planned,
                &batch_id,
            ]);
        }
        outcome.sessions_added = insert_rows(
            &tx,
            "sessions (id, date, programme, group_id, mode, moderated, participants, cases_submitted, cases_discussed, score, next_meeting_planned, batch_id)",
            12,
            &values,
        )?;
        outcome.sessions_already_stored = order.len() - outcome.sessions_added;
        let mut pairs: Vec<&dyn ToSql> = Vec::new();
        for (i, s) in order.iter().enumerate() {
            for region in &s.regions_present {
                pairs.extend([&ids[i] as &dyn ToSql, region]);
            }
        }
        insert_rows(&tx, "session_regions (session_id, region)", 2, &pairs)?;
        pairs.clear();
        for (i, s) in order.iter().enumerate() {
            for tag in &s.evaluation_tags {
                pairs.extend([&ids[i] as &dyn ToSql, tag]);
            }
        }
        insert_rows(&tx, "session_tags (session_id, tag)", 2, &pairs)?;
        tracing::debug!(
            sessions_ms = started.elapsed().as_millis() as u64,
            "sessions written"
        );

        // Items keep their position within their session in this batch.
        let mut items: Vec<(&StoredItem, i64)> = sessions
            .iter()
            .flat_map(|c| c.items.iter().enumerate().map(|(i, item)| (item, i as i64)))
            .collect();
        items.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        let columns: Vec<[Option<&str>; 5]> = items
            .iter()
            .map(|(item, _)| {
                [
                    Some(item.id.as_str()),
                    Some(item.session_id.as_str()),
                    Some(item.kind.as_str()),
                    Some(item.text.as_str()),
                    item.escalate.map(|e| e.as_str()),
                ]
            })
            .collect();
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(items.len() * 8);
        for ((item, ordinal), [id, session, kind, text, escalate]) in items.iter().zip(&columns) {
            values.extend([
                id as &dyn ToSql,
                session,
                ordinal,
                kind,
                &item.region,
                text,
                escalate,
                &batch_id,
            ]);
        }
        outcome.items_added = insert_rows(
            &tx,
            "items (id, session_id, ordinal, kind, region, text, escalate, batch_id)",
            8,
            &values,
        )?;
        outcome.items_already_stored = items.len() - outcome.items_added;
        // Manual tags are merged: an item given again with other tags keeps both.
        let mut tags: Vec<&dyn ToSql> = Vec::new();
        for ((item, _), [id, ..]) in items.iter().zip(&columns) {
            for theme in &item.themes {
                tags.extend([id as &dyn ToSql, theme]);
            }
        }
        insert_rows(&tx, "item_tags (item_id, theme)", 2, &tags)?;
        tracing::debug!(
            rows_ms = started.elapsed().as_millis() as u64,
            "batch rows written"
        );
        tx.execute(
            "UPDATE batches SET sessions_added = ?1, items_added = ?2 WHERE id = ?3",
            params![
                outcome.sessions_added as i64,
                outcome.items_added as i64,
                batch_id
            ],
        )?;
        let detail = serde_json::json!({
            "batch": batch_id,
            "sources": meta.sources,
            "sessions_added": outcome.sessions_added,
            "items_added": outcome.items_added,
            "rejected": meta.rejected,
        });
        tx.execute(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, 'ingest', ?3)",
            params![now, meta.actor, detail.to_string()],
        )?;
        let written = std::time::Instant::now();
        tx.commit()?;
        tracing::debug!(
            commit_ms = written.elapsed().as_millis() as u64,
            "batch committed"
        );
        Ok(outcome)
    }

    pub fn counts(&self) -> Result<StoreCounts> {
        let count = |table: &str| -> Result<usize> {
            let n: i64 =
                self.conn
                    .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?;
            Ok(usize::try_from(n).unwrap_or(0))
        };
        Ok(StoreCounts {
            sessions: count("sessions")?,
            items: count("items")?,
            batches: count("batches")?,
        })
    }

    /// The schema version the store is at.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }
}

/// Inserts rows given as a flat list of values, `columns` per row, many rows per statement
/// (one cached statement per row count); returns how many rows were new.
fn insert_rows(
    tx: &rusqlite::Transaction<'_>,
    into: &str,
    columns: usize,
    values: &[&dyn ToSql],
) -> Result<usize> {
    let row = format!("({})", vec!["?"; columns].join(", "));
    let mut added = 0;
    for chunk in values.chunks(ROWS_PER_STATEMENT * columns) {
        let rows = vec![row.as_str(); chunk.len() / columns].join(", ");
        let mut statement =
            tx.prepare_cached(&format!("INSERT OR IGNORE INTO {into} VALUES {rows}"))?;
        added += statement.execute(chunk)?;
    }
    Ok(added)
}

/// UTC timestamp for records, RFC 3339 to the second.
fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    #[test]
    fn opens_an_empty_store_at_the_latest_schema() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), 1);
        assert_eq!(store.counts().unwrap(), StoreCounts::default());
        drop(store);
        // Re-opening is a no-op.
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), 1);
    }
}
