//! The planted trends: which topic an item is about, as a function of its date and region.
//!
//! Every non-evaluation item gets a primary topic in two steps. First the *planted* topics are
//! drawn with absolute probabilities ([`planted_rate`]), so that e.g. `eigenaarschap` is exactly
//! [`EIGENAARSCHAP_RATE`] of such items in every period whatever corona does. Whatever is left
//! goes to the *background* topics in fixed proportions ([`BACKGROUND`]), including "general"
//! (no theme). All curves and region roles are public so tests can check what was planted.

use chrono::{Datelike, NaiveDate};
use rand::{RngExt, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => panic!("invalid constant date"),
    }
}

/// First possible session date.
pub const FIRST_DATE: NaiveDate = date(2020, 1, 1);
/// Last possible session date: a fixed constant, never the clock, so output is reproducible.
pub const LAST_DATE: NaiveDate = date(2026, 11, 15);

/// How many regions of the registry take part in the synthetic groups.
pub const ACTIVE_REGIONS: usize = 40;

/// What an item can be about: the taxonomy's themes plus the emerging topic that is not (yet)
/// in the taxonomy. An item about none of these is "general" (an empty topic list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    Corona,
    DocentWerkdruk,
    PlanActualisatie,
    Eigenaarschap,
    Schoolleiders,
    Bedrijfsleven,
    Wetgeving,
    Professionalisering,
    Leerlijnen,
    Faciliteiten,
    Samenwerking,
    /// Pupil transport to practical-training locations: deliberately outside taxonomy version 1.
    Leerlingenvervoer,
}

impl Topic {
    pub const ALL: [Topic; 12] = [
        Topic::Corona,
        Topic::DocentWerkdruk,
        Topic::PlanActualisatie,
        Topic::Eigenaarschap,
        Topic::Schoolleiders,
        Topic::Bedrijfsleven,
        Topic::Wetgeving,
        Topic::Professionalisering,
        Topic::Leerlijnen,
        Topic::Faciliteiten,
        Topic::Samenwerking,
        Topic::Leerlingenvervoer,
    ];

    /// The theme id in the taxonomy, or `leerlingenvervoer` for the emerging topic.
    pub fn id(self) -> &'static str {
        match self {
            Topic::Corona => "corona",
            Topic::DocentWerkdruk => "docent_werkdruk",
            Topic::PlanActualisatie => "plan_actualisatie",
            Topic::Eigenaarschap => "eigenaarschap",
            Topic::Schoolleiders => "schoolleiders",
            Topic::Bedrijfsleven => "bedrijfsleven",
            Topic::Wetgeving => "wetgeving",
            Topic::Professionalisering => "professionalisering",
            Topic::Leerlijnen => "leerlijnen",
            Topic::Faciliteiten => "faciliteiten",
            Topic::Samenwerking => "samenwerking",
            Topic::Leerlingenvervoer => "leerlingenvervoer",
        }
    }

    /// The taxonomy theme id, `None` for the topic outside the taxonomy.
    pub fn theme_id(self) -> Option<&'static str> {
        (self != NEW_TOPIC).then(|| self.id())
    }
}

/// Corona: absent before March 2020, high through 2020-2021, near zero from 2023.
/// Points are (fractional year, probability); linear in between.
pub const CORONA_CURVE: &[(f64, f64)] = &[
    (2020.0, 0.0),
    (2020.17, 0.0),
    (2020.25, 0.32),
    (2021.0, 0.30),
    (2021.9, 0.24),
    (2022.5, 0.08),
    (2023.0, 0.015),
    (2024.0, 0.004),
    (2027.0, 0.003),
];

/// Teacher workload: this rate everywhere and always...
pub const WERKDRUK_BASE: f64 = 0.06;
/// ...rising from this fractional year in the "rising" regions...
pub const WERKDRUK_RISING_FROM: f64 = 2022.0;
/// ...by this much per year...
pub const WERKDRUK_SLOPE: f64 = 0.06;
/// ...up to this rate.
pub const WERKDRUK_CAP: f64 = 0.30;
/// Share of the active regions where teacher workload rises ("many regions").
pub const WERKDRUK_RISING_SHARE: f64 = 0.7;

/// Plan updates: a base rate plus a bump around each reporting deadline (Q2 2022, Q4 2024).
pub const PLAN_BASE: f64 = 0.04;
pub const PLAN_PEAK: f64 = 0.22;
pub const PLAN_DEADLINES: [NaiveDate; 2] = [date(2022, 5, 15), date(2024, 11, 15)];
pub const PLAN_SIGMA_DAYS: f64 = 40.0;

/// Schools' ownership: a steady rate, everywhere, all the time.
pub const EIGENAARSCHAP_RATE: f64 = 0.08;

