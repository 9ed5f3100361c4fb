//! Data-driven cases: one `check(input, expected)` per hard case, redact and keep.

use super::*;

fn anonymiser() -> Anonymiser {
    let mut a = Anonymiser::new();
    a.protect([
        "Tech op Zuid Rotterdam",
        "Hart van Brabant",
        "Tech op Zuid",
        "Noordoost-Brabant",
        "'s-Hertogenbosch e.o.",
        "De Peel",
        "Ede e.o.",
    ]);
    a
}

#[track_caller]
fn check(input: &str, expected: &str) {
    assert_eq!(
        anonymiser().anonymise(input).text,
        expected,
        "input: {input}"
    );
}

#[test]
fn full_names_with_tussenvoegsels() {
    check(
        "Anna de Vries bracht de casus in.",
        "[NAAM] bracht de casus in.",
    );
    check(
        "We spraken met Pieter van der Meer over de stuurgroep.",
        "We spraken met [NAAM] over de stuurgroep.",
    );
    check(
        "Het advies kwam van Fatima El Amrani.",
        "Het advies kwam van [NAAM].",
    );
    check(
        "Daan van 't Hof en Sanne ter Horst waren er.",
        "[NAAM] en [NAAM] waren er.",
    );
    check(
        "Ook Mehmet Yilmaz en Priya Ramdin deelden ervaringen.",
        "Ook [NAAM] en [NAAM] deelden ervaringen.",
    );
    check(
        "Kees Wit-Haverkamp leidt het overleg.",
        "[NAAM] leidt het overleg.",
    );
}

#[test]
fn initials_titles_and_cues() {
    check(
        "Volgens J. de Vries is dat lastig.",
        "Volgens [NAAM] is dat lastig.",
    );
    check("A.B. Jansen schreef het plan.", "[NAAM] schreef het plan.");
    check(
        "Dhr. Okke Haaksbergen stelt voor te wachten.",
        "Dhr. [NAAM] stelt voor te wachten.",
    );
    check("Mevr. Wijnalda belt terug.", "Mevr. [NAAM] belt terug.");
    check(
        "Bespreek het met mevrouw Bakker.",
        "Bespreek het met mevrouw [NAAM].",
    );
    check(
        "Volgens collega Van der Berg werkt dat niet.",
        "Volgens collega [NAAM] werkt dat niet.",
    );
    check(
        "Zij sprak met 't Hart over de planning.",
        "Zij sprak met [NAAM] over de planning.",
    );
    // "Hart" is also part of a protected region name ("Hart van Brabant"), but not here.
    check(
        "Besproken met dhr. 't Hart, contactpersoon bij het ROC.",
        "Besproken met dhr. [NAAM], contactpersoon bij het ROC.",
    );
    check(
        "Lammers (beleidsmedewerker) schreef het.",
        "[NAAM] (beleidsmedewerker) schreef het.",
    );
    check(
        "Tip van Marloes: bel Maarten Oosterhuis.",
        "Tip van [NAAM]: bel [NAAM].",
    );
    check(
        "Dhr. Rik 't Hart is er; 't Hart kent de regeling.",
        "Dhr. [NAAM] is er; [NAAM] kent de regeling.",
    );
    check(
        "Het idee komt van Van der Berg.",
        "Het idee komt van [NAAM].",
    );
    check(
        "De Vries merkt dat de scholen achterover leunen.",
        "[NAAM] merkt dat de scholen achterover leunen.",
    );
}

#[test]
fn later_mentions_of_a_name_seen_in_full() {
    check(
        "Anna de Vries bracht de casus in. De Vries wil meer draagvlak; Anna zoekt steun.",
        "[NAAM] bracht de casus in. [NAAM] wil meer draagvlak; [NAAM] zoekt steun.",
    );
    let a = anonymiser();
    let group = a.anonymise_group(&[
        "Casus van Jorien Koopmans-Dijkhuis.",
        "Koopmans-Dijkhuis krijgt advies.",
        "Dijkhuis belt.",
    ]);
    let texts: Vec<&str> = group.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Casus van [NAAM].", "[NAAM] krijgt advies.", "[NAAM] belt."]
    );
}

