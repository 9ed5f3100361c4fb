//! *Zoeken*: full-text search over the anonymised items. National supporters search everything;
//! a programme leader searches their own region's items only.

use analysis::search::{SearchRequest, SortOrder};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, RawQuery, State};
use ingest::store::UserRole;
use serde::Deserialize;

use super::{Page, TREND_ROLES};
use crate::web::AppState;
use crate::web::auth::CurrentUser;
use crate::web::error::AppError;
use crate::web::i18n::Lang;

/// Hits shown per search.
const HITS: usize = 50;

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    thema: Option<String>,
}

#[derive(Debug, Clone)]
pub struct HitRow {
    pub date: String,
    pub region: String,
    pub kind: String,
    pub themes: String,
    pub snippet_html: String,
}

#[derive(Debug, Template, WebTemplate)]
#[template(path = "search.html")]
pub struct SearchPage {
    page: Page,
    query: String,
    theme: String,
    themes: Vec<(String, String)>,
    own_region: bool,
    searched: bool,
    total: usize,
    hits: Vec<HitRow>,
    problem: Option<String>,
}

/// The request a user may make: a leader's is always limited to their own region.
pub fn request_for(user: &CurrentUser, query: String, theme: Option<String>) -> SearchRequest {
    SearchRequest {
        query,
        theme,
        region: match user.role() {
            UserRole::Landelijk => None,
            _ => user.user.region.clone(),
        },
        order: SortOrder::Relevance,
        limit: HITS,
        ..SearchRequest::default()
    }
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(query): Query<SearchQuery>,
    RawQuery(raw): RawQuery,
) -> Result<SearchPage, AppError> {
    user.require(TREND_ROLES)?;
    let snapshot = state.snapshot();
    let text = query.q.clone().unwrap_or_default();
    let theme = query.thema.clone().filter(|t| !t.is_empty());
    if let Some(id) = &theme
        && snapshot.theme(id).is_none()
    {
        return Err(AppError::NotFound(format!("no theme {id:?}")));
    }
    let mut result = None;
    let mut problem = None;
    if !text.trim().is_empty() {
        let request = request_for(&user, text.clone(), theme.clone());
        match state
            .with_index(move |state, index| {
                Ok(analysis::search::search(
                    index,
                    state.classifier().taxonomy(),
                    &request,
                )?)
            })
            .await
        {
            Ok(found) => result = Some(found),
            Err(AppError::BadRequest(message)) => problem = Some(message),
            Err(e) => return Err(e),
        }
    }
    let here = super::with_query("/zoeken", raw);
    let label = |id: &str| {
        snapshot
            .theme(id)
            .map_or(id, |t| lang.pick(&t.label_nl, &t.label_en))
            .to_owned()
    };
    Ok(SearchPage {
        page: Page::new(lang, Some(&user), lang.texts().search_title, &here),
        themes: snapshot
            .themes
            .iter()
            .map(|t| (t.id.clone(), lang.pick(&t.label_nl, &t.label_en).to_owned()))
            .collect(),
        own_region: user.role() != UserRole::Landelijk,
        searched: result.is_some(),
        total: result.as_ref().map_or(0, |r| r.total),
        hits: result
            .map(|r| {
                r.hits
                    .into_iter()
                    .map(|h| HitRow {
                        date: h.date,
                        region: h.region,
                        kind: h.kind,
                        themes: h
                            .themes
                            .iter()
                            .map(|t| label(t))
                            .collect::<Vec<_>>()
                            .join(", "),
                        snippet_html: h.snippet_html,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        problem,
        query: text,
        theme: theme.unwrap_or_default(),
    })
}
