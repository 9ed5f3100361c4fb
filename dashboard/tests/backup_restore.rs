//! `signaalradar backup` and `restore`, run as a user would: a round trip gives the same store
//! (counts, accounts, search results, trend and escalation figures) with its index rebuilt; a
//! backup taken while a server runs and another process ingests holds whole batches only; and
//! the refusals (a non-empty backup folder, a non-empty store, a running server, a folder that is
//! no backup) say what to do, with exit code 2.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_signaalradar");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the dashboard crate lives in the workspace")
        .to_owned()
}

/// `signaalradar --store STORE ARGS…`, run from the project root.
fn cmd(store: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(root())
        .env("SIGNAALRADAR_STORE", store)
        // The committed sample was made with its own, fictional grouping of regions.
        .env(
            "SIGNAALRADAR_REGIONS",
            root().join("data/sample/regions.toml"),
        )
        .env_remove("SIGNAALRADAR_THEMES")
        .env_remove("RUST_LOG")
        .env_remove("SIGNAALRADAR_LOG");
    cmd
}

fn succeed(cmd: &mut Command) -> std::process::Output {
    let output = cmd.output().expect("run signaalradar");
    assert!(
        output.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn json(cmd: &mut Command) -> serde_json::Value {
    serde_json::from_slice(&succeed(cmd).stdout).expect("JSON output")
}

/// Runs `cmd`, expects exit code 2 and `needle` in the message.
fn refused(cmd: &mut Command, needle: &str) {
    let output = cmd.output().expect("run signaalradar");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{cmd:?}: {stderr}");
    assert!(stderr.contains(needle), "{needle:?} not in: {stderr}");
}

fn sample_files() -> Vec<PathBuf> {
    ["sessies.jsonl", "sessies.csv", "sessies.xlsx"]
        .iter()
        .map(|f| root().join("data/sample").join(f))
        .collect()
}

fn db(store: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(store.join("signaalradar.sqlite3")).expect("open the store")
}

fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// What must survive a round trip: the tables a person or an ingest wrote.
fn counts(store: &Path) -> Vec<(String, i64)> {
    let conn = db(store);
    [
        "sessions",
        "session_regions",
        "session_tags",
        "items",
        "item_tags",
        "batches",
        "users",
        "api_tokens",
        "escalations",
        "escalation_history",
        "reports",
        "report_files",
    ]
    .iter()
    .map(|t| {
        (
            t.to_string(),
            count(&conn, &format!("SELECT COUNT(*) FROM {t}")),
        )
    })
    .collect()
}

/// Every batch of the database at `path` is whole: its row's counts match its rows, and every
/// session and item belongs to a batch that says so.
fn assert_whole_batches(path: &Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(path).expect("open a backup");
    let mismatched = count(
        &conn,
        "SELECT COUNT(*) FROM batches b
         WHERE b.sessions_added != (SELECT COUNT(*) FROM sessions s WHERE s.batch_id = b.id)
            OR b.items_added != (SELECT COUNT(*) FROM items i WHERE i.batch_id = b.id)",
    );
    assert_eq!(mismatched, 0, "a batch in {} is not whole", path.display());
    let sessions = count(&conn, "SELECT COUNT(*) FROM sessions");
    assert_eq!(
        sessions,
        count(
            &conn,
            "SELECT COALESCE(SUM(sessions_added), 0) FROM batches"
        )
    );
    let items = count(&conn, "SELECT COUNT(*) FROM items");
    assert_eq!(
        items,
        count(&conn, "SELECT COALESCE(SUM(items_added), 0) FROM batches")
    );
    (count(&conn, "SELECT COUNT(*) FROM batches"), sessions)
}

/// A server on `store` (any free port), running until dropped.
struct Server(std::process::Child);

impl Server {
    fn start(store: &Path) -> Server {
        let mut child = cmd(store)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server");
        // It prints its address once it listens (it holds the store's lock from before that).
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the server's first line");
        assert!(line.contains("listens on"), "the server said: {line}");
        Server(child)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_round_trip_gives_the_same_store_with_its_index_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    succeed(cmd(&store).arg("ingest").args(sample_files()));
    let mut add = cmd(&store)
        .args([
            "user",
            "add",
            "ans",
            "--role",
            "landelijk",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"een-lang-genoeg-wachtwoord\n")
        .unwrap();
    assert!(add.wait().unwrap().success());
    succeed(cmd(&store).args([
        "escalations",
        "set",
        "docent_werkdruk",
        "kandidaat",
        "--note",
        "besproken in het landelijk overleg",
    ]));
    // A file of the store folder that cannot be made again (the demo keeps its taxonomy there).
    std::fs::copy(root().join("data/themes.toml"), store.join("themes.toml")).unwrap();

    let backup = dir.path().join("backup");
    let made = json(cmd(&store).args(["backup", "--json"]).arg(&backup));
    assert_eq!(made["database"]["sessions"], 600);
    assert_eq!(made["files"], serde_json::json!(["themes.toml"]));
    assert!(backup.join("backup.json").is_file());
    assert!(backup.join("themes.toml").is_file());
    assert!(!backup.join("index").exists(), "the index is derived");

    let restored = dir.path().join("restored");
    let answer = json(cmd(&restored).args(["restore", "--json"]).arg(&backup));
    let items = count(&db(&store), "SELECT COUNT(*) FROM items");
    assert_eq!(answer["indexed"], items, "the index is rebuilt");
    assert_eq!(counts(&restored), counts(&store));
    assert_eq!(
        std::fs::read(restored.join("themes.toml")).unwrap(),
        std::fs::read(store.join("themes.toml")).unwrap()
    );
    let actions = |s: &Path| -> Vec<String> {
        let conn = db(s);
        let mut statement = conn
            .prepare(
                "SELECT action FROM audit_log WHERE action IN ('backup', 'restore') ORDER BY id",
            )
            .unwrap();
        statement
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(actions(&store), ["backup"]);
    assert_eq!(actions(&restored), ["restore"]);

    // The same answers, from an index that needs no catching up.
    for args in [
        &["search", "werkdruk docenten", "--json", "--limit", "50"][..],
        &["trends", "--json", "--as-of", "2026-09-30"],
        &["escalations", "history", "--json"],
        &["themes", "--json"],
    ] {
        let before = succeed(cmd(&store).args(args));
        let after = succeed(cmd(&restored).args(args));
        assert_eq!(
            String::from_utf8_lossy(&after.stdout),
            String::from_utf8_lossy(&before.stdout),
            "{args:?}"
        );
        assert!(
            !String::from_utf8_lossy(&after.stderr).contains("behind"),
            "{args:?}: the restored index lagged"
        );
    }
    let login = cmd(&restored)
        .args(["user", "list", "--json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&login.stdout).contains("\"ans\""));
}

#[test]
fn a_backup_taken_while_a_server_runs_and_another_process_ingests_holds_whole_batches() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let generated = dir.path().join("generated");
    succeed(
        cmd(&store)
            .args(["generate", "--sessions", "800", "--seed", "7", "--out"])
            .arg(&generated),
    );
    // Parts of new sessions: the generated JSON Lines with the groups renamed per part.
    let lines: Vec<serde_json::Map<String, serde_json::Value>> =
        std::fs::read_to_string(generated.join("sessies.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    let parts: Vec<PathBuf> = (0..4)
        .map(|p| {
            let path = dir.path().join(format!("deel-{p}.jsonl"));
            let mut text = String::new();
            for line in &lines {
                let mut line = line.clone();
                let group = format!("{}-d{p}", line["group"].as_str().unwrap());
                line.insert("group".into(), group.into());
                text.push_str(&serde_json::to_string(&line).unwrap());
                text.push('\n');
            }
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    succeed(cmd(&store).arg("ingest").arg(&parts[0]));
    let _server = Server::start(&store);

    let backups = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            for part in &parts[1..] {
                succeed(cmd(&store).arg("ingest").arg(part));
            }
        });
        let mut backups = Vec::new();
        let mut n = 0;
        while !writer.is_finished() || n < 2 {
            let backup = dir.path().join(format!("backup-{n}"));
            succeed(cmd(&store).arg("backup").arg(&backup));
            backups.push(backup);
            n += 1;
        }
        writer.join().unwrap();
        backups
    });
    let mut seen = std::collections::BTreeSet::new();
    for backup in &backups {
        let (batches, sessions) = assert_whole_batches(&backup.join("signaalradar.sqlite3"));
        assert_eq!(
            sessions,
            batches * lines.len() as i64,
            "{}",
            backup.display()
        );
        seen.insert(batches);
    }
    assert!(
        seen.len() >= 2,
        "every backup caught the same moment ({seen:?} batches): the writes did not overlap them"
    );

    // A backup of a moment half-way restores, with an index of exactly its items.
    let middle = backups
        .iter()
        .find(|b| {
            let (batches, _) = assert_whole_batches(&b.join("signaalradar.sqlite3"));
            batches > 1 && batches < 4
        })
        .unwrap_or(&backups[0]);
    let restored = dir.path().join("restored");
    let answer = json(cmd(&restored).args(["restore", "--json"]).arg(middle));
    assert_eq!(
        answer["indexed"],
        count(&db(&restored), "SELECT COUNT(*) FROM items")
    );
}

#[test]
fn backup_and_restore_refuse_what_would_lose_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    refused(
        cmd(&store).arg("backup").arg(dir.path().join("b")),
        "there is no store",
    );
    succeed(
        cmd(&store)
            .arg("ingest")
            .arg(root().join("data/sample/sessies.jsonl")),
    );

    // A non-empty backup folder.
    let occupied = dir.path().join("occupied");
    std::fs::create_dir(&occupied).unwrap();
    std::fs::write(occupied.join("notes.txt"), "keep me").unwrap();
    refused(cmd(&store).arg("backup").arg(&occupied), "is not empty");
    assert_eq!(std::fs::read_dir(&occupied).unwrap().count(), 1);
    // Inside the store.
    refused(
        cmd(&store).arg("backup").arg(store.join("copy")),
        "inside the store",
    );

    // An empty folder is fine.
    let backup = dir.path().join("backup");
    std::fs::create_dir(&backup).unwrap();
    succeed(cmd(&store).arg("backup").arg(&backup));

    // A folder that is no (finished) backup.
    refused(
        cmd(&dir.path().join("new")).arg("restore").arg(&occupied),
        "not a finished Signaalradar backup",
    );
    refused(
        cmd(&dir.path().join("new"))
            .arg("restore")
            .arg(dir.path().join("nowhere")),
        "there is no backup folder",
    );

    // Over a store that holds data: only with --force.
    refused(cmd(&store).arg("restore").arg(&backup), "pass --force");
    let other = dir.path().join("other");
    succeed(
        cmd(&other)
            .arg("ingest")
            .arg(root().join("data/sample/sessies.csv")),
    );
    let csv_items = count(&db(&other), "SELECT COUNT(*) FROM items");
    refused(cmd(&other).arg("restore").arg(&backup), "is not empty");
    assert_eq!(count(&db(&other), "SELECT COUNT(*) FROM items"), csv_items);

    // Not while a server uses the store, not even with --force.
    {
        let _server = Server::start(&other);
        refused(
            cmd(&other).args(["restore", "--force"]).arg(&backup),
            "stop it, then restore",
        );
    }
    assert_eq!(count(&db(&other), "SELECT COUNT(*) FROM items"), csv_items);
    let answer = json(
        cmd(&other)
            .args(["restore", "--force", "--json"])
            .arg(&backup),
    );
    assert_eq!(
        answer["indexed"],
        count(&db(&store), "SELECT COUNT(*) FROM items")
    );
    assert_eq!(counts(&other), counts(&store));

    // A backup that does not hold what its manifest says.
    let manifest = backup.join("backup.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["database"]["items"] = serde_json::json!(1);
    std::fs::write(&manifest, doc.to_string()).unwrap();
    refused(
        cmd(&dir.path().join("new")).arg("restore").arg(&backup),
        "cannot be trusted",
    );
    assert!(!dir.path().join("new").join("signaalradar.sqlite3").exists());
}
