//! `cargo xtask stub` (being built).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct StubArgs {}

pub fn run(_args: StubArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cargo xtask stub` is not available yet")
}
