//! `signaalradar generate`: synthetic session files with planted trends.

use anyhow::Context;
use ingest::synthetic::{GenerateOptions, generate};

use crate::cli::{GenerateArgs, Global};

pub fn run(global: &Global, args: &GenerateArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.sessions > 0,
        super::UsageError("--sessions must be at least 1".into())
    );
    let regions = super::regions(global)?;
    let names: Vec<String> = regions.names().map(str::to_owned).collect();
    let generated = generate(
        &GenerateOptions {
            sessions: args.sessions,
            seed: args.seed,
        },
        &names,
    );
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let files = generated
        .write_files(&args.out)
        .with_context(|| format!("cannot write the files in {}", args.out.display()))?;
    println!(
        "generated {} sessions with {} items (seed {})",
        generated.sessions.len(),
        generated.item_count(),
        args.seed
    );
    for file in files {
        println!("  {}", file.display());
    }
    Ok(())
}
