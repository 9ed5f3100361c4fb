//! Crash safety, tested by killing: the real `signaalradar ingest` is SIGKILLed at random (seeded)
//! moments spread over its whole run — reading, anonymising and writing, the store's commit,
//! classifying and indexing after it — and after every kill the store and the index are checked:
//!
//! - a batch is in the store whole or not at all (sessions and items per batch and in total
//!   against what the input holds, the batch row's counts, its audit entry), nothing twice;
//! - the index holds exactly the items of the batches up to the one its last commit names, with
//!   the themes the store records for them, each once;
//! - the next command that opens the index (`search`) says it was behind and repairs it, after
//!   which index and store agree on every item and its themes;
//! - at the end, the whole input ingested again is reported as already stored, and nothing
//!   changes.
//!
//! Each round ingests a new part of the input (the generated JSON Lines, with the groups renamed
//! per part so every part is new sessions), so the store grows as a real one does and the index
//! is repaired incrementally, not only from empty. Two thirds of the kills fall anywhere in the run
//! (stratified over its measured length), a third after the store's commit (timed from the
//! `stored` log line, over the measured length of the classify-and-index phase). When a kill left
//! the index behind, the catch-up (`search`) is itself killed half-way now and then before it
//! is run whole.
//!
//! Size and count are set by environment variables: `SIGNAALRADAR_CRASH_KILLS` (default 20),
//! `SIGNAALRADAR_CRASH_SESSIONS` (sessions generated per part, about half of which go to the
//! JSON Lines file used; default 1200), `SIGNAALRADAR_CRASH_SEED` (default 2020).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use analysis::index::ThemeIndex;
use tantivy::schema::Value;

const BIN: &str = env!("CARGO_BIN_EXE_signaalradar");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the dashboard crate lives in the workspace")
        .to_owned()
}

fn setting<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// splitmix64: a small seeded generator, so a failing run can be repeated exactly (as far as
/// the machine's timing allows).
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The generated sessions, written out as parts that differ only in their groups' names.
struct Input {
    dir: PathBuf,
    lines: Vec<serde_json::Map<String, serde_json::Value>>,
}

impl Input {
    fn suffix(part: usize) -> String {
        format!("-k{part:03}")
    }

    fn write_part(&self, part: usize) -> PathBuf {
        let path = self.dir.join(format!("deel-{part:03}.jsonl"));
        let mut text = String::new();
        for line in &self.lines {
            let mut line = line.clone();
            let group = line["group"].as_str().expect("a group").to_owned();
            line.insert(
                "group".into(),
                serde_json::Value::String(format!("{group}{}", Self::suffix(part))),
            );
            text.push_str(&serde_json::to_string(&line).expect("JSON"));
            text.push('\n');
        }
        std::fs::write(&path, text).expect("write a part");
        path
    }
}

/// A running `signaalradar` with its standard error read line by line as it comes.
struct Running {
    child: Child,
    started: Instant,
    stderr: Receiver<(Instant, String)>,
    stdout: std::thread::JoinHandle<String>,
}

fn spawn(store: &Path, args: &[&std::ffi::OsStr]) -> Running {
    let mut child = Command::new(BIN)
        .current_dir(root())
        .env("SIGNAALRADAR_STORE", store)
        // The batch pipeline's info lines, among them `stored` right after the commit.
        .env("SIGNAALRADAR_LOG", "warn,ingest::batch=info")
        .env_remove("RUST_LOG")
        .env_remove("SIGNAALRADAR_REGIONS")
        .env_remove("SIGNAALRADAR_THEMES")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start signaalradar");
    let started = Instant::now();
    let (sender, stderr) = std::sync::mpsc::channel();
    let err = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(err).lines() {
            let Ok(line) = line else { break };
            if sender.send((Instant::now(), line)).is_err() {
                break;
            }
        }
    });
    let mut out = child.stdout.take().expect("stdout");
    let stdout = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = out.read_to_string(&mut text);
        text
    });
    Running {
        child,
        started,
        stderr,
        stdout,
    }
}

/// How a run ended.
struct Ended {
    /// Killed (true) or ran to its end (false).
    killed: bool,
    success: bool,
    elapsed: Duration,
    /// Time from the start to the `stored` line, if it came.
    stored_at: Option<Duration>,
    stdout: String,
    stderr: String,
}

