//! `trends`, `escalations` and `evaluations`: the polars trend analysis on the command line.
//! Every output goes through the disclosure layer (`analysis::trends::view`) for the role asked.

use std::io::Write;

use analysis::disclosure::Role;
use analysis::trends::escalation::{self, State};
use analysis::trends::evaluation::{Evaluations, evaluations as compute_evaluations};
use analysis::trends::view::{self, Audience, Labels, TrendView};
use analysis::trends::{Assessment, Period, PeriodKind, TrendConfig, TrendData, TrendTable};
use chrono::NaiveDate;

use super::analysis_commands::{Opened, Sync, date, open, region};
use crate::cli::{
    AudienceArgs, EscalationAction, EscalationsArgs, EvaluationsArgs, Global, RoleArg, TrendsArgs,
};

// Periods shown when `--from` is not given: the same as the dashboard's.
use view::DEFAULT_PERIODS;

/// Everything the trend commands (and `report`) start from.
pub(super) struct Loaded {
    pub opened: Opened,
    pub data: TrendData,
    pub config: TrendConfig,
    pub labels: Labels,
    pub theme_order: Vec<String>,
}

pub(super) fn load(global: &Global, quiet: bool) -> anyhow::Result<Loaded> {
    let config = TrendConfig::load(&global.rules)?;
    let (opened, _) = open(global, &global.store, Sync::CatchUp, quiet)?;
    // Only batches the index has classified: another process may be ingesting right now.
    let data = TrendData::load(&opened.store, opened.index.classified_through()?)?;
    let taxonomy = opened.classifier.taxonomy();
    let labels = Labels::of(taxonomy);
    let theme_order = taxonomy.themes.iter().map(|t| t.id.clone()).collect();
    Ok(Loaded {
        opened,
        data,
        config,
        labels,
        theme_order,
    })
}

pub(super) fn audience(global: &Global, args: &AudienceArgs, k: usize) -> anyhow::Result<Audience> {
    Ok(match args.role {
        RoleArg::Landelijk => Audience::national(k),
        RoleArg::Programmaleider => {
            let Some(name) = &args.region else {
                return Err(super::UsageError(
                    "--role programmaleider needs --region: the leader's own region".into(),
                )
                .into());
            };
            Audience::leader(&region(global, name)?, k)
        }
    })
}

pub(super) fn as_of(args: &AudienceArgs) -> anyhow::Result<NaiveDate> {
    match &args.as_of {
        Some(d) => date("--as-of", d),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

/// The table for `audience` and its assessment (computed on the same table).
fn table(
    loaded: &Loaded,
    kind: PeriodKind,
    programme: Option<String>,
    as_of: NaiveDate,
    audience: &Audience,
) -> anyhow::Result<(TrendTable, Assessment)> {
    Ok(view::audience_table(
        &loaded.data,
        &loaded.theme_order,
        &loaded.config,
        kind,
        programme,
        as_of,
        audience,
    )?)
}

pub fn trends(global: &Global, args: &TrendsArgs) -> anyhow::Result<()> {
    let loaded = load(global, args.json || args.csv)?;
    let audience = audience(global, &args.audience, loaded.config.disclosure.k)?;
    let kind = args
        .period
        .map_or(loaded.config.trend.period, PeriodKind::from);
    let as_of = as_of(&args.audience)?;
    let (table, assessment) = table(&loaded, kind, args.programme.clone(), as_of, &audience)?;
    let range = view::shown_range(&table, args.from.as_deref(), args.to.as_deref())?;
    let shown = view::trend_view(&table, &assessment, &audience, &loaded.labels, range)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&shown)?)?;
    } else if args.csv {
        write_csv(&mut out, &shown)?;
    } else {
        write_table(&mut out, &shown)?;
    }
    Ok(())
}

fn percent(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| format!("{:.1}", 100.0 * x))
}

