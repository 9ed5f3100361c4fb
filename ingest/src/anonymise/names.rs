//! Finding person names in Dutch text without a statistical model: word lists of first names,
//! surnames and places, and the patterns Dutch names follow — initials, tussenvoegsels, forms
//! of address ("dhr.", "mevrouw", "collega"), and mentions of a name seen earlier in the same
//! session. Organisations and streets named after people ("Willem van Oranje College",
//! "Johan de Wittlaan") are recognised by the word that follows or ends them, and left alone.

use std::borrow::Cow;

use rustc_hash::FxHashSet;
use std::sync::LazyLock;

use super::patterns::{Kind, Span};

/// Tussenvoegsels (and particles of names of other origins) that sit between name parts.
const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "het", "'t", "’t", "ter", "ten", "te", "in", "op", "a", "la", "le",
    "du", "da", "dos", "del", "della", "di", "el", "al", "von", "zu", "vande", "vander", "d'",
];

/// Words after which a capitalised word is a name: forms of address, titles, roles.
const TITLES: &[&str] = &[
    "dhr",
    "dhr.",
    "mevr",
    "mevr.",
    "mw",
    "mw.",
    "mr",
    "mr.",
    "dr",
    "dr.",
    "drs",
    "drs.",
    "ir",
    "ir.",
    "ing",
    "ing.",
    "prof",
    "prof.",
    "meneer",
    "mevrouw",
    "juffrouw",
    "heer",
    "collega",
    "collega's",
    "wethouder",
    "directeur",
    "rector",
    "bestuurder",
    "coördinator",
    "coordinator",
    "docent",
    "docente",
    "teamleider",
    "schoolleider",
    "programmamanager",
    "programmaleider",
    "adviseur",
    "voorzitter",
    "projectleider",
    "beleidsmedewerker",
    "contactpersoon",
    "moderator",
    "gespreksleider",
    "ondersteuner",
    "consulent",
    "trajectbegeleider",
    "mentor",
];

/// Roles that, in brackets or after a comma, mark the capitalised word before them as a name:
/// "Lammers (beleidsmedewerker)", "Van Dijk, decaan".
const ROLES: &[&str] = &[
    "docent",
    "docente",
    "decaan",
    "afdelingsleider",
    "teamleider",
    "schoolleider",
    "directeur",
    "rector",
    "projectleider",
    "beleidsmedewerker",
    "adviseur",
    "hr-adviseur",
    "contactpersoon",
    "coördinator",
    "coordinator",
    "stagecoördinator",
    "stagecoordinator",
    "mentor",
    "bestuurder",
    "wethouder",
    "voorzitter",
    "programmamanager",
    "programmaleider",
    "accountmanager",
    "trajectbegeleider",
    "consulent",
    "onderwijskundige",
    "opleidingsmanager",
    "praktijkbegeleider",
    "loopbaanadviseur",
    "zorgcoördinator",
    "secretaris",
    "manager",
];

/// Words after which a known surname on its own is a name.
const CUES_BEFORE: &[&str] = &[
    "volgens", "met", "aldus", "namens", "door", "bij", "via", "en", "zegt", "vertelt", "vindt",
    "mailde", "belde", "bellen", "mailen", "contact", "vraag", "vroeg", "sprak", "spreken",
    "heeft", "had", "wil", "laat", "liet",
];

/// Verbs after which a known surname on its own is a name ("Bakker vertelt …").
const CUES_AFTER: &[&str] = &[
    "zegt",
    "zei",
    "vertelt",
    "vertelde",
    "vindt",
    "vond",
    "stelt",
    "stelde",
    "merkt",
    "merkte",
    "benadrukt",
    "vraagt",
    "vroeg",
    "geeft",
    "gaf",
    "belt",
    "belde",
    "mailt",
    "mailde",
    "meldt",
    "meldde",
    "denkt",
    "dacht",
    "wilde",
    "heeft",
    "had",
    "neemt",
    "nam",
    "stuurt",
    "stuurde",
    "noemt",
    "noemde",
    "schreef",
    "schrijft",
    "adviseert",
    "adviseerde",
    "presenteert",
    "presenteerde",
    "organiseert",
    "regelt",
    "coördineert",
];