#[test]
fn contact_details_and_numbers() {
    check(
        "Mail naar r.jansen+sto@voorbeeld-school.nl of bel.",
        "Mail naar [E-MAIL] of bel.",
    );
    for phone in [
        "06-12345678",
        "06 12 34 56 78",
        "0612345678",
        "+31 6 12345678",
        "+31 (0)6 1234 5678",
        "+31612345678",
        "0031 6 12345678",
        "010-1234567",
        "0591 123456",
        "020 - 123 45 67",
        "(010) 123 45 67",
        "0800 - 66 77 885",
        "0900-1234",
        "0800 1234567",
        "06–12345678",
        "06.12.34.56.78",
        "0031 (0)6 12345678",
        "020 – 123 45 67",
        "06 -12345678",
        "06\u{a0}12345678",
        "06\u{2011}12345678",
        "+32 3 123 45 67",
        "+597 123 4567",
        "+5999 123 4567",
    ] {
        check(
            &format!("Bel {phone} voor info."),
            "Bel [TELEFOON] voor info.",
        );
    }
    check(
        "Adres: Dorpsstraat 5, 1234 AB Ede.",
        "Adres: Dorpsstraat 5, [POSTCODE] Ede.",
    );
    check("Postcode 7411XK 12 klopt.", "Postcode [POSTCODE] klopt.");
    check(
        "BSN 123456782 en 1112.22.333 staan erin.",
        "BSN [BSN] en [BSN] staan erin.",
    );
    check(
        "Rekening NL91 ABNA 0417 1643 00 of NL91ABNA0417164300.",
        "Rekening [IBAN] of [IBAN].",
    );
}

#[test]
fn what_must_stay() {
    for text in [
        "In 2024 hadden 12 van de 40 regio's een TechLab.",
        "De Achterhoek en Zwolle werken samen met Apeldoorn.",
        "Tech op Zuid Rotterdam en Noordoost-Brabant delen een hotspot.",
        "Het Willem van Oranje College doet mee.",
        "De Johan de Witt Scholengroep heeft een nieuw lokaal.",
        "Het Thomas a Kempis College en het Maartenscollege sluiten aan.",
        "De school ligt aan de Johan de Wittlaan.",
        "Een leerling met de ziekte van Parkinson in de familie.",
        "Bakker worden is populair bij leerlingen.",
        "Visser worden is niet voor iedereen weggelegd.",
        "Het Koning Willem I College doet mee.",
        "OCW vraagt om verantwoording van het regioplan in maart.",
        "De Peel en Den Bosch en Den Helder en 's-Hertogenbosch.",
        "Hart van Brabant en Tech op Zuid doen mee.",
        "Het bedrag van 123456789 euro klopt niet.",
        "Op 14-03-2024 om 10.30 uur, zaal 2.01.",
        "[NAAM] belde [E-MAIL] en [TELEFOON].",
    ] {
        check(text, text);
    }
}

#[test]
fn counts_per_kind_never_values() {
    let r = anonymiser().anonymise("Dhr. Okke Haaksbergen (okke@example.org, 06-12345678).");
    assert_eq!(
        r.counts,
        RedactionCounts {
            names: 1,
            emails: 1,
            phones: 1,
            ..RedactionCounts::default()
        }
    );
    assert_eq!(r.counts.total(), 3);
}

proptest::proptest! {
    #[test]
    fn never_panics_and_is_idempotent(text in "\\PC{0,200}") {
        let a = anonymiser();
        let once = a.anonymise(&text).text;
        let twice = a.anonymise(&once).text;
        proptest::prop_assert_eq!(once, twice);
    }

    #[test]
    fn planted_emails_never_survive(
        user in "[a-z][a-z0-9._]{0,12}[a-z0-9]",
        domain in "[a-z][a-z0-9-]{0,10}[a-z0-9]",
        before in "[A-Za-z ]{0,30}",
    ) {
        let email = format!("{user}@{domain}.nl");
        let text = format!("{before} {email} na");
        let out = anonymiser().anonymise(&text).text;
        proptest::prop_assert!(!out.contains(&email), "{}", out);
    }

    #[test]
    fn planted_mobile_numbers_never_survive(n in 10_000_000u32..99_999_999, style in 0usize..4) {
        let d = format!("{n:08}");
        let phone = match style {
            0 => format!("06-{d}"),
            1 => format!("06 {} {} {} {}", &d[0..2], &d[2..4], &d[4..6], &d[6..8]),
            2 => format!("+31 6 {d}"),
            _ => format!("06{d}"),
        };
        let out = anonymiser().anonymise(&format!("Bel {phone} graag.")).text;
        proptest::prop_assert!(!out.contains(&d[2..]), "{}", out);
    }
}

