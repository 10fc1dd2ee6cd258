//! `cargo xtask conformance --spec FILE`: proves, operation by operation, that a client generated
//! from a spec talks to an independent implementation of that spec. The client is generated as
//! a standalone crate into `target/conformance/<name>/client`, a driver beside it calls every
//! operation once ([`driver`]), and Stoplight Prism mocks the same spec with request validation
//! on: once answering with the spec's examples (static), then with generated data for each
//! seed (`--dynamic --seed N`). For each operation the report says whether Prism accepted the
//! request (no `sl-violations`) and whether the client decoded the answer into its typed result,
//! with the reason of each failure; as a table, and as JSON with `--json`.

mod driver;
mod mock_spec;
mod samples;
mod spec_repairs;

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
    /// Mock the spec's contradictory schemas as written instead of repaired (see
    /// `conformance/spec_repairs.rs`).
    #[arg(long)]
    as_written: bool,
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
    /// What was wrong on Prism's side without failing the operation: its answer breaking the
    /// spec.
    notes: Vec<String>,
    /// The run could not test the operation, and why: Prism failed to make an answer (its
    /// data generator overflows its stack on some recursive schemas and cannot read some
    /// patterns), or its answer broke the spec and the client refused it. Such a run still
    /// counts as failed in [`Measured::passed`].
    untested: Option<&'static str>,
}

impl Outcome {
    fn passed(&self) -> bool {
        self.accepted && self.decoded
    }
}

/// How a note on a violation of Prism's own answer starts.
const ANSWER_BREAKS_SPEC: &str = "prism's answer breaks the spec";

/// What Prism's problem document says when Prism failed itself: its unknown-error type, its
/// refusal to write an object as text (for a `*/*` answer), or the JavaScript error it caught
/// (a stack overflow in its data generator has its own type).
const PRISM_FAILURES: &[&str] = &[
    "stoplight.io/prism/errors#UNKNOWN",
    "stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT",
    "Maximum call stack size exceeded",
];

/// A spec's conformance: each operation's outcome in each run.
pub struct Measured {
    pub name: String,
    /// The runs in order: `static`, then `seed N` for each seed.
    pub runs: Vec<String>,
    results: BTreeMap<String, BTreeMap<String, Outcome>>,
    /// The spec defects repaired in the spec Prism mocks that each operation reaches
    /// (operations that reach none are left out).
    repaired: BTreeMap<String, Vec<&'static str>>,
}

impl Measured {
    pub fn operations(&self) -> usize {
        self.results.len()
    }

    /// The operations that pass every run.
    pub fn passed(&self) -> usize {
        self.results
            .values()
            .filter(|runs| runs.values().all(Outcome::passed))
            .count()
    }

    /// The operations that pass every run Prism could test them in (at least one).
    pub fn passed_where_tested(&self) -> usize {
        self.results
            .values()
            .filter(|runs| {
                runs.values().any(Outcome::passed)
                    && runs.values().all(|o| o.passed() || o.untested.is_some())
            })
            .count()
    }

    /// The operations that pass one run.
    pub fn passed_in(&self, run: &str) -> usize {
        self.results
            .values()
            .filter(|runs| runs.get(run).is_some_and(Outcome::passed))
            .count()
    }

    /// The share of operations that pass every run (1.0 for a spec without operations).
    pub fn share(&self) -> f64 {
        if self.results.is_empty() {
            1.0
        } else {
            self.passed() as f64 / self.results.len() as f64
        }
    }

    /// `passed/operations (share) pass every run`, and how many pass every run Prism could
    /// test them in when that differs.
    pub fn summary(&self) -> String {
        let mut summary = format!(
            "{}/{} ({:.1}%) pass every run",
            self.passed(),
            self.operations(),
            self.share() * 100.0
        );
        let tested = self.passed_where_tested();
        if tested != self.passed() {
            summary.push_str(&format!(", {tested} every run Prism could test"));
        }
        // Whether those operations pass on the spec as written takes a run with
        // `--as-written`: a request that reaches a repaired schema may not use the part of it
        // that was repaired, and an answer may not be the example left out.
        if !self.repaired.is_empty() {
            summary.push_str(&format!(
                ", {} reach a repaired spec defect",
                self.repaired.len()
            ));
        }
        summary
    }
}

