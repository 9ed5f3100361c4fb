//! The bodies of the fuzz targets, shared by the cargo-fuzz binaries in `fuzz_targets/` and by
//! the replay test `dashboard/tests/fuzz_corpora.rs`, which runs every corpus file through the
//! same function on stable. Each function takes the raw input bytes and calls the project's
//! public entry points as a user's input reaches them: errors are fine, panics are not, and a
//! few invariants are asserted where they are easy to state.
//!
//! Fixed inputs (the region registry, the taxonomy, a slice of the sample sessions) are
//! compiled in with `include_str!`, relative to this file, so both builds find them.

// Each fuzz binary uses one of these functions.
#![allow(dead_code)]

use std::path::Path;
use std::sync::{Arc, OnceLock};

use analysis::classify::Classifier;
use analysis::index::ThemeIndex;
use analysis::search::{SearchRequest, SortOrder};
use analysis::taxonomy::Taxonomy;
use chrono::NaiveDate;
use ingest::anonymise::{Anonymiser, Redacted};
use ingest::batch::{IngestOptions, Pipeline};
use ingest::parse::{Format, parse_bytes};
use ingest::region::RegionRegistry;
use ingest::validate::Validator;

const REGIONS_TOML: &str = include_str!("../data/sample/regions.toml");
const THEMES_TOML: &str = include_str!("../data/themes.toml");
const SAMPLE_JSONL: &str = include_str!("../data/sample/sessies.jsonl");

/// Sessions of the sample that go into the search index: a small index is enough.
const INDEXED_SESSIONS: usize = 40;

/// Texts anonymised as one group (a session's items) in the anonymiser target.
const MAX_GROUP_TEXTS: usize = 16;

/// A fuzz target's body: one input, as bytes.
pub type Target = fn(&[u8]);

/// Every target by the name of its binary and corpus folder.
pub const TARGETS: [(&str, Target); 6] = [
    ("csv_reader", csv_reader),
    ("jsonl_reader", jsonl_reader),
    ("xlsx_reader", xlsx_reader),
    ("anonymiser", anonymiser),
    ("search_query", search_query),
    ("taxonomy", taxonomy),
];

fn regions() -> &'static RegionRegistry {
    static REGIONS: OnceLock<RegionRegistry> = OnceLock::new();
    REGIONS.get_or_init(|| {
        RegionRegistry::from_toml(REGIONS_TOML).expect("data/sample/regions.toml loads")
    })
}

fn validator() -> &'static Validator<'static> {
    static VALIDATOR: OnceLock<Validator<'static>> = OnceLock::new();
    VALIDATOR.get_or_init(|| Validator::new(regions()))
}

/// The anonymiser as the dashboard and the CLI build it: region names protected.
fn anonymiser_instance() -> &'static Anonymiser {
    static ANONYMISER: OnceLock<Anonymiser> = OnceLock::new();
    ANONYMISER.get_or_init(|| Anonymiser::for_regions(regions()))
}

fn sample_taxonomy() -> &'static Arc<Taxonomy> {
    static TAXONOMY: OnceLock<Arc<Taxonomy>> = OnceLock::new();
    TAXONOMY.get_or_init(|| {
        Arc::new(
            Taxonomy::parse(Path::new("data/themes.toml"), THEMES_TOML)
                .expect("data/themes.toml loads"),
        )
    })
}

/// An upload as `signaalradar serve` reads it: the format from the file name's extension,
/// then the bytes parsed into raw sessions, then each session validated.
fn read_upload(name: &str, data: &[u8]) {
    let format = Format::from_path(Path::new(name)).expect("a known extension");
    let parsed = match parse_bytes(format, name, data) {
        Ok(parsed) => parsed,
        Err(e) => {
            // The message is shown to the user: building it must not panic either.
            let _ = e.to_string();
            return;
        }
    };
    for error in &parsed.errors {
        let _ = error.to_string();
    }
    for raw in parsed.sessions {
        let location = raw.location.clone();
        match validator().session(raw) {
            Ok(session) => {
                let _ = format!("{session:?}");
            }
            Err(errors) => {
                assert!(!errors.is_empty(), "{location:?}: refused without a reason");
                for error in &errors {
                    let _ = error.to_string();
                }
            }
        }
    }
}

/// CSV (and TSV/TXT) uploads, with the encoding detection (UTF-8, UTF-16, Windows-1252) and
/// the delimiter sniffing.
pub fn csv_reader(data: &[u8]) {
    read_upload("upload.csv", data);
}

/// JSON Lines uploads.
pub fn jsonl_reader(data: &[u8]) {
    read_upload("upload.jsonl", data);
}

/// Spreadsheet uploads: calamine detects the workbook type (xlsx, xls, xlsb, ods) from the
/// bytes.
pub fn xlsx_reader(data: &[u8]) {
    read_upload("upload.xlsx", data);
}

/// The anonymiser on arbitrary UTF-8: the whole text alone, then its lines as the items of one
/// session in a batch (learn the batch's names, then anonymise the group).
pub fn anonymiser(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let anonymiser = anonymiser_instance();
    check_redacted(text, &anonymiser.anonymise(text));

    let texts: Vec<&str> = text.lines().take(MAX_GROUP_TEXTS).collect();
    let memory = anonymiser.learn_batch(texts.iter().copied());
    let group = anonymiser.anonymise_group_in_batch(&texts, &memory);
    assert_eq!(group.len(), texts.len(), "one result per text");
    for (text, redacted) in texts.iter().zip(&group) {
        check_redacted(text, redacted);
    }
}

