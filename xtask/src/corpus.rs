//! `cargo xtask corpus DIR`: generates a standalone crate for every spec in a folder (through
//! the same code path as `regen --spec --out`), runs `cargo check` on each with one shared
//! target folder so dependencies build once, and prints a table. A warning fails a crate as
//! surely as an error does; the first messages of each failure are shown. With `--clippy`,
//! each crate that checks clean is also linted with `cargo clippy -- -D warnings`.
//! With `--conformance`, each crate that checks clean is also run against Prism operation by
//! operation (`cargo xtask conformance`, static and three dynamic seeds).
//! `cargo xtask peers` is this with `--clippy` on the peer specs in `../shared/peer-specs/`.

use crate::regen;
use anyhow::{bail, Context};
use clap::Args;
use codegen::project;
use codegen::write::{Mode, SyncOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Where the generated crates go, relative to the repository root.
const OUT_DIR: &str = "target/corpus";
/// The target folder every generated crate shares, relative to the repository root.
const TARGET_DIR: &str = "target/corpus-target";
/// Compiler messages shown for each failed crate.
const SHOWN_MESSAGES: usize = 3;

#[derive(Args, Debug)]
pub struct CorpusArgs {
    /// The folder of specs: `.yaml`, `.yml` and `.json` files, each optionally gzipped.
    dir: PathBuf,
    /// Generate the crates here instead of `target/corpus/`.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The shared `CARGO_TARGET_DIR` instead of `target/corpus-target/`.
    #[arg(long, value_name = "DIR")]
    target_dir: Option<PathBuf>,
    /// Also run `cargo clippy -- -D warnings` on each crate that checks clean.
    #[arg(long)]
    clippy: bool,
    /// Generate the crates with a feature per tag (`regen --features-per-tag`): `cargo check`
    /// then builds the full feature set, and one build more has a single tag on.
    #[arg(long)]
    per_tag: bool,
    /// Fail a spec that has more schemas than this generated as `serde_json::Value` (a union
    /// or other composition the generator could not type).
    #[arg(long, value_name = "N")]
    max_untyped: Option<usize>,
    /// Also run each crate that checks clean against Prism, operation by operation, statically
    /// and with dynamic seeds 1, 2 and 3 (`cargo xtask conformance`), with its report as JSON
    /// in `target/conformance/<spec>.json`.
    #[arg(long)]
    conformance: bool,
    /// With `--conformance`, fail a spec whose share of operations passing every run is below
    /// this (0.0 to 1.0).
    #[arg(long, value_name = "SHARE", requires = "conformance")]
    conformance_min: Option<f64>,
}

#[derive(Args, Debug)]
pub struct PeersArgs {
    /// The folder of peer specs instead of `../shared/peer-specs/` beside the repository.
    dir: Option<PathBuf>,
    /// Generate the crates here instead of `target/peers/`.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The shared `CARGO_TARGET_DIR` instead of `target/corpus-target/`.
    #[arg(long, value_name = "DIR")]
    target_dir: Option<PathBuf>,
}

/// Where the peer specs are, relative to the repository root.
const PEER_SPECS: &str = "../shared/peer-specs";

/// `cargo xtask peers`: the corpus run with clippy, over other people's APIs.
pub fn run_peers(args: PeersArgs) -> anyhow::Result<ExitCode> {
    let root = project::repository_root();
    run(CorpusArgs {
        dir: args.dir.unwrap_or_else(|| root.join(PEER_SPECS)),
        out: Some(args.out.unwrap_or_else(|| root.join("target/peers"))),
        target_dir: args.target_dir,
        clippy: true,
        per_tag: false,
        max_untyped: None,
        conformance: false,
        conformance_min: None,
    })
}

/// What became of one spec.
struct Outcome {
    spec: String,
    operations: Option<usize>,
    schemas: Option<usize>,
    /// Schemas generated as `serde_json::Value`.
    untyped: Option<usize>,
    /// Notes: fallbacks and guesses, the untyped schemas among them.
    notes: Option<usize>,
    /// Operations that pass every conformance run, with `--conformance`.
    conformance: Option<String>,
    seconds: f64,
    verdict: Verdict,
}

enum Verdict {
    Ok,
    /// `cargo check` and `cargo clippy -- -D warnings` both clean.
    OkLinted,
    /// `cargo check` clean with every tag and with only this one.
    OkWithTag(String),
    /// Generation failed (or panicked): the message.
    NotGenerated(String),
    /// `cargo check` found errors or warnings in the generated crate.
    Diagnostics {
        tool: &'static str,
        errors: usize,
        warnings: usize,
        first: Vec<String>,
    },
    /// `cargo check` failed without a compiler message (for example, dependency resolution).
    CheckFailed(String),
    /// More schemas than allowed could not be typed: their pointers.
    Untyped {
        limit: usize,
        pointers: Vec<String>,
    },
    /// The conformance run failed, or passed on too small a share of operations.
    Conformance(String),
}

impl Verdict {
    fn passed(&self) -> bool {
        matches!(
            self,
            Verdict::Ok | Verdict::OkLinted | Verdict::OkWithTag(_)
        )
    }

    fn summary(&self) -> String {
        match self {
            Verdict::Ok => "ok".to_owned(),
            Verdict::OkLinted => "ok+clippy".to_owned(),
            Verdict::OkWithTag(feature) => format!("ok, and ok with only `{feature}`"),
            Verdict::NotGenerated(_) => "FAIL: generation".to_owned(),
            Verdict::Diagnostics {
                tool,
                errors,
                warnings,
                ..
            } => format!("FAIL: {tool}: {errors} error(s), {warnings} warning(s)"),
            Verdict::CheckFailed(_) => "FAIL: cargo check".to_owned(),
            Verdict::Untyped { limit, pointers } => {
                format!("FAIL: {} untyped (limit {limit})", pointers.len())
            }
            Verdict::Conformance(_) => "FAIL: conformance".to_owned(),
        }
    }
}

pub fn run(args: CorpusArgs) -> anyhow::Result<ExitCode> {
    let root = project::repository_root();
    let specs = spec_files(&args.dir)?;
    let out_root = args.out.clone().unwrap_or_else(|| root.join(OUT_DIR));
    let target_dir = args
        .target_dir
        .clone()
        .unwrap_or_else(|| root.join(TARGET_DIR));
    let crate_dirs = crate_dirs(&specs, &out_root);

    let mut outcomes = Vec::new();
    for (index, (spec, out)) in specs.iter().zip(&crate_dirs).enumerate() {
        let label = file_label(spec);
        print!("[{}/{}] {label}: ", index + 1, specs.len());
        let _ = std::io::stdout().flush();
        let outcome = check_spec(&root, spec, out, &target_dir, label, &args);
        println!("{} in {:.1} s", outcome.verdict.summary(), outcome.seconds);
        outcomes.push(outcome);
    }

    println!();
    print!("{}", table(&outcomes));
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.verdict.passed()).collect();
    for outcome in &failed {
        println!("\n== {}: {}", outcome.spec, outcome.verdict.summary());
        match &outcome.verdict {
            Verdict::NotGenerated(message)
            | Verdict::CheckFailed(message)
            | Verdict::Conformance(message) => {
                println!("{}", first_lines(message, 30));
            }
            Verdict::Diagnostics { first, .. } => {
                for message in first {
                    println!("{}", message.trim_end());
                }
            }
            Verdict::Untyped { pointers, .. } => {
                for pointer in pointers {
                    println!("  #{pointer}: generated as `serde_json::Value`");
                }
            }
            Verdict::Ok | Verdict::OkLinted | Verdict::OkWithTag(_) => {}
        }
    }
    if failed.is_empty() {
        println!(
            "\nall {} spec(s) generate crates that check without errors or warnings",
            outcomes.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("\n{} of {} spec(s) failed", failed.len(), outcomes.len());
        Ok(ExitCode::FAILURE)
    }
}

/// Whether a file is an OpenAPI Overlay (its first line is `overlay: ...` or its JSON opens with
/// an `overlay` key), which shares a folder with the specs it applies to.
fn is_overlay(path: &Path) -> bool {
    let Ok((text, _)) = codegen::load::read_text(path) else {
        return false;
    };
    let start = text.trim_start_matches('\u{feff}').trim_start();
    start.starts_with("overlay:") || start.starts_with("{\"overlay\"")
}

/// The specs in `dir`, by name: `.yaml`, `.yml`, `.json`, each optionally `.gz`.
fn spec_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        bail!("spec folder {} does not exist", dir.display());
    }
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let inner = name.strip_suffix(".gz").unwrap_or(&name);
        let is_spec = [".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| inner.ends_with(ext));
        if path.is_file() && is_spec {
            if is_overlay(&path) {
                println!("{name}: an OpenAPI Overlay, not a spec: left out");
            } else {
                specs.push(path);
            }
        }
    }
    specs.sort();
    if specs.is_empty() {
        bail!(
            "no specs (.yaml, .yml, .json, optionally .gz) in {}",
            dir.display()
        );
    }
    Ok(specs)
}

