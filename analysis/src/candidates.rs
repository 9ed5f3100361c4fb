//! Candidate themes: the items no theme matches, clustered so an admin can see what is being
//! raised that the taxonomy does not cover yet. Texts become TF-IDF vectors over their stemmed
//! terms; average-linkage agglomerative clustering (the `kodama` crate) on cosine distance,
//! cut at a fixed distance, gives the clusters; each is shown with its top terms, item count and
//! number of distinct regions.

use std::collections::{BTreeSet, HashMap};

use ingest::store::Store;
use serde::Serialize;

use crate::error::Result;
use crate::text_analysis;

/// The newest unthemed items clustered (the distance matrix grows with the square).
pub const MAX_ITEMS: usize = 2_000;

/// Clusters are cut where average cosine distance exceeds this.
const CUT_DISTANCE: f64 = 0.85;

/// Smaller clusters are noise, not candidate themes.
const MIN_CLUSTER_ITEMS: usize = 5;

const TOP_TERMS: usize = 6;

#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    /// The words that set the cluster apart, as people wrote them (not stems), most telling
    /// first.
    pub top_terms: Vec<String>,
    /// Word pairs that recur in the cluster ("tekort aan stageplaatsen"), as written.
    pub phrases: Vec<String>,
    /// A few of its (anonymised) texts, shortened: for national supporters and the beheerder.
    pub examples: Vec<String>,
    pub items: usize,
    pub regions: usize,
    /// Positions of its items in the list given to [`cluster`] (for measuring; not shown).
    #[serde(skip)]
    pub members: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidates {
    /// Items no theme matches.
    pub unmatched: usize,
    /// Of those, the newest ones that were clustered.
    pub clustered: usize,
    /// Largest first.
    pub clusters: Vec<Cluster>,
}

/// Items of the whole store (themed or not) the distinctiveness of a word is measured against.
pub const BACKGROUND_ITEMS: usize = 5_000;
/// A cluster's best word must be at least this many times as common in the cluster as in the
/// store's items: otherwise it is made of words everyone uses ("bijeenkomst", "goed").
const MIN_LIFT: f64 = 3.0;
/// ... and in at least this share of the cluster's items.
const MIN_COHESION: f64 = 0.5;
/// A word in more than this share of the store's items is one everyone uses: a cluster whose
/// best word it is, is no new topic.
const GENERIC_SHARE: f64 = 0.05;
const PHRASES: usize = 3;
const EXAMPLES: usize = 3;
const EXAMPLE_CHARS: usize = 220;
const PHRASE_BYTES: usize = 40;

/// The candidate themes of a store: its newest unthemed items clustered, set against its
/// newest items of any kind.
pub fn candidates(store: &Store) -> Result<Candidates> {
    let unmatched = store.unthemed_count()?;
    let items = store.unthemed_items(MAX_ITEMS)?;
    let background = store.recent_texts(BACKGROUND_ITEMS)?;
    Ok(cluster(&items, &background, unmatched))
}

/// One analysed text: its stems (with the words as written) in order.
struct Analysed {
    /// (stem, surface form lower-cased, byte range in the text)
    tokens: Vec<(String, String, std::ops::Range<usize>)>,
}

fn analyse(analyzer: &mut tantivy::tokenizer::TextAnalyzer, text: &str) -> Analysed {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        let t = stream.token();
        let stem = t.text.clone();
        if stem.chars().count() < 3 || stem.chars().all(|c| c.is_ascii_digit()) || stem == "naam" {
            continue;
        }
        let surface = text
            .get(t.offset_from..t.offset_to)
            .unwrap_or(&stem)
            .to_lowercase();
        tokens.push((stem, surface, t.offset_from..t.offset_to));
    }
    Analysed { tokens }
}

