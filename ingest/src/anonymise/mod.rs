//! The anonymiser: every free-text field passes through here before anything is stored.
//! Person names become `[NAAM]`, e-mail addresses `[E-MAIL]`, phone numbers `[TELEFOON]`,
//! postcodes with house numbers `[POSTCODE]`, BSNs `[BSN]` and IBANs `[IBAN]`.
//!
//! No Dutch named-entity model works offline in Rust, so this is rule-based, in layers that
//! can be measured one by one ([`Layers`]): validated patterns for contact details and numbers
//! ([`patterns`]), then for names (see [`names`]) a gazetteer of open first-name and surname
//! lists, context cues, a capitalisation rule backed by a Dutch word list ([`lexicon`]), and
//! memory. A session's texts are anonymised as a group ([`Anonymiser::anonymise_group`]), so a
//! name seen in one item is caught on its own in the next; a batch first learns the full names
//! in all its texts ([`Anonymiser::learn_batch`]), so a surname named in full in one session is
//! caught alone in another. Quality is measured by `signaalradar eval anonymise` on real
//! published Dutch text in `tests/fixtures/real/` and on the synthetic gold files ([`eval`]).

mod cues;
pub mod eval;
mod lexicon;
mod names;
mod patterns;
mod tokens;

use lexicon::Lexicon;
use names::Finder;
pub use names::Memory;
use patterns::{Kind, Patterns, Span};
pub use patterns::{bsn_valid, iban_valid};

/// The name-finding layers (the validated patterns for e-mails, phones and numbers are always
/// on). Switched off one by one only to measure what each adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layers {
    /// First-name and surname lists.
    pub gazetteer: bool,
    /// Initials, tussenvoegsels, titles and roles, verbs of speaking, speaker labels.
    pub cues: bool,
    /// Capitalised words mid-sentence that are not Dutch words or places.
    pub capitals: bool,
    /// Names met earlier in the session or the batch.
    pub memory: bool,
}

impl Layers {
    pub const ALL: Layers = Layers {
        gazetteer: true,
        cues: true,
        capitals: true,
        memory: true,
    };
    /// The layer names, in the order they build on each other.
    pub const NAMES: [&'static str; 5] = ["patterns", "gazetteer", "cues", "capitals", "memory"];

    /// Parses a comma-separated list of layer names ("patterns" alone finds no names).
    pub fn parse(list: &str) -> Result<Layers, String> {
        let mut layers = Layers {
            gazetteer: false,
            cues: false,
            capitals: false,
            memory: false,
        };
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "patterns" => {}
                "gazetteer" => layers.gazetteer = true,
                "cues" => layers.cues = true,
                "capitals" => layers.capitals = true,
                "memory" => layers.memory = true,
                "all" => layers = Layers::ALL,
                other => {
                    return Err(format!(
                        "unknown layer \"{other}\" (choose from {})",
                        Layers::NAMES.join(", ")
                    ));
                }
            }
        }
        Ok(layers)
    }
}

impl Default for Layers {
    fn default() -> Self {
        Layers::ALL
    }
}

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
    layers: Layers,
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
            layers: Layers::ALL,
        }
    }

    /// The same anonymiser with only some name layers (for measuring them).
    pub fn with_layers(mut self, layers: Layers) -> Self {
        self.layers = layers;
        self
    }

    /// An anonymiser that leaves every name and alias of `regions` alone.
    pub fn for_regions(regions: &crate::region::RegionRegistry) -> Self {
        let mut anonymiser = Anonymiser::new();
        anonymiser.protect(regions.all_names());
        anonymiser
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
        self.anonymise_group_in_batch(texts, &Memory::default())
    }

    /// Learns the full names ("Anna de Vries", "J. Algra") in the texts of a whole batch, to be
    /// passed to [`Anonymiser::anonymise_group_in_batch`] for each of its sessions.
    pub fn learn_batch<'t>(&self, texts: impl IntoIterator<Item = &'t str>) -> Memory {
        let finder = Finder::new(&self.lexicon, self.layers);
        let mut names = Memory::default();
        if !self.layers.memory {
            return names;
        }
        let none = Memory::default();
        let mut spans = Vec::new();
        for text in texts {
            let mut session = Memory::default();
            spans.clear();
            finder.find(text, &mut session, &none, &mut spans, Some(&mut names));
        }
        names
    }

    /// Anonymises one session's texts as a group, also finding alone the names `batch` learnt
    /// in full elsewhere in the batch.
    pub fn anonymise_group_in_batch(&self, texts: &[&str], batch: &Memory) -> Vec<Redacted> {
        let finder = Finder::new(&self.lexicon, self.layers);
        let mut known = Memory::default();
        // First pass: find names text by text, learning the group's names as we go.
        let mut found: Vec<(Vec<Span>, usize)> = Vec::with_capacity(texts.len());
        for text in texts {
            let mut spans = Vec::new();
            finder.find(text, &mut known, batch, &mut spans, None);
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
                    finder.find(text, &mut known.clone(), batch, &mut name_spans, None);
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
