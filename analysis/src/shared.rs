//! "Is my signal shared?": for a text, its themes and, per theme, how many *other* regions
//! raised it per quarter of the window.
//!
//! The two audiences get their answer from different sources, so that what a programme leader
//! sees cannot depend on their free text beyond its themes:
//! - a national supporter ([`Source::Index`]) gets the distinct other regions over the window,
//!   their names, and the items most like the text (counted, with anonymised excerpts);
//! - a programme leader ([`Source::LeaderView`]) gets, for the themes of their text, the cells of
//!   the trend view made for them ([`crate::trends::view`]): other regions per quarter, "<k"
//!   below k. Nothing is computed from the text but its themes: counts of similar items, or of
//!   regions over a window, change with one word of the query or one region's below-k items,
//!   and comparing two answers would reveal a suppressed count.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::classify::Classifier;
pub use crate::disclosure::{DEFAULT_K, RegionCount, Role};
use crate::error::{Error, Result};
use crate::index::{Fields, ThemeIndex, calendar_date, stored_date, stored_text};
use crate::search::date_range;
use crate::trends::PeriodKind;
use crate::trends::view::TrendView;

/// Similar items looked at per request.
const SIMILAR_ITEMS: usize = 20;

/// Longest text accepted, in characters (the item limit of ingest).
const MAX_TEXT_CHARS: usize = 4_000;

