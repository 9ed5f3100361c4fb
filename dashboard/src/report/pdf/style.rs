//! Page geometry, type sizes and colours: A4 portrait, 2 cm margins, DejaVu Sans, dark text and
//! dark blue headings (the colours of the HTML report's `report.css`). All lengths are PDF
//! points (1/72 inch), measured from the top left.

use super::text::Weight;

/// A4 portrait.
pub(super) const PAGE_WIDTH: f32 = 595.28;
pub(super) const PAGE_HEIGHT: f32 = 841.89;
/// 2 cm.
const MARGIN: f32 = 56.69;
pub(super) const LEFT: f32 = MARGIN;
pub(super) const RIGHT: f32 = PAGE_WIDTH - MARGIN;
/// The width of the text column.
pub(super) const WIDTH: f32 = RIGHT - LEFT;
pub(super) const TOP: f32 = MARGIN;
/// Where the body ends; the footer sits in the bottom margin below.
pub(super) const BOTTOM: f32 = PAGE_HEIGHT - MARGIN - 14.0;
/// The footer's rule and its text's baseline.
pub(super) const FOOTER_RULE: f32 = PAGE_HEIGHT - MARGIN + 2.0;
pub(super) const FOOTER_BASELINE: f32 = FOOTER_RULE + 13.0;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rgb(pub u8, pub u8, pub u8);

/// Body text.
pub(super) const INK: Rgb = Rgb(0x1a, 0x1a, 0x1a);
/// Titles and headings.
pub(super) const BLUE: Rgb = Rgb(0x0b, 0x3c, 0x68);
/// Notes, the footer, the generated line.
pub(super) const GREY: Rgb = Rgb(0x55, 0x55, 0x55);
/// Hairlines: row rules, the footer rule, the dot leaders.
pub(super) const RULE: Rgb = Rgb(0xc9, 0xd2, 0xdc);
/// The rules that open and close a table.
pub(super) const RULE_DARK: Rgb = Rgb(0x6b, 0x77, 0x85);
/// The table header's background.
pub(super) const HEADER_FILL: Rgb = Rgb(0xe6, 0xed, 0xf4);
/// Every other table row.
pub(super) const ZEBRA_FILL: Rgb = Rgb(0xf4, 0xf7, 0xfa);

/// A kind of text: face, size, line height and colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct TextStyle {
    pub weight: Weight,
    pub size: f32,
    pub leading: f32,
    pub color: Rgb,
}

const fn style(weight: Weight, size: f32, leading: f32, color: Rgb) -> TextStyle {
    TextStyle {
        weight,
        size,
        leading,
        color,
    }
}

pub(super) const TITLE: TextStyle = style(Weight::Bold, 24.0, 30.0, BLUE);
pub(super) const SUBTITLE: TextStyle = style(Weight::Regular, 13.0, 18.0, INK);
pub(super) const GENERATED: TextStyle = style(Weight::Regular, 9.0, 13.0, GREY);
pub(super) const SECTION: TextStyle = style(Weight::Bold, 16.0, 21.0, BLUE);
pub(super) const HEADING: TextStyle = style(Weight::Bold, 12.0, 16.0, BLUE);
pub(super) const BODY: TextStyle = style(Weight::Regular, 10.0, 14.5, INK);
pub(super) const NOTE: TextStyle = style(Weight::Regular, 8.0, 11.0, GREY);
pub(super) const CAPTION: TextStyle = style(Weight::Bold, 8.5, 12.0, INK);
pub(super) const CONTENTS_SECTION: TextStyle = style(Weight::Bold, 10.5, 15.0, INK);
pub(super) const CONTENTS_HEADING: TextStyle = style(Weight::Regular, 10.0, 14.0, INK);
pub(super) const FOOTER: TextStyle = style(Weight::Regular, 8.0, 10.0, GREY);

/// Table text sizes, tried largest first: a wide table is set smaller before its cells wrap.
pub(super) const TABLE_SIZES: [f32; 4] = [8.5, 8.0, 7.5, 7.0];
/// Line height of table text, as a multiple of its size.
pub(super) const TABLE_LEADING: f32 = 1.3;
/// Space between a cell's text and its column's edges, as a multiple of the text size.
pub(super) const CELL_PAD_X: f32 = 0.45;
/// Space above and below a cell's text, as a multiple of the text size.
pub(super) const CELL_PAD_Y: f32 = 0.3;
/// A text column's preferred width is at most this share of the text width: longer texts wrap
/// rather than make the whole table smaller.
pub(super) const TEXT_COLUMN_SHARE: f32 = 0.4;

/// The gap between a heading's number and its text.
pub(super) const NUMBER_GAP: f32 = 9.0;
/// Bullets: where the text starts, right of the bullet.
pub(super) const BULLET_INDENT: f32 = 14.0;
