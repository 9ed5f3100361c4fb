//! Deciding who in a run of capitalised words is a person: the cues around it, the
//! organisations and places to split off, and each layer's rule in turn.

use super::{Finder, Found, Memory, adjacent, is_particle};
use crate::anonymise::cues::{
    ABBREVIATIONS, ADDRESS_SET, CREDIT_SET, EPONYM_SET, LANGUAGE_SET, NOT_PERSON_SET, OFFICE_SET,
    ORGANISATION_SET, ROYAL_SET, SCHOOL_PREFIX_SET, SPEECH_SET, is_role, regional_surname,
    thing_suffix,
};
use crate::anonymise::tokens::Token;

/// The start of a run's person part and the cues just before it.
struct Lead {
    start: usize,
    /// A title, role, verb of speaking or credit right before the name.
    cue_before: bool,
    /// A verb of speaking right before the name ("zegt Dijkhuizen").
    speech_before: bool,
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

impl Finder<'_> {
    /// Is `tokens[to]` (the token after a name) a role or an age in brackets or after a comma:
    /// "Lammers (beleidsmedewerker)", "Anita O’Connor, algemeen directeur", "Jan (15)"?
    pub(super) fn role_follows(text: &str, tokens: &[Token<'_>], to: usize) -> bool {
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
    pub(super) fn speaker_label(text: &str, tokens: &[Token<'_>], from: usize, to: usize) -> bool {
        tokens[from].sentence_start
            && to - from <= 4
            && text[tokens[to - 1].end..]
                .trim_start_matches([' ', '\u{a0}'])
                .starts_with(':')
    }

    /// A speaker label followed by a quotation ("Niesje: ‘Wij …"): then even a word that is
    /// also a Dutch word is the speaker.
    pub(super) fn quoted_speaker(text: &str, tokens: &[Token<'_>], from: usize, to: usize) -> bool {
        Self::speaker_label(text, tokens, from, to)
            && text[tokens[to - 1].end..]
                .trim_start_matches([' ', '\u{a0}', ':'])
                .starts_with(['‘', '’', '“', '”', '"', '„', '\'', ','])
    }

    /// Where the person part of the run `[a, b)` ends: before an organisation, a street, a
    /// "van" + place or a "van" chain after a surname; `None` when the run is an organisation's
    /// name from its start.
    fn person_end(&self, text: &str, tokens: &[Token<'_>], a: usize, b: usize) -> Option<usize> {
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
            // (Not at `a` itself: no word stands before it, and `j - 1` would underflow.)
            let split = split.or_else(|| {
                (a + 1..k).rev().find(|&j| {
                    tokens[j].lc() == "van"
                        && !tokens[j - 1].initial
                        && !is_particle(&tokens[j - 1])
                        && tokens[a..j].iter().filter(|t| !is_particle(t)).count() >= 2
                })
            });
            q = split?;
        }
        Some(q)
    }

    /// Where the person part of the run `[a, q)` starts, past the words that are not the
    /// name, and whether a cue stands right before it.
    fn person_start(
        &self,
        text: &str,
        tokens: &[Token<'_>],
        a: usize,
        q: usize,
        memory: &Memory,
        batch: &Memory,
    ) -> Lead {
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
        Lead {
            start: p,
            cue_before,
            speech_before,
        }
    }

    /// The persons in the run `[a, b)`.
    pub(super) fn persons_in_run(
        &self,
        text: &str,
        tokens: &[Token<'_>],
        a: usize,
        b: usize,
        memory: &Memory,
        batch: &Memory,
    ) -> Option<Found> {
        let mut q = self.person_end(text, tokens, a, b)?;

        let Lead {
            start: mut p,
            mut cue_before,
            speech_before,
        } = self.person_start(text, tokens, a, q, memory, batch);
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
}
