//! The semver promise, checked on compiled crates rather than predicted from specs.
//!
//! Two tools look at rustdoc's JSON of an old and a new crate: the public-API listing of
//! `cargo xtask public-api` (a removed or changed line is a major change, an added one a minor
//! one: it sees changed field, parameter and return types and every addition), and
//! cargo-semver-checks, when installed (it finds breaking changes the listing does not show as
//! such, like a derive that was removed or an enum that lost `#[non_exhaustive]`).
//!
//! - `cargo xtask semver-check` compares the committed crate with the crate generated from the
//!   spec of the release before its version, and fails when the tools find a change the version
//!   bump between them does not cover. With unreleased spec changes (the spec is not the one
//!   the committed version was released from) the baseline is that release itself, and only
//!   changes that leave the public API as it was pass: anything else needs
//!   `cargo xtask release`.
//! - `cargo xtask semver-agree` runs both tools over spec pairs (the fixture pairs that isolate
//!   one rule each, and tags sliced out of two upstream revisions) and fails when the differ's
//!   predicted effect is not what the tools find.

use anyhow::{bail, Context};
use clap::Args;
use codegen::project::{self, Release};
use codegen::{CrateSettings, RuntimeSource};
use differ::{Options, Semver};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// Where the generated baselines, the slices and the saved JSON go, relative to the root. The
/// rustdoc builds themselves share `cargo xtask public-api`'s target folder.
const WORK_DIR: &str = "target/semver";

/// Sunsets are judged against a fixed day, so the verdicts do not change with the calendar.
const TODAY: &str = "2026-12-01";

#[derive(Args, Debug)]
pub struct SemverCheckArgs {
    /// Use the public-API diff only, even when cargo-semver-checks is installed.
    #[arg(long)]
    no_semver_checks: bool,
}

#[derive(Args, Debug)]
pub struct SemverAgreeArgs {
    /// The folder of upstream revisions the real pairs are sliced from; default: the nearest
    /// `shared/atlas-specs` above the repository (or `ATLAS_SPECS_DIR`).
    #[arg(long, value_name = "DIR")]
    specs: Option<PathBuf>,
    /// Use the public-API diff only, even when cargo-semver-checks is installed.
    #[arg(long)]
    no_semver_checks: bool,
}

/// What the public-API listings of two crates say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingDiff {
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

impl ListingDiff {
    pub fn between(old: &str, new: &str) -> ListingDiff {
        let old: std::collections::BTreeSet<&str> = old.lines().collect();
        let new: std::collections::BTreeSet<&str> = new.lines().collect();
        ListingDiff {
            removed: old.difference(&new).map(|l| l.to_string()).collect(),
            added: new.difference(&old).map(|l| l.to_string()).collect(),
        }
    }

    /// A changed item is a removed line and an added one, so any removed line is major.
    pub fn effect(&self) -> Semver {
        if !self.removed.is_empty() {
            Semver::Major
        } else if !self.added.is_empty() {
            Semver::Minor
        } else {
            Semver::Patch
        }
    }

    fn describe(&self, shown: usize) -> String {
        let mut out = format!(
            "{} ({} removed or changed, {} added)",
            self.effect(),
            self.removed.len(),
            self.added.len()
        );
        for (sign, lines) in [("-", &self.removed), ("+", &self.added)] {
            for line in lines.iter().take(shown) {
                let _ = write!(out, "\n      {sign} {line}");
            }
            if lines.len() > shown {
                let _ = write!(out, "\n      {sign} ... and {} more", lines.len() - shown);
            }
        }
        out
    }
}

/// The bump from `from` to `to` allows changes up to this effect, by Cargo's rules (before 1.0
/// the minor is the major). The same version allows only changes that leave the API as it was.
pub fn allowed(from: &str, to: &str) -> anyhow::Result<Semver> {
    let parse =
        |v: &str| project::parse_version(v).with_context(|| format!("`{v}` is not a version"));
    let (from, to) = (parse(from)?, parse(to)?);
    if to <= from {
        return Ok(Semver::Patch);
    }
    Ok(match (from, to) {
        ((0, 0, _), _) => Semver::Major,
        ((0, a, _), (0, b, _)) if a == b => Semver::Minor,
        ((0, _, _), _) => Semver::Major,
        ((a, _, _), (b, _, _)) if a != b => Semver::Major,
        ((_, a, _), (_, b, _)) if a != b => Semver::Minor,
        _ => Semver::Patch,
    })
}

