//! Disclosure control: the one place that decides what a role may see of a count of regions.
//!
//! For a programme leader a count of *other* regions below k is shown as "<k" (zero included, so
//! "none" and "one or two" look alike); region names and texts of other regions never reach
//! them. National supporters see exact counts, names and anonymised excerpts. Every view built
//! for a role (`shared`, [`crate::trends::view`]) takes its counts through [`RegionCount::new`].

use serde::{Serialize, Serializer};

/// Disclosure threshold: region counts below this are suppressed for programme leaders.
pub const DEFAULT_K: usize = 3;

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A programme leader: counts of other regions only, suppressed below k.
    #[default]
    Programmaleider,
    /// A national supporter: region names and anonymised excerpts.
    Landelijk,
}

/// A count of regions as shown: exact, or suppressed below k.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionCount {
    Exact(usize),
    Below(usize),
}

impl RegionCount {
    /// The count `n` as `role` may see it with threshold `k`.
    pub fn new(n: usize, k: usize, role: Role) -> RegionCount {
        if role == Role::Programmaleider && n < k {
            RegionCount::Below(k)
        } else {
            RegionCount::Exact(n)
        }
    }

    /// The exact count, if shown.
    pub fn exact(self) -> Option<usize> {
        match self {
            RegionCount::Exact(n) => Some(n),
            RegionCount::Below(_) => None,
        }
    }

    pub fn is_suppressed(self) -> bool {
        matches!(self, RegionCount::Below(_))
    }
}

impl std::fmt::Display for RegionCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RegionCount::Exact(n) => write!(f, "{n}"),
            RegionCount::Below(k) => write!(f, "<{k}"),
        }
    }
}

impl Serialize for RegionCount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RegionCount::Exact(n) => s.serialize_u64(*n as u64),
            RegionCount::Below(_) => s.serialize_str(&self.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_below_k_are_suppressed_for_programme_leaders_only() {
        let leader = Role::Programmaleider;
        assert_eq!(RegionCount::new(0, 3, leader).to_string(), "<3");
        assert_eq!(RegionCount::new(2, 3, leader).to_string(), "<3");
        assert_eq!(RegionCount::new(3, 3, leader).to_string(), "3");
        assert_eq!(RegionCount::new(1, 3, Role::Landelijk).to_string(), "1");
        assert_eq!(RegionCount::new(2, 5, leader).to_string(), "<5");
        assert_eq!(
            serde_json::to_string(&RegionCount::new(1, 3, leader)).unwrap(),
            "\"<3\""
        );
        assert_eq!(RegionCount::new(4, 3, leader).exact(), Some(4));
        assert!(RegionCount::new(0, 3, leader).is_suppressed());
    }
}
