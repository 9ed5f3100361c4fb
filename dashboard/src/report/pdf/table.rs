//! Tables: the caption above; a bold header row on a light background, repeated on every page
//! the table continues on; light zebra rows; numeric columns right-aligned. A page break leaves
//! at least two rows on either side, and a note right below the table is not left alone.
//!
//! Column widths come from the measured content, in three steps:
//! 1. everything on one line: at 8.5 pt if it fits, else smaller, down to 7 pt;
//! 2. else only the header's labels wrap (at spaces, and after a hyphen: "2026-" "Q3"), at the
//!    largest size at which the cells still fit on one line;
//! 3. else text cells wrap too, at 7 pt. Numbers never wrap, unless even their column alone
//!    is wider than the page allows.
//!
//! A long text column is capped at a share of the width and wraps in any step: prose should
//! not make the whole table small. The table always spans the text width.
//!
//! With DejaVu Sans (a wide face), a label column and eleven "2026-Q3" columns need about
//! 500 pt on one line even at 7 pt, against 482 pt of text width: such tables end up in step 2.

use super::super::document::{Lang, Table};
use super::layout::{Flow, Item};
use super::style::{
    BOTTOM, CAPTION, CELL_PAD_X, CELL_PAD_Y, HEADER_FILL, INK, LEFT, RIGHT, RULE_DARK,
    TABLE_LEADING, TABLE_SIZES, TEXT_COLUMN_SHARE, TextStyle, WIDTH, ZEBRA_FILL,
};
use super::text::{Fonts, Weight};

/// A table measured and wrapped, ready to place.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TableLayout {
    caption: Vec<String>,
    /// The text size of the cells.
    size: f32,
    /// Column widths, padding included; they add up to the text width.
    widths: Vec<f32>,
    header: Row,
    rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
struct Row {
    cells: Vec<Cell>,
    height: f32,
}

#[derive(Debug, Clone, PartialEq)]
struct Cell {
    lines: Vec<String>,
    right: bool,
}

/// Between the caption and the table.
const CAPTION_GAP: f32 = 4.0;

impl TableLayout {
    pub fn new(fonts: &Fonts, table: &Table, lang: Lang) -> TableLayout {
        let regular = fonts.face(Weight::Regular);
        let bold = fonts.face(Weight::Bold);
        let columns = (table.rows.iter().map(Vec::len))
            .chain([table.columns.len()])
            .max()
            .unwrap_or(0);
        let label = |c: usize| table.columns.get(c).map_or("", String::as_str);
        // Every row as `columns` cells of (text, is a number).
        let cells: Vec<Vec<(String, bool)>> = (table.rows.iter())
            .map(|row| {
                (0..columns)
                    .map(|c| {
                        row.get(c).map_or((String::new(), false), |v| {
                            (v.display(lang), v.is_numeric())
                        })
                    })
                    .collect()
            })
            .collect();
        let numeric: Vec<bool> = (0..columns)
            .map(|c| {
                let numbers = cells.iter().filter(|row| row[c].1).count();
                let texts = (cells.iter())
                    .filter(|row| !row[c].1 && !row[c].0.trim().is_empty())
                    .count();
                numbers > 0 && numbers >= texts
            })
            .collect();

        // What each column measures at 1 pt.
        let mut measures: Vec<Measure> = (0..columns)
            .map(|c| Measure {
                header: bold.line_width(label(c), 1.0),
                header_word: bold.longest_word(label(c), 1.0),
                numeric: numeric[c],
                ..Measure::default()
            })
            .collect();
        for row in &cells {
            for ((text, is_number), m) in row.iter().zip(&mut measures) {
                let width = regular.line_width(text, 1.0);
                m.body = m.body.max(width);
                let unbreakable = if *is_number {
                    width
                } else {
                    regular.longest_word(text, 1.0)
                };
                m.body_word = m.body_word.max(unbreakable);
            }
        }
        let (size, widths) = column_widths(&measures);

        let pad = CELL_PAD_X * size;
        let row = |weight: Weight, texts: Vec<(String, bool)>| {
            let face = fonts.face(weight);
            let cells: Vec<Cell> = (texts.into_iter().zip(&widths).enumerate())
                .map(|(c, ((text, is_number), width))| Cell {
                    lines: face.wrap(&text, size, width - 2.0 * pad),
                    right: numeric[c] || is_number,
                })
                .collect();
            let lines = cells
                .iter()
                .map(|c| c.lines.len())
                .max()
                .unwrap_or(0)
                .max(1);
            let height = lines as f32 * TABLE_LEADING * size + 2.0 * CELL_PAD_Y * size;
            Row { cells, height }
        };
        let header = row(
            Weight::Bold,
            (0..columns).map(|c| (label(c).to_owned(), false)).collect(),
        );
        let rows = cells.into_iter().map(|r| row(Weight::Regular, r)).collect();
        let caption = fonts
            .face(CAPTION.weight)
            .wrap(&table.caption, CAPTION.size, WIDTH);
        TableLayout {
            caption,
            size,
            widths,
            header,
            rows,
        }
    }

