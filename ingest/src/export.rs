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

/// Writes every stored item as CSV; returns the number of rows.
pub fn write_csv(store: &Store, out: impl Write) -> Result<usize> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())
        .map_err(csv::Error::from)?;
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
    writer.write_record(headers())?;
    let mut n = 0;
    store.for_each_row(|row| {
        writer.write_record(cells(&row))?;
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
