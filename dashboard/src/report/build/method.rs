//! Method and disclosure: what the numbers mean and what was left out, so a reader can trust
//! the report.

use super::super::document::{Block, Section, decimal};
use super::{Context, Lang};

pub(super) fn section(c: &Context<'_>) -> Result<Section, super::ReportError> {
    let config = c.sources.config;
    let k = config.disclosure.k;
    let t = &config.trend;
    let through = c.data_through.map_or_else(|| "–".to_owned(), |d| c.date(d));
    let programme = c.request.programme.as_deref();
    let mut bullets = match c.lang {
        Lang::Nl => vec![
            format!(
                "Bron: de geanonimiseerde uitkomsten van intervisiesessies van programmamanagers van Sterk Techniekonderwijs{}. Persoonsgegevens zijn bij de invoer verwijderd, vóór de opslag.",
                programme.map_or(String::new(), |p| format!(", programma {p}"))
            ),
            format!("Gegevens tot en met: {through} (de laatste sessie in de rapportperiode)."),
            format!(
                "Thema's volgens taxonomieversie {}; een punt kan bij meer dan één thema horen.",
                c.sources.taxonomy_version
            ),
            "Telling: het aantal verschillende regio's dat een thema in een periode inbracht. Een regio telt één keer per periode, ook als zij het thema vaker noemde; het aandeel sessies is het deel van de gehouden sessies waarin het thema ter sprake kwam.".into(),
            format!(
                "Stijgend: de laatste {} periode(n) getoetst tegen de {} afgesloten perioden ervoor (exacte conditionele binomiale toets, gecorrigeerd voor regio's die samen in één sessie zaten), met Benjamini-Hochberg over de thema's: q ≤ {}, ratio ≥ {} en ten minste {} regio-perioden. Nieuw: niet in de vergelijkingsperioden en ten minste {} regio-perioden. De lopende periode wordt nooit getoetst.",
                t.window_periods,
                t.baseline_periods,
                decimal(t.max_q, 2, c.lang),
                decimal(t.min_rate_ratio, 1, c.lang),
                t.min_regions,
                t.new_min_regions
            ),
        ],
        Lang::En => vec![
            format!(
                "Source: the anonymised outcomes of intervision sessions of Sterk Techniekonderwijs programme managers{}. Personal data was removed on input, before storage.",
                programme.map_or(String::new(), |p| format!(", programme {p}"))
            ),
            format!("Data up to: {through} (the last session in the report's period)."),
            format!(
                "Themes by taxonomy version {}; an item can belong to more than one theme.",
                c.sources.taxonomy_version
            ),
            "Count: the number of distinct regions that raised a theme in a period. A region counts once per period, however often it mentioned the theme; the share of sessions is the part of the sessions held in which the theme came up.".into(),
            format!(
                "Rising: the latest {} period(s) tested against the {} complete periods before (exact conditional binomial test, corrected for regions that sat in one session together), with Benjamini-Hochberg across themes: q ≤ {}, ratio ≥ {} and at least {} region-periods. New: absent from the baseline and at least {} region-periods. The running period is never tested.",
                t.window_periods,
                t.baseline_periods,
                decimal(t.max_q, 2, c.lang),
                decimal(t.min_rate_ratio, 1, c.lang),
                t.min_regions,
                t.new_min_regions
            ),
        ],
    };
    bullets.push(if c.national() {
        match c.lang {
            Lang::Nl => format!(
                "Openbaarheid: dit is de landelijke versie, met alle aantallen, regionamen en fragmenten. Programmaleiders krijgen een versie waarin aantallen van minder dan {k} andere regio's niet worden getoond. Deel deze versie niet met de regio's."
            ),
            Lang::En => format!(
                "Disclosure: this is the national version, with all counts, region names and excerpts. Programme leaders get a version in which counts of fewer than {k} other regions are withheld. Do not share this version with the regions."
            ),
        }
    } else {
        match c.lang {
            Lang::Nl => format!(
                "Openbaarheid: in deze versie zijn aantallen van minder dan {k} andere regio's vervangen door \"<{k}\", en staan geen namen of teksten van andere regio's. Totalen over thema's of programma's ontbreken, omdat daaruit een verborgen aantal terug te rekenen zou zijn."
            ),
            Lang::En => format!(
                "Disclosure: in this version counts of fewer than {k} other regions are replaced by \"<{k}\", and there are no names or texts of other regions. Totals over themes or programmes are left out, because a withheld count could be worked back from them."
            ),
        }
    });
    if c.national() {
        bullets.extend(coverage(c)?);
    }
    if c.partial() {
        bullets.push(match c.lang {
            Lang::Nl => format!(
                "Let op: {} loopt nog. De cijfers van deze periode zijn voorlopig en niet getoetst; de signalen gaan over de laatste afgesloten periode.",
                c.period_label()
            ),
            Lang::En => format!(
                "Note: {} is still running. Its figures are provisional and not tested; the flags are about the latest complete period.",
                c.period_label()
            ),
        });
    }
    bullets.push(match c.lang {
        Lang::Nl => format!(
            "Dit rapport is gemaakt op {} door Signaalradar; dezelfde gegevens geven hetzelfde rapport.",
            c.request.generated_at.format("%Y-%m-%d %H:%M UTC")
        ),
        Lang::En => format!(
            "This report was made on {} by Signaalradar; the same data gives the same report.",
            c.request.generated_at.format("%Y-%m-%d %H:%M UTC")
        ),
    });
    Ok(Section {
        id: "methode".into(),
        title: c
            .t("Methode en openbaarheid", "Method and disclosure")
            .into(),
        blocks: vec![Block::Bullets(bullets)],
    })
}