/// The theme voiced loudly by one region only.
pub const LOUD_TOPIC: Topic = Topic::Faciliteiten;
pub const LOUD_FROM: NaiveDate = date(2023, 1, 1);
pub const LOUD_UNTIL: NaiveDate = date(2025, 12, 31);
/// Rate of the loud topic in the loud region during the loud period...
pub const LOUD_RATE: f64 = 0.5;
/// ...and everywhere else, always (close to nothing).
pub const LOUD_ELSEWHERE: f64 = 0.001;
/// In the loud period the loud region also adds an extra item about it (mostly a signal) in this
/// share of the sessions it attends, and a second one in this share.
pub const LOUD_EXTRA_ITEMS: (f64, f64) = (0.9, 0.4);

/// The topic outside the taxonomy that emerges in 2026.
pub const NEW_TOPIC: Topic = Topic::Leerlingenvervoer;
pub const NEW_TOPIC_FROM: NaiveDate = date(2026, 1, 1);
/// Number of regions where the new topic emerges.
pub const NEW_TOPIC_REGIONS: usize = 8;
/// Its rate in those regions rises linearly over 2026 from the first to the second value.
pub const NEW_TOPIC_RATE: (f64, f64) = (0.12, 0.25);
/// Share of the 2026 sessions attended by such a region that get an extra item about it.
pub const NEW_TOPIC_EXTRA_ITEM: f64 = 0.4;

/// Background topics share what the planted ones leave, in these proportions (`None`: general).
pub const BACKGROUND: [(Option<Topic>, f64); 7] = [
    (Some(Topic::Schoolleiders), 0.08),
    (Some(Topic::Bedrijfsleven), 0.10),
    (Some(Topic::Wetgeving), 0.05),
    (Some(Topic::Professionalisering), 0.08),
    (Some(Topic::Leerlijnen), 0.09),
    (Some(Topic::Samenwerking), 0.08),
    (None, 0.045),
];

/// Share of items that get a second topic.
pub const SECOND_TOPIC_SHARE: f64 = 0.15;

/// Evaluation tag `format-te-strak`: share of sessions carrying it, rising linearly from the first
/// value on [`FIRST_DATE`] to the second on [`LAST_DATE`].
pub const FORMAT_TE_STRAK_RATE: (f64, f64) = (0.05, 0.40);

/// The role a region plays in the planted trends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegionRole {
    pub loud: bool,
    pub werkdruk_rising: bool,
    pub new_topic: bool,
}

/// Which registry regions take part and which play a role in the planted trends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlantedRegions {
    /// The participating regions, in registry order.
    pub active: Vec<String>,
    /// The single region voicing [`LOUD_TOPIC`].
    pub loud: String,
    /// Regions where teacher workload rises from 2022.
    pub werkdruk_rising: Vec<String>,
    /// Regions where [`NEW_TOPIC`] emerges in 2026.
    pub new_topic: Vec<String>,
}

/// Fixed seed for choosing the planted regions: they depend on the registry only, not on the
/// generator's seed, so the sample's loud region is stable and easy to document.
const REGION_ROLE_SEED: u64 = 0x5349_474e_414c;

impl PlantedRegions {
    /// Picks [`ACTIVE_REGIONS`] regions spread evenly over the registry (which runs north to
    /// south), then assigns disjoint roles: one loud region, [`NEW_TOPIC_REGIONS`] regions for the
    /// new topic, and [`WERKDRUK_RISING_SHARE`] of the regions with rising workload.
    /// Returns `None` for an empty registry.
    pub fn choose(regions: &[String]) -> Option<PlantedRegions> {
        if regions.is_empty() {
            return None;
        }
        let n = regions.len();
        let active: Vec<String> = if n <= ACTIVE_REGIONS {
            regions.to_vec()
        } else {
            (0..ACTIVE_REGIONS)
                .map(|k| regions[k * n / ACTIVE_REGIONS].clone())
                .collect()
        };
        let mut order: Vec<usize> = (0..active.len()).collect();
        order.shuffle(&mut ChaCha8Rng::seed_from_u64(REGION_ROLE_SEED));
        let pick = |from: usize, count: usize| -> Vec<String> {
            let mut picked: Vec<usize> = order.iter().copied().skip(from).take(count).collect();
            picked.sort_unstable();
            picked.into_iter().map(|i| active[i].clone()).collect()
        };
        let rising = (WERKDRUK_RISING_SHARE * active.len() as f64).round() as usize;
        Some(PlantedRegions {
            loud: active[order[0]].clone(),
            new_topic: pick(1, NEW_TOPIC_REGIONS),
            werkdruk_rising: pick(1 + NEW_TOPIC_REGIONS, rising),
            active,
        })
    }

