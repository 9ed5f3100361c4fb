//! Coverage: the share of items that got at least one theme, per period. A falling share means
//! people write about something the taxonomy and the model do not know yet (new vocabulary, a
//! new topic): a reason to review items and look at candidate themes. It is a national quality
//! measure: it is shown to national supporters and the beheerder, never to programme leaders.

use chrono::NaiveDate;
use serde::Serialize;

use crate::trends::period::{Period, PeriodKind};

/// A share this many points (0.10: ten percentage points) below the mean of the periods
/// before it raises the warning.
pub const WARN_DROP: f64 = 0.10;
/// Complete periods the latest one is compared with.
pub const BASELINE_PERIODS: usize = 4;
/// Periods with fewer items are too small to warn about.
pub const MIN_ITEMS: usize = 20;

/// One period's coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodCoverage {
    pub period: String,
    pub items: usize,
    pub themed: usize,
    pub share: f64,
    /// The running period (not over yet): shown, never warned about.
    pub partial: bool,
}

/// Coverage per period, oldest first, and the warning if the latest complete period fell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub periods: Vec<PeriodCoverage>,
    pub warning: Option<CoverageWarning>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageWarning {
    pub period: String,
    pub share: f64,
    /// The mean share of the complete periods before it.
    pub baseline: f64,
}

impl Coverage {
    /// From `(month index, items, themed items)` rows (month index as in
    /// [`crate::trends::period::month_index`]), for periods of `kind`, read on `today`.
    pub fn compute(months: &[(i32, usize, usize)], kind: PeriodKind, today: NaiveDate) -> Coverage {
        let running = kind.of(today);
        let mut periods: Vec<(Period, usize, usize)> = Vec::new();
        for &(month, items, themed) in months {
            let period = kind.of_month(month);
            if period > running {
                continue;
            }
            match periods.iter_mut().find(|(p, _, _)| *p == period) {
                Some(entry) => {
                    entry.1 += items;
                    entry.2 += themed;
                }
                None => periods.push((period, items, themed)),
            }
        }
        periods.sort_by_key(|(p, _, _)| *p);
        let periods: Vec<PeriodCoverage> = periods
            .into_iter()
            .map(|(p, items, themed)| PeriodCoverage {
                period: p.label(),
                items,
                themed,
                share: if items == 0 {
                    0.0
                } else {
                    themed as f64 / items as f64
                },
                partial: p == running,
            })
            .collect();
        let complete: Vec<&PeriodCoverage> = periods.iter().filter(|p| !p.partial).collect();
        let warning = complete.split_last().and_then(|(latest, before)| {
            let before: Vec<&&PeriodCoverage> = before
                .iter()
                .rev()
                .take(BASELINE_PERIODS)
                .filter(|p| p.items >= MIN_ITEMS)
                .collect();
            if latest.items < MIN_ITEMS || before.is_empty() {
                return None;
            }
            let baseline = before.iter().map(|p| p.share).sum::<f64>() / before.len() as f64;
            (latest.share < baseline - WARN_DROP).then(|| CoverageWarning {
                period: latest.period.clone(),
                share: latest.share,
                baseline,
            })
        });
        Coverage { periods, warning }
    }

    /// The coverage of the items in `store`.
    pub fn of_store(
        store: &ingest::store::Store,
        kind: PeriodKind,
        today: NaiveDate,
    ) -> crate::error::Result<Coverage> {
        Ok(Coverage::compute(&store.coverage_by_month()?, kind, today))
    }

    /// The last `n` periods.
    pub fn last(&self, n: usize) -> &[PeriodCoverage] {
        &self.periods[self.periods.len().saturating_sub(n)..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(year: i32, month: u32) -> i32 {
        crate::trends::period::month_index(NaiveDate::from_ymd_opt(year, month, 1).unwrap())
    }

    #[test]
    fn shares_per_quarter_and_a_warning_when_the_last_complete_one_falls() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        let mut months = Vec::new();
        for (m, themed) in [(1, 90), (4, 88), (7, 92), (10, 60)] {
            months.push((month(2026, m), 100, themed));
        }
        months.push((month(2025, 12), 50, 45));
        let coverage = Coverage::compute(&months, PeriodKind::Quarter, today);
        let labels: Vec<&str> = coverage.periods.iter().map(|p| p.period.as_str()).collect();
        assert_eq!(
            labels,
            ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
        );
        assert!(coverage.periods[4].partial);
        // The running quarter fell (0.60) but is never warned about; Q3 did not fall.
        assert_eq!(coverage.warning, None);

        let later = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        let coverage = Coverage::compute(&months, PeriodKind::Quarter, later);
        let warning = coverage.warning.unwrap();
        assert_eq!(warning.period, "2026-Q4");
        assert!((warning.share - 0.60).abs() < 1e-9);
        // Baseline: the four complete quarters before it.
        assert!((warning.baseline - (0.9 + 0.9 + 0.88 + 0.92) / 4.0).abs() < 1e-9);
    }

    #[test]
    fn small_periods_and_a_steady_share_give_no_warning() {
        let today = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        let months = [
            (month(2026, 1), 100, 80),
            (month(2026, 4), 100, 75),
            (month(2026, 7), 100, 78),
            (month(2026, 10), 10, 2),
        ];
        assert_eq!(
            Coverage::compute(&months, PeriodKind::Quarter, today).warning,
            None
        );
        let months = [(month(2026, 1), 100, 80), (month(2026, 10), 100, 72)];
        assert_eq!(
            Coverage::compute(&months, PeriodKind::Quarter, today).warning,
            None
        );
    }
}
