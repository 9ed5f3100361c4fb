//! Copies of the database, and putting one back. SQLite's online backup API copies every page
//! in one step, inside one read transaction, so a copy is one moment of the store — each batch
//! whole or absent — even while other connections (a running server, an ingest) keep writing:
//! in WAL mode a reader does not hold them up, nor they it. A restore goes the other way, into the
//! store's own database file, as one write transaction that other connections wait for.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{DATABASE_FILE, Store};
use crate::error::{Error, Result};

/// How long a backup or a restore waits for a lock another connection holds (an ingest's write
/// transaction, for a restore) before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// Tables made from the others (by classifying the items), which a restore rebuilds.
const DERIVED_TABLES: [&str; 2] = ["item_themes", "classification"];

/// What a database holds: for a backup's manifest, checks and messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DatabaseSummary {
    pub schema_version: i64,
    pub sessions: usize,
    pub items: usize,
    pub batches: usize,
    /// The newest batch's id (0: none).
    pub last_batch: i64,
    pub users: usize,
    pub reports: usize,
    /// Rows in all tables together except the derived classification (`item_themes`,
    /// `classification`): 0 for a store that holds nothing.
    pub rows: usize,
}

impl DatabaseSummary {
    /// The summary of the database file at `path`, read without changing it.
    pub fn of_file(path: &Path) -> Result<DatabaseSummary> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(LOCK_WAIT)?;
        DatabaseSummary::of(&conn)
    }

    fn of(conn: &Connection) -> Result<DatabaseSummary> {
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // One read transaction: every count from the same moment.
        conn.execute_batch("BEGIN")?;
        let counted = (|| -> Result<DatabaseSummary> {
            let count = |table: &str| -> Result<usize> {
                if !tables.iter().any(|t| t == table) {
                    return Ok(0);
                }
                let n: i64 =
                    conn.query_row(&format!("SELECT COUNT(*) FROM \"{table}\""), [], |r| {
                        r.get(0)
                    })?;
                Ok(usize::try_from(n).unwrap_or(0))
            };
            let mut rows = 0;
            for table in &tables {
                if !DERIVED_TABLES.contains(&table.as_str()) {
                    rows += count(table)?;
                }
            }
            let last_batch = if tables.iter().any(|t| t == "batches") {
                conn.query_row("SELECT COALESCE(MAX(id), 0) FROM batches", [], |r| r.get(0))?
            } else {
                0
            };
            Ok(DatabaseSummary {
                schema_version: conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
                sessions: count("sessions")?,
                items: count("items")?,
                batches: count("batches")?,
                last_batch,
                users: count("users")?,
                reports: count("reports")?,
                rows,
            })
        })();
        conn.execute_batch("COMMIT")?;
        counted
    }
}

impl Store {
    /// Copies the database, consistently, to `target` (a new file; the folder must exist) while
    /// other connections may go on writing; returns what the copy holds. The copy is one
    /// self-contained file (no write-ahead log beside it), flushed to disk.
    pub fn backup_database(&self, target: &Path) -> Result<DatabaseSummary> {
        let write_error = |source| Error::Write {
            path: target.to_owned(),
            source,
        };
        let mut copy = Connection::open(target)?;
        {
            let backup = Backup::new(&self.conn, &mut copy)?;
            run(&backup, "another connection kept the store locked")?;
        }
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        let summary = DatabaseSummary::of(&copy)?;
        copy.close().map_err(|(_, e)| Error::Store(e))?;
        std::fs::File::open(target)
            .and_then(|f| f.sync_all())
            .map_err(write_error)?;
        Ok(summary)
    }
}

