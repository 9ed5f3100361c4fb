//! The helper commands: anonymise, eval, generate, template.

use crate::helpers::{Sandbox, fails_with, fixture, json, root, succeed};

#[test]
fn anonymise_plain_lines_and_json_lines() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .arg("anonymise")
        .write_stdin(
            "Dhr. Jelmer Hoekstra mailde j.hoekstra@example.org.\nDe Achterhoek wil meer.\n",
        )
        .assert()
        .success()
        .stdout("Dhr. [NAAM] mailde [E-MAIL].\nDe Achterhoek wil meer.\n");
    let output = sandbox
        .cmd()
        .args(["anonymise", "--jsonl"])
        .write_stdin("{\"id\":\"x1\",\"text\":\"Bel Fenna de Graaf op 06-12345678.\",\"region\":\"Salland\"}\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "{\"id\":\"x1\",\"text\":\"Bel [NAAM] op [TELEFOON].\",\"region\":\"Salland\"}\n"
    );
    let bad = sandbox
        .cmd()
        .args(["anonymise", "--jsonl"])
        .write_stdin("[1]\n")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("line 1: not a JSON object"));
}

#[test]
fn eval_anonymise_meets_the_targets_on_the_gold_file() {
    let sandbox = Sandbox::new();
    let output = succeed(
        sandbox
            .cmd()
            .args(["eval", "anonymise", "--json", "--gold"])
            .arg(fixture("anonymise_gold.jsonl")),
    );
    let scores: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let recall = |kind: &str| scores[kind]["recall"].as_f64().unwrap();
    assert!(recall("persons") >= 0.98, "{scores}");
    assert_eq!(recall("emails"), 1.0, "{scores}");
    assert_eq!(recall("phones"), 1.0, "{scores}");
    assert!(
        scores["over_redaction"]["share"].as_f64().unwrap() <= 0.02,
        "{scores}"
    );
}

/// `--misses` prints each miss in context under its class; `--layers` switches name layers off
/// (fewer layers find fewer names), and an unknown layer is the caller's mistake.
#[test]
fn eval_anonymise_prints_misses_by_class_and_measures_layers() {
    let sandbox = Sandbox::new();
    let gold = sandbox.write(
        "gold.jsonl",
        concat!(
            r#"{"id":"a","source":"https://example.org/1","text":"Volgens Wobkje Verbeet gaat het goed.","persons":["Wobkje Verbeet"],"emails":[],"phones":[]}"#,
            "\n",
            r#"{"id":"b","source":"https://example.org/1","text":"Ehlan pakt de bovenverdieping aan in Zwolle.","persons":["Ehlan"],"emails":[],"phones":[]}"#,
            "\n",
        ),
    );
    let output = succeed(
        sandbox
            .cmd()
            .args(["eval", "anonymise", "--misses", "--gold"])
            .arg(&gold),
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("persons                1       2    0.500"),
        "{text}"
    );
    assert!(
        text.contains("uncommon, hyphenated or lower-case name (1)"),
        "{text}"
    );
    assert!(text.contains("«Ehlan» pakt de bovenverdieping"), "{text}");
    let recall = |layers: &str| {
        let out = succeed(
            sandbox
                .cmd()
                .args(["eval", "anonymise", "--json", "--layers", layers, "--gold"])
                .arg(&gold),
        );
        json(out)["persons"]["found"].as_u64().unwrap()
    };
    assert_eq!(recall("patterns"), 0);
    assert_eq!(recall("patterns,gazetteer,cues"), 1);
    fails_with(
        sandbox
            .cmd()
            .args(["eval", "anonymise", "--layers", "patterns,magic", "--gold"])
            .arg(&gold),
        "unknown layer \"magic\"",
    );
}

#[test]
fn generate_is_deterministic_per_seed() {
    let sandbox = Sandbox::new();
    let run = |dir: &str, seed: &str| {
        let out = sandbox.path(dir);
        sandbox
            .cmd()
            .args(["generate", "--sessions", "30", "--seed", seed, "--out"])
            .arg(&out)
            .assert()
            .success();
        std::fs::read(out.join("sessies.jsonl")).unwrap()
    };
    let a = run("a", "5");
    assert_eq!(a, run("b", "5"));
    assert_ne!(a, run("c", "6"));
}

#[test]
fn the_committed_template_matches_the_code_and_reads_as_input() {
    use calamine::Reader;
    let sandbox = Sandbox::new();
    let fresh = sandbox.path("sessies.xlsx");
    sandbox
        .cmd()
        .args(["template", "--out"])
        .arg(&fresh)
        .assert()
        .success();
    let cells = |path: &std::path::Path| {
        let mut workbook = calamine::open_workbook_auto(path).unwrap();
        let names = workbook.sheet_names();
        names
            .iter()
            .map(|name| {
                let range = workbook.worksheet_range(name).unwrap();
                range
                    .rows()
                    .map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let committed = root().join("data/templates/sessies.xlsx");
    assert_eq!(
        cells(&fresh),
        cells(&committed),
        "data/templates/sessies.xlsx is stale: run `signaalradar template`"
    );
    // The empty template is refused politely rather than stored as nothing.
    let output = sandbox.cmd().arg("ingest").arg(&fresh).output().unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("contains no sessions"));
}

/// Text in another encoding is the caller's mistake: exit 2 with advice, not 1.
#[test]
fn anonymise_refuses_non_utf8_input_as_a_usage_error() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .cmd()
        .arg("anonymise")
        .write_stdin(b"Goede morgen\n\xe9\xe9n docent\n".to_vec())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 2 is not UTF-8"), "{stderr}");
}
