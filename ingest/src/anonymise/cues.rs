//! Context cues: the words around a name that say it is one (titles and roles, verbs of
//! speaking), and the words that say a capitalised run is an organisation, a street or an
//! eponym instead. Lower case; looked up through the sets at the bottom.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

/// Tussenvoegsels (and particles of names of other origins) that sit between name parts.
pub const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "het", "'t", "’t", "ter", "ten", "te", "in", "op", "a", "la", "le",
    "du", "da", "dos", "del", "della", "di", "el", "al", "von", "zu", "vande", "vander", "d'",
    "ibn", "mc", "o'", "v.d.", "v/d", "vd",
];

/// Abbreviated forms of address: their dot does not end a sentence.
pub const ABBREVIATIONS: &[&str] = &[
    "dhr", "mevr", "mw", "mr", "dr", "drs", "ir", "ing", "prof", "ds", "st", "jhr", "jkvr",
];

/// Titles, functions, roles and relations (the forms of address are in `ADDRESS`): the
/// capitalised words after them are a name ("wethouder Bakker", "directeur Stef Macke"). In
/// brackets or after a comma they mark the name before them ("Lammers (beleidsmedewerker)").
const ROLES: &[&str] = &[
    "wethouder",
    "burgemeester",
    "minister",
    "staatssecretaris",
    "gedeputeerde",
    "kamerlid",
    "directeur",
    "directrice",
    "directeur-bestuurder",
    "adjunct-directeur",
    "rector",
    "conrector",
    "bestuurder",
    "bestuursvoorzitter",
    "coördinator",
    "coordinator",
    "docent",
    "docente",
    "vakdocent",
    "praktijkdocent",
    "leraar",
    "lerares",
    "leerkracht",
    "instructeur",
    "teamleider",
    "schoolleider",
    "locatieleider",
    "locatiedirecteur",
    "afdelingsleider",
    "sectieleider",
    "programmamanager",
    "programmaleider",
    "programmadirecteur",
    "projectleider",
    "projectcoördinator",
    "kwartiermaker",
    "penvoerder",
    "adviseur",
    "voorzitter",
    "secretaris",
    "penningmeester",
    "beleidsmedewerker",
    "beleidsadviseur",
    "contactpersoon",
    "moderator",
    "gespreksleider",
    "ondersteuner",
    "consulent",
    "trajectbegeleider",
    "mentor",
    "decaan",
    "stagecoördinator",
    "stagecoordinator",
    "stagebegeleider",
    "praktijkbegeleider",
    "loopbaanadviseur",
    "zorgcoördinator",
    "onderwijskundige",
    "opleidingsmanager",
    "accountmanager",
    "manager",
    "teammanager",
    "eigenaar",
    "mede-eigenaar",
    "oprichter",
    "medeoprichter",
    "ondernemer",
    "onderzoeker",
    "lector",
    "hoogleraar",
    "promovendus",
    "leerling",
    "oud-leerling",
    "student",
    "stagiair",
    "stagiaire",
    "cursist",
    "deelnemer",
    "ouder",
    "vader",
    "moeder",
    "zoon",
    "dochter",
    "broer",
    "zus",
    "opa",
    "oma",
    "echtgenote",
    "echtgenoot",
    "partner",
    "astronaut",
    "fotograaf",
    "auteur",
    "journalist",
    "redacteur",
    "schrijver",
    "trainer",
    "coach",
    "begeleider",
    "ambassadeur",
    "initiatiefnemer",
    "organisator",
    "woordvoerder",
    "woordvoerster",
    "spreker",
    "presentator",
    "hr-adviseur",
    "hr-manager",
    "jurylid",
    "winnaar",
    "winnares",
    "kandidaat",
    "vakman",
    "installateur",
    "monteur",
    "bedrijfsleider",
    "werkgever",
    "werknemer",
    "medewerker",
    "collega-docent",
    "schooldirecteur",
    "bovenschools",
    "interim-directeur",
    "regisseur",
    "teamcoördinator",
    "commissaris",
    "ome",
    "oom",
    "tante",
    "neef",
    "nicht",
    "klasgenoot",
    "klasgenote",
    "buurman",
    "buurvrouw",
    "vriend",
    "vriendin",
    "opleider",
    "schoolopleider",
    "lerarenopleider",
    "casushouder",
    "casusinbrenger",
    "inbrenger",
    "notulist",
    "gastspreker",
];

