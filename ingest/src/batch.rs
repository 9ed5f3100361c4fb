//! The ingest pipeline for a set of files: read → validate → anonymise → store, as one batch.
//! Either the whole batch lands or nothing does; with `skip_invalid` the valid records land and
//! the invalid ones are returned as rejects (location and problem, never their text).

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::anonymise::{Anonymiser, Memory, RedactionCounts};
use crate::error::{Error, InvalidInput, Location, RecordError, Result};
use crate::parse::{self, Format};
use crate::record::{AnonymisedText, CleanSession, ItemId, Session, StoredItem, ValidSession};
use crate::region::RegionRegistry;
use crate::store::{BatchMeta, Store, WriteOutcome};
use crate::validate::Validator;

/// Sessions anonymised per chunk (about five items each); each chunk is written while the next
/// is anonymised.
const SESSIONS_PER_CHUNK: usize = 1000;

/// How to run an ingest.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Store the valid records and report the invalid ones instead of refusing the batch.
    pub skip_invalid: bool,
    /// Who ran the ingest, for the audit log only.
    pub actor: String,
}

/// What happened to one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub file: String,
    pub sessions: usize,
    pub items: usize,
    pub rejected: usize,
}

/// The summary of an ingest.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestReport {
    pub files: Vec<FileReport>,
    /// Valid sessions and items read from the input (after merging rows of one session).
    pub sessions_read: usize,
    pub items_read: usize,
    /// Items that appeared more than once in the input and were kept once.
    pub duplicate_items: usize,
    pub sessions_added: usize,
    pub sessions_already_stored: usize,
    pub items_added: usize,
    pub items_already_stored: usize,
    /// Records (or whole files) left out because they were invalid.
    pub rejected: usize,
    /// Counts per kind of redaction, never the values.
    pub redactions: RedactionCounts,
    pub batch_id: Option<i64>,
    /// Notes such as an encoding conversion.
    pub notices: Vec<String>,
    /// The problems behind `rejected`.
    #[serde(skip)]
    pub rejects: Vec<RecordError>,
}

/// Progress of a long ingest, reported to the caller (a progress bar in the CLI).
pub trait Progress: Sync {
    /// The number of items that will be anonymised is known.
    fn start(&self, _items: u64) {}
    /// `n` more items were anonymised.
    fn advance(&self, _n: u64) {}
}

/// The pieces of the pipeline that are built once and shared: registry, anonymiser, validator.
#[derive(Debug)]
pub struct Pipeline<'a> {
    pub validator: Validator<'a>,
    pub anonymiser: &'a Anonymiser,
}

impl<'a> Pipeline<'a> {
    pub fn new(regions: &'a RegionRegistry, anonymiser: &'a Anonymiser) -> Self {
        Pipeline {
            validator: Validator::new(regions),
            anonymiser,
        }
    }

    /// Reads, validates, anonymises and stores `paths` as one batch.
    pub fn ingest_files(
        &self,
        store: &mut Store,
        paths: &[PathBuf],
        options: &IngestOptions,
        progress: &dyn Progress,
    ) -> Result<IngestReport> {
        let started = std::time::Instant::now();
        // Files are read in parallel; their order is kept.
        let inputs: Vec<(String, Result<parse::ParsedFile>)> = paths
            .par_iter()
            .map(|path| {
                let parsed = Format::from_path(path).and_then(|_| parse::read_file(path));
                (parse::display_name(path), parsed)
            })
            .collect();
        tracing::info!(
            files = paths.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "files read"
        );
        self.ingest_parsed(store, inputs, options, progress)
    }