/// What cargo-semver-checks said.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Checks {
    /// Not installed, or not asked for.
    Skipped,
    /// Nothing beyond the release type given.
    Passed,
    /// It found changes needing a bigger release than the one given; the bump it asks for.
    Failed(Semver, String),
}

impl Checks {
    fn describe(&self) -> String {
        match self {
            Checks::Skipped => "not run".to_owned(),
            Checks::Passed => "passed".to_owned(),
            Checks::Failed(semver, _) => format!("needs a {semver} release"),
        }
    }
}

fn semver_checks_installed() -> bool {
    Command::new("cargo-semver-checks")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs cargo-semver-checks on two rustdoc JSON files, as a release of type `release`.
fn semver_checks(baseline: &Path, current: &Path, release: Semver) -> anyhow::Result<Checks> {
    let output = Command::new("cargo")
        .args(["semver-checks", "check-release", "--baseline-rustdoc"])
        .arg(baseline)
        .arg("--current-rustdoc")
        .arg(current)
        .args(["--release-type", release.as_str()])
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .context("running cargo semver-checks")?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        return Ok(Checks::Passed);
    }
    let needed = if text.contains("new major version") {
        Semver::Major
    } else if text.contains("new minor version") {
        Semver::Minor
    } else {
        bail!("cargo semver-checks failed:\n{text}");
    };
    Ok(Checks::Failed(needed, text))
}

/// Writes the crate generated from `spec` into `dir`, as a standalone crate named `package` at
/// `version`, depending on this checkout's runtime, with the workspace's lock file so its
/// dependencies resolve to the versions already built.
fn generate_crate(
    root: &Path,
    spec: &Path,
    dir: &Path,
    package: &str,
    version: &str,
) -> anyhow::Result<()> {
    let runtime = root.join(project::RUNTIME_DIR).canonicalize()?;
    let command = format!("cargo xtask semver-check ({})", spec.display());
    let options = codegen::Options {
        spec_label: spec.display().to_string(),
        command: command.clone(),
        crate_settings: CrateSettings {
            package: package.to_owned(),
            version: version.to_owned(),
            runtime: RuntimeSource::Path {
                path: runtime.display().to_string(),
                version: codegen::settings::RUNTIME_VERSION.to_owned(),
            },
            ..CrateSettings::default()
        },
    };
    let generated = codegen::generate(spec, &options)
        .with_context(|| format!("generating from {}", spec.display()))?;
    // Files are rewritten only when they differ, so an unchanged crate is not rebuilt.
    for file in &generated.files {
        let path = dir.join(&file.path);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            std::fs::create_dir_all(path.parent().unwrap_or(dir))?;
            std::fs::write(&path, &file.contents)
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), lock)?;
    }
    Ok(())
}

/// rustdoc's JSON of a crate, saved as `save_as`, and its public-API listing.
fn api(
    root: &Path,
    manifest: Option<&Path>,
    package: &str,
    save_as: &Path,
) -> anyhow::Result<String> {
    let library = package.replace('-', "_");
    let json = crate::public_api::rustdoc_json(root, manifest, package, &library)?;
    std::fs::create_dir_all(save_as.parent().unwrap_or(Path::new(".")))?;
    std::fs::copy(&json, save_as)
        .with_context(|| format!("saving {} as {}", json.display(), save_as.display()))?;
    crate::public_api::listing_from_json(save_as)
}

/// The release the committed crate is checked against, and why.
fn baseline(root: &Path) -> anyhow::Result<(Release, Release, &'static str)> {
    let releases = project::releases(root)?;
    let Some(newest) = releases.last().cloned() else {
        bail!("{} records no release", project::RELEASES_PATH);
    };
    let spec = std::fs::read(root.join(project::SPEC_PATH))?;
    if crate::release::sha256_hex(&spec) != newest.spec_sha256 {
        return Ok((
            newest.clone(),
            newest,
            "the spec has changes not released yet",
        ));
    }
    match releases.len() {
        1 => Ok((newest.clone(), newest, "the first release")),
        n => Ok((releases[n - 2].clone(), newest, "the previous release")),
    }
}

