//! Writes the laid-out pages with krilla: text as real text in the embedded (subsetted) DejaVu
//! Sans, rules and boxes as paths, charts as vectors, the contents' links, the outline, named
//! destinations for the section and heading ids, and the document's title and language.

use std::sync::LazyLock;

use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::{NamedDestination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineCap, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla_svg::{SurfaceExt, SvgSettings};

use super::super::document::Document;
use super::super::svg::{DEJAVU_SANS, DEJAVU_SANS_BOLD, RenderError};
use super::contents::LEADER_PITCH;
use super::layout::{Anchor, Item, Page};
use super::style::{PAGE_HEIGHT, PAGE_WIDTH, Rgb};
use super::text::{Fonts, Weight};

/// krilla's handles of the two faces, made once per process: krilla embeds a face once per
/// document however often it is used.
static FACES: LazyLock<Option<[Font; 2]>> = LazyLock::new(|| {
    Some([
        Font::new(DEJAVU_SANS.into(), 0)?,
        Font::new(DEJAVU_SANS_BOLD.into(), 0)?,
    ])
});

/// The PDF of `pages`; `charts` are the document's charts in order, `anchors` its numbered
/// titles (for the outline and the named destinations).
pub(super) fn pdf(
    doc: &Document,
    fonts: &Fonts,
    pages: &[Page],
    anchors: &[Anchor],
    charts: &[usvg::Tree],
) -> Result<Vec<u8>, RenderError> {
    let [regular, bold] = FACES
        .as_ref()
        .ok_or(RenderError::Font("DejaVu Sans (krilla)"))?;
    let size =
        Size::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(RenderError::Pdf("page size".into()))?;
    let mut pdf = krilla::Document::new();
    for page_items in pages {
        // No page labels: viewers then number the pages 1..n, as the footers do.
        let mut page = pdf.start_page_with(PageSettings::new(size));
        let mut surface = page.surface();
        let mut links = Vec::new();
        for item in &page_items.items {
            match item {
                Item::Text {
                    x,
                    y,
                    size,
                    weight,
                    color,
                    text,
                } => {
                    let (font, face) = match weight {
                        Weight::Regular => (regular, fonts.face(Weight::Regular)),
                        Weight::Bold => (bold, fonts.face(Weight::Bold)),
                    };
                    let glyphs: Vec<KrillaGlyph> = (face.glyphs(text).into_iter())
                        .map(|g| {
                            let id = GlyphId::new(u32::from(g.id));
                            KrillaGlyph::new(id, g.advance, 0.0, 0.0, 0.0, g.range, None)
                        })
                        .collect();
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*color)));
                    let start = Point::from_xy(*x, *y);
                    surface.draw_glyphs(start, &glyphs, font.clone(), text, *size, false);
                }
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color,
                    dotted,
                } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, *y1);
                    path.line_to(*x2, *y2);
                    let (line_cap, dash) = if *dotted {
                        let dash = StrokeDash {
                            array: vec![0.0, LEADER_PITCH],
                            offset: 0.0,
                        };
                        (LineCap::Round, Some(dash))
                    } else {
                        (LineCap::Butt, None)
                    };
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: color_of(*color).into(),
                        width: *width,
                        line_cap,
                        dash,
                        ..Stroke::default()
                    }));
                    if let Some(path) = path.finish() {
                        surface.draw_path(&path);
                    }
                }
                Item::Rect { x, y, w, h, color } => {
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        let mut path = PathBuilder::new();
                        path.push_rect(rect);
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(*color)));
                        if let Some(path) = path.finish() {
                            surface.draw_path(&path);
                        }
                    }
                }
                Item::Chart { x, y, w, h, index } => {
                    chart(&mut surface, charts, *index, (*x, *y, *w, *h))?;
                }
                Item::Link { .. } => links.push(item),
            }
        }
        surface.finish();
        for link in links {
            if let Item::Link {
                x,
                y,
                w,
                h,
                page: target,
                target_y,
            } = link
                && let Some(rect) = Rect::from_xywh(*x, *y, *w, *h)
            {
                let target = Target::Destination(destination(*target, *target_y).into());
                let annotation = LinkAnnotation::new(rect, target);
                page.add_annotation(Annotation::new_link(annotation, None));
            }
        }
        page.finish();
    }
    pdf.set_outline(outline(anchors));
    for anchor in anchors {
        if !anchor.id.is_empty() {
            let name = NamedDestination::new(anchor.id.clone(), destination(anchor.page, anchor.y));
            // A second title with the same id keeps the first one's name: no error for that.
            let _first_wins = pdf.register_named_destination(name);
        }
    }
    pdf.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .description(doc.subtitle.clone())
            .language(doc.lang.code().to_owned()),
    );
    pdf.finish().map_err(|e| RenderError::Pdf(e.to_string()))
}

fn chart(
    surface: &mut Surface<'_>,
    charts: &[usvg::Tree],
    index: usize,
    (x, y, w, h): (f32, f32, f32, f32),
) -> Result<(), RenderError> {
    let missing = || RenderError::Pdf(format!("chart {index} could not be placed"));
    let tree = charts.get(index).ok_or_else(missing)?;
    let size = Size::from_wh(w, h).ok_or_else(missing)?;
    surface.push_transform(&Transform::from_translate(x, y));
    let drawn = surface.draw_svg(tree, size, SvgSettings::default());
    surface.pop();
    drawn.ok_or_else(missing)
}

/// A little above a title, so the viewer shows it with some air.
fn destination(page: usize, y: f32) -> XyzDestination {
    XyzDestination::new(page, Point::from_xy(0.0, (y - 12.0).max(0.0)))
}

/// Sections with their headings nested below them.
fn outline(anchors: &[Anchor]) -> Outline {
    let mut outline = Outline::new();
    let mut section: Option<OutlineNode> = None;
    for anchor in anchors {
        let title = format!("{} {}", anchor.number, anchor.title);
        let node = OutlineNode::new(title, destination(anchor.page, anchor.y));
        match (anchor.level, section.as_mut()) {
            (1, _) => {
                if let Some(done) = section.replace(node) {
                    outline.push_child(done);
                }
            }
            (_, Some(parent)) => parent.push_child(node),
            (_, None) => outline.push_child(node),
        }
    }
    if let Some(done) = section {
        outline.push_child(done);
    }
    outline
}

fn color_of(Rgb(r, g, b): Rgb) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

fn fill(color: Rgb) -> Fill {
    Fill {
        paint: color_of(color).into(),
        ..Fill::default()
    }
}
