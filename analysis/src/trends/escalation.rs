//! Escalation candidates and their lifecycle.
//!
//! **The rule** (defaults in `data/escalation.toml`): a theme is a candidate in a period when at
//! least `min_regions` distinct regions raised it in the latest `recent_periods` periods
//! together, and it was rising or new in one of those periods or is persistent now. Breadth
//! beats volume: the count is of regions, so one region writing a lot never makes a candidate.
//!
//! **The lifecycle**, kept in the store with its history: kandidaat → voorgesteld → geëscaleerd
//! → in behandeling → opgelost / geparkeerd. The rule makes a theme `kandidaat`; a closed theme
//! (opgelost, geparkeerd) whose rule fires again becomes `teruggekeerd`. People do the rest.

use std::collections::{BTreeMap, BTreeSet};

use ingest::store::Store;
use polars::prelude::*;
use serde::Serialize;

use super::assess::Assessment;
use super::config::TrendConfig;
use super::data::TrendData;
use super::period::Period;
use super::stats::RateTest;
use super::table::TrendTable;
use crate::error::{Error, Result};

/// The actor recorded for changes the rule makes.
pub const RULE_ACTOR: &str = "regel";

/// Where a theme is in the escalation process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Kandidaat,
    Voorgesteld,
    Geescaleerd,
    InBehandeling,
    Opgelost,
    Geparkeerd,
    Teruggekeerd,
}

impl State {
    pub const ALL: [State; 7] = [
        State::Kandidaat,
        State::Voorgesteld,
        State::Geescaleerd,
        State::InBehandeling,
        State::Opgelost,
        State::Geparkeerd,
        State::Teruggekeerd,
    ];

    /// The id kept in the store.
    pub fn id(self) -> &'static str {
        match self {
            State::Kandidaat => "kandidaat",
            State::Voorgesteld => "voorgesteld",
            State::Geescaleerd => "geescaleerd",
            State::InBehandeling => "in_behandeling",
            State::Opgelost => "opgelost",
            State::Geparkeerd => "geparkeerd",
            State::Teruggekeerd => "teruggekeerd",
        }
    }

    pub fn label_nl(self) -> &'static str {
        match self {
            State::Kandidaat => "kandidaat",
            State::Voorgesteld => "voorgesteld",
            State::Geescaleerd => "geëscaleerd",
            State::InBehandeling => "in behandeling",
            State::Opgelost => "opgelost",
            State::Geparkeerd => "geparkeerd",
            State::Teruggekeerd => "teruggekeerd",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            State::Kandidaat => "candidate",
            State::Voorgesteld => "proposed",
            State::Geescaleerd => "escalated",
            State::InBehandeling => "in progress",
            State::Opgelost => "resolved",
            State::Geparkeerd => "parked",
            State::Teruggekeerd => "returned",
        }
    }

    /// Reads an id, a Dutch label (with or without the diaeresis) or an English label.
    pub fn parse(text: &str) -> Result<State> {
        let wanted = text.trim().to_lowercase().replace(['_', '-'], " ");
        let wanted = wanted.replace('ë', "e");
        State::ALL
            .into_iter()
            .find(|s| {
                [s.id(), s.label_nl(), s.label_en()]
                    .iter()
                    .any(|name| name.replace(['_', '-'], " ").replace('ë', "e") == wanted)
            })
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "\"{text}\" is not an escalation state; use one of: {}",
                    State::ALL.map(State::id).join(", ")
                ))
            })
    }

    /// Closed: the rule firing again makes it `teruggekeerd`.
    pub fn is_closed(self) -> bool {
        matches!(self, State::Opgelost | State::Geparkeerd)
    }

    /// Where a person may move a theme from here (`None`: a theme without a state).
    pub fn next(from: Option<State>) -> &'static [State] {
        use State::*;
        match from {
            None => &[Kandidaat],
            Some(Kandidaat | Teruggekeerd) => &[Voorgesteld, Geparkeerd],
            Some(Voorgesteld) => &[Geescaleerd, Kandidaat, Geparkeerd],
            Some(Geescaleerd) => &[InBehandeling, Opgelost, Geparkeerd],
            Some(InBehandeling) => &[Opgelost, Geparkeerd],
            Some(Opgelost) => &[Voorgesteld],
            Some(Geparkeerd) => &[Kandidaat, Voorgesteld],
        }
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label_nl())
    }
}

/// Why the rule fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "lowercase")]
pub enum Reason {
    Rising { period: String, test: RateTest },
    New { period: String, test: RateTest },
    Persistent { period: String, test: RateTest },
}

