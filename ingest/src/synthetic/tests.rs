//! Tests of the generator: determinism, counts, validity per `docs/input-formats.md`, the planted
//! trends, and the files as written.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use super::trends::*;
use super::*;
use crate::region::RegionRegistry;

fn registry_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/sample/regions.toml");
        let registry = RegionRegistry::load(&path).expect("the region registry loads");
        registry.names().map(str::to_owned).collect()
    })
}

/// The size of the committed sample.
fn sample() -> &'static Generated {
    static SAMPLE: OnceLock<Generated> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        generate(
            &GenerateOptions {
                sessions: 600,
                seed: 2020,
            },
            registry_names(),
        )
    })
}

/// A larger set for trend shares with less noise.
fn large() -> &'static Generated {
    static LARGE: OnceLock<Generated> = OnceLock::new();
    LARGE.get_or_init(|| {
        generate(
            &GenerateOptions {
                sessions: 4000,
                seed: 99,
            },
            registry_names(),
        )
    })
}

fn planted() -> PlantedRegions {
    PlantedRegions::choose(registry_names()).expect("regions")
}

fn items(g: &Generated) -> impl Iterator<Item = (&SynthSession, &SynthItem)> {
    g.sessions
        .iter()
        .flat_map(|s| s.items.iter().map(move |i| (s, i)))
}

/// Share of the items in sessions matching `when` (and from regions matching `region`) that are
/// about `topic`.
fn share(
    g: &Generated,
    topic: Topic,
    when: impl Fn(NaiveDate) -> bool,
    region: impl Fn(&str) -> bool,
) -> f64 {
    let (mut hits, mut total) = (0usize, 0usize);
    for (s, i) in items(g) {
        if when(s.date) && region(&i.region) {
            total += 1;
            hits += usize::from(i.truth.topics.contains(&topic));
        }
    }
    assert!(total > 0, "no items in the selection for {topic:?}");
    hits as f64 / total as f64
}

fn years(from: i32, to: i32) -> impl Fn(NaiveDate) -> bool {
    move |d| (from..=to).contains(&d.year())
}

fn anywhere(_: &str) -> bool {
    true
}

#[test]
fn same_seed_same_data_and_another_seed_other_data() {
    let opts = GenerateOptions {
        sessions: 300,
        seed: 42,
    };
    let a = generate(&opts, registry_names());
    let b = generate(&opts, registry_names());
    assert_eq!(a, b);
    assert_eq!(
        serde_json::to_string(&a.sessions).ok(),
        serde_json::to_string(&b.sessions).ok()
    );
    let c = generate(&GenerateOptions { seed: 43, ..opts }, registry_names());
    assert_ne!(a, c);
}

#[test]
fn same_seed_writes_byte_identical_files() {
    let opts = GenerateOptions {
        sessions: 200,
        seed: 5,
    };
    let dirs = [
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
    ];
    let written: Vec<Vec<PathBuf>> = dirs
        .iter()
        .map(|d| {
            generate(&opts, registry_names())
                .write_files(d.path())
                .expect("files written")
        })
        .collect();
    assert_eq!(written[0].len(), 3);
    for (a, b) in written[0].iter().zip(&written[1]) {
        let (a, b) = (
            std::fs::read(a).expect("read"),
            std::fs::read(b).expect("read"),
        );
        assert!(!a.is_empty());
        assert!(a == b, "files differ between runs with the same seed");
    }
}

#[test]
fn counts_match_the_request() {
    let g = sample();
    assert_eq!(g.sessions.len(), 600);
    let per_session = g.item_count() as f64 / g.sessions.len() as f64;
    assert!(
        (4.5..=5.6).contains(&per_session),
        "{per_session} items per session"
    );
    assert!(g.sessions.iter().all(|s| !s.items.is_empty()));
    for n in [0, 1, 2, 7, 35, 61] {
        let g = generate(
            &GenerateOptions {
                sessions: n,
                seed: 1,
            },
            registry_names(),
        );
        assert_eq!(g.sessions.len(), n);
    }
    assert_eq!(
        generate(
            &GenerateOptions {
                sessions: 10,
                seed: 1
            },
            &[]
        ),
        Generated::default()
    );
    let few: Vec<String> = registry_names()[..2].to_vec();
    let g = generate(
        &GenerateOptions {
            sessions: 30,
            seed: 1,
        },
        &few,
    );
    assert_eq!(g.sessions.len(), 30);
    assert!(items(&g).all(|(s, i)| s.regions_present.contains(&i.region)));
}