    fn caption_height(&self) -> f32 {
        if self.caption.is_empty() {
            0.0
        } else {
            self.caption.len() as f32 * CAPTION.leading + CAPTION_GAP
        }
    }

    /// The caption, the header and the first row: what must start on the same page.
    pub fn lead(&self) -> f32 {
        if self.widths.is_empty() {
            return self.caption_height();
        }
        self.caption_height() + self.header.height + self.rows.first().map_or(0.0, |r| r.height)
    }

    /// Places the table at the cursor, breaking pages between rows. `note` is the height of
    /// the start of a note below the table: the last row goes to the next page with it rather
    /// than leave it there alone.
    pub fn place(&self, flow: &mut Flow, note: f32) {
        flow.need(self.lead());
        for line in &self.caption {
            flow.line(LEFT, CAPTION, line);
        }
        if !self.caption.is_empty() {
            flow.y += CAPTION_GAP;
        }
        if self.widths.is_empty() {
            return;
        }
        self.place_header(flow);
        let mut rows_on_page = 0;
        for (i, row) in self.rows.iter().enumerate() {
            let left = self.rows.len() - i;
            let below = if left == 1 { note } else { 0.0 };
            let fits = flow.y + row.height + below <= BOTTOM;
            // Two rows go to the next page rather than the last one alone.
            let next = self.rows.get(i + 1).map_or(0.0, |r| r.height);
            let widow =
                left == 2 && rows_on_page >= 2 && flow.y + row.height + next + note > BOTTOM;
            if (!fits || widow) && rows_on_page > 0 {
                flow.rule(LEFT, RIGHT, flow.y, 0.8, RULE_DARK);
                flow.new_page();
                self.place_header(flow);
                rows_on_page = 0;
            }
            if i % 2 == 1 {
                flow.push(Item::Rect {
                    x: LEFT,
                    y: flow.y,
                    w: WIDTH,
                    h: row.height,
                    color: ZEBRA_FILL,
                });
            }
            self.place_cells(flow, row, Weight::Regular);
            flow.y += row.height;
            rows_on_page += 1;
        }
        flow.rule(LEFT, RIGHT, flow.y, 0.8, RULE_DARK);
    }

    fn place_header(&self, flow: &mut Flow) {
        flow.push(Item::Rect {
            x: LEFT,
            y: flow.y,
            w: WIDTH,
            h: self.header.height,
            color: HEADER_FILL,
        });
        flow.rule(LEFT, RIGHT, flow.y, 0.8, RULE_DARK);
        self.place_cells(flow, &self.header, Weight::Bold);
        flow.y += self.header.height;
        flow.rule(LEFT, RIGHT, flow.y, 0.5, RULE_DARK);
    }

    /// The row's text; a header's labels sit on its bottom line, other cells at the top.
    fn place_cells(&self, flow: &mut Flow, row: &Row, weight: Weight) {
        let style = TextStyle {
            weight,
            size: self.size,
            leading: TABLE_LEADING * self.size,
            color: INK,
        };
        let face = flow.fonts.face(weight);
        let pad = CELL_PAD_X * self.size;
        let rows_lines = row.cells.iter().map(|c| c.lines.len()).max().unwrap_or(0);
        let mut x = LEFT;
        for (cell, width) in row.cells.iter().zip(&self.widths) {
            let shift = match weight {
                Weight::Bold => rows_lines - cell.lines.len(),
                Weight::Regular => 0,
            };
            let top = flow.y + CELL_PAD_Y * self.size + shift as f32 * style.leading;
            for (k, line) in cell.lines.iter().enumerate() {
                let baseline = flow.baseline(top + k as f32 * style.leading, style);
                let left = if cell.right {
                    x + width - pad - face.width(line, self.size)
                } else {
                    x + pad
                };
                flow.text(left, baseline, style, line);
            }
            x += width;
        }
    }

    #[cfg(test)]
    pub fn size(&self) -> f32 {
        self.size
    }

    #[cfg(test)]
    pub fn widths(&self) -> &[f32] {
        &self.widths
    }

    /// The number of wrapped lines of every row (the header first).
    #[cfg(test)]
    pub fn line_counts(&self) -> Vec<usize> {
        std::iter::once(&self.header)
            .chain(&self.rows)
            .map(|r| r.cells.iter().map(|c| c.lines.len()).max().unwrap_or(0))
            .collect()
    }
}

