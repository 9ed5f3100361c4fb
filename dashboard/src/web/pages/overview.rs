//! *Overzicht*: the heatmap of regions per theme × period, the rising and new themes with their
//! numbers, and the escalations — each as the reader's role may see it.

use analysis::disclosure::RegionCount;
use analysis::trends::PeriodKind;
use analysis::trends::view::{Audience, TrendView};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, RawQuery, State};
use serde::Deserialize;

use super::{Page, TREND_ROLES, decimal};
use crate::charts::{HeatCell, Heatmap};
use crate::web::AppState;
use crate::web::auth::CurrentUser;
use crate::web::error::AppError;
use crate::web::i18n::Lang;
use crate::web::snapshot::{self, Escalations, Filters, Snapshot};
use crate::words;

/// The filters as they appear in the page's URL (Dutch names).
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    pub periode: Option<String>,
    pub programma: Option<String>,
    pub van: Option<String>,
    pub tot: Option<String>,
}

impl FilterQuery {
    pub fn filters(&self) -> Result<Filters, AppError> {
        let kind = match self.periode.as_deref().unwrap_or("") {
            "" => None,
            "maand" | "month" => Some(PeriodKind::Month),
            "kwartaal" | "quarter" => Some(PeriodKind::Quarter),
            "jaar" | "year" => Some(PeriodKind::Year),
            other => {
                return Err(AppError::BadRequest(format!(
                    "onbekende periode {other:?}: kies maand, kwartaal of jaar"
                )));
            }
        };
        Ok(Filters {
            kind,
            programme: self.programma.clone().filter(|p| !p.is_empty()),
            from: self.van.clone().filter(|p| !p.is_empty()),
            to: self.tot.clone().filter(|p| !p.is_empty()),
        })
    }
}

pub fn kind_param(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Month => "maand",
        PeriodKind::Quarter => "kwartaal",
        PeriodKind::Year => "jaar",
    }
}

