//! One module per subcommand; [`run`] dispatches.

mod accounts;
mod analysis_commands;
mod anonymise;
mod audit;
mod backup;
mod classify;
mod demo;
mod eval;
mod export;
mod generate;
mod ingest_files;
mod report;
mod serve;
mod template;
pub(crate) mod themes_train;
mod trends;

use anyhow::Context;

use crate::cli::{Cli, Command, EvalCommand, Global, ThemesArgs, ThemesCommand};

/// An invocation that cannot work as given (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo(args) => demo::run(&cli.global, &args),
        Command::Ingest(args) => ingest_files::run(&cli.global, &args),
        Command::Search(args) => analysis_commands::search(&cli.global, &args),
        Command::Shared(args) => analysis_commands::shared(&cli.global, &args),
        Command::Themes(ThemesArgs {
            action: Some(ThemesCommand::Train(args)),
            ..
        }) => themes_train::run(&cli.global, &args),
        Command::Themes(args) => analysis_commands::themes(&cli.global, &args),
        Command::Serve(args) => serve::run(&cli.global, &args),
        Command::User(command) => accounts::user(&cli.global, &command),
        Command::Token(command) => accounts::token(&cli.global, &command),
        Command::Trends(args) => trends::trends(&cli.global, &args),
        Command::Escalations(args) => trends::escalations(&cli.global, &args),
        Command::Evaluations(args) => trends::evaluations(&cli.global, &args),
        Command::Report(args) => report::run(&cli.global, &args),
        Command::Reindex(args) => analysis_commands::reindex(&cli.global, &args),
        Command::Backup(args) => backup::backup(&cli.global, &args),
        Command::Restore(args) => backup::restore(&cli.global, &args),
        Command::Export(args) => export::run(&cli.global, &args),
        Command::Audit(args) => audit::run(&cli.global, &args),
        Command::Anonymise(args) => anonymise::run(&cli.global, &args),
        Command::Classify(args) => classify::run(&cli.global, &args),
        Command::Eval(EvalCommand::Anonymise(args)) => eval::anonymise(&cli.global, &args),
        Command::Eval(EvalCommand::Classify(args)) => eval::classify(&cli.global, &args),
        Command::Generate(args) => generate::run(&cli.global, &args),
        Command::Template(args) => template::run(&cli.global, &args),
    }
}

/// The region registry named by `--regions`.
fn regions(global: &Global) -> anyhow::Result<ingest::region::RegionRegistry> {
    ingest::region::RegionRegistry::load(&global.regions).with_context(|| {
        format!(
            "the region registry is needed; run from the project folder or pass --regions FILE (looked for {})",
            global.regions.display()
        )
    })
}

/// The anonymiser, told to leave every region name and alias alone.
fn anonymiser(regions: &ingest::region::RegionRegistry) -> ingest::anonymise::Anonymiser {
    ingest::anonymise::Anonymiser::for_regions(regions)
}

/// The theme taxonomy named by `--themes`.
fn taxonomy(global: &Global) -> anyhow::Result<std::sync::Arc<analysis::taxonomy::Taxonomy>> {
    let taxonomy = analysis::taxonomy::Taxonomy::load(&global.themes).with_context(|| {
        format!(
            "the theme taxonomy is needed; run from the project folder or pass --themes FILE (looked for {})",
            global.themes.display()
        )
    })?;
    Ok(std::sync::Arc::new(taxonomy))
}

/// Where the theme model is read and written.
pub(crate) fn model_path(global: &Global) -> std::path::PathBuf {
    global
        .model
        .clone()
        .unwrap_or_else(|| analysis::model::path_next_to(&global.themes))
}

/// The classifier: the taxonomy's queries and, when there is a model file, the trained model.
fn classifier(global: &Global) -> anyhow::Result<analysis::classify::Classifier> {
    let taxonomy = taxonomy(global)?;
    let model = analysis::model::ThemeModel::load_if_present(&model_path(global))?;
    if let Some(model) = &model {
        tracing::debug!(
            model_version = model.version,
            trained_with_taxonomy = model.taxonomy_version,
            taxonomy_version = taxonomy.version,
            "theme model loaded"
        );
    }
    Ok(analysis::classify::Classifier::with_model(
        taxonomy,
        model.map(std::sync::Arc::new),
    ))
}

/// Lines of a file, or of standard input for `-`.
fn input_lines(file: &str) -> anyhow::Result<Box<dyn std::io::BufRead>> {
    Ok(if file == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let opened = std::fs::File::open(file).with_context(|| format!("cannot read {file}"))?;
        Box::new(std::io::BufReader::new(opened))
    })
}

/// A JSON Lines record with a `text` string field (line numbers count from 1), for the preview
/// commands that rewrite records.
fn json_with_text(
    line: &str,
    number: usize,
) -> anyhow::Result<(serde_json::Map<String, serde_json::Value>, String)> {
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line)
        .map_err(|e| UsageError(format!("line {number}: not a JSON object ({e})")))?;
    let Some(serde_json::Value::String(text)) = object.get("text") else {
        return Err(UsageError(format!("line {number}: has no \"text\" string field")).into());
    };
    let text = text.clone();
    Ok((object, text))
}

/// Who is running the command, for the audit log.
fn actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "onbekend".into());
    format!("cli:{user}")
}