/// Forms of address: after these "van de X" is a name ("mevrouw van de Ven"); after a
/// function it is an organisation ("voorzitter van de Raad van Toezicht").
const ADDRESS: &[&str] = &[
    "dhr",
    "mevr",
    "mw",
    "mr",
    "dr",
    "drs",
    "ir",
    "ing",
    "prof",
    "ds",
    "meneer",
    "mevrouw",
    "juffrouw",
    "juf",
    "heer",
    "collega",
    "collega's",
    "baron",
    "barones",
    "jonkheer",
    "jhr",
    "jkvr",
];

/// Acronyms of kinds of schools before a school's name ("CS Vincent van Gogh", "OBS De
/// Trekvogel", "RSG Magister Alvinus").
const SCHOOL_PREFIXES: &[&str] = &[
    "cs",
    "csg",
    "obs",
    "cbs",
    "rkbs",
    "pcbs",
    "kbs",
    "rsg",
    "sg",
    "osg",
    "pc",
    "rk",
    "ikc",
    "kc",
    "bs",
    "sbo",
    "so",
    "vso",
    "isk",
    "roc",
    "mbo",
    "vmbo",
    "ksg",
    "scholengemeenschap",
];

/// Titles of office after which even an ordinary word or a village is the surname ("minister
/// Slob", "Kamerlid Rog", "wethouder Bakker").
const OFFICES: &[&str] = &[
    "minister",
    "staatssecretaris",
    "kamerlid",
    "tweede-kamerlid",
    "senator",
    "burgemeester",
    "wethouder",
    "commissaris",
    "europarlementariër",
    "fractievoorzitter",
    "partijleider",
];

/// Political parties: in brackets after a name ("Beertema (PVV)") they mark a person.
const PARTIES: &[&str] = &[
    "vvd",
    "pvv",
    "cda",
    "d66",
    "groenlinks",
    "pvda",
    "sp",
    "christenunie",
    "sgp",
    "pvdd",
    "fvd",
    "ja21",
    "bbb",
    "nsc",
    "volt",
    "denk",
    "50plus",
    "bij1",
    "gl-pvda",
];

/// Royal forms of address: a cue before a name ("koning Willem-Alexander"), but also common
/// surnames ("Yvonne Koning"), so never a reason to end a name.
const ROYALS: &[&str] = &[
    "koning",
    "koningin",
    "prins",
    "prinses",
    "majesteit",
    "hoogheid",
];

/// Credits: the name after them (and a colon) is an author or photographer ("Foto: Jan
/// Been", "Tekst Anna de Vries", "Door Agnes Boot").
const CREDITS: &[&str] = &[
    "foto",
    "foto's",
    "fotografie",
    "beeld",
    "tekst",
    "door",
    "illustratie",
    "redactie",
    "interview",
    "auteur",
    "bron",
    "video",
    "camera",
    "montage",
];

