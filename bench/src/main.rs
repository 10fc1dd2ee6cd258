//! The benchmark behind `cargo xtask bench`: measures this generator and its client against
//! progenitor, and writes `BENCHMARKS.md`.
//!
//! `run` drives everything; the other subcommands are the child processes it times one at a
//! time (a generator run, a list-all run or a download whose peak memory is read at its end, a
//! whole-process diff), so each measurement sees a fresh process.

mod compile;
mod decode;
mod diff;
mod download;
mod generate;
mod hand;
mod list;
mod machine;
mod paths;
mod prepare;
mod process;
mod report;
mod shape;
mod stats;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "bench",
    about = "Benchmarks against progenitor; writes BENCHMARKS.md"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the chosen measures and writes the report.
    Run(RunArgs),
    /// Child: generates a client with progenitor from SPEC into OUT (`Cargo.toml`, `src/lib.rs`).
    Progenitor {
        #[arg(long)]
        spec: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Child: lists every snapshot from a running stand-in server; prints one JSON line.
    ListAll(list::ChildArgs),
    /// Child: downloads the archive a running server offers; prints one JSON line.
    Download(download::ChildArgs),
}

/// What `run` measures and how often.
#[derive(clap::Args, Debug, Clone)]
pub struct RunArgs {
    /// Timed runs per measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Timed runs per compile measurement, which take a minute each on the full spec.
    #[arg(long, default_value_t = 3)]
    compile_runs: usize,
    /// Only these measures (comma-separated): gen, compile, decode, list, download, diff.
    #[arg(long, value_delimiter = ',', value_enum)]
    only: Vec<Measure>,
    /// A fast trial: two runs, fewer decode iterations, no full-spec compile.
    #[arg(long)]
    quick: bool,
    /// Where to write the report (default: `BENCHMARKS.md` at the repository root).
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Measure {
    Gen,
    Compile,
    Decode,
    List,
    Download,
    Diff,
}

impl RunArgs {
    fn wants(&self, measure: Measure) -> bool {
        self.only.is_empty() || self.only.contains(&measure)
    }

    fn runs(&self) -> usize {
        quick_runs(self.runs, self.quick)
    }

    fn compile_runs(&self) -> usize {
        quick_runs(self.compile_runs, self.quick)
    }
}

/// At least one run; at most two for `--quick`.
fn quick_runs(runs: usize, quick: bool) -> usize {
    if quick {
        runs.clamp(1, 2)
    } else {
        runs.max(1)
    }
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Run(args) => run(&args),
        Command::Progenitor { spec, out } => generate::progenitor_child(&spec, &out),
        Command::ListAll(args) => list::child(&args),
        Command::Download(args) => download::child(&args),
    }
}

fn run(args: &RunArgs) -> anyhow::Result<()> {
    let paths = paths::Paths::new()?;
    let runs = args.runs();
    let machine = machine::Machine::describe();
    eprintln!("bench: {runs} run(s) per measurement on {}", machine.cpu);
    let mut report = report::Report::new(machine, runs, args.compile_runs(), args.quick);

    let needs_specs = args.wants(Measure::Gen) || args.wants(Measure::Compile);
    let needs_xtask = needs_specs || args.wants(Measure::Diff);
    if needs_xtask {
        process::build_release_xtask(&paths)?;
    }
    if needs_specs {
        let specs = prepare::prepare_specs(&paths)?;
        report.specs = Some(specs.clone());
        if args.wants(Measure::Gen) {
            report.generation = Some(generate::measure(&paths, &specs, runs)?);
        }
        if args.wants(Measure::Compile) {
            report.compile = Some(compile::measure(
                &paths,
                &specs,
                args.compile_runs(),
                args.quick,
            )?);
        }
    }
    if args.wants(Measure::Decode) {
        report.decode = Some(decode::measure(runs, args.quick)?);
    }
    if args.wants(Measure::List) {
        report.list = Some(list::measure(runs)?);
    }
    if args.wants(Measure::Download) {
        report.download = Some(download::measure(runs)?);
    }
    if args.wants(Measure::Diff) {
        report.diff = Some(diff::measure(&paths, runs)?);
    }
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| paths.root.join("BENCHMARKS.md"));
    std::fs::write(&output, report.render())?;
    eprintln!("bench: wrote {}", output.display());
    Ok(())
}