    /// The same for input already read (uploads): `(file name, parse result)` pairs.
    pub fn ingest_parsed(
        &self,
        store: &mut Store,
        inputs: Vec<(String, Result<parse::ParsedFile>)>,
        options: &IngestOptions,
        progress: &dyn Progress,
    ) -> Result<IngestReport> {
        let started = std::time::Instant::now();
        let mut report = IngestReport::default();
        let mut valid = Vec::new();
        let mut file_errors = Vec::new();
        for (name, parsed) in inputs {
            let parsed = match parsed {
                Ok(parsed) => parsed,
                Err(e) if e.is_user_error() && options.skip_invalid => {
                    report.rejects.push(RecordError {
                        location: Location::line(name.clone(), 0),
                        value: None,
                        problem: format!("whole file left out: {e}"),
                    });
                    report.files.push(FileReport {
                        file: name,
                        sessions: 0,
                        items: 0,
                        rejected: 1,
                    });
                    continue;
                }
                Err(e) => {
                    file_errors.push(e);
                    continue;
                }
            };
            report.notices.extend(parsed.notices);
            let mut file = FileReport {
                file: name,
                sessions: 0,
                items: 0,
                rejected: parsed.errors.len(),
            };
            report.rejects.extend(parsed.errors);
            let results: Vec<_> = parsed
                .sessions
                .into_par_iter()
                .map(|raw| self.validator.session(raw))
                .collect();
            for result in results {
                match result {
                    Ok(session) => {
                        file.sessions += 1;
                        file.items += session.items.len();
                        valid.push(session);
                    }
                    Err(errors) => {
                        file.rejected += 1;
                        report.rejects.extend(errors);
                    }
                }
            }
            report.files.push(file);
        }
        if let Some(first) = file_errors.into_iter().next() {
            return Err(first);
        }
        if !report.rejects.is_empty() && !options.skip_invalid {
            return Err(Error::Invalid(InvalidInput {
                errors: std::mem::take(&mut report.rejects),
            }));
        }
        report.rejected = report.files.iter().map(|f| f.rejected).sum();

        tracing::info!(
            sessions = valid.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "validated"
        );
        let (merged, conflicts) = merge_sessions(valid);
        if !conflicts.is_empty() {
            if options.skip_invalid {
                report.rejected += conflicts.len();
                report.rejects.extend(conflicts);
            } else {
                return Err(Error::Invalid(InvalidInput { errors: conflicts }));
            }
        }

        let mut meta = BatchMeta {
            sources: report.files.iter().map(|f| f.file.clone()).collect(),
            actor: options.actor.clone(),
            rejected: report.rejected,
            redactions: serde_json::Value::Null,
        };
        // Anonymising and writing overlap: sessions (no free text) are written while the first
        // chunk of items is anonymised on the other threads, and each anonymised chunk is
        // written while the next one is being anonymised. Nothing is committed before the end.
        let session_rows: Vec<Session> = merged.iter().map(|v| v.session.clone()).collect();
        // The batch's full names first, so a surname named in full in one session is caught
        // alone in another (each thread learns from its share of the texts).
        let names = merged
            .par_iter()
            .fold(Memory::default, |mut names, session| {
                names.extend(
                    &self
                        .anonymiser
                        .learn_batch(session.items.iter().map(|i| i.text.as_str())),
                );
                names
            })
            .reduce(Memory::default, |mut a, b| {
                a.extend(&b);
                a
            });
        let names = &names;
        progress.start(merged.iter().map(|s| s.items.len() as u64).sum());
        let mut writer = store.begin_batch(&meta)?;
        let (chunks, receiver) = std::sync::mpsc::sync_channel(2);
        std::thread::scope(|scope| -> Result<()> {
            scope.spawn(move || {
                let mut sessions = merged.into_iter();
                loop {
                    let chunk: Vec<ValidSession> =
                        sessions.by_ref().take(SESSIONS_PER_CHUNK).collect();
                    // The writer hangs up when it fails: stop then.
                    if chunk.is_empty()
                        || chunks.send(self.anonymise(chunk, names, progress)).is_err()
                    {
                        break;
                    }
                }
            });
            // Owned here, so an early return hangs up and the anonymising thread stops.
            let receiver = receiver;
            writer.write_sessions(&session_rows.iter().collect::<Vec<_>>())?;
            for chunk in receiver {
                let mut sessions = Vec::with_capacity(chunk.len());
                for (session, counts, duplicates) in chunk {
                    report.redactions += counts;
                    report.duplicate_items += duplicates;
                    report.items_read += session.items.len();
                    sessions.push(session);
                }
                report.sessions_read += sessions.len();
                writer.write_items(&sessions)?;
            }
            Ok(())
        })?;
        tracing::info!(
            items = report.items_read,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "anonymised and written"
        );
        meta.redactions = serde_json::to_value(report.redactions).unwrap_or_default();
        let WriteOutcome {
            batch_id,
            sessions_added,
            sessions_already_stored,
            items_added,
            items_already_stored,
        } = writer.finish(&meta)?;
        tracing::info!(
            items_added,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "stored"
        );
        report.batch_id = Some(batch_id);
        report.sessions_added = sessions_added;
        report.sessions_already_stored = sessions_already_stored;
        report.items_added = items_added;
        report.items_already_stored = items_already_stored;
        Ok(report)
    }

