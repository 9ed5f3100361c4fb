//! Self-contained HTML: one file with its CSS inline and the charts as inline SVG, numbered
//! like the PDF, that prints well (A4, charts and table rows kept whole).

use askama::Template;

use super::document::{Block, Document, Value};
use super::svg::RenderError;

static CSS: &str = include_str!("../../assets/report.css");

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    doc: &'a Document,
    css: &'static str,
    sections: Vec<SectionView<'a>>,
}

struct SectionView<'a> {
    number: usize,
    id: &'a str,
    title: &'a str,
    /// (number, id, text) of the sub-headings, for the contents.
    headings: Vec<(String, &'a str, &'a str)>,
    blocks: Vec<BlockView<'a>>,
}

enum BlockView<'a> {
    Heading {
        number: String,
        id: &'a str,
        text: &'a str,
    },
    Paragraph(&'a str),
    Bullets(&'a [String]),
    Table {
        caption: &'a str,
        columns: Vec<(&'a str, bool)>,
        rows: Vec<Vec<(String, bool)>>,
    },
    /// Our own SVG (plotters output with escaped text), inserted as is, and its title.
    Chart {
        svg: &'a str,
        title: &'a str,
    },
    Note(&'a str),
}

pub fn render(doc: &Document) -> Result<String, RenderError> {
    let sections = doc
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| {
            let number = i + 1;
            let mut j = 0;
            let blocks: Vec<BlockView<'_>> = section
                .blocks
                .iter()
                .map(|block| match block {
                    Block::Heading { id, text } => {
                        j += 1;
                        BlockView::Heading {
                            number: format!("{number}.{j}"),
                            id,
                            text,
                        }
                    }
                    Block::Paragraph(text) => BlockView::Paragraph(text),
                    Block::Bullets(items) => BlockView::Bullets(items),
                    Block::Table(table) => {
                        let numeric: Vec<bool> = (0..table.columns.len())
                            .map(|c| {
                                table
                                    .rows
                                    .iter()
                                    .any(|r| r.get(c).is_some_and(Value::is_numeric))
                            })
                            .collect();
                        BlockView::Table {
                            caption: &table.caption,
                            columns: table
                                .columns
                                .iter()
                                .zip(&numeric)
                                .map(|(c, &n)| (c.as_str(), n))
                                .collect(),
                            rows: table
                                .rows
                                .iter()
                                .map(|row| {
                                    row.iter()
                                        .map(|v| (v.display(doc.lang), v.is_numeric()))
                                        .collect()
                                })
                                .collect(),
                        }
                    }
                    Block::Chart(chart) => BlockView::Chart {
                        svg: &chart.svg,
                        title: &chart.title,
                    },
                    Block::Note(text) => BlockView::Note(text),
                })
                .collect();
            let headings = blocks
                .iter()
                .filter_map(|b| match b {
                    BlockView::Heading { number, id, text } => Some((number.clone(), *id, *text)),
                    _ => None,
                })
                .collect();
            SectionView {
                number,
                id: &section.id,
                title: &section.title,
                headings,
                blocks,
            }
        })
        .collect();
    Page {
        doc,
        css: CSS,
        sections,
    }
    .render()
    .map_err(|e| RenderError::Html(e.to_string()))
}
