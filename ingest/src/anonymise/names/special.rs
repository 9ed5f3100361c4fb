//! Names outside the runs of capitalised words: typed in lower case, set in capitals,
//! cited as authors, and the members of lists next to a name already found.

use super::{Finder, Found, adjacent, is_particle};
use crate::anonymise::patterns::{Kind, Span};
use crate::anonymise::tokens::Token;

impl Finder<'_> {
    /// "jan de vries", "fenna hoekstra": a name typed in lower case. A listed first name that
    /// is not a Dutch word, then particles and a listed surname or a word no list knows.
    pub(super) fn lowercase_name(
        &self,
        text: &str,
        tokens: &[Token<'_>],
        i: usize,
    ) -> Option<usize> {
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
    pub(super) fn listed_after_name(
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
    pub(super) fn complete_lists(
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
    pub(super) fn capitals_name(
        &self,
        text: &str,
        tokens: &[Token<'_>],
        i: usize,
    ) -> Option<usize> {
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
    pub(super) fn cited_author(&self, text: &str, tokens: &[Token<'_>], i: usize) -> Option<usize> {
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
}
