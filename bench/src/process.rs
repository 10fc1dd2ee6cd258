//! Child processes: building the release `xtask`, and running a command to time it.

use crate::paths::Paths;
use anyhow::{bail, Context};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Builds `xtask` in release into the benchmark's own target folder, so that `regen` and
/// `diff` are timed as the optimised programs users would run.
pub fn build_release_xtask(paths: &Paths) -> anyhow::Result<()> {
    eprintln!("bench: building the release xtask");
    let mut command = Command::new(cargo());
    command
        .current_dir(&paths.root)
        .args([
            "build",
            "--release",
            "--quiet",
            "--locked",
            "--package",
            "xtask",
        ])
        .env("CARGO_TARGET_DIR", &paths.bench_target);
    run_checked(&mut command, "cargo build --release -p xtask")?;
    Ok(())
}

/// The `cargo` that runs this program, or the one on `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Runs the command to its end and returns how long it took; fails on a non-zero exit.
pub fn time(command: &mut Command, what: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let output = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("starting {what}"))?;
    let elapsed = started.elapsed();
    check(&output, what)?;
    Ok(elapsed)
}

/// Runs the command and returns its output; fails on a non-zero exit.
pub fn run_checked(command: &mut Command, what: &str) -> anyhow::Result<Output> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("starting {what}"))?;
    check(&output, what)?;
    Ok(output)
}

fn check(output: &Output, what: &str) -> anyhow::Result<()> {
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        bail!("{what} failed ({}):\n{}", output.status, tail.join("\n"));
    }
    Ok(())
}
