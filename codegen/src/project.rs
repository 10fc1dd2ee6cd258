//! This repository's own generation job: the bundled spec into the committed client crate.
//! `cargo xtask regen`, `regen --check` and the freshness test all call [`regenerate`], so
//! they can never disagree about what fresh means.

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
        crate_settings: committed_crate(),
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

/// The committed client: a member of this workspace, with the runtime beside it.
pub fn committed_crate() -> CrateSettings {
    CrateSettings {
        package: "atlas-snapshots".to_owned(),
        version: "0.1.0".to_owned(),
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
        keywords: ["mongodb", "atlas", "backup", "snapshot", "api-client"]
            .map(str::to_owned)
            .to_vec(),
        categories: ["api-bindings", "database"].map(str::to_owned).to_vec(),
        ..CrateSettings::default()
    }
}

/// Where this repository is published; the published crates link to it.
pub const REPOSITORY: &str = "https://github.com/atlas-snapshots-codegen/atlas-snapshots-codegen";
