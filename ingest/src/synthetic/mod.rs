//! The synthetic data generator: realistic input files, written as moderators would, so that
//! the whole pipeline (anonymiser, classifier, trends) has work that looks like the real thing.
//!
//! [`generate`] builds sessions of pseudonymous intervision groups (`G01`, …) between
//! [`trends::FIRST_DATE`] and [`trends::LAST_DATE`]; [`Generated::write_files`] writes them as
//! `sessies.jsonl`, `sessies.csv` and `sessies.xlsx` (each group's moderator uses one format,
//! about 50/30/20 %). The same seed gives byte-identical files: one seeded ChaCha8 stream, no
//! hash-map iteration, no clock.
//!
//! # What is in the data
//! - About [`trends::ACTIVE_REGIONS`] regions of the registry, in groups of 3-8 that meet 3-4
//!   times a year; about 10 % of the groups belong to the programme "Samen Opleiden".
//! - Sessions: online dominant in 2020-2021, mostly moderated, 3-8 participants, 1-6 cases
//!   submitted of which usually 1-2 discussed, evaluation tags, a score, a follow-up or not.
//! - About five items per session: a `casus` per discussed case with `advies` from the other
//!   regions, `signaal`s (with `escaleren` ja/nee/twijfel) and `evaluatie`s. Texts are Dutch,
//!   one to three sentences, from the banks in `texts.rs`; some combine two topics and about
//!   10 % are general. About 25 % of items carry manual theme tags (moderators of some groups tag,
//!   most do not).
//! - Personal data to anonymise: invented people in about 15 % of items, e-mail addresses or
//!   phone numbers in about 3 %, and the odd postcode (see `people.rs`).
//!
//! # Planted trends (constants and curves in [`trends`])
//! Rates are shares of the case, advice and signal items; evaluations are mostly general. The
//! regions with a role depend on the registry only, not on the seed ([`trends::PlantedRegions`]).
//! - `corona`: absent before March 2020, about 30 % of items in 2020-2021, near zero from 2023.
//! - `docent_werkdruk`: 6 % everywhere; from 2022 rising by 6 points a year (to 30 %) in 70 % of
//!   the regions ([`trends::PlantedRegions::werkdruk_rising`]).
//! - `plan_actualisatie`: 4 %, with bumps to about 26 % around the reporting deadlines
//!   [`trends::PLAN_DEADLINES`] (Q2 2022 and Q4 2024).
//! - `eigenaarschap`: a steady 8 % everywhere, all the time.
//! - `faciliteiten`: voiced loudly by one region only ([`trends::PlantedRegions::loud`]) in
//!   2023-2025 — half of its items, plus one or two extra items in most of its sessions — and
//!   next to nothing elsewhere: many items, one region, so not a trend.
//! - `leerlingenvervoer` (pupil transport to practical-training locations), a topic outside the
//!   taxonomy, emerges in 2026 in [`trends::NEW_TOPIC_REGIONS`] regions, for candidate-theme
//!   clustering to find.
//! - The evaluation tag `format-te-strak` rises from 5 % to 40 % of sessions.
//!
//! Each item keeps its [`Truth`] (topics, and every person, e-mail, phone and postcode written),
//! which is not written to the files: tests and evaluations can compare the pipeline against it.

pub mod demo;
mod people;
mod texts;
pub mod trends;
mod write;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::{RngExt, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::error::Result;
use crate::record::{Escalation, ItemKind, Mode};
pub use texts::EVALUATION_TAGS;
use trends::{
    FIRST_DATE, LAST_DATE, LOUD_EXTRA_ITEMS, LOUD_FROM, LOUD_TOPIC, LOUD_UNTIL, NEW_TOPIC,
    NEW_TOPIC_EXTRA_ITEM, NEW_TOPIC_FROM, PlantedRegions, RegionRole, SECOND_TOPIC_SHARE, Topic,
    TopicDistribution,
};

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Number of sessions (exactly this many).
    pub sessions: usize,
    pub seed: u64,
}

/// The generated sessions, sorted by date and group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Generated {
    pub sessions: Vec<SynthSession>,
}

/// Which file a session is written to: the format its group's moderator uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFile {
    Jsonl,
    Csv,
    Xlsx,
}

impl SourceFile {
    pub const ALL: [SourceFile; 3] = [SourceFile::Jsonl, SourceFile::Csv, SourceFile::Xlsx];

