//! `signaalradar template`: the XLSX import template.

use crate::cli::{Global, TemplateArgs};

pub fn run(global: &Global, args: &TemplateArgs) -> anyhow::Result<()> {
    let regions = super::regions(global)?;
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    ingest::template::write_template(&regions, &args.out)?;
    println!("wrote {}", args.out.display());
    Ok(())
}
