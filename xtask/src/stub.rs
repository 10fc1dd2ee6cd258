//! `cargo xtask stub [-- ARGS]`: serves the stand-in Atlas server by running the
//! `workspace-tests` crate's `stand-in` binary through cargo, so xtask itself stays free of
//! the server's dependencies. Every argument goes to the binary (`--port`, `--list-size`,
//! `--latency-ms`, credentials); `cargo xtask stub -- --help` lists them.

use anyhow::Context;
use std::process::{Command, ExitCode};

#[derive(clap::Args)]
pub struct StubArgs {
    /// Arguments for the stand-in binary, such as `--port 8080 --list-size 10000`.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

pub fn run(args: StubArgs) -> anyhow::Result<ExitCode> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // The checkout this runs in, found at run time: a path baked in at compile time names the
    // checkout that built the binary, which differs when two checkouts share a target folder.
    let root = codegen::project::try_repository_root().map_err(anyhow::Error::msg)?;
    let status = Command::new(cargo)
        .current_dir(&root)
        .args([
            "run",
            "--quiet",
            "-p",
            "workspace-tests",
            "--bin",
            "stand-in",
            "--",
        ])
        .args(&args.args)
        .status()
        .context("cannot run cargo")?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        // Ended by a signal, such as the Ctrl-C that stops the server.
        None => ExitCode::SUCCESS,
    })
}
