//! Measuring and wrapping text with the embedded DejaVu Sans faces (ttf-parser): one glyph per
//! character, its advance plus the font's pair kerning. The painter draws exactly these glyphs at
//! exactly these advances, so a measured width is the drawn width (right-aligned numbers line up).

use std::ops::Range;
use std::sync::LazyLock;

use ttf_parser::{Face, GlyphId};

use super::super::svg::{DEJAVU_SANS, DEJAVU_SANS_BOLD, RenderError};

/// Regular or bold: the two embedded faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weight {
    Regular,
    Bold,
}

/// A glyph to draw: its id, its advance (kerning included) in em, and the bytes of the text it
/// stands for (for the PDF's text extraction).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Glyph {
    pub id: u16,
    pub advance: f32,
    pub range: Range<usize>,
}

/// One face's metrics.
pub(super) struct Metrics {
    face: Face<'static>,
    kern: Option<ttf_parser::kern::Subtable<'static>>,
    units_per_em: f32,
}

impl Metrics {
    fn new(data: &'static [u8]) -> Option<Metrics> {
        let face = Face::parse(data, 0).ok()?;
        let kern = face.tables().kern.and_then(|table| {
            table
                .subtables
                .into_iter()
                .find(|s| s.horizontal && !s.variable && !s.has_cross_stream)
        });
        let units_per_em = f32::from(face.units_per_em());
        Some(Metrics {
            face,
            kern,
            units_per_em,
        })
    }

    fn glyph(&self, c: char) -> GlyphId {
        self.face.glyph_index(c).unwrap_or(GlyphId(0))
    }

    /// The advance of `glyph` followed by `next`, in font units.
    fn advance(&self, glyph: GlyphId, next: Option<GlyphId>) -> i32 {
        let advance = i32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0));
        let kern = match (next, &self.kern) {
            (Some(next), Some(kern)) => kern.glyphs_kerning(glyph, next).map_or(0, i32::from),
            _ => 0,
        };
        advance + kern
    }

    /// The width of `text` set at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let mut units = 0;
        let mut chars = text.chars().map(|c| self.glyph(c)).peekable();
        while let Some(glyph) = chars.next() {
            units += self.advance(glyph, chars.peek().copied());
        }
        units as f32 * size / self.units_per_em
    }

    /// The glyphs of `text`, positioned as [`Metrics::width`] measures them.
    pub fn glyphs(&self, text: &str) -> Vec<Glyph> {
        let mut out = Vec::with_capacity(text.len());
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let glyph = self.glyph(c);
            let next = chars.peek().map(|&(_, c)| self.glyph(c));
            out.push(Glyph {
                id: glyph.0,
                advance: self.advance(glyph, next) as f32 / self.units_per_em,
                range: at..at + c.len_utf8(),
            });
        }
        out
    }

    /// `text` in lines no wider than `max` at `size`: words go on the line while they fit. A word
    /// wider than a whole line is broken after a hyphen or slash in it ("2026-" "Q3"), or else
    /// between two characters. Runs of white space become one space (a no-break space stays and
    /// binds). No lines for a blank text.
    pub fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        // Widths measured in another order of additions may differ in the last bits.
        let max = max + TOLERANCE;
        let space = self.width(" ", size);
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut line_width = 0.0;
        for word in words(text) {
            let width = self.width(word, size);
            if !line.is_empty() && line_width + space + width <= max {
                line.push(' ');
                line.push_str(word);
                line_width += space + width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if width <= max {
                line.push_str(word);
                line_width = width;
                continue;
            }
            let mut pieces = self.break_word(word, size, max);
            let last = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
            line_width = self.width(&last, size);
            line = last;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Breaks a word into pieces no wider than `max`: after its hyphens where possible.
    fn break_word(&self, word: &str, size: f32, max: f32) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut piece = String::new();
        for segment in segments(word) {
            if self.width(&format!("{piece}{segment}"), size) <= max {
                piece.push_str(segment);
                continue;
            }
            if !piece.is_empty() {
                pieces.push(std::mem::take(&mut piece));
            }
            if self.width(segment, size) <= max {
                piece.push_str(segment);
            } else {
                let mut parts = self.break_chars(segment, size, max);
                piece = parts.pop().unwrap_or_default();
                pieces.extend(parts);
            }
        }
        pieces.push(piece);
        pieces
    }

    /// Breaks a word into pieces no wider than `max` (at least one character each).
    fn break_chars(&self, word: &str, size: f32, max: f32) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if piece.chars().nth(1).is_some() && self.width(&piece, size) > max {
                piece.pop();
                pieces.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        pieces.push(piece);
        pieces
    }

    /// The width of `text` on one line as [`Metrics::wrap`] sets it: its words one space apart.
    pub fn line_width(&self, text: &str, size: f32) -> f32 {
        let space = self.width(" ", size);
        let (count, sum) =
            words(text).fold((0, 0.0), |(n, sum), w| (n + 1, sum + self.width(w, size)));
        sum + space * (count.max(1) - 1) as f32
    }

    /// The longest word (or part of a word after a hyphen) of `text`, measured at `size`: the
    /// narrowest a column can be without breaking a word between two letters.
    pub fn longest_word(&self, text: &str, size: f32) -> f32 {
        words(text)
            .flat_map(segments)
            .map(|w| self.width(w, size))
            .fold(0.0, f32::max)
    }

    /// `text` on one line of at most `max`: cut at a character and ended with "…" if needed.
    pub fn truncate(&self, text: &str, size: f32, max: f32) -> String {
        let text = words(text).collect::<Vec<_>>().join(" ");
        if self.width(&text, size) <= max {
            return text;
        }
        let mut out: String = text.clone();
        while !out.is_empty() {
            out.pop();
            let candidate = format!("{}…", out.trim_end());
            if self.width(&candidate, size) <= max {
                return candidate;
            }
        }
        String::new()
    }

    /// Where the baseline sits below the top of a line box of `leading` at `size`: the glyphs'
    /// ascender-to-descender box is centred in the line.
    pub fn baseline(&self, size: f32, leading: f32) -> f32 {
        let ascender = f32::from(self.face.ascender()) / self.units_per_em;
        let descender = -f32::from(self.face.descender()) / self.units_per_em;
        (leading - (ascender + descender) * size) / 2.0 + ascender * size
    }
}

