//! The web dashboard and JSON API (axum on tokio). Pages are rendered on the server (askama),
//! charts are SVG from plotters, and every answer about trends goes through the disclosure layer
//! (`analysis::trends::view`) for the caller's role.
//!
//! State: one SQLite connection behind a mutex (used on the blocking pool), the search index,
//! and a [`snapshot::Snapshot`] of the trend data that is rebuilt after an ingest; pages and API
//! answers computed from it are cached until the next snapshot, so a page view does no polars,
//! tantivy or plotters work once warm.

pub mod api;
pub mod auth;
pub mod error;
pub mod i18n;
pub mod intake;
pub mod pages;
pub mod reports;
mod snapshot;

use std::any::Any;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use analysis::classify::Classifier;
use analysis::index::ThemeIndex;
use analysis::trends::TrendConfig;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::Request;
use axum::http::{HeaderValue, header};
use axum::response::Json;
use axum::{Router, middleware, routing::get};
use ingest::anonymise::Anonymiser;
use ingest::region::RegionRegistry;
use ingest::store::Store;
use serde::Serialize;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::AppError;
use snapshot::Snapshot;

/// Largest request body accepted: room for a year's sessions as JSON Lines or CSV.
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// Cached page models kept before the cache is emptied (filters make the keys).
const VIEW_CACHE_ENTRIES: usize = 512;

/// One cached view: empty until the first request computes it.
type ViewCell = Arc<tokio::sync::OnceCell<Arc<dyn Any + Send + Sync>>>;

/// A JSON answer kept in the cache as is and gzip-compressed, so neither is redone per request.
#[derive(Debug)]
pub struct CachedJson {
    plain: axum::body::Bytes,
    gzip: axum::body::Bytes,
}

impl CachedJson {
    pub fn new(json: String) -> Result<CachedJson, AppError> {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder
            .write_all(json.as_bytes())
            .and_then(|()| encoder.finish())
            .map(|gzip| CachedJson {
                plain: json.into(),
                gzip: gzip.into(),
            })
            .map_err(|e| AppError::Internal(format!("gzip: {e}")))
    }

    /// The answer, compressed when the client accepts gzip.
    pub fn response(&self, headers: &axum::http::HeaderMap) -> axum::response::Response {
        use axum::http::header;
        use axum::response::IntoResponse;
        let gzip = headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|e| {
                let mut parts = e.split(';');
                parts.next().is_some_and(|name| name.trim() == "gzip")
                    && !parts.any(|p| p.trim().replace(' ', "") == "q=0")
            });
        let json = (header::CONTENT_TYPE, "application/json");
        let vary = (header::VARY, "accept-encoding");
        if gzip {
            (
                [json, vary, (header::CONTENT_ENCODING, "gzip")],
                self.gzip.clone(),
            )
                .into_response()
        } else {
            ([json, vary], self.plain.clone()).into_response()
        }
    }
}

/// What the server is started with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub regions: PathBuf,
    /// The taxonomy file: *Beheer* writes a new version of it when a theme is adopted.
    pub themes: PathBuf,
    pub rules: PathBuf,
    /// Mark cookies `Secure` (when served over HTTPS, e.g. behind a proxy).
    pub secure_cookies: bool,
    /// Read the trends as of this date instead of today (a look back: records nothing).
    pub as_of: Option<chrono::NaiveDate>,
    /// The theme model file: retraining on *Beoordelen* writes a new version of it.
    pub model: PathBuf,
    /// Labelled statements retraining reads: real ones (thresholds tuned on them), further
    /// ones, and the held-out test file a new model must not score worse on.
    pub training: TrainingFiles,
}

/// The labelled files retraining reads (paths as `themes train` takes them).
#[derive(Debug, Clone)]
pub struct TrainingFiles {
    pub real: Vec<PathBuf>,
    pub train: Vec<PathBuf>,
    pub test: PathBuf,
}

/// A region registry with the anonymiser that leaves its names alone.
#[derive(Clone)]
struct Regions {
    registry: Arc<RegionRegistry>,
    anonymiser: Arc<Anonymiser>,
}

