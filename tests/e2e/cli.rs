//! The helper commands: anonymise, eval, generate, template.

use crate::helpers::{Sandbox, fixture, root, succeed};

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
