//! The tantivy index of every stored item: derived from the store, kept in `<store>/index/`,
//! and brought up to date by [`ThemeIndex::sync`] after each ingest and whenever it lags (a
//! crash between the store's commit and the index's is repaired on the next start). Each index
//! commit records the last batch it holds and the taxonomy its themes come from; a new taxonomy
//! reclassifies and re-indexes everything. One process writes at a time (tantivy's lock file):
//! a second gets [`Error::IndexBusy`].

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ingest::store::{ClassificationState, IndexRow, ItemTheme, Review, Store, ThemeSource};
use serde::{Deserialize, Serialize};
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, STORED, STRING, Schema,
};
use tantivy::{DateTime, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::classify::{Classifier, Decision};
use crate::error::{Error, Result};
use crate::taxonomy::{EXACT_FIELD, TEXT_FIELD, exact_options, text_options};
use crate::text_analysis;

/// The index's folder inside the store directory.
pub const INDEX_DIR: &str = "index";

/// Indexing memory: two writer threads of 32 MB each (tantivy needs ≥ 15 MB per thread).
/// Peak memory of a sync is this plus the classification pass's (the same again).
pub const WRITER_BYTES: usize = 64 * 1024 * 1024;
const WRITER_THREADS: usize = 2;

/// Items classified and indexed per step, bounding the classification pass's memory (the
/// rows themselves are read first, since the store cannot be read and written at once).
const ITEMS_PER_STEP: usize = 25_000;

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub session: Field,
    pub text: Field,
    pub exact: Field,
    pub kind: Field,
    pub region: Field,
    pub programme: Field,
    pub date: Field,
    pub themes: Field,
    pub batch: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let date_options =
            DateOptions::from(INDEXED | STORED | FAST).set_precision(DateTimePrecision::Seconds);
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            session: b.add_text_field("session", STRING | STORED),
            text: b.add_text_field(TEXT_FIELD, text_options(true)),
            exact: b.add_text_field(EXACT_FIELD, exact_options()),
            kind: b.add_text_field("kind", STRING | STORED | FAST),
            region: b.add_text_field("region", STRING | STORED | FAST),
            programme: b.add_text_field("programme", STRING | STORED | FAST),
            date: b.add_date_field("date", date_options),
            themes: b.add_text_field("themes", STRING | STORED | FAST),
            batch: b.add_i64_field("batch", INDEXED | STORED),
        };
        (b.build(), fields)
    }
}

/// What the last commit of the index holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Payload {
    last_batch: i64,
    taxonomy_version: u32,
    fingerprint: String,
}

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Items classified and added to the index.
    pub indexed: usize,
    /// Everything was reclassified and re-indexed (new taxonomy, or a rebuild).
    pub rebuilt: bool,
}

/// The index of a store.
pub struct ThemeIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
}

impl std::fmt::Debug for ThemeIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThemeIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

