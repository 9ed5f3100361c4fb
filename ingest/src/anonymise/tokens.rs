//! Words of a text with their byte ranges and what the name finder needs to know about their
//! place: the first word of a sentence (where a capital says nothing), initials ("J."), and
//! apostrophe particles ("'t").

use std::borrow::Cow;

use super::cues::ABBREVIATIONS;

/// A word of the text with its byte range.
#[derive(Debug, Clone)]
pub struct Token<'t> {
    pub start: usize,
    pub end: usize,
    pub text: &'t str,
    /// Lower case; borrowed when the word already is.
    pub lower: Cow<'t, str>,
    /// First word of a sentence (or of the text, a line, a quote, a bullet).
    pub sentence_start: bool,
    /// An initial such as "J." (the dot is part of the token).
    pub initial: bool,
    /// [`Token::capitalised`], worked out once: the name finder asks it many times per word.
    capital: bool,
}

impl Token<'_> {
    pub fn lc(&self) -> &str {
        &self.lower
    }

    /// Lower case without a possessive `'s` ("Anna's" → "anna").
    pub fn stem(&self) -> &str {
        stem(&self.lower)
    }

    /// Starts with a capital and is not an acronym ("OCW", "STO"); a single capital counts.
    pub fn capitalised(&self) -> bool {
        self.capital
    }

    pub fn has_digit(&self) -> bool {
        self.text.chars().any(|c| c.is_ascii_digit())
    }
}

/// See [`Token::capitalised`].
fn capitalised(text: &str) -> bool {
    let mut letters = text.chars().skip_while(|c| *c == '\'' || *c == '’');
    let first_upper = letters.next().is_some_and(char::is_uppercase);
    if !first_upper {
        return false;
    }
    // Acronyms are not names ("OCW", "STO-regio"), but "McDonald" and "O’Connor" are.
    let head = text.split('-').next().unwrap_or(text);
    let letters = head.chars().filter(|c| c.is_alphabetic()).count();
    // Short words with two capitals are acronyms too ("AOb", "RvT", "CvB").
    let capitals = head.chars().filter(|c| c.is_uppercase()).count();
    letters == 1
        || (!head
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
            && (capitals < 2 || letters > 4))
}

/// `'s` and `’s` possessives off, for lookups.
pub fn stem(lower: &str) -> &str {
    lower
        .strip_suffix("'s")
        .or_else(|| lower.strip_suffix("’s"))
        .unwrap_or(lower)
}

/// Characters after which the next word starts a sentence. A hyphen gets here only as a bullet
/// or a dash: hyphens inside words belong to the word.
fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '\n'
            | ':'
            | ';'
            | '"'
            | '“'
            | '”'
            | '„'
            | '‘'
            | '•'
            | '-'
            | '–'
            | '—'
            | '/'
            | '|'
            | '©'
            | 'Ⓒ'
    )
}

pub fn tokenise(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut sentence_start = true;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let starts_word = c.is_alphanumeric()
            || ((c == '\'' || c == '’') && chars.peek().is_some_and(|(_, n)| n.is_alphabetic()));
        if !starts_word {
            if ends_sentence(c) {
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
        // "v.d." and "v/d", short for "van de(r|n)": one particle.
        if matches!(word, "v" | "V")
            && let Some(rest) = ["v.d.", "v/d"]
                .iter()
                .find(|abbr| text[start..].get(..abbr.len()) == Some(abbr))
        {
            end = start + rest.len();
            word = &text[start..end];
            while chars.peek().is_some_and(|&(i, _)| i < end) {
                chars.next();
            }
        }
        // An initial: one capital letter directly followed by a dot.
        let mut initial = false;
        if word.chars().count() == 1 && c.is_uppercase() && text[end..].starts_with('.') {
            end += 1;
            word = &text[start..end];
            chars.next();
            initial = true;
        }
        let lower = if word.chars().any(char::is_uppercase) {
            Cow::Owned(word.to_lowercase())
        } else {
            Cow::Borrowed(word)
        };
        // The dot of an abbreviation such as "dhr." does not end the sentence.
        let abbreviation = !initial && ABBREVIATIONS.contains(&lower.as_ref());
        tokens.push(Token {
            start,
            end,
            text: word,
            lower,
            sentence_start,
            initial,
            capital: capitalised(word),
        });
        sentence_start = false;
        if abbreviation && text[end..].starts_with('.') {
            chars.next();
        }
    }
    tokens
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
        assert_eq!(tokens[7].stem(), "anna");
    }

    #[test]
    fn capitals_acronyms_and_names() {
        let caps = |t: &str| tokenise(t)[0].capitalised();
        assert!(caps("Anna") && caps("O’Connor") && caps("McDonald") && caps("J."));
        assert!(!caps("OCW") && !caps("anna") && !caps("STO-regio"));
    }
}
