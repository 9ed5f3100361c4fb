//! The report as a PDF, made in-process: A4 pages with a title page and a linked table of
//! contents, numbered sections and headings, tables, charts as vectors, a footer with page
//! numbers, an outline and the document's title and language. The same document always gives
//! the same bytes.
//!
//! krilla writes the PDF (fonts embedded as subsets, text extractable) and krilla-svg draws the
//! charts, but neither lays anything out, so this module does: text is measured with the
//! embedded fonts (`text`), wrapped, and placed on pages (`layout`, `table`, `contents`) as a
//! list of positioned items per page, which `paint` then writes. `style` holds the page
//! geometry, type sizes and colours.
//!
//! Layout runs in two passes because the front of the report depends on the rest:
//! 1. the body (the sections) is laid out first, counting its pages from 0, which gives every
//!    section and heading its page;
//! 2. the title page and table of contents are laid out with those page numbers moved by the
//!    number of front pages. That number is first guessed as 1; if the contents need more pages,
//!    the body's page numbers shift and the contents are laid out again with the new count
//!    (the page numbers' widths can change their wrapping), until the count holds. The body does
//!    not move when the front grows, so only the contents are repeated.
//!
//! Only then is the total known, for the "Pagina n van m" footers.

mod contents;
#[cfg(test)]
mod fixture;
mod layout;
mod paint;
mod style;
mod table;
mod text;

use super::document::Document;
use super::svg::{self, RenderError};
use layout::{Anchor, Page};
use text::Fonts;

