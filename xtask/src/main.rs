//! `cargo xtask`: the project's own commands. `regen` regenerates the client crate from the
//! spec (or checks that it is fresh); the other subcommands live in modules of their own.

mod diff;
mod regen;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project tasks for atlas-snapshots-codegen"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated-client` from `spec/` (or any spec into any folder).
    Regen(regen::RegenArgs),
    /// Report what changed between two specs or API versions, for the wire and the Rust API.
    Diff(diff::DiffArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Regen(args) => regen::run(args),
        Command::Diff(args) => diff::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
