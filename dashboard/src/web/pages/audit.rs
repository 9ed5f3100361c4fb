//! *Beheer › Logboek*: the newest lines of the audit log, for the beheerder.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use ingest::store::{AuditEntry, UserRole};

use super::Page;
use crate::web::AppState;
use crate::web::auth::CurrentUser;
use crate::web::error::AppError;
use crate::web::i18n::Lang;

/// Lines shown on the page (the command shows all).
const SHOWN: usize = 500;

#[derive(Debug, Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    page: Page,
    /// Newest first.
    entries: Vec<AuditEntry>,
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> Result<AuditPage, AppError> {
    user.require(&[UserRole::Beheerder])?;
    let mut entries = state
        .with_store(|store| store.audit_entries(None, Some(SHOWN)))
        .await?;
    entries.reverse();
    Ok(AuditPage {
        page: Page::new(
            lang,
            Some(&user),
            lang.texts().audit_title,
            "/beheer/logboek",
        ),
        entries,
    })
}
