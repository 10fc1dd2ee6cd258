//! Write: puts generated files on disk, or checks that what is on disk is what would be
//! written. Both modes share one code path (as rust-analyzer's `ensure_file_contents`), so
//! `regen --check` and the freshness test can never disagree with `regen`.
//!
//! Writing is all or nothing: the new tree is staged in a sibling folder and swapped in by
//! renames only after every file was written, so a failure leaves the old tree untouched.

use crate::error::CodegenError;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

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

/// A folder the generator owns entirely: every file below it is generated, and files that
/// are no longer generated are removed.
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
    /// Writes `files` (paths relative to `root`, all below `owned`), or checks them.
    pub fn sync(&self, files: &[OutputFile], mode: Mode) -> Result<Changes, CodegenError> {
        let owned_dir = self.root.join(&self.owned);
        let current = read_tree(&owned_dir, &self.owned)?;
        let wanted: BTreeMap<&str, &str> = files
            .iter()
            .map(|f| (f.path.as_str(), f.contents.as_str()))
            .collect();
        let mut changes = Changes::default();
        let mut diff = String::new();
        for (path, contents) in &wanted {
            match current.get(*path) {
                None => {
                    changes.added.push((*path).to_owned());
                    diff.push_str(&unified_diff(path, "", contents));
                }
                Some(old) if old != contents => {
                    changes.modified.push((*path).to_owned());
                    diff.push_str(&unified_diff(path, old, contents));
                }
                Some(_) => changes.unchanged += 1,
            }
        }
        for (path, old) in &current {
            if !wanted.contains_key(path.as_str()) {
                changes.removed.push(path.clone());
                diff.push_str(&unified_diff(path, old, ""));
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
                self.swap_in(files)?;
                Ok(changes)
            }
        }
    }

    /// Stages every file in a sibling folder, then replaces the owned folder with it.
    fn swap_in(&self, files: &[OutputFile]) -> Result<(), CodegenError> {
        let owned_dir = self.root.join(&self.owned);
        let owned_dir = if self.owned == Path::new(".") {
            self.root.clone()
        } else {
            owned_dir
        };
        let parent = owned_dir
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = owned_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".to_owned());
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| CodegenError::Write { path, source }
        };
        fs::create_dir_all(&parent).map_err(io(&parent))?;
        let staged = parent.join(format!(".{name}.staged-{}", std::process::id()));
        let backup = parent.join(format!(".{name}.previous-{}", std::process::id()));
        let _ = fs::remove_dir_all(&staged);
        let result = (|| {
            for file in files {
                let relative = Path::new(&file.path)
                    .strip_prefix(&self.owned)
                    .unwrap_or(Path::new(&file.path));
                let target = staged.join(relative);
                if let Some(dir) = target.parent() {
                    fs::create_dir_all(dir).map_err(io(dir))?;
                }
                fs::write(&target, &file.contents).map_err(io(&target))?;
            }
            Ok(())
        })();
        if let Err(e) = result {
            let _ = fs::remove_dir_all(&staged);
            return Err(e);
        }
        let had_previous = owned_dir.exists();
        if had_previous {
            fs::rename(&owned_dir, &backup).map_err(io(&owned_dir))?;
        }
        if let Err(source) = fs::rename(&staged, &owned_dir) {
            // Put the old tree back before reporting: nothing may be lost.
            if had_previous {
                let _ = fs::rename(&backup, &owned_dir);
            }
            let _ = fs::remove_dir_all(&staged);
            return Err(CodegenError::Write {
                path: owned_dir.display().to_string(),
                source,
            });
        }
        if had_previous {
            let _ = fs::remove_dir_all(&backup);
        }
        Ok(())
    }
}

/// Every file below `dir`, keyed by its path relative to the root (`prefix` joined in front).
fn read_tree(dir: &Path, prefix: &Path) -> Result<BTreeMap<String, String>, CodegenError> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = fs::read_dir(&current).map_err(|source| CodegenError::Write {
            path: current.display().to_string(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| CodegenError::Write {
                path: current.display().to_string(),
                source,
            })?;
            let path = entry.path();
            if path.is_dir() {
                // Build output never belongs to the owned tree.
                if path.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("walked below dir");
                let key = if prefix == Path::new(".") {
                    relative.to_path_buf()
                } else {
                    prefix.join(relative)
                };
                let key = key.to_string_lossy().replace('\\', "/");
                // A file that is not UTF-8 text differs from any generated file.
                let text = fs::read_to_string(&path).unwrap_or_default();
                out.insert(key, text);
            }
        }
    }
    Ok(out)
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
            vec!["src/generated/a.rs", "src/generated/b.rs"]
        );
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
        assert_eq!((changes.modified.len(), changes.removed.len()), (1, 1));
        assert!(!dir.path().join("src/generated/b.rs").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path().join("src"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("generated")]);
    }
}
