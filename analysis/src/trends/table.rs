//! The trend table: per theme and period, items, sessions mentioning the theme and distinct
//! regions, against the period's sessions held and active regions. Every period from the first
//! session up to the one containing the as-of date is present, zeros included; that last period
//! is `partial` while it runs.

use chrono::NaiveDate;
use polars::prelude::*;

use super::data::TrendData;
use super::period::{Period, PeriodKind, month_index};
use crate::error::{Error, Result};

/// What to count.
#[derive(Debug, Clone)]
pub struct TableRequest {
    pub kind: PeriodKind,
    /// Only this programme's sessions.
    pub programme: Option<String>,
    /// The day the table is made for: later sessions are left out, its period is partial.
    pub as_of: NaiveDate,
    /// Also count, per cell, the regions other than this one and this one's items (the
    /// programme-leader view).
    pub region: Option<String>,
}

/// A period's column: its denominators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodColumn {
    pub period: Period,
    /// Still running on the as-of date: low counts are not a drop.
    pub partial: bool,
    pub sessions_held: u32,
    pub active_regions: u32,
    /// Active regions other than the request's region.
    pub active_others: u32,
}

/// One theme in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    pub items: u32,
    /// Sessions with at least one item on the theme.
    pub sessions: u32,
    /// Distinct regions that raised the theme.
    pub regions: u32,
    /// Items of kind `signaal`.
    pub signals: u32,
    /// Distinct regions other than the request's region.
    pub others: u32,
    /// Items of the request's region.
    pub own_items: u32,
}

impl Cell {
    pub fn share_of_sessions(&self, column: &PeriodColumn) -> Option<f64> {
        ratio(self.sessions, column.sessions_held)
    }

    pub fn share_of_regions(&self, column: &PeriodColumn) -> Option<f64> {
        ratio(self.regions, column.active_regions)
    }
}

