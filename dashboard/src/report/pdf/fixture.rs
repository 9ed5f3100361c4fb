//! A report for the tests: several sections, Dutch accents, a table long enough to cross a page
//! break, a table of twelve columns, a plotters chart, and a word too long for a line.

use plotters::prelude::*;

use super::super::document::{Block, Chart, Document, Lang, Section, Table, Value};
use super::super::svg::DEJAVU_SANS;

/// A column label of the long table (it is repeated on each page the table is on).
pub(super) const LONG_TABLE_HEADER: &str = "Meldingen (aantal)";

/// A line chart as the dashboard draws them: plotters' SVG with the embedded font, wrapped in
/// an element with a `viewBox` and `width="100%"`.
pub(super) fn chart_svg() -> String {
    assert!(
        plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS).is_ok(),
        "the font does not register"
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 320)).into_drawing_area();
        root.fill(&WHITE).unwrap();
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(52)
            .build_cartesian_2d(0f64..11f64, 0f64..130f64)
            .unwrap();
        chart
            .configure_mesh()
            .x_desc("Kwartaal (één)")
            .y_desc("Meldingen")
            .draw()
            .unwrap();
        let points = (0..12).map(|x| {
            (
                f64::from(x),
                20.0 + 8.0 * f64::from(x) + f64::from(x % 3) * 9.0,
            )
        });
        chart
            .draw_series(LineSeries::new(points, &RGBColor(0x0b, 0x3c, 0x68)))
            .unwrap();
    }
    let end = svg.find('>').unwrap();
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 760 320" width="100%" preserveAspectRatio="xMinYMin meet" role="img"><title>Meldingen</title>{}"#,
        &svg[end + 1..]
    )
}

fn paragraph(text: &str) -> Block {
    Block::Paragraph(text.into())
}

fn long_table() -> Table {
    let rows = (1..=70)
        .map(|i| {
            vec![
                Value::text(format!("Lerarenopleiding coöperatie {i}")),
                if i % 9 == 0 {
                    Value::Withheld("<3".into())
                } else {
                    Value::Int(i * 37 % 1000)
                },
                if i % 11 == 0 {
                    Value::Empty
                } else {
                    Value::Percent(0.125 + f64::from(i as i32) / 1000.0)
                },
                Value::Decimal(f64::from(i as i32) * 1.25, 2),
            ]
        })
        .collect();
    Table {
        name: "meldingen-per-programma".into(),
        caption: "Tabel 1. Meldingen per programma, derde kwartaal 2026".into(),
        columns: vec![
            "Programma".into(),
            LONG_TABLE_HEADER.into(),
            "Aandeel".into(),
            "Gemiddelde score".into(),
        ],
        rows,
    }
}

fn wide_table() -> Table {
    let periods = [
        "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3",
    ];
    let mut columns = vec!["Thema".to_owned()];
    columns.extend(periods.iter().map(|p| p.to_string()));
    columns.extend(["Verschil".into(), "Trend".into(), "Aandeel".into()]);
    let themes = [
        "Werkdruk docenten",
        "Ideeën voor coöperatie",
        "Één loket",
        "Stage en begeleiding",
        "Toetsing",
    ];
    let rows = (themes.iter().enumerate())
        .map(|(t, theme)| {
            let mut row = vec![Value::text(*theme)];
            row.extend((0..8).map(|p| Value::Int(1000 + 137 * p + 11 * t as i64)));
            row.push(Value::Signed(t as i64 * 7 - 12));
            row.push(Value::text(if t % 2 == 0 { "stijgend" } else { "gelijk" }));
            row.push(Value::Percent(0.05 * t as f64 + 0.0125));
            row
        })
        .collect();
    Table {
        name: "verloop-per-kwartaal".into(),
        caption: "Tabel 2. Meldingen per thema en kwartaal".into(),
        columns,
        rows,
    }
}

