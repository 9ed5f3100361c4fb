//! The audit log (schema v1, append-only since v6): one line per thing a person or process
//! did — who, when, what, and a JSON detail of ids and counts. Item text never goes in: the
//! detail is built by the caller from names, ids and numbers only.

use rusqlite::params;
use serde::Serialize;

use super::{Store, now};
use crate::error::Result;

/// What is recorded. The names are stable: reports and scripts read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Login,
    LoginFailed,
    Ingest,
    Export,
    ReportMade,
    ReportDownloaded,
    TaxonomyChanged,
    /// A region or an alias added to the registry.
    RegionsChanged,
    ModelChanged,
    ThemesReviewed,
    EscalationChanged,
    AccountAdded,
    AccountDisabled,
    AccountEnabled,
    PasswordChanged,
    TokenAdded,
    Backup,
    Restore,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Ingest => "ingest",
            AuditAction::Export => "export",
            AuditAction::ReportMade => "report_made",
            AuditAction::ReportDownloaded => "report_downloaded",
            AuditAction::TaxonomyChanged => "taxonomy_changed",
            AuditAction::RegionsChanged => "regions_changed",
            AuditAction::ModelChanged => "model_changed",
            AuditAction::ThemesReviewed => "themes_reviewed",
            AuditAction::EscalationChanged => "escalation_changed",
            AuditAction::AccountAdded => "account_added",
            AuditAction::AccountDisabled => "account_disabled",
            AuditAction::AccountEnabled => "account_enabled",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::TokenAdded => "token_added",
            AuditAction::Backup => "backup",
            AuditAction::Restore => "restore",
        }
    }
}

/// One recorded line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC, RFC 3339.
    pub at: String,
    /// "web:<user>", "api:<user>", "cli:<login>", or "planner".
    pub actor: String,
    pub action: String,
    /// JSON: ids, names of accounts and themes, counts.
    pub detail: serde_json::Value,
}

/// Appends a line on `conn` (inside the caller's transaction, when it has one).
pub(super) fn record(
    conn: &rusqlite::Connection,
    actor: &str,
    action: AuditAction,
    detail: &serde_json::Value,
) -> Result<()> {
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
        params![now(), actor, action.as_str(), detail.to_string()],
    )?;
    Ok(())
}

impl Store {
    /// Appends a line to the audit log.
    pub fn audit(&self, actor: &str, action: AuditAction, detail: serde_json::Value) -> Result<()> {
        record(&self.conn, actor, action, &detail)
    }

    /// The audit log from `since` (a date or an RFC 3339 time; `None`: from the start), oldest
    /// first; with `limit`, only the newest that many.
    pub fn audit_entries(
        &self,
        since: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<AuditEntry>> {
        let since = since.unwrap_or("");
        let limit = limit.map_or(-1, |n| n as i64);
        let mut statement = self.conn.prepare(
            "SELECT id, at, actor, action, detail FROM (
                 SELECT * FROM audit_log WHERE at >= ?1 ORDER BY id DESC LIMIT ?2
             ) ORDER BY id",
        )?;
        let rows = statement.query_map(params![since, limit], |r| {
            let detail: String = r.get(4)?;
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail)),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_log_is_append_only_and_reads_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .audit(
                "cli:test",
                AuditAction::AccountAdded,
                serde_json::json!({"name": "a"}),
            )
            .unwrap();
        store
            .audit("web:b", AuditAction::Login, serde_json::json!({}))
            .unwrap();
        let all = store.audit_entries(None, None).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].action, "account_added");
        assert_eq!(all[0].detail["name"], "a");
        assert_eq!(
            store.audit_entries(None, Some(1)).unwrap()[0].action,
            "login"
        );
        assert!(
            store
                .audit_entries(Some("2999-01-01"), None)
                .unwrap()
                .is_empty()
        );
        for statement in [
            "UPDATE audit_log SET actor = 'someone else'",
            "DELETE FROM audit_log",
            "DELETE FROM audit_log WHERE id = 1",
        ] {
            let err = store.conn.execute(statement, []).unwrap_err().to_string();
            assert!(err.contains("append-only"), "{statement}: {err}");
        }
        assert_eq!(store.audit_entries(None, None).unwrap(), all);
    }
}
