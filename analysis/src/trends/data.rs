//! The store's sessions and themed items as polars frames, loaded once and brought up to date
//! incrementally: after an ingest only the new batches are read; after a taxonomy change (a new
//! classification fingerprint) everything is read again.
//!
//! Names become `u32` codes (regions, themes, programmes, tags, sessions) and dates month
//! indices ([`super::period::month_index`]), so grouping and distinct counts work on integers.
//! No text is loaded.

use std::collections::HashMap;

use chrono::NaiveDate;
use ingest::store::{MentionRow, SessionRow, Store};
use polars::prelude::*;

use super::period::month_index;
use crate::error::{Error, Result};

/// Names and their codes, in order of first appearance.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    names: Vec<String>,
    codes: HashMap<String, u32>,
}

impl Dictionary {
    pub fn code(&mut self, name: &str) -> u32 {
        if let Some(&code) = self.codes.get(name) {
            return code;
        }
        let code = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.codes.insert(name.to_owned(), code);
        code
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.codes.get(name).copied()
    }

    pub fn name(&self, code: u32) -> &str {
        self.names.get(code as usize).map_or("", String::as_str)
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// What is known of a session when its items arrive.
#[derive(Debug, Clone, Copy)]
struct SessionKey {
    code: u32,
    month: i32,
    programme: u32,
}

/// The frames trends are computed from.
///
/// Every frame has the `month`, `quarter` and `year` of its session (see [`super::PeriodKind::column`]).
/// - `mentions`: one row per (item, theme): `theme`, `session`, `region`, `programme`, `signal`
///   (the item is a `signaal`).
/// - `sessions`: one row per session: `session`, `month`, `programme`, `online`, `moderated`
///   (nullable booleans), `cases_submitted`, `cases_discussed`, `score`
///   (nullable `u32`).
/// - `presence`: one row per (session, region present): `session`, `region`, `month`,
///   `programme`: the regions active in a period.
/// - `tags`: one row per (session, evaluation tag): `session`, `tag`, `month`, `programme`.
#[derive(Debug, Clone)]
pub struct TrendData {
    pub(crate) mentions: DataFrame,
    pub(crate) sessions: DataFrame,
    pub(crate) presence: DataFrame,
    pub(crate) tags: DataFrame,
    pub(crate) regions: Dictionary,
    pub(crate) themes: Dictionary,
    pub(crate) programmes: Dictionary,
    pub(crate) tag_names: Dictionary,
    session_keys: HashMap<String, SessionKey>,
    /// The newest batch loaded.
    last_batch: i64,
    /// The classification the mentions come from.
    fingerprint: Option<String>,
}

/// Columns being filled from rows, turned into frames at the end.
#[derive(Debug, Default)]
struct Columns {
    m_theme: Vec<u32>,
    m_session: Vec<u32>,
    m_region: Vec<u32>,
    m_month: Vec<i32>,
    m_programme: Vec<u32>,
    m_signal: Vec<bool>,
    s_session: Vec<u32>,
    s_month: Vec<i32>,
    s_programme: Vec<u32>,
    s_online: Vec<Option<bool>>,
    s_moderated: Vec<Option<bool>>,
    s_submitted: Vec<Option<u32>>,
    s_discussed: Vec<Option<u32>>,
    s_score: Vec<Option<u32>>,
    p_session: Vec<u32>,
    p_region: Vec<u32>,
    p_month: Vec<i32>,
    p_programme: Vec<u32>,
    t_session: Vec<u32>,
    t_tag: Vec<u32>,
    t_month: Vec<i32>,
    t_programme: Vec<u32>,
}

/// The month column and the period columns derived from it: `quarter`, `year`.
fn period_columns(months: Vec<i32>) -> [Column; 3] {
    let quarters: Vec<i32> = months.iter().map(|m| m.div_euclid(3)).collect();
    let years: Vec<i32> = months.iter().map(|m| m.div_euclid(12)).collect();
    [
        Column::new("month".into(), months),
        Column::new("quarter".into(), quarters),
        Column::new("year".into(), years),
    ]
}

fn frame(columns: Vec<Column>, months: Vec<i32>) -> Result<DataFrame> {
    let mut all = columns;
    all.extend(period_columns(months));
    Ok(DataFrame::new_infer_height(all)?)
}

impl Columns {
    fn into_frames(self) -> Result<(DataFrame, DataFrame, DataFrame, DataFrame)> {
        let mentions = frame(
            vec![
                Column::new("theme".into(), self.m_theme),
                Column::new("session".into(), self.m_session),
                Column::new("region".into(), self.m_region),
                Column::new("programme".into(), self.m_programme),
                Column::new("signal".into(), self.m_signal),
            ],
            self.m_month,
        )?;
        let sessions = frame(
            vec![
                Column::new("session".into(), self.s_session),
                Column::new("programme".into(), self.s_programme),
                Column::new("online".into(), self.s_online),
                Column::new("moderated".into(), self.s_moderated),
                Column::new("cases_submitted".into(), self.s_submitted),
                Column::new("cases_discussed".into(), self.s_discussed),
                Column::new("score".into(), self.s_score),
            ],
            self.s_month,
        )?;
        let presence = frame(
            vec![
                Column::new("session".into(), self.p_session),
                Column::new("region".into(), self.p_region),
                Column::new("programme".into(), self.p_programme),
            ],
            self.p_month,
        )?;
        let tags = frame(
            vec![
                Column::new("session".into(), self.t_session),
                Column::new("tag".into(), self.t_tag),
                Column::new("programme".into(), self.t_programme),
            ],
            self.t_month,
        )?;
        Ok((mentions, sessions, presence, tags))
    }
}

impl TrendData {
    fn empty() -> Result<TrendData> {
        let (mentions, sessions, presence, tags) = Columns::default().into_frames()?;
        Ok(TrendData {
            mentions,
            sessions,
            presence,
            tags,
            regions: Dictionary::default(),
            themes: Dictionary::default(),
            programmes: Dictionary::default(),
            tag_names: Dictionary::default(),
            session_keys: HashMap::new(),
            last_batch: 0,
            fingerprint: None,
        })
    }

    /// Loads the store's batches up to `through_batch`: the newest one whose items are
    /// classified ([`crate::index::ThemeIndex::classified_through`]). A batch stored but not
    /// classified yet would otherwise be loaded without its themes and never again.
    pub fn load(store: &Store, through_batch: i64) -> Result<TrendData> {
        let mut data = TrendData::empty()?;
        data.refresh(store, through_batch)?;
        Ok(data)
    }

    /// Brings the frames up to date: the batches after the last one loaded up to
    /// `through_batch`, or everything up to it if the store was reclassified since. Returns
    /// whether anything changed.
    pub fn refresh(&mut self, store: &Store, through_batch: i64) -> Result<bool> {
        let fingerprint = store.classification()?.map(|c| c.fingerprint);
        if fingerprint != self.fingerprint && self.last_batch > 0 {
            *self = TrendData::empty()?;
        }
        let last_batch = store.last_batch_id()?.min(through_batch);
        if last_batch <= self.last_batch && fingerprint == self.fingerprint {
            return Ok(false);
        }
        let after = self.last_batch;
        let mut columns = Columns::default();
        // Rows stream straight into the columns; a row we cannot use stops the reading and its
        // error (ours, not the store's) is the one returned.
        let mut failure = None;
        let mut keep = |result: Result<()>| {
            result.map_err(|e| {
                failure = Some(e);
                ingest::Error::Conflict("stopped reading".into())
            })
        };
        let read = store
            .for_each_session_row(after, last_batch, |row| {
                keep(self.add_session(&mut columns, row))
            })
            .and_then(|()| {
                store.for_each_mention_row(after, last_batch, |row| {
                    keep(self.add_mention(&mut columns, row))
                })
            });
        if let Some(error) = failure {
            return Err(error);
        }
        read?;
        self.push(columns)?;
        self.last_batch = last_batch;
        self.fingerprint = fingerprint;
        Ok(true)
    }

    /// Builds frames from rows, without a store (tests, benchmarks). Every mention's session
    /// must be among `sessions`.
    pub fn from_rows(
        sessions: impl IntoIterator<Item = SessionRow>,
        mentions: impl IntoIterator<Item = MentionRow>,
    ) -> Result<TrendData> {
        let mut data = TrendData::empty()?;
        let mut columns = Columns::default();
        for row in sessions {
            data.add_session(&mut columns, row)?;
        }
        for row in mentions {
            data.add_mention(&mut columns, row)?;
        }
        data.push(columns)?;
        Ok(data)
    }

    fn add_session(&mut self, c: &mut Columns, s: SessionRow) -> Result<()> {
        let date = NaiveDate::parse_from_str(&s.date, "%Y-%m-%d").map_err(|_| {
            Error::Invalid(format!(
                "session {} has an unreadable date {}",
                s.id, s.date
            ))
        })?;
        let month = month_index(date);
        let programme = self.programmes.code(&s.programme);
        let next = self.session_keys.len() as u32;
        let key = *self.session_keys.entry(s.id).or_insert(SessionKey {
            code: next,
            month,
            programme,
        });
        if key.code != next {
            return Ok(()); // stored earlier (cannot happen with content ids; harmless)
        }
        c.s_session.push(key.code);
        c.s_month.push(month);
        c.s_programme.push(programme);
        c.s_online.push(s.mode.as_deref().map(|m| m == "online"));
        c.s_moderated.push(s.moderated);
        c.s_submitted.push(s.cases_submitted);
        c.s_discussed.push(s.cases_discussed);
        c.s_score.push(s.score.map(u32::from));
        for region in &s.regions {
            c.p_session.push(key.code);
            c.p_region.push(self.regions.code(region));
            c.p_month.push(month);
            c.p_programme.push(programme);
        }
        for tag in &s.tags {
            c.t_session.push(key.code);
            c.t_tag.push(self.tag_names.code(tag));
            c.t_month.push(month);
            c.t_programme.push(programme);
        }
        Ok(())
    }

    fn add_mention(&mut self, c: &mut Columns, m: MentionRow) -> Result<()> {
        let Some(key) = self.session_keys.get(&m.session_id).copied() else {
            return Err(Error::Invalid(format!(
                "an item refers to session {}, which is not stored",
                m.session_id
            )));
        };
        c.m_theme.push(self.themes.code(&m.theme));
        c.m_session.push(key.code);
        c.m_region.push(self.regions.code(&m.region));
        c.m_month.push(key.month);
        c.m_programme.push(key.programme);
        c.m_signal.push(m.kind == "signaal");
        Ok(())
    }

    /// Appends the filled columns to the frames.
    fn push(&mut self, c: Columns) -> Result<()> {
        let (mentions, sessions, presence, tags) = c.into_frames()?;
        self.mentions.vstack_mut_owned(mentions)?;
        self.sessions.vstack_mut_owned(sessions)?;
        self.presence.vstack_mut_owned(presence)?;
        self.tags.vstack_mut_owned(tags)?;
        // Many small appends leave many chunks; one chunk keeps grouping fast.
        for frame in [
            &mut self.mentions,
            &mut self.sessions,
            &mut self.presence,
            &mut self.tags,
        ] {
            if frame.first_col_n_chunks() > 8 {
                frame.rechunk_mut();
            }
        }
        Ok(())
    }

    /// The oldest session's month index.
    pub(crate) fn first_month(&self) -> Result<Option<i32>> {
        Ok(self.sessions.column("month")?.i32()?.min())
    }

    /// The programme names seen in the sessions, in order of first appearance.
    pub fn programmes(&self) -> &[String] {
        self.programmes.names()
    }

    pub fn sessions(&self) -> usize {
        self.sessions.height()
    }

    pub fn mentions(&self) -> usize {
        self.mentions.height()
    }
}