impl Running {
    /// Kills the process at `at` after its start (or after the `stored` line when
    /// `after_stored`), unless it ends first.
    fn kill_at(mut self, at: Duration, after_stored: bool) -> Ended {
        let mut lines = Vec::new();
        let mut stored_at = None;
        let mut deadline = if after_stored {
            None
        } else {
            Some(self.started + at)
        };
        loop {
            if let Some(status) = self.child.try_wait().expect("poll the child") {
                // Ended by itself: collect the rest of its output.
                for line in self.stderr.iter() {
                    note_line(&line, self.started, &mut stored_at, &mut lines);
                }
                return self.ended(status.success(), false, stored_at, lines);
            }
            let now = Instant::now();
            if let Some(deadline) = deadline
                && now >= deadline
            {
                self.child.kill().expect("SIGKILL");
                break;
            }
            let wait = deadline
                .map(|d| d.saturating_duration_since(now))
                .unwrap_or(Duration::from_millis(5))
                .min(Duration::from_millis(5));
            match self.stderr.recv_timeout(wait) {
                Ok(line) => {
                    note_line(&line, self.started, &mut stored_at, &mut lines);
                    if after_stored && deadline.is_none() && stored_at.is_some() {
                        deadline = Some(line.0 + at);
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
            }
            assert!(
                self.started.elapsed() < Duration::from_secs(300),
                "signaalradar ran for five minutes"
            );
        }
        let status = self.child.wait().expect("reap the child");
        for line in self.stderr.iter() {
            note_line(&line, self.started, &mut stored_at, &mut lines);
        }
        self.ended(status.success(), true, stored_at, lines)
    }

    fn ended(
        self,
        success: bool,
        killed: bool,
        stored_at: Option<Duration>,
        lines: Vec<String>,
    ) -> Ended {
        let elapsed = self.started.elapsed();
        Ended {
            killed,
            success,
            elapsed,
            stored_at,
            stdout: self.stdout.join().unwrap_or_default(),
            stderr: lines.join("\n"),
        }
    }

    /// Runs to the end.
    fn finish(self) -> Ended {
        self.kill_at(Duration::from_secs(3600), false)
    }
}

fn note_line(
    (at, line): &(Instant, String),
    started: Instant,
    stored_at: &mut Option<Duration>,
    lines: &mut Vec<String>,
) {
    if stored_at.is_none() && line.contains("ingest::batch") && line.contains(" stored ") {
        *stored_at = Some(at.saturating_duration_since(started));
    }
    lines.push(line.clone());
}

fn ingest(store: &Path, files: &[PathBuf]) -> Running {
    let mut args: Vec<&std::ffi::OsStr> = vec!["ingest".as_ref(), "--json".as_ref()];
    args.extend(files.iter().map(|f| f.as_os_str()));
    spawn(store, &args)
}

/// What the store holds, read with a plain SQLite connection.
#[derive(Debug)]
struct StoreState {
    /// Batch id → (sessions_added, items_added, sessions with that batch id, items with it).
    batches: BTreeMap<i64, (i64, i64, i64, i64)>,
    ingest_audits: i64,
    sessions: i64,
    /// Item id → batch id.
    items: HashMap<String, i64>,
    /// Item id → its themes in `item_themes`.
    themes: HashMap<String, BTreeSet<String>>,
    /// Sessions per part suffix found.
    sessions_of_part: i64,
}

fn read_store(store: &Path, part: usize) -> StoreState {
    let db = rusqlite::Connection::open(store.join("signaalradar.sqlite3")).expect("open store");
    let check: String = db
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .expect("quick_check");
    assert_eq!(check, "ok", "the database is damaged");
    let dangling: i64 = db
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("foreign_key_check");
    assert_eq!(dangling, 0, "rows point at rows that are not there");
    let mut batches = BTreeMap::new();
    let mut statement = db
        .prepare(
            "SELECT b.id, b.sessions_added, b.items_added,
                    (SELECT COUNT(*) FROM sessions s WHERE s.batch_id = b.id),
                    (SELECT COUNT(*) FROM items i WHERE i.batch_id = b.id)
             FROM batches b",
        )
        .expect("batches");
    let rows = statement
        .query_map([], |r| {
            Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        })
        .expect("batches");
    for row in rows {
        let (id, counts) = row.expect("batch row");
        batches.insert(id, counts);
    }
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).expect(sql) };
    let ingest_audits = count("SELECT COUNT(*) FROM audit_log WHERE action = 'ingest'");
    let sessions = count("SELECT COUNT(*) FROM sessions");
    let sessions_of_part = db
        .query_row(
            "SELECT COUNT(*) FROM sessions WHERE group_id LIKE ?1",
            [format!("%{}", Input::suffix(part))],
            |r| r.get(0),
        )
        .expect("sessions of the part");
    let mut items = HashMap::new();
    let mut statement = db.prepare("SELECT id, batch_id FROM items").expect("items");
    for row in statement
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .expect("items")
    {
        let (id, batch) = row.expect("item row");
        assert!(items.insert(id, batch).is_none(), "an item stored twice");
    }
    let mut themes: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut statement = db
        .prepare("SELECT item_id, theme FROM item_themes")
        .expect("item_themes");
    for row in statement
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .expect("item_themes")
    {
        let (id, theme) = row.expect("theme row");
        assert!(
            items.contains_key(&id),
            "item_themes names an item the store does not hold"
        );
        themes.entry(id).or_default().insert(theme);
    }
    StoreState {
        batches,
        ingest_audits,
        sessions,
        items,
        themes,
        sessions_of_part,
    }
}

