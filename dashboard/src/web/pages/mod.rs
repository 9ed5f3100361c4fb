//! The HTML pages: server-rendered, usable without JavaScript, Dutch with an English switch.
//! Each page checks the role first; what a role may see of the trends is decided by the
//! disclosure layer in `analysis::trends::view`, never here.

mod admin;
mod audit;
mod entry;
mod login;
mod overview;
mod reports;
mod review;
mod search;
mod signal;
mod theme;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Router, routing::get, routing::post};
use axum_extra::extract::cookie::CookieJar;
use ingest::store::UserRole;
use serde::Deserialize;

use super::AppState;
use super::auth::CurrentUser;
use super::error::AppError;
use super::i18n::{LANG_COOKIE, Lang, Texts};
pub use crate::words::decimal;

pub use admin::MIN_PASSWORD;
pub use review::{REVIEW_ROLES, record as record_review};
pub use search::request_for as search_request;
pub use signal::{answer as shared_answer, request_for as shared_request};

const CSS: &str = include_str!("../../../assets/signaalradar.css");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/inloggen", get(login::form).post(login::submit))
        .route("/uitloggen", post(login::logout))
        .route("/taal/{code}", get(language))
        .route("/static/signaalradar.css", get(css))
        .route("/overzicht", get(overview::page))
        .route("/thema/{id}", get(theme::page))
        .route("/thema/{id}/status", post(theme::change_state))
        .route("/mijn-signaal", get(signal::form).post(signal::check))
        .route("/invoer", get(entry::form).post(entry::submit))
        .route("/invoer/bestand", post(entry::upload))
        .route("/zoeken", get(search::page))
        .route("/rapporten", get(reports::page).post(reports::make))
        .route("/rapporten/{id}/bestand", get(reports::download))
        .route("/beoordelen", get(review::page))
        .route("/beoordelen/trainen", post(review::train))
        .route("/beoordelen/{item}", post(review::submit))
        .route("/beheer", get(admin::page))
        .route("/beheer/logboek", get(audit::page))
        .route("/beheer/accounts", post(admin::add_user))
        .route("/beheer/accounts/{id}/status", post(admin::set_status))
        .route("/beheer/themas", post(admin::add_theme))
        .route("/beheer/regios", post(admin::add_region))
        .route("/beheer/regios/alias", post(admin::add_alias))
        .route("/beheer/themas/samenvoegen", post(admin::merge_themes))
        .route("/beheer/themas/zoekvraag", post(admin::move_query))
}

/// Roles that see trends (with their own view each).
pub const TREND_ROLES: &[UserRole] = &[UserRole::Landelijk, UserRole::Programmaleider];
/// Roles that record sessions.
pub const ENTRY_ROLES: &[UserRole] = &[UserRole::Invoerder, UserRole::Landelijk];

/// One menu entry.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// What the layout needs on every page.
#[derive(Debug, Clone)]
pub struct Page {
    pub t: &'static Texts,
    pub lang: &'static str,
    pub other_lang: &'static str,
    pub title: String,
    pub user_name: String,
    pub user_role: &'static str,
    pub nav: Vec<NavItem>,
    /// The session's CSRF token, for every form.
    pub csrf: String,
    /// Where the language switch returns to.
    pub here: String,
    /// The disclosure threshold; `None` before logging in.
    pub k: Option<usize>,
}

