//! Parse, don't validate: raw records become [`ValidSession`]s here, or a list of errors that
//! each name file, line or row, column, the offending value and what was expected. Free text is
//! never echoed in an error: it may hold the personal data the anonymiser has not yet removed.

use chrono::NaiveDate;

use crate::error::{Location, RecordError};
use crate::parse::{Field, RawEntry, RawItem, RawSession, RawValue};
use crate::record::{Escalation, Item, ItemKind, Mode, RawText, Session, SessionId, ValidSession};
use crate::region::RegionRegistry;

/// Limits on the size of fields.
pub mod limits {
    pub const TEXT_CHARS: usize = 4000;
    pub const PROGRAMME_CHARS: usize = 60;
    pub const GROUP_CHARS: usize = 40;
    pub const TAG_CHARS: usize = 40;
    pub const TAGS: usize = 20;
    pub const ITEMS_PER_SESSION: usize = 200;
    pub const PARTICIPANTS: u8 = 50;
    pub const CASES: u8 = 50;
    /// Earliest accepted session date: the programme started in 2018.
    pub const FIRST_YEAR: i32 = 2015;
}

/// The programme assumed when a record names none.
pub const DEFAULT_PROGRAMME: &str = "STO";

/// Context for validation: the region registry and the latest acceptable date.
#[derive(Debug)]
pub struct Validator<'a> {
    pub regions: &'a RegionRegistry,
    /// Dates after this are refused (a session cannot be recorded before it was held).
    pub latest_date: NaiveDate,
}

impl<'a> Validator<'a> {
    pub fn new(regions: &'a RegionRegistry) -> Self {
        let today = chrono::Local::now().date_naive();
        Validator {
            regions,
            latest_date: today + chrono::Days::new(1),
        }
    }

    pub fn session(&self, raw: RawSession) -> Result<ValidSession, Vec<RecordError>> {
        let mut errors = Vec::new();
        let ctx = Ctx {
            location: &raw.location,
            entries: &raw.entries,
        };
        let date = ctx.required(Field::Date, &mut errors, |v| self.date(v));
        let programme = ctx
            .optional(Field::Programme, &mut errors, |v| {
                short_text(v, limits::PROGRAMME_CHARS)
            })
            .unwrap_or_else(|| DEFAULT_PROGRAMME.to_owned());
        let group = ctx.required(Field::Group, &mut errors, |v| {
            short_text(v, limits::GROUP_CHARS)
        });
        let mode = ctx.optional(Field::Mode, &mut errors, |v| {
            Mode::parse(v)
                .ok_or_else(|| format!("is not a meeting form (expected {})", Mode::expected()))
        });
        let moderated = ctx.optional(Field::Moderated, &mut errors, boolean);
        let participants = ctx.optional(Field::Participants, &mut errors, |v| {
            whole_number(v, 1, limits::PARTICIPANTS)
        });
        let cases_submitted = ctx.optional(Field::CasesSubmitted, &mut errors, |v| {
            whole_number(v, 0, limits::CASES)
        });
        let cases_discussed = ctx.optional(Field::CasesDiscussed, &mut errors, |v| {
            whole_number(v, 0, limits::CASES)
        });
        if let (Some(submitted), Some(discussed)) = (cases_submitted, cases_discussed)
            && discussed > submitted
        {
            errors.push(ctx.error(
                Field::CasesDiscussed,
                Some(discussed.to_string()),
                format!("is more than the {submitted} cases submitted (casussen ingebracht)"),
            ));
        }
        let score = ctx.optional(Field::Score, &mut errors, |v| whole_number(v, 1, 5));
        let next_meeting_planned = ctx.optional(Field::NextMeetingPlanned, &mut errors, boolean);
        let mut regions_present = ctx
            .list(Field::RegionsPresent, &mut errors, |v| self.region(v))
            .unwrap_or_default();
        let evaluation_tags = ctx
            .list(Field::EvaluationTags, &mut errors, tag)
            .unwrap_or_default();
        if evaluation_tags.len() > limits::TAGS {
            errors.push(ctx.error(
                Field::EvaluationTags,
                None,
                format!(
                    "has {} tags; at most {} are allowed",
                    evaluation_tags.len(),
                    limits::TAGS
                ),
            ));
        }
        if raw.items.is_empty() {
            errors.push(RecordError {
                location: raw.location.clone(),
                value: None,
                problem: "has no items: a session needs at least one item".into(),
            });
        }
        if raw.items.len() > limits::ITEMS_PER_SESSION {
            errors.push(RecordError {
                location: raw.location.clone(),
                value: None,
                problem: format!(
                    "has {} items; at most {} per session (is the grouping by datum, programma and groep right?)",
                    raw.items.len(),
                    limits::ITEMS_PER_SESSION
                ),
            });
        }
        let mut items = Vec::with_capacity(raw.items.len());
        for raw_item in raw.items {
            match self.item(raw_item) {
                Ok(item) => items.push(item),
                Err(e) => errors.extend(e),
            }
        }
        let (Some(date), Some(group)) = (date, group) else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        // The regions that spoke were present, whether or not the moderator listed them.
        regions_present.extend(items.iter().map(|i: &Item<RawText>| i.region.clone()));
        regions_present.sort();
        regions_present.dedup();
        let mut evaluation_tags = evaluation_tags;
        evaluation_tags.sort();
        evaluation_tags.dedup();
        Ok(ValidSession {
            session: Session {
                id: SessionId::derive(&programme, &group, date),
                date,
                programme,
                group,
                mode,
                moderated,
                participants,
                regions_present,
                cases_submitted,
                cases_discussed,
                evaluation_tags,
                score,
                next_meeting_planned,
            },
            location: raw.location,
            items,
        })
    }

