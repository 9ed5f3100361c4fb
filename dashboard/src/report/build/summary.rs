//! The summary: a few sentences written from the numbers, and the key figures as a table.

use super::super::document::{Block, Section, Table, Value};
use super::{Context, and_list};
use crate::report::document::decimal;

/// Themes named in the "most shared" sentence.
const TOP: usize = 3;

pub(super) fn section(c: &Context<'_>) -> Section {
    let mut blocks = vec![Block::Paragraph(opening(c))];
    if c.national() {
        blocks.extend(national(c));
    } else {
        blocks.extend(leader(c));
    }
    blocks.push(Block::Table(key_figures(c)));
    Section {
        id: "samenvatting".into(),
        title: c.t("Samenvatting", "Summary").into(),
        blocks,
    }
}

fn opening(c: &Context<'_>) -> String {
    let p = &c.view.periods[c.at];
    let mut text = match c.lang {
        super::Lang::Nl => format!(
            "In {} kwamen de intervisiegroepen {} keer bijeen, met {} actieve regio's.",
            p.period, p.sessions_held, p.active_regions
        ),
        super::Lang::En => format!(
            "In {} the intervision groups met {} times, with {} active regions.",
            p.period, p.sessions_held, p.active_regions
        ),
    };
    if c.partial() {
        text.push(' ');
        text.push_str(&match c.lang {
            super::Lang::Nl => format!(
                "De periode loopt nog: de cijfers gaan tot en met {} en zijn niet getoetst.",
                c.date(c.as_of)
            ),
            super::Lang::En => format!(
                "The period is still running: the figures go up to {} and are not tested.",
                c.date(c.as_of)
            ),
        });
    }
    text
}

/// Themes in the report's period by distinct regions, most first (ties by the taxonomy's
/// order), with their share of sessions.
fn ranked(c: &Context<'_>) -> Vec<(String, u32, Option<f64>)> {
    let mut ranked: Vec<(String, u32, Option<f64>)> = c
        .view
        .themes
        .iter()
        .filter_map(|t| {
            let cell = &t.cells[c.at];
            let n = cell
                .regions
                .or_else(|| cell.other_regions.and_then(|o| o.exact()).map(|n| n as u32))?;
            let share = cell.share_of_sessions.or(cell.share_of_other_regions);
            (n > 0).then(|| (c.label(&t.theme), n, share))
        })
        .collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
    ranked
}

/// "<lead> A, B and C." over the [`TOP`] themes of [`ranked`], each written by `entry`; none
/// when no theme was raised.
fn most_shared(
    c: &Context<'_>,
    lead: &str,
    entry: impl Fn(&(String, u32, Option<f64>)) -> String,
) -> Option<Block> {
    let named: Vec<String> = ranked(c).iter().take(TOP).map(entry).collect();
    (!named.is_empty()).then(|| Block::Paragraph(format!("{lead} {}.", and_list(&named, c.lang))))
}

fn national(c: &Context<'_>) -> Vec<Block> {
    let mut blocks: Vec<Block> = most_shared(
        c,
        c.t(
            "Het breedst gedeeld waren",
            "The most widely shared themes were",
        ),
        |(label, n, share)| {
            let share = share.map_or_else(String::new, |s| {
                format!(
                    ", {} % {}",
                    decimal(100.0 * s, 0, c.lang),
                    c.t("van de sessies", "of sessions")
                )
            });
            format!("{label} ({n} {}{share})", c.t("regio's", "regions"))
        },
    )
    .into_iter()
    .collect();
    blocks.push(Block::Paragraph(flags_sentence(c)));
    blocks.push(Block::Paragraph(candidates_sentence(c)));
    blocks
}

fn flags_sentence(c: &Context<'_>) -> String {
    let Some(at) = c.flag_at() else {
        return c
            .t(
                "Er is nog geen afgesloten periode om te toetsen.",
                "There is no complete period to test yet.",
            )
            .into();
    };
    let pick = |f: fn(&analysis::trends::assess::Flags) -> bool| -> Vec<String> {
        c.view
            .themes
            .iter()
            .filter(|t| t.cells[at].flags.as_ref().is_some_and(f))
            .map(|t| c.label(&t.theme))
            .collect()
    };
    let rising = pick(|f| f.rising);
    let new = pick(|f| f.new);
    let persistent = pick(|f| f.persistent && !f.rising);
    let period = &c.view.periods[at].period;
    let mut parts = Vec::new();
    if !rising.is_empty() {
        parts.push(format!(
            "{} {}",
            c.t("stijgend:", "rising:"),
            and_list(&rising, c.lang)
        ));
    }
    if !new.is_empty() {
        parts.push(format!(
            "{} {}",
            c.t("nieuw:", "new:"),
            and_list(&new, c.lang)
        ));
    }
    if !persistent.is_empty() {
        parts.push(format!(
            "{} {}",
            c.t("aanhoudend hoger:", "persistently higher:"),
            and_list(&persistent, c.lang)
        ));
    }
    if parts.is_empty() {
        match c.lang {
            super::Lang::Nl => format!(
                "In {period} steeg geen thema significant ten opzichte van de voorgaande perioden, en er kwam geen nieuw thema op."
            ),
            super::Lang::En => format!(
                "In {period} no theme rose significantly against the preceding periods, and no new theme emerged."
            ),
        }
    } else {
        match c.lang {
            super::Lang::Nl => format!(
                "Getoetst tegen de voorgaande perioden, in {period}: {}.",
                parts.join("; ")
            ),
            super::Lang::En => format!(
                "Tested against the preceding periods, in {period}: {}.",
                parts.join("; ")
            ),
        }
    }
}

