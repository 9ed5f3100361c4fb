//! One error type for every handler. API clients get one JSON shape
//! (`{"error": {"code": …, "message": …}}`); on the pages, [`html_errors`] turns the same error
//! into a page in the reader's language (or a redirect to the login form).

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Json, Redirect, Response};
use serde::Serialize;

use super::i18n::Lang;

#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    /// Not logged in, or an unknown API token.
    #[error("log in first, or send a valid API token as `Authorization: Bearer …`")]
    Unauthorized,
    /// Logged in, but the role may not do this.
    #[error("your role may not do this")]
    Forbidden,
    /// A form or API write without the session's CSRF token.
    #[error("the form is missing its security token or it has expired; reload the page")]
    Csrf,
    #[error("not found: {0}")]
    NotFound(String),
    /// The request cannot work as given; the message says what to change.
    #[error("{0}")]
    BadRequest(String),
    /// The state changed since the caller looked.
    #[error("{0}")]
    Conflict(String),
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf",
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Conflict(_) => "conflict",
            AppError::Internal(_) => "internal",
        }
    }

    /// The message for the reader: Dutch for the fixed cases, the detail otherwise.
    pub fn message(&self, lang: Lang) -> String {
        let t = lang.texts();
        match self {
            AppError::Unauthorized => t.login_intro.into(),
            AppError::Forbidden => t.forbidden.into(),
            AppError::Csrf => t.form_expired.into(),
            AppError::NotFound(_) => t.not_found.into(),
            AppError::Internal(_) => t.internal_error.into(),
            AppError::BadRequest(m) | AppError::Conflict(m) => m.clone(),
        }
    }
}

impl From<ingest::Error> for AppError {
    fn from(e: ingest::Error) -> Self {
        match e {
            ingest::Error::Conflict(m) => AppError::Conflict(m),
            e if e.is_user_error() => AppError::BadRequest(e.to_string()),
            e => AppError::Internal(e.to_string()),
        }
    }
}

impl From<analysis::Error> for AppError {
    fn from(e: analysis::Error) -> Self {
        match e {
            analysis::Error::Invalid(m) => AppError::BadRequest(m),
            analysis::Error::Store(e) => e.into(),
            e => AppError::Internal(e.to_string()),
        }
    }
}

impl From<crate::charts::ChartError> for AppError {
    fn from(e: crate::charts::ChartError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// The JSON error body of the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable code: unauthorized, forbidden, csrf, not_found, bad_request, conflict, internal.
    pub code: &'static str,
    /// What went wrong and what to do, for a person.
    pub message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            // The detail names a cause (a file, an SQL error), never item text.
            tracing::error!(%detail, "request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: match &self {
                    AppError::Internal(_) => Lang::Nl.texts().internal_error.into(),
                    e => e.to_string(),
                },
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// Middleware for the API: an error that is not already in the JSON error shape (a body over
/// the size limit, a body an extractor refused) is put into it, so that every API answer is
/// JSON. The refusal's own text is short (axum's) and repeats nothing of the request.
pub async fn api_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || json {
        return response;
    }
    let (code, message) = if status == StatusCode::PAYLOAD_TOO_LARGE {
        (
            "payload_too_large",
            format!(
                "the request body is larger than {} MB; send the sessions in smaller batches",
                super::BODY_LIMIT / (1024 * 1024)
            ),
        )
    } else {
        let text = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let code = match status {
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            s if s.is_server_error() => "internal",
            _ => "bad_request",
        };
        (code, ingest::error::cut(text.trim(), 300))
    };
    (
        status,
        Json(ErrorBody {
            error: ErrorDetail { code, message },
        }),
    )
        .into_response()
}

/// Middleware for the HTML pages: an [`AppError`] becomes an error page in the reader's
/// language, and "not logged in" a redirect to the login form.
pub async fn html_errors(lang: Lang, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let Some(error) = response.extensions().get::<AppError>().cloned() else {
        return response;
    };
    if matches!(error, AppError::Unauthorized) {
        return Redirect::to("/inloggen").into_response();
    }
    let page = super::pages::ErrorPage::new(lang, &error);
    let mut html = page.into_response();
    *html.status_mut() = error.status();
    html.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    html
}