    fn item(&self, raw: RawItem) -> Result<Item<RawText>, Vec<RecordError>> {
        let mut errors = Vec::new();
        let ctx = Ctx {
            location: &raw.location,
            entries: &raw.entries,
        };
        let kind = ctx.required(Field::Kind, &mut errors, |v| {
            ItemKind::parse(v)
                .ok_or_else(|| format!("is not an item kind (expected {})", ItemKind::expected()))
        });
        let region = ctx.required(Field::Region, &mut errors, |v| self.region(v));
        let text = ctx.required(Field::Text, &mut errors, free_text);
        let mut themes = ctx
            .list(Field::Themes, &mut errors, theme_id)
            .unwrap_or_default();
        themes.sort();
        themes.dedup();
        let escalate = ctx.optional(Field::Escalate, &mut errors, |v| {
            Escalation::parse(v).ok_or_else(|| {
                format!(
                    "is not an escalation choice (expected {})",
                    Escalation::expected()
                )
            })
        });
        match (kind, region, text) {
            (Some(kind), Some(region), Some(text)) if errors.is_empty() => Ok(Item {
                kind,
                region,
                text: RawText::new(text),
                themes,
                escalate,
                location: raw.location,
            }),
            _ => Err(errors),
        }
    }

    fn date(&self, value: &str) -> Result<NaiveDate, String> {
        let date = parse_date(value)
            .ok_or_else(|| "is not a date (expected YYYY-MM-DD or DD-MM-YYYY)".to_owned())?;
        let earliest = NaiveDate::from_ymd_opt(limits::FIRST_YEAR, 1, 1).unwrap_or(NaiveDate::MIN);
        if date < earliest {
            return Err(format!("is before {}; check the year", limits::FIRST_YEAR));
        }
        if date > self.latest_date {
            return Err("lies in the future; record a session after it was held".into());
        }
        Ok(date)
    }

    fn region(&self, value: &str) -> Result<String, String> {
        if let Some(region) = self.regions.resolve(value) {
            return Ok(region.name.clone());
        }
        Err(match self.regions.suggest(value) {
            Some(suggestion) => format!(
                "is not a known region (did you mean \"{suggestion}\"? regions are listed in data/regions.toml)"
            ),
            None => "is not a known region (regions are listed in data/regions.toml)".into(),
        })
    }
}

