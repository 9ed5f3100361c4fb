//! Synthetic personal data sprinkled into item texts, so the anonymiser has realistic work:
//! invented people (first names, surnames with tussenvoegsels, "dhr."/"mevr." with a later
//! surname-only mention), e-mail addresses, Dutch phone numbers and the odd address with a
//! postcode. Every surface form written is recorded in the item's [`Truth`], like a gold file.
//!
//! All names are made up for this project; none belongs to anyone in the source documents.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::Truth;
use super::texts::{capitalise_first, pick, starts_with_label};
use crate::record::ItemKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    F,
    M,
}

const FIRST_NAMES: &[(&str, Gender)] = &[
    ("Marloes", Gender::F),
    ("Jeroen", Gender::M),
    ("Sanne", Gender::F),
    ("Bart", Gender::M),
    ("Ingrid", Gender::F),
    ("Wouter", Gender::M),
    ("Femke", Gender::F),
    ("Ruud", Gender::M),
    ("Anouk", Gender::F),
    ("Joost", Gender::M),
    ("Esther", Gender::F),
    ("Thijs", Gender::M),
    ("Lotte", Gender::F),
    ("Maarten", Gender::M),
    ("Ilse", Gender::F),
    ("Gerrit", Gender::M),
    ("Mirjam", Gender::F),
    ("Sjoerd", Gender::M),
    ("Hanneke", Gender::F),
    ("Kees", Gender::M),
    ("Yvonne", Gender::F),
    ("Dennis", Gender::M),
    ("Astrid", Gender::F),
    ("Pieter", Gender::M),
    ("Nadia", Gender::F),
    ("Erwin", Gender::M),
    ("Carolien", Gender::F),
    ("Hamid", Gender::M),
    ("Fatima", Gender::F),
    ("Youssef", Gender::M),
    ("Wilma", Gender::F),
    ("Rik", Gender::M),
    ("Lieke", Gender::F),
    ("Stefan", Gender::M),
    ("Annemiek", Gender::F),
    ("Tjeerd", Gender::M),
    ("Marieke", Gender::F),
    ("Koen", Gender::M),
    ("Sevda", Gender::F),
    ("Jelle", Gender::M),
];

/// (tussenvoegsel, surname); the tussenvoegsel is lower case after a first name and capitalised
/// when the surname stands alone ("Sanne van 't Hof", later "Van 't Hof").
const SURNAMES: &[(&str, &str)] = &[
    ("", "Veldkamp"),
    ("", "Hofstede"),
    ("", "Brinkman"),
    ("", "Zwanenburg"),
    ("", "Kuipers"),
    ("", "Lammers"),
    ("", "Timmerman"),
    ("", "Verhoeven"),
    ("", "Schuurman"),
    ("", "Oosterhuis"),
    ("", "Wijnands"),
    ("", "Dekkers"),
    ("", "Hoekstra"),
    ("", "Meulenbelt"),
    ("", "Roelofs"),
    ("", "Scholten"),
    ("", "Gerritsen"),
    ("", "Terpstra"),
    ("", "Kaya"),
    ("", "El Amrani"),
    ("", "Yilmaz"),
    ("", "Nijboer"),
    ("van der", "Linde"),
    ("van der", "Meer"),
    ("van der", "Wal"),
    ("de", "Wilde"),
    ("de", "Groot"),
    ("de", "Ruiter"),
    ("van 't", "Hof"),
    ("van 't", "Veer"),
    ("'t", "Hart"),
    ("van den", "Heuvel"),
    ("van", "Dalen"),
    ("van", "Leeuwen"),
    ("ter", "Horst"),
    ("van de", "Kamp"),
    ("den", "Hartog"),
    ("in 't", "Veld"),
    ("van", "Wijk"),
    ("de", "Haan"),
];

const ROLES: &[&str] = &[
    "teamleider techniek",
    "docent PIE",
    "decaan",
    "directeur",
    "beleidsmedewerker van de gemeente",
    "projectleider",
    "coördinator techniek",
    "contactpersoon bij het ROC",
    "HR-adviseur",
    "stagecoördinator",
    "docent BWI",
    "afdelingsleider",
];

