//! Contact details and numbers with a checkable structure: e-mail addresses, phone numbers,
//! postcodes with house numbers, BSNs (11-proef) and IBANs (mod 97). Numbers that fail their
//! check digit stay, so amounts, years and counts are never taken for personal data.

use regex::Regex;

/// What a span of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Name,
    Email,
    Phone,
    Postcode,
    Bsn,
    Iban,
}

impl Kind {
    pub fn placeholder(self) -> &'static str {
        match self {
            Kind::Name => "[NAAM]",
            Kind::Email => "[E-MAIL]",
            Kind::Phone => "[TELEFOON]",
            Kind::Postcode => "[POSTCODE]",
            Kind::Bsn => "[BSN]",
            Kind::Iban => "[IBAN]",
        }
    }
}

/// A byte range of the input to replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// What may stand between the digits of a phone number: a space (also a non-breaking one), a
/// hyphen or dash (with or without spaces), a dot ("06.12.34.56.78"), a slash, a closing
/// bracket.
const SEP: &str = r"(?:[ \u{a0}\u{202f}\-.‐‑]|[ \u{a0}]?[-–—‐‑][ \u{a0}]?|[ \u{a0}]?/[ \u{a0}]?|[ \u{a0}]?\)[ \u{a0}]?)";

/// A Dutch phone number has nine digits after the trunk prefix 0 or the country code 31;
/// information numbers (0800, 0900, 0906, 0909) have four or seven after their prefix.
fn phone_valid(candidate: &str) -> bool {
    let digits: String = candidate.chars().filter(char::is_ascii_digit).collect();
    if ["0800", "0900", "0906", "0909"]
        .iter()
        .any(|p| digits.starts_with(p))
    {
        return matches!(digits.len(), 8 | 11);
    }
    // Another country ("+32 3 123 45 67", "+597 123 4567", "00 5999 123 4567"): the
    // international format, 8 to 15 digits in all.
    let international = candidate.starts_with('+') || candidate.starts_with("00");
    if international && !digits.starts_with("31") && !digits.starts_with("0031") {
        return (8..=15).contains(&digits.trim_start_matches("00").len());
    }
    let national = if candidate.starts_with('+') {
        digits
            .strip_prefix("31")
            .map(|d| d.strip_prefix('0').unwrap_or(d))
    } else if let Some(rest) = digits.strip_prefix("0031") {
        Some(rest.strip_prefix('0').unwrap_or(rest))
    } else {
        digits.strip_prefix('0')
    };
    national.is_some_and(|n| n.len() == 9 && !n.starts_with('0'))
}

/// The compiled patterns, built once per anonymiser.
#[derive(Debug)]
pub struct Patterns {
    email: Regex,
    iban: Regex,
    phone: Regex,
    postcode: Regex,
    bsn: Regex,
}

impl Patterns {
    pub fn new() -> Self {
        let compile = |pattern: &str| Regex::new(pattern).expect("built-in pattern compiles");
        Patterns {
            email: compile(
                r"[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
            ),
            iban: compile(r"\b[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b"),
            // 0800/0900 information numbers; +31 / 0031 / (0xx) / 0, then the rest of the number
            // with spaces, hyphens, " - " or "/" between digits; the digit count is checked in
            // `phone_valid`.
            phone: compile(&format!(
                r"\b0[89]0[069](?:{SEP}?\d){{4}}(?:(?:{SEP}?\d){{3}})?\b|\+31(?:{SEP}?\(0\))?{SEP}?\d(?:{SEP}?\d){{8}}\b|(?:\+|\b00)[1-9]\d{{0,3}}(?:{SEP}?\(0\))?(?:{SEP}?\d){{6,12}}\b|\b0031(?:{SEP}?\(0\))?{SEP}?\d(?:{SEP}?\d){{8}}\b|\(0\d{{1,3}}\){SEP}?\d(?:{SEP}?\d){{4,7}}\b|\b0\d(?:{SEP}?\d){{8}}\b"
            )),
            postcode: compile(
                r"\b[1-9][0-9]{3}[ ]?[A-Z]{2}\b(?:,?[ ]?[0-9]{1,5}(?:[ ]?[a-zA-Z]\b)?)?",
            ),
            bsn: compile(r"\b[0-9](?:[. ]?[0-9]){8}\b"),
        }
    }

    /// All pattern spans in `text`, earliest first and not overlapping.
    pub fn find(&self, text: &str, spans: &mut Vec<Span>) {
        let bytes = text.as_bytes();
        let has_at = bytes.contains(&b'@');
        let has_digit = bytes.iter().any(u8::is_ascii_digit);
        if !has_at && !has_digit {
            return;
        }
        let mut found: Vec<Span> = Vec::new();
        let push = |start: usize, end: usize, kind: Kind, found: &mut Vec<Span>| {
            if !found.iter().any(|s| start < s.end && s.start < end) {
                found.push(Span { start, end, kind });
            }
        };
        if has_at {
            for m in self.email.find_iter(text) {
                push(m.start(), m.end(), Kind::Email, &mut found);
            }
        }
        if has_digit {
            for m in self.iban.find_iter(text) {
                if iban_valid(m.as_str()) {
                    push(m.start(), m.end(), Kind::Iban, &mut found);
                }
            }
            for m in self.phone.find_iter(text) {
                if phone_valid(m.as_str()) {
                    push(m.start(), m.end(), Kind::Phone, &mut found);
                }
            }
            for m in self.postcode.find_iter(text) {
                push(m.start(), m.end(), Kind::Postcode, &mut found);
            }
            for m in self.bsn.find_iter(text) {
                if bsn_valid(m.as_str()) {
                    push(m.start(), m.end(), Kind::Bsn, &mut found);
                }
            }
        }
        spans.extend(found);
    }
}

impl Default for Patterns {
    fn default() -> Self {
        Self::new()
    }
}

/// The Dutch 11-proef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not all zeros).
pub fn bsn_valid(candidate: &str) -> bool {
    let digits: Vec<u32> = candidate.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 9 || digits.iter().all(|d| *d == 0) {
        return false;
    }
    let sum: i64 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let weight = if i == 8 { -1 } else { 9 - i as i64 };
            weight * i64::from(*d)
        })
        .sum();
    sum % 11 == 0
}

/// ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1.
pub fn iban_valid(candidate: &str) -> bool {
    let compact: Vec<char> = candidate.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let rotated = compact[4..].iter().chain(&compact[..4]);
    let mut remainder: u32 = 0;
    for c in rotated {
        let value = match c.to_digit(36) {
            Some(v) => v,
            None => return false,
        };
        for digit in if value >= 10 {
            vec![value / 10, value % 10]
        } else {
            vec![value]
        } {
            remainder = (remainder * 10 + digit) % 97;
        }
    }
    remainder == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits() {
        assert!(bsn_valid("111222333"));
        assert!(bsn_valid("123456782"));
        assert!(!bsn_valid("123456789"));
        assert!(iban_valid("NL91ABNA0417164300"));
        assert!(iban_valid("NL91 ABNA 0417 1643 00"));
        assert!(iban_valid("DE89370400440532013000"));
        assert!(!iban_valid("NL91ABNA0417164301"));
    }
}