/// One crate folder per spec, named after the spec without its extensions; specs that share a
/// name (`a.yaml`, `a.json`) get numbered folders.
fn crate_dirs(specs: &[PathBuf], out_root: &Path) -> Vec<PathBuf> {
    let mut taken = std::collections::BTreeSet::new();
    specs
        .iter()
        .map(|spec| {
            let name = file_label(spec);
            let name = name.strip_suffix(".gz").unwrap_or(&name);
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            let stem = format!("spec-{}", codegen::settings::package_name(stem));
            let mut dir = stem.clone();
            let mut n = 2;
            while !taken.insert(dir.clone()) {
                dir = format!("{stem}-{n}");
                n += 1;
            }
            out_root.join(dir)
        })
        .collect()
}

fn file_label(spec: &Path) -> String {
    spec.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| spec.display().to_string())
}

/// Generates one spec's crate and checks it.
fn check_spec(
    root: &Path,
    spec: &Path,
    out: &Path,
    target_dir: &Path,
    label: String,
    args: &CorpusArgs,
) -> Outcome {
    let CorpusArgs {
        clippy,
        per_tag,
        max_untyped,
        conformance,
        conformance_min,
        ..
    } = *args;
    let started = Instant::now();
    let mut outcome = Outcome {
        spec: label,
        operations: None,
        schemas: None,
        untyped: None,
        notes: None,
        conformance: None,
        seconds: 0.0,
        verdict: Verdict::Ok,
    };
    // A panic in the generator is a bug to report, not a reason to lose the rest of the table.
    let generated = std::panic::catch_unwind(|| {
        // Named after its folder, so the crates of specs that share a title stay apart.
        let package = out
            .file_name()
            .map(|n| codegen::settings::package_name(&n.to_string_lossy()));
        regen::standalone(
            root,
            spec,
            out,
            package.as_deref(),
            None,
            per_tag,
            Mode::Write,
            SyncOptions { force: true },
        )
    });
    match generated {
        Ok(Ok((generated, ..))) => {
            let model = &generated.model;
            outcome.operations = Some(model.operations.len());
            outcome.schemas = Some(model.types.len());
            outcome.untyped = Some(model.untyped.len());
            outcome.notes = Some(model.notes.len());
            outcome.verdict = match max_untyped {
                Some(limit) if model.untyped.len() > limit => Verdict::Untyped {
                    limit,
                    pointers: model.untyped.clone(),
                },
                _ => cargo_check(root, out, target_dir, &Lint::Check),
            };
            if clippy && outcome.verdict.passed() {
                outcome.verdict = match cargo_check(root, out, target_dir, &Lint::Clippy) {
                    Verdict::Ok => Verdict::OkLinted,
                    failed => failed,
                };
            }
            if let Some(feature) = per_tag.then(|| single_tag(model)).flatten() {
                if outcome.verdict.passed() {
                    let lint = Lint::SingleTag(feature.clone());
                    outcome.verdict = match cargo_check(root, out, target_dir, &lint) {
                        Verdict::Ok => Verdict::OkWithTag(feature),
                        failed => failed,
                    };
                }
            }
        }
        Ok(Err(error)) => outcome.verdict = Verdict::NotGenerated(format!("{error:#}")),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            outcome.verdict = Verdict::NotGenerated(format!("the generator panicked: {message}"));
        }
    }
    if conformance && outcome.verdict.passed() {
        match run_conformance(root, spec) {
            Ok(measured) => {
                outcome.conformance = Some(measured.summary());
                if let Some(min) = conformance_min.filter(|min| measured.share() < *min) {
                    outcome.verdict = Verdict::Conformance(format!(
                        "{}, below the {:.1}% asked for",
                        measured.summary(),
                        min * 100.0
                    ));
                }
            }
            Err(error) => outcome.verdict = Verdict::Conformance(format!("{error:#}")),
        }
    }
    outcome.seconds = started.elapsed().as_secs_f64();
    outcome
}

