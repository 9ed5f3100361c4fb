//! Finding person names in Dutch text without a statistical model, in layers that can be
//! switched off one by one to measure what each adds ([`Layers`]):
//!
//! 1. **gazetteer** — about 14,000 first names and 10,700 surnames from open data, plus the
//!    project's own lists; a listed first name that is also a Dutch word ("Bas", "Roos",
//!    "Frank") needs a surname or a cue beside it;
//! 2. **cues** — the shape of Dutch names and their context: initials, tussenvoegsel chains
//!    ("Van der Meulen"), titles and roles before ("wethouder Bakker"), roles after
//!    ("Lammers (beleidsmedewerker)", "Edith Vissers, projectleider"), verbs of speaking
//!    ("zegt Algra", "Hoekstra vertelt"), speaker labels ("Gambon: ‘…’");
//! 3. **capitals** — Dutch writes nouns in lower case, so capitalised words mid-sentence that
//!    are neither Dutch words (the OpenTaal list), places nor programme vocabulary are suspect:
//!    two of them together are a name;
//! 4. **memory** — a name word found in one text is found again, alone, in the other texts of
//!    its session and, for full names, of its whole batch.
//!
//! Always on: organisations, streets and eponyms ("Willem van Oranje College", "Johan de
//! Wittlaan", "ziekte van Parkinson") are left alone, but only the words that make them up: an
//! organisation never swallows the person before it ("Ronald Numan van het Willem van Oranje
//! College", "Sjoerd Algra (X College)").

use rustc_hash::FxHashSet;

use super::Layers;
use super::cues::{ORGANISATION_SET, PARTICLE_SET, is_role};
use super::lexicon::Lexicon;
use super::patterns::{Kind, Span};
use super::tokens::{Token, tokenise};

mod run;
mod special;

/// Name words (lower case) learnt from the texts of a session or a batch.
#[derive(Debug, Default, Clone)]
pub struct Memory {
    words: FxHashSet<String>,
}

impl Memory {
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    fn knows(&self, word: &str) -> bool {
        self.words.contains(word)
            // Possessive or genitive without apostrophe: "Quiriens plan".
            || word
                .strip_suffix('s')
                .is_some_and(|w| w.chars().count() > 2 && self.words.contains(w))
    }

    /// Learns `word`, and with `halves` both halves of a double surname ("Koopmans-Dijkhuis"
    /// names its person by either; "Willem-Alexander" is one first name, learnt whole).
    fn learn(&mut self, word: &str, halves: bool) {
        if word.chars().count() > 1 {
            self.words.insert(word.to_owned());
        }
        if halves && word.contains('-') {
            for part in word.split('-') {
                if part.chars().count() > 2 {
                    self.words.insert(part.to_owned());
                }
            }
        }
    }

    pub fn extend(&mut self, other: &Memory) {
        self.words.extend(other.words.iter().cloned());
    }
}

/// A person found in a run of capitalised words: its token range, and whether the evidence is
/// strong enough to learn its words for the rest of the session.
struct Found {
    from: usize,
    to: usize,
    strong: bool,
    /// Several name words ("Anna de Vries", not "Anna"): remembered for the whole batch.
    full: bool,
    /// The rule that decided (for tests and debugging: see `explain`).
    #[cfg_attr(not(test), expect(dead_code, reason = "read by the tests' explain()"))]
    reason: &'static str,
}

/// Finds name spans in one text.
#[derive(Debug)]
pub struct Finder<'l> {
    lexicon: &'l Lexicon,
    layers: Layers,
}

/// Only spaces between two tokens (so a name never runs across punctuation).
fn adjacent(text: &str, a: &Token<'_>, b: &Token<'_>) -> bool {
    text[a.end..b.start]
        .chars()
        .all(|c| c == ' ' || c == '\u{a0}')
}

fn is_particle(token: &Token<'_>) -> bool {
    PARTICLE_SET.contains(token.lc())
}

impl<'l> Finder<'l> {
    pub fn new(lexicon: &'l Lexicon, layers: Layers) -> Self {
        Finder { lexicon, layers }
    }

    /// A capitalised word that can be part of a name once something else says it is one
    /// (after a first name, a title, initials): places and Dutch words allowed ("Okke
    /// Haaksbergen", "Marelle Pronk"), function words, roles and organisation words not.
    fn name_part(&self, t: &Token<'_>) -> bool {
        t.initial
            || (t.capitalised()
                && !t.has_digit()
                && !self.lexicon.is_never(t.stem())
                && !is_role(t.stem())
                && !ORGANISATION_SET.contains(t.stem()))
    }

    /// A capitalised word that is a name on its own terms: not a place, not a Dutch word
    /// (unless a listed name or one already met).
    fn nameable(&self, t: &Token<'_>, known: bool) -> bool {
        self.name_part(t) && !t.initial && !self.lexicon.is_place(t.stem()) && {
            let stem = t.stem();
            known
                || !self.lexicon.is_dutch_word(stem)
                || (self.layers.gazetteer
                    && (self.lexicon.is_first_name(stem) || self.lexicon.is_surname(stem)))
        }
    }