/// Words that make the capitalised words before them an organisation, building or event.
const ORGANISATION_WORDS: &[&str] = &[
    "college",
    "lyceum",
    "scholengroep",
    "scholengemeenschap",
    "school",
    "scholen",
    "academie",
    "instituut",
    "stichting",
    "campus",
    "mavo",
    "havo",
    "vmbo",
    "atheneum",
    "gymnasium",
    "prijs",
    "fonds",
    "huis",
    "centrum",
    "ziekenhuis",
    "kliniek",
    "universiteit",
    "hogeschool",
    "onderwijsgroep",
    "kazerne",
    "museum",
    "zaal",
    "plein",
    "straat",
    "laan",
    "weg",
    "brug",
    "tunnel",
    "park",
    "kerk",
    "stadion",
    "hal",
    "theater",
    "bibliotheek",
    "groep",
    "techniekcollege",
    "vakcollege",
    "mbo",
    "roc",
    "bv",
    "b.v.",
    "nv",
    "&",
];

/// Street-name endings: "Johan de Wittlaan" is an address, not a person.
const STREET_SUFFIXES: &[&str] = &[
    "laan",
    "straat",
    "weg",
    "plein",
    "singel",
    "kade",
    "gracht",
    "dreef",
    "steeg",
    "pad",
    "park",
    "dijk",
    "plantsoen",
    "markt",
    "baan",
    "burcht",
    "dag",
    "prijs",
    "lezing",
    "regeling",
    "fonds",
    "beurs",
    "school",
    "college",
    "zaal",
];

/// Words before a name that make it a school, street or event ("Sint Lucas", "Prins Bernhardlaan").
const NOT_PERSON_HEADS: &[&str] = &[
    "sint", "st", "heilige", "koning", "koningin", "prins", "prinses", "graaf", "gravin", "keizer",
    "paus", "hertog",
];

/// Words before "van" that make the next word an eponym, not a person ("ziekte van Parkinson").
const EPONYM_HEADS: &[&str] = &[
    "ziekte", "syndroom", "wet", "methode", "model", "principe", "piramide", "cirkel", "kwadrant",
];

/// The word lists above as sets, for constant-time lookups in the hot loop.
static TITLE_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| TITLES.iter().copied().collect());
static PARTICLE_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| PARTICLES.iter().copied().collect());
static CUE_BEFORE_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| CUES_BEFORE.iter().copied().collect());
static CUE_AFTER_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| CUES_AFTER.iter().copied().collect());
static ROLE_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| ROLES.iter().copied().collect());
static ORGANISATION_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| ORGANISATION_WORDS.iter().copied().collect());
static NOT_PERSON_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| NOT_PERSON_HEADS.iter().copied().collect());
static EPONYM_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| EPONYM_HEADS.iter().copied().collect());
/// Abbreviated titles ("dhr", "mevr"): their dot does not end a sentence.
static ABBREVIATION_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| TITLES.iter().filter_map(|t| t.strip_suffix('.')).collect());

/// The embedded word lists.
#[derive(Debug)]
pub struct Lexicon {
    first: FxHashSet<String>,
    surnames: FxHashSet<String>,
    places: FxHashSet<String>,
    never: FxHashSet<String>,
    /// Multi-word names to leave alone (regions such as "Hart van Brabant"), matched as phrases
    /// so that their words stay usable as names elsewhere ("dhr. 't Hart").
    phrases: Vec<String>,
    phrase_matcher: Option<aho_corasick::AhoCorasick>,
}

fn words(list: &str) -> impl Iterator<Item = String> + '_ {
    list.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
        .map(str::to_lowercase)
}

impl Lexicon {
    pub fn new() -> Self {
        let never: FxHashSet<String> = words(include_str!("lexicon/never_names.txt")).collect();
        let mut places: FxHashSet<String> = words(include_str!("lexicon/places.txt")).collect();
        places.retain(|p| !p.is_empty());
        let first = words(include_str!("lexicon/first_names.txt"))
            .filter(|w| !never.contains(w))
            .collect();
        let surnames = words(include_str!("lexicon/surnames.txt"))
            .filter(|w| !never.contains(w))
            .collect();
        Lexicon {
            first,
            surnames,
            places,
            never,
            phrases: Vec::new(),
            phrase_matcher: None,
        }
    }

    /// Adds a name that must never be redacted (a region or an alias): one word goes to the
    /// places, a longer name is kept as a phrase.
    pub fn protect(&mut self, phrase: &str) {
        let words: Vec<&str> = phrase.split_whitespace().collect();
        match words.as_slice() {
            [] => {}
            [word] => {
                let word = word
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                if word.chars().count() > 1 {
                    self.places.insert(word);
                }
            }
            _ => self.phrases.push(words.join(" ")),
        }
    }

