//! `signaalradar report` on the committed sample: the Markdown as a snapshot, the PDF's text
//! (through poppler's `pdftotext`) holding the headline figures the trend commands give, the
//! XLSX holding the CSV's numbers, byte-identical output for the same data, and a programme
//! leader's report naming no other region.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::helpers::{Sandbox, json, sample, succeed};

/// The day the report is made on: 2026-Q3 is then closed, 2026-Q4 running.
const TODAY: &str = "2026-11-23";
const PERIOD: &str = "2026-Q3";
const GENERATED_AT: &str = "2026-11-23T06:00:00Z";

/// Runs `report` into `out` and returns the files written, by relative path.
fn report(sandbox: &Sandbox, out: &Path, args: &[&str]) -> BTreeMap<String, Vec<u8>> {
    succeed(
        sandbox
            .cmd()
            .args(["report", "--period", PERIOD, "--as-of", TODAY])
            .args(["--generated-at", GENERATED_AT, "--out"])
            .arg(out)
            .args(args),
    );
    let mut files = BTreeMap::new();
    collect(out, out, &mut files);
    files
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(name, std::fs::read(&path).unwrap());
        }
    }
}

/// The PDF's text with runs of white space made single spaces, or `None` when poppler-utils is
/// not installed (CI installs it and sets `SIGNAALRADAR_REQUIRE_POPPLER`, so there it fails).
fn pdf_text(path: &Path) -> Option<String> {
    let output = match Command::new("pdftotext").arg(path).arg("-").output() {
        Ok(output) => output,
        Err(e) => {
            assert!(
                std::env::var_os("SIGNAALRADAR_REQUIRE_POPPLER").is_none(),
                "pdftotext is required here: {e}"
            );
            eprintln!("skipped: pdftotext not found ({e}); apt-get install poppler-utils");
            return None;
        }
    };
    assert!(
        output.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    let text = String::from_utf8(output.stdout).unwrap();
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The headline figures of 2026-Q3 as the `trends` command gives them: sessions held, active
/// regions, and the theme raised by most regions with its count.
fn headline(sandbox: &Sandbox) -> (u64, u64, String, u64) {
    let view = json(succeed(
        sandbox.cmd().args(["trends", "--json", "--as-of", TODAY]),
    ));
    let period = view["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == PERIOD)
        .unwrap();
    let top = view["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let cell = t["cells"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["period"] == PERIOD)
                .unwrap();
            (
                t["label_nl"].as_str().unwrap().to_owned(),
                cell["regions"].as_u64().unwrap(),
            )
        })
        .max_by_key(|(_, n)| *n)
        .unwrap();
    (
        period["sessions_held"].as_u64().unwrap(),
        period["active_regions"].as_u64().unwrap(),
        top.0,
        top.1,
    )
}

#[test]
fn the_national_report_holds_the_sample_figures_in_every_format() {
    let sandbox = sample();
    let out = sandbox.path("rapport");
    let files = report(&sandbox, &out, &[]);
    let stem = format!("trendrapport-{PERIOD}");
    for name in [
        format!("{stem}.pdf"),
        format!("{stem}.html"),
        format!("{stem}.md"),
        format!("{stem}-tabellen.xlsx"),
        "tabellen/kerncijfers.csv".into(),
        "grafieken/thema-corona.png".into(),
        "grafieken/sessies.png".into(),
    ] {
        assert!(
            files.contains_key(&name),
            "{name} missing: {:?}",
            files.keys()
        );
    }

    // The Markdown, whole: a change in wording or numbers shows up in review.
    let markdown = String::from_utf8(files[&format!("{stem}.md")].clone()).unwrap();
    insta::assert_snapshot!("report_national_2026_q3", markdown);
    for chart in markdown.split("](grafieken/").skip(1) {
        let name = chart.split(')').next().unwrap();
        let png = &files[&format!("grafieken/{name}")];
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name} is a PNG");
    }

    // The PDF's text holds the headline figures the trend command gives.
    let (sessions, regions, top, top_regions) = headline(&sandbox);
    if let Some(text) = pdf_text(&out.join(format!("{stem}.pdf"))) {
        for needle in [
            format!("Trendrapport {PERIOD}"),
            format!(
                "In {PERIOD} kwamen de intervisiegroepen {sessions} keer bijeen, met {regions} actieve regio's."
            ),
            format!("{top} ({top_regions} regio's"),
            "Inhoud".into(),
            "Methode en openbaarheid".into(),
            "Gegevens tot en met".into(),
            "taxonomieversie".into(),
            "Pagina 1 van".into(),
        ] {
            assert!(text.contains(&needle), "{needle:?} not in the PDF's text");
        }
    }

    // The HTML is one self-contained file: inline CSS and SVG, nothing fetched.
    let html = String::from_utf8(files[&format!("{stem}.html")].clone()).unwrap();
    assert!(html.contains("<style>") && html.contains("<svg"));
    for fetch in ["<link", "<script", "src=\"http", "href=\"http"] {
        assert!(!html.contains(fetch), "{fetch} in the HTML");
    }
    assert!(html.contains(&format!(
        "{sessions} keer bijeen, met {regions} actieve regio"
    )));

    // Every CSV is a sheet of the workbook, with the same numbers.
    let mut workbook: Xlsx<_> = open_workbook(out.join(format!("{stem}-tabellen.xlsx"))).unwrap();
    let csvs: Vec<&String> = files
        .keys()
        .filter(|n| n.starts_with("tabellen/"))
        .collect();
    assert!(csvs.len() > 10, "a table per theme and more: {csvs:?}");
    for name in csvs {
        let sheet_name = name
            .trim_start_matches("tabellen/")
            .trim_end_matches(".csv");
        let sheet = workbook.worksheet_range(sheet_name).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(files[name].as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(sheet.height(), rows.len(), "{sheet_name}: rows");
        for (r, row) in rows.iter().enumerate() {
            for (c, field) in row.iter().enumerate() {
                let cell = sheet.get((r, c)).unwrap_or(&Data::Empty);
                match cell {
                    Data::Float(x) => {
                        let from_csv: f64 = field.parse().unwrap_or_else(|_| {
                            panic!("{sheet_name} ({r},{c}): {field:?} is no number")
                        });
                        assert!(
                            (x - from_csv).abs() < 0.051,
                            "{sheet_name} ({r},{c}): {x} vs {field}"
                        );
                    }
                    Data::Int(n) => assert_eq!(n.to_string(), field, "{sheet_name} ({r},{c})"),
                    Data::String(s) => assert_eq!(s, field, "{sheet_name} ({r},{c})"),
                    Data::Empty => assert_eq!(field, "", "{sheet_name} ({r},{c})"),
                    other => panic!("{sheet_name} ({r},{c}): unexpected {other:?}"),
                }
            }
        }
    }
    // The key figures are numbers in both.
    let figures = workbook.worksheet_range("kerncijfers").unwrap();
    assert_eq!(figures.get((1, 1)), Some(&Data::Float(sessions as f64)));
}

#[test]
fn the_same_data_gives_the_same_files() {
    let sandbox = sample();
    let first = report(&sandbox, &sandbox.path("een"), &[]);
    let second = report(&sandbox, &sandbox.path("twee"), &[]);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first {
        assert!(bytes == &second[name], "{name} differs between two runs");
    }
}

#[test]
fn a_programme_leaders_report_names_no_other_region() {
    let sandbox = sample();
    let regions: Vec<String> = sandbox
        .db()
        .prepare("SELECT DISTINCT region FROM session_regions ORDER BY region")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let own = regions[0].as_str();
    // Every other region's name and alias from the registry (sessions or not).
    let registry =
        std::fs::read_to_string(crate::helpers::root().join("data/sample/regions.toml")).unwrap();
    let mut others: Vec<String> = registry
        .lines()
        .filter(|l| l.starts_with("name") || l.starts_with("aliases"))
        .filter_map(|l| l.split_once('=').map(|(_, v)| v))
        .flat_map(|v| {
            v.split('"')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|name| name.len() > 3 && !own.contains(name.as_str()))
        .collect();
    others.extend(regions.iter().filter(|r| *r != own).cloned());
    others.sort();
    others.dedup();
    assert!(others.len() > 40, "the registry's names: {}", others.len());

    let out = sandbox.path("leider");
    let files = report(
        &sandbox,
        &out,
        &["--role", "programmaleider", "--region", own],
    );
    let named = |end: &str| out.join(files.keys().find(|n| n.ends_with(end)).unwrap());
    let mut texts: Vec<(String, String)> = files
        .iter()
        .filter(|(name, _)| [".md", ".html", ".csv"].iter().any(|e| name.ends_with(e)))
        .map(|(name, bytes)| (name.clone(), String::from_utf8(bytes.clone()).unwrap()))
        .collect();
    if let Some(text) = pdf_text(&named(".pdf")) {
        texts.push(("pdf".into(), text));
    }
    let mut workbook: Xlsx<_> = open_workbook(named("-tabellen.xlsx")).unwrap();
    for sheet in workbook.sheet_names() {
        let range = workbook.worksheet_range(&sheet).unwrap();
        let cells: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
        texts.push((format!("xlsx:{sheet}"), cells.join("\n")));
    }
    assert!(texts.len() > 10);
    for (name, text) in &texts {
        for other in &others {
            assert!(!text.contains(other.as_str()), "{other} in {name}");
        }
    }
    let markdown = &texts.iter().find(|(n, _)| n.ends_with(".md")).unwrap().1;
    assert!(markdown.contains(&format!("Versie voor de programmaleider van regio {own}")));
    assert!(markdown.contains("<3"), "small counts are withheld");
}

#[test]
fn report_mistakes_are_explained_and_english_is_a_switch() {
    let sandbox = sample();
    let out = sandbox.path("english");
    let files = report(&sandbox, &out, &["--lang", "en", "--format", "md,csv"]);
    assert_eq!(
        files
            .keys()
            .filter(|n| !n.starts_with("tabellen/") && !n.starts_with("grafieken/"))
            .collect::<Vec<_>>(),
        ["trend-report-2026-Q3.md"],
        "only the formats asked for"
    );
    let markdown = String::from_utf8(files["trend-report-2026-Q3.md"].clone()).unwrap();
    for needle in [
        "# Trend report 2026-Q3",
        "## 1 Summary",
        "National version",
        "Method and disclosure",
    ] {
        assert!(
            markdown.contains(needle),
            "{needle:?} not in the English report"
        );
    }
    assert!(!markdown.contains("Samenvatting"));

    for (args, needle) in [
        (
            vec!["--period", "2026"],
            "is not a quarter period: write it like",
        ),
        (vec!["--period", "2031-Q1"], "has not started yet"),
        (
            vec!["--period", "2019-Q4"],
            "there are no sessions up to 2019-12-31: the data starts in 2020-Q1; choose a period from 2020-Q1 on",
        ),
        (vec!["--role", "programmaleider"], "needs --region"),
        (vec!["--format", "docx"], "invalid value 'docx'"),
    ] {
        let output = sandbox
            .cmd()
            .args(["report", "--as-of", TODAY, "--out"])
            .arg(sandbox.path("x"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
    }
    let empty = Sandbox::new();
    let output = empty
        .cmd()
        .args(["report", "--as-of", TODAY, "--out"])
        .arg(empty.path("x"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("ingest sessions first"));
}

/// Regression: a closed period's tables run one day into the next period, and the dossier of a
/// candidate used to show that next period as a "running" row.
#[test]
fn a_closed_periods_report_shows_nothing_after_it() {
    let sandbox = sample();
    let out = sandbox.path("2022-Q2");
    succeed(
        sandbox
            .cmd()
            .args(["report", "--period", "2022-Q2", "--as-of", TODAY])
            .args(["--format", "md", "--out"])
            .arg(&out),
    );
    let markdown = std::fs::read_to_string(out.join("trendrapport-2022-Q2.md")).unwrap();
    // The planted plan deadline makes the plan update a candidate in 2022-Q2, with its dossier.
    assert!(
        markdown.contains("Kandidaat: Actualisatie van plannen"),
        "{markdown}"
    );
    assert!(markdown.contains("**Dossier Actualisatie van plannen**"));
    assert!(
        markdown.contains("verschillende regio's brachten het thema in 2022-Q1 – 2022-Q2 in"),
        "{markdown}"
    );
    assert!(!markdown.contains("2022-Q3"), "{markdown}");
    assert!(!markdown.contains("(lopend)"), "{markdown}");
}
