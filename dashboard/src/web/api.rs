//! The JSON API under `/api/v1`. Every route is registered through utoipa's router, so the
//! OpenAPI document (`/api/v1/openapi.json`) is generated from the same code and cannot miss a
//! route. Callers authenticate with the session cookie (writes then need the `X-CSRF-Token`
//! header) or an API token (`Authorization: Bearer …`, made with `signaalradar token add`).

use analysis::trends::escalation::State as EscState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use ingest::store::UserRole;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::CurrentUser;
use super::error::{AppError, ErrorBody};
use super::intake::{self, Outcome};
use super::pages::{ENTRY_ROLES, TREND_ROLES};
use super::snapshot::{self, Escalations, Filters};
use super::{AppState, CachedJson};

/// The header that carries the CSRF token on cookie-authenticated writes.
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Signaalradar API",
        version = "1",
        description = "Cross-regional trends from anonymised intervision outcomes. Counts below k distinct regions are shown as \"<k\" to everyone but national supporters; programme leaders never see another region's name or text."
    ),
    components(schemas(ErrorBody)),
    modifiers(&Security)
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                super::auth::SESSION_COOKIE,
            ))),
        );
    }
}

/// Every API route. Add routes only with `.routes(routes!(…))`: that is what puts them in the
/// OpenAPI document.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(openapi_json))
        .routes(routes!(trends))
        .routes(routes!(themes))
        .routes(routes!(search))
        .routes(routes!(shared))
        .routes(routes!(escalations))
        .routes(routes!(change_escalation))
        .routes(routes!(sessions))
        .routes(routes!(review_queue))
        .routes(routes!(review_item))
}

fn json_response(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object)))]
async fn openapi_json(State(state): State<AppState>) -> Response {
    json_response(state.openapi_json().to_owned())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendParams {
    /// month, quarter or year (default from the rules, normally quarter)
    period: Option<String>,
    /// One programme (national supporters only)
    programme: Option<String>,
    /// First period, e.g. 2024-Q1, 2024-03, 2024 or a date (default: 8 periods back)
    from: Option<String>,
    /// Last period (default: the running one)
    to: Option<String>,
}

impl TrendParams {
    fn filters(&self) -> Result<Filters, AppError> {
        use analysis::trends::PeriodKind;
        let kind = match self.period.as_deref().unwrap_or("") {
            "" => None,
            "month" | "maand" => Some(PeriodKind::Month),
            "quarter" | "kwartaal" => Some(PeriodKind::Quarter),
            "year" | "jaar" => Some(PeriodKind::Year),
            other => {
                return Err(AppError::BadRequest(format!(
                    "unknown period {other:?}: use month, quarter or year"
                )));
            }
        };
        Ok(Filters {
            kind,
            programme: self.programme.clone().filter(|p| !p.is_empty()),
            from: self.from.clone(),
            to: self.to.clone(),
        })
    }
}

/// The trend table as the caller's role may see it: national supporters get items, sessions,
/// distinct regions, shares and flags with their test numbers; programme leaders get other
/// regions (\"<3\" below k) and their own region's items.
#[utoipa::path(get, path = "/api/v1/trends", tag = "trends", params(TrendParams),
    security(("token" = []), ("session" = [])),
    responses(
        (status = 200, description = "Trend view", content_type = "application/json", body = Object),
        (status = 400, description = "Bad filter", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Role may not see trends", body = ErrorBody)))]
async fn trends(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(params): Query<TrendParams>,
) -> Result<Response, AppError> {
    user.require(TREND_ROLES)?;
    let audience = snapshot::audience(&user, state.config().disclosure.k)?;
    let filters = params.filters()?;
    let key = format!(
        "api-trends:{}:{}:{}",
        audience.region.as_deref().unwrap_or("*"),
        filters.key(),
        state.today()
    );
    let body = state
        .cached(key, move |state, snapshot| {
            let (view, _, _) =
                snapshot::trend_view(snapshot, state.config(), &audience, &filters, state.today())?;
            serde_json::to_string(&view)
                .map_err(|e| AppError::Internal(e.to_string()))
                .and_then(CachedJson::new)
        })
        .await?;
    Ok(body.response(&headers))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThemeEntry {
    pub id: String,
    pub label_nl: String,
    pub label_en: String,
    pub description_nl: String,
    pub description_en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThemeList {
    pub taxonomy_version: u32,
    pub themes: Vec<ThemeEntry>,
}

/// The themes of the current taxonomy.
#[utoipa::path(get, path = "/api/v1/themes", tag = "trends",
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "Themes", body = ThemeList),
        (status = 401, description = "Not logged in", body = ErrorBody)))]
async fn themes(State(state): State<AppState>, _user: CurrentUser) -> Json<ThemeList> {
    let snapshot = state.snapshot();
    Json(ThemeList {
        taxonomy_version: snapshot.taxonomy_version,
        themes: snapshot
            .themes
            .iter()
            .map(|t| ThemeEntry {
                id: t.id.clone(),
                label_nl: t.label_nl.clone(),
                label_en: t.label_en.clone(),
                description_nl: t.description_nl.clone(),
                description_en: t.description_en.clone(),
            })
            .collect(),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words, "a phrase", or field syntax such as thema:werkdruk
    q: String,
    /// Only items of this theme (id)
    theme: Option<String>,
}

/// Full-text search over the anonymised items. A programme leader's search covers their own
/// region only.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "Hits", content_type = "application/json", body = Object),
        (status = 400, description = "Bad query", body = ErrorBody),
        (status = 403, description = "Role may not search", body = ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    user.require(TREND_ROLES)?;
    let request = super::pages::search_request(&user, params.q, params.theme);
    let result = state
        .with_index(move |state, index| {
            Ok(analysis::search::search(
                index,
                state.classifier().taxonomy(),
                &request,
            )?)
        })
        .await?;
    Ok(Json(result).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct SharedBody {
    /// The signal, in a sentence or a few words (not stored)
    text: String,
    /// The region asking (national supporters; a programme leader always asks for their own)
    region: Option<String>,
}

impl std::fmt::Debug for SharedBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedBody").finish_non_exhaustive()
    }
}

/// "Is my signal shared?": the themes of a text and how many other regions raise them.
#[utoipa::path(post, path = "/api/v1/shared", tag = "trends", request_body = SharedBody,
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "Shared check", content_type = "application/json", body = Object),
        (status = 400, description = "Bad request", body = ErrorBody),
        (status = 403, description = "Role may not ask", body = ErrorBody)))]
