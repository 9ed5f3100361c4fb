//! The rules of trend detection, escalation and disclosure, with their defaults; read from
//! `data/escalation.toml`, where every default can be changed.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::period::PeriodKind;
use crate::disclosure::DEFAULT_K;
use crate::error::{Error, Result};

/// Where the rules live, relative to the working directory.
pub const DEFAULT_PATH: &str = "data/escalation.toml";

/// All rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct TrendConfig {
    pub disclosure: DisclosureConfig,
    pub trend: TestConfig,
    pub escalation: EscalationConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DisclosureConfig {
    /// Counts of regions below this are shown as "<k" to everyone but national supporters.
    pub k: usize,
}

impl Default for DisclosureConfig {
    fn default() -> Self {
        DisclosureConfig { k: DEFAULT_K }
    }
}

/// When a theme counts as rising, new or persistently raised. The unit is a *region-period*: a
/// region that raised the theme in a period; the exposure is the regions active in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TestConfig {
    /// The period the rules are read in.
    pub period: PeriodKind,
    /// The latest complete periods tested together (the window)...
    pub window_periods: usize,
    /// ...against this many complete periods before them (the baseline).
    pub baseline_periods: usize,
    /// A flag needs a Benjamini-Hochberg q-value at most this.
    pub max_q: f64,
    /// A rising flag needs at least this many region-periods in the window...
    pub min_regions: usize,
    /// ...and at least this rate ratio against the baseline.
    pub min_rate_ratio: f64,
    /// A theme absent from the whole baseline is new once this many regions raise it.
    pub new_min_regions: usize,
    /// Persistent: raised above the baseline rate in each of this many latest periods...
    pub persistent_periods: usize,
    /// ...with at least this rate ratio over them together (and q at most `max_q`).
    pub persistent_min_rate_ratio: f64,
}

impl Default for TestConfig {
    fn default() -> Self {
        TestConfig {
            period: PeriodKind::Quarter,
            window_periods: 2,
            baseline_periods: 4,
            max_q: 0.10,
            min_regions: 3,
            min_rate_ratio: 1.5,
            new_min_regions: 3,
            persistent_periods: 3,
            persistent_min_rate_ratio: 1.25,
        }
    }
}

/// When a theme becomes a candidate for escalation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EscalationConfig {
    /// Distinct regions that raised the theme in the latest `recent_periods` periods together.
    pub min_regions: usize,
    pub recent_periods: usize,
    /// Anonymised excerpts in a dossier (national view only), at most one per region.
    pub excerpts: usize,
    /// Periods of counts in a dossier.
    pub dossier_periods: usize,
}

impl Default for EscalationConfig {
    fn default() -> Self {
        EscalationConfig {
            min_regions: 3,
            recent_periods: 2,
            excerpts: 5,
            dossier_periods: 8,
        }
    }
}

impl TrendConfig {
    /// Reads the rules; a missing file means the defaults.
    pub fn load(path: &Path) -> Result<TrendConfig> {
        match std::fs::read_to_string(path) {
            Ok(text) => TrendConfig::parse(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(TrendConfig::default()),
            Err(source) => Err(Error::Read {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// Parses and checks the rules; `path` is only for messages.
    pub fn parse(path: &Path, text: &str) -> Result<TrendConfig> {
        let error = |message: String| Error::Config {
            path: path.to_owned(),
            message,
        };
        let config: TrendConfig = toml::from_str(text).map_err(|e| error(e.to_string()))?;
        let t = &config.trend;
        let e = &config.escalation;
        let checks = [
            (config.disclosure.k >= 2, "disclosure.k must be at least 2"),
            (
                t.window_periods >= 1,
                "trend.window_periods must be at least 1",
            ),
            (
                t.baseline_periods >= 2,
                "trend.baseline_periods must be at least 2",
            ),
            (
                t.max_q > 0.0 && t.max_q < 1.0,
                "trend.max_q must lie between 0 and 1",
            ),
            (t.min_regions >= 1, "trend.min_regions must be at least 1"),
            (
                t.min_rate_ratio >= 1.0,
                "trend.min_rate_ratio must be at least 1",
            ),
            (
                t.new_min_regions >= 1,
                "trend.new_min_regions must be at least 1",
            ),
            (
                t.persistent_periods >= 2,
                "trend.persistent_periods must be at least 2",
            ),
            (
                t.persistent_min_rate_ratio >= 1.0,
                "trend.persistent_min_rate_ratio must be at least 1",
            ),
            (
                e.min_regions >= 1,
                "escalation.min_regions must be at least 1",
            ),
            (
                e.recent_periods >= 1,
                "escalation.recent_periods must be at least 1",
            ),
            (
                e.dossier_periods >= 1,
                "escalation.dossier_periods must be at least 1",
            ),
        ];
        for (ok, message) in checks {
            if !ok {
                return Err(error(message.into()));
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_rules_are_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/escalation.toml");
        assert_eq!(TrendConfig::load(&path).unwrap(), TrendConfig::default());
    }

    #[test]
    fn bad_rules_are_refused_with_the_key() {
        let path = Path::new("escalation.toml");
        let err = TrendConfig::parse(path, "[disclosure]\nk = 1\n").unwrap_err();
        assert!(err.to_string().contains("disclosure.k"), "{err}");
        let err = TrendConfig::parse(path, "[trend]\nbaselin_periods = 4\n").unwrap_err();
        assert!(err.to_string().contains("baselin_periods"), "{err}");
        let err = TrendConfig::parse(path, "[trend]\nperiod = \"week\"\n").unwrap_err();
        assert!(err.to_string().contains("week"), "{err}");
        let ok = TrendConfig::parse(path, "[escalation]\nmin_regions = 5\n").unwrap();
        assert_eq!(ok.escalation.min_regions, 5);
        assert_eq!(ok.trend, TestConfig::default());
    }
}