#[test]
fn every_value_is_valid_input() {
    let g = sample();
    let registry: BTreeSet<&str> = registry_names().iter().map(String::as_str).collect();
    let theme_ids: BTreeSet<&str> = Topic::ALL.iter().filter_map(|t| t.theme_id()).collect();
    let tags: BTreeSet<&str> = EVALUATION_TAGS.iter().map(|(t, _)| *t).collect();
    let mut session_keys = BTreeSet::new();
    let mut group_regions: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut active = BTreeSet::new();
    for s in &g.sessions {
        let distinct: BTreeSet<_> = s
            .items
            .iter()
            .map(|i| (i.kind, &i.region, &i.text))
            .collect();
        assert_eq!(
            distinct.len(),
            s.items.len(),
            "an item repeats in {} on {}",
            s.group,
            s.date
        );
        assert!((FIRST_DATE..=LAST_DATE).contains(&s.date), "{}", s.date);
        assert!(
            session_keys.insert((&s.programme, &s.group, s.date)),
            "two sessions of {} on {}",
            s.group,
            s.date
        );
        assert!(["STO", "Samen Opleiden"].contains(&s.programme.as_str()));
        assert!(
            s.group.starts_with('G') && s.group[1..].chars().all(|c| c.is_ascii_digit()),
            "{}",
            s.group
        );
        assert!((3..=8).contains(&s.participants));
        assert!((1..=6).contains(&s.cases_submitted));
        assert!(s.cases_discussed <= s.cases_submitted);
        assert!(s.score.is_none_or(|x| (1..=5).contains(&x)));
        assert!(
            s.evaluation_tags.iter().all(|t| tags.contains(t.as_str())),
            "{:?}",
            s.evaluation_tags
        );
        assert!(!s.regions_present.is_empty());
        let present: BTreeSet<&str> = s.regions_present.iter().map(String::as_str).collect();
        assert_eq!(
            present.len(),
            s.regions_present.len(),
            "duplicate region present"
        );
        assert!(present.iter().all(|r| registry.contains(r)));
        group_regions.entry(&s.group).or_default().extend(&present);
        active.extend(present.iter().copied());
        for i in &s.items {
            assert!(
                present.contains(i.region.as_str()),
                "{} not present",
                i.region
            );
            let chars = i.text.chars().count();
            assert!((1..=4000).contains(&chars));
            assert!(!i.text.contains(['{', '}', '\n', '\t']), "{}", i.text);
            assert!(
                i.themes.iter().all(|t| theme_ids.contains(t.as_str())),
                "{:?}",
                i.themes
            );
            assert_eq!(
                i.escalate.is_some(),
                i.escalate.is_some() && i.kind == ItemKind::Signaal
            );
        }
    }
    assert!(group_regions.values().all(|r| r.len() <= 8));
    assert!(
        (35..=ACTIVE_REGIONS).contains(&active.len()),
        "{} active regions",
        active.len()
    );
    let signals: Vec<_> = items(g)
        .filter(|(_, i)| i.kind == ItemKind::Signaal)
        .collect();
    let with_flag = signals.iter().filter(|(_, i)| i.escalate.is_some()).count();
    assert!(with_flag as f64 > 0.85 * signals.len() as f64);
}

#[test]
fn groups_meet_three_to_four_times_a_year() {
    let g = large();
    let span_years = (LAST_DATE - FIRST_DATE).num_days() as f64 / 365.25;
    let mut per_group: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &g.sessions {
        *per_group.entry(&s.group).or_default() += 1;
    }
    for (group, n) in per_group {
        let rate = n as f64 / span_years;
        assert!(
            (3.0..=4.0).contains(&rate),
            "{group} meets {rate:.2} times a year"
        );
    }
}

