//! `serve`: the web dashboard and JSON API on a tokio runtime, until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::Path;

use crate::cli::{Global, ServeArgs};
use crate::web;

/// Threads for blocking work in the server.
const BLOCKING_THREADS: usize = 16;

pub fn run(global: &Global, args: &ServeArgs) -> anyhow::Result<()> {
    let as_of = args
        .as_of
        .as_deref()
        .map(|d| super::analysis_commands::date("--as-of", d))
        .transpose()?;
    serve(
        global,
        &global.store,
        args.addr,
        args.secure_cookies,
        as_of,
        None,
    )
}

/// Serves the store in `dir`; `banner` is printed once the server listens.
pub fn serve(
    global: &Global,
    dir: &Path,
    addr: SocketAddr,
    secure_cookies: bool,
    as_of: Option<chrono::NaiveDate>,
    banner: Option<&dyn Fn(SocketAddr)>,
) -> anyhow::Result<()> {
    // Held while serving: `restore` refuses to replace a store a server is using.
    let _serving = super::backup::hold_for_serving(dir)?;
    let (opened, _) = super::analysis_commands::open(
        global,
        dir,
        super::analysis_commands::Sync::CatchUp,
        false,
    )?;
    let settings = web::Settings {
        regions: global.regions.clone(),
        themes: global.themes.clone(),
        rules: global.rules.clone(),
        secure_cookies,
        as_of,
        model: super::model_path(global),
        training: web::TrainingFiles {
            real: vec![super::themes_train::DEFAULT_REAL.into()],
            train: super::themes_train::DEFAULT_TRAIN
                .iter()
                .map(Into::into)
                .collect(),
            test: super::themes_train::DEFAULT_TEST.into(),
        },
    };
    let state = web::AppState::new(opened.store, opened.index, opened.classifier, &settings)?;
    // Blocking work (SQLite, the index, computing a view) is CPU-bound on a small machine: a
    // few threads do it as fast as hundreds, and each thread keeps its own allocator heap
    // (tokio's default of 512 let 200 connections grow the server past 1.5 GB).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()?;
    runtime.block_on(async {
        let listener = web::bind(addr).await.map_err(|e| {
            super::UsageError(format!(
                "cannot listen on {addr}: {e}; choose another address with --addr (port 0 picks a free one)"
            ))
        })?;
        let local = listener.local_addr()?;
        // The reports missed while the server was down are made before the address is
        // printed, so the address and the logins are the last lines a person sees.
        if as_of.is_none()
            && let Err(e) = state.catch_up_reports(state.today()).await
        {
            tracing::warn!(error = %e, "the scheduled report could not be made");
        }
        match banner {
            Some(banner) => banner(local),
            None => println!("Signaalradar listens on http://{local} (Ctrl-C stops it)"),
        }
        web::serve(listener, state).await?;
        anyhow::Ok(())
    })
}