impl Regions {
    fn new(registry: RegionRegistry) -> Regions {
        Regions {
            anonymiser: Arc::new(Anonymiser::for_regions(&registry)),
            registry: Arc::new(registry),
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store_dir: PathBuf,
    /// SQLite connections are not `Sync`; requests take turns on this one (they are short) and
    /// run it on the blocking pool, never on the async workers.
    store: Mutex<Store>,
    index: RwLock<ThemeIndex>,
    classifier: RwLock<Arc<Classifier>>,
    themes_file: PathBuf,
    model_file: PathBuf,
    training: TrainingFiles,
    /// The registry file: *Beheer* writes a new version of it when a region or alias is added.
    regions_file: PathBuf,
    /// The registry and the anonymiser that protects its names, replaced together on an edit.
    regions: RwLock<Regions>,
    /// Held while the registry file is read, edited and written: one edit at a time.
    regions_edit: Mutex<()>,
    config: TrendConfig,
    secure_cookies: bool,
    as_of: Option<chrono::NaiveDate>,
    sessions: auth::SessionCache,
    /// The store's `data_version` when last looked at: another process's commit changes it.
    data_version: std::sync::atomic::AtomicI64,
    /// The newest batch the index had classified when last looked at: another process's
    /// index commit (which follows its store commit) changes it.
    indexed_through: std::sync::atomic::AtomicI64,
    logins: auth::LoginThrottle,
    snapshot: RwLock<Arc<Snapshot>>,
    /// Read on every page view, written only on a miss: readers never wait for each other.
    /// Page models and JSON answers per key; a cell is filled once, by the first request that
    /// needs it, while the others wait for that one (no stampede after a reload).
    views: RwLock<HashMap<String, ViewCell>>,
    openapi: String,
    /// Signs login-form tokens ([`auth::login_token`]).
    login_key: [u8; 32],
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store_dir", &self.inner.store_dir)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Builds the state on an open store and an up-to-date index; loads the trend snapshot.
    pub fn new(
        store: Store,
        index: ThemeIndex,
        classifier: Classifier,
        settings: &Settings,
    ) -> anyhow::Result<AppState> {
        let regions = Regions::new(RegionRegistry::load(&settings.regions)?);
        let config = TrendConfig::load(&settings.rules)?;
        let mut store = store;
        let snapshot = Snapshot::load(&mut store, &index, &classifier, &config, 1, settings.as_of)?;
        let (_, openapi) = api::router().split_for_parts();
        Ok(AppState {
            inner: Arc::new(Inner {
                store_dir: store.dir().to_owned(),
                store: Mutex::new(store),
                index: RwLock::new(index),
                classifier: RwLock::new(Arc::new(classifier)),
                themes_file: settings.themes.clone(),
                model_file: settings.model.clone(),
                training: settings.training.clone(),
                regions_file: settings.regions.clone(),
                regions: RwLock::new(regions),
                regions_edit: Mutex::new(()),
                config,
                secure_cookies: settings.secure_cookies,
                as_of: settings.as_of,
                sessions: auth::SessionCache::default(),
                data_version: std::sync::atomic::AtomicI64::new(i64::MIN),
                indexed_through: std::sync::atomic::AtomicI64::new(i64::MIN),
                logins: auth::LoginThrottle::default(),
                login_key: auth::new_login_key(),
                snapshot: RwLock::new(Arc::new(snapshot)),
                views: RwLock::new(HashMap::new()),
                openapi: openapi.to_pretty_json()?,
            }),
        })
    }

    /// The current region registry.
    pub fn regions(&self) -> Arc<RegionRegistry> {
        self.current_regions().registry
    }

    /// The anonymiser, protecting the current registry's names.
    pub fn anonymiser(&self) -> Arc<Anonymiser> {
        self.current_regions().anonymiser
    }

    fn current_regions(&self) -> Regions {
        match self.inner.regions.read() {
            Ok(r) => r.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Applies `edit` to the registry file as a new version: the result is checked, written
    /// (to a temporary file, then renamed) and made current together with its anonymiser.
    /// Returns the new version. A refused edit changes nothing.
    pub async fn edit_regions(
        &self,
        edit: impl FnOnce(&str) -> Result<ingest::region_edit::Edited, ingest::region_edit::Refused>
        + Send
        + 'static,
    ) -> Result<u32, AppError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let _turn = state
                .inner
                .regions_edit
                .lock()
                .map_err(|_| AppError::Internal("the registry lock was poisoned".into()))?;
            let path = &state.inner.regions_file;
            let text = std::fs::read_to_string(path)
                .map_err(|e| AppError::Internal(format!("cannot read {}: {e}", path.display())))?;
            let edited = edit(&text).map_err(|refused| AppError::BadRequest(refused.0))?;
            let registry = RegionRegistry::from_toml(&edited.text).map_err(AppError::Internal)?;
            let temporary = path.with_extension("toml.new");
            std::fs::write(&temporary, &edited.text)
                .and_then(|()| std::fs::rename(&temporary, path))
                .map_err(|e| AppError::Internal(format!("cannot write {}: {e}", path.display())))?;
            if let Ok(mut current) = state.inner.regions.write() {
                *current = Regions::new(registry);
            }
            state.forget_views();
            Ok(edited.version)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    }

    pub fn themes_file(&self) -> &std::path::Path {
        &self.inner.themes_file
    }

    pub fn model_file(&self) -> &std::path::Path {
        &self.inner.model_file
    }

    pub fn training_files(&self) -> &TrainingFiles {
        &self.inner.training
    }

    /// Makes `classifier` (a new model) the current one after reclassifying every item with it.
    pub fn replace_classifier(
        &self,
        store: &mut Store,
        index: &mut ThemeIndex,
        classifier: Arc<Classifier>,
    ) -> Result<(), AppError> {
        index.sync(store, &classifier, false, &|_| {})?;
        if let Ok(mut current) = self.inner.classifier.write() {
            *current = classifier;
        }
        Ok(())
    }

    pub fn config(&self) -> &TrendConfig {
        &self.inner.config
    }

    /// The classifier of the current taxonomy.
    pub fn classifier(&self) -> Arc<Classifier> {
        match self.inner.classifier.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Checks `text` as a taxonomy (it parses and every query runs), reclassifies and re-indexes
    /// every item with it, then writes it as the new taxonomy file and reloads the trends.
    /// Returns the new version.
    pub async fn adopt_taxonomy(&self, text: String) -> Result<u32, AppError> {
        self.adopt_taxonomy_with(text, |_| Ok(())).await
    }

    /// [`AppState::adopt_taxonomy`], with `prepare` run on the store first, in the same turn
    /// (e.g. moving the tags of a theme that a merge removes).
    pub async fn adopt_taxonomy_with(
        &self,
        text: String,
        prepare: impl FnOnce(&mut ingest::store::Store) -> ingest::Result<()> + Send + 'static,
    ) -> Result<u32, AppError> {
        let path = self.inner.themes_file.clone();
        let taxonomy = analysis::taxonomy::Taxonomy::parse(&path, &text)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        let version = taxonomy.version;
        // The model stays: a theme it did not learn is decided by its queries alone.
        let classifier = Arc::new(Classifier::with_model(
            Arc::new(taxonomy),
            self.classifier().shared_model(),
        ));
        self.with_ingest(move |state, store, index| {
            prepare(store)?;
            // Reclassify first, write the file after: a taxonomy that cannot classify is never
            // saved (a failed sync leaves the index at the old taxonomy, and the next start
            // brings the store back to it).
            index.sync(store, &classifier, false, &|_| {})?;
            let temporary = path.with_extension("toml.new");
            std::fs::write(&temporary, &text)
                .and_then(|()| std::fs::rename(&temporary, &path))
                .map_err(|e| AppError::Internal(format!("cannot write {}: {e}", path.display())))?;
            if let Ok(mut current) = state.inner.classifier.write() {
                *current = classifier;
            }
            Ok(version)
        })
        .await
    }

    pub fn secure_cookies(&self) -> bool {
        self.inner.secure_cookies
    }

    /// The date the trends are read at: today, or the `as_of` the server was started with.
    pub fn today(&self) -> chrono::NaiveDate {
        self.inner
            .as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    pub fn sessions(&self) -> &auth::SessionCache {
        &self.inner.sessions
    }

    pub fn login_key(&self) -> &[u8; 32] {
        &self.inner.login_key
    }

    pub fn logins(&self) -> &auth::LoginThrottle {
        &self.inner.logins
    }

    /// The current trend snapshot.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.inner.snapshot.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Runs `f` with the store on the blocking pool.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> ingest::Result<T> + Send + 'static,
    ) -> Result<T, AppError> {
        self.with_store_mut(move |store| f(store)).await
    }

    /// Runs `f` with the store, mutably, on the blocking pool.
    pub async fn with_store_mut<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> ingest::Result<T> + Send + 'static,
    ) -> Result<T, AppError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || f(&mut *state.lock_store()?).map_err(AppError::from))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
    }

    /// The store, for code already on the blocking pool (inside [`AppState::cached`]).
    pub fn lock_store(&self) -> Result<std::sync::MutexGuard<'_, Store>, AppError> {
        self.inner
            .store
            .lock()
            .map_err(|_| AppError::Internal("the store lock was poisoned".into()))
    }

