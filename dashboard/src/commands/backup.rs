//! `backup DIR` and `restore DIR`. A backup is a folder holding a consistent copy of the store's
//! database (SQLite's online backup API: one moment of the store, taken while a server or an
//! ingest goes on writing), the other files of the store folder that cannot be made again (such
//! as the demo's own copy of the taxonomy), and `backup.json`, written last, saying what it holds.
//! The index is left out: it is derived, and `restore` rebuilds it from the restored database.
//!
//! A running server holds a shared lock on [`SERVER_LOCK`] in its store folder; `restore` takes it
//! exclusively, so it refuses while a server serves the store and a server cannot start halfway
//! through a restore.

use std::fs::{File, TryLockError};
use std::path::{Component, Path, PathBuf};

use anyhow::Context;
use ingest::store::{AuditAction, DATABASE_FILE, DatabaseSummary};
use serde::{Deserialize, Serialize};

use super::UsageError;
use crate::cli::{BackupArgs, Global, RestoreArgs};

/// The lock file of a store folder: shared by servers, exclusive during a restore.
pub const SERVER_LOCK: &str = "server.lock";

/// The description of a backup, written last: a folder without it is no (finished) backup.
pub const MANIFEST: &str = "backup.json";

/// The manifest's format; a newer one is refused.
const FORMAT: u32 = 1;

/// What a backup holds.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    /// UTC, RFC 3339.
    created_at: String,
    signaalradar_version: String,
    /// The store folder it was taken from.
    store: PathBuf,
    /// What the database copy holds.
    database: DatabaseSummary,
    /// The other files copied, relative to the store folder.
    files: Vec<String>,
}

/// Entries of a store folder that a backup leaves out: the database (copied through SQLite) with
/// its journal files, the derived index, the lock file, temporary files.
fn left_out(name: &str) -> bool {
    name == DATABASE_FILE
        || name
            .strip_prefix(DATABASE_FILE)
            .is_some_and(|rest| matches!(rest, "-wal" | "-shm" | "-journal"))
        || name == analysis::index::INDEX_DIR
        || name == SERVER_LOCK
        || name.ends_with(".new")
}

/// Another store inside this one (the demo's `demo/` in the default store): not part of it.
fn is_store(path: &Path) -> bool {
    path.is_dir() && path.join(DATABASE_FILE).exists()
}

