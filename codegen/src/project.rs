//! This repository's own generation job: the bundled spec into the committed client crate.
//! `cargo xtask regen`, `regen --check` and the freshness test all call [`regenerate`], so
//! they can never disagree about what fresh means.

use crate::write::{Changes, Mode, OwnedTree};
use crate::{CodegenError, Generated, Options};
use std::path::{Path, PathBuf};

/// The bundled spec, relative to the repository root.
pub const SPEC_PATH: &str = "spec/atlas-snapshots.yaml";
/// The client crate, relative to the repository root.
pub const CLIENT_DIR: &str = "generated-client";
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
    };
    let generated = crate::generate(&root.join(SPEC_PATH), &options)?;
    let tree = OwnedTree {
        root: root.join(CLIENT_DIR),
        owned: PathBuf::from(crate::emit::GENERATED_DIR),
        command: REGEN_COMMAND.to_owned(),
    };
    let changes = tree.sync(&generated.files, mode)?;
    Ok((generated, changes))
}
