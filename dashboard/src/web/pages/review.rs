//! *Beoordelen*: the review loop. National supporters and the beheerder see the items the
//! classification doubts — no theme at all, or a theme only the model gave — newest first,
//! with the suggested themes and why; one click confirms the suggestion, a corrected set of
//! themes, or "other" (none). A review counts at once (the item's themes, the index and the
//! trends are updated) and is a training example for `themes train`. Programme leaders never
//! see this page: it shows other regions' texts.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Redirect;
use ingest::store::{QueueItem, ThemeSource, UserRole};
use serde::Deserialize;

use super::Page;
use crate::web::AppState;
use crate::web::auth::CurrentUser;
use crate::web::error::AppError;
use crate::web::i18n::Lang;

/// Items per page of the queue.
const PER_PAGE: usize = 20;

/// Who reviews: they see every region's texts already.
pub const REVIEW_ROLES: &[UserRole] = &[UserRole::Landelijk, UserRole::Beheerder];

/// One theme of the taxonomy as a checkbox of an item.
#[derive(Debug, Clone)]
pub struct ThemeChoice {
    pub id: String,
    pub label: String,
    /// Suggested now (ticked).
    pub suggested: bool,
    /// Why, when suggested: "zoekvraag", "model 0,62", "tag".
    pub why: String,
}

#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub item_id: String,
    pub date: String,
    pub programme: String,
    pub kind: String,
    pub region: String,
    pub text: String,
    pub choices: Vec<ThemeChoice>,
    pub suggested_any: bool,
}

#[derive(Debug, Template, WebTemplate)]
#[template(path = "review.html")]
pub struct ReviewPage {
    page: Page,
    rows: Vec<ReviewRow>,
    waiting: usize,
    reviewed: usize,
    done: bool,
    next_offset: Option<usize>,
    /// The outcome of a retraining, in words.
    trained: Option<String>,
    trained_ok: bool,
}

#[derive(Debug, Deserialize)]
pub struct Paging {
    #[serde(default)]
    vanaf: usize,
    #[serde(default)]
    opgeslagen: Option<u8>,
    /// After retraining: the model version, the test split's micro-F1 before and after (in
    /// thousandths), and whether it was written.
    versie: Option<u32>,
    voor: Option<u32>,
    na: Option<u32>,
    geschreven: Option<u8>,
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(paging): Query<Paging>,
) -> Result<ReviewPage, AppError> {
    user.require(REVIEW_ROLES)?;
    let offset = paging.vanaf.min(1_000_000);
    let (queue, waiting, reviewed) = state
        .with_store(move |store| store.review_page(PER_PAGE, offset))
        .await?;
    let snapshot = state.snapshot();
    let rows = queue
        .into_iter()
        .map(|item| row(item, &snapshot, lang))
        .collect();
    let next_offset = (offset + PER_PAGE < waiting).then_some(offset + PER_PAGE);
    let t = lang.texts();
    let trained = match (paging.versie, paging.voor, paging.na) {
        (Some(version), Some(before), Some(after)) => Some(
            if paging.geschreven == Some(1) {
                t.retrain_written
            } else {
                t.retrain_refused
            }
            .replace("{version}", &version.to_string())
            .replace(
                "{before}",
                &super::decimal(f64::from(before) / 1000.0, 3, lang),
            )
            .replace(
                "{after}",
                &super::decimal(f64::from(after) / 1000.0, 3, lang),
            ),
        ),
        _ => None,
    };
    Ok(ReviewPage {
        page: Page::new(lang, Some(&user), lang.texts().review_title, "/beoordelen"),
        rows,
        waiting,
        reviewed,
        done: paging.opgeslagen.is_some(),
        next_offset,
        trained,
        trained_ok: paging.geschreven == Some(1),
    })
}

fn row(item: QueueItem, snapshot: &crate::web::snapshot::Snapshot, lang: Lang) -> ReviewRow {
    let choices: Vec<ThemeChoice> = snapshot
        .themes
        .iter()
        .map(|theme| {
            let given = item.themes.iter().find(|t| t.theme == theme.id);
            ThemeChoice {
                id: theme.id.clone(),
                label: match lang {
                    Lang::Nl => theme.label_nl.clone(),
                    Lang::En => theme.label_en.clone(),
                },
                suggested: given.is_some(),
                why: given.map_or_else(String::new, |t| match t.source {
                    ThemeSource::Query => lang.texts().review_why_query.to_owned(),
                    ThemeSource::Model => format!(
                        "{} {}",
                        lang.texts().review_why_model,
                        super::decimal(t.probability.unwrap_or_default(), 2, lang)
                    ),
                    ThemeSource::Tag | ThemeSource::Both => lang.texts().review_why_tag.to_owned(),
                }),
            }
        })
        .collect();
    ReviewRow {
        suggested_any: choices.iter().any(|c| c.suggested),
        item_id: item.item_id,
        date: item.date,
        programme: item.programme,
        kind: item.kind,
        region: item.region,
        text: item.text,
        choices,
    }
}