/// Clusters `items` (text, region) that no theme matches; `background` are texts of the whole
/// store, against which a cluster's words must stand out; `unmatched` is reported as is.
pub fn cluster(items: &[(String, String)], background: &[String], unmatched: usize) -> Candidates {
    let mut analyzer = text_analysis::dutch_analyzer();
    let analysed: Vec<Analysed> = items
        .iter()
        .map(|(t, _)| analyse(&mut analyzer, t))
        .collect();
    let docs: Vec<HashMap<String, f64>> = analysed
        .iter()
        .map(|a| {
            let mut tf = HashMap::new();
            for (stem, _, _) in &a.tokens {
                *tf.entry(stem.clone()).or_insert(0.0) += 1.0;
            }
            tf
        })
        .collect();
    // Share of the store's items holding each stem (the unthemed ones count too).
    let mut background_df: HashMap<String, f64> = HashMap::new();
    for text in background {
        let stems: BTreeSet<String> = text_analysis::terms(&mut analyzer, text)
            .into_iter()
            .collect();
        for stem in stems {
            *background_df.entry(stem).or_insert(0.0) += 1.0;
        }
    }
    let background_n = background.len().max(1) as f64;
    let mut df: HashMap<&str, f64> = HashMap::new();
    for doc in &docs {
        for term in doc.keys() {
            *df.entry(term.as_str()).or_insert(0.0) += 1.0;
        }
    }
    let n = docs.len() as f64;
    let vectors: Vec<Vec<(&str, f64)>> = docs
        .iter()
        .map(|doc| {
            // Words only one item uses cannot join it to another: left out, they would only
            // dilute the words it shares.
            let mut v: Vec<(&str, f64)> = doc
                .iter()
                .filter(|(t, _)| df[t.as_str()] >= 2.0)
                .map(|(t, tf)| (t.as_str(), tf * ((n + 1.0) / (df[t.as_str()] + 1.0)).ln()))
                .collect();
            let norm = v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            v.sort_by(|a, b| a.0.cmp(b.0));
            v
        })
        .collect();
    let count = vectors.len();
    let labels = if count < 2 {
        vec![0; count]
    } else {
        let mut condensed = Vec::with_capacity(count * (count - 1) / 2);
        for i in 0..count - 1 {
            for j in i + 1..count {
                condensed.push(1.0 - cosine(&vectors[i], &vectors[j]));
            }
        }
        let dendrogram = kodama::linkage(&mut condensed, count, kodama::Method::Average);
        cut(&dendrogram, count, CUT_DISTANCE)
    };
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for (item, label) in labels.into_iter().enumerate() {
        groups.entry(label).or_default().push(item);
    }
    let mut clusters: Vec<Cluster> = groups
        .into_values()
        .filter(|members| members.len() >= MIN_CLUSTER_ITEMS)
        .filter_map(|members| describe(&members, items, &analysed, &background_df, background_n))
        .collect();
    clusters.sort_by(|a, b| b.items.cmp(&a.items).then(a.top_terms.cmp(&b.top_terms)));
    Candidates {
        unmatched,
        clustered: count,
        clusters,
    }
}

/// Items of a cluster holding a word pair, and how they wrote it.
type PhraseCount = (f64, HashMap<String, usize>);

