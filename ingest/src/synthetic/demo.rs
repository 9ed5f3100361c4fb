//! Demo data relative to a day: the generator's sessions moved by whole quarters so that they
//! end on that day, with signals planted in the last two complete quarters before it, so the
//! first screen of `signaalradar demo` always shows live signals:
//!
//! - **a rising theme** ([`RISING`]): an extra signal in 35 % of the sessions of the quarter
//!   before last and 65 % of the last complete quarter, from many regions;
//! - **a new theme** ([`NEW`]): gone from the two years before the last complete quarter, then
//!   raised in half the sessions of [`NEW_REGIONS`] regions in that quarter (`demo` also leaves
//!   out the items of those two years that the classifier would give the theme by mistake, see
//!   [`new_absent_window`], so that the theme is flagged new, not rising);
//! - **a loud single region** ([`LOUD`]): three extra items in every session of one region in
//!   the last complete quarter — many items, one region, so never a candidate.
//!
//! Items for the review queue and the candidate-theme clustering come with the generator's own
//! data. The committed sample (`data/sample`) is not made this way: it stays fixed for the tests.

use chrono::{Datelike, Months, NaiveDate};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::trends::{LAST_DATE, PlantedRegions, Topic};
use super::{GenerateOptions, Generated, SynthItem, Truth, generate, texts};
use crate::record::{Escalation, ItemKind};

/// The theme planted as rising in the last two complete quarters.
pub const RISING: Topic = Topic::Wetgeving;
/// The theme planted as new in the last complete quarter.
pub const NEW: Topic = Topic::Corona;
/// The theme one region voices loudly in the last complete quarter.
pub const LOUD: Topic = Topic::Faciliteiten;
/// Regions raising the new theme.
pub const NEW_REGIONS: usize = 12;
/// Quarters before the last complete one from which the new theme is taken out.
const NEW_ABSENT_QUARTERS: u32 = 8;

fn quarter_start(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year(), (date.month0() / 3) * 3 + 1, 1).unwrap_or(date)
}

fn quarters_between(from: NaiveDate, to: NaiveDate) -> i32 {
    (to.year() - from.year()) * 4 + (to.month0() / 3) as i32 - (from.month0() / 3) as i32
}

fn shift(date: NaiveDate, quarters: i32) -> Option<NaiveDate> {
    let months = Months::new(quarters.unsigned_abs() * 3);
    if quarters >= 0 {
        date.checked_add_months(months)
    } else {
        date.checked_sub_months(months)
    }
}

/// The dates from which the new theme is taken out, up to (not including) the last complete
/// quarter, when the demo's data ends on `today`.
pub fn new_absent_window(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let last = quarter_start(today) - Months::new(3);
    (last - Months::new(3 * NEW_ABSENT_QUARTERS), last)
}

/// The generator's data for `opts`, ending on `today`, with the demo's signals planted.
pub fn generate_demo(opts: &GenerateOptions, regions: &[String], today: NaiveDate) -> Generated {
    let mut data = generate(opts, regions);
    let Some(planted) = PlantedRegions::choose(regions) else {
        return data;
    };
    let quarters = quarters_between(LAST_DATE, today);
    data.sessions.retain_mut(|s| match shift(s.date, quarters) {
        Some(date) if date <= today => {
            s.date = date;
            true
        }
        _ => false,
    });
    let running = quarter_start(today);
    let last = running - Months::new(3);
    let before_last = last - Months::new(3);
    let absent_from = last - Months::new(3 * NEW_ABSENT_QUARTERS);
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0xDE30);
    let new_regions: Vec<&String> = planted.active.iter().rev().take(NEW_REGIONS).collect();
    let loud = &planted.loud;
    for session in &mut data.sessions {
        let in_last = session.date >= last && session.date < running;
        if session.date >= absent_from && session.date < last {
            session
                .items
                .retain(|item| !item.truth.topics.contains(&NEW));
        }
        if session.date < before_last || session.date >= running {
            continue;
        }
        let speaker = |rng: &mut ChaCha8Rng| {
            session.regions_present[rng.random_range(0..session.regions_present.len())].clone()
        };
        let rising_share = if in_last { 0.65 } else { 0.35 };
        let mut extra = Vec::new();
        if rng.random_bool(rising_share) {
            let region = speaker(&mut rng);
            extra.push(signal(RISING, region, &session.evaluation_tags, &mut rng));
        }
        if in_last {
            for region in &session.regions_present {
                if new_regions.contains(&region) && rng.random_bool(0.5) {
                    extra.push(signal(
                        NEW,
                        region.clone(),
                        &session.evaluation_tags,
                        &mut rng,
                    ));
                }
                if region == loud {
                    for _ in 0..3 {
                        extra.push(signal(
                            LOUD,
                            region.clone(),
                            &session.evaluation_tags,
                            &mut rng,
                        ));
                    }
                }
            }
        }
        session.items.extend(extra);
    }
    data
}

fn signal(topic: Topic, region: String, tags: &[String], rng: &mut ChaCha8Rng) -> SynthItem {
    SynthItem {
        kind: ItemKind::Signaal,
        region,
        text: texts::compose(ItemKind::Signaal, &[topic], tags, rng),
        themes: Vec::new(),
        escalate: Some(if rng.random_bool(0.5) {
            Escalation::Ja
        } else {
            Escalation::Twijfel
        }),
        truth: Truth {
            topics: vec![topic],
            ..Truth::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> Vec<String> {
        crate::region::RegionRegistry::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/regions.toml"),
        )
        .unwrap()
        .names()
        .map(str::to_owned)
        .collect()
    }

    #[test]
    fn the_data_ends_today_and_the_signals_sit_in_the_last_complete_quarters() {
        let today = NaiveDate::from_ymd_opt(2027, 5, 20).unwrap();
        let opts = GenerateOptions {
            sessions: 600,
            seed: 2020,
        };
        let data = generate_demo(&opts, &regions(), today);
        let last_date = data.sessions.iter().map(|s| s.date).max().unwrap();
        assert!(last_date <= today && last_date > today - chrono::Days::new(60));
        let count = |topic: Topic, from: NaiveDate, to: NaiveDate| {
            data.sessions
                .iter()
                .filter(|s| s.date >= from && s.date < to)
                .flat_map(|s| &s.items)
                .filter(|i| i.truth.topics.contains(&topic))
                .count()
        };
        let q = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        // 2027-Q1 is the last complete quarter.
        assert_eq!(
            count(NEW, q(2025, 1), q(2027, 1)),
            0,
            "absent for two years"
        );
        assert!(count(NEW, q(2027, 1), q(2027, 4)) >= 10);
        assert!(count(RISING, q(2027, 1), q(2027, 4)) > 2 * count(RISING, q(2026, 7), q(2026, 10)));
        // The same seed and day give the same data.
        assert_eq!(generate_demo(&opts, &regions(), today), data);
    }
}