    /// The role of every active region, in the order of [`PlantedRegions::active`].
    pub(super) fn roles(&self) -> Vec<RegionRole> {
        self.active
            .iter()
            .map(|name| RegionRole {
                loud: *name == self.loud,
                werkdruk_rising: self.werkdruk_rising.contains(name),
                new_topic: self.new_topic.contains(name),
            })
            .collect()
    }
}

/// The date as a fractional year, e.g. 2022.5 for early July 2022.
pub fn fractional_year(date: NaiveDate) -> f64 {
    f64::from(date.year()) + f64::from(date.ordinal0()) / 365.25
}

fn piecewise(points: &[(f64, f64)], x: f64) -> f64 {
    let Some(first) = points.first() else {
        return 0.0;
    };
    if x <= first.0 {
        return first.1;
    }
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        if x <= x1 {
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        }
    }
    points.last().map_or(0.0, |p| p.1)
}

/// The absolute probability that a non-evaluation item from a region with `role`, in a session on
/// `date`, is about `topic`. Zero for background topics (they share the remainder).
pub fn planted_rate(topic: Topic, date: NaiveDate, role: RegionRole) -> f64 {
    let year = fractional_year(date);
    match topic {
        Topic::Corona => piecewise(CORONA_CURVE, year),
        Topic::DocentWerkdruk if role.werkdruk_rising && year > WERKDRUK_RISING_FROM => {
            (WERKDRUK_BASE + WERKDRUK_SLOPE * (year - WERKDRUK_RISING_FROM)).min(WERKDRUK_CAP)
        }
        Topic::DocentWerkdruk => WERKDRUK_BASE,
        Topic::PlanActualisatie => {
            let bumps: f64 = PLAN_DEADLINES
                .iter()
                .map(|deadline| {
                    let z = (date - *deadline).num_days() as f64 / PLAN_SIGMA_DAYS;
                    (-0.5 * z * z).exp()
                })
                .sum();
            PLAN_BASE + PLAN_PEAK * bumps
        }
        Topic::Eigenaarschap => EIGENAARSCHAP_RATE,
        Topic::Faciliteiten if role.loud && (LOUD_FROM..=LOUD_UNTIL).contains(&date) => LOUD_RATE,
        Topic::Faciliteiten => LOUD_ELSEWHERE,
        Topic::Leerlingenvervoer if role.new_topic && date >= NEW_TOPIC_FROM => {
            let progress = ((date - NEW_TOPIC_FROM).num_days() as f64 / 320.0).min(1.0);
            NEW_TOPIC_RATE.0 + (NEW_TOPIC_RATE.1 - NEW_TOPIC_RATE.0) * progress
        }
        _ => 0.0,
    }
}

/// Share of sessions on `date` tagged `format-te-strak`.
pub fn format_te_strak_rate(date: NaiveDate) -> f64 {
    let span = (LAST_DATE - FIRST_DATE).num_days() as f64;
    let progress = ((date - FIRST_DATE).num_days() as f64 / span).clamp(0.0, 1.0);
    FORMAT_TE_STRAK_RATE.0 + (FORMAT_TE_STRAK_RATE.1 - FORMAT_TE_STRAK_RATE.0) * progress
}

/// Share of sessions on `date` held online: dominant during the corona years.
pub fn online_rate(date: NaiveDate) -> f64 {
    match (date.year(), date.month()) {
        (2020, 1..=2) => 0.15,
        (2020, _) => 0.85,
        (2021, _) => 0.75,
        (2022, 1..=6) => 0.5,
        _ => 0.3,
    }
}

/// The topic distribution for one item, ready to sample from.
#[derive(Debug, Clone)]
pub(super) struct TopicDistribution {
    /// Cumulative probabilities over `Some(topic)` and `None` (general).
    cumulative: Vec<(Option<Topic>, f64)>,
}

impl TopicDistribution {
    /// `weight` scales background topics per programme (e.g. Samen Opleiden talks more about
    /// teacher training).
    pub(super) fn new(date: NaiveDate, role: RegionRole, weight: impl Fn(Topic) -> f64) -> Self {
        let mut planted: Vec<(Option<Topic>, f64)> = Topic::ALL
            .iter()
            .map(|&t| (Some(t), planted_rate(t, date, role)))
            .filter(|(_, p)| *p > 0.0)
            .collect();
        let total: f64 = planted.iter().map(|(_, p)| p).sum();
        // The planted rates never sum near 1 with the constants above; keep room regardless.
        let cap = 0.9;
        if total > cap {
            for (_, p) in &mut planted {
                *p *= cap / total;
            }
        }
        let remainder = 1.0 - planted.iter().map(|(_, p)| p).sum::<f64>();
        let background: Vec<(Option<Topic>, f64)> = BACKGROUND
            .iter()
            .map(|&(t, w)| (t, w * t.map_or(1.0, &weight)))
            .collect();
        let background_total: f64 = background.iter().map(|(_, w)| w).sum();
        let mut cumulative = Vec::with_capacity(planted.len() + background.len());
        let mut acc = 0.0;
        for (t, p) in planted {
            acc += p;
            cumulative.push((t, acc));
        }
        for (t, w) in background {
            acc += remainder * w / background_total;
            cumulative.push((t, acc));
        }
        TopicDistribution { cumulative }
    }