/// Runs the conformance of `spec` (static and seeds 1, 2, 3) and keeps its report beside the
/// conformance crates.
fn run_conformance(root: &Path, spec: &Path) -> anyhow::Result<crate::conformance::Measured> {
    let measured = crate::conformance::measure(spec, &[1, 2, 3], true, true)?;
    let report = root
        .join("target/conformance")
        .join(format!("{}.json", measured.name));
    std::fs::write(&report, crate::conformance::report_json(&measured)?)
        .with_context(|| format!("writing {}", report.display()))?;
    Ok(measured)
}

/// The tag feature the single-tag build turns on: the Flex snapshots' where the revision has
/// that tag (it is the smallest tag users are known to want alone), else the first.
fn single_tag(model: &codegen::model::ApiModel) -> Option<String> {
    let features = codegen::emit::tag_features(model);
    features
        .iter()
        .find(|(_, tag)| tag.as_str() == SINGLE_TAG)
        .or_else(|| features.iter().next())
        .map(|(feature, _)| feature.clone())
}

/// The tag of Atlas's Flex backup operations.
const SINGLE_TAG: &str = "Flex Snapshots";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lint {
    Check,
    /// `cargo clippy -- -D warnings`.
    Clippy,
    /// `cargo check` with only this tag's feature on (and the default TLS).
    SingleTag(String),
}

