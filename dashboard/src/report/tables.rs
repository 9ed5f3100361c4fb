//! The report's tables as CSV files (comma-separated, a point as decimal separator,
//! percentages as numbers 0–100) and as one XLSX workbook with a sheet per table, opened by a
//! contents sheet. Both hold the same numbers.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::document::{Document, Table, Value};
use super::svg::RenderError;

/// The contents sheet's name; table names never clash with it (they have a dash or are longer).
pub const CONTENTS_SHEET: &str = "inhoud";

/// The column labels, with " (%)" on columns of percentages: the files hold them as numbers.
pub fn headers(table: &Table) -> Vec<String> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(c, label)| {
            if table
                .rows
                .iter()
                .any(|r| matches!(r.get(c), Some(Value::Percent(_))))
            {
                format!("{label} (%)")
            } else {
                label.clone()
            }
        })
        .collect()
}

pub fn csv(table: &Table) -> Result<Vec<u8>, RenderError> {
    let table_error = |e: csv::Error| RenderError::Table(format!("{}: {e}", table.name));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(
        headers(table)
            .iter()
            .map(|h| ingest::export::csv_cell(h).into_owned()),
    )
    .map_err(table_error)?;
    for row in &table.rows {
        w.write_record(
            row.iter()
                .map(|v| ingest::export::csv_cell(&v.plain()).into_owned()),
        )
        .map_err(table_error)?;
    }
    w.into_inner()
        .map_err(|e| RenderError::Table(format!("{}: {e}", table.name)))
}

pub fn xlsx(doc: &Document) -> Result<Vec<u8>, RenderError> {
    workbook(doc).map_err(|e| RenderError::Table(format!("workbook: {e}")))
}

fn workbook(doc: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // The same data gives the same bytes: no clock in the document properties.
    let properties = rust_xlsxwriter::DocProperties::new()
        .set_title(&doc.title)
        .set_creation_datetime(&rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1)?);
    book.set_properties(&properties);
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_background_color("#E8EEF4")
        .set_text_wrap();
    let percent = Format::new().set_num_format("0.0");
    let contents = book.add_worksheet().set_name(CONTENTS_SHEET)?;
    contents.write_string_with_format(0, 0, &doc.title, &bold)?;
    contents.write_string(1, 0, &doc.subtitle)?;
    contents.write_string(2, 0, &doc.generated)?;
    contents.write_string_with_format(4, 0, doc.lang.pick("Blad", "Sheet"), &bold)?;
    contents.write_string_with_format(4, 1, doc.lang.pick("Tabel", "Table"), &bold)?;
    for (i, table) in doc.tables().enumerate() {
        contents.write_string(5 + i as u32, 0, &table.name)?;
        contents.write_string(5 + i as u32, 1, &table.caption)?;
    }
    contents.set_column_width(0, 24)?;
    contents.set_column_width(1, 70)?;
    for table in doc.tables() {
        let sheet = book.add_worksheet().set_name(&table.name)?;
        for (c, label) in headers(table).iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, label, &header)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, value) in row.iter().enumerate() {
                let c = c as u16;
                match value {
                    Value::Text(t) | Value::Withheld(t) => {
                        sheet.write_string(r, c, t)?;
                    }
                    Value::Int(n) | Value::Signed(n) => {
                        sheet.write_number(r, c, *n as f64)?;
                    }
                    Value::Decimal(x, _) => {
                        sheet.write_number(r, c, *x)?;
                    }
                    // As the CSV: a percentage 0–100, one decimal shown.
                    Value::Percent(x) => {
                        sheet.write_number_with_format(r, c, 100.0 * x, &percent)?;
                    }
                    Value::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofit();
    }
    book.save_to_buffer()
}