async fn shared(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Json(body): Json<SharedBody>,
) -> Result<Response, AppError> {
    user.check_csrf(csrf_header(&headers))?;
    user.require(TREND_ROLES)?;
    let request = super::pages::shared_request(&state, &user, body.text, body.region.as_deref())?;
    let result = super::pages::shared_answer(&state, request).await?;
    Ok(Json(result).into_response())
}

fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok())
}

/// Escalations: national supporters see every theme with a state or a firing rule, with the
/// dossier; programme leaders see only themes a person escalated, without numbers.
#[utoipa::path(get, path = "/api/v1/escalations", tag = "escalations",
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "Escalations", content_type = "application/json", body = Object),
        (status = 403, description = "Role may not see escalations", body = ErrorBody)))]
async fn escalations(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    user.require(TREND_ROLES)?;
    let audience = snapshot::audience(&user, state.config().disclosure.k)?;
    let shown = state
        .cached(
            format!(
                "api-escalations:{}:{}",
                audience.region.as_deref().unwrap_or("*"),
                state.today()
            ),
            move |state, snapshot| {
                let store = state.lock_store()?;
                let picture =
                    Escalations::compute(snapshot, &store, state.config(), state.today())?;
                let view = analysis::trends::view::escalation_view(
                    &picture.candidates,
                    &picture.states,
                    &audience,
                    &snapshot.labels,
                );
                serde_json::to_string(&view)
                    .map_err(|e| AppError::Internal(e.to_string()))
                    .and_then(CachedJson::new)
            },
        )
        .await?;
    Ok(shown.response(&headers))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EscalationChange {
    /// The new state: kandidaat, voorgesteld, geescaleerd, in_behandeling, opgelost, geparkeerd
    state: String,
    /// Why (kept in the history; anonymised)
    note: String,
    /// The state the caller saw (omit: no check)
    from: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EscalationState {
    pub theme: String,
    pub state: String,
}

/// Moves a theme on in the escalation lifecycle (national supporters).
#[utoipa::path(post, path = "/api/v1/escalations/{theme}", tag = "escalations",
    params(("theme" = String, Path, description = "Theme id")),
    request_body = EscalationChange,
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "New state", body = EscalationState),
        (status = 400, description = "Move not allowed", body = ErrorBody),
        (status = 403, description = "Role may not change escalations", body = ErrorBody),
        (status = 404, description = "No such theme", body = ErrorBody),
        (status = 409, description = "The state changed meanwhile", body = ErrorBody)))]
