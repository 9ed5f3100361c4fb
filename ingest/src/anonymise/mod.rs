//! The anonymiser: every free-text field passes through here before anything is stored.
//! Person names become `[NAAM]`, e-mail addresses `[E-MAIL]`, phone numbers `[TELEFOON]`,
//! postcodes with house numbers `[POSTCODE]`, BSNs `[BSN]` and IBANs `[IBAN]`.
//!
//! No Dutch named-entity model works offline in Rust, so this is rule-based (see [`names`] and
//! [`patterns`]): word lists written for this project, the shapes of Dutch names, and numbers
//! checked by their check digits. A session's texts are anonymised as a group
//! ([`Anonymiser::anonymise_group`]), so a surname seen in full in one item is caught on its own
//! in the next. Quality is measured by `signaalradar eval anonymise` on the gold files in
//! `tests/fixtures/` ([`eval`]).

pub mod eval;
mod names;
mod patterns;

use names::{Finder, Lexicon};
use patterns::{Kind, Patterns, Span};
pub use patterns::{bsn_valid, iban_valid};

/// Counts of what was replaced, per kind. Never the values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RedactionCounts {
    pub names: u32,
    pub emails: u32,
    pub phones: u32,
    pub postcodes: u32,
    pub bsns: u32,
    pub ibans: u32,
}

impl RedactionCounts {
    pub fn total(&self) -> u32 {
        self.names + self.emails + self.phones + self.postcodes + self.bsns + self.ibans
    }

    fn count(&mut self, kind: Kind) {
        match kind {
            Kind::Name => self.names += 1,
            Kind::Email => self.emails += 1,
            Kind::Phone => self.phones += 1,
            Kind::Postcode => self.postcodes += 1,
            Kind::Bsn => self.bsns += 1,
            Kind::Iban => self.ibans += 1,
        }
    }
}

impl std::ops::AddAssign for RedactionCounts {
    fn add_assign(&mut self, other: Self) {
        self.names += other.names;
        self.emails += other.emails;
        self.phones += other.phones;
        self.postcodes += other.postcodes;
        self.bsns += other.bsns;
        self.ibans += other.ibans;
    }
}

/// An anonymised text and what was taken out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub counts: RedactionCounts,
}

/// The anonymiser. Build it once (it compiles patterns and loads word lists) and share it:
/// it is `Send + Sync` and its methods take `&self`.
#[derive(Debug)]
pub struct Anonymiser {
    lexicon: Lexicon,
    patterns: Patterns,
}

impl Default for Anonymiser {
    fn default() -> Self {
        Self::new()
    }
}

impl Anonymiser {
    pub fn new() -> Self {
        Anonymiser {
            lexicon: Lexicon::new(),
            patterns: Patterns::new(),
        }
    }

    /// Names that must never be redacted, such as region names and their aliases.
    pub fn protect<I, S>(&mut self, words: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for phrase in words {
            self.lexicon.protect(phrase.as_ref());
        }
        self.lexicon.finish_protecting();
    }

    pub fn anonymise(&self, text: &str) -> Redacted {
        self.anonymise_group(&[text]).remove(0)
    }

    /// Anonymises the texts of one session together: a name found in any of them is also
    /// redacted where it appears alone in the others.
    pub fn anonymise_group(&self, texts: &[&str]) -> Vec<Redacted> {
        let finder = Finder::new(&self.lexicon);
        let mut known = rustc_hash::FxHashSet::default();
        // First pass: find names text by text, learning the group's names as we go.
        let mut found: Vec<(Vec<Span>, usize)> = Vec::with_capacity(texts.len());
        for text in texts {
            let mut spans = Vec::new();
            finder.find(text, &mut known, &mut spans);
            found.push((spans, known.len()));
        }
        // Second pass, only for texts that came before a name was learnt: a later text may have
        // named in full someone an earlier one mentioned by surname only.
        texts
            .iter()
            .zip(found)
            .map(|(text, (mut name_spans, known_then))| {
                if known_then < known.len() {
                    name_spans.clear();
                    finder.find(text, &mut known.clone(), &mut name_spans);
                }
                let mut spans = Vec::with_capacity(name_spans.len());
                self.patterns.find(text, &mut spans);
                for span in name_spans {
                    if !spans
                        .iter()
                        .any(|s| span.start < s.end && s.start < span.end)
                    {
                        spans.push(span);
                    }
                }
                replace(text, &mut spans)
            })
            .collect()
    }
}

fn replace(text: &str, spans: &mut [Span]) -> Redacted {
    spans.sort_by_key(|s| s.start);
    let mut out = String::with_capacity(text.len());
    let mut counts = RedactionCounts::default();
    let mut at = 0;
    for span in spans.iter() {
        if span.start < at {
            continue;
        }
        out.push_str(&text[at..span.start]);
        out.push_str(span.kind.placeholder());
        counts.count(span.kind);
        at = span.end;
    }
    out.push_str(&text[at..]);
    Redacted { text: out, counts }
}

#[cfg(test)]
mod tests;
