//! `cargo xtask diff` of the two full upstream specs: the comparison alone
//! (`differ::diff_models` on loaded models, in process), the whole process (release
//! `xtask diff OLD NEW`: load both, compare, render the text report), and the command as users
//! type it, `cargo xtask diff OLD NEW` through the alias (a debug build, warm).

use crate::paths::Paths;
use crate::process;
use crate::stats::Timing;
use anyhow::Context;
use std::process::Command;
use std::time::Instant;

pub const OLD_DATE: &str = "2026-01-12";
pub const NEW_DATE: &str = "2026-08-13";

#[derive(Debug, Clone)]
pub struct Diff {
    pub compare: Timing,
    pub load_one: Timing,
    pub whole_process: Timing,
    /// `cargo xtask diff OLD NEW` in the repository, through the alias's debug build.
    pub through_alias: Timing,
    pub changed_operations: usize,
    pub changes: usize,
}

pub fn measure(paths: &Paths, runs: usize) -> anyhow::Result<Diff> {
    eprintln!("bench: diff");
    let old_path = paths.upstream_spec(OLD_DATE);
    let new_path = paths.upstream_spec(NEW_DATE);
    let options = differ::Options::new(differ::today_utc());
    let mut loads = Vec::new();
    let mut old = None;
    for _ in 0..runs {
        let started = Instant::now();
        old = Some(differ::load(&old_path).context("loading the older spec")?);
        loads.push(started.elapsed());
    }
    let old = old.context("at least one run")?;
    let new = differ::load(&new_path).context("loading the newer spec")?;
    let mut compares = Vec::new();
    let mut diff = None;
    for _ in 0..runs {
        let started = Instant::now();
        diff = Some(differ::diff_models(&old, &new, &options)?);
        compares.push(started.elapsed());
    }
    let diff = diff.context("at least one run")?;
    let mut whole = Vec::new();
    for _ in 0..runs {
        let mut command = Command::new(paths.xtask());
        command
            .current_dir(&paths.root)
            .arg("diff")
            .arg(&old_path)
            .arg(&new_path);
        whole.push(process::time(&mut command, "xtask diff")?);
    }
    let alias = || {
        let mut command = Command::new(process::cargo());
        command
            .current_dir(&paths.root)
            .args(["xtask", "diff"])
            .arg(&old_path)
            .arg(&new_path);
        command
    };
    // Untimed: builds the debug xtask if it is not built yet, so the runs measure a warm build.
    process::time(&mut alias(), "cargo xtask diff (warm-up)")?;
    let mut aliased = Vec::new();
    for _ in 0..runs {
        aliased.push(process::time(&mut alias(), "cargo xtask diff")?);
    }
    Ok(Diff {
        compare: Timing::of(&compares),
        load_one: Timing::of(&loads),
        whole_process: Timing::of(&whole),
        through_alias: Timing::of(&aliased),
        changed_operations: diff.operations.len(),
        changes: diff.changes().count(),
    })
}
