//! This repository's own generation job: the bundled spec into the committed client crate.
//! `cargo xtask regen`, `regen --check` and the freshness test all call [`regenerate`], so
//! they can never disagree about what fresh means. The committed crate's version is the one of
//! the newest release in [`RELEASES_PATH`], written by `cargo xtask release`.

use crate::write::{Changes, Mode, OwnedTree, SyncOptions};
use crate::{CodegenError, CrateSettings, Generated, Options, RuntimeSource};
use std::path::{Path, PathBuf};

/// The bundled spec, relative to the repository root.
pub const SPEC_PATH: &str = "spec/atlas-snapshots.yaml";
/// The client crate, relative to the repository root.
pub const CLIENT_DIR: &str = "generated-client";
/// The command-line client crate, relative to the repository root; the generator owns its
/// `src/generated/` folder and nothing else in it.
pub const CLI_DIR: &str = "cli";
/// The runtime crate every generated crate depends on, relative to the repository root.
pub const RUNTIME_DIR: &str = "runtime";
/// The command that regenerates the client crate.
pub const REGEN_COMMAND: &str = "cargo xtask regen";
/// The release record, relative to the repository root: one `[[release]]` table per release of
/// the client crate, oldest first.
pub const RELEASES_PATH: &str = "release/releases.toml";

/// The repository root of the checkout this process runs in. Cargo sets `CARGO_MANIFEST_DIR`
/// at run time for `cargo run` and `cargo test`, so that is looked at first, then the current
/// folder. A path baked in at compile time would name whichever checkout built the binary,
/// and with a moved checkout or a target folder shared by two checkouts, that is the wrong one.
///
/// # Panics
/// When neither place is inside the repository; [`try_repository_root`] says so as an error.
pub fn repository_root() -> PathBuf {
    try_repository_root().unwrap_or_else(|message| panic!("{message}"))
}

/// As [`repository_root`], with an error naming the places looked at.
pub fn try_repository_root() -> Result<PathBuf, String> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let cwd = std::env::current_dir().ok();
    find_repository_root(manifest_dir.as_deref(), cwd.as_deref()).ok_or_else(|| {
        format!(
            "cannot find the repository root (a folder with a `[workspace]` Cargo.toml and \
             `codegen/Cargo.toml`) above CARGO_MANIFEST_DIR ({}) or the current folder ({}); \
             run the command from inside the checkout",
            manifest_dir.map_or("unset".to_owned(), |d| d.display().to_string()),
            cwd.map_or("unknown".to_owned(), |d| d.display().to_string()),
        )
    })
}

/// The repository root above `manifest_dir`, else above `cwd`: the nearest folder whose
/// `Cargo.toml` has a `[workspace]` table and that holds the generator (`codegen/`). Nested
/// workspaces of their own, such as `bench/`, are walked past.
pub fn find_repository_root(manifest_dir: Option<&Path>, cwd: Option<&Path>) -> Option<PathBuf> {
    let is_root = |dir: &Path| {
        dir.join("codegen/Cargo.toml").is_file()
            && std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
    };
    [manifest_dir, cwd]
        .into_iter()
        .flatten()
        .find_map(|start| start.ancestors().find(|dir| is_root(dir)))
        .map(Path::to_path_buf)
}

/// Generates the client from the bundled spec and writes it, or checks it in [`Mode::Check`].
pub fn regenerate(root: &Path, mode: Mode) -> Result<(Generated, Changes), CodegenError> {
    regenerate_with(root, mode, SyncOptions::default())
}

/// As [`regenerate`], with `options` for a client folder that has no manifest yet.
pub fn regenerate_with(
    root: &Path,
    mode: Mode,
    options: SyncOptions,
) -> Result<(Generated, Changes), CodegenError> {
    let generation = Options {
        spec_label: SPEC_PATH.to_owned(),
        command: REGEN_COMMAND.to_owned(),
        crate_settings: committed_crate(root)?,
    };
    let generated = crate::generate(&root.join(SPEC_PATH), &generation)?;
    let tree = OwnedTree {
        root: root.join(CLIENT_DIR),
        owned: PathBuf::from("."),
        command: REGEN_COMMAND.to_owned(),
    };
    let mut changes = tree.sync_with(&generated.files, mode, options)?;
    // The command-line client is generated from the same model, into the crate beside it; its
    // changes are listed with the client's, relative to the client's folder.
    let cli_files = crate::emit::cli::cli_files(&generated.model, &generation, CLIENT_CRATE)?;
    let cli_tree = OwnedTree {
        root: root.join(CLI_DIR),
        owned: PathBuf::from(crate::emit::cli::OWNED_DIR),
        command: REGEN_COMMAND.to_owned(),
    };
    let cli_changes = cli_tree.sync_with(&cli_files, mode, options)?;
    let beside = |path: String| format!("../{CLI_DIR}/{path}");
    changes
        .added
        .extend(cli_changes.added.into_iter().map(beside));
    changes
        .modified
        .extend(cli_changes.modified.into_iter().map(beside));
    changes
        .removed
        .extend(cli_changes.removed.into_iter().map(beside));
    changes.unchanged += cli_changes.unchanged;
    for fixture in FIXTURE_CLIENTS {
        let fixture_changes = fixture.sync(root, mode, options)?;
        let beside = |path: String| format!("../{}/{path}", fixture.dir);
        changes
            .added
            .extend(fixture_changes.added.into_iter().map(beside));
        changes
            .modified
            .extend(fixture_changes.modified.into_iter().map(beside));
        changes
            .removed
            .extend(fixture_changes.removed.into_iter().map(beside));
        changes.unchanged += fixture_changes.unchanged;
    }
    Ok((generated, changes))
}