/// The generator plants synthetic people and contact details and records them: the anonymiser
/// must catch them across a whole sample, with sessions anonymised as groups as on ingest.
#[test]
fn catches_the_personal_data_planted_in_generated_sessions() {
    use crate::synthetic::{GenerateOptions, generate};
    use eval::{GoldRecord, score};
    let regions: Vec<String> = crate::region::RegionRegistry::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/sample/regions.toml"),
    )
    .unwrap()
    .names()
    .map(str::to_owned)
    .collect();
    let mut a = Anonymiser::new();
    a.protect(&regions);
    let generated = generate(
        &GenerateOptions {
            sessions: 600,
            seed: 2020,
        },
        &regions,
    );
    let mut gold = Vec::new();
    let mut outputs = Vec::new();
    for session in &generated.sessions {
        let texts: Vec<&str> = session.items.iter().map(|i| i.text.as_str()).collect();
        for (item, redacted) in session.items.iter().zip(a.anonymise_group(&texts)) {
            gold.push(GoldRecord {
                id: String::new(),
                text: item.text.clone(),
                themes: vec![],
                persons: item.truth.persons.clone(),
                emails: item.truth.emails.clone(),
                phones: item.truth.phones.clone(),
                region: None,
                date: None,
                source: None,
                inserted: vec![],
            });
            outputs.push(redacted.text);
        }
    }
    let outputs: Vec<&str> = outputs.iter().map(String::as_str).collect();
    let scores = score(&gold, &outputs);
    if std::env::var("SHOW_MISSES").is_ok() {
        for (g, o) in gold.iter().zip(&outputs) {
            let one = score(std::slice::from_ref(g), &[o]);
            if !one.misses.is_empty() {
                println!("IN : {}\nOUT: {o}\nMISS: {:?}\n", g.text, one.misses);
            }
        }
    }
    if std::env::var("SHOW_MISSES").is_ok() {
        println!(
            "{:?} {:?} {:?} {:?}",
            scores.persons, scores.emails, scores.phones, scores.over_redaction
        );
    }
    let misses: Vec<_> = scores
        .misses
        .iter()
        .take(15)
        .map(|m| (m.kind, m.value.clone()))
        .collect();
    assert!(
        scores.persons.recall >= 0.98,
        "{:?} {misses:?}",
        scores.persons
    );
    assert_eq!(scores.emails.recall, 1.0, "{misses:?}");
    assert_eq!(scores.phones.recall, 1.0, "{misses:?}");
    assert!(
        scores.over_redaction.share <= 0.02,
        "{:?} {misses:?}",
        scores.over_redaction
    );
}

/// The classes of misses found in real published text (issue: anonymiser on real text), with
/// made-up names.
#[test]
fn the_ways_names_escaped_in_real_text() {
    // A full name followed by an organisation in brackets or after a comma.
    // (A school named after a person, "Piter Jelles", cannot be told from a person without a
    // list of schools: it may go too; the person before it never stays.)
    check(
        "Fenna Hoekstra (Piter Jelles, Leeuwarden) wil meer stageplekken.",
        "[NAAM] ([NAAM], Leeuwarden) wil meer stageplekken.",
    );
    check(
        "Het panel, met Sjoerd Algra (Vakcollege Noord), Marit de Boer (Zuiderlyceum) en Durk Visser.",
        "Het panel, met [NAAM] (Vakcollege Noord), [NAAM] (Zuiderlyceum) en [NAAM].",
    );
    // A lone surname with a verb of speaking.
    check(
        "Dat werkt niet, vindt Hoekstra.",
        "Dat werkt niet, vindt [NAAM].",
    );
    check(
        "Het moet anders, aldus Van der Meulen.",
        "Het moet anders, aldus [NAAM].",
    );
    check("‘Begin klein’, zegt Algra.", "‘Begin klein’, zegt [NAAM].");
    check("Dat licht Bakker toe.", "Dat licht [NAAM] toe.");
    // Speaker labels and first names alone.
    check(
        "Fenna: “We beginnen in mei.”",
        "[NAAM]: “We beginnen in mei.”",
    );
    check(
        "Sjoerd vertelt over de stage.",
        "[NAAM] vertelt over de stage.",
    );
    // Regional, foreign, hyphenated and three-part names; lower case typed in a hurry.
    for (name, rest) in [
        ("Sytske Wiersma", " opende het lokaal."),
        ("Wytze de Jong", " opende het lokaal."),
        ("Sjef Hoogenboom", " opende het lokaal."),
        ("Anaïs Benali", " opende het lokaal."),
        ("Chloë Verstappen", " opende het lokaal."),
        ("Marie-Claire Gambon-Dekker", " opende het lokaal."),
        ("Thiadmer de Witte Hoogeveen", " opende het lokaal."),
    ] {
        check(
            &format!("Gisteren heeft {name}{rest}"),
            &format!("Gisteren heeft [NAAM]{rest}"),
        );
    }
    check(
        "gesprek met fenna hoekstra over de planning",
        "gesprek met [NAAM] over de planning",
    );
    // The surname of someone named in full in another item of the same session.
    let group = anonymiser().anonymise_group(&[
        "Casus ingebracht door Wytze Algra.",
        "Algra wil de stuurgroep eerder betrekken.",
    ]);
    assert_eq!(group[1].text, "[NAAM] wil de stuurgroep eerder betrekken.");
    // … and in another session of the same batch, mid-sentence.
    let a = anonymiser();
    let batch = a.learn_batch(["Casus ingebracht door Wytze Algra."]);
    let other = a.anonymise_group_in_batch(&["De stuurgroep vraagt Algra om een plan."], &batch);
    assert_eq!(other[0].text, "De stuurgroep vraagt [NAAM] om een plan.");
}

