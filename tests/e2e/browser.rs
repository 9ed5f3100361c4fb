//! The dashboard in a real browser (headless Chromium through chromedriver): `signaalradar demo`
//! is started as a newcomer would, then each role logs in and uses its pages. A screenshot of
//! every page is saved under `target/screenshots/`.
//!
//! Needs the Debian packages `chromium` and `chromium-driver`. Without them the test says so and
//! passes, unless `SIGNAALRADAR_REQUIRE_BROWSER=1` (set by `.ci/run`) makes it fail.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::helpers::{Sandbox, root};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Kills a child process when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `signaalradar demo` on a free port and returns it with the dashboard's URL.
fn start_demo(sandbox: &Sandbox) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_signaalradar"))
        .current_dir(root())
        .env("SIGNAALRADAR_STORE", sandbox.store())
        .env_remove("RUST_LOG")
        .env_remove("SIGNAALRADAR_REGIONS")
        .args(["demo", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start signaalradar demo");
    let stdout = child.stdout.take().expect("demo stdout");
    let running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("demo ended before it printed the dashboard's URL")
            .expect("read demo output");
        if let Some(rest) = line.strip_prefix("The dashboard: ") {
            break rest.split_whitespace().next().expect("URL").to_owned();
        }
    };
    // Keep reading the banner so the demo never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (running, url)
}

fn start_chromedriver() -> (Running, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    (Running(child), port)
}

async fn connect(port: u16, profile: &std::path::Path) -> Client {
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-default-apps", "--disable-extensions",
                     "--window-size=1280,1000", format!("--user-data-dir={}", profile.display())]
        }
    });
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(caps.as_object().expect("capabilities").clone());
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(client) = builder.connect(&url).await {
            return client;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {url}");
}

struct Browser {
    client: Client,
    base: String,
    shots: std::path::PathBuf,
}

impl Browser {
    async fn go(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(self.shots.join(format!("{name}.png")), png).expect("save screenshot");
    }

    async fn source(&self) -> String {
        self.client.source().await.expect("page source")
    }

    async fn fill(&self, css: &str, text: &str) {
        let field = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    async fn wait_for(&self, css: &str) {
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("waiting for {css}: {e}"));
    }

    async fn script(&self, js: &str) {
        self.client.execute(js, vec![]).await.expect("run script");
    }

    /// Items of `theme` in `period` in the national trend table, as the API gives it.
    async fn national_items(&self, theme: &str, period: &str) -> i64 {
        // Opened as a page (the content security policy allows no script to fetch it).
        self.go("/api/v1/trends").await;
        let body = self
            .client
            .find(Locator::Css("body"))
            .await
            .expect("body")
            .text()
            .await
            .expect("text");
        let trends: serde_json::Value = serde_json::from_str(&body).expect("trends JSON");
        trends["themes"]
            .as_array()
            .expect("themes")
            .iter()
            .find(|t| t["theme"] == theme)
            .and_then(|t| {
                t["cells"]
                    .as_array()
                    .expect("cells")
                    .iter()
                    .find(|c| c["period"] == period)
            })
            .map_or(0, |c| c["items"].as_i64().unwrap_or(0))
    }

    async fn login(&self, name: &str, password: &str) {
        self.go("/inloggen").await;
        self.fill("#naam", name).await;
        self.fill("#wachtwoord", password).await;
        self.click("form.stack button[type=submit]").await;
        self.wait_for("form[action='/uitloggen']").await;
    }

    async fn logout(&self) {
        self.click("form[action='/uitloggen'] button").await;
        self.wait_for("#wachtwoord").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomer_uses_the_dashboard_in_a_real_browser() {
    if !std::path::Path::new(CHROMIUM).exists() || !std::path::Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("SIGNAALRADAR_REQUIRE_BROWSER").is_none(),
            "the browser test needs chromium and chromium-driver: apt-get install -y chromium chromium-driver"
        );
        eprintln!(
            "SKIPPED: no {CHROMIUM} or {CHROMEDRIVER} (apt-get install -y chromium chromium-driver)"
        );
        return;
    }
    let sandbox = Sandbox::new();
    let (_demo, base) = start_demo(&sandbox);
    let (_driver, port) = start_chromedriver();
    let profile = tempfile::tempdir().expect("browser profile");
    let shots = root().join("target/screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let b = Browser {
        client: connect(port, profile.path()).await,
        base,
        shots,
    };

    // Not logged in: every page leads to the login form.
    b.go("/overzicht").await;
    b.wait_for("#wachtwoord").await;
    b.shot("inloggen").await;

