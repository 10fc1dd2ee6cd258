//! `cargo xtask diff`: what changed between two specs, two API versions of one spec, the v1.0
//! and v2 operations of one spec, or the committed spec and the working tree, for the wire and
//! for the generated Rust API. [`against_head`] also gives `cargo xtask regen` its closing
//! public-API summary.
//!
//! Exit codes: 0 when the comparison ran (whatever it found), 1 when `--fail-on` found a change
//! at or above its level (or needing its semver bump), 2 for bad input (an unreadable or invalid
//! spec, an unknown version, a filter value that selects nothing, contradictory options).

use clap::{Args, ValueEnum};
use codegen::model::ApiModel;
use codegen::project;
use differ::policy::{is_date, Exemptions, Levels};
use differ::{report, Change, Diff, DiffError, Filter, Level, Options, Semver};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The older spec (YAML or JSON, `.gz` accepted). Given alone, it is compared with itself
    /// through `--from`/`--to` or `--v1-to-v2`.
    #[arg(required_unless_present_any = ["rules", "head"])]
    old: Option<PathBuf>,
    /// The newer spec.
    #[arg(conflicts_with = "head")]
    new: Option<PathBuf>,
    /// Compare the spec as committed at git HEAD with the working tree: OLD names the spec
    /// (default `spec/atlas-snapshots.yaml`).
    #[arg(long)]
    head: bool,
    /// Compare the older side as a client pinned to this API version sees it: a date (the
    /// newest released version of each operation not newer than it), an upcoming version
    /// (`2025-03-12.upcoming`) or `preview` (that version where an operation has it).
    #[arg(long, value_name = "VERSION")]
    from: Option<String>,
    /// Compare the newer side as a client pinned to this API version sees it.
    #[arg(long, value_name = "VERSION")]
    to: Option<String>,
    /// Between two files, also compare the upcoming and preview versions, which are left out
    /// otherwise (a client not pinned to them never uses them; the crate's semver in the report
    /// then leaves their changes out too).
    #[arg(long)]
    unreleased: bool,
    /// Compare the v1.0 operations with their v2 successors (`x-replaced-by` or same path).
    #[arg(long = "v1-to-v2")]
    legacy: bool,
    /// Only this operation (repeatable).
    #[arg(long = "operation", value_name = "OPERATION_ID")]
    operations: Vec<String>,
    /// Only operations under this path prefix (repeatable).
    #[arg(long = "path", value_name = "PREFIX")]
    paths: Vec<String>,
    /// Only operations with this tag (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Report format; `summary` is the short public-API summary `regen` prints.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Report only changes at this level or worse; `--fail-on` still judges all of them.
    #[arg(long, value_enum, value_name = "LEVEL")]
    min_level: Option<MinLevel>,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit with code 1 when a change at this HTTP level or worse is found (`breaking`,
    /// `warning`, `info`), or one that needs this semver bump of the generated crate or a bigger
    /// one (`major`, `minor`).
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,
    /// Judge sunset dates against this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
    /// Rule levels that replace the rule table's (TOML, `DF404 = "info"`); default
    /// `api-diff/levels.toml` in the repository, when it exists.
    #[arg(long, value_name = "FILE")]
    levels: Option<PathBuf>,
    /// Acknowledged changes kept out of `--fail-on` until their expiry date (TOML
    /// `[[exemption]]` tables); default `api-diff/exemptions.toml` in the repository, when it
    /// exists.
    #[arg(long, value_name = "FILE")]
    exemptions: Option<PathBuf>,
    /// Print the rule table (Markdown), each rule with its family, and exit.
    #[arg(long)]
    rules: bool,
    /// Print how long loading and comparing took, on standard error.
    #[arg(long)]
    timings: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Markdown,
    Json,
    /// Workflow-command annotations (`::error title=…::…`), one per change.
    #[value(name = "githubactions")]
    GithubActions,
    /// JUnit XML: a test suite per tag, a failure per breaking change.
    Junit,
    /// MongoDB's published version-diff records (path, httpMethod, operationId, tag, changes
    /// with changeCode and backwardCompatible), one per operation.
    #[value(name = "atlas-changelog")]
    AtlasChangelog,
    Summary,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MinLevel {
    Breaking,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FailOn {
    Breaking,
    Warning,
    Info,
    Major,
    Minor,
}

/// What `--fail-on` measures a change by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Threshold {
    Level(Level),
    Semver(Semver),
}

impl FailOn {
    fn threshold(self) -> Threshold {
        match self {
            FailOn::Breaking => Threshold::Level(Level::Breaking),
            FailOn::Warning => Threshold::Level(Level::Warning),
            FailOn::Info => Threshold::Level(Level::Info),
            FailOn::Major => Threshold::Semver(Semver::Major),
            FailOn::Minor => Threshold::Semver(Semver::Minor),
        }
    }
}

impl Threshold {
    fn reached_by(self, change: &Change) -> bool {
        match self {
            Threshold::Level(level) => change.level() <= level,
            Threshold::Semver(semver) => change.semver >= semver,
        }
    }

    fn describe(self) -> String {
        match self {
            Threshold::Level(level) => format!("at level {level} or worse"),
            Threshold::Semver(semver) => {
                format!("needing a {semver} release of the generated crate or a bigger one")
            }
        }
    }
}

/// Bad input: distinct from "breaking changes found" (1).
const BAD_INPUT: u8 = 2;
const CHANGES_FOUND: u8 = 1;

pub fn run(args: DiffArgs) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    Ok(ExitCode::from(execute(&args, &mut stdout, &mut stderr)))
}

