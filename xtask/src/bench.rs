//! `cargo xtask bench`: builds and runs the benchmark crate `bench/` in release, which measures
//! generation, compile, decode, list-all and diff speed against progenitor and rewrites
//! `BENCHMARKS.md`. `bench/` is a workspace of its own, so progenitor is compiled only here,
//! into `target/bench-target/`, never by `cargo test --workspace`.

use anyhow::Context;
use clap::Args;
use codegen::project;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// The benchmark's own target folder, apart from the workspace's so neither waits for the
/// other's build lock.
const TARGET_DIR: &str = "target/bench-target";

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Timed runs per measurement; medians are reported.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Timed runs per compile measurement (a minute or more each on the full spec).
    #[arg(long, default_value_t = 3)]
    compile_runs: usize,
    /// Only these measures, comma-separated: gen, compile, decode, list, download, diff.
    #[arg(long, value_name = "MEASURES")]
    only: Option<String>,
    /// A fast trial run: two runs, fewer decode iterations, no full-spec compile.
    #[arg(long)]
    quick: bool,
    /// Write the report here instead of `BENCHMARKS.md`.
    #[arg(long)]
    output: Option<PathBuf>,
}

pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let root = project::repository_root();
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(&root)
        // Not `--locked`: `bench/Cargo.lock` follows the workspace's manifests as they change.
        .args(["run", "--release", "--quiet", "--manifest-path"])
        .arg(root.join("bench/Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join(TARGET_DIR))
        .args(["--", "run", "--runs"])
        .arg(args.runs.to_string())
        .arg("--compile-runs")
        .arg(args.compile_runs.to_string());
    if let Some(only) = &args.only {
        command.args(["--only", only]);
    }
    if args.quick {
        command.arg("--quick");
    }
    if let Some(output) = &args.output {
        command.arg("--output").arg(output);
    }
    let status = command
        .status()
        .context("running the benchmark (cargo run --manifest-path bench/Cargo.toml)")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: BenchArgs,
    }

    #[test]
    fn defaults_run_everything_and_flags_are_kept() {
        let defaults = Cli::parse_from(["bench"]).args;
        assert_eq!((defaults.runs, defaults.compile_runs), (5, 3));
        assert!(defaults.only.is_none() && !defaults.quick && defaults.output.is_none());
        let chosen =
            Cli::parse_from(["bench", "--runs", "2", "--only", "gen,diff", "--quick"]).args;
        assert_eq!(chosen.runs, 2);
        assert_eq!(chosen.only.as_deref(), Some("gen,diff"));
        assert!(chosen.quick);
    }
}
