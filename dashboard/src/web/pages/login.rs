//! Logging in and out. The login form carries its own CSRF token (a cookie and a hidden field
//! that must agree) because there is no session yet to hold one; the token is signed by the
//! server, so a client cannot choose it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use ingest::store::AuditAction;
use serde::Deserialize;

use super::{Page, home_of};
use crate::web::AppState;
use crate::web::auth::{
    self, CurrentUser, LOGIN_COOKIE, SESSION_COOKIE, SESSION_HOURS, new_token, token_hash,
    tokens_match,
};
use crate::web::error::AppError;
use crate::web::i18n::Lang;

/// Verified when the name is unknown, so a wrong name takes as long as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| auth::hash_password("no such user").unwrap_or_default());

#[derive(Debug, Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    page: Page,
    login_token: String,
    name: String,
    problem: Option<String>,
}

fn login_page(
    state: &AppState,
    lang: Lang,
    jar: CookieJar,
    name: String,
    problem: Option<&str>,
) -> (CookieJar, LoginPage) {
    let token = auth::login_token(state.login_key(), auth::now_unix());
    let jar = jar.add(auth::cookie(
        LOGIN_COOKIE,
        token.clone(),
        state.secure_cookies(),
    ));
    (
        jar,
        LoginPage {
            page: Page::new(lang, None, lang.texts().login_title, "/inloggen"),
            login_token: token,
            name,
            problem: problem.map(str::to_owned),
        },
    )
}

pub async fn form(
    State(state): State<AppState>,
    lang: Lang,
    user: Option<CurrentUser>,
    jar: CookieJar,
) -> Response {
    if let Some(user) = user {
        return Redirect::to(home_of(user.role())).into_response();
    }
    login_page(&state, lang, jar, String::new(), None).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    csrf: String,
    naam: String,
    wachtwoord: String,
}

impl std::fmt::Debug for LoginForm {
    // The password never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm")
            .field("naam", &self.naam)
            .finish_non_exhaustive()
    }
}

pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    // The cookie and the field must agree, and the token must be one this server issued.
    let expected = jar.get(LOGIN_COOKIE).map(|c| c.value().to_owned());
    let issued = auth::login_token_valid(state.login_key(), &form.csrf, auth::now_unix());
    if !issued || !expected.is_some_and(|e| tokens_match(&e, &form.csrf)) {
        let (jar, page) = login_page(&state, lang, jar, form.naam, Some(t.form_expired));
        return Ok((StatusCode::FORBIDDEN, jar, page).into_response());
    }
    let name = form.naam.trim().to_owned();
    if !state.logins().allows(&name) {
        tracing::warn!("login refused: too many failed attempts for one account");
        let (jar, page) = login_page(&state, lang, jar, name, Some(t.login_locked));
        return Ok((StatusCode::TOO_MANY_REQUESTS, jar, page).into_response());
    }
    let candidate = {
        let name = name.clone();
        state
            .with_store(move |store| store.login_candidate(&name))
            .await?
    };
    let password = form.wachtwoord;
    let user = tokio::task::spawn_blocking(move || match candidate {
        Some((user, hash)) => auth::verify_password(&password, &hash).then_some(user),
        None => {
            let _ = auth::verify_password(&password, &DUMMY_HASH);
            None
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(user) = user else {
        tracing::info!("login refused");
        state.logins().failed(&name);
        let tried = ingest::error::cut(&name, 60);
        state
            .with_store(move |store| {
                store.audit(
                    "web",
                    AuditAction::LoginFailed,
                    serde_json::json!({"name": tried}),
                )
            })
            .await?;
        let (jar, page) = login_page(&state, lang, jar, name, Some(t.login_failed));
        return Ok((StatusCode::UNAUTHORIZED, jar, page).into_response());
    };
    state.logins().succeeded(&name);
    let token = new_token();
    let hash = token_hash(&token);
    let csrf = new_token();
    let expires = auth::now_unix() + SESSION_HOURS * 3600;
    let user_id = user.id;
    state
        .with_store_mut(move |store| store.start_web_session(&hash, user_id, &csrf, expires))
        .await?;
    tracing::info!(role = %user.role, "logged in");
    let actor = format!("web:{}", user.name);
    state
        .with_store(move |store| store.audit(&actor, AuditAction::Login, serde_json::json!({})))
        .await?;
    let jar = jar
        .remove(Cookie::build(LOGIN_COOKIE).path("/"))
        .add(auth::cookie(SESSION_COOKIE, token, state.secure_cookies()));
    Ok((jar, Redirect::to(home_of(user.role))).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Form(form): Form<CsrfOnly>,
) -> Result<(CookieJar, Redirect), AppError> {
    user.check_csrf(Some(&form.csrf))?;
    if let Some(token) = jar.get(SESSION_COOKIE) {
        let hash = token_hash(token.value());
        state.sessions().remove(&hash);
        state
            .with_store_mut(move |store| store.end_web_session(&hash))
            .await?;
    }
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/inloggen"),
    ))
}