#[test]
fn session_and_item_mix_is_realistic() {
    let g = large();
    let n_items = g.item_count() as f64;
    let n_sessions = g.sessions.len() as f64;
    let frac = |count: usize, of: f64| count as f64 / of;

    let samen = g
        .sessions
        .iter()
        .filter(|s| s.programme == "Samen Opleiden")
        .count();
    assert!(
        (0.06..=0.15).contains(&frac(samen, n_sessions)),
        "Samen Opleiden {samen}"
    );
    let online = |from, to| {
        let sel: Vec<_> = g
            .sessions
            .iter()
            .filter(|s| years(from, to)(s.date))
            .collect();
        frac(
            sel.iter().filter(|s| s.mode == Mode::Online).count(),
            sel.len() as f64,
        )
    };
    assert!(online(2020, 2021) > 0.6 && online(2024, 2026) < 0.45);
    assert!(
        frac(
            g.sessions.iter().filter(|s| s.moderated).count(),
            n_sessions
        ) > 0.75
    );
    let discussed_1_2 = g
        .sessions
        .iter()
        .filter(|s| (1..=2).contains(&s.cases_discussed))
        .count();
    assert!(frac(discussed_1_2, n_sessions) > 0.75);

    let count = |f: &dyn Fn(&SynthItem) -> bool| items(g).filter(|(_, i)| f(i)).count();
    let tagged = frac(count(&|i| !i.themes.is_empty()), n_items);
    assert!(
        (0.18..=0.32).contains(&tagged),
        "manual tags on {tagged:.3}"
    );
    let persons = frac(count(&|i| !i.truth.persons.is_empty()), n_items);
    assert!((0.12..=0.19).contains(&persons), "persons in {persons:.3}");
    let contacts = frac(
        count(&|i| !i.truth.emails.is_empty() || !i.truth.phones.is_empty()),
        n_items,
    );
    assert!(
        (0.02..=0.045).contains(&contacts),
        "contacts in {contacts:.3}"
    );
    assert!(count(&|i| !i.truth.postcodes.is_empty()) > 0);
    let general = frac(count(&|i| i.truth.topics.is_empty()), n_items);
    assert!((0.06..=0.15).contains(&general), "general {general:.3}");
    let combined = frac(count(&|i| i.truth.topics.len() == 2), n_items);
    assert!(combined > 0.05, "two topics in {combined:.3}");
    for kind in ItemKind::ALL {
        assert!(
            frac(count(&|i| i.kind == *kind), n_items) > 0.08,
            "{kind:?}"
        );
    }
    let texts: BTreeSet<&str> = items(g).map(|(_, i)| i.text.as_str()).collect();
    assert!(
        texts.len() as f64 > 0.5 * n_items,
        "only {} distinct texts",
        texts.len()
    );

    for file in SourceFile::ALL {
        let share = frac(
            g.sessions.iter().filter(|s| s.file == file).count(),
            n_sessions,
        );
        let expected = match file {
            SourceFile::Jsonl => 0.5,
            SourceFile::Csv => 0.3,
            SourceFile::Xlsx => 0.2,
        };
        assert!((share - expected).abs() < 0.05, "{file:?} {share:.3}");
    }
}

#[test]
fn corona_peaks_in_2020_2021_and_fades() {
    let g = large();
    let peak = share(g, Topic::Corona, years(2020, 2021), anywhere);
    let late = share(g, Topic::Corona, years(2024, 2025), anywhere);
    assert!(peak > 0.15, "{peak}");
    assert!(late < 0.01, "{late}");
    assert!(
        share(
            g,
            Topic::Corona,
            |d| d < NaiveDate::from_ymd_opt(2020, 3, 1).unwrap_or(d),
            anywhere
        ) < 0.01
    );
    // Manual tags, which the pipeline sees, show the same.
    let tagged = |from, to| {
        items(g)
            .filter(|(s, i)| years(from, to)(s.date) && i.themes.iter().any(|t| t == "corona"))
            .count()
    };
    assert!(tagged(2020, 2021) > 10 * tagged(2024, 2025).max(1));
}

#[test]
fn teacher_workload_rises_from_2022_in_many_regions() {
    let g = large();
    let p = planted();
    let rising = |r: &str| p.werkdruk_rising.iter().any(|x| x == r);
    let before = share(g, Topic::DocentWerkdruk, years(2020, 2021), rising);
    let after = share(g, Topic::DocentWerkdruk, years(2025, 2026), rising);
    assert!(after > 2.0 * before, "{before} → {after}");
    let flat = share(g, Topic::DocentWerkdruk, years(2025, 2026), |r| !rising(r));
    assert!(flat < 0.6 * after, "non-rising regions {flat}");
    assert!(p.werkdruk_rising.len() >= ACTIVE_REGIONS / 2);
}