/// What a column's content measures at 1 pt: on one line, and its longest unbreakable part.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Measure {
    header: f32,
    header_word: f32,
    body: f32,
    body_word: f32,
    numeric: bool,
}

impl Measure {
    /// A text column's width is capped: a longer text wraps.
    fn capped(&self, width: f32, least: f32) -> f32 {
        if self.numeric {
            width
        } else {
            width.min((TEXT_COLUMN_SHARE * WIDTH).max(least))
        }
    }

    /// The width (padding included) at `size` for `level` of wrapping.
    fn width(&self, size: f32, level: Wrap) -> f32 {
        let pad = 2.0 * CELL_PAD_X * size;
        let least = self.header_word.max(self.body_word) * size + pad;
        let width = match level {
            Wrap::Nothing => self.capped(self.header.max(self.body) * size + pad, least),
            Wrap::Header => self
                .capped(self.body * size + pad, least)
                .max(self.header_word * size + pad),
            Wrap::Cells => least,
        };
        width.max(least)
    }
}

/// How much of a table wraps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wrap {
    /// Every label and cell on one line (but for a long text in a capped column).
    Nothing,
    /// The header's labels wrap, the cells do not.
    Header,
    /// Text cells wrap too.
    Cells,
}

/// The text size and the column widths (padding included), which add up to the text width.
///
/// The largest size at which nothing wraps; else the largest at which only the header's labels
/// wrap; else the smallest size, with the text cells wrapping. The space to spare goes to the
/// columns in proportion to how much they lack for one line (or to the text columns, if nothing
/// wraps).
fn column_widths(columns: &[Measure]) -> (f32, Vec<f32>) {
    let widths = |size: f32, level: Wrap| -> Vec<f32> {
        columns.iter().map(|m| m.width(size, level)).collect()
    };
    let fits = |widths: &[f32]| widths.iter().sum::<f32>() <= WIDTH;
    if let Some(size) = TABLE_SIZES
        .into_iter()
        .find(|&s| fits(&widths(s, Wrap::Nothing)))
    {
        let numeric: Vec<bool> = columns.iter().map(|m| m.numeric).collect();
        return (size, stretch(widths(size, Wrap::Nothing), &numeric));
    }
    let (size, level) = TABLE_SIZES
        .into_iter()
        .find(|&s| fits(&widths(s, Wrap::Header)))
        .map_or((TABLE_SIZES[TABLE_SIZES.len() - 1], Wrap::Cells), |s| {
            (s, Wrap::Header)
        });
    let least = widths(size, level);
    let least_total: f32 = least.iter().sum();
    if least_total > WIDTH {
        // Not even the longest words fit: every column shrinks alike and words break.
        return (
            size,
            least.iter().map(|l| l * WIDTH / least_total).collect(),
        );
    }
    let wanted = widths(size, Wrap::Nothing);
    let slack: Vec<f32> = wanted
        .iter()
        .zip(&least)
        .map(|(w, l)| (w - l).max(0.0))
        .collect();
    let slack_total: f32 = slack.iter().sum();
    let spare = WIDTH - least_total;
    let widths = (least.iter().zip(slack))
        .map(|(l, s)| {
            if slack_total > 0.0 {
                l + spare * s / slack_total
            } else {
                l + spare / columns.len() as f32
            }
        })
        .collect();
    (size, widths)
}