const DOMAINS: &[&str] = &[
    "scholengroep-rivierzicht.nl",
    "csdewaarden.nl",
    "technova-college.nl",
    "rsg-hooglanden.nl",
    "onderwijsgroep-ijsselstreek.nl",
    "vmbo-delta.nl",
    "lyceum-de-brink.nl",
    "roc-middenveld.nl",
];

const STREETS: &[&str] = &[
    "Industrieweg",
    "Stationsstraat",
    "Schoolstraat",
    "Ambachtsweg",
    "Havenkade",
    "Kerkweg",
    "Techniekstraat",
    "Dorpsstraat",
];

const TOWNS: &[&str] = &[
    "Nijverdal",
    "Hardenberg",
    "Veendam",
    "Tiel",
    "Oss",
    "Weert",
    "Heerenveen",
    "Emmen",
    "Hoorn",
    "Gouda",
    "Harderwijk",
    "Meppel",
];

/// Sentences mentioning people. `{P}`/`{Q}`: full name of person one/two, `{S}`/`{SQ}`: surname
/// only, `{F}`: first name, `{T}`: title, `{R}`/`{RQ}`: role, `{school}`: a school.
const PERSON_SENTENCES: &[&str] = &[
    "{P} ({R}) neemt contact op met de andere scholen; {S} koppelt de volgende keer terug.",
    "Navraag gedaan bij {P}, {R}. {S} herkent het beeld.",
    "Actie voor {P}: uitzoeken hoe andere regio's dit geregeld hebben.",
    "{F} van {school} wil hier graag verder over doorpraten.",
    "Volgens {P} ({R}) is dit eerder geprobeerd; {S} stuurt de evaluatie door.",
    "{T} {S} ({R}) is uitgenodigd voor het volgende overleg.",
    "{T} {S} heeft toegezegd mee te denken.",
    "Afspraak met {P} staat; {F} stuurt de stukken vooraf rond.",
    "Tip van {F}: bel {Q}, die heeft dit vorig jaar opgezet.",
    "{P} en {Q} pakken dit samen op.",
    "Besproken met {T} {S}, {R}.",
    "{P} ({R}) gaf aan dat dit bij hen ook speelt.",
    "Zie ook de notitie van {P}; {S} heeft de cijfers verzameld.",
    "Terugkoppeling volgt via {F}.",
    "{P} schuift de volgende keer aan als gast.",
    "Nog navragen bij {Q} ({RQ}).",
    "{T} {P} ({R}) is hier de aangewezen persoon; {S} kent de regeling goed.",
    "Volgens {F} ligt het vooral aan de planning; {Q} is het daar niet mee eens.",
    "{S} ({R}) heeft hier een notitie over geschreven.",
    "Na het gesprek met {T} {S} is er meer duidelijkheid.",
];

/// Further sentences for a case brought in.
const CASE_PERSON_SENTENCES: &[&str] = &[
    "Inbreng van {P}.",
    "Casushouder: {P} ({R}).",
    "{F} brengt deze casus in namens het team van {school}.",
    "Ingebracht door {T} {S}.",
];

/// Sentences with contact details: `{E}` e-mail address, `{TEL}` phone number.
const CONTACT_SENTENCES: &[&str] = &[
    "Contact: {P}, {E}.",
    "Meer informatie bij {P} via {TEL}.",
    "{P} is bereikbaar op {TEL} of {E}.",
    "Vragen kunnen naar {E}.",
    "Bel {F} even op {TEL}.",
    "Aanmelden kan via {E} of telefonisch op {TEL}.",
    "Contactpersoon bij de gemeente: {T} {S}, {TEL}.",
    "Stukken graag naar {E} ({P}).",
];

/// Sentences with an address: `{ADR}` is street, number, postcode and town.
const ADDRESS_SENTENCES: &[&str] = &[
    "Volgende bijeenkomst op locatie: {ADR}.",
    "Bezoekadres van de praktijklocatie: {ADR}.",
    "Verzamelen bij {ADR}.",
];

/// One invented person.
#[derive(Debug, Clone)]
struct Person {
    first: &'static str,
    gender: Gender,
    tussenvoegsel: &'static str,
    surname: &'static str,
}

