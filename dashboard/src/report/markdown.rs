//! Markdown: the report as text, with the charts as PNG images in a folder beside it. Sections
//! and headings are numbered as in the PDF; anchors are explicit, so the contents' links work
//! in any renderer that allows inline HTML.

use std::fmt::Write;

use super::document::{Block, Document, Table};

/// Renders `doc`; chart images are referenced as `{chart_dir}/{name}.png`.
pub fn render(doc: &Document, chart_dir: &str) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_doc(&mut out, doc, chart_dir);
    out
}

fn write_doc(out: &mut String, doc: &Document, chart_dir: &str) -> std::fmt::Result {
    writeln!(out, "# {}\n", inline(&doc.title))?;
    writeln!(
        out,
        "*{}*  \n{}\n",
        inline(&doc.subtitle),
        inline(&doc.generated)
    )?;
    writeln!(out, "## {}\n", inline(&doc.contents_title))?;
    for (i, section) in doc.sections.iter().enumerate() {
        writeln!(
            out,
            "{}. [{}](#{})",
            i + 1,
            inline(&section.title),
            section.id
        )?;
        let mut j = 0;
        for block in &section.blocks {
            if let Block::Heading { id, text } = block {
                j += 1;
                writeln!(out, "   - {}.{} [{}](#{id})", i + 1, j, inline(text))?;
            }
        }
    }
    for (i, section) in doc.sections.iter().enumerate() {
        writeln!(out, "\n<a id=\"{}\"></a>\n", section.id)?;
        writeln!(out, "## {} {}\n", i + 1, inline(&section.title))?;
        let mut j = 0;
        for block in &section.blocks {
            match block {
                Block::Heading { id, text } => {
                    j += 1;
                    writeln!(out, "<a id=\"{id}\"></a>\n")?;
                    writeln!(out, "### {}.{j} {}\n", i + 1, inline(text))?;
                }
                Block::Paragraph(text) => writeln!(out, "{}\n", inline(text))?,
                Block::Bullets(items) => {
                    for item in items {
                        writeln!(out, "- {}", inline(item))?;
                    }
                    writeln!(out)?;
                }
                Block::Table(table) => write_table(out, table, doc)?,
                Block::Chart(chart) => writeln!(
                    out,
                    "![{}]({chart_dir}/{}.png)\n",
                    inline(&chart.title),
                    chart.name
                )?,
                Block::Note(text) => writeln!(out, "*{}*\n", inline(text))?,
            }
        }
    }
    Ok(())
}

fn write_table(out: &mut String, table: &Table, doc: &Document) -> std::fmt::Result {
    writeln!(out, "**{}**\n", inline(&table.caption))?;
    let numeric: Vec<bool> = (0..table.columns.len())
        .map(|c| {
            table
                .rows
                .iter()
                .any(|r| r.get(c).is_some_and(super::document::Value::is_numeric))
        })
        .collect();
    let cells: Vec<String> = table.columns.iter().map(|c| cell(c)).collect();
    writeln!(out, "| {} |", cells.join(" | "))?;
    let rule: Vec<&str> = numeric
        .iter()
        .map(|&n| if n { "---:" } else { "---" })
        .collect();
    writeln!(out, "|{}|", rule.join("|"))?;
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|v| cell(&v.display(doc.lang))).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    writeln!(out)
}

/// Text on one line, with the characters Markdown would read as markup escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn cell(text: &str) -> String {
    let text = inline(text);
    if text.is_empty() { " ".into() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_the_text_is_escaped() {
        assert_eq!(
            inline("a *b* [c](d) <e>\nf|g"),
            r"a \*b\* \[c\](d) \<e\> f\|g"
        );
    }
}
