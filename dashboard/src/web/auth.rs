//! Who is asking: passwords (argon2id), web sessions (a random cookie token, stored hashed),
//! API tokens (bearer, stored hashed), CSRF tokens, and the role checks every handler makes.

use std::time::{Duration, Instant};

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use ingest::store::{User, UserRole, WebSession};

use super::AppState;
use super::error::AppError;

/// The session cookie: a random 256-bit token; the store keeps its BLAKE3 hash.
pub const SESSION_COOKIE: &str = "sr_sessie";
/// The login form's own CSRF cookie (there is no session yet to hold a token).
pub const LOGIN_COOKIE: &str = "sr_login";
/// How long a web session lasts.
pub const SESSION_HOURS: i64 = 12;
/// How long a cached session is trusted before it is read from the store again (a user
/// disabled by another process loses access within this time; through the web, at once).
const SESSION_CACHE: Duration = Duration::from_secs(30);

/// An argon2id hash (PHC string, with its own random salt) of `password`.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing: {e}")))
}

/// Whether `password` matches the stored hash (a corrupt hash counts as no).
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// A new random token: 32 bytes from the operating system, as 64 hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    // Without an OS random source there is no safe way on: stop rather than make weak tokens.
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Shortest password accepted, in characters (leading and trailing spaces not counted).
pub const MIN_PASSWORD: usize = 10;

/// Fewest different characters a password must hold ("aaaaaaaaaa" is no password).
const MIN_DISTINCT: usize = 5;

/// Whether `password` is long and varied enough: at least [`MIN_PASSWORD`] characters besides
/// leading and trailing spaces (ten spaces are not a password), of at least five different ones.
pub fn password_acceptable(password: &str) -> bool {
    let trimmed = password.trim();
    let distinct: std::collections::HashSet<char> = trimmed.chars().collect();
    trimmed.chars().count() >= MIN_PASSWORD && distinct.len() >= MIN_DISTINCT
}

/// How long a login form's token is accepted, in seconds.
const LOGIN_TOKEN_SECONDS: i64 = 2 * 3600;

/// The server's key for login-form tokens: random per process (a form from before a restart
/// is refused as expired, and the person is shown a fresh one).
pub fn new_login_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).expect("the operating system's random source failed");
    key
}

/// A login form's CSRF token: when it was issued, a random part, and the server's keyed hash
/// of both. Before there is a session the token travels as a cookie and a hidden field; the
/// hash makes it one the server issued (a double submit alone accepts any value the client
/// sets in both places).
pub fn login_token(key: &[u8; 32], now: i64) -> String {
    let body = format!("{now}.{}", new_token());
    let mac = blake3::keyed_hash(key, body.as_bytes());
    format!("{body}.{}", mac.to_hex())
}

/// Whether `token` is one this server issued with `key`, less than two hours before `now`.
pub fn login_token_valid(key: &[u8; 32], token: &str, now: i64) -> bool {
    let Some((body, mac)) = token.rsplit_once('.') else {
        return false;
    };
    let Some(issued) = body
        .split_once('.')
        .and_then(|(t, _)| t.parse::<i64>().ok())
    else {
        return false;
    };
    let Ok(mac) = blake3::Hash::from_hex(mac) else {
        return false;
    };
    // blake3::Hash compares in constant time.
    blake3::keyed_hash(key, body.as_bytes()) == mac
        && issued <= now
        && now - issued < LOGIN_TOKEN_SECONDS
}

/// What the store keeps of a token.
pub fn token_hash(token: &str) -> [u8; 32] {
    *blake3::hash(token.as_bytes()).as_bytes()
}

/// Compares two tokens in constant time (through their hashes).
pub fn tokens_match(expected: &str, given: &str) -> bool {
    !expected.is_empty() && blake3::hash(expected.as_bytes()) == blake3::hash(given.as_bytes())
}

pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A cookie with the flags every Signaalradar cookie has.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/")
        .build()
}

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The session cookie (a browser): writes need the CSRF token.
    Session,
    /// An API token: no cookie, so no cross-site risk.
    Token,
}

/// The logged-in user of a request. Extracting it fails with [`AppError::Unauthorized`].
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    /// The session's CSRF token (empty for API tokens).
    pub csrf: String,
    pub via: Via,
    /// The server's disclosure threshold: counts of fewer regions are withheld from this user
    /// unless they are a national supporter.
    pub k: usize,
}

impl CurrentUser {
    pub fn role(&self) -> UserRole {
        self.user.role
    }