/// One period of a dossier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DossierPeriod {
    pub period: String,
    pub partial: bool,
    pub items: u32,
    pub sessions: u32,
    pub regions: u32,
    pub sessions_held: u32,
    pub active_regions: u32,
    pub rising: bool,
    pub new: bool,
    pub persistent: bool,
}

/// An anonymised excerpt, dated by period only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excerpt {
    pub region: String,
    pub period: String,
    pub kind: String,
    pub text: String,
}

/// A theme the rule fires for, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub theme: String,
    /// The period the rule was read in (the latest complete one).
    pub period: String,
    /// Distinct regions in the recent periods together.
    pub recent_regions: u32,
    /// The recent periods, e.g. "2026-Q2 – 2026-Q3".
    pub recent: String,
    /// The rule in words, with its numbers.
    pub rule: String,
    pub reasons: Vec<Reason>,
    pub counts: Vec<DossierPeriod>,
    /// The regions of the recent periods (national view only).
    pub region_names: Vec<String>,
    /// Anonymised excerpts (national view only), filled by [`add_excerpts`].
    pub excerpts: Vec<Excerpt>,
}

/// Distinct regions per theme code in the months `first..=last` (all programmes).
pub(crate) fn regions_between(
    data: &TrendData,
    first: i32,
    last: i32,
) -> Result<BTreeMap<u32, BTreeSet<u32>>> {
    let grouped = data
        .mentions
        .clone()
        .lazy()
        .filter(
            col("month")
                .gt_eq(lit(first))
                .and(col("month").lt_eq(lit(last))),
        )
        .group_by([col("theme"), col("region")])
        .agg([len().alias("n")])
        .collect()?;
    let themes = grouped.column("theme")?.u32()?;
    let regions = grouped.column("region")?.u32()?;
    let mut out: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for (theme, region) in themes.iter().zip(regions.iter()) {
        if let (Some(theme), Some(region)) = (theme, region) {
            out.entry(theme).or_default().insert(region);
        }
    }
    Ok(out)
}

/// The candidates in the latest complete period of `table` (none before a period completed).
/// `table` must cover all programmes.
pub fn latest_candidates(
    data: &TrendData,
    table: &TrendTable,
    assessment: &Assessment,
    config: &TrendConfig,
) -> Result<Vec<Candidate>> {
    match table.last_complete() {
        Some(at) => candidates(data, table, assessment, config, at),
        None => Ok(Vec::new()),
    }
}

/// The candidates in the period at position `at` of `table` (normally the latest complete one).
/// `table` must cover all programmes.
pub fn candidates(
    data: &TrendData,
    table: &TrendTable,
    assessment: &Assessment,
    config: &TrendConfig,
    at: usize,
) -> Result<Vec<Candidate>> {
    let rule = &config.escalation;
    let Some(column) = table.periods.get(at) else {
        return Ok(Vec::new());
    };
    let recent_start = (at + 1).saturating_sub(rule.recent_periods);
    let first = table.periods[recent_start].period;
    let period: Period = column.period;
    let recent = if first == period {
        period.label()
    } else {
        format!("{first} – {period}")
    };
    let breadth = regions_between(data, first.first_month(), period.last_month())?;
    let mut out = Vec::new();
    for (row, theme) in table.themes.iter().enumerate() {
        let regions: BTreeSet<u32> = data
            .themes
            .get(&theme.theme)
            .and_then(|code| breadth.get(&code).cloned())
            .unwrap_or_default();
        if regions.len() < rule.min_regions {
            continue;
        }
        let mut reasons = Vec::new();
        for i in recent_start..=at {
            let flags = &assessment.flags[row][i];
            let label = table.periods[i].period.label();
            if let Some(test) = flags.rising_test {
                if flags.new {
                    reasons.push(Reason::New {
                        period: label.clone(),
                        test,
                    });
                } else if flags.rising {
                    reasons.push(Reason::Rising {
                        period: label.clone(),
                        test,
                    });
                }
            }
        }
        let now = &assessment.flags[row][at];
        if let (true, Some(test)) = (now.persistent, now.persistent_test) {
            reasons.push(Reason::Persistent {
                period: period.label(),
                test,
            });
        }
        if reasons.is_empty() {
            continue;
        }
        let dossier_start = (at + 1).saturating_sub(rule.dossier_periods);
        let counts = (dossier_start..table.periods.len())
            .map(|i| {
                let (c, p, f) = (
                    &theme.cells[i],
                    &table.periods[i],
                    &assessment.flags[row][i],
                );
                DossierPeriod {
                    period: p.period.label(),
                    partial: p.partial,
                    items: c.items,
                    sessions: c.sessions,
                    regions: c.regions,
                    sessions_held: p.sessions_held,
                    active_regions: p.active_regions,
                    rising: f.rising,
                    new: f.new,
                    persistent: f.persistent,
                }
            })
            .collect();
        let mut region_names: Vec<String> = regions
            .iter()
            .map(|&r| data.regions.name(r).to_owned())
            .collect();
        region_names.sort();
        out.push(Candidate {
            theme: theme.theme.clone(),
            period: period.label(),
            recent_regions: regions.len() as u32,
            rule: describe(&reasons, regions.len(), &recent, rule.min_regions),
            recent: recent.clone(),
            reasons,
            counts,
            region_names,
            excerpts: Vec::new(),
        });
    }
    Ok(out)
}