    /// Builds the phrase matcher; call once after the last [`Lexicon::protect`].
    pub fn finish_protecting(&mut self) {
        self.phrase_matcher = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&self.phrases)
            .ok();
    }

    /// Byte ranges of protected phrases in `text`.
    fn protected_ranges(&self, text: &str) -> Vec<(usize, usize)> {
        match &self.phrase_matcher {
            Some(matcher) => matcher
                .find_iter(text)
                .map(|m| (m.start(), m.end()))
                .collect(),
            None => Vec::new(),
        }
    }
}

impl Default for Lexicon {
    fn default() -> Self {
        Self::new()
    }
}

/// A word of the text with its byte range.
#[derive(Debug, Clone)]
struct Token<'t> {
    start: usize,
    end: usize,
    text: &'t str,
    /// Lower case; borrowed when the word already is.
    lower: Cow<'t, str>,
    /// First word of a sentence (or of the text, a line, a quote).
    sentence_start: bool,
    /// An initial such as "J." (the dot is part of the token).
    initial: bool,
}

impl Token<'_> {
    fn lc(&self) -> &str {
        &self.lower
    }
}

fn tokenise(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut sentence_start = true;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let starts_word = c.is_alphanumeric()
            || ((c == '\'' || c == '’') && chars.peek().is_some_and(|(_, n)| n.is_alphabetic()));
        if !starts_word {
            if matches!(
                c,
                '.' | '!' | '?' | '\n' | ':' | ';' | '"' | '“' | '•' | '-'
            ) {
                // A hyphen only starts a sentence as a bullet; mid-word hyphens never get here.
                sentence_start = true;
            }
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, n)) = chars.peek() {
            let inner = n == '\'' || n == '’' || n == '-';
            let continues = n.is_alphanumeric()
                || (inner
                    && text[i + n.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric));
            if !continues {
                break;
            }
            end = i + n.len_utf8();
            chars.next();
        }
        let mut word = &text[start..end];
        // An initial: one capital letter directly followed by a dot.
        let mut initial = false;
        if word.chars().count() == 1 && c.is_uppercase() && text[end..].starts_with('.') {
            end += 1;
            word = &text[start..end];
            chars.next();
            initial = true;
        }
        tokens.push(Token {
            start,
            end,
            text: word,
            lower: if word.chars().any(char::is_uppercase) {
                Cow::Owned(word.to_lowercase())
            } else {
                Cow::Borrowed(word)
            },
            sentence_start,
            initial,
        });
        // The dot of an abbreviation such as "dhr." does not end the sentence.
        sentence_start = false;
        if !initial
            && ABBREVIATION_SET.contains(word.to_lowercase().as_str())
            && text[end..].starts_with('.')
        {
            chars.next();
        }
    }
    tokens
}

/// Is `word` followed by a role in brackets or after a comma ("Den Hartog (decaan)")?
fn role_follows_word(text: &str, word: &Token<'_>) -> bool {
    let rest = text[word.end..].trim_start_matches([' ', '\u{a0}']);
    let Some(rest) = rest.strip_prefix('(').or_else(|| rest.strip_prefix(',')) else {
        return false;
    };
    let role: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_lowercase();
    ROLE_SET.contains(&role.as_str())
}

/// `'s` and `s'` possessives off, for lookups.
fn stem(lower: &str) -> &str {
    lower
        .strip_suffix("'s")
        .or_else(|| lower.strip_suffix("’s"))
        .unwrap_or(lower)
}

fn is_capitalised(token: &Token<'_>) -> bool {
    let mut chars = token.text.chars().skip_while(|c| *c == '\'' || *c == '’');
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    // Acronyms (OCW, STO, NAAM) are not names.
    let all_upper = token
        .text
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase);
    first_upper && (!all_upper || token.text.chars().filter(|c| c.is_alphabetic()).count() == 1)
}

/// Finds name spans in one text; `known` holds the name words already seen in its group.
#[derive(Debug)]
pub struct Finder<'l> {
    lexicon: &'l Lexicon,
}

impl<'l> Finder<'l> {
    pub fn new(lexicon: &'l Lexicon) -> Self {
        Finder { lexicon }
    }

    fn is_particle(&self, token: &Token<'_>) -> bool {
        PARTICLE_SET.contains(&token.lc())
    }

