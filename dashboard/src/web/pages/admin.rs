//! *Beheer*: accounts (add, disable, enable), the region registry, the taxonomy version, and
//! groups of unthemed items that could become new themes.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::Redirect;
use ingest::store::{AuditAction, User, UserRole};
use serde::Deserialize;

use super::Page;
use crate::web::AppState;
use crate::web::auth::{self, CurrentUser};
use crate::web::error::AppError;
use crate::web::i18n::Lang;

/// Shortest password accepted.
pub use crate::web::auth::MIN_PASSWORD;

#[derive(Debug)]
pub struct Clusters {
    pub unmatched: usize,
    pub rows: Vec<ClusterRow>,
}

/// A candidate theme as shown: its words and phrases as written, items, regions and a few
/// (anonymised) example texts.
#[derive(Debug)]
pub struct ClusterRow {
    pub terms: String,
    pub phrases: String,
    pub items: usize,
    pub regions: usize,
    pub examples: Vec<String>,
}

#[derive(Debug)]
pub struct RegionRow {
    pub name: String,
    pub aliases: String,
    pub province: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Template, WebTemplate)]
#[template(path = "admin.html")]
pub struct AdminPage {
    page: Page,
    users: Vec<User>,
    roles: Vec<(&'static str, &'static str)>,
    /// The registry as listed: name, aliases, province, sources.
    regions: Vec<RegionRow>,
    regions_version: u32,
    /// The registry version an addition was just saved as.
    regions_saved: Option<u32>,
    taxonomy_version: u32,
    themes: Vec<(String, String)>,
    clusters: std::sync::Arc<Clusters>,
    added: bool,
    /// The query the new-theme form starts with (a cluster's top terms).
    proposal: String,
    adopted: Option<u32>,
    coverage: Vec<super::overview::CoverageRow>,
    coverage_warning: Option<String>,
    /// Per theme (id, label): its queries, for moving one to another theme.
    queries: Vec<(String, String, Vec<String>)>,
    edited: Option<u32>,
}

impl AdminPage {
    fn role_label(&self, role: &UserRole) -> &'static str {
        self.page.t.role(*role)
    }
}