    // A moderator records a session through the form and sees the anonymisation preview.
    b.login("invoerder", "demo-invoerder").await;
    b.wait_for("#sessieformulier").await;
    b.shot("invoer").await;
    b.script(
        "document.getElementById('datum').value = '2026-11-02';
         for (const o of document.getElementById('regios').options) {
           o.selected = ['Sterk Techniekonderwijs Twente', 'Regio Achterhoek-oost', 'Sterk Techniekonderwijs Regio Zwolle'].includes(o.value);
         }",
    )
    .await;
    b.fill("#groep", "G42").await;
    b.fill("#ingebracht", "2").await;
    b.fill("#besproken", "1").await;
    b.script("document.getElementById('soort_1').value = 'signaal'; document.getElementById('regio_1').value = 'Sterk Techniekonderwijs Twente';").await;
    b.fill(
        "#tekst_1",
        "Volgens Jan de Vries (jan.devries@example.nl) is de werkdruk van docenten te hoog door het lerarentekort.",
    )
    .await;
    b.click("button[value=voorbeeld]").await;
    b.wait_for("#voorbeeld").await;
    let preview = b
        .client
        .find(Locator::Css("#voorbeeld"))
        .await
        .expect("preview")
        .text()
        .await
        .expect("preview text");
    assert!(
        preview.contains("[NAAM]") && preview.contains("[E-MAIL]"),
        "{preview}"
    );
    assert!(
        !preview.contains("Jan de Vries") && !preview.contains("example.nl"),
        "{preview}"
    );
    b.shot("invoer-voorbeeld").await;
    b.click("button[value=opslaan]").await;
    b.wait_for("#opgeslagen").await;
    b.shot("invoer-opgeslagen").await;
    b.logout().await;

    // A national supporter sees the overview chart, a theme, search, "my signal" and reports.
    b.login("landelijk", "demo-landelijk").await;
    b.wait_for("#overzicht-grafiek svg").await;
    let overview = b.source().await;
    assert!(
        overview.contains("Werkdruk"),
        "the heatmap names the themes"
    );
    b.shot("overzicht").await;
    b.go("/thema/docent_werkdruk").await;
    b.wait_for("#thema-grafiek svg").await;
    b.shot("thema").await;
    b.go("/zoeken?q=werkdruk").await;
    b.wait_for("ol.hits").await;
    assert!(
        b.source().await.contains("[NAAM]"),
        "the stored session is searchable, anonymised"
    );
    b.shot("zoeken").await;
    b.go("/mijn-signaal").await;
    b.fill(
        "#tekst",
        "Onze docenten hebben geen tijd door het lerarentekort",
    )
    .await;
    b.click("form.stack button[type=submit]").await;
    b.wait_for("#uitslag-kop").await;
    b.shot("mijn-signaal-landelijk").await;
    // Reports: make the last quarter's, then see it in the archive with its downloads.
    b.go("/rapporten").await;
    b.wait_for("#rapporten").await;
    b.click("form.filters button[type=submit]").await;
    b.wait_for("table.reports").await;
    let reports = b.source().await;
    assert!(reports.contains("naam=trendrapport-"), "a download link");
    b.shot("rapporten").await;
    // The English switch keeps the page.
    b.go("/overzicht").await;
    b.click("a[hreflang=en]").await;
    b.wait_for("#overzicht-grafiek svg").await;
    assert!(b.source().await.contains("Distinct regions per theme"));
    b.shot("overview-en").await;
    b.click("a[hreflang=nl]").await;
    b.wait_for("#overzicht-grafiek svg").await;
    b.logout().await;

    // A programme leader sees counts of other regions, never their names.
    b.login("programmaleider", "demo-programmaleider").await;
    b.wait_for("#overzicht-grafiek svg").await;
    b.shot("overzicht-programmaleider").await;
    b.go("/mijn-signaal").await;
    b.fill(
        "#tekst",
        "Onze docenten hebben geen tijd door het lerarentekort",
    )
    .await;
    b.click("form.stack button[type=submit]").await;
    b.wait_for("#uitslag-kop").await;
    let answer = b.source().await;
    assert!(!answer.contains("Achterhoek"), "no other region's name");
    b.shot("mijn-signaal-programmaleider").await;
    b.go("/rapporten").await;
    b.wait_for("#rapporten").await;
    b.click("form.filters button[type=submit]").await;
    b.wait_for("table.reports").await;
    assert!(
        b.source().await.contains("naam=trendrapport-"),
        "the leader's own version"
    );
    b.shot("rapporten-programmaleider").await;
    b.logout().await;

