//! Validated domain records. Everything here has passed validation: the rest of the code never
//! sees an unchecked date, kind or region. Item text comes in two types — [`RawText`] straight
//! from the input and [`AnonymisedText`] after the anonymiser — so that the store, which takes
//! only the latter, cannot be handed raw text by mistake.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Location;

/// Stable content id of a session: programme, group and date (a group meets at most once a day).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SessionId(String);

/// Stable content id of an item: its session, kind, region and anonymised text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ItemId(String);

/// Hex digits kept of the blake3 hash: 64 bits, ample for a programme's lifetime of sessions.
const ID_HEX_LEN: usize = 16;

fn content_hash(domain: &str, parts: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(domain.as_bytes());
    for part in parts {
        hasher.update(&[0]);
        hasher.update(part.as_bytes());
    }
    hasher.finalize().to_hex()[..ID_HEX_LEN].to_owned()
}

impl SessionId {
    pub fn derive(programme: &str, group: &str, date: NaiveDate) -> Self {
        let date = date.format("%Y-%m-%d").to_string();
        SessionId(content_hash(
            "session",
            &[&programme.to_lowercase(), &group.to_lowercase(), &date],
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ItemId {
    pub fn derive(
        session: &SessionId,
        kind: ItemKind,
        region: &str,
        text: &AnonymisedText,
    ) -> Self {
        ItemId(content_hash(
            "item",
            &[session.as_str(), kind.as_str(), region, text.as_str()],
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Generates `as_str` (the stored, Dutch spelling) and `parse` (Dutch and English spellings) for a
/// field-less enum.
macro_rules! spelled_enum {
    ($name:ident { $($variant:ident => $stored:literal $(| $alias:literal)*),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored),+ }
            }

            /// Accepts the Dutch and English spellings, case-insensitively.
            pub fn parse(input: &str) -> Option<Self> {
                let lower = input.trim().to_lowercase();
                match lower.as_str() {
                    $($stored $(| $alias)* => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The accepted spellings, for error messages.
            pub fn expected() -> String {
                let spellings: Vec<&str> = vec![$($stored $(, $alias)*),+];
                spellings.join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    Casus,
    Advies,
    Signaal,
    Evaluatie,
}
spelled_enum!(ItemKind {
    Casus => "casus" | "case",
    Advies => "advies" | "advice",
    Signaal => "signaal" | "signal",
    Evaluatie => "evaluatie" | "evaluation",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Fysiek,
    Online,
}
spelled_enum!(Mode {
    Fysiek => "fysiek" | "physical" | "op locatie" | "in person",
    Online => "online" | "digitaal",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Escalation {
    Ja,
    Nee,
    Twijfel,
}
spelled_enum!(Escalation {
    Ja => "ja" | "yes" | "j" | "y",
    Nee => "nee" | "no" | "n",
    Twijfel => "twijfel" | "doubt" | "misschien" | "maybe",
});

/// A validated session (bijeenkomst).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub id: SessionId,
    pub date: NaiveDate,
    pub programme: String,
    pub group: String,
    pub mode: Option<Mode>,
    pub moderated: Option<bool>,
    pub participants: Option<u8>,
    /// Canonical region names, sorted, without duplicates.
    pub regions_present: Vec<String>,
    pub cases_submitted: Option<u8>,
    pub cases_discussed: Option<u8>,
    pub evaluation_tags: Vec<String>,
    pub score: Option<u8>,
    pub next_meeting_planned: Option<bool>,
}

/// Free text as the user wrote it. It may contain personal data: it has no `Serialize`, its
/// `Debug` shows only its length, and it is dropped as soon as the anonymiser has run.
#[derive(Clone, PartialEq, Eq)]
pub struct RawText(String);

impl RawText {
    pub fn new(text: String) -> Self {
        RawText(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RawText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawText({} chars)", self.0.chars().count())
    }
}

/// Text that has been through the anonymiser (or was read back from the store, where only
/// anonymised text is ever written). Only this crate can make one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct AnonymisedText(String);

impl AnonymisedText {
    pub(crate) fn new(text: String) -> Self {
        AnonymisedText(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A validated item; `T` is [`RawText`] before anonymisation and [`AnonymisedText`] after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<T> {
    pub kind: ItemKind,
    /// Canonical region name.
    pub region: String,
    pub text: T,
    /// Manual theme tags, sorted, without duplicates.
    pub themes: Vec<String>,
    pub escalate: Option<Escalation>,
    /// Where the item came from, for error reports.
    pub location: Location,
}

/// A session with its items as read from input, before anonymisation.
#[derive(Debug, Clone)]
pub struct ValidSession {
    pub session: Session,
    pub location: Location,
    pub items: Vec<Item<RawText>>,
}

/// An anonymised item with its content id: what the store keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredItem {
    pub id: ItemId,
    pub session_id: SessionId,
    pub kind: ItemKind,
    pub region: String,
    pub text: AnonymisedText,
    pub themes: Vec<String>,
    pub escalate: Option<Escalation>,
}

/// A session ready for the store: validated and anonymised.
#[derive(Debug, Clone)]
pub struct CleanSession {
    pub session: Session,
    pub items: Vec<StoredItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_ignore_case_of_programme_and_group() {
        let date = NaiveDate::from_ymd_opt(2024, 3, 14).unwrap();
        let a = SessionId::derive("STO", "G07", date);
        assert_eq!(a, SessionId::derive("sto", "g07", date));
        assert_eq!(a.as_str().len(), ID_HEX_LEN);
        assert_ne!(a, SessionId::derive("STO", "G08", date));
        let text = AnonymisedText::new("De werkdruk is hoog.".into());
        let item = ItemId::derive(&a, ItemKind::Signaal, "Achterhoek", &text);
        assert_eq!(
            item,
            ItemId::derive(&a, ItemKind::Signaal, "Achterhoek", &text)
        );
        assert_ne!(
            item,
            ItemId::derive(&a, ItemKind::Casus, "Achterhoek", &text)
        );
    }

    #[test]
    fn enums_accept_dutch_and_english() {
        assert_eq!(ItemKind::parse(" Signal "), Some(ItemKind::Signaal));
        assert_eq!(ItemKind::parse("EVALUATIE"), Some(ItemKind::Evaluatie));
        assert_eq!(ItemKind::parse("vraag"), None);
        assert_eq!(Escalation::parse("doubt"), Some(Escalation::Twijfel));
        assert_eq!(Mode::parse("physical"), Some(Mode::Fysiek));
        assert!(ItemKind::expected().contains("casus, case"));
    }

    #[test]
    fn raw_text_never_shows_its_content_in_debug_output() {
        let raw = RawText::new("Jan Jansen belde".into());
        assert_eq!(format!("{raw:?}"), "RawText(16 chars)");
    }
}
