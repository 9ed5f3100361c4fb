//! Scoring an anonymiser's output against a gold file (DESIGN.md, "Evaluation files"): recall
//! of persons, e-mail addresses and phone numbers, and over-redaction — the share of other
//! words (3+ letters) that vanished. Every miss comes with its context and a class, so the
//! next one is easy to find (`signaalradar eval anonymise --misses`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::Anonymiser;
use super::cues::SPEECH_SET;
use super::lexicon::Lexicon;

/// One gold record.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldRecord {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub persons: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    /// Where a real passage was published; passages of one source are anonymised as one
    /// session, as the items of a session are.
    #[serde(default)]
    pub source: Option<String>,
    /// Contact details inserted into a real passage (invented, in Dutch formats).
    #[serde(default)]
    pub inserted: Vec<String>,
}

/// Our anonymiser's output for every record, as on ingest: the whole file is one batch (its
/// full names are learnt first), and records with the same `source` form one session.
pub fn anonymise_records(anonymiser: &Anonymiser, gold: &[GoldRecord]) -> Vec<String> {
    let batch = anonymiser.learn_batch(gold.iter().map(|g| g.text.as_str()));
    let mut groups: Vec<(Option<&str>, Vec<usize>)> = Vec::new();
    let mut by_source: HashMap<&str, usize> = HashMap::new();
    for (i, g) in gold.iter().enumerate() {
        match g.source.as_deref() {
            Some(source) => {
                let at = *by_source.entry(source).or_insert_with(|| {
                    groups.push((Some(source), Vec::new()));
                    groups.len() - 1
                });
                groups[at].1.push(i);
            }
            None => groups.push((None, vec![i])),
        }
    }
    let mut outputs = vec![String::new(); gold.len()];
    for (_, members) in groups {
        let texts: Vec<&str> = members.iter().map(|&i| gold[i].text.as_str()).collect();
        for (i, redacted) in members
            .into_iter()
            .zip(anonymiser.anonymise_group_in_batch(&texts, &batch))
        {
            outputs[i] = redacted.text;
        }
    }
    outputs
}

#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub records: usize,
    pub persons: KindScore,
    pub emails: KindScore,
    pub phones: KindScore,
    pub over_redaction: OverRedaction,
    pub misses: Vec<Miss>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct KindScore {
    pub found: usize,
    pub total: usize,
    pub recall: f64,
}

impl KindScore {
    fn new(found: usize, total: usize) -> Self {
        KindScore {
            found,
            total,
            recall: if total == 0 {
                1.0
            } else {
                found as f64 / total as f64
            },
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct OverRedaction {
    pub vanished: usize,
    pub total: usize,
    pub share: f64,
}

/// Something the anonymiser missed (or removed that it should have kept).
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub id: String,
    pub kind: &'static str,
    pub value: String,
    /// Which kind of miss (see [`MissClass`]).
    pub class: MissClass,
    /// The input around the value, the value between «».
    pub context: String,
}

/// The classes of misses, from the ways names escape in real text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissClass {
    /// A full name followed by an organisation in brackets or after a comma.
    NameBeforeOrganisation,
    /// A lone surname before or after a verb of speaking ("zegt Algra").
    SurnameWithSpeechVerb,
    /// A first name alone or a speaker label ("Fenna: …").
    FirstNameOrSpeakerLabel,
    /// A name no list knows, hyphenated, in lower case or with an unusual spelling.
    UncommonName,
    /// A surname whose person is named in full in another passage of the same source.
    NamedInFullElsewhere,
    /// Any other person.
    OtherPerson,
    /// An e-mail address or phone number.
    ContactDetail,
    /// A place or region that vanished.
    PlaceRemoved,
    /// A capitalised word (organisation, programme, school …) that vanished.
    CapitalisedWordRemoved,
    /// An ordinary lower-case word that vanished.
    WordRemoved,
}

impl MissClass {
    pub fn describe(self) -> &'static str {
        match self {
            MissClass::NameBeforeOrganisation => "full name before an organisation or place",
            MissClass::SurnameWithSpeechVerb => "lone surname with a verb of speaking",
            MissClass::FirstNameOrSpeakerLabel => "first name alone or speaker label",
            MissClass::UncommonName => "uncommon, hyphenated or lower-case name",
            MissClass::NamedInFullElsewhere => "named in full in another passage of the source",
            MissClass::OtherPerson => "other person",
            MissClass::ContactDetail => "e-mail or phone",
            MissClass::PlaceRemoved => "over-redacted: place or region",
            MissClass::CapitalisedWordRemoved => "over-redacted: capitalised word",
            MissClass::WordRemoved => "over-redacted: ordinary word",
        }
    }
}

