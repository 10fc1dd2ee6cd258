//! `cargo xtask conformance --spec FILE`: proves, operation by operation, that a client generated
//! from a spec talks to an independent implementation of that spec. The client is generated as
//! a standalone crate into `target/conformance/<name>/client`, a driver beside it calls every
//! operation once ([`driver`]), and Stoplight Prism mocks the same spec with request validation
//! on: once answering with the spec's examples (static), then with generated data for each
//! seed (`--dynamic --seed N`). For each operation the report says whether Prism accepted the
//! request (no `sl-violations`) and whether the client decoded the answer into its typed result,
//! with the reason of each failure; as a table, and as JSON with `--json`.

mod driver;
mod samples;

use anyhow::{bail, Context};
use clap::Args;
use codegen::standalone::{Runtime, Standalone};
use codegen::write::{Mode, SyncOptions};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

#[derive(Args, Debug)]
pub struct ConformanceArgs {
    /// The spec to generate the client from and to mock (YAML or JSON, optionally gzipped).
    #[arg(long)]
    spec: PathBuf,
    /// The seeds of Prism's dynamic answers, one run each, after the static run; none for a
    /// static run only.
    #[arg(long, value_delimiter = ',', default_value = "1,2,3")]
    seeds: Vec<u64>,
    /// Leave out the static run (the spec's examples).
    #[arg(long)]
    no_static: bool,
    /// Write the report as JSON to this file too.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Fail when the share of operations that pass every run is below this (0.0 to 1.0).
    #[arg(long, value_name = "SHARE", default_value_t = 1.0)]
    min: f64,
}

/// What one operation's call came to in one run.
#[derive(Debug, Clone, PartialEq)]
struct Outcome {
    /// Prism took the request as valid: it answered without listing violations.
    accepted: bool,
    /// The client decoded the answer into its typed result.
    decoded: bool,
    status: Option<u16>,
    /// Why the request was refused or the answer not decoded.
    reasons: Vec<String>,
}

