//! Per theme: an overview table of the report's period, then for each theme its timeline chart
//! (distinct regions and share of sessions over the last periods), the change against the
//! previous period, and the statistics behind a rising, new or persistent flag.

use analysis::trends::assess::Flags;
use analysis::trends::view::{CellView, ThemeView};

use super::super::document::{Block, Chart, Section, Table, Value, decimal};
use super::{Context, Lang, ReportError, slug};
use crate::charts::{Timeline, TimelinePoint};
use crate::words;

pub(super) fn section(c: &Context<'_>) -> Result<Section, ReportError> {
    let mut blocks = vec![Block::Paragraph(intro(c)), Block::Table(overview(c))];
    for theme in &c.view.themes {
        blocks.extend(theme_blocks(c, theme)?);
    }
    Ok(Section {
        id: "themas".into(),
        title: c.t("Thema's", "Themes").into(),
        blocks,
    })
}

fn intro(c: &Context<'_>) -> String {
    let n = c.view.periods.len();
    if c.national() {
        match c.lang {
            Lang::Nl => format!(
                "Per thema het aantal verschillende regio's dat het thema inbracht en het aandeel van de sessies waarin het ter sprake kwam, over de laatste {n} perioden. Een regio telt één keer per periode, hoe vaak zij het thema ook noemde."
            ),
            Lang::En => format!(
                "Per theme the number of distinct regions that raised it and the share of sessions in which it came up, over the last {n} periods. A region counts once per period, however often it mentioned the theme."
            ),
        }
    } else {
        let k = c.request.audience.k;
        match c.lang {
            Lang::Nl => format!(
                "Per thema het aantal andere regio's dat het thema inbracht en hun aandeel van de actieve andere regio's, over de laatste {n} perioden, naast de punten van uw eigen regio. Minder dan {k} andere regio's wordt getoond als \"<{k}\"."
            ),
            Lang::En => format!(
                "Per theme the number of other regions that raised it and their share of the active other regions, over the last {n} periods, next to your own region's items. Fewer than {k} other regions is shown as \"<{k}\"."
            ),
        }
    }
}

/// The count a reader sees for a cell: distinct regions, or other regions for a leader.
fn count(cell: &CellView) -> Value {
    match (cell.regions, cell.other_regions) {
        (Some(n), _) => Value::Int(n.into()),
        (None, Some(o)) => match o.exact() {
            Some(n) => Value::Int(n as i64),
            None => Value::Withheld(o.to_string()),
        },
        _ => Value::Empty,
    }
}

fn exact(cell: &CellView) -> Option<i64> {
    match count(cell) {
        Value::Int(n) => Some(n),
        _ => None,
    }
}

fn share(cell: &CellView) -> Option<f64> {
    cell.share_of_sessions.or(cell.share_of_other_regions)
}

/// The flags of a cell in words: "stijgend, nieuw".
fn flag_words(c: &Context<'_>, flags: Option<&Flags>) -> String {
    let Some(f) = flags else {
        return String::new();
    };
    let mut words = Vec::new();
    if f.rising {
        words.push(c.t("stijgend", "rising"));
    }
    if f.new {
        words.push(c.t("nieuw", "new"));
    }
    if f.persistent {
        words.push(c.t("aanhoudend", "persistent"));
    }
    words.join(", ")
}

