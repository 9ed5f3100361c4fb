//! Bad input never panics and never lands partly: each case gets a clear error naming where
//! and what, and the store stays empty.

use crate::helpers::{Sandbox, fixture, succeed};

const HEADER: &str = "datum;groep;soort;regio;tekst\n";

/// Ingests one file with `contents` and expects exit code 2, an error containing `expected`,
/// and nothing stored.
fn check(name: &str, contents: &[u8], expected: &str) {
    let sandbox = Sandbox::new();
    let file = sandbox.write(name, contents);
    let output = sandbox.cmd().arg("ingest").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
    assert!(
        stderr.contains(expected),
        "{name}: expected {expected:?} in\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    if sandbox.store().join("signaalradar.sqlite3").exists() {
        assert_eq!(sandbox.count("items"), 0, "{name}: something was stored");
        assert_eq!(sandbox.count("batches"), 0, "{name}: a batch was recorded");
    }
}

#[test]
fn malformed_files_are_refused_with_a_clear_error() {
    let huge = format!(
        "{HEADER}14-03-2024;G1;casus;Achterhoek;{}\n",
        "woord ".repeat(5000)
    );
    let ragged = format!("{HEADER}14-03-2024;G1;casus;Achterhoek;tekst;extra\n");
    let bad_date = format!("{HEADER}31-02-2024;G1;casus;Achterhoek;tekst\n");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", b"".to_vec(), "empty.csv: is empty"),
        ("empty.jsonl", b"\n\n".to_vec(), "empty.jsonl: contains no sessions"),
        ("header-only.csv", HEADER.as_bytes().to_vec(), "header-only.csv: contains no sessions"),
        ("unknown.csv", b"datum;groep;soort;regio;tekst;notities\n".to_vec(), "column \"notities\" is not known"),
        ("missing.csv", b"datum;tekst\n1;2\n".to_vec(), "lacks the required columns groep, soort, regio"),
        ("huge.csv", huge.into_bytes(), "huge.csv, row 2, column \"tekst\": is 29999 characters long"),
        ("ragged.csv", ragged.into_bytes(), "ragged.csv, row 2: has 6 cells but the header has 5 columns"),
        ("date.csv", bad_date.into_bytes(), "date.csv, row 2, column \"datum\": \"31-02-2024\" is not a date"),
        ("bad.jsonl", b"{\"date\": \"2024-03-14\",\n".to_vec(), "bad.jsonl, line 1: is not valid JSON"),
        ("binary.csv", vec![0x00, 0x9d, 0xff, 0x10], "is neither UTF-8 nor Windows-1252"),
        ("fake.xlsx", b"not a workbook".to_vec(), "fake.xlsx: cannot be opened as a spreadsheet"),
        ("notes.docx", b"x".to_vec(), "unknown file type \".docx\""),
        (
            "region.jsonl",
            br#"{"date":"2024-03-14","group":"G1","items":[{"kind":"casus","region":"Twente-Zuidd","text":"x"}]}"#.to_vec(),
            "did you mean \"Twente Zuid\"?",
        ),
    ];
    for (name, contents, expected) in cases {
        check(name, &contents, expected);
    }
}

#[test]
fn windows_1252_csv_is_converted_with_a_note() {
    let sandbox = Sandbox::new();
    // "Continuïteit" with ï as the single byte 0xEF, as Excel's plain CSV writes it.
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend(b"14-03-2024;G1;casus;Achterhoek;Continu\xefteit na 2026 is onzeker.\n");
    let file = sandbox.write("excel.csv", bytes);
    let output = sandbox.cmd().arg("ingest").arg(&file).output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Windows-1252"));
    let text: String = sandbox
        .db()
        .query_row("SELECT text FROM items", [], |r| r.get(0))
        .unwrap();
    assert_eq!(text, "Continuïteit na 2026 is onzeker.");
}

#[test]
fn one_bad_file_keeps_the_whole_batch_out() {
    let sandbox = Sandbox::new();
    let bad = sandbox.write(
        "bad.csv",
        format!("{HEADER}14-03-2024;G1;vraag;Achterhoek;x\n"),
    );
    let output = sandbox
        .cmd()
        .arg("ingest")
        .arg(fixture("input/sessies.jsonl"))
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("nothing was stored"), "{stderr}");
    assert!(
        stderr.contains("bad.csv, row 2, column \"soort\": \"vraag\" is not an item kind"),
        "{stderr}"
    );
    assert_eq!(sandbox.count("items"), 0);
}

#[test]
fn skip_invalid_lands_the_valid_records_and_writes_rejects_without_text() {
    let sandbox = Sandbox::new();
    let bad = sandbox.write(
        "mixed.csv",
        format!("{HEADER}14-03-2024;G1;casus;Achterhoek;Goed punt.\n15-03-2024;G2;vraag;Achterhoek;Geheime tekst van Sjoerd Wijnalda\n"),
    );
    let rejects = sandbox.path("rejects.jsonl");
    let output = succeed(
        sandbox
            .cmd()
            .args(["ingest", "--skip-invalid", "--json", "--rejects"])
            .arg(&rejects)
            .arg(&bad)
            .arg(sandbox.write("empty.csv", "")),
    );
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["items_added"], 1);
    assert_eq!(summary["rejected"], 2, "{summary}");
    let rejects = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(rejects.lines().count(), 2, "{rejects}");
    assert!(rejects.contains("\"number\":3"), "{rejects}");
    assert!(rejects.contains("whole file left out"), "{rejects}");
    assert!(
        !rejects.contains("Wijnalda") && !rejects.contains("Geheime"),
        "{rejects}"
    );
}

#[test]
fn duplicate_rows_are_kept_once() {
    let sandbox = Sandbox::new();
    let row = "14-03-2024;G1;casus;Achterhoek;Hetzelfde punt twee keer.\n";
    let file = sandbox.write("dup.csv", format!("{HEADER}{row}{row}"));
    let summary = sandbox.ingest_json(&[&file]);
    assert_eq!(summary["items_added"], 1);
    assert_eq!(summary["duplicate_items"], 1);
}

#[test]
fn a_missing_file_is_a_user_error() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .cmd()
        .args(["ingest", "does-not-exist.csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
}
