//! Escalation: the rule's candidates with their dossiers (national version: with regions and
//! anonymised excerpts), and the lifecycle state of every escalation the audience may see.

use analysis::trends::escalation::Candidate;

use super::super::document::{Block, Section, Table, Value};
use super::{Context, Lang, and_list, slug};
use crate::words;

pub(super) fn section(c: &Context<'_>) -> Section {
    let mut blocks = Vec::new();
    if c.national() {
        blocks.push(Block::Paragraph(rule(c)));
        if c.candidates.is_empty() {
            blocks.push(Block::Paragraph(
                c.t(
                    "In de laatste afgesloten periode voldoet geen thema aan de regel.",
                    "In the latest complete period no theme meets the rule.",
                )
                .into(),
            ));
        }
        for candidate in &c.candidates {
            blocks.extend(dossier(c, candidate));
        }
    } else {
        blocks.push(Block::Paragraph(
            c.t(
                "Hieronder staan de thema's die landelijk zijn geëscaleerd. Kandidaten van de escalatieregel en hun dossiers zijn alleen voor landelijk ondersteuners.",
                "Below are the themes escalated nationally. The escalation rule's candidates and their dossiers are for national supporters only.",
            )
            .into(),
        ));
    }
    blocks.push(Block::Heading {
        id: "escalaties-stand".into(),
        text: c
            .t("Stand van de escalaties", "State of the escalations")
            .into(),
    });
    blocks.push(states(c));
    Section {
        id: "escalatie".into(),
        title: c.t("Escalatie", "Escalation").into(),
        blocks,
    }
}

fn rule(c: &Context<'_>) -> String {
    let r = &c.sources.config.escalation;
    match c.lang {
        Lang::Nl => format!(
            "Een thema is kandidaat voor escalatie als het in de laatste afgesloten periode stijgend, nieuw of aanhoudend hoger is, en in de laatste {} perioden samen door ten minste {} verschillende regio's is ingebracht. Een kandidaat wordt pas geëscaleerd als een landelijk ondersteuner dat besluit.",
            r.recent_periods, r.min_regions
        ),
        Lang::En => format!(
            "A theme is a candidate for escalation when it is rising, new or persistently higher in the latest complete period, and was raised by at least {} distinct regions in the latest {} periods together. A candidate is escalated only when a national supporter decides so.",
            r.min_regions, r.recent_periods
        ),
    }
}

fn dossier(c: &Context<'_>, candidate: &Candidate) -> Vec<Block> {
    let label = c.label(&candidate.theme);
    let mut blocks = vec![
        Block::Heading {
            id: format!("kandidaat-{}", slug(&candidate.theme)),
            text: format!("{} {label}", c.t("Kandidaat:", "Candidate:")),
        },
        Block::Paragraph(words::recent_regions_words(
            candidate,
            c.sources.config.escalation.min_regions,
            c.lang,
        )),
        Block::Bullets(
            candidate
                .reasons
                .iter()
                .map(|r| words::reason_words(r, c.lang))
                .collect(),
        ),
    ];
    let mut name = format!("dossier-{}", slug(&candidate.theme));
    name.truncate(31);
    blocks.push(Block::Table(Table {
        name,
        caption: format!("{} {label}", c.t("Dossier", "Dossier")),
        columns: vec![
            c.t("Periode", "Period").into(),
            c.t("Regio's", "Regions").into(),
            c.t("Actieve regio's", "Active regions").into(),
            c.t("Sessies", "Sessions").into(),
            c.t("Sessies gehouden", "Sessions held").into(),
            c.t("Punten", "Items").into(),
        ],
        // A closed period's tables run one day into the next period; that period is not
        // part of the report.
        rows: candidate
            .counts
            .iter()
            .filter(|p| !p.partial || c.partial())
            .map(|p| {
                vec![
                    Value::Text(if p.partial {
                        format!("{} ({})", p.period, c.t("lopend", "running"))
                    } else {
                        p.period.clone()
                    }),
                    Value::Int(p.regions.into()),
                    Value::Int(p.active_regions.into()),
                    Value::Int(p.sessions.into()),
                    Value::Int(p.sessions_held.into()),
                    Value::Int(p.items.into()),
                ]
            })
            .collect(),
    }));
    if !candidate.region_names.is_empty() {
        blocks.push(Block::Paragraph(format!(
            "{} ({}): {}.",
            c.t("Regio's", "Regions"),
            candidate.recent,
            and_list(&candidate.region_names, c.lang)
        )));
    }
    if !candidate.excerpts.is_empty() {
        blocks.push(Block::Paragraph(
            c.t(
                "Geanonimiseerde fragmenten (één per regio, signalen eerst):",
                "Anonymised excerpts (one per region, signals first):",
            )
            .into(),
        ));
        blocks.push(Block::Bullets(
            candidate
                .excerpts
                .iter()
                .map(|e| {
                    format!(
                        "“{}” — {}, {}, {}",
                        e.text.trim(),
                        e.region,
                        e.period,
                        e.kind
                    )
                })
                .collect(),
        ));
    }
    blocks
}

fn states(c: &Context<'_>) -> Block {
    let rows: Vec<Vec<Value>> = c
        .escalations
        .iter()
        .filter_map(|(e, since)| {
            let state = e.state?;
            Some(vec![
                Value::text(c.label(&e.theme)),
                Value::text(c.t(state.label_nl(), state.label_en())),
                Value::text(since.clone()),
            ])
        })
        .collect();
    if rows.is_empty() {
        return Block::Paragraph(
            c.t(
                "Er zijn (nog) geen thema's in het escalatieproces.",
                "There are no themes in the escalation process (yet).",
            )
            .into(),
        );
    }
    Block::Table(Table {
        name: "escalaties".into(),
        caption: c
            .t(
                "Stand van de escalaties bij het opstellen van dit rapport",
                "State of the escalations when this report was made",
            )
            .into(),
        columns: vec![
            c.t("Thema", "Theme").into(),
            c.t("Status", "State").into(),
            c.t("Sinds", "Since").into(),
        ],
        rows,
    })
}