fn write_csv(out: &mut impl Write, view: &TrendView) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let national = view.role == Role::Landelijk;
    if national {
        w.write_record([
            "theme",
            "period",
            "partial",
            "items",
            "sessions",
            "regions",
            "sessions_held",
            "active_regions",
            "share_of_sessions_pct",
            "share_of_regions_pct",
            "rising",
            "new",
            "persistent",
            "p",
            "q",
        ])?;
    } else {
        w.write_record([
            "theme",
            "period",
            "partial",
            "other_regions",
            "share_of_other_regions_pct",
            "own_items",
        ])?;
    }
    for theme in &view.themes {
        for (cell, period) in theme.cells.iter().zip(&view.periods) {
            let partial = period.partial.to_string();
            if national {
                let flags = cell.flags.unwrap_or_default();
                let test = flags.rising_test;
                w.write_record([
                    theme.theme.as_str(),
                    &cell.period,
                    &partial,
                    &cell.items.unwrap_or(0).to_string(),
                    &cell.sessions.unwrap_or(0).to_string(),
                    &cell.regions.unwrap_or(0).to_string(),
                    &period.sessions_held.to_string(),
                    &period.active_regions.to_string(),
                    &percent(cell.share_of_sessions),
                    &percent(cell.share_of_regions),
                    &flags.rising.to_string(),
                    &flags.new.to_string(),
                    &flags.persistent.to_string(),
                    &test.map_or_else(String::new, |t| format!("{:.6}", t.p)),
                    &test.map_or_else(String::new, |t| format!("{:.6}", t.q)),
                ])?;
            } else {
                w.write_record([
                    theme.theme.as_str(),
                    &cell.period,
                    &partial,
                    &cell
                        .other_regions
                        .map_or_else(String::new, |c| c.to_string()),
                    &percent(cell.share_of_other_regions),
                    &cell.own_items.unwrap_or(0).to_string(),
                ])?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

fn write_table(out: &mut impl Write, view: &TrendView) -> anyhow::Result<()> {
    let national = view.role == Role::Landelijk;
    let what = if national {
        "Distinct regions per theme"
    } else {
        "Other regions per theme (your region's items in brackets)"
    };
    writeln!(
        out,
        "{what} and {}, as of {}{}",
        view.period_kind.as_str(),
        view.as_of,
        view.programme
            .as_deref()
            .map(|p| format!(", programme {p}"))
            .unwrap_or_default()
    )?;
    let width = view
        .themes
        .iter()
        .map(|t| t.theme.chars().count())
        .max()
        .unwrap_or(5)
        .max(15);
    let col = if national { 9 } else { 10 };
    write!(out, "{:width$}", "")?;
    for p in &view.periods {
        let label = if p.partial {
            format!("{}~", p.period)
        } else {
            p.period.clone()
        };
        write!(out, " {label:>col$}")?;
    }
    writeln!(out)?;
    for theme in &view.themes {
        write!(out, "{:width$}", theme.theme)?;
        for cell in &theme.cells {
            let text = if national {
                let flags = cell.flags.unwrap_or_default();
                let mark = if flags.new {
                    "N"
                } else if flags.rising {
                    "+"
                } else if flags.persistent {
                    "^"
                } else {
                    ""
                };
                format!("{}{mark}", cell.regions.unwrap_or(0))
            } else {
                let own = cell.own_items.unwrap_or(0);
                let others = cell
                    .other_regions
                    .map_or_else(String::new, |c| c.to_string());
                if own > 0 {
                    format!("{others} ({own})")
                } else {
                    others
                }
            };
            write!(out, " {text:>col$}")?;
        }
        writeln!(out)?;
    }
    for (label, value) in [
        (
            "sessions held",
            view.periods
                .iter()
                .map(|p| p.sessions_held)
                .collect::<Vec<_>>(),
        ),
        (
            "active regions",
            view.periods.iter().map(|p| p.active_regions).collect(),
        ),
    ] {
        write!(out, "{label:width$}")?;
        for v in value {
            write!(out, " {v:>col$}")?;
        }
        writeln!(out)?;
    }
    writeln!(out)?;
    if national {
        writeln!(
            out,
            "+ rising, N new, ^ persistent (rules in data/escalation.toml; --json shows the numbers behind each flag); ~ still running, not a drop"
        )?;
    } else {
        writeln!(
            out,
            "fewer than {} other regions shown as \"<{}\"; ~ still running, not a drop",
            view.k, view.k
        )?;
    }
    Ok(())
}

pub fn escalations(global: &Global, args: &EscalationsArgs) -> anyhow::Result<()> {
    match &args.action {
        Some(EscalationAction::Set(set)) => {
            let state = State::parse(&set.state)?;
            let loaded = load(global, true)?;
            if !loaded.theme_order.contains(&set.theme) {
                return Err(super::UsageError(format!(
                    "unknown theme {:?}; the taxonomy has: {}",
                    set.theme,
                    loaded.theme_order.join(", ")
                ))
                .into());
            }
            let note = super::anonymiser(&super::regions(global)?).anonymise(&set.note);
            let mut store = loaded.opened.store;
            escalation::set_state(&mut store, &set.theme, state, &super::actor(), &note.text)?;
            println!("{}: {}", set.theme, state.label_nl());
            Ok(())
        }
        Some(EscalationAction::History(history)) => {
            let loaded = load(global, true)?;
            let changes = loaded
                .opened
                .store
                .escalation_history(history.theme.as_deref())?;
            let mut out = std::io::stdout().lock();
            if history.json {
                let rows: Vec<serde_json::Value> = changes
                    .iter()
                    .map(|c| {
                        serde_json::json!({
                            "theme": c.theme, "from": c.from_state, "to": c.to_state,
                            "at": c.at, "actor": c.actor, "note": c.note,
                        })
                    })
                    .collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
                return Ok(());
            }
            if changes.is_empty() {
                writeln!(out, "no escalation changes recorded yet")?;
            }
            for c in changes {
                writeln!(
                    out,
                    "{}  {:<20} {:>14} -> {:<14} by {}: {}",
                    c.at,
                    c.theme,
                    c.from_state.as_deref().unwrap_or("-"),
                    c.to_state,
                    c.actor,
                    c.note
                )?;
            }
            Ok(())
        }
        None => list_escalations(global, args),
    }
}

fn list_escalations(global: &Global, args: &EscalationsArgs) -> anyhow::Result<()> {
    let mut loaded = load(global, args.json)?;
    let audience = audience(global, &args.audience, loaded.config.disclosure.k)?;
    let as_of = as_of(&args.audience)?;
    // The rule reads the national table, whoever asks; the view decides what they see.
    let national = Audience::national(loaded.config.disclosure.k);
    let (table, assessment) = table(&loaded, loaded.config.trend.period, None, as_of, &national)?;
    let mut candidates =
        escalation::latest_candidates(&loaded.data, &table, &assessment, &loaded.config)?;
    // Only today's reading is recorded; an --as-of reading is a look back and changes nothing.
    let recorded = if args.audience.as_of.is_none() {
        escalation::record_rule(&mut loaded.opened.store, &candidates)?
    } else {
        Vec::new()
    };
    if audience.role == Role::Landelijk {
        escalation::add_excerpts(
            &loaded.opened.store,
            &mut candidates,
            &table,
            &loaded.config,
        )?;
    }
    let states = escalation::states(&loaded.opened.store)?;
    let shown = view::escalation_view(&candidates, &states, &audience, &loaded.labels);
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&shown)?)?;
        return Ok(());
    }
    for t in &recorded {
        writeln!(
            out,
            "recorded: {} {} -> {}",
            t.theme,
            t.from.map_or("-", State::label_nl),
            t.to.label_nl()
        )?;
    }
    let period = table
        .last_complete()
        .map(|i| table.periods[i].period.label())
        .unwrap_or_else(|| "-".into());
    if shown.is_empty() {
        writeln!(
            out,
            "No escalation candidates in {period} and no theme in the escalation process."
        )?;
        return Ok(());
    }
    for e in &shown {
        writeln!(
            out,
            "\n{} ({}): {}",
            e.label_nl,
            e.theme,
            e.state.map_or("geen status", State::label_nl)
        )?;
        let Some(c) = &e.candidate else {
            continue;
        };
        writeln!(out, "  candidate in {}: {}", c.period, c.rule)?;
        let counts: Vec<String> = c
            .counts
            .iter()
            .map(|p| {
                format!(
                    "{} {}/{}{}",
                    p.period,
                    p.regions,
                    p.active_regions,
                    if p.partial { "~" } else { "" }
                )
            })
            .collect();
        writeln!(out, "  regions/active: {}", counts.join(" | "))?;
        if !c.region_names.is_empty() {
            writeln!(out, "  regions {}: {}", c.recent, c.region_names.join(", "))?;
        }
        for x in &c.excerpts {
            writeln!(out, "  [{} {} {}] {}", x.period, x.region, x.kind, x.text)?;
        }
    }
    Ok(())
}

