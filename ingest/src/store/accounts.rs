//! Accounts (schema v4): users with a role, their web sessions and their API tokens. The store
//! keeps only hashes — the caller hashes passwords (argon2id) and random tokens (BLAKE3) — and
//! enforces the rules a database can: unique names, a region exactly for programme leaders, and
//! no way in for a disabled account.

use rusqlite::{OptionalExtension, params};

use super::{Store, now};
use crate::error::{Error, Result};

/// What an account may do; see DESIGN.md, "Users and their jobs".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UserRole {
    /// Accounts, regions, the taxonomy.
    Beheerder,
    /// National supporter: trends, escalations, excerpts.
    Landelijk,
    /// Programme leader, bound to one region: "is my signal shared?".
    Programmaleider,
    /// Records sessions (form or upload).
    Invoerder,
}

impl UserRole {
    pub const ALL: [UserRole; 4] = [
        UserRole::Beheerder,
        UserRole::Landelijk,
        UserRole::Programmaleider,
        UserRole::Invoerder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UserRole::Beheerder => "beheerder",
            UserRole::Landelijk => "landelijk",
            UserRole::Programmaleider => "programmaleider",
            UserRole::Invoerder => "invoerder",
        }
    }

    pub fn parse(text: &str) -> Option<UserRole> {
        UserRole::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

impl std::fmt::Display for UserRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An account as everyone but the login check sees it (no password hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: UserRole,
    /// The programme leader's region; `None` for the other roles.
    pub region: Option<String>,
    pub disabled: bool,
    pub created_at: String,
}

/// A live web session: who, and the CSRF token its forms must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    pub user: User,
    pub csrf: String,
    pub expires_at: i64,
}

const USER_COLUMNS: &str = "id, name, role, region, disabled, created_at";

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(2)?;
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        role: UserRole::parse(&role).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                2,
                rusqlite::types::Type::Text,
                format!("unknown role {role:?}").into(),
            )
        })?,
        region: r.get(3)?,
        disabled: r.get(4)?,
        created_at: r.get(5)?,
    })
}