#[test]
fn plan_updates_peak_around_the_deadlines() {
    let g = large();
    let quarter =
        |y: i32, q: u32| move |d: NaiveDate| d.year() == y && (d.month() - 1) / 3 + 1 == q;
    let quiet = share(g, Topic::PlanActualisatie, years(2023, 2023), anywhere);
    let q2_2022 = share(g, Topic::PlanActualisatie, quarter(2022, 2), anywhere);
    let q4_2024 = share(g, Topic::PlanActualisatie, quarter(2024, 4), anywhere);
    assert!(q2_2022 > 2.5 * quiet, "{quiet} vs {q2_2022}");
    assert!(q4_2024 > 2.5 * quiet, "{quiet} vs {q4_2024}");
}

#[test]
fn ownership_is_steady_everywhere() {
    let g = large();
    for year in 2020..=2026 {
        let s = share(g, Topic::Eigenaarschap, years(year, year), anywhere);
        assert!((0.05..=0.11).contains(&s), "{year}: {s}");
    }
    let regions: BTreeSet<&str> = items(g)
        .filter(|(_, i)| i.truth.topics.contains(&Topic::Eigenaarschap))
        .map(|(_, i)| i.region.as_str())
        .collect();
    assert_eq!(regions.len(), planted().active.len());
}

#[test]
fn facilities_are_loud_in_one_region_only() {
    let p = planted();
    for g in [sample(), large()] {
        let about: Vec<_> = items(g)
            .filter(|(_, i)| i.truth.topics.contains(&LOUD_TOPIC))
            .collect();
        let loud: Vec<_> = about.iter().filter(|(_, i)| i.region == p.loud).collect();
        assert!(
            loud.len() as f64 >= 0.9 * about.len() as f64,
            "{} of {}",
            loud.len(),
            about.len()
        );
        let in_period = loud
            .iter()
            .filter(|(s, _)| (LOUD_FROM..=LOUD_UNTIL).contains(&s.date))
            .count();
        assert!(in_period as f64 >= 0.95 * loud.len() as f64);
        assert!(loud.len() >= 30, "only {} loud items", loud.len());
        // Louder than a steady theme voiced everywhere, in the same years.
        let ownership = items(g)
            .filter(|(s, i)| {
                i.region == p.loud
                    && years(2023, 2025)(s.date)
                    && i.truth.topics.contains(&Topic::Eigenaarschap)
            })
            .count();
        assert!(loud.len() > 3 * ownership);
    }
}

#[test]
fn a_new_topic_emerges_in_2026_in_several_regions() {
    for g in [sample(), large()] {
        let about: Vec<_> = items(g)
            .filter(|(_, i)| i.truth.topics.contains(&NEW_TOPIC))
            .collect();
        assert!(about.iter().all(|(s, _)| s.date >= NEW_TOPIC_FROM));
        assert!(
            about
                .iter()
                .all(|(_, i)| i.themes.is_empty() && i.truth.topics.len() == 1)
        );
        let regions: BTreeSet<&str> = about.iter().map(|(_, i)| i.region.as_str()).collect();
        assert!(regions.len() >= 5, "{} regions", regions.len());
        assert!(about.len() >= 20, "{} items", about.len());
    }
}

#[test]
fn format_te_strak_rises() {
    let g = large();
    let tag_share = |from, to| {
        let sel: Vec<_> = g
            .sessions
            .iter()
            .filter(|s| years(from, to)(s.date))
            .collect();
        let tagged = sel
            .iter()
            .filter(|s| s.evaluation_tags.iter().any(|t| t == "format-te-strak"));
        tagged.count() as f64 / sel.len() as f64
    };
    assert!(tag_share(2025, 2026) > 2.5 * tag_share(2020, 2021));
}

