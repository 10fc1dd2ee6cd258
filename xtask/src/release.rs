//! `cargo xtask release`: a release of the client crate. The spec is compared with the stored
//! copy of the one the newest recorded release was made from, and the reviewed public-API
//! records with the copies that release kept (changes of the generator and the runtime, which
//! the spec does not show). The stronger verdict bumps the version (Cargo's rules: before 1.0 a
//! major change bumps the minor, anything else the patch), `CHANGELOG.md` gets a section made
//! from both, and the release record gains an entry (version, date, spec digest, a stored copy
//! of the spec, a copy of the records). The crate is then regenerated, so
//! `generated-client/Cargo.toml` carries the new version, and `Cargo.lock` follows.

use crate::api_change;
use anyhow::{bail, Context};
use clap::Args;
use codegen::project::{self, Release};
use codegen::write::Mode;
use differ::{Change, Diff, Options, Semver};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// The changelog, relative to the repository root.
pub const CHANGELOG_PATH: &str = "CHANGELOG.md";
/// Where stored copies of released specs go, relative to the repository root.
const SPECS_DIR: &str = "release/specs";
const CHANGELOG_HEADER: &str = "# Changelog\n\nReleases of the `atlas-snapshots` crate, newest first, written by `cargo xtask release`\nfrom the differ's report between the spec of one release and the next, and from the reviewed\npublic-API records of the crate and its runtime.\n";

#[derive(Args, Debug)]
pub struct ReleaseArgs {
    /// The release date (YYYY-MM-DD); also the day sunsets are judged against. Default: today
    /// (UTC).
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    /// Print the new version and the changelog section, and write nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: ReleaseArgs) -> anyhow::Result<ExitCode> {
    let root = project::repository_root();
    let date = args.date.unwrap_or_else(differ::today_utc);
    match release(&root, &date, args.dry_run)? {
        None => println!(
            "nothing to release: the spec and the public API are those of release {}",
            last(&root)?.version
        ),
        Some(made) => {
            let verb = if args.dry_run {
                "would release"
            } else {
                "released"
            };
            println!(
                "{verb} {} (was {}, a {} change)\n",
                made.version, made.previous, made.verdict
            );
            print!("{}", made.section);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What a release made.
#[derive(Debug)]
pub struct Made {
    pub previous: String,
    pub version: String,
    /// The differ's verdict for the generated crate.
    pub verdict: Semver,
    pub section: String,
}

fn last(root: &Path) -> anyhow::Result<Release> {
    project::releases(root)?
        .pop()
        .context("the release record has no `[[release]]`: nothing to compare with")
}

/// SHA-256 of a file's bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut out, byte| {
            let _ = write!(out, "{byte:02x}");
            out
        })
}

