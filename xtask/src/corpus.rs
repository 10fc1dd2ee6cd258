//! `cargo xtask corpus` (being built).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CorpusArgs {}

pub fn run(_args: CorpusArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cargo xtask corpus` is not available yet")
}
