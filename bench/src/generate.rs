//! Generation, whole process: spec file in, formatted files out, one fresh process per run.
//!
//! Ours is `xtask regen --features-per-tag --spec --out` built in release (load, validate,
//! model, emit, format with prettyplease, write a standalone crate with a feature per tag). Progenitor's is [`progenitor_child`], this
//! binary's `progenitor` subcommand: `openapiv3` parse, `progenitor::Generator`, prettyplease
//! and a crate with the dependencies cargo-progenitor would list.

use crate::paths::Paths;
use crate::prepare::{PreparedSpec, Specs};
use crate::process;
use crate::stats::Timing;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The generated crates of one spec.
#[derive(Debug, Clone)]
pub struct Crates {
    pub ours: PathBuf,
    pub progenitor: PathBuf,
}

/// The second peer generator: a maintained Rust OpenAPI client generator from crates.io that
/// reads the same rewritten specs. Only its generation is timed.
pub const SECOND_PEER: &str = "openapi-to-rust";
pub const SECOND_PEER_VERSION: &str = "0.23.0";

/// Generation timings of one spec.
#[derive(Debug, Clone)]
pub struct SpecGeneration {
    pub spec: &'static str,
    pub ours: Timing,
    pub progenitor: Timing,
    /// [`SECOND_PEER`], when it installed and generated from the spec; why not, otherwise.
    pub second: Result<Timing, String>,
    /// Parsing the YAML into `openapiv3` alone, in process (progenitor's first step).
    pub parse_openapiv3: Timing,
    /// Our pipeline step by step, in process: load, validate and model, emit and format,
    /// write.
    pub steps: Vec<(&'static str, Timing)>,
}

#[derive(Debug, Clone)]
pub struct Generation {
    pub specs: Vec<SpecGeneration>,
}

pub fn crates_of(paths: &Paths, spec: &PreparedSpec) -> Crates {
    let folder = paths.work.join("gen");
    Crates {
        ours: folder.join(format!("ours-{}", spec.name)),
        progenitor: folder.join(format!("progenitor-{}", spec.name)),
    }
}

pub fn measure(paths: &Paths, specs: &Specs, runs: usize) -> anyhow::Result<Generation> {
    let second = install_second_peer(paths);
    let mut results = Vec::new();
    for spec in specs.both() {
        eprintln!("bench: generation, {} spec", spec.name);
        let crates = crates_of(paths, spec);
        let second_out = paths.work.join(format!("gen/{SECOND_PEER}-{}", spec.name));
        // One untimed run each warms the page cache and checks that all succeed.
        generate_ours(paths, spec, &crates.ours)?;
        generate_progenitor(spec, &crates.progenitor)?;
        let second_bin = second.clone().and_then(|bin| {
            generate_second(&bin, spec, &second_out)
                .map(|_| bin)
                .map_err(|e| format!("{e:#}"))
        });
        let mut ours = Vec::new();
        let mut progenitor = Vec::new();
        let mut second_times = Vec::new();
        // Interleaved, so a noisy neighbour hurts all alike.
        for _ in 0..runs {
            ours.push(generate_ours(paths, spec, &crates.ours)?);
            progenitor.push(generate_progenitor(spec, &crates.progenitor)?);
            if let Ok(bin) = &second_bin {
                second_times.push(generate_second(bin, spec, &second_out)?);
            }
        }
        let text = std::fs::read_to_string(&spec.path)?;
        let mut parse = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            let parsed: openapiv3::OpenAPI = serde_yaml::from_str(&text)?;
            parse.push(started.elapsed());
            drop(parsed);
        }
        let steps = pipeline_steps(paths, spec, runs)?;
        results.push(SpecGeneration {
            spec: spec.name,
            ours: Timing::of(&ours),
            progenitor: Timing::of(&progenitor),
            second: second_bin.map(|_| Timing::of(&second_times)),
            parse_openapiv3: Timing::of(&parse),
            steps,
        });
    }
    Ok(Generation { specs: results })
}

/// Our pipeline in process, timed step by step (the same steps `xtask regen` runs).
fn pipeline_steps(
    paths: &Paths,
    spec: &PreparedSpec,
    runs: usize,
) -> anyhow::Result<Vec<(&'static str, Timing)>> {
    let names = [
        "load (YAML → openapiv3)",
        "validate + model",
        "emit + format",
        "write",
    ];
    let mut samples: [Vec<Duration>; 4] = Default::default();
    let out = paths.work.join("gen/steps");
    let options = codegen::Options {
        spec_label: spec.name.to_owned(),
        command: "cargo xtask bench".to_owned(),
        crate_settings: codegen::CrateSettings::default(),
    };
    for _ in 0..runs {
        clear(&out)?;
        let started = Instant::now();
        let loaded = codegen::load::load_file(&spec.path)?;
        samples[0].push(started.elapsed());
        let started = Instant::now();
        // Validation is timed with the model, as it was when the model builder ran it.
        let model = codegen::model::build_model(&codegen::validate::validate(&loaded)?)?;
        samples[1].push(started.elapsed());
        let started = Instant::now();
        let files = codegen::emit::emit_files(&model, &options)?;
        samples[2].push(started.elapsed());
        let started = Instant::now();
        let tree = codegen::write::OwnedTree {
            root: out.clone(),
            owned: PathBuf::from("."),
            command: options.command.clone(),
        };
        tree.sync(&files, codegen::write::Mode::Write)?;
        samples[3].push(started.elapsed());
    }
    Ok(names
        .into_iter()
        .zip(samples.iter().map(|s| Timing::of(s)))
        .collect())
}