/// The text around `value`'s first occurrence in `text` (case-insensitive for words).
fn context(text: &str, value: &str) -> String {
    let at = text.find(value).or_else(|| {
        let lower = text.to_lowercase();
        // Only use the lower-case position when lower-casing kept the byte offsets.
        (lower.len() == text.len())
            .then(|| lower.find(&value.to_lowercase()))
            .flatten()
    });
    let Some(at) = at else {
        return String::new();
    };
    let end = at + value.len();
    let before: String = {
        let chars: Vec<char> = text[..at].chars().rev().take(60).collect();
        chars.into_iter().rev().collect()
    };
    let after: String = text
        .get(end..)
        .unwrap_or_default()
        .chars()
        .take(60)
        .collect();
    format!("{before}«{}»{after}", &text[at..end]).replace('\n', " ")
}

/// The class of a missed person.
fn person_class(
    lexicon: &Lexicon,
    record: &GoldRecord,
    person: &str,
    all: &[&GoldRecord],
) -> MissClass {
    let at = record.text.find(person).unwrap_or(0);
    let before = &record.text[..at];
    let after = record.text.get(at + person.len()..).unwrap_or_default();
    let words: Vec<&str> = person.split_whitespace().collect();
    let name_words: Vec<String> = words
        .iter()
        .map(|w| w.to_lowercase())
        .filter(|w| !PARTICLES.contains(&w.as_str()))
        .collect();
    let next_word = after
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or_default()
        .to_lowercase();
    let prev_word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or_default()
        .to_lowercase();
    let after_trim = after.trim_start();
    if name_words.len() >= 2
        && (after_trim.starts_with('(') || after_trim.starts_with(','))
        && after_trim[1..]
            .trim_start()
            .starts_with(|c: char| c.is_uppercase())
    {
        return MissClass::NameBeforeOrganisation;
    }
    if name_words.len() == 1 {
        if SPEECH_SET.contains(next_word.as_str()) || SPEECH_SET.contains(prev_word.as_str()) {
            return MissClass::SurnameWithSpeechVerb;
        }
        if after_trim.starts_with(':') || lexicon.is_first_name(&name_words[0]) {
            return MissClass::FirstNameOrSpeakerLabel;
        }
    }
    let unusual = person.contains('-')
        || person.starts_with(|c: char| c.is_lowercase())
        || name_words
            .iter()
            .all(|w| !lexicon.is_first_name(w) && !lexicon.is_surname(w));
    let elsewhere = name_words.len() == 1
        && all.iter().any(|other| {
            other.source == record.source
                && other.persons.iter().any(|p| {
                    p.split_whitespace().count() > 1
                        && p.split_whitespace()
                            .any(|w| w.to_lowercase() == name_words[0])
                })
        });
    if elsewhere {
        MissClass::NamedInFullElsewhere
    } else if unusual {
        MissClass::UncommonName
    } else {
        MissClass::OtherPerson
    }
}

/// The class of a word that vanished.
fn removed_class(lexicon: &Lexicon, text: &str, word: &str) -> MissClass {
    let capitalised = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .find(|w| w.to_lowercase() == word)
        .is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()));
    if lexicon.is_place(word) {
        MissClass::PlaceRemoved
    } else if capitalised {
        MissClass::CapitalisedWordRemoved
    } else {
        MissClass::WordRemoved
    }
}

