//! Writing the generated sessions as a set of moderators would: each group's moderator uses one
//! format. JSON Lines with English keys, one session per line; CSV as Dutch Excel saves it
//! ("CSV UTF-8": byte-order mark, `;`, CRLF, Dutch headers, DD-MM-YYYY, ja/nee); and an XLSX
//! workbook like the import template, with real Excel dates.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

use super::{Generated, SourceFile, SynthItem, SynthSession, trends::LAST_DATE};
use crate::error::{Error, Result};
use chrono::Datelike;

/// Column headers of the CSV file, as a moderator typed them in Excel.
const CSV_HEADERS: [&str; 17] = [
    "Datum",
    "Programma",
    "Groep",
    "Vorm",
    "Gemodereerd",
    "Deelnemers",
    "Regio's aanwezig",
    "Casussen ingebracht",
    "Casussen besproken",
    "Evaluatietags",
    "Score",
    "Vervolg gepland",
    "Soort",
    "Regio",
    "Tekst",
    "Thema's",
    "Escaleren",
];

/// Column headers of the XLSX file: the import template's.
const XLSX_HEADERS: [&str; 17] = [
    "datum",
    "programma",
    "groep",
    "vorm",
    "gemodereerd",
    "deelnemers",
    "regio's aanwezig",
    "casussen ingebracht",
    "casussen besproken",
    "evaluatietags",
    "score",
    "vervolg gepland",
    "soort",
    "regio",
    "tekst",
    "thema's",
    "escaleren",
];

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn ja_nee(value: bool) -> &'static str {
    if value { "ja" } else { "nee" }
}

/// One item as a row of cells, session fields repeated; the date is left to the caller.
fn row_cells(session: &SynthSession, item: &SynthItem) -> [String; 16] {
    [
        session.programme.clone(),
        session.group.clone(),
        session.mode.as_str().to_owned(),
        ja_nee(session.moderated).to_owned(),
        session.participants.to_string(),
        session.regions_present.join("|"),
        session.cases_submitted.to_string(),
        session.cases_discussed.to_string(),
        session.evaluation_tags.join("|"),
        session.score.map(|s| s.to_string()).unwrap_or_default(),
        ja_nee(session.next_meeting_planned).to_owned(),
        item.kind.as_str().to_owned(),
        item.region.clone(),
        item.text.clone(),
        item.themes.join("|"),
        item.escalate
            .map(|e| e.as_str().to_owned())
            .unwrap_or_default(),
    ]
}

fn sessions_in(generated: &Generated, file: SourceFile) -> impl Iterator<Item = &SynthSession> {
    generated.sessions.iter().filter(move |s| s.file == file)
}

pub(super) fn jsonl(generated: &Generated) -> Vec<u8> {
    let mut out = Vec::new();
    for session in sessions_in(generated, SourceFile::Jsonl) {
        // Serialising plain structs of strings, numbers and dates to a Vec cannot fail.
        if serde_json::to_writer(&mut out, session).is_ok() {
            out.push(b'\n');
        }
    }
    out
}

pub(super) fn csv(generated: &Generated) -> Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(UTF8_BOM.to_vec());
    writer.write_record(CSV_HEADERS)?;
    for session in sessions_in(generated, SourceFile::Csv) {
        let date = session.date.format("%d-%m-%Y").to_string();
        for item in &session.items {
            let cells = row_cells(session, item);
            writer.write_record(std::iter::once(&date).chain(cells.iter()))?;
        }
    }
    writer
        .into_inner()
        .map_err(|e| Error::CsvWrite(csv::Error::from(e.into_error())))
}

/// Column widths in characters, per column of [`XLSX_HEADERS`].
const XLSX_WIDTHS: [f64; 17] = [
    12.0, 16.0, 8.0, 9.0, 12.0, 11.0, 48.0, 10.0, 10.0, 40.0, 7.0, 10.0, 10.0, 24.0, 90.0, 30.0,
    10.0,
];

/// Columns holding whole numbers: participants, cases submitted and discussed, score.
const NUMERIC_COLUMNS: [u16; 4] = [5, 7, 8, 10];

pub(super) fn xlsx(generated: &Generated) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    // A fixed creation date: the same seed must give byte-identical files.
    let created = ExcelDateTime::from_ymd(
        LAST_DATE.year() as u16,
        LAST_DATE.month() as u8,
        LAST_DATE.day() as u8,
    )?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let header = Format::new().set_bold().set_background_color("#DDEBF7");
    let date_format = Format::new().set_num_format("dd-mm-yyyy");
    let sheet = workbook.add_worksheet();
    sheet.set_name("Sessies")?;
    for (col, (name, width)) in XLSX_HEADERS.iter().zip(XLSX_WIDTHS).enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &header)?;
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut row: u32 = 1;
    for session in sessions_in(generated, SourceFile::Xlsx) {
        let date = ExcelDateTime::from_ymd(
            session.date.year() as u16,
            session.date.month() as u8,
            session.date.day() as u8,
        )?;
        for item in &session.items {
            sheet.write_datetime_with_format(row, 0, &date, &date_format)?;
            let cells = row_cells(session, item);
            for (i, cell) in cells.iter().enumerate() {
                let col = i as u16 + 1;
                // Whole numbers as numbers, as Excel stores what a user types.
                if let (true, Ok(n)) = (NUMERIC_COLUMNS.contains(&col), cell.parse::<u8>()) {
                    sheet.write_number(row, col, f64::from(n))?;
                } else if !cell.is_empty() {
                    sheet.write_string(row, col, cell)?;
                }
            }
            row += 1;
        }
    }
    sheet.autofilter(0, 0, row.saturating_sub(1).max(1), 16)?;
    Ok(workbook.save_to_buffer()?)
}

/// Writes the files that have sessions into `dir` (created if needed), removes stale ones of
/// the same names, and returns the paths written.
pub(super) fn write_all(generated: &Generated, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })?;
    let mut written = Vec::with_capacity(SourceFile::ALL.len());
    for file in SourceFile::ALL {
        let path = dir.join(file.file_name());
        if sessions_in(generated, file).next().is_none() {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::Write { path, source: e });
                }
                _ => continue,
            }
        }
        let bytes = match file {
            SourceFile::Jsonl => jsonl(generated),
            SourceFile::Csv => csv(generated)?,
            SourceFile::Xlsx => xlsx(generated)?,
        };
        std::fs::write(&path, bytes).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}
