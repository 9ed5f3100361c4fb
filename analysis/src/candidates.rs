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
    pub top_terms: Vec<String>,
    pub items: usize,
    pub regions: usize,
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

pub fn candidates(store: &Store) -> Result<Candidates> {
    let unmatched = store.unthemed_count()?;
    let items = store.unthemed_items(MAX_ITEMS)?;
    let mut analyzer = text_analysis::dutch_analyzer();
    // Term frequencies per item, and document frequencies, over words of 3+ letters.
    let docs: Vec<HashMap<String, f64>> = items
        .iter()
        .map(|(text, _)| {
            let mut tf = HashMap::new();
            for term in text_analysis::terms(&mut analyzer, text) {
                if term.chars().count() >= 3
                    && !term.chars().all(|c| c.is_ascii_digit())
                    && term != "naam"
                {
                    *tf.entry(term).or_insert(0.0) += 1.0;
                }
            }
            tf
        })
        .collect();
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
            let mut v: Vec<(&str, f64)> = doc
                .iter()
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
        .map(|members| {
            let mut weights: HashMap<&str, f64> = HashMap::new();
            for &m in &members {
                for (t, w) in &vectors[m] {
                    *weights.entry(t).or_insert(0.0) += w;
                }
            }
            let mut terms: Vec<(&str, f64)> = weights.into_iter().collect();
            terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
            Cluster {
                top_terms: terms
                    .into_iter()
                    .take(TOP_TERMS)
                    .map(|(t, _)| t.to_owned())
                    .collect(),
                items: members.len(),
                regions: members
                    .iter()
                    .map(|&m| items[m].1.as_str())
                    .collect::<BTreeSet<_>>()
                    .len(),
            }
        })
        .collect();
    clusters.sort_by(|a, b| b.items.cmp(&a.items).then(a.top_terms.cmp(&b.top_terms)));
    Ok(Candidates {
        unmatched,
        clustered: count,
        clusters,
    })
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

    #[test]
    fn cosine_of_unit_vectors() {
        let a = [("a", 0.6), ("b", 0.8)];
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-9);
        assert_eq!(cosine(&a, &[("c", 1.0)]), 0.0);
    }
}
