//! The page model (text runs, rules, boxes, charts and links placed on pages) and the flow that
//! fills it: the body's sections one after another, with page breaks where a block no longer
//! fits. A section starts on a new page. A title is kept with the start of what follows it, and
//! with a chart that follows after some text; a note stays with the chart or table above it;
//! a paragraph leaves no single line alone at the bottom or top of a page.

use super::super::document::{Block, Document, Section};
use super::style::{
    self, BLUE, BODY, BOTTOM, BULLET_INDENT, CAPTION, HEADING, LEFT, NOTE, NUMBER_GAP, RIGHT, Rgb,
    SECTION, TOP, TextStyle, WIDTH,
};
use super::table::TableLayout;
use super::text::{Fonts, Weight};

/// Something drawn on a page. `y` is a baseline for text and a top edge for everything else.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Rgb,
        text: String,
    },
    /// A straight line; `dotted` for the leaders of the table of contents.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
        dotted: bool,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    /// The document's `index`-th chart, scaled to `w`×`h`.
    Chart {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        index: usize,
    },
    /// A clickable area that jumps to `y` on page `page` (0-based, of the whole document).
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        page: usize,
        target_y: f32,
    },
}

/// One page's items, in drawing order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Page {
    pub items: Vec<Item>,
}

/// A numbered title: a section ("2 Thema's") or a heading within one ("2.3 Werkdruk").
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Anchor {
    /// 1 for a section, 2 for a heading.
    pub level: u8,
    pub number: String,
    pub title: String,
    pub id: String,
    /// 0-based page index and the title's top on that page.
    pub page: usize,
    pub y: f32,
}

/// Pages being filled from top to bottom.
pub(super) struct Flow {
    pub fonts: &'static Fonts,
    pub pages: Vec<Page>,
    /// The top of the free space on the last page.
    pub y: f32,
}

impl Flow {
    pub fn new(fonts: &'static Fonts) -> Flow {
        Flow {
            fonts,
            pages: vec![Page::default()],
            y: TOP,
        }
    }

    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    pub fn at_top(&self) -> bool {
        self.y <= TOP
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = TOP;
    }

    /// Starts a new page unless `height` fits below the cursor. On an empty page it stays: the
    /// next page would have no more room.
    pub fn need(&mut self, height: f32) {
        if self.y + height > BOTTOM && !self.at_top() {
            self.new_page();
        }
    }

    /// Vertical space between two blocks; none at the top of a page.
    pub fn space(&mut self, gap: f32) {
        if !self.at_top() {
            self.y += gap;
        }
    }

    pub fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.items.push(item);
        }
    }

    /// Text on the baseline `y`; nothing for an empty text.
    pub fn text(&mut self, x: f32, y: f32, style: TextStyle, text: &str) {
        if text.is_empty() {
            return;
        }
        self.push(Item::Text {
            x,
            y,
            size: style.size,
            weight: style.weight,
            color: style.color,
            text: text.to_owned(),
        });
    }

    /// The baseline of a line of `style` whose box starts at `top`.
    pub fn baseline(&self, top: f32, style: TextStyle) -> f32 {
        top + self
            .fonts
            .face(style.weight)
            .baseline(style.size, style.leading)
    }

    /// A line of text at the cursor, which moves down one line.
    pub fn line(&mut self, x: f32, style: TextStyle, text: &str) {
        let y = self.baseline(self.y, style);
        self.text(x, y, style, text);
        self.y += style.leading;
    }

    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32, color: Rgb) {
        self.push(Item::Line {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
            color,
            dotted: false,
        });
    }

    /// Lines of one paragraph at `x`, breaking pages between lines but leaving no single line of
    /// it alone at the bottom or the top of a page. `marker` (a bullet) goes left of the first.
    pub fn lines(
        &mut self,
        x: f32,
        style: TextStyle,
        lines: &[String],
        marker: Option<(f32, &str)>,
    ) {
        let n = lines.len();
        self.need(style.leading * unbroken_start(n) as f32);
        for (i, line) in lines.iter().enumerate() {
            let fits = self.y + style.leading <= BOTTOM;
            let widow = n - i == 2 && i >= 2 && self.y + 2.0 * style.leading > BOTTOM;
            if (!fits || widow) && !self.at_top() {
                self.new_page();
            }
            if i == 0
                && let Some((marker_x, marker)) = marker
            {
                let y = self.baseline(self.y, style);
                self.text(marker_x, y, style, marker);
            }
            self.line(x, style, line);
        }
    }
}

