//! Raw text never reaches the store or the logs: ingest text full of (synthetic) personal data,
//! then scan every byte the store wrote and everything the binary printed.

use crate::helpers::{Sandbox, succeed};

/// Synthetic people and contact details, and the strings that must not survive anywhere.
const SESSION: &str = r#"{"date":"2024-05-02","group":"G21","items":[
 {"kind":"casus","region":"Achterhoek","text":"Mevr. Roosmarijn van der Wijngaart (r.vanderwijngaart@voorbeeldschool.nl, 06-48213975) vraagt hoe zij de scholen meer eigenaar maakt."},
 {"kind":"advies","region":"Salland","text":"Bel Van der Wijngaart eens met dhr. Okke Haaksbergen over de hotspot; hij is bereikbaar op +31 6 2847 1936."},
 {"kind":"signaal","region":"Salland","text":"Roosmarijn merkt dat het docententekort toeneemt; haar postcode 7411 XK 12 en IBAN NL91 ABNA 0417 1643 00 horen hier niet."}
]}"#;

const SECRETS: &[&str] = &[
    "Roosmarijn",
    "Wijngaart",
    "Haaksbergen",
    "Okke",
    "vanderwijngaart",
    "voorbeeldschool",
    "48213975",
    "2847 1936",
    "7411 XK",
    "0417 1643",
];

#[test]
fn raw_text_never_reaches_the_store_or_the_output() {
    let sandbox = Sandbox::new();
    let file = sandbox.write("privacy.jsonl", SESSION.replace('\n', ""));
    let output = succeed(
        sandbox
            .cmd()
            .env("SIGNAALRADAR_LOG", "trace")
            .args(["ingest", "--json"])
            .arg(&file),
    );
    let printed = [output.stdout, output.stderr].concat();

    // Every file the store wrote: database, WAL and shared memory, and the search index.
    let mut stored = Vec::new();
    let mut folders = vec![sandbox.store()];
    let mut index_files = 0;
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                index_files += usize::from(folder.ends_with("index"));
                stored.extend(std::fs::read(&path).unwrap());
            }
        }
    }
    assert!(index_files > 0, "the index was not written");
    assert!(
        stored.len() > 4096,
        "the store wrote too little to be a database"
    );
    for secret in SECRETS {
        for (place, bytes) in [("store", &stored), ("output", &printed)] {
            let found = bytes
                .windows(secret.len())
                .any(|w| w.eq_ignore_ascii_case(secret.as_bytes()));
            assert!(!found, "{secret:?} reached the {place}");
        }
    }
    // What did land is the anonymised text, with the non-personal words intact.
    let texts: Vec<String> = sandbox
        .db()
        .prepare("SELECT text FROM items ORDER BY ordinal")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(texts.len(), 3);
    assert!(
        texts[0].contains("[NAAM]")
            && texts[0].contains("[E-MAIL]")
            && texts[0].contains("[TELEFOON]"),
        "{texts:?}"
    );
    assert!(texts[1].contains("hotspot"), "{texts:?}");
    assert!(
        texts[2].contains("docententekort") && texts[2].contains("[IBAN]"),
        "{texts:?}"
    );
}
