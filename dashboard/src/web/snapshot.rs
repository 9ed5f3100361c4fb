//! The trend data the pages and the API read: loaded from the store once at start-up and again
//! after every ingest, never per request. Loading also records today's reading of the
//! escalation rule, as `signaalradar escalations` does.

use std::collections::BTreeMap;

use analysis::classify::Classifier;
use analysis::index::ThemeIndex;
use analysis::trends::escalation::{self, Candidate, State};
use analysis::trends::view::{Audience, Labels};
use analysis::trends::{Assessment, PeriodKind, TrendConfig, TrendData, TrendTable};
use chrono::NaiveDate;
use ingest::store::Store;

use super::AppError;

/// A theme of the taxonomy, as the pages name it.
#[derive(Debug, Clone)]
pub struct ThemeInfo {
    pub id: String,
    pub label_nl: String,
    pub label_en: String,
    pub description_nl: String,
    pub description_en: String,
}

#[derive(Debug)]
pub struct Snapshot {
    /// Grows with every reload; cache keys carry it.
    pub generation: u64,
    pub data: TrendData,
    pub labels: Labels,
    pub theme_order: Vec<String>,
    pub themes: Vec<ThemeInfo>,
    pub taxonomy_version: u32,
    pub programmes: Vec<String>,
}

impl Snapshot {
    pub fn load(
        store: &mut Store,
        index: &ThemeIndex,
        classifier: &Classifier,
        config: &TrendConfig,
        generation: u64,
        as_of: Option<NaiveDate>,
    ) -> Result<Snapshot, AppError> {
        // Only batches the index has classified: the counts and the search agree.
        let data = TrendData::load(store, index.classified_through()?)?;
        let taxonomy = classifier.taxonomy();
        let mut programmes = data.programmes().to_vec();
        programmes.sort();
        let snapshot = Snapshot {
            generation,
            labels: Labels::of(taxonomy),
            theme_order: taxonomy.themes.iter().map(|t| t.id.clone()).collect(),
            themes: taxonomy
                .themes
                .iter()
                .map(|t| ThemeInfo {
                    id: t.id.clone(),
                    label_nl: t.label_nl.clone(),
                    label_en: t.label_en.clone(),
                    description_nl: t.description_nl.clone(),
                    description_en: t.description_en.clone(),
                })
                .collect(),
            taxonomy_version: taxonomy.version,
            programmes,
            data,
        };
        // Today's reading of the rule is recorded; a look back (`as_of`) changes nothing.
        if as_of.is_none() {
            let (table, assessment) = snapshot.table(
                config,
                config.trend.period,
                None,
                chrono::Local::now().date_naive(),
                &Audience::national(config.disclosure.k),
            )?;
            let candidates = snapshot.candidates(&table, &assessment, config)?;
            let recorded = escalation::record_rule(store, &candidates)?;
            if !recorded.is_empty() {
                tracing::info!(changes = recorded.len(), "escalation rule recorded");
            }
        }
        Ok(snapshot)
    }

    pub fn theme(&self, id: &str) -> Option<&ThemeInfo> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// The trend table for `audience` and its assessment.
    pub fn table(
        &self,
        config: &TrendConfig,
        kind: PeriodKind,
        programme: Option<String>,
        as_of: NaiveDate,
        audience: &Audience,
    ) -> Result<(TrendTable, Assessment), AppError> {
        Ok(analysis::trends::view::audience_table(
            &self.data,
            &self.theme_order,
            config,
            kind,
            programme,
            as_of,
            audience,
        )?)
    }

    /// The rule's candidates in the latest complete period of a national, all-programme table.
    pub fn candidates(
        &self,
        table: &TrendTable,
        assessment: &Assessment,
        config: &TrendConfig,
    ) -> Result<Vec<Candidate>, AppError> {
        Ok(escalation::latest_candidates(
            &self.data, table, assessment, config,
        )?)
    }
}

/// Today's escalation picture (national): candidates with their dossiers and excerpts, and
/// every theme's state.
#[derive(Debug)]
pub struct Escalations {
    pub candidates: Vec<Candidate>,
    pub states: BTreeMap<String, State>,
}

impl Escalations {
    pub fn compute(
        snapshot: &Snapshot,
        store: &Store,
        config: &TrendConfig,
        today: NaiveDate,
    ) -> Result<Escalations, AppError> {
        let national = Audience::national(config.disclosure.k);
        let (table, assessment) =
            snapshot.table(config, config.trend.period, None, today, &national)?;
        let mut candidates = snapshot.candidates(&table, &assessment, config)?;
        escalation::add_excerpts(store, &mut candidates, &table, config)?;
        Ok(Escalations {
            candidates,
            states: escalation::states(store)?,
        })
    }
}

/// Which slice of the trends a page or API call asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    pub kind: Option<PeriodKind>,
    pub programme: Option<String>,
    /// Periods or dates as typed, e.g. "2024-Q1".
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Filters {
    /// A cache-key part.
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.kind.map_or("", PeriodKind::as_str),
            self.programme.as_deref().unwrap_or(""),
            self.from.as_deref().unwrap_or(""),
            self.to.as_deref().unwrap_or("")
        )
    }
}

/// The audience a logged-in user is: national supporters and programme leaders see trends.
pub fn audience(user: &super::auth::CurrentUser, k: usize) -> Result<Audience, AppError> {
    use ingest::store::UserRole;
    match (user.role(), &user.user.region) {
        (UserRole::Landelijk, _) => Ok(Audience::national(k)),
        (UserRole::Programmaleider, Some(region)) => Ok(Audience::leader(region, k)),
        _ => Err(AppError::Forbidden),
    }
}

/// The trend view (disclosure applied) for `audience` and `filters`, with the table and
/// assessment it came from.
pub fn trend_view(
    snapshot: &Snapshot,
    config: &TrendConfig,
    audience: &Audience,
    filters: &Filters,
    today: NaiveDate,
) -> Result<(analysis::trends::view::TrendView, TrendTable, Assessment), AppError> {
    use analysis::trends::view;
    let kind = filters.kind.unwrap_or(config.trend.period);
    let programme = filters.programme.clone().filter(|p| !p.trim().is_empty());
    let (table, assessment) = snapshot.table(config, kind, programme, today, audience)?;
    let range = view::shown_range(&table, filters.from.as_deref(), filters.to.as_deref())?;
    let shown = view::trend_view(&table, &assessment, audience, &snapshot.labels, range)?;
    Ok((shown, table, assessment))
}
