//! Scoring an anonymiser's output against a gold file (DESIGN.md, "Evaluation files"): recall
//! of persons, e-mail addresses and phone numbers, and over-redaction — the share of other
//! words (3+ letters) that vanished.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

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
        }
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