/// A client crate generated from a fixture spec, for the integration tests of a construct the
/// curated spec does not have (a `HEAD` operation): the tests call it as users call the
/// committed client, against a local server. Regenerated and checked with the committed client.
#[derive(Debug, Clone, Copy)]
pub struct FixtureClient {
    /// The spec, relative to the repository root.
    pub spec: &'static str,
    /// The crate folder, relative to the repository root; a member of the workspace.
    pub dir: &'static str,
}

/// The fixture clients, each generated like the committed client (same runtime, same command).
pub const FIXTURE_CLIENTS: &[FixtureClient] = &[FixtureClient {
    spec: "tests/fixtures/codegen/methods.yaml",
    dir: "tests/methods-client",
}];

impl FixtureClient {
    /// Generates the crate and writes it, or checks it in [`Mode::Check`].
    fn sync(&self, root: &Path, mode: Mode, options: SyncOptions) -> Result<Changes, CodegenError> {
        let folder = Path::new(self.dir);
        // From the crate folder back up to the root, then into the runtime.
        let up = "../".repeat(folder.components().count());
        let generation = Options {
            spec_label: self.spec.to_owned(),
            command: REGEN_COMMAND.to_owned(),
            crate_settings: CrateSettings {
                package: crate::settings::package_name_for(folder),
                runtime: RuntimeSource::Path {
                    path: format!("{up}{RUNTIME_DIR}"),
                    version: crate::settings::RUNTIME_VERSION.to_owned(),
                },
                workspace_member: true,
                ..CrateSettings::default()
            },
        };
        let generated = crate::generate(&root.join(self.spec), &generation)?;
        let tree = OwnedTree {
            root: root.join(self.dir),
            owned: PathBuf::from("."),
            command: REGEN_COMMAND.to_owned(),
        };
        tree.sync_with(&generated.files, mode, options)
    }
}

/// The Rust name of the committed client crate, which the command-line client calls.
const CLIENT_CRATE: &str = "atlas_snapshots";

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
        publish: true,
        repository: Some(REPOSITORY.to_owned()),
        // Hand-written beside the generated files: the crate's docs, with examples that compile.
        readme: Some("README.md".to_owned()),
        keywords: ["mongodb", "atlas", "backup", "snapshot", "api-client"]
            .map(str::to_owned)
            .to_vec(),
        categories: ["api-bindings", "database"].map(str::to_owned).to_vec(),
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

/// Where this repository is published; the published crates link to it.
pub const REPOSITORY: &str = "https://github.com/atlas-snapshots-codegen/atlas-snapshots-codegen";

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn fake_repository(dir: &Path) {
        fs::create_dir_all(dir.join("codegen")).unwrap();
        fs::create_dir_all(dir.join("xtask/src")).unwrap();
        fs::create_dir_all(dir.join("bench/src")).unwrap();
        fs::write(
            dir.join("Cargo.toml"),
            "[workspace]\nmembers = [\"codegen\"]\n",
        )
        .unwrap();
        fs::write(dir.join("codegen/Cargo.toml"), "[package]\n").unwrap();
        fs::write(dir.join("xtask/Cargo.toml"), "[package]\n").unwrap();
        // A workspace of its own inside the repository, as the benchmark is.
        fs::write(dir.join("bench/Cargo.toml"), "[package]\n\n[workspace]\n").unwrap();
    }

    #[test]
    fn the_root_is_found_at_run_time_from_the_manifest_folder_then_the_current_folder() {
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        fake_repository(first.path());
        fake_repository(second.path());
        let found =
            |manifest: Option<&Path>, cwd: Option<&Path>| find_repository_root(manifest, cwd);

        let xtask = first.path().join("xtask");
        assert_eq!(
            found(Some(&xtask), Some(second.path())),
            Some(first.path().to_path_buf())
        );
        let bench = first.path().join("bench/src");
        assert_eq!(found(Some(&bench), None), Some(first.path().to_path_buf()));
        // A manifest folder outside any checkout (a crate using the library): the current folder.
        let outside = tempfile::tempdir().unwrap();
        let cwd = second.path().join("xtask/src");
        assert_eq!(
            found(Some(outside.path()), Some(&cwd)),
            Some(second.path().to_path_buf())
        );
        assert_eq!(found(None, Some(&cwd)), Some(second.path().to_path_buf()));
        assert_eq!(found(Some(outside.path()), None), None);
    }

    #[test]
    fn this_process_finds_this_checkout() {
        let root = try_repository_root().unwrap();
        assert!(root.join(SPEC_PATH).is_file(), "{}", root.display());
        assert!(root.join("codegen/src/project.rs").is_file());
    }
}