    /// Anonymises every session's texts (one anonymiser group per session, so a name seen in
    /// one item is caught in the others, plus the full names the whole batch holds), derives
    /// content ids and drops duplicate items.
    fn anonymise(
        &self,
        sessions: Vec<ValidSession>,
        names: &Memory,
        progress: &dyn Progress,
    ) -> Vec<(CleanSession, RedactionCounts, usize)> {
        sessions
            .into_par_iter()
            .map(|valid| {
                let texts: Vec<&str> = valid.items.iter().map(|i| i.text.as_str()).collect();
                let redacted = self.anonymiser.anonymise_group_in_batch(&texts, names);
                let mut counts = RedactionCounts::default();
                let mut seen = std::collections::HashSet::new();
                let mut items = Vec::with_capacity(valid.items.len());
                let mut duplicates = 0;
                let session_id = valid.session.id.clone();
                for (item, redacted) in valid.items.into_iter().zip(redacted) {
                    counts += redacted.counts;
                    let text = AnonymisedText::new(redacted.text);
                    let id = ItemId::derive(&session_id, item.kind, &item.region, &text);
                    if !seen.insert(id.clone()) {
                        duplicates += 1;
                        continue;
                    }
                    items.push(StoredItem {
                        id,
                        session_id: session_id.clone(),
                        kind: item.kind,
                        region: item.region,
                        text,
                        themes: item.themes,
                        escalate: item.escalate,
                    });
                }
                progress.advance((items.len() + duplicates) as u64);
                (
                    CleanSession {
                        session: valid.session,
                        items,
                    },
                    counts,
                    duplicates,
                )
            })
            .collect()
    }
}

/// Joins sessions that appear more than once in the input (in two files, or on rows with the
/// date written differently). Their session fields must agree; a disagreement is an error at
/// the later occurrence.
fn merge_sessions(sessions: Vec<ValidSession>) -> (Vec<ValidSession>, Vec<RecordError>) {
    let mut merged: Vec<ValidSession> = Vec::with_capacity(sessions.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(sessions.len());
    let mut conflicts = Vec::new();
    for session in sessions {
        match index.get(session.session.id.as_str()) {
            Some(&i) => {
                let first = &mut merged[i];
                let mut a = first.session.clone();
                let mut b = session.session.clone();
                // The regions present are the union of what both occurrences list.
                a.regions_present.clear();
                b.regions_present.clear();
                if a == b {
                    first
                        .session
                        .regions_present
                        .extend(session.session.regions_present);
                    first.session.regions_present.sort();
                    first.session.regions_present.dedup();
                    first.items.extend(session.items);
                } else {
                    conflicts.push(RecordError {
                        location: session.location.clone(),
                        value: None,
                        problem: format!(
                            "describes the same session (programme {}, group {}, date {}) as {} but with different session fields; make them agree",
                            session.session.programme, session.session.group, session.session.date, first.location
                        ),
                    });
                }
            }
            None => {
                index.insert(session.session.id.as_str().to_owned(), merged.len());
                merged.push(session);
            }
        }
    }
    (merged, conflicts)
}