/// The themes a review form chose: `actie=bevestig` takes the suggested themes (sent as
/// `voorstel`), `actie=corrigeer` the ticked ones (`thema`), `actie=overig` none.
fn chosen(fields: &[(String, String)]) -> Result<(String, Vec<String>), AppError> {
    let get = |name: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let action = get("actie").into_iter().next().unwrap_or_default();
    let themes = match action.as_str() {
        "bevestig" => get("voorstel"),
        "corrigeer" => get("thema"),
        "overig" => Vec::new(),
        other => {
            return Err(AppError::BadRequest(format!(
                "onbekende actie {:?}: kies bevestigen, corrigeren of overig",
                ingest::error::cut(other, 40)
            )));
        }
    };
    Ok((action, themes))
}

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(item_id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Redirect, AppError> {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    user.check_csrf(csrf)?;
    user.require(REVIEW_ROLES)?;
    let (action, themes) = chosen(&fields)?;
    if action == "corrigeer" && themes.is_empty() {
        return Err(AppError::BadRequest(
            "Kies minstens één thema, of kies 'Overig' als geen thema past.".into(),
        ));
    }
    let vanaf = fields
        .iter()
        .find(|(k, _)| k == "vanaf")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    record(&state, &user, "web", &item_id, themes).await?;
    tracing::info!(action = %action, "item themes reviewed");
    Ok(Redirect::to(&format!(
        "/beoordelen?opgeslagen=1&vanaf={vanaf}"
    )))
}

#[derive(Debug, Deserialize)]
pub struct TrainForm {
    csrf: String,
}

/// Retrains the theme model from the labelled files and every review, as `themes train` does:
/// the real test split's micro-F1 before and after is shown, and a model that scores worse is
/// refused. A better one is written, every item reclassified with it, and the change audited.
pub async fn train(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<TrainForm>,
) -> Result<Redirect, AppError> {
    user.check_csrf(Some(&form.csrf))?;
    user.require(REVIEW_ROLES)?;
    let actor = format!("web:{}", user.user.name);
    let (version, before, after, written) = state
        .with_ingest(move |state, store, index| {
            let files = state.training_files().clone();
            for path in files.real.iter().chain(&files.train).chain([&files.test]) {
                if !path.exists() {
                    return Err(AppError::BadRequest(format!(
                        "Trainen kan hier niet: het bestand {} ontbreekt. Start de server in de projectmap, of train met signaalradar themes train.",
                        path.display()
                    )));
                }
            }
            let current = state.classifier();
            let retrained = crate::commands::themes_train::retrain(
                &current,
                &files.real,
                &files.train,
                &files.test,
                store.reviewed_texts()?,
                "reviewed items",
            )
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
            let version = retrained.model.version;
            let (before, after) = (retrained.before.micro.f1, retrained.after.micro.f1);
            if retrained.worse {
                return Ok((version, before, after, false));
            }
            retrained
                .model
                .save(state.model_file())
                .map_err(|e| AppError::Internal(format!("cannot write the model: {e}")))?;
            let classifier = std::sync::Arc::new(analysis::classify::Classifier::with_model(
                current.shared_taxonomy(),
                Some(std::sync::Arc::new(retrained.model.clone())),
            ));
            state.replace_classifier(store, index, classifier)?;
            store.audit(
                &actor,
                ingest::store::AuditAction::ModelChanged,
                serde_json::json!({
                    "model_version": version,
                    "statements": retrained.model.training.statements,
                    "test_micro_f1_before": before,
                    "test_micro_f1_after": after,
                }),
            )?;
            Ok((version, before, after, true))
        })
        .await?;
    tracing::info!(version, written, "theme model retrained");
    let thousandths = |f: f64| (f * 1000.0).round() as u32;
    Ok(Redirect::to(&format!(
        "/beoordelen?versie={version}&voor={}&na={}&geschreven={}",
        thousandths(before),
        thousandths(after),
        u8::from(written)
    )))
}

/// Records a review (store, index, trends) for `user`; shared by the page (`channel` "web")
/// and the API ("api"), which the audit log tells apart.
pub async fn record(
    state: &AppState,
    user: &CurrentUser,
    channel: &str,
    item_id: &str,
    themes: Vec<String>,
) -> Result<ingest::store::Review, AppError> {
    let classifier = state.classifier();
    let reviewer = user.user.name.clone();
    let actor = format!("{channel}:{reviewer}");
    let item_id = item_id.to_owned();
    state
        .with_ingest(move |_, store, index| {
            Ok(index.review(store, &classifier, &item_id, &themes, &reviewer, &actor)?)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_three_actions_choose_their_themes() {
        let form = fields(&[
            ("actie", "bevestig"),
            ("voorstel", "corona"),
            ("thema", "wetgeving"),
        ]);
        assert_eq!(chosen(&form).unwrap().1, ["corona"]);
        let form = fields(&[
            ("actie", "corrigeer"),
            ("voorstel", "corona"),
            ("thema", "wetgeving"),
            ("thema", "leerlijnen"),
        ]);
        assert_eq!(chosen(&form).unwrap().1, ["wetgeving", "leerlijnen"]);
        let form = fields(&[("actie", "overig"), ("thema", "wetgeving")]);
        assert!(chosen(&form).unwrap().1.is_empty());
        assert!(chosen(&fields(&[("actie", "wis")])).is_err());
    }
}
