//! What the generated crate is, beyond the API it serves: its package name and version, where
//! its runtime comes from, and whether it lives in a workspace. The same settings describe the
//! committed client and every standalone crate, so both are emitted by the same code.

use std::path::Path;

/// The package around the generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateSettings {
    /// The Cargo package name.
    pub package: String,
    pub version: String,
    pub description: String,
    pub license: String,
    /// The oldest Rust toolchain the crate builds with: at least what its dependencies need.
    pub rust_version: String,
    /// Where the crate's source lives, for its registry page.
    pub repository: Option<String>,
    /// A README beside the manifest, shown on the registry page and as the crate docs.
    pub readme: Option<String>,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
    pub runtime: RuntimeSource,
    /// A member of the surrounding workspace; otherwise the manifest declares a workspace of its
    /// own, so the crate builds wherever it is written.
    pub workspace_member: bool,
    pub publish: bool,
    /// A cargo feature per tag: each tag's operations, and the models only they reach, are
    /// compiled only with its feature (all of them with `full`, a default feature).
    pub features_per_tag: bool,
}

/// Where the generated crate's runtime dependency, `atlas-snapshots-runtime`, comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// A checkout of the runtime crate (the `version` is what a published build would need).
    Path { path: String, version: String },
    /// A published version from the registry.
    Version(String),
}

/// The version of the runtime crate this generator emits code for: they are released together.
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The oldest toolchain a generated crate builds with: the highest `rust-version` among the
/// runtime's dependencies (CI checks it against `cargo metadata`).
pub const RUST_VERSION: &str = "1.88";

impl Default for CrateSettings {
    fn default() -> Self {
        CrateSettings {
            package: "generated-client".to_owned(),
            version: "0.1.0".to_owned(),
            description: "A client generated from an OpenAPI spec.".to_owned(),
            license: "Apache-2.0".to_owned(),
            rust_version: RUST_VERSION.to_owned(),
            repository: None,
            readme: None,
            keywords: Vec::new(),
            categories: Vec::new(),
            runtime: RuntimeSource::Version(RUNTIME_VERSION.to_owned()),
            workspace_member: false,
            publish: false,
            features_per_tag: false,
        }
    }
}

/// A valid Cargo package name made of a folder name: lower case, every character a package name
/// cannot hold replaced by `-`, and a prefix where the name would otherwise start with a digit,
/// be empty, or be a name Cargo refuses.
pub fn package_name(folder: &str) -> String {
    let mut name = String::new();
    for c in folder.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' {
            c.to_ascii_lowercase()
        } else {
            '-'
        };
        if !(c == '-' && (name.is_empty() || name.ends_with('-'))) {
            name.push(c);
        }
    }
    let name = name.trim_end_matches('-').to_owned();
    let starts_well = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    // Cargo refuses the names of the built-in crates and of Rust keywords as package names.
    let reserved = matches!(
        name.as_str(),
        "std"
            | "core"
            | "alloc"
            | "proc_macro"
            | "proc-macro"
            | "test"
            | "self"
            | "crate"
            | "super"
            | "build"
            | "deps"
            | "examples"
    ) || crate::names::is_keyword(&name);
    if !starts_well {
        format!("api-{name}").trim_end_matches('-').to_owned()
    } else if reserved {
        format!("{name}-client")
    } else {
        name
    }
}

/// The package name of a crate generated from a spec titled `title`: the title in kebab case
/// (`Oxide Region API` → `oxide-region-api`), made valid as [`package_name`] does.
pub fn package_name_from_title(title: &str) -> String {
    package_name(&title.replace('_', "-"))
}

/// Whether `name` can be a Cargo package name as it is (what [`package_name`] would keep).
pub fn is_valid_package_name(name: &str) -> bool {
    !name.is_empty() && package_name(name) == name
}

/// The package name for a crate written into `out`.
pub fn package_name_for(out: &Path) -> String {
    let folder = out
        .canonicalize()
        .ok()
        .and_then(|path| path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| out.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    package_name(&folder)
}

#[cfg(test)]
mod tests {
    use super::{is_valid_package_name, package_name, package_name_from_title};

    #[test]
    fn any_folder_name_gives_a_valid_package_name() {
        for (folder, expected) in [
            ("my-client", "my-client"),
            ("My_Crate", "my_crate"),
            ("2024 api", "api-2024-api"),
            ("", "api"),
            ("...", "api"),
            ("atlas client (v2)", "atlas-client-v2"),
            ("--x--", "x"),
            ("Ünïcode", "n-code"),
            ("test", "test-client"),
            ("type", "type-client"),
            ("std", "std-client"),
        ] {
            assert_eq!(package_name(folder), expected, "{folder:?}");
        }
    }

    #[test]
    fn a_title_gives_a_kebab_case_package_name() {
        for (title, expected) in [
            ("Oxide Region API", "oxide-region-api"),
            ("Twilio - Api", "twilio-api"),
            (
                "MongoDB Atlas Backup Snapshots",
                "mongodb-atlas-backup-snapshots",
            ),
            ("my_api v2.0", "my-api-v2-0"),
            ("3D printing", "api-3d-printing"),
            ("Café API", "caf-api"),
            ("", "api"),
        ] {
            assert_eq!(package_name_from_title(title), expected, "{title:?}");
            assert!(is_valid_package_name(&package_name_from_title(title)));
        }
        assert!(is_valid_package_name("my-client"));
        assert!(!is_valid_package_name("My Client"));
        assert!(!is_valid_package_name("2fa"));
        assert!(!is_valid_package_name("test"));
        assert!(!is_valid_package_name(""));
    }
}