/// The rule in words, in Dutch (the CLI and the JSON carry it; the dashboard and the reports
/// write their own in the reader's language).
fn describe(reasons: &[Reason], regions: usize, recent: &str, min: usize) -> String {
    let dutch = |x: f64, decimals: usize| format!("{x:.decimals$}").replace('.', ",");
    let parts: Vec<String> = reasons
        .iter()
        .map(|r| match r {
            Reason::Rising { period, test } => format!(
                "stijgend in {period} ({} regio-perioden, verwacht {}, q = {})",
                test.observed,
                dutch(test.expected, 1),
                dutch(test.q, 3)
            ),
            Reason::New { period, test } => format!(
                "nieuw in {period} ({} regio-perioden, daarvoor geen)",
                test.observed
            ),
            Reason::Persistent { period, test } => format!(
                "aanhoudend tot en met {period} ({} regio-perioden, verwacht {}, q = {})",
                test.observed,
                dutch(test.expected, 1),
                dutch(test.q, 3)
            ),
        })
        .collect();
    format!(
        "{regions} regio's in {recent} (minimaal {min}) en {}",
        parts.join("; ")
    )
}

/// Fills each candidate's anonymised excerpts from the store: the recent periods, signals
/// first, newest first, at most one per region.
pub fn add_excerpts(
    store: &Store,
    candidates: &mut [Candidate],
    table: &TrendTable,
    config: &TrendConfig,
) -> Result<()> {
    let wanted = config.escalation.excerpts;
    for candidate in candidates.iter_mut() {
        let Some(last) = table
            .periods
            .iter()
            .position(|p| p.period.label() == candidate.period)
        else {
            continue;
        };
        let first =
            table.periods[(last + 1).saturating_sub(config.escalation.recent_periods)].period;
        let period = table.periods[last].period;
        let rows = store.theme_excerpts(
            &candidate.theme,
            &first.start().format("%Y-%m-%d").to_string(),
            &period.end().format("%Y-%m-%d").to_string(),
            wanted * 40,
        )?;
        let mut seen = BTreeSet::new();
        candidate.excerpts = rows
            .into_iter()
            .filter(|(region, ..)| seen.insert(region.clone()))
            .take(wanted)
            .map(|(region, date, kind, text)| Excerpt {
                region,
                period: chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                    .map(|d| table.kind.of(d).label())
                    .unwrap_or_default(),
                kind,
                text,
            })
            .collect();
    }
    Ok(())
}

/// A theme's current state as stored.
pub fn states(store: &Store) -> Result<BTreeMap<String, State>> {
    store
        .escalations()?
        .into_iter()
        .map(|r| Ok((r.theme, State::parse(&r.state)?)))
        .collect()
}

/// A change the rule made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transition {
    pub theme: String,
    pub from: Option<State>,
    pub to: State,
}

/// Records what the rule says: a theme without a state becomes `kandidaat`, a closed one
/// `teruggekeerd`; other states are people's business and stay.
pub fn record_rule(store: &mut Store, candidates: &[Candidate]) -> Result<Vec<Transition>> {
    let current = states(store)?;
    let mut done = Vec::new();
    for candidate in candidates {
        let from = current.get(&candidate.theme).copied();
        let to = match from {
            None => State::Kandidaat,
            Some(s) if s.is_closed() => State::Teruggekeerd,
            Some(_) => continue,
        };
        store.set_escalation(
            &candidate.theme,
            from.map(State::id),
            to.id(),
            RULE_ACTOR,
            &format!("{}: {}", candidate.period, candidate.rule),
        )?;
        done.push(Transition {
            theme: candidate.theme.clone(),
            from,
            to,
        });
    }
    Ok(done)
}