/// Accepts `YYYY-MM-DD` and day-first `DD-MM-YYYY` (also with `/` or `.` and without leading
/// zeros), the forms Dutch users type.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    let parts: Vec<&str> = value.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (year, month, day) = if a.len() == 4 && value.as_bytes().get(4) == Some(&b'-') {
        (number(a)?, number(b)?, number(c)?)
    } else if c.len() == 4 {
        (number(c)?, number(b)?, number(a)?)
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Reads the entries of one record.
struct Ctx<'e> {
    location: &'e Location,
    entries: &'e [RawEntry],
}

impl Ctx<'_> {
    fn entry(&self, field: Field) -> Option<&RawEntry> {
        self.entries.iter().find(|e| e.field == field)
    }

    fn error(&self, field: Field, value: Option<String>, problem: String) -> RecordError {
        let column = self
            .entry(field)
            .map(|e| e.column.clone())
            .unwrap_or_else(|| field.dutch().to_owned());
        RecordError {
            location: self.location.with_column(column),
            value,
            problem,
        }
    }

    /// The value shown in an error: never free text, and cut to a readable length.
    fn shown(field: Field, value: &str) -> Option<String> {
        if field.is_free_text() {
            return None;
        }
        let mut shown: String = value.chars().take(60).collect();
        if shown.len() < value.len() {
            shown.push('…');
        }
        Some(shown)
    }

    fn single<'v>(&self, entry: &'v RawEntry, errors: &mut Vec<RecordError>) -> Option<&'v str> {
        match &entry.value {
            RawValue::Text(t) => Some(t.as_str()),
            RawValue::List(l) if l.len() == 1 => Some(l[0].as_str()),
            RawValue::List(_) => {
                errors.push(self.error(
                    entry.field,
                    None,
                    "holds a list; expected a single value".into(),
                ));
                None
            }
        }
    }

    fn parse_one<T>(
        &self,
        entry: &RawEntry,
        errors: &mut Vec<RecordError>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        let value = self.single(entry, errors)?;
        match parse(value) {
            Ok(v) => Some(v),
            Err(problem) => {
                errors.push(self.error(entry.field, Self::shown(entry.field, value), problem));
                None
            }
        }
    }

    fn required<T>(
        &self,
        field: Field,
        errors: &mut Vec<RecordError>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        match self.entry(field) {
            Some(entry) => self.parse_one(entry, errors, parse),
            None => {
                errors.push(self.error(field, None, "is missing; this field is required".into()));
                None
            }
        }
    }

    fn optional<T>(
        &self,
        field: Field,
        errors: &mut Vec<RecordError>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        self.entry(field)
            .and_then(|entry| self.parse_one(entry, errors, parse))
    }

    /// A list field: a JSON array, or one text with values separated by `|` (also `,` or `;`).
    fn list<T>(
        &self,
        field: Field,
        errors: &mut Vec<RecordError>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<Vec<T>> {
        let entry = self.entry(field)?;
        let values: Vec<&str> = match &entry.value {
            RawValue::Text(t) => t.split(['|', ',', ';']).collect(),
            RawValue::List(l) => l.iter().map(String::as_str).collect(),
        };
        let mut out = Vec::with_capacity(values.len());
        let before = errors.len();
        for value in values.into_iter().map(str::trim).filter(|v| !v.is_empty()) {
            match parse(value) {
                Ok(v) => out.push(v),
                Err(problem) => errors.push(self.error(field, Self::shown(field, value), problem)),
            }
        }
        (errors.len() == before).then_some(out)
    }
}

fn short_text(value: &str, max: usize) -> Result<String, String> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        return Err("is empty".into());
    }
    let chars = value.chars().count();
    if chars > max {
        return Err(format!(
            "is {chars} characters long; at most {max} are allowed"
        ));
    }
    Ok(value)
}

/// Item text: trimmed, control characters other than newlines and tabs removed, within the limit.
fn free_text(value: &str) -> Result<String, String> {
    let cleaned: String = value
        .trim()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    let chars = cleaned.chars().count();
    if chars == 0 {
        return Err("is empty; an item needs a text".into());
    }
    if chars > limits::TEXT_CHARS {
        return Err(format!(
            "is {chars} characters long; at most {} are allowed (split it into several items)",
            limits::TEXT_CHARS
        ));
    }
    Ok(cleaned)
}

