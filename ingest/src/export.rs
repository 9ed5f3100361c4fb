//! Export of the stored (anonymised) items as CSV or XLSX: one item per row with its session's
//! columns, headed by the same Dutch column names as the input format plus the content ids.
//!
//! Parquet is deliberately not offered: polars' `parquet` feature pulls in its streaming engine
//! and cloud I/O (about 264 extra crates) for a table that CSV or XLSX carries just as well at
//! this size.

use std::io::Write;

use crate::error::Result;
use crate::parse::Field;
use crate::store::{ExportRow, Store};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// `;`-separated UTF-8 with a BOM, which Dutch Excel opens without a wizard.
    Csv,
    Xlsx,
}

/// The column headers of an export.
pub fn headers() -> Vec<&'static str> {
    let mut headers = vec!["item", "sessie"];
    headers.extend(Field::ALL.iter().map(|f| f.dutch()));
    headers
}

fn cells(row: &ExportRow) -> Vec<String> {
    let yes_no = |b: Option<bool>| {
        b.map(|b| if b { "ja" } else { "nee" }.to_owned())
            .unwrap_or_default()
    };
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    // Same order as Field::ALL.
    vec![
        row.item_id.clone(),
        row.session_id.clone(),
        row.date.clone(),
        row.programme.clone(),
        row.group.clone(),
        row.mode.clone().unwrap_or_default(),
        yes_no(row.moderated),
        number(row.participants),
        row.regions_present.clone(),
        number(row.cases_submitted),
        number(row.cases_discussed),
        row.evaluation_tags.clone(),
        number(row.score),
        yes_no(row.next_meeting_planned),
        row.kind.clone(),
        row.region.clone(),
        row.text.clone(),
        row.themes.clone(),
        row.escalate.clone().unwrap_or_default(),
    ]
}

/// A CSV cell that a spreadsheet will not run as a formula: a text starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'` (which Excel and LibreOffice show as
/// text and hide). Plain numbers ("-3", "+1.5") are left alone. Every CSV this product writes
/// passes its cells through here; XLSX cells are written as strings and need no such care.
pub fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = cell.parse::<f64>().is_ok_and(f64::is_finite);
    if risky && !number {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Writes every stored item as CSV; returns the number of rows.
pub fn write_csv(store: &Store, out: impl Write) -> Result<usize> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())
        .map_err(csv::Error::from)?;
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
    writer.write_record(headers())?;
    let mut n = 0;
    store.for_each_row(|row| {
        writer.write_record(cells(&row).iter().map(|c| csv_cell(c).into_owned()))?;
        n += 1;
        Ok(())
    })?;
    writer.flush().map_err(csv::Error::from)?;
    Ok(n)
}

/// Writes every stored item as an XLSX workbook; returns the number of rows.
pub fn write_xlsx(store: &Store, path: &std::path::Path) -> Result<usize> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Items")?;
    let bold = Format::new().set_bold();
    for (col, header) in headers().iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold)?;
    }
    let mut n = 0u32;
    store.for_each_row(|row| {
        n += 1;
        for (col, cell) in cells(&row).iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(n, col as u16, cell)?;
            }
        }
        Ok(())
    })?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, n, (headers().len() - 1) as u16)?;
    sheet.set_column_width(16, 80)?;
    workbook.save(path)?;
    Ok(n as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_look_like_formulas_become_text() {
        for (cell, safe) in [
            (
                "=HYPERLINK(\"http://evil.example\",\"klik\")",
                "'=HYPERLINK(\"http://evil.example\",\"klik\")",
            ),
            ("+31 6 1234", "'+31 6 1234"),
            ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
            ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("-3", "-3"),
            ("+1.5", "+1.5"),
            ("Werkdruk = hoog", "Werkdruk = hoog"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell), safe, "{cell}");
        }
    }

    /// The export of stored items: a text that starts like a formula is written as text.
    #[test]
    fn csv_export_writes_no_formula() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let regions = crate::region::RegionRegistry::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/sample/regions.toml"),
        )
        .unwrap();
        let anonymiser = crate::anonymise::Anonymiser::new();
        let line = r#"{"date": "2026-10-01", "group": "G1", "items": [{"kind": "signaal", "region": "Achterhoek", "text": "=HYPERLINK(\"http://evil.example\",\"klik\")"}, {"kind": "signaal", "region": "Achterhoek", "text": "@SUM(1+1)*cmd"}]}"#;
        let parsed =
            crate::parse::parse_bytes(crate::parse::Format::JsonLines, "f.jsonl", line.as_bytes())
                .unwrap();
        struct Quiet;
        impl crate::batch::Progress for Quiet {}
        crate::batch::Pipeline::new(&regions, &anonymiser)
            .ingest_parsed(
                &mut store,
                vec![("f.jsonl".into(), Ok(parsed))],
                &Default::default(),
                &Quiet,
            )
            .unwrap();
        let mut out = Vec::new();
        assert_eq!(write_csv(&store, &mut out).unwrap(), 2);
        let text = String::from_utf8(out).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(!cell.starts_with(['=', '+', '@']), "{cell}");
            }
        }
    }
}
