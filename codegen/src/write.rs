//! Write: puts generated files on disk, or checks that what is on disk is what would be
//! written. Both modes share one code path (as rust-analyzer's `ensure_file_contents`), so
//! `regen --check` and the freshness test can never disagree with `regen`.
//!
//! The generator only ever replaces or removes files it wrote itself. Each owned folder keeps a
//! manifest ([`MANIFEST`]) listing those files; a file not in it is never removed. A file
//! whose first line says `@generated` may be replaced, but anything else in a folder without
//! a manifest makes it foreign, and it is refused unless the caller forces it (and even then
//! nothing that was not written by the generator is removed). `target/` and dot-folders are never
//! entered. A slip such as `--out ..` therefore cannot wipe a repository.
//!
//! Writing is staged: every new file is first written beside its target under a temporary
//! name, and only once all of them were written are they renamed into place, so a failure
//! while writing leaves the old files untouched. The folder itself is never renamed, which is
//! what lets the output be the current folder (`--out .`).

use crate::error::CodegenError;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// The manifest of generated files, at the top of each owned folder.
pub const MANIFEST: &str = ".generated-files";

/// The first lines of every manifest; a file named [`MANIFEST`] without them is not ours.
const MANIFEST_HEADER: &str = "# @generated: the files the code generator wrote in this folder, one a line, relative to it.\n\
# The generator replaces or removes only these; anything else here is left alone. Do not edit.\n";

/// One generated file, its path relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    /// Fail with a diff when anything would change.
    Check,
}

/// What a write changed (or a check found different), by path relative to the root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub modified: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.modified.is_empty() && self.removed.is_empty()
    }
}

/// How [`OwnedTree::sync_with`] treats a folder it has no manifest for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncOptions {
    /// Write into a non-empty folder without a manifest, replacing files at the paths the
    /// generator writes. Files at other paths are still left alone.
    pub force: bool,
}

/// A folder the generator owns: the files it wrote there (listed in its manifest) are
/// replaced, and those no longer generated are removed. Other files are left alone.
#[derive(Debug, Clone)]
pub struct OwnedTree {
    /// The output root (the crate folder).
    pub root: PathBuf,
    /// The owned folder, relative to `root` (`src/generated`, or `.` for a whole crate).
    pub owned: PathBuf,
    /// The command that regenerates the tree, named in the stale-output error.
    pub command: String,
}

impl OwnedTree {
    /// Writes `files` (paths relative to `root`, all below `owned`), or checks them. A
    /// non-empty folder without a manifest is refused.
    pub fn sync(&self, files: &[OutputFile], mode: Mode) -> Result<Changes, CodegenError> {
        self.sync_with(files, mode, SyncOptions::default())
    }

