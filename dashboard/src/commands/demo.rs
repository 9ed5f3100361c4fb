//! `signaalradar demo`: the sample data into a fresh demo store, one account per role, and the
//! dashboard served on it.

use std::path::PathBuf;

use anyhow::Context;
use ingest::batch::{IngestOptions, Pipeline};

use crate::cli::{DemoArgs, Global};
use crate::progress::Bar;

/// The demo gets a store of its own inside the store directory, so it never touches real data.
const DEMO_SUBDIR: &str = "demo";
/// The demo's data: as many sessions as the committed sample, a fixed seed.
const DEMO_SESSIONS: usize = 600;
const DEMO_SEED: u64 = 2020;

/// The demo accounts: name (also the role), password. Synthetic, for a local demo only.
const DEMO_ACCOUNTS: [(&str, &str); 4] = [
    ("landelijk", "demo-landelijk"),
    ("programmaleider", "demo-programmaleider"),
    ("invoerder", "demo-invoerder"),
    ("beheerder", "demo-beheerder"),
];

/// The demo programme leader's region: the first of these the registry knows (the real
/// registry's Twente, the committed sample's fictional Twente Noord), else its first region.
const LEADER_REGIONS: [&str; 2] = ["Sterk Techniekonderwijs Twente", "Twente Noord"];

fn leader_region(regions: &ingest::region::RegionRegistry) -> String {
    LEADER_REGIONS
        .iter()
        .find_map(|name| regions.resolve(name))
        .map(|r| r.name.clone())
        .or_else(|| regions.names().next().map(str::to_owned))
        .unwrap_or_default()
}

/// The demo accounts with their roles and regions.
fn accounts(
    leader: &str,
) -> impl Iterator<Item = (&'static str, &'static str, Option<&str>, &'static str)> {
    DEMO_ACCOUNTS.into_iter().map(move |(name, password)| {
        let region = (name == "programmaleider").then_some(leader);
        (name, name, region, password)
    })
}