pub(super) fn document() -> Document {
    let long_word =
        "Meldingsregistratiesysteemontwikkelingsprogrammaverantwoordingsrapportage".repeat(4);
    Document {
        lang: Lang::Nl,
        title: "Trendrapport 2026-Q3".into(),
        subtitle: "Landelijke versie · alle programma's".into(),
        generated: "Gegenereerd op 2026-11-23 18:40 UTC".into(),
        contents_title: "Inhoud".into(),
        page_footer: "Pagina {n} van {m}".into(),
        sections: vec![
            Section {
                id: "samenvatting".into(),
                title: "Samenvatting".into(),
                blocks: vec![
                    paragraph(
                        "Dit kwartaal kwamen er meer meldingen binnen dan in het vorige. De meeste gaan \
                         over werkdruk; daarnaast zijn er nieuwe ideeën, coöperatie, één loket voor \
                         stages en de begeleiding van startende docenten. De cijfers zijn voorlopig: \
                         programma's kunnen meldingen tot zes weken na het einde van het kwartaal \
                         nog aanvullen.",
                    ),
                    Block::Bullets(vec![
                        "Werkdruk blijft het grootste thema, met 12,5 % van alle meldingen.".into(),
                        "Het aantal meldingen over toetsing daalt voor het derde kwartaal op rij, \
                         vooral bij de lerarenopleidingen in het voortgezet onderwijs en in de \
                         deeltijdvarianten."
                            .into(),
                        "Nieuwe signalen: coöperatie tussen opleidingen en één loket.".into(),
                    ]),
                    Block::Note("Bron: meldingen van de programma's, stand 2026-11-23.".into()),
                ],
            },
            Section {
                id: "themas".into(),
                title: "Thema's".into(),
                blocks: vec![
                    paragraph(
                        "Per thema het verloop van de meldingen en de opvallende verschuivingen.",
                    ),
                    Block::Heading {
                        id: "thema-werkdruk".into(),
                        text: "Werkdruk docenten".into(),
                    },
                    paragraph(
                        "Het aantal meldingen over werkdruk steeg in het derde kwartaal opnieuw. \
                         De stijging zit vooral bij de pabo's.",
                    ),
                    Block::Chart(Chart {
                        name: "thema-werkdruk".into(),
                        title: "Meldingen per kwartaal – werkdruk docenten".into(),
                        svg: chart_svg(),
                        width: 760,
                        height: 320,
                    }),
                    Block::Note(
                        "Een kwartaal met minder dan drie meldingen is niet getoond.".into(),
                    ),
                    Block::Heading {
                        id: "per-programma".into(),
                        text: "Meldingen per programma".into(),
                    },
                    paragraph(
                        "Alle programma's met hun meldingen, het aandeel en de gemiddelde score.",
                    ),
                    Block::Table(long_table()),
                    Block::Heading {
                        id: "verloop".into(),
                        text: "Verloop per kwartaal".into(),
                    },
                    Block::Table(wide_table()),
                    Block::Note("<3: minder dan drie meldingen, niet getoond.".into()),
                    Block::Heading {
                        id: "lange-woorden".into(),
                        text: "Lange woorden".into(),
                    },
                    paragraph(&format!(
                        "Een woord dat niet op een regel past: {long_word}, en verder."
                    )),
                ],
            },
            Section {
                id: "verantwoording".into(),
                title: "Verantwoording".into(),
                blocks: vec![
                    paragraph(
                        "De meldingen worden per kwartaal geteld. Een thema is een signaal als het \
                         aantal meldingen duidelijk afwijkt van het verloop in de vier kwartalen \
                         ervoor.",
                    ),
                    Block::Table(Table {
                        name: "leeg".into(),
                        caption: "Tabel 3. Escalaties (geen dit kwartaal)".into(),
                        columns: vec!["Thema".into(), "Sinds".into(), "Status".into()],
                        rows: vec![],
                    }),
                ],
            },
            Section {
                id: "bijlage".into(),
                title: "Bijlage zonder inhoud".into(),
                blocks: vec![],
            },
        ],
    }
}