#[derive(Debug, Clone)]
pub struct SharedRequest {
    pub text: String,
    /// The asker's region (canonical name).
    pub region: String,
    pub months: u32,
    pub role: Role,
    pub k: usize,
    /// The end of the window (today, normally).
    pub today: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodCount {
    /// e.g. "2026-Q3"
    pub period: String,
    /// The period is still running: its count is not a drop.
    pub partial: bool,
    pub other_regions: RegionCount,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeShare {
    pub theme: String,
    pub label_nl: String,
    pub label_en: String,
    /// Other regions that raised the theme in the window: national view only (a total over
    /// periods could reveal a programme leader's suppressed quarters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_regions: Option<RegionCount>,
    pub periods: Vec<PeriodCount>,
    /// National view only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_names: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Excerpt {
    pub region: String,
    pub date: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Similar {
    /// Similar items of other regions in the window (at most 20 are looked at); withheld when
    /// they come from fewer than k regions.
    pub items: Option<usize>,
    pub other_regions: RegionCount,
    /// National view only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpts: Option<Vec<Excerpt>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SharedResult {
    pub region: String,
    pub role: Role,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub k: usize,
    pub themes: Vec<ThemeShare>,
    /// National view only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similar: Option<Similar>,
}

/// Where an answer's counts come from: the index (national supporters), or the trend view made
/// for the asking programme leader (quarters, their own region counted apart).
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    Index(&'a ThemeIndex),
    LeaderView(&'a TrendView),
}

/// Answers a request from the source its role may use.
pub fn shared(
    classifier: &Classifier,
    request: &SharedRequest,
    source: Source<'_>,
) -> Result<SharedResult> {
    let text = request.text.trim();
    if text.is_empty() {
        return Err(Error::Invalid(
            "the text is empty; give the signal in a sentence or a few words".into(),
        ));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::Invalid(format!(
            "the text is longer than {MAX_TEXT_CHARS} characters; give the gist of the signal"
        )));
    }
    if request.months == 0 || request.months > 120 {
        return Err(Error::Invalid("--months must be between 1 and 120".into()));
    }
    let to = request.today;
    let from = to
        .checked_sub_months(Months::new(request.months))
        .unwrap_or(to);
    let found = classifier.classify(&[text])?.pop().unwrap_or_default();
    let taxonomy = classifier.taxonomy();
    let found: Vec<_> = found.into_iter().map(|t| &taxonomy.themes[t]).collect();
    let periods = quarters(from, to);
    let (themes, similar) = match (source, request.role) {
        (Source::Index(index), Role::Landelijk) => {
            let f = index.fields();
            let searcher = index.searcher();
            let mut themes = Vec::with_capacity(found.len());
            for theme in found {
                let query = BooleanQuery::new(vec![
                    (Occur::Must, term(f.themes, &theme.id)),
                    (Occur::Must, date_range(f, Some(from), Some(to))),
                    (Occur::MustNot, term(f.region, &request.region)),
                ]);
                let by_period = regions_per_period(&searcher, &query)?;
                let all: BTreeSet<&String> = by_period.values().flatten().collect();
                let count = |n| RegionCount::new(n, request.k, request.role);
                themes.push(ThemeShare {
                    theme: theme.id.clone(),
                    label_nl: theme.label_nl.clone(),
                    label_en: theme.label_en.clone(),
                    other_regions: Some(count(all.len())),
                    periods: periods
                        .iter()
                        .map(|(label, partial)| PeriodCount {
                            period: label.clone(),
                            partial: *partial,
                            other_regions: count(by_period.get(label).map_or(0, BTreeSet::len)),
                        })
                        .collect(),
                    region_names: Some(all.into_iter().cloned().collect()),
                });
            }
            let similar = similar(&searcher, f, text, request, from, to)?;
            (themes, Some(similar))
        }
        (Source::LeaderView(view), Role::Programmaleider) => {
            if view.role != Role::Programmaleider
                || view.region.as_deref() != Some(request.region.as_str())
                || view.period_kind != PeriodKind::Quarter
                || view.k != request.k
            {
                return Err(Error::Invalid(
                    "internal: a programme leader's answer needs the quarterly trend view made for their region".into(),
                ));
            }
            let themes = found
                .into_iter()
                .map(|theme| ThemeShare {
                    theme: theme.id.clone(),
                    label_nl: theme.label_nl.clone(),
                    label_en: theme.label_en.clone(),
                    other_regions: None,
                    periods: leader_periods(view, &theme.id, &periods),
                    region_names: None,
                })
                .collect();
            (themes, None)
        }
        _ => {
            return Err(Error::Invalid(
                "internal: national answers come from the index, a programme leader's from their trend view".into(),
            ));
        }
    };
    Ok(SharedResult {
        region: request.region.clone(),
        role: request.role,
        from,
        to,
        k: request.k,
        themes,
        similar,
    })
}

/// The cells of `theme` in a programme leader's trend view for the quarters of the window
/// (suppressed as the view suppresses them; a quarter the view does not hold is "<k").
fn leader_periods(view: &TrendView, theme: &str, periods: &[(String, bool)]) -> Vec<PeriodCount> {
    let row = view.themes.iter().find(|t| t.theme == theme);
    periods
        .iter()
        .map(|(label, partial)| PeriodCount {
            period: label.clone(),
            partial: *partial,
            other_regions: row
                .and_then(|row| row.cells.iter().find(|c| &c.period == label))
                .and_then(|c| c.other_regions)
                .unwrap_or(RegionCount::Below(view.k)),
        })
        .collect()
}

fn term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Distinct regions of the matching items, per quarter label.
fn regions_per_period(
    searcher: &Searcher,
    query: &dyn Query,
) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let docs = searcher.search(query, &DocSetCollector)?;
    let mut columns = Vec::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        columns.push((fast.str("region")?, fast.date("date")?));
    }
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut name = String::new();
    for DocAddress {
        segment_ord,
        doc_id,
    } in docs
    {
        let (regions, dates) = &columns[segment_ord as usize];
        let Some(regions) = regions else { continue };
        let Some(date) = dates.first(doc_id).and_then(calendar_date) else {
            continue;
        };
        for ord in regions.term_ords(doc_id) {
            name.clear();
            if regions.ord_to_str(ord, &mut name).unwrap_or(false) {
                out.entry(quarter(date)).or_default().insert(name.clone());
            }
        }
    }
    Ok(out)
}

/// The quarter label of a date, e.g. "2026-Q3".
pub fn quarter(date: NaiveDate) -> String {
    format!("{}-Q{}", date.year(), date.month0() / 3 + 1)
}

/// The quarters from `from` to `to`, each with whether it is still running on `to`.
fn quarters(from: NaiveDate, to: NaiveDate) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut at = NaiveDate::from_ymd_opt(from.year(), from.month0() / 3 * 3 + 1, 1).unwrap_or(from);
    while at <= to {
        let next = at.checked_add_months(Months::new(3)).unwrap_or(to);
        let partial = next > to.succ_opt().unwrap_or(to);
        out.push((quarter(at), partial));
        if next <= at {
            break;
        }
        at = next;
    }
    out
}