/// A cluster in words people can read, or `None` when nothing sets it apart from the store's
/// other items (a cluster of generic words).
fn describe(
    members: &[usize],
    items: &[(String, String)],
    analysed: &[Analysed],
    background_df: &HashMap<String, f64>,
    background_n: f64,
) -> Option<Cluster> {
    let size = members.len() as f64;
    // Per stem: items of the cluster holding it, and how it was written.
    let mut holding: HashMap<&str, f64> = HashMap::new();
    let mut written: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    let mut pairs: HashMap<(&str, &str), PhraseCount> = HashMap::new();
    for &m in members {
        let text = &items[m].0;
        let tokens = &analysed[m].tokens;
        let mut seen = BTreeSet::new();
        for (stem, surface, _) in tokens {
            if seen.insert(stem.as_str()) {
                *holding.entry(stem).or_insert(0.0) += 1.0;
            }
            *written
                .entry(stem)
                .or_default()
                .entry(surface.as_str())
                .or_insert(0) += 1;
        }
        let mut seen_pairs = BTreeSet::new();
        for w in tokens.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let range = a.2.start..b.2.end;
            if range.len() > PHRASE_BYTES || !seen_pairs.insert((a.0.as_str(), b.0.as_str())) {
                continue;
            }
            let surface = text.get(range).unwrap_or_default().to_lowercase();
            // A phrase stays within a clause and is more than one word.
            if surface.contains([',', ';', ':', '.', '?', '!', '(', ')', '"', '“', '”'])
                || !surface.contains(char::is_whitespace)
            {
                continue;
            }
            let entry = pairs.entry((a.0.as_str(), b.0.as_str())).or_default();
            entry.0 += 1.0;
            *entry.1.entry(surface).or_insert(0) += 1;
        }
    }
    // How telling a stem is: its share of the cluster's items × log of how much more common it
    // is there than in the store.
    let lift = |stem: &str, share: f64| {
        let background =
            (background_df.get(stem).copied().unwrap_or(0.0) + 1.0) / (background_n + 1.0);
        share / background
    };
    let mut scored: Vec<(&str, f64, f64, f64)> = holding
        .iter()
        .filter(|(_, n)| **n >= 2.0)
        .map(|(stem, n)| {
            let share = n / size;
            let l = lift(stem, share);
            (*stem, share * l.max(1.0).ln(), share, l)
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let &(best, _, best_share, best_lift) = scored.first()?;
    let generic = background_df.get(best).copied().unwrap_or(0.0) / background_n > GENERIC_SHARE;
    if generic || best_lift < MIN_LIFT || best_share < MIN_COHESION {
        return None;
    }
    let as_written = |stem: &str| {
        written
            .get(stem)
            .and_then(|forms| {
                forms
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(form, _)| (*form).to_owned())
            })
            .unwrap_or_else(|| stem.to_owned())
    };
    let top: Vec<&str> = scored
        .iter()
        .filter(|s| s.3 >= MIN_LIFT / 2.0)
        .take(TOP_TERMS)
        .map(|s| s.0)
        .collect();
    let mut phrases: Vec<(f64, String)> = pairs
        .into_iter()
        .filter(|((a, b), (n, _))| {
            *n >= 2.0_f64.max(0.3 * size) && (top.contains(a) || top.contains(b))
        })
        .filter_map(|(_, (n, forms))| {
            forms
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(form, _)| (n, form))
        })
        .collect();
    phrases.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    // Examples: the items holding most of the top words.
    let mut examples: Vec<(usize, usize)> = members
        .iter()
        .map(|&m| {
            let stems: BTreeSet<&str> = analysed[m].tokens.iter().map(|t| t.0.as_str()).collect();
            (top.iter().filter(|t| stems.contains(*t)).count(), m)
        })
        .collect();
    examples.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut shown = BTreeSet::new();
    examples.retain(|(_, m)| shown.insert(items[*m].0.as_str()));
    Some(Cluster {
        members: members.to_vec(),
        top_terms: top.iter().map(|s| as_written(s)).collect(),
        phrases: phrases.into_iter().take(PHRASES).map(|(_, p)| p).collect(),
        examples: examples
            .into_iter()
            .take(EXAMPLES)
            .map(|(_, m)| shorten(&items[m].0, EXAMPLE_CHARS))
            .collect(),
        items: members.len(),
        regions: members
            .iter()
            .map(|&m| items[m].1.as_str())
            .collect::<BTreeSet<_>>()
            .len(),
    })
}

/// `text` cut at a word boundary to at most `max` characters, with "…" when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let end = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end())
}