    /// As [`OwnedTree::sync`], with `options` for a folder that has no manifest yet.
    pub fn sync_with(
        &self,
        files: &[OutputFile],
        mode: Mode,
        options: SyncOptions,
    ) -> Result<Changes, CodegenError> {
        let owned_dir = self.owned_dir();
        if owned_dir.exists() && !owned_dir.is_dir() {
            return Err(self.refusal(&owned_dir, "it is a file, not a folder".to_owned()));
        }
        let previous = read_manifest(&owned_dir)?;
        let mut wanted: BTreeMap<String, &str> = BTreeMap::new();
        for file in files {
            let relative = self.owned_relative(&file.path)?;
            wanted.insert(relative, file.contents.as_str());
        }
        let manifest = manifest_text(wanted.keys());
        wanted.insert(MANIFEST.to_owned(), &manifest);

        if mode == Mode::Write && previous.is_none() && !options.force {
            let foreign = foreign_entries(&owned_dir)?;
            if !foreign.is_empty() {
                return Err(self.refusal(
                    &owned_dir,
                    format!(
                        "it is not empty and has no `{MANIFEST}` manifest saying the generator \
                         wrote it (it holds {}); generate into an empty or new folder, or force \
                         the write to replace files at the generated paths",
                        list_some(&foreign)
                    ),
                ));
            }
        }
        let previous = previous.unwrap_or_default();
        if mode == Mode::Write {
            // A marked folder may still hold files the user put at a path the generator now
            // wants: those are not the generator's to replace.
            let clobbered: Vec<String> = wanted
                .keys()
                .filter(|path| {
                    let existing = owned_dir.join(path);
                    *path != MANIFEST
                        && !previous.contains(*path)
                        && existing.symlink_metadata().is_ok()
                        && !has_generated_header(&existing)
                })
                .cloned()
                .collect();
            if !clobbered.is_empty() && !options.force {
                return Err(self.refusal(
                    &owned_dir,
                    format!(
                        "it would replace {} that the generator did not write (not in `{MANIFEST}`)",
                        list_some(&clobbered)
                    ),
                ));
            }
        }

        let mut changes = Changes::default();
        // Only a check shows the diff; a write of a full spec would spend more time diffing
        // than writing.
        let mut diff = String::new();
        let mut show = |shown: &str, old: &str, new: &str| {
            if mode == Mode::Check {
                diff.push_str(&unified_diff(shown, old, new));
            }
        };
        for (path, contents) in &wanted {
            let shown = self.shown(path);
            match read_existing(&owned_dir.join(path))? {
                None => {
                    show(&shown, "", contents);
                    changes.added.push(shown);
                }
                Some(old) if old != *contents => {
                    show(&shown, &old, contents);
                    changes.modified.push(shown);
                }
                Some(_) => changes.unchanged += 1,
            }
        }
        let stale: Vec<&String> = previous
            .iter()
            .filter(|path| !wanted.contains_key(*path))
            .collect();
        for path in &stale {
            if let Some(old) = read_existing(&owned_dir.join(path))? {
                let shown = self.shown(path);
                show(&shown, &old, "");
                changes.removed.push(shown);
            }
        }
        match mode {
            Mode::Check if !changes.is_empty() => Err(CodegenError::Stale {
                count: changes.added.len() + changes.modified.len() + changes.removed.len(),
                diff,
                command: self.command.clone(),
            }),
            Mode::Check => Ok(changes),
            Mode::Write if changes.is_empty() => Ok(changes),
            Mode::Write => {
                let union: BTreeSet<&String> = previous.iter().chain(wanted.keys()).collect();
                self.write_all(&owned_dir, &wanted, &union, &stale)?;
                Ok(changes)
            }
        }
    }

    /// The owned folder on disk.
    fn owned_dir(&self) -> PathBuf {
        if self.owned == Path::new(".") || self.owned.as_os_str().is_empty() {
            self.root.clone()
        } else {
            self.root.join(&self.owned)
        }
    }

