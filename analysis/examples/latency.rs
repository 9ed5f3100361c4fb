//! Latency of the review queue's page query (the store's part of *Beoordelen*), of `shared` (the national answer, from the index: the heavier of the two; a
//! programme leader's comes from their cached trend view) and `search` on an existing store, in
//! process (the index opened once, as the dashboard will hold it). Used by `bench/analysis.sh`:
//!
//!     cargo run --release -p analysis --example latency -- STORE_DIR [themes.toml]

use std::sync::Arc;
use std::time::Instant;

use analysis::classify::Classifier;
use analysis::index::ThemeIndex;
use analysis::search::{SearchRequest, SortOrder};
use analysis::shared::{Role, SharedRequest, Source};
use analysis::taxonomy::Taxonomy;

const SIGNALS: &[&str] = &[
    "Onze docenten hebben geen tijd voor het programma door het lerarentekort",
    "De scholen leunen achterover en zien het programma niet als hun eigen project",
    "Het regioplan moet worden bijgesteld; de mijlpalen zijn niet haalbaar",
    "Bedrijven willen wel stageplekken bieden maar de hotspot wordt nauwelijks gebruikt",
    "Door corona zijn de techniekdagen afgelast en lopen de leerlingen achterstand op",
    "De schoolleiders geven de coördinator geen mandaat in de stuurgroep",
    "Het TechLab is nog steeds niet ingericht, de machines staan in dozen",
    "Nieuwe regelgeving rond de bekostiging maakt de scholen onzeker",
    "De doorlopende leerlijn met het mbo en de basisscholen komt niet van de grond",
    "We willen een leernetwerk voor techniekdocenten starten met scholing op maat",
];

const QUERIES: &[&str] = &[
    "werkdruk",
    "lerarentekort docenten",
    "\"basis op orde\"",
    "techlab machines",
    "stuurgroep mandaat",
    "corona",
    "regioplan bijstellen",
    "stage bedrijven",
    "eigenaarschap scholen",
    "leerlingenvervoer bus",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn report(name: &str, mut millis: Vec<f64>) {
    millis.sort_by(f64::total_cmp);
    println!(
        "{name}: {} runs, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        millis.len(),
        percentile(&millis, 0.5),
        percentile(&millis, 0.99),
        millis[millis.len() - 1]
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let store = args
        .next()
        .ok_or("usage: latency STORE_DIR [themes.toml]")?;
    let themes = args.next().unwrap_or_else(|| "data/themes.toml".into());
    // The trained model next to the taxonomy, as the commands load it.
    let model = analysis::model::ThemeModel::load_if_present(&analysis::model::path_next_to(
        themes.as_ref(),
    ))?;
    println!(
        "classifier: {}",
        model
            .as_ref()
            .map_or("queries alone".to_owned(), |m| format!(
                "model version {}",
                m.version
            ))
    );
    let classifier = Classifier::with_model(
        Arc::new(Taxonomy::load(themes.as_ref())?),
        model.map(Arc::new),
    );
    // The review page: one page of the queue, how many wait, how many were reviewed.
    let opened = ingest::store::Store::open(store.as_ref())?;
    let mut review = Vec::new();
    for round in 0..200 {
        let started = Instant::now();
        let page = opened.review_queue(20, (round % 10) * 20)?;
        let waiting = opened.review_queue_len()?;
        opened.review_count()?;
        review.push(started.elapsed().as_secs_f64() * 1000.0);
        if round == 0 {
            println!(
                "review queue: {waiting} items wait; a page holds {}",
                page.len()
            );
        }
    }
    report("review page (store)", review);
    let index = ThemeIndex::open(store.as_ref())?;
    let taxonomy = classifier.taxonomy();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 15).ok_or("date")?;
    let regions = [
        "Twente Zuid",
        "Amsterdam",
        "Delft e.o.",
        "Eindhoven",
        "Walcheren",
    ];
    // Warm up: the first queries load the index's files into the page cache.
    for signal in SIGNALS {
        let request = SharedRequest {
            text: (*signal).into(),
            region: regions[0].into(),
            months: 12,
            role: Role::Landelijk,
            k: 3,
            today,
        };
        analysis::shared::shared(&classifier, &request, Source::Index(&index))?;
    }
    let mut shared = Vec::new();
    for round in 0..30 {
        for (i, signal) in SIGNALS.iter().enumerate() {
            let request = SharedRequest {
                text: (*signal).into(),
                region: regions[(round + i) % regions.len()].into(),
                months: 12,
                role: Role::Landelijk,
                k: 3,
                today,
            };
            let started = Instant::now();
            analysis::shared::shared(&classifier, &request, Source::Index(&index))?;
            shared.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    report("shared", shared);
    let mut search = Vec::new();
    for round in 0..30 {
        for (i, query) in QUERIES.iter().enumerate() {
            let request = SearchRequest {
                query: (*query).into(),
                theme: (round % 3 == 0)
                    .then(|| taxonomy.themes[i % taxonomy.themes.len()].id.clone()),
                region: None,
                from: None,
                to: None,
                order: if round % 2 == 0 {
                    SortOrder::Newest
                } else {
                    SortOrder::Relevance
                },
                limit: 20,
            };
            let started = Instant::now();
            analysis::search::search(&index, taxonomy, &request)?;
            search.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    report("search", search);
    Ok(())
}