/// Generates both crates of a spec once, untimed, from the generators as they are now.
pub fn generate_both(paths: &Paths, spec: &PreparedSpec) -> anyhow::Result<Crates> {
    let crates = crates_of(paths, spec);
    generate_ours(paths, spec, &crates.ours)?;
    generate_progenitor(spec, &crates.progenitor)?;
    Ok(crates)
}

/// Each run starts from an empty output folder, so both write every file.
fn clear(out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("removing {}", out.display()))?;
    }
    Ok(())
}

fn generate_ours(paths: &Paths, spec: &PreparedSpec, out: &Path) -> anyhow::Result<Duration> {
    clear(out)?;
    let mut command = Command::new(paths.xtask());
    command
        .current_dir(&paths.root)
        .args(["regen", "--features-per-tag", "--spec"])
        .arg(&spec.path)
        .arg("--out")
        .arg(out);
    process::time(&mut command, "xtask regen --features-per-tag --spec --out")
}

/// The second peer's binary, installed under `target/bench-tools/` on first use (a few
/// minutes of building); `Err` says why it is not there.
fn install_second_peer(paths: &Paths) -> Result<PathBuf, String> {
    let bin = paths.tools().join("bin").join(SECOND_PEER);
    if bin.is_file() {
        return Ok(bin);
    }
    eprintln!("bench: installing {SECOND_PEER} {SECOND_PEER_VERSION} (once)");
    let status = Command::new(process::cargo())
        .args(["install", "--locked", "--quiet", SECOND_PEER, "--version"])
        .arg(format!("={SECOND_PEER_VERSION}"))
        .arg("--root")
        .arg(paths.tools())
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if status.success() && bin.is_file() {
        Ok(bin)
    } else {
        Err(format!("`cargo install {SECOND_PEER}` failed ({status})"))
    }
}

/// The second peer's whole process: its `generate` command, spec file in, files out.
fn generate_second(bin: &Path, spec: &PreparedSpec, out: &Path) -> anyhow::Result<Duration> {
    clear(out)?;
    let mut command = Command::new(bin);
    command
        .args(["generate", "--quiet"])
        .arg(&spec.path)
        .arg("--output-dir")
        .arg(out);
    process::time(&mut command, SECOND_PEER)
}

fn generate_progenitor(spec: &PreparedSpec, out: &Path) -> anyhow::Result<Duration> {
    clear(out)?;
    let mut command = Command::new(std::env::current_exe()?);
    command
        .args(["progenitor", "--spec"])
        .arg(&spec.path)
        .arg("--out")
        .arg(out);
    process::time(&mut command, "progenitor generation")
}

/// The `progenitor` subcommand: what progenitor's own tooling does, formatted with
/// prettyplease as progenitor's build-script example does.
pub fn progenitor_child(spec: &Path, out: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(spec)?;
    let api: openapiv3::OpenAPI =
        serde_yaml::from_str(&text).with_context(|| format!("parsing {}", spec.display()))?;
    let mut generator = progenitor::Generator::new(&progenitor::GenerationSettings::default());
    let tokens = generator
        .generate_tokens(&api)
        .map_err(|e| anyhow::anyhow!("progenitor: {e}"))?;
    let file = syn::parse2::<syn::File>(tokens).context("progenitor's tokens are not a file")?;
    let code = prettyplease::unparse(&file);
    std::fs::create_dir_all(out.join("src"))?;
    std::fs::write(out.join("src/lib.rs"), code)?;
    std::fs::write(out.join("Cargo.toml"), progenitor_manifest(&generator, out))?;
    Ok(())
}

/// The dependencies cargo-progenitor lists for a generated crate, with progenitor-client
/// pinned to the generator's version.
fn progenitor_manifest(generator: &progenitor::Generator, out: &Path) -> String {
    let types = generator.get_type_space();
    let mut dependencies = vec![
        r#"bytes = "1.9""#.to_owned(),
        r#"futures-core = "0.3""#.to_owned(),
        r#"progenitor-client = "=0.15.1""#.to_owned(),
        r#"reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream"] }"#.to_owned(),
        r#"serde = { version = "1.0", features = ["derive"] }"#.to_owned(),
        r#"serde_urlencoded = "0.7""#.to_owned(),
    ];
    if types.uses_regress() {
        dependencies.push(r#"regress = "0.10""#.to_owned());
    }
    if types.uses_uuid() {
        dependencies.push(r#"uuid = { version = "1.0", features = ["serde", "v4"] }"#.to_owned());
    }
    if types.uses_chrono() {
        dependencies.push(
            r#"chrono = { version = "0.4", default-features = false, features = ["serde"] }"#
                .to_owned(),
        );
    }
    if generator.uses_futures() {
        dependencies.push(r#"futures = "0.3""#.to_owned());
    }
    if types.uses_serde_json() {
        dependencies.push(r#"serde_json = "1.0""#.to_owned());
    }
    dependencies.sort();
    let name = out
        .file_name()
        .map_or("progenitor-client-crate".into(), |n| n.to_string_lossy());
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n{}\n",
        dependencies.join("\n")
    )
}