/// How many lines a paragraph of `n` lines has at least on the page where it starts: all of a
/// short one, two of a longer one (and the widow rule in [`Flow::lines`] leaves two for the next).
fn unbroken_start(n: usize) -> usize {
    if n <= 3 { n } else { 2 }
}

/// A numbered title, wrapped with a hanging indent after its number.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Title {
    /// 1 for a section, 2 for a heading.
    pub level: u8,
    pub number: String,
    pub text: String,
    pub id: String,
    pub lines: Vec<String>,
    pub style: TextStyle,
    pub indent: f32,
}

impl Title {
    fn new(fonts: &Fonts, level: u8, number: String, text: &str, id: &str) -> Title {
        let style = if level == 1 { SECTION } else { HEADING };
        let face = fonts.face(style.weight);
        let indent = face.width(&number, style.size) + NUMBER_GAP;
        let lines = face.wrap(text, style.size, WIDTH - indent);
        Title {
            level,
            number,
            text: text.to_owned(),
            id: id.to_owned(),
            lines,
            style,
            indent,
        }
    }

    /// The space below the title's last line; a section title has a rule in it.
    fn after(&self) -> f32 {
        if self.level == 1 { 16.0 } else { 5.0 }
    }

    fn height(&self) -> f32 {
        self.lines.len().max(1) as f32 * self.style.leading + self.after()
    }

    /// Places the title at the cursor and returns its anchor.
    fn place(&self, flow: &mut Flow) -> Anchor {
        let anchor = Anchor {
            level: self.level,
            number: self.number.clone(),
            title: self.text.clone(),
            id: self.id.clone(),
            page: flow.page_index(),
            y: flow.y,
        };
        let y = flow.baseline(flow.y, self.style);
        flow.text(LEFT, y, self.style, &self.number);
        if self.lines.is_empty() {
            flow.y += self.style.leading;
        }
        for line in &self.lines {
            flow.line(LEFT + self.indent, self.style, line);
        }
        if self.level == 1 {
            flow.rule(LEFT, RIGHT, flow.y + 4.0, 0.75, BLUE);
        }
        flow.y += self.after();
        anchor
    }
}

/// A chart scaled to the text width (or to the page height, if that is less).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ChartBox {
    pub index: usize,
    pub caption: Vec<String>,
    pub w: f32,
    pub h: f32,
}

const CHART_CAPTION_GAP: f32 = 5.0;
/// The height of a section title with its rule, or of a heading with the space above it.
const ROOM_FOR_A_HEADING: f32 = 40.0;

impl ChartBox {
    fn new(fonts: &Fonts, title: &str, index: usize, (width, height): (f32, f32)) -> ChartBox {
        let caption = fonts.face(CAPTION.weight).wrap(title, CAPTION.size, WIDTH);
        let caption_h = caption.len() as f32 * CAPTION.leading + CHART_CAPTION_GAP;
        let mut w = WIDTH;
        let mut h = WIDTH * height / width;
        // A tall chart fits on a page below its caption and a heading.
        let max_h = BOTTOM - TOP - caption_h - ROOM_FOR_A_HEADING;
        if h > max_h {
            w *= max_h / h;
            h = max_h;
        }
        ChartBox {
            index,
            caption,
            w,
            h,
        }
    }

    fn height(&self) -> f32 {
        self.caption.len() as f32 * CAPTION.leading + CHART_CAPTION_GAP + self.h
    }

