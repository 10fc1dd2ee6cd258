//! `cargo xtask regen`: regenerates `generated-client` from the bundled spec and prints what
//! changed; `--check` fails with a diff instead of writing; `--spec`/`--out` generate a
//! standalone crate from any spec into any folder, depending on the runtime crate, as the
//! `atlas-codegen` command does (`codegen::standalone`).

use clap::Args;
use codegen::project;
use codegen::standalone::{Runtime, Standalone};
use codegen::write::{Changes, Mode, SyncOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct RegenArgs {
    /// Fail with a diff, and write nothing, when the committed output is stale.
    #[arg(long)]
    check: bool,
    /// Generate from this spec instead of the bundled one (needs `--out`).
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// Write a standalone crate into this folder (replaced as a whole).
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
    /// Write into a folder that holds no `.generated-files` manifest yet, replacing files at the
    /// paths the generator writes; files at other paths are left alone.
    #[arg(long)]
    force: bool,
    /// Make the standalone crate depend on this published version of `atlas-snapshots-runtime` instead
    /// of the runtime crate of this checkout.
    #[arg(
        long,
        requires = "out",
        value_name = "VERSION",
        conflicts_with = "runtime_path"
    )]
    runtime_version: Option<String>,
    /// Make the standalone crate depend on the runtime crate in this folder (written relative to
    /// the output folder) instead of the runtime crate of this checkout.
    #[arg(long, requires = "out", value_name = "DIR")]
    runtime_path: Option<PathBuf>,
    /// The standalone crate's package name (by default the spec's title in kebab case).
    #[arg(long, requires = "out", value_name = "NAME")]
    crate_name: Option<String>,
    /// Give the standalone crate a cargo feature per tag: each tag's operations, and the models
    /// only they use, compile only with its feature; `full` (a default feature) enables all.
    #[arg(long, requires = "out")]
    features_per_tag: bool,
}

pub fn run(args: RegenArgs) -> anyhow::Result<ExitCode> {
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let started = Instant::now();
    let root = project::repository_root();
    let (generated, changes, target) = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => {
            let options = SyncOptions { force: args.force };
            let runtime = match (args.runtime_version, args.runtime_path) {
                (Some(version), _) => Some(Runtime::Version(version)),
                (None, Some(path)) => Some(Runtime::Path(path)),
                (None, None) => None,
            };
            standalone(
                &root,
                spec,
                out,
                args.crate_name.as_deref(),
                runtime,
                args.features_per_tag,
                mode,
                options,
            )?
        }
        _ => {
            let options = SyncOptions { force: args.force };
            let (generated, changes) = project::regenerate_with(&root, mode, options)?;
            (generated, changes, root.join(project::CLIENT_DIR))
        }
    };
    print_summary(&generated, &changes, &target, mode, started);
    if args.spec.is_none() {
        // What the regeneration means for users of the client: the committed spec against this one.
        let options = differ::Options::new(differ::today_utc());
        match crate::diff::against_head(&root, project::SPEC_PATH, &generated.model, &options) {
            Ok(diff) => print!("{}", differ::report::summary(&diff)),
            Err(reason) => println!("public API change unknown: {reason}"),
        }
        // The spec diff cannot see what the emitter changed; the emitted items can.
        match committed_items(&root) {
            Ok(old) => {
                let new = crate::emitted::public_items(
                    generated
                        .files
                        .iter()
                        .map(|f| (f.path.as_str(), f.contents.as_str())),
                );
                print!("{}", crate::emitted::Delta::between(&old, &new).summary(8));
            }
            Err(reason) => println!("generated items change unknown: {reason}"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The public items of the client crate's sources as committed at git HEAD.
fn committed_items(root: &Path) -> Result<crate::emitted::Items, String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
        }
        String::from_utf8(output.stdout).map_err(|e| e.to_string())
    };
    let dir = format!("{}/src", project::CLIENT_DIR);
    let listing = git(&["ls-tree", "-r", "--name-only", "HEAD", &dir])?;
    let mut files = Vec::new();
    for path in listing.lines().filter(|p| p.ends_with(".rs")) {
        let text = git(&["show", &format!("HEAD:{path}")])?;
        let inside = path
            .strip_prefix(&format!("{}/", project::CLIENT_DIR))
            .unwrap_or(path)
            .to_owned();
        files.push((inside, text));
    }
    Ok(crate::emitted::public_items(
        files.iter().map(|(p, t)| (p.as_str(), t.as_str())),
    ))
}

fn print_summary(
    generated: &codegen::Generated,
    changes: &Changes,
    target: &Path,
    mode: Mode,
    started: Instant,
) {
    let verb = if mode == Mode::Check {
        "checked"
    } else {
        "generated"
    };
    // Paths inside the repository are shown relative to it, as a user would type them.
    let root = project::repository_root();
    let shown = |path: &Path| {
        path.strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    print!(
        "{}",
        codegen::standalone::run_summary(
            verb,
            &shown(target),
            &shown(Path::new(&generated.model.source)),
            generated,
            changes,
            started.elapsed(),
        )
    );
}

/// A crate of its own, through the same code path as the `atlas-codegen` command: the generated
/// sources and their manifest, depending on the runtime crate of this checkout by a path
/// relative to `out` (or on a published runtime, with `runtime_version`; or on the runtime crate
/// at `runtime_path`). `cargo xtask corpus` generates through this too.
#[allow(clippy::too_many_arguments)]
pub(crate) fn standalone(
    root: &Path,
    spec: &Path,
    out: &Path,
    crate_name: Option<&str>,
    runtime: Option<Runtime>,
    features_per_tag: bool,
    mode: Mode,
    sync: SyncOptions,
) -> anyhow::Result<(codegen::Generated, Changes, PathBuf)> {
    let job = Standalone {
        spec,
        out,
        crate_name,
        runtime: runtime.unwrap_or_else(|| Runtime::Path(root.join(project::RUNTIME_DIR))),
        features_per_tag,
        program: "cargo xtask regen",
    };
    let (generated, changes) = codegen::standalone::generate(&job, mode, sync)?;
    Ok((generated, changes, out.to_path_buf()))
}
