//! `serve`: the web server on a tokio runtime, until Ctrl-C or SIGTERM.

use crate::cli::{Global, ServeArgs};
use crate::web;

pub fn run(global: &Global, args: &ServeArgs) -> anyhow::Result<()> {
    let store = super::ingest_files::open_store(&global.store)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = web::bind(args.addr).await.map_err(|e| {
            super::UsageError(format!(
                "cannot listen on {}: {e}; choose another address with --addr (port 0 picks a free one)",
                args.addr
            ))
        })?;
        let addr = listener.local_addr()?;
        println!("Signaalradar listens on http://{addr} (Ctrl-C stops it)");
        web::serve(listener, web::router(web::AppState::new(store))).await?;
        anyhow::Ok(())
    })
}