fn overview(c: &Context<'_>) -> Table {
    let period = c.view.periods[c.at].period.clone();
    let previous =
        c.at.checked_sub(1)
            .map(|i| c.view.periods[i].period.clone());
    let flag_at = c.flag_at();
    let mut columns = vec![c.t("Thema", "Theme").to_owned()];
    let count_word = if c.national() {
        c.t("Regio's", "Regions")
    } else {
        c.t("Andere regio's", "Other regions")
    };
    columns.push(format!("{count_word} {period}"));
    if let Some(prev) = &previous {
        columns.push(format!("{count_word} {prev}"));
        columns.push(c.t("Verschil", "Change").into());
    }
    columns.push(if c.national() {
        c.t("Aandeel sessies", "Share of sessions").into()
    } else {
        c.t("Aandeel andere regio's", "Share of other regions")
            .into()
    });
    if c.national() {
        columns.push(c.t("Signaal", "Flag").into());
    } else {
        columns.push(c.t("Punten eigen regio", "Own region's items").into());
    }
    let rows = c
        .view
        .themes
        .iter()
        .map(|t| {
            let cell = &t.cells[c.at];
            let mut row = vec![Value::text(c.label(&t.theme)), count(cell)];
            if c.at > 0 {
                let before = &t.cells[c.at - 1];
                row.push(count(before));
                row.push(match (exact(cell), exact(before)) {
                    (Some(a), Some(b)) => Value::Signed(a - b),
                    _ => Value::Empty,
                });
            }
            row.push(Value::opt_percent(share(cell)));
            if c.national() {
                row.push(Value::Text(flag_words(
                    c,
                    flag_at.and_then(|at| t.cells[at].flags.as_ref()),
                )));
            } else {
                row.push(Value::opt_int(cell.own_items));
            }
            row
        })
        .collect();
    Table {
        name: "themas".into(),
        caption: format!("{} {period}", c.t("Thema's in", "Themes in")),
        columns,
        rows,
    }
}

fn theme_blocks(c: &Context<'_>, theme: &ThemeView) -> Result<Vec<Block>, ReportError> {
    let label = c.label(&theme.theme);
    let id = slug(&theme.theme);
    let mut blocks = vec![
        Block::Heading {
            id: format!("thema-{id}"),
            text: label.clone(),
        },
        Block::Paragraph(change_sentence(c, theme)),
    ];
    if c.national()
        && let Some(text) = flag_sentence(c, theme)
    {
        blocks.push(Block::Paragraph(text));
    }
    blocks.push(Block::Chart(chart(c, theme, &label, &id)?));
    blocks.push(Block::Table(series(c, theme, &label, &id)));
    Ok(blocks)
}

fn change_sentence(c: &Context<'_>, theme: &ThemeView) -> String {
    let p = &c.view.periods[c.at].period;
    let cell = &theme.cells[c.at];
    let now = count(cell).display(c.lang);
    let unit = if c.national() {
        c.t("regio's", "regions")
    } else {
        c.t("andere regio's", "other regions")
    };
    let mut text = format!("{p}: {now} {unit}");
    if let Some(s) = share(cell) {
        let of = if c.national() {
            c.t("van de sessies", "of sessions")
        } else {
            c.t(
                "van de actieve andere regio's",
                "of the active other regions",
            )
        };
        text.push_str(&format!(" ({} % {of})", decimal(100.0 * s, 1, c.lang)));
    }
    if let Some(before) = c.at.checked_sub(1).map(|i| &theme.cells[i]) {
        let prev = &c.view.periods[c.at - 1].period;
        let was = count(before).display(c.lang);
        match (exact(cell), exact(before)) {
            (Some(a), Some(b)) if a == b => text.push_str(&format!(
                "; {} {prev}",
                c.t("evenveel als in", "as many as in")
            )),
            (Some(a), Some(b)) => text.push_str(&format!(
                "; {} {} {prev} ({was})",
                Value::Signed(a - b).display(c.lang),
                c.t("ten opzichte van", "against"),
            )),
            _ => text.push_str(&format!("; {prev}: {was}")),
        }
    }
    if !c.national() {
        let own = cell.own_items.unwrap_or(0);
        text.push_str(&format!(
            ". {}: {own}",
            c.t("Punten van uw regio", "Items of your region")
        ));
    }
    text.push('.');
    text
}