/// A period column of the table under the chart.
#[derive(Debug, Clone)]
pub struct Column {
    pub label: String,
    pub partial: bool,
    pub sessions_held: u32,
    pub active_regions: u32,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub theme: String,
    pub label: String,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Flagged {
    pub theme: String,
    pub label: String,
    pub flag: &'static str,
    pub observed: String,
    pub expected: String,
    pub rate_ratio: String,
    pub q: String,
}

#[derive(Debug, Clone)]
pub struct EscalationRow {
    pub theme: String,
    pub label: String,
    pub state: String,
    pub rule: String,
}

/// Everything the page shows, computed once per snapshot, language, role and filter set.
#[derive(Debug)]
pub struct Model {
    pub national: bool,
    pub heatmap: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub flagged: Vec<Flagged>,
    pub flagged_period: String,
    pub escalations: Vec<EscalationRow>,
    pub kind: &'static str,
    pub programmes: Vec<String>,
    /// National only: the share of items with a theme in the last periods, and a warning when
    /// it fell.
    pub coverage: Vec<CoverageRow>,
    pub coverage_warning: Option<String>,
}

/// One period of coverage, as shown.
#[derive(Debug, Clone)]
pub struct CoverageRow {
    pub period: String,
    pub partial: bool,
    pub items: usize,
    pub share: String,
}

/// Periods of coverage shown on the pages.
pub const COVERAGE_PERIODS: usize = 6;

/// The last periods of `coverage` as rows, and its warning in words.
pub fn coverage_rows(
    coverage: &analysis::coverage::Coverage,
    lang: Lang,
) -> (Vec<CoverageRow>, Option<String>) {
    let rows = coverage
        .last(COVERAGE_PERIODS)
        .iter()
        .map(|p| CoverageRow {
            period: p.period.clone(),
            partial: p.partial,
            items: p.items,
            share: super::percent(lang, Some(p.share)),
        })
        .collect();
    let warning = coverage.warning.as_ref().map(|w| {
        lang.texts()
            .coverage_warning
            .replace("{period}", &w.period)
            .replace("{share}", &super::percent(lang, Some(w.share)))
            .replace("{baseline}", &super::percent(lang, Some(w.baseline)))
    });
    (rows, warning)
}

/// The heatmap of a trend view: distinct regions (national) or other regions (leaders).
pub fn heatmap(view: &TrendView, lang: Lang, id: &str) -> Heatmap {
    let t = lang.texts();
    let national = view.role == analysis::disclosure::Role::Landelijk;
    Heatmap {
        id: id.into(),
        title: if national {
            t.heatmap_national
        } else {
            t.heatmap_leader
        }
        .into(),
        rows: view
            .themes
            .iter()
            .map(|th| lang.pick(&th.label_nl, &th.label_en).to_owned())
            .collect(),
        columns: view
            .periods
            .iter()
            .map(|p| (p.period.clone(), p.partial))
            .collect(),
        cells: view
            .themes
            .iter()
            .map(|th| {
                th.cells
                    .iter()
                    .map(|c| match (c.regions, c.other_regions) {
                        (Some(n), _) => HeatCell::Count(n),
                        (None, Some(RegionCount::Exact(n))) => HeatCell::Count(n as u32),
                        (None, Some(RegionCount::Below(_))) => HeatCell::Suppressed,
                        (None, None) => HeatCell::Count(0),
                    })
                    .collect()
            })
            .collect(),
        suppressed: format!("<{}", view.k),
        legend: if national {
            t.heatmap_legend_national.into()
        } else {
            super::with_k(t.heatmap_legend_leader, view.k)
        },
    }
}

fn state_label(lang: Lang, state: Option<analysis::trends::escalation::State>) -> String {
    state.map_or_else(
        || lang.texts().no_state.to_owned(),
        |s| lang.pick(s.label_nl(), s.label_en()).to_owned(),
    )
}

fn build(
    state: &AppState,
    snapshot: &Snapshot,
    lang: Lang,
    audience: &Audience,
    filters: &Filters,
) -> Result<Model, AppError> {
    let t = lang.texts();
    let config = state.config();
    let (view, table, assessment) =
        snapshot::trend_view(snapshot, config, audience, filters, state.today())?;
    let national = audience.national_view();
    let svg = heatmap(&view, lang, "heatmap").svg()?;
    let rows = view
        .themes
        .iter()
        .map(|th| Row {
            theme: th.theme.clone(),
            label: lang.pick(&th.label_nl, &th.label_en).to_owned(),
            cells: th
                .cells
                .iter()
                .map(|c| match (c.regions, c.other_regions, c.own_items) {
                    (Some(n), _, _) => n.to_string(),
                    (None, Some(others), Some(own)) => format!("{others} ({own})"),
                    _ => String::new(),
                })
                .collect(),
        })
        .collect();
    let mut flagged = Vec::new();
    let mut flagged_period = String::new();
    if national && let Some(at) = table.last_complete() {
        flagged_period = table.periods[at].period.label();
        for (row, theme) in table.themes.iter().enumerate() {
            let flags = assessment.flags[row][at];
            let (label_nl, label_en) = snapshot.labels.get(&theme.theme);
            let label = lang.pick(&label_nl, &label_en).to_owned();
            let mut push = |flag: &'static str, test: Option<analysis::trends::stats::RateTest>| {
                if let Some(test) = test {
                    flagged.push(Flagged {
                        theme: theme.theme.clone(),
                        label: label.clone(),
                        flag,
                        observed: test.observed.to_string(),
                        expected: decimal(test.expected, 1, lang),
                        rate_ratio: words::ratio(test.rate_ratio, lang),
                        q: decimal(test.q, 3, lang),
                    });
                }
            };
            if flags.new {
                push(t.new, flags.rising_test);
            } else if flags.rising {
                push(t.rising, flags.rising_test);
            }
            if flags.persistent {
                push(t.persistent, flags.persistent_test);
            }
        }
    }
    let (coverage, coverage_warning) = if national {
        let store = state.lock_store()?;
        let coverage =
            analysis::coverage::Coverage::of_store(&store, view.period_kind, state.today())?;
        coverage_rows(&coverage, lang)
    } else {
        (Vec::new(), None)
    };
    let escalations = {
        let store = state.lock_store()?;
        let picture = Escalations::compute(snapshot, &store, config, state.today())?;
        analysis::trends::view::escalation_view(
            &picture.candidates,
            &picture.states,
            audience,
            &snapshot.labels,
        )
        .into_iter()
        .map(|e| EscalationRow {
            label: lang.pick(&e.label_nl, &e.label_en).to_owned(),
            state: state_label(lang, e.state),
            rule: e
                .candidate
                .map(|c| words::candidate_words(&c, config.escalation.min_regions, lang))
                .unwrap_or_default(),
            theme: e.theme,
        })
        .collect()
    };
    Ok(Model {
        national,
        heatmap: svg,
        columns: view
            .periods
            .iter()
            .map(|p| Column {
                label: p.period.clone(),
                partial: p.partial,
                sessions_held: p.sessions_held,
                active_regions: p.active_regions,
            })
            .collect(),
        rows,
        flagged,
        flagged_period,
        escalations,
        kind: kind_param(view.period_kind),
        programmes: if national {
            snapshot.programmes.clone()
        } else {
            Vec::new()
        },
        coverage,
        coverage_warning,
    })
}

#[derive(Debug, Template, WebTemplate)]
#[template(path = "overview.html")]
pub struct OverviewPage {
    page: Page,
    model: std::sync::Arc<Model>,
    intro: &'static str,
    programme: String,
    from: String,
    to: String,
    periods: Vec<(&'static str, &'static str)>,
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(query): Query<FilterQuery>,
    RawQuery(raw): RawQuery,
) -> Result<OverviewPage, AppError> {
    user.require(TREND_ROLES)?;
    let audience = snapshot::audience(&user, state.config().disclosure.k)?;
    let filters = query.filters()?;
    let key = format!(
        "overview:{}:{}:{}:{}",
        lang.code(),
        audience.region.as_deref().unwrap_or("*"),
        filters.key(),
        state.today()
    );
    let model = state
        .cached(key, move |state, snapshot| {
            build(state, snapshot, lang, &audience, &filters)
        })
        .await?;
    let t = lang.texts();
    let here = super::with_query("/overzicht", raw);
    Ok(OverviewPage {
        intro: if model.national {
            t.overview_intro_national
        } else {
            t.overview_intro_leader
        },
        page: Page::new(lang, Some(&user), t.overview_title, &here),
        programme: query.programma.unwrap_or_default(),
        from: query.van.unwrap_or_default(),
        to: query.tot.unwrap_or_default(),
        periods: vec![
            ("maand", t.month),
            ("kwartaal", t.quarter),
            ("jaar", t.year),
        ],
        model,
    })
}
