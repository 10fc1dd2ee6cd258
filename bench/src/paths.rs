//! Where the benchmark reads and writes: the repository, its scratch folder under
//! `target/bench/` and the target folder of its own builds.

use anyhow::Context;
use std::path::{Path, PathBuf};

pub struct Paths {
    /// The repository root.
    pub root: PathBuf,
    /// Scratch space: prepared specs, generated crates.
    pub work: PathBuf,
    /// The target folder of the benchmark's own builds (this binary, the release xtask).
    pub bench_target: PathBuf,
    /// The target folder shared by the generated crates, so their dependencies build once.
    pub compile_target: PathBuf,
}

impl Paths {
    pub fn new() -> anyhow::Result<Paths> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .context("bench/ sits inside the repository")?
            .to_path_buf();
        let work = root.join("target/bench");
        std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
        Ok(Paths {
            bench_target: std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("target/bench-target")),
            compile_target: work.join("compile-target"),
            root,
            work,
        })
    }

    /// The release `xtask` binary built by [`crate::process::build_release_xtask`].
    pub fn xtask(&self) -> PathBuf {
        self.bench_target.join("release/xtask")
    }

    /// Where the second peer generator is installed (`cargo install --root`).
    pub fn tools(&self) -> PathBuf {
        self.root.join("target/bench-tools")
    }

    /// An upstream Atlas Administration API spec of the given date. They live in `shared/`
    /// beside the repository, or in the folder `ATLAS_SPECS_DIR` names.
    pub fn upstream_spec(&self, date: &str) -> PathBuf {
        let folder = std::env::var_os("ATLAS_SPECS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| self.root.join("../shared/atlas-specs"));
        folder.join(format!("atlas-admin-v2-{date}.yaml.gz"))
    }

    pub fn curated_spec(&self) -> PathBuf {
        self.root.join("spec/atlas-snapshots.yaml")
    }
}