    /// Places the chart, on the next page if it does not fit, or if a note of `note` height
    /// below it would not.
    fn place(&self, flow: &mut Flow, note: f32) {
        flow.need(self.height() + note);
        for line in &self.caption {
            flow.line(LEFT, CAPTION, line);
        }
        flow.y += CHART_CAPTION_GAP;
        flow.push(Item::Chart {
            x: LEFT + (WIDTH - self.w) / 2.0,
            y: flow.y,
            w: self.w,
            h: self.h,
            index: self.index,
        });
        flow.y += self.h;
    }
}

/// A block measured and wrapped, ready to place.
enum Prepared {
    Title(Title),
    Lines(TextStyle, Vec<String>),
    Bullets(Vec<Vec<String>>),
    Table(TableLayout),
    Chart(ChartBox),
}

impl Prepared {
    /// The space above this block when `previous` comes before it.
    fn gap(&self, previous: Option<&Prepared>) -> f32 {
        match (previous, self) {
            (None | Some(Prepared::Title(_)), _) => 0.0,
            (_, Prepared::Title(_)) => 16.0,
            (_, Prepared::Lines(style, _)) if *style == NOTE => 4.0,
            (_, Prepared::Lines(..) | Prepared::Bullets(_)) => 8.0,
            (_, Prepared::Table(_) | Prepared::Chart(_)) => 14.0,
        }
    }

    /// The height of the block's start, which must be on the same page as a title above it.
    fn lead(&self) -> f32 {
        match self {
            Prepared::Title(title) => title.height(),
            Prepared::Lines(style, lines) => style.leading * unbroken_start(lines.len()) as f32,
            Prepared::Bullets(items) => {
                BODY.leading * items.first().map_or(0, |lines| unbroken_start(lines.len())) as f32
            }
            Prepared::Table(table) => table.lead(),
            Prepared::Chart(chart) => chart.height(),
        }
    }
}

/// The height that has to fit below the cursor for a title of `title` height, followed by
/// `blocks[at..]`, so that the title does not end a page: the title, any titles right below it,
/// and the start of the first other block. A chart belongs with its title: if text leads up to
/// a chart, the whole text and the chart count, as long as that fits on one page.
fn keep_with_title(title: f32, blocks: &[Prepared], at: usize) -> f32 {
    let mut height = title;
    let mut first_start = None;
    let mut previous = None;
    for block in &blocks[at.min(blocks.len())..] {
        let gap = block.gap(previous);
        match block {
            Prepared::Title(_) if first_start.is_some() => break,
            Prepared::Title(_) => height += gap + block.lead(),
            Prepared::Lines(style, lines) => {
                first_start.get_or_insert(height + gap + block.lead());
                height += gap + style.leading * lines.len() as f32;
            }
            Prepared::Chart(chart) => {
                height += gap + chart.height();
                if height <= BOTTOM - TOP {
                    return height;
                }
                first_start.get_or_insert(height);
                break;
            }
            Prepared::Bullets(_) | Prepared::Table(_) => {
                first_start.get_or_insert(height + gap + block.lead());
                break;
            }
        }
        previous = Some(block);
    }
    first_start.unwrap_or(height)
}

/// The body's pages: page 0 is the first page after the table of contents.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Body {
    pub pages: Vec<Page>,
    pub anchors: Vec<Anchor>,
}

