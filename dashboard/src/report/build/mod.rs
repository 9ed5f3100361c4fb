//! From the trend data to a report [`Document`] for one period and one audience. Every number
//! comes through the disclosure layer (`analysis::trends::view`), exactly as on the dashboard:
//! a programme leader's report is made from their view, never from the national one.
//!
//! One module per part of the report: [`summary`], [`themes`], [`escalations`], [`sessions`]
//! and [`method`]; this one gathers what they share into a [`Context`].

mod escalations;
mod method;
mod sessions;
mod summary;
mod themes;

use std::collections::BTreeMap;

use analysis::trends::escalation::{self, Candidate, State};
use analysis::trends::evaluation::{Evaluations, evaluations};
use analysis::trends::view::{self, Audience, EscalationView, Labels, TrendView};
use analysis::trends::{Assessment, Period, TrendConfig, TrendData, TrendTable};
use chrono::{DateTime, NaiveDate, Utc};
use ingest::store::Store;

use super::document::{Document, Lang, Section};

/// What a report is made from: the same things the dashboard's snapshot holds.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub store: &'a Store,
    pub data: &'a TrendData,
    pub config: &'a TrendConfig,
    pub labels: &'a Labels,
    pub theme_order: &'a [String],
    pub taxonomy_version: u32,
}

/// Which report to make.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The period's label, e.g. `2026-Q3`, of the configured period kind.
    pub period: String,
    pub programme: Option<String>,
    pub audience: Audience,
    pub lang: Lang,
    /// The day the report is made: a period not yet over is reported as partial, up to today.
    pub today: NaiveDate,
    /// Printed in the report; the only thing that differs between two runs on the same data.
    pub generated_at: DateTime<Utc>,
}

/// What to do when a period has no sessions: choose a later one, or ingest first.
fn no_data_hint(first: Option<&str>) -> String {
    match first {
        Some(first) => format!("the data starts in {first}; choose a period from {first} on"),
        None => "ingest sessions first".to_owned(),
    }
}

