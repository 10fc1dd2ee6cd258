//! `atlas-codegen`: generates a client crate from any OpenAPI 3.0 spec into any folder, from
//! anywhere (no checkout of this repository needed). The same code path as
//! `cargo xtask regen --spec --out`: `codegen::standalone`.

use clap::{ArgGroup, Parser};
use codegen::standalone::{Runtime, Standalone};
use codegen::write::{Mode, SyncOptions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Generate a typed async Rust client crate from an OpenAPI 3.0 spec.
#[derive(Parser, Debug)]
#[command(name = "atlas-codegen", version)]
#[command(group(ArgGroup::new("runtime").required(true).args(["runtime_version", "runtime_path"])))]
struct Args {
    /// The spec: YAML or JSON, optionally gzipped.
    #[arg(long, value_name = "FILE")]
    spec: PathBuf,
    /// The crate folder to write (created when missing). A folder the generator did not write
    /// is refused unless `--force`.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The package name (by default the spec's `info.title` in kebab case).
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
    /// Depend on this published version of the runtime crate, `atlas-snapshots-runtime`.
    #[arg(long, value_name = "VERSION")]
    runtime_version: Option<String>,
    /// Depend on the runtime crate in this folder (a checkout's `runtime/`); the manifest names it
    /// relative to the output folder.
    #[arg(long, value_name = "DIR")]
    runtime_path: Option<PathBuf>,
    /// A cargo feature per tag: each tag's operations, and the models only they use, compile
    /// only with its feature; `full` (a default feature) enables all.
    #[arg(long)]
    features_per_tag: bool,
    /// Write nothing; fail with a diff when the crate in `--out` is not what would be generated.
    #[arg(long)]
    check: bool,
    /// Write into a folder without a `.generated-files` manifest, replacing files at the paths
    /// the generator writes; other files are left alone.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let started = Instant::now();
    let runtime = match (args.runtime_version, args.runtime_path) {
        (Some(version), _) => Runtime::Version(version),
        (None, Some(path)) => Runtime::Path(path),
        (None, None) => unreachable!("clap requires one of the runtime flags"),
    };
    let job = Standalone {
        spec: &args.spec,
        out: &args.out,
        crate_name: args.crate_name.as_deref(),
        runtime,
        features_per_tag: args.features_per_tag,
        program: "atlas-codegen",
    };
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let sync = SyncOptions { force: args.force };
    match codegen::standalone::generate(&job, mode, sync) {
        Ok((generated, changes)) => {
            print!(
                "{}",
                codegen::standalone::run_summary(
                    if args.check { "checked" } else { "generated" },
                    &args.out.display().to_string(),
                    &args.spec.display().to_string(),
                    &generated,
                    &changes,
                    started.elapsed(),
                )
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            let mut message = format!("error: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
