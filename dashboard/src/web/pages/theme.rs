//! *Thema*: one theme's timeline (chart and table), its dossier and escalation lifecycle for
//! national supporters, and a search within the theme.

use analysis::disclosure::RegionCount;
use analysis::trends::escalation::State as EscState;
use analysis::trends::view::{self, Audience};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::Redirect;
use ingest::store::UserRole;
use serde::Deserialize;

use super::overview::{FilterQuery, kind_param};
use super::{Page, TREND_ROLES, percent};
use crate::charts::{Timeline, TimelinePoint};
use crate::web::AppState;
use crate::web::auth::CurrentUser;
use crate::web::error::AppError;
use crate::web::i18n::Lang;
use crate::web::snapshot::{self, Escalations, Filters, Snapshot};
use crate::words;

#[derive(Debug, Clone)]
pub struct PeriodRow {
    pub period: String,
    pub partial: bool,
    /// National: distinct regions; leaders: other regions ("<3" below k).
    pub count: String,
    /// National only.
    pub items: String,
    pub share: String,
    pub own_items: String,
}

#[derive(Debug, Clone)]
pub struct ExcerptRow {
    pub region: String,
    pub period: String,
    pub kind: String,
    pub text: String,
}

#[derive(Debug)]
pub struct Model {
    pub national: bool,
    pub label: String,
    pub description: String,
    pub chart: String,
    pub rows: Vec<PeriodRow>,
    pub kind: &'static str,
    /// The dossier (national view, when the rule fires).
    pub rule: Option<String>,
    pub region_names: String,
    pub excerpts: Vec<ExcerptRow>,
}

fn build(
    state: &AppState,
    snapshot: &Snapshot,
    lang: Lang,
    audience: &Audience,
    theme: &str,
    filters: &Filters,
) -> Result<Model, AppError> {
    let t = lang.texts();
    let info = snapshot
        .theme(theme)
        .ok_or_else(|| AppError::NotFound(format!("no theme {theme:?}")))?;
    let (view, _, _) =
        snapshot::trend_view(snapshot, state.config(), audience, filters, state.today())?;
    let national = audience.national_view();
    let row = view
        .themes
        .iter()
        .find(|r| r.theme == theme)
        .ok_or_else(|| AppError::NotFound(format!("no theme {theme:?}")))?;
    let label = lang.pick(&info.label_nl, &info.label_en).to_owned();
    let points: Vec<TimelinePoint> = row
        .cells
        .iter()
        .zip(&view.periods)
        .map(|(c, p)| TimelinePoint {
            period: p.period.clone(),
            partial: p.partial,
            count: match (c.regions, c.other_regions) {
                (Some(n), _) => Some(n),
                (None, Some(RegionCount::Exact(n))) => Some(n as u32),
                _ => None,
            },
            share: if national { c.share_of_sessions } else { None },
        })
        .collect();
    let chart = Timeline {
        id: "tijdlijn".into(),
        title: format!("{} · {label}", t.timeline_title),
        count_label: if national {
            t.timeline_count_national
        } else {
            t.timeline_count_leader
        }
        .into(),
        share_label: national.then(|| t.timeline_share.to_owned()),
        suppressed: (!national).then(|| (view.k as u32, t.timeline_suppressed.to_owned())),
        partial_label: t.partial_short.into(),
        points,
    }
    .svg()?;
    let rows = row
        .cells
        .iter()
        .zip(&view.periods)
        .map(|(c, p)| PeriodRow {
            period: p.period.clone(),
            partial: p.partial,
            count: match (c.regions, c.other_regions) {
                (Some(n), _) => n.to_string(),
                (None, Some(others)) => others.to_string(),
                _ => String::new(),
            },
            items: c.items.map(|n| n.to_string()).unwrap_or_default(),
            share: if national {
                percent(lang, c.share_of_sessions)
            } else {
                percent(lang, c.share_of_other_regions)
            },
            own_items: c.own_items.map(|n| n.to_string()).unwrap_or_default(),
        })
        .collect();
    let mut model = Model {
        national,
        label,
        description: lang
            .pick(&info.description_nl, &info.description_en)
            .to_owned(),
        chart,
        rows,
        kind: kind_param(view.period_kind),
        rule: None,
        region_names: String::new(),
        excerpts: Vec::new(),
    };
    if national {
        let store = state.lock_store()?;
        let picture = Escalations::compute(snapshot, &store, state.config(), state.today())?;
        if let Some(candidate) = picture.candidates.into_iter().find(|c| c.theme == theme) {
            let min_regions = state.config().escalation.min_regions;
            model.rule = Some(words::candidate_words(&candidate, min_regions, lang));
            model.region_names = candidate.region_names.join(", ");
            model.excerpts = candidate
                .excerpts
                .into_iter()
                .map(|e| ExcerptRow {
                    region: e.region,
                    period: e.period,
                    kind: e.kind,
                    text: e.text,
                })
                .collect();
        }
    }
    Ok(model)
}