/// Makes a release of the crate under `root`, dated `date`; `None` when the spec is byte for
/// byte the one the newest release was made from and the public-API records are those it kept.
pub fn release(root: &Path, date: &str, dry_run: bool) -> anyhow::Result<Option<Made>> {
    if !differ::policy::is_date(date) {
        bail!("`{date}` is not a date (YYYY-MM-DD)");
    }
    let previous = last(root)?;
    let spec_path = root.join(project::SPEC_PATH);
    let spec =
        std::fs::read(&spec_path).with_context(|| format!("reading {}", spec_path.display()))?;
    let digest = sha256_hex(&spec);
    let api = api_change::since(root, &previous.version)?;
    let diff = match digest == previous.spec_sha256 {
        true => None,
        false => {
            let stored = root.join(&previous.spec);
            let diff = differ::diff_files(&stored, Some(&spec_path), &Options::new(date))
                .with_context(|| {
                    format!("comparing {} with {}", previous.spec, project::SPEC_PATH)
                })?;
            Some(diff)
        }
    };
    if diff.is_none() && api.is_none() {
        return Ok(None);
    }
    // A spec that changed without changing the model (descriptions, examples) still changes the
    // generated docs: a patch release.
    let spec_verdict = diff
        .as_ref()
        .map(|diff| diff.semver().unwrap_or(Semver::Patch));
    let api_verdict = api.as_deref().map(api_change::semver);
    let verdict = spec_verdict
        .into_iter()
        .chain(api_verdict)
        .max()
        .unwrap_or(Semver::Patch);
    let version = bump(&previous.version, verdict)?;
    let mut section = match &diff {
        Some(diff) => changelog_section(&version, date, &previous, &digest, verdict, diff),
        None => unchanged_spec_section(&version, date, &previous, &digest, verdict),
    };
    if let Some(api) = &api {
        section.push_str(&api_change::section(&previous.version, api, diff.is_some()));
    }
    let made = Made {
        previous: previous.version.clone(),
        version: version.clone(),
        verdict,
        section,
    };
    if dry_run {
        return Ok(Some(made));
    }

    let copy = format!("{SPECS_DIR}/{version}.yaml");
    std::fs::create_dir_all(root.join(SPECS_DIR))?;
    std::fs::write(root.join(&copy), &spec).with_context(|| format!("writing {copy}"))?;
    let record_path = root.join(project::RELEASES_PATH);
    let mut record = std::fs::read_to_string(&record_path)
        .with_context(|| format!("reading {}", record_path.display()))?;
    if !record.ends_with('\n') {
        record.push('\n');
    }
    let _ = write!(
        record,
        "\n[[release]]\nversion = \"{version}\"\ndate = \"{date}\"\nspec = \"{copy}\"\nspec_sha256 = \"{digest}\"\n"
    );
    std::fs::write(&record_path, record)?;
    api_change::keep(root, &version)?;

    let changelog_path = root.join(CHANGELOG_PATH);
    let changelog = std::fs::read_to_string(&changelog_path).unwrap_or_default();
    std::fs::write(&changelog_path, prepend_section(&changelog, &made.section))?;

    project::regenerate(root, Mode::Write)?;
    let lock_path = root.join("Cargo.lock");
    if let Ok(lock) = std::fs::read_to_string(&lock_path) {
        std::fs::write(
            &lock_path,
            locked_version(&lock, "atlas-snapshots", &version)?,
        )?;
    }
    Ok(Some(made))
}

/// The next version after `version` for a change of `semver`, by Cargo's compatibility rules:
/// `0.x.y` treats the minor as the major, `0.0.z` every change as major.
pub fn bump(version: &str, semver: Semver) -> anyhow::Result<String> {
    let Some((major, minor, patch)) = project::parse_version(version) else {
        bail!("`{version}` is not a version (MAJOR.MINOR.PATCH)");
    };
    let next = match (major, minor, semver) {
        (0, 0, _) => (0, 0, patch + 1),
        (0, _, Semver::Major) => (0, minor + 1, 0),
        (0, _, _) => (0, minor, patch + 1),
        (_, _, Semver::Major) => (major + 1, 0, 0),
        (_, _, Semver::Minor) => (major, minor + 1, 0),
        (_, _, Semver::Patch) => (major, minor, patch + 1),
    };
    Ok(format!("{}.{}.{}", next.0, next.1, next.2))
}

/// The group a change is listed under in the changelog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Breaking,
    Additions,
    Deprecations,
    Sunsets,
    Other,
}

impl Group {
    fn of(change: &Change) -> Group {
        let code = change.info().code;
        if change.semver == Semver::Major {
            Group::Breaking
        } else if code.contains("deprecated") {
            Group::Deprecations
        } else if code.contains("sunset") {
            Group::Sunsets
        } else if change.semver == Semver::Minor {
            Group::Additions
        } else {
            Group::Other
        }
    }

    fn title(self) -> &'static str {
        match self {
            Group::Breaking => "Breaking Rust changes",
            Group::Additions => "Additions",
            Group::Deprecations => "Deprecations",
            Group::Sunsets => "Sunsets",
            Group::Other => "Other changes",
        }
    }
}