/// Runs the command, writing the report to `out` (unless `--output` names a file) and messages
/// to `err`; returns the exit code.
fn execute(args: &DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if args.rules {
        let _ = write!(out, "{}", report::rules_markdown());
        return 0;
    }
    match compare(args, err).and_then(|diff| with_policy(args, diff)) {
        Ok(diff) => finish(args, &diff, out, err),
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            BAD_INPUT
        }
    }
}

fn options(args: &DiffArgs) -> Result<Options, String> {
    let today = args.today.clone().unwrap_or_else(differ::today_utc);
    if !is_date(&today) {
        return Err(format!("`--today {today}` is not a date (YYYY-MM-DD)"));
    }
    Ok(Options {
        from: args.from.clone(),
        to: args.to.clone(),
        legacy: args.legacy,
        stable_only: !args.unreleased,
        filter: Filter {
            operation_ids: args.operations.clone(),
            path_prefixes: args.paths.clone(),
            tags: args.tags.clone(),
        },
        today,
    })
}

/// Where the checked-in policy files live when no flag names them.
const LEVELS_FILE: &str = "api-diff/levels.toml";
const EXEMPTIONS_FILE: &str = "api-diff/exemptions.toml";

/// Applies the levels and exemptions files: the ones named, or the checked-in ones if present.
fn with_policy(args: &DiffArgs, diff: Diff) -> Result<Diff, String> {
    let root = project::repository_root();
    let read =
        |given: &Option<PathBuf>, default: &str| -> Result<Option<(String, String)>, String> {
            let path = match given {
                Some(path) => path.clone(),
                None => {
                    let path = root.join(default);
                    if !path.exists() {
                        return Ok(None);
                    }
                    path
                }
            };
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Ok(Some((path.display().to_string(), text)))
        };
    let levels = match read(&args.levels, LEVELS_FILE)? {
        Some((file, text)) => Levels::parse(&file, &text).map_err(|e| e.to_string())?,
        None => Levels::default(),
    };
    let exemptions = match read(&args.exemptions, EXEMPTIONS_FILE)? {
        Some((file, text)) => Exemptions::parse(&file, &text).map_err(|e| e.to_string())?,
        None => Exemptions::default(),
    };
    let today = options(args)?.today;
    Ok(differ::policy::apply(diff, &levels, &exemptions, &today))
}

