//! The front: the report's title, subtitle and generated line, then the table of contents with
//! every section and heading, a dotted leader to its page number, and a link to its page. A long
//! table of contents continues on the next page.

use super::super::document::Document;
use super::layout::{Anchor, Flow, Item, Page};
use super::style::{
    BLUE, CONTENTS_HEADING, CONTENTS_SECTION, GENERATED, GREY, LEFT, NUMBER_GAP, RIGHT, SECTION,
    SUBTITLE, TITLE, TextStyle, WIDTH,
};
use super::text::Fonts;

/// The front pages, for body pages that start at page index `first_body_page`.
pub(super) fn pages(
    doc: &Document,
    fonts: &'static Fonts,
    anchors: &[Anchor],
    first_body_page: usize,
) -> Vec<Page> {
    let mut flow = Flow::new(fonts);
    let block = |flow: &mut Flow, style: TextStyle, text: &str, gap: f32| {
        let lines = fonts.face(style.weight).wrap(text, style.size, WIDTH);
        if !lines.is_empty() {
            flow.y += gap;
        }
        for line in &lines {
            flow.line(LEFT, style, line);
        }
    };
    block(&mut flow, TITLE, &doc.title, 28.0);
    block(&mut flow, SUBTITLE, &doc.subtitle, 6.0);
    block(&mut flow, GENERATED, &doc.generated, 8.0);
    flow.y += 14.0;
    flow.rule(LEFT, RIGHT, flow.y, 1.5, BLUE);
    flow.y += 34.0;
    block(&mut flow, SECTION, &doc.contents_title, 0.0);
    flow.y += 10.0;

    let columns = Columns::new(fonts, anchors, first_body_page);
    let entries: Vec<Entry> = anchors
        .iter()
        .map(|a| Entry::new(fonts, &columns, a, first_body_page))
        .collect();
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            flow.space(if entry.level == 1 { 7.0 } else { 1.0 });
        }
        // A section's entry goes to the next page together with its first heading.
        let with_next = match entries.get(i + 1) {
            Some(next) if entry.level == 1 && next.level == 2 => 1.0 + next.height(),
            _ => 0.0,
        };
        flow.need(entry.height() + with_next);
        entry.place(&mut flow, &columns);
    }
    flow.pages
}

/// The space between the dots of a leader.
pub(super) const LEADER_PITCH: f32 = 3.0;
/// Where a leader ends, right of the start of the page number column.
const LEADER_END: f32 = 10.0;

/// Where the parts of an entry go.
struct Columns {
    /// A section's title, and a heading's number.
    indent: f32,
    /// A heading's title.
    heading_indent: f32,
    /// The room kept at the right for the page numbers.
    page_number: f32,
}

impl Columns {
    fn new(fonts: &Fonts, anchors: &[Anchor], first_body_page: usize) -> Columns {
        let widest = |level: u8, style: TextStyle| {
            (anchors.iter())
                .filter(|a| a.level == level)
                .map(|a| fonts.face(style.weight).width(&a.number, style.size))
                .fold(0.0, f32::max)
        };
        let indent = widest(1, CONTENTS_SECTION).max(12.0) + NUMBER_GAP + 4.0;
        let heading_indent = indent + widest(2, CONTENTS_HEADING) + NUMBER_GAP + 4.0;
        let last_page = first_body_page + anchors.iter().map(|a| a.page).max().unwrap_or(0) + 1;
        let page_number = fonts
            .face(CONTENTS_SECTION.weight)
            .width(&last_page.to_string(), CONTENTS_SECTION.size);
        Columns {
            indent,
            heading_indent,
            page_number: page_number + 18.0,
        }
    }
}

/// One line (or a few, for a long title) of the table of contents.
struct Entry {
    level: u8,
    style: TextStyle,
    number: String,
    lines: Vec<String>,
    page: usize,
    target_y: f32,
}

impl Entry {
    fn new(fonts: &Fonts, columns: &Columns, anchor: &Anchor, first_body_page: usize) -> Entry {
        let (style, x) = match anchor.level {
            1 => (CONTENTS_SECTION, LEFT + columns.indent),
            _ => (CONTENTS_HEADING, LEFT + columns.heading_indent),
        };
        let width = RIGHT - columns.page_number - x;
        let lines = (fonts.face(style.weight)).wrap(&anchor.title, style.size, width);
        Entry {
            level: anchor.level,
            style,
            number: anchor.number.clone(),
            lines,
            page: first_body_page + anchor.page,
            target_y: anchor.y,
        }
    }

    fn height(&self) -> f32 {
        self.lines.len().max(1) as f32 * self.style.leading
    }

    fn place(&self, flow: &mut Flow, columns: &Columns) {
        let face = flow.fonts.face(self.style.weight);
        let (number_x, title_x) = match self.level {
            1 => (LEFT, LEFT + columns.indent),
            _ => (LEFT + columns.indent, LEFT + columns.heading_indent),
        };
        let top = flow.y;
        let first = flow.baseline(top, self.style);
        flow.text(number_x, first, self.style, &self.number);
        let mut end = title_x;
        for line in &self.lines {
            end = title_x + face.width(line, self.style.size);
            flow.line(title_x, self.style, line);
        }
        if self.lines.is_empty() {
            flow.y += self.style.leading;
        }
        let last = flow.baseline(flow.y - self.style.leading, self.style);
        let page_number = (self.page + 1).to_string();
        let number_x = RIGHT - face.width(&page_number, self.style.size);
        flow.text(number_x, last, self.style, &page_number);
        // The leader ends at the same place on every line, and its dots are counted from there,
        // so they stand in columns.
        let to = RIGHT - columns.page_number + LEADER_END;
        let from = to - ((to - end - 6.0) / LEADER_PITCH).floor() * LEADER_PITCH;
        if to - from >= 2.0 * LEADER_PITCH {
            flow.push(Item::Line {
                x1: from,
                y1: last - 0.6,
                x2: to,
                y2: last - 0.6,
                width: 0.9,
                color: GREY,
                dotted: true,
            });
        }
        flow.push(Item::Link {
            x: LEFT,
            y: top,
            w: WIDTH,
            h: flow.y - top,
            page: self.page,
            target_y: self.target_y,
        });
    }
}
