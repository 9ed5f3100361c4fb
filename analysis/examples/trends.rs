//! Speed of the trend analysis, in process (the frames loaded once, as the dashboard holds
//! them). Used by `bench/trends.sh`:
//!
//!     cargo run --release -p analysis --example trends -- synthetic ITEMS [RUNS]
//!     cargo run --release -p analysis --example trends -- store STORE_DIR [RUNS]
//!
//! `synthetic` makes about ITEMS items (five per session, a fifth with a second theme, 78
//! regions, 2020-2026) straight into the frames; `store` loads a real store.

use std::time::Instant;

use analysis::taxonomy::Taxonomy;
use analysis::trends::escalation::candidates;
use analysis::trends::evaluation::evaluations;
use analysis::trends::{Assessment, PeriodKind, TableRequest, TrendConfig, TrendData, TrendTable};
use chrono::NaiveDate;
use ingest::store::{MentionRow, SessionRow, Store};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn time<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) -> T {
    let mut millis = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(f());
        millis.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    millis.sort_by(f64::total_cmp);
    println!(
        "{name}: {runs} runs, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&millis, 0.5),
        percentile(&millis, 0.99),
        millis[millis.len() - 1]
    );
    last.expect("at least one run")
}

fn synthetic(items: usize, themes: &[String]) -> TrendData {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let sessions = items / 5;
    let first = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let days = 6 * 365 + 300;
    let mut present: Vec<Vec<u8>> = Vec::with_capacity(sessions);
    let session_rows: Vec<SessionRow> = (0..sessions)
        .map(|s| {
            let size = rng.random_range(3..=8);
            let mut regions: Vec<u8> = Vec::with_capacity(size);
            while regions.len() < size {
                let r = rng.random_range(0..78u8);
                if !regions.contains(&r) {
                    regions.push(r);
                }
            }
            let date = first + chrono::Days::new((s * days / sessions) as u64);
            let row = SessionRow {
                id: format!("s{s}"),
                date: date.format("%Y-%m-%d").to_string(),
                programme: if s % 10 == 0 { "Samen Opleiden" } else { "STO" }.into(),
                mode: Some(
                    if rng.random::<bool>() {
                        "online"
                    } else {
                        "fysiek"
                    }
                    .into(),
                ),
                moderated: Some(rng.random::<f64>() < 0.8),
                cases_submitted: Some(rng.random_range(1..=6)),
                cases_discussed: Some(rng.random_range(1..=2)),
                score: Some(rng.random_range(1..=5)),
                regions: regions.iter().map(|r| format!("Regio {r:02}")).collect(),
                tags: if rng.random::<f64>() < 0.3 {
                    vec!["format-te-strak".into()]
                } else {
                    vec!["goed-gemodereerd".into()]
                },
                batch_id: 1,
            };
            present.push(regions);
            row
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let themes = themes.to_vec();
    let mentions = (0..sessions).flat_map(move |s| {
        let regions = present[s].clone();
        let mut rows = Vec::with_capacity(6);
        for _ in 0..5 {
            let region = regions[rng.random_range(0..regions.len())];
            let n = if rng.random::<f64>() < 0.2 { 2 } else { 1 };
            for _ in 0..n {
                rows.push(MentionRow {
                    session_id: format!("s{s}"),
                    region: format!("Regio {region:02}"),
                    kind: if rng.random::<f64>() < 0.2 {
                        "signaal"
                    } else {
                        "advies"
                    }
                    .into(),
                    theme: themes[rng.random_range(0..themes.len())].clone(),
                    batch_id: 1,
                });
            }
        }
        rows
    });
    TrendData::from_rows(session_rows, mentions).expect("frames")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: trends synthetic ITEMS [RUNS] | trends store STORE_DIR [RUNS]";
    let (mode, what) = match (args.first(), args.get(1)) {
        (Some(m), Some(w)) => (m.as_str(), w.as_str()),
        _ => return Err(usage.into()),
    };
    let runs: usize = args.get(2).map_or(Ok(50), |r| r.parse())?;
    // The taxonomy's themes, in its order (run from the project folder, as bench/trends.sh does).
    let taxonomy = Taxonomy::load(std::path::Path::new(analysis::taxonomy::DEFAULT_PATH))?;
    let order: Vec<String> = taxonomy.themes.iter().map(|t| t.id.clone()).collect();
    let start = Instant::now();
    let data = match mode {
        "synthetic" => synthetic(what.parse()?, &order),
        "store" => {
            let store = Store::open(std::path::Path::new(what))?;
            TrendData::load(&store, store.last_batch_id()?)?
        }
        _ => return Err(usage.into()),
    };
    println!(
        "loaded {} sessions, {} item-theme rows into polars in {:.0} ms",
        data.sessions(),
        data.mentions(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    let config = TrendConfig::default();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let request = |region: Option<String>| TableRequest {
        kind: PeriodKind::Quarter,
        programme: None,
        as_of,
        region,
    };
    let table = time("trend table (quarter, national) + tests", runs, || {
        let table = TrendTable::compute(&data, &request(None), &order).expect("table");
        let assessment = Assessment::of(&table, &config.trend);
        (table, assessment)
    });
    time("trend table (quarter, programme leader)", runs, || {
        TrendTable::compute(&data, &request(Some("Regio 05".into())), &order).expect("table")
    });
    time("trend table (month, national)", runs, || {
        let request = TableRequest {
            kind: PeriodKind::Month,
            ..request(None)
        };
        TrendTable::compute(&data, &request, &order).expect("table")
    });
    let found = time("escalations (table + tests + rule)", runs, || {
        let table = TrendTable::compute(&data, &request(None), &order).expect("table");
        let assessment = Assessment::of(&table, &config.trend);
        let at = table.last_complete().expect("a complete period");
        candidates(&data, &table, &assessment, &config, at).expect("candidates")
    });
    time("session evaluation (quarter)", runs, || {
        evaluations(&data, PeriodKind::Quarter, as_of, None, &config.trend).expect("evaluations")
    });
    println!(
        "{} periods x {} themes; {} candidates now",
        table.0.periods.len(),
        table.0.themes.len(),
        found.len()
    );
    Ok(())
}
