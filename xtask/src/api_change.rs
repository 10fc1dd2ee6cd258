//! What the reviewed public-API records (`tests/public-api/`, written by `cargo xtask
//! public-api`) say changed since a release: the changes the spec does not make (the
//! generator's and the runtime's), which the differ, comparing specs, cannot see. Each release
//! keeps a copy of the records it was made with in `release/public-api/<version>/`.

use differ::Semver;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The reviewed records, relative to the repository root.
pub const RECORDS_DIR: &str = "tests/public-api";
/// Where each release keeps its copy of them, relative to the repository root.
pub const RELEASED_DIR: &str = "release/public-api";

/// How one crate's public API moved between two records.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CrateChange {
    pub package: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Items in both records whose signature or bounds differ.
    pub changed: Vec<String>,
    /// The release kept no record of this crate (it had another name, or none was kept then).
    pub unrecorded: bool,
}

impl CrateChange {
    fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && !self.unrecorded
    }

    /// A removed or changed item breaks callers; an added one does not.
    fn semver(&self) -> Semver {
        if !self.removed.is_empty() || !self.changed.is_empty() {
            Semver::Major
        } else if !self.added.is_empty() || self.unrecorded {
            Semver::Minor
        } else {
            Semver::Patch
        }
    }
}

/// The changes of every recorded crate since release `version`; `None` when that release kept
/// no records (releases made before records were kept with them) or nothing changed.
pub fn since(root: &Path, version: &str) -> anyhow::Result<Option<Vec<CrateChange>>> {
    let released = root.join(RELEASED_DIR).join(version);
    if !released.is_dir() {
        return Ok(None);
    }
    let mut changes = Vec::new();
    for (package, now) in records(&root.join(RECORDS_DIR))? {
        let then = std::fs::read_to_string(released.join(format!("{package}.txt"))).ok();
        let change = match then {
            Some(then) => compare(&package, &then, &now),
            None => CrateChange {
                package: package.clone(),
                unrecorded: true,
                ..CrateChange::default()
            },
        };
        if !change.is_empty() {
            changes.push(change);
        }
    }
    Ok((!changes.is_empty()).then_some(changes))
}

/// The strongest effect of `changes` on the crates' users.
pub fn semver(changes: &[CrateChange]) -> Semver {
    changes
        .iter()
        .map(CrateChange::semver)
        .max()
        .unwrap_or(Semver::Patch)
}

/// Copies the current records into the folder of release `version`.
pub fn keep(root: &Path, version: &str) -> anyhow::Result<()> {
    let to = root.join(RELEASED_DIR).join(version);
    std::fs::create_dir_all(&to)?;
    for (package, text) in records(&root.join(RECORDS_DIR))? {
        std::fs::write(to.join(format!("{package}.txt")), text)?;
    }
    Ok(())
}

/// The records in `dir`, by package name; none when the folder is missing.
fn records(dir: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let mut records = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(records);
    };
    for entry in entries {
        let path: PathBuf = entry?.path();
        if let Some(package) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".txt"))
        {
            records.insert(package.to_owned(), std::fs::read_to_string(&path)?);
        }
    }
    Ok(records)
}

/// The item a record line declares, without its signature: `pub fn a::B::c` for a method,
/// `pub type a::T` for an alias, the whole line for an `impl`.
fn item(line: &str) -> &str {
    if line.starts_with("impl") {
        return line;
    }
    let cut = [line.find('('), line.find(" = "), line.find(": ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(line.len());
    line[..cut].trim_end()
}

/// The items added, removed and changed from record `then` to record `now`.
fn compare(package: &str, then: &str, now: &str) -> CrateChange {
    let lines = crate::semver::ListingDiff::between(then, now);
    let gone: BTreeSet<&str> = lines.removed.iter().map(|l| item(l)).collect();
    let new: BTreeSet<&str> = lines.added.iter().map(|l| item(l)).collect();
    let owned = |items: Vec<&&str>| items.into_iter().map(|i| (*i).to_owned()).collect();
    CrateChange {
        package: package.to_owned(),
        added: owned(new.difference(&gone).collect()),
        removed: owned(gone.difference(&new).collect()),
        changed: owned(gone.intersection(&new).collect()),
        unrecorded: false,
    }
}

/// The changelog text of `changes` against release `previous`; `spec_changed` when the
/// sections above list the spec's changes, which the records show too.
pub fn section(previous: &str, changes: &[CrateChange], spec_changed: bool) -> String {
    let among = match spec_changed {
        true => "; the spec's own changes above are among them",
        false => "",
    };
    let mut out = format!(
        "\n### Changes outside the spec\n\nThe generator's and the runtime's, from the reviewed \
         public-API records (`{RECORDS_DIR}/`) against those of {previous}{among}.\n"
    );
    for change in changes {
        let _ = write!(out, "\n- `{}`: ", change.package);
        if change.unrecorded {
            let _ = writeln!(out, "no record under this name at {previous}.");
            continue;
        }
        let _ = writeln!(
            out,
            "{} item(s) added, {} removed, {} changed.",
            change.added.len(),
            change.removed.len(),
            change.changed.len()
        );
        for (what, items) in [
            ("removed", &change.removed),
            ("changed", &change.changed),
            ("added", &change.added),
        ] {
            for item in items {
                let _ = writeln!(out, "  - {what}: `{item}`");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_compared_without_their_signatures() {
        let then = "pub fn a::X::f(&self) -> u8\npub fn a::X::g(&self)\npub struct a::X\n";
        let now = "pub fn a::X::f(&self) -> u16\npub struct a::X\npub mod a::layer\n";
        let change = compare("a", then, now);
        assert_eq!(change.changed, ["pub fn a::X::f"]);
        assert_eq!(change.removed, ["pub fn a::X::g"]);
        assert_eq!(change.added, ["pub mod a::layer"]);
        assert_eq!(change.semver(), Semver::Major);
        let added_only = compare("a", "pub struct a::X\n", "pub struct a::X\npub mod a::m\n");
        assert_eq!(added_only.semver(), Semver::Minor);
        assert!(compare("a", then, then).is_empty());
    }

    #[test]
    fn a_release_without_kept_records_is_not_compared_and_one_with_them_is() {
        let root = tempfile::tempdir().unwrap();
        let records = root.path().join(RECORDS_DIR);
        std::fs::create_dir_all(&records).unwrap();
        std::fs::write(records.join("a.txt"), "pub struct a::X\n").unwrap();
        assert_eq!(since(root.path(), "0.1.0").unwrap(), None);
        keep(root.path(), "0.1.0").unwrap();
        assert_eq!(
            since(root.path(), "0.1.0").unwrap(),
            None,
            "nothing changed"
        );
        std::fs::write(records.join("a.txt"), "pub struct a::X\npub struct a::Y\n").unwrap();
        std::fs::write(records.join("b.txt"), "pub struct b::Z\n").unwrap();
        let changes = since(root.path(), "0.1.0").unwrap().unwrap();
        assert_eq!(changes[0].added, ["pub struct a::Y"]);
        assert!(changes[1].unrecorded);
        assert_eq!(semver(&changes), Semver::Minor);
        let text = section("0.1.0", &changes, false);
        assert!(
            text.contains("- `a`: 1 item(s) added, 0 removed, 0 changed."),
            "{text}"
        );
        assert!(text.contains("  - added: `pub struct a::Y`"), "{text}");
        assert!(
            text.contains("- `b`: no record under this name at 0.1.0."),
            "{text}"
        );
    }
}