/// Loads what the arguments name and compares it.
fn compare(args: &DiffArgs, err: &mut dyn Write) -> Result<Diff, String> {
    let options = options(args)?;
    let started = Instant::now();
    if args.head {
        let root = project::repository_root();
        let spec = args
            .old
            .clone()
            .unwrap_or_else(|| root.join(project::SPEC_PATH));
        let relative = repository_relative(&root, &spec)?;
        let new = differ::load(&spec).map_err(|e| e.to_string())?;
        let diff = against_head(&root, &relative, &new, &options)?;
        if args.timings {
            let _ = writeln!(
                err,
                "loaded and compared in {:.3} s",
                started.elapsed().as_secs_f64()
            );
        }
        return Ok(diff);
    }
    let old = args.old.as_deref().ok_or("a spec to compare is required")?;
    let (old, new, notes) = match args.new.as_deref() {
        None => {
            let (old, notes) = differ::load_with_notes(old).map_err(|e| e.to_string())?;
            (old, None, notes)
        }
        Some(new) => {
            let (old, new, notes) = load_both(old, new).map_err(|e| e.to_string())?;
            (old, Some(new), notes)
        }
    };
    let loaded = started.elapsed();
    let started = Instant::now();
    let mut diff = differ::diff_models(&old, new.as_ref().unwrap_or(&old), &options)
        .map_err(|e| e.to_string())?;
    diff.notes = notes;
    if args.timings {
        let _ = writeln!(
            err,
            "loaded in {:.3} s, compared in {:.3} s, {} operation(s) with changes",
            loaded.as_secs_f64(),
            started.elapsed().as_secs_f64(),
            diff.operations.len()
        );
    }
    Ok(diff)
}

/// Writes the report and decides the exit code.
fn finish(args: &DiffArgs, diff: &Diff, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let shown = args.min_level.map(|level| {
        diff.clone().at_least(match level {
            MinLevel::Breaking => Level::Breaking,
            MinLevel::Warning => Level::Warning,
            MinLevel::Info => Level::Info,
        })
    });
    let shown = shown.as_ref().unwrap_or(diff);
    let rendered = match args.format {
        FormatArg::Text => report::text(shown),
        FormatArg::Markdown => report::markdown(shown),
        FormatArg::Json => report::json(shown),
        FormatArg::GithubActions => report::github_actions(shown),
        FormatArg::Junit => report::junit(shown),
        FormatArg::AtlasChangelog => report::atlas_changelog(shown),
        FormatArg::Summary => report::summary(shown),
    };
    match &args.output {
        Some(path) => {
            if let Err(error) = std::fs::write(path, &rendered) {
                let _ = writeln!(err, "error: cannot write {}: {error}", path.display());
                return BAD_INPUT;
            }
        }
        None => {
            let _ = out.write_all(rendered.as_bytes());
        }
    }
    let Some(threshold) = args.fail_on.map(FailOn::threshold) else {
        return 0;
    };
    let found = diff.gating().filter(|c| threshold.reached_by(c)).count();
    let exempted = diff
        .changes()
        .filter(|c| c.exempted.is_some() && threshold.reached_by(c))
        .count();
    let exempted = match exempted {
        0 => String::new(),
        n => format!(" ({n} more exempted)"),
    };
    if found == 0 {
        if !exempted.is_empty() {
            let _ = writeln!(err, "no change {}{exempted}", threshold.describe());
        }
        return 0;
    }
    let _ = writeln!(err, "{found} change(s) {}{exempted}", threshold.describe());
    CHANGES_FOUND
}

/// Both specs at once: on two cores, loading is most of the time. The notes of both follow,
/// the older side's first.
fn load_both(old: &Path, new: &Path) -> Result<(ApiModel, ApiModel, Vec<String>), DiffError> {
    std::thread::scope(|scope| {
        let old = scope.spawn(|| differ::load_with_notes(old));
        let new = differ::load_with_notes(new);
        let old = old
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let ((old, mut notes), (new, new_notes)) = (old?, new?);
        notes.extend(new_notes);
        Ok((old, new, notes))
    })
}

