//! The web server (axum on tokio): for now the foundation the dashboard's pages and JSON API
//! will be mounted on — request logs without item text, compression, a request body limit,
//! `/healthz`, and a graceful shutdown on Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Json, Response};
use axum::{Router, routing::get};
use ingest::store::Store;
use serde::Serialize;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted: room for a year's sessions as JSON Lines or CSV.
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;

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
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store_dir", &self.inner.store_dir)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(store: Store) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                store_dir: store.dir().to_owned(),
                store: Mutex::new(store),
            }),
        }
    }

    /// Runs `f` with the store on the blocking pool.
    async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> ingest::Result<T> + Send + 'static,
    ) -> Result<T, AppError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let store = state
                .inner
                .store
                .lock()
                .map_err(|_| AppError::Internal("the store lock was poisoned".into()))?;
            f(&store).map_err(|e| AppError::Internal(e.to_string()))
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    }
}

/// An error as the client sees it: one JSON shape, no internals beyond a message.
#[derive(Debug)]
pub enum AppError {
    Internal(String),
}

#[derive(Serialize)]
struct ErrorBody {
    error: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Internal(message) => {
                tracing::error!(%message, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(ErrorBody {
                        error: "er ging iets mis aan onze kant; probeer het later opnieuw".into(),
                    }),
                )
                    .into_response()
            }
        }
    }
}

/// The application's routes with their layers.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CompressionLayer::new())
        .layer(
            // The span names method and path only: a query string may carry a search text.
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                )
            }),
        )
        .with_state(state)
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

/// Serves `router` on `listener` until Ctrl-C or SIGTERM; requests in flight are finished.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Binds `addr` (port 0: any free port) and says where.
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
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;

    fn app() -> (tempfile::TempDir, Router) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, router(AppState::new(store)))
    }

    #[tokio::test]
    async fn healthz_answers_with_the_store_size() {
        let (_dir, app) = app();
        let response = app
            .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let health: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(health["status"], "ok");
        assert_eq!(health["sessions"], 0);
    }

    #[tokio::test]
    async fn unknown_paths_are_not_found() {
        let (_dir, app) = app();
        let response = app
            .oneshot(Request::get("/bestaat-niet").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn the_real_server_answers_on_a_free_port() {
        let (_dir, app) = app();
        let listener = bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).await.unwrap();
        assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
        assert!(reply.contains("\"status\":\"ok\""), "{reply}");
        server.abort();
    }
}