fn boolean(value: &str) -> Result<bool, String> {
    match value.trim().to_lowercase().as_str() {
        "ja" | "j" | "yes" | "y" | "true" | "waar" | "1" | "x" => Ok(true),
        "nee" | "n" | "no" | "false" | "onwaar" | "0" => Ok(false),
        _ => Err("is not yes or no (expected ja, nee, yes, no, true, false, 1 or 0)".into()),
    }
}

fn whole_number(value: &str, min: u8, max: u8) -> Result<u8, String> {
    let expected = || format!("is not a whole number from {min} to {max}");
    let value = value.trim();
    // Spreadsheets sometimes hand over "3.0".
    let value = value.strip_suffix(".0").unwrap_or(value);
    let n: u8 = value.parse().map_err(|_| expected())?;
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(expected())
    }
}

/// Evaluation tags are short slugs: lowercase, words joined by hyphens.
fn tag(value: &str) -> Result<String, String> {
    let slug = value
        .trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty()
        || slug.chars().count() > limits::TAG_CHARS
        || !slug.chars().all(|c| c.is_alphanumeric() || c == '-')
    {
        return Err(format!(
            "is not a tag (expected a few words or a slug such as format-te-strak, at most {} characters)",
            limits::TAG_CHARS
        ));
    }
    Ok(slug)
}