/// Renders `doc` as a PDF. Fails only if a chart's SVG cannot be read (the error names the
/// chart) or krilla cannot write the file.
pub fn render(doc: &Document) -> Result<Vec<u8>, RenderError> {
    let fonts = Fonts::get()?;
    let charts = doc
        .charts()
        .map(|chart| {
            svg::tree(&chart.svg)
                .map_err(|e| RenderError::Chart(chart.title.clone(), e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sizes: Vec<(f32, f32)> = charts
        .iter()
        .map(|tree| (tree.size().width(), tree.size().height()))
        .collect();
    let (pages, anchors) = lay_out(doc, fonts, &sizes);
    paint::pdf(doc, fonts, &pages, &anchors, &charts)
}

/// Every page of the document with its footer, and the numbered titles with their (0-based)
/// pages. `charts` are the charts' sizes, in document order.
fn lay_out(
    doc: &Document,
    fonts: &'static Fonts,
    charts: &[(f32, f32)],
) -> (Vec<Page>, Vec<Anchor>) {
    let body = layout::body(doc, fonts, charts);
    let mut front = 1;
    let mut pages = loop {
        let pages = contents::pages(doc, fonts, &body.anchors, front);
        // `front` only grows, and the contents' length is bounded: this ends.
        if pages.len() <= front {
            break pages;
        }
        front = pages.len();
    };
    // Contents that shrank when their page numbers grew keep the pages they were counted with.
    pages.resize_with(front, Page::default);
    pages.extend(body.pages);
    let anchors = (body.anchors.into_iter())
        .map(|a| Anchor {
            page: a.page + front,
            ..a
        })
        .collect();
    layout::footers(doc, fonts, &mut pages);
    (pages, anchors)
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::process::{Command, Stdio};

    use super::super::document::{Block, Chart, Section};
    use super::layout::Item;
    use super::style::{BOTTOM, LEFT, RIGHT, TOP};
    use super::*;

    fn sizes(doc: &Document) -> Vec<(f32, f32)> {
        doc.charts()
            .map(|c| {
                let tree = svg::tree(&c.svg).unwrap();
                (tree.size().width(), tree.size().height())
            })
            .collect()
    }

    /// The text of `pdf` (of page `page` only, 1-based, if given) by poppler's `pdftotext`, or
    /// `None` if it is not installed.
    fn pdftotext(pdf: &[u8], page: Option<usize>, layout: bool) -> Option<String> {
        let mut command = Command::new("pdftotext");
        if let Some(page) = page {
            command.args(["-f", &page.to_string(), "-l", &page.to_string()]);
        }
        if layout {
            command.arg("-layout");
        }
        let child = command
            .args(["-enc", "UTF-8", "-", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        let mut child = match child {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                println!("pdftotext is not installed: skipping the text checks");
                return None;
            }
            Err(e) => panic!("pdftotext: {e}"),
        };
        child.stdin.take().unwrap().write_all(pdf).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "pdftotext failed");
        Some(String::from_utf8(out.stdout).unwrap())
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let doc = fixture::document();
        let pdf = render(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() > 10_000);
        assert_eq!(pdf, render(&doc).unwrap(), "two renderings differ");
        assert!(!String::from_utf8_lossy(&pdf).contains("CreationDate"));
    }

    #[test]
    fn the_text_can_be_extracted_with_its_accents_and_page_numbers() {
        let doc = fixture::document();
        let pdf = render(&doc).unwrap();
        let Some(text) = pdftotext(&pdf, None, false) else {
            return;
        };
        let pages = text.matches('\u{c}').count();
        let (laid, _) = lay_out(&doc, Fonts::get().unwrap(), &sizes(&doc));
        assert_eq!(pages, laid.len());
        assert!(pages >= 6, "{pages} pages");
        for expected in [
            "Trendrapport 2026-Q3",
            "ideeën, coöperatie, één",
            "2 Thema's",
            "2.1 Werkdruk docenten",
            "Lerarenopleiding coöperatie 17",
            "12,5 %",
            "−12",
            "+16",
            "Kwartaal (één)",
            "Meldingen per kwartaal",
            &format!("Pagina 1 van {pages}"),
            &format!("Pagina {pages} van {pages}"),
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} not in the text:\n{text}"
            );
        }
        // The long table goes on over a page break, with its header repeated there.
        assert!(text.matches(fixture::LONG_TABLE_HEADER).count() >= 2);
    }

    /// The lines of a text, their runs of white space made one space.
    fn lines(text: &str) -> impl Iterator<Item = String> {
        text.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The page number the table of contents gives for `entry`.
    fn contents_page(contents: &str, entry: &str) -> usize {
        let line = lines(contents)
            .find(|l| l.starts_with(&format!("{entry} ")))
            .unwrap_or_else(|| panic!("{entry:?} not in the contents:\n{contents}"));
        let number = line.split_whitespace().last().unwrap();
        number
            .parse()
            .unwrap_or_else(|_| panic!("no page number in {line:?}"))
    }

    fn assert_contents_point_at_their_pages(doc: &Document, entries: &[&str]) {
        let pdf = render(doc).unwrap();
        let Some(contents) = pdftotext(&pdf, Some(1), true) else {
            return;
        };
        // The contents end where section 1 starts.
        let first = contents_page(&contents, entries[0]);
        let contents = (2..first).fold(contents, |all, page| {
            all + &pdftotext(&pdf, Some(page), true).unwrap()
        });
        for entry in entries {
            let page = contents_page(&contents, entry);
            let text = pdftotext(&pdf, Some(page), false).unwrap();
            assert!(
                lines(&text).any(|l| l == *entry),
                "{entry:?} not on page {page}:\n{text}"
            );
            assert!(text.contains(&format!("Pagina {page} van ")), "{text}");
        }
    }

    #[test]
    fn the_contents_point_at_the_right_pages() {
        assert_contents_point_at_their_pages(
            &fixture::document(),
            &[
                "1 Samenvatting",
                "2 Thema's",
                "2.2 Meldingen per programma",
                "2.3 Verloop per kwartaal",
                "3 Verantwoording",
            ],
        );
    }

    #[test]
    fn a_long_contents_continues_on_the_next_page_and_its_numbers_still_hold() {
        let mut doc = fixture::document();
        for i in 0..40 {
            doc.sections.push(Section {
                id: format!("extra-{i}"),
                title: format!("Extra hoofdstuk {i}"),
                blocks: vec![
                    Block::Heading {
                        id: format!("extra-{i}-a"),
                        text: "Eerste deel".into(),
                    },
                    Block::Paragraph("Tekst.".into()),
                ],
            });
        }
        let (pages, anchors) = lay_out(&doc, Fonts::get().unwrap(), &sizes(&doc));
        let front = anchors[0].page;
        assert!(front >= 2, "the contents fit on {front} page");
        // The body starts right after the contents, and the contents link to the anchors' pages.
        let links: Vec<usize> = (pages[..front].iter())
            .flat_map(|p| &p.items)
            .filter_map(|i| match i {
                Item::Link { page, .. } => Some(*page),
                _ => None,
            })
            .collect();
        assert_eq!(links, anchors.iter().map(|a| a.page).collect::<Vec<_>>());
        assert_contents_point_at_their_pages(
            &doc,
            &[
                "1 Samenvatting",
                "3 Verantwoording",
                "44 Extra hoofdstuk 39",
            ],
        );
    }

    #[test]
    fn nothing_is_drawn_outside_the_text_area_and_no_title_ends_a_page() {
        let doc = fixture::document();
        let fonts = Fonts::get().unwrap();
        let (pages, anchors) = lay_out(&doc, fonts, &sizes(&doc));
        for (n, page) in pages.iter().enumerate() {
            for item in &page.items {
                let (left, right, top, bottom) = match item {
                    Item::Text {
                        x,
                        y,
                        size,
                        weight,
                        text,
                        ..
                    } => {
                        let w = fonts.face(*weight).width(text, *size);
                        (*x, x + w, y - size, *y)
                    }
                    Item::Line { x1, x2, y1, y2, .. } => {
                        (x1.min(*x2), x1.max(*x2), y1.min(*y2), y1.max(*y2))
                    }
                    Item::Rect { x, y, w, h, .. }
                    | Item::Chart { x, y, w, h, .. }
                    | Item::Link { x, y, w, h, .. } => (*x, x + w, *y, y + h),
                };
                let footer = top > BOTTOM + 10.0;
                assert!(
                    left >= LEFT - 0.01
                        && right <= RIGHT + 0.01
                        && top >= TOP - 12.0
                        && (bottom <= BOTTOM + 0.01 || footer),
                    "page {}: {item:?} is outside the text area",
                    n + 1
                );
            }
        }
        // Below every section or heading title there is more on its page (but for the empty
        // last section).
        for anchor in anchors.iter().filter(|a| a.id != "bijlage") {
            let below = pages[anchor.page].items.iter().any(|item| match item {
                Item::Text { y, .. } | Item::Rect { y, .. } | Item::Chart { y, .. } => {
                    *y > anchor.y + 40.0 && *y < BOTTOM
                }
                _ => false,
            });
            assert!(
                below,
                "{} {} is alone at the bottom of page {}",
                anchor.number,
                anchor.title,
                anchor.page + 1
            );
        }
        // The chart is on the same page as its heading.
        let chart_page =
            (pages.iter()).position(|p| p.items.iter().any(|i| matches!(i, Item::Chart { .. })));
        let werkdruk = anchors.iter().find(|a| a.id == "thema-werkdruk").unwrap();
        assert_eq!(chart_page, Some(werkdruk.page));
    }

    #[test]
    fn odd_documents_render() {
        let mut doc = fixture::document();
        doc.sections.clear();
        assert!(render(&doc).unwrap().starts_with(b"%PDF-"));
        doc.title = String::new();
        doc.sections.push(Section {
            id: String::new(),
            title: String::new(),
            blocks: vec![],
        });
        doc.sections.push(Section {
            id: "x".into(),
            title: "Kop aan het eind".into(),
            blocks: vec![
                Block::Paragraph(String::new()),
                Block::Bullets(vec![]),
                Block::Bullets(vec![String::new(), "één".into()]),
                Block::Note(" ".into()),
                Block::Heading {
                    id: "x".into(),
                    text: "Laatste kop".into(),
                },
            ],
        });
        assert!(render(&doc).unwrap().starts_with(b"%PDF-"));
    }

    #[test]
    fn a_chart_that_does_not_parse_is_an_error_naming_it() {
        let mut doc = fixture::document();
        doc.sections[0].blocks.push(Block::Chart(Chart {
            name: "kapot".into(),
            title: "Kapotte grafiek".into(),
            svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"><g>".into(),
            width: 10,
            height: 10,
        }));
        let error = render(&doc).unwrap_err();
        assert!(matches!(error, RenderError::Chart(ref title, _) if title == "Kapotte grafiek"));
        assert!(error.to_string().contains("Kapotte grafiek"), "{error}");
    }
}