/// Takes the store folder's lock, shared (a server, a backup) or exclusive (a restore), without
/// waiting. `Ok(None)`: someone else holds it the other way.
fn try_lock(dir: &Path, exclusive: bool) -> anyhow::Result<Option<File>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the store folder {}", dir.display()))?;
    let path = dir.join(SERVER_LOCK);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let locked = if exclusive {
        file.try_lock()
    } else {
        file.try_lock_shared()
    };
    match locked {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

/// Held by `serve` (and `demo`) while serving the store in `dir`: a restore then refuses.
pub fn hold_for_serving(dir: &Path) -> anyhow::Result<File> {
    try_lock(dir, false)?.ok_or_else(|| {
        UsageError(format!(
            "a restore into the store {} is running; start the server when it is done",
            dir.display()
        ))
        .into()
    })
}

pub fn backup(global: &Global, args: &BackupArgs) -> anyhow::Result<()> {
    let dir = &global.store;
    let target = &args.dir;
    if !dir.join(DATABASE_FILE).is_file() {
        return Err(UsageError(format!(
            "there is no store in {} to back up (no {DATABASE_FILE}); name the store with --store DIR",
            dir.display()
        ))
        .into());
    }
    if target.exists() {
        let empty = std::fs::read_dir(target)
            .map(|mut entries| entries.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(UsageError(format!(
                "the backup folder {} is not empty; a backup goes into a new or empty folder and never overwrites one",
                target.display()
            ))
            .into());
        }
    }
    if inside(target, dir) {
        return Err(UsageError(format!(
            "the backup folder {} is inside the store {}; choose a folder outside it",
            target.display(),
            dir.display()
        ))
        .into());
    }
    let Some(_lock) = try_lock(dir, false)? else {
        return Err(UsageError(format!(
            "a restore into the store {} is running; back it up when it is done",
            dir.display()
        ))
        .into());
    };
    let store = super::ingest_files::open_store(dir)?;
    std::fs::create_dir_all(target)
        .with_context(|| format!("cannot create the backup folder {}", target.display()))?;
    let incomplete = || {
        format!(
            "the backup in {} is incomplete (it has no {MANIFEST}); remove that folder and try again",
            target.display()
        )
    };
    let partial = target.join(format!("{DATABASE_FILE}.part"));
    let database = store.backup_database(&partial).with_context(incomplete)?;
    std::fs::rename(&partial, target.join(DATABASE_FILE)).with_context(incomplete)?;
    let mut files = Vec::new();
    copy_files(dir, target, Path::new(""), &mut files).with_context(incomplete)?;
    let manifest = Manifest {
        format: FORMAT,
        created_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        signaalradar_version: env!("CARGO_PKG_VERSION").into(),
        store: std::path::absolute(dir).unwrap_or_else(|_| dir.clone()),
        database,
        files,
    };
    write_synced(
        &target.join(MANIFEST),
        serde_json::to_string_pretty(&manifest)?.as_bytes(),
    )
    .with_context(incomplete)?;
    // The folder's entries (the renames) on disk too.
    File::open(target)
        .and_then(|f| f.sync_all())
        .with_context(incomplete)?;
    let d = &manifest.database;
    store.audit(
        &super::actor(),
        AuditAction::Backup,
        serde_json::json!({
            "to": std::path::absolute(target).unwrap_or_else(|_| target.clone()),
            "sessions": d.sessions, "items": d.items, "batches": d.batches,
            "last_batch": d.last_batch, "files": manifest.files,
        }),
    )?;
    if args.json {
        let mut doc = serde_json::to_value(&manifest)?;
        doc["backup"] = serde_json::json!(target);
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    println!(
        "backup of the store {} in {}: {}",
        dir.display(),
        target.display(),
        holds(d)
    );
    if !manifest.files.is_empty() {
        println!("also copied: {}", manifest.files.join(", "));
    }
    println!(
        "the index is not in the backup: `signaalradar restore {}` rebuilds it",
        target.display()
    );
    Ok(())
}

pub fn restore(global: &Global, args: &RestoreArgs) -> anyhow::Result<()> {
    let dir = &global.store;
    let from = &args.dir;
    let manifest = read_manifest(from)?;
    let copy = from.join(DATABASE_FILE);
    // The copy must be what its manifest says (and readable) before anything is touched.
    let found = DatabaseSummary::of_file(&copy)
        .with_context(|| format!("cannot read the database of the backup {}", from.display()))?;
    if !same_content(&found, &manifest.database) {
        return Err(UsageError(format!(
            "the backup {} does not hold what its {MANIFEST} says ({} there, {} listed); it cannot be trusted",
            from.display(),
            holds(&found),
            holds(&manifest.database)
        ))
        .into());
    }
    if inside(dir, from) || inside(from, dir) {
        return Err(UsageError(format!(
            "the store {} and the backup {} overlap; restore into another store folder",
            dir.display(),
            from.display()
        ))
        .into());
    }
    let Some(_lock) = try_lock(dir, true)? else {
        return Err(UsageError(format!(
            "a signaalradar server (serve or demo) is using the store {}; stop it, then restore",
            dir.display()
        ))
        .into());
    };
    if !args.force {
        let contents = contents(dir)?;
        if !contents.is_empty() {
            return Err(UsageError(format!(
                "the store {} is not empty ({}); restoring would replace it. Back it up first (`signaalradar backup DIR`), or pass --force to replace it",
                dir.display(),
                contents.join("; ")
            ))
            .into());
        }
    }
    // The index is derived: gone first, so that whatever happens next it cannot describe
    // another store's items; it is rebuilt below (or by the next command that opens it).
    let index = dir.join(analysis::index::INDEX_DIR);
    if index.exists() {
        std::fs::remove_dir_all(&index)
            .with_context(|| format!("cannot remove the old index {}", index.display()))?;
    }
    let restored = ingest::store::restore_database(dir, &copy)
        .with_context(|| format!("cannot restore the backup {}", from.display()))?;
    for file in &manifest.files {
        let target = dir.join(file);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::copy(from.join(file), &target)
            .with_context(|| format!("cannot copy {file} from the backup into the store"))?;
    }
    {
        let store = super::ingest_files::open_store(dir)?;
        store.audit(
            &super::actor(),
            AuditAction::Restore,
            serde_json::json!({
                "from": std::path::absolute(from).unwrap_or_else(|_| from.clone()),
                "backup_created_at": manifest.created_at,
                "sessions": restored.sessions, "items": restored.items,
                "batches": restored.batches, "files": manifest.files,
            }),
        )?;
    }
    let (opened, synced) = super::analysis_commands::open(
        global,
        dir,
        super::analysis_commands::Sync::Rebuild,
        args.json,
    )
    .context(
        "the backup is restored, but classifying and indexing it failed; run `signaalradar reindex`",
    )?;
    let taxonomy_version = opened.classifier.taxonomy().version;
    if args.json {
        let doc = serde_json::json!({
            "store": dir,
            "backup": from,
            "backup_created_at": manifest.created_at,
            "database": restored,
            "files": manifest.files,
            "indexed": synced.indexed,
            "taxonomy_version": taxonomy_version,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    println!(
        "restored the backup of {} from {} into the store {}: {}",
        manifest.created_at,
        from.display(),
        dir.display(),
        holds(&restored)
    );
    if !manifest.files.is_empty() {
        println!("also restored: {}", manifest.files.join(", "));
    }
    println!(
        "index rebuilt: {} items classified (taxonomy version {taxonomy_version}) and indexed",
        synced.indexed
    );
    Ok(())
}

/// "N sessions, M items, …" of a database.
fn holds(d: &DatabaseSummary) -> String {
    let n = |count: usize, one: &str, more: &str| {
        format!("{count} {}", if count == 1 { one } else { more })
    };
    format!(
        "{}, {} in {}, {}, {}",
        n(d.sessions, "session", "sessions"),
        n(d.items, "item", "items"),
        n(d.batches, "batch", "batches"),
        n(d.users, "account", "accounts"),
        n(d.reports, "archived report", "archived reports"),
    )
}

/// The same data (the schema version may differ: a restore brings an old copy up to date).
fn same_content(a: &DatabaseSummary, b: &DatabaseSummary) -> bool {
    (
        a.sessions,
        a.items,
        a.batches,
        a.last_batch,
        a.users,
        a.reports,
        a.rows,
    ) == (
        b.sessions,
        b.items,
        b.batches,
        b.last_batch,
        b.users,
        b.reports,
        b.rows,
    )
}

fn read_manifest(from: &Path) -> anyhow::Result<Manifest> {
    if !from.is_dir() {
        return Err(UsageError(format!("there is no backup folder {}", from.display())).into());
    }
    let path = from.join(MANIFEST);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(UsageError(format!(
                "{} is not a finished Signaalradar backup (it has no {MANIFEST}); make one with `signaalradar backup DIR`",
                from.display()
            ))
            .into());
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        UsageError(format!(
            "{} is not a Signaalradar backup manifest ({e})",
            path.display()
        ))
    })?;
    if manifest.format > FORMAT {
        return Err(UsageError(format!(
            "the backup {} was made by a newer Signaalradar ({}); restore it with that version",
            from.display(),
            manifest.signaalradar_version
        ))
        .into());
    }
    for file in &manifest.files {
        let relative = Path::new(file);
        let plain = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !plain || !from.join(relative).is_file() {
            return Err(UsageError(format!(
                "the backup {} lists a file it does not hold ({file}); it cannot be trusted",
                from.display()
            ))
            .into());
        }
    }
    Ok(manifest)
}

/// What a store folder holds besides the derived index and lock: its data in words, other files
/// by name. Empty: nothing a restore would destroy.
fn contents(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    if !dir.exists() {
        return Ok(found);
    }
    let database = dir.join(DATABASE_FILE);
    if database.is_file() {
        let summary = DatabaseSummary::of_file(&database)
            .with_context(|| format!("cannot read the store {}", dir.display()))?;
        if summary.rows > 0 {
            found.push(holds(&summary));
        }
    }
    for entry in read_dir_sorted(dir)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        if left_out(&name) || is_store(&entry.path()) {
            continue;
        }
        found.push(name);
    }
    Ok(found)
}

fn read_dir_sorted(dir: &Path) -> anyhow::Result<Vec<std::fs::DirEntry>> {
    let mut entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("cannot read {}", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    Ok(entries)
}

/// Copies the store folder's files that are not left out (see [`left_out`]), recursively, into
/// `target`, each flushed to disk; their paths relative to the store go into `files`.
fn copy_files(
    store: &Path,
    target: &Path,
    relative: &Path,
    files: &mut Vec<String>,
) -> anyhow::Result<()> {
    for entry in read_dir_sorted(&store.join(relative))? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if (relative.as_os_str().is_empty() && left_out(&name)) || is_store(&path) {
            continue;
        }
        let rel = relative.join(&name);
        let kind = entry.file_type()?;
        if kind.is_dir() {
            std::fs::create_dir_all(target.join(&rel))?;
            copy_files(store, target, &rel, files)?;
        } else if kind.is_file() {
            let to = target.join(&rel);
            std::fs::copy(&path, &to).with_context(|| format!("cannot copy {}", path.display()))?;
            File::open(&to)
                .and_then(|f| f.sync_all())
                .with_context(|| format!("cannot write {}", to.display()))?;
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
        // Symbolic links and other special files are not part of a store.
    }
    Ok(())
}

/// Writes `bytes` to `path` by way of a temporary file, flushed, then renamed into place.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let temporary = path.with_extension("json.part");
    let mut file = File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

/// Whether `path` is `folder` or lies inside it (by their absolute, resolved paths as far as they
/// exist).
fn inside(path: &Path, folder: &Path) -> bool {
    let resolve = |p: &Path| -> PathBuf {
        let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
        // The longest existing ancestor resolved (symbolic links), the rest appended.
        let mut existing = absolute.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_owned());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut resolved = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_owned());
        for name in rest.iter().rev() {
            resolved.push(name);
        }
        resolved
    };
    resolve(path).starts_with(resolve(folder))
}