/// The statistics behind the flags of the latest tested period (national version only: the
/// q-values mix all themes).
fn flag_sentence(c: &Context<'_>, theme: &ThemeView) -> Option<String> {
    let at = c.flag_at()?;
    let flags = theme.cells[at].flags.as_ref()?;
    let period = &c.view.periods[at].period;
    let mut text = match flag_words(c, Some(flags)) {
        w if w.is_empty() => format!("{} {period}", c.t("Niet gemarkeerd in", "Not flagged in")),
        w => format!("{} {period}: {w}", c.t("Gemarkeerd in", "Flagged in")),
    };
    if let Some(test) = &flags.rising_test {
        text.push_str(&format!(
            " ({}: {})",
            c.t("toets op stijging", "test for a rise"),
            words::test_words(test, c.lang)
        ));
    }
    if flags.persistent
        && let Some(test) = &flags.persistent_test
    {
        text.push_str(&format!(
            "; {}: {}",
            c.t("aanhoudend", "persistent"),
            words::test_words(test, c.lang)
        ));
    }
    text.push('.');
    Some(text)
}

fn chart(c: &Context<'_>, theme: &ThemeView, label: &str, id: &str) -> Result<Chart, ReportError> {
    let national = c.national();
    let points = theme
        .cells
        .iter()
        .zip(&c.view.periods)
        .map(|(cell, p)| TimelinePoint {
            period: p.period.clone(),
            partial: p.partial,
            count: exact(cell).map(|n| n as u32),
            share: share(cell).filter(|_| national),
        })
        .collect();
    let title = format!(
        "{label}: {}",
        if national {
            c.t(
                "regio's en aandeel sessies per periode",
                "regions and share of sessions per period",
            )
        } else {
            c.t("andere regio's per periode", "other regions per period")
        }
    );
    let timeline = Timeline {
        id: format!("grafiek-{id}"),
        title: title.clone(),
        count_label: if national {
            c.t("Regio's", "Regions")
        } else {
            c.t("Andere regio's", "Other regions")
        }
        .into(),
        share_label: national.then(|| c.t("Aandeel sessies (%)", "Share of sessions (%)").into()),
        suppressed: (!national).then(|| {
            let k = c.request.audience.k;
            (k as u32, format!("{} {k}", c.t("minder dan", "fewer than")))
        }),
        partial_label: c.t("lopend", "running").into(),
        points,
    };
    let (width, height) = Timeline::SIZE;
    Ok(Chart {
        name: format!("thema-{id}"),
        title,
        svg: timeline.svg().map_err(ReportError::Chart)?,
        width,
        height,
    })
}

/// The numbers behind the chart, one row per period.
fn series(c: &Context<'_>, theme: &ThemeView, label: &str, id: &str) -> Table {
    let national = c.national();
    let columns: Vec<String> = if national {
        vec![
            c.t("Periode", "Period").into(),
            c.t("Regio's", "Regions").into(),
            c.t("Aandeel sessies", "Share of sessions").into(),
            c.t("Sessies", "Sessions").into(),
            c.t("Punten", "Items").into(),
            c.t("Signaal", "Flag").into(),
        ]
    } else {
        vec![
            c.t("Periode", "Period").into(),
            c.t("Andere regio's", "Other regions").into(),
            c.t("Aandeel andere regio's", "Share of other regions")
                .into(),
            c.t("Punten eigen regio", "Own region's items").into(),
        ]
    };
    let rows = theme
        .cells
        .iter()
        .zip(&c.view.periods)
        .map(|(cell, p)| {
            let period = if p.partial {
                format!("{} ({})", p.period, c.t("lopend", "running"))
            } else {
                p.period.clone()
            };
            if national {
                vec![
                    Value::Text(period),
                    count(cell),
                    Value::opt_percent(cell.share_of_sessions),
                    Value::opt_int(cell.sessions),
                    Value::opt_int(cell.items),
                    Value::Text(flag_words(c, cell.flags.as_ref())),
                ]
            } else {
                vec![
                    Value::Text(period),
                    count(cell),
                    Value::opt_percent(cell.share_of_other_regions),
                    Value::opt_int(cell.own_items),
                ]
            }
        })
        .collect();
    let mut name = format!("thema-{id}");
    name.truncate(31);
    Table {
        name,
        caption: format!("{label} {}", c.t("per periode", "per period")),
        columns,
        rows,
    }
}
