//! `cargo xtask stub [-- ARGS]`: serves the stand-in Atlas server by running the
//! `workspace-tests` crate's `stand-in` binary through cargo, so xtask itself stays free of
//! the server's dependencies. Every argument goes to the binary (`--port`, `--list-size`,
//! `--latency-ms`, credentials); `cargo xtask stub -- --help` lists them.

use anyhow::Context;
use std::path::Path;
use std::process::{Command, ExitCode};

#[derive(clap::Args)]
pub struct StubArgs {
    /// Arguments for the stand-in binary, such as `--port 8080 --list-size 10000`.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

pub fn run(args: StubArgs) -> anyhow::Result<ExitCode> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // The workspace root, wherever `cargo xtask` was started from.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask lives inside the workspace")?;
    let status = Command::new(cargo)
        .current_dir(root)
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