/// `cargo check` (or clippy) of one generated crate, read from cargo's JSON messages.
/// Dependencies are pinned to the workspace's lock file so they match what the runtime is
/// tested with and are built once for all crates.
fn cargo_check(root: &Path, crate_dir: &Path, target_dir: &Path, lint: &Lint) -> Verdict {
    let lock = root.join("Cargo.lock");
    if let Err(e) = std::fs::copy(&lock, crate_dir.join("Cargo.lock")) {
        return Verdict::CheckFailed(format!("copying {}: {e}", lock.display()));
    }
    let manifest = crate_dir.join("Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    match lint {
        Lint::Check | Lint::SingleTag(_) => command.arg("check"),
        Lint::Clippy => command.arg("clippy"),
    };
    command
        .args(["--message-format=json", "--manifest-path"])
        .arg(&manifest);
    if let Lint::SingleTag(feature) = lint {
        command
            .arg("--no-default-features")
            .args(["--features", &format!("rustls,{feature}")]);
    }
    if *lint == Lint::Clippy {
        // The peers' run also lints the typed mocks, which only the `mock` feature compiles.
        command.args(["--features", "mock", "--", "-D", "warnings"]);
    }
    let output = command
        .env("CARGO_TARGET_DIR", target_dir)
        .stdin(Stdio::null())
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => return Verdict::CheckFailed(format!("cannot run cargo: {e}")),
    };
    let own_manifest = std::fs::canonicalize(&manifest).unwrap_or(manifest);
    let mut errors = 0;
    let mut warnings = 0;
    let mut first = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let from_here = message["manifest_path"]
            .as_str()
            .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| PathBuf::from(p)))
            .is_some_and(|p| p == own_manifest);
        let diagnostic = &message["message"];
        // Summaries ("aborting due to ...", "N warnings emitted") point at no code.
        let located = diagnostic["spans"]
            .as_array()
            .is_some_and(|spans| !spans.is_empty());
        if !from_here || !located {
            continue;
        }
        match diagnostic["level"].as_str() {
            Some("error") => errors += 1,
            Some("warning") => warnings += 1,
            _ => continue,
        }
        if first.len() < SHOWN_MESSAGES {
            if let Some(rendered) = diagnostic["rendered"].as_str() {
                first.push(rendered.to_owned());
            }
        }
    }
    if errors + warnings > 0 {
        Verdict::Diagnostics {
            tool: match lint {
                Lint::Check => "check",
                Lint::Clippy => "clippy",
                Lint::SingleTag(_) => "check of one tag",
            },
            errors,
            warnings,
            first,
        }
    } else if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Verdict::CheckFailed(last_lines(&stderr, 30))
    } else {
        Verdict::Ok
    }
}

fn first_lines(text: &str, count: usize) -> String {
    text.lines().take(count).collect::<Vec<_>>().join("\n")
}

fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

fn table(outcomes: &[Outcome]) -> String {
    let number = |n: Option<usize>| n.map_or_else(|| "-".to_owned(), |n| n.to_string());
    let header = [
        "spec",
        "operations",
        "schemas",
        "untyped",
        "notes",
        "conformance",
        "seconds",
        "verdict",
    ]
    .map(str::to_owned);
    let rows: Vec<[String; 8]> = outcomes
        .iter()
        .map(|o| {
            [
                o.spec.clone(),
                number(o.operations),
                number(o.schemas),
                number(o.untyped),
                number(o.notes),
                o.conformance.clone().unwrap_or_else(|| "-".to_owned()),
                format!("{:.1}", o.seconds),
                o.verdict.summary(),
            ]
        })
        .collect();
    let mut widths = header.clone().map(|h| h.len());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(column, (cell, width))| {
                // Text columns read left to right; numbers line up on the right.
                if column == 0 || column == 7 {
                    format!("{cell:<width$}")
                } else {
                    format!("{cell:>width$}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}
