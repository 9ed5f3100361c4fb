//! Editing the region registry as a new version: adding a region, or an alias to one. The file
//! is edited in place (comments and layout kept, `toml_edit`), its `version` raised by one, and
//! the result checked as a registry before anyone writes it. Nothing is renamed or removed: the
//! store keeps canonical names, and every one of them must go on resolving.

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use crate::region::RegionRegistry;

/// A registry file after an edit, and its new version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    pub version: u32,
}

/// Longest name or alias accepted (the longest real one is about 60 characters).
pub const MAX_NAME_CHARS: usize = 100;

/// Most aliases one new region brings (the most any real region has is six).
pub const MAX_ALIASES: usize = 20;

/// A new region as a beheerder enters it.
#[derive(Debug, Clone, Default)]
pub struct NewRegion<'a> {
    pub name: &'a str,
    pub aliases: Vec<&'a str>,
    pub province: Option<&'a str>,
    /// Where the name is written this way (a public page), if known.
    pub source: Option<&'a str>,
}

/// Why an edit was refused, in Dutch: it is shown to the beheerder as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

fn refused(message: impl Into<String>) -> Refused {
    Refused(message.into())
}

/// Adds `region` at the end of the registry.
pub fn add_region(text: &str, region: &NewRegion<'_>) -> Result<Edited, Refused> {
    let current = RegionRegistry::from_toml(text)
        .map_err(|e| refused(format!("het regiobestand klopt niet: {e}")))?;
    let name = checked_name(region.name)?;
    refuse_known(&current, name)?;
    if region.aliases.len() > MAX_ALIASES {
        return Err(refused(format!(
            "hooguit {MAX_ALIASES} schrijfwijzen tegelijk; voeg er later meer toe"
        )));
    }
    let mut aliases = Array::new();
    for alias in &region.aliases {
        let alias = checked_name(alias)?;
        refuse_known(&current, alias)?;
        aliases.push(alias);
    }
    let mut table = Table::new();
    table["name"] = value(name);
    table["aliases"] = value(aliases);
    if let Some(province) = region.province.map(str::trim).filter(|p| !p.is_empty()) {
        table["province"] = value(checked_name(province)?);
    }
    let mut sources = Array::new();
    if let Some(source) = region.source.map(str::trim).filter(|s| !s.is_empty()) {
        sources.push(checked_source(source)?);
    }
    table["sources"] = value(sources);
    let mut doc = parse(text)?;
    match doc.get_mut("region").and_then(Item::as_array_of_tables_mut) {
        Some(regions) => regions.push(table),
        None => {
            let mut regions = ArrayOfTables::new();
            regions.push(table);
            doc["region"] = Item::ArrayOfTables(regions);
        }
    }
    finish(doc, &current)
}

/// Adds `alias` to the region whose canonical name is `region`.
pub fn add_alias(text: &str, region: &str, alias: &str) -> Result<Edited, Refused> {
    let current = RegionRegistry::from_toml(text)
        .map_err(|e| refused(format!("het regiobestand klopt niet: {e}")))?;
    let alias = checked_name(alias)?;
    refuse_known(&current, alias)?;
    let mut doc = parse(text)?;
    let table = doc
        .get_mut("region")
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|regions| {
            regions
                .iter_mut()
                .find(|t| t.get("name").and_then(Item::as_str) == Some(region))
        })
        .ok_or_else(|| {
            refused(format!(
                "er is geen regio {region:?}; kies er een uit de lijst"
            ))
        })?;
    match table.get_mut("aliases").and_then(Item::as_array_mut) {
        Some(aliases) => aliases.push(alias),
        None => {
            let mut aliases = Array::new();
            aliases.push(alias);
            table["aliases"] = value(aliases);
        }
    }
    finish(doc, &current)
}

fn parse(text: &str) -> Result<DocumentMut, Refused> {
    text.parse::<DocumentMut>()
        .map_err(|e| refused(format!("het regiobestand is geen geldige TOML: {e}")))
}

