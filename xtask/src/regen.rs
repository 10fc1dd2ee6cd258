//! `cargo xtask regen`: regenerates `generated-client` from the bundled spec and prints what
//! changed; `--check` fails with a diff instead of writing; `--spec`/`--out` generate a
//! standalone crate from any spec into any folder.

use anyhow::{bail, Context};
use clap::Args;
use codegen::project;
use codegen::write::{Changes, Mode, OutputFile, OwnedTree};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct RegenArgs {
    /// Fail with a diff, and write nothing, when the committed output is stale.
    #[arg(long)]
    check: bool,
    /// Generate from this spec instead of the bundled one (needs `--out`).
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// Write a standalone crate into this folder (replaced as a whole).
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
}

pub fn run(args: RegenArgs) -> anyhow::Result<ExitCode> {
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let started = Instant::now();
    let root = project::repository_root();
    let (generated, changes, target) = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => standalone(&root, spec, out, mode)?,
        _ => {
            let (generated, changes) = project::regenerate(&root, mode)?;
            (generated, changes, root.join(project::CLIENT_DIR))
        }
    };
    print_summary(&generated, &changes, &target, mode, started);
    if args.spec.is_none() {
        // What the regeneration means for users of the client: the committed spec against this one.
        let options = differ::Options::new(differ::today_utc());
        match crate::diff::against_head(&root, project::SPEC_PATH, &generated.model, &options) {
            Ok(diff) => print!("{}", differ::report::summary(&diff)),
            Err(reason) => println!("public API change unknown: {reason}"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_summary(
    generated: &codegen::Generated,
    changes: &Changes,
    target: &Path,
    mode: Mode,
    started: Instant,
) {
    let model = &generated.model;
    let verb = if mode == Mode::Check {
        "checked"
    } else {
        "generated"
    };
    // Paths inside the repository are shown relative to it, as a user would type them.
    let root = project::repository_root();
    let shown = |path: &Path| {
        path.strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    println!(
        "{verb} {} from {}: {} operations, {} types, {} notes, in {:.2} s",
        shown(target),
        shown(Path::new(&model.source)),
        model.operations.len(),
        model.types.len(),
        model.notes.len(),
        started.elapsed().as_secs_f64()
    );
    if changes.is_empty() {
        println!("no changes ({} files up to date)", changes.unchanged);
    }
    for (label, paths) in [
        ("added", &changes.added),
        ("modified", &changes.modified),
        ("removed", &changes.removed),
    ] {
        for path in paths {
            println!("  {label:<8} {path}");
        }
    }
    if !model.notes.is_empty() {
        println!("fallbacks and guesses:");
        for note in &model.notes {
            println!("  #{}: {}", note.pointer, note.message);
        }
    }
}

/// A crate of its own: the generated module, a copy of the hand-written runtime, a manifest.
fn standalone(
    root: &Path,
    spec: &Path,
    out: &Path,
    mode: Mode,
) -> anyhow::Result<(codegen::Generated, Changes, PathBuf)> {
    let label = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let command = format!(
        "cargo xtask regen --spec {} --out {}",
        spec.display(),
        out.display()
    );
    let options = codegen::Options {
        spec_label: label,
        command: command.clone(),
    };
    let generated = codegen::generate(spec, &options)?;
    let client = root.join(project::CLIENT_DIR);
    let mut files = generated.files.clone();
    // The hand-written runtime: `client.rs` and every file of `runtime/`, as they are.
    let runtime_dir = client.join("src/runtime");
    let mut names = vec!["client.rs".to_owned()];
    let entries = std::fs::read_dir(&runtime_dir)
        .with_context(|| format!("reading {}", runtime_dir.display()))?;
    for entry in entries {
        let file_name = entry?.file_name().to_string_lossy().into_owned();
        if file_name.ends_with(".rs") {
            names.push(format!("runtime/{file_name}"));
        }
    }
    names.sort();
    for name in names {
        let path = client.join("src").join(&name);
        let contents = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        files.push(OutputFile {
            path: format!("src/{name}"),
            contents,
        });
    }
    let has_v1 = files.iter().any(|f| f.path.ends_with("generated/v1.rs"));
    files.push(OutputFile {
        path: "src/lib.rs".into(),
        contents: standalone_lib(has_v1),
    });
    files.push(OutputFile {
        path: "Cargo.toml".into(),
        contents: standalone_manifest(&client.join("Cargo.toml"), out)?,
    });
    let tree = OwnedTree {
        root: out.to_path_buf(),
        owned: PathBuf::from("."),
        command,
    };
    let changes = tree.sync(&files, mode)?;
    Ok((generated, changes, out.to_path_buf()))
}

fn standalone_lib(has_v1: bool) -> String {
    let v1 = if has_v1 { "v1, " } else { "" };
    format!(
        "//! A client generated from an OpenAPI spec by `cargo xtask regen --spec ... --out ...`.\n\n\
         mod client;\nmod generated;\npub mod runtime;\n\n\
         pub use client::{{BuildError, Client, ClientBuilder}};\n\
         pub use generated::{{models, operations, {v1}Error, API_VERSIONS, DEFAULT_BASE_URL}};\n\
         pub use runtime::ResponseValue;\n"
    )
}

/// The client crate's dependencies under a package name taken from the output folder.
fn standalone_manifest(client_manifest: &Path, out: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(client_manifest)
        .with_context(|| format!("reading {}", client_manifest.display()))?;
    let Some(start) = text.find("[dependencies]") else {
        bail!("{} has no [dependencies] table", client_manifest.display());
    };
    let rest = &text[start..];
    let end = rest[1..].find("\n[").map_or(rest.len(), |i| i + 1);
    let dependencies = rest[..end].trim_end();
    let name: String = out
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect()
        })
        .unwrap_or_else(|| "generated-client".to_owned());
    Ok(format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         # A crate of its own, even when generated inside another workspace.\n[workspace]\n\n{dependencies}\n"
    ))
}