    // A national supporter corrects an item's themes on *Beoordelen*: the trend table counts
    // it at once.
    b.login("landelijk", "demo-landelijk").await;
    b.go("/beoordelen").await;
    b.wait_for("form.review-form").await;
    b.shot("beoordelen").await;
    let first = b
        .client
        .execute(
            "const f = document.querySelector('form.review-form');
             const box = [...f.querySelectorAll('input[name=thema]')].find(b => !b.checked);
             return [f.closest('article').querySelector('p.meta').textContent, box.value];",
            vec![],
        )
        .await
        .expect("choose a theme");
    let date = first[0].as_str().expect("meta")[..10].to_owned();
    let theme = first[1].as_str().expect("theme").to_owned();
    let month: u32 = date[5..7].parse().expect("month");
    let period = format!("{}-Q{}", &date[..4], (month - 1) / 3 + 1);
    let before = b.national_items(&theme, &period).await;
    b.client.back().await.expect("back to the review page");
    b.wait_for("form.review-form").await;
    b.client
        .execute(
            &format!(
                "const f = document.querySelector('form.review-form');
                 f.querySelectorAll('input[name=thema]').forEach(b => b.checked = b.value == '{theme}');"
            ),
            vec![],
        )
        .await
        .expect("tick the theme");
    b.click("form.review-form button[value=corrigeer]").await;
    b.wait_for(".notice.ok").await;
    assert_eq!(
        b.national_items(&theme, &period).await,
        before + 1,
        "the reviewed item counts for {theme} in {period} at once"
    );
    b.go("/overzicht").await;
    b.wait_for("#dekking-kop").await;
    // The demo's data ends today: its planted candidates are on the first screen.
    let overview = b.source().await;
    for planted in ["wetgeving", "corona"] {
        assert!(
            overview.contains(&format!(
                "<li class=\"card\"><h3><a href=\"/thema/{planted}\""
            )),
            "the overview lists the planted candidate {planted}"
        );
    }
    b.shot("overzicht-kandidaten").await;
    b.logout().await;

    // The administrator manages accounts.
    b.login("beheerder", "demo-beheerder").await;
    b.wait_for("#accounts-kop").await;
    b.shot("beheer").await;
    // ... and the regions: the real registry with its sources; a new spelling of a region is
    // a new version of the demo's copy, shown at once.
    let page = b.source().await;
    assert!(
        page.contains("Sterk Techniekonderwijs Apeldoorn e.o.")
            && page.contains("https://sterktechniekonderwijsapeldoorn.nl/"),
        "the registry lists the real regions with their sources"
    );
    b.script(
        "for (const o of document.getElementById('alias-regio').options) {
           o.selected = o.value === 'Sterk Techniekonderwijs Twente';
         }",
    )
    .await;
    b.fill("#alias-naam", "Twentse regio").await;
    b.click("form[action='/beheer/regios/alias'] button[type=submit]")
        .await;
    b.wait_for("#regios-kop").await;
    let page = b.source().await;
    assert!(
        page.contains("Regiolijst opgeslagen als versie 2"),
        "the new version is confirmed"
    );
    assert!(page.contains("Twentse regio"), "the new spelling is listed");
    b.shot("beheer-regio-toegevoegd").await;
    // On a phone.
    b.client.set_window_size(390, 844).await.expect("resize");
    b.logout().await;
    b.login("landelijk", "demo-landelijk").await;
    b.wait_for("#overzicht-grafiek svg").await;
    b.shot("overzicht-telefoon").await;

    b.client.close().await.expect("close the browser");
}

/// `demo` on the sample: no warning in its log, and the address and the logins are the last
/// lines it prints (the reports missed at start are made before).
#[test]
fn the_demo_starts_quietly_and_prints_the_address_and_logins_last() {
    let sandbox = Sandbox::new();
    let log = sandbox.store().with_extension("log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_signaalradar"))
        .current_dir(root())
        .env("SIGNAALRADAR_STORE", sandbox.store())
        .env("RUST_LOG", "info")
        .env_remove("SIGNAALRADAR_REGIONS")
        .args(["demo", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("start signaalradar demo");
    let stdout = child.stdout.take().expect("demo stdout");
    let running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = Vec::new();
    while let Some(Ok(line)) = lines.next() {
        let last_login = line.trim_start().starts_with("beheerder ");
        seen.push(line);
        if last_login {
            break;
        }
    }
    // Anything logged after the banner would show up in the log now.
    std::thread::sleep(Duration::from_secs(2));
    drop(running);
    let banner = seen
        .iter()
        .position(|l| l.starts_with("The dashboard: "))
        .expect("the address is printed");
    assert_eq!(
        seen.len() - banner,
        6,
        "the address, a heading and four logins end the output"
    );
    let log = std::fs::read_to_string(&log).expect("read the log");
    let warnings: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
        .collect();
    assert!(
        warnings.is_empty(),
        "warnings at start-up:\n{}",
        warnings.join("\n")
    );
}