/// Coverage (national reports only): the share of the period's items that got a theme, the
/// period before, and a warning when it fell.
fn coverage(c: &Context<'_>) -> Result<Option<String>, super::ReportError> {
    // Read as of the period's end (or today while it runs): the period is the latest one.
    let as_of = c
        .request
        .today
        .min(c.period.end().succ_opt().unwrap_or(c.request.today));
    let coverage = analysis::coverage::Coverage::of_store(c.sources.store, c.period.kind, as_of)?;
    let label = c.period_label();
    let Some(at) = coverage.periods.iter().position(|p| p.period == label) else {
        return Ok(None);
    };
    let this = &coverage.periods[at];
    let share = |s: f64| format!("{} %", decimal(100.0 * s, 1, c.lang));
    let before = at
        .checked_sub(1)
        .map(|i| &coverage.periods[i])
        .map(|p| match c.lang {
            Lang::Nl => format!(" ({}: {})", p.period, share(p.share)),
            Lang::En => format!(" ({}: {})", p.period, share(p.share)),
        })
        .unwrap_or_default();
    let mut text = match c.lang {
        Lang::Nl => format!(
            "Dekking: {} van de {} fragmenten in {label} kreeg minstens één thema{before}. Fragmenten zonder thema tellen in geen enkele trend.",
            share(this.share),
            this.items
        ),
        Lang::En => format!(
            "Coverage: {} of the {} items in {label} got at least one theme{before}. Items without a theme count in no trend.",
            share(this.share),
            this.items
        ),
    };
    if let Some(w) = coverage.warning.as_ref().filter(|w| w.period == label) {
        text.push_str(&match c.lang {
            Lang::Nl => format!(
                " Let op: de dekking daalde tegen {} in de perioden ervoor; er komt een onderwerp op dat de thema's niet kennen.",
                share(w.baseline)
            ),
            Lang::En => format!(
                " Note: coverage fell against {} in the periods before; a topic is coming up that the themes do not know.",
                share(w.baseline)
            ),
        });
    }
    Ok(Some(text))
}