#[derive(Debug, Deserialize)]
pub struct AdminQuery {
    toegevoegd: Option<String>,
    /// A cluster (by position) whose top terms prefill the new-theme form.
    voorstel: Option<usize>,
    /// The version a merge or a moved query was just adopted in.
    bewerkt: Option<u32>,
    /// The version a theme was just adopted in.
    versie: Option<u32>,
    /// The registry version a region or alias was just saved in.
    regios: Option<u32>,
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(query): Query<AdminQuery>,
) -> Result<AdminPage, AppError> {
    user.require(&[UserRole::Beheerder])?;
    let users = state.with_store(|store| store.users()).await?;
    let clusters = state
        .cached("admin:clusters".into(), |state, _| {
            let store = state.lock_store()?;
            let found = analysis::candidates::candidates(&store)?;
            Ok(Clusters {
                unmatched: found.unmatched,
                rows: found
                    .clusters
                    .into_iter()
                    .map(|c| ClusterRow {
                        terms: c.top_terms.join(", "),
                        phrases: c
                            .phrases
                            .iter()
                            .map(|p| format!("“{p}”"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        items: c.items,
                        regions: c.regions,
                        examples: c.examples,
                    })
                    .collect(),
            })
        })
        .await?;
    let kind = state.config().trend.period;
    let coverage = state
        .cached("admin:coverage".into(), move |state, _| {
            let store = state.lock_store()?;
            Ok(analysis::coverage::Coverage::of_store(
                &store,
                kind,
                state.today(),
            )?)
        })
        .await?;
    let (coverage, coverage_warning) = super::overview::coverage_rows(&coverage, lang);
    let t = lang.texts();
    let snapshot = state.snapshot();
    let regions = state.regions();
    Ok(AdminPage {
        page: Page::new(lang, Some(&user), t.admin_title, "/beheer"),
        users,
        roles: UserRole::ALL
            .iter()
            .map(|r| (r.as_str(), t.role(*r)))
            .collect(),
        regions: regions
            .regions()
            .iter()
            .map(|r| RegionRow {
                name: r.name.clone(),
                aliases: r.aliases.join("; "),
                province: r.province.clone().unwrap_or_default(),
                sources: r.sources.clone(),
            })
            .collect(),
        regions_version: regions.version(),
        regions_saved: query.regios,
        taxonomy_version: snapshot.taxonomy_version,
        themes: snapshot
            .themes
            .iter()
            .map(|t| (t.id.clone(), lang.pick(&t.label_nl, &t.label_en).to_owned()))
            .collect(),
        proposal: query
            .voorstel
            .and_then(|i| clusters.rows.get(i))
            .map(|row| row.terms.replace(", ", " "))
            .unwrap_or_default(),
        clusters,
        added: query.toegevoegd.is_some(),
        adopted: query.versie,
        coverage,
        coverage_warning,
        queries: state
            .classifier()
            .taxonomy()
            .themes
            .iter()
            .map(|t| {
                (
                    t.id.clone(),
                    lang.pick(&t.label_nl, &t.label_en).to_owned(),
                    t.queries
                        .iter()
                        .map(|q| ingest::error::cut(q, 80))
                        .collect(),
                )
            })
            .collect(),
        edited: query.bewerkt,
    })
}

#[derive(Deserialize)]
pub struct NewUser {
    csrf: String,
    naam: String,
    rol: String,
    regio: Option<String>,
    wachtwoord: String,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("naam", &self.naam)
            .field("rol", &self.rol)
            .finish_non_exhaustive()
    }
}

/// Checks a new account's fields; returns the role and the canonical region.
pub fn check_new_user(
    state: &AppState,
    name: &str,
    role: &str,
    region: Option<&str>,
    password: &str,
) -> Result<(UserRole, Option<String>), AppError> {
    let role = UserRole::parse(role).ok_or_else(|| {
        AppError::BadRequest(format!(
            "onbekende rol {role:?}: kies beheerder, landelijk, programmaleider of invoerder"
        ))
    })?;
    if name.trim().is_empty() {
        return Err(AppError::BadRequest("geef een gebruikersnaam".into()));
    }
    if !crate::web::auth::password_acceptable(password) {
        return Err(AppError::BadRequest(format!(
            "een wachtwoord heeft minstens {MIN_PASSWORD} tekens (spaties aan begin en eind tellen niet mee), waarvan minstens vijf verschillende"
        )));
    }
    let region = region.map(str::trim).filter(|r| !r.is_empty());
    let region = match (role, region) {
        (UserRole::Programmaleider, Some(r)) => Some(
            state
                .regions()
                .resolve(r)
                .map(|r| r.name.clone())
                .ok_or_else(|| AppError::BadRequest(format!("onbekende regio {r:?}")))?,
        ),
        (UserRole::Programmaleider, None) => {
            return Err(AppError::BadRequest(
                "een programmaleider hoort bij één regio: kies die".into(),
            ));
        }
        (_, _) => None,
    };
    Ok((role, region))
}

pub async fn add_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NewUser>,
) -> Result<Redirect, AppError> {
    user.check_csrf(Some(&form.csrf))?;
    user.require(&[UserRole::Beheerder])?;
    let (role, region) = check_new_user(
        &state,
        &form.naam,
        &form.rol,
        form.regio.as_deref(),
        &form.wachtwoord,
    )?;
    let password = form.wachtwoord;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    let name = form.naam;
    let actor = format!("web:{}", user.user.name);
    state
        .with_store_mut(move |store| {
            store.add_user(&name, role, region.as_deref(), &hash)?;
            store.audit(
                &actor,
                AuditAction::AccountAdded,
                serde_json::json!({"name": name.trim(), "role": role.as_str(), "region": region}),
            )
        })
        .await?;
    tracing::info!(role = %role, "account added");
    Ok(Redirect::to("/beheer?toegevoegd=1"))
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    csrf: String,
    /// "uit" disables, "aan" enables.
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Redirect, AppError> {
    user.check_csrf(Some(&form.csrf))?;
    user.require(&[UserRole::Beheerder])?;
    let disabled = match form.status.as_str() {
        "uit" => true,
        "aan" => false,
        other => return Err(AppError::BadRequest(format!("onbekende status {other:?}"))),
    };
    if disabled && id == user.user.id {
        return Err(AppError::BadRequest(
            "je kunt je eigen account niet uitschakelen".into(),
        ));
    }
    let target = state
        .with_store(|store| store.users())
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or_else(|| AppError::NotFound(format!("no account {id}")))?;
    let actor = format!("web:{}", user.user.name);
    state
        .with_store_mut(move |store| {
            store.set_user_disabled(&target.name, disabled)?;
            let action = if disabled {
                AuditAction::AccountDisabled
            } else {
                AuditAction::AccountEnabled
            };
            store.audit(&actor, action, serde_json::json!({"name": target.name}))
        })
        .await?;
    state.sessions().remove_user(id);
    Ok(Redirect::to("/beheer"))
}

#[derive(Deserialize)]
pub struct NewTheme {
    csrf: String,
    id: String,
    label_nl: String,
    label_en: String,
    beschrijving: String,
    zoekvraag: String,
}

impl std::fmt::Debug for NewTheme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewTheme")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// The taxonomy file with `theme` added and its version raised by one. The file's comments and
/// layout stay; the result is checked by loading it before anything is written.
pub fn with_theme(text: &str, theme: &NewTheme) -> Result<String, AppError> {
    let id = theme.id.trim();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Err(AppError::BadRequest(
            "een thema-id bestaat uit kleine letters en _, bijv. stage_begeleiding".into(),
        ));
    }
    for (field, value) in [
        ("label (nl)", &theme.label_nl),
        ("label (en)", &theme.label_en),
        ("beschrijving", &theme.beschrijving),
        ("zoekvraag", &theme.zoekvraag),
    ] {
        if value.trim().is_empty() {
            return Err(AppError::BadRequest(format!("vul {field} in")));
        }
    }
    let version_line = regex::Regex::new(r"(?m)^version\s*=\s*(\d+)\s*$")
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let current: u32 = version_line
        .captures(text)
        .and_then(|c| c[1].parse().ok())
        .ok_or_else(|| AppError::Internal("the taxonomy file has no `version = N` line".into()))?;
    let quoted = |s: &str| toml::Value::String(s.trim().to_owned()).to_string();
    let mut out = version_line
        .replace(text, format!("version = {}", current + 1).as_str())
        .into_owned();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!(
        "\n[[theme]]\nid = {}\nlabel_nl = {}\nlabel_en = {}\ndescription_nl = {}\ndescription_en = {}\nqueries = [\n  {},\n]\n",
        quoted(id),
        quoted(&theme.label_nl),
        quoted(&theme.label_en),
        quoted(&theme.beschrijving),
        quoted(&theme.beschrijving),
        quoted(&theme.zoekvraag),
    ));
    Ok(out)
}