    /// Capitals layer: a capitalised word mid-text that no list explains: not a Dutch or an
    /// English word, a place, or an adjective made from a proper noun ("Limburgse").
    fn suspect(&self, t: &Token<'_>) -> bool {
        let stem = t.stem();
        self.name_part(t)
            && !t.initial
            && stem.chars().count() > 1
            && !self.lexicon.is_place(stem)
            && !self.lexicon.is_dutch_word(stem)
            && !self.lexicon.is_english_word(stem)
            && !self.lexicon.is_proper_adjective(stem)
            && !self.lexicon.is_place_adjective(stem)
    }

    /// A listed first name that is not also a word, or a common one ("Wim", not "Pol").
    fn clear_first_name(&self, t: &Token<'_>) -> bool {
        self.first_name(t)
            && (!self.lexicon.is_dutch_word(t.stem())
                || self.lexicon.is_common_first_name(t.stem()))
    }

    fn first_name(&self, t: &Token<'_>) -> bool {
        self.layers.gazetteer
            && self.name_part(t)
            && !t.initial
            && !self.lexicon.is_place(t.stem())
            && self.lexicon.is_first_name(t.stem())
    }

    /// A listed surname that is not also an ordinary word or a place.
    fn listed_surname(&self, t: &Token<'_>) -> bool {
        let stem = t.stem();
        self.layers.gazetteer
            && self.name_part(t)
            && !t.initial
            && self.lexicon.is_surname(stem)
            && !self.lexicon.is_dutch_word(stem)
            && !self.lexicon.is_english_word(stem)
            && !self.lexicon.is_place(stem)
    }

    /// A name word met before: anywhere in the session, mid-sentence elsewhere in the batch
    /// (at the start of a sentence a capital says too little to trust another session's name).
    fn known(&self, t: &Token<'_>, memory: &Memory, batch: &Memory) -> bool {
        self.layers.memory
            && t.capitalised()
            && !t.initial
            && (memory.knows(t.stem()) || (!t.sentence_start && batch.knows(t.stem())))
    }