#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub at: String,
    pub from: String,
    pub to: String,
    pub actor: String,
    pub note: String,
}

#[derive(Debug, Template, WebTemplate)]
#[template(path = "theme.html")]
pub struct ThemePage {
    page: Page,
    theme: String,
    model: std::sync::Arc<Model>,
    /// The current state, its label, and the moves a national supporter may make.
    state_id: String,
    state_label: String,
    show_state: bool,
    moves: Vec<(&'static str, String)>,
    history: Vec<HistoryRow>,
    changed: bool,
}

#[derive(Debug, Deserialize)]
pub struct ThemeQuery {
    #[serde(flatten)]
    filters: FilterQuery,
    gewijzigd: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(theme): Path<String>,
    Query(query): Query<ThemeQuery>,
) -> Result<ThemePage, AppError> {
    user.require(TREND_ROLES)?;
    let audience = snapshot::audience(&user, state.config().disclosure.k)?;
    let filters = query.filters.filters()?;
    if state.snapshot().theme(&theme).is_none() {
        return Err(AppError::NotFound(format!("no theme {theme:?}")));
    }
    let key = format!(
        "theme:{}:{}:{theme}:{}:{}",
        lang.code(),
        audience.region.as_deref().unwrap_or("*"),
        filters.key(),
        state.today()
    );
    let model = {
        let theme = theme.clone();
        let audience = audience.clone();
        state
            .cached(key, move |state, snapshot| {
                build(state, snapshot, lang, &audience, &theme, &filters)
            })
            .await?
    };
    let national = audience.national_view();
    let history_shown = view::sees_escalation_history(&audience);
    let (current, history) = {
        let theme = theme.clone();
        state
            .with_store(move |store| {
                let current = store
                    .escalations()?
                    .into_iter()
                    .find(|e| e.theme == theme)
                    .and_then(|e| EscState::parse(&e.state).ok());
                let history = if history_shown {
                    store.escalation_history(Some(&theme))?
                } else {
                    Vec::new()
                };
                Ok((current, history))
            })
            .await?
    };
    let label = |s: Option<&str>| {
        s.and_then(|s| EscState::parse(s).ok())
            .map_or("–".to_owned(), |s| {
                lang.pick(s.label_nl(), s.label_en()).to_owned()
            })
    };
    // What the audience may see of the state: its one home is the trend view module.
    let seen = view::visible_state(current, &audience);
    let show_state = national || seen.is_some();
    let current = seen;
    Ok(ThemePage {
        page: Page::new(lang, Some(&user), &model.label, &format!("/thema/{theme}")),
        state_id: current.map_or("", EscState::id).to_owned(),
        state_label: current.map_or_else(
            || lang.texts().no_state.to_owned(),
            |s| lang.pick(s.label_nl(), s.label_en()).to_owned(),
        ),
        show_state,
        moves: if national {
            EscState::next(current)
                .iter()
                .map(|s| (s.id(), lang.pick(s.label_nl(), s.label_en()).to_owned()))
                .collect()
        } else {
            Vec::new()
        },
        history: history
            .into_iter()
            .rev()
            .map(|c| HistoryRow {
                at: c.at.replace('T', " ").trim_end_matches('Z').to_owned(),
                from: label(c.from_state.as_deref()),
                to: label(Some(&c.to_state)),
                actor: c.actor,
                note: c.note,
            })
            .collect(),
        changed: query.gewijzigd.is_some(),
        theme,
        model,
    })
}

#[derive(Debug, Deserialize)]
pub struct StateForm {
    csrf: String,
    /// The state the page showed (empty: none); a different current state is a conflict.
    van: String,
    status: String,
    toelichting: String,
}

/// A national supporter moves a theme on in the escalation lifecycle.
pub async fn change_state(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(theme): Path<String>,
    Form(form): Form<StateForm>,
) -> Result<Redirect, AppError> {
    user.check_csrf(Some(&form.csrf))?;
    user.require(&[UserRole::Landelijk])?;
    let to = EscState::parse(&form.status)
        .map_err(|_| AppError::BadRequest(format!("onbekende status {:?}", form.status)))?;
    if form.toelichting.trim().is_empty() {
        return Err(AppError::BadRequest(
            "Geef een toelichting: de geschiedenis bewaart waarom deze stap is gezet.".into(),
        ));
    }
    state
        .move_escalation(
            &theme,
            to,
            &form.toelichting,
            &user.user.name,
            Some(form.van),
        )
        .await
        .map_err(|e| match e {
            AppError::Conflict(_) => AppError::Conflict(
                "Iemand anders heeft de status net gewijzigd; bekijk de pagina opnieuw.".into(),
            ),
            e => e,
        })?;
    tracing::info!(theme = %theme, to = to.id(), "escalation state changed");
    Ok(Redirect::to(&format!("/thema/{theme}?gewijzigd=1")))
}