impl Store {
    /// Adds an account. `region` is required for programme leaders and refused for the others.
    pub fn add_user(
        &mut self,
        name: &str,
        role: UserRole,
        region: Option<&str>,
        password_hash: &str,
    ) -> Result<User> {
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(Error::Conflict(
                "a user name must be non-empty text on one line".into(),
            ));
        }
        match (role, region) {
            (UserRole::Programmaleider, None) => {
                return Err(Error::Conflict(
                    "a programme leader is bound to one region: give it".into(),
                ));
            }
            (UserRole::Programmaleider, Some(_)) | (_, None) => {}
            (_, Some(_)) => {
                return Err(Error::Conflict(format!(
                    "only a programme leader has a region, not a {role}"
                )));
            }
        }
        if self.user(name)?.is_some() {
            return Err(Error::Conflict(format!(
                "a user named {name:?} exists already"
            )));
        }
        self.conn.execute(
            "INSERT INTO users (name, role, region, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, role.as_str(), region, password_hash, now()],
        )?;
        let id = self.conn.last_insert_rowid();
        self.user_by_id(id)?
            .ok_or_else(|| Error::Conflict("the new user vanished".into()))
    }

    /// Every account, by name.
    pub fn users(&self) -> Result<Vec<User>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY name COLLATE NOCASE"
        ))?;
        let rows = statement.query_map([], user_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The account called `name` (case-insensitive), disabled or not.
    pub fn user(&self, name: &str) -> Result<Option<User>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"),
                [name.trim()],
                user_row,
            )
            .optional()?)
    }

    fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
                [id],
                user_row,
            )
            .optional()?)
    }

    /// The account and its password hash, for the login check: `None` when there is no such
    /// account or it is disabled.
    pub fn login_candidate(&self, name: &str) -> Result<Option<(User, String)>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {USER_COLUMNS}, password_hash FROM users WHERE name = ?1 AND disabled = 0"
                ),
                [name.trim()],
                |r| Ok((user_row(r)?, r.get(6)?)),
            )
            .optional()?)
    }

    /// Disables (or re-enables) an account. Disabling ends its web sessions and revokes its
    /// API tokens at once.
    pub fn set_user_disabled(&mut self, name: &str, disabled: bool) -> Result<User> {
        let Some(user) = self.user(name)? else {
            return Err(Error::Conflict(format!("there is no user named {name:?}")));
        };
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE users SET disabled = ?2 WHERE id = ?1",
            params![user.id, disabled],
        )?;
        if disabled {
            tx.execute("DELETE FROM web_sessions WHERE user_id = ?1", [user.id])?;
            tx.execute("DELETE FROM api_tokens WHERE user_id = ?1", [user.id])?;
        }
        tx.commit()?;
        Ok(User { disabled, ..user })
    }

    /// Sets a new password hash; the account's web sessions end.
    pub fn set_password(&mut self, name: &str, password_hash: &str) -> Result<()> {
        let Some(user) = self.user(name)? else {
            return Err(Error::Conflict(format!("there is no user named {name:?}")));
        };
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![user.id, password_hash],
        )?;
        tx.execute("DELETE FROM web_sessions WHERE user_id = ?1", [user.id])?;
        tx.commit()?;
        Ok(())
    }

    /// Starts a web session for `user_id`, valid until `expires_at` (Unix seconds).
    pub fn start_web_session(
        &mut self,
        token_hash: &[u8; 32],
        user_id: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO web_sessions (token_hash, user_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash.as_slice(), user_id, csrf, expires_at],
        )?;
        Ok(())
    }

    /// The live session with this token hash at time `now` (Unix seconds), if its account is
    /// enabled. Expired sessions are removed on the way.
    pub fn web_session(&mut self, token_hash: &[u8; 32], now: i64) -> Result<Option<WebSession>> {
        let found = self
            .conn
            .prepare_cached(&format!(
                "SELECT u.{}, s.csrf, s.expires_at FROM web_sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = ?1 AND u.disabled = 0",
                USER_COLUMNS.replace(", ", ", u.")
            ))?
            .query_row([token_hash.as_slice()], |r| {
                Ok(WebSession {
                    user: user_row(r)?,
                    csrf: r.get(6)?,
                    expires_at: r.get(7)?,
                })
            })
            .optional()?;
        match found {
            Some(session) if session.expires_at > now => Ok(Some(session)),
            Some(_) => {
                self.conn
                    .execute("DELETE FROM web_sessions WHERE expires_at <= ?1", [now])?;
                Ok(None)
            }
            None => Ok(None),
        }
    }

    /// Ends a web session (logout).
    pub fn end_web_session(&mut self, token_hash: &[u8; 32]) -> Result<()> {
        self.conn.execute(
            "DELETE FROM web_sessions WHERE token_hash = ?1",
            [token_hash.as_slice()],
        )?;
        Ok(())
    }

    /// Records an API token (its hash) for the account `name`.
    pub fn add_api_token(
        &mut self,
        name: &str,
        label: &str,
        token_hash: &[u8; 32],
    ) -> Result<User> {
        let Some(user) = self.user(name)? else {
            return Err(Error::Conflict(format!("there is no user named {name:?}")));
        };
        if user.disabled {
            return Err(Error::Conflict(format!(
                "the user {name:?} is disabled; enable it first"
            )));
        }
        self.conn.execute(
            "INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash.as_slice(), user.id, label, now()],
        )?;
        Ok(user)
    }

    /// The enabled account an API token belongs to.
    pub fn api_token_user(&self, token_hash: &[u8; 32]) -> Result<Option<User>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT u.{} FROM api_tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.token_hash = ?1 AND u.disabled = 0",
                USER_COLUMNS.replace(", ", ", u.")
            ))?
            .query_row([token_hash.as_slice()], user_row)
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    #[test]
    fn a_programme_leader_needs_a_region_and_only_they_have_one() {
        let (_dir, mut store) = store();
        assert!(
            store
                .add_user("pl", UserRole::Programmaleider, None, "h")
                .is_err()
        );
        assert!(
            store
                .add_user("nat", UserRole::Landelijk, Some("Twente Zuid"), "h")
                .is_err()
        );
        let leader = store
            .add_user("pl", UserRole::Programmaleider, Some("Twente Zuid"), "h")
            .unwrap();
        assert_eq!(leader.region.as_deref(), Some("Twente Zuid"));
        assert!(
            store
                .add_user("PL", UserRole::Landelijk, None, "h")
                .is_err()
        );
    }

    #[test]
    fn sessions_expire_and_end_when_the_account_is_disabled() {
        let (_dir, mut store) = store();
        let user = store
            .add_user("nat", UserRole::Landelijk, None, "h")
            .unwrap();
        let token = [7u8; 32];
        store
            .start_web_session(&token, user.id, "csrf", 1_000)
            .unwrap();
        assert_eq!(
            store.web_session(&token, 999).unwrap().unwrap().csrf,
            "csrf"
        );
        assert!(store.web_session(&token, 1_000).unwrap().is_none());
        store
            .start_web_session(&[8u8; 32], user.id, "c2", 5_000)
            .unwrap();
        assert!(store.web_session(&[8u8; 32], 10).unwrap().is_some());
        store.set_user_disabled("nat", true).unwrap();
        assert!(store.web_session(&[8u8; 32], 10).unwrap().is_none());
        assert!(store.login_candidate("nat").unwrap().is_none());
    }

    #[test]
    fn api_tokens_belong_to_enabled_accounts() {
        let (_dir, mut store) = store();
        store
            .add_user("inv", UserRole::Invoerder, None, "h")
            .unwrap();
        store.add_api_token("inv", "koppeling", &[1u8; 32]).unwrap();
        assert_eq!(
            store.api_token_user(&[1u8; 32]).unwrap().unwrap().role,
            UserRole::Invoerder
        );
        assert!(store.api_token_user(&[2u8; 32]).unwrap().is_none());
        store.set_user_disabled("inv", true).unwrap();
        assert!(store.api_token_user(&[1u8; 32]).unwrap().is_none());
        assert!(store.add_api_token("inv", "x", &[3u8; 32]).is_err());
    }
}
