//! Periodic trend reports: one [`document::Document`] built from the trend data for a period
//! and an audience ([`build`]), rendered to self-contained HTML, a PDF (made in-process with
//! krilla), Markdown with PNG charts beside it, and its tables as CSV files and one XLSX
//! workbook. The CLI writes the files to a folder; the server archives them in the store.

pub mod build;
pub mod document;
mod html;
mod markdown;
pub mod pdf;
pub mod svg;
mod tables;

use std::time::Instant;

use ingest::store::{NewReport, ReportFile, Store};

pub use build::{ReportError, Request, Sources, build, last_closed};
use document::Document;
pub use svg::RenderError;

/// An output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Format {
    Html,
    Pdf,
    /// Markdown, with the charts as PNG files in `grafieken/`.
    Md,
    /// Every table as a CSV file in `tabellen/`.
    Csv,
    /// Every table as a sheet of one workbook.
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Pdf,
        Format::Html,
        Format::Md,
        Format::Csv,
        Format::Xlsx,
    ];
}

/// A report made: its document and its files.
#[derive(Debug)]
pub struct Made {
    pub document: Document,
    pub files: Vec<ReportFile>,
}

/// Builds the report `request` asks for and renders it in `formats`.
pub fn make(
    sources: Sources<'_>,
    request: &Request,
    formats: &[Format],
) -> Result<Made, ReportError> {
    let document = build(sources, request)?;
    let files = render(&document, &file_stem(request), formats)?;
    Ok(Made { document, files })
}

/// Keeps a made report in the store's archive; returns its id.
pub fn archive(
    store: &mut Store,
    config: &analysis::trends::TrendConfig,
    request: &Request,
    made: &Made,
    generated_by: &str,
) -> Result<i64, ReportError> {
    let period = build::period(&request.period, config, request.today)?;
    let record = NewReport {
        period: period.label(),
        partial: period.end() > request.today,
        audience: archive_audience(&request.audience).into(),
        region: request.audience.region.clone(),
        programme: request.programme.clone(),
        lang: request.lang.code().into(),
        generated_at: request
            .generated_at
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        generated_by: generated_by.into(),
    };
    Ok(store.add_report(&record, &made.files)?)
}

/// How the archive names an audience: `landelijk` or `programmaleider` (with the region kept
/// beside it).
pub fn archive_audience(audience: &analysis::trends::view::Audience) -> &'static str {
    match audience.role {
        analysis::disclosure::Role::Landelijk => "landelijk",
        analysis::disclosure::Role::Programmaleider => "programmaleider",
    }
}

/// The folder the Markdown's chart images are in.
pub const CHART_DIR: &str = "grafieken";
/// The folder the CSV tables are in.
pub const TABLE_DIR: &str = "tabellen";

/// The report's files' common name: `trendrapport-2026-Q3`, with the programme and the leader's
/// region when there is one.
pub fn file_stem(request: &Request) -> String {
    let mut stem = format!(
        "{}-{}",
        request.lang.pick("trendrapport", "trend-report"),
        request.period.trim().to_uppercase()
    );
    for part in [&request.programme, &request.audience.region]
        .into_iter()
        .flatten()
    {
        stem.push('-');
        stem.push_str(&build::slug(part));
    }
    stem
}

/// Renders `doc` in `formats`; the files are named from `stem` (see [`file_stem`]). The
/// formats are rendered on parallel threads.
pub fn render(
    doc: &Document,
    stem: &str,
    formats: &[Format],
) -> Result<Vec<ReportFile>, RenderError> {
    let mut wanted = formats.to_vec();
    wanted.sort();
    wanted.dedup();
    let results: Vec<Result<Vec<ReportFile>, RenderError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = wanted
            .iter()
            .map(|&format| scope.spawn(move || render_one(doc, stem, format)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(RenderError::Panicked("a report format".into())))
            })
            .collect()
    });
    let mut files = Vec::new();
    for result in results {
        files.extend(result?);
    }
    Ok(files)
}

fn render_one(doc: &Document, stem: &str, format: Format) -> Result<Vec<ReportFile>, RenderError> {
    let started = Instant::now();
    let file = |name: String, media_type: &str, content: Vec<u8>| ReportFile {
        name,
        media_type: media_type.into(),
        content,
    };
    let files = match format {
        Format::Html => vec![file(
            format!("{stem}.html"),
            "text/html; charset=utf-8",
            html::render(doc)?.into_bytes(),
        )],
        Format::Pdf => vec![file(
            format!("{stem}.pdf"),
            "application/pdf",
            pdf::render(doc)?,
        )],
        Format::Md => {
            let mut files = vec![file(
                format!("{stem}.md"),
                "text/markdown; charset=utf-8",
                markdown::render(doc, CHART_DIR).into_bytes(),
            )];
            for chart in doc.charts() {
                files.push(file(
                    format!("{CHART_DIR}/{}.png", chart.name),
                    "image/png",
                    svg::png(&chart.svg, 2.0)
                        .map_err(|e| RenderError::Chart(chart.title.clone(), e.to_string()))?,
                ));
            }
            files
        }
        Format::Csv => doc
            .tables()
            .map(|t| {
                Ok(file(
                    format!("{TABLE_DIR}/{}.csv", t.name),
                    "text/csv; charset=utf-8",
                    tables::csv(t)?,
                ))
            })
            .collect::<Result<_, RenderError>>()?,
        Format::Xlsx => vec![file(
            format!("{stem}-tabellen.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            tables::xlsx(doc)?,
        )],
    };
    tracing::debug!(?format, elapsed = ?started.elapsed(), "report format rendered");
    Ok(files)
}
