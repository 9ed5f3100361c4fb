//! The store: a directory holding the SQLite database that is the system of record. Only
//! anonymised text reaches it — [`Store::write_batch`] takes [`CleanSession`]s, whose text type
//! only the anonymiser can make. A batch is written in one transaction: whole or not at all.

mod accounts;
mod audit;
mod backup;
mod classification;
mod escalations;
mod export_rows;
mod reports;
mod reviews;
mod trend_rows;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension, ToSql, params};
use rusqlite_migration::{M, Migrations};

pub use accounts::{User, UserRole, WebSession};
pub use audit::{AuditAction, AuditEntry};
pub use backup::{DatabaseSummary, restore_database};
pub use classification::{ClassificationState, IndexRow, ItemTheme, ThemeSource};
pub use escalations::{EscalationChange, EscalationRecord};
pub use export_rows::ExportRow;
pub use reports::{NewReport, ReportFile, ReportRecord};
pub use reviews::{QueueItem, Review, ReviewedText};
pub use trend_rows::{MentionRow, SessionRow};

use crate::error::{Error, Result};
use crate::record::{CleanSession, Session, StoredItem};

/// Rows inserted per SQL statement (at most 12 parameters each: well below SQLite's limit).
const ROWS_PER_STATEMENT: usize = 100;

/// The database file inside the store directory.
pub const DATABASE_FILE: &str = "signaalradar.sqlite3";

/// The default store directory, relative to the working directory.
pub const DEFAULT_DIR: &str = "data/store";

/// Schema migrations, in order. Append; never edit a released one.
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("schema.sql")),
        M::up(include_str!("schema_v2.sql")),
        M::up(include_str!("schema_v3.sql")),
        M::up(include_str!("schema_v4.sql")),
        M::up(include_str!("schema_v5.sql")),
        M::up(include_str!("schema_v6.sql")),
        M::up(include_str!("schema_v7.sql")),
        M::up(include_str!("schema_v8.sql")),
        M::up(include_str!("schema_v9.sql")),
    ])
});

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

    /// The schema version this program brings a store to (its `PRAGMA user_version`).
    pub fn latest_schema_version() -> Result<i64> {
        // Read off an empty in-memory store, so it cannot drift from the migrations.
        let mut conn = Connection::open_in_memory()?;
        MIGRATIONS.to_latest(&mut conn)?;
        Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Starts writing a batch: one transaction, committed by [`BatchWriter::finish`] and rolled
    /// back if the writer is dropped unfinished. Sessions and items already stored (same content
    /// id) are counted, not written again.
    ///
    /// Foreign-key checks are off while the batch is written (they cost a B-tree lookup per
    /// row, a fifth of the write time): the writer itself keeps the references whole, since
    /// every item's session is written by the same batch, and tests check it with
    /// `PRAGMA foreign_key_check`.
    pub fn begin_batch(&mut self, meta: &BatchMeta) -> Result<BatchWriter<'_>> {
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        let mut writer = BatchWriter {
            conn: &mut self.conn,
            open: false,
            batch_id: 0,
            outcome: WriteOutcome::default(),
            started: std::time::Instant::now(),
            now: now(),
        };
        writer.conn.execute_batch("BEGIN IMMEDIATE")?;
        writer.open = true;
        writer.conn.execute(
            "INSERT INTO batches (ingested_at, sources, sessions_added, items_added, rejected, redactions)
             VALUES (?1, ?2, 0, 0, ?3, '{}')",
            params![
                writer.now,
                serde_json::to_string(&meta.sources).unwrap_or_default(),
                meta.rejected as i64,
            ],
        )?;
        writer.batch_id = writer.conn.last_insert_rowid();
        writer.outcome.batch_id = writer.batch_id;
        Ok(writer)
    }

    /// Writes a whole batch in one transaction (see [`Store::begin_batch`]).
    pub fn write_batch(
        &mut self,
        sessions: &[CleanSession],
        meta: &BatchMeta,
    ) -> Result<WriteOutcome> {
        let mut writer = self.begin_batch(meta)?;
        let plain: Vec<&Session> = sessions.iter().map(|c| &c.session).collect();
        writer.write_sessions(&plain)?;
        writer.write_items(sessions)?;
        writer.finish(meta)
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

    /// A number that changes when another connection (another process) has committed to the
    /// database since this one last looked; this connection's own commits leave it alone.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
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

/// A batch being written; see [`Store::begin_batch`].
#[derive(Debug)]
pub struct BatchWriter<'s> {
    conn: &'s mut Connection,
    /// A transaction is open (and must be rolled back if the writer is dropped).
    open: bool,
    batch_id: i64,
    outcome: WriteOutcome,
    started: std::time::Instant,
    now: String,
}

