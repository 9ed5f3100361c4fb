//! The store: a directory holding the SQLite database that is the system of record. Only
//! anonymised text reaches it — [`Store::write_batch`] takes [`CleanSession`]s, whose text type
//! only the anonymiser can make. A batch is written in one transaction: whole or not at all.

mod export_rows;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension, params};
use rusqlite_migration::{M, Migrations};

pub use export_rows::ExportRow;

use crate::error::{Error, Result};
use crate::record::{CleanSession, Session};

/// Items inserted per SQL statement (8 parameters each, well below SQLite's limit).
const ITEMS_PER_STATEMENT: usize = 100;

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

    /// The SQLite connection, for the analysis crates that read the store.
    pub fn connection(&self) -> &Connection {
        &self.conn
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
        {
            let mut insert_session = tx.prepare_cached(
                "INSERT OR IGNORE INTO sessions (id, date, programme, group_id, mode, moderated, participants,
                     cases_submitted, cases_discussed, score, next_meeting_planned, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            // Rows go in sorted by their (random-looking) content ids, so SQLite appends to its
            // B-trees instead of splitting pages all over them: several times faster.
            let mut order: Vec<&CleanSession> = sessions.iter().collect();
            order.sort_by(|a, b| a.session.id.cmp(&b.session.id));
            let mut items = Vec::with_capacity(sessions.iter().map(|s| s.items.len()).sum());
            for clean in order {
                let s: &Session = &clean.session;
                let added = insert_session.execute(params![
                    s.id.as_str(),
                    s.date.format("%Y-%m-%d").to_string(),
                    s.programme,
                    s.group,
                    s.mode.map(|m| m.as_str()),
                    s.moderated,
                    s.participants,
                    s.cases_submitted,
                    s.cases_discussed,
                    s.score,
                    s.next_meeting_planned,
                    batch_id,
                ])?;
                if added == 1 {
                    outcome.sessions_added += 1;
                } else {
                    outcome.sessions_already_stored += 1;
                }
                insert_pairs(
                    &tx,
                    "session_regions (session_id, region)",
                    s.id.as_str(),
                    &s.regions_present,
                )?;
                insert_pairs(
                    &tx,
                    "session_tags (session_id, tag)",
                    s.id.as_str(),
                    &s.evaluation_tags,
                )?;
                items.extend(
                    clean
                        .items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| (item, i as i64)),
                );
            }
            tracing::debug!(
                sessions_ms = started.elapsed().as_millis() as u64,
                "sessions written"
            );
            items.sort_by(|a, b| a.0.id.cmp(&b.0.id));
            // Many rows per statement: per-statement overhead, not the B-tree, dominates here.
            for chunk in items.chunks(ITEMS_PER_STATEMENT) {
                let placeholders = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
                let mut insert_items = tx.prepare_cached(&format!(
                    "INSERT OR IGNORE INTO items (id, session_id, ordinal, kind, region, text, escalate, batch_id) VALUES {placeholders}"
                ))?;
                let columns: Vec<[Option<&str>; 5]> = chunk
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
                let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 8);
                for ((item, ordinal), [id, session, kind, text, escalate]) in
                    chunk.iter().zip(&columns)
                {
                    values.extend([
                        id as &dyn rusqlite::ToSql,
                        session,
                        ordinal,
                        kind,
                        &item.region,
                        text,
                        escalate,
                        &batch_id,
                    ]);
                }
                let added = insert_items.execute(values.as_slice())?;
                outcome.items_added += added;
                outcome.items_already_stored += chunk.len() - added;
                // Manual tags are merged: an item given again with other tags keeps both.
                for (item, _) in chunk {
                    insert_pairs(
                        &tx,
                        "item_tags (item_id, theme)",
                        item.id.as_str(),
                        &item.themes,
                    )?;
                }
            }
        }
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

/// Inserts `(key, value)` rows for every value in one statement (one per list length, cached):
/// a session's regions or tags.
fn insert_pairs(
    tx: &rusqlite::Transaction<'_>,
    table: &str,
    key: &str,
    values: &[String],
) -> Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    let placeholders = vec!["(?, ?)"; values.len()].join(", ");
    let mut statement = tx.prepare_cached(&format!(
        "INSERT OR IGNORE INTO {table} VALUES {placeholders}"
    ))?;
    let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(values.len() * 2);
    for value in values {
        params.push(&key);
        params.push(value);
    }
    statement.execute(params.as_slice())?;
    Ok(())
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