/// Puts the database copy at `source` in place as the database of the store in `dir` (created
/// if missing), replacing what it held, in one write transaction; then brings its schema up to
/// date. The copy is checked first: it must be an intact Signaalradar database no newer than
/// this program knows. Returns what the store now holds.
pub fn restore_database(dir: &Path, source: &Path) -> Result<DatabaseSummary> {
    let unusable = |message: String| Error::File {
        file: source.display().to_string(),
        message,
    };
    if !source.is_file() {
        return Err(unusable("there is no database file here".into()));
    }
    let from = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| unusable(format!("cannot be opened as a database ({e})")))?;
    let check: String = from
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| unusable(format!("is not a database ({e})")))?;
    if check != "ok" {
        return Err(unusable(format!("the database is damaged ({check})")));
    }
    let summary = DatabaseSummary::of(&from)?;
    let latest = Store::latest_schema_version()?;
    if summary.schema_version > latest {
        return Err(unusable(format!(
            "was made by a newer Signaalradar (store schema version {}; this one knows up to {latest}); restore it with that version",
            summary.schema_version
        )));
    }
    let has_batches: bool = from.query_row(
        "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'batches'",
        [],
        |r| r.get(0),
    )?;
    if summary.schema_version < 1 || !has_batches {
        return Err(unusable(
            "is not a Signaalradar store (no schema version, no batches table)".into(),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })?;
    {
        let mut to = Connection::open(dir.join(DATABASE_FILE))?;
        to.busy_timeout(LOCK_WAIT)?;
        let backup = Backup::new(&from, &mut to)?;
        run(
            &backup,
            "another signaalradar process kept the store locked; let it finish (or stop it) and restore again",
        )?;
    }
    let store = Store::open(dir)?;
    DatabaseSummary::of(&store.conn)
}