/// What the index holds: the last batch its commit names, and per document (item id, batch,
/// themes).
fn read_index(store: &Path) -> (i64, Vec<(String, i64, BTreeSet<String>)>) {
    let index = ThemeIndex::open(store).expect("open the index");
    let through = index.classified_through().expect("the index's payload");
    let searcher = index.searcher();
    let fields = *index.fields();
    let mut docs = Vec::with_capacity(searcher.num_docs() as usize);
    // Segment by segment, in order: each compressed block of the doc store is read once.
    for segment in searcher.segment_readers() {
        let reader = segment.get_store_reader(1).expect("the doc store");
        for doc in reader.iter::<tantivy::TantivyDocument>(segment.alive_bitset()) {
            let doc = doc.expect("a stored document");
            let id = analysis::index::stored_text(&doc, fields.id);
            let batch = doc
                .get_first(fields.batch)
                .and_then(|v| v.as_i64())
                .expect("a batch");
            let themes = doc
                .get_all(fields.themes)
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            docs.push((id, batch, themes));
        }
    }
    (through, docs)
}

/// The expected size of a part, from its first (uncut) ingest.
#[derive(Debug, Clone, Copy)]
struct PartSize {
    sessions: i64,
    items: i64,
}

/// Checks the store holds `landed` whole parts (plus `reruns` batches that added nothing), the
/// part in flight whole or not at all; returns whether the part in flight landed.
fn check_store(state: &StoreState, size: PartSize, landed: usize, reruns: usize) -> bool {
    let in_flight = state.sessions_of_part;
    assert!(
        in_flight == 0 || in_flight == size.sessions,
        "a partial batch: {in_flight} of the part's {} sessions stored",
        size.sessions
    );
    let now_landed = landed + usize::from(in_flight == size.sessions);
    assert_eq!(
        state.sessions,
        now_landed as i64 * size.sessions,
        "sessions in the store"
    );
    assert_eq!(
        state.items.len() as i64,
        now_landed as i64 * size.items,
        "items in the store"
    );
    let mut whole = 0;
    let mut empty = 0;
    for (id, &(sessions_added, items_added, sessions, items)) in &state.batches {
        assert_eq!(
            (sessions_added, items_added),
            (sessions, items),
            "batch {id}'s row does not match its rows"
        );
        if (sessions, items) == (size.sessions, size.items) {
            whole += 1;
        } else {
            assert_eq!((sessions, items), (0, 0), "batch {id} holds part of a part");
            empty += 1;
        }
    }
    assert_eq!(whole, now_landed, "batches holding a whole part");
    assert_eq!(empty, reruns, "batches that added nothing");
    assert_eq!(
        state.ingest_audits,
        state.batches.len() as i64,
        "one audit entry per batch"
    );
    in_flight == size.sessions
}

