//! Ingest of every input format through the binary: what lands, idempotence, merging.

use crate::helpers::{Sandbox, fixture, root, sample_regions, succeed};

#[test]
fn jsonl_and_csv_land_with_their_fields() {
    let sandbox = Sandbox::new();
    let summary = sandbox.ingest_json(&[
        &fixture("input/sessies.jsonl"),
        &fixture("input/sessies.csv"),
    ]);
    assert_eq!(summary["sessions_added"], 3);
    assert_eq!(summary["items_added"], 8);
    assert_eq!(summary["rejected"], 0);
    let db = sandbox.db();
    let (mode, moderated, regions): (String, bool, String) = db
        .query_row(
            "SELECT mode, moderated, (SELECT group_concat(region, '|') FROM session_regions WHERE session_id = s.id)
             FROM sessions s WHERE group_id = 'G03'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((mode.as_str(), moderated), ("fysiek", false));
    // Aliases resolve to canonical names.
    assert_eq!(regions, "Apeldoorn e.o.|Ede e.o.");
    let themes: Vec<String> = db
        .prepare("SELECT theme FROM item_tags ORDER BY theme")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(themes, ["bedrijfsleven", "eigenaarschap", "wetgeving"]);
    let text: String = db
        .query_row(
            "SELECT text FROM items WHERE kind = 'casus' AND region = 'Drechtsteden'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(text.contains("de hotspot of de school?"), "{text}");
}

#[test]
fn reingesting_the_same_files_adds_nothing() {
    let sandbox = Sandbox::new();
    let files = [fixture("input/sessies.jsonl"), fixture("input/sessies.csv")];
    let files: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    sandbox.ingest_json(&files);
    let again = sandbox.ingest_json(&files);
    assert_eq!(again["sessions_added"], 0);
    assert_eq!(again["items_added"], 0);
    assert_eq!(again["sessions_already_stored"], 3);
    assert_eq!(again["items_already_stored"], 8);
    assert_eq!(sandbox.count("items"), 8);
    assert_eq!(sandbox.count("batches"), 2);
}

#[test]
fn generated_files_in_all_three_formats_land_whole() {
    // More sessions than one anonymise-and-write chunk (1,000), so the batch is written in
    // several steps and must still land whole.
    let sandbox = Sandbox::new();
    let out = sandbox.path("gen");
    sandbox
        .cmd()
        .args(["generate", "--sessions", "1100", "--seed", "7", "--out"])
        .arg(&out)
        .assert()
        .success();
    let files = ["sessies.jsonl", "sessies.csv", "sessies.xlsx"].map(|f| out.join(f));
    for file in &files {
        assert!(file.exists(), "{} was not generated", file.display());
    }
    let files: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    let summary = sandbox.ingest_json(&files);
    assert_eq!(summary["sessions_added"], 1100, "{summary}");
    assert_eq!(summary["rejected"], 0, "{summary}");
    let items = summary["items_added"].as_u64().unwrap();
    assert!(
        (4400..=6600).contains(&items),
        "{items} items for 1100 sessions"
    );
    assert_eq!(sandbox.count("items") as u64, items);
    assert_eq!(sandbox.count("batches"), 1);
    // Foreign keys are not checked row by row during the bulk write; the references must be
    // whole all the same.
    let db = sandbox.db();
    let mut check = db.prepare("PRAGMA foreign_key_check").unwrap();
    let dangling: Vec<String> = check
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        dangling.is_empty(),
        "rows without their parent in {dangling:?}"
    );
    let per_file = summary["files"].as_array().unwrap();
    assert!(
        per_file.iter().all(|f| f["sessions"].as_u64().unwrap() > 0),
        "{summary}"
    );
}

#[test]
fn a_session_split_over_two_files_is_one_session() {
    let sandbox = Sandbox::new();
    let header = "datum;groep;soort;regio;tekst\n";
    let a = sandbox.write(
        "a.csv",
        format!("{header}14-03-2024;G9;casus;Achterhoek;Eerste punt.\n"),
    );
    let b = sandbox.write(
        "b.jsonl",
        r#"{"date":"2024-03-14","group":"G9","items":[{"kind":"advies","region":"Salland","text":"Tweede punt."}]}"#,
    );
    let summary = sandbox.ingest_json(&[&a, &b]);
    assert_eq!(summary["sessions_added"], 1);
    assert_eq!(summary["items_added"], 2);
    let regions: i64 = sandbox
        .db()
        .query_row("SELECT COUNT(*) FROM session_regions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(regions, 2);
}

#[test]
fn export_writes_every_item_as_csv_and_xlsx() {
    let sandbox = Sandbox::new();
    sandbox.ingest_json(&[
        &fixture("input/sessies.jsonl"),
        &fixture("input/sessies.csv"),
    ]);
    let output = sandbox
        .cmd()
        .args(["export", "--format", "csv"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let csv = String::from_utf8(output.stdout).unwrap();
    let csv = csv.strip_prefix('\u{feff}').expect("BOM for Excel");
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("item;sessie;datum;programma;groep")
    );
    assert_eq!(lines.count(), 8);

    let xlsx = sandbox.path("export.xlsx");
    sandbox
        .cmd()
        .args(["export", "--format", "xlsx", "--out"])
        .arg(&xlsx)
        .assert()
        .success();
    use calamine::Reader;
    let mut workbook = calamine::open_workbook_auto(&xlsx).unwrap();
    let range = workbook.worksheet_range("Items").unwrap();
    assert_eq!(range.height(), 9);
}

#[test]
fn the_sample_data_ingests_cleanly_through_demo() {
    let sandbox = Sandbox::new();
    let output = succeed(sandbox.cmd().args(["demo", "--json", "--no-serve"]));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["rejected"], 0, "{summary}");
    let sessions = summary["sessions_added"].as_u64().unwrap();
    let items = summary["items_added"].as_u64().unwrap();
    assert!((550..=650).contains(&sessions), "{sessions} sessions");
    assert!((2700..=3300).contains(&items), "{items} items");
    assert!(
        summary["redactions"]["names"].as_u64().unwrap() > 50,
        "{summary}"
    );
    // The demo store lives inside the store folder, and a second run starts fresh.
    let again = sandbox
        .cmd()
        .args(["demo", "--json", "--no-serve"])
        .output()
        .unwrap();
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["items_added"], summary["items_added"]);
}

/// Two ingests at once: the second used to fail with "run `signaalradar reindex`" because the
/// first held the index. Now it waits; both batches end stored, classified and indexed.
#[test]
fn two_ingests_at_once_both_end_indexed() {
    let sandbox = Sandbox::new();
    let generated = sandbox.path("gen");
    succeed(
        sandbox
            .cmd()
            .args(["generate", "--sessions", "2000", "--seed", "7", "--out"])
            .arg(&generated),
    );
    let spawn = |file: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_signaalradar"))
            .current_dir(root())
            .env("SIGNAALRADAR_STORE", sandbox.store())
            .env("SIGNAALRADAR_REGIONS", sample_regions())
            .args(["ingest", "--json"])
            .arg(generated.join(file))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    // The store must exist before two processes race to create it.
    succeed(sandbox.cmd().args(["user", "list"]));
    let first = spawn("sessies.jsonl");
    let second = spawn("sessies.csv");
    for child in [first, second] {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let items = sandbox.count("items");
    assert!(items > 0);
    // Nothing left to index: a reader does not have to catch up.
    let search = succeed(sandbox.cmd().args(["search", "--json", "docent"]));
    assert!(
        !String::from_utf8_lossy(&search.stderr).contains("behind"),
        "{}",
        String::from_utf8_lossy(&search.stderr)
    );
    let themed: i64 = sandbox
        .db()
        .query_row("SELECT COUNT(DISTINCT item_id) FROM item_themes", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(themed > items / 2, "{themed} of {items} items classified");
}

/// With the default registry, a moderator's file that names the programme's real regions as
/// they write them is accepted and stored under the canonical names; a misspelt one is refused
/// with the name it probably means.
#[test]
fn real_region_names_are_accepted_with_the_default_registry() {
    let sandbox = Sandbox::new();
    let csv = sandbox.write(
        "echte-regios.csv",
        "datum,groep,soort,regio,tekst\n\
         2026-10-05,G1,signaal,STO Apeldoorn e.o.,De werkdruk van docenten is hoog.\n\
         2026-10-05,G1,signaal,Gorinchem/Altena,Stages bij bedrijven zijn lastig te vinden.\n\
         2026-10-05,G1,signaal,Zuid-Limburg,Het regioplan moet worden bijgesteld.\n\
         2026-10-05,G1,signaal,sto twente,De nieuwe wet vraagt veel van scholen.\n",
    );
    let output = succeed(
        sandbox
            .cmd()
            .env_remove("SIGNAALRADAR_REGIONS")
            .args(["ingest", "--json"])
            .arg(&csv),
    );
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["items_added"], 4, "{summary}");
    let regions: Vec<String> = sandbox
        .db()
        .prepare("SELECT region FROM items ORDER BY region")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        regions,
        [
            "Sterk Techniek Onderwijs Gorinchem Altena",
            "Sterk Techniek Onderwijs Zuid-Limburg",
            "Sterk Techniekonderwijs Apeldoorn e.o.",
            "Sterk Techniekonderwijs Twente",
        ]
    );
    let typo = sandbox.write(
        "typo.csv",
        "datum,groep,soort,regio,tekst\n2026-10-06,G2,signaal,Regio Stadskanal,Er is te weinig tijd.\n",
    );
    let output = sandbox
        .cmd()
        .env_remove("SIGNAALRADAR_REGIONS")
        .arg("ingest")
        .arg(&typo)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("did you mean \"Regio Stadskanaal\"?"),
        "{stderr}"
    );
}