    pub fn file_name(self) -> &'static str {
        match self {
            SourceFile::Jsonl => "sessies.jsonl",
            SourceFile::Csv => "sessies.csv",
            SourceFile::Xlsx => "sessies.xlsx",
        }
    }
}

/// A session as a moderator records it; serialises to the JSON Lines format (English keys).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SynthSession {
    pub date: NaiveDate,
    pub programme: String,
    pub group: String,
    pub mode: Mode,
    pub moderated: bool,
    pub participants: u8,
    pub regions_present: Vec<String>,
    pub cases_submitted: u8,
    pub cases_discussed: u8,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evaluation_tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u8>,
    pub next_meeting_planned: bool,
    pub items: Vec<SynthItem>,
    /// The file this session is written to (not part of the record).
    #[serde(skip)]
    pub file: SourceFile,
}

/// One item of a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SynthItem {
    pub kind: ItemKind,
    /// Canonical region name, one of the session's `regions_present`.
    pub region: String,
    pub text: String,
    /// Manual theme tags (taxonomy ids), as a moderator added them; usually none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    /// Only on signals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalate: Option<Escalation>,
    /// What the text is really about and which personal data it holds (not written to files).
    #[serde(skip)]
    pub truth: Truth,
}

/// The ground truth of an item's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Truth {
    /// The topics the text was written about, primary first; empty for a general item.
    pub topics: Vec<Topic>,
    /// Every surface form of every person named ("Sanne van 't Hof", "Van 't Hof", "Sanne").
    pub persons: Vec<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub postcodes: Vec<String>,
}

/// Average meetings per group per year.
const MEETINGS_PER_YEAR: f64 = 3.5;
/// Share of groups in the programme "Samen Opleiden" (the rest is "STO").
pub const SAMEN_OPLEIDEN_SHARE: f64 = 0.10;
/// Share of groups whose moderator tags themes, and how often each kind of moderator does.
const TAGGING_GROUP_SHARE: f64 = 0.3;
const TAG_RATE_TAGGER: f64 = 0.85;
const TAG_RATE_OTHER: f64 = 0.04;
/// Share of items mentioning people; contact details and addresses come on top.
pub const PERSON_SHARE: f64 = 0.13;
pub const CONTACT_SHARE: f64 = 0.03;
pub const ADDRESS_SHARE: f64 = 0.005;
/// Share of groups per file format: JSON Lines, CSV; the rest XLSX.
const FORMAT_SHARES: (f64, f64) = (0.5, 0.3);

/// Generates `opts.sessions` sessions over the regions of the registry (canonical names).
/// An empty region list gives no sessions.
pub fn generate(opts: &GenerateOptions, regions: &[String]) -> Generated {
    let Some(planted) = PlantedRegions::choose(regions) else {
        return Generated::default();
    };
    let roles = planted.roles();
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let groups = form_groups(opts.sessions, planted.active.len(), &mut rng);
    let ctx = Context {
        regions: &planted.active,
        roles: &roles,
    };
    let mut sessions = Vec::with_capacity(opts.sessions);
    for group in &groups {
        for date in schedule(group.sessions, &mut rng) {
            sessions.push(ctx.session(group, date, &mut rng));
        }
    }
    sessions.sort_by(|a, b| (a.date, &a.group).cmp(&(b.date, &b.group)));
    Generated { sessions }
}

impl Generated {
    pub fn item_count(&self) -> usize {
        self.sessions.iter().map(|s| s.items.len()).sum()
    }

    /// Writes `sessies.jsonl`, `sessies.csv` and `sessies.xlsx` into `dir` (created if needed)
    /// and returns the paths written. A format no group uses gets no file (the reader refuses a
    /// file without sessions); a file of that name left by an earlier run is removed, so the
    /// directory always holds exactly this data set.
    pub fn write_files(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        write::write_all(self, dir)
    }
}

#[derive(Debug)]
struct Group {
    id: String,
    programme: &'static str,
    /// Indices into the active regions.
    members: Vec<usize>,
    file: SourceFile,
    tags_themes: bool,
    sessions: usize,
}

