//! This repository's own generation job: the bundled spec into the committed client crate.
//! `cargo xtask regen`, `regen --check` and the freshness test all call [`regenerate`], so
//! they can never disagree about what fresh means. The committed crate's version is the one of
//! the newest release in [`RELEASES_PATH`], written by `cargo xtask release`.

use crate::write::{Changes, Mode, OwnedTree};
use crate::{CodegenError, CrateSettings, Generated, Options, RuntimeSource};
use std::path::{Path, PathBuf};

/// The bundled spec, relative to the repository root.
pub const SPEC_PATH: &str = "spec/atlas-snapshots.yaml";
/// The client crate, relative to the repository root.
pub const CLIENT_DIR: &str = "generated-client";
/// The runtime crate every generated crate depends on, relative to the repository root.
pub const RUNTIME_DIR: &str = "runtime";
/// The command that regenerates the client crate.
pub const REGEN_COMMAND: &str = "cargo xtask regen";
/// The release record, relative to the repository root: one `[[release]]` table per release of
/// the client crate, oldest first.
pub const RELEASES_PATH: &str = "release/releases.toml";

/// The repository root, found from this crate's manifest folder.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen sits inside the repository")
        .to_path_buf()
}

/// Generates the client from the bundled spec and writes it, or checks it in [`Mode::Check`].
pub fn regenerate(root: &Path, mode: Mode) -> Result<(Generated, Changes), CodegenError> {
    let options = Options {
        spec_label: SPEC_PATH.to_owned(),
        command: REGEN_COMMAND.to_owned(),
        crate_settings: committed_crate(root)?,
    };
    let generated = crate::generate(&root.join(SPEC_PATH), &options)?;
    let tree = OwnedTree {
        root: root.join(CLIENT_DIR),
        owned: PathBuf::from("."),
        command: REGEN_COMMAND.to_owned(),
    };
    let changes = tree.sync(&generated.files, mode)?;
    Ok((generated, changes))
}

/// The committed client: a member of this workspace, with the runtime beside it, at the version
/// of the newest release recorded under `root`.
pub fn committed_crate(root: &Path) -> Result<CrateSettings, CodegenError> {
    let releases = releases(root)?;
    let newest = releases.last().ok_or_else(|| CodegenError::Release {
        file: RELEASES_PATH.to_owned(),
        message: "no `[[release]]` recorded".to_owned(),
    })?;
    Ok(CrateSettings {
        package: "atlas-snapshots".to_owned(),
        version: newest.version.clone(),
        description: "A typed async client for the backup-snapshot endpoints of the MongoDB Atlas \
                      Administration API, generated from a curated OpenAPI spec."
            .to_owned(),
        runtime: RuntimeSource::Path {
            path: format!("../{RUNTIME_DIR}"),
            version: crate::settings::RUNTIME_VERSION.to_owned(),
        },
        workspace_member: true,
        ..CrateSettings::default()
    })
}

/// One release of the client crate: what it was made from, so later specs can be diffed with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The crate's version, `MAJOR.MINOR.PATCH`.
    pub version: String,
    /// The day it was made, `YYYY-MM-DD`.
    pub date: String,
    /// The stored copy of the spec it was generated from, relative to the repository root.
    pub spec: String,
    /// SHA-256 of that spec, lower-case hex.
    pub spec_sha256: String,
}

/// The releases recorded under `root`, oldest first.
pub fn releases(root: &Path) -> Result<Vec<Release>, CodegenError> {
    let path = root.join(RELEASES_PATH);
    let text = std::fs::read_to_string(&path).map_err(|source| CodegenError::Read {
        file: path.display().to_string(),
        source,
    })?;
    parse_releases(&text)
}

/// Parses the text of [`RELEASES_PATH`].
pub fn parse_releases(text: &str) -> Result<Vec<Release>, CodegenError> {
    let error = |message: String| CodegenError::Release {
        file: RELEASES_PATH.to_owned(),
        message,
    };
    let doc: toml_edit::DocumentMut = text.parse().map_err(|e| error(format!("{e}")))?;
    let Some(tables) = doc.get("release") else {
        return Ok(Vec::new());
    };
    let tables = tables
        .as_array_of_tables()
        .ok_or_else(|| error("`release` must be an array of tables (`[[release]]`)".to_owned()))?;
    let mut releases = Vec::new();
    for (index, table) in tables.iter().enumerate() {
        let field = |key: &str| -> Result<String, CodegenError> {
            table
                .get(key)
                .and_then(|item| item.as_str())
                .map(str::to_owned)
                .ok_or_else(|| {
                    error(format!(
                        "release #{}: `{key}` (a string) is missing",
                        index + 1
                    ))
                })
        };
        let release = Release {
            version: field("version")?,
            date: field("date")?,
            spec: field("spec")?,
            spec_sha256: field("spec_sha256")?,
        };
        if parse_version(&release.version).is_none() {
            return Err(error(format!(
                "release #{}: `{}` is not a version (MAJOR.MINOR.PATCH)",
                index + 1,
                release.version
            )));
        }
        releases.push(release);
    }
    Ok(releases)
}

/// `MAJOR.MINOR.PATCH` as numbers; pre-release and build suffixes are not used here.
pub fn parse_version(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    let parsed = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(parsed)
}
