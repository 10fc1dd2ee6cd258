//! `cargo xtask slice` (being built).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct SliceArgs {}

pub fn run(_args: SliceArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cargo xtask slice` is not available yet")
}
