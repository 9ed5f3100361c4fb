//! How the sessions themselves went, per period: sessions held, moderated share, online and
//! physical, cases submitted and discussed, average score, and evaluation tags over time with
//! the same rising test as themes (sessions as the exposure).

use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;

use super::config::TestConfig;
use super::data::TrendData;
use super::period::{PeriodKind, month_index};
use super::stats::{RateTest, benjamini_hochberg};
use crate::error::Result;

/// One period of sessions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SessionPeriod {
    pub period: String,
    pub partial: bool,
    pub sessions: u32,
    /// Sessions with a known moderation, and of those the moderated ones.
    pub moderation_known: u32,
    pub moderated: u32,
    pub online: u32,
    pub physical: u32,
    pub cases_submitted: u32,
    pub cases_discussed: u32,
    /// Sessions with a score, and their average.
    pub scored: u32,
    pub average_score: Option<f64>,
}

impl SessionPeriod {
    pub fn moderated_share(&self) -> Option<f64> {
        (self.moderation_known > 0)
            .then(|| f64::from(self.moderated) / f64::from(self.moderation_known))
    }
}

/// One tag in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TagCell {
    pub sessions: u32,
    pub share: Option<f64>,
    pub rising: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<RateTest>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagSeries {
    pub tag: String,
    /// One per period, as [`Evaluations::periods`].
    pub cells: Vec<TagCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluations {
    pub period_kind: PeriodKind,
    /// Only sessions this region attended (a programme leader's own sessions), if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub periods: Vec<SessionPeriod>,
    pub tags: Vec<TagSeries>,
}

/// Session evaluation from the first session to `as_of`, optionally only the sessions `region`
/// attended.
pub fn evaluations(
    data: &TrendData,
    kind: PeriodKind,
    as_of: NaiveDate,
    region: Option<&str>,
    config: &TestConfig,
) -> Result<Evaluations> {
    let current = kind.of(as_of);
    let first = data
        .first_month()?
        .map_or(current, |m| kind.of_month(m))
        .min(current);
    let count = (current.index - first.index + 1) as usize;
    let slot = |index: i32| {
        usize::try_from(index - first.index)
            .ok()
            .filter(|&i| i < count)
    };
    let own_sessions = |lf: LazyFrame| -> LazyFrame {
        match region {
            None => lf,
            Some(name) => {
                let code = data.regions.get(name).unwrap_or(u32::MAX);
                let attended = data
                    .presence
                    .clone()
                    .lazy()
                    .filter(col("region").eq(lit(code)))
                    .select([col("session")]);
                lf.inner_join(attended, col("session"), col("session"))
            }
        }
    };
    let scoped = |frame: &DataFrame| {
        own_sessions(
            frame
                .clone()
                .lazy()
                .filter(col("month").lt_eq(lit(month_index(as_of)))),
        )
        .with_column(col(kind.column()).alias("period"))
    };
    let u = |e: Expr| e.cast(DataType::UInt32);
    let grouped = scoped(&data.sessions)
        .group_by([col("period")])
        .agg([
            u(len()).alias("sessions"),
            u(col("moderated").count()).alias("moderation_known"),
            u(col("moderated").sum()).alias("moderated"),
            u(col("online").sum()).alias("online"),
            u(col("online").count()).alias("mode_known"),
            u(col("cases_submitted").sum()).alias("cases_submitted"),
            u(col("cases_discussed").sum()).alias("cases_discussed"),
            u(col("score").count()).alias("scored"),
            col("score").mean().alias("average_score"),
        ])
        .collect()?;
    let mut periods: Vec<SessionPeriod> = (0..count)
        .map(|i| {
            let period = super::period::Period {
                kind,
                index: first.index + i as i32,
            };
            SessionPeriod {
                period: period.label(),
                partial: period == current,
                ..SessionPeriod::default()
            }
        })
        .collect();
    let column = |name: &str| -> Result<Vec<u32>> {
        Ok(grouped
            .column(name)?
            .u32()?
            .iter()
            .map(|v| v.unwrap_or(0))
            .collect())
    };
    let keys: Vec<Option<i32>> = grouped
        .column("period")?
        .cast(&DataType::Int32)?
        .i32()?
        .iter()
        .collect();
    let (sessions, known, moderated, online, mode_known, submitted, discussed, scored) = (
        column("sessions")?,
        column("moderation_known")?,
        column("moderated")?,
        column("online")?,
        column("mode_known")?,
        column("cases_submitted")?,
        column("cases_discussed")?,
        column("scored")?,
    );
    let average = grouped.column("average_score")?.cast(&DataType::Float64)?;
    let average: Vec<Option<f64>> = average.f64()?.iter().collect();
    for (i, key) in keys.iter().enumerate() {
        let Some(at) = key.and_then(slot) else {
            continue;
        };
        periods[at] = SessionPeriod {
            sessions: sessions[i],
            moderation_known: known[i],
            moderated: moderated[i],
            online: online[i],
            physical: mode_known[i] - online[i],
            cases_submitted: submitted[i],
            cases_discussed: discussed[i],
            scored: scored[i],
            average_score: average[i],
            ..periods[at].clone()
        };
    }

    let tagged = scoped(&data.tags)
        .group_by([col("tag"), col("period")])
        .agg([u(len()).alias("n")])
        .collect()?;
    let mut tags: Vec<TagSeries> = data
        .tag_names
        .names()
        .iter()
        .map(|tag| TagSeries {
            tag: tag.clone(),
            cells: vec![TagCell::default(); count],
        })
        .collect();
    let tag_codes = tagged.column("tag")?.u32()?;
    let tag_periods = tagged.column("period")?.cast(&DataType::Int32)?;
    let n = tagged.column("n")?.u32()?;
    for ((tag, period), n) in tag_codes
        .iter()
        .zip(tag_periods.i32()?.iter())
        .zip(n.iter())
    {
        if let (Some(tag), Some(at), Some(n)) = (tag, period.and_then(slot), n) {
            tags[tag as usize].cells[at].sessions = n;
        }
    }
    tags.retain(|t| t.cells.iter().any(|c| c.sessions > 0));
    tags.sort_by(|a, b| a.tag.cmp(&b.tag));
    let held: Vec<u32> = periods.iter().map(|p| p.sessions).collect();
    for t in tags.iter_mut() {
        for (cell, &h) in t.cells.iter_mut().zip(&held) {
            cell.share = (h > 0).then(|| f64::from(cell.sessions) / f64::from(h));
        }
    }
    // The same test as for themes: each complete period against the ones before it.
    let b = config.baseline_periods;
    for at in 0..count {
        let base = at.saturating_sub(b)..at;
        if periods[at].partial || held[at] == 0 || base.len() < b.min(2) {
            continue;
        }
        let e_b: u32 = held[base.clone()].iter().sum();
        let tests: Vec<RateTest> = tags
            .iter()
            .map(|t| {
                let x_b = t.cells[base.clone()].iter().map(|c| c.sessions).sum();
                RateTest::new(t.cells[at].sessions, held[at], x_b, e_b)
            })
            .collect();
        let q = benjamini_hochberg(&tests.iter().map(|t| t.p).collect::<Vec<_>>());
        for ((t, mut test), q) in tags.iter_mut().zip(tests).zip(q) {
            test.q = q;
            let cell = &mut t.cells[at];
            cell.rising = test.q <= config.max_q
                && test.observed as usize >= config.min_regions
                && test.rate_ratio >= config.min_rate_ratio;
            cell.test = Some(test);
        }
    }
    Ok(Evaluations {
        period_kind: kind,
        region: region.map(str::to_owned),
        periods,
        tags,
    })
}