impl BatchWriter<'_> {
    /// Writes the sessions with their regions and evaluation tags.
    pub fn write_sessions(&mut self, sessions: &[&Session]) -> Result<()> {
        // Rows go in sorted by their (random-looking) content ids, so SQLite appends to its
        // B-trees instead of splitting pages all over them, and many rows per statement, since
        // per-statement overhead dominates otherwise.
        let mut order: Vec<&Session> = sessions.to_vec();
        order.sort_by(|a, b| a.id.cmp(&b.id));
        let dates: Vec<String> = order
            .iter()
            .map(|s| s.date.format("%Y-%m-%d").to_string())
            .collect();
        let modes: Vec<Option<&str>> = order.iter().map(|s| s.mode.map(|m| m.as_str())).collect();
        let ids: Vec<&str> = order.iter().map(|s| s.id.as_str()).collect();
        let batch_id = self.batch_id;
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
        let added = insert_rows(
            self.conn,
            "sessions (id, date, programme, group_id, mode, moderated, participants, cases_submitted, cases_discussed, score, next_meeting_planned, batch_id)",
            12,
            &values,
        )?;
        self.outcome.sessions_added += added;
        self.outcome.sessions_already_stored += order.len() - added;
        let mut pairs: Vec<&dyn ToSql> = Vec::new();
        for (i, s) in order.iter().enumerate() {
            for region in &s.regions_present {
                pairs.extend([&ids[i] as &dyn ToSql, region]);
            }
        }
        insert_rows(self.conn, "session_regions (session_id, region)", 2, &pairs)?;
        pairs.clear();
        for (i, s) in order.iter().enumerate() {
            for tag in &s.evaluation_tags {
                pairs.extend([&ids[i] as &dyn ToSql, tag]);
            }
        }
        insert_rows(self.conn, "session_tags (session_id, tag)", 2, &pairs)?;
        tracing::debug!(
            sessions_ms = self.started.elapsed().as_millis() as u64,
            "sessions written"
        );
        Ok(())
    }

    /// Writes the items of `sessions` (whose sessions were written by
    /// [`BatchWriter::write_sessions`] of this batch) with their manual theme tags.
    pub fn write_items(&mut self, sessions: &[CleanSession]) -> Result<()> {
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
        let batch_id = self.batch_id;
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
        let added = insert_rows(
            self.conn,
            "items (id, session_id, ordinal, kind, region, text, escalate, batch_id)",
            8,
            &values,
        )?;
        self.outcome.items_added += added;
        self.outcome.items_already_stored += items.len() - added;
        // Manual tags are merged: an item given again with other tags keeps both.
        let mut tags: Vec<&dyn ToSql> = Vec::new();
        for ((item, _), [id, ..]) in items.iter().zip(&columns) {
            for theme in &item.themes {
                tags.extend([id as &dyn ToSql, theme]);
            }
        }
        insert_rows(self.conn, "item_tags (item_id, theme)", 2, &tags)?;
        tracing::debug!(
            rows_ms = self.started.elapsed().as_millis() as u64,
            "batch rows written"
        );
        Ok(())
    }

    /// Records the batch's counts and redaction summary in `batches` and the audit log, and
    /// commits.
    pub fn finish(mut self, meta: &BatchMeta) -> Result<WriteOutcome> {
        let outcome = self.outcome;
        self.conn.execute(
            "UPDATE batches SET sessions_added = ?1, items_added = ?2, redactions = ?3 WHERE id = ?4",
            params![
                outcome.sessions_added as i64,
                outcome.items_added as i64,
                meta.redactions.to_string(),
                self.batch_id
            ],
        )?;
        let detail = serde_json::json!({
            "batch": self.batch_id,
            "sources": meta.sources,
            "sessions_added": outcome.sessions_added,
            "items_added": outcome.items_added,
            "rejected": meta.rejected,
            "redactions": meta.redactions,
        });
        self.conn.execute(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, 'ingest', ?3)",
            params![self.now, meta.actor, detail.to_string()],
        )?;
        let written = std::time::Instant::now();
        self.conn.execute_batch("COMMIT")?;
        self.open = false;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        tracing::debug!(
            commit_ms = written.elapsed().as_millis() as u64,
            "batch committed"
        );
        Ok(outcome)
    }
}

impl Drop for BatchWriter<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing of an unfinished batch may land; errors here leave the transaction to
            // SQLite, which rolls it back when the connection closes.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        let _ = self.conn.pragma_update(None, "foreign_keys", "ON");
    }
}

/// Inserts rows given as a flat list of values, `columns` per row, many rows per statement
/// (one cached statement per row count); returns how many rows were new.
fn insert_rows(
    conn: &Connection,
    into: &str,
    columns: usize,
    values: &[&dyn ToSql],
) -> Result<usize> {
    let row = format!("({})", vec!["?"; columns].join(", "));
    let mut added = 0;
    for chunk in values.chunks(ROWS_PER_STATEMENT * columns) {
        let rows = vec![row.as_str(); chunk.len() / columns].join(", ");
        let mut statement =
            conn.prepare_cached(&format!("INSERT OR IGNORE INTO {into} VALUES {rows}"))?;
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
        assert_eq!(store.schema_version().unwrap(), 9);
        assert_eq!(store.counts().unwrap(), StoreCounts::default());
        drop(store);
        // Re-opening is a no-op.
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), 9);
    }
}