/// Adopts a candidate as a new theme: a new taxonomy version, every item reclassified.
pub async fn add_theme(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NewTheme>,
) -> Result<Redirect, AppError> {
    user.check_csrf(Some(&form.csrf))?;
    user.require(&[UserRole::Beheerder])?;
    if state.snapshot().theme(form.id.trim()).is_some() {
        return Err(AppError::BadRequest(format!(
            "er is al een thema {:?}",
            form.id.trim()
        )));
    }
    let path = state.themes_file().to_owned();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| AppError::Internal(format!("cannot read {}: {e}", path.display())))?;
    let version = state.adopt_taxonomy(with_theme(&text, &form)?).await?;
    let (actor, theme) = (format!("web:{}", user.user.name), form.id.trim().to_owned());
    state
        .with_store(move |store| {
            store.audit(
                &actor,
                AuditAction::TaxonomyChanged,
                serde_json::json!({"version": version, "theme_added": theme}),
            )
        })
        .await?;
    tracing::info!(version, "theme adopted; every item reclassified");
    Ok(Redirect::to(&format!("/beheer?versie={version}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_theme_raises_the_version_and_keeps_the_file() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/themes.toml"),
        )
        .unwrap();
        let theme = NewTheme {
            csrf: String::new(),
            id: "stage".into(),
            label_nl: "Stage \"en\" BPV".into(),
            label_en: "Work placements".into(),
            beschrijving: "Stages.".into(),
            zoekvraag: "stage stages bpv".into(),
        };
        let out = with_theme(&text, &theme).unwrap();
        let taxonomy =
            analysis::taxonomy::Taxonomy::parse(std::path::Path::new("themes.toml"), &out).unwrap();
        let before =
            analysis::taxonomy::Taxonomy::parse(std::path::Path::new("themes.toml"), &text)
                .unwrap();
        assert_eq!(taxonomy.version, before.version + 1);
        assert_eq!(taxonomy.themes.len(), before.themes.len() + 1);
        assert_eq!(taxonomy.themes.last().unwrap().label_nl, "Stage \"en\" BPV");
        assert!(out.starts_with("# Signaalradar theme taxonomy"));
        let bad = NewTheme {
            id: "Stage!".into(),
            ..theme
        };
        assert!(with_theme(&text, &bad).is_err());
    }
}

#[derive(Deserialize)]
pub struct MergeForm {
    csrf: String,
    van: String,
    naar: String,
}

