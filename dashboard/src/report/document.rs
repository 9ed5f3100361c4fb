//! A report as a format-neutral document: sections of headings, paragraphs, tables and charts.
//! The builder writes it once; HTML, Markdown and PDF render the same document, and the CSV
//! files and the XLSX workbook hold its tables, so every format says the same thing.

pub use crate::lang::Lang;
pub use crate::words::decimal;

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub lang: Lang,
    /// "Trendrapport 2026-Q3".
    pub title: String,
    /// Who it is for and what it covers: "Landelijke versie · alle programma's".
    pub subtitle: String,
    /// "Gegenereerd op 2026-11-23 18:40 UTC": the only line that differs between two runs on
    /// the same data.
    pub generated: String,
    /// "Inhoud" / "Contents".
    pub contents_title: String,
    /// Page footer with `{n}` and `{m}` for the page number and the page count:
    /// "Pagina {n} van {m}".
    pub page_footer: String,
    pub sections: Vec<Section>,
}

/// A numbered top-level part of the report (a table-of-contents entry).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// An anchor: lower case ASCII letters, digits and dashes.
    pub id: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A sub-heading inside a section (a second-level table-of-contents entry).
    Heading {
        id: String,
        text: String,
    },
    Paragraph(String),
    Bullets(Vec<String>),
    Table(Table),
    Chart(Chart),
    /// Small print under a table or chart.
    Note(String),
}

/// A chart as SVG (drawn by `crate::charts`), with the file name its PNG gets beside the
/// Markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File stem: lower case ASCII letters, digits and dashes ("thema-werkdruk").
    pub name: String,
    pub title: String,
    pub svg: String,
    /// The SVG's own size in pixels (its viewBox).
    pub width: u32,
    pub height: u32,
}

/// A table of the report: shown in HTML, Markdown and PDF, and written as a CSV file and as a
/// sheet of the workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// File stem and sheet name: lower case ASCII letters, digits and dashes, at most 31
    /// characters (Excel's limit for a sheet name).
    pub name: String,
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    /// A number shown with this many decimals.
    Decimal(f64, u8),
    /// A share in 0..=1, shown as a percentage with one decimal.
    Percent(f64),
    /// A change, shown with its sign ("+3", "−2").
    Signed(i64),
    /// Not known or not applicable: an empty cell.
    Empty,
    /// Withheld by disclosure control, shown as this text ("<3").
    Withheld(String),
}

impl Value {
    pub fn text(text: impl Into<String>) -> Value {
        Value::Text(text.into())
    }

    /// `Some(n)` as a number, `None` as an empty cell.
    pub fn opt_int(n: Option<impl Into<i64>>) -> Value {
        n.map_or(Value::Empty, |n| Value::Int(n.into()))
    }

    pub fn opt_percent(x: Option<f64>) -> Value {
        x.map_or(Value::Empty, Value::Percent)
    }

    pub fn opt_decimal(x: Option<f64>, decimals: u8) -> Value {
        x.map_or(Value::Empty, |x| Value::Decimal(x, decimals))
    }

    /// Numbers are right-aligned in every format.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Value::Int(_)
                | Value::Decimal(..)
                | Value::Percent(_)
                | Value::Signed(_)
                | Value::Withheld(_)
        )
    }

    /// The cell as a reader sees it: Dutch decimal commas in Dutch ("12,5 %").
    pub fn display(&self, lang: Lang) -> String {
        match self {
            Value::Text(t) | Value::Withheld(t) => t.clone(),
            Value::Int(n) => n.to_string(),
            Value::Decimal(x, d) => decimal(*x, *d, lang),
            Value::Percent(x) => format!("{} %", decimal(100.0 * x, 1, lang)),
            Value::Signed(n) if *n > 0 => format!("+{n}"),
            Value::Signed(n) if *n < 0 => format!("−{}", n.unsigned_abs()),
            Value::Signed(_) => "0".into(),
            Value::Empty => String::new(),
        }
    }

    /// The cell for a machine (CSV): a point as decimal separator, percentages as numbers
    /// 0..100 with one decimal, no unit.
    pub fn plain(&self) -> String {
        match self {
            Value::Text(t) | Value::Withheld(t) => t.clone(),
            Value::Int(n) => n.to_string(),
            Value::Decimal(x, d) => format!("{x:.*}", usize::from(*d)),
            Value::Percent(x) => format!("{:.1}", 100.0 * x),
            Value::Signed(n) => n.to_string(),
            Value::Empty => String::new(),
        }
    }
}

impl Document {
    /// Every table of the document, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }

    /// Every chart of the document, in order.
    pub fn charts(&self) -> impl Iterator<Item = &Chart> {
        self.blocks().filter_map(|b| match b {
            Block::Chart(c) => Some(c),
            _ => None,
        })
    }

    fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.sections.iter().flat_map(|s| s.blocks.iter())
    }

    /// The footer text for page `n` of `m`.
    pub fn footer(&self, n: usize, m: usize) -> String {
        self.page_footer
            .replace("{n}", &n.to_string())
            .replace("{m}", &m.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_a_dutch_or_english_reader_expects() {
        assert_eq!(Value::Percent(0.125).display(Lang::Nl), "12,5 %");
        assert_eq!(Value::Percent(0.125).display(Lang::En), "12.5 %");
        assert_eq!(Value::Percent(0.125).plain(), "12.5");
        assert_eq!(Value::Decimal(1.5, 2).display(Lang::Nl), "1,50");
        assert_eq!(Value::Withheld("<3".into()).display(Lang::Nl), "<3");
        assert_eq!(Value::opt_int(None::<u32>), Value::Empty);
        assert!(Value::Withheld("<3".into()).is_numeric());
        assert_eq!(Value::Signed(-2).display(Lang::Nl), "−2");
        assert_eq!(Value::Signed(-2).plain(), "-2");
        assert_eq!(Value::Signed(3).display(Lang::En), "+3");
        assert!(!Value::text("x").is_numeric());
    }
}