    /// A capitalised word that may be part of a name: not a place, region or common word.
    fn nameable(&self, token: &Token<'_>) -> bool {
        if token.initial {
            return true;
        }
        if !is_capitalised(token) || token.text.chars().any(|c| c.is_ascii_digit()) {
            return false;
        }
        let lower = stem(&token.lower);
        if self.lexicon.never.contains(lower) || self.lexicon.places.contains(lower) {
            return false;
        }
        // A hyphenated word is nameable if its parts are ("Wit-Haverkamp"), not if one is a place.
        !lower
            .split('-')
            .any(|part| self.lexicon.places.contains(part))
    }

    fn is_first_name(&self, token: &Token<'_>) -> bool {
        let lower = stem(&token.lower);
        self.nameable(token)
            && !token.initial
            && (self.lexicon.first.contains(lower)
                || (lower.contains('-')
                    && lower
                        .split('-')
                        .all(|part| self.lexicon.first.contains(part))))
    }

    fn is_surname(&self, token: &Token<'_>) -> bool {
        self.nameable(token) && !token.initial && {
            let lower = stem(&token.lower);
            self.lexicon.surnames.contains(lower)
                || lower.split('-').all(|p| self.lexicon.surnames.contains(p))
        }
    }

    /// Only spaces between two tokens (so a name never runs across punctuation).
    fn adjacent(text: &str, a: &Token<'_>, b: &Token<'_>) -> bool {
        text[a.end..b.start]
            .chars()
            .all(|c| c == ' ' || c == '\u{a0}')
    }