#[test]
fn files_follow_the_input_formats() {
    let g = sample();
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = g
        .write_files(&dir.path().join("nieuw"))
        .expect("files written");
    let names: Vec<&str> = paths
        .iter()
        .filter_map(|p| p.file_name()?.to_str())
        .collect();
    assert_eq!(names, ["sessies.jsonl", "sessies.csv", "sessies.xlsx"]);
    let in_file = |f: SourceFile| g.sessions.iter().filter(move |s| s.file == f);

    // JSON Lines: one session per line, English keys, items nested.
    let jsonl = std::fs::read_to_string(&paths[0]).expect("jsonl");
    let lines: Vec<&str> = jsonl.lines().collect();
    assert_eq!(lines.len(), in_file(SourceFile::Jsonl).count());
    let session_keys = [
        "date",
        "programme",
        "group",
        "mode",
        "moderated",
        "participants",
        "regions_present",
        "cases_submitted",
        "cases_discussed",
        "evaluation_tags",
        "score",
        "next_meeting_planned",
        "items",
    ];
    let item_keys = ["kind", "region", "text", "themes", "escalate"];
    for line in &lines {
        let value: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
        let object = value.as_object().expect("an object per line");
        assert!(
            object.keys().all(|k| session_keys.contains(&k.as_str())),
            "{line}"
        );
        let date = object["date"].as_str().expect("date");
        assert!(NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok());
        for item in object["items"].as_array().expect("items") {
            let item = item.as_object().expect("item object");
            assert!(item.keys().all(|k| item_keys.contains(&k.as_str())));
        }
    }

    // CSV: BOM, semicolons, Dutch headers, DD-MM-YYYY, ja/nee, one row per item.
    let csv_bytes = std::fs::read(&paths[1]).expect("csv");
    assert!(csv_bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = std::str::from_utf8(&csv_bytes[3..]).expect("utf-8");
    assert!(
        text.starts_with("Datum;Programma;Groep;Vorm;Gemodereerd;Deelnemers;Regio's aanwezig;")
    );
    assert!(text.contains("\r\n"));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<std::result::Result<_, _>>()
        .expect("csv rows");
    let expected_rows: usize = in_file(SourceFile::Csv).map(|s| s.items.len()).sum();
    assert_eq!(rows.len(), expected_rows);
    for row in &rows {
        assert_eq!(row.len(), 17);
        assert!(
            NaiveDate::parse_from_str(&row[0], "%d-%m-%Y").is_ok(),
            "{}",
            &row[0]
        );
        assert!(["ja", "nee"].contains(&&row[4]) && ["ja", "nee"].contains(&&row[11]));
    }

    // XLSX: sheet "Sessies", the template's headers, real dates, one row per item.
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = calamine::open_workbook(&paths[2]).expect("xlsx");
    let range = workbook.worksheet_range("Sessies").expect("sheet Sessies");
    let mut sheet_rows = range.rows();
    let header: Vec<String> = sheet_rows
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[0], "datum");
    assert_eq!(header[6], "regio's aanwezig");
    let expected_rows: usize = in_file(SourceFile::Xlsx).map(|s| s.items.len()).sum();
    let body: Vec<&[Data]> = sheet_rows.collect();
    assert_eq!(body.len(), expected_rows);
    assert!(body.iter().all(|r| matches!(r[0], Data::DateTime(_))));
    assert!(body.iter().all(|r| matches!(r[5], Data::Float(_))));
}

#[test]
fn formats_without_sessions_get_no_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = generate(
        &GenerateOptions {
            sessions: 100,
            seed: 3,
        },
        registry_names(),
    );
    assert_eq!(big.write_files(dir.path()).expect("files").len(), 3);
    // One group: one moderator, one file; the earlier run's other files are gone.
    let small = generate(
        &GenerateOptions {
            sessions: 5,
            seed: 3,
        },
        registry_names(),
    );
    let written = small.write_files(dir.path()).expect("files");
    assert_eq!(written.len(), 1);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .collect();
    assert_eq!(left.len(), 1);
    assert!(written[0].exists());
}

/// Timing for the benchmark note: `cargo test -p ingest --release synthetic::tests::timing --
/// --ignored --nocapture`.
#[test]
#[ignore = "timing; run in release"]
fn timing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let start = std::time::Instant::now();
    let g = generate(
        &GenerateOptions {
            sessions: 20_000,
            seed: 1,
        },
        registry_names(),
    );
    let generated = start.elapsed();
    g.write_files(dir.path()).expect("files written");
    let total = start.elapsed();
    println!(
        "{} sessions, {} items: generate {:.2?}, generate + write {:.2?}",
        g.sessions.len(),
        g.item_count(),
        generated,
        total
    );
}