async fn change_escalation(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(theme): Path<String>,
    Json(body): Json<EscalationChange>,
) -> Result<Json<EscalationState>, AppError> {
    user.check_csrf(csrf_header(&headers))?;
    user.require(&[UserRole::Landelijk])?;
    let to = EscState::parse(&body.state).map_err(AppError::from)?;
    state
        .move_escalation(&theme, to, &body.note, &user.user.name, body.from)
        .await?;
    Ok(Json(EscalationState {
        theme,
        state: to.id().into(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// Items to skip (default 0)
    offset: Option<usize>,
    /// Items to return (default 20, at most 100)
    limit: Option<usize>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedTheme {
    pub theme: String,
    /// Why: query, model, tag (a person) or both
    pub source: String,
    /// The model's probability, when the model decided
    pub probability: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedItem {
    pub item_id: String,
    pub date: String,
    pub programme: String,
    pub kind: String,
    pub region: String,
    pub text: String,
    pub themes: Vec<SuggestedTheme>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewQueue {
    /// Items waiting for review in all
    pub waiting: usize,
    pub reviewed: usize,
    pub items: Vec<QueuedItem>,
}

/// The review queue: items without a theme or with a theme only the model gave, newest first
/// (national supporters and the beheerder).
#[utoipa::path(get, path = "/api/v1/review", tag = "review", params(QueueParams),
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "Items to review", body = ReviewQueue),
        (status = 403, description = "Role may not review", body = ErrorBody)))]
async fn review_queue(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<QueueParams>,
) -> Result<Json<ReviewQueue>, AppError> {
    user.require(super::pages::REVIEW_ROLES)?;
    let offset = params.offset.unwrap_or(0).min(1_000_000);
    let limit = params.limit.unwrap_or(20).clamp(1, 100);
    let (items, waiting, reviewed) = state
        .with_store(move |store| store.review_page(limit, offset))
        .await?;
    Ok(Json(ReviewQueue {
        waiting,
        reviewed,
        items: items
            .into_iter()
            .map(|i| QueuedItem {
                item_id: i.item_id,
                date: i.date,
                programme: i.programme,
                kind: i.kind,
                region: i.region,
                text: i.text,
                themes: i
                    .themes
                    .into_iter()
                    .map(|t| SuggestedTheme {
                        theme: t.theme,
                        source: t.source.as_str().into(),
                        probability: t.probability,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewBody {
    /// The item's themes as the reviewer sees them; empty for "other" (none of the themes)
    themes: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDone {
    pub item_id: String,
    pub themes: Vec<String>,
    pub reviewer: String,
    pub reviewed_at: String,
}

/// Confirms or corrects an item's themes (national supporters and the beheerder): the themes
/// count at once in the trends, stay through reclassifications and train the next model.
#[utoipa::path(post, path = "/api/v1/review/{item}", tag = "review",
    params(("item" = String, Path, description = "Item id")),
    request_body = ReviewBody,
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "The review as recorded", body = ReviewDone),
        (status = 400, description = "No such item or theme", body = ErrorBody),
        (status = 403, description = "Role may not review", body = ErrorBody)))]
async fn review_item(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(item): Path<String>,
    Json(body): Json<ReviewBody>,
) -> Result<Json<ReviewDone>, AppError> {
    user.check_csrf(csrf_header(&headers))?;
    user.require(super::pages::REVIEW_ROLES)?;
    if body.themes.len() > 50 {
        return Err(AppError::BadRequest("at most 50 themes per item".into()));
    }
    let review = super::pages::record_review(&state, &user, "api", &item, body.themes).await?;
    Ok(Json(ReviewDone {
        item_id: review.item_id,
        themes: review.themes,
        reviewer: review.reviewer,
        reviewed_at: review.reviewed_at,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionParams {
    /// Store the valid records and report the invalid ones (default: refuse the whole batch)
    skip_invalid: Option<bool>,
}

/// Stores a batch of sessions: JSON Lines (`application/x-ndjson`), CSV (`text/csv`) or an XLSX
/// workbook (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`), as
/// described in docs/input-formats.md. Validated, anonymised, stored as one batch, classified
/// and indexed.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "sessions", params(SessionParams),
    request_body(content = String, description = "JSON Lines or CSV", content_type = "application/x-ndjson"),
    security(("token" = []), ("session" = [])),
    responses((status = 201, description = "Stored", body = Outcome),
        (status = 415, description = "Not JSON Lines or CSV", body = ErrorBody),
        (status = 422, description = "Invalid input; nothing stored", body = Outcome),
        (status = 403, description = "Role may not store sessions", body = ErrorBody)))]
async fn sessions(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(params): Query<SessionParams>,
    body: Bytes,
) -> Result<Response, AppError> {
    user.check_csrf(csrf_header(&headers))?;
    user.require(ENTRY_ROLES)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let name = match content_type.as_str() {
        "application/x-ndjson"
        | "application/jsonl"
        | "application/json-lines"
        | "application/jsonlines" => "api.jsonl",
        "text/csv" => "api.csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "api.xlsx",
        other => {
            return Ok((
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                Json(ErrorBody {
                    error: super::error::ErrorDetail {
                        code: "unsupported_media_type",
                        message: format!(
                            "send JSON Lines (Content-Type: application/x-ndjson), CSV (text/csv) or a workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), not {:?}",
                            other.chars().take(80).collect::<String>()
                        ),
                    },
                }),
            )
                .into_response());
        }
    };
    let input = intake::parse_upload(name, &body);
    let outcome = intake::ingest(
        &state,
        vec![input],
        params.skip_invalid.unwrap_or(false),
        format!("api:{}", user.user.name),
    )
    .await?;
    let status = if outcome.stored {
        StatusCode::CREATED
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(outcome)).into_response())
}
