//! `cargo xtask public-api`: the public API of the committed client and of the runtime crate, one
//! line per item, as reviewed snapshots in `tests/public-api/`. `--check` fails with a diff when
//! an item was added, removed or changed, so every change to what users can name shows up in
//! review.
//!
//! The listing comes from rustdoc's JSON output, read by the `public-api` crate (the library
//! behind `cargo public-api`). Stable rustdoc writes that JSON only with `RUSTC_BOOTSTRAP=1`,
//! as cargo-semver-checks also does; it goes to a target folder of its own so the variable
//! never invalidates the main build.

use anyhow::{bail, Context};
use clap::Args;
use codegen::project;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The crates whose public API is recorded, with their library names.
const CRATES: &[(&str, &str)] = &[
    ("atlas-snapshots", "atlas_snapshots"),
    ("atlas-snapshots-runtime", "atlas_snapshots_runtime"),
];

/// Where the reviewed listings live, relative to the repository root.
const SNAPSHOT_DIR: &str = crate::api_change::RECORDS_DIR;

/// The target folder for rustdoc's JSON, relative to the repository root.
pub(crate) const TARGET_DIR: &str = "target/public-api";

#[derive(Args, Debug)]
pub struct PublicApiArgs {
    /// Fail with a diff, and write nothing, when a listing is out of date.
    #[arg(long)]
    check: bool,
}

pub fn run(args: PublicApiArgs) -> anyhow::Result<ExitCode> {
    let root = project::repository_root();
    let mut stale = Vec::new();
    for (package, library) in CRATES {
        let listing = listing(&root, package, library)?;
        let path = root.join(SNAPSHOT_DIR).join(format!("{package}.txt"));
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == listing {
            println!(
                "{package}: public API unchanged ({} items)",
                listing.lines().count()
            );
            continue;
        }
        if args.check {
            let diff = similar::TextDiff::from_lines(&current, &listing);
            eprint!(
                "{}",
                diff.unified_diff()
                    .header(&path.display().to_string(), "now")
            );
            stale.push(*package);
        } else {
            std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
            std::fs::write(&path, &listing)
                .with_context(|| format!("writing {}", path.display()))?;
            println!(
                "{package}: public API listing written to {}",
                path.display()
            );
        }
    }
    if !stale.is_empty() {
        bail!(
            "the public API of {} changed; review the diff above, then run `cargo xtask public-api`",
            stale.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The public items of one workspace crate, one a line, each under the item it belongs to.
fn listing(root: &Path, package: &str, library: &str) -> anyhow::Result<String> {
    let json = rustdoc_json(root, None, package, library)?;
    listing_from_json(&json)
}

/// Builds rustdoc's JSON for `package` (of this workspace, or of the crate whose manifest is
/// `manifest`) in [`TARGET_DIR`] and returns where it is. The file is named after the library,
/// so the next build of a crate of the same name replaces it.
pub(crate) fn rustdoc_json(
    root: &Path,
    manifest: Option<&Path>,
    package: &str,
    library: &str,
) -> anyhow::Result<PathBuf> {
    let target = root.join(TARGET_DIR);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["doc", "--no-deps", "--quiet", "-p", package])
        // The typed mocks are public API too: users' tests depend on them.
        .args(["--features", "mock"]);
    match manifest {
        // A standalone crate carries a copy of the workspace's lock file, which its own
        // resolution trims; `--locked` would refuse that.
        Some(manifest) => command.arg("--manifest-path").arg(manifest),
        None => command.arg("--locked"),
    };
    let status = command
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTDOCFLAGS", "-Z unstable-options --output-format json")
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .context("running cargo doc")?;
    if !status.success() {
        bail!("cargo doc -p {package} failed");
    }
    Ok(target.join("doc").join(format!("{library}.json")))
}

/// The public items in a rustdoc JSON file, one a line. Blanket and auto-trait impls are left
/// out: they follow from the items and would only repeat the standard library.
pub(crate) fn listing_from_json(json: &Path) -> anyhow::Result<String> {
    let api = public_api::Builder::from_rustdoc_json(json)
        .omit_blanket_impls(true)
        .omit_auto_trait_impls(true)
        .build()
        .with_context(|| format!("reading {}", json.display()))?;
    Ok(api.items().map(|item| format!("{item}\n")).collect())
}
