//! The commands over the index: `search`, `shared`, `themes` and `reindex`. Each opens the
//! store and its index, bringing the index up to date first when it lags (after a crash, or a
//! new taxonomy).

use std::io::Write;

use analysis::classify::Classifier;
use analysis::index::ThemeIndex;
use analysis::search::{SearchRequest, SortOrder};
use analysis::shared::{DEFAULT_K, Role, SharedRequest, Source};
use analysis::trends::PeriodKind;
use analysis::trends::view::{self, Audience};
use anyhow::Context;
use ingest::store::Store;

use crate::cli::{Global, ReindexArgs, RoleArg, SearchArgs, SharedArgs, SortArg, ThemesArgs};

/// How long a command waits for another process that holds the index (it indexes a batch of
/// 100k items in seconds).
const INDEX_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Store, classifier and an up-to-date index.
pub struct Opened {
    pub store: Store,
    pub classifier: Classifier,
    pub index: ThemeIndex,
}

/// Why the index is being brought up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sync {
    /// A batch was just stored: index it.
    AfterIngest,
    /// Before reading: catch up if the index lags (and say so).
    CatchUp,
    /// Reclassify and re-index everything.
    Rebuild,
}

/// Opens the store in `dir` with its index, syncing the index when it lags the store or the
/// taxonomy. Progress goes to stderr unless `quiet`.
pub fn open(
    global: &Global,
    dir: &std::path::Path,
    sync: Sync,
    quiet: bool,
) -> anyhow::Result<(Opened, analysis::index::SyncReport)> {
    let rebuild = sync == Sync::Rebuild;
    let mut store = super::ingest_files::open_store(dir)?;
    let classifier = super::classifier(global)?;
    let mut index = ThemeIndex::open(dir)?;
    let mut report = analysis::index::SyncReport::default();
    // Another process (a second ingest, a reindex, the server) may be indexing: wait for it,
    // then look again whether anything is left to do.
    let deadline = std::time::Instant::now() + INDEX_WAIT;
    let mut waited = false;
    while rebuild || index.lags(&store, &classifier)? {
        let bar = crate::progress::Spinner::new(quiet, "classifying and indexing");
        let synced = index.sync(&mut store, &classifier, rebuild, &|n| bar.set(n as u64));
        bar.finish();
        match synced {
            Ok(synced) => {
                report = synced;
                break;
            }
            Err(analysis::Error::IndexBusy { .. }) if std::time::Instant::now() < deadline => {
                if !quiet && !waited {
                    eprintln!("waiting for another signaalradar process to finish indexing …");
                }
                waited = true;
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !quiet && sync == Sync::CatchUp && report.indexed > 0 {
        eprintln!(
            "note: the index was behind the store; {} items classified and indexed",
            report.indexed
        );
    }
    Ok((
        Opened {
            store,
            classifier,
            index,
        },
        report,
    ))
}

pub(super) fn region(global: &Global, input: &str) -> anyhow::Result<String> {
    let regions = super::regions(global)?;
    match regions.resolve(input) {
        Some(region) => Ok(region.name.clone()),
        None => {
            let hint = regions
                .suggest(input)
                .map(|s| format!("did you mean {s:?}? "))
                .unwrap_or_default();
            Err(super::UsageError(format!(
                "unknown region {input:?}; {hint}valid regions: {}",
                regions.names().collect::<Vec<_>>().join(", ")
            ))
            .into())
        }
    }
}

pub(super) fn date(option: &str, input: &str) -> anyhow::Result<chrono::NaiveDate> {
    ingest::validate::parse_date(input).ok_or_else(|| {
        super::UsageError(format!(
            "{option} {input:?} is not a date; write YYYY-MM-DD or DD-MM-YYYY"
        ))
        .into()
    })
}

pub fn search(global: &Global, args: &SearchArgs) -> anyhow::Result<()> {
    let request = SearchRequest {
        query: args.query.clone(),
        theme: args.theme.clone(),
        region: args
            .region
            .as_deref()
            .map(|r| region(global, r))
            .transpose()?,
        from: args
            .from
            .as_deref()
            .map(|d| date("--from", d))
            .transpose()?,
        to: args.to.as_deref().map(|d| date("--to", d)).transpose()?,
        order: match args.sort {
            SortArg::Newest => SortOrder::Newest,
            SortArg::Relevance => SortOrder::Relevance,
        },
        limit: args.limit,
    };
    let (opened, _) = open(global, &global.store, Sync::CatchUp, args.json)?;
    let result = analysis::search::search(&opened.index, opened.classifier.taxonomy(), &request)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&result)?)?;
        return Ok(());
    }
    for note in &result.notes {
        eprintln!("note: read as plain words: {note}");
    }
    writeln!(
        out,
        "{} items found, showing {}",
        result.total,
        result.hits.len()
    )?;
    for hit in &result.hits {
        writeln!(
            out,
            "\n{}  {}  {}  [{}]",
            hit.date,
            hit.region,
            hit.kind,
            hit.themes.join(", ")
        )?;
        writeln!(out, "  {}", hit.snippet)?;
    }
    Ok(())
}