/// The changelog section of one release: a heading, what it was compared with, then every change
/// of the diff once, under its group, naming the Rust item it touches and its rule. A change to
/// a schema or parameter that several operations share is one line naming them (the folded
/// diff, as the differ's reports print it).
pub fn changelog_section(
    version: &str,
    date: &str,
    previous: &Release,
    digest: &str,
    verdict: Semver,
    diff: &Diff,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {version} ({date})\n");
    let _ = writeln!(
        out,
        "From `{}` (SHA-256 `{}`), against {} ({}): a {verdict} change of the generated API.",
        project::SPEC_PATH,
        &digest[..12],
        previous.version,
        previous.date
    );
    let mut groups: std::collections::BTreeMap<Group, Vec<String>> = Default::default();
    let mut entry = |change: &Change, operations: &[&str]| {
        let rule = change.info();
        let item = change
            .rust
            .as_ref()
            .map(|item| format!("{item}: "))
            .unwrap_or_default();
        let place = match operations {
            [] => String::new(),
            [id] if change.message.contains(&format!("`{id}`")) => String::new(),
            [id] => format!(" (in `{id}`)"),
            many => format!(" (in {} operations: `{}`)", many.len(), many.join("`, `")),
        };
        let line = format!(
            "- {item}{}{place} [{} {}]",
            change.message, rule.number, rule.code
        );
        let lines = groups.entry(Group::of(change)).or_default();
        if !lines.contains(&line) {
            lines.push(line);
        }
    };
    let folded = diff.folded();
    for op in &folded.operations {
        for change in &op.changes {
            entry(change, &[op.operation_id.as_str()]);
        }
    }
    for shared in &folded.shared {
        let ids: Vec<&str> = shared
            .operations
            .iter()
            .map(|op| op.operation_id.as_str())
            .collect();
        entry(&shared.change, &ids);
    }
    for change in &folded.spec_changes {
        entry(change, &[]);
    }
    if groups.is_empty() {
        out.push_str("\nNo change to the operations or types: documentation only.\n");
    }
    for (group, lines) in groups {
        let _ = writeln!(out, "\n### {}\n", group.title());
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// The heading of a release whose spec did not change: what it was compared with.
fn unchanged_spec_section(
    version: &str,
    date: &str,
    previous: &Release,
    digest: &str,
    verdict: Semver,
) -> String {
    format!(
        "## {version} ({date})\n\nFrom `{}` (SHA-256 `{}`), unchanged since {} ({}): a {verdict} \
         change of the generated API, made by the generator and the runtime alone.\n",
        project::SPEC_PATH,
        &digest[..12],
        previous.version,
        previous.date
    )
}

/// `changelog` with `section` as its newest entry, under the file's header.
fn prepend_section(changelog: &str, section: &str) -> String {
    let body = changelog
        .strip_prefix(CHANGELOG_HEADER)
        .unwrap_or(changelog)
        .trim_start_matches('\n');
    let mut out = format!("{CHANGELOG_HEADER}\n{section}");
    if !body.is_empty() {
        out.push('\n');
        out.push_str(body);
    }
    out
}

/// `Cargo.lock` with the workspace package `package` at `version`, so `--locked` builds still
/// pass after a release.
fn locked_version(lock: &str, package: &str, version: &str) -> anyhow::Result<String> {
    let mut doc: toml_edit::DocumentMut = lock.parse().context("parsing Cargo.lock")?;
    let packages = doc
        .get_mut("package")
        .and_then(|p| p.as_array_of_tables_mut())
        .context("Cargo.lock has no [[package]]")?;
    let mut found = false;
    for table in packages.iter_mut() {
        // Workspace members have no `source`; a registry crate of the same name is left alone.
        if table.get("name").and_then(|n| n.as_str()) == Some(package)
            && table.get("source").is_none()
        {
            table["version"] = toml_edit::value(version);
            found = true;
        }
    }
    if !found {
        bail!("Cargo.lock has no workspace package `{package}`");
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_by_cargo_rules() {
        for (version, semver, next) in [
            ("0.1.0", Semver::Major, "0.2.0"),
            ("0.1.3", Semver::Minor, "0.1.4"),
            ("0.1.3", Semver::Patch, "0.1.4"),
            ("0.0.7", Semver::Major, "0.0.8"),
            ("1.4.2", Semver::Major, "2.0.0"),
            ("1.4.2", Semver::Minor, "1.5.0"),
            ("1.4.2", Semver::Patch, "1.4.3"),
        ] {
            assert_eq!(bump(version, semver).unwrap(), next, "{version} {semver}");
        }
        assert!(bump("1.0", Semver::Patch).is_err());
    }

    #[test]
    fn the_lock_file_follows_the_workspace_package_only() {
        let lock = "version = 4\n\n[[package]]\nname = \"atlas-snapshots\"\nversion = \"0.1.0\"\ndependencies = [\"bytes\"]\n\n[[package]]\nname = \"atlas-snapshots\"\nversion = \"0.1.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
        let updated = locked_version(lock, "atlas-snapshots", "0.2.0").unwrap();
        assert_eq!(
            updated.matches("version = \"0.2.0\"").count(),
            1,
            "{updated}"
        );
        assert!(updated.contains("source = \"registry"), "{updated}");
        assert!(locked_version(lock, "nope", "0.2.0").is_err());
    }

    #[test]
    fn sections_go_on_top_under_the_header() {
        let once = prepend_section("", "## 0.1.1 (2026-12-02)\n\nA\n");
        assert!(once.starts_with(CHANGELOG_HEADER), "{once}");
        let twice = prepend_section(&once, "## 0.2.0 (2026-12-03)\n\nB\n");
        let newer = twice.find("## 0.2.0").unwrap();
        let older = twice.find("## 0.1.1").unwrap();
        assert!(newer < older, "{twice}");
        assert_eq!(twice.matches("# Changelog").count(), 1, "{twice}");
    }

    /// A change to a schema every operation shares is one changelog line naming the
    /// operations, as the differ's reports give it, not one line per operation.
    #[test]
    fn a_shared_change_is_one_line_naming_its_operations() {
        let root = project::repository_root();
        let fixture = root.join("tests/fixtures/diff/shared");
        let diff = differ::diff_files(
            &fixture.join("old.yaml"),
            Some(&fixture.join("new.yaml")),
            &Options::new("2026-12-07"),
        )
        .unwrap();
        let folded = diff.folded();
        let shared = folded
            .shared
            .first()
            .expect("the fixture has shared changes");
        let previous = Release {
            version: "0.1.0".into(),
            date: "2026-12-01".into(),
            spec: FIRST_SPEC.into(),
            spec_sha256: "0".repeat(64),
        };
        let section = changelog_section(
            "0.2.0",
            "2026-12-07",
            &previous,
            &"0".repeat(64),
            Semver::Major,
            &diff,
        );
        let lines: Vec<&str> = section
            .lines()
            .filter(|line| line.contains(&shared.change.message))
            .collect();
        let count = shared.operations.len();
        assert_eq!(lines.len(), 1, "{section}");
        assert!(
            lines[0].contains(&format!("(in {count} operations: `")),
            "{section}"
        );
        let unfolded = diff
            .changes()
            .filter(|c| c.site.as_ref() == Some(shared.change.site.as_ref().unwrap()))
            .count();
        assert_eq!(unfolded, count, "the diff itself keeps one per operation");
    }

    /// The spec of the first release: stored copies never change, so the test's edits and
    /// snapshot stay valid whatever later releases and spec edits do.
    const FIRST_SPEC: &str = "release/specs/0.1.0.yaml";

    /// A repository holding what a release reads and writes: the first release's spec as both
    /// the stored copy and the working spec, a record of that one release, the lock file and
    /// the specs of the fixture clients, which are regenerated with the client.
    fn copy_of_the_repository() -> tempfile::TempDir {
        let root = project::repository_root();
        let copy = tempfile::tempdir().unwrap();
        let fixtures = project::FIXTURE_CLIENTS.iter().map(|f| (f.spec, f.spec));
        for (from, to) in [
            (FIRST_SPEC, FIRST_SPEC),
            (FIRST_SPEC, project::SPEC_PATH),
            ("Cargo.lock", "Cargo.lock"),
        ]
        .into_iter()
        .chain(fixtures)
        {
            let to = copy.path().join(to);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(root.join(from), &to).unwrap();
        }
        let digest = sha256_hex(&std::fs::read(root.join(FIRST_SPEC)).unwrap());
        std::fs::write(
            copy.path().join(project::RELEASES_PATH),
            format!("[[release]]\nversion = \"0.1.0\"\ndate = \"2026-12-01\"\nspec = \"{FIRST_SPEC}\"\nspec_sha256 = \"{digest}\"\n"),
        )
        .unwrap();
        copy
    }

    #[test]
    fn a_release_bumps_the_version_and_writes_the_changelog() {
        let copy = copy_of_the_repository();
        let root = copy.path();
        assert!(
            release(root, "2026-12-02", false).unwrap().is_none(),
            "unchanged spec"
        );

        // Removing a v2 operation (past its sunset) removes its client method: before 1.0, a
        // minor bump.
        let spec_path = root.join(project::SPEC_PATH);
        let spec = std::fs::read_to_string(&spec_path).unwrap();
        let mut edited = remove_operation(&spec, "getBackupTenantSnapshot");
        // An optional query parameter is a new builder setter: an addition.
        edited = edit(
            &edited,
            "        - $ref: '#/components/parameters/envelope'\n",
            "        - $ref: '#/components/parameters/envelope'\n        - name: snapshotType\n          in: query\n          description: Only snapshots of this type.\n          schema:\n            type: string\n",
        );
        // A deprecation with a sunset date, and a sunset moved later.
        edited = edit(
            &edited,
            "      operationId: getFlexBackupSnapshot\n",
            "      operationId: getFlexBackupSnapshot\n      deprecated: true\n      x-sunset: '2027-06-30'\n",
        );
        edited = edit(
            &edited,
            "      x-sunset: '2026-01-22'\n      x-replaced-by: getFlexBackupSnapshot\n",
            "      x-sunset: '2027-01-22'\n      x-replaced-by: getFlexBackupSnapshot\n",
        );
        std::fs::write(&spec_path, edited).unwrap();
        let made = release(root, "2026-12-02", false).unwrap().unwrap();
        let expected = "0.2.0";
        assert_eq!(made.verdict, Semver::Major);
        assert_eq!(made.version, expected);

        let releases = project::releases(root).unwrap();
        let newest = releases.last().unwrap();
        assert_eq!(newest.version, expected);
        assert_eq!(newest.date, "2026-12-02");
        let stored = std::fs::read(root.join(&newest.spec)).unwrap();
        assert_eq!(stored, std::fs::read(&spec_path).unwrap());
        assert_eq!(newest.spec_sha256, sha256_hex(&stored));

        let manifest = std::fs::read_to_string(root.join("generated-client/Cargo.toml")).unwrap();
        assert!(
            manifest.contains(&format!("\nversion = \"{expected}\"\n")),
            "{manifest}"
        );
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
        assert!(
            lock.contains(&format!(
                "name = \"atlas-snapshots\"\nversion = \"{expected}\""
            )),
            "Cargo.lock"
        );
        let changelog = std::fs::read_to_string(root.join(CHANGELOG_PATH)).unwrap();
        assert!(changelog.starts_with(CHANGELOG_HEADER));
        assert!(changelog.contains(&made.section));
        insta::assert_snapshot!(made.section.replace(&newest.spec_sha256[..12], "<sha256>"));

        // A second edit on top, documentation only: a patch bump, a new section above the first.
        let spec = std::fs::read_to_string(&spec_path).unwrap();
        let edited = edit(
            &spec,
            "  /api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots:\n",
            "  /api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots:\n    description: Flex snapshots.\n",
        );
        std::fs::write(&spec_path, edited).unwrap();
        let again = release(root, "2026-12-03", false).unwrap().unwrap();
        assert_eq!(again.version, "0.2.1");
        assert_eq!(again.verdict, Semver::Patch);
        assert!(
            again.section.contains("documentation only"),
            "{}",
            again.section
        );
        let changelog = std::fs::read_to_string(root.join(CHANGELOG_PATH)).unwrap();
        assert!(
            changelog.find(&format!("## {}", again.version)).unwrap()
                < changelog.find(&format!("## {expected}")).unwrap()
        );
        assert_eq!(project::releases(root).unwrap().len(), 3);
    }

    #[test]
    fn a_changed_public_api_alone_makes_a_release_by_its_own_verdict() {
        let copy = copy_of_the_repository();
        let root = copy.path();
        let records = root.join(api_change::RECORDS_DIR);
        std::fs::create_dir_all(&records).unwrap();
        let record = records.join("atlas-snapshots.txt");
        std::fs::write(
            &record,
            "pub mod atlas_snapshots\npub fn atlas_snapshots::f(u8)\n",
        )
        .unwrap();
        api_change::keep(root, "0.1.0").unwrap();
        assert!(release(root, "2026-12-02", false).unwrap().is_none());

        // An item added by the generator, the spec untouched: an addition, a patch before 1.0.
        std::fs::write(
            &record,
            "pub mod atlas_snapshots\npub fn atlas_snapshots::f(u8)\npub mod atlas_snapshots::layer\n",
        )
        .unwrap();
        let made = release(root, "2026-12-02", false).unwrap().unwrap();
        assert_eq!(
            (made.version.as_str(), made.verdict),
            ("0.1.1", Semver::Minor)
        );
        assert!(
            made.section.contains("unchanged since 0.1.0"),
            "{}",
            made.section
        );
        assert!(
            made.section
                .contains("  - added: `pub mod atlas_snapshots::layer`"),
            "{}",
            made.section
        );
        let kept = root
            .join(api_change::RELEASED_DIR)
            .join("0.1.1/atlas-snapshots.txt");
        assert_eq!(
            std::fs::read(kept).unwrap(),
            std::fs::read(&record).unwrap()
        );
        assert!(
            release(root, "2026-12-02", false).unwrap().is_none(),
            "released already"
        );

        // A changed signature breaks callers: the minor goes up.
        std::fs::write(
            &record,
            "pub mod atlas_snapshots\npub fn atlas_snapshots::f(u16)\npub mod atlas_snapshots::layer\n",
        )
        .unwrap();
        let made = release(root, "2026-12-03", false).unwrap().unwrap();
        assert_eq!(
            (made.version.as_str(), made.verdict),
            ("0.2.0", Semver::Major)
        );
        assert!(
            made.section
                .contains("  - changed: `pub fn atlas_snapshots::f`"),
            "{}",
            made.section
        );
        let manifest = std::fs::read_to_string(root.join("generated-client/Cargo.toml")).unwrap();
        assert!(manifest.contains("\nversion = \"0.2.0\"\n"), "{manifest}");
    }

    /// `text` with the first `from` replaced, which must be there.
    fn edit(text: &str, from: &str, to: &str) -> String {
        assert!(text.contains(from), "the edit applies: {from}");
        text.replacen(from, to, 1)
    }

    /// `spec` without the path item that holds the operation `id`.
    fn remove_operation(spec: &str, id: &str) -> String {
        let lines: Vec<&str> = spec.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.trim() == format!("operationId: {id}"))
            .expect("the operation is in the spec");
        // Path items are the keys indented by two spaces under `paths:`.
        let is_key = |l: &str| !l.starts_with("   ") && !l.trim().is_empty();
        let start = (0..at).rev().find(|&i| is_key(lines[i])).unwrap();
        let end = (at..lines.len()).find(|&i| is_key(lines[i])).unwrap();
        let mut out = lines[..start].to_vec();
        out.extend_from_slice(&lines[end..]);
        out.join("\n") + "\n"
    }
}