/// A person moves `theme` to `to`, saying why. Refuses moves the lifecycle does not allow,
/// naming the ones it does.
pub fn set_state(store: &mut Store, theme: &str, to: State, actor: &str, note: &str) -> Result<()> {
    if note.trim().is_empty() {
        return Err(Error::Invalid(
            "say why with --note: the history keeps it for whoever looks next".into(),
        ));
    }
    let from = states(store)?.get(theme).copied();
    let allowed = State::next(from);
    if !allowed.contains(&to) {
        return Err(Error::Invalid(format!(
            "theme {theme} is {}; from there it can go to: {}",
            from.map_or("without a state", State::label_nl),
            allowed
                .iter()
                .map(|s| s.id())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    store.set_escalation(theme, from.map(State::id), to.id(), actor, note.trim())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_parse_in_every_spelling() {
        for s in State::ALL {
            assert_eq!(State::parse(s.id()).unwrap(), s);
            assert_eq!(State::parse(s.label_nl()).unwrap(), s);
            assert_eq!(State::parse(s.label_en()).unwrap(), s);
        }
        assert_eq!(State::parse("Geëscaleerd").unwrap(), State::Geescaleerd);
        assert_eq!(
            State::parse("in-behandeling").unwrap(),
            State::InBehandeling
        );
        let err = State::parse("klaar").unwrap_err().to_string();
        assert!(err.contains("kandidaat, voorgesteld"), "{err}");
    }

    #[test]
    fn the_lifecycle_moves_forward_and_records_why() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let err = set_state(&mut store, "wetgeving", State::Voorgesteld, "anna", "x").unwrap_err();
        assert!(err.to_string().contains("can go to: kandidaat"), "{err}");
        set_state(
            &mut store,
            "wetgeving",
            State::Kandidaat,
            "anna",
            "zelf gezien",
        )
        .unwrap();
        let err = set_state(&mut store, "wetgeving", State::Voorgesteld, "anna", " ").unwrap_err();
        assert!(err.to_string().contains("--note"), "{err}");
        for to in [
            State::Voorgesteld,
            State::Geescaleerd,
            State::InBehandeling,
            State::Opgelost,
        ] {
            set_state(&mut store, "wetgeving", to, "anna", "volgende stap").unwrap();
        }
        assert_eq!(states(&store).unwrap()["wetgeving"], State::Opgelost);
        let err = set_state(&mut store, "wetgeving", State::Geescaleerd, "anna", "x").unwrap_err();
        assert!(err.to_string().contains("opgelost"), "{err}");
        assert_eq!(
            store.escalation_history(Some("wetgeving")).unwrap().len(),
            5
        );
    }

    fn candidate(theme: &str) -> Candidate {
        Candidate {
            theme: theme.into(),
            period: "2026-Q3".into(),
            recent_regions: 5,
            recent: "2026-Q2 – 2026-Q3".into(),
            rule: "5 regio's".into(),
            reasons: Vec::new(),
            counts: Vec::new(),
            region_names: Vec::new(),
            excerpts: Vec::new(),
        }
    }

    #[test]
    fn the_rule_makes_candidates_and_brings_closed_themes_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        set_state(&mut store, "corona", State::Kandidaat, "anna", "gezien").unwrap();
        set_state(&mut store, "corona", State::Geparkeerd, "anna", "voorbij").unwrap();
        set_state(&mut store, "wetgeving", State::Kandidaat, "anna", "gezien").unwrap();
        set_state(
            &mut store,
            "wetgeving",
            State::Voorgesteld,
            "anna",
            "agenda",
        )
        .unwrap();
        let firing = [
            candidate("corona"),
            candidate("wetgeving"),
            candidate("leerlijnen"),
        ];
        let done = record_rule(&mut store, &firing).unwrap();
        let moves: Vec<(&str, Option<State>, State)> = done
            .iter()
            .map(|t| (t.theme.as_str(), t.from, t.to))
            .collect();
        assert_eq!(
            moves,
            [
                ("corona", Some(State::Geparkeerd), State::Teruggekeerd),
                ("leerlijnen", None, State::Kandidaat),
            ],
            "people's states stay"
        );
        let now = states(&store).unwrap();
        assert_eq!(now["wetgeving"], State::Voorgesteld);
        let last = store
            .escalation_history(Some("corona"))
            .unwrap()
            .pop()
            .unwrap();
        assert_eq!(last.actor, RULE_ACTOR);
        assert!(last.note.starts_with("2026-Q3: 5 regio's"), "{}", last.note);
        assert!(
            record_rule(&mut store, &firing).unwrap().is_empty(),
            "once is enough"
        );
        // A returned theme goes on like a candidate.
        assert_eq!(
            State::next(Some(State::Teruggekeerd)),
            State::next(Some(State::Kandidaat))
        );
    }
}