    /// Fails with 403 unless the user has one of `roles`.
    pub fn require(&self, roles: &[UserRole]) -> Result<(), AppError> {
        if roles.contains(&self.user.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Checks a form's (or header's) CSRF token; API-token requests need none.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), AppError> {
        match self.via {
            Via::Token => Ok(()),
            Via::Session if given.is_some_and(|g| tokens_match(&self.csrf, g)) => Ok(()),
            Via::Session => Err(AppError::Csrf),
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or(AppError::Unauthorized)?
                .trim()
                .to_owned();
            let hash = token_hash(&token);
            let user = state
                .with_store(move |store| store.api_token_user(&hash))
                .await?
                .ok_or(AppError::Unauthorized)?;
            return Ok(CurrentUser {
                user,
                csrf: String::new(),
                via: Via::Token,
                k: state.config().disclosure.k,
            });
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(SESSION_COOKIE).ok_or(AppError::Unauthorized)?;
        let session = state
            .session(token_hash(token.value()))
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok(CurrentUser {
            user: session.user,
            csrf: session.csrf,
            via: Via::Session,
            k: state.config().disclosure.k,
        })
    }
}

impl axum::extract::OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, AppError> {
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(AppError::Unauthorized) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Failed logins per account name: after [`MAX_FAILURES`] within [`LOCKOUT`], the name is
/// refused until that time has passed, whatever the password (kept in memory: a restart
/// forgets it).
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: std::sync::Mutex<std::collections::HashMap<String, (u32, Instant)>>,
}

pub const MAX_FAILURES: u32 = 5;
pub const LOCKOUT: Duration = Duration::from_secs(15 * 60);

impl LoginThrottle {
    fn key(name: &str) -> String {
        name.trim().to_lowercase()
    }

    /// Whether `name` may try now.
    pub fn allows(&self, name: &str) -> bool {
        let Ok(failures) = self.failures.lock() else {
            return true;
        };
        match failures.get(&Self::key(name)) {
            Some((count, first)) => *count < MAX_FAILURES || first.elapsed() >= LOCKOUT,
            None => true,
        }
    }

    pub fn failed(&self, name: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            if failures.len() > 100_000 {
                failures.retain(|_, (_, first)| first.elapsed() < LOCKOUT);
            }
            let entry = failures
                .entry(Self::key(name))
                .or_insert((0, Instant::now()));
            if entry.1.elapsed() >= LOCKOUT {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
    }

    pub fn succeeded(&self, name: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&Self::key(name));
        }
    }
}

/// Sessions read recently, so a page view costs no store round trip.
#[derive(Debug, Default)]
pub struct SessionCache {
    entries: std::sync::RwLock<std::collections::HashMap<[u8; 32], (WebSession, Instant)>>,
}

impl SessionCache {
    pub fn get(&self, hash: &[u8; 32], now: i64) -> Option<WebSession> {
        let entries = self.entries.read().ok()?;
        let (session, read) = entries.get(hash)?;
        (read.elapsed() < SESSION_CACHE && session.expires_at > now).then(|| session.clone())
    }

    pub fn put(&self, hash: [u8; 32], session: WebSession) {
        if let Ok(mut entries) = self.entries.write() {
            // Old entries go once the map grows: expiry is checked on every read anyway.
            if entries.len() > 10_000 {
                entries.retain(|_, (_, read)| read.elapsed() < SESSION_CACHE);
            }
            entries.insert(hash, (session, Instant::now()));
        }
    }

    pub fn remove(&self, hash: &[u8; 32]) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(hash);
        }
    }

    /// Forgets every session (the store was changed by another process).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }

    /// Forgets every session of `user_id` (disabled, or a new password).
    pub fn remove_user(&self, user_id: i64) {
        if let Ok(mut entries) = self.entries.write() {
            entries.retain(|_, (s, _)| s.user.id != user_id);
        }
    }
}

impl AppState {
    /// The live session for a cookie token's hash.
    pub async fn session(&self, hash: [u8; 32]) -> Result<Option<WebSession>, AppError> {
        let now = now_unix();
        if let Some(session) = self.inner.sessions.get(&hash, now) {
            return Ok(Some(session));
        }
        let found = self
            .with_store_mut(move |store| store.web_session(&hash, now))
            .await?;
        if let Some(session) = &found {
            self.inner.sessions.put(hash, session.clone());
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_a_salt_and_verify() {
        let a = hash_password("geheim-wachtwoord").unwrap();
        let b = hash_password("geheim-wachtwoord").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify_password("geheim-wachtwoord", &a));
        assert!(!verify_password("Geheim-wachtwoord", &a));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token());
        assert!(tokens_match(&a, &a.clone()));
        assert!(!tokens_match(&a, &a[..63]));
        assert!(!tokens_match("", ""));
    }
}
