//! Running the binary from the project root against a temporary store.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The workspace root, where `data/` lives (these tests are compiled as part of `dashboard/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the dashboard crate lives in the workspace")
        .to_owned()
}

/// The region registry the committed sample was made with (the default registry holds the
/// programme's real regions).
pub fn sample_regions() -> PathBuf {
    root().join("data/sample/regions.toml")
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// Runs `cmd`, asserts that it succeeded (showing its stderr if not), and returns its output.
pub fn succeed(cmd: &mut Command) -> std::process::Output {
    let output = cmd.output().expect("run the binary");
    assert!(
        output.status.success(),
        "command failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A temporary folder with a store inside it; files for a test can be written next to it.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    /// Classify with the taxonomy's queries alone (no trained model).
    pub queries_only: bool,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("temporary folder"),
            queries_only: false,
        }
    }

    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write test file");
        path
    }

    /// `signaalradar` with this sandbox's store, run from the project root.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_signaalradar"));
        cmd.current_dir(root())
            .env("SIGNAALRADAR_STORE", self.store())
            // The committed sample was made with its own, fictional grouping of regions.
            .env("SIGNAALRADAR_REGIONS", sample_regions())
            .env_remove("SIGNAALRADAR_MODEL")
            .env_remove("RUST_LOG");
        if self.queries_only {
            // A model file that does not exist: the queries decide alone.
            cmd.env("SIGNAALRADAR_MODEL", self.path("no-model.json"));
        }
        cmd
    }

    /// Runs `signaalradar ingest --json FILES` and returns the parsed summary.
    pub fn ingest_json(&self, files: &[&Path]) -> serde_json::Value {
        let output = succeed(self.cmd().arg("ingest").arg("--json").args(files));
        serde_json::from_slice(&output.stdout).expect("JSON summary")
    }

    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.store().join("signaalradar.sqlite3")).expect("open store")
    }

    pub fn count(&self, table: &str) -> i64 {
        self.db()
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .expect("count")
    }
}

/// A sandbox holding the committed sample, ingested (and so classified and indexed).
pub fn sample() -> Sandbox {
    sample_in(Sandbox::new())
}

/// The sample classified by the taxonomy's queries alone: its planted trends are written with
/// the taxonomy's words, so tests of the trend detector read them without the model's guesses.
pub fn sample_by_queries() -> Sandbox {
    sample_in(Sandbox {
        queries_only: true,
        ..Sandbox::new()
    })
}

fn sample_in(sandbox: Sandbox) -> Sandbox {
    let files = ["sessies.jsonl", "sessies.csv", "sessies.xlsx"]
        .map(|f| root().join("data/sample").join(f));
    let files: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    sandbox.ingest_json(&files);
    sandbox
}

pub fn json(output: std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

pub fn fails_with(cmd: &mut assert_cmd::Command, needle: &str) {
    let output = cmd.output().expect("run");
    assert_eq!(output.status.code(), Some(2), "exit code for {needle:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(needle), "{needle:?} not in: {stderr}");
}