/// Forms enough groups for each to meet 3-4 times a year, members dealt from a shuffled deck of
/// regions so every region sits in about as many groups.
fn form_groups(sessions: usize, regions: usize, rng: &mut ChaCha8Rng) -> Vec<Group> {
    if sessions == 0 || regions == 0 {
        return Vec::new();
    }
    let span_years = (LAST_DATE - FIRST_DATE).num_days() as f64 / 365.25;
    let count = ((sessions as f64 / (span_years * MEETINGS_PER_YEAR)).round() as usize).max(1);
    let width = count.to_string().len().max(2);
    // Properties that must hit a share exactly go to the first groups of a shuffled order.
    let shuffled = |rng: &mut ChaCha8Rng| {
        let mut order: Vec<usize> = (0..count).collect();
        order.shuffle(rng);
        let mut rank = vec![0; count];
        for (r, g) in order.into_iter().enumerate() {
            rank[g] = r;
        }
        rank
    };
    let share = |s: f64| (s * count as f64).round() as usize;
    let format_rank = shuffled(rng);
    let programme_rank = shuffled(rng);
    let tagging_rank = shuffled(rng);
    let mut deck: Vec<usize> = Vec::new();
    (0..count)
        .map(|g| {
            let size = rng.random_range(3..=8usize).min(regions);
            let mut members = Vec::with_capacity(size);
            let mut skipped = Vec::new();
            while members.len() < size {
                if deck.is_empty() {
                    deck = (0..regions).collect();
                    deck.shuffle(rng);
                }
                let Some(region) = deck.pop() else { break };
                if members.contains(&region) {
                    skipped.push(region);
                } else {
                    members.push(region);
                }
            }
            deck.extend(skipped);
            members.sort_unstable();
            let file = match format_rank[g] {
                r if r < share(FORMAT_SHARES.0) => SourceFile::Jsonl,
                r if r < share(FORMAT_SHARES.0) + share(FORMAT_SHARES.1) => SourceFile::Csv,
                _ => SourceFile::Xlsx,
            };
            Group {
                id: format!("G{:0width$}", g + 1),
                programme: if programme_rank[g] < share(SAMEN_OPLEIDEN_SHARE) {
                    "Samen Opleiden"
                } else {
                    "STO"
                },
                members,
                file,
                tags_themes: tagging_rank[g] < share(TAGGING_GROUP_SHARE),
                sessions: sessions / count + usize::from(g < sessions % count),
            }
        })
        .collect()
}

/// `count` meeting dates spread evenly over the period with some jitter, on weekdays, outside
/// the summer and Christmas holidays, strictly increasing.
fn schedule(count: usize, rng: &mut ChaCha8Rng) -> Vec<NaiveDate> {
    if count == 0 {
        return Vec::new();
    }
    let span = (LAST_DATE - FIRST_DATE).num_days() as f64;
    let interval = span / count as f64;
    let phase = rng.random_range(0.0..interval);
    let max_jitter = (interval / 6.0).min(12.0) as i64;
    let mut dates: Vec<NaiveDate> = Vec::with_capacity(count);
    for i in 0..count {
        let jitter = rng.random_range(-max_jitter..=max_jitter) as f64;
        let offset = (phase + i as f64 * interval + jitter).clamp(0.0, span) as u64;
        let mut date = FIRST_DATE + Days::new(offset);
        date = outside_holidays(date, rng);
        if let Some(&previous) = dates.last()
            && date <= previous
        {
            date = previous + Days::new(1);
        }
        date = on_a_weekday(date);
        dates.push(date.min(LAST_DATE));
    }
    dates
}

fn outside_holidays(date: NaiveDate, rng: &mut ChaCha8Rng) -> NaiveDate {
    let (y, m, d) = (date.year(), date.month(), date.day());
    let moved = if (m == 7 && d >= 18) || (m == 8 && d < 25) {
        NaiveDate::from_ymd_opt(y, 8, 25)
    } else if m == 12 && d >= 21 {
        NaiveDate::from_ymd_opt(y + 1, 1, 6)
    } else if m == 1 && d < 6 {
        NaiveDate::from_ymd_opt(y, 1, 6)
    } else {
        return date;
    };
    moved.map_or(date, |start| start + Days::new(rng.random_range(0..14)))
}

/// Moves a weekend date to the next Monday, or back to Friday at the end of the period.
fn on_a_weekday(date: NaiveDate) -> NaiveDate {
    let (forward, back) = match date.weekday() {
        Weekday::Sat => (2, 1),
        Weekday::Sun => (1, 2),
        _ => return date,
    };
    let next = date + Days::new(forward);
    if next <= LAST_DATE {
        next
    } else {
        date - Days::new(back)
    }
}

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, choices: &[(T, u32)]) -> T {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for &(value, weight) in choices {
        if x < weight {
            return value;
        }
        x -= weight;
    }
    choices[choices.len() - 1].0
}