/// `spec` as git names it: relative to the repository root, with `/` separators.
fn repository_relative(root: &Path, spec: &Path) -> Result<String, String> {
    let absolute = spec
        .canonicalize()
        .map_err(|e| format!("cannot read spec file {}: {e}", spec.display()))?;
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot find the repository: {e}"))?;
    let relative = absolute.strip_prefix(&root).map_err(|_| {
        format!(
            "{} is outside the repository, so it has no committed version",
            spec.display()
        )
    })?;
    Ok(relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/"))
}

/// The model of `spec_path` as committed at git HEAD, labelled `HEAD:<path>`.
fn committed_model(root: &Path, spec_path: &str) -> Result<ApiModel, String> {
    let label = format!("HEAD:{spec_path}");
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &label])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "no committed version of {spec_path}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text =
        String::from_utf8(output.stdout).map_err(|e| format!("{label} is not UTF-8: {e}"))?;
    let format = if spec_path.ends_with(".json") {
        codegen::load::Format::Json
    } else {
        codegen::load::Format::Yaml
    };
    let spec = codegen::load::load_text(&label, text, format).map_err(|e| e.to_string())?;
    let validated = codegen::validate::validate(&spec).map_err(|e| e.to_string())?;
    codegen::model::build_model(&validated).map_err(|e| e.to_string())
}

