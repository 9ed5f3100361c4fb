//! The registry of regions (`data/regions.toml`): canonical names, the aliases accepted on
//! input, and where each name was seen. Input is matched loosely (case, accents and punctuation
//! spacing do not matter), then on its core — without the programme's prefixes ("Sterk
//! Techniekonderwijs", "STO", "regio") and suffixes ("e.o.") — when that core is one region's;
//! an unknown name gets the closest known one as a suggestion.

use std::collections::{HashMap, HashSet};
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
    /// The province (or provinces) the region lies in, as written on its pages.
    #[serde(default)]
    pub province: Option<String>,
    /// Public pages the name and its aliases were seen on.
    #[serde(default)]
    pub sources: Vec<String>,
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
    version: u32,
    regions: Vec<Region>,
    by_key: HashMap<String, usize>,
    by_exact: HashMap<String, usize>,
    /// Cores that belong to one region only (see [`core`]).
    by_core: HashMap<String, usize>,
}

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

    /// Parses and checks a registry: a version, no empty names, no name or alias used twice.
    pub fn from_toml(text: &str) -> std::result::Result<Self, String> {
        let file: RegistryFile = toml::from_str(text).map_err(|e| e.to_string())?;
        if file.version == 0 {
            return Err("version must be 1 or higher".into());
        }
        if file.regions.is_empty() {
            return Err("no regions defined (add [[region]] tables)".into());
        }
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (index, region) in file.regions.iter().enumerate() {
            if let Some(source) = region
                .sources
                .iter()
                .find(|s| !(s.starts_with("https://") || s.starts_with("http://")))
            {
                return Err(format!(
                    "region {:?}: source {source:?} is not the address of a web page (https://…)",
                    region.name
                ));
            }
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
        let mut by_core: HashMap<String, usize> = HashMap::new();
        let mut shared: HashSet<String> = HashSet::new();
        for (key, &index) in &by_key {
            let core = core(key);
            if core.is_empty() || shared.contains(core) {
                continue;
            }
            match by_core.get(core) {
                Some(&other) if other != index => {
                    by_core.remove(core);
                    shared.insert(core.to_owned());
                }
                _ => {
                    by_core.insert(core.to_owned(), index);
                }
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
            version: file.version,
            regions: file.regions,
            by_key,
            by_exact,
            by_core,
        })
    }

    /// The registry's version: raised by one with every region or alias added on *Beheer*.
    pub fn version(&self) -> u32 {
        self.version
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
        if let Some(&index) = self.by_exact.get(input) {
            return Some(&self.regions[index]);
        }
        let key = normalise(input);
        let index = match self.by_key.get(&key) {
            Some(&index) => index,
            None => *self.by_core.get(core(&key))?,
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
        let input_core = core(&key);
        let (best, score) = self
            .by_key
            .iter()
            .map(|(candidate, &index)| {
                let whole = strsim::jaro_winkler(&key, candidate);
                let cores = strsim::jaro_winkler(input_core, core(candidate));
                (index, whole.max(cores))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
        (score >= 0.75).then(|| self.regions[best].name.as_str())
    }
}

/// Longer inputs get no suggestion (the longest region name is far shorter).
const MAX_NAME_BYTES: usize = 200;

/// Words around a region's own name that say nothing about which region it is, in
/// [`normalise`]d form: "Sterk Techniekonderwijs in de regio Kampen" and "STO Kampen e.o." are
/// both Kampen.
const PREFIXES: [&str; 13] = [
    "sterk techniekonderwijs ",
    "sterk techniek onderwijs ",
    "sterk techniek ",
    "sto programma ",
    "sto regio ",
    "sto ",
    "techniekregio ",
    "techniekpact ",
    "in de regio ",
    "de regio ",
    "regio ",
    "vmbo ",
    "in ",
];
const SUFFIXES: [&str; 6] = [
    " eo",
    " e o",
    " en omstreken",
    " en omgeving",
    " en regio",
    " sterk techniekonderwijs",
];

/// A normalised name without the programme's prefixes and suffixes; empty when nothing is left.
pub fn core(key: &str) -> &str {
    let mut rest = key;
    loop {
        let before = rest.len();
        for prefix in PREFIXES {
            if let Some(stripped) = rest.strip_prefix(prefix) {
                rest = stripped;
            }
        }
        for suffix in SUFFIXES {
            if let Some(stripped) = rest.strip_suffix(suffix) {
                rest = stripped;
            }
        }
        if rest.len() == before {
            return rest;
        }
    }
}

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
        let unknown = "version = 1\n[[region]]\nname = \"A\"\nprovincie = \"x\"\n";
        assert!(
            RegionRegistry::from_toml(unknown)
                .unwrap_err()
                .contains("provincie")
        );
        let version = "version = 0\n[[region]]\nname = \"A\"\n";
        assert!(
            RegionRegistry::from_toml(version)
                .unwrap_err()
                .contains("version")
        );
        let source = "version = 1\n[[region]]\nname = \"A\"\nsources = [\"javascript:x\"]\n";
        assert!(
            RegionRegistry::from_toml(source)
                .unwrap_err()
                .contains("https://")
        );
        let later = "version = 7\n[[region]]\nname = \"A\"\n";
        assert_eq!(RegionRegistry::from_toml(later).unwrap().version(), 7);
    }

    #[test]
    fn a_core_shared_by_two_regions_resolves_to_neither() {
        let registry = RegionRegistry::from_toml(
            "version = 1\n[[region]]\nname = \"STO Twente\"\n[[region]]\nname = \"Regio Twente\"\n\
             [[region]]\nname = \"Regio Kampen\"\n",
        )
        .unwrap();
        assert!(registry.resolve("Twente").is_none());
        assert_eq!(
            registry.resolve("regio twente").unwrap().name,
            "Regio Twente"
        );
        assert_eq!(
            registry
                .resolve("Sterk Techniekonderwijs in de regio Kampen e.o.")
                .unwrap()
                .name,
            "Regio Kampen"
        );
    }

    #[test]
    fn core_strips_the_programme_words_only() {
        for (input, want) in [
            ("Sterk Techniekonderwijs Apeldoorn e.o.", "apeldoorn"),
            ("STO-regio Noordoost-Brabant", "noordoost brabant"),
            ("Sterk techniekonderwijs in Lelystad", "lelystad"),
            ("TechniekPact West-Friesland", "west friesland"),
            ("Regio het Gooi", "het gooi"),
            ("De Liemers", "de liemers"),
            ("STO", "sto"),
        ] {
            assert_eq!(core(&normalise(input)), want, "{input}");
        }
    }

    fn committed(path: &str) -> RegionRegistry {
        RegionRegistry::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
    }

    #[test]
    fn the_committed_registries_load() {
        let real = committed("data/regions.toml");
        assert_eq!(real.regions().len(), 73);
        assert!(
            real.regions().iter().all(|r| !r.sources.is_empty()),
            "every real region records where its name was seen"
        );
        assert_eq!(committed("data/sample/regions.toml").regions().len(), 78);
    }

    /// The ways a moderator writes a real region, as seen on public pages or typed in a hurry.
    #[test]
    fn real_region_names_are_accepted_as_people_write_them() {
        let real = committed("data/regions.toml");
        for (input, want) in [
            (
                "STO Apeldoorn e.o.",
                "Sterk Techniekonderwijs Apeldoorn e.o.",
            ),
            ("Apeldoorn", "Sterk Techniekonderwijs Apeldoorn e.o."),
            (
                "Gorinchem/Altena",
                "Sterk Techniek Onderwijs Gorinchem Altena",
            ),
            ("Zuid-Limburg", "Sterk Techniek Onderwijs Zuid-Limburg"),
            ("STO Zuid Limburg", "Sterk Techniek Onderwijs Zuid-Limburg"),
            ("sto twente", "Sterk Techniekonderwijs Twente"),
            ("Regio Zuidoost-Groningen", "Regio Stadskanaal"),
            ("Noordoostpolder-Urk", "STO Noordelijk Flevoland"),
            (
                "Sterk Techniekonderwijs Amsterdam",
                "Sterk Techniek Onderwijs Amsterdam",
            ),
            ("Zuid-Oost Brabant", "Regio Zuidoost-Brabant"),
            ("Noordoost Fryslân", "Noordoost-Friesland"),
            ("STO regio Helmond - De Peel", "Regio Helmond – De Peel"),
        ] {
            assert_eq!(
                real.resolve(input).map(|r| r.name.as_str()),
                Some(want),
                "{input}"
            );
        }
        for (typo, want) in [
            ("STO Apeldorn", "Sterk Techniekonderwijs Apeldoorn e.o."),
            ("Regio Stadskanal", "Regio Stadskanaal"),
            (
                "Gorinchem-Altna",
                "Sterk Techniek Onderwijs Gorinchem Altena",
            ),
            (
                "Sterk Techniekonderwijs Zeeuwland",
                "Sterk Techniekonderwijs Zeeland",
            ),
        ] {
            assert!(real.resolve(typo).is_none(), "{typo}");
            assert_eq!(real.suggest(typo), Some(want), "{typo}");
        }
    }
}