    /// Runs `f` with the search index (read) on the blocking pool.
    pub async fn with_index<T: Send + 'static>(
        &self,
        f: impl FnOnce(&AppState, &ThemeIndex) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let index = state
                .inner
                .index
                .read()
                .map_err(|_| AppError::Internal("the index lock was poisoned".into()))?;
            f(&state, &index)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    }

    /// Runs `f` on the blocking pool with the store and the index both locked for writing
    /// (ingest), then builds a new snapshot and empties the page cache.
    pub async fn with_ingest<T: Send + 'static>(
        &self,
        f: impl FnOnce(&AppState, &mut Store, &mut ThemeIndex) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = state.lock_store()?;
            let mut index = state
                .inner
                .index
                .write()
                .map_err(|_| AppError::Internal("the index lock was poisoned".into()))?;
            let out = f(&state, &mut store, &mut index)?;
            let generation = state.snapshot().generation + 1;
            let snapshot = Snapshot::load(
                &mut store,
                &index,
                &state.classifier(),
                &state.inner.config,
                generation,
                state.inner.as_of,
            )?;
            if let Ok(mut current) = state.inner.snapshot.write() {
                *current = Arc::new(snapshot);
            }
            state.forget_views();
            Ok(out)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    }

    /// Moves `theme` on in the escalation lifecycle for `actor`, saying why (`note`, anonymised
    /// here). With `seen`, only if the theme is still in that state ("" for none). A move the
    /// lifecycle does not allow is a 400, a stale `seen` a 409; the page cache is emptied.
    pub async fn move_escalation(
        &self,
        theme: &str,
        to: analysis::trends::escalation::State,
        note: &str,
        actor: &str,
        seen: Option<String>,
    ) -> Result<(), AppError> {
        if self.snapshot().theme(theme).is_none() {
            return Err(AppError::NotFound(format!("no theme {theme:?}")));
        }
        let note = self.anonymiser().anonymise(note).text;
        let (theme, actor) = (theme.to_owned(), actor.to_owned());
        self.with_store_mut(move |store| {
            if let Some(seen) = seen {
                let current = store
                    .escalations()?
                    .into_iter()
                    .find(|e| e.theme == theme)
                    .map(|e| e.state)
                    .unwrap_or_default();
                if current != seen {
                    return Ok(Err(AppError::Conflict(format!(
                        "the state of {theme} changed meanwhile (now {current:?}, not {seen:?}); look again"
                    ))));
                }
            }
            match analysis::trends::escalation::set_state(store, &theme, to, &actor, &note) {
                Ok(()) => Ok(Ok(())),
                Err(analysis::Error::Store(e)) => Err(e),
                Err(e) => Ok(Err(AppError::BadRequest(e.to_string()))),
            }
        })
        .await??;
        self.forget_views();
        Ok(())
    }

    /// Reloads the trends and empties the caches when another process (an `ingest`, an
    /// `escalations set`, a `user disable`) has written to the store since the last look.
    /// Returns whether it did. [`serve`] calls it every few seconds.
    pub async fn reload_if_changed(&self) -> Result<bool, AppError> {
        use std::sync::atomic::Ordering;
        let version = self.with_store(|store| store.data_version()).await?;
        let through = self
            .with_index(|_, index| Ok(index.classified_through()?))
            .await?;
        let previous = self.inner.data_version.swap(version, Ordering::SeqCst);
        let previous_through = self.inner.indexed_through.swap(through, Ordering::SeqCst);
        if previous == i64::MIN || (previous == version && previous_through == through) {
            return Ok(false);
        }
        tracing::info!("the store or the index was changed by another process: reloading");
        // The searcher follows the index's newest commit; the snapshot, the batches it holds.
        self.with_ingest(|_, _, index| Ok(index.reload()?)).await?;
        self.inner.sessions.clear();
        Ok(true)
    }

    /// A page model from the cache, or computed by `f` on the blocking pool and kept until the
    /// next snapshot (or [`AppState::forget_views`]). Concurrent requests for a key that is
    /// being computed wait for that computation instead of starting their own.
    pub async fn cached<T: Send + Sync + 'static>(
        &self,
        key: String,
        f: impl FnOnce(&AppState, &Snapshot) -> Result<T, AppError> + Send + 'static,
    ) -> Result<Arc<T>, AppError> {
        let snapshot = self.snapshot();
        let key = format!("{}:{key}", snapshot.generation);
        let cell = self.view_cell(key)?;
        let state = self.clone();
        let value = cell
            .get_or_try_init(|| async move {
                tokio::task::spawn_blocking(move || {
                    f(&state, &snapshot).map(|v| Arc::new(v) as Arc<dyn Any + Send + Sync>)
                })
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?
            })
            .await?;
        value
            .clone()
            .downcast::<T>()
            .map_err(|_| AppError::Internal("a cached view has another type".into()))
    }

    /// The cache cell of `key`, made empty if there is none (the cache is emptied when full).
    fn view_cell(&self, key: String) -> Result<ViewCell, AppError> {
        if let Some(cell) = self
            .inner
            .views
            .read()
            .map_err(|_| AppError::Internal("the view cache lock was poisoned".into()))?
            .get(&key)
        {
            return Ok(cell.clone());
        }
        let mut views = self
            .inner
            .views
            .write()
            .map_err(|_| AppError::Internal("the view cache lock was poisoned".into()))?;
        if views.len() >= VIEW_CACHE_ENTRIES && !views.contains_key(&key) {
            views.clear();
        }
        Ok(views.entry(key).or_default().clone())
    }

    /// Empties the page cache (after an escalation state changed).
    pub fn forget_views(&self) {
        if let Ok(mut views) = self.inner.views.write() {
            views.clear();
        }
    }

    pub fn openapi_json(&self) -> &str {
        &self.inner.openapi
    }
}