pub fn run(global: &Global, args: &DemoArgs) -> anyhow::Result<()> {
    let dir = global.store.join(DEMO_SUBDIR);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .with_context(|| format!("cannot clear the demo store {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the demo store {}", dir.display()))?;
    // The demo keeps a copy of the region registry (the sample's own, when it has one): adding
    // a region or an alias on its admin page writes a new version of this copy only.
    let registry = args
        .sample
        .as_ref()
        .map(|sample| sample.join("regions.toml"))
        .filter(|path| path.exists())
        .unwrap_or_else(|| global.regions.clone());
    let regions_copy = dir.join("regions.toml");
    std::fs::copy(&registry, &regions_copy).with_context(|| {
        format!(
            "cannot copy the region registry {} into the demo store",
            registry.display()
        )
    })?;
    let global = &Global {
        regions: regions_copy,
        ..global.clone()
    };
    let regions = super::regions(global)?;
    let anonymiser = super::anonymiser(&regions);
    let leader = leader_region(&regions);
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let (files, source) = match &args.sample {
        Some(sample) => (sample_files(sample)?, sample.display().to_string()),
        None => {
            // Made at start, ending today: the first screen always shows live signals.
            let names: Vec<String> = regions.names().map(str::to_owned).collect();
            let mut data = ingest::synthetic::demo::generate_demo(
                &ingest::synthetic::GenerateOptions {
                    sessions: DEMO_SESSIONS,
                    seed: DEMO_SEED,
                },
                &names,
                today,
            );
            // The new theme is absent before the last complete quarter as the classifier sees
            // it too: items it would give that theme by mistake are left out there.
            absent_as_classified(global, &mut data, today)?;
            let input = dir.join("invoer");
            std::fs::create_dir_all(&input)
                .with_context(|| format!("cannot create {}", input.display()))?;
            let files = data
                .write_files(&input)
                .with_context(|| format!("cannot write the demo data in {}", input.display()))?;
            (files, format!("made for {today} (seed {DEMO_SEED})"))
        }
    };
    let mut store = super::ingest_files::open_store(&dir)?;
    // The demo keeps a copy of the taxonomy: adopting a theme on its admin page writes a new
    // version of this copy, never of the project's file.
    let themes = dir.join("themes.toml");
    std::fs::copy(&global.themes, &themes).with_context(|| {
        format!(
            "cannot copy the taxonomy {} into the demo store",
            global.themes.display()
        )
    })?;
    // And of the theme model, next to its taxonomy, so that the commands printed below find it.
    let model = super::model_path(global);
    if model.exists() {
        std::fs::copy(&model, analysis::model::path_next_to(&themes)).with_context(|| {
            format!(
                "cannot copy the theme model {} into the demo store",
                model.display()
            )
        })?;
    }
    let global = &Global {
        themes,
        model: None,
        ..global.clone()
    };
    let options = IngestOptions {
        skip_invalid: false,
        actor: super::actor(),
    };
    let bar = Bar::new(args.json);
    let started = std::time::Instant::now();
    let result =
        Pipeline::new(&regions, &anonymiser).ingest_files(&mut store, &files, &options, &bar);
    bar.finish();
    let report = result.context("the sample data did not ingest")?;
    for (name, role, region, password) in accounts(&leader) {
        super::accounts::add_account(global, &mut store, name, role, region, password)?;
    }
    let (_, synced) = super::analysis_commands::open(
        global,
        &dir,
        super::analysis_commands::Sync::AfterIngest,
        args.json,
    )
    .context("the sample data did not classify and index")?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("Signaalradar demo — synthetic data {source}");
        super::ingest_files::print_summary(&report, &store, None);
        println!("classified and indexed: {} items", synced.indexed);
        println!("took {:.2} s", started.elapsed().as_secs_f64());
        let store = dir.display();
        let themes = global.themes.display();
        let regions = global.regions.display();
        println!("\nOn the command line:");
        let closed = analysis::trends::PeriodKind::Quarter
            .of(today)
            .previous()
            .label();
        for command in [
            "trends".to_owned(),
            "escalations".to_owned(),
            "evaluations --period year".to_owned(),
            format!("report --period {closed}"),
            format!("report --period {closed} --role programmaleider --region \"{leader}\""),
            format!(
                "shared \"Onze docenten hebben geen tijd door het lerarentekort\" --region \"{leader}\""
            ),
        ] {
            println!(
                "  signaalradar --store {store} --themes {themes} --regions {regions} {command}"
            );
        }
    }
    drop(store);
    if args.no_serve {
        return Ok(());
    }
    let banner = |addr: std::net::SocketAddr| {
        println!("\nThe dashboard: http://{addr}  (Ctrl-C stops it)");
        println!("Log in as (demo accounts, synthetic data):");
        for (name, role, region, password) in accounts(&leader) {
            let region = region.map(|r| format!(", region {r}")).unwrap_or_default();
            println!("  {name:<16} password {password:<22} ({role}{region})");
        }
    };
    super::serve::serve(global, &dir, args.addr, false, args.today, Some(&banner))
}

/// Leaves out the items of the new theme's absent window that the classifier gives it.
fn absent_as_classified(
    global: &Global,
    data: &mut ingest::synthetic::Generated,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    use ingest::synthetic::demo::{NEW, new_absent_window};
    let (from, until) = new_absent_window(today);
    let classifier = super::classifier(global)?;
    let theme = NEW.id();
    let window = |s: &&mut ingest::synthetic::SynthSession| s.date >= from && s.date < until;
    // One classification of every text of the window (each call builds an index).
    let texts: Vec<String> = data
        .sessions
        .iter_mut()
        .filter(window)
        .flat_map(|s| s.items.iter().map(|i| i.text.clone()))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let found = classifier.classify_ids(&refs)?;
    let mut keep = found.iter().map(|ids| !ids.iter().any(|id| id == theme));
    for session in data.sessions.iter_mut().filter(window) {
        session.items.retain(|_| keep.next().unwrap_or(true));
    }
    Ok(())
}

/// Every input file in the sample folder, in name order.
fn sample_files(dir: &std::path::Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "cannot read the sample folder {}; run from the project folder, or make one with `signaalradar generate --out {}`",
            dir.display(),
            dir.display()
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| ingest::parse::Format::from_path(p).is_ok())
        .collect();
    files.sort();
    anyhow::ensure!(
        !files.is_empty(),
        "no .jsonl, .csv or .xlsx files in {}",
        dir.display()
    );
    Ok(files)
}
