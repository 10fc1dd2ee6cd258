//! `cargo xtask`: the project's own commands. `regen` regenerates the client crate from the
//! spec (or checks that it is fresh); the other subcommands live in modules of their own.

mod api_change;
mod bench;
mod conformance;
mod corpus;
mod diff;
mod emitted;
mod public_api;
mod regen;
mod release;
mod semver;
mod slice;
mod stub;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

// Generating from a full upstream spec allocates millions of small token trees and strings:
// a profile put about 30% of a full-spec regen in the system allocator, which mimalloc beats.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Generate and `cargo check` a client for every spec in a folder, with a table of results.
    Corpus(corpus::CorpusArgs),
    /// Generate crates for the peer specs (progenitor's test suite) and run `cargo check` and
    /// `cargo clippy -- -D warnings` on each.
    Peers(corpus::PeersArgs),
    /// Extract chosen operations, and the components they reach, from an upstream spec.
    Slice(slice::SliceArgs),
    /// Measure generation, compile, decode and list-all speed against progenitor; writes
    /// `BENCHMARKS.md`.
    Bench(bench::BenchArgs),
    /// Record the public API of the client and runtime crates in `tests/public-api/`, or check
    /// it with `--check`.
    PublicApi(public_api::PublicApiArgs),
    /// Release the client crate: bump its version by the differ's verdict against the spec of
    /// the last release, write the `CHANGELOG.md` section, record the release and regenerate.
    Release(release::ReleaseArgs),
    /// Check that the committed crate's version covers what changed since the last release,
    /// on the compiled crates: public-API diff and cargo-semver-checks.
    SemverCheck(semver::SemverCheckArgs),
    /// Check the differ's predicted semver effect against the compiled crates of fixture pairs
    /// and of tags sliced out of upstream revisions.
    SemverAgree(semver::SemverAgreeArgs),
    /// Call every operation of a spec's generated client against Prism mocking the spec, and
    /// report per operation whether the request was valid and the answer decoded.
    Conformance(conformance::ConformanceArgs),
    /// Serve the stand-in Atlas server on 127.0.0.1 for trying the client by hand.
    Stub(stub::StubArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // These act on the checkout they run in; a clean error beats a panic deep inside them.
    if matches!(
        cli.command,
        Command::Regen(_)
            | Command::Corpus(_)
            | Command::Peers(_)
            | Command::Bench(_)
            | Command::Stub(_)
            | Command::Conformance(_)
    ) {
        if let Err(message) = codegen::project::try_repository_root() {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    }
    let result = match cli.command {
        Command::Regen(args) => regen::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Corpus(args) => corpus::run(args),
        Command::Peers(args) => corpus::run_peers(args),
        Command::Slice(args) => slice::run(args),
        Command::Bench(args) => bench::run(args),
        Command::PublicApi(args) => public_api::run(args),
        Command::Release(args) => release::run(args),
        Command::SemverCheck(args) => semver::check(args),
        Command::SemverAgree(args) => semver::agree(args),
        Command::Stub(args) => stub::run(args),
        Command::Conformance(args) => conformance::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            match error.downcast_ref::<codegen::CodegenError>() {
                // Spec problems are shown with their source line, for people to fix.
                Some(codegen_error) if !codegen_error.diagnostics().is_empty() => {
                    eprint!(
                        "{}",
                        codegen::error::render_report(codegen_error, spec_text)
                    );
                }
                _ => eprintln!("error: {error:#}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// The text of a spec file a diagnostic names, as the loader read it.
fn spec_text(file: &str) -> Option<String> {
    let (text, _) = codegen::load::read_text(std::path::Path::new(file)).ok()?;
    Some(
        text.strip_prefix('\u{feff}')
            .map_or(text.clone(), str::to_owned),
    )
}
