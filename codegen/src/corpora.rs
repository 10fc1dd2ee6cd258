//! The spec corpora shared beside the checkout (`../shared/atlas-specs`, `peer-specs`,
//! `real-specs`, `seeds`), and the one rule every test that reads them follows: a fresh clone has
//! none of them, so such a test says on stderr that it was skipped and why, unless the
//! environment has `CI=true`, where a missing corpus is a failure.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The folder beside the repository root that holds the shared corpora.
pub const SHARED_DIR: &str = "../shared";

/// The corpora tests read, by folder name under [`SHARED_DIR`].
pub const CORPORA: &[&str] = &["atlas-specs", "peer-specs", "real-specs", "seeds"];

/// Where the corpus `name` lives for the checkout at `root`, whether or not it is there.
pub fn corpus_dir(root: &Path, name: &str) -> PathBuf {
    root.join(SHARED_DIR).join(name)
}

/// What a test does when a corpus it needs is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Outside CI: the test skips, saying so.
    Skip,
    /// In CI (`CI=true`): the test fails.
    Fail,
}

impl Missing {
    /// The rule for this process's environment.
    pub fn from_env() -> Missing {
        Missing::for_ci_value(std::env::var("CI").ok().as_deref())
    }

    /// The rule for a value of `CI` (CI services set `CI=true`).
    pub fn for_ci_value(ci: Option<&str>) -> Missing {
        match ci {
            Some(value) if value.eq_ignore_ascii_case("true") || value == "1" => Missing::Fail,
            _ => Missing::Skip,
        }
    }
}

/// The corpus folder `name` for the test `test`, when it holds `probe` (a file every copy of the
/// corpus has). Otherwise, outside CI, a line on stderr says the test was skipped and why, and
/// `None` is returned for the test to return early; with `CI=true` this panics instead.
///
/// The line is written to the process's stderr itself, not through `eprintln!`, so the test
/// harness does not swallow it for a test that passes: `cargo test` shows what it skipped.
pub fn corpus_for_test(root: &Path, name: &str, probe: &str, test: &str) -> Option<PathBuf> {
    match look_up(root, name, probe, test, Missing::from_env()) {
        Found::Corpus(dir) => Some(dir),
        Found::Skip(line) => {
            // Nothing useful to do if stderr itself is gone.
            let _ = std::io::stderr().write_all(line.as_bytes());
            None
        }
        Found::Fail(message) => panic!("{message}"),
    }
}

/// What [`corpus_for_test`] does, decided without doing it.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    Corpus(PathBuf),
    /// The line to print.
    Skip(String),
    /// The failure message.
    Fail(String),
}

fn look_up(root: &Path, name: &str, probe: &str, test: &str, missing: Missing) -> Found {
    let dir = corpus_dir(root, name);
    if dir.join(probe).is_file() {
        return Found::Corpus(dir);
    }
    let reason = format!(
        "the {name} corpus is missing: {} has no {probe} (a clone without `{SHARED_DIR}` beside it)",
        dir.display()
    );
    match missing {
        Missing::Fail => Found::Fail(format!(
            "{test}: {reason}; with CI=true a missing corpus is a failure"
        )),
        Missing::Skip => Found::Skip(format!(
            "SKIPPED {test}: {reason}; with CI=true this fails\n"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ci_true_makes_a_missing_corpus_fail() {
        assert_eq!(Missing::for_ci_value(Some("true")), Missing::Fail);
        assert_eq!(Missing::for_ci_value(Some("TRUE")), Missing::Fail);
        assert_eq!(Missing::for_ci_value(Some("1")), Missing::Fail);
        assert_eq!(Missing::for_ci_value(Some("false")), Missing::Skip);
        assert_eq!(Missing::for_ci_value(Some("")), Missing::Skip);
        assert_eq!(Missing::for_ci_value(None), Missing::Skip);
    }

    #[test]
    fn a_present_corpus_is_found_and_a_missing_one_skips_or_fails() {
        let shared = tempfile::tempdir().unwrap();
        let root = shared.path().join("repo");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(root.join("../shared/peer-specs")).unwrap();
        std::fs::write(root.join("../shared/peer-specs/nexus.json"), "{}").unwrap();
        let dir = root.join("../shared/peer-specs");
        for missing in [Missing::Skip, Missing::Fail] {
            assert_eq!(
                look_up(&root, "peer-specs", "nexus.json", "t", missing),
                Found::Corpus(dir.clone())
            );
        }
        // Present but without the probe file: not the corpus.
        let expected_reason = format!(
            "t: the peer-specs corpus is missing: {} has no keeper.json (a clone without \
             `../shared` beside it)",
            dir.display()
        );
        assert_eq!(
            look_up(&root, "peer-specs", "keeper.json", "t", Missing::Skip),
            Found::Skip(format!(
                "SKIPPED {expected_reason}; with CI=true this fails\n"
            ))
        );
        assert_eq!(
            look_up(&root, "seeds", "000.txt", "t", Missing::Fail),
            Found::Fail(format!(
                "t: the seeds corpus is missing: {} has no 000.txt (a clone without `../shared` \
                 beside it); with CI=true a missing corpus is a failure",
                root.join("../shared/seeds").display()
            ))
        );
    }
}
