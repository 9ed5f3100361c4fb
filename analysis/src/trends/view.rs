//! The disclosure layer for trends: every trend, escalation or evaluation output for a role is
//! made here, from the full computation, and nowhere else.
//!
//! A national supporter sees everything. A programme leader sees, per theme and period:
//! - the count of **other** regions, as [`RegionCount`] (below k: "<k", zero included);
//! - the share of other active regions, only where that count is shown;
//! - the items of their own region (their own data).
//!
//! Nothing else: no items, sessions or session shares of other regions, no totals over themes,
//! programmes or periods, no rising/new flags or test statistics (their q-values mix all themes),
//! no names, no texts. That is the secondary suppression: what a programme leader sees of a cell
//! depends only on the visible cells and on denominators that do not depend on any theme, so no
//! suppressed count can be recomputed by adding, subtracting or comparing (a property test in
//! `tests.rs` changes suppressed cells and checks the view stays byte for byte the same).
//! Programme leaders also see all programmes together only: regions of different programmes
//! could be told apart by subtraction. Escalations reach them only once a person has escalated a
//! theme, and their session evaluation covers only the sessions their region attended.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::assess::{Assessment, Flags};
use super::config::TrendConfig;
use super::data::TrendData;
use super::escalation::{Candidate, State};
use super::period::{Period, PeriodKind};
use super::table::{TableRequest, TrendTable, ratio};
use crate::disclosure::{RegionCount, Role};
use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;

/// Who a view is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    pub role: Role,
    /// A programme leader's own region (required for them).
    pub region: Option<String>,
    pub k: usize,
}

impl Audience {
    pub fn national(k: usize) -> Audience {
        Audience {
            role: Role::Landelijk,
            region: None,
            k,
        }
    }

    pub fn leader(region: &str, k: usize) -> Audience {
        Audience {
            role: Role::Programmaleider,
            region: Some(region.to_owned()),
            k,
        }
    }

    /// Checks the audience can ask for this: a leader needs a region and sees all programmes.
    pub fn check(&self, programme: Option<&str>) -> Result<()> {
        if self.role == Role::Programmaleider {
            if self.region.is_none() {
                return Err(Error::Invalid(
                    "a programme leader's view needs their region (--region)".into(),
                ));
            }
            if programme.is_some() {
                return Err(Error::Invalid(
                    "programme leaders see all programmes together: counts per programme could reveal suppressed ones. Leave out --programme".into(),
                ));
            }
        }
        Ok(())
    }

    pub fn national_view(&self) -> bool {
        self.role == Role::Landelijk
    }
}

/// Dutch and English labels of the themes.
#[derive(Debug, Clone, Default)]
pub struct Labels(BTreeMap<String, (String, String)>);

impl Labels {
    pub fn of(taxonomy: &Taxonomy) -> Labels {
        Labels(
            taxonomy
                .themes
                .iter()
                .map(|t| (t.id.clone(), (t.label_nl.clone(), t.label_en.clone())))
                .collect(),
        )
    }