pub fn run(args: ConformanceArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let measured = measure(&args.spec, &args.seeds, !args.no_static, !args.as_written)?;
    print!("{}", table(&measured.results, &measured.runs));
    let per_run: Vec<String> = measured
        .runs
        .iter()
        .map(|run| format!("{run} {}", measured.passed_in(run)))
        .collect();
    println!(
        "\n{}: {} ({}), in {:.0?}",
        measured.name,
        measured.summary(),
        per_run.join(", "),
        started.elapsed()
    );
    if let Some(path) = &args.json {
        std::fs::write(path, report_json(&measured)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if measured.share() < args.min {
        eprintln!(
            "error: {:.1}% of the operations pass, below the {:.1}% asked for",
            measured.share() * 100.0,
            args.min * 100.0
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Generates the client and driver of `spec`, and runs the driver against Prism: statically
/// when `with_static`, then once per seed.
/// With `repair`, the spec Prism mocks has its contradictory schemas repaired
/// ([`spec_repairs`]).
pub fn measure(
    spec: &Path,
    seeds: &[u64],
    with_static: bool,
    repair: bool,
) -> anyhow::Result<Measured> {
    let started = Instant::now();
    let root = codegen::project::repository_root();
    let name = spec_name(spec);
    let dir = root.join("target/conformance").join(&name);
    let package = codegen::settings::package_name(&name);
    let spec_path = spec
        .canonicalize()
        .with_context(|| format!("{}", spec.display()))?;
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

    // Prism reads neither gzip nor the loader's fix-ups: it mocks the spec's tree as loaded,
    // with what Prism would read differently written out (see `mock_spec`).
    let mut mocked = loaded.raw.clone();
    mock_spec::write_out_form_encodings(&mut mocked);
    mock_spec::write_out_mapped_subtypes(&mut mocked);
    mock_spec::pin_inline_unions(&mut mocked);
    mock_spec::unname_pattern_groups(&mut mocked);
    let repairs = if repair {
        spec_repairs::repair(&mut mocked)
    } else {
        Vec::new()
    };
    for repair in &repairs {
        println!(
            "repaired in the spec Prism mocks: {} ({})",
            repair.pointer, repair.defect
        );
    }
    let repaired: BTreeMap<String, Vec<&'static str>> = generated
        .model
        .operations
        .iter()
        .filter_map(|op| {
            let reached = spec_repairs::reached(&loaded.raw, &op.pointer, &repairs);
            (!reached.is_empty()).then(|| (op.id.0.clone(), reached))
        })
        .collect();
    let (extension, text) = ("json", mock_spec::to_json(&mocked));
    let mock_spec = dir.join(format!("spec.{extension}"));
    write_if_changed(&mock_spec, &text)?;

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
    let seeds: Vec<String> = seeds.iter().map(u64::to_string).collect();
    if with_static {
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
                    notes: Vec::new(),
                    untested: None,
                });
            results
                .entry(operation.clone())
                .or_default()
                .insert(run.clone(), outcome);
        }
    }
    Ok(Measured {
        name,
        runs: runs.into_iter().map(|(n, _)| n).collect(),
        results,
        repaired,
    })
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
/// 401 without them is Prism refusing the credentials. Violations of Prism's own answer (its
/// generated data breaking the spec's patterns, say) say nothing of the request: they are
/// kept as notes.
fn outcome(line: &Value) -> Outcome {
    let status = line["status"].as_u64().map(|s| s as u16);
    let (refusal, mut notes) = match line["violations"].as_str() {
        Some(violations) => split_violations(violations),
        None => (None, Vec::new()),
    };
    // Examples of the spec that did not fit their type (the driver sent a value made from the
    // schema instead).
    notes.extend(
        line["notes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|note| format!("spec example: {note}")),
    );
    let error = line["error"].as_str();
    let mut reasons = Vec::new();
    let accepted = if line["sent"] != Value::Bool(true) {
        reasons.push(format!("not sent: {}", error.unwrap_or("no reason given")));
        false
    } else if let Some(refusal) = refusal {
        // Prism's own problem document lists what it refused in its body, which the client's
        // error quotes.
        match error.filter(|_| !refusal.starts_with('[')) {
            Some(error) => reasons.push(format!("prism: {refusal}\n{error}")),
            None => reasons.push(format!("prism: {refusal}")),
        }
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
    let prism_failed = |e: &str| PRISM_FAILURES.iter().any(|failure| e.contains(failure));
    let untested = if accepted && status == Some(500) && error.is_some_and(prism_failed) {
        Some("prism could not make an answer")
    } else if accepted && !decoded && notes.iter().any(|n| n.starts_with(ANSWER_BREAKS_SPEC)) {
        Some("prism's answer broke the spec")
    } else {
        None
    };
    Outcome {
        accepted,
        decoded,
        status,
        reasons,
        notes,
        untested,
    }
}

/// Splits Prism's `sl-violations` into those of the request (the refusal, if any) and those of
/// Prism's own answer. Prism lists the request's first; a list too long for a header is cut
/// short after `Too many violations! `, and then its first entry tells whether the request
/// had any.
fn split_violations(header: &str) -> (Option<String>, Vec<String>) {
    let list = header
        .strip_prefix("Too many violations! ")
        .unwrap_or(header);
    let side = |violation: &Value| violation["location"][0].as_str().map(str::to_owned);
    match serde_json::from_str::<Vec<Value>>(list) {
        Ok(violations) => {
            // A warning (a deprecated parameter used) does not refuse the request.
            let (request, answer): (Vec<Value>, Vec<Value>) =
                violations.into_iter().partition(|v| {
                    side(v).as_deref() != Some("response") && v["severity"] != "Warning"
                });
            let refusal = (!request.is_empty()).then(|| Value::Array(request).to_string());
            let notes = answer
                .iter()
                .map(|v| match side(v).as_deref() {
                    Some("response") => format!("{ANSWER_BREAKS_SPEC}: {v}"),
                    _ => format!("prism warns: {v}"),
                })
                .collect();
            (refusal, notes)
        }
        Err(_) if list.starts_with("[{\"location\":[\"response\"") => {
            (None, vec![format!("{ANSWER_BREAKS_SPEC}: {header}")])
        }
        // Not a list (Prism's own 422 problem document), or a cut list that opens with the
        // request's violations.
        Err(_) => (Some(header.to_owned()), Vec::new()),
    }
}

/// One row per operation, one column per run: `ok`, `refused` (Prism found the request
/// invalid), `untested` (Prism failed, or its answer broke the spec) or `undecoded`; the
/// reasons follow the table.
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
                Some(o) if o.untested.is_some() => "untested",
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

/// The report as pretty JSON: each operation's outcome in each run, with its reasons.
pub fn report_json(measured: &Measured) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(&json_report(measured))? + "\n")
}

fn json_report(measured: &Measured) -> Value {
    let operations: BTreeMap<&String, Value> = measured
        .results
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
                            "notes": o.notes,
                            "untested": o.untested,
                        }),
                    )
                })
                .collect();
            (operation, json!(runs))
        })
        .collect();
    json!({
        "spec": measured.name,
        "operations": measured.operations(),
        "passed": measured.passed(),
        "passed_where_tested": measured.passed_where_tested(),
        // Per operation, the repaired spec defects its request reaches.
        "repaired_spec_defects": measured.repaired,
        "results": operations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn violations_of_prisms_own_answer_do_not_refuse_the_request() {
        let answer = r#"[{"location":["response","body","name"],"severity":"Error","code":"pattern","message":"m"}]"#;
        let (refusal, notes) = split_violations(answer);
        assert_eq!(refusal, None);
        assert_eq!(notes.len(), 1);

        let both = r#"[{"location":["request","query","q"],"severity":"Error","code":"type","message":"m"},{"location":["response","body"],"severity":"Error","code":"type","message":"m"}]"#;
        let (refusal, notes) = split_violations(both);
        assert!(refusal.unwrap().contains(r#"["request","query","q"]"#));
        assert_eq!(notes.len(), 1);

        // A list cut short: its first entry decides.
        let cut = format!("Too many violations! {}", &both[..60]);
        assert!(split_violations(&cut).0.is_some());
        let cut = format!("Too many violations! {}", &answer[..60]);
        assert_eq!(split_violations(&cut).0, None);

        // A warning is a note.
        let warning = r#"[{"code":"deprecated","location":["request","query","q"],"message":"m","severity":"Warning"}]"#;
        let (refusal, notes) = split_violations(warning);
        assert_eq!(refusal, None);
        assert!(notes[0].starts_with("prism warns"), "{notes:?}");

        // Prism's problem document for a request it refused.
        assert!(split_violations("422 Invalid request").0.is_some());
    }
}
