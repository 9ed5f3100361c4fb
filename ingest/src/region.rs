//! The registry of regions (`data/regions.toml`): canonical names and the aliases accepted on
//! input. Input is matched loosely (case, accents and punctuation spacing do not matter); an
//! unknown name gets the closest known one as a suggestion.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub size: Option<SizeClass>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SizeClass {
    Klein,
    Middel,
    Groot,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    version: u32,
    #[serde(rename = "region")]
    regions: Vec<Region>,
}

/// The known regions, with a lookup from every normalised name and alias to its region.
#[derive(Debug, Clone)]
pub struct RegionRegistry {
    regions: Vec<Region>,
    by_key: HashMap<String, usize>,
    by_exact: HashMap<String, usize>,
}

/// The registry format this build understands.
const REGISTRY_VERSION: u32 = 1;

impl RegionRegistry {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml(&text).map_err(|message| Error::Registry {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses and checks a registry: known version, no empty names, no name or alias used twice.
    pub fn from_toml(text: &str) -> std::result::Result<Self, String> {
        let file: RegistryFile = toml::from_str(text).map_err(|e| e.to_string())?;
        if file.version != REGISTRY_VERSION {
            return Err(format!(
                "version {} is not supported (expected {REGISTRY_VERSION})",
                file.version
            ));
        }
        if file.regions.is_empty() {
            return Err("no regions defined (add [[region]] tables)".into());
        }
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (index, region) in file.regions.iter().enumerate() {
            for name in std::iter::once(&region.name).chain(&region.aliases) {
                let key = normalise(name);
                if key.is_empty() {
                    return Err(format!(
                        "region {:?} has an empty name or alias",
                        region.name
                    ));
                }
                if let Some(&other) = by_key.get(&key)
                    && other != index
                {
                    return Err(format!(
                        "{name:?} is used by both {:?} and {:?}; names and aliases must be unique",
                        file.regions[other].name, region.name
                    ));
                }
                by_key.insert(key, index);
            }
        }
        let by_exact = file
            .regions
            .iter()
            .enumerate()
            .flat_map(|(index, r)| {
                std::iter::once(&r.name)
                    .chain(&r.aliases)
                    .map(move |n| (n.clone(), index))
            })
            .collect();
        Ok(RegionRegistry {
            regions: file.regions,
            by_key,
            by_exact,
        })
    }

    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Canonical names, in registry order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.regions.iter().map(|r| r.name.as_str())
    }

    /// Every name and alias: words the anonymiser must leave alone.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        self.regions
            .iter()
            .flat_map(|r| std::iter::once(&r.name).chain(&r.aliases))
            .map(String::as_str)
    }

    /// The region a user's spelling refers to.
    pub fn resolve(&self, input: &str) -> Option<&Region> {
        if input.len() > MAX_NAME_BYTES {
            return None;
        }
        // Most input spells a name or alias exactly: try that before normalising.
        let index = match self.by_exact.get(input) {
            Some(&index) => index,
            None => *self.by_key.get(&normalise(input))?,
        };
        Some(&self.regions[index])
    }

    /// The canonical name closest to an unknown spelling, if any is reasonably close.
    pub fn suggest(&self, input: &str) -> Option<&str> {
        // A region's name is a few words: a long value is no typo of one, and comparing it
        // with every name would cost time in proportion to its length (a 15 MB cell took 23 s).
        if input.len() > MAX_NAME_BYTES {
            return None;
        }
        let key = normalise(input);
        let (best, score) = self
            .by_key
            .iter()
            .map(|(candidate, &index)| (index, strsim::jaro_winkler(&key, candidate)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
        (score >= 0.75).then(|| self.regions[best].name.as_str())
    }
}

/// Longer inputs get no suggestion (the longest region name is far shorter).
const MAX_NAME_BYTES: usize = 200;

/// Lowercase, accents folded, apostrophes and punctuation spacing ignored, runs of whitespace
/// collapsed: "'s-Hertogenbosch", "S Hertogenbosch" and "’s-hertogenbosch" meet.
pub fn normalise(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' || c == '/' {
            pending_space = true;
        }
        // other punctuation (apostrophes, dots) is dropped without a space
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
version = 1
[[region]]
name = "Apeldoorn e.o."
aliases = ["Apeldoorn", "STO Apeldoorn"]
size = "groot"
[[region]]
name = "Noordoost-Brabant"
aliases = ["'s-Hertogenbosch e.o."]
"#;

    #[test]
    fn resolves_names_and_aliases_loosely() {
        let registry = RegionRegistry::from_toml(SMALL).unwrap();
        for input in [
            "Apeldoorn e.o.",
            "apeldoorn eo",
            "APELDOORN",
            "sto  apeldoorn",
        ] {
            assert_eq!(
                registry.resolve(input).unwrap().name,
                "Apeldoorn e.o.",
                "{input}"
            );
        }
        for input in [
            "’s-Hertogenbosch e.o.",
            "s hertogenbosch e.o.",
            "noordoost brabant",
        ] {
            assert_eq!(
                registry.resolve(input).unwrap().name,
                "Noordoost-Brabant",
                "{input}"
            );
        }
        assert!(registry.resolve("Apeldorn").is_none());
    }

    #[test]
    fn suggests_the_closest_name() {
        let registry = RegionRegistry::from_toml(SMALL).unwrap();
        assert_eq!(registry.suggest("Apeldorn"), Some("Apeldoorn e.o."));
        assert_eq!(
            registry.suggest("Noord-Oost Brabant"),
            Some("Noordoost-Brabant")
        );
        assert_eq!(registry.suggest("xyzzy qwerty"), None);
    }

    #[test]
    fn rejects_duplicates_unknown_keys_and_versions() {
        let dup =
            "version = 1\n[[region]]\nname = \"A\"\n[[region]]\nname = \"B\"\naliases = [\"a\"]\n";
        assert!(
            RegionRegistry::from_toml(dup)
                .unwrap_err()
                .contains("unique")
        );
        let unknown = "version = 1\n[[region]]\nname = \"A\"\nprovince = \"x\"\n";
        assert!(
            RegionRegistry::from_toml(unknown)
                .unwrap_err()
                .contains("province")
        );
        let version = "version = 2\n[[region]]\nname = \"A\"\n";
        assert!(
            RegionRegistry::from_toml(version)
                .unwrap_err()
                .contains("version 2")
        );
    }

    #[test]
    fn the_committed_registry_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/regions.toml");
        let registry = RegionRegistry::load(&path).unwrap();
        assert_eq!(registry.regions().len(), 78);
    }
}