/// Merges two themes as a new taxonomy version: checked, every item reclassified (tags and
/// reviews of the merged theme move along), audited.
pub async fn merge_themes(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<MergeForm>,
) -> Result<Redirect, AppError> {
    user.check_csrf(Some(&form.csrf))?;
    user.require(&[UserRole::Beheerder])?;
    let text = read_taxonomy(&state)?;
    let edited = analysis::taxonomy_edit::merge(&text, &form.van, &form.naar)?;
    let (from, into) = (form.van.clone(), form.naar.clone());
    let version = state
        .adopt_taxonomy_with(edited.text, move |store| {
            store.merge_theme_labels(&from, &into).map(|_| ())
        })
        .await?;
    audit_edit(
        &state,
        &user,
        AuditAction::TaxonomyChanged,
        serde_json::json!({"version": version, "merged": form.van, "into": form.naar}),
    )
    .await?;
    Ok(Redirect::to(&format!("/beheer?bewerkt={version}")))
}

#[derive(Deserialize)]
pub struct MoveForm {
    csrf: String,
    /// "theme_id:number" (0-based).
    zoekvraag: String,
    naar: String,
}

/// Moves one query to another theme as a new taxonomy version.
pub async fn move_query(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<MoveForm>,
) -> Result<Redirect, AppError> {
    user.check_csrf(Some(&form.csrf))?;
    user.require(&[UserRole::Beheerder])?;
    let (from, number) = form
        .zoekvraag
        .rsplit_once(':')
        .and_then(|(t, n)| Some((t.to_owned(), n.parse::<usize>().ok()?)))
        .ok_or_else(|| AppError::BadRequest("kies een zoekvraag uit de lijst".into()))?;
    let text = read_taxonomy(&state)?;
    let edited = analysis::taxonomy_edit::move_query(&text, &from, number, &form.naar)?;
    let version = state.adopt_taxonomy(edited.text).await?;
    audit_edit(
        &state,
        &user,
        AuditAction::TaxonomyChanged,
        serde_json::json!({"version": version, "query_moved": {"from": from, "number": number + 1, "to": form.naar}}),
    )
    .await?;
    Ok(Redirect::to(&format!("/beheer?bewerkt={version}")))
}

fn read_taxonomy(state: &AppState) -> Result<String, AppError> {
    let path = state.themes_file().to_owned();
    std::fs::read_to_string(&path)
        .map_err(|e| AppError::Internal(format!("cannot read {}: {e}", path.display())))
}

/// Logs an edit of the taxonomy or the region registry by `user` in the audit log.
async fn audit_edit(
    state: &AppState,
    user: &CurrentUser,
    action: AuditAction,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let actor = format!("web:{}", user.user.name);
    state
        .with_store(move |store| store.audit(&actor, action, detail))
        .await?;
    tracing::info!(action = action.as_str(), "edited");
    Ok(())
}

#[derive(Deserialize)]
pub struct NewRegionForm {
    csrf: String,
    naam: String,
    /// Other spellings, separated by `;`.
    #[serde(default)]
    aliassen: String,
    #[serde(default)]
    provincie: String,
    #[serde(default)]
    bron: String,
}

/// Adds a region to the registry as a new version, audited. Nothing in the store changes: items
/// name the region from now on.
pub async fn add_region(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NewRegionForm>,
) -> Result<Redirect, AppError> {
    user.check_csrf(Some(&form.csrf))?;
    user.require(&[UserRole::Beheerder])?;
    let name = form.naam.trim().to_owned();
    let aliases: Vec<String> = form
        .aliassen
        .split(';')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect();
    let (province, source) = (form.provincie, form.bron);
    let detail_aliases = aliases.clone();
    let detail_name = name.clone();
    let version = state
        .edit_regions(move |text| {
            ingest::region_edit::add_region(
                text,
                &ingest::region_edit::NewRegion {
                    name: &name,
                    aliases: aliases.iter().map(String::as_str).collect(),
                    province: Some(&province),
                    source: Some(&source),
                },
            )
        })
        .await?;
    audit_edit(
        &state,
        &user,
        AuditAction::RegionsChanged,
        serde_json::json!({"version": version, "region_added": detail_name, "aliases": detail_aliases}),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/beheer?regios={version}#regios-kop"
    )))
}

#[derive(Deserialize)]
pub struct NewAliasForm {
    csrf: String,
    regio: String,
    alias: String,
}

/// Adds another spelling to a region as a new registry version, audited.
pub async fn add_alias(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NewAliasForm>,
) -> Result<Redirect, AppError> {
    user.check_csrf(Some(&form.csrf))?;
    user.require(&[UserRole::Beheerder])?;
    let (region, alias) = (form.regio.clone(), form.alias.trim().to_owned());
    let version = state
        .edit_regions(move |text| ingest::region_edit::add_alias(text, &region, &alias))
        .await?;
    audit_edit(
        &state,
        &user,
        AuditAction::RegionsChanged,
        serde_json::json!({"version": version, "alias_added": form.alias.trim(), "region": form.regio}),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/beheer?regios={version}#regios-kop"
    )))
}