    pub(super) fn sample(&self, rng: &mut ChaCha8Rng) -> Option<Topic> {
        let u: f64 = rng.random();
        self.cumulative
            .iter()
            .find(|(_, c)| u < *c)
            .or(self.cumulative.last())
            .and_then(|(t, _)| *t)
    }

    /// Samples a topic other than `not` and the general "topic"; `None` after a few misses.
    pub(super) fn sample_other(&self, rng: &mut ChaCha8Rng, not: Topic) -> Option<Topic> {
        (0..4).find_map(|_| self.sample(rng).filter(|t| *t != not && *t != NEW_TOPIC))
    }
}

/// Topics that naturally come up together with `topic` (never the region-bound ones).
pub(super) fn partners(topic: Topic) -> &'static [Topic] {
    use Topic::*;
    match topic {
        Corona => &[DocentWerkdruk, PlanActualisatie, Bedrijfsleven],
        DocentWerkdruk => &[Professionalisering, Schoolleiders, Eigenaarschap],
        PlanActualisatie => &[Wetgeving, Schoolleiders, Eigenaarschap],
        Eigenaarschap => &[Schoolleiders, Samenwerking, DocentWerkdruk],
        Schoolleiders => &[Eigenaarschap, PlanActualisatie],
        Bedrijfsleven => &[Leerlijnen, Professionalisering],
        Wetgeving => &[PlanActualisatie, Leerlijnen],
        Professionalisering => &[DocentWerkdruk, Bedrijfsleven],
        Leerlijnen => &[Bedrijfsleven, Samenwerking],
        Faciliteiten => &[Bedrijfsleven, DocentWerkdruk],
        Samenwerking => &[Eigenaarschap, Leerlijnen],
        Leerlingenvervoer => &[],
    }
}

/// True for topics bound to particular regions: advice on such a case is not counted as the
/// advising region raising the topic, so it gets a topic of its own.
pub(super) fn is_region_bound(topic: Topic) -> bool {
    topic == LOUD_TOPIC || topic == NEW_TOPIC
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_have_the_planted_shape() {
        let plain = RegionRole::default();
        let rate = |t, y, m| planted_rate(t, date(y, m, 15), plain);
        assert_eq!(rate(Topic::Corona, 2020, 1), 0.0);
        assert!(rate(Topic::Corona, 2020, 10) > 0.25);
        assert!(rate(Topic::Corona, 2024, 6) < 0.01);
        assert!(rate(Topic::PlanActualisatie, 2022, 5) > 0.2);
        assert!(rate(Topic::PlanActualisatie, 2023, 9) < 0.05);
        let rising = RegionRole {
            werkdruk_rising: true,
            ..plain
        };
        assert!(planted_rate(Topic::DocentWerkdruk, date(2026, 6, 1), rising) > 0.25);
        assert_eq!(
            planted_rate(Topic::DocentWerkdruk, date(2026, 6, 1), plain),
            WERKDRUK_BASE
        );
        assert_eq!(rate(Topic::Leerlingenvervoer, 2026, 6), 0.0);
        let new = RegionRole {
            new_topic: true,
            ..plain
        };
        assert!(planted_rate(Topic::Leerlingenvervoer, date(2025, 12, 31), new) == 0.0);
        assert!(planted_rate(Topic::Leerlingenvervoer, date(2026, 3, 1), new) > 0.1);
        assert!(format_te_strak_rate(LAST_DATE) > 5.0 * format_te_strak_rate(FIRST_DATE));
    }

    #[test]
    fn planted_regions_are_disjoint_and_stable() {
        let regions: Vec<String> = (0..78).map(|i| format!("Regio {i:02}")).collect();
        let planted = PlantedRegions::choose(&regions).expect("regions");
        assert_eq!(planted.active.len(), ACTIVE_REGIONS);
        assert_eq!(planted.new_topic.len(), NEW_TOPIC_REGIONS);
        assert_eq!(planted.werkdruk_rising.len(), 28);
        assert!(!planted.new_topic.contains(&planted.loud));
        assert!(!planted.werkdruk_rising.contains(&planted.loud));
        assert!(
            planted
                .new_topic
                .iter()
                .all(|r| !planted.werkdruk_rising.contains(r))
        );
        assert_eq!(PlantedRegions::choose(&regions), Some(planted));
        assert_eq!(PlantedRegions::choose(&[]), None);
        let few = PlantedRegions::choose(&regions[..2]).expect("regions");
        assert_eq!(few.active.len(), 2);
    }
}
