//! Candidate themes on real text: each theme of the real labelled statements in turn plays a
//! topic the taxonomy does not have. Its statements, mixed with the statements labelled `other`,
//! are the unthemed items; every statement of the file is the store's background. Counts, per
//! held-out theme, the candidates whose items are mostly (≥ 60 %) that theme, and how many of
//! its statements the best one holds. Run from the project folder:
//!
//!     cargo run --release -p analysis --example candidates_real -- tests/fixtures/real/themes/test.jsonl

use analysis::candidates::cluster;
use analysis::eval::GoldRecord;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: candidates_real LABELLED.jsonl")?;
    let records: Vec<GoldRecord> = std::fs::read_to_string(&path)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let host = |r: &GoldRecord| {
        r.source
            .as_deref()
            .and_then(|s| s.split('/').nth(2))
            .unwrap_or("?")
            .to_owned()
    };
    let background: Vec<String> = records.iter().map(|r| r.text.clone()).collect();
    let other: Vec<&GoldRecord> = records.iter().filter(|r| r.themes.is_empty()).collect();
    let mut themes: Vec<&str> = records
        .iter()
        .flat_map(|r| r.themes.iter().map(String::as_str))
        .collect();
    themes.sort_unstable();
    themes.dedup();
    println!(
        "{path}: {} statements, {} other",
        records.len(),
        other.len()
    );
    let (mut found, mut clean) = (0, 0);
    for theme in &themes {
        let held: Vec<&GoldRecord> = records
            .iter()
            .filter(|r| r.themes.len() == 1 && r.themes[0] == *theme)
            .collect();
        let items: Vec<(String, String)> = held
            .iter()
            .chain(&other)
            .map(|r| (r.text.clone(), host(r)))
            .collect();
        let result = cluster(&items, &background, items.len());
        let purity = |c: &analysis::candidates::Cluster| {
            c.members.iter().filter(|&&m| m < held.len()).count() as f64 / c.members.len() as f64
        };
        let topical: Vec<_> = result
            .clusters
            .iter()
            .filter(|c| purity(c) >= 0.6)
            .collect();
        let best = topical
            .iter()
            .map(|c| c.members.iter().filter(|&&m| m < held.len()).count())
            .max()
            .unwrap_or(0);
        let others = result.clusters.len() - topical.len();
        found += usize::from(!topical.is_empty());
        clean += usize::from(topical.len() == 1 && others == 0);
        println!(
            "{theme:<20} held out {:>3}: {} candidate(s) of it (best holds {best}), {others} other; words: {}",
            held.len(),
            topical.len(),
            topical
                .first()
                .map(|c| c.top_terms.join(", "))
                .unwrap_or_default()
        );
    }
    println!(
        "a candidate of the held-out theme: {found} of {}; exactly one and nothing else: {clean}",
        themes.len()
    );
    Ok(())
}
