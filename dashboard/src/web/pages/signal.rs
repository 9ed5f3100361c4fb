//! *Mijn signaal*: "is my signal shared?" — the same logic as `signaalradar shared`. The text is
//! classified and compared, never stored or logged; a programme leader sees, for the themes of
//! the text, their trend view's counts of other regions per quarter ("<3" below k) and nothing
//! counted from the text itself.

use analysis::disclosure::Role;
use analysis::shared::{SharedRequest, SharedResult, Source};
use analysis::trends::PeriodKind;
use analysis::trends::view::Audience;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use ingest::store::UserRole;
use serde::Deserialize;

use super::{Page, TREND_ROLES};
use crate::web::AppState;
use crate::web::auth::CurrentUser;
use crate::web::error::AppError;
use crate::web::i18n::Lang;

/// The window looked back over, in months.
pub const MONTHS: u32 = 12;

#[derive(Debug, Clone)]
pub struct ThemeResult {
    pub theme: String,
    pub label: String,
    pub other_regions: String,
    pub periods: Vec<(String, String)>,
    pub region_names: String,
}

#[derive(Debug, Template, WebTemplate)]
#[template(path = "signal.html")]
pub struct SignalPage {
    page: Page,
    text: String,
    /// National supporters choose the region they ask for; leaders ask for their own.
    regions: Vec<String>,
    region: String,
    checked: bool,
    window: String,
    themes: Vec<ThemeResult>,
    /// National view only: similar items are counted from the free text.
    similar_shown: bool,
    similar_items: String,
    similar_regions: String,
    excerpts: Vec<(String, String, String)>,
    problem: Option<String>,
}

fn empty_page(state: &AppState, lang: Lang, user: &CurrentUser) -> SignalPage {
    SignalPage {
        page: Page::new(lang, Some(user), lang.texts().signal_title, "/mijn-signaal"),
        text: String::new(),
        regions: if user.role() == UserRole::Landelijk {
            state.regions().names().map(str::to_owned).collect()
        } else {
            Vec::new()
        },
        region: user.user.region.clone().unwrap_or_default(),
        checked: false,
        window: String::new(),
        themes: Vec::new(),
        similar_shown: false,
        similar_items: String::new(),
        similar_regions: String::new(),
        excerpts: Vec::new(),
        problem: None,
    }
}

pub async fn form(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> Result<SignalPage, AppError> {
    user.require(TREND_ROLES)?;
    Ok(empty_page(&state, lang, &user))
}

#[derive(Deserialize)]
pub struct SignalForm {
    csrf: String,
    tekst: String,
    regio: Option<String>,
}

impl std::fmt::Debug for SignalForm {
    // The signal is free text: never in a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignalForm").finish_non_exhaustive()
    }
}

/// The request `user` may make: a leader always asks for their own region, with the leader view.
pub fn request_for(
    state: &AppState,
    user: &CurrentUser,
    text: String,
    region: Option<&str>,
) -> Result<SharedRequest, AppError> {
    let k = state.config().disclosure.k;
    let (role, region) = match user.role() {
        UserRole::Landelijk => {
            let asked = region.unwrap_or_default();
            let region = state
                .regions()
                .resolve(asked)
                .map(|r| r.name.clone())
                .ok_or_else(|| AppError::BadRequest(format!("onbekende regio {asked:?}")))?;
            (Role::Landelijk, region)
        }
        UserRole::Programmaleider => (
            Role::Programmaleider,
            user.user.region.clone().ok_or(AppError::Forbidden)?,
        ),
        _ => return Err(AppError::Forbidden),
    };
    Ok(SharedRequest {
        text,
        region,
        months: MONTHS,
        role,
        k,
        today: state.today(),
    })
}

/// The answer to `request`: a national supporter's from the index, a programme leader's from
/// the quarterly trend view made for their region (cached until the next snapshot).
pub async fn answer(state: &AppState, request: SharedRequest) -> Result<SharedResult, AppError> {
    match request.role {
        Role::Landelijk => {
            state
                .with_index(move |state, index| {
                    Ok(analysis::shared::shared(
                        &state.classifier(),
                        &request,
                        Source::Index(index),
                    )?)
                })
                .await
        }
        Role::Programmaleider => {
            let audience = Audience::leader(&request.region, request.k);
            let today = request.today;
            let view = state
                .cached(
                    format!("shared-quarters:{}:{today}", request.region),
                    move |state, snapshot| {
                        let (table, assessment) = snapshot.table(
                            state.config(),
                            PeriodKind::Quarter,
                            None,
                            today,
                            &audience,
                        )?;
                        let all = 0..table.periods.len();
                        Ok(analysis::trends::view::trend_view(
                            &table,
                            &assessment,
                            &audience,
                            &snapshot.labels,
                            all,
                        )?)
                    },
                )
                .await?;
            let classifier = state.classifier();
            tokio::task::spawn_blocking(move || {
                Ok(analysis::shared::shared(
                    &classifier,
                    &request,
                    Source::LeaderView(&view),
                )?)
            })
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
        }
    }
}

pub async fn check(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(form): Form<SignalForm>,
) -> Result<SignalPage, AppError> {
    user.check_csrf(Some(&form.csrf))?;
    user.require(TREND_ROLES)?;
    let mut page = empty_page(&state, lang, &user);
    page.text = form.tekst.clone();
    if let Some(region) = &form.regio {
        page.region = region.clone();
    }
    let request = match request_for(&state, &user, form.tekst, form.regio.as_deref()) {
        Ok(r) => r,
        Err(AppError::BadRequest(message)) => {
            page.problem = Some(message);
            return Ok(page);
        }
        Err(e) => return Err(e),
    };
    let result = match answer(&state, request).await {
        Ok(result) => result,
        Err(AppError::BadRequest(message)) => {
            page.problem = Some(message);
            return Ok(page);
        }
        Err(e) => return Err(e),
    };
    let t = lang.texts();
    page.checked = true;
    page.window = format!("{} – {}", result.from, result.to);
    page.themes = result
        .themes
        .iter()
        .map(|th| ThemeResult {
            theme: th.theme.clone(),
            label: lang.pick(&th.label_nl, &th.label_en).to_owned(),
            other_regions: th.other_regions.map(|n| n.to_string()).unwrap_or_default(),
            periods: th
                .periods
                .iter()
                .map(|p| {
                    (
                        if p.partial {
                            format!("{}*", p.period)
                        } else {
                            p.period.clone()
                        },
                        p.other_regions.to_string(),
                    )
                })
                .collect(),
            region_names: th
                .region_names
                .as_ref()
                .map(|n| n.join(", "))
                .unwrap_or_default(),
        })
        .collect();
    if let Some(similar) = result.similar {
        page.similar_shown = true;
        page.similar_items = similar.items.map_or_else(
            || super::with_k(t.similar_withheld, user.k),
            |n| n.to_string(),
        );
        page.similar_regions = similar.other_regions.to_string();
        page.excerpts = similar
            .excerpts
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.text, e.region, e.date))
            .collect();
    }
    Ok(page)
}