/// The application's routes with their layers.
pub fn router(state: AppState) -> Router {
    let (api, _) = api::router().split_for_parts();
    let api = api.layer(middleware::from_fn(error::api_errors));
    let pages = pages::router().layer(middleware::from_fn(error::html_errors));
    Router::new()
        .route("/healthz", get(healthz))
        .merge(pages)
        .merge(api)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // On every answer: no sniffing, no framing, no referrer to other sites, and a content
        // security policy that allows only this server's stylesheet (charts are inline SVG;
        // there is no script).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(tower_http::csrf::CsrfLayer::new())
        // The fastest level: a page is compressed on every request (it carries the session's
        // CSRF token); cached JSON answers come compressed already and are left alone.
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        .layer(
            // The span names method and path only: a query string may carry a search text.
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                    )
                })
                .on_request(())
                .on_response(
                    tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                ),
        )
        .with_state(state)
}

/// Unknown paths: the API's JSON error under `/api/`, a page otherwise.
async fn not_found(lang: i18n::Lang, uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let error = AppError::NotFound(uri.path().to_owned());
    if uri.path().starts_with("/api/") {
        return error.into_response();
    }
    let mut page = pages::ErrorPage::new(lang, &error).into_response();
    *page.status_mut() = error.status();
    page
}

#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    sessions: usize,
    items: usize,
}