/// Cosine similarity of two unit vectors sorted by term.
fn cosine(a: &[(&str, f64)], b: &[(&str, f64)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Flat cluster labels: observations joined by every merge at or below `distance`.
fn cut(dendrogram: &kodama::Dendrogram<f64>, count: usize, distance: f64) -> Vec<usize> {
    // Union-find over observations and the clusters the merges create (count + step).
    let mut parent: Vec<usize> = (0..count + dendrogram.steps().len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (step, merge) in dendrogram.steps().iter().enumerate() {
        if merge.dissimilarity <= distance {
            let new = count + step;
            let a = find(&mut parent, merge.cluster1);
            let b = find(&mut parent, merge.cluster2);
            parent[a] = new;
            parent[b] = new;
        }
    }
    (0..count).map(|i| find(&mut parent, i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_joins_only_close_merges() {
        // Two tight pairs far apart.
        let mut condensed = vec![0.1, 0.9, 0.95, 0.92, 0.9, 0.1];
        let dendrogram = kodama::linkage(&mut condensed, 4, kodama::Method::Average);
        let labels = cut(&dendrogram, 4, 0.5);
        assert_eq!(labels[0], labels[1]);
        assert_eq!(labels[2], labels[3]);
        assert_ne!(labels[0], labels[2]);
    }

    /// Unthemed items: everyday meeting talk (the words of every item in the store) and a new
    /// topic raised in eight items by different regions, in their own words.
    fn world() -> (Vec<(String, String)>, Vec<String>) {
        let everyday = [
            "Het was een goede bijeenkomst, iedereen kwam aan bod.",
            "Fijne bijeenkomst, goed om elkaar weer te zien en ervaringen te delen.",
            "De bijeenkomst was waardevol; graag volgende keer weer zo.",
            "Iedereen kwam goed aan bod en de sfeer was open.",
            "Goed gesprek, we nemen de tips mee naar de eigen regio.",
            "Waardevolle uitwisseling, de tijd was wel kort.",
            "We spraken over de stand van zaken in de regio's.",
            "Mooie ronde, iedereen deelde iets uit de eigen praktijk.",
        ];
        let planted = [
            "Scholen merken dat de installatie van warmtepompen veel nieuwe vaardigheden vraagt.",
            "Docenten willen les geven over warmtepompen, maar de kennis ontbreekt nog.",
            "Bedrijven vragen om leerlingen die warmtepompen kunnen installeren.",
            "De vraag naar monteurs voor warmtepompen groeit snel in onze regio.",
            "Het installeren van een warmtepomp staat nog niet in het examenprogramma.",
            "Een leerbedrijf bood aan een warmtepomp in het praktijklokaal te plaatsen.",
            "Zonder kennis van warmtepompen lopen leerlingen achter bij de vraag van de installateurs.",
            "Warmtepompen en de energietransitie komen in elke regio terug.",
        ];
        let mut items = Vec::new();
        for i in 0..48 {
            // Two fragments of everyday talk per item, in many combinations.
            let text = format!(
                "{} {}",
                everyday[i % everyday.len()],
                everyday[(i * 3 + 1) % everyday.len()]
            );
            items.push((text, format!("Regio {}", i % 12)));
        }
        for (i, text) in planted.iter().enumerate() {
            items.push(((*text).to_owned(), format!("Regio {}", i + 3)));
        }
        // The store's items: everyday talk is everywhere, themed items besides.
        let mut background: Vec<String> = items.iter().map(|(t, _)| t.clone()).collect();
        for i in 0..200 {
            background.push(everyday[i % everyday.len()].to_owned());
            background.push(format!(
                "De werkdruk van docenten is hoog en er is een tekort aan technische docenten ({i})."
            ));
        }
        (items, background)
    }

    #[test]
    fn a_planted_topic_comes_out_as_one_readable_candidate_and_everyday_talk_does_not() {
        let (items, background) = world();
        let found = cluster(&items, &background, items.len());
        let planted: Vec<&Cluster> = found
            .clusters
            .iter()
            .filter(|c| c.top_terms.iter().any(|t| t.starts_with("warmtepomp")))
            .collect();
        assert_eq!(planted.len(), 1, "{:#?}", found.clusters);
        let c = planted[0];
        assert!(c.items >= 6, "{c:#?}");
        assert!(c.regions >= 6);
        // Words as written (not the stem "warmtepomp" alone, nor "installatie" as "installatie"
        // stemmed), phrases that occur in the texts, and examples from the topic.
        assert_eq!(c.top_terms[0], "warmtepompen", "{c:#?}");
        for word in &c.top_terms {
            assert!(
                items
                    .iter()
                    .any(|(t, _)| t.to_lowercase().contains(word.as_str())),
                "{word:?} is not a word of the texts"
            );
        }
        for phrase in &c.phrases {
            assert!(
                items
                    .iter()
                    .any(|(t, _)| t.to_lowercase().contains(phrase.as_str()))
            );
        }
        assert_eq!(c.examples.len(), 3);
        assert!(
            c.examples
                .iter()
                .all(|e| e.to_lowercase().contains("warmtepomp"))
        );
        // Everyday meeting talk clusters too, but nothing sets it apart: no candidate.
        assert_eq!(found.clusters.len(), 1, "{:#?}", found.clusters);
    }

    #[test]
    fn examples_are_cut_at_a_word() {
        assert_eq!(shorten("kort", 10), "kort");
        assert_eq!(shorten("een tamelijk lange zin", 14), "een tamelijk…");
    }

    #[test]
    fn cosine_of_unit_vectors() {
        let a = [("a", 0.6), ("b", 0.8)];
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-9);
        assert_eq!(cosine(&a, &[("c", 1.0)]), 0.0);
    }
}
