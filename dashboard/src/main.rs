//! `signaalradar`: the one binary of Signaalradar. Subcommands live in [`commands`], one module
//! each; this file parses the command line, sets up logging and turns errors into messages and
//! exit codes (2 when the input or invocation is at fault, 1 when we are).

mod charts;
mod cli;
mod commands;
mod fonts;
mod lang;
mod progress;
mod report;
mod web;
mod words;

use std::process::ExitCode;

use clap::Parser;

/// Ingest allocates many small strings on two threads; mimalloc cuts the allocator's share of
/// the time (about a fifth with glibc's malloc, measured with `perf`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // The server logs each request (method, path, status, latency) unless told otherwise.
    let serving = matches!(cli.command, cli::Command::Serve(_) | cli::Command::Demo(_));
    // Written by a background thread: a request never waits for the terminal or the disk.
    // tiny_skia (the PNG charts) warns about degenerate zero-length strokes in plotters' SVG,
    // which draw nothing either way.
    let _log = init_logging(if serving {
        "warn,tiny_skia=error,tower_http=info,signaalradar=info"
    } else {
        "warn,tiny_skia=error"
    });
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`| head`) is not an error.
        Err(error)
            if error
                .chain()
                .filter_map(|c| c.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}", describe(&error));
            let user_error = error.chain().any(|cause| {
                cause
                    .downcast_ref::<ingest::Error>()
                    .is_some_and(ingest::Error::is_user_error)
                    || cause
                        .downcast_ref::<analysis::Error>()
                        .is_some_and(analysis::Error::is_user_error)
                    || cause
                        .downcast_ref::<report::ReportError>()
                        .is_some_and(report::ReportError::is_user_error)
            }) || error.downcast_ref::<commands::UsageError>().is_some();
            ExitCode::from(if user_error { 2 } else { 1 })
        }
    }
}

/// The error and its causes, "outer: inner: …", each cause once: many errors already print
/// their source in their own message, which `{:#}` would repeat.
fn describe(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let cause = cause.to_string();
        if text.contains(&cause) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&cause);
    }
    text
}

/// Logs go to stderr; `SIGNAALRADAR_LOG` (or `RUST_LOG`) sets the level, `default` otherwise.
/// Item text is never logged anywhere in the code base.
fn init_logging(default: &str) -> tracing_appender::non_blocking::WorkerGuard {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("SIGNAALRADAR_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new(default));
    use std::io::IsTerminal;
    let (writer, guard) = tracing_appender::non_blocking(std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(writer)
        .init();
    guard
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn an_error_names_each_cause_once() {
        let read = ingest::Error::Read {
            path: "data/themes.toml".into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        };
        let error = anyhow::Error::new(read).context("the theme taxonomy is needed");
        assert_eq!(
            describe(&error),
            "the theme taxonomy is needed: cannot read data/themes.toml: no such file"
        );
        let plain = anyhow::anyhow!("inner").context("outer");
        assert_eq!(describe(&plain), "outer: inner");
    }
}