pub fn shared(global: &Global, args: &SharedArgs) -> anyhow::Result<()> {
    let request = SharedRequest {
        text: args.text.clone(),
        region: region(global, &args.region)?,
        months: args.months,
        role: match args.role {
            RoleArg::Programmaleider => Role::Programmaleider,
            RoleArg::Landelijk => Role::Landelijk,
        },
        k: DEFAULT_K,
        today: match &args.today {
            Some(d) => date("--today", d)?,
            None => chrono::Local::now().date_naive(),
        },
    };
    let loaded = super::trends::load(global, args.json)?;
    let request = SharedRequest {
        k: loaded.config.disclosure.k,
        ..request
    };
    let classifier = &loaded.opened.classifier;
    let result = match request.role {
        Role::Landelijk => {
            analysis::shared::shared(classifier, &request, Source::Index(&loaded.opened.index))?
        }
        Role::Programmaleider => {
            // A programme leader's answer comes from their trend view, as on the dashboard.
            let audience = Audience::leader(&request.region, request.k);
            let (table, assessment) = view::audience_table(
                &loaded.data,
                &loaded.theme_order,
                &loaded.config,
                PeriodKind::Quarter,
                None,
                request.today,
                &audience,
            )?;
            let all = 0..table.periods.len();
            let shown = view::trend_view(&table, &assessment, &audience, &loaded.labels, all)?;
            analysis::shared::shared(classifier, &request, Source::LeaderView(&shown))?
        }
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&result)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "Your signal, {} to {} (other regions; fewer than {} shown as \"<{}\")",
        result.from, result.to, result.k, result.k
    )?;
    if result.themes.is_empty() {
        writeln!(out, "  no theme of the taxonomy matches this text")?;
    }
    for theme in &result.themes {
        match theme.other_regions {
            Some(n) => writeln!(
                out,
                "\n{} ({}): {n} other regions",
                theme.label_nl, theme.theme
            )?,
            None => writeln!(out, "\n{} ({})", theme.label_nl, theme.theme)?,
        }
        let trend: Vec<String> = theme
            .periods
            .iter()
            .map(|p| {
                format!(
                    "{} {}{}",
                    p.period,
                    p.other_regions,
                    if p.partial { " (loopt nog)" } else { "" }
                )
            })
            .collect();
        writeln!(out, "  per quarter: {}", trend.join(" | "))?;
        if let Some(names) = &theme.region_names {
            writeln!(out, "  regions: {}", names.join(", "))?;
        }
    }
    let Some(similar) = &result.similar else {
        writeln!(
            out,
            "\nSimilar items are counted for national supporters only: a count on the text itself would reveal suppressed counts."
        )?;
        return Ok(());
    };
    match similar.items {
        Some(items) => writeln!(
            out,
            "\nSimilar items: {items} from {} other regions",
            similar.other_regions
        )?,
        None => writeln!(
            out,
            "\nSimilar items: from {} other regions",
            similar.other_regions
        )?,
    }
    for excerpt in similar.excerpts.iter().flatten() {
        writeln!(
            out,
            "  {} {}: {}",
            excerpt.date, excerpt.region, excerpt.text
        )?;
    }
    Ok(())
}

pub fn themes(global: &Global, args: &ThemesArgs) -> anyhow::Result<()> {
    let (opened, _) = open(global, &global.store, Sync::CatchUp, args.json)?;
    if args.candidates {
        let candidates = analysis::candidates::candidates(&opened.store)?;
        let mut out = std::io::stdout().lock();
        if args.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&candidates)?)?;
            return Ok(());
        }
        writeln!(
            out,
            "{} items match no theme; {} clustered into {} candidate themes",
            candidates.unmatched,
            candidates.clustered,
            candidates.clusters.len()
        )?;
        for c in &candidates.clusters {
            writeln!(
                out,
                "\n{} items, {} regions: {}",
                c.items,
                c.regions,
                c.top_terms.join(", ")
            )?;
            if !c.phrases.is_empty() {
                writeln!(out, "  phrases: {}", c.phrases.join("; "))?;
            }
            for example in &c.examples {
                writeln!(out, "  e.g. {example}")?;
            }
        }
        return Ok(());
    }
    let taxonomy = opened.classifier.taxonomy();
    let counts = opened.store.theme_counts()?;
    let rows: Vec<serde_json::Value> = taxonomy
        .themes
        .iter()
        .map(|t| {
            let (items, regions) = counts
                .iter()
                .find(|(id, ..)| id == &t.id)
                .map_or((0, 0), |(_, i, r)| (*i, *r));
            serde_json::json!({
                "id": t.id, "label_nl": t.label_nl, "label_en": t.label_en,
                "description_nl": t.description_nl, "items": items, "regions": regions,
            })
        })
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        let doc = serde_json::json!({ "version": taxonomy.version, "themes": rows });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    writeln!(out, "Taxonomy version {}", taxonomy.version)?;
    writeln!(
        out,
        "{:<22} {:<32} {:>7} {:>8}",
        "id", "label", "items", "regions"
    )?;
    for row in &rows {
        writeln!(
            out,
            "{:<22} {:<32} {:>7} {:>8}",
            row["id"].as_str().unwrap_or_default(),
            row["label_nl"].as_str().unwrap_or_default(),
            row["items"],
            row["regions"]
        )?;
    }
    Ok(())
}

pub fn reindex(global: &Global, args: &ReindexArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let (opened, report) = open(global, &global.store, Sync::Rebuild, args.json)
        .context("the index could not be rebuilt")?;
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        let doc = serde_json::json!({
            "indexed": report.indexed,
            "taxonomy_version": opened.classifier.taxonomy().version,
            "seconds": seconds,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        println!(
            "{} items classified (taxonomy version {}) and indexed in {:.2} s",
            report.indexed,
            opened.classifier.taxonomy().version,
            seconds
        );
    }
    Ok(())
}