/// Checks the index holds exactly the items of the batches up to the one its commit names,
/// each once, with the store's themes; returns whether it lags the store.
fn check_index(store: &Path, state: &StoreState) -> bool {
    let (through, docs) = read_index(store);
    let last_batch = state.batches.keys().next_back().copied().unwrap_or(0);
    assert!(
        through <= last_batch,
        "the index names batch {through}, the store ends at {last_batch}"
    );
    let mut seen = BTreeSet::new();
    for (id, batch, themes) in &docs {
        assert!(seen.insert(id.as_str()), "item {id} is in the index twice");
        let Some(&stored_batch) = state.items.get(id) else {
            panic!("the index holds item {id}, which the store does not");
        };
        assert_eq!(*batch, stored_batch, "item {id}'s batch");
        assert!(
            *batch <= through,
            "the index holds item {id} of batch {batch}, past its commit's {through}"
        );
        let stored = state.themes.get(id).cloned().unwrap_or_default();
        assert_eq!(themes, &stored, "item {id}'s themes: index vs store");
    }
    let expected = state.items.values().filter(|&&b| b <= through).count();
    assert_eq!(
        docs.len(),
        expected,
        "the index misses items of the batches it names"
    );
    through < last_batch
}

/// `search` opens the index: when it lags, it must say so and catch up.
fn repair(store: &Path, lagging: bool) {
    let ended = spawn(
        store,
        &[
            "search".as_ref(),
            "werkdruk".as_ref(),
            "--limit".as_ref(),
            "1".as_ref(),
        ],
    )
    .finish();
    assert!(ended.success, "search failed: {}", ended.stderr);
    assert_eq!(
        ended
            .stderr
            .contains("note: the index was behind the store"),
        lagging,
        "the catch-up note (lagging: {lagging}): {}",
        ended.stderr
    );
}

#[derive(Debug, Clone, Copy)]
enum Slot {
    /// At this share of the whole run.
    Anywhere(f64),
    /// At this share of the classify-and-index phase after the `stored` line.
    AfterCommit(f64),
}

