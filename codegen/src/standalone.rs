//! A crate of its own, from any spec into any folder: what `atlas-codegen` and
//! `cargo xtask regen --spec --out` both run. The crate's manifest names no absolute path, so it
//! builds wherever it is moved with the runtime it names: the runtime comes by version, or by a
//! path written relative to the output folder. The package is named by the caller, or else after
//! the spec's `info.title`.

use crate::settings::{is_valid_package_name, package_name_from_title, RUNTIME_VERSION};
use crate::write::{Changes, Mode, OwnedTree, SyncOptions};
use crate::{CodegenError, CrateSettings, Generated, Options, RuntimeSource};
use std::path::{Component, Path, PathBuf};

/// Where the generated crate's runtime dependency comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// A published version of the runtime crate.
    Version(String),
    /// The runtime crate's folder (any form of path); the manifest names it relative to the
    /// output folder.
    Path(PathBuf),
}

/// One standalone generation: the spec, the output folder and the crate's settings.
#[derive(Debug, Clone)]
pub struct Standalone<'a> {
    pub spec: &'a Path,
    pub out: &'a Path,
    /// The package name; `None` names it after the spec's title.
    pub crate_name: Option<&'a str>,
    pub runtime: Runtime,
    /// A cargo feature per tag (see [`CrateSettings::features_per_tag`]).
    pub features_per_tag: bool,
    /// The program that runs this (`atlas-codegen`, `cargo xtask regen`), for the header of each
    /// file, which names the command that regenerates it from inside the crate folder.
    pub program: &'a str,
}

/// Generates the crate and writes it into `job.out` (or checks it there, in [`Mode::Check`]).
/// Nothing is written when any step fails.
pub fn generate(
    job: &Standalone<'_>,
    mode: Mode,
    sync: SyncOptions,
) -> Result<(Generated, Changes), CodegenError> {
    if let Some(name) = job.crate_name {
        if !is_valid_package_name(name) {
            return Err(CodegenError::Settings {
                message: format!(
                    "`{name}` is not a valid package name (ASCII letters, digits, `-` and `_`, \
                     starting with a letter); `{}` would be",
                    crate::settings::package_name(name)
                ),
                source: None,
            });
        }
    }
    let out = absolute(job.out).map_err(|source| CodegenError::Settings {
        message: format!("cannot resolve the output folder {}", job.out.display()),
        source: Some(source),
    })?;
    let runtime = match &job.runtime {
        Runtime::Version(version) => RuntimeSource::Version(version.clone()),
        Runtime::Path(dir) => RuntimeSource::Path {
            path: runtime_path_from(&out, dir)?,
            version: RUNTIME_VERSION.to_owned(),
        },
    };
    let spec = crate::load::load_file(job.spec)?;
    let model = crate::model::build_model(&crate::validate::validate(&spec)?)?;
    drop(spec);
    let package = match job.crate_name {
        Some(name) => name.to_owned(),
        None => package_name_from_title(&model.title),
    };
    let options = Options {
        spec_label: file_name(job.spec),
        command: regen_command(job, &out, &runtime),
        crate_settings: CrateSettings {
            package,
            runtime,
            features_per_tag: job.features_per_tag,
            ..CrateSettings::default()
        },
    };
    let files = crate::emit::emit_files(&model, &options)?;
    let generated = Generated { model, files };
    let tree = OwnedTree {
        root: job.out.to_path_buf(),
        owned: PathBuf::from("."),
        command: invoked_command(job),
    };
    let changes = tree.sync_with(&generated.files, mode, sync)?;
    Ok((generated, changes))
}

/// The runtime folder `dir` as the manifest in `out` names it: relative to `out`.
fn runtime_path_from(out: &Path, dir: &Path) -> Result<String, CodegenError> {
    let runtime = dir
        .canonicalize()
        .map_err(|source| CodegenError::Settings {
            message: format!("the runtime crate is not at {}", dir.display()),
            source: Some(source),
        })?;
    if !runtime.join("Cargo.toml").is_file() {
        return Err(CodegenError::Settings {
            message: format!(
                "{} is not the runtime crate: it has no Cargo.toml",
                runtime.display()
            ),
            source: None,
        });
    }
    Ok(slash_path(&relative_path(out, &runtime)))
}

/// The command, run in the crate folder, that regenerates the crate: every path in it is
/// relative, so the files do not depend on where they were generated.
fn regen_command(job: &Standalone<'_>, out: &Path, runtime: &RuntimeSource) -> String {
    let spec = job
        .spec
        .canonicalize()
        .map(|spec| slash_path(&relative_path(out, &spec)))
        .unwrap_or_else(|_| file_name(job.spec));
    let mut command = format!("{} --spec {} --out .", job.program, quoted(&spec));
    if let Some(name) = job.crate_name {
        command.push_str(&format!(" --crate-name {name}"));
    }
    match runtime {
        RuntimeSource::Version(version) => {
            command.push_str(&format!(" --runtime-version {}", quoted(version)));
        }
        RuntimeSource::Path { path, .. } => {
            command.push_str(&format!(" --runtime-path {}", quoted(path)));
        }
    }
    if job.features_per_tag {
        command.push_str(" --features-per-tag");
    }
    command
}