pub fn check(args: SemverCheckArgs) -> anyhow::Result<ExitCode> {
    let root = project::repository_root();
    let started = Instant::now();
    let (base, current, why) = baseline(&root)?;
    let allowed = allowed(&base.version, &current.version)?;
    println!(
        "baseline: {} ({why}, from {}); committed crate: {}; the bump allows a {allowed} change",
        base.version, base.spec, current.version
    );
    let work = root.join(WORK_DIR);
    let dir = work.join(format!("release-{}", base.version));
    generate_crate(
        &root,
        &root.join(&base.spec),
        &dir,
        "atlas-snapshots",
        &base.version,
    )?;
    let old = api(
        &root,
        Some(&dir.join("Cargo.toml")),
        "atlas-snapshots",
        &work.join("baseline.json"),
    )?;
    let new = api(&root, None, "atlas-snapshots", &work.join("current.json"))?;
    let listing = ListingDiff::between(&old, &new);
    let built = started.elapsed();

    let diff = differ::diff_files(
        &root.join(&base.spec),
        Some(&root.join(project::SPEC_PATH)),
        &Options::new(TODAY),
    )?;
    let predicted = diff.semver().unwrap_or(Semver::Patch);

    let checks_started = Instant::now();
    let checks = if args.no_semver_checks || !semver_checks_installed() {
        Checks::Skipped
    } else {
        semver_checks(
            &work.join("baseline.json"),
            &work.join("current.json"),
            allowed,
        )?
    };
    println!("  differ's prediction:  {predicted}");
    println!("  public-API diff:      {}", listing.describe(10));
    println!(
        "  cargo-semver-checks:  {} ({:.1} s)",
        checks.describe(),
        checks_started.elapsed().as_secs_f64()
    );
    println!(
        "  rustdoc JSON of both crates in {:.1} s",
        built.as_secs_f64()
    );
    let mut uncovered = Vec::new();
    if listing.effect() > allowed {
        uncovered.push(format!(
            "the public-API diff finds a {} change",
            listing.effect()
        ));
    }
    if let Checks::Failed(needed, text) = &checks {
        uncovered.push(format!("cargo-semver-checks asks for a {needed} release"));
        eprintln!("{text}");
    }
    if uncovered.is_empty() {
        println!("the version covers every change found");
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "error: {}, but {} → {} allows only a {allowed} change; run `cargo xtask release`",
        uncovered.join(" and "),
        base.version,
        current.version
    );
    Ok(ExitCode::FAILURE)
}

/// One pair of specs for `semver-agree`.
struct Pair {
    name: String,
    old: PathBuf,
    new: PathBuf,
}

/// Real revision pairs, one tag each: a response field that became required (a changed field
/// type, invisible to cargo-semver-checks), operations removed after their sunset, and 21 wire
/// changes that leave the Rust API as it was.
const REAL_PAIRS: &[(&str, &str, &str)] = &[
    ("Flex Snapshots", "2026-01-12", "2026-08-13"),
    ("Serverless Instances", "2026-01-12", "2026-08-13"),
    ("Resource Policies", "2026-01-12", "2026-08-13"),
];

fn specs_dir(given: Option<PathBuf>) -> Option<PathBuf> {
    if let Some(dir) = given.or_else(|| std::env::var_os("ATLAS_SPECS_DIR").map(PathBuf::from)) {
        return Some(dir);
    }
    let root = project::repository_root();
    root.ancestors()
        .skip(1)
        .map(|dir| dir.join("shared/atlas-specs"))
        .find(|dir| dir.is_dir())
}

/// The operations with `tag` in an upstream revision, cut into a spec of their own.
fn slice_tag(revision: &Path, tag: &str, out: &Path) -> anyhow::Result<()> {
    let source = revision.display().to_string();
    let (text, _) = codegen::load::read_text(revision)?;
    let document = codegen::slice::parse(&source, &text)?;
    let mut operations = Vec::new();
    if let Some(paths) = document.get("paths").and_then(|p| p.as_mapping()) {
        for item in paths.values().filter_map(|i| i.as_mapping()) {
            for op in item.values().filter_map(|o| o.as_mapping()) {
                let tagged = op
                    .get("tags")
                    .and_then(|t| t.as_sequence())
                    .is_some_and(|tags| tags.iter().any(|t| t.as_str() == Some(tag)));
                if let (true, Some(id)) = (tagged, op.get("operationId").and_then(|i| i.as_str())) {
                    operations.push(id.to_owned());
                }
            }
        }
    }
    if operations.is_empty() {
        bail!("{source} has no operation tagged `{tag}`");
    }
    let options = codegen::slice::SliceOptions {
        operations,
        strip_docs: true,
    };
    let cut = codegen::slice::slice(&source, &document, &options)?;
    let label = revision
        .file_name()
        .map_or(source.clone(), |n| n.to_string_lossy().into_owned());
    let rendered = codegen::slice::render(&cut, &label, false).map_err(anyhow::Error::msg)?;
    std::fs::create_dir_all(out.parent().unwrap_or(Path::new(".")))?;
    std::fs::write(out, rendered)?;
    Ok(())
}

