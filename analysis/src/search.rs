//! Full-text search over the index: the user's words (query syntax allowed, mistakes in it
//! treated as plain words), filters on theme, region and dates, newest first or by relevance,
//! with highlighted snippets.

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::{Fields, ThemeIndex, date_time, stored_date, stored_text};
use crate::taxonomy::Taxonomy;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

/// Characters of text around the matches in a snippet.
const SNIPPET_CHARS: usize = 180;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Newest,
    Relevance,
}

/// A search request. `region` must be a canonical region name (resolve aliases first).
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub theme: Option<String>,
    pub region: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub order: SortOrder,
    pub limit: usize,
}

/// One found item.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub item_id: String,
    pub date: String,
    pub region: String,
    pub kind: String,
    pub themes: Vec<String>,
    pub score: f32,
    /// The matching part of the text, matches between « and ».
    pub snippet: String,
    /// The same with matches in `<b>` tags, HTML-escaped.
    pub snippet_html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// All matching items (the hits are the first `limit`).
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Parts of the query that were read as plain words because their syntax was off.
    pub notes: Vec<String>,
}

/// Runs `request` against `index`.
pub fn search(
    index: &ThemeIndex,
    taxonomy: &Taxonomy,
    request: &SearchRequest,
) -> Result<SearchResult> {
    let text = request.query.trim();
    if text.is_empty() {
        return Err(Error::Invalid(
            "the search query is empty; give one or more words to look for".into(),
        ));
    }
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::Invalid(format!(
            "the search query is longer than {MAX_QUERY_CHARS} characters; use fewer, more telling words"
        )));
    }
    if let Some(theme) = &request.theme
        && taxonomy.theme(theme).is_none()
    {
        return Err(Error::Invalid(format!(
            "unknown theme {theme:?}; valid themes: {}",
            taxonomy.ids()
        )));
    }
    if let (Some(from), Some(to)) = (request.from, request.to)
        && from > to
    {
        return Err(Error::Invalid(format!(
            "--from {from} is after --to {to}; swap them"
        )));
    }
    // Syntax people may not use (`*`, ranges, other fields) is read as plain words.
    let (text, refused) = match crate::query_syntax::refused(text) {
        Some(why) => (crate::query_syntax::plain_words(text), Some(why)),
        None => (text.to_owned(), None),
    };
    if text.is_empty() {
        return Err(Error::Invalid(
            "the search query holds no words; give one or more words to look for".into(),
        ));
    }
    let f = index.fields();
    let mut parser = QueryParser::for_index(index.index(), vec![f.text]);
    parser.set_conjunction_by_default();
    let (parsed, errors) = parser.parse_query_lenient(&text);
    let notes = refused
        .map(|why| format!("read as plain words: {why}"))
        .into_iter()
        .chain(errors.iter().map(|e| e.to_string()))
        .collect();
    let searcher = index.searcher();
    let parsed = without_empty_exclusions(&searcher, parsed)?;
    let query = filtered(f, parsed, request);
    let limit = request.limit.max(1);
    let (total, addresses): (usize, Vec<(f32, DocAddress)>) = match request.order {
        SortOrder::Relevance => searcher.search(
            &query,
            &(Count, TopDocs::with_limit(limit).order_by_score()),
        )?,
        SortOrder::Newest => {
            let (total, found) = searcher.search(
                &query,
                &(
                    Count,
                    TopDocs::with_limit(limit).order_by_fast_field::<DateTime>("date", Order::Desc),
                ),
            )?;
            (total, found.into_iter().map(|(_, a)| (0.0, a)).collect())
        }
    };
    let mut snippets = SnippetGenerator::create(&searcher, &query, f.text)?;
    snippets.set_max_num_chars(SNIPPET_CHARS);
    let hits = addresses
        .into_iter()
        .map(|(score, address)| hit(&searcher, f, &snippets, score, address))
        .collect::<Result<_>>()?;
    Ok(SearchResult { total, hits, notes })
}

/// `query` with its negated clauses made safe for tantivy 0.27: its exclusion may ask a phrase
/// scorer that is exhausted in a segment (`-e-mail`) to seek backwards, which the scorer
/// refuses with a debug assertion (a panic in debug builds; found by fuzzing). A negated clause
/// that matches nothing is left out (it excludes nothing); any other is put in a union of two
/// copies of itself, which has the same matches and seeks its parts only forward.
fn without_empty_exclusions(searcher: &Searcher, query: Box<dyn Query>) -> Result<Box<dyn Query>> {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return Ok(query);
    };
    let mut clauses = Vec::with_capacity(boolean.clauses().len());
    for (occur, clause) in boolean.clauses() {
        let clause = without_empty_exclusions(searcher, clause.box_clone())?;
        if *occur == Occur::MustNot {
            if searcher.search(clause.as_ref(), &Count)? == 0 {
                continue;
            }
            // A union of two copies seeks its parts only forward, as tantivy's exclusion needs
            // (a phrase exhausted in one segment is otherwise asked to seek back).
            let union = BooleanQuery::union(vec![clause.box_clone(), clause]);
            clauses.push((Occur::MustNot, Box::new(union) as Box<dyn Query>));
            continue;
        }
        clauses.push((*occur, clause));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// The user's query with the filters as required clauses.
fn filtered(f: &Fields, text: Box<dyn Query>, request: &SearchRequest) -> BooleanQuery {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    let term = |field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    };
    if let Some(theme) = &request.theme {
        clauses.push((Occur::Must, term(f.themes, theme)));
    }
    if let Some(region) = &request.region {
        clauses.push((Occur::Must, term(f.region, region)));
    }
    if request.from.is_some() || request.to.is_some() {
        clauses.push((Occur::Must, date_range(f, request.from, request.to)));
    }
    BooleanQuery::new(clauses)
}

/// Items dated from `from` to `to`, both inclusive.
pub fn date_range(f: &Fields, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Box<dyn Query> {
    use std::ops::Bound;
    let lower = from.map_or(Bound::Unbounded, |d| {
        Bound::Included(Term::from_field_date(f.date, date_time(d)))
    });
    let upper = to.map_or(Bound::Unbounded, |d| {
        Bound::Included(Term::from_field_date(f.date, date_time(d)))
    });
    Box::new(RangeQuery::new(lower, upper))
}

fn hit(
    searcher: &Searcher,
    f: &Fields,
    snippets: &SnippetGenerator,
    score: f32,
    address: DocAddress,
) -> Result<Hit> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let text_of = |field| stored_text(&doc, field);
    let date = stored_date(&doc, f.date);
    let snippet = snippets.snippet_from_doc(&doc);
    let mut marked = String::new();
    let fragment = snippet.fragment();
    let mut at = 0;
    for range in snippet.highlighted() {
        marked.push_str(&fragment[at..range.start]);
        marked.push('«');
        marked.push_str(&fragment[range.clone()]);
        marked.push('»');
        at = range.end;
    }
    marked.push_str(&fragment[at..]);
    if marked.is_empty() {
        marked = text_of(f.text).chars().take(SNIPPET_CHARS).collect();
    }
    Ok(Hit {
        item_id: text_of(f.id),
        date,
        region: text_of(f.region),
        kind: text_of(f.kind),
        themes: doc
            .get_all(f.themes)
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        score,
        snippet: marked,
        snippet_html: snippet.to_html(),
    })
}
