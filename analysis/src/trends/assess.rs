//! Rising, new and persistent themes, for every complete period of a trend table as if it were
//! the latest: the window of `window_periods` periods ending there is tested against the
//! `baseline_periods` complete periods before it (see [`super::stats`]), with
//! Benjamini-Hochberg across the themes of that period. The running period is never tested.
//! Counts are region-periods: a region that raised the theme in a period.
//!
//! - **rising**: the window's region-periods against the baseline's rate; q ≤ `max_q`, at
//!   least `min_regions` region-periods and a rate ratio of at least `min_rate_ratio`.
//! - **new**: absent from every baseline period, at least `new_min_regions` region-periods in
//!   the window, and q ≤ `max_q` (a few mentions after a short quiet spell are not news).
//! - **persistent**: above the baseline rate in each of the latest `persistent_periods` periods,
//!   and over them together a rate ratio of at least `persistent_min_rate_ratio` with q ≤
//!   `max_q` (the baseline being the periods before them). A slow, lasting rise that no single
//!   period shows.
//!
//! Both tests allow for the regions of one session raising a theme together: the counts are
//! divided by the theme's design effect over the periods tested (regions per session that
//! mentioned it; see [`super::stats`]), which is reported with each test.

use serde::Serialize;

use super::config::TestConfig;
use super::stats::{RateTest, benjamini_hochberg, design_effect};
use super::table::ThemeRow;
use super::table::TrendTable;

/// What was found for one theme in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Flags {
    pub rising: bool,
    pub new: bool,
    pub persistent: bool,
    /// The window ending in this period against its baseline (when there was enough history).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rising_test: Option<RateTest>,
    /// The latest periods together against the baseline before them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persistent_test: Option<RateTest>,
}

impl Flags {
    pub fn any(&self) -> bool {
        self.rising || self.new || self.persistent
    }
}

/// Flags per theme and period, in the table's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub flags: Vec<Vec<Flags>>,
}

impl Assessment {
    pub fn of(table: &TrendTable, config: &TestConfig) -> Assessment {
        let periods = table.periods.len();
        let mut flags = vec![vec![Flags::default(); periods]; table.themes.len()];
        let exposure: Vec<u32> = table.periods.iter().map(|c| c.active_regions).collect();
        let b = config.baseline_periods;
        let p_len = config.persistent_periods;
        for t in 0..periods {
            if table.periods[t].partial || exposure[t] == 0 {
                continue;
            }
            // The window ending here against up to `b` periods before it.
            let start = (t + 1).saturating_sub(config.window_periods.max(1));
            if let Some(tests) = family(table, &exposure, start..t + 1, b) {
                for (row, test) in tests.into_iter().enumerate() {
                    let f = &mut flags[row][t];
                    f.new = test.baseline == 0
                        && test.q <= config.max_q
                        && test.observed as usize >= config.new_min_regions;
                    f.rising = !f.new
                        && test.baseline > 0
                        && test.q <= config.max_q
                        && test.observed as usize >= config.min_regions
                        && test.rate_ratio >= config.min_rate_ratio;
                    f.rising_test = Some(test);
                }
            }
            // The latest `p_len` periods together against up to `b` periods before them.
            let Some(start) = (t + 1).checked_sub(p_len) else {
                continue;
            };
            let window = start..t + 1;
            let Some(tests) = family(table, &exposure, window.clone(), b) else {
                continue;
            };
            for (row, test) in tests.into_iter().enumerate() {
                let baseline_rate =
                    f64::from(test.baseline) / f64::from(test.baseline_exposure.max(1));
                let above_in_each = window.clone().all(|i| {
                    f64::from(table.themes[row].cells[i].regions)
                        > baseline_rate * f64::from(exposure[i])
                });
                let f = &mut flags[row][t];
                f.persistent = test.baseline > 0
                    && above_in_each
                    && test.q <= config.max_q
                    && test.rate_ratio >= config.persistent_min_rate_ratio;
                f.persistent_test = Some(test);
            }
        }
        Assessment { flags }
    }
}

/// Every theme's test of the periods `window` against up to `b` periods before it, with
/// Benjamini-Hochberg q-values; `None` without enough history or with an empty period.
fn family(
    table: &TrendTable,
    exposure: &[u32],
    window: std::ops::Range<usize>,
    b: usize,
) -> Option<Vec<RateTest>> {
    let base = window.start.saturating_sub(b)..window.start;
    if base.len() < b.min(2) || window.clone().any(|i| exposure[i] == 0) {
        return None;
    }
    let sum = |range: std::ops::Range<usize>, value: &dyn Fn(usize) -> u32| -> u32 {
        range.map(value).sum()
    };
    let e_w = sum(window.clone(), &|i| exposure[i]);
    let e_b = sum(base.clone(), &|i| exposure[i]);
    let mut tests: Vec<RateTest> = table
        .themes
        .iter()
        .map(|row| {
            let x_w = sum(window.clone(), &|i| row.cells[i].regions);
            let x_b = sum(base.clone(), &|i| row.cells[i].regions);
            let deff = clustering(row, base.start..window.end);
            RateTest::with_design_effect(x_w, e_w, x_b, e_b, deff)
        })
        .collect();
    let q = benjamini_hochberg(&tests.iter().map(|t| t.p).collect::<Vec<_>>());
    for (test, q) in tests.iter_mut().zip(q) {
        test.q = q;
    }
    Some(tests)
}

/// The theme's design effect over the periods `range` (see [`super::stats::design_effect`]).
fn clustering(row: &ThemeRow, range: std::ops::Range<usize>) -> f64 {
    let cells = &row.cells[range];
    design_effect(
        cells.iter().map(|c| c.regions).sum(),
        cells.iter().map(|c| c.sessions).sum(),
    )
}
