//! The input fields: their Dutch column names, English aliases, and loose header matching.

use std::fmt;

/// A field of the input format (see `docs/input-formats.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Date,
    Programme,
    Group,
    Mode,
    Moderated,
    Participants,
    RegionsPresent,
    CasesSubmitted,
    CasesDiscussed,
    EvaluationTags,
    Score,
    NextMeetingPlanned,
    Kind,
    Region,
    Text,
    Themes,
    Escalate,
}

impl Field {
    /// All fields in the column order of the CSV/XLSX format and the import template.
    pub const ALL: [Field; 17] = [
        Field::Date,
        Field::Programme,
        Field::Group,
        Field::Mode,
        Field::Moderated,
        Field::Participants,
        Field::RegionsPresent,
        Field::CasesSubmitted,
        Field::CasesDiscussed,
        Field::EvaluationTags,
        Field::Score,
        Field::NextMeetingPlanned,
        Field::Kind,
        Field::Region,
        Field::Text,
        Field::Themes,
        Field::Escalate,
    ];

    /// The Dutch column name, as the import template writes it.
    pub fn dutch(self) -> &'static str {
        match self {
            Field::Date => "datum",
            Field::Programme => "programma",
            Field::Group => "groep",
            Field::Mode => "vorm",
            Field::Moderated => "gemodereerd",
            Field::Participants => "deelnemers",
            Field::RegionsPresent => "regio's aanwezig",
            Field::CasesSubmitted => "casussen ingebracht",
            Field::CasesDiscussed => "casussen besproken",
            Field::EvaluationTags => "evaluatietags",
            Field::Score => "score",
            Field::NextMeetingPlanned => "vervolg gepland",
            Field::Kind => "soort",
            Field::Region => "regio",
            Field::Text => "tekst",
            Field::Themes => "thema's",
            Field::Escalate => "escaleren",
        }
    }

    /// The English alias, also the key written in JSON Lines.
    pub fn english(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::Programme => "programme",
            Field::Group => "group",
            Field::Mode => "mode",
            Field::Moderated => "moderated",
            Field::Participants => "participants",
            Field::RegionsPresent => "regions_present",
            Field::CasesSubmitted => "cases_submitted",
            Field::CasesDiscussed => "cases_discussed",
            Field::EvaluationTags => "evaluation_tags",
            Field::Score => "score",
            Field::NextMeetingPlanned => "next_meeting_planned",
            Field::Kind => "kind",
            Field::Region => "region",
            Field::Text => "text",
            Field::Themes => "themes",
            Field::Escalate => "escalate",
        }
    }

    /// Further spellings people use for the same column.
    fn extra_aliases(self) -> &'static [&'static str] {
        match self {
            Field::Date => &["datum bijeenkomst", "sessiedatum"],
            Field::Programme => &["program"],
            Field::Group => &["groepsnummer", "intervisiegroep", "group id"],
            Field::Mode => &["werkvorm", "format"],
            Field::Participants => &["aantal deelnemers"],
            Field::RegionsPresent => &["aanwezige regio's", "regions"],
            Field::EvaluationTags => &["evaluatie tags", "tags"],
            Field::NextMeetingPlanned => &["vervolgafspraak", "next meeting"],
            Field::Kind => &["type"],
            Field::Text => &["omschrijving"],
            Field::Themes => &["thema", "tema's", "theme"],
            Field::Escalate => &["escalatie", "escalation", "opschalen"],
            _ => &[],
        }
    }

    /// True for fields that describe the session rather than one item.
    pub fn is_session_field(self) -> bool {
        !matches!(
            self,
            Field::Kind | Field::Region | Field::Text | Field::Themes | Field::Escalate
        )
    }

    /// True for fields whose value is free text that may hold personal data: such values are
    /// never echoed in error messages or reports.
    pub fn is_free_text(self) -> bool {
        matches!(self, Field::Text)
    }

    /// Matches a column header or JSON key loosely: case, spaces, underscores, hyphens,
    /// apostrophes and accents do not matter.
    pub fn from_header(header: &str) -> Option<Field> {
        // Exact spellings (every JSON key the generator and most users write) skip normalising.
        if let Some(field) = LOOKUP.get(header) {
            return Some(*field);
        }
        LOOKUP.get(header_key(header).as_str()).copied()
    }
}

/// Every accepted spelling — as written and normalised — to its field, built once.
static LOOKUP: std::sync::LazyLock<std::collections::HashMap<String, Field>> =
    std::sync::LazyLock::new(|| {
        let mut map = std::collections::HashMap::new();
        for field in Field::ALL {
            let names = [field.dutch(), field.english()]
                .into_iter()
                .chain(field.extra_aliases().iter().copied());
            for name in names {
                map.insert(name.to_owned(), field);
                map.insert(header_key(name), field);
            }
        }
        map.remove("");
        map
    });

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.dutch())
    }
}

fn header_key(header: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    header
        .trim_start_matches('\u{feff}')
        .nfd()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The list of accepted column names, for "unknown column" errors.
pub fn known_columns() -> String {
    Field::ALL
        .iter()
        .map(|f| f.dutch())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_loosely_in_both_languages() {
        let cases = [
            ("datum", Some(Field::Date)),
            ("Date", Some(Field::Date)),
            ("\u{feff}Datum", Some(Field::Date)),
            ("Regio's aanwezig", Some(Field::RegionsPresent)),
            ("regios_aanwezig", Some(Field::RegionsPresent)),
            ("REGIONS PRESENT", Some(Field::RegionsPresent)),
            ("Thema’s", Some(Field::Themes)),
            ("casussen-besproken", Some(Field::CasesDiscussed)),
            ("next_meeting_planned", Some(Field::NextMeetingPlanned)),
            ("notities", None),
            ("", None),
        ];
        for (header, expected) in cases {
            assert_eq!(Field::from_header(header), expected, "{header:?}");
        }
    }

    #[test]
    fn every_field_round_trips_through_its_names() {
        for field in Field::ALL {
            assert_eq!(Field::from_header(field.dutch()), Some(field));
            assert_eq!(Field::from_header(field.english()), Some(field));
        }
    }
}