/// Theme ids are lowercase identifiers such as `docent_werkdruk` (see data/themes.toml).
fn theme_id(value: &str) -> Result<String, String> {
    let id = value.trim().to_lowercase();
    let valid = (2..=40).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(id)
    } else {
        Err("is not a theme id (expected an id such as docent_werkdruk or eigenaarschap)".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Format, parse_bytes};

    fn registry() -> RegionRegistry {
        RegionRegistry::from_toml(
            "version = 1\n[[region]]\nname = \"Achterhoek\"\naliases = [\"STO Achterhoek\"]\n[[region]]\nname = \"Twente Zuid\"\n",
        )
        .unwrap()
    }

    fn validate_csv(text: &str) -> Vec<Result<ValidSession, Vec<String>>> {
        let registry = registry();
        let validator = Validator {
            regions: &registry,
            latest_date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        };
        let parsed = parse_bytes(Format::Csv, "s.csv", text.as_bytes()).unwrap();
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        parsed
            .sessions
            .into_iter()
            .map(|s| {
                validator
                    .session(s)
                    .map_err(|e| e.iter().map(ToString::to_string).collect())
            })
            .collect()
    }

    #[test]
    fn dates_in_the_forms_people_type() {
        let cases = [
            ("2024-03-14", Some((2024, 3, 14))),
            ("14-03-2024", Some((2024, 3, 14))),
            ("4-3-2024", Some((2024, 3, 4))),
            ("14/03/2024", Some((2024, 3, 14))),
            ("14.03.2024", Some((2024, 3, 14))),
            (" 2024-03-14 ", Some((2024, 3, 14))),
            ("31-02-2024", None),
            ("2024/03/14", None),
            ("03-14-24", None),
            ("14 maart 2024", None),
            ("", None),
        ];
        for (input, expected) in cases {
            let expected = expected.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
            assert_eq!(parse_date(input), expected, "{input:?}");
        }
    }

    #[test]
    fn a_valid_session_is_typed_and_normalised() {
        let text = "datum;groep;vorm;gemodereerd;deelnemers;regio's aanwezig;casussen ingebracht;casussen besproken;evaluatietags;score;soort;regio;tekst;thema's;escaleren\n\
                    14-03-2024;G7;Online;ja;5;sto achterhoek;5;1;Format te strak|goed-gemodereerd;4;Signal;Twente Zuid;  Werkdruk stijgt. ;docent_werkdruk|Corona;twijfel\n";
        let session = validate_csv(text).remove(0).unwrap();
        let s = &session.session;
        assert_eq!(s.date, NaiveDate::from_ymd_opt(2024, 3, 14).unwrap());
        assert_eq!(s.programme, "STO");
        assert_eq!(s.mode, Some(Mode::Online));
        assert_eq!(s.moderated, Some(true));
        assert_eq!(s.regions_present, vec!["Achterhoek", "Twente Zuid"]);
        assert_eq!(
            s.evaluation_tags,
            vec!["format-te-strak", "goed-gemodereerd"]
        );
        let item = &session.items[0];
        assert_eq!(item.kind, ItemKind::Signaal);
        assert_eq!(item.text.as_str(), "Werkdruk stijgt.");
        assert_eq!(item.themes, vec!["corona", "docent_werkdruk"]);
        assert_eq!(item.escalate, Some(Escalation::Twijfel));
    }

    #[test]
    fn every_error_names_row_column_value_and_expectation() {
        let text = "datum;groep;deelnemers;casussen ingebracht;casussen besproken;soort;regio;tekst\n\
                    31-02-2024;G7;80;1;3;vraag;Apeldorn;Jan belde\n\
                    14-03-2024;;5;;;casus;Achterhoek;\n";
        let results = validate_csv(text);
        let first = results[0].as_ref().unwrap_err();
        let expected = [
            "s.csv, row 2, column \"datum\": \"31-02-2024\" is not a date (expected YYYY-MM-DD or DD-MM-YYYY)",
            "s.csv, row 2, column \"deelnemers\": \"80\" is not a whole number from 1 to 50",
            "s.csv, row 2, column \"casussen besproken\": \"3\" is more than the 1 cases submitted (casussen ingebracht)",
            "s.csv, row 2, column \"soort\": \"vraag\" is not an item kind (expected casus, case, advies, advice, signaal, signal, evaluatie, evaluation)",
            "s.csv, row 2, column \"regio\": \"Apeldorn\" is not a known region (regions are listed in data/regions.toml)",
        ];
        assert_eq!(first, &expected);
        let second = results[1].as_ref().unwrap_err();
        assert_eq!(
            second,
            &[
                "s.csv, row 3, column \"groep\": is missing; this field is required",
                "s.csv, row 3, column \"tekst\": is missing; this field is required",
            ]
        );
    }

    #[test]
    fn unknown_regions_get_a_suggestion() {
        let text = "datum;groep;soort;regio;tekst\n14-03-2024;G7;casus;Achterhoeck;x\n";
        let errors = validate_csv(text).remove(0).unwrap_err();
        assert!(
            errors[0].contains("did you mean \"Achterhoek\"?"),
            "{errors:?}"
        );
    }

    #[test]
    fn free_text_is_never_echoed_and_is_limited() {
        let long = "Jansen ".repeat(700);
        let text =
            format!("datum;groep;soort;regio;tekst\n14-03-2024;G7;casus;Achterhoek;{long}\n");
        let errors = validate_csv(&text).remove(0).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].contains("column \"tekst\": is 4899 characters long; at most 4000"),
            "{errors:?}"
        );
        assert!(!errors[0].contains("Jansen"));
    }

    #[test]
    fn future_and_ancient_dates_are_refused() {
        let text = "datum;groep;soort;regio;tekst\n2027-01-01;G7;casus;Achterhoek;x\n01-01-2001;G7;casus;Achterhoek;x\n";
        let results = validate_csv(text);
        assert!(results[0].as_ref().unwrap_err()[0].contains("lies in the future"));
        assert!(results[1].as_ref().unwrap_err()[0].contains("is before 2015"));
    }

    proptest::proptest! {
        #[test]
        fn every_valid_date_round_trips_in_both_forms(days in 0i64..5000) {
            let date = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + chrono::Duration::days(days);
            proptest::prop_assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string()), Some(date));
            proptest::prop_assert_eq!(parse_date(&date.format("%d-%m-%Y").to_string()), Some(date));
            proptest::prop_assert_eq!(parse_date(&date.format("%-d/%-m/%Y").to_string()), Some(date));
        }

        #[test]
        fn date_parsing_never_panics(text in "\\PC{0,20}") {
            let _ = parse_date(&text);
        }
    }
}
