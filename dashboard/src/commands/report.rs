//! `report`: a trend report of a period, written to a folder (and optionally archived).

use std::time::Instant;

use anyhow::Context;

use super::trends::{as_of, audience, load};
use crate::cli::{Global, ReportArgs};
use crate::report::{self, Request, Sources};

pub fn run(global: &Global, args: &ReportArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut loaded = load(global, false)?;
    let audience = audience(global, &args.audience, loaded.config.disclosure.k)?;
    let today = as_of(&args.audience)?;
    let period = match &args.period {
        Some(p) => p.trim().to_owned(),
        None => report::last_closed(&loaded.config, today).label(),
    };
    let request = Request {
        period,
        programme: args.programme.clone(),
        audience,
        lang: args.lang.into(),
        today,
        generated_at: args.generated_at.unwrap_or_else(chrono::Utc::now),
    };
    let sources = Sources {
        store: &loaded.opened.store,
        data: &loaded.data,
        config: &loaded.config,
        labels: &loaded.labels,
        theme_order: &loaded.theme_order,
        taxonomy_version: loaded.opened.classifier.taxonomy().version,
    };
    let made = report::make(sources, &request, &args.format)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the folder {}", args.out.display()))?;
    for file in &made.files {
        let path = args.out.join(&file.name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        }
        std::fs::write(&path, &file.content)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    println!("{} — {}", made.document.title, made.document.subtitle);
    let mut listed: Vec<_> = made.files.iter().collect();
    listed.sort_by(|a, b| a.name.cmp(&b.name));
    for file in listed.iter().filter(|f| !f.name.contains('/')) {
        println!(
            "  {}  ({})",
            args.out.join(&file.name).display(),
            size(file.content.len())
        );
    }
    for dir in [report::CHART_DIR, report::TABLE_DIR] {
        let n = listed
            .iter()
            .filter(|f| f.name.starts_with(&format!("{dir}/")))
            .count();
        if n > 0 {
            println!("  {}/  ({n} files)", args.out.join(dir).display());
        }
    }
    if args.archive {
        let config = loaded.config.clone();
        let id = report::archive(
            &mut loaded.opened.store,
            &config,
            &request,
            &made,
            &super::actor(),
        )?;
        println!("archived in the store as report {id}");
    }
    println!("took {:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}