/// A name or alias: trimmed, not empty, not too long, one line.
fn checked_name(name: &str) -> Result<&str, Refused> {
    let name = name.trim();
    if name.is_empty() || crate::region::normalise(name).is_empty() {
        return Err(refused("vul een naam in (letters of cijfers)"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(refused(format!(
            "een regionaam is hooguit {MAX_NAME_CHARS} tekens"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(refused("een regionaam past op één regel"));
    }
    Ok(name)
}

fn checked_source(source: &str) -> Result<&str, Refused> {
    if !(source.starts_with("https://") || source.starts_with("http://"))
        || source.len() > 500
        || source.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(refused(
            "een bron is het adres van een openbare pagina (https://…)",
        ));
    }
    Ok(source)
}

/// A spelling that already finds a region would change meaning or be ambiguous.
fn refuse_known(current: &RegionRegistry, name: &str) -> Result<(), Refused> {
    match current.resolve(name) {
        Some(region) => Err(refused(format!(
            "{name:?} hoort al bij de regio {:?}",
            region.name
        ))),
        None => Ok(()),
    }
}

/// Raises `version`, checks the result loads as a registry and that every name and alias of
/// `before` still finds the same region.
fn finish(mut doc: DocumentMut, before: &RegionRegistry) -> Result<Edited, Refused> {
    let version = before
        .version()
        .checked_add(1)
        .ok_or_else(|| refused("de versie van het regiobestand is te hoog"))?;
    doc["version"] = value(i64::from(version));
    let text = doc.to_string();
    let after = RegionRegistry::from_toml(&text)
        .map_err(|e| refused(format!("de wijziging geeft een ongeldig regiobestand: {e}")))?;
    for name in before.all_names() {
        let was = before.resolve(name).map(|r| &r.name);
        if after.resolve(name).map(|r| &r.name) != was {
            return Err(refused(format!(
                "de wijziging zou {name:?} naar een andere regio laten wijzen"
            )));
        }
    }
    Ok(Edited { text, version })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# the regions\nversion = 3\n\n# one source\n[[region]]\nname = \"Regio Kampen\"\naliases = [\"STO Kampen\"]\nsources = [\"https://example.org/kampen\"]\n\n[[region]]\nname = \"STO Utrecht\"\n";

    #[test]
    fn a_new_region_raises_the_version_and_keeps_the_file() {
        let edited = add_region(
            FILE,
            &NewRegion {
                name: " Regio Weesp ",
                aliases: vec!["STO Weesp"],
                province: Some("Noord-Holland"),
                source: Some("https://example.org/weesp"),
            },
        )
        .unwrap();
        assert_eq!(edited.version, 4);
        assert!(
            edited
                .text
                .starts_with("# the regions\nversion = 4\n\n# one source\n")
        );
        let registry = RegionRegistry::from_toml(&edited.text).unwrap();
        assert_eq!(registry.version(), 4);
        let weesp = registry.resolve("weesp").unwrap();
        assert_eq!(weesp.name, "Regio Weesp");
        assert_eq!(weesp.province.as_deref(), Some("Noord-Holland"));
        assert_eq!(weesp.sources, ["https://example.org/weesp"]);
        assert_eq!(registry.resolve("STO Kampen").unwrap().name, "Regio Kampen");
    }

    #[test]
    fn an_alias_goes_to_its_region() {
        let edited =
            add_alias(FILE, "STO Utrecht", "Sterk Techniekonderwijs Utrecht Stad").unwrap();
        assert_eq!(edited.version, 4);
        let registry = RegionRegistry::from_toml(&edited.text).unwrap();
        assert_eq!(
            registry.resolve("utrecht stad").unwrap().name,
            "STO Utrecht"
        );
    }

    #[test]
    fn refuses_what_would_change_or_break_a_name() {
        for (name, why) in [
            ("", "vul een naam in"),
            ("--", "vul een naam in"),
            ("Kampen", "hoort al bij de regio \"Regio Kampen\""),
            ("sto  kampen", "hoort al bij"),
            ("Regio\nX", "één regel"),
        ] {
            let refusal = add_alias(FILE, "STO Utrecht", name).unwrap_err();
            assert!(refusal.0.contains(why), "{name:?}: {refusal}");
        }
        assert!(
            add_alias(FILE, "Utrecht", "U")
                .unwrap_err()
                .0
                .contains("geen regio")
        );
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        assert!(add_alias(FILE, "STO Utrecht", &long).is_err());
        let bad_source = NewRegion {
            name: "Regio Weesp",
            source: Some("javascript:alert(1)"),
            ..NewRegion::default()
        };
        assert!(
            add_region(FILE, &bad_source)
                .unwrap_err()
                .0
                .contains("https://")
        );
        let many = NewRegion {
            name: "Regio Weesp",
            aliases: (0..=MAX_ALIASES).map(|_| "x").collect(),
            ..NewRegion::default()
        };
        assert!(add_region(FILE, &many).unwrap_err().0.contains("hooguit"));
        // A second region whose core is Kampen's would make "Kampen" find neither.
        let shadow = NewRegion {
            name: "Kampen e.o.",
            ..NewRegion::default()
        };
        assert!(add_region(FILE, &shadow).is_err());
    }

    #[test]
    fn the_committed_registry_takes_a_region() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/regions.toml"),
        )
        .unwrap();
        let edited = add_region(
            &text,
            &NewRegion {
                name: "Regio Waterland",
                aliases: vec!["Purmerend-Edam"],
                ..NewRegion::default()
            },
        )
        .unwrap();
        let registry = RegionRegistry::from_toml(&edited.text).unwrap();
        assert_eq!(registry.regions().len(), 74);
        assert!(
            edited
                .text
                .starts_with("# The regions of Sterk Techniekonderwijs")
        );
    }
}
