//! `signaalradar export`: the stored, anonymised items as CSV or XLSX.

use anyhow::Context;

use crate::cli::{ExportArgs, ExportFormat, Global};

pub fn run(global: &Global, args: &ExportArgs) -> anyhow::Result<()> {
    let store = super::ingest_files::open_store(&global.store)?;
    let rows = match (args.format, &args.out) {
        (ExportFormat::Csv, None) => ingest::export::write_csv(&store, std::io::stdout().lock())?,
        (ExportFormat::Csv, Some(path)) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            ingest::export::write_csv(&store, std::io::BufWriter::new(file))?
        }
        (ExportFormat::Xlsx, out) => {
            let path = out
                .clone()
                .unwrap_or_else(|| "signaalradar-export.xlsx".into());
            let rows = ingest::export::write_xlsx(&store, &path)?;
            eprintln!("wrote {}", path.display());
            rows
        }
    };
    eprintln!("exported {rows} items");
    store.audit(
        &super::actor(),
        ingest::store::AuditAction::Export,
        serde_json::json!({
            "format": match args.format {
                ExportFormat::Csv => "csv",
                ExportFormat::Xlsx => "xlsx",
            },
            "items": rows,
        }),
    )?;
    Ok(())
}