/// Verbs of saying and thinking: the capitalised word before or after them is a speaker
/// ("zegt Algra", "Hoekstra vertelt", "aldus Van der Meulen", "licht Bakker toe").
const SPEECH: &[&str] = &[
    "blikt",
    "omschrijft",
    "omschreef",
    "vervolgt",
    "vervolgde",
    "somt",
    "stipt",
    "schetst",
    "schetste",
    "memoreert",
    "relativeert",
    "nuanceert",
    "glimlacht",
    "glimlachte",
    "knikte",
    "zegt",
    "zei",
    "zeggen",
    "zeiden",
    "vertelt",
    "vertelde",
    "vertellen",
    "vertelden",
    "vindt",
    "vond",
    "laat",
    "liet",
    "vinden",
    "vonden",
    "stelt",
    "stelde",
    "benadrukt",
    "benadrukte",
    "legt",
    "legde",
    "licht",
    "lichtte",
    "aldus",
    "volgens",
    "glundert",
    "lacht",
    "lachte",
    "knikt",
    "reageert",
    "reageerde",
    "antwoordt",
    "antwoordde",
    "vult",
    "vulde",
    "zucht",
    "zuchtte",
    "erkent",
    "erkende",
    "beaamt",
    "beaamde",
    "concludeert",
    "concludeerde",
    "constateert",
    "constateerde",
    "verklaart",
    "verklaarde",
    "denkt",
    "dacht",
    "merkt",
    "merkte",
    "noemt",
    "noemde",
    "schrijft",
    "schreef",
    "vraagt",
    "vroeg",
    "roept",
    "riep",
    "waarschuwt",
    "waarschuwde",
    "onderstreept",
    "onderstreepte",
    "verzucht",
    "meent",
    "meende",
    "illustreert",
    "blikt",
    "beschrijft",
    "beschreef",
    "betoogt",
    "betoogde",
    "pleit",
    "pleitte",
    "mailt",
    "mailde",
    "belt",
    "belde",
    "sprak",
    "spreekt",
    "bevestigt",
    "bevestigde",
    "grijnst",
    "grapt",
    "grapte",
    "verduidelijkt",
    "voegt",
    "voegde",
    "citeert",
];

/// Words before a name that make it a school, church or holiday ("Sint Lucas"). Royals are
/// people ("koning Willem-Alexander"); the schools and streets named after them are caught by
/// the word that ends them ("Koning Willem I College", "Prins Bernhardlaan").
const NOT_PERSON_HEADS: &[&str] = &["sint", "st", "heilige", "paus", "keizer", "stadhouder"];

/// Words before "van" that make the next word an eponym, not a person ("ziekte van Parkinson").
const EPONYM_HEADS: &[&str] = &[
    "ziekte", "syndroom", "wet", "methode", "model", "principe", "piramide", "cirkel", "kwadrant",
    "stelling", "theorie", "regel", "wetten",
];

/// Words that make the capitalised words before them an organisation, building or event.
const ORGANISATIONS: &[&str] = &[
    "college",
    "lyceum",
    "scholengroep",
    "scholengemeenschap",
    "school",
    "scholen",
    "academie",
    "instituut",
    "institute",
    "stichting",
    "campus",
    "mavo",
    "havo",
    "vmbo",
    "atheneum",
    "gymnasium",
    "prijs",
    "fonds",
    "centrum",
    "ziekenhuis",
    "kliniek",
    "universiteit",
    "hogeschool",
    "onderwijsgroep",
    "kazerne",
    "museum",
    "stadion",
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
    "vakschool",
    "praktijkschool",
    "basisschool",
    "mytylschool",
    "lab",
    "techlab",
    "award",
    "lezing",
    "leerstoel",
    "beurs",
    "festival",
    "foundation",
    "holding",
    "bouwbedrijf",
    "installatietechniek",
    "installatietechnieken",
    "luchthaven",
    "airport",
    "huis",
    "plein",
    "laan",
    "park",
    "kerk",
    "kindcentrum",
    "vereniging",
    "courant",
    "krant",
    "agenda",
];

/// Street-name endings: "Johan de Wittlaan" is an address, not a person; and endings of the
/// names of things made after people ("Dongemondcollege"). Not "-dijk", "-veld", "-hof" or
/// "-huis": they end too many surnames (Hoogendijk, Groeneveld, Westerhof, Westerhuis).
const THING_SUFFIXES: &[&str] = &[
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
    "plantsoen",
    "markt",
    "burcht",
    "prijs",
    "lezing",
    "regeling",
    "fonds",
    "beurs",
    "school",
    "college",
    "zaal",
    "lyceum",
    "dag",
];