impl Person {
    fn random(rng: &mut ChaCha8Rng) -> Person {
        let (first, gender) = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
        let (tussenvoegsel, surname) = SURNAMES[rng.random_range(0..SURNAMES.len())];
        Person {
            first,
            gender,
            tussenvoegsel,
            surname,
        }
    }

    fn full(&self) -> String {
        if self.tussenvoegsel.is_empty() {
            format!("{} {}", self.first, self.surname)
        } else {
            format!("{} {} {}", self.first, self.tussenvoegsel, self.surname)
        }
    }

    /// The surname as it stands on its own: tussenvoegsel capitalised ("Van der Linde").
    fn surname_only(&self) -> String {
        if self.tussenvoegsel.is_empty() {
            self.surname.to_owned()
        } else {
            format!("{} {}", capitalise_first(self.tussenvoegsel), self.surname)
        }
    }

    fn title(&self) -> &'static str {
        match self.gender {
            Gender::F => "mevr.",
            Gender::M => "dhr.",
        }
    }

    fn email(&self, rng: &mut ChaCha8Rng) -> String {
        let domain = pick(rng, DOMAINS);
        let surname: String = format!("{}{}", self.tussenvoegsel, self.surname)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let first = self.first.to_lowercase();
        let initial = first.chars().next().unwrap_or('x');
        match rng.random_range(0..4) {
            0 => format!("{first}.{surname}@{domain}"),
            1 => format!("{initial}.{surname}@{domain}"),
            2 => format!("{initial}{surname}@{domain}"),
            _ => format!("{first}@{domain}"),
        }
    }
}

fn digits(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n)
        .map(|i| {
            let low = if i == 0 { 1 } else { 0 };
            char::from(b'0' + rng.random_range(low..10u8))
        })
        .collect()
}

/// A Dutch phone number in one of the spellings people use.
fn phone(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..7) {
        0 => format!("06-{}", digits(rng, 8)),
        1 => {
            let d = digits(rng, 8);
            format!("06 {} {}", &d[..4], &d[4..])
        }
        2 => format!("+31 6 {}", digits(rng, 8)),
        3 => {
            let d = digits(rng, 8);
            format!("+31 (0)6 {} {}", &d[..4], &d[4..])
        }
        4 => format!("010-{}", digits(rng, 7)),
        5 => {
            let d = digits(rng, 7);
            format!("030 {} {} {}", &d[..3], &d[3..5], &d[5..])
        }
        _ => format!("0548-{}", digits(rng, 6)),
    }
}

/// A Dutch postcode such as "7442 CX" (letter pairs SA, SD and SS are not issued).
fn postcode(rng: &mut ChaCha8Rng) -> String {
    let number = rng.random_range(1000..10000u16);
    let letter = |rng: &mut ChaCha8Rng| char::from(b'A' + rng.random_range(0..26u8));
    loop {
        let (a, b) = (letter(rng), letter(rng));
        if !(a == 'S' && matches!(b, 'A' | 'D' | 'S')) {
            return format!("{number} {a}{b}");
        }
    }
}

/// Fills a person or contact template and records the surface forms in `truth`.
fn fill(template: &str, rng: &mut ChaCha8Rng, truth: &mut Truth) -> String {
    let p = Person::random(rng);
    let mut q = Person::random(rng);
    while q.surname == p.surname {
        q = Person::random(rng);
    }
    let mut out = template.to_owned();
    // Longer keys first: "{SQ}" before "{S}", "{RQ}" before "{R}".
    let replacements: [(&str, Option<String>); 11] = [
        ("{SQ}", Some(q.surname_only())),
        ("{RQ}", None),
        ("{P}", Some(p.full())),
        ("{Q}", Some(q.full())),
        ("{S}", Some(p.surname_only())),
        ("{F}", Some(p.first.to_owned())),
        ("{T}", None),
        ("{R}", None),
        ("{E}", None),
        ("{TEL}", None),
        ("{school}", None),
    ];
    for (key, person_form) in replacements {
        if !out.contains(key) {
            continue;
        }
        let value = match (key, person_form) {
            (_, Some(form)) => {
                if !truth.persons.contains(&form) {
                    truth.persons.push(form.clone());
                }
                form
            }
            ("{T}", None) => p.title().to_owned(),
            ("{R}" | "{RQ}", None) => pick(rng, ROLES).to_owned(),
            ("{E}", None) => {
                let email = p.email(rng);
                truth.emails.push(email.clone());
                email
            }
            ("{TEL}", None) => {
                let number = phone(rng);
                truth.phones.push(number.clone());
                number
            }
            _ => {
                let mut s = String::new();
                super::texts::render("{school}", rng, &mut s);
                s
            }
        };
        out = out.replace(key, &value);
    }
    capitalise_first(&out)
}

