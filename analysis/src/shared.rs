//! "Is my signal shared?": for a programme leader's text, its themes and, per theme, how many
//! *other* regions raised it in the window and per period; plus the most similar items of other
//! regions, counted. Disclosure control: in the programme-leader view a count of regions below
//! k is shown as "<k" (zero included, so "none" and "one or two" look alike), and region names
//! and texts of other regions never appear. The national view (`Role::Landelijk`) shows names
//! and anonymised excerpts.

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
    /// Other regions that raised the theme in the window.
    pub other_regions: RegionCount,
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
    pub similar: Similar,
}

/// Answers a request.
pub fn shared(
    index: &ThemeIndex,
    classifier: &Classifier,
    request: &SharedRequest,
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
    let f = index.fields();
    let searcher = index.searcher();
    let taxonomy = classifier.taxonomy();
    let found = classifier.classify(&[text])?.pop().unwrap_or_default();
    let periods = quarters(from, to);
    let mut themes = Vec::with_capacity(found.len());
    for theme in found {
        let theme = &taxonomy.themes[theme];
        let query = BooleanQuery::new(vec![
            (Occur::Must, term(f.themes, &theme.id)),
            (Occur::Must, date_range(f, Some(from), Some(to))),
            (Occur::MustNot, term(f.region, &request.region)),
        ]);
        let by_period = regions_per_period(&searcher, &query)?;
        let all: BTreeSet<&String> = by_period.values().flatten().collect();
        themes.push(ThemeShare {
            theme: theme.id.clone(),
            label_nl: theme.label_nl.clone(),
            label_en: theme.label_en.clone(),
            other_regions: RegionCount::new(all.len(), request.k, request.role),
            periods: periods
                .iter()
                .map(|(label, partial)| PeriodCount {
                    period: label.clone(),
                    partial: *partial,
                    other_regions: RegionCount::new(
                        by_period.get(label).map_or(0, BTreeSet::len),
                        request.k,
                        request.role,
                    ),
                })
                .collect(),
            region_names: (request.role == Role::Landelijk)
                .then(|| all.into_iter().cloned().collect()),
        });
    }
    let similar = similar(&searcher, f, text, request, from, to)?;
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
    use super::*;

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
