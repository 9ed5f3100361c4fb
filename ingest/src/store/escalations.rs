//! The escalation lifecycle (schema v3): each theme's current state and the history of every
//! change. Which changes are allowed is the analysis crate's business; the store only makes sure
//! a change applies to the state the caller saw.

use rusqlite::{OptionalExtension, params};

use super::{Store, now};
use crate::error::{Error, Result};

/// A theme's current escalation state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationRecord {
    pub theme: String,
    pub state: String,
    /// When the state last changed (UTC, RFC 3339).
    pub updated_at: String,
}

/// One change in a theme's escalation history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationChange {
    pub theme: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub at: String,
    pub actor: String,
    pub note: String,
}

impl Store {
    /// Every theme with an escalation state, by theme id.
    pub fn escalations(&self) -> Result<Vec<EscalationRecord>> {
        let mut statement = self
            .conn
            .prepare("SELECT theme, state, updated_at FROM escalations ORDER BY theme")?;
        let rows = statement.query_map([], |r| {
            Ok(EscalationRecord {
                theme: r.get(0)?,
                state: r.get(1)?,
                updated_at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The history of one theme (or of all themes), oldest first.
    pub fn escalation_history(&self, theme: Option<&str>) -> Result<Vec<EscalationChange>> {
        let mut statement = self.conn.prepare(
            "SELECT theme, from_state, to_state, at, actor, note FROM escalation_history
             WHERE ?1 IS NULL OR theme = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([theme], |r| {
            Ok(EscalationChange {
                theme: r.get(0)?,
                from_state: r.get(1)?,
                to_state: r.get(2)?,
                at: r.get(3)?,
                actor: r.get(4)?,
                note: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Moves `theme` from state `from` (`None`: no state yet) to `to` and records why, in one
    /// transaction. Fails with [`Error::Conflict`] if the theme is no longer in state `from`.
    pub fn set_escalation(
        &mut self,
        theme: &str,
        from: Option<&str>,
        to: &str,
        actor: &str,
        note: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let current: Option<String> = tx
            .query_row(
                "SELECT state FROM escalations WHERE theme = ?1",
                [theme],
                |r| r.get(0),
            )
            .optional()?;
        if current.as_deref() != from {
            return Err(Error::Conflict(format!(
                "theme {theme} is now {}, not {}; look again with `signaalradar escalations`",
                current.as_deref().unwrap_or("without a state"),
                from.unwrap_or("without a state"),
            )));
        }
        let at = now();
        tx.execute(
            "INSERT INTO escalations (theme, state, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (theme) DO UPDATE SET state = ?2, updated_at = ?3",
            params![theme, to, at],
        )?;
        tx.execute(
            "INSERT INTO escalation_history (theme, from_state, to_state, at, actor, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![theme, from, to, at, actor, note],
        )?;
        // The note is a person's words: the audit line keeps the move only.
        super::audit::record(
            &tx,
            actor,
            super::AuditAction::EscalationChanged,
            &serde_json::json!({"theme": theme, "from": from, "to": to}),
        )?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_apply_to_the_state_seen_and_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store
            .set_escalation("corona", None, "kandidaat", "regel", "rule fired")
            .unwrap();
        store
            .set_escalation("corona", Some("kandidaat"), "voorgesteld", "anna", "agenda")
            .unwrap();
        let stale = store.set_escalation("corona", Some("kandidaat"), "geparkeerd", "bo", "");
        assert!(matches!(stale, Err(Error::Conflict(_))), "{stale:?}");
        let records = store.escalations().unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].state, "voorgesteld");
        let history = store.escalation_history(Some("corona")).unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].from_state, None);
        assert_eq!(history[1].from_state.as_deref(), Some("kandidaat"));
        assert_eq!(history[1].actor, "anna");
        assert!(
            store
                .escalation_history(Some("wetgeving"))
                .unwrap()
                .is_empty()
        );
        let invalid = store.set_escalation("corona", Some("voorgesteld"), "weg", "anna", "");
        assert!(invalid.is_err(), "the schema refuses unknown states");
    }
}