/// Particles that do not count as name words.
const PARTICLES: &[&str] = &[
    "van", "der", "de", "den", "het", "t", "ter", "ten", "te", "in", "op",
];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '’').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Scores `outputs[i]` as the anonymised form of `gold[i].text`.
pub fn score(gold: &[GoldRecord], outputs: &[&str]) -> Scores {
    let lexicon = Lexicon::new();
    let all: Vec<&GoldRecord> = gold.iter().collect();
    let mut misses = Vec::new();
    let (mut persons, mut emails, mut phones) = ((0, 0), (0, 0), (0, 0));
    let (mut vanished, mut other_total) = (0, 0);
    for (record, output) in gold.iter().zip(outputs) {
        let mut out_words: HashMap<String, usize> = HashMap::new();
        for w in words(output) {
            *out_words.entry(w).or_default() += 1;
        }
        let out_digits = digits(output);
        let out_exact: std::collections::HashSet<&str> = output
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty())
            .collect();
        let mut sensitive_words = std::collections::HashSet::new();
        for person in &record.persons {
            persons.1 += 1;
            // Name words are compared as written: "Groot" in "De Groot" is not the adjective
            // "groot" elsewhere in the sentence.
            let name_words: Vec<&str> = person
                .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                .filter(|w| !w.is_empty() && !PARTICLES.contains(&w.to_lowercase().as_str()))
                .collect();
            sensitive_words.extend(words(person));
            if name_words.iter().all(|w| !out_exact.contains(w)) {
                persons.0 += 1;
            } else {
                misses.push(Miss {
                    id: record.id.clone(),
                    kind: "person",
                    value: person.clone(),
                    class: person_class(&lexicon, record, person, &all),
                    context: context(&record.text, person),
                });
            }
        }
        for email in &record.emails {
            emails.1 += 1;
            sensitive_words.extend(words(email));
            if output.contains(email.as_str()) {
                misses.push(Miss {
                    id: record.id.clone(),
                    kind: "email",
                    value: email.clone(),
                    class: MissClass::ContactDetail,
                    context: context(&record.text, email),
                });
            } else {
                emails.0 += 1;
            }
        }
        for phone in &record.phones {
            phones.1 += 1;
            sensitive_words.extend(words(phone));
            let d = digits(phone);
            let tail = &d[d.len().saturating_sub(6)..];
            if !tail.is_empty() && out_digits.contains(tail) {
                misses.push(Miss {
                    id: record.id.clone(),
                    kind: "phone",
                    value: phone.clone(),
                    class: MissClass::ContactDetail,
                    context: context(&record.text, phone),
                });
            } else {
                phones.0 += 1;
            }
        }
        // Other words: 3+ letters, not part of any gold person, e-mail or phone; each occurrence
        // in the input must be matched by one in the output.
        let mut remaining = out_words;
        for word in words(&record.text) {
            if word.chars().filter(|c| c.is_alphabetic()).count() < 3
                || sensitive_words.contains(&word)
            {
                continue;
            }
            other_total += 1;
            match remaining.get_mut(&word) {
                Some(n) if *n > 0 => *n -= 1,
                _ => {
                    vanished += 1;
                    misses.push(Miss {
                        id: record.id.clone(),
                        kind: "over_redaction",
                        class: removed_class(&lexicon, &record.text, &word),
                        context: context(&record.text, &word),
                        value: word,
                    });
                }
            }
        }
    }
    Scores {
        records: gold.len().min(outputs.len()),
        persons: KindScore::new(persons.0, persons.1),
        emails: KindScore::new(emails.0, emails.1),
        phones: KindScore::new(phones.0, phones.1),
        over_redaction: OverRedaction {
            vanished,
            total: other_total,
            share: if other_total == 0 {
                0.0
            } else {
                vanished as f64 / other_total as f64
            },
        },
        misses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str, persons: &[&str], emails: &[&str], phones: &[&str]) -> GoldRecord {
        GoldRecord {
            id: "t1".into(),
            text: text.into(),
            themes: vec![],
            persons: persons.iter().map(|s| s.to_string()).collect(),
            emails: emails.iter().map(|s| s.to_string()).collect(),
            phones: phones.iter().map(|s| s.to_string()).collect(),
            region: None,
            date: None,
            source: None,
            inserted: vec![],
        }
    }

    #[test]
    fn misses_are_classed_and_shown_in_context() {
        let mut a = record(
            "Het werkt, vindt Hoekstra. Fenna Algra (Piter Jelles) ook.",
            &["Hoekstra", "Fenna Algra"],
            &[],
            &[],
        );
        a.source = Some("p".into());
        let s = score(std::slice::from_ref(&a), &[a.text.as_str()]);
        let classes: Vec<MissClass> = s.misses.iter().map(|m| m.class).collect();
        assert_eq!(
            classes,
            [
                MissClass::SurnameWithSpeechVerb,
                MissClass::NameBeforeOrganisation
            ]
        );
        assert_eq!(
            s.misses[0].context,
            "Het werkt, vindt «Hoekstra». Fenna Algra (Piter Jelles) ook."
        );
    }

    #[test]
    fn records_of_one_source_are_one_session() {
        let anonymiser = Anonymiser::new();
        let mut first = record("Gesprek met Wobkje Verbeet.", &["Wobkje Verbeet"], &[], &[]);
        let mut second = record("Verbeet belt terug.", &["Verbeet"], &[], &[]);
        first.source = Some("same".into());
        second.source = Some("same".into());
        let out = anonymise_records(&anonymiser, &[first.clone(), second.clone()]);
        assert_eq!(out[1], "[NAAM] belt terug.");
        // Alone, the surname at the start of a sentence has nothing to go on.
        second.source = None;
        first.source = None;
        let alone = anonymise_records(&anonymiser, &[second]);
        assert_eq!(alone[0], "Verbeet belt terug.");
    }

    #[test]
    fn scores_follow_the_design_rules() {
        let gold = [record(
            "Anna de Vries (anna@school.nl, 06-12345678) belde over de werkdruk in Zwolle.",
            &["Anna de Vries"],
            &["anna@school.nl"],
            &["06-12345678"],
        )];
        // Perfect output: "de" survives but is a particle.
        let s = score(
            &gold,
            &["[NAAM] ([E-MAIL], [TELEFOON]) belde over de werkdruk in Zwolle."],
        );
        assert_eq!((s.persons.found, s.emails.found, s.phones.found), (1, 1, 1));
        assert_eq!(s.over_redaction.vanished, 0);
        // belde, over, werkdruk, zwolle: 3+ letters and not part of the personal data
        assert_eq!(s.over_redaction.total, 4);
        // Leaking: surname survives, last six digits survive, a word vanished.
        let s = score(
            &gold,
            &["[NAAM] Vries ([E-MAIL], 06-12 345678) belde over de [NAAM] in Zwolle."],
        );
        assert_eq!(s.persons.found, 0);
        assert_eq!(s.phones.found, 0);
        assert_eq!(s.over_redaction.vanished, 1);
    }
}
