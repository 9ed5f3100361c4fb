//! Calendar periods (month, quarter, year) as plain integers, so polars groups on an `i32`
//! column: a month is `year * 12 + month0`, a quarter that divided by 3, a year by 12.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How long a period is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    Month,
    #[default]
    Quarter,
    Year,
}

impl PeriodKind {
    /// Months per period.
    pub fn months(self) -> i32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }

    /// The frames' column holding this kind's period index.
    pub fn column(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }

    /// The period containing `date`.
    pub fn of(self, date: NaiveDate) -> Period {
        Period {
            kind: self,
            index: month_index(date).div_euclid(self.months()),
        }
    }

    /// The period containing the month with index `month`.
    pub fn of_month(self, month: i32) -> Period {
        Period {
            kind: self,
            index: month.div_euclid(self.months()),
        }
    }
}

/// One period: its kind and its number (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub kind: PeriodKind,
    pub index: i32,
}

/// `year * 12 + month0` of a date.
pub fn month_index(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

impl Period {
    /// The first month's index.
    pub fn first_month(self) -> i32 {
        self.index * self.kind.months()
    }

    /// The last month's index.
    pub fn last_month(self) -> i32 {
        self.first_month() + self.kind.months() - 1
    }

    pub fn start(self) -> NaiveDate {
        month_start(self.first_month())
    }

    /// The last day.
    pub fn end(self) -> NaiveDate {
        month_start(self.last_month() + 1)
            .pred_opt()
            .unwrap_or(NaiveDate::MAX)
    }

    pub fn next(self) -> Period {
        Period {
            index: self.index + 1,
            ..self
        }
    }

    pub fn previous(self) -> Period {
        Period {
            index: self.index - 1,
            ..self
        }
    }

    /// e.g. "2026-03", "2026-Q1", "2026".
    pub fn label(self) -> String {
        let month = self.first_month();
        let (year, month0) = (month.div_euclid(12), month.rem_euclid(12));
        match self.kind {
            PeriodKind::Month => format!("{year}-{:02}", month0 + 1),
            PeriodKind::Quarter => format!("{year}-Q{}", month0 / 3 + 1),
            PeriodKind::Year => format!("{year}"),
        }
    }

    /// Reads a period label ("2026-Q1", "2026-03", "2026") or a date (YYYY-MM-DD) as the
    /// `kind` period containing it. A label of a longer period than `kind` means its first
    /// (`end: false`) or last (`end: true`) `kind` period.
    pub fn parse(text: &str, kind: PeriodKind, end: bool) -> Result<Period> {
        let text = text.trim();
        let invalid = || {
            Error::Invalid(format!(
                "\"{text}\" is not a period or a date: write e.g. 2026-Q1, 2026-03, 2026 or 2026-03-15"
            ))
        };
        let (first, last) = if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            let m = month_index(date);
            (m, m)
        } else if let Some((year, quarter)) = text.split_once(['Q', 'q']) {
            let year: i32 = year.trim_end_matches('-').parse().map_err(|_| invalid())?;
            let quarter: i32 = quarter.parse().map_err(|_| invalid())?;
            if !(1..=4).contains(&quarter) {
                return Err(invalid());
            }
            let m = year * 12 + (quarter - 1) * 3;
            (m, m + 2)
        } else if let Some((year, month)) = text.split_once('-') {
            let year: i32 = year.parse().map_err(|_| invalid())?;
            let month: i32 = month.parse().map_err(|_| invalid())?;
            if !(1..=12).contains(&month) {
                return Err(invalid());
            }
            let m = year * 12 + month - 1;
            (m, m)
        } else {
            let year: i32 = text.parse().map_err(|_| invalid())?;
            (year * 12, year * 12 + 11)
        };
        if !(1900 * 12..=2200 * 12).contains(&first) {
            return Err(invalid());
        }
        Ok(kind.of_month(if end { last } else { first }))
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

fn month_start(month: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(month.div_euclid(12), month.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_have_labels_and_bounds() {
        let q = PeriodKind::Quarter.of(d(2026, 11, 23));
        assert_eq!(q.label(), "2026-Q4");
        assert_eq!((q.start(), q.end()), (d(2026, 10, 1), d(2026, 12, 31)));
        assert_eq!(q.next().label(), "2027-Q1");
        assert_eq!(q.previous().label(), "2026-Q3");
        assert_eq!(
            PeriodKind::Month.of(d(2026, 1, 5)).previous().label(),
            "2025-12"
        );
        let m = PeriodKind::Month.of(d(2024, 2, 10));
        assert_eq!((m.label(), m.end()), ("2024-02".to_owned(), d(2024, 2, 29)));
        assert_eq!(PeriodKind::Year.of(d(2020, 1, 1)).label(), "2020");
    }

    #[test]
    fn labels_and_dates_parse_as_periods() {
        let parse = |t, kind, end| Period::parse(t, kind, end).unwrap().label();
        assert_eq!(parse("2026-Q3", PeriodKind::Quarter, false), "2026-Q3");
        assert_eq!(parse("2026q3", PeriodKind::Quarter, false), "2026-Q3");
        assert_eq!(parse("2026-08-01", PeriodKind::Quarter, false), "2026-Q3");
        assert_eq!(parse("2026", PeriodKind::Quarter, false), "2026-Q1");
        assert_eq!(parse("2026", PeriodKind::Quarter, true), "2026-Q4");
        assert_eq!(parse("2026-Q2", PeriodKind::Month, true), "2026-06");
        assert_eq!(parse("2026-05", PeriodKind::Year, false), "2026");
        for bad in ["", "2026-Q5", "2026-13", "Q3", "volgend jaar", "99999"] {
            let err = Period::parse(bad, PeriodKind::Quarter, false).unwrap_err();
            assert!(err.to_string().contains("2026-Q1"), "{bad}: {err}");
        }
    }
}