    /// (nl, en); the id itself for a theme outside the taxonomy.
    pub fn get(&self, id: &str) -> (String, String) {
        self.0
            .get(id)
            .cloned()
            .unwrap_or_else(|| (id.to_owned(), id.to_owned()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodView {
    pub period: String,
    pub partial: bool,
    pub sessions_held: u32,
    pub active_regions: u32,
}

/// One theme in one period, as the audience may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellView {
    pub period: String,
    // National view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sessions: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regions: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_of_sessions: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_of_regions: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<Flags>,
    // Programme-leader view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_regions: Option<RegionCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_of_other_regions: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own_items: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeView {
    pub theme: String,
    pub label_nl: String,
    pub label_en: String,
    pub cells: Vec<CellView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendView {
    pub role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub period_kind: PeriodKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    pub as_of: NaiveDate,
    pub k: usize,
    pub periods: Vec<PeriodView>,
    pub themes: Vec<ThemeView>,
}

/// Periods shown when no start is given.
pub const DEFAULT_PERIODS: usize = 8;

/// The table `audience` may ask for, with its assessment: a programme leader's counts their own
/// region apart and spans all programmes.
pub fn audience_table(
    data: &TrendData,
    theme_order: &[String],
    config: &TrendConfig,
    kind: PeriodKind,
    programme: Option<String>,
    as_of: NaiveDate,
    audience: &Audience,
) -> Result<(TrendTable, Assessment)> {
    audience.check(programme.as_deref())?;
    let request = TableRequest {
        kind,
        programme,
        as_of,
        region: audience.region.clone(),
    };
    let table = TrendTable::compute(data, &request, theme_order)?;
    let assessment = Assessment::of(&table, &config.trend);
    Ok((table, assessment))
}

/// The periods to show of `table`, from `from` to `to` as typed (periods or dates, both
/// optional): without `from`, the last [`DEFAULT_PERIODS`] up to `to`.
pub fn shown_range(
    table: &TrendTable,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<std::ops::Range<usize>> {
    let parse = |text: Option<&str>, end: bool| {
        text.map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| Period::parse(t, table.kind, end))
            .transpose()
    };
    let from = parse(from, false)?;
    let mut shown = range(table, from, parse(to, true)?);
    if from.is_none() {
        shown.start = shown.end.saturating_sub(DEFAULT_PERIODS).max(shown.start);
    }
    Ok(shown)
}

/// The periods of `table` from `from` to `to` (both optional), as positions.
pub fn range(
    table: &TrendTable,
    from: Option<Period>,
    to: Option<Period>,
) -> std::ops::Range<usize> {
    let n = table.periods.len();
    let start = from.map_or(0, |p| {
        table
            .periods
            .iter()
            .position(|c| c.period >= p)
            .unwrap_or(n)
    });
    let end = to.map_or(n, |p| {
        table
            .periods
            .iter()
            .rposition(|c| c.period <= p)
            .map_or(0, |i| i + 1)
    });
    start..end.max(start)
}

/// The trend table as `audience` may see it, for the periods in `periods`. `table` must have
/// been computed with the leader's region for a programme leader.
pub fn trend_view(
    table: &TrendTable,
    assessment: &Assessment,
    audience: &Audience,
    labels: &Labels,
    periods: std::ops::Range<usize>,
) -> Result<TrendView> {
    audience.check(table.programme.as_deref())?;
    if !audience.national_view() && table.region != audience.region {
        return Err(Error::Invalid(
            "internal: a programme leader's table must count their own region apart".into(),
        ));
    }
    let end = periods.end.min(table.periods.len());
    let periods = periods.start.min(end)..end;
    let columns = &table.periods[periods.clone()];
    let themes = table
        .themes
        .iter()
        .enumerate()
        .map(|(row, theme)| {
            let (label_nl, label_en) = labels.get(&theme.theme);
            let cells = periods
                .clone()
                .map(|i| {
                    let (c, p) = (&theme.cells[i], &table.periods[i]);
                    let period = p.period.label();
                    if audience.national_view() {
                        CellView {
                            period,
                            items: Some(c.items),
                            sessions: Some(c.sessions),
                            regions: Some(c.regions),
                            share_of_sessions: c.share_of_sessions(p),
                            share_of_regions: c.share_of_regions(p),
                            flags: Some(assessment.flags[row][i]),
                            other_regions: None,
                            share_of_other_regions: None,
                            own_items: None,
                        }
                    } else {
                        let others = RegionCount::new(c.others as usize, audience.k, audience.role);
                        CellView {
                            period,
                            items: None,
                            sessions: None,
                            regions: None,
                            share_of_sessions: None,
                            share_of_regions: None,
                            flags: None,
                            other_regions: Some(others),
                            share_of_other_regions: others
                                .exact()
                                .and_then(|n| ratio(n as u32, p.active_others)),
                            own_items: Some(c.own_items),
                        }
                    }
                })
                .collect();
            ThemeView {
                theme: theme.theme.clone(),
                label_nl,
                label_en,
                cells,
            }
        })
        .collect();
    Ok(TrendView {
        role: audience.role,
        region: audience.region.clone(),
        period_kind: table.kind,
        programme: table.programme.clone(),
        as_of: table.as_of,
        k: audience.k,
        periods: columns
            .iter()
            .map(|c| PeriodView {
                period: c.period.label(),
                partial: c.partial,
                sessions_held: c.sessions_held,
                active_regions: c.active_regions,
            })
            .collect(),
        themes,
    })
}

/// A theme in the escalation process or a candidate now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EscalationView {
    pub theme: String,
    pub label_nl: String,
    pub label_en: String,
    pub state: Option<State>,
    /// National view only: the rule's evidence, when it fires now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate: Option<Candidate>,
}

/// States that have been made public by a person: what programme leaders may see.
pub const PUBLIC_STATES: [State; 3] = [State::Geescaleerd, State::InBehandeling, State::Opgelost];

/// Escalations as `audience` may see them: national supporters every theme with a state or a
/// firing rule, with its dossier; programme leaders only themes a person escalated, without
/// numbers.
pub fn escalation_view(
    candidates: &[Candidate],
    states: &BTreeMap<String, State>,
    audience: &Audience,
    labels: &Labels,
) -> Vec<EscalationView> {
    let mut themes: Vec<&String> = states.keys().collect();
    for c in candidates {
        if !states.contains_key(&c.theme) {
            themes.push(&c.theme);
        }
    }
    themes.sort();
    themes
        .into_iter()
        .filter_map(|theme| {
            let state = states.get(theme).copied();
            let candidate = candidates.iter().find(|c| &c.theme == theme);
            if !audience.national_view() && visible_state(state, audience).is_none() {
                return None;
            }
            let (label_nl, label_en) = labels.get(theme);
            Some(EscalationView {
                theme: theme.clone(),
                label_nl,
                label_en,
                state,
                candidate: candidate.filter(|_| audience.national_view()).cloned(),
            })
        })
        .collect()
}

/// A theme's escalation state as `audience` may see it: national supporters every state,
/// programme leaders only the states a person made public (`None` otherwise).
pub fn visible_state(state: Option<State>, audience: &Audience) -> Option<State> {
    state.filter(|s| audience.national_view() || PUBLIC_STATES.contains(s))
}

/// Whether `audience` may see a theme's escalation history (who moved it, when, why): national
/// supporters only.
pub fn sees_escalation_history(audience: &Audience) -> bool {
    audience.national_view()
}

/// Whose sessions a session evaluation may cover for `audience`: all, or the leader's own.
pub fn evaluation_region(audience: &Audience) -> Result<Option<&str>> {
    audience.check(None)?;
    Ok(match audience.role {
        Role::Landelijk => None,
        Role::Programmaleider => audience.region.as_deref(),
    })
}