    /// Extends a name from token `i` (its first part) over particles and further name words.
    /// `unknown_ok` lets capitalised words outside the lexicon count as name parts (after a
    /// title or a known first name). Returns the index past the name's last token.
    fn extend(&self, text: &str, tokens: &[Token<'_>], i: usize, unknown_ok: bool) -> usize {
        let mut end = i + 1;
        let mut words = 1;
        while let Some(next) = tokens.get(end) {
            if !Self::adjacent(text, &tokens[end - 1], next) {
                break;
            }
            if next.initial {
                end += 1;
                continue;
            }
            // Particles count only when a name word follows them.
            if self.is_particle(next) {
                let mut k = end;
                while let Some(t) = tokens.get(k) {
                    if self.is_particle(t) && (k == end || Self::adjacent(text, &tokens[k - 1], t))
                    {
                        k += 1;
                    } else {
                        break;
                    }
                }
                // Inside a name, a capitalised word after particles is the surname even when it
                // is also a word or a place ("van der Meer", "van Apeldoorn").
                match tokens.get(k) {
                    Some(t)
                        if Self::adjacent(text, &tokens[k - 1], t)
                            && is_capitalised(t)
                            && !t.initial
                            && !self.is_organisation_or_title(t)
                            // "van de Koninklijke Metaalunie": two capitalised words after the
                            // particles name an organisation, not a person.
                            && !tokens.get(k + 1).is_some_and(|n| {
                                Self::adjacent(text, t, n) && is_capitalised(n) && !self.is_particle(n)
                            }) =>
                    {
                        end = k + 1;
                        words += 1;
                        continue;
                    }
                    _ => break,
                }
            }
            if self.is_organisation_or_title(next) {
                break;
            }
            let known = self.is_first_name(next) || self.is_surname(next);
            // After a title or a first name, a place-like word is a surname ("Okke Haaksbergen").
            let place_surname = unknown_ok
                && is_capitalised(next)
                && self.lexicon.places.contains(stem(&next.lower))
                && !self.lexicon.never.contains(stem(&next.lower));
            if (self.nameable(next) && (known || unknown_ok) || place_surname)
                && words < 4
                && !next.sentence_start
            {
                end += 1;
                words += 1;
                continue;
            }
            break;
        }
        end
    }

    /// "jan de vries": a first name, particles and a surname, all in lower case, is still a
    /// name. Only this full pattern counts: a lone lower-case "roos" or "bas" is a word.
    fn lowercase_full_name(&self, text: &str, tokens: &[Token<'_>], i: usize) -> Option<usize> {
        let mut k = i + 1;
        while tokens
            .get(k)
            .is_some_and(|t| self.is_particle(t) && Self::adjacent(text, &tokens[k - 1], t))
        {
            k += 1;
        }
        let surname = tokens.get(k)?;
        (Self::adjacent(text, &tokens[k - 1], surname)
            && !self.lexicon.never.contains(surname.lc())
            && self.lexicon.surnames.contains(surname.lc()))
        .then_some(k + 1)
    }

    /// Organisation words and titles end a name ("… van het Dr. Nassau College").
    fn is_organisation_or_title(&self, token: &Token<'_>) -> bool {
        ORGANISATION_SET.contains(&token.lc()) || TITLE_SET.contains(&token.lc())
    }

    /// Does a word already known as a name follow the particles starting at `i` ("'t Hart")?
    fn known_after_particles(
        &self,
        tokens: &[Token<'_>],
        i: usize,
        known: &FxHashSet<String>,
    ) -> bool {
        let mut k = i;
        while tokens.get(k).is_some_and(|t| self.is_particle(t)) {
            k += 1;
        }
        k > i
            && tokens
                .get(k)
                .is_some_and(|w| is_capitalised(w) && known.contains(stem(&w.lower)))
    }

    /// Is the span [from, to) really an organisation, a street or an eponym?
    fn not_a_person(&self, tokens: &[Token<'_>], from: usize, to: usize) -> bool {
        // "Willem van Oranje College", "Koning Willem I College": an organisation word a few
        // capitalised words or particles further on makes the whole run a name of a thing.
        let mut k = to;
        let mut saw_word = false;
        while k < tokens.len() && k < to + 4 {
            let t = &tokens[k];
            // Directly after the name, or after a further capitalised word ("van Oranje"), but
            // not after particles alone: "Fatima Azzouzi van de Scholengroep" is a person.
            if ORGANISATION_SET.contains(t.lc()) && (k == to || saw_word) {
                return true;
            }
            if is_capitalised(t) || matches!(t.text, "I" | "II" | "III" | "IV") {
                saw_word = true;
            } else if !self.is_particle(t) {
                break;
            }
            k += 1;
        }
        if let Some(next) = tokens.get(to)
            && (ORGANISATION_SET.contains(&next.lc())
                || STREET_SUFFIXES
                    .iter()
                    .any(|s| next.lower.len() > s.len() + 2 && next.lower.ends_with(s)))
        {
            return true;
        }
        // Saints, royals and the like name schools, streets and holidays, not people here.
        if from >= 1 && NOT_PERSON_SET.contains(&tokens[from - 1].lc()) {
            return true;
        }
        if tokens[from..to].iter().any(|t| {
            STREET_SUFFIXES
                .iter()
                .any(|s| t.lower.len() > s.len() + 2 && t.lower.ends_with(s))
                || ORGANISATION_WORDS
                    .iter()
                    .any(|o| o.len() > 5 && t.lower.ends_with(o))
        }) {
            return true;
        }
        if from >= 2
            && tokens[from - 1].lower == "van"
            && EPONYM_SET.contains(&tokens[from - 2].lc())
        {
            return true;
        }
        false
    }

    /// Name spans in `text`; name words found are added to `known`, and words already in
    /// `known` are found again.
    pub fn find(&self, text: &str, known: &mut FxHashSet<String>, spans: &mut Vec<Span>) {
        let tokens = tokenise(text);
        let protected = self.lexicon.protected_ranges(text);
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            let prev = i.checked_sub(1).map(|p| &tokens[p]);
            // "dhr. X": the abbreviation's dot does not separate; "… projectleider. X" does.
            let prev_adjacent = prev.is_some_and(|p| {
                Self::adjacent(text, p, t)
                    || (text[p.end..t.start].trim() == "." && ABBREVIATION_SET.contains(p.lc()))
            });
            let role_follows = role_follows_word(text, t);
            let after_title = prev.is_some_and(|p| TITLE_SET.contains(&p.lc())) && prev_adjacent;
            let after_cue = prev.is_some_and(|p| CUE_BEFORE_SET.contains(&p.lc())) && prev_adjacent;
            let verb_follows = tokens
                .get(i + 1)
                .is_some_and(|n| CUE_AFTER_SET.contains(&n.lc()) && Self::adjacent(text, t, n));

            let mut found: Option<usize> = None;
            if t.initial
                && tokens
                    .get(i + 1)
                    .is_some_and(|n| Self::adjacent(text, t, n))
            {
                // "J. de Vries", "A.B. Jansen": initials, particles, a surname.
                let end = self.extend(text, &tokens, i, true);
                if end > i + 1
                    && tokens[i..end]
                        .iter()
                        .any(|x| !x.initial && !self.is_particle(x))
                {
                    found = Some(end);
                }
            } else if self.is_particle(t)
                // "Het" and "In"/"Op" at the start of a sentence are an article and prepositions,
                // unless "'t" follows ("In 't Veld").
                && !(t.sentence_start
                    && matches!(t.lc(), "het" | "in" | "op" | "te")
                    && !tokens.get(i + 1).is_some_and(|n| matches!(n.lc(), "'t" | "’t")))
                && (is_capitalised(t)
                    || after_title
                    || after_cue
                    || (t.lower.starts_with(['\'', '’'])
                        && self.known_after_particles(&tokens, i, known)))
            {
                // "Van der Berg", "De Vries", "'t Hart" without a first name.
                let mut k = i;
                while tokens.get(k).is_some_and(|x| self.is_particle(x))
                    && (k == i || Self::adjacent(text, &tokens[k - 1], &tokens[k]))
                {
                    k += 1;
                }
                let particles = k - i;
                if let Some(word) = tokens.get(k)
                    && Self::adjacent(text, &tokens[k - 1], word)
                    && !word.initial
                    && is_capitalised(word)
                    // Two particles ("van der", "van den") make any capitalised word a surname;
                    // after one ("De", "Den") it must not be a place or a common word.
                    && (particles >= 2 || self.nameable(word))
                    // "van Thijs Terpstra": a lower-case "van" before a first name is a preposition.
                    && (is_capitalised(t) || t.lower.starts_with(['\'', '’']) || !self.is_first_name(word))
                {
                    let strong = particles >= 2
                        || self.is_surname(word)
                        || after_title
                        || after_cue
                        || known.contains(stem(&word.lower))
                        || role_follows_word(text, word)
                        || (!t.sentence_start
                            && is_capitalised(t)
                            && t.lower != "de"
                            && t.lower != "het");
                    if strong {
                        found = Some(self.extend(text, &tokens, k, false).max(k + 1));
                    }
                }
            } else if (self.nameable(t) || (is_capitalised(t) && known.contains(stem(&t.lower))))
                && !t.initial
            {
                let lower = stem(&t.lower);
                if after_title || role_follows || self.is_first_name(t) || known.contains(lower) {
                    found = Some(self.extend(text, &tokens, i, true));
                } else if self.is_surname(t) && ((after_cue && !t.sentence_start) || verb_follows) {
                    found = Some(self.extend(text, &tokens, i, false));
                } else if !TITLE_SET.contains(&t.lc())
                    && tokens.get(i + 1).is_some_and(|n| {
                        Self::adjacent(text, t, n) && !n.sentence_start && self.is_surname(n)
                    })
                {
                    // "Reinske Bergsma": an unknown capitalised word before a known surname.
                    found = Some(self.extend(text, &tokens, i, true));
                } else if !TITLE_SET.contains(t.lc())
                    && tokens.get(i + 1).is_some_and(|n| {
                        Self::adjacent(text, t, n)
                            && !n.sentence_start
                            && (self.nameable(n) || (self.is_particle(n) && self.is_surname(t)))
                    })
                {
                    // Two capitalised words mid-sentence that are neither places nor common
                    // words: in Dutch, where nouns are lower case, that is almost always a name.
                    let end = self.extend(text, &tokens, i, true);
                    if end > i + 1 {
                        found = Some(end);
                    }
                }
            }

            if found.is_none() && !is_capitalised(t) && self.lexicon.first.contains(t.lc()) {
                found = self.lowercase_full_name(text, &tokens, i);
            }

            match found {
                Some(end)
                    if !self.not_a_person(&tokens, i, end)
                        && !protected
                            .iter()
                            .any(|&(a, b)| tokens[i].start < b && a < tokens[end - 1].end) =>
                {
                    for token in &tokens[i..end] {
                        if !token.initial && !self.is_particle(token) {
                            let word = stem(&token.lower);
                            known.insert(word.to_owned());
                            // Both halves of a double surname identify the person.
                            for part in word.split('-') {
                                if part.chars().count() > 2 {
                                    known.insert(part.to_owned());
                                }
                            }
                        }
                    }
                    spans.push(Span {
                        start: tokens[i].start,
                        end: tokens[end - 1].end,
                        kind: Kind::Name,
                    });
                    i = end;
                }
                Some(end) => i = end,
                None => i += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_initials_and_apostrophes() {
        let tokens = tokenise("Dhr. J. de Vries en 't Hart: Anna's plan.");
        let texts: Vec<&str> = tokens.iter().map(|t| t.text).collect();
        assert_eq!(
            texts,
            [
                "Dhr", "J.", "de", "Vries", "en", "'t", "Hart", "Anna's", "plan"
            ]
        );
        assert!(tokens[1].initial);
        assert!(tokens[7].sentence_start);
        assert!(!tokens[1].sentence_start);
    }
}