/// The report's period could not be reported on.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(
        "\"{0}\" is not a {1} period: write it like {2} (the rules file sets the period length)"
    )]
    NotAPeriod(String, &'static str, String),
    #[error("{0} has not started yet (today is {1}): choose a period up to {2}")]
    Future(String, NaiveDate, String),
    /// No session up to the date; with the period of the first session, if there is one.
    #[error("there are no sessions up to {0}: {hint}", hint = no_data_hint(.1.as_deref()))]
    NoData(String, Option<String>),
    #[error(transparent)]
    Chart(#[from] crate::charts::ChartError),
    #[error(transparent)]
    Render(#[from] crate::report::RenderError),
    #[error(transparent)]
    Analysis(#[from] analysis::Error),
    #[error(transparent)]
    Store(#[from] ingest::Error),
}

impl ReportError {
    /// The request or the data is at fault, not the program (exit code 2).
    pub fn is_user_error(&self) -> bool {
        match self {
            ReportError::NotAPeriod(..) | ReportError::Future(..) | ReportError::NoData(..) => true,
            ReportError::Analysis(e) => e.is_user_error(),
            ReportError::Store(e) => e.is_user_error(),
            ReportError::Chart(_) | ReportError::Render(_) => false,
        }
    }
}

/// Everything the parts of a report read.
struct Context<'a> {
    sources: Sources<'a>,
    request: &'a Request,
    lang: Lang,
    period: Period,
    /// The last day the report covers: the period's end, or today while it runs.
    as_of: NaiveDate,
    /// The date of the newest session in the report.
    data_through: Option<NaiveDate>,
    /// The audience's view of the last periods up to the report's (at most eight).
    view: TrendView,
    /// The report's period in `view`.
    at: usize,
    /// Candidates of the escalation rule in the latest complete period (national only: empty
    /// for a programme leader).
    candidates: Vec<Candidate>,
    /// The escalation states the audience may see, with the day of their last change.
    escalations: Vec<(EscalationView, String)>,
    evaluations: Evaluations,
}

impl Context<'_> {
    fn national(&self) -> bool {
        self.request.audience.national_view()
    }

    fn t<'s>(&self, nl: &'s str, en: &'s str) -> &'s str {
        self.lang.pick(nl, en)
    }

    fn label(&self, theme: &str) -> String {
        let (nl, en) = self.sources.labels.get(theme);
        match self.lang {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    fn period_label(&self) -> String {
        self.period.label()
    }

    /// The report's period is still running.
    fn partial(&self) -> bool {
        self.view.periods[self.at].partial
    }

    /// The period whose rising/new flags the report gives: the report's own, or while it runs
    /// the one before (a running period is never tested).
    fn flag_at(&self) -> Option<usize> {
        (0..=self.at).rev().find(|&i| !self.view.periods[i].partial)
    }

    /// "d MMMM yyyy" in the report's language.
    fn date(&self, date: NaiveDate) -> String {
        long_date(date, self.lang)
    }
}

/// Makes the report `request` asks for.
pub fn build(sources: Sources<'_>, request: &Request) -> Result<Document, ReportError> {
    let context = context(sources, request)?;
    let sections: Vec<Section> = vec![
        summary::section(&context),
        themes::section(&context)?,
        escalations::section(&context),
        sessions::section(&context)?,
        method::section(&context)?,
    ];
    let lang = request.lang;
    Ok(Document {
        lang,
        title: format!(
            "{} {}",
            lang.pick("Trendrapport", "Trend report"),
            context.period_label()
        ),
        subtitle: subtitle(&context),
        generated: format!(
            "{} {}",
            lang.pick("Gegenereerd op", "Generated on"),
            request.generated_at.format("%Y-%m-%d %H:%M UTC")
        ),
        contents_title: lang.pick("Inhoud", "Contents").into(),
        page_footer: lang.pick("Pagina {n} van {m}", "Page {n} of {m}").into(),
        sections,
    })
}

/// The report's period, parsed and checked against today.
pub fn period(text: &str, config: &TrendConfig, today: NaiveDate) -> Result<Period, ReportError> {
    let kind = config.trend.period;
    let example = kind.of(today).label();
    let not_a_period =
        || ReportError::NotAPeriod(text.trim().into(), kind.as_str(), example.clone());
    let period = Period::parse(text, kind, false).map_err(|_| not_a_period())?;
    // "2026" or a date would parse too, as the period they start in: ask for the label itself.
    if !period.label().eq_ignore_ascii_case(text.trim()) {
        return Err(not_a_period());
    }
    if period.start() > today {
        return Err(ReportError::Future(period.label(), today, example));
    }
    Ok(period)
}

/// The latest complete period on `today`: the one the scheduled report is made for.
pub fn last_closed(config: &TrendConfig, today: NaiveDate) -> Period {
    config.trend.period.of(today).previous()
}

fn context<'a>(sources: Sources<'a>, request: &'a Request) -> Result<Context<'a>, ReportError> {
    let config = sources.config;
    let period = period(&request.period, config, request.today)?;
    let as_of = period.end().min(request.today);
    let data_through = sources
        .store
        .latest_session_date(&as_of.format("%Y-%m-%d").to_string())?
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    if data_through.is_none() || sources.data.sessions() == 0 {
        let first = sources
            .store
            .first_session_date()?
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
            .map(|d| config.trend.period.of(d).label());
        return Err(ReportError::NoData(as_of.to_string(), first));
    }
    let kind = config.trend.period;
    let audience = &request.audience;
    // The tables run one day past a closed period, so that it counts as complete (the period
    // after it is never shown); a running period ends today.
    let through = if period.end() < request.today {
        period.end() + chrono::Days::new(1)
    } else {
        request.today
    };
    let (table, assessment) = view::audience_table(
        sources.data,
        sources.theme_order,
        config,
        kind,
        request.programme.clone(),
        through,
        audience,
    )?;
    let label = period.label();
    let shown = view::shown_range(&table, None, Some(&label))?;
    let trend = view::trend_view(&table, &assessment, audience, sources.labels, shown)?;
    let at = trend
        .periods
        .iter()
        .rposition(|p| p.period == label)
        .ok_or_else(|| ReportError::NoData(as_of.to_string(), None))?;

    let (candidates, states) =
        escalation_picture(sources, request, through, (&table, &assessment))?;
    let updated: BTreeMap<String, String> = sources
        .store
        .escalations()?
        .into_iter()
        .map(|r| (r.theme, r.updated_at.chars().take(10).collect()))
        .collect();
    let escalations = view::escalation_view(&candidates, &states, audience, sources.labels)
        .into_iter()
        .map(|e| {
            let since = updated.get(&e.theme).cloned().unwrap_or_default();
            (e, since)
        })
        .collect();
    let evaluations = evaluations(
        sources.data,
        kind,
        through,
        view::evaluation_region(audience)?,
        &config.trend,
    )?;
    Ok(Context {
        sources,
        request,
        lang: request.lang,
        period,
        as_of,
        data_through,
        view: trend,
        at,
        candidates: if audience.national_view() {
            candidates
        } else {
            Vec::new()
        },
        escalations,
        evaluations,
    })
}

/// The rule's candidates in the latest complete period up to the report's (always over all
/// programmes and regions, as the rule is defined), with excerpts for the national version;
/// and every theme's escalation state.
fn escalation_picture(
    sources: Sources<'_>,
    request: &Request,
    as_of: NaiveDate,
    (table, assessment): (&TrendTable, &Assessment),
) -> Result<(Vec<Candidate>, BTreeMap<String, State>), ReportError> {
    let config = sources.config;
    let states = escalation::states(sources.store)?;
    if !request.audience.national_view() {
        return Ok((Vec::new(), states));
    }
    let national = Audience::national(config.disclosure.k);
    let own;
    let (table, assessment) = if request.programme.is_none() {
        (table, assessment)
    } else {
        own = view::audience_table(
            sources.data,
            sources.theme_order,
            config,
            config.trend.period,
            None,
            as_of,
            &national,
        )?;
        (&own.0, &own.1)
    };
    let mut candidates = escalation::latest_candidates(sources.data, table, assessment, config)?;
    escalation::add_excerpts(sources.store, &mut candidates, table, config)?;
    Ok((candidates, states))
}

fn subtitle(context: &Context<'_>) -> String {
    let request = context.request;
    let who = match &request.audience.region {
        Some(region) if !context.national() => format!(
            "{} {region}",
            context.t(
                "Versie voor de programmaleider van regio",
                "Version for the programme leader of region"
            )
        ),
        _ => context
            .t("Landelijke versie", "National version")
            .to_owned(),
    };
    let programme = request.programme.as_deref().map_or_else(
        || context.t("alle programma's", "all programmes").to_owned(),
        |p| format!("{} {p}", context.t("programma", "programme")),
    );
    let mut out = format!("{who} · {programme}");
    if context.partial() {
        out.push_str(&format!(
            " · {} {}",
            context.t("lopende periode, tot en met", "running period, up to"),
            context.date(context.as_of)
        ));
    }
    out
}

const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// "30 september 2026" / "30 September 2026".
pub fn long_date(date: NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Nl => format!(
            "{} {} {}",
            date.day(),
            MONTHS_NL[date.month0() as usize],
            date.year()
        ),
        Lang::En => date.format("%-d %B %Y").to_string(),
    }
}

/// A file-name and anchor safe form of an id: lower case ASCII letters, digits and dashes.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// A list in prose: "a, b en c".
fn and_list(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), lang.pick("en", "and")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_read_well() {
        assert_eq!(slug("docent_werkdruk"), "docent-werkdruk");
        assert_eq!(slug(" Werkdruk & planning "), "werkdruk-planning");
        assert_eq!(
            long_date(NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(), Lang::Nl),
            "30 september 2026"
        );
        assert_eq!(
            long_date(NaiveDate::from_ymd_opt(2026, 9, 3).unwrap(), Lang::En),
            "3 September 2026"
        );
        let items = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(and_list(&items, Lang::Nl), "a, b en c");
        assert_eq!(and_list(&items[..1], Lang::En), "a");
    }
}