/// Liveness and the store's size: answers once the store can be read.
async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    let counts = state.with_store(|store| store.counts()).await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        sessions: counts.sessions,
        items: counts.items,
    }))
}

/// How often the server looks for writes by other processes.
const WATCH_INTERVAL: std::time::Duration = std::time::Duration::from_secs(3);

/// Serves `router` on `listener` until Ctrl-C or SIGTERM; requests in flight are finished.
/// Meanwhile it watches the store for writes by other processes.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let watcher = state.clone();
    let watch = tokio::spawn(async move {
        let mut ticks = tokio::time::interval(WATCH_INTERVAL);
        loop {
            ticks.tick().await;
            if let Err(e) = watcher.reload_if_changed().await {
                tracing::warn!(error = %e, "could not check the store for changes");
            }
        }
    });
    // The planner makes the report of a period once it closes, and catches up at start-up on
    // what was missed while the server was down. A look back (`--as-of`) archives nothing.
    let planner = state.clone();
    let plan = tokio::spawn(async move {
        if planner.inner.as_of.is_some() {
            return;
        }
        let mut ticks = tokio::time::interval(reports::PLANNER_INTERVAL);
        loop {
            ticks.tick().await;
            if let Err(e) = planner.catch_up_reports(planner.today()).await {
                tracing::warn!(error = %e, "the scheduled report could not be made");
            }
        }
    });
    let served = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await;
    watch.abort();
    plan.abort();
    served
}

/// Binds `addr` (port 0: any free port).
pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

#[cfg(test)]
mod tests;