/// Runs a backup to its end in one step (one transaction on each side), retrying while
/// another connection holds a lock it needs, for at most [`LOCK_WAIT`].
fn run(backup: &Backup<'_, '_>, busy: &str) -> Result<()> {
    let started = Instant::now();
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            // Busy, Locked: another connection holds a lock this step needs.
            _ => {
                if started.elapsed() > LOCK_WAIT {
                    return Err(Error::Busy(busy.to_owned()));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use chrono::NaiveDate;

    use super::*;
    use crate::record::{
        AnonymisedText, CleanSession, ItemId, ItemKind, Session, SessionId, StoredItem,
    };
    use crate::store::BatchMeta;

    const ITEMS_PER_SESSION: usize = 5;

    /// Batch `n`: `sessions` sessions of five items each, all new.
    fn batch(n: usize, sessions: usize) -> Vec<CleanSession> {
        (0..sessions)
            .map(|s| {
                let date = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
                    + chrono::Days::new((s % 300) as u64);
                let group = format!("B{n}-G{s}");
                let id = SessionId::derive("STO", &group, date);
                let items = (0..ITEMS_PER_SESSION)
                    .map(|i| {
                        let text = AnonymisedText::new(format!(
                            "Batch {n}, sessie {s}, punt {i}: de werkdruk van docenten is hoog."
                        ));
                        StoredItem {
                            id: ItemId::derive(&id, ItemKind::Signaal, "Achterhoek", &text),
                            session_id: id.clone(),
                            kind: ItemKind::Signaal,
                            region: "Achterhoek".into(),
                            text,
                            themes: vec![],
                            escalate: None,
                        }
                    })
                    .collect();
                CleanSession {
                    session: Session {
                        id,
                        date,
                        programme: "STO".into(),
                        group,
                        mode: None,
                        moderated: None,
                        participants: None,
                        regions_present: vec!["Achterhoek".into()],
                        cases_submitted: None,
                        cases_discussed: None,
                        evaluation_tags: vec![],
                        score: None,
                        next_meeting_planned: None,
                    },
                    items,
                }
            })
            .collect()
    }

    /// Every batch of the copy is whole: its sessions and items are all there.
    fn assert_whole_batches(summary: &DatabaseSummary, sessions_per_batch: usize) {
        assert_eq!(summary.sessions, summary.batches * sessions_per_batch);
        assert_eq!(summary.items, summary.sessions * ITEMS_PER_SESSION);
    }

    #[test]
    fn a_backup_taken_while_another_connection_writes_holds_whole_batches() {
        const SESSIONS: usize = 400;
        let dir = tempfile::tempdir().unwrap();
        let store_dir = dir.path().join("store");
        let mut store = Store::open(&store_dir).unwrap();
        store
            .write_batch(&batch(0, SESSIONS), &BatchMeta::default())
            .unwrap();
        let stop = AtomicBool::new(false);
        let summaries = std::thread::scope(|scope| {
            // The writer: another connection, batch after batch, until the backups are done.
            let writer = scope.spawn(|| {
                let mut writer = Store::open(&store_dir).unwrap();
                let mut n = 1;
                while !stop.load(Ordering::Relaxed) {
                    writer
                        .write_batch(&batch(n, SESSIONS), &BatchMeta::default())
                        .unwrap();
                    n += 1;
                }
                n
            });
            let mut summaries = Vec::new();
            for i in 0..8 {
                let target = dir.path().join(format!("copy-{i}.sqlite3"));
                let summary = store.backup_database(&target).unwrap();
                // What the copy says of itself, read afresh from the file.
                assert_eq!(DatabaseSummary::of_file(&target).unwrap(), summary);
                let check: String = Connection::open(&target)
                    .unwrap()
                    .query_row("PRAGMA quick_check", [], |r| r.get(0))
                    .unwrap();
                assert_eq!(check, "ok");
                assert_whole_batches(&summary, SESSIONS);
                summaries.push(summary);
                std::thread::sleep(Duration::from_millis(20));
            }
            stop.store(true, Ordering::Relaxed);
            let written = writer.join().unwrap();
            assert!(written > 2, "the writer wrote only {written} batches");
            summaries
        });
        // The copies were taken at different moments of the writing, not all before or after.
        let first = summaries.first().unwrap().batches;
        let last = summaries.last().unwrap().batches;
        assert!(last > first, "every copy holds {first} batches");
    }

    #[test]
    fn a_restore_replaces_the_database_and_refuses_what_is_no_store() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a")).unwrap();
        store
            .write_batch(&batch(0, 10), &BatchMeta::default())
            .unwrap();
        let copy = dir.path().join("copy.sqlite3");
        let taken = store.backup_database(&copy).unwrap();
        assert_eq!((taken.sessions, taken.items, taken.batches), (10, 50, 1));

        // Into a store that holds something else: replaced, in place.
        let mut other = Store::open(&dir.path().join("b")).unwrap();
        other
            .write_batch(&batch(1, 3), &BatchMeta::default())
            .unwrap();
        let restored = restore_database(&dir.path().join("b"), &copy).unwrap();
        assert_eq!(restored, taken);
        // The connection that was open all along sees the restored database.
        assert_eq!(other.counts().unwrap().sessions, 10);

        let not_a_database = dir.path().join("notes.sqlite3");
        std::fs::write(&not_a_database, "not a database").unwrap();
        let err = restore_database(&dir.path().join("c"), &not_a_database).unwrap_err();
        assert!(err.is_user_error(), "{err}");
        let empty = dir.path().join("empty.sqlite3");
        Connection::open(&empty)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let err = restore_database(&dir.path().join("c"), &empty).unwrap_err();
        assert!(
            err.to_string().contains("not a Signaalradar store"),
            "{err}"
        );
        let newer = dir.path().join("newer.sqlite3");
        std::fs::copy(&copy, &newer).unwrap();
        Connection::open(&newer)
            .unwrap()
            .pragma_update(
                None,
                "user_version",
                Store::latest_schema_version().unwrap() + 1,
            )
            .unwrap();
        let err = restore_database(&dir.path().join("c"), &newer).unwrap_err();
        assert!(err.to_string().contains("newer Signaalradar"), "{err}");
        assert!(
            !dir.path().join("c").exists(),
            "a refused restore made a store"
        );
    }
}