/// Where a sentence goes: mostly after the text, sometimes before it (never before a label
/// such as "Casus: ").
fn attach(text: &mut String, sentence: String, rng: &mut ChaCha8Rng) {
    if rng.random_bool(0.3) && !starts_with_label(text) {
        *text = format!("{sentence} {text}");
    } else {
        text.push(' ');
        text.push_str(&sentence);
    }
}

/// Adds a sentence mentioning one or two invented people.
pub(super) fn add_person(
    kind: ItemKind,
    text: &mut String,
    rng: &mut ChaCha8Rng,
    truth: &mut Truth,
) {
    let templates = if kind == ItemKind::Casus && rng.random_bool(0.3) {
        CASE_PERSON_SENTENCES
    } else {
        PERSON_SENTENCES
    };
    let sentence = fill(pick(rng, templates), rng, truth);
    attach(text, sentence, rng);
}

/// Adds a sentence with an e-mail address and/or phone number.
pub(super) fn add_contact(text: &mut String, rng: &mut ChaCha8Rng, truth: &mut Truth) {
    let sentence = fill(pick(rng, CONTACT_SENTENCES), rng, truth);
    text.push(' ');
    text.push_str(&sentence);
}

/// Adds a sentence with a street address including a postcode.
pub(super) fn add_address(text: &mut String, rng: &mut ChaCha8Rng, truth: &mut Truth) {
    let code = postcode(rng);
    let address = format!(
        "{} {}, {code} {}",
        pick(rng, STREETS),
        rng.random_range(1..180u16),
        pick(rng, TOWNS)
    );
    truth.postcodes.push(code);
    let sentence = pick(rng, ADDRESS_SENTENCES).replace("{ADR}", &address);
    text.push(' ');
    text.push_str(&sentence);
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn surnames_with_tussenvoegsel_are_spelled_the_dutch_way() {
        let p = Person {
            first: "Sanne",
            gender: Gender::F,
            tussenvoegsel: "van 't",
            surname: "Hof",
        };
        assert_eq!(p.full(), "Sanne van 't Hof");
        assert_eq!(p.surname_only(), "Van 't Hof");
        let q = Person {
            tussenvoegsel: "'t",
            surname: "Hart",
            ..p
        };
        assert_eq!(q.surname_only(), "'t Hart");
    }

    #[test]
    fn every_recorded_form_occurs_in_the_text() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for i in 0..3000 {
            let mut truth = Truth::default();
            let mut text = "Basis.".to_owned();
            match i % 3 {
                0 => add_person(ItemKind::ALL[i % 4], &mut text, &mut rng, &mut truth),
                1 => add_contact(&mut text, &mut rng, &mut truth),
                _ => add_address(&mut text, &mut rng, &mut truth),
            }
            assert!(!text.contains(['{', '}']), "{text}");
            let forms = truth
                .persons
                .iter()
                .chain(&truth.emails)
                .chain(&truth.phones);
            for form in forms.chain(&truth.postcodes) {
                assert!(text.contains(form.as_str()), "{form:?} not in {text:?}");
            }
            if i % 3 == 0 {
                assert!(!truth.persons.is_empty(), "{text}");
            }
        }
    }

    #[test]
    fn phone_numbers_and_postcodes_look_dutch() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for _ in 0..200 {
            let number = phone(&mut rng);
            let digit_count = number.chars().filter(char::is_ascii_digit).count();
            assert!((10..=12).contains(&digit_count), "{number}");
            let code = postcode(&mut rng);
            assert_eq!(code.len(), 7, "{code}");
        }
    }
}