/// Lays out the sections; `charts` are the charts' sizes in document order.
pub(super) fn body(doc: &Document, fonts: &'static Fonts, charts: &[(f32, f32)]) -> Body {
    let mut flow = Flow::new(fonts);
    let mut anchors = Vec::new();
    let mut next_chart = 0;
    for (i, section) in doc.sections.iter().enumerate() {
        if i > 0 {
            flow.new_page();
        }
        let blocks = prepare(doc, section, i + 1, fonts, charts, &mut next_chart);
        let title = Title::new(fonts, 1, (i + 1).to_string(), &section.title, &section.id);
        flow.need(keep_with_title(title.height(), &blocks, 0));
        anchors.push(title.place(&mut flow));
        let mut previous = None;
        for (at, block) in blocks.iter().enumerate() {
            flow.space(block.gap(previous));
            match block {
                Prepared::Title(title) => {
                    flow.need(keep_with_title(title.height(), &blocks, at + 1));
                    anchors.push(title.place(&mut flow));
                }
                Prepared::Lines(style, lines) => flow.lines(LEFT, *style, lines, None),
                Prepared::Bullets(items) => {
                    for (k, lines) in items.iter().enumerate() {
                        if k > 0 {
                            flow.space(3.0);
                        }
                        let marker = Some((LEFT + 3.0, "•"));
                        flow.lines(LEFT + BULLET_INDENT, BODY, lines, marker);
                    }
                }
                Prepared::Table(table) => table.place(&mut flow, note_after(&blocks, at)),
                Prepared::Chart(chart) => chart.place(&mut flow, note_after(&blocks, at)),
            }
            previous = Some(block);
        }
    }
    Body {
        pages: flow.pages,
        anchors,
    }
}

/// The height of the start of a note right after `blocks[at]` (which it belongs to), or 0.
fn note_after(blocks: &[Prepared], at: usize) -> f32 {
    match blocks.get(at + 1) {
        Some(note @ Prepared::Lines(style, _)) if *style == NOTE => {
            note.gap(blocks.get(at)) + note.lead()
        }
        _ => 0.0,
    }
}

fn prepare(
    doc: &Document,
    section: &Section,
    number: usize,
    fonts: &Fonts,
    charts: &[(f32, f32)],
    next_chart: &mut usize,
) -> Vec<Prepared> {
    let body = fonts.face(Weight::Regular);
    let wrap = |style: TextStyle, text: &str, width: f32| {
        fonts.face(style.weight).wrap(text, style.size, width)
    };
    let mut headings = 0;
    let mut out = Vec::with_capacity(section.blocks.len());
    for block in &section.blocks {
        out.push(match block {
            Block::Heading { id, text } => {
                headings += 1;
                let number = format!("{number}.{headings}");
                Prepared::Title(Title::new(fonts, 2, number, text, id))
            }
            Block::Paragraph(text) => Prepared::Lines(BODY, wrap(BODY, text, WIDTH)),
            Block::Note(text) => Prepared::Lines(NOTE, wrap(NOTE, text, WIDTH)),
            Block::Bullets(items) => Prepared::Bullets(
                items
                    .iter()
                    .map(|item| body.wrap(item, BODY.size, WIDTH - BULLET_INDENT))
                    .filter(|lines| !lines.is_empty())
                    .collect(),
            ),
            Block::Table(table) => Prepared::Table(TableLayout::new(fonts, table, doc.lang)),
            Block::Chart(chart) => {
                let index = *next_chart;
                *next_chart += 1;
                let size = charts.get(index).copied().unwrap_or((1.0, 1.0));
                Prepared::Chart(ChartBox::new(fonts, &chart.title, index, size))
            }
        });
    }
    out
}

/// Puts the footer on every page: a rule, the report's title at the left and "Pagina n van m"
/// at the right.
pub(super) fn footers(doc: &Document, fonts: &Fonts, pages: &mut [Page]) {
    let face = fonts.face(style::FOOTER.weight);
    let size = style::FOOTER.size;
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let footer = doc.footer(i + 1, total);
        let footer_width = face.width(&footer, size);
        let title = face.truncate(&doc.title, size, WIDTH - footer_width - 24.0);
        page.items.push(Item::Line {
            x1: LEFT,
            y1: style::FOOTER_RULE,
            x2: RIGHT,
            y2: style::FOOTER_RULE,
            width: 0.5,
            color: style::RULE,
            dotted: false,
        });
        for (x, text) in [(LEFT, title), (RIGHT - footer_width, footer)] {
            if !text.is_empty() {
                page.items.push(Item::Text {
                    x,
                    y: style::FOOTER_BASELINE,
                    size,
                    weight: style::FOOTER.weight,
                    color: style::FOOTER.color,
                    text,
                });
            }
        }
    }
}