fn set(words: &[&'static str]) -> FxHashSet<&'static str> {
    words.iter().copied().collect()
}

/// Endings that make a word a role ("Raad-voorzitter", "ICT-coördinator", "schoolopleider",
/// "bestuursvoorzitter").
const ROLE_ENDINGS: &[&str] = &[
    "leider",
    "directeur",
    "docent",
    "docente",
    "coördinator",
    "coordinator",
    "adviseur",
    "manager",
    "voorzitter",
    "opleider",
    "medewerker",
    "begeleider",
    "consulent",
    "bestuurder",
    "wethouder",
    "regisseur",
    "secretaris",
    "leraar",
    "lerares",
    "specialist",
    "deskundige",
    "griffier",
    "leerling",
    "student",
    "studente",
    "redacteur",
    "corrector",
    "stylist",
];

/// A role, title or relation: listed, or a compound ending in a role.
pub fn is_role(lower: &str) -> bool {
    ROLE_SET.contains(lower)
        || ADDRESS_SET.contains(lower)
        || OFFICE_SET.contains(lower)
        || PARTY_SET.contains(lower)
        // A party's member: "PVV'er", "D66’er".
        || lower.ends_with("'er")
        || lower.ends_with("’er")
        || lower
            .rsplit('-')
            .next()
            .is_some_and(|last| {
                last != lower && (ROLE_SET.contains(last) || OFFICE_SET.contains(last))
            })
        || ROLE_ENDINGS
            .iter()
            .any(|e| lower.len() > e.len() + 2 && lower.ends_with(e))
}

/// Languages taught as subjects: after a teacher they are the subject, not a name ("docent
/// Frans", "lerares Fries").
const LANGUAGES: &[&str] = &[
    "frans",
    "fries",
    "duits",
    "engels",
    "nederlands",
    "spaans",
    "latijn",
    "grieks",
    "arabisch",
    "turks",
    "chinees",
    "italiaans",
    "russisch",
    "pools",
];

pub static LANGUAGE_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| set(LANGUAGES));

/// Surname endings of the north and east of the country ("Hoornstra", "Wiersma", "Andringa",
/// "Bruggink"): a capitalised word no list knows that ends like this is a surname.
pub fn regional_surname(lower: &str) -> bool {
    const ENDINGS: &[&str] = &["stra", "sma", "inga", "enga", "ink", "sema", "tsma", "ema"];
    ENDINGS
        .iter()
        .any(|e| lower.len() > e.len() + 2 && lower.ends_with(e))
}

pub static PARTICLE_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| set(PARTICLES));
pub static ROLE_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| set(ROLES));
pub static CREDIT_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| set(CREDITS));
pub static ADDRESS_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| set(ADDRESS));
pub static SCHOOL_PREFIX_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| set(SCHOOL_PREFIXES));
pub static OFFICE_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| set(OFFICES));
pub static PARTY_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| set(PARTIES));
pub static ROYAL_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| set(ROYALS));
pub static SPEECH_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| set(SPEECH));
pub static NOT_PERSON_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| set(NOT_PERSON_HEADS));
pub static EPONYM_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| set(EPONYM_HEADS));
pub static ORGANISATION_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| set(ORGANISATIONS));

/// Does `lower` end like a street or a thing named after someone ("wittlaan", "dongemondcollege")?
pub fn thing_suffix(lower: &str) -> bool {
    // At least four letters before the ending: "Verlaan" and "Versteeg" are surnames.
    THING_SUFFIXES.iter().any(|s| {
        lower
            .strip_suffix(s)
            .is_some_and(|stem| stem.chars().count() >= 4)
    })
}
