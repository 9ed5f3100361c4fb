//! Router tests on the committed sample: the access matrix (every route × every role), CSRF on
//! every write, the programme leader's view scanned for other regions' names, the OpenAPI
//! document checked against the router, JSON snapshots, and the real server on a free port.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use analysis::classify::Classifier;
use analysis::index::ThemeIndex;
use analysis::taxonomy::Taxonomy;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use axum::response::Response;
use ingest::batch::{IngestOptions, Pipeline};
use ingest::store::{Store, UserRole};
use tower::ServiceExt;

use super::*;

/// The date the tests read the trends at, so snapshots do not move with the calendar.
const AS_OF: &str = "2026-11-15";
const LEADER_REGION: &str = "Twente Noord";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned()
}

fn taxonomy() -> std::sync::Arc<Taxonomy> {
    std::sync::Arc::new(Taxonomy::load(&root().join(analysis::taxonomy::DEFAULT_PATH)).unwrap())
}

/// A store with the committed sample, classified and indexed, and one account per role —
/// built once per test run and copied for each test.
fn template() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let regions =
            ingest::region::RegionRegistry::load(&root().join("data/sample/regions.toml")).unwrap();
        let anonymiser = ingest::anonymise::Anonymiser::for_regions(&regions);
        let files: Vec<PathBuf> = ["sessies.jsonl", "sessies.csv", "sessies.xlsx"]
            .iter()
            .map(|f| root().join("data/sample").join(f))
            .collect();
        struct Quiet;
        impl ingest::batch::Progress for Quiet {}
        Pipeline::new(&regions, &anonymiser)
            .ingest_files(&mut store, &files, &IngestOptions::default(), &Quiet)
            .unwrap();
        let classifier = Classifier::new(taxonomy());
        let mut index = ThemeIndex::open(dir.path()).unwrap();
        index.sync(&mut store, &classifier, false, &|_| {}).unwrap();
        for role in UserRole::ALL {
            let region = (role == UserRole::Programmaleider).then_some(LEADER_REGION);
            store
                .add_user(
                    role.as_str(),
                    role,
                    region,
                    &auth::hash_password("test-wachtwoord").unwrap(),
                )
                .unwrap();
        }
        dir
    })
    .path()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.file_name() != ".tantivy-writer.lock" {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A fresh copy of the template, served by a router, with a session token per role.
struct App {
    _dir: tempfile::TempDir,
    settings: Settings,
    state: AppState,
    router: Router,
    tokens: Vec<(UserRole, String, String)>,
}

impl App {
    fn new() -> App {
        App::with_rules(|rules| rules)
    }

    /// An app whose rules file is the project's, changed by `edit`.
    fn with_rules(edit: impl FnOnce(String) -> String) -> App {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(template(), dir.path());
        let rules = dir.path().join("escalation.toml");
        let project_rules = root().join(analysis::trends::config::DEFAULT_PATH);
        std::fs::write(
            &rules,
            edit(std::fs::read_to_string(project_rules).unwrap()),
        )
        .unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let mut tokens = Vec::new();
        for user in store.users().unwrap() {
            let token = auth::new_token();
            let csrf = auth::new_token();
            store
                .start_web_session(&auth::token_hash(&token), user.id, &csrf, i64::MAX / 2)
                .unwrap();
            tokens.push((user.role, token, csrf));
        }
        let index = ThemeIndex::open(dir.path()).unwrap();
        // A copy of the taxonomy: adopting a theme writes a new version of it.
        let themes = dir.path().join("themes.toml");
        std::fs::copy(root().join(analysis::taxonomy::DEFAULT_PATH), &themes).unwrap();
        // And of the region registry: adding a region or an alias writes a new version of it.
        let regions = dir.path().join("regions.toml");
        std::fs::copy(root().join("data/sample/regions.toml"), &regions).unwrap();
        let settings = Settings {
            regions,
            themes,
            rules,
            secure_cookies: false,
            as_of: Some(AS_OF.parse().unwrap()),
            model: dir.path().join("theme-model.json"),
            training: crate::web::TrainingFiles {
                real: vec![root().join(crate::commands::themes_train::DEFAULT_REAL)],
                train: crate::commands::themes_train::DEFAULT_TRAIN
                    .iter()
                    .map(|p| root().join(p))
                    .collect(),
                test: root().join(crate::commands::themes_train::DEFAULT_TEST),
            },
        };
        let state = AppState::new(store, index, Classifier::new(taxonomy()), &settings).unwrap();
        App {
            _dir: dir,
            settings,
            router: router(state.clone()),
            state,
            tokens,
        }
    }

    /// A new server state on the same store, as after a restart.
    fn restart(&self) -> AppState {
        let store = Store::open(self._dir.path()).unwrap();
        let index = ThemeIndex::open(self._dir.path()).unwrap();
        AppState::new(store, index, Classifier::new(taxonomy()), &self.settings).unwrap()
    }

    fn session(&self, role: UserRole) -> (&str, &str) {
        let (_, token, csrf) = self.tokens.iter().find(|(r, _, _)| *r == role).unwrap();
        (token, csrf)
    }

    async fn send(&self, request: Request<Body>) -> Response {
        self.router.clone().oneshot(request).await.unwrap()
    }

    /// A request as `role` (`None`: not logged in); form and JSON bodies get the CSRF token.
    async fn call(&self, role: Option<UserRole>, call: &Call) -> Response {
        let mut builder = Request::builder()
            .method(call.method.clone())
            .uri(call.path);
        let mut csrf = String::new();
        if let Some(role) = role {
            let (token, c) = self.session(role);
            builder = builder.header(header::COOKIE, format!("{}={token}", auth::SESSION_COOKIE));
            csrf = c.to_owned();
        }
        let body = match call.body {
            Payload::None => Body::empty(),
            Payload::Form(form) => {
                builder = builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(format!("csrf={csrf}&{form}"))
            }
            Payload::Json(json) => {
                builder = builder
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(api::CSRF_HEADER, csrf);
                Body::from(json)
            }
            Payload::Lines(lines) => {
                builder = builder
                    .header(header::CONTENT_TYPE, "application/x-ndjson")
                    .header(api::CSRF_HEADER, csrf);
                Body::from(lines)
            }
        };
        self.send(builder.body(body).unwrap()).await
    }
}

async fn text(response: Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[derive(Clone, Copy)]
enum Payload {
    None,
    Form(&'static str),
    Json(&'static str),
    Lines(&'static str),
}

struct Call {
    method: Method,
    path: &'static str,
    body: Payload,
}

const SESSION_LINE: &str = r#"{"date": "2026-10-01", "group": "G77", "regions_present": ["Twente Zuid", "Achterhoek"], "items": [{"kind": "signaal", "region": "Achterhoek", "text": "De werkdruk van docenten is hoog."}]}"#;

fn get(path: &'static str) -> Call {
    Call {
        method: Method::GET,
        path,
        body: Payload::None,
    }
}

fn post(path: &'static str, body: Payload) -> Call {
    Call {
        method: Method::POST,
        path,
        body,
    }
}

use UserRole::{Beheerder as B, Invoerder as I, Landelijk as L, Programmaleider as P};

/// The status each role gets (`None`: not logged in).
type Expected = [(Option<UserRole>, u16); 5];

/// Every route with the status each role gets.
fn matrix() -> Vec<(Call, Expected)> {
    let pages = |allowed: &[UserRole], ok: u16| {
        let at = |r: UserRole| if allowed.contains(&r) { ok } else { 403 };
        [
            (None, 303),
            (Some(B), at(B)),
            (Some(L), at(L)),
            (Some(P), at(P)),
            (Some(I), at(I)),
        ]
    };
    let api = |allowed: &[UserRole], ok: u16| {
        let at = |r: UserRole| if allowed.contains(&r) { ok } else { 403 };
        [
            (None, 401),
            (Some(B), at(B)),
            (Some(L), at(L)),
            (Some(P), at(P)),
            (Some(I), at(I)),
        ]
    };
    let trends = &[L, P];
    vec![
        (get("/overzicht"), pages(trends, 200)),
        (
            get("/overzicht?periode=maand&van=2026-01"),
            pages(trends, 200),
        ),
        (get("/thema/docent_werkdruk"), pages(trends, 200)),
        (get("/mijn-signaal"), pages(trends, 200)),
        (
            post(
                "/mijn-signaal",
                Payload::Form("tekst=Geen+tijd+door+het+lerarentekort&regio=Twente+Zuid"),
            ),
            pages(trends, 200),
        ),
        (get("/zoeken?q=werkdruk"), pages(trends, 200)),
        (get("/invoer"), pages(&[I, L], 200)),
        (
            post(
                "/invoer",
                Payload::Form(
                    "actie=voorbeeld&datum=2026-10-01&groep=G1&soort_1=casus&regio_1=Achterhoek&tekst_1=Hallo",
                ),
            ),
            pages(&[I, L], 200),
        ),
        (get("/rapporten"), pages(trends, 200)),
        (
            post("/rapporten", Payload::Form("periode=2026-Q3&taal=nl")),
            pages(trends, 303),
        ),
        (
            get("/rapporten/999/bestand?naam=trendrapport-2026-Q3.pdf"),
            pages(trends, 404),
        ),
        (get("/beoordelen"), pages(&[B, L], 200)),
        (
            post("/beoordelen/geen-fragment", Payload::Form("actie=overig")),
            pages(&[B, L], 400),
        ),
        (get("/api/v1/review"), api(&[B, L], 200)),
        (
            post(
                "/api/v1/review/geen-fragment",
                Payload::Json(r#"{"themes": []}"#),
            ),
            api(&[B, L], 400),
        ),
        (
            post(
                "/beheer/themas/samenvoegen",
                Payload::Form("van=bestaat_niet&naar=corona"),
            ),
            pages(&[B], 400),
        ),
        (
            post(
                "/beheer/themas/zoekvraag",
                Payload::Form("zoekvraag=corona:999&naar=wetgeving"),
            ),
            pages(&[B], 400),
        ),
        (
            post("/beoordelen/trainen", Payload::Form("")),
            pages(&[B, L], 303),
        ),
        (get("/beheer"), pages(&[B], 200)),
        (get("/beheer/logboek"), pages(&[B], 200)),
        (
            post(
                "/beheer/accounts",
                Payload::Form("naam=nieuw&rol=invoerder&wachtwoord=lang-genoeg-wachtwoord"),
            ),
            pages(&[B], 303),
        ),
        (
            post(
                "/beheer/themas",
                Payload::Form(
                    "id=test_thema&label_nl=Test&label_en=Test&beschrijving=Test&zoekvraag=testwoord",
                ),
            ),
            pages(&[B], 303),
        ),
        (
            post(
                "/beheer/regios",
                Payload::Form("naam=Regio+Testland&aliassen=STO+Testland"),
            ),
            pages(&[B], 303),
        ),
        (
            post(
                "/beheer/regios/alias",
                Payload::Form("regio=Achterhoek&alias=Achterhoek+Testland"),
            ),
            pages(&[B], 303),
        ),
        (
            post(
                "/thema/corona/status",
                Payload::Form("van=&status=kandidaat&toelichting=test"),
            ),
            pages(&[L], 303),
        ),
        (get("/api/v1/trends"), api(trends, 200)),
        (get("/api/v1/themes"), api(&[B, L, P, I], 200)),
        (get("/api/v1/search?q=werkdruk"), api(trends, 200)),
        (
            post(
                "/api/v1/shared",
                Payload::Json(
                    r#"{"text": "Geen tijd door het lerarentekort", "region": "Twente Zuid"}"#,
                ),
            ),
            api(trends, 200),
        ),
        (get("/api/v1/escalations"), api(trends, 200)),
        (
            post(
                "/api/v1/escalations/leerlijnen",
                Payload::Json(r#"{"state": "kandidaat", "note": "test"}"#),
            ),
            api(&[L], 200),
        ),
        (
            post("/api/v1/sessions", Payload::Lines(SESSION_LINE)),
            api(&[I, L], 201),
        ),
        (
            get("/api/v1/openapi.json"),
            [
                (None, 200),
                (Some(B), 200),
                (Some(L), 200),
                (Some(P), 200),
                (Some(I), 200),
            ],
        ),
    ]
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_access_matrix_says() {
    let app = App::new();
    let mut wrong = Vec::new();
    for (call, expected) in matrix() {
        for (role, status) in expected {
            let response = app.call(role, &call).await;
            if response.status().as_u16() != status {
                let got = response.status();
                let body = text(response).await;
                wrong.push(format!(
                    "{} {} as {:?}: expected {status}, got {got}: {}",
                    call.method,
                    call.path,
                    role.map(UserRole::as_str),
                    // The error page's message, or the start of a JSON body.
                    body.split("role=\"alert\">")
                        .nth(1)
                        .unwrap_or(&body)
                        .chars()
                        .take(300)
                        .collect::<String>()
                ));
            } else if status == 303 && role.is_none() {
                assert_eq!(response.headers()[header::LOCATION], "/inloggen");
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn every_write_needs_the_csrf_token() {
    let app = App::new();
    for (call, expected) in matrix() {
        if call.method != Method::POST {
            continue;
        }
        let (role, _) = expected
            .iter()
            .find(|(r, s)| r.is_some() && *s != 403)
            .copied()
            .unwrap();
        let (token, _) = app.session(role.unwrap());
        let (content_type, body) = match call.body {
            Payload::Form(f) => (
                "application/x-www-form-urlencoded",
                format!("csrf=wrong&{f}"),
            ),
            Payload::Json(j) => ("application/json", j.to_owned()),
            Payload::Lines(l) => ("application/x-ndjson", l.to_owned()),
            Payload::None => ("text/plain", String::new()),
        };
        let response = app
            .send(
                Request::post(call.path)
                    .header(header::COOKIE, format!("{}={token}", auth::SESSION_COOKIE))
                    .header(header::CONTENT_TYPE, content_type)
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "POST {} without a token",
            call.path
        );
    }
    // The upload form too (multipart).
    let (token, _) = app.session(I);
    let response = app
        .send(
            Request::post("/invoer/bestand")
                .header(header::COOKIE, format!("{}={token}", auth::SESSION_COOKIE))
                .header(header::CONTENT_TYPE, "multipart/form-data; boundary=X")
                .body(Body::from("--X\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nwrong\r\n--X--\r\n"))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

/// Every other region's name, as whole words.
fn other_regions() -> regex::Regex {
    let registry =
        ingest::region::RegionRegistry::load(&root().join("data/sample/regions.toml")).unwrap();
    let names: Vec<String> = registry
        .all_names()
        .filter(|n| *n != LEADER_REGION && !LEADER_REGION.contains(*n))
        .map(regex::escape)
        .collect();
    regex::Regex::new(&format!(r"\b({})\b", names.join("|"))).unwrap()
}

#[tokio::test]
async fn a_programme_leader_never_obtains_another_regions_name_or_text() {
    let app = App::new();
    let leaks = other_regions();
    let mut calls: Vec<Call> = vec![
        get("/overzicht"),
        get("/overzicht?periode=maand&van=2020-01"),
        get("/overzicht?periode=jaar&regio=Achterhoek&region=Achterhoek"),
        get("/zoeken?q=werkdruk"),
        get("/zoeken?q=regio:Achterhoek"),
        get("/zoeken?q=Achterhoek"),
        get("/mijn-signaal"),
        post(
            "/mijn-signaal",
            Payload::Form("tekst=Geen+tijd+door+het+lerarentekort&regio=Achterhoek"),
        ),
        get("/api/v1/trends"),
        get("/api/v1/trends?period=month&from=2020-01&region=Achterhoek"),
        get("/api/v1/search?q=werkdruk"),
        get("/api/v1/search?q=Achterhoek"),
        post(
            "/api/v1/shared",
            Payload::Json(
                r#"{"text": "Geen tijd door het lerarentekort", "region": "Achterhoek"}"#,
            ),
        ),
        get("/api/v1/escalations"),
    ];
    let themes: Vec<&'static str> = app
        .state
        .snapshot()
        .themes
        .iter()
        .map(|t| &*Box::leak(format!("/thema/{}?van=2020-Q1", t.id).into_boxed_str()))
        .collect();
    calls.extend(themes.into_iter().map(get));
    // Escalate a theme so the leader's escalation view has something to show.
    let escalate = post(
        "/api/v1/escalations/docent_werkdruk",
        Payload::Json(r#"{"state": "kandidaat", "note": "Achterhoek en Zwolle e.o. noemen het"}"#),
    );
    assert_eq!(app.call(Some(L), &escalate).await.status(), StatusCode::OK);
    for state in ["voorgesteld", "geescaleerd"] {
        let body: &'static str =
            Box::leak(format!(r#"{{"state": "{state}", "note": "Achterhoek"}}"#).into_boxed_str());
        let call = post("/api/v1/escalations/docent_werkdruk", Payload::Json(body));
        assert_eq!(app.call(Some(L), &call).await.status(), StatusCode::OK);
    }
    for call in &calls {
        let response = app.call(Some(P), call).await;
        let status = response.status();
        // What the leader typed may come back (the search box keeps the query): not a leak.
        let body = text(response)
            .await
            .replace("regio:Achterhoek", "")
            .replace("value=\"Achterhoek\"", "")
            .replace("\"Achterhoek\" is not a region", "");
        if let Some(found) = leaks.find(&body) {
            panic!(
                "{} {} ({status}) shows {:?} to the programme leader:\n…{}…",
                call.method,
                call.path,
                found.as_str(),
                &body[found.start().saturating_sub(200)..(found.end() + 100).min(body.len())]
            );
        }
    }
}

#[tokio::test]
async fn the_openapi_document_and_the_router_agree() {
    let app = App::new();
    let (_, doc) = api::router().split_for_parts();
    let doc = serde_json::to_value(&doc).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        "/api/v1/openapi.json",
        "/api/v1/trends",
        "/api/v1/themes",
        "/api/v1/search",
        "/api/v1/shared",
        "/api/v1/escalations",
        "/api/v1/escalations/{theme}",
        "/api/v1/sessions",
        "/api/v1/review",
        "/api/v1/review/{item}",
    ];
    let mut documented: Vec<&str> = paths.keys().map(String::as_str).collect();
    documented.sort();
    let mut wanted = expected.to_vec();
    wanted.sort();
    assert_eq!(documented, wanted);
    // Every documented method on every path reaches a handler (not 404 or 405).
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let uri = path
                .replace("{theme}", "corona")
                .replace("{item}", "geen-fragment");
            let (token, _) = app.session(L);
            let response = app
                .send(
                    Request::builder()
                        .method(method.clone())
                        .uri(&uri)
                        .header(header::COOKIE, format!("{}={token}", auth::SESSION_COOKIE))
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert!(
                response.status() != StatusCode::NOT_FOUND
                    && response.status() != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {uri}: {}",
                response.status()
            );
        }
    }
    // The served document is the generated one.
    let served = text(app.call(None, &get("/api/v1/openapi.json")).await).await;
    let served: serde_json::Value = serde_json::from_str(&served).unwrap();
    assert_eq!(served, doc);
}

#[tokio::test]
async fn json_answers_match_their_snapshots() {
    let app = App::new();
    let json = |s: String| serde_json::from_str::<serde_json::Value>(&s).unwrap();
    let national = json(text(app.call(Some(L), &get("/api/v1/trends?from=2026-Q2")).await).await);
    insta::assert_json_snapshot!("trends_national", national);
    let leader = json(text(app.call(Some(P), &get("/api/v1/trends?from=2026-Q2")).await).await);
    insta::assert_json_snapshot!("trends_leader", leader);
    let themes = json(text(app.call(Some(I), &get("/api/v1/themes")).await).await);
    insta::assert_json_snapshot!("themes", themes);
    let error = json(
        text(
            app.call(Some(P), &get("/api/v1/trends?programme=STO"))
                .await,
        )
        .await,
    );
    insta::assert_json_snapshot!("error_leader_programme", error);
}

#[tokio::test]
async fn logging_in_sets_a_strict_http_only_cookie_and_logging_out_ends_the_session() {
    let app = App::new();
    let form = app
        .send(Request::get("/inloggen").body(Body::empty()).unwrap())
        .await;
    let login_cookie = form.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    let pair = login_cookie.split(';').next().unwrap().to_owned();
    let token = pair.split_once('=').unwrap().1.to_owned();
    let attempt = |password: &str| {
        Request::post("/inloggen")
            .header(header::COOKIE, &pair)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "csrf={token}&naam=landelijk&wachtwoord={password}"
            )))
            .unwrap()
    };
    assert_eq!(
        app.send(attempt("fout-wachtwoord")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let ok = app.send(attempt("test-wachtwoord")).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(ok.headers()[header::LOCATION], "/overzicht");
    let session = ok
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with(auth::SESSION_COOKIE))
        .unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict"),
        "{session}"
    );
    let cookie = session.split(';').next().unwrap().to_owned();
    let page = app
        .send(
            Request::get("/overzicht")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = text(page).await;
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let out = app
        .send(
            Request::post("/uitloggen")
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("csrf={csrf}")))
                .unwrap(),
        )
        .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = app
        .send(
            Request::get("/overzicht")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(after.headers()[header::LOCATION], "/inloggen");
    // Five wrong passwords lock the name for a while, even for the right one.
    for _ in 0..auth::MAX_FAILURES {
        assert_eq!(
            app.send(attempt("fout-wachtwoord")).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        app.send(attempt("test-wachtwoord")).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // A login form posted without its own cookie is refused.
    let forged = app
        .send(
            Request::post("/inloggen")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "csrf={token}&naam=landelijk&wachtwoord=test-wachtwoord"
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_disabled_account_loses_its_session_at_once() {
    let app = App::new();
    assert_eq!(
        app.call(Some(I), &get("/invoer")).await.status(),
        StatusCode::OK
    );
    let invoerder = app
        .state
        .with_store(|s| s.user("invoerder"))
        .await
        .unwrap()
        .unwrap();
    let path: &'static str =
        Box::leak(format!("/beheer/accounts/{}/status", invoerder.id).into_boxed_str());
    let response = app
        .call(Some(B), &post(path, Payload::Form("status=uit")))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.call(Some(I), &get("/invoer")).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn an_api_token_stores_a_batch_and_the_trends_see_it_at_once() {
    let app = App::new();
    let token = auth::new_token();
    let hash = auth::token_hash(&token);
    app.state
        .with_store_mut(move |s| s.add_api_token("invoerder", "test", &hash).map(|_| ()))
        .await
        .unwrap();
    let before = app.state.snapshot().data.sessions();
    let response = app
        .send(
            Request::post("/api/v1/sessions")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/x-ndjson")
                .body(Body::from(SESSION_LINE))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let outcome: serde_json::Value = serde_json::from_str(&text(response).await).unwrap();
    assert_eq!(outcome["sessions_added"], 1);
    assert_eq!(app.state.snapshot().data.sessions(), before + 1);
    // Invalid input: 422, nothing stored, the problem named by line.
    let bad = app
        .send(
            Request::post("/api/v1/sessions")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/x-ndjson")
                .body(Body::from(
                    r#"{"date": "2026-13-45", "group": "G1", "items": []}"#,
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let outcome: serde_json::Value = serde_json::from_str(&text(bad).await).unwrap();
    assert_eq!(outcome["stored"], false);
    assert!(
        outcome["problems"][0]["location"]
            .as_str()
            .unwrap()
            .contains("regel 1"),
        "{outcome}"
    );
    // A wrong token is 401 in the one error shape.
    let wrong = app
        .send(
            Request::get("/api/v1/trends")
                .header(header::AUTHORIZATION, "Bearer nope")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = serde_json::from_str(&text(wrong).await).unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn pages_render_in_english_after_the_switch() {
    let app = App::new();
    let (token, _) = app.session(L);
    let switch = app
        .send(
            Request::get("/taal/en?terug=/overzicht")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(switch.headers()[header::LOCATION], "/overzicht");
    let lang = switch.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let page = app
        .send(
            Request::get("/overzicht")
                .header(
                    header::COOKIE,
                    format!("{}={token}; {lang}", auth::SESSION_COOKIE),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let html = text(page).await;
    assert!(html.contains("<html lang=\"en\">") && html.contains("Distinct regions per theme"));
    // No open redirect through the switch.
    let away = app
        .send(
            Request::get("/taal/nl?terug=//evil.example")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(away.headers()[header::LOCATION], "/");
}

#[tokio::test]
async fn healthz_answers_with_the_store_size() {
    let app = App::new();
    let response = app.call(None, &get("/healthz")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let health: serde_json::Value = serde_json::from_str(&text(response).await).unwrap();
    assert_eq!(health["status"], "ok");
    assert!(health["sessions"].as_u64().unwrap() > 100);
    let page = app.call(Some(L), &get("/overzicht")).await;
    let csp = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(page.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(page.headers()["x-frame-options"], "DENY");
}

#[tokio::test]
async fn unknown_paths_are_not_found() {
    let app = App::new();
    let response = app.call(Some(L), &get("/bestaat-niet")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(text(response).await.contains("Deze pagina bestaat niet"));
    let response = app.call(Some(L), &get("/thema/bestaat-niet")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(text(response).await.contains("Deze pagina bestaat niet"));
    let response = app.call(Some(L), &get("/api/v1/bestaat-niet")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = serde_json::from_str(&text(response).await).unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn the_real_server_answers_on_a_free_port() {
    let app = App::new();
    let listener = bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"status\":\"ok\""), "{reply}");
    server.abort();
}

#[tokio::test]
async fn cached_json_comes_gzipped_to_clients_that_accept_it() {
    use std::io::Read;
    let app = App::new();
    let (token, _) = app.session(L);
    let ask = |encoding: &'static str| {
        Request::get("/api/v1/trends")
            .header(header::COOKIE, format!("{}={token}", auth::SESSION_COOKIE))
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap()
    };
    let plain = app.send(ask("identity")).await;
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    let plain = text(plain).await;
    let zipped = app.send(ask("br;q=1.0, gzip;q=0.8")).await;
    assert_eq!(zipped.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(zipped.headers()[header::VARY], "accept-encoding");
    let bytes = axum::body::to_bytes(zipped.into_body(), 1 << 24)
        .await
        .unwrap();
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain);
    let refused = app.send(ask("gzip;q=0")).await;
    assert!(refused.headers().get(header::CONTENT_ENCODING).is_none());
}

#[tokio::test]
async fn adopting_a_candidate_theme_makes_a_new_taxonomy_version_and_reclassifies() {
    let app = App::new();
    let before = app.state.snapshot().taxonomy_version;
    let adopt = post(
        "/beheer/themas",
        Payload::Form(
            "id=stage&label_nl=Stages&label_en=Work+placements&beschrijving=Stages&zoekvraag=stage+stages+stageplek+stageplekken",
        ),
    );
    let response = app.call(Some(B), &adopt).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        text(response).await
    );
    let themes: serde_json::Value =
        serde_json::from_str(&text(app.call(Some(L), &get("/api/v1/themes")).await).await).unwrap();
    assert_eq!(themes["taxonomy_version"], before + 1);
    assert!(
        themes["themes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == "stage")
    );
    let written = std::fs::read_to_string(app.state.themes_file()).unwrap();
    assert!(written.contains(&format!("version = {}", before + 1)));
    // The same id again is refused, and a broken query leaves the file alone.
    assert_eq!(
        app.call(Some(B), &adopt).await.status(),
        StatusCode::BAD_REQUEST
    );
    let broken = post(
        "/beheer/themas",
        Payload::Form(
            "id=kapot&label_nl=Kapot&label_en=Broken&beschrijving=Kapot&zoekvraag=%22open+phrase",
        ),
    );
    assert_eq!(
        app.call(Some(B), &broken).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        std::fs::read_to_string(app.state.themes_file()).unwrap(),
        written
    );
}

#[tokio::test]
async fn escalation_moves_are_checked_against_the_lifecycle_and_the_state_seen() {
    let app = App::new();
    let call = |body: &'static str| post("/api/v1/escalations/corona", Payload::Json(body));
    // Not allowed from "no state": straight to geescaleerd.
    let skip = app
        .call(Some(L), &call(r#"{"state": "geescaleerd", "note": "x"}"#))
        .await;
    assert_eq!(skip.status(), StatusCode::BAD_REQUEST);
    let first = app
        .call(
            Some(L),
            &call(r#"{"state": "kandidaat", "note": "x", "from": ""}"#),
        )
        .await;
    assert_eq!(first.status(), StatusCode::OK);
    // Someone who still saw "no state" is too late.
    let stale = app
        .call(
            Some(L),
            &call(r#"{"state": "kandidaat", "note": "x", "from": ""}"#),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    // The page form says the same in Dutch.
    let page = app
        .call(
            Some(L),
            &post(
                "/thema/corona/status",
                Payload::Form("van=&status=voorgesteld&toelichting=x"),
            ),
        )
        .await;
    assert_eq!(page.status(), StatusCode::CONFLICT);
    assert!(
        text(page)
            .await
            .contains("Iemand anders heeft de status net gewijzigd")
    );
}

#[tokio::test]
async fn writes_by_another_process_reach_the_pages_on_the_next_look() {
    let app = App::new();
    assert!(
        !app.state.reload_if_changed().await.unwrap(),
        "the first look only notes the version"
    );
    let escalations = get("/api/v1/escalations");
    let before = text(app.call(Some(L), &escalations).await).await;
    assert!(!before.contains("\"leerlijnen\""), "{before}");
    // Another process (here: a second connection) moves a theme and disables an account.
    let mut other = Store::open(app._dir.path()).unwrap();
    analysis::trends::escalation::set_state(
        &mut other,
        "leerlijnen",
        analysis::trends::escalation::State::Kandidaat,
        "cli:test",
        "from the command line",
    )
    .unwrap();
    other.set_user_disabled("invoerder", true).unwrap();
    // Until the server looks, the cached answers stand; after, they follow the store.
    assert!(
        !text(app.call(Some(L), &escalations).await)
            .await
            .contains("\"leerlijnen\"")
    );
    assert!(app.state.reload_if_changed().await.unwrap());
    assert!(
        text(app.call(Some(L), &escalations).await)
            .await
            .contains("\"leerlijnen\"")
    );
    assert_eq!(
        app.call(Some(I), &get("/invoer")).await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        !app.state.reload_if_changed().await.unwrap(),
        "nothing new since"
    );
}

/// The id in a `/rapporten?gemaakt=ID` redirect.
fn made_report(response: &Response) -> i64 {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[header::LOCATION].to_str().unwrap();
    location
        .strip_prefix("/rapporten?gemaakt=")
        .unwrap_or_else(|| panic!("{location}"))
        .parse()
        .unwrap()
}

fn leak(path: String) -> &'static str {
    Box::leak(path.into_boxed_str())
}

#[tokio::test]
async fn the_pages_name_the_configured_disclosure_threshold() {
    let app = App::with_rules(|rules| rules.replace("k = 3", "k = 4"));
    let reports = text(app.call(Some(P), &get("/rapporten")).await).await;
    assert!(
        reports.contains("minder dan 4 getoond als &#34;&#60;4&#34;"),
        "{reports}"
    );
    let overview = text(app.call(Some(P), &get("/overzicht")).await).await;
    assert!(
        overview.contains("minder dan 4 regio&#39;s tonen we als &#60;4,"),
        "{overview}"
    );
    assert!(
        overview.contains("&#60;4")
            && overview.contains("&lt;4 = minder dan 4")
            && !overview.contains("&#60;3")
            && !overview.contains("&lt;3"),
        "withheld counts are <4 when k = 4, nowhere <3: {overview}"
    );
    // No placeholder is left unfilled, on any page that names the threshold.
    let theme = text(app.call(Some(P), &get("/thema/docent_werkdruk")).await).await;
    let signal = text(
        app.call(
            Some(P),
            &post(
                "/mijn-signaal",
                Payload::Form("tekst=Geen+tijd+door+het+lerarentekort"),
            ),
        )
        .await,
    )
    .await;
    for (page, body) in [
        ("rapporten", &reports),
        ("overzicht", &overview),
        ("thema", &theme),
        ("mijn-signaal", &signal),
    ] {
        assert!(!body.contains("{k}"), "{page}: {body}");
        assert!(
            body.contains("&#60;4") || body.contains("&lt;4"),
            "{page}: {body}"
        );
    }
    // Before logging in there is no threshold to name.
    let login = text(app.call(None, &get("/inloggen")).await).await;
    assert!(login.contains("Signaalradar toont alleen geanonimiseerde uitkomsten."));
    assert!(!login.contains("tonen we als"));
}

#[tokio::test]
async fn reports_are_made_listed_and_downloaded_by_their_own_audience_only() {
    let app = App::new();
    let form = Payload::Form("periode=2026-Q3&taal=nl");
    let national = made_report(&app.call(Some(L), &post("/rapporten", form)).await);
    let pdf = format!("/rapporten/{national}/bestand?naam=trendrapport-2026-Q3.pdf");
    let list = text(app.call(Some(L), &get("/rapporten")).await).await;
    assert!(
        list.contains(&pdf.replace('&', "&amp;")) || list.contains(&pdf),
        "{list}"
    );
    let response = app.call(Some(L), &get(leak(pdf.clone()))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/pdf");
    assert!(
        response.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let body = axum::body::to_bytes(response.into_body(), 1 << 26)
        .await
        .unwrap();
    assert!(body.starts_with(b"%PDF-"));

    // The leader neither sees nor fetches the national version.
    let leader_list = text(app.call(Some(P), &get("/rapporten")).await).await;
    assert!(!leader_list.contains(&format!("/rapporten/{national}/")));
    assert_eq!(
        app.call(Some(P), &get(leak(pdf))).await.status(),
        StatusCode::NOT_FOUND
    );

    // Their own version is suppressed and names no other region, in any of its files.
    let own = made_report(&app.call(Some(P), &post("/rapporten", form)).await);
    assert_ne!(own, national);
    let records = app
        .state
        .with_store(move |store| store.reports("programmaleider", Some(LEADER_REGION)))
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    assert!(
        records[0].files.len() > 20,
        "every format: {:?}",
        records[0].files
    );
    let leaks = other_regions();
    for (name, media_type, _) in &records[0].files {
        let url = format!("/rapporten/{own}/bestand?naam={}", pages::urlencode(name));
        let response = app.call(Some(P), &get(leak(url.clone()))).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        if media_type.starts_with("text/") {
            let body = text(response).await;
            if let Some(found) = leaks.find(&body) {
                panic!("{} in {name}", found.as_str());
            }
        }
        // The national supporter does not get the leader's files either.
        assert_eq!(
            app.call(Some(L), &get(leak(url))).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    let markdown = records[0]
        .files
        .iter()
        .find(|f| f.0.ends_with(".md"))
        .unwrap();
    let body = text(
        app.call(
            Some(P),
            &get(leak(format!(
                "/rapporten/{own}/bestand?naam={}",
                markdown.0
            ))),
        )
        .await,
    )
    .await;
    assert!(body.contains(&format!("programmaleider van regio {LEADER_REGION}")));
    assert!(body.contains("<3"));

    // Another region's leader report, in the same archive: neither listed nor fetched.
    let elsewhere = app
        .state
        .with_store_mut(|store| {
            store.add_report(
                &ingest::store::NewReport {
                    period: "2026-Q3".into(),
                    audience: "programmaleider".into(),
                    region: Some("Rijnmond West".into()),
                    programme: None,
                    lang: "nl".into(),
                    partial: false,
                    generated_at: "2026-11-15T12:00:00Z".into(),
                    generated_by: "another leader".into(),
                },
                &[ingest::store::ReportFile {
                    name: "trendrapport-2026-Q3.md".into(),
                    media_type: "text/markdown".into(),
                    content: b"# Trendrapport 2026-Q3 voor Rijnmond West".to_vec(),
                }],
            )
        })
        .await
        .unwrap();
    let leader_list = text(app.call(Some(P), &get("/rapporten")).await).await;
    assert!(!leader_list.contains(&format!("/rapporten/{elsewhere}/")));
    assert!(leader_list.contains(&format!("/rapporten/{own}/")));
    for who in [P, L] {
        let url = format!("/rapporten/{elsewhere}/bestand?naam=trendrapport-2026-Q3.md");
        assert_eq!(
            app.call(Some(who), &get(leak(url))).await.status(),
            StatusCode::NOT_FOUND
        );
    }
}

/// What the planner made, as "period" (national) or "period region" (a leader's version).
async fn planned(state: &AppState, today: &str) -> Vec<String> {
    state
        .catch_up_reports(today.parse().unwrap())
        .await
        .unwrap()
        .into_iter()
        .map(|p| match p.region {
            None => p.period,
            Some(region) => format!("{} {region}", p.period),
        })
        .collect()
}

#[tokio::test]
async fn the_planner_makes_a_missing_report_after_a_restart() {
    let app = App::new();
    // The first run makes the latest closed period's report, and only that one: nationally
    // and for the region of the programme leader account.
    assert_eq!(
        planned(&app.state, "2026-11-23").await,
        ["2026-Q3", "2026-Q3 Twente Noord"]
    );
    assert!(planned(&app.state, "2026-12-01").await.is_empty());

    // Down from December to April: after the restart the two missed quarters are made. A
    // leader account added meanwhile gets only the latest; a disabled one gets none.
    drop(app.state.clone());
    {
        let mut store = Store::open(app._dir.path()).unwrap();
        let hash = auth::hash_password("test-wachtwoord").unwrap();
        for (name, region) in [("nieuw", "Rijnmond West"), ("weg", "Achterhoek")] {
            store
                .add_user(name, UserRole::Programmaleider, Some(region), &hash)
                .unwrap();
        }
        store.set_user_disabled("weg", true).unwrap();
    }
    let restarted = app.restart();
    assert_eq!(
        planned(&restarted, "2027-04-02").await,
        [
            "2026-Q4",
            "2027-Q1",
            "2027-Q1 Rijnmond West",
            "2026-Q4 Twente Noord",
            "2027-Q1 Twente Noord"
        ]
    );
    assert!(planned(&restarted, "2027-04-03").await.is_empty());
    let archived = restarted
        .with_store(|store| store.reports("landelijk", None))
        .await
        .unwrap();
    let periods: Vec<(&str, &str, bool)> = archived
        .iter()
        .map(|r| {
            (
                r.report.period.as_str(),
                r.report.generated_by.as_str(),
                r.report.partial,
            )
        })
        .collect();
    assert_eq!(
        periods,
        [
            ("2027-Q1", "planner", false),
            ("2026-Q4", "planner", false),
            ("2026-Q3", "planner", false)
        ]
    );
    assert!(archived[0].files.iter().any(|f| f.0.ends_with(".pdf")));
    let leader = restarted
        .with_store(|store| store.reports("programmaleider", Some(LEADER_REGION)))
        .await
        .unwrap();
    assert_eq!(leader.len(), 3);
    let disabled = restarted
        .with_store(|store| store.reports("programmaleider", Some("Achterhoek")))
        .await
        .unwrap();
    assert!(disabled.is_empty());
}

mod hardening;

/// Items of `theme` in `period` in the national trend table.
async fn national_items(app: &App, theme: &str, period: &str) -> i64 {
    let trends: serde_json::Value =
        serde_json::from_str(&text(app.call(Some(L), &get("/api/v1/trends")).await).await).unwrap();
    trends["themes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["theme"] == theme)
        .and_then(|t| {
            t["cells"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["period"] == period)
        })
        .map_or(0, |c| c["items"].as_i64().unwrap_or(0))
}

#[tokio::test]
async fn a_review_counts_in_the_trend_table_at_once_and_is_audited_without_text() {
    let app = App::new();
    let queue = app
        .state
        .with_store(|store| store.review_queue(50, 0))
        .await
        .unwrap();
    // An item of the last closed quarter that does not have the theme yet.
    let item = queue
        .iter()
        .find(|i| i.date.starts_with("2026-0") && i.date.as_str() >= "2026-07-01")
        .or_else(|| queue.first())
        .expect("the sample has items to review")
        .clone();
    assert!(!item.themes.iter().any(|t| t.theme == "faciliteiten"));
    let period = {
        let month: u32 = item.date[5..7].parse().unwrap();
        format!("{}-Q{}", &item.date[..4], (month - 1) / 3 + 1)
    };
    let before = national_items(&app, "faciliteiten", &period).await;

    let page = text(app.call(Some(L), &get("/beoordelen")).await).await;
    assert!(page.contains(&format!("/beoordelen/{}", item.item_id)));
    let path = leak(format!("/beoordelen/{}", item.item_id));
    let response = app
        .call(
            Some(L),
            &post(
                path,
                Payload::Form("actie=corrigeer&thema=faciliteiten&vanaf=0"),
            ),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        national_items(&app, "faciliteiten", &period).await,
        before + 1,
        "the review counts at once, without a restart"
    );
    // Reviewed items leave the queue; the review survives a restart and a reclassification.
    let page = text(app.call(Some(L), &get("/beoordelen")).await).await;
    assert!(!page.contains(&format!("/beoordelen/{}", item.item_id)));
    let themes = app
        .state
        .with_store({
            let id = item.item_id.clone();
            move |store| store.item_themes(&id)
        })
        .await
        .unwrap();
    assert_eq!(
        themes.iter().map(|t| t.theme.as_str()).collect::<Vec<_>>(),
        ["faciliteiten"]
    );
    // ... and it is a training example for `themes train`.
    let training = app
        .state
        .with_store(|store| store.reviewed_texts())
        .await
        .unwrap();
    assert_eq!(training.len(), 1);
    assert_eq!(training[0].text, item.text);
    assert_eq!(training[0].themes, ["faciliteiten"]);
    // "Other" takes every theme away; a theme outside the taxonomy is refused.
    let response = app
        .call(Some(B), &post(path, Payload::Form("actie=overig")))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(national_items(&app, "faciliteiten", &period).await, before);
    let response = app
        .call(
            Some(B),
            &post(path, Payload::Form("actie=corrigeer&thema=bestaat_niet")),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let reviews = app
        .state
        .with_store(|store| store.audit_entries(None, None))
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "themes_reviewed")
        .collect::<Vec<_>>();
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[0].actor, "web:landelijk");
    assert_eq!(reviews[0].detail["item"], item.item_id.as_str());
    assert_eq!(reviews[0].detail["themes"][0], "faciliteiten");
    assert!(
        !reviews[0]
            .detail
            .to_string()
            .contains(&item.text[..20.min(item.text.len())])
    );
    // A programme leader cannot review, nor see the queue.
    let response = app
        .call(Some(P), &post(path, Payload::Form("actie=overig")))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let restarted = app.restart();
    let review = restarted
        .with_store({
            let id = item.item_id.clone();
            move |store| store.review(&id)
        })
        .await
        .unwrap()
        .unwrap();
    assert!(review.themes.is_empty());
}

#[tokio::test]
async fn the_review_api_lists_the_queue_and_records_a_review() {
    let app = App::new();
    let queue: serde_json::Value =
        serde_json::from_str(&text(app.call(Some(B), &get("/api/v1/review?limit=5")).await).await)
            .unwrap();
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    let waiting = queue["waiting"].as_u64().unwrap();
    assert!(waiting >= 5);
    let item = items[0]["item_id"].as_str().unwrap().to_owned();
    let path = leak(format!("/api/v1/review/{item}"));
    let response = app
        .call(
            Some(L),
            &post(
                path,
                Payload::Json(r#"{"themes": ["leerlijnen", "corona"]}"#),
            ),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let done: serde_json::Value = serde_json::from_str(&text(response).await).unwrap();
    assert_eq!(done["themes"], serde_json::json!(["corona", "leerlijnen"]));
    let queue: serde_json::Value =
        serde_json::from_str(&text(app.call(Some(B), &get("/api/v1/review")).await).await).unwrap();
    assert_eq!(queue["waiting"].as_u64().unwrap(), waiting - 1);
    assert_eq!(queue["reviewed"], 1);
    let audit = app
        .state
        .with_store(|store| store.audit_entries(None, None))
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "themes_reviewed" && e.actor == "api:landelijk")
    );
    // A programme leader is refused, and cannot list the queue either.
    assert_eq!(
        app.call(Some(P), &post(path, Payload::Json(r#"{"themes": []}"#)))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn coverage_is_shown_to_national_supporters_and_the_beheerder_only() {
    let app = App::new();
    let national = text(app.call(Some(L), &get("/overzicht")).await).await;
    assert!(
        national.contains("id=\"dekking-kop\""),
        "overview: coverage"
    );
    assert!(national.contains("2026-Q3"));
    let admin = text(app.call(Some(B), &get("/beheer")).await).await;
    assert!(admin.contains("id=\"dekking-kop\""), "beheer: coverage");
    let leader = text(app.call(Some(P), &get("/overzicht")).await).await;
    assert!(
        !leader.contains("dekking-kop"),
        "a leader gets no national totals"
    );
    // The share follows a review at once: an unthemed item given a theme raises it.
    let before = app
        .state
        .with_store(|store| store.coverage_by_month())
        .await
        .unwrap();
    let item = app
        .state
        .with_store(|store| store.review_queue(200, 0))
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.themes.is_empty())
        .unwrap();
    let path = leak(format!("/beoordelen/{}", item.item_id));
    app.call(
        Some(L),
        &post(path, Payload::Form("actie=corrigeer&thema=corona")),
    )
    .await;
    let after = app
        .state
        .with_store(|store| store.coverage_by_month())
        .await
        .unwrap();
    let themed = |rows: &[(i32, usize, usize)]| rows.iter().map(|r| r.2).sum::<usize>();
    assert_eq!(themed(&after), themed(&before) + 1);
}

#[tokio::test]
async fn a_beheerder_merges_two_themes_and_moves_a_query_as_new_versions() {
    let app = App::new();
    let before = app.state.snapshot().taxonomy_version;
    // A review that names the theme that goes: it follows the merge.
    let item = app
        .state
        .with_store(|store| store.review_queue(1, 0))
        .await
        .unwrap()
        .remove(0);
    let path = leak(format!("/beoordelen/{}", item.item_id));
    app.call(
        Some(L),
        &post(path, Payload::Form("actie=corrigeer&thema=schoolleiders")),
    )
    .await;
    let response = app
        .call(
            Some(B),
            &post(
                "/beheer/themas/samenvoegen",
                Payload::Form("van=schoolleiders&naar=eigenaarschap"),
            ),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        text(response).await
    );
    let themes: serde_json::Value =
        serde_json::from_str(&text(app.call(Some(L), &get("/api/v1/themes")).await).await).unwrap();
    assert_eq!(themes["taxonomy_version"], before + 1);
    let ids: Vec<&str> = themes["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"schoolleiders") && ids.contains(&"eigenaarschap"));
    let review = app
        .state
        .with_store({
            let id = item.item_id.clone();
            move |store| store.review(&id)
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(review.themes, ["eigenaarschap"]);
    let themes_of_item = app
        .state
        .with_store({
            let id = item.item_id.clone();
            move |store| store.item_themes(&id)
        })
        .await
        .unwrap();
    assert_eq!(themes_of_item.len(), 1);
    assert_eq!(themes_of_item[0].theme, "eigenaarschap");
    // Move the first corona query to wetgeving: a new version again.
    let response = app
        .call(
            Some(B),
            &post(
                "/beheer/themas/zoekvraag",
                Payload::Form("zoekvraag=corona:0&naar=wetgeving"),
            ),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.state.snapshot().taxonomy_version, before + 2);
    let written = std::fs::read_to_string(app.state.themes_file()).unwrap();
    assert!(written.starts_with("# Signaalradar theme taxonomy"));
    let edits: Vec<serde_json::Value> = app
        .state
        .with_store(|store| store.audit_entries(None, None))
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "taxonomy_changed" && e.actor == "web:beheerder")
        .map(|e| e.detail)
        .collect();
    assert_eq!(edits.len(), 2);
    assert_eq!(edits[0]["merged"], "schoolleiders");
    assert_eq!(edits[1]["query_moved"]["to"], "wetgeving");
    // A merge that would leave no valid taxonomy is refused and the file stays.
    let response = app
        .call(
            Some(B),
            &post(
                "/beheer/themas/samenvoegen",
                Payload::Form("van=corona&naar=corona"),
            ),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        std::fs::read_to_string(app.state.themes_file()).unwrap(),
        written
    );
}

#[tokio::test]
async fn retraining_from_the_review_page_writes_a_better_model_and_reclassifies() {
    // The test app classifies with the queries alone: the trained model scores better on the
    // real test split, so it is written, used and audited.
    let app = App::new();
    let before = app.state.classifier().fingerprint().to_owned();
    let response = app
        .call(Some(L), &post("/beoordelen/trainen", Payload::Form("")))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(location.contains("geschreven=1"), "{location}");
    assert!(app.settings.model.exists());
    assert_ne!(app.state.classifier().fingerprint(), before);
    assert_eq!(app.state.classifier().model_version(), Some(1));
    let page = text(app.call(Some(L), &get(leak(location))).await).await;
    assert!(page.contains("Modelversie 1 is in gebruik"), "{page}");
    let audit = app
        .state
        .with_store(|store| store.audit_entries(None, None))
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "model_changed" && e.actor == "web:landelijk")
    );
    // Again: version 2 scores the same, not worse, so it is written too; a leader may not.
    assert_eq!(
        app.call(Some(P), &post("/beoordelen/trainen", Payload::Form("")))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn review_input_that_is_too_long_or_unknown_is_refused_briefly() {
    let app = App::new();
    let long = "x".repeat(5_000);
    let path = leak(format!("/api/v1/review/{long}"));
    let response = app
        .call(Some(L), &post(path, Payload::Json(r#"{"themes": []}"#)))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        text(response).await.len() < 1_000,
        "the id is not echoed at length"
    );
    let item = app
        .state
        .with_store(|store| store.review_queue(1, 0))
        .await
        .unwrap()
        .remove(0);
    let path = leak(format!("/api/v1/review/{}", item.item_id));
    let many = format!(r#"{{"themes": [{}]}}"#, vec!["\"corona\""; 60].join(", "));
    let response = app
        .call(Some(L), &post(path, Payload::Json(leak(many))))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let unknown = format!(r#"{{"themes": ["{}"]}}"#, "y".repeat(5_000));
    let response = app
        .call(Some(L), &post(path, Payload::Json(leak(unknown))))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(text(response).await.len() < 1_000);
    // Nothing was recorded.
    let reviewed = app
        .state
        .with_store(|store| store.review_count())
        .await
        .unwrap();
    assert_eq!(reviewed, 0);
}

/// A beheerder adds a region and a spelling on *Beheer*: each a new registry version, written,
/// audited and in force at once (an upload naming them is accepted, with no restart); what
/// would change or break an existing name is refused and changes nothing.
#[tokio::test]
async fn a_beheerder_adds_a_region_and_an_alias_as_new_versions() {
    let app = App::new();
    let before = app.state.regions().version();
    let line = r#"{"date": "2026-10-02", "group": "G9", "items": [{"kind": "signaal", "region": "STO Weesp e.o.", "text": "De werkdruk van docenten is hoog."}, {"kind": "signaal", "region": "Bollenstreek Noord", "text": "Stages zijn lastig te vinden."}]}"#;
    let upload = post("/api/v1/sessions", Payload::Lines(leak(line.to_owned())));
    // Unknown before: refused, with nothing stored.
    let refused = app.call(Some(I), &upload).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let added = app
        .call(
            Some(B),
            &post(
                "/beheer/regios",
                Payload::Form(
                    "naam=Regio+Weesp&aliassen=Weesp%3B+Casparus-regio&provincie=Noord-Holland&bron=https%3A%2F%2Fexample.org%2Fweesp",
                ),
            ),
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let aliased = app
        .call(
            Some(B),
            &post(
                "/beheer/regios/alias",
                Payload::Form("regio=Duin-+en+Bollenstreek&alias=Bollenstreek+Noord"),
            ),
        )
        .await;
    assert_eq!(aliased.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.state.regions().version(), before + 2);
    let written =
        ingest::region::RegionRegistry::load(&app.settings.regions).expect("the file loads");
    assert_eq!(written.version(), before + 2);
    assert_eq!(written.resolve("sto weesp").unwrap().name, "Regio Weesp");
    assert!(
        std::fs::read_to_string(&app.settings.regions)
            .unwrap()
            .starts_with("# The region registry the committed synthetic sample")
    );
    // In force at once.
    let accepted = app.call(Some(I), &upload).await;
    assert_eq!(
        accepted.status(),
        StatusCode::CREATED,
        "{}",
        text(accepted).await
    );
    let stored: Vec<String> = app
        .state
        .with_store(|store| {
            let mut regions = Vec::new();
            store.for_each_row(|row| {
                if row.group == "G9" {
                    regions.push(row.region);
                }
                Ok(())
            })?;
            Ok(regions)
        })
        .await
        .unwrap();
    assert_eq!(stored, ["Regio Weesp", "Duin- en Bollenstreek"]);
    // The page lists the new region, its source, and the version it was saved as.
    let page = text(app.call(Some(B), &get("/beheer?regios=3")).await).await;
    assert!(page.contains("Regio Weesp") && page.contains("https://example.org/weesp"));
    // Audited, with the version and what was added.
    let edits: Vec<serde_json::Value> = app
        .state
        .with_store(|store| store.audit_entries(None, None))
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "regions_changed" && e.actor == "web:beheerder")
        .map(|e| e.detail)
        .collect();
    assert_eq!(edits.len(), 2);
    assert_eq!(edits[0]["region_added"], "Regio Weesp");
    assert_eq!(edits[1]["alias_added"], "Bollenstreek Noord");
    // Refused: a spelling another region has, an unknown region, a source that is no web page.
    let file = std::fs::read_to_string(&app.settings.regions).unwrap();
    for (path, form, says) in [
        (
            "/beheer/regios/alias",
            "regio=Regio+Weesp&alias=Achterhoek",
            "hoort al bij",
        ),
        (
            "/beheer/regios/alias",
            "regio=Atlantis&alias=Atlantis+Noord",
            "geen regio",
        ),
        (
            "/beheer/regios",
            "naam=Regio+Bommel&bron=javascript%3Aalert(1)",
            "https://",
        ),
        ("/beheer/regios", "naam=+++", "vul een naam in"),
    ] {
        let response = app
            .call(
                Some(B),
                &post(leak(path.to_owned()), Payload::Form(leak(form.to_owned()))),
            )
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{form}");
        assert!(text(response).await.contains(says), "{form}");
    }
    assert_eq!(
        std::fs::read_to_string(&app.settings.regions).unwrap(),
        file
    );
    assert_eq!(app.state.regions().version(), before + 2);
    // Nobody else may add one.
    for role in [L, P, I] {
        let response = app
            .call(
                Some(role),
                &post("/beheer/regios", Payload::Form("naam=Regio+Stiekem")),
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    // A restart reads the new version.
    assert_eq!(app.restart().regions().version(), before + 2);
}