impl ThemeIndex {
    /// Opens the index of the store in `store_dir`, creating an empty one if there is none.
    pub fn open(store_dir: &Path) -> Result<ThemeIndex> {
        let dir = store_dir.join(INDEX_DIR);
        std::fs::create_dir_all(&dir).map_err(|source| Error::Read {
            path: dir.clone(),
            source,
        })?;
        let (schema, fields) = Fields::schema();
        let broken = |e: tantivy::TantivyError| Error::IndexBroken {
            path: dir.clone(),
            reason: e.to_string(),
        };
        let directory = tantivy::directory::MmapDirectory::open(&dir)
            .map_err(|e| broken(tantivy::TantivyError::from(e)))?;
        let index = Index::open_or_create(directory, schema).map_err(broken)?;
        text_analysis::register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(broken)?;
        Ok(ThemeIndex {
            index,
            reader,
            fields,
            dir,
        })
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Makes the searcher see the index's latest commit (made by this or another process).
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    fn payload(&self) -> Result<Payload> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default())
    }

    /// The newest batch whose items are classified and indexed: what trend analysis may read.
    pub fn classified_through(&self) -> Result<i64> {
        Ok(self.payload()?.last_batch)
    }

    /// Whether the index (or the store's classification) is behind the store or the taxonomy.
    pub fn lags(&self, store: &Store, classifier: &Classifier) -> Result<bool> {
        let payload = self.payload()?;
        let classified = store.classification()?;
        Ok(payload.last_batch < store.last_batch_id()?
            || payload.fingerprint != classifier.fingerprint()
            || classified.is_some_and(|c| c.fingerprint != classifier.fingerprint()))
    }

    /// Brings classification and index up to date with the store: the items of batches the
    /// index does not hold yet, or everything when the taxonomy changed or `rebuild` is set.
    pub fn sync(
        &mut self,
        store: &mut Store,
        classifier: &Classifier,
        rebuild: bool,
        progress: &dyn Fn(usize),
    ) -> Result<SyncReport> {
        let taxonomy = classifier.taxonomy();
        let payload = self.payload()?;
        let stored = store.classification()?;
        let fingerprint = classifier.fingerprint();
        let rebuild = rebuild
            || payload.fingerprint != fingerprint
            || stored
                .as_ref()
                .is_some_and(|c| c.fingerprint != fingerprint);
        if let Some(stored) = &stored
            && stored.fingerprint != fingerprint
            && stored.taxonomy_version == taxonomy.version
            && stored.model_version == classifier.model_version()
        {
            tracing::warn!(
                version = taxonomy.version,
                "the taxonomy changed but its version did not; raise `version` in themes.toml so trend lines can tell the classifications apart"
            );
        }
        let last_batch = store.last_batch_id()?;
        let after = if rebuild { 0 } else { payload.last_batch };
        if !rebuild && after >= last_batch {
            return Ok(SyncReport::default());
        }
        let mut writer: IndexWriter = match self
            .index
            .writer_with_num_threads(WRITER_THREADS, WRITER_BYTES)
        {
            Ok(writer) => writer,
            Err(tantivy::TantivyError::LockFailure(..)) => {
                return Err(Error::IndexBusy {
                    path: self.dir.clone(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        if rebuild {
            writer.delete_all_documents()?;
        } else {
            // Items of a batch the index may partly hold are replaced, not doubled.
            writer.delete_query(Box::new(tantivy::query::RangeQuery::new(
                std::ops::Bound::Excluded(Term::from_field_i64(self.fields.batch, after)),
                std::ops::Bound::Unbounded,
            )))?;
        }
        let state = ClassificationState {
            taxonomy_version: taxonomy.version,
            fingerprint: fingerprint.to_owned(),
            model_version: classifier.model_version(),
        };
        let mut report = SyncReport {
            indexed: 0,
            rebuilt: rebuild,
        };
        // Three stages overlap: the store's rows are read in steps, a step is classified (on
        // both cores) as soon as it is read, and recorded (the store's writes, on one thread)
        // while the next one is classified. Reading ends before the first write: the store
        // cannot be read and written at once.
        std::thread::scope(|scope| -> Result<()> {
            let (to_classify, read) = std::sync::mpsc::channel::<Vec<IndexRow>>();
            let (to_record, classified) = std::sync::mpsc::sync_channel(1);
            scope.spawn(move || {
                for chunk in read {
                    let started = std::time::Instant::now();
                    let texts: Vec<&str> = chunk.iter().map(|r| r.text.as_str()).collect();
                    let decided = classifier.decide(&texts);
                    drop(texts);
                    let failed = decided.is_err();
                    // The recorder hangs up when it fails: stop then, and after an error.
                    if to_record.send((chunk, decided, started.elapsed())).is_err() || failed {
                        break;
                    }
                }
            });
            let mut chunk = Vec::with_capacity(ITEMS_PER_STEP);
            let mut read_any = false;
            store.for_each_index_row(after, |row| {
                read_any = true;
                chunk.push(row);
                if chunk.len() == ITEMS_PER_STEP {
                    // A closed channel means the classifier stopped on an error, reported below.
                    let _ = to_classify.send(std::mem::replace(
                        &mut chunk,
                        Vec::with_capacity(ITEMS_PER_STEP),
                    ));
                }
                Ok(())
            })?;
            if !chunk.is_empty() {
                let _ = to_classify.send(chunk);
            }
            drop(to_classify);
            if !read_any && rebuild {
                store.write_themes(&state, &[], true)?;
            }
            if !rebuild {
                store.clear_themes_after(after)?;
            }
            for (i, (rows, decided, classify_time)) in classified.into_iter().enumerate() {
                self.record(
                    &mut writer,
                    store,
                    classifier,
                    &state,
                    &rows,
                    decided?,
                    classify_time,
                    rebuild && i == 0,
                )?;
                report.indexed += rows.len();
                progress(report.indexed);
            }
            Ok(())
        })?;
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(
            &serde_json::to_string(&Payload {
                last_batch,
                taxonomy_version: taxonomy.version,
                fingerprint: fingerprint.to_owned(),
            })
            .unwrap_or_default(),
        );
        commit.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(report)
    }

    /// Records the themes `decided` for `rows` in the store and adds the rows to the index.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        writer: &mut IndexWriter,
        store: &mut Store,
        classifier: &Classifier,
        state: &ClassificationState,
        rows: &[IndexRow],
        decided: Vec<Vec<crate::classify::Decision>>,
        classify_time: std::time::Duration,
        replace_all: bool,
    ) -> Result<()> {
        let started = std::time::Instant::now();
        let ids = &classifier.taxonomy().themes;
        let mut classified = Vec::with_capacity(rows.len());
        for (row, decided) in rows.iter().zip(decided) {
            let themes = item_themes(row, &decided, ids);
            writer.add_document(self.document(row, &themes))?;
            classified.push((row.item_id.clone(), themes));
        }
        let index_ms = started.elapsed().as_millis();
        store.write_themes(state, &classified, replace_all)?;
        tracing::debug!(
            items = rows.len(),
            classify_ms = classify_time.as_millis(),
            index_ms,
            themes_ms = started.elapsed().as_millis() - index_ms,
            "classified and indexed"
        );
        Ok(())
    }

    /// Records a person's review of an item (`themes`: the theme ids they chose, empty for
    /// "other") in the store, with why (the classifier agreeing or not), and replaces the item's
    /// document in the index at once; the review decides the item's themes from now on.
    pub fn review(
        &mut self,
        store: &mut Store,
        classifier: &Classifier,
        item_id: &str,
        themes: &[String],
        reviewer: &str,
        actor: &str,
    ) -> Result<Review> {
        let known = &classifier.taxonomy().themes;
        if let Some(unknown) = themes.iter().find(|t| !known.iter().any(|k| &k.id == *t)) {
            return Err(Error::Invalid(format!(
                "there is no theme {:?} in taxonomy version {}",
                ingest::error::cut(unknown, 80),
                classifier.taxonomy().version
            )));
        }
        let Some(mut row) = store.index_row(item_id)? else {
            return Err(Error::Invalid(format!(
                "there is no item {:?}; reload the review page",
                ingest::error::cut(item_id, 80)
            )));
        };
        let mut chosen = themes.to_vec();
        chosen.sort();
        chosen.dedup();
        row.review = Some(chosen);
        let decided = classifier.decide(&[row.text.as_str()])?;
        let themes = item_themes(&row, &decided[0], known);
        let review = store.record_review(item_id, &themes, reviewer, actor)?;
        let payload = self.payload()?;
        let mut writer: IndexWriter = match self.index.writer_with_num_threads(1, WRITER_BYTES / 2)
        {
            Ok(writer) => writer,
            Err(tantivy::TantivyError::LockFailure(..)) => {
                return Err(Error::IndexBusy {
                    path: self.dir.clone(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        writer.delete_term(Term::from_field_text(self.fields.id, item_id));
        writer.add_document(self.document(&row, &themes))?;
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&serde_json::to_string(&payload).unwrap_or_default());
        commit.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(review)
    }

    fn document(&self, row: &IndexRow, themes: &[ItemTheme]) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.id, &row.item_id);
        doc.add_text(f.session, &row.session_id);
        doc.add_text(f.text, &row.text);
        doc.add_text(f.exact, &row.text);
        doc.add_text(f.kind, &row.kind);
        doc.add_text(f.region, &row.region);
        doc.add_text(f.programme, &row.programme);
        if let Some(date) = parse_date(&row.date) {
            doc.add_date(f.date, date_time(date));
        }
        for theme in themes {
            doc.add_text(f.themes, &theme.theme);
        }
        doc.add_i64(f.batch, row.batch_id);
        doc
    }
}

/// A stored text field's first value ("" when absent).
/// An item's themes with why: a review decides alone (the classifier only says whether it
/// agrees); otherwise the manual tags, then what the classifier gave besides them.
fn item_themes(
    row: &IndexRow,
    decided: &[Decision],
    ids: &[crate::taxonomy::Theme],
) -> Vec<ItemTheme> {
    let automatic = |theme: &str| decided.iter().find(|d| ids[d.theme].id == theme);
    let given = row.review.as_ref().unwrap_or(&row.tags);
    let mut themes: Vec<ItemTheme> = given
        .iter()
        .map(|theme| {
            let automatic = automatic(theme);
            ItemTheme {
                theme: theme.clone(),
                source: if automatic.is_some() {
                    ThemeSource::Both
                } else {
                    ThemeSource::Tag
                },
                probability: automatic.and_then(|d| d.probability),
            }
        })
        .collect();
    if row.review.is_none() {
        for d in decided {
            let theme = &ids[d.theme].id;
            if !row.tags.contains(theme) {
                themes.push(ItemTheme {
                    theme: theme.clone(),
                    source: if d.query {
                        ThemeSource::Query
                    } else {
                        ThemeSource::Model
                    },
                    probability: d.probability,
                });
            }
        }
    }
    themes.sort_by(|a, b| a.theme.cmp(&b.theme));
    themes
}

pub fn stored_text(doc: &TantivyDocument, field: Field) -> String {
    use tantivy::schema::Value;
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

/// A stored date field as YYYY-MM-DD ("" when absent).
pub fn stored_date(doc: &TantivyDocument, field: Field) -> String {
    use tantivy::schema::Value;
    doc.get_first(field)
        .and_then(|v| v.as_datetime())
        .and_then(calendar_date)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// The calendar date of a tantivy date (stored as midnight UTC).
pub fn calendar_date(date: DateTime) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(date.into_timestamp_secs(), 0).map(|d| d.date_naive())
}

/// A stored date (YYYY-MM-DD).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Midnight UTC of `date`, as tantivy stores dates.
pub fn date_time(date: NaiveDate) -> DateTime {
    let seconds = date
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc().timestamp())
        .unwrap_or_default();
    DateTime::from_timestamp_secs(seconds)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::taxonomy::Taxonomy;

    fn classifier() -> Classifier {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/themes.toml");
        Classifier::new(Arc::new(Taxonomy::load(&path).unwrap()))
    }

    #[test]
    fn a_second_writer_gets_a_clear_message_not_a_corrupted_index() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let holder = ThemeIndex::open(dir.path()).unwrap();
        // Another process (here: another handle) is writing.
        let _lock: IndexWriter = holder.index.writer(WRITER_BYTES).unwrap();
        let mut second = ThemeIndex::open(dir.path()).unwrap();
        let err = second
            .sync(&mut store, &classifier(), false, &|_| {})
            .unwrap_err();
        assert!(matches!(err, Error::IndexBusy { .. }), "{err}");
        assert!(err.to_string().contains("another signaalradar process"));
        assert!(err.is_user_error());
    }

    #[test]
    fn an_empty_store_syncs_to_an_empty_index_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let mut index = ThemeIndex::open(dir.path()).unwrap();
        let classifier = classifier();
        assert!(index.lags(&store, &classifier).unwrap());
        let report = index.sync(&mut store, &classifier, false, &|_| {}).unwrap();
        assert_eq!(report.indexed, 0);
        assert!(!index.lags(&store, &classifier).unwrap());
        assert_eq!(
            store.classification().unwrap().unwrap().taxonomy_version,
            classifier.taxonomy().version
        );
    }
}