pub fn run(args: ConformanceArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let root = codegen::project::repository_root();
    let name = spec_name(&args.spec);
    let dir = root.join("target/conformance").join(&name);
    let package = codegen::settings::package_name(&name);
    let spec_path = args
        .spec
        .canonicalize()
        .with_context(|| format!("{}", args.spec.display()))?;

    // The client, through the standalone generator users run.
    let client_dir = dir.join("client");
    std::fs::create_dir_all(&client_dir)?;
    let job = Standalone {
        spec: &spec_path,
        out: &client_dir,
        crate_name: Some(&package),
        runtime: Runtime::Path(root.join("runtime")),
        features_per_tag: false,
        program: "cargo xtask conformance",
    };
    let (generated, _) =
        codegen::standalone::generate(&job, Mode::Write, SyncOptions { force: true })?;
    let loaded = codegen::load::load_file(&spec_path)?;

    // Prism reads neither gzip nor the loader's fix-ups: it mocks the spec's text as loaded.
    let extension = if loaded.text.trim_start().starts_with('{') {
        "json"
    } else {
        "yaml"
    };
    let mock_spec = dir.join(format!("spec.{extension}"));
    write_if_changed(&mock_spec, &loaded.text)?;

    let driver_dir = dir.join("driver");
    for file in driver::files(&generated.model, &loaded.raw, &package)? {
        write_if_changed(&driver_dir.join(&file.path), &file.contents)?;
    }
    let driver = build_driver(&root, &driver_dir, &package)?;
    println!(
        "client and driver for {} operations ready in {:.0?}",
        generated.model.operations.len(),
        started.elapsed()
    );

    let prism = codegen::prism::executable(&root).map_err(anyhow::Error::msg)?;
    let mut runs: Vec<(String, Vec<&str>)> = Vec::new();
    let seeds: Vec<String> = args.seeds.iter().map(u64::to_string).collect();
    if !args.no_static {
        runs.push(("static".into(), Vec::new()));
    }
    for seed in &seeds {
        runs.push((format!("seed {seed}"), vec!["--dynamic", "--seed", seed]));
    }
    let operations: Vec<String> = generated
        .model
        .operations
        .iter()
        .map(|op| op.id.0.clone())
        .collect();
    let mut results: BTreeMap<String, BTreeMap<String, Outcome>> = BTreeMap::new();
    for (run, options) in &runs {
        let mock = codegen::prism::Prism::start(&prism, &mock_spec, options)
            .map_err(anyhow::Error::msg)?;
        let lines = run_driver(&driver, &mock.base_url())?;
        drop(mock);
        for operation in &operations {
            let outcome = lines
                .get(operation)
                .map(outcome)
                .unwrap_or_else(|| Outcome {
                    accepted: false,
                    decoded: false,
                    status: None,
                    reasons: vec!["the driver did not report it (it stopped before)".into()],
                });
            results
                .entry(operation.clone())
                .or_default()
                .insert(run.clone(), outcome);
        }
    }
    let run_names: Vec<String> = runs.iter().map(|(n, _)| n.clone()).collect();
    print!("{}", table(&results, &run_names));
    let passed = results
        .values()
        .filter(|runs| runs.values().all(|o| o.accepted && o.decoded))
        .count();
    let share = if operations.is_empty() {
        1.0
    } else {
        passed as f64 / operations.len() as f64
    };
    println!(
        "\n{name}: {passed}/{} operations pass every run ({:.1}%), {} runs, in {:.0?}",
        operations.len(),
        share * 100.0,
        run_names.len(),
        started.elapsed()
    );
    if let Some(path) = &args.json {
        let report = json_report(&name, &results, passed);
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if share < args.min {
        eprintln!(
            "error: {:.1}% of the operations pass, below the {:.1}% asked for",
            share * 100.0,
            args.min * 100.0
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// The spec file's name without its extensions: `twilio_verify_v2.json.gz` → `twilio_verify_v2`.
fn spec_name(spec: &Path) -> String {
    let file = spec
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = file.as_str();
    for extension in [".gz", ".json", ".yaml", ".yml"] {
        name = name.strip_suffix(extension).unwrap_or(name);
    }
    name.to_owned()
}

/// Writes `contents` unless the file already holds them, so that cargo sees an unchanged driver
/// as fresh and does not rebuild it.
fn write_if_changed(path: &Path, contents: &str) -> anyhow::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))
}

/// Builds the driver in the target folder every conformance run shares, with the dependency
/// versions of the workspace's lock file, and returns its executable.
fn build_driver(root: &Path, driver_dir: &Path, package: &str) -> anyhow::Result<PathBuf> {
    let lock = driver_dir.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock)?;
    }
    let target = root.join("target/conformance/target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["build", "--quiet", "--manifest-path"])
        .arg(driver_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .stdin(Stdio::null())
        .output()
        .context("cannot run cargo")?;
    if !output.status.success() {
        bail!(
            "the driver does not build:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(target.join("debug").join(format!("{package}-conformance")))
}

/// Runs the driver against `base` and returns its line for each operation.
fn run_driver(driver: &Path, base: &str) -> anyhow::Result<BTreeMap<String, Value>> {
    let output = Command::new(driver)
        .arg(base)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}", driver.display()))?;
    let mut lines = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let value: Value =
            serde_json::from_str(line).with_context(|| format!("a driver line: {line}"))?;
        let operation = value["operation"].as_str().unwrap_or_default().to_owned();
        lines.insert(operation, value);
    }
    if !output.status.success() {
        eprintln!(
            "the driver stopped: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(lines)
}

/// Reads one driver line. A request Prism refused comes back with its violations listed; a
/// 401 without them is Prism refusing the credentials.
fn outcome(line: &Value) -> Outcome {
    let status = line["status"].as_u64().map(|s| s as u16);
    let violations = line["violations"].as_str();
    let error = line["error"].as_str();
    let mut reasons = Vec::new();
    let accepted = if line["sent"] != Value::Bool(true) {
        reasons.push(format!("not sent: {}", error.unwrap_or("no reason given")));
        false
    } else if let Some(violations) = violations {
        reasons.push(format!("prism: {violations}"));
        false
    } else if status == Some(401) {
        reasons.push("prism refused the credentials (401)".into());
        false
    } else {
        true
    };
    let decoded = accepted && error.is_none();
    if accepted {
        if let Some(error) = error {
            reasons.push(format!("client: {error}"));
        }
    }
    Outcome {
        accepted,
        decoded,
        status,
        reasons,
    }
}

/// One row per operation, one column per run: `ok`, `refused` (Prism found the request
/// invalid) or `undecoded`; the reasons follow the table.
fn table(results: &BTreeMap<String, BTreeMap<String, Outcome>>, runs: &[String]) -> String {
    let width = results.keys().map(String::len).max().unwrap_or(9).max(9);
    let mut out = format!("{:width$}", "operation");
    for run in runs {
        out.push_str(&format!("  {run:10}"));
    }
    out.push('\n');
    let mut failures = String::new();
    for (operation, outcomes) in results {
        out.push_str(&format!("{operation:width$}"));
        for run in runs {
            let cell = match outcomes.get(run) {
                Some(o) if o.accepted && o.decoded => "ok",
                Some(o) if !o.accepted => "refused",
                Some(_) => "undecoded",
                None => "-",
            };
            out.push_str(&format!("  {cell:10}"));
            if let Some(o) = outcomes.get(run) {
                for reason in &o.reasons {
                    failures.push_str(&format!(
                        "{operation} [{run}]: {}\n",
                        reason.replace('\n', "\n    ")
                    ));
                }
            }
        }
        out.push('\n');
    }
    if !failures.is_empty() {
        out.push_str("\nfailures:\n");
        out.push_str(&failures);
    }
    out
}

fn json_report(
    name: &str,
    results: &BTreeMap<String, BTreeMap<String, Outcome>>,
    passed: usize,
) -> Value {
    let operations: BTreeMap<&String, Value> = results
        .iter()
        .map(|(operation, runs)| {
            let runs: BTreeMap<&String, Value> = runs
                .iter()
                .map(|(run, o)| {
                    (
                        run,
                        json!({
                            "accepted": o.accepted,
                            "decoded": o.decoded,
                            "status": o.status,
                            "reasons": o.reasons,
                        }),
                    )
                })
                .collect();
            (operation, json!(runs))
        })
        .collect();
    json!({
        "spec": name,
        "operations": results.len(),
        "passed": passed,
        "results": operations,
    })
}