fn candidates_sentence(c: &Context<'_>) -> String {
    if c.candidates.is_empty() {
        return c
            .t(
                "Geen thema voldoet aan de escalatieregel.",
                "No theme meets the escalation rule.",
            )
            .into();
    }
    let named: Vec<String> = c
        .candidates
        .iter()
        .map(|k| {
            format!(
                "{} ({} {} {})",
                c.label(&k.theme),
                k.recent_regions,
                c.t("regio's in", "regions in"),
                k.recent
            )
        })
        .collect();
    format!(
        "{} {}.",
        match (c.candidates.len(), c.lang) {
            (1, super::Lang::Nl) => "Kandidaat voor escalatie naar het landelijk niveau is".into(),
            (n, super::Lang::Nl) =>
                format!("{n} thema's zijn kandidaat voor escalatie naar het landelijk niveau:"),
            (1, super::Lang::En) => "The candidate for escalation to the national level is".into(),
            (n, super::Lang::En) =>
                format!("{n} themes are candidates for escalation to the national level:"),
        },
        and_list(&named, c.lang)
    )
}

fn leader(c: &Context<'_>) -> Vec<Block> {
    let region = c.request.audience.region.as_deref().unwrap_or_default();
    let own: Vec<String> = c
        .view
        .themes
        .iter()
        .filter(|t| t.cells[c.at].own_items.unwrap_or(0) > 0)
        .map(|t| c.label(&t.theme))
        .collect();
    let mut blocks = vec![Block::Paragraph(if own.is_empty() {
        match c.lang {
            super::Lang::Nl => {
                format!("Regio {region} bracht in deze periode geen punten in bij een thema.")
            }
            super::Lang::En => format!("Region {region} raised no theme in this period."),
        }
    } else {
        match c.lang {
            super::Lang::Nl => format!(
                "Regio {region} bracht in deze periode punten in bij {}.",
                and_list(&own, c.lang)
            ),
            super::Lang::En => format!(
                "In this period region {region} raised {}.",
                and_list(&own, c.lang)
            ),
        }
    })];
    blocks.extend(most_shared(
        c,
        c.t(
            "Gedeeld door de meeste andere regio's (aantal andere regio's):",
            "Shared by most other regions (number of other regions):",
        ),
        |(label, n, _)| format!("{label} ({n})"),
    ));
    let k = c.request.audience.k;
    blocks.push(Block::Paragraph(match c.lang {
        super::Lang::Nl => format!(
            "Aantallen van minder dan {k} andere regio's worden niet getoond (\"<{k}\"), zodat geen regio herkenbaar is."
        ),
        super::Lang::En => format!(
            "Counts of fewer than {k} other regions are not shown (\"<{k}\"), so that no region can be singled out."
        ),
    }));
    let escalated: Vec<String> = c
        .escalations
        .iter()
        .filter_map(|(e, _)| {
            let state = e.state?;
            Some(format!(
                "{} ({})",
                c.label(&e.theme),
                c.t(state.label_nl(), state.label_en())
            ))
        })
        .collect();
    if !escalated.is_empty() {
        blocks.push(Block::Paragraph(format!(
            "{} {}.",
            c.t("Landelijk geëscaleerd:", "Escalated nationally:"),
            and_list(&escalated, c.lang)
        )));
    }
    blocks
}

fn key_figures(c: &Context<'_>) -> Table {
    let p = &c.view.periods[c.at];
    let mut rows = vec![
        vec![
            Value::text(c.t("Sessies gehouden", "Sessions held")),
            Value::Int(p.sessions_held.into()),
        ],
        vec![
            Value::text(c.t("Actieve regio's", "Active regions")),
            Value::Int(p.active_regions.into()),
        ],
    ];
    if c.national() {
        let discussed = c
            .view
            .themes
            .iter()
            .filter(|t| t.cells[c.at].regions.unwrap_or(0) > 0)
            .count();
        let flagged = |f: fn(&analysis::trends::assess::Flags) -> bool| {
            c.flag_at().map_or(0, |at| {
                c.view
                    .themes
                    .iter()
                    .filter(|t| t.cells[at].flags.as_ref().is_some_and(f))
                    .count()
            })
        };
        rows.push(vec![
            Value::text(c.t("Thema's besproken", "Themes discussed")),
            Value::Int(discussed as i64),
        ]);
        rows.push(vec![
            Value::text(c.t("Thema's stijgend", "Themes rising")),
            Value::Int(flagged(|f| f.rising) as i64),
        ]);
        rows.push(vec![
            Value::text(c.t("Thema's nieuw", "Themes new")),
            Value::Int(flagged(|f| f.new) as i64),
        ]);
        rows.push(vec![
            Value::text(c.t("Kandidaten voor escalatie", "Candidates for escalation")),
            Value::Int(c.candidates.len() as i64),
        ]);
    } else {
        let own: u32 = c
            .view
            .themes
            .iter()
            .filter_map(|t| t.cells[c.at].own_items)
            .sum();
        rows.push(vec![
            Value::text(c.t("Punten van uw regio", "Items of your region")),
            Value::Int(own.into()),
        ]);
    }
    Table {
        name: "kerncijfers".into(),
        caption: format!("{} {}", c.t("Kerncijfers", "Key figures"), p.period),
        columns: vec![
            c.t("Kerncijfer", "Figure").into(),
            c.t("Waarde", "Value").into(),
        ],
        rows,
    }
}