pub fn evaluations(global: &Global, args: &EvaluationsArgs) -> anyhow::Result<()> {
    let loaded = load(global, args.json)?;
    let audience = audience(global, &args.audience, loaded.config.disclosure.k)?;
    let kind = args
        .period
        .map_or(loaded.config.trend.period, PeriodKind::from);
    let as_of = as_of(&args.audience)?;
    let mut result = compute_evaluations(
        &loaded.data,
        kind,
        as_of,
        view::evaluation_region(&audience)?,
        &loaded.config.trend,
    )?;
    let start = match &args.from {
        Some(f) => {
            let from = Period::parse(f, kind, false)?.label();
            result
                .periods
                .iter()
                .position(|p| p.period >= from)
                .unwrap_or(result.periods.len())
        }
        None => result.periods.len().saturating_sub(DEFAULT_PERIODS),
    };
    trim(&mut result, start);
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&result)?)?;
        return Ok(());
    }
    write_evaluations(&mut out, &result)
}

fn trim(result: &mut Evaluations, start: usize) {
    result.periods.drain(..start);
    for tag in &mut result.tags {
        tag.cells.drain(..start);
    }
}

fn write_evaluations(out: &mut impl Write, e: &Evaluations) -> anyhow::Result<()> {
    writeln!(
        out,
        "Sessions per {}{}",
        e.period_kind.as_str(),
        e.region
            .as_deref()
            .map(|r| format!(" attended by {r}"))
            .unwrap_or_default()
    )?;
    writeln!(
        out,
        "{:10} {:>8} {:>10} {:>7} {:>8} {:>10} {:>10} {:>6}",
        "period", "sessions", "moderated", "online", "physical", "submitted", "discussed", "score"
    )?;
    for p in &e.periods {
        writeln!(
            out,
            "{:10} {:>8} {:>9}% {:>7} {:>8} {:>10} {:>10} {:>6}",
            format!("{}{}", p.period, if p.partial { "~" } else { "" }),
            p.sessions,
            percent(p.moderated_share()),
            p.online,
            p.physical,
            p.cases_submitted,
            p.cases_discussed,
            p.average_score
                .map_or_else(String::new, |s| format!("{s:.2}")),
        )?;
    }
    writeln!(out, "\nEvaluation tags: share of sessions (%), + rising")?;
    let width = e.tags.iter().map(|t| t.tag.len()).max().unwrap_or(10);
    write!(out, "{:width$}", "")?;
    for p in &e.periods {
        write!(out, " {:>8}", p.period)?;
    }
    writeln!(out)?;
    for tag in &e.tags {
        write!(out, "{:width$}", tag.tag)?;
        for c in &tag.cells {
            let text = format!("{}{}", percent(c.share), if c.rising { "+" } else { "" });
            write!(out, " {text:>8}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}