/// The real-text test split: passages from public Dutch web pages, written by nobody on this
/// team and never tuned on (tests/fixtures/real/README.md). Fails below recall 0.95 or above
/// 2 % over-redaction, so a change that loses names on real text cannot land.
#[test]
fn holds_on_real_published_dutch_text() {
    use eval::{GoldRecord, anonymise_records, score};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let gold: Vec<GoldRecord> =
        std::fs::read_to_string(root.join("tests/fixtures/real/test.jsonl"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    assert!(
        gold.len() >= 120,
        "the test split has {} passages",
        gold.len()
    );
    let regions = crate::region::RegionRegistry::load(&root.join("data/regions.toml")).unwrap();
    let a = Anonymiser::for_regions(&regions);
    let outputs = anonymise_records(&a, &gold);
    let outputs: Vec<&str> = outputs.iter().map(String::as_str).collect();
    let s = score(&gold, &outputs);
    assert!(s.persons.recall >= 0.95, "person recall {:?}", s.persons);
    assert_eq!(s.emails.recall, 1.0, "{:?}", s.emails);
    assert_eq!(s.phones.recall, 1.0, "{:?}", s.phones);
    assert!(
        s.over_redaction.share <= 0.02,
        "over-redaction {:?}",
        s.over_redaction
    );
}

/// The rules added for real text, one case each (made-up names).
#[test]
fn rules_learnt_from_real_text() {
    for (input, expected) in [
        // A list of first names, completed from the ones a list knows.
        (
            "Salma, Ishpreet, Birgül en Kadir lazen voor.",
            "[NAAM], [NAAM], [NAAM] en [NAAM] lazen voor.",
        ),
        // Authors in a citation.
        (
            "Dat bleek eerder (Wobbema, Kuijpers & Bakker, 2006).",
            "Dat bleek eerder ([NAAM], [NAAM] & [NAAM], 2006).",
        ),
        // A name in capitals in a credit.
        ("FOTO: JOOST VAN GULICK", "FOTO: [NAAM]"),
        // "v.d." and a chain of initials.
        ("Bert v.d. Burgt en J.J.J. Bujs", "[NAAM] en [NAAM]"),
        // A form of address with a lower-case tussenvoegsel, as a speaker label.
        (
            "Mevr. van Rijswijk: “Dat komt goed.”",
            "Mevr. [NAAM]: “Dat komt goed.”",
        ),
        // An age after a comma.
        (
            "Cheila, een 31-jarige student, heeft die kans.",
            "[NAAM], een 31-jarige student, heeft die kans.",
        ),
        // A role compound before the name, a place as surname after a title.
        (
            "ICT-coördinator Karlot Bosch vertelt erover.",
            "ICT-coördinator [NAAM] vertelt erover.",
        ),
        (
            "Het gesprek met mevr. Zwanenburg.",
            "Het gesprek met mevr. [NAAM].",
        ),
        // A person ends before "van" + a place or an organisation.
        (
            "Burgemeester Krewinkel van Heerlen opende.",
            "Burgemeester [NAAM] van Heerlen opende.",
        ),
        (
            "Volgens Wim van de Pol van Noorderpoort is het klaar.",
            "Volgens [NAAM] van Noorderpoort is het klaar.",
        ),
    ] {
        check(input, expected);
    }
    // What must stay: schools, subjects, councils, mixed-case acronyms, street endings.
    for text in [
        "Op CS Vincent van Gogh en basisschool Remmelt Booy.",
        "Ze is docent Frans en voorzitter van de Raad van Toezicht.",
        "De AOb en de RvT spraken over de Bossche Vakschool.",
        "De directeur van Kennisnet kwam naar Zwolle.",
        "In 2020 (Corona) was het stil; de Wet (2019) geldt.",
    ] {
        check(text, text);
    }
    // "Versteeg" ends like a street but is a surname.
    check("Ik zag Anna Versteeg.", "Ik zag [NAAM].");
}