#[test]
fn ingest_killed_at_random_moments_leaves_whole_batches_and_a_repairable_index() {
    let kills: usize = setting("SIGNAALRADAR_CRASH_KILLS", 20);
    let sessions: usize = setting("SIGNAALRADAR_CRASH_SESSIONS", 1200);
    let seed: u64 = setting("SIGNAALRADAR_CRASH_SEED", 2020);
    let test_started = Instant::now();
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = dir.path().join("store");
    let generated = dir.path().join("generated");
    let ended = spawn(
        &store,
        &[
            "generate".as_ref(),
            "--sessions".as_ref(),
            sessions.to_string().as_ref(),
            "--seed".as_ref(),
            seed.to_string().as_ref(),
            "--out".as_ref(),
            generated.as_os_str(),
        ],
    )
    .finish();
    assert!(ended.success, "generate failed: {}", ended.stderr);
    let lines = std::fs::read_to_string(generated.join("sessies.jsonl"))
        .expect("the generated JSON Lines")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object"))
        .collect();
    let input = Input {
        dir: dir.path().to_owned(),
        lines,
    };

    // Part 0 uncut: the store holds data before the first kill, and the run's length (and that
    // of its classify-and-index phase) is measured.
    let mut parts = vec![input.write_part(0)];
    let reference = ingest(&store, &parts).finish();
    assert!(reference.success, "ingest failed: {}", reference.stderr);
    let report: serde_json::Value = serde_json::from_str(&reference.stdout).expect("JSON report");
    let size = PartSize {
        sessions: report["sessions_added"].as_i64().expect("sessions_added"),
        items: report["items_added"].as_i64().expect("items_added"),
    };
    assert_eq!(size.sessions, input.lines.len() as i64);
    let mut whole_run = reference.elapsed;
    let mut after_commit = reference.elapsed
        - reference
            .stored_at
            .expect("the `stored` line (SIGNAALRADAR_LOG=ingest::batch=info)");
    eprintln!(
        "part: {} sessions, {} items; one ingest {:.2} s, of which {:.2} s after the store's commit",
        size.sessions,
        size.items,
        whole_run.as_secs_f64(),
        after_commit.as_secs_f64()
    );
    let state = read_store(&store, 0);
    assert!(check_store(&state, size, 0, 0));
    assert!(!check_index(&store, &state));
    let mut landed = 1;

    // The kill moments: stratified over the run and over its phase after the commit, shuffled.
    let after = kills / 3;
    let anywhere = kills - after;
    let mut slots = Vec::with_capacity(kills);
    for i in 0..anywhere {
        slots.push(Slot::Anywhere((i as f64 + rng.unit()) / anywhere as f64));
    }
    for i in 0..after {
        slots.push(Slot::AfterCommit((i as f64 + rng.unit()) / after as f64));
    }
    rng.shuffle(&mut slots);
    let mut queue: std::collections::VecDeque<Slot> = slots.into();

    let mut phases = BTreeMap::<&str, usize>::new();
    let mut delivered = 0;
    let mut finished_first = 0;
    let mut catch_up_kills = 0;
    while let Some(slot) = queue.pop_front() {
        assert!(
            finished_first <= 3 * kills,
            "the runs kept ending before the kill"
        );
        if parts.len() == landed {
            parts.push(input.write_part(landed));
        }
        let part = landed;
        let running = ingest(&store, &parts[part..=part]);
        let ended = match slot {
            Slot::Anywhere(share) => running.kill_at(whole_run.mul_f64(share), false),
            Slot::AfterCommit(share) => running.kill_at(after_commit.mul_f64(share), true),
        };
        let state = read_store(&store, part);
        let part_landed = check_store(&state, size, landed, 0);
        let mut lagging = check_index(&store, &state);
        if ended.killed {
            delivered += 1;
            let phase = match (part_landed, lagging) {
                (false, _) => "before the store's commit",
                (true, true) => "between the store's commit and the index's",
                (true, false) => "after the index's commit",
            };
            *phases.entry(phase).or_default() += 1;
        } else {
            // It ended before the kill: the estimate of its length was long. Try this moment
            // again with the estimate shortened.
            assert!(ended.success, "ingest failed: {}", ended.stderr);
            assert!(part_landed && !lagging);
            finished_first += 1;
            match slot {
                Slot::Anywhere(_) => whole_run = whole_run.min(ended.elapsed.mul_f64(0.95)),
                Slot::AfterCommit(_) => {
                    if let Some(stored) = ended.stored_at {
                        after_commit =
                            after_commit.min((ended.elapsed.saturating_sub(stored)).mul_f64(0.95));
                    }
                }
            }
            queue.push_back(slot);
        }
        if lagging && rng.unit() < 0.5 {
            // The catch-up itself killed half-way: the index stays what it was, or is whole.
            let running = spawn(&store, &["search".as_ref(), "werkdruk".as_ref()]);
            if running
                .kill_at(after_commit.mul_f64(rng.unit()), false)
                .killed
            {
                catch_up_kills += 1;
            }
            let state = read_store(&store, part);
            check_store(&state, size, landed, 0);
            lagging = check_index(&store, &state);
        }
        repair(&store, lagging);
        let state = read_store(&store, part);
        check_store(&state, size, landed, 0);
        assert!(!check_index(&store, &state), "still lagging after search");
        if part_landed {
            landed += 1;
        }
    }
    eprintln!(
        "{delivered} kills of ingest ({finished_first} runs ended before their kill, tried again): {phases:?}; {catch_up_kills} kills of the catch-up after one"
    );
    assert!(delivered >= kills);
    for phase in [
        "before the store's commit",
        "between the store's commit and the index's",
    ] {
        assert!(
            phases.get(phase).copied().unwrap_or(0) > 0,
            "no kill landed {phase}: {phases:?}"
        );
    }

    // The part in flight, uncut; then everything again: nothing new, everything already stored.
    if parts.len() > landed {
        let ended = ingest(&store, &parts[landed..]).finish();
        assert!(ended.success, "ingest failed: {}", ended.stderr);
        landed += 1;
    }
    let ended = ingest(&store, &parts).finish();
    assert!(ended.success, "ingest failed: {}", ended.stderr);
    let report: serde_json::Value = serde_json::from_str(&ended.stdout).expect("JSON report");
    let total = |n: i64| serde_json::json!(n * landed as i64);
    assert_eq!(report["sessions_added"], 0);
    assert_eq!(report["items_added"], 0);
    assert_eq!(report["sessions_already_stored"], total(size.sessions));
    assert_eq!(report["items_already_stored"], total(size.items));
    assert_eq!(report["duplicate_items"], 0);
    let state = read_store(&store, landed);
    assert_eq!(state.sessions_of_part, 0);
    check_store(&state, size, landed, 1);
    assert!(!check_index(&store, &state));
    eprintln!(
        "{landed} parts stored whole; the test took {:.1} s",
        test_started.elapsed().as_secs_f64()
    );
}