    /// `path` (relative to the root) relative to the owned folder, checked to be a path the
    /// generator may write: inside the folder, not in `target/` or a dot-folder.
    fn owned_relative(&self, path: &str) -> Result<String, CodegenError> {
        let whole = Path::new(path);
        let relative = if self.owned == Path::new(".") {
            whole
        } else {
            whole.strip_prefix(&self.owned).map_err(|_| {
                self.refusal(
                    &self.owned_dir(),
                    format!("generated file `{path}` is outside the owned folder"),
                )
            })?
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        if !may_touch(&relative) || relative == MANIFEST {
            return Err(self.refusal(
                &self.owned_dir(),
                format!("generated file `{path}` is not a path the generator may write"),
            ));
        }
        Ok(relative)
    }

    /// A path relative to the owned folder as the user knows it: relative to the root.
    fn shown(&self, relative: &str) -> String {
        if self.owned == Path::new(".") {
            relative.to_owned()
        } else {
            format!(
                "{}/{relative}",
                self.owned.to_string_lossy().trim_end_matches('/')
            )
        }
    }

    fn refusal(&self, dir: &Path, reason: String) -> CodegenError {
        CodegenError::Refused {
            path: dir.display().to_string(),
            reason,
        }
    }

    /// Stages every file beside its target, then renames them into place and removes the
    /// stale ones. The manifest lists old and new files while this happens, so an
    /// interrupted run still knows every file it may have written.
    fn write_all(
        &self,
        owned_dir: &Path,
        wanted: &BTreeMap<String, &str>,
        union: &BTreeSet<&String>,
        stale: &[&String],
    ) -> Result<(), CodegenError> {
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| CodegenError::Write { path, source }
        };
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        for path in wanted.keys() {
            let target = owned_dir.join(path);
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir).map_err(io(dir))?;
            }
            staged.push((staging_name(&target, "staged"), target));
        }
        // A full spec's files are megabytes each: they are written side by side.
        let written: Vec<Result<(), CodegenError>> = std::thread::scope(|scope| {
            let writers: Vec<_> = staged
                .iter()
                .zip(wanted.values())
                .map(|((temporary, _), contents)| {
                    scope.spawn(move || fs::write(temporary, contents).map_err(io(temporary)))
                })
                .collect();
            writers
                .into_iter()
                .map(|writer| {
                    writer
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        if let Some(Err(e)) = written.into_iter().find(Result::is_err) {
            for (temporary, _) in &staged {
                let _ = fs::remove_file(temporary);
            }
            return Err(e);
        }
        let manifest_path = owned_dir.join(MANIFEST);
        let interim = staging_name(&manifest_path, "interim");
        let interim_written = fs::write(&interim, manifest_text(union.iter().copied()))
            .and_then(|()| fs::rename(&interim, &manifest_path));
        if let Err(source) = interim_written {
            let _ = fs::remove_file(&interim);
            for (temporary, _) in &staged {
                let _ = fs::remove_file(temporary);
            }
            return Err(CodegenError::Write {
                path: manifest_path.display().to_string(),
                source,
            });
        }
        // The final manifest goes last, so it is only ever shorter once the files are gone.
        let (manifest_last, others): (Vec<_>, Vec<_>) = staged
            .into_iter()
            .partition(|(_, target)| *target == manifest_path);
        for (temporary, target) in others.iter().chain(&manifest_last) {
            if *target == manifest_path {
                for path in stale {
                    let file = owned_dir.join(path);
                    match fs::remove_file(&file) {
                        Ok(()) => remove_empty_parents(owned_dir, &file),
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(source) => {
                            return Err(CodegenError::Write {
                                path: file.display().to_string(),
                                source,
                            })
                        }
                    }
                }
            }
            fs::rename(temporary, target).map_err(|source| {
                let _ = fs::remove_file(temporary);
                CodegenError::Write {
                    path: target.display().to_string(),
                    source,
                }
            })?;
        }
        Ok(())
    }
}

/// A temporary name beside `target`, in the same folder so the rename cannot cross devices.
fn staging_name(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Removes the folders between `file` and `owned_dir` that its removal left empty.
fn remove_empty_parents(owned_dir: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == owned_dir || !current.starts_with(owned_dir) {
            break;
        }
        if fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

/// Whether the generator may write or remove `relative` (a `/`-separated path below the
/// owned folder): no `..`, no absolute path, nothing in `target/` or a dot-folder.
fn may_touch(relative: &str) -> bool {
    let path = Path::new(relative);
    if relative.is_empty() || path.is_absolute() {
        return false;
    }
    let components: Vec<Component> = path.components().collect();
    components.iter().enumerate().all(|(index, component)| {
        let Component::Normal(name) = component else {
            return false;
        };
        let name = name.to_string_lossy();
        let is_folder = index + 1 < components.len();
        !(is_folder && (name.starts_with('.') || name == "target"))
    })
}

fn manifest_text<'a>(paths: impl IntoIterator<Item = &'a String>) -> String {
    let mut text = MANIFEST_HEADER.to_owned();
    for path in paths {
        if path != MANIFEST {
            text.push_str(path);
            text.push('\n');
        }
    }
    text
}

/// The files the manifest in `dir` lists, or `None` when there is no manifest.
fn read_manifest(dir: &Path) -> Result<Option<BTreeSet<String>>, CodegenError> {
    let path = dir.join(MANIFEST);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(CodegenError::Write {
                path: path.display().to_string(),
                source,
            })
        }
    };
    let refused = |reason: String| CodegenError::Refused {
        path: dir.display().to_string(),
        reason,
    };
    if !text.starts_with(MANIFEST_HEADER) {
        return Err(refused(format!(
            "its `{MANIFEST}` was not written by this generator (it lacks the `@generated` header)"
        )));
    }
    let mut listed = BTreeSet::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        // A hand-edited manifest must not become a way to delete anything else.
        if !may_touch(line) || line == MANIFEST {
            return Err(refused(format!(
                "its `{MANIFEST}` lists `{line}`, which is not a path the generator writes"
            )));
        }
        listed.insert(line.to_owned());
    }
    Ok(Some(listed))
}