/// The command as it was run, for the message that says how to refresh a stale crate.
fn invoked_command(job: &Standalone<'_>) -> String {
    let mut command = format!(
        "{} --spec {} --out {}",
        job.program,
        quoted(&job.spec.display().to_string()),
        quoted(&job.out.display().to_string())
    );
    if let Some(name) = job.crate_name {
        command.push_str(&format!(" --crate-name {name}"));
    }
    match &job.runtime {
        Runtime::Version(version) => {
            command.push_str(&format!(" --runtime-version {}", quoted(version)));
        }
        Runtime::Path(dir) => {
            command.push_str(&format!(
                " --runtime-path {}",
                quoted(&dir.display().to_string())
            ));
        }
    }
    if job.features_per_tag {
        command.push_str(" --features-per-tag");
    }
    command
}

/// A shell word: as it is when it holds nothing a shell would split or expand.
fn quoted(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:+@%,".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn file_name(spec: &Path) -> String {
    spec.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| spec.display().to_string())
}

/// `path` made absolute with symbolic links resolved, even when its last components do not
/// exist yet (an output folder about to be created): the nearest existing ancestor is
/// canonicalized and the rest appended, `.` and `..` resolved by name.
pub fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    let path = std::path::absolute(path)?;
    let components: Vec<Component<'_>> = path.components().collect();
    let prefix = |len: usize| components[..len].iter().collect::<PathBuf>();
    let mut existing = components.len();
    while existing > 1 && prefix(existing).symlink_metadata().is_err() {
        existing -= 1;
    }
    let mut resolved = prefix(existing).canonicalize()?;
    for component in &components[existing..] {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => resolved.push(name),
            _ => {}
        }
    }
    Ok(resolved)
}

/// The path from the folder `from` to `to`, both absolute and resolved: `..` for every component
/// of `from` below what they share, then the rest of `to`.
pub fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut relative = PathBuf::new();
    for _ in shared..from.len() {
        relative.push("..");
    }
    for component in &to[shared..] {
        relative.push(component);
    }
    if relative.as_os_str().is_empty() {
        relative.push(".");
    }
    relative
}

/// A relative path with `/` between its components, as Cargo reads it on every platform.
fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a generation run says when it is done: what it generated from where, the counts, the
/// files it changed, and the notes (fallbacks and guesses). One text for `cargo xtask regen` and
/// the `atlas-codegen` command.
pub fn run_summary(
    verb: &str,
    target: &str,
    source: &str,
    generated: &Generated,
    changes: &Changes,
    elapsed: std::time::Duration,
) -> String {
    use std::fmt::Write as _;
    let model = &generated.model;
    let mut out = format!(
        "{verb} {target} from {source}: {} operations, {} types, {} notes, in {:.2} s\n",
        model.operations.len(),
        model.types.len(),
        model.notes.len(),
        elapsed.as_secs_f64()
    );
    if changes.is_empty() {
        let _ = writeln!(out, "no changes ({} files up to date)", changes.unchanged);
    }
    for (label, paths) in [
        ("added", &changes.added),
        ("modified", &changes.modified),
        ("removed", &changes.removed),
    ] {
        for path in paths {
            let _ = writeln!(out, "  {label:<8} {path}");
        }
    }
    if !model.notes.is_empty() {
        out.push_str("fallbacks and guesses:\n");
        for note in &model.notes {
            let _ = writeln!(out, "  #{}: {}", note.pointer, note.message);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_to_what_both_share() {
        for (from, to, expected) in [
            ("/a/b/out", "/a/b/runtime", "../runtime"),
            ("/a/b/out", "/a/b/out/vendor/runtime", "vendor/runtime"),
            (
                "/tmp/x/y/client",
                "/work/repo/runtime",
                "../../../../work/repo/runtime",
            ),
            ("/a", "/a", "."),
        ] {
            let path = relative_path(Path::new(from), Path::new(to));
            assert_eq!(slash_path(&path), expected, "{from} → {to}");
        }
    }

    #[test]
    fn an_output_folder_that_does_not_exist_yet_is_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        let out = dir.path().join("new/deeper/../client");
        assert_eq!(absolute(&out).unwrap(), real.join("new/client"));
        assert_eq!(absolute(dir.path()).unwrap(), real);
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(quoted("../specs/api.yaml"), "../specs/api.yaml");
        assert_eq!(quoted("my specs/api.yaml"), "'my specs/api.yaml'");
        assert_eq!(quoted("it's"), r"'it'\''s'");
    }
}