/// How much wider than asked a line may measure: rounding, far below what shows.
const TOLERANCE: f32 = 0.01;

/// The words of a text: split at white space except the no-break spaces.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}'))
        .filter(|w| !w.is_empty())
}

/// The parts of a word a line may end after: up to and including each hyphen or slash that has
/// a character on both sides ("2026-" "Q3"; "-12" stays whole).
fn segments(word: &str) -> impl Iterator<Item = &str> {
    let mut rest = word;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = (rest.char_indices().skip(1))
            .map(|(at, c)| (at + c.len_utf8(), c))
            .find(|&(end, c)| matches!(c, '-' | '/' | '–') && end < rest.len())
            .map_or(rest.len(), |(end, _)| end);
        let (head, tail) = rest.split_at(cut);
        rest = tail;
        Some(head)
    })
}

/// Both embedded faces, parsed once per process.
pub(super) struct Fonts {
    regular: Metrics,
    bold: Metrics,
}

impl Fonts {
    /// The parsed faces, or an error if the embedded font files are broken.
    pub fn get() -> Result<&'static Fonts, RenderError> {
        static FONTS: LazyLock<Result<Fonts, &'static str>> = LazyLock::new(|| {
            Ok(Fonts {
                regular: Metrics::new(DEJAVU_SANS).ok_or("DejaVuSans.ttf")?,
                bold: Metrics::new(DEJAVU_SANS_BOLD).ok_or("DejaVuSans-Bold.ttf")?,
            })
        });
        FONTS.as_ref().map_err(|name| RenderError::Font(name))
    }

    pub fn face(&self, weight: Weight) -> &Metrics {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regular() -> &'static Metrics {
        Fonts::get().unwrap().face(Weight::Regular)
    }

    #[test]
    fn widths_scale_with_the_size_and_include_kerning() {
        let m = regular();
        let w10 = m.width("Werkdruk", 10.0);
        assert!((m.width("Werkdruk", 20.0) - 2.0 * w10).abs() < 1e-3);
        // DejaVu kerns "To": the pair is narrower than its two letters apart.
        assert!(m.width("To", 10.0) < m.width("T", 10.0) + m.width("o", 10.0));
        let sum: f32 = m.glyphs("To één").iter().map(|g| g.advance).sum();
        assert!((sum * 10.0 - m.width("To één", 10.0)).abs() < 1e-3);
        assert_eq!(m.glyphs("één")[1].range, 2..4);
        assert_eq!(m.width("", 10.0), 0.0);
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width_and_loses_no_word() {
        let m = regular();
        let text =
            "Ideeën over coöperatie   en één\tgezamenlijke aanpak van de werkdruk in het onderwijs";
        let lines = m.wrap(text, 10.0, 120.0);
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert!(m.width(line, 10.0) <= 120.0 + TOLERANCE, "{line}");
        }
        assert_eq!(lines.join(" "), words(text).collect::<Vec<_>>().join(" "));
        assert!(m.wrap(" \n ", 10.0, 100.0).is_empty());
        assert_eq!(
            m.wrap("12,5\u{a0}%", 10.0, 1.0),
            vec!["1", "2", ",", "5", "\u{a0}", "%"]
        );
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken() {
        let m = regular();
        let word = "Arbeidsmarktontwikkelingsprogrammaonderzoeksrapportage".repeat(3);
        let lines = m.wrap(&format!("kort {word} eind"), 10.0, 150.0);
        assert_eq!(lines[0], "kort");
        assert!(lines.len() > 3);
        for line in &lines {
            assert!(m.width(line, 10.0) <= 150.0 + TOLERANCE, "{line}");
        }
        assert_eq!(lines.concat().replace(' ', ""), format!("kort{word}eind"));
        // Narrower than one character: one character a line, no endless loop.
        assert_eq!(m.wrap("abc", 10.0, 0.5), vec!["a", "b", "c"]);
    }

    #[test]
    fn a_word_breaks_after_a_hyphen_first() {
        let m = regular();
        let narrow = m.width("2026-", 10.0);
        assert_eq!(m.wrap("2026-Q3", 10.0, narrow), vec!["2026-", "Q3"]);
        assert_eq!(m.wrap("2026-Q3", 10.0, narrow * 3.0), vec!["2026-Q3"]);
        assert_eq!(segments("-12").collect::<Vec<_>>(), vec!["-12"]);
        assert_eq!(
            segments("a--b/c").collect::<Vec<_>>(),
            vec!["a-", "-b/", "c"]
        );
        assert_eq!(
            m.longest_word("2026-Q3 (lopend)", 10.0),
            m.width("(lopend)", 10.0)
        );
    }

    #[test]
    fn truncation_ends_with_an_ellipsis() {
        let m = regular();
        let long = "Trendrapport 2026-Q3 — landelijke versie voor alle programma's en regio's";
        let cut = m.truncate(long, 8.0, 100.0);
        assert!(cut.ends_with('…') && m.width(&cut, 8.0) <= 100.0, "{cut}");
        assert_eq!(m.truncate("kort", 8.0, 100.0), "kort");
    }
}