/// What must hold for any anonymised text.
fn check_redacted(input: &str, redacted: &Redacted) {
    let counts = redacted.counts;
    if counts.total() == 0 {
        assert_eq!(
            redacted.text, input,
            "nothing was replaced, yet the text changed"
        );
    }
    // Each replacement leaves its placeholder (the input may hold some too).
    for (placeholder, n) in [
        ("[NAAM]", counts.names),
        ("[E-MAIL]", counts.emails),
        ("[TELEFOON]", counts.phones),
        ("[POSTCODE]", counts.postcodes),
        ("[BSN]", counts.bsns),
        ("[IBAN]", counts.ibans),
    ] {
        let found = redacted.text.matches(placeholder).count();
        assert!(
            found >= n as usize,
            "{n} × {placeholder} counted but {found} in the output"
        );
    }
    // A plain e-mail address standing alone in the input never survives.
    for token in input.split_whitespace() {
        if is_plain_email(token) {
            assert!(
                !redacted.text.contains(token),
                "the e-mail address {token:?} is still in the output {:?}",
                redacted.text
            );
        }
    }
}

/// `name@domain.tld` in lower-case ASCII letters and digits only: an address any reading of
/// the e-mail rule must take whole.
fn is_plain_email(token: &str) -> bool {
    let Some((local, domain)) = token.split_once('@') else {
        return false;
    };
    let Some((host, tld)) = domain.split_once('.') else {
        return false;
    };
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    plain(local)
        && plain(host)
        && (2..=6).contains(&tld.len())
        && tld.bytes().all(|b| b.is_ascii_lowercase())
}

/// A store with the first sessions of the sample, ingested, classified and indexed as
/// `signaalradar ingest` does it, in a temporary folder that lives as long as the process.
struct SearchFixture {
    _dir: tempfile::TempDir,
    index: ThemeIndex,
    theme: String,
    region: String,
}

fn search_fixture() -> &'static SearchFixture {
    static FIXTURE: OnceLock<SearchFixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut store = ingest::store::Store::open(dir.path()).expect("a new store");
        let lines: Vec<&str> = SAMPLE_JSONL.lines().take(INDEXED_SESSIONS).collect();
        let name = "sessies.jsonl".to_owned();
        let parsed = parse_bytes(Format::JsonLines, &name, lines.join("\n").as_bytes());
        struct Quiet;
        impl ingest::batch::Progress for Quiet {}
        Pipeline::new(regions(), anonymiser_instance())
            .ingest_parsed(
                &mut store,
                vec![(name, parsed)],
                &IngestOptions::default(),
                &Quiet,
            )
            .expect("the sample ingests");
        let classifier = Classifier::new(Arc::clone(sample_taxonomy()));
        let mut index = ThemeIndex::open(dir.path()).expect("a new index");
        let report = index
            .sync(&mut store, &classifier, false, &|_| {})
            .expect("the sample is indexed");
        assert!(report.indexed > 0, "the sample put items in the index");
        SearchFixture {
            _dir: dir,
            index,
            theme: sample_taxonomy().themes[0].id.clone(),
            region: regions().regions()[0].name.clone(),
        }
    })
}

/// A user's search query (UTF-8, as a web form or the CLI gives it) against a small index:
/// newest first without filters, and by relevance with every filter.
pub fn search_query(data: &[u8]) {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let fixture = search_fixture();
    let taxonomy = sample_taxonomy();
    let plain = SearchRequest {
        query: query.to_owned(),
        limit: 10,
        ..SearchRequest::default()
    };
    if let Ok(result) = analysis::search::search(&fixture.index, taxonomy, &plain) {
        assert!(result.hits.len() <= 10, "more hits than the limit");
        assert!(result.hits.len() <= result.total, "more hits than matches");
    }
    let filtered = SearchRequest {
        query: query.to_owned(),
        theme: Some(fixture.theme.clone()),
        region: Some(fixture.region.clone()),
        from: chrono_date(2020, 1, 1),
        to: chrono_date(2030, 12, 31),
        order: SortOrder::Relevance,
        limit: 3,
    };
    if let Ok(result) = analysis::search::search(&fixture.index, taxonomy, &filtered) {
        assert!(result.hits.len() <= 3, "more hits than the limit");
    }
}

fn chrono_date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A taxonomy (themes.toml) from arbitrary text, as `--taxonomy` or the data folder gives it;
/// a taxonomy that loads is also used to classify two texts.
pub fn taxonomy(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let taxonomy = match Taxonomy::parse(Path::new("themes.toml"), text) {
        Ok(taxonomy) => taxonomy,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    assert!(!taxonomy.themes.is_empty(), "a loaded taxonomy has themes");
    let themes = taxonomy.themes.len();
    let classifier = Classifier::new(Arc::new(taxonomy));
    let texts = [
        "Hoe krijgen we meer bedrijven betrokken bij de techniekles op school?",
        "Docenten missen tijd voor scholing; de subsidie loopt af.",
    ];
    if let Ok(found) = classifier.classify(&texts) {
        assert_eq!(found.len(), texts.len(), "one result per text");
        assert!(
            found.iter().flatten().all(|&theme| theme < themes),
            "a theme index out of range"
        );
    }
}