pub(crate) fn ratio(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

/// A theme's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeRow {
    pub theme: String,
    /// One per period, in the order of [`TrendTable::periods`].
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendTable {
    pub kind: PeriodKind,
    pub programme: Option<String>,
    pub region: Option<String>,
    pub as_of: NaiveDate,
    pub periods: Vec<PeriodColumn>,
    pub themes: Vec<ThemeRow>,
}

impl TrendTable {
    /// Counts `data` per theme and period. Rows follow `theme_order` (the taxonomy), then any
    /// other theme found in the data, by id.
    pub fn compute(
        data: &TrendData,
        request: &TableRequest,
        theme_order: &[String],
    ) -> Result<TrendTable> {
        let kind = request.kind;
        let last_month = month_index(request.as_of);
        let current = kind.of(request.as_of);
        let programme = match &request.programme {
            None => None,
            Some(name) => Some(data.programmes.get(name).ok_or_else(|| {
                Error::Invalid(format!(
                    "no sessions of programme \"{name}\"; the store has: {}",
                    data.programmes.names().join(", ")
                ))
            })?),
        };
        // A region that never took part has no code: nothing to exclude, nothing of its own.
        let region = request
            .region
            .as_deref()
            .map(|r| data.regions.get(r).unwrap_or(u32::MAX));
        let first = data
            .first_month()?
            .map_or(current, |m| kind.of_month(m))
            .min(current);
        let periods: Vec<Period> = (first.index..=current.index)
            .map(|index| Period { kind, index })
            .collect();
        let slot = |index: i32| -> Option<usize> {
            usize::try_from(index - first.index)
                .ok()
                .filter(|&i| i < periods.len())
        };

        let scope = |frame: &DataFrame| {
            let mut lf = frame
                .clone()
                .lazy()
                .filter(col("month").lt_eq(lit(last_month)));
            if let Some(p) = programme {
                lf = lf.filter(col("programme").eq(lit(p)));
            }
            lf.with_column(col(kind.column()).alias("period"))
        };

        // Denominators.
        let held = scope(&data.sessions)
            .group_by([col("period")])
            .agg([len().cast(DataType::UInt32).alias("n")])
            .collect()?;
        let mut columns: Vec<PeriodColumn> = periods
            .iter()
            .map(|&period| PeriodColumn {
                period,
                partial: period == current,
                sessions_held: 0,
                active_regions: 0,
                active_others: 0,
            })
            .collect();
        for (period, n) in pairs(&held, "period", "n")? {
            if let Some(i) = slot(period) {
                columns[i].sessions_held = n;
            }
        }
        let other = region.unwrap_or(u32::MAX);
        let mut active_aggs = vec![col("region").n_unique().cast(DataType::UInt32).alias("n")];
        if region.is_some() {
            active_aggs.push(
                col("region")
                    .filter(col("region").neq(lit(other)))
                    .n_unique()
                    .cast(DataType::UInt32)
                    .alias("others"),
            );
        }
        let active = scope(&data.presence)
            .group_by([col("period")])
            .agg(active_aggs)
            .collect()?;
        // Without a region apart, "other" regions are all regions.
        let others_column = if region.is_some() { "others" } else { "n" };
        for ((period, n), (_, others)) in
            pairs(&active, "period", "n")?
                .into_iter()
                .zip(pairs(&active, "period", others_column)?)
        {
            if let Some(i) = slot(period) {
                columns[i].active_regions = n;
                columns[i].active_others = others;
            }
        }

        // Cells.
        let mut aggs = vec![
            len().cast(DataType::UInt32).alias("items"),
            col("session")
                .n_unique()
                .cast(DataType::UInt32)
                .alias("sessions"),
            col("region")
                .n_unique()
                .cast(DataType::UInt32)
                .alias("regions"),
            col("signal").sum().cast(DataType::UInt32).alias("signals"),
        ];
        if region.is_some() {
            aggs.push(
                col("region")
                    .filter(col("region").neq(lit(other)))
                    .n_unique()
                    .cast(DataType::UInt32)
                    .alias("others"),
            );
            aggs.push(
                col("region")
                    .eq(lit(other))
                    .sum()
                    .cast(DataType::UInt32)
                    .alias("own"),
            );
        }
        let counted = scope(&data.mentions)
            .group_by([col("theme"), col("period")])
            .agg(aggs)
            .collect()?;

        let mut order: Vec<String> = theme_order.to_vec();
        let mut extra: Vec<&String> = data
            .themes
            .names()
            .iter()
            .filter(|t| !theme_order.contains(t))
            .collect();
        extra.sort();
        order.extend(extra.into_iter().cloned());
        let row_of: Vec<Option<usize>> = (0..data.themes.len() as u32)
            .map(|code| order.iter().position(|t| t == data.themes.name(code)))
            .collect();
        let mut themes: Vec<ThemeRow> = order
            .into_iter()
            .map(|theme| ThemeRow {
                theme,
                cells: vec![Cell::default(); periods.len()],
            })
            .collect();

        let u32s = |name: &str| -> Result<Vec<u32>> {
            Ok(counted
                .column(name)?
                .u32()?
                .iter()
                .map(|v| v.unwrap_or(0))
                .collect())
        };
        let theme_codes = u32s("theme")?;
        let period_index: Vec<i32> = counted
            .column("period")?
            .cast(&DataType::Int32)?
            .i32()?
            .iter()
            .map(|v| v.unwrap_or(i32::MIN))
            .collect();
        let (items, sessions, regions, signals) = (
            u32s("items")?,
            u32s("sessions")?,
            u32s("regions")?,
            u32s("signals")?,
        );
        let (others, own) = if region.is_some() {
            (u32s("others")?, u32s("own")?)
        } else {
            (regions.clone(), vec![0; regions.len()])
        };
        for i in 0..counted.height() {
            let Some(row) = row_of.get(theme_codes[i] as usize).copied().flatten() else {
                continue;
            };
            let Some(at) = slot(period_index[i]) else {
                continue;
            };
            themes[row].cells[at] = Cell {
                items: items[i],
                sessions: sessions[i],
                regions: regions[i],
                signals: signals[i],
                others: others[i],
                own_items: own[i],
            };
        }
        Ok(TrendTable {
            kind,
            programme: request.programme.clone(),
            region: request.region.clone(),
            as_of: request.as_of,
            periods: columns,
            themes,
        })
    }

    /// The newest complete period's position.
    pub fn last_complete(&self) -> Option<usize> {
        self.periods.iter().rposition(|c| !c.partial)
    }
}

/// The `(period, value)` pairs of a grouped frame.
fn pairs(frame: &DataFrame, key: &str, value: &str) -> Result<Vec<(i32, u32)>> {
    let keys = frame.column(key)?.cast(&DataType::Int32)?;
    let values = frame.column(value)?.cast(&DataType::UInt32)?;
    Ok(keys
        .i32()?
        .iter()
        .zip(values.u32()?.iter())
        .filter_map(|(k, v)| Some((k?, v.unwrap_or(0))))
        .collect())
}