/// The entries of `dir` that make it non-empty for the generator: all but `target/` and
/// dot-entries, which it never touches.
fn foreign_entries(dir: &Path) -> Result<Vec<String>, CodegenError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(CodegenError::Write {
                path: dir.display().to_string(),
                source,
            })
        }
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| CodegenError::Write {
            path: dir.display().to_string(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with('.') || name == "target" || has_generated_header(&entry.path())) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Whether `path` is a file whose first line marks it `@generated`: the generator wrote it
/// (before manifests existed, or in a branch whose manifest did not list it yet), so it may be
/// replaced. Such a file is still only removed when a manifest lists it.
fn has_generated_header(path: &Path) -> bool {
    use std::io::Read as _;
    let Ok(file) = fs::File::open(path) else {
        return false;
    };
    if !path.is_file() {
        return false;
    }
    let mut start = Vec::with_capacity(256);
    if file.take(256).read_to_end(&mut start).is_err() {
        return false;
    }
    let start = String::from_utf8_lossy(&start);
    start
        .lines()
        .next()
        .is_some_and(|line| line.contains("@generated"))
}

/// The text of a file, `None` if it does not exist; a file that is not UTF-8 text differs
/// from any generated file.
fn read_existing(path: &Path) -> Result<Option<String>, CodegenError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8(bytes).unwrap_or_default())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        // A folder where a generated file belongs: reported as a difference, refused on write.
        Err(_) if path.is_dir() => Ok(Some(String::new())),
        Err(source) => Err(CodegenError::Write {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// Up to five names, then a count of the rest.
fn list_some(names: &[String]) -> String {
    let mut shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    if names.len() > 5 {
        shown.push(format!("{} more", names.len() - 5));
    }
    shown.join(", ")
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> OutputFile {
        OutputFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    fn whole_crate(root: &Path) -> OwnedTree {
        OwnedTree {
            root: root.to_path_buf(),
            owned: PathBuf::from("."),
            command: "regen".into(),
        }
    }

    /// Every file below `dir` with its text, dot-folders and `target/` included.
    fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
        let mut out = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(current) = stack.pop() {
            for entry in fs::read_dir(&current).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let text = fs::read_to_string(&path).unwrap();
                    out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), text);
                }
            }
        }
        out
    }

    #[test]
    fn write_then_check_round_trips_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let tree = OwnedTree {
            root: dir.path().to_path_buf(),
            owned: PathBuf::from("src/generated"),
            command: "regen".into(),
        };
        let first = [
            file("src/generated/a.rs", "a\n"),
            file("src/generated/b.rs", "b\n"),
        ];
        let changes = tree.sync(&first, Mode::Write).unwrap();
        assert_eq!(
            changes.added,
            vec![
                "src/generated/.generated-files",
                "src/generated/a.rs",
                "src/generated/b.rs"
            ]
        );
        let manifest = fs::read_to_string(dir.path().join("src/generated").join(MANIFEST)).unwrap();
        assert!(manifest.starts_with("# @generated"), "{manifest}");
        assert!(manifest.ends_with("\na.rs\nb.rs\n"), "{manifest}");
        assert!(tree.sync(&first, Mode::Check).unwrap().is_empty());

        let second = [file("src/generated/a.rs", "a2\n")];
        let err = tree.sync(&second, Mode::Check).unwrap_err().to_string();
        assert!(err.contains("-a\n+a2"), "{err}");
        assert!(err.contains("-b"), "{err}");
        assert!(err.contains("Run `regen`"), "{err}");
        // The check wrote nothing.
        assert_eq!(
            fs::read_to_string(dir.path().join("src/generated/a.rs")).unwrap(),
            "a\n"
        );

        let changes = tree.sync(&second, Mode::Write).unwrap();
        assert_eq!(changes.removed, vec!["src/generated/b.rs"]);
        assert_eq!(
            changes.modified,
            vec!["src/generated/.generated-files", "src/generated/a.rs"]
        );
        assert!(!dir.path().join("src/generated/b.rs").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path().join("src"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("generated")]);
        let mut inside: Vec<_> = fs::read_dir(dir.path().join("src/generated"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        inside.sort();
        assert_eq!(inside, [MANIFEST, "a.rs"], "no staging files are left");
    }

    #[test]
    fn a_non_empty_folder_without_a_manifest_is_refused_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "mine\n").unwrap();
        fs::create_dir_all(dir.path().join("src")).unwrap();
        fs::write(dir.path().join("src/lib.rs"), "// mine\n").unwrap();
        let before = snapshot(dir.path());
        let tree = whole_crate(dir.path());
        let files = [file("src/lib.rs", "// generated\n"), file("Cargo.toml", "")];
        let err = tree.sync(&files, Mode::Write).unwrap_err();
        assert!(matches!(err, CodegenError::Refused { .. }), "{err}");
        let message = err.to_string();
        assert!(message.contains("not empty"), "{message}");
        assert!(message.contains("`notes.txt`, `src`"), "{message}");
        assert!(message.contains(MANIFEST), "{message}");
        assert_eq!(snapshot(dir.path()), before);
    }

    #[test]
    fn forcing_replaces_generated_paths_and_keeps_every_other_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "mine\n").unwrap();
        fs::create_dir_all(dir.path().join("src")).unwrap();
        fs::write(dir.path().join("src/lib.rs"), "// mine\n").unwrap();
        let tree = whole_crate(dir.path());
        let files = [file("src/lib.rs", "// generated\n")];
        let changes = tree
            .sync_with(&files, Mode::Write, SyncOptions { force: true })
            .unwrap();
        assert_eq!(changes.modified, ["src/lib.rs"]);
        assert_eq!(
            fs::read_to_string(dir.path().join("src/lib.rs")).unwrap(),
            "// generated\n"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
            "mine\n"
        );
        // From now on the folder is marked, and a plain sync works without forcing.
        assert!(tree.sync(&files, Mode::Check).unwrap().is_empty());
        tree.sync(&[file("src/other.rs", "")], Mode::Write).unwrap();
        assert!(!dir.path().join("src/lib.rs").exists());
        assert!(dir.path().join("notes.txt").exists());
    }

    #[test]
    fn files_the_generator_did_not_write_survive_regeneration() {
        let dir = tempfile::tempdir().unwrap();
        let tree = whole_crate(dir.path());
        tree.sync(
            &[file("src/lib.rs", "1\n"), file("src/old.rs", "")],
            Mode::Write,
        )
        .unwrap();
        fs::write(dir.path().join("src/mine.rs"), "kept\n").unwrap();
        fs::write(dir.path().join("Cargo.lock"), "kept\n").unwrap();
        let changes = tree
            .sync(&[file("src/lib.rs", "2\n")], Mode::Write)
            .unwrap();
        assert_eq!(changes.removed, ["src/old.rs"], "only its own file goes");
        assert_eq!(
            fs::read_to_string(dir.path().join("src/mine.rs")).unwrap(),
            "kept\n"
        );
        assert!(dir.path().join("Cargo.lock").exists());
        // A check does not count files it never wrote as stale.
        assert!(tree
            .sync(&[file("src/lib.rs", "2\n")], Mode::Check)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_file_put_at_a_generated_path_of_a_marked_folder_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let tree = whole_crate(dir.path());
        tree.sync(&[file("src/lib.rs", "1\n")], Mode::Write)
            .unwrap();
        fs::write(dir.path().join("src/new.rs"), "mine\n").unwrap();
        let err = tree
            .sync(
                &[file("src/lib.rs", "1\n"), file("src/new.rs", "")],
                Mode::Write,
            )
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("did not write") && err.contains("`src/new.rs`"),
            "{err}"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("src/new.rs")).unwrap(),
            "mine\n"
        );
    }

    #[test]
    fn target_and_dot_folders_are_never_touched_and_do_not_make_a_folder_foreign() {
        let dir = tempfile::tempdir().unwrap();
        for folder in [".git", "target/debug", ".cache"] {
            fs::create_dir_all(dir.path().join(folder)).unwrap();
            fs::write(dir.path().join(folder).join("f"), folder).unwrap();
        }
        let tree = whole_crate(dir.path());
        tree.sync(&[file("src/lib.rs", "")], Mode::Write).unwrap();
        tree.sync(&[file("Cargo.toml", "")], Mode::Write).unwrap();
        for folder in [".git", "target/debug", ".cache"] {
            assert_eq!(
                fs::read_to_string(dir.path().join(folder).join("f")).unwrap(),
                folder
            );
        }
        for path in ["target/x.rs", ".git/config", "../escape.rs", "/abs.rs"] {
            let err = tree.sync(&[file(path, "")], Mode::Write).unwrap_err();
            assert!(
                err.to_string()
                    .contains("not a path the generator may write"),
                "{path}: {err}"
            );
        }
        assert!(!dir.path().join("target/x.rs").exists());
    }

    #[test]
    fn a_manifest_that_lists_foreign_paths_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let tree = whole_crate(dir.path());
        tree.sync(&[file("src/lib.rs", "")], Mode::Write).unwrap();
        fs::create_dir_all(dir.path().join(".git")).unwrap();
        fs::write(dir.path().join(".git/config"), "precious\n").unwrap();
        let manifest = dir.path().join(MANIFEST);
        let mut text = fs::read_to_string(&manifest).unwrap();
        text.push_str(".git/config\n");
        fs::write(&manifest, text).unwrap();
        let err = tree
            .sync(&[file("src/lib.rs", "")], Mode::Write)
            .unwrap_err();
        assert!(err.to_string().contains("`.git/config`"), "{err}");
        assert!(dir.path().join(".git/config").exists());

        fs::write(&manifest, "src/lib.rs\n").unwrap();
        let err = tree
            .sync(&[file("src/lib.rs", "")], Mode::Write)
            .unwrap_err();
        assert!(err.to_string().contains("`@generated` header"), "{err}");
    }

    #[test]
    fn a_file_given_as_the_output_folder_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::write(&out, "mine\n").unwrap();
        let err = whole_crate(&out)
            .sync(&[file("src/lib.rs", "")], Mode::Write)
            .unwrap_err();
        assert!(
            err.to_string().contains("it is a file, not a folder"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&out).unwrap(), "mine\n");
    }

    #[test]
    fn a_failed_write_leaves_the_old_files_and_no_staging_files() {
        let dir = tempfile::tempdir().unwrap();
        let tree = whole_crate(dir.path());
        tree.sync(&[file("a.rs", "old\n")], Mode::Write).unwrap();
        let before = snapshot(dir.path());
        // `a.rs` is a file, so nothing can be written below it.
        let err = tree
            .sync(&[file("a.rs", "new\n"), file("a.rs/b.rs", "")], Mode::Write)
            .unwrap_err();
        assert!(matches!(err, CodegenError::Write { .. }), "{err}");
        assert_eq!(snapshot(dir.path()), before);
    }

    #[test]
    fn files_marked_generated_are_adopted_but_only_listed_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let tree = OwnedTree {
            root: dir.path().to_path_buf(),
            owned: PathBuf::from("src/generated"),
            command: "regen".into(),
        };
        let generated = dir.path().join("src/generated");
        fs::create_dir_all(&generated).unwrap();
        fs::write(generated.join("mod.rs"), "// @generated by an older run\n").unwrap();
        fs::write(generated.join("gone.rs"), "// @generated by an older run\n").unwrap();
        tree.sync(&[file("src/generated/mod.rs", "new\n")], Mode::Write)
            .unwrap();
        assert_eq!(
            fs::read_to_string(generated.join("mod.rs")).unwrap(),
            "new\n"
        );
        assert!(generated.join("gone.rs").exists(), "no manifest listed it");

        let other = tempfile::tempdir().unwrap();
        fs::write(other.path().join("mod.rs"), "// written by hand\n").unwrap();
        let err = whole_crate(other.path())
            .sync(&[file("mod.rs", "new\n")], Mode::Write)
            .unwrap_err();
        assert!(err.to_string().contains("`mod.rs`"), "{err}");
    }
}