pub fn agree(args: SemverAgreeArgs) -> anyhow::Result<ExitCode> {
    let root = project::repository_root();
    let work = root.join(WORK_DIR).join("agree");
    let started = Instant::now();
    let mut pairs = Vec::new();
    let fixtures = root.join("tests/fixtures/diff/semver");
    let mut cases: Vec<_> = std::fs::read_dir(&fixtures)
        .with_context(|| format!("reading {}", fixtures.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("old.yaml").is_file() && p.join("new.yaml").is_file())
        .collect();
    cases.sort();
    for case in cases {
        pairs.push(Pair {
            name: case.file_name().unwrap().to_string_lossy().into_owned(),
            old: case.join("old.yaml"),
            new: case.join("new.yaml"),
        });
    }
    match specs_dir(args.specs) {
        Some(dir) => {
            for (tag, from, to) in REAL_PAIRS {
                let name = format!("{} {from}..{to}", tag.to_lowercase().replace(' ', "-"));
                let slug = name.replace(' ', "_");
                let old = work.join(&slug).join("old.yaml");
                let new = work.join(&slug).join("new.yaml");
                slice_tag(
                    &dir.join(format!("atlas-admin-v2-{from}.yaml.gz")),
                    tag,
                    &old,
                )?;
                slice_tag(&dir.join(format!("atlas-admin-v2-{to}.yaml.gz")), tag, &new)?;
                pairs.push(Pair { name, old, new });
            }
        }
        None => bail!("the upstream revisions are missing: pass --specs or set ATLAS_SPECS_DIR"),
    }
    let run_checks = !args.no_semver_checks && semver_checks_installed();
    if !run_checks {
        println!("cargo-semver-checks: not run; the public-API diff alone decides");
    }

    let mut table = String::from(
        "| pair | differ | public-API diff | cargo-semver-checks | agree |\n| --- | --- | --- | --- | --- |\n",
    );
    let mut disagreements = Vec::new();
    for pair in &pairs {
        let slug = pair.name.replace(' ', "_");
        let dir = work.join(&slug);
        let predicted = differ::diff_files(&pair.old, Some(&pair.new), &Options::new(TODAY))
            .with_context(|| format!("diffing {}", pair.name))?
            .semver()
            .unwrap_or(Semver::Patch);
        let mut listings = Vec::new();
        for (side, spec) in [("old", &pair.old), ("new", &pair.new)] {
            let crate_dir = dir.join(format!("{side}-crate"));
            generate_crate(&root, spec, &crate_dir, "semver-probe", "0.1.0")?;
            listings.push(api(
                &root,
                Some(&crate_dir.join("Cargo.toml")),
                "semver-probe",
                &dir.join(format!("{side}.json")),
            )?);
        }
        let listing = ListingDiff::between(&listings[0], &listings[1]);
        // Asked as a minor release: a failure means it found a breaking change.
        let checks = if run_checks {
            semver_checks(&dir.join("old.json"), &dir.join("new.json"), Semver::Minor)?
        } else {
            Checks::Skipped
        };
        let found = match &checks {
            Checks::Failed(needed, _) => listing.effect().max(*needed),
            _ => listing.effect(),
        };
        let agrees = found == predicted;
        let _ = writeln!(
            table,
            "| {} | {predicted} | {} | {} | {} |",
            pair.name,
            listing.effect(),
            match &checks {
                Checks::Skipped => "not run".to_owned(),
                Checks::Passed => "no breaking change".to_owned(),
                Checks::Failed(..) => "breaking".to_owned(),
            },
            if agrees { "yes" } else { "**no**" }
        );
        if !agrees {
            disagreements.push(format!(
                "{}: the differ predicts {predicted}, the compiled crates show {found}\n    public-API diff: {}",
                pair.name,
                listing.describe(6)
            ));
        }
    }
    print!("{table}");
    println!(
        "{} pairs in {:.1} s",
        pairs.len(),
        started.elapsed().as_secs_f64()
    );
    if disagreements.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for line in &disagreements {
        eprintln!("{line}");
    }
    eprintln!(
        "error: {} pair(s) where the differ's prediction is not what the crates show",
        disagreements.len()
    );
    Ok(ExitCode::FAILURE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_or_changed_lines_are_major_added_ones_minor() {
        let old = "pub struct a::Thing\npub fn a::Thing::send(self) -> Thing\n";
        let changed = "pub struct a::Thing\npub fn a::Thing::send(self) -> Option<Thing>\n";
        let added = format!("{old}pub fn a::Thing::pages(self) -> Pages\n");
        assert_eq!(ListingDiff::between(old, changed).effect(), Semver::Major);
        let diff = ListingDiff::between(old, &added);
        assert_eq!(diff.effect(), Semver::Minor);
        assert_eq!(diff.added, ["pub fn a::Thing::pages(self) -> Pages"]);
        assert_eq!(ListingDiff::between(old, old).effect(), Semver::Patch);
    }

    #[test]
    fn the_baseline_is_the_previous_release_unless_changes_are_unreleased() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let spec = root.join(project::SPEC_PATH);
        std::fs::create_dir_all(spec.parent().unwrap()).unwrap();
        std::fs::create_dir_all(root.join("release")).unwrap();
        let record = |entries: &[(&str, &[u8])]| {
            let text: String = entries
                .iter()
                .map(|(version, spec)| {
                    format!(
                        "[[release]]\nversion = \"{version}\"\ndate = \"2026-12-01\"\nspec = \"release/specs/{version}.yaml\"\nspec_sha256 = \"{}\"\n\n",
                        crate::release::sha256_hex(spec)
                    )
                })
                .collect();
            std::fs::write(root.join(project::RELEASES_PATH), text).unwrap();
        };
        std::fs::write(&spec, "one").unwrap();
        record(&[("0.1.0", b"one")]);
        let (base, current, why) = baseline(root).unwrap();
        assert_eq!(
            (base.version.as_str(), current.version.as_str()),
            ("0.1.0", "0.1.0")
        );
        assert_eq!(why, "the first release");

        record(&[("0.1.0", b"one"), ("0.2.0", b"two")]);
        std::fs::write(&spec, "two").unwrap();
        let (base, current, why) = baseline(root).unwrap();
        assert_eq!(
            (base.version.as_str(), current.version.as_str()),
            ("0.1.0", "0.2.0")
        );
        assert_eq!(why, "the previous release");
        assert_eq!(
            allowed(&base.version, &current.version).unwrap(),
            Semver::Major
        );

        std::fs::write(&spec, "three").unwrap();
        let (base, current, why) = baseline(root).unwrap();
        assert_eq!(
            (base.version.as_str(), current.version.as_str()),
            ("0.2.0", "0.2.0")
        );
        assert_eq!(why, "the spec has changes not released yet");
        assert_eq!(
            allowed(&base.version, &current.version).unwrap(),
            Semver::Patch
        );
    }

    #[test]
    fn version_bumps_allow_what_cargo_allows() {
        for (from, to, effect) in [
            ("0.1.0", "0.2.0", Semver::Major),
            ("0.1.0", "0.1.1", Semver::Minor),
            ("0.1.0", "0.1.0", Semver::Patch),
            ("0.0.1", "0.0.2", Semver::Major),
            ("1.2.3", "2.0.0", Semver::Major),
            ("1.2.3", "1.3.0", Semver::Minor),
            ("1.2.3", "1.2.4", Semver::Patch),
            ("0.2.0", "0.1.9", Semver::Patch),
        ] {
            assert_eq!(allowed(from, to).unwrap(), effect, "{from} → {to}");
        }
        // A release's bump always allows the verdict it was made from.
        for semver in [Semver::Patch, Semver::Minor, Semver::Major] {
            for from in ["0.1.4", "1.2.3"] {
                let to = crate::release::bump(from, semver).unwrap();
                assert!(allowed(from, &to).unwrap() >= semver, "{from} → {to}");
            }
        }
    }
}
