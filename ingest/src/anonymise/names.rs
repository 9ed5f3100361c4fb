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
use super::cues::{
    ABBREVIATIONS, ADDRESS_SET, CREDIT_SET, EPONYM_SET, LANGUAGE_SET, NOT_PERSON_SET, OFFICE_SET,
    ORGANISATION_SET, PARTICLE_SET, ROYAL_SET, SCHOOL_PREFIX_SET, SPEECH_SET, is_role,
    regional_surname, thing_suffix,
};
use super::lexicon::Lexicon;
use super::patterns::{Kind, Span};
use super::tokens::{Token, tokenise};

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

    fn learn(&mut self, word: &str) {
        if word.chars().count() > 1 {
            self.words.insert(word.to_owned());
        }
        // Both halves of a double surname identify the person ("Willem-Alexander" is one
        // first name, learnt whole).
        if word.contains('-') && !first_name_compound(word) {
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

/// Finite verbs that follow a sentence's subject.
const FINITE_VERBS: &[&str] = &[
    "wil",
    "wilde",
    "kan",
    "kon",
    "moet",
    "moest",
    "zal",
    "zou",
    "werd",
    "gaat",
    "ging",
    "komt",
    "kwam",
    "krijgt",
    "kreeg",
    "maakt",
    "maakte",
    "werkt",
    "werkte",
    "woont",
    "woonde",
    "zit",
    "zat",
    "staat",
    "stond",
    "ziet",
    "zag",
    "weet",
    "wist",
    "doet",
    "deed",
    "begon",
    "begint",
    "houdt",
    "hield",
    "neemt",
    "nam",
    "speelt",
    "speelde",
    "leert",
    "leerde",
    "studeert",
    "studeerde",
    "volgt",
    "volgde",
    "loopt",
    "liep",
    "hoopt",
    "hoopte",
    "kijkt",
    "keek",
    "verwacht",
    "heeft",
    "had",
    "is",
    "was",
];

/// "marie-claire", "willem-alexander": every part a first name.
fn first_name_compound(word: &str) -> bool {
    static LEXICON: std::sync::LazyLock<Lexicon> = std::sync::LazyLock::new(Lexicon::new);
    word.split('-').all(|part| LEXICON.is_first_name(part))
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

    /// Is `tokens[to]` (the token after a name) a role or an age in brackets or after a comma:
    /// "Lammers (beleidsmedewerker)", "Anita O’Connor, algemeen directeur", "Jan (15)"?
    fn role_follows(text: &str, tokens: &[Token<'_>], to: usize) -> bool {
        let last = &tokens[to - 1];
        let rest = text[last.end..].trim_start_matches([' ', '\u{a0}']);
        let Some(rest) = rest.strip_prefix('(').or_else(|| rest.strip_prefix(',')) else {
            return false;
        };
        let rest = rest.trim_start();
        // An age: "Jan (15)", "Jan, 15,", "Cheila, een 31-jarige student".
        let rest_age = rest.strip_prefix("een ").unwrap_or(rest);
        if rest_age
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .starts_with("-jarige")
            && rest_age.starts_with(|c: char| c.is_ascii_digit())
        {
            return true;
        }
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            return rest
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .starts_with([')', ' ']);
        }
        // The role is the first or second word ("algemeen directeur"), not further on in a
        // list ("Bakker, timmerman en installateur").
        rest.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
            .filter(|w| !w.is_empty())
            .take(2)
            .take_while(|w| !matches!(*w, "en" | "of"))
            .any(|w| is_role(w.to_lowercase().as_str()))
    }

    /// Is the run `[from, to)` a speaker label: the start of a sentence or line followed by a
    /// colon ("Gambon: ‘…’", "Fenna:")?
    fn speaker_label(text: &str, tokens: &[Token<'_>], from: usize, to: usize) -> bool {
        tokens[from].sentence_start
            && to - from <= 4
            && text[tokens[to - 1].end..]
                .trim_start_matches([' ', '\u{a0}'])
                .starts_with(':')
    }

    /// A speaker label followed by a quotation ("Niesje: ‘Wij …"): then even a word that is
    /// also a Dutch word is the speaker.
    fn quoted_speaker(text: &str, tokens: &[Token<'_>], from: usize, to: usize) -> bool {
        Self::speaker_label(text, tokens, from, to)
            && text[tokens[to - 1].end..]
                .trim_start_matches([' ', '\u{a0}', ':'])
                .starts_with(['‘', '’', '“', '”', '"', '„', '\'', ','])
    }

    /// The persons in the run `[a, b)`.
    fn persons_in_run(
        &self,
        text: &str,
        tokens: &[Token<'_>],
        a: usize,
        b: usize,
        memory: &Memory,
        batch: &Memory,
    ) -> Option<Found> {
        // An organisation or street in the run ends the person part before it: at a particle
        // chain with "het" ("… van het Willem van Oranje College"), or nowhere.
        // ("Ten Huis" is a surname: an organisation word right after a particle is not one.)
        let organisation = (a..b).find(|&k| {
            let t = &tokens[k];
            let after_particle = k > a
                && is_particle(&tokens[k - 1])
                && matches!(t.lc(), "huis" | "kerk" | "park" | "laan" | "plein");
            (!after_particle
                && (ORGANISATION_SET.contains(t.lc())
                    || (t.lc().contains('-')
                        && !is_role(t.lc())
                        && t.lc()
                            .split('-')
                            .any(|part| ORGANISATION_SET.contains(part)))))
                || (t.capitalised() && thing_suffix(t.lc()))
        });
        let after_is_organisation = tokens.get(b).is_some_and(|n| {
            adjacent(text, &tokens[b - 1], n) && ORGANISATION_SET.contains(n.lc())
        });
        let organisation = organisation.or(after_is_organisation.then_some(b));
        let mut q = b;
        // A tussenvoegsel follows first names; a lower-case chain after a surname starts a
        // phrase: "Wim van de Pol van Noorderpoort", "Mark Timmers van Noorderpoort".
        if let Some(j) = (a + 1..b).find(|&j| {
            let t = &tokens[j];
            !t.capitalised()
                && is_particle(t)
                && !is_particle(&tokens[j - 1])
                && !tokens[j - 1].initial
                && !self.clear_first_name(&tokens[j - 1])
                && (tokens[a..j].iter().filter(|t| !is_particle(t) && !t.initial).count() >= 2
                    // "burgemeester Krewinkel van Heerlen": a place after it.
                    || tokens[j..b]
                        .iter()
                        .find(|n| !is_particle(n))
                        .is_some_and(|n| self.lexicon.is_place(n.stem())))
        }) {
            q = j;
        }
        // "Jeroen Smit van de Koninklijke Metaalunie": a lower-case "van" chain followed by two
        // or more capitalised words starts an organisation's name; the person ends before it.
        let van_organisation = (a + 1..b).find(|&j| {
            tokens[j].lc() == "van"
                && !tokens[j - 1].initial
                && !is_particle(&tokens[j - 1])
                && !self.first_name(&tokens[j - 1])
                && {
                    let rest: Vec<&Token<'_>> = tokens[j..b]
                        .iter()
                        .skip_while(|t| is_particle(t))
                        .take_while(|t| !is_particle(t))
                        .collect();
                    // ("Casus van Jorien Koopmans", "Commissaris van de Koning Dennis Straat": a
                    // first name starts a person, not a firm.)
                    !rest.iter().any(|t| self.first_name(t)) && rest.len() >= 2
                }
        });
        if organisation.is_none()
            && let Some(j) = van_organisation
        {
            q = q.min(j);
        }
        if let Some(k) = organisation {
            let split = (a..k).find(|&j| {
                !tokens[j].capitalised() && is_particle(&tokens[j]) && {
                    let mut m = j;
                    while m < k && is_particle(&tokens[m]) && !tokens[m].capitalised() {
                        m += 1;
                    }
                    tokens[j..m].iter().any(|t| t.lc() == "het")
                }
            });
            // Else at the last "van" chain, when two name words stand before it ("Wietse
            // Visser van de Steenbergse Gummarusschool", not "Willem van Oranje College").
            let split = split.or_else(|| {
                (a..k).rev().find(|&j| {
                    tokens[j].lc() == "van"
                        && !tokens[j - 1].initial
                        && !is_particle(&tokens[j - 1])
                        && tokens[a..j].iter().filter(|t| !is_particle(t)).count() >= 2
                })
            });
            q = split?;
        }

        // Leading words that are not the name: sentence-initial function words, titles and
        // roles, capitalised ordinary words at the start of a sentence. Titles and verbs of
        // speaking among them are cues.
        let mut p = a;
        // ("directeur van Kennisnet": after a role, a lone lower-case "van" or "de" is a
        // preposition or an article, not a tussenvoegsel.)
        // Nor, after a function, "van de" or "van het": "voorzitter van de Raad van Toezicht"
        // ("mevrouw van de Ven" is a name).
        let van_de = tokens[p].lc() == "van"
            && tokens
                .get(p + 1)
                .is_some_and(|n| matches!(n.lc(), "de" | "het"))
            && !tokens[p].capitalised();
        let address_before = p > 0 && ADDRESS_SET.contains(tokens[p - 1].stem());
        let single_particle_lead = ((!tokens[p].capitalised()
            && is_particle(&tokens[p])
            && !tokens.get(p + 1).is_some_and(is_particle))
            || van_de)
            && !address_before;
        let mut cue_before = p > 0 && !single_particle_lead && {
            let prev = &tokens[p - 1];
            let between = text[prev.end..tokens[p].start].trim();
            // "dhr. Dekker": the dot of an abbreviated title does not separate.
            let next_to = adjacent(text, prev, &tokens[p])
                || (between == "." && ABBREVIATIONS.contains(&prev.lc()));
            (next_to
                && (is_role(prev.stem())
                    || ROYAL_SET.contains(prev.stem())
                    || SPEECH_SET.contains(prev.lc())))
                || (CREDIT_SET.contains(prev.lc()) && matches!(between, "" | ":" | "|"))
        };
        // A verb of speaking right before the name ("zegt Dijkhuizen", "Volgens Dijkhuizen").
        let mut speech_before = p > 0
            && adjacent(text, &tokens[p - 1], &tokens[p])
            && SPEECH_SET.contains(tokens[p - 1].lc());
        while p < q {
            let t = &tokens[p];
            let stem = t.stem();
            // Lower-case articles and prepositions that start a run are not tussenvoegsels:
            // "in de Achterhoek", "de Rabobank", "op Texel" ("in 't Veld" is a name).
            if !t.capitalised()
                && matches!(
                    stem,
                    "de" | "het" | "in" | "op" | "te" | "a" | "la" | "le" | "el" | "al"
                )
                && !tokens[p + 1..q]
                    .iter()
                    .take_while(|n| is_particle(n))
                    .any(|n| matches!(n.lc(), "'t" | "’t"))
            {
                p += 1;
                continue;
            }
            // The same words capitalised at the start of a sentence ("In de Achterhoek").
            if t.sentence_start
                && matches!(stem, "in" | "op" | "het" | "te")
                && !tokens
                    .get(p + 1)
                    .is_some_and(|n| matches!(n.lc(), "'t" | "’t"))
            {
                p += 1;
                continue;
            }
            // A lower-case chain before two or more name words is a preposition: "van Jurjen
            // van der Meer", "van Hendrik ten Hoeve"; so it is before a first name ("van
            // Jasper"). Before one other word it is a tussenvoegsel ("van der Meulen").
            // "van Van der Berg": the lower-case "van" before a capitalised particle.
            if !t.capitalised()
                && is_particle(t)
                && tokens[p + 1..q]
                    .first()
                    .is_some_and(|n| is_particle(n) && n.capitalised())
            {
                p += 1;
                continue;
            }
            if !t.capitalised() && is_particle(t) {
                let mut after = tokens[p..q]
                    .iter()
                    .skip_while(|n| is_particle(n))
                    .peekable();
                let before_first_name = after.peek().is_some_and(|n| self.first_name(n));
                if before_first_name || after.filter(|n| !is_particle(n)).count() >= 2 {
                    p += tokens[p..q].iter().take_while(|n| is_particle(n)).count();
                    continue;
                }
            }
            if is_particle(t) || t.initial {
                break;
            }
            let role = is_role(stem)
                || ROYAL_SET.contains(stem)
                || SPEECH_SET.contains(stem)
                || (CREDIT_SET.contains(stem)
                    && matches!(text[t.end..tokens[p + 1].start].trim(), "" | ":" | "|"));
            // A capitalised word at the start of a sentence is an ordinary word when it is one,
            // unless it is a listed name.
            // A lone word with a verb of speaking or a role after it stays ("Visser noemde").
            let cue_follows = p + 1 == q
                && (tokens
                    .get(q)
                    .is_some_and(|n| adjacent(text, t, n) && SPEECH_SET.contains(n.lc()))
                    || Self::role_follows(text, tokens, q));
            let ordinary = t.sentence_start
                && self.lexicon.is_dutch_word(stem)
                && (!self.first_name(t) || self.lexicon.is_never(stem))
                && !self.listed_surname(t)
                && !(cue_follows && self.lexicon.is_surname(stem))
                && !self.known(t, memory, batch);
            if role || self.lexicon.is_never(stem) || ordinary {
                cue_before = role;
                speech_before = SPEECH_SET.contains(stem);
                p += 1;
            } else {
                break;
            }
        }
        // A form of address right before the name ("mevr. Zwanenburg", "de heer Kip"): then
        // even a place or an ordinary word is the surname.
        let address_cue = cue_before && p > 0 && {
            let prev = tokens[p - 1].stem();
            ADDRESS_SET.contains(prev)
                || OFFICE_SET.contains(prev)
                || prev
                    .rsplit('-')
                    .next()
                    .is_some_and(|last| OFFICE_SET.contains(last))
        };
        if p > 0 && NOT_PERSON_SET.contains(tokens[p - 1].lc()) {
            return None;
        }
        // "basisschool Remmelt Booy", "CS Vincent van Gogh", "stichting Limburgs …": the name
        // of a school or an organisation.
        if a > 0 && p == a && adjacent(text, &tokens[a - 1], &tokens[a]) {
            let before = tokens[a - 1].lc();
            if ORGANISATION_SET.contains(before) || SCHOOL_PREFIX_SET.contains(before) {
                return None;
            }
        }
        if p >= 2 && tokens[p - 1].lc() == "van" && EPONYM_SET.contains(tokens[p - 2].lc()) {
            return None;
        }
        // Trailing places, function words and particles ("Makita Nederland"). A place after a
        // particle or a listed first name is a surname ("de Vries", "Okke Haaksbergen").
        while q > p {
            let t = &tokens[q - 1];
            // (In a run that starts with a first name every later word is the surname:
            // "Thiadmer de Witte Hoogeveen".)
            let surname_place = q - 1 > p && {
                let before = &tokens[q - 2];
                is_particle(before)
                    || tokens[p..q - 1].iter().any(is_particle)
                    || (self.first_name(&tokens[p])
                        && (!self.lexicon.is_dutch_word(tokens[p].stem())
                            || self.lexicon.is_common_first_name(tokens[p].stem())))
                    || (self.first_name(before)
                        && (!self.lexicon.is_dutch_word(before.stem())
                            || self.lexicon.is_common_first_name(before.stem())))
            };
            if is_particle(t)
                || (self.lexicon.is_never(t.stem()) && !surname_place)
                || (self.lexicon.is_place(t.stem())
                    && !surname_place
                    && !((address_cue
                        || (cue_before && !self.lexicon.is_major_place(t.stem()))
                        || Self::role_follows(text, tokens, q)
                        || (tokens[p].sentence_start
                            && tokens.get(q).is_some_and(|n| {
                                adjacent(text, t, n)
                                    && SPEECH_SET.contains(n.lc())
                                    && !n.lc().ends_with("en")
                            }))
                        || Self::speaker_label(text, tokens, p, q))
                        && q == p + 1)
                    && !self.known(t, memory, batch))
            {
                q -= 1;
            } else {
                break;
            }
        }
        if q <= p {
            return None;
        }
        // A first name inside the run starts the person: "Tilburger Hendrik de Kok", "MBO
        // Raad-voorzitter Ton Heerts", "Koning Dennis Straat".
        if !self.first_name(&tokens[p])
            && !self.known(&tokens[p], memory, batch)
            && let Some(f) = (p + 1..q).find(|&f| {
                !is_particle(&tokens[f - 1])
                    // (Not after a name: "Yesim Candan"; a common first name starts a person
                    // anyway: "Covermodel Elsa Röttjers".)
                    && (!self.nameable(&tokens[f - 1], false)
                        || self.lexicon.is_common_first_name(tokens[f].stem())
                        || self.lexicon.is_place_adjective(tokens[f - 1].stem())
                        || self.lexicon.is_proper_adjective(tokens[f - 1].stem()))
                    && self.first_name(&tokens[f])
                    && (!self.lexicon.is_dutch_word(tokens[f].stem())
                        || self.lexicon.is_common_first_name(tokens[f].stem()))
            })
        {
            cue_before = is_role(tokens[f - 1].stem()) || ROYAL_SET.contains(tokens[f - 1].stem());
            p = f;
        }
        // "Willem III", "Pius X": historical names, here the names of schools and streets.
        if tokens[p..b.min(q + 2).min(tokens.len())]
            .iter()
            .any(|t| matches!(t.text, "I" | "II" | "III" | "IV" | "X"))
        {
            return None;
        }
        let run = &tokens[p..q];
        let words: Vec<&Token<'_>> = run
            .iter()
            .filter(|t| !t.initial && !is_particle(t))
            .collect();
        // An initial alone after a role: "mijn mentorleerling O.".
        if words.is_empty() && cue_before && run.iter().all(|t| t.initial) {
            return Some(Found {
                from: p,
                to: q,
                strong: false,
                full: false,
                reason: "initials",
            });
        }
        let (first, last) = (*words.first()?, *words.last()?);
        // "docent Frans", "lerares Fries": a language after a teacher is the subject.
        if words.len() == 1
            && q == p + 1
            && p > 0
            && LANGUAGE_SET.contains(first.stem())
            && (is_role(tokens[p - 1].stem()) || is_role(tokens[p - 1].lc()))
        {
            return None;
        }
        // Every word a name part; after a particle any capitalised word ("van der Meer").
        if !run.iter().enumerate().all(|(k, t)| {
            is_particle(t)
                || self.name_part(t)
                || (k > 0
                    && k + 1 == run.len()
                    && is_particle(&run[k - 1])
                    && t.capitalised()
                    && !t.has_digit())
        }) {
            return None;
        }
        let known: Vec<bool> = words.iter().map(|t| self.known(t, memory, batch)).collect();
        let mid = !tokens[p].sentence_start;
        let found = |strong: bool, reason: &'static str| {
            Some(Found {
                from: p,
                to: q,
                strong,
                full: words.len() >= 2,
                reason,
            })
        };

        // Memory: a name word already met.
        if known.iter().any(|k| *k) {
            return found(true, "memory");
        }

        let cues = self.layers.cues;
        let lead_particles = run.iter().take_while(|t| is_particle(t)).count();
        if cues {
            // Initials: "J. de Vries", "A.B. Jansen".
            if run.iter().any(|t| t.initial) {
                return found(true, "initials");
            }
            // After the run as found, too: "Karlot Bosch vertelt" (Bosch is also a place).
            let cue_after = [q, b].into_iter().any(|end| {
                // (Not a plural after it: "Kinderen vinden", "Docenten zeggen".)
                tokens.get(end).is_some_and(|n| {
                    adjacent(text, &tokens[end - 1], n)
                        && SPEECH_SET.contains(n.lc())
                        && !n.lc().ends_with("en")
                }) || Self::role_follows(text, tokens, end)
                    || Self::speaker_label(text, tokens, p, end)
                    || (tokens[a].sentence_start && Self::speaker_label(text, tokens, a, end))
            });
            if cue_after && q < b && words.len() == 1 {
                // Take the stripped place back as the surname.
                return Some(Found {
                    from: p,
                    to: b,
                    strong: true,
                    full: true,
                    reason: "cue",
                });
            }
            // After a cue a lone ordinary word is a subject or a department ("docent
            // Geschiedenis", "gedeputeerde Ruimte"), unless a list knows it as a name ("minister
            // Slob", "wethouder Bakker").
            // (The same for several ordinary words: "directeur Toezicht Primair Onderwijs".)
            // (Not after a verb of speaking: "volgens Dijkhuizen".)
            let lone_word = lead_particles == 0
                && !address_cue
                && !speech_before
                && words.iter().all(|t| {
                    let stem = t.stem();
                    self.lexicon.is_dutch_word(stem)
                        && (words.len() != 1 || !self.lexicon.is_proper_noun(stem))
                        && !self.lexicon.is_first_name(stem)
                        && !self.lexicon.is_surname(stem)
                });
            // At the start of a sentence the words must be names on their own terms, places
            // allowed ("Zwanenburg (docent BWI)").
            let name_like = |t: &Token<'_>, known: bool| {
                self.name_part(t)
                    && (known
                        || !self.lexicon.is_dutch_word(t.stem())
                        || self.lexicon.is_first_name(t.stem())
                        || self.lexicon.is_surname(t.stem()))
            };
            if Self::quoted_speaker(text, tokens, p, q) && words.len() <= 3 {
                return found(true, "cue");
            }
            if (cue_before || cue_after)
                && !lone_word
                && (mid || words.iter().zip(&known).all(|(t, k)| name_like(t, *k)))
            {
                return found(true, "cue");
            }
            // Tussenvoegsel chains: "Van der Berg", "van der Meulen" (two particles make any
            // capitalised word a surname), "De Vries" mid-sentence or with a listed surname.
            if lead_particles >= 2
                && words.len() == 1
                && (run[0].capitalised()
                    || (self.nameable(last, false) && !self.lexicon.is_dutch_word(last.stem())))
            {
                return found(true, "chain2");
            }
            if lead_particles == 1
                && words.len() == 1
                && run.len() == 2
                && (run[0].lc().starts_with(['\'', '’'])
                    || (mid
                        && run[0].capitalised()
                        && !matches!(run[0].lc(), "de" | "het" | "in" | "op" | "te")
                        && self.nameable(last, false))
                    || self.listed_surname(last)
                    // "Van Bochove", "Ter Horst" at the start of a line or sentence ("De" and
                    // "Het" there are articles).
                    || (run[0].capitalised()
                        && matches!(run[0].lc(), "van" | "ter" | "ten" | "der" | "den" | "von")
                        && self.nameable(last, false))
                    || (run[0].capitalised()
                        && self.lexicon.is_surname(last.stem())
                        && !self.lexicon.is_place(last.stem())))
            {
                return found(true, "chain1");
            }
        }
        if lead_particles > 0 {
            // A capitalised article or preposition before a word ("De Bossche", "In Zwolle").
            if !run[0].capitalised() || !mid {
                return None;
            }
        }

        if self.layers.gazetteer {
            let rest_named = run.iter().enumerate().skip(1).all(|(k, t)| {
                is_particle(t)
                    || self.name_part(t)
                    || (k + 1 == run.len() && is_particle(&run[k - 1]) && t.capitalised())
            });
            if self.first_name(first) && rest_named {
                // A first name that is also a word ("Nick", "Bram") needs a surname, unless it
                // is mid-sentence or a common Dutch first name ("Rik", "Kees").
                let ambiguous = self.lexicon.is_dutch_word(first.stem())
                    && !self.lexicon.is_common_first_name(first.stem());
                let after_article = p > 0 && matches!(tokens[p - 1].lc(), "de" | "het" | "een");
                if !ambiguous
                    || (words.len() == 1 && mid && !after_article)
                    || (words.len() >= 2
                        && (mid
                            || words[1..]
                                .iter()
                                .zip(&known[1..])
                                .any(|(t, k)| self.nameable(t, *k))))
                {
                    return found(true, "first");
                }
            }
            if words.len() >= 2 && self.listed_surname(last) && self.nameable(first, false) {
                return found(true, "first+surname");
            }
            if words.len() == 1 && mid && self.listed_surname(first) {
                return found(false, "lone-surname");
            }
        }

        // A lone word no list knows with a northern or eastern surname ending ("zei Hoornstra
        // later", "met Bruggink").
        // A word no list knows opening a sentence as the subject of a finite verb ("Türker heeft
        // een blauw pak aan", "Janssen wilde weten"), in a session that already named a person.
        if self.layers.capitals
            && words.len() == 1
            && !mid
            && !memory.is_empty()
            && self.suspect(first)
            && tokens.get(q).is_some_and(|n| {
                adjacent(text, &tokens[q - 1], n) && FINITE_VERBS.contains(&n.lc())
            })
        {
            return found(false, "capitals");
        }
        if self.layers.capitals
            && words.len() == 1
            && mid
            && self.suspect(first)
            && regional_surname(first.stem())
        {
            return found(false, "capitals");
        }
        if self.layers.capitals && words.len() >= 2 {
            let nameable = words.iter().all(|t| self.nameable(t, false));
            let suspects = words.iter().filter(|t| self.suspect(t)).count();
            // Mid-sentence, a word no list knows followed by capitalised words ("Gerdi
            // Verbeet"); at the start of a sentence only words no list knows.
            // (Or three or four with a tussenvoegsel: "Thiadmer de Witte Hoogeveen".)
            let interior_particle = run
                .iter()
                .skip(1)
                .any(|t| is_particle(t) && !t.capitalised());
            if (mid
                && (words.len() == 2 || (interior_particle && words.len() <= 4))
                && (self.suspect(first) || self.suspect(last))
                && run.iter().enumerate().all(|(k, t)| {
                    !self.lexicon.is_place(t.stem()) || run[..k].iter().any(is_particle)
                }))
                || (nameable && suspects >= 1 && (mid || suspects == words.len()))
            {
                // Learnt for the session ("Loet Koreman" again, further on), not for the
                // batch: capitals alone are not evidence enough to spread.
                return Some(Found {
                    from: p,
                    to: q,
                    strong: true,
                    full: false,
                    reason: "capitals",
                });
            }
        }
        None
    }

    /// "jan de vries", "fenna hoekstra": a name typed in lower case. A listed first name that
    /// is not a Dutch word, then particles and a listed surname or a word no list knows.
    fn lowercase_name(&self, text: &str, tokens: &[Token<'_>], i: usize) -> Option<usize> {
        let t = &tokens[i];
        if !self.layers.gazetteer
            || t.capitalised()
            || t.has_digit()
            || !self.lexicon.is_first_name(t.lc())
            || self.lexicon.is_never(t.lc())
        {
            return None;
        }
        let mut k = i + 1;
        while tokens
            .get(k)
            .is_some_and(|n| is_particle(n) && adjacent(text, &tokens[k - 1], n))
        {
            k += 1;
        }
        let surname = tokens.get(k)?;
        if !adjacent(text, &tokens[k - 1], surname) || surname.capitalised() || surname.has_digit()
        {
            return None;
        }
        let lower = surname.lc();
        let first_is_word =
            self.lexicon.is_dutch_word(t.lc()) && !self.lexicon.is_common_first_name(t.lc());
        let surname_listed = self.lexicon.is_surname(lower) && !self.lexicon.is_never(lower);
        let surname_unknown = !self.lexicon.is_dutch_word(lower) && lower.chars().count() > 2;
        (surname_listed && (k > i + 1 || !first_is_word || !self.lexicon.is_dutch_word(lower))
            || (!first_is_word && surname_unknown))
            .then_some(k + 1)
    }

    /// A run of name-like words right after a name and a list separator (", ", " en ", " & "):
    /// "Wilfried Scholtes, Loet Koreman, Pleunie van Raak".
    fn listed_after_name(
        &self,
        text: &str,
        tokens: &[Token<'_>],
        i: usize,
        end: usize,
        spans: &[Span],
    ) -> Option<Found> {
        if !self.layers.cues || i == 0 {
            return None;
        }
        let mut before = i - 1;
        if tokens[before].lc() == "en" && before > 0 {
            before -= 1;
        }
        let between = text[tokens[before].end..tokens[i].start].trim();
        let after_name = matches!(between, "," | "en" | "&")
            && spans
                .iter()
                .any(|s| s.kind == Kind::Name && s.end == tokens[before].end);
        let run = &tokens[i..end];
        let words: Vec<&Token<'_>> = run.iter().filter(|t| !is_particle(t)).collect();
        let name_like = !words.is_empty()
            && words.len() <= 3
            && !run[0].initial
            && !is_particle(&run[0])
            && run.iter().enumerate().all(|(k, t)| {
                is_particle(t) || (self.name_part(t) && (k == 0 || !t.sentence_start))
            })
            && words
                .iter()
                .any(|t| self.suspect(t) || self.first_name(t) || self.listed_surname(t))
            && !words
                .iter()
                .any(|t| self.lexicon.is_place(t.stem()) && !is_particle(t));
        (after_name && name_like).then_some(Found {
            from: i,
            to: end,
            strong: false,
            full: false,
            reason: "list",
        })
    }

    /// Lists of first names: "Salma, Ishpreet, Birgül en Kadir", "Giandro en Didiër". A lone
    /// capitalised word no list knows, in a list ("," "en" "&") next to a name already found,
    /// is a name too.
    fn complete_lists(
        &self,
        text: &str,
        tokens: &[Token<'_>],
        protected: &[(usize, usize)],
        spans: &mut Vec<Span>,
    ) {
        if !self.layers.cues || spans.is_empty() {
            return;
        }
        let covered = |t: &Token<'_>, spans: &[Span]| {
            spans.iter().any(|s| s.start <= t.start && t.end <= s.end)
        };
        let separator = |a: &Token<'_>, b: &Token<'_>| {
            matches!(text[a.end..b.start].trim(), "," | "en" | "&" | "of" | "/")
        };
        // Up to three rounds: a list is completed from both ends.
        for _ in 0..3 {
            let mut added = false;
            for k in 0..tokens.len() {
                let t = &tokens[k];
                let lone = t.capitalised()
                    && !t.initial
                    && (k == 0 || !tokens[k - 1].capitalised() || separator(&tokens[k - 1], t))
                    && tokens
                        .get(k + 1)
                        .is_none_or(|n| !n.capitalised() || separator(t, n));
                if !lone || covered(t, spans) || !self.nameable(t, false) {
                    continue;
                }
                // The neighbour across "," / "en" / "&" is a name already found.
                let prev = k.checked_sub(1).and_then(|p| {
                    // Across "en": the word before "en".
                    if tokens[p].lc() == "en" {
                        p.checked_sub(1)
                    } else {
                        Some(p)
                    }
                });
                let next = if tokens.get(k + 1).is_some_and(|n| n.lc() == "en") {
                    k + 2
                } else {
                    k + 1
                };
                let prev_name = prev.is_some_and(|p| {
                    covered(&tokens[p], spans) && {
                        let between = text[tokens[p].end..t.start].trim();
                        matches!(between, "," | "en" | "&" | "/")
                    }
                });
                let next_name = tokens.get(next).is_some_and(|n| {
                    covered(n, spans) && {
                        let between = text[t.end..n.start].trim();
                        matches!(between, "," | "en" | "&" | "/")
                    }
                });

                if (prev_name || next_name)
                    && !protected.iter().any(|&(a, b)| t.start < b && a < t.end)
                {
                    spans.push(Span {
                        start: t.start,
                        end: t.end,
                        kind: Kind::Name,
                    });
                    added = true;
                }
            }
            if !added {
                break;
            }
        }
    }

    /// "LOEN VAN GULICK", "FOTO: ANNA DE VRIES": a name in capitals (credits, headings): a
    /// listed first name that is not a word, then particles and capitalised words.
    fn capitals_name(&self, text: &str, tokens: &[Token<'_>], i: usize) -> Option<usize> {
        let all_caps = |t: &Token<'_>| {
            t.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && t.text
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
        };
        let t = &tokens[i];
        if !self.layers.gazetteer
            || !all_caps(t)
            || !self.lexicon.is_first_name(t.lc())
            || (self.lexicon.is_dutch_word(t.lc()) && !self.lexicon.is_common_first_name(t.lc()))
            || self.lexicon.is_never(t.lc())
        {
            return None;
        }
        let mut end = i + 1;
        while tokens
            .get(end)
            .is_some_and(|n| all_caps(n) && adjacent(text, &tokens[end - 1], n) && end - i < 5)
        {
            end += 1;
        }
        let last = &tokens[end - 1];
        (end > i + 1
            && !is_particle(last)
            && !self.lexicon.is_place(last.lc())
            && !self.lexicon.is_never(last.lc()))
        .then_some(end)
    }

    /// An author in a citation: "(Meijers, Kuijpers & Bakker, 2006)", "Bakker (2006)".
    fn cited_author(&self, text: &str, tokens: &[Token<'_>], i: usize) -> Option<usize> {
        let t = &tokens[i];
        if !self.layers.cues || !t.capitalised() || t.initial || is_particle(t) {
            return None;
        }
        let stem = t.stem();
        if self.lexicon.is_never(stem)
            || self.lexicon.is_place(stem)
            || (self.lexicon.is_dutch_word(stem) && !self.lexicon.is_surname(stem))
        {
            return None;
        }
        let year_at_end = |s: &str| {
            let s = s
                .trim_end()
                .trim_end_matches(|c: char| c.is_ascii_lowercase());
            s.len() >= 4
                && s.is_char_boundary(s.len() - 4)
                && s[s.len() - 4..].chars().all(|c| c.is_ascii_digit())
                && (s[s.len() - 4..].starts_with("19") || s[s.len() - 4..].starts_with("20"))
        };
        // Inside a bracket that ends in a year, or right before "(year)".
        let rest = &text[t.end..];
        let close = rest.find(')')?;
        let inside = &rest[..close];
        let opened = text[..t.start]
            .rfind('(')
            .is_some_and(|o| !text[o..t.start].contains(')'));
        let in_citation =
            opened && year_at_end(inside) && inside.len() < 120 && !inside.contains(['.', ';']);
        let before_year = rest
            .trim_start()
            .strip_prefix('(')
            .is_some_and(|after| after.find(')').is_some_and(|c| year_at_end(&after[..c])));
        (in_citation || before_year).then_some(i + 1)
    }

    /// Name spans in `text`. Name words found are added to `memory`; words in `memory` or
    /// `batch` are found again. Returns the full names found (for the batch memory).
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
                        memory.learn(stem);
                        if found.full
                            && !self.lexicon.is_dutch_word(stem)
                            && !self.lexicon.is_place(stem)
                            && let Some(names) = full_names.as_deref_mut()
                        {
                            names.learn(stem);
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
