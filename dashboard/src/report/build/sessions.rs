//! Session evaluation: sessions held, moderated share, online and physical, cases submitted
//! and discussed, and the evaluation tags over the same periods as the themes. A programme
//! leader's version covers only the sessions their region attended.

use analysis::trends::evaluation::SessionPeriod;

use super::super::document::{Block, Chart, Section, Table, Value};
use super::{Context, ReportError};
use crate::charts::{Timeline, TimelinePoint};

pub(super) fn section(c: &Context<'_>) -> Result<Section, ReportError> {
    let shown = shown(c);
    let periods = &c.evaluations.periods[shown.clone()];
    let mut blocks = vec![Block::Paragraph(if c.national() {
        c.t(
            "Hoe de intervisiesessies zelf verliepen, over dezelfde perioden als de thema's.",
            "How the intervision sessions themselves went, over the same periods as the themes.",
        )
        .into()
    } else {
        c.t(
            "Hoe de intervisiesessies verliepen waaraan uw regio deelnam, over dezelfde perioden als de thema's.",
            "How the intervision sessions your region attended went, over the same periods as the themes.",
        )
        .into()
    })];
    if periods.is_empty() {
        blocks.push(Block::Paragraph(
            c.t(
                "Geen sessies in deze perioden.",
                "No sessions in these periods.",
            )
            .into(),
        ));
    } else {
        blocks.push(Block::Chart(chart(c, periods)?));
        blocks.push(Block::Table(table(c, periods)));
        blocks.extend(tags(c, shown));
    }
    Ok(Section {
        id: "sessies".into(),
        title: c.t("Sessie-evaluatie", "Session evaluation").into(),
        blocks,
    })
}

/// The evaluation's periods that the theme part shows (the last ones up to the report's).
fn shown(c: &Context<'_>) -> std::ops::Range<usize> {
    let periods = &c.evaluations.periods;
    let first = &c.view.periods[0].period;
    let last = &c.view.periods[c.at].period;
    let start = periods.iter().position(|p| &p.period == first);
    let end = periods.iter().rposition(|p| &p.period == last);
    match (start, end) {
        (Some(s), Some(e)) if s <= e => s..e + 1,
        _ => 0..0,
    }
}

fn period_label(c: &Context<'_>, p: &SessionPeriod) -> String {
    if p.partial {
        format!("{} ({})", p.period, c.t("lopend", "running"))
    } else {
        p.period.clone()
    }
}

fn chart(c: &Context<'_>, periods: &[SessionPeriod]) -> Result<Chart, ReportError> {
    let title = c
        .t(
            "Sessies en aandeel gemodereerd per periode",
            "Sessions and share moderated per period",
        )
        .to_owned();
    let timeline = Timeline {
        id: "grafiek-sessies".into(),
        title: title.clone(),
        count_label: c.t("Sessies", "Sessions").into(),
        share_label: Some(c.t("Gemodereerd (%)", "Moderated (%)").into()),
        suppressed: None,
        partial_label: c.t("lopend", "running").into(),
        points: periods
            .iter()
            .map(|p| TimelinePoint {
                period: p.period.clone(),
                partial: p.partial,
                count: Some(p.sessions),
                share: p.moderated_share(),
            })
            .collect(),
    };
    let (width, height) = Timeline::SIZE;
    Ok(Chart {
        name: "sessies".into(),
        title,
        svg: timeline.svg().map_err(ReportError::Chart)?,
        width,
        height,
    })
}

fn table(c: &Context<'_>, periods: &[SessionPeriod]) -> Table {
    Table {
        name: "sessies".into(),
        caption: c.t("Sessies per periode", "Sessions per period").into(),
        columns: vec![
            c.t("Periode", "Period").into(),
            c.t("Sessies", "Sessions").into(),
            c.t("Gemodereerd", "Moderated").into(),
            c.t("Online", "Online").into(),
            c.t("Fysiek", "In person").into(),
            c.t("Casussen ingebracht", "Cases submitted").into(),
            c.t("Casussen besproken", "Cases discussed").into(),
            c.t("Gem. score", "Avg. score").into(),
        ],
        rows: periods
            .iter()
            .map(|p| {
                vec![
                    Value::Text(period_label(c, p)),
                    Value::Int(p.sessions.into()),
                    Value::opt_percent(p.moderated_share()),
                    Value::Int(p.online.into()),
                    Value::Int(p.physical.into()),
                    Value::Int(p.cases_submitted.into()),
                    Value::Int(p.cases_discussed.into()),
                    Value::opt_decimal(p.average_score, 1),
                ]
            })
            .collect(),
    }
}

/// Evaluation tags as a share of the period's sessions, with the tags that rose significantly.
fn tags(c: &Context<'_>, shown: std::ops::Range<usize>) -> Vec<Block> {
    let series: Vec<_> = c
        .evaluations
        .tags
        .iter()
        .filter(|t| t.cells[shown.clone()].iter().any(|cell| cell.sessions > 0))
        .collect();
    if series.is_empty() {
        return Vec::new();
    }
    let periods = &c.evaluations.periods[shown.clone()];
    let mut columns = vec![c.t("Evaluatietag", "Evaluation tag").to_owned()];
    columns.extend(periods.iter().map(|p| period_label(c, p)));
    let rows = series
        .iter()
        .map(|t| {
            let mut row = vec![Value::text(&t.tag)];
            row.extend(
                t.cells[shown.clone()]
                    .iter()
                    .map(|cell| Value::opt_percent(cell.share)),
            );
            row
        })
        .collect();
    let mut blocks = vec![Block::Table(Table {
        name: "evaluatietags".into(),
        caption: c
            .t(
                "Evaluatietags: aandeel van de sessies per periode",
                "Evaluation tags: share of sessions per period",
            )
            .into(),
        columns,
        rows,
    })];
    let rising: Vec<String> = series
        .iter()
        .flat_map(|t| {
            t.cells[shown.clone()]
                .iter()
                .zip(periods)
                .filter(|(cell, _)| cell.rising)
                .map(|(cell, p)| {
                    let q = cell.test.map_or(String::new(), |test| {
                        format!(
                            ", q = {}",
                            super::super::document::decimal(test.q, 3, c.lang)
                        )
                    });
                    format!("{} ({}{q})", t.tag, p.period)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    blocks.push(Block::Note(if rising.is_empty() {
        c.t(
            "Geen evaluatietag steeg significant in deze perioden.",
            "No evaluation tag rose significantly in these periods.",
        )
        .into()
    } else {
        format!(
            "{} {}.",
            c.t("Significant gestegen:", "Rose significantly:"),
            rising.join("; ")
        )
    }));
    blocks
}