/// Samen Opleiden partnerships are about training teachers rather than companies.
fn programme_weight(programme: &str) -> impl Fn(Topic) -> f64 {
    let samen_opleiden = programme != "STO";
    move |topic| match (samen_opleiden, topic) {
        (true, Topic::Professionalisering) => 2.5,
        (true, Topic::Bedrijfsleven) => 0.4,
        (true, Topic::Leerlijnen) => 0.6,
        _ => 1.0,
    }
}

struct Context<'a> {
    regions: &'a [String],
    roles: &'a [RegionRole],
}

/// An item before its text is written.
struct Draft {
    kind: ItemKind,
    /// Index into `present`.
    speaker: usize,
    topics: Vec<Topic>,
}

/// An extra item on a planted region-bound topic: a signal with probability `signal_share`,
/// otherwise a case.
fn extra_draft(rng: &mut ChaCha8Rng, signal_share: f64, speaker: usize, topic: Topic) -> Draft {
    let kind = if rng.random_bool(signal_share) {
        ItemKind::Signaal
    } else {
        ItemKind::Casus
    };
    Draft {
        kind,
        speaker,
        topics: vec![topic],
    }
}

impl Context<'_> {
    fn session(&self, group: &Group, date: NaiveDate, rng: &mut ChaCha8Rng) -> SynthSession {
        let mut present: Vec<usize> = group
            .members
            .iter()
            .copied()
            .filter(|_| rng.random_bool(0.85))
            .collect();
        for &member in &group.members {
            if present.len() >= group.members.len().min(2) {
                break;
            }
            if !present.contains(&member) {
                present.push(member);
            }
        }
        present.sort_unstable();

        let mode = if rng.random_bool(trends::online_rate(date)) {
            Mode::Online
        } else {
            Mode::Fysiek
        };
        let moderated = rng.random_bool(0.85);
        let extra_people = weighted(rng, &[(0usize, 60), (1, 30), (2, 10)]);
        let participants = (present.len() + extra_people).clamp(3, 8) as u8;
        let cases_submitted: u8 =
            weighted(rng, &[(1, 10), (2, 20), (3, 25), (4, 20), (5, 15), (6, 10)]);
        let cases_discussed = if rng.random_bool(0.03) {
            0
        } else {
            weighted(rng, &[(1u8, 50), (2, 38), (3, 12)]).min(cases_submitted)
        };
        let next_meeting_planned = rng.random_bool(0.8);
        let evaluation_tags = evaluation_tags(
            date,
            mode,
            moderated,
            participants,
            cases_submitted - cases_discussed,
            next_meeting_planned,
            rng,
        );
        let score = rng.random_bool(0.9).then(|| score(&evaluation_tags, rng));

        let weight = programme_weight(group.programme);
        let dists: Vec<TopicDistribution> = present
            .iter()
            .map(|&r| TopicDistribution::new(date, self.roles[r], &weight))
            .collect();
        let drafts = self.drafts(
            date,
            &present,
            &dists,
            cases_submitted,
            cases_discussed,
            rng,
        );
        let mut seen = BTreeSet::new();
        let items = drafts
            .into_iter()
            .map(|draft| self.item(draft, &present, group, &evaluation_tags, &mut seen, rng))
            .collect();

        SynthSession {
            date,
            programme: group.programme.to_owned(),
            group: group.id.clone(),
            mode,
            moderated,
            participants,
            regions_present: present.iter().map(|&r| self.regions[r].clone()).collect(),
            cases_submitted,
            cases_discussed,
            evaluation_tags,
            score,
            next_meeting_planned,
            items,
            file: group.file,
        }
    }

    /// Decides who says what about which topic: the minutes of one session.
    fn drafts(
        &self,
        date: NaiveDate,
        present: &[usize],
        dists: &[TopicDistribution],
        submitted: u8,
        discussed: u8,
        rng: &mut ChaCha8Rng,
    ) -> Vec<Draft> {
        let topics_for = |speaker: usize, rng: &mut ChaCha8Rng| -> Vec<Topic> {
            let Some(primary) = dists[speaker].sample(rng) else {
                return Vec::new();
            };
            let mut topics = vec![primary];
            if primary != NEW_TOPIC && rng.random_bool(SECOND_TOPIC_SHARE) {
                let partners = trends::partners(primary);
                let second = if !partners.is_empty() && rng.random_bool(0.5) {
                    Some(partners[rng.random_range(0..partners.len())])
                } else {
                    dists[speaker].sample_other(rng, primary)
                };
                topics.extend(second);
            }
            topics
        };
        let n = present.len();
        let mut drafts = Vec::new();
        let mut speakers: Vec<usize> = (0..n).collect();
        speakers.shuffle(rng);

        for case in 0..usize::from(discussed) {
            let owner = speakers[case % n];
            let topics = topics_for(owner, rng);
            let primary = topics.first().copied();
            drafts.push(Draft {
                kind: ItemKind::Casus,
                speaker: owner,
                topics,
            });
            let advice =
                weighted(rng, &[(0usize, 25), (1, 40), (2, 30), (3, 5)]).min(n.saturating_sub(1));
            let mut advisors: Vec<usize> = (0..n).filter(|&s| s != owner).collect();
            advisors.shuffle(rng);
            for &advisor in advisors.iter().take(advice) {
                // Advice is on the case's topic, except for topics bound to particular regions:
                // an advising region does not raise those itself.
                let topics = match primary {
                    Some(t) if !trends::is_region_bound(t) && rng.random_bool(0.8) => vec![t],
                    _ => topics_for(advisor, rng),
                };
                drafts.push(Draft {
                    kind: ItemKind::Advies,
                    speaker: advisor,
                    topics,
                });
            }
        }
        // Cases brought in but not discussed are sometimes still noted.
        for _ in discussed..submitted {
            if rng.random_bool(0.15) {
                let speaker = rng.random_range(0..n);
                let topics = topics_for(speaker, rng);
                drafts.push(Draft {
                    kind: ItemKind::Casus,
                    speaker,
                    topics,
                });
            }
        }
        let signals = weighted(rng, &[(0usize, 35), (1, 45), (2, 17), (3, 3)]);
        for _ in 0..signals {
            let speaker = rng.random_range(0..n);
            let topics = topics_for(speaker, rng);
            drafts.push(Draft {
                kind: ItemKind::Signaal,
                speaker,
                topics,
            });
        }
        // The planted region-bound topics get extra items from their regions.
        for (speaker, &region) in present.iter().enumerate() {
            let role = self.roles[region];
            if role.loud && (LOUD_FROM..=LOUD_UNTIL).contains(&date) {
                for p in [LOUD_EXTRA_ITEMS.0, LOUD_EXTRA_ITEMS.1] {
                    if rng.random_bool(p) {
                        drafts.push(extra_draft(rng, 0.8, speaker, LOUD_TOPIC));
                    }
                }
            }
            if role.new_topic && date >= NEW_TOPIC_FROM && rng.random_bool(NEW_TOPIC_EXTRA_ITEM) {
                drafts.push(extra_draft(rng, 0.5, speaker, NEW_TOPIC));
            }
        }
        let evaluations = weighted(rng, &[(0usize, 50), (1, 42), (2, 8)]);
        let case_topic = drafts
            .iter()
            .find(|d| d.kind == ItemKind::Casus)
            .and_then(|d| d.topics.first().copied());
        for _ in 0..evaluations {
            let speaker = rng.random_range(0..n);
            let topics = if rng.random_bool(0.3) {
                match case_topic {
                    Some(t) if !trends::is_region_bound(t) && rng.random_bool(0.5) => vec![t],
                    _ => dists[speaker].sample(rng).into_iter().collect(),
                }
            } else {
                Vec::new()
            };
            drafts.push(Draft {
                kind: ItemKind::Evaluatie,
                speaker,
                topics,
            });
        }
        if drafts.is_empty() {
            drafts.push(Draft {
                kind: ItemKind::Evaluatie,
                speaker: 0,
                topics: Vec::new(),
            });
        }
        drafts
    }

    fn item(
        &self,
        draft: Draft,
        present: &[usize],
        group: &Group,
        session_tags: &[String],
        seen: &mut BTreeSet<(ItemKind, usize, String)>,
        rng: &mut ChaCha8Rng,
    ) -> SynthItem {
        // The store keeps an item once per session, kind, region and (anonymised) text: keep
        // the texts before personal data distinct, so every generated item is stored.
        let mut text = String::new();
        for _ in 0..20 {
            text = texts::compose(draft.kind, &draft.topics, session_tags, rng);
            if seen.insert((draft.kind, draft.speaker, text.clone())) {
                break;
            }
        }
        let mut truth = Truth {
            topics: draft.topics,
            ..Truth::default()
        };
        if rng.random_bool(PERSON_SHARE) {
            people::add_person(draft.kind, &mut text, rng, &mut truth);
        }
        if rng.random_bool(CONTACT_SHARE) {
            people::add_contact(&mut text, rng, &mut truth);
        }
        if rng.random_bool(ADDRESS_SHARE) {
            people::add_address(&mut text, rng, &mut truth);
        }
        let tag_rate = if group.tags_themes {
            TAG_RATE_TAGGER
        } else {
            TAG_RATE_OTHER
        };
        let mut themes: Vec<String> = Vec::new();
        if !truth.topics.is_empty() && rng.random_bool(tag_rate) {
            let ids = truth.topics.iter().filter_map(|t| t.theme_id());
            // Moderators tagging a two-topic item sometimes note only the main one.
            let keep = if rng.random_bool(0.3) { 1 } else { 2 };
            themes = ids.take(keep).map(str::to_owned).collect();
        }
        let escalate = (draft.kind == ItemKind::Signaal && rng.random_bool(0.92)).then(|| {
            let planted = truth.topics.iter().any(|t| {
                matches!(
                    t,
                    Topic::DocentWerkdruk | Topic::Faciliteiten | Topic::Leerlingenvervoer
                )
            });
            let weights = if planted { [50, 20, 30] } else { [30, 40, 30] };
            weighted(
                rng,
                &[
                    (Escalation::Ja, weights[0]),
                    (Escalation::Nee, weights[1]),
                    (Escalation::Twijfel, weights[2]),
                ],
            )
        });
        SynthItem {
            kind: draft.kind,
            region: self.regions[present[draft.speaker]].clone(),
            text,
            themes,
            escalate,
            truth,
        }
    }
}