/// The items most like `text` (BM25 over its salient terms) from other regions in the window.
fn similar(
    searcher: &Searcher,
    f: &Fields,
    text: &str,
    request: &SharedRequest,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Similar> {
    let like = MoreLikeThisQuery::builder()
        .with_min_doc_frequency(1)
        .with_min_term_frequency(1)
        .with_min_word_length(3)
        .with_max_query_terms(16)
        .with_document_fields(vec![(f.text, vec![OwnedValue::Str(text.to_owned())])]);
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(like) as Box<dyn Query>),
        (Occur::Must, date_range(f, Some(from), Some(to))),
        (Occur::MustNot, term(f.region, &request.region)),
    ]);
    let top = searcher.search(&query, &TopDocs::with_limit(SIMILAR_ITEMS).order_by_score())?;
    let mut regions = BTreeSet::new();
    let mut excerpts = Vec::new();
    for (_, address) in &top {
        let doc: TantivyDocument = searcher.doc(*address)?;
        let region = stored_text(&doc, f.region);
        if request.role == Role::Landelijk {
            excerpts.push(Excerpt {
                region: region.clone(),
                date: stored_date(&doc, f.date),
                text: stored_text(&doc, f.text),
            });
        }
        regions.insert(region);
    }
    let other_regions = RegionCount::new(regions.len(), request.k, request.role);
    Ok(Similar {
        items: match other_regions {
            RegionCount::Exact(_) => Some(top.len()),
            RegionCount::Below(_) => None,
        },
        other_regions,
        excerpts: (request.role == Role::Landelijk).then_some(excerpts),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use ingest::store::{MentionRow, SessionRow};
    use proptest::prelude::*;

    use super::*;
    use crate::taxonomy::Taxonomy;
    use crate::trends::config::TrendConfig;
    use crate::trends::table::{TableRequest, TrendTable};
    use crate::trends::view::{self, Audience, Labels};
    use crate::trends::{Assessment, TrendData};

    const THEMES: [&str; 3] = ["docent_werkdruk", "corona", "bedrijfsleven"];

    /// Texts a leader might try, one word apart: the differencing attack.
    const TEXTS: [&str; 4] = [
        "De werkdruk van docenten is hoog",
        "De werkdruk van docenten is hoog, telefonisch",
        "Bedrijven bieden stageplaatsen en de werkdruk van docenten stijgt",
        "Corona en thuisonderwijs",
    ];

    fn classifier() -> &'static Classifier {
        static CLASSIFIER: std::sync::OnceLock<Classifier> = std::sync::OnceLock::new();
        CLASSIFIER.get_or_init(|| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/themes.toml");
            Classifier::new(Arc::new(Taxonomy::load(&path).unwrap()))
        })
    }

    fn region(r: usize) -> String {
        format!("Regio {r}")
    }

    /// Four quarters of 2026 with three sessions each, all six regions present (so changing
    /// who mentions what never changes a denominator); `mentions` are (quarter, session,
    /// region, theme).
    fn world(mentions: &[(usize, usize, usize, usize)]) -> TrendData {
        let mut sessions = Vec::new();
        for q in 0..4u32 {
            for s in 0..3u32 {
                sessions.push(SessionRow {
                    id: format!("s{q}-{s}"),
                    date: format!("2026-{:02}-{:02}", q * 3 + 1, 5 + 10 * s),
                    programme: "STO".into(),
                    regions: (0..6).map(region).collect(),
                    batch_id: 1,
                    ..SessionRow::default()
                });
            }
        }
        let rows: Vec<MentionRow> = mentions
            .iter()
            .map(|&(q, s, r, t)| MentionRow {
                session_id: format!("s{q}-{s}"),
                region: region(r),
                kind: "signaal".into(),
                theme: THEMES[t].into(),
                batch_id: 1,
            })
            .collect();
        TrendData::from_rows(sessions, rows).unwrap()
    }

    /// Everything a leader of `leader` gets for each of `texts`, as JSON.
    fn answers(texts: &[&str], data: &TrendData, leader: usize) -> Vec<String> {
        let classifier = classifier();
        let today = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        let audience = Audience::leader(&region(leader), DEFAULT_K);
        let order: Vec<String> = classifier
            .taxonomy()
            .themes
            .iter()
            .map(|t| t.id.clone())
            .collect();
        let request = TableRequest {
            kind: PeriodKind::Quarter,
            programme: None,
            as_of: today,
            region: Some(region(leader)),
        };
        let table = TrendTable::compute(data, &request, &order).unwrap();
        let assessment = Assessment::of(&table, &TrendConfig::default().trend);
        let all = 0..table.periods.len();
        let shown =
            view::trend_view(&table, &assessment, &audience, &Labels::default(), all).unwrap();
        texts
            .iter()
            .map(|text| {
                let request = SharedRequest {
                    text: (*text).into(),
                    region: region(leader),
                    months: 12,
                    role: Role::Programmaleider,
                    k: DEFAULT_K,
                    today,
                };
                let answer = shared(classifier, &request, Source::LeaderView(&shown)).unwrap();
                serde_json::to_string(&answer).unwrap()
            })
            .collect()
    }

    /// Other regions mentioning theme `t` in quarter `q`.
    fn others(
        mentions: &[(usize, usize, usize, usize)],
        leader: usize,
        q: usize,
        t: usize,
    ) -> Vec<usize> {
        let mut regions: Vec<usize> = mentions
            .iter()
            .filter(|m| m.0 == q && m.3 == t && m.2 != leader)
            .map(|m| m.2)
            .collect();
        regions.sort_unstable();
        regions.dedup();
        regions
    }

    #[test]
    fn a_leaders_answer_counts_nothing_from_the_free_text() {
        let data = world(&[(0, 0, 1, 0), (0, 1, 2, 0), (0, 2, 3, 0), (1, 0, 4, 1)]);
        let seen = answers(&TEXTS, &data, 0);
        for (text, answer) in TEXTS.iter().zip(&seen) {
            let value: serde_json::Value = serde_json::from_str(answer).unwrap();
            assert!(value.get("similar").is_none(), "{text}: {answer}");
            for theme in value["themes"].as_array().unwrap() {
                assert!(theme.get("other_regions").is_none(), "{answer}");
                assert!(theme.get("region_names").is_none(), "{answer}");
            }
            assert!(!answer.contains("Regio 1"), "{answer}");
        }
        // The property test below tries TEXTS[2] and TEXTS[3]: between them, every theme.
        let mut covered: Vec<String> = classifier()
            .classify_ids(&[TEXTS[2], TEXTS[3]])
            .unwrap()
            .concat();
        covered.sort();
        covered.dedup();
        assert!(
            THEMES.iter().all(|t| covered.iter().any(|c| c == t)),
            "{covered:?}"
        );
        // One word more changes nothing a leader sees: the text's themes are the same.
        assert_eq!(seen[0], seen[1]);
        // The quarter where three other regions raised workload shows 3; the rest "<3".
        let first: serde_json::Value = serde_json::from_str(&seen[0]).unwrap();
        let periods = &first["themes"][0]["periods"];
        assert_eq!(first["themes"][0]["theme"], "docent_werkdruk");
        assert_eq!(periods[0]["period"], "2026-Q1");
        assert_eq!(periods[0]["other_regions"], 3);
        assert_eq!(periods[1]["other_regions"], "<3");
    }

    #[test]
    fn a_leaders_answer_needs_their_own_trend_view() {
        let data = world(&[]);
        let today = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        let national = Audience::national(DEFAULT_K);
        let request = TableRequest {
            kind: PeriodKind::Quarter,
            programme: None,
            as_of: today,
            region: None,
        };
        let table = TrendTable::compute(&data, &request, &[]).unwrap();
        let assessment = Assessment::of(&table, &TrendConfig::default().trend);
        let shown =
            view::trend_view(&table, &assessment, &national, &Labels::default(), 0..1).unwrap();
        let asked = SharedRequest {
            text: TEXTS[0].into(),
            region: region(0),
            months: 12,
            role: Role::Programmaleider,
            k: DEFAULT_K,
            today,
        };
        assert!(shared(classifier(), &asked, Source::LeaderView(&shown)).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// A leader's answers stay byte for byte the same when another region's below-k
        /// contributions change (one region more or fewer in a suppressed cell), whatever
        /// texts they try.
        #[test]
        fn a_leaders_answers_ignore_other_regions_below_k_contributions(
            mentions in prop::collection::vec((0usize..4, 0usize..3, 0usize..6, 0usize..3), 0..50),
            leader in 0usize..6,
        ) {
            // What a leader sees depends on their text only through its themes: two texts
            // with all three themes between them cover it.
            let texts = [TEXTS[2], TEXTS[3]];
            let seen = answers(&texts, &world(&mentions), leader);
            for q in 0..4 {
                for (t, name) in THEMES.iter().enumerate() {
                    let present = others(&mentions, leader, q, t);
                    if present.len() >= DEFAULT_K {
                        continue;
                    }
                    let mut other_world = mentions.clone();
                    if let Some(&gone) = present.first() {
                        other_world.retain(|m| !(m.0 == q && m.3 == t && m.2 == gone));
                    } else {
                        other_world.push((q, 0, (leader + 1) % 6, t));
                    }
                    prop_assert_eq!(
                        &answers(&texts, &world(&other_world), leader),
                        &seen,
                        "quarter {} theme {}", q, name
                    );
                }
            }
        }
    }

    #[test]
    fn quarters_cover_the_window_and_mark_the_running_one() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let q = quarters(d(2025, 11, 23), d(2026, 11, 23));
        let labels: Vec<&str> = q.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            labels,
            ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
        );
        assert!(q[4].1, "the running quarter is partial");
        assert!(!q[3].1);
        // A window ending on a quarter's last day leaves that quarter complete.
        let q = quarters(d(2026, 1, 1), d(2026, 3, 31));
        assert_eq!(q, [("2026-Q1".to_owned(), false)]);
    }
}