/// What `new` (a freshly built model of `spec_path`) changes against the spec as committed at
/// git HEAD. `cargo xtask regen` ends with `report::summary` of it; an error means there is no
/// committed spec to compare with (a fresh repository, no git) or it does not load.
pub fn against_head(
    root: &Path,
    spec_path: &str,
    new: &ApiModel,
    options: &Options,
) -> Result<Diff, String> {
    let old = committed_model(root, spec_path)?;
    differ::diff_models(&old, new, options).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: DiffArgs,
    }

    /// Runs `cargo xtask diff ARGS` from the repository root; returns (exit code, stdout, stderr).
    fn diff(args: &[&str]) -> (u8, String, String) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                if a.starts_with("tests/") || a.starts_with("spec/") {
                    root.join(a).display().to_string()
                } else {
                    a.to_string()
                }
            })
            .collect();
        let cli = Cli::parse_from(std::iter::once("diff".to_owned()).chain(args));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = execute(&cli.args, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    const OLD: &str = "tests/fixtures/diff/rules/responses/old.yaml";
    const NEW: &str = "tests/fixtures/diff/rules/responses/new.yaml";
    const TODAY: &str = "--today=2026-03-01";

    #[test]
    fn changes_found_without_fail_on_exit_zero() {
        let (code, out, _) = diff(&[OLD, NEW, TODAY]);
        assert_eq!(code, 0);
        assert!(
            out.contains("DF402 response-success-status-removed"),
            "{out}"
        );
    }

    #[test]
    fn fail_on_breaking_exits_one() {
        let (code, _, err) = diff(&[OLD, NEW, TODAY, "--fail-on", "breaking"]);
        assert_eq!(code, CHANGES_FOUND);
        assert!(err.contains("at level breaking or worse"), "{err}");
    }

    #[test]
    fn fail_on_warning_ignores_info_only_diffs() {
        let old = "tests/fixtures/diff/versions/spec.yaml";
        let (code, _, _) = diff(&[
            old,
            "--from",
            "2024-05-30",
            "--to",
            "2025-01-01",
            "--fail-on",
            "warning",
            TODAY,
        ]);
        assert_eq!(code, 0);
        let (code, _, _) = diff(&[OLD, NEW, "--fail-on", "warning", TODAY]);
        assert_eq!(code, CHANGES_FOUND);
    }

    #[test]
    fn bad_input_exits_two() {
        let (code, _, err) = diff(&["tests/fixtures/diff/no-such-spec.yaml", NEW]);
        assert_eq!(code, BAD_INPUT);
        assert!(err.contains("cannot read spec file"), "{err}");
        let (code, _, err) = diff(&[
            "tests/fixtures/diff/versions/spec.yaml",
            "--from",
            "2023-01-01",
            "--to",
            "2099-01-01",
        ]);
        assert_eq!(code, BAD_INPUT);
        assert!(err.contains("has no API version 2099-01-01"), "{err}");
        let (code, _, err) = diff(&[OLD, NEW, "--today", "tomorrow"]);
        assert_eq!(code, BAD_INPUT);
        assert!(err.contains("not a date"), "{err}");
    }

    #[test]
    fn upcoming_and_preview_versions_are_pinned_or_asked_for() {
        let dir = "tests/fixtures/diff/unreleased";
        let (old, new) = (format!("{dir}/old.yaml"), format!("{dir}/new.yaml"));
        let (code, out, _) = diff(&[&old, &new, TODAY]);
        assert_eq!(code, 0);
        assert!(!out.contains("vnd.atlas.preview"), "{out}");
        let (_, out, _) = diff(&[&old, &new, TODAY, "--unreleased"]);
        assert!(out.contains("vnd.atlas.preview"), "{out}");
        for to in ["2025-03-12.upcoming", "preview"] {
            let (code, out, err) = diff(&[&new, "--from", "2023-01-01", "--to", to, TODAY]);
            assert_eq!(code, 0, "{err}");
            assert!(out.contains(&format!("now as version {to}")), "{out}");
        }
    }

    #[test]
    fn fail_on_major_and_minor_follow_the_generated_crate() {
        // `bodyRemoved` loses its body: its `send()` returns `()` instead of `Thing`.
        let (code, _, err) = diff(&[OLD, NEW, TODAY, "--fail-on", "major"]);
        assert_eq!(code, CHANGES_FOUND);
        assert!(err.contains("needing a major release"), "{err}");
        // Between these pins one operation is added: a minor release, not a major one.
        let spec = "tests/fixtures/diff/versions/spec.yaml";
        let pins = [spec, "--from", "2024-05-30", "--to", "2025-01-01", TODAY];
        let (code, _, _) = diff(&[&pins[..], &["--fail-on", "major"]].concat());
        assert_eq!(code, 0);
        let (code, _, err) = diff(&[&pins[..], &["--fail-on", "minor"]].concat());
        assert_eq!(code, CHANGES_FOUND);
        assert!(
            err.starts_with("1 change(s) needing a minor release"),
            "{err}"
        );
    }

    #[test]
    fn levels_and_exemptions_files_decide_what_fails() {
        let policy = [
            "--levels",
            "tests/fixtures/diff/policy/levels.toml",
            "--exemptions",
            "tests/fixtures/diff/policy/exemptions.toml",
        ];
        let (code, out, err) =
            diff(&[&[OLD, NEW, TODAY][..], &policy, &["--fail-on", "breaking"]].concat());
        // DF402's exemption has expired: it still fails, and the expiry is reported.
        assert_eq!(code, CHANGES_FOUND, "{err}");
        assert!(
            err.starts_with("1 change(s) at level breaking or worse (2 more exempted)"),
            "{err}"
        );
        assert!(out.contains("[DF701 exemption-expired]"), "{out}");
        let (code, _, err) = diff(&[
            OLD,
            NEW,
            TODAY,
            "--levels",
            "tests/fixtures/diff/policy/nope.toml",
        ]);
        assert_eq!(code, BAD_INPUT);
        assert!(
            err.contains("cannot read") && err.contains("nope.toml"),
            "{err}"
        );
    }

    #[test]
    fn unknown_filter_values_exit_two_with_the_nearest_names() {
        let (code, out, err) = diff(&[OLD, NEW, TODAY, "--operation", "headrs"]);
        assert_eq!(code, BAD_INPUT);
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains("`--operation headrs` matches no operation") && err.contains("`headers`"),
            "{err}"
        );
        let (code, _, err) = diff(&[OLD, NEW, TODAY, "--tag", "Nope", "--fail-on", "warning"]);
        assert_eq!(code, BAD_INPUT);
        assert!(err.contains("`--tag Nope`"), "{err}");
        let (code, _, err) = diff(&[OLD, NEW, TODAY, "--path", "/api/atlas/v2/statuz"]);
        assert_eq!(code, BAD_INPUT);
        assert!(err.contains("nearest: `/api/atlas/v2/status`"), "{err}");
    }

    #[test]
    fn bad_input_wins_over_fail_on() {
        let (code, _, _) = diff(&[
            "tests/fixtures/diff/invalid/dangling-ref.yaml",
            NEW,
            "--fail-on",
            "breaking",
        ]);
        assert_eq!(code, BAD_INPUT);
    }

    #[test]
    fn formats_and_filters_reach_the_report() {
        let (code, out, _) = diff(&[
            OLD,
            NEW,
            TODAY,
            "--format",
            "json",
            "--operation",
            "headers",
        ]);
        assert_eq!(code, 0);
        assert_eq!(out.matches("\"httpMethod\"").count(), 1, "{out}");
        assert!(out.contains("\"operationId\": \"headers\""), "{out}");
        let (_, out, _) = diff(&[
            OLD,
            NEW,
            TODAY,
            "--format",
            "markdown",
            "--path",
            "/api/atlas/v2/headers",
            "--operation",
            "errorStatuses",
        ]);
        assert!(out.contains("No changes."), "{out}");
    }

    #[test]
    fn min_level_trims_the_report_but_not_fail_on() {
        let (code, out, _) = diff(&[
            OLD,
            NEW,
            TODAY,
            "--min-level",
            "breaking",
            "--format",
            "githubactions",
            "--fail-on",
            "warning",
        ]);
        assert_eq!(code, CHANGES_FOUND);
        let commands: Vec<&str> = out.lines().map(|l| &l[..l.find(' ').unwrap()]).collect();
        assert!(
            commands[..commands.len() - 1]
                .iter()
                .all(|c| *c == "::error"),
            "{out}"
        );
        assert_eq!(
            commands.len(),
            5,
            "four breaking changes and the summary: {out}"
        );
        let (_, out, _) = diff(&[OLD, NEW, TODAY, "--format", "junit"]);
        assert!(
            out.starts_with("<?xml") && out.contains("failures=\"4\""),
            "{out}"
        );
    }

    #[test]
    fn rules_table_needs_no_spec() {
        let (code, out, _) = diff(&["--rules"]);
        assert_eq!(code, 0);
        assert!(
            out.contains("| DF101 | `endpoint-added` | endpoints / existence |"),
            "{out}"
        );
        assert!(
            out.contains("| responses / structure | DF441, DF442, DF446, DF447, DF448, DF449, DF450, DF451 |"),
            "{out}"
        );
    }

    #[test]
    fn head_compares_the_committed_spec_with_the_working_tree() {
        let root = project::repository_root();
        let committed = Command::new("git")
            .arg("-C")
            .arg(&root)
            .args(["cat-file", "-e", &format!("HEAD:{}", project::SPEC_PATH)])
            .status()
            .is_ok_and(|s| s.success());
        let (code, out, err) = diff(&["--head", "--format", "summary", TODAY]);
        if committed {
            assert_eq!(code, 0, "{err}");
            assert!(out.starts_with("Public API: "), "{out}");
        } else {
            assert_eq!(code, BAD_INPUT);
            assert!(err.contains("no committed version"), "{err}");
        }
    }

    #[test]
    fn head_refuses_a_spec_outside_the_repository() {
        let outside = std::env::temp_dir().join(format!("diff-head-{}.yaml", std::process::id()));
        std::fs::write(&outside, "openapi: 3.0.3\n").unwrap();
        let (code, _, err) = diff(&["--head", &outside.display().to_string()]);
        let _ = std::fs::remove_file(&outside);
        assert_eq!(code, BAD_INPUT);
        assert!(err.contains("outside the repository"), "{err}");
    }

    #[test]
    fn dates_are_checked_by_shape() {
        assert!(is_date("2026-01-15"));
        assert!(!is_date("2026-1-15"));
        assert!(!is_date("yesterday"));
    }
}
