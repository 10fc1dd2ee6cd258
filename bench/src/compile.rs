//! Compile time of the generated crates: `cargo check` and a debug `cargo build` of the crate
//! alone, its dependencies prebuilt, incremental compilation off.
//!
//! The four crates (ours and progenitor's, full and curated spec) share one target folder,
//! so each dependency builds once. Before every timed run `src/lib.rs` is touched, which makes
//! cargo rebuild that crate and nothing else.

use crate::generate::{self, Crates};
use crate::paths::Paths;
use crate::prepare::Specs;
use crate::process;
use crate::shape::{self, Shape};
use crate::stats::Timing;
use anyhow::Context;
use std::fs::File;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

#[derive(Debug, Clone)]
pub struct CrateCompile {
    pub check: Timing,
    pub build: Timing,
    /// The generated Rust: all of `src/` for both. The runtimes (`atlas-snapshots-runtime`,
    /// `progenitor-client`) are dependencies, built before the timed runs like the others.
    pub generated: Shape,
    /// Lines of all Rust in the crate.
    pub total_lines: usize,
    /// `cargo check` with only the tag [`ONE_TAG`] on (ours only: a feature per tag).
    pub one_tag: Option<Timing>,
    /// `cargo doc --no-deps` of the crate.
    pub doc: Timing,
}

/// The tag feature of the one-tag check: the Flex snapshots, which both specs have.
pub const ONE_TAG: &str = "flex-snapshots";
/// The features of the one-tag check: that tag and the default TLS.
const ONE_TAG_FEATURES: &str = "rustls,flex-snapshots";

#[derive(Debug, Clone)]
pub struct SpecCompile {
    pub spec: &'static str,
    pub ours: CrateCompile,
    pub progenitor: CrateCompile,
}

#[derive(Debug, Clone)]
pub struct Compile {
    pub specs: Vec<SpecCompile>,
    pub cargo: String,
}

pub fn measure(paths: &Paths, specs: &Specs, runs: usize, quick: bool) -> anyhow::Result<Compile> {
    let mut results = Vec::new();
    for spec in specs.both() {
        if quick && spec.name == "full" {
            eprintln!("bench: compile, full spec skipped (--quick)");
            continue;
        }
        let Crates { ours, progenitor } = generate::generate_both(paths, spec)?;
        eprintln!("bench: compile, {} spec: building dependencies", spec.name);
        for crate_dir in [&ours, &progenitor] {
            prepare_crate(paths, crate_dir)?;
            // Untimed: builds the dependencies, and the crate once, for check and build alike.
            cargo(paths, crate_dir, "check")?;
            cargo(paths, crate_dir, "build")?;
        }
        // Untimed: the dependencies of the one-tag build (other features of the runtime).
        cargo_with(paths, &ours, "check", &one_tag_args())?;
        // check, build, doc, and the one-tag check (ours only).
        let mut timings: [[Vec<Duration>; 4]; 2] = Default::default();
        for run in 0..runs {
            eprintln!("bench: compile, {} spec: run {}/{runs}", spec.name, run + 1);
            for (slot, crate_dir) in [&ours, &progenitor].into_iter().enumerate() {
                for (kind, subcommand) in ["check", "build", "doc"].into_iter().enumerate() {
                    touch(&crate_dir.join("src/lib.rs"))?;
                    let args: &[&str] = if subcommand == "doc" {
                        &["--no-deps"]
                    } else {
                        &[]
                    };
                    timings[slot][kind].push(cargo_with(paths, crate_dir, subcommand, args)?);
                }
            }
            touch(&ours.join("src/lib.rs"))?;
            timings[0][3].push(cargo_with(paths, &ours, "check", &one_tag_args())?);
        }
        let [ours_times, progenitor_times] = timings;
        results.push(SpecCompile {
            spec: spec.name,
            ours: CrateCompile {
                check: Timing::of(&ours_times[0]),
                build: Timing::of(&ours_times[1]),
                generated: shape::of_folder(&ours.join("src"))?,
                total_lines: shape::of_folder(&ours.join("src"))?.lines,
                one_tag: Some(Timing::of(&ours_times[3])),
                doc: Timing::of(&ours_times[2]),
            },
            progenitor: CrateCompile {
                check: Timing::of(&progenitor_times[0]),
                build: Timing::of(&progenitor_times[1]),
                generated: shape::of_folder(&progenitor.join("src"))?,
                total_lines: shape::of_folder(&progenitor.join("src"))?.lines,
                one_tag: None,
                doc: Timing::of(&progenitor_times[2]),
            },
        });
    }
    Ok(Compile {
        specs: results,
        cargo: crate::machine::version_of("cargo"),
    })
}

/// Starts the generated crate from the benchmark's lock file, so its dependencies resolve to
/// the versions the rest of the repository uses (cargo adds what is missing).
fn prepare_crate(paths: &Paths, crate_dir: &Path) -> anyhow::Result<()> {
    let lock = crate_dir.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(paths.root.join("bench/Cargo.lock"), &lock)
            .with_context(|| format!("copying a lock file to {}", crate_dir.display()))?;
    }
    Ok(())
}

/// Only the tag [`ONE_TAG`], with the default TLS.
fn one_tag_args() -> [&'static str; 3] {
    ["--no-default-features", "--features", ONE_TAG_FEATURES]
}

fn cargo(paths: &Paths, crate_dir: &Path, subcommand: &str) -> anyhow::Result<Duration> {
    cargo_with(paths, crate_dir, subcommand, &[])
}

fn cargo_with(
    paths: &Paths,
    crate_dir: &Path,
    subcommand: &str,
    args: &[&str],
) -> anyhow::Result<Duration> {
    let mut command = Command::new(process::cargo());
    command
        .current_dir(crate_dir)
        .args([subcommand, "--quiet"])
        .args(args)
        .env("CARGO_TARGET_DIR", &paths.compile_target)
        .env("CARGO_INCREMENTAL", "0");
    process::time(
        &mut command,
        &format!("cargo {subcommand} in {}", crate_dir.display()),
    )
}

fn touch(path: &Path) -> anyhow::Result<()> {
    File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .with_context(|| format!("touching {}", path.display()))
}