    /// The end (exclusive) of the run of capitalised words, initials and particle chains that
    /// starts at `i`, or `None` when none starts there.
    fn run_end(&self, text: &str, tokens: &[Token<'_>], i: usize) -> Option<usize> {
        let starts = |k: usize| -> bool {
            let t = &tokens[k];
            if t.capitalised() || t.initial {
                // A title or a function word inside a run ends the name before it ("… van het
                // Dr. Nassau", "Hoofdredacteur Dorine van Namen Eindredacteur …"); after a
                // particle any capitalised word is a surname ("van der Meer").
                return k == i
                    || is_particle(t)
                    || (!is_role(t.stem())
                        && (!self.lexicon.is_never(t.stem()) || is_particle(&tokens[k - 1])));
            }
            // A particle chain counts when a capitalised word follows it, but not one that
            // starts with a preposition ("Vestas in Vlissingen"; "Jan in 't Veld" does).
            if matches!(t.lc(), "in" | "op" | "te")
                && !tokens
                    .get(k + 1)
                    .is_some_and(|n| matches!(n.lc(), "'t" | "’t"))
            {
                return false;
            }
            let mut j = k;
            while tokens.get(j).is_some_and(is_particle)
                && (j == k || adjacent(text, &tokens[j - 1], &tokens[j]))
            {
                j += 1;
            }
            // "van het" inside a run starts something else ("… van het Jaar", "… van het
            // Willem van Oranje College"); it may start a run of its own.
            if k > i && tokens[k..j].iter().any(|t| t.lc() == "het") {
                return false;
            }
            j > k
                && tokens
                    .get(j)
                    .is_some_and(|n| adjacent(text, &tokens[j - 1], n) && n.capitalised())
        };
        if !starts(i) {
            return None;
        }
        let mut end = i + 1;
        while end < tokens.len()
            && end - i < 8
            && adjacent(text, &tokens[end - 1], &tokens[end])
            && starts(end)
        {
            end += 1;
        }
        Some(end)
    }

    /// Name spans in `text`. Name words found are added to `memory` (and the words of full
    /// names to `full_names`, for the batch); words in `memory` or `batch` are found again.
    pub fn find(
        &self,
        text: &str,
        memory: &mut Memory,
        batch: &Memory,
        spans: &mut Vec<Span>,
        full_names: Option<&mut Memory>,
    ) {
        let tokens = tokenise(text);
        let protected = self.lexicon.protected_ranges(text);
        let mut full_names = full_names;
        let mut i = 0;
        while i < tokens.len() {
            let found = if let Some(end) = self
                .lowercase_name(text, &tokens, i)
                .or_else(|| self.capitals_name(text, &tokens, i))
                .or_else(|| self.cited_author(text, &tokens, i))
            {
                Some(Found {
                    from: i,
                    to: end,
                    strong: true,
                    full: true,
                    reason: "lowercase",
                })
            } else if let Some(end) = self.run_end(text, &tokens, i) {
                let found = self.persons_in_run(text, &tokens, i, end, memory, batch);
                // A name word met before is taken out even inside an organisation's name
                // ("Nijhof Installatietechniek" after "Angelique Nijhof"): it still names her.
                let (skip_from, skip_to) = found.as_ref().map_or((end, end), |f| (f.from, f.to));
                for k in (i..end).filter(|&k| k < skip_from || k >= skip_to) {
                    let t = &tokens[k];
                    if self.known(t, memory, batch)
                        && !self.lexicon.is_place(t.stem())
                        && !self.lexicon.is_first_name(t.stem())
                        && !protected.iter().any(|&(a, b)| t.start < b && a < t.end)
                    {
                        spans.push(Span {
                            start: t.start,
                            end: t.end,
                            kind: Kind::Name,
                        });
                    }
                }
                // A run in a list after a name ("…, Wilfried Scholtes, Loet Koreman, …").
                let found = found.or_else(|| self.listed_after_name(text, &tokens, i, end, spans));
                if found.is_none() {
                    i = end;
                    continue;
                }
                found
            } else {
                None
            };
            let Some(found) = found else {
                i += 1;
                continue;
            };
            let (start, end) = (tokens[found.from].start, tokens[found.to - 1].end);
            if !protected.iter().any(|&(a, b)| start < b && a < end) {
                if found.strong {
                    // Places are not learnt (a surname "van Tilburg" must not hide the city
                    // elsewhere), and the batch learns only words that are not Dutch words.
                    for (k, t) in tokens.iter().enumerate().take(found.to).skip(found.from) {
                        let stem = t.stem();
                        // A place is learnt only as a surname: after a particle or a listed
                        // first name ("Jeroen Hulst"), and then only for the session.
                        let surname_place = k > found.from
                            && (is_particle(&tokens[k - 1]) || self.first_name(&tokens[k - 1]));
                        if t.initial
                            || is_particle(t)
                            || (self.lexicon.is_place(stem) && !surname_place)
                        {
                            continue;
                        }
                        let halves = !self.lexicon.is_first_name(stem);
                        memory.learn(stem, halves);
                        if found.full
                            && !self.lexicon.is_dutch_word(stem)
                            && !self.lexicon.is_place(stem)
                            && let Some(names) = full_names.as_deref_mut()
                        {
                            names.learn(stem, halves);
                        }
                    }
                }
                spans.push(Span {
                    start,
                    end,
                    kind: Kind::Name,
                });
            }
            i = found.to.max(i + 1);
        }
        self.complete_lists(text, &tokens, &protected, spans);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names found in `text` with the rule that decided each.
    fn explain(text: &str) -> Vec<(&'static str, String)> {
        let lexicon = Lexicon::new();
        let finder = Finder::new(&lexicon, Layers::ALL);
        let tokens = tokenise(text);
        let memory = Memory::default();
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match finder.run_end(text, &tokens, i) {
                Some(end) => {
                    if let Some(f) = finder.persons_in_run(text, &tokens, i, end, &memory, &memory)
                    {
                        out.push((
                            f.reason,
                            text[tokens[f.from].start..tokens[f.to - 1].end].to_owned(),
                        ));
                    }
                    i = end;
                }
                None => i += 1,
            }
        }
        out
    }

    #[test]
    fn each_layer_decides_its_own_cases() {
        let s = |r: &'static str, n: &str| (r, n.to_owned());
        assert_eq!(
            explain("Het plan van Sytske Algra is klaar."),
            [s("first", "Sytske Algra")]
        );
        assert_eq!(explain("Dat vindt Hoekstra niet."), [s("cue", "Hoekstra")]);
        assert_eq!(explain("Gambon: ‘Er is meer nodig.’"), [s("cue", "Gambon")]);
        assert_eq!(
            explain("De prijs ging naar Wobkje Verbeet."),
            [s("capitals", "Wobkje Verbeet")]
        );
        assert_eq!(
            explain("Het idee komt van Van der Berg."),
            [s("chain2", "Van der Berg")]
        );
        assert_eq!(
            explain("We spraken met Ronald Numan van het Willem van Oranje College."),
            [s("first", "Ronald Numan")]
        );
        assert_eq!(
            explain("Fenna Hoekstra (Piter Jelles College, Leeuwarden) wil meer."),
            [s("first", "Fenna Hoekstra")]
        );
        assert!(explain("Het Willem van Oranje College en de Johan de Wittlaan.").is_empty());
        assert!(explain("Een docent Geschiedenis in de Achterhoek sprak met Vestas.").is_empty());
    }
}