fn evaluation_tags(
    date: NaiveDate,
    mode: Mode,
    moderated: bool,
    participants: u8,
    left_over_cases: u8,
    next_meeting_planned: bool,
    rng: &mut ChaCha8Rng,
) -> Vec<String> {
    let mut tags: Vec<&str> = Vec::new();
    if rng.random_bool(trends::format_te_strak_rate(date)) {
        tags.push("format-te-strak");
        if rng.random_bool(0.5) {
            tags.push("meer-ruimte-voor-zijpaden");
        }
    } else if rng.random_bool(0.06) {
        tags.push("meer-ruimte-voor-zijpaden");
    }
    let candidates = [
        ("goed-gemodereerd", if moderated { 0.35 } else { 0.0 }),
        (
            "vervolg-gepland",
            if next_meeting_planned { 0.3 } else { 0.0 },
        ),
        (
            "te-weinig-tijd",
            if left_over_cases >= 2 { 0.4 } else { 0.03 },
        ),
        ("nuttige-tips", 0.3),
        ("herkenbare-casus", 0.25),
        ("goede-sfeer", 0.1),
        ("te-grote-groep", if participants >= 7 { 0.3 } else { 0.0 }),
        (
            "online-lastig",
            if mode == Mode::Online { 0.2 } else { 0.0 },
        ),
        ("ruimte-voor-actualiteiten", 0.06),
    ];
    for (tag, p) in candidates {
        if p > 0.0 && rng.random_bool(p) {
            tags.push(tag);
        }
    }
    tags.into_iter().map(str::to_owned).collect()
}

fn score(tags: &[String], rng: &mut ChaCha8Rng) -> u8 {
    let has = |t: &str| tags.iter().any(|x| x == t);
    let mut s: f64 = 4.0 + (rng.random::<f64>() + rng.random::<f64>() - 1.0) * 1.6;
    if has("format-te-strak") {
        s -= 0.8;
    }
    if has("te-weinig-tijd") {
        s -= 0.5;
    }
    if has("nuttige-tips") || has("herkenbare-casus") {
        s += 0.4;
    }
    s.round().clamp(1.0, 5.0) as u8
}

#[cfg(test)]
mod tests;
