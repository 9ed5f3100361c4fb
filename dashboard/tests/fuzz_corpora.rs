//! Replays the fuzz corpora on stable: every file in `fuzz/corpus/<target>/` goes through the
//! same function as the cargo-fuzz target of that name (shared through `fuzz/common.rs`), and
//! none may panic. A missing or empty corpus folder fails, so the test cannot pass without
//! replaying anything. See `fuzz/README.md` for running the fuzzers themselves.

#[path = "../../fuzz/common.rs"]
mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn corpus_files(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {} cannot be read: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a corpus entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "the corpus {} is empty; seed it (see fuzz/README.md)",
        dir.display()
    );
    files
}

fn replay(target: &str) {
    let run = common::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, run)| *run)
        .unwrap_or_else(|| panic!("no fuzz target {target}"));
    let files = corpus_files(target);
    let panicked: Vec<String> = files
        .iter()
        .filter(|file| {
            let bytes = std::fs::read(file).expect("a readable corpus file");
            catch_unwind(AssertUnwindSafe(|| run(&bytes))).is_err()
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(
        panicked.is_empty(),
        "{target}: {} of {} corpus files panicked:\n{}",
        panicked.len(),
        files.len(),
        panicked.join("\n")
    );
}

#[test]
fn every_target_has_a_corpus_folder_and_nothing_else_is_there() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    let mut folders: Vec<String> = std::fs::read_dir(&root)
        .expect("fuzz/corpus exists")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    folders.sort();
    let mut targets: Vec<String> = common::TARGETS
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    targets.sort();
    assert_eq!(folders, targets);
}

#[test]
fn csv_reader_corpus() {
    replay("csv_reader");
}

#[test]
fn jsonl_reader_corpus() {
    replay("jsonl_reader");
}

#[test]
fn xlsx_reader_corpus() {
    replay("xlsx_reader");
}

#[test]
fn anonymiser_corpus() {
    replay("anonymiser");
}

#[test]
fn search_query_corpus() {
    replay("search_query");
}

#[test]
fn taxonomy_corpus() {
    replay("taxonomy");
}