impl Page {
    pub fn new(lang: Lang, user: Option<&CurrentUser>, title: &str, here: &str) -> Page {
        let t = lang.texts();
        let nav = user
            .map(|u| {
                menu(u.role(), t)
                    .into_iter()
                    .map(|(href, label)| NavItem {
                        href,
                        label,
                        current: here.split('?').next().is_some_and(|p| {
                            p == href || (href == "/overzicht" && p.starts_with("/thema/"))
                        }),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Page {
            t,
            lang: lang.code(),
            other_lang: lang.other().code(),
            title: title.to_owned(),
            user_name: user.map(|u| u.user.name.clone()).unwrap_or_default(),
            user_role: user.map(|u| t.role(u.role())).unwrap_or_default(),
            nav,
            csrf: user.map(|u| u.csrf.clone()).unwrap_or_default(),
            here: urlencode(here),
            k: user.map(|u| u.k),
        }
    }

    /// `text` with this reader's disclosure threshold filled in for `{k}` (for templates).
    pub fn k_text(&self, text: &str) -> String {
        with_k(text, self.k.unwrap_or_default())
    }
}

/// A text with the disclosure threshold filled in for `{k}`.
pub fn with_k(text: &str, k: usize) -> String {
    text.replace("{k}", &k.to_string())
}

/// The menu of a role, in the order of its work.
fn menu(role: UserRole, t: &'static Texts) -> Vec<(&'static str, &'static str)> {
    match role {
        UserRole::Landelijk => vec![
            ("/overzicht", t.nav_overview),
            ("/mijn-signaal", t.nav_signal),
            ("/zoeken", t.nav_search),
            ("/invoer", t.nav_entry),
            ("/beoordelen", t.nav_review),
            ("/rapporten", t.nav_reports),
        ],
        UserRole::Programmaleider => vec![
            ("/overzicht", t.nav_overview),
            ("/mijn-signaal", t.nav_signal),
            ("/zoeken", t.nav_search),
            ("/rapporten", t.nav_reports),
        ],
        UserRole::Invoerder => vec![("/invoer", t.nav_entry)],
        UserRole::Beheerder => vec![("/beheer", t.nav_admin), ("/beoordelen", t.nav_review)],
    }
}

/// Where each role starts.
pub fn home_of(role: UserRole) -> &'static str {
    match role {
        UserRole::Landelijk | UserRole::Programmaleider => "/overzicht",
        UserRole::Invoerder => "/invoer",
        UserRole::Beheerder => "/beheer",
    }
}

/// `path` with the request's query string, if it had one (where the language switch returns).
pub fn with_query(path: &str, query: Option<String>) -> String {
    match query {
        Some(q) if !q.is_empty() => format!("{path}?{q}"),
        _ => path.to_owned(),
    }
}

/// Percent-encodes a local path with its query for use inside a query parameter.
pub fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char);
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn percent(lang: Lang, share: Option<f64>) -> String {
    share.map_or_else(
        || "–".into(),
        |s| format!("{} %", decimal(100.0 * s, 1, lang)),
    )
}

async fn home(user: CurrentUser) -> Redirect {
    Redirect::to(home_of(user.role()))
}

#[derive(Debug, Deserialize)]
struct Back {
    terug: Option<String>,
}

/// Switches the language and returns to the page the reader was on (a local path only).
async fn language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(back): Query<Back>,
    jar: CookieJar,
) -> Result<(CookieJar, Redirect), AppError> {
    let lang = Lang::parse(&code)
        .ok_or_else(|| AppError::NotFound(format!("no language {code:?}; use nl or en")))?;
    let target = back.terug.as_deref().and_then(local_path).unwrap_or("/");
    let mut cookie = super::auth::cookie(LANG_COOKIE, lang.code().into(), state.secure_cookies());
    cookie.set_max_age(time_years(1));
    Ok((jar.add(cookie), Redirect::to(target)))
}

/// `target` if it is a path on this server that is safe to redirect to, else `None`: it starts
/// with one `/`, and holds visible ASCII only, without `\`. Browsers drop tabs and line breaks
/// from a `Location` and read `\` as `/`, so "/\t/evil.example" would lead to another host;
/// and a line break cannot go in a header at all.
pub fn local_path(target: &str) -> Option<&str> {
    let visible = target.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    let mut chars = target.chars();
    let local = chars.next() == Some('/') && chars.next() != Some('/');
    (visible && local).then_some(target)
}

fn time_years(years: i64) -> cookie::time::Duration {
    cookie::time::Duration::days(365 * years)
}

async fn css() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        CSS,
    )
        .into_response()
}

#[derive(Debug, Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    page: Page,
    message: String,
}

impl ErrorPage {
    pub fn new(lang: Lang, error: &AppError) -> ErrorPage {
        ErrorPage {
            page: Page::new(lang, None, lang.texts().error_title, "/"),
            message: error.message(lang),
        }
    }
}
