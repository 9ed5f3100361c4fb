//! The import template `data/templates/sessies.xlsx` that a moderator fills in: the sheet
//! "Sessies" with the Dutch column headers and drop-down lists for the fixed choices, a sheet
//! "Toelichting" explaining every column, and a hidden list of regions for the drop-down.
//! `signaalradar template` writes it; a test keeps the committed copy in step with this code.

use std::path::Path;

use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Formula, Workbook};

use crate::error::Result;
use crate::parse::Field;
use crate::record::{Escalation, ItemKind, Mode};
use crate::region::RegionRegistry;

/// Rows that get drop-down lists: enough for a year of one group's sessions.
const FILLABLE_ROWS: u32 = 2000;

/// What the "Toelichting" sheet says about a column.
fn explanation(field: Field) -> &'static str {
    match field {
        Field::Date => "Datum van de bijeenkomst: DD-MM-JJJJ of JJJJ-MM-DD. Verplicht.",
        Field::Programme => "Programma, bijvoorbeeld STO of Samen Opleiden. Leeg = STO.",
        Field::Group => "Code van de intervisiegroep, bijvoorbeeld G07 (geen namen). Verplicht.",
        Field::Mode => "fysiek of online.",
        Field::Moderated => "ja of nee: was er een gespreksleider/technisch voorzitter?",
        Field::Participants => "Aantal deelnemers (1-50).",
        Field::RegionsPresent => "Aanwezige regio's, gescheiden door | (zie het tabblad Regio's).",
        Field::CasesSubmitted => "Aantal ingebrachte casussen.",
        Field::CasesDiscussed => "Aantal besproken casussen (niet meer dan ingebracht).",
        Field::EvaluationTags => {
            "Evaluatietags gescheiden door |, bijvoorbeeld format-te-strak|goed-gemodereerd."
        }
        Field::Score => "Waardering van de bijeenkomst, 1-5.",
        Field::NextMeetingPlanned => "ja of nee: is er een vervolgafspraak?",
        Field::Kind => "Soort punt: casus, advies, signaal of evaluatie. Verplicht.",
        Field::Region => "Regio waar het punt vandaan komt (zie het tabblad Regio's). Verplicht.",
        Field::Text => {
            "Het punt zelf, zonder namen of contactgegevens (die worden toch verwijderd). Max. 4000 tekens. Verplicht."
        }
        Field::Themes => {
            "Thema's (optioneel), gescheiden door |, bijvoorbeeld docent_werkdruk|eigenaarschap."
        }
        Field::Escalate => "Bij signalen: ja, nee of twijfel — moet dit naar landelijk niveau?",
    }
}

/// Writes the template workbook.
pub fn write_template(regions: &RegionRegistry, path: &Path) -> Result<()> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#DDEBF7");
    let wrap = Format::new().set_text_wrap();
    let date = Format::new().set_num_format("dd-mm-yyyy");

    let sheet = workbook.add_worksheet();
    sheet.set_name("Sessies")?;
    for (col, field) in Field::ALL.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, field.dutch(), &bold)?;
        let width = match field {
            Field::Text => 80.0,
            Field::RegionsPresent | Field::EvaluationTags | Field::Themes | Field::Region => 28.0,
            _ => 14.0,
        };
        sheet.set_column_width(col, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let column = |field: Field| Field::ALL.iter().position(|f| *f == field).unwrap_or(0) as u16;
    sheet.set_column_format(column(Field::Date), &date)?;
    sheet.set_column_format(column(Field::Text), &wrap)?;

    let choices = |values: Vec<&str>, title: &str| -> Result<DataValidation> {
        Ok(DataValidation::new()
            .allow_list_strings(&values)?
            .set_error_title(title)?
            .set_error_message(format!("Kies een van: {}", values.join(", ")))?)
    };
    let lists = [
        (
            Field::Mode,
            choices(Mode::ALL.iter().map(|m| m.as_str()).collect(), "Vorm")?,
        ),
        (Field::Moderated, choices(vec!["ja", "nee"], "Gemodereerd")?),
        (
            Field::NextMeetingPlanned,
            choices(vec!["ja", "nee"], "Vervolg gepland")?,
        ),
        (
            Field::Kind,
            choices(ItemKind::ALL.iter().map(|k| k.as_str()).collect(), "Soort")?,
        ),
        (
            Field::Escalate,
            choices(
                Escalation::ALL.iter().map(|e| e.as_str()).collect(),
                "Escaleren",
            )?,
        ),
    ];
    for (field, validation) in &lists {
        let col = column(*field);
        sheet.add_data_validation(1, col, FILLABLE_ROWS, col, validation)?;
    }
    let score = DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(1, 5))
        .set_error_message("Een score is een heel getal van 1 tot en met 5.")?;
    sheet.add_data_validation(
        1,
        column(Field::Score),
        FILLABLE_ROWS,
        column(Field::Score),
        &score,
    )?;
    let region_count = regions.regions().len() as u32;
    let region_list = DataValidation::new()
        .allow_list_formula(Formula::new(format!(
            "='Regio''s'!$A$2:$A${}",
            region_count + 1
        )))
        .set_error_message("Kies een regio uit het tabblad Regio's.")?;
    sheet.add_data_validation(
        1,
        column(Field::Region),
        FILLABLE_ROWS,
        column(Field::Region),
        &region_list,
    )?;

    let help = workbook.add_worksheet();
    help.set_name("Toelichting")?;
    help.write_string_with_format(0, 0, "kolom", &bold)?;
    help.write_string_with_format(0, 1, "Engelse naam", &bold)?;
    help.write_string_with_format(0, 2, "toelichting", &bold)?;
    for (row, field) in Field::ALL.iter().enumerate() {
        let row = row as u32 + 1;
        help.write_string(row, 0, field.dutch())?;
        help.write_string(row, 1, field.english())?;
        help.write_string_with_format(row, 2, explanation(*field), &wrap)?;
    }
    let note_row = Field::ALL.len() as u32 + 2;
    help.write_string(
        note_row,
        0,
        "Eén rij per punt; de kolommen van de bijeenkomst (datum tot en met vervolg gepland) herhaalt u op elke rij van dezelfde bijeenkomst.",
    )?;
    help.set_column_width(0, 22)?;
    help.set_column_width(1, 22)?;
    help.set_column_width(2, 90)?;

    let list = workbook.add_worksheet();
    list.set_name("Regio's")?;
    list.write_string_with_format(0, 0, "regio", &bold)?;
    for (row, name) in regions.names().enumerate() {
        list.write_string(row as u32 + 1, 0, name)?;
    }
    list.set_column_width(0, 32)?;

    workbook.save(path)?;
    Ok(())
}