/// Widens the columns to the text width: the text columns in proportion to their width, or all
/// columns alike if none holds text.
fn stretch(mut widths: Vec<f32>, numeric: &[bool]) -> Vec<f32> {
    let spare = WIDTH - widths.iter().sum::<f32>();
    let text_total: f32 = (widths.iter().zip(numeric))
        .filter(|(_, numeric)| !**numeric)
        .map(|(w, _)| w)
        .sum();
    let columns = widths.len() as f32;
    for (w, numeric) in widths.iter_mut().zip(numeric) {
        if text_total > 0.0 {
            if !numeric {
                *w += spare * *w / text_total;
            }
        } else {
            *w += spare / columns;
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::super::super::document::Value;
    use super::*;

    fn table(columns: &[&str], rows: Vec<Vec<Value>>) -> Table {
        Table {
            name: "t".into(),
            caption: "Tabel".into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows,
        }
    }

    fn layout(t: &Table) -> TableLayout {
        TableLayout::new(Fonts::get().unwrap(), t, Lang::Nl)
    }

    fn assert_spans_the_width(l: &TableLayout) {
        let total: f32 = l.widths().iter().sum();
        assert!((total - WIDTH).abs() < 0.01, "{total} vs {WIDTH}");
    }

    #[test]
    fn a_small_table_keeps_the_full_size_and_spans_the_width() {
        let t = table(
            &["Thema", "Aantal", "Aandeel"],
            vec![vec![
                Value::text("Werkdruk"),
                Value::Int(12),
                Value::Percent(0.125),
            ]],
        );
        let l = layout(&t);
        assert_eq!(l.size(), TABLE_SIZES[0]);
        assert_spans_the_width(&l);
        assert!(l.widths()[0] > l.widths()[1], "{:?}", l.widths());
        assert_eq!(l.line_counts(), vec![1, 1]);
        assert!(l.rows[0].cells[1].right && !l.rows[0].cells[0].right);
    }

    fn periods(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("{}-Q{}", 2024 + i / 4, i % 4 + 1))
            .collect()
    }

    #[test]
    fn a_wide_table_gets_smaller_before_anything_wraps() {
        let labels = periods(11);
        let mut columns = vec!["Pabo"];
        columns.extend(labels.iter().map(String::as_str));
        let mut row = vec![Value::text("Pabo")];
        row.extend((0..11).map(|i| Value::Int(1000 + 37 * i)));
        let l = layout(&table(&columns, vec![row]));
        assert!(l.size() < TABLE_SIZES[0] && l.size() >= 7.0, "{}", l.size());
        assert_spans_the_width(&l);
        assert_eq!(l.line_counts(), vec![1, 1]);
    }

    #[test]
    fn a_twelve_column_table_fits_with_only_its_header_wrapping() {
        let labels = periods(8);
        let mut columns = vec!["Programma"];
        columns.extend(labels.iter().map(String::as_str));
        columns.extend(["Verschil", "Trend", "Aandeel"]);
        let row = |name: &str| {
            let mut r = vec![Value::text(name)];
            r.extend((0..8).map(|i| Value::Int(1000 + 37 * i)));
            r.extend([
                Value::Int(-12),
                Value::text("stijgend"),
                Value::Percent(0.0834),
            ]);
            r
        };
        let l = layout(&table(
            &columns,
            vec![row("Pabo"), row("Lerarenopleiding coöperatie")],
        ));
        assert!(l.size() >= 7.0, "{}", l.size());
        assert_spans_the_width(&l);
        assert_eq!(&l.line_counts()[1..], &[1, 1]);
    }

    #[test]
    fn when_even_seven_points_is_too_wide_text_wraps_and_numbers_do_not() {
        let long = "Lerarenopleiding voortgezet onderwijs eerste graad, deeltijd en duaal";
        let mut columns = vec!["Programma"];
        columns.extend(["2024-Q1"; 11]);
        let mut r = vec![Value::text(long)];
        r.extend((0..11).map(|i| Value::Decimal(1234.5 + f64::from(i), 1)));
        let l = layout(&table(&columns, vec![r]));
        assert_eq!(l.size(), 7.0);
        assert_spans_the_width(&l);
        assert!(l.rows[0].cells[0].lines.len() > 1);
        assert!(
            l.rows[0].cells[1..].iter().all(|c| c.lines.len() == 1),
            "{:?}",
            l.rows[0].cells
        );
    }

    #[test]
    fn a_long_text_column_wraps_at_full_size() {
        let prose = "Een lange toelichting die in een rapport gewoon over een paar regels mag doorlopen, zonder dat de hele tabel er klein van wordt. ".repeat(2);
        let t = table(
            &["Signaal", "Toelichting"],
            vec![vec![Value::text("Werkdruk"), Value::text(prose)]],
        );
        let l = layout(&t);
        assert_eq!(l.size(), TABLE_SIZES[0]);
        assert!(l.line_counts()[1] > 1);
        assert_spans_the_width(&l);
    }

    #[test]
    fn odd_tables_do_not_panic() {
        // No rows: a header only.
        let l = layout(&table(&["A", "B"], vec![]));
        assert_eq!(l.line_counts(), vec![1]);
        // No columns at all: the caption only.
        let l = layout(&table(&[], vec![]));
        assert!(l.widths().is_empty());
        assert_eq!(l.lead(), l.caption_height());
        // Ragged rows: as wide as the longest, missing cells empty.
        let l = layout(&table(
            &["A"],
            vec![vec![Value::Int(1), Value::text("x"), Value::Empty], vec![]],
        ));
        assert_eq!(l.widths().len(), 3);
        assert_spans_the_width(&l);
        // An unbreakable word wider than the page.
        let word = "x".repeat(400);
        let l = layout(&table(
            &["A", "B"],
            vec![vec![Value::text(word), Value::text("y")]],
        ));
        assert_spans_the_width(&l);
        assert!(l.line_counts()[1] > 1);
    }
}
