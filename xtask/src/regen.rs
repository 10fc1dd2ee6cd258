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
/// `cargo xtask corpus` generates through this too.
pub(crate) fn standalone(
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

/// The client crate's dependencies under a package name taken from the output folder. The
/// manifests are read with a TOML parser, so dependencies survive in any form (inline tables,
/// `[dependencies.name]` tables, platform-specific tables); entries inherited with
/// `workspace = true` are resolved against the workspace manifest, and `path`s are made
/// absolute, since the standalone crate lives elsewhere and has no workspace of its own.
fn standalone_manifest(client_manifest: &Path, out: &Path) -> anyhow::Result<String> {
    use toml_edit::{DocumentMut, Item, Table};
    let read = |path: &Path| -> anyhow::Result<DocumentMut> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        text.parse::<DocumentMut>()
            .with_context(|| format!("parsing {}", path.display()))
    };
    let client_dir = client_manifest.parent().unwrap_or(Path::new("."));
    let client = read(client_manifest)?;
    let workspace_manifest = client_dir.join("..").join("Cargo.toml");
    let workspace = if workspace_manifest.exists() {
        read(&workspace_manifest)?
    } else {
        DocumentMut::new()
    };
    let workspace_dir = client_dir.parent().unwrap_or(Path::new("."));
    let inherited = workspace
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(Item::as_table_like);
    let resolve_table = |table: &dyn toml_edit::TableLike| -> anyhow::Result<Table> {
        let mut resolved = Table::new();
        for (name, item) in table.iter() {
            let item = standalone_dependency(name, item, inherited, client_dir, workspace_dir)
                .with_context(|| format!("dependency `{name}` of {}", client_manifest.display()))?;
            resolved.insert(name, item);
        }
        Ok(resolved)
    };
    let Some(dependencies) = client.get("dependencies").and_then(Item::as_table_like) else {
        bail!("{} has no [dependencies] table", client_manifest.display());
    };
    let mut manifest = DocumentMut::new();
    manifest.insert("dependencies", Item::Table(resolve_table(dependencies)?));
    // Platform-specific dependencies: `[target.'cfg(...)'.dependencies]`.
    if let Some(targets) = client.get("target").and_then(Item::as_table_like) {
        let mut resolved_targets = Table::new();
        resolved_targets.set_implicit(true);
        for (platform, item) in targets.iter() {
            let Some(dependencies) = item.get("dependencies").and_then(Item::as_table_like) else {
                continue;
            };
            let mut platform_table = Table::new();
            platform_table.set_implicit(true);
            platform_table.insert("dependencies", Item::Table(resolve_table(dependencies)?));
            resolved_targets.insert(platform, Item::Table(platform_table));
        }
        if !resolved_targets.is_empty() {
            manifest.insert("target", Item::Table(resolved_targets));
        }
    }
    let edition = match client.get("package").and_then(|p| p.get("edition")) {
        Some(edition) if edition.as_str().is_some() => edition.as_str().map(str::to_owned),
        _ => workspace
            .get("workspace")
            .and_then(|w| w.get("package"))
            .and_then(|p| p.get("edition"))
            .and_then(Item::as_str)
            .map(str::to_owned),
    }
    .unwrap_or_else(|| "2021".to_owned());
    let name: String = out
        .file_name()
        .map(|n| package_name_chars(&n.to_string_lossy()))
        .unwrap_or_else(|| "generated-client".to_owned());
    Ok(format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"{edition}\"\npublish = false\n\n\
         # A crate of its own, even when generated inside another workspace.\n[workspace]\n\n{manifest}"
    ))
}

/// `text` with every character a package name cannot have (and upper case) replaced by `-`.
pub(crate) fn package_name_chars(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// One dependency as a standalone crate must write it: `workspace = true` replaced by the
/// workspace's entry (its features added to the member's), relative paths made absolute.
fn standalone_dependency(
    name: &str,
    item: &toml_edit::Item,
    inherited: Option<&dyn toml_edit::TableLike>,
    client_dir: &Path,
    workspace_dir: &Path,
) -> anyhow::Result<toml_edit::Item> {
    use toml_edit::{InlineTable, Item, Value};
    let Some(own) = item.as_table_like() else {
        // `name = "1.2"`.
        return Ok(item.clone());
    };
    let from_workspace = own
        .get("workspace")
        .and_then(Item::as_bool)
        .unwrap_or(false);
    let mut merged = InlineTable::new();
    let mut base_dir = client_dir;
    if from_workspace {
        let Some(base) = inherited.and_then(|table| table.get(name)) else {
            bail!("it says `workspace = true`, but [workspace.dependencies] has no `{name}`");
        };
        base_dir = workspace_dir;
        match base.as_table_like() {
            Some(table) => {
                for (key, value) in table.iter() {
                    if let Some(value) = value.as_value() {
                        merged.insert(key, value.clone());
                    }
                }
            }
            None => {
                let version = base.as_str().with_context(|| {
                    format!("[workspace.dependencies] `{name}` is not a version or a table")
                })?;
                merged.insert("version", Value::from(version));
            }
        }
    }
    if let Some(path) = merged.get("path").and_then(Value::as_str) {
        let absolute = base_dir.join(path).display().to_string();
        merged.insert("path", Value::from(absolute));
    }
    for (key, value) in own.iter() {
        let Some(value) = value.as_value() else {
            continue;
        };
        match key {
            "workspace" => {}
            "features" => {
                let mut features = merged
                    .get("features")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for feature in value.as_array().into_iter().flatten() {
                    features.push(feature.clone());
                }
                merged.insert("features", Value::Array(features));
            }
            "path" => {
                let path = value.as_str().unwrap_or_default();
                let absolute = client_dir.join(path).display().to_string();
                merged.insert("path", Value::from(absolute));
            }
            _ => {
                merged.insert(key, value.clone());
            }
        }
    }
    Ok(Item::Value(Value::InlineTable(merged)))
}

#[cfg(test)]
mod tests {
    use super::standalone_manifest;
    use std::fs;

    #[test]
    fn standalone_manifest_resolves_every_form_of_dependency() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path();
        fs::create_dir_all(workspace.join("client")).unwrap();
        fs::write(
            workspace.join("Cargo.toml"),
            "[workspace]\nmembers = [\"client\"]\n\n[workspace.package]\nedition = \"2024\"\n\n\
             [workspace.dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n\
             bytes = \"1\"\nshared = { path = \"shared\" }\n",
        )
        .unwrap();
        fs::write(
            workspace.join("client/Cargo.toml"),
            "[package]\nname = \"client\"\nedition.workspace = true\n\n[dependencies]\n\
             serde = { workspace = true, features = [\"rc\"] }\nbytes.workspace = true\n\
             shared.workspace = true\nlocal = { path = \"../local\" }\nplain = \"0.3\"\n\n\
             [dependencies.tabled]\nversion = \"2\"\ndefault-features = false\n\n\
             [target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n\n[dev-dependencies]\ntokio = \"1\"\n",
        )
        .unwrap();
        let manifest = standalone_manifest(
            &workspace.join("client/Cargo.toml"),
            &workspace.join("out/My_Crate"),
        )
        .unwrap();
        let parsed: toml_edit::DocumentMut = manifest.parse().unwrap();
        assert_eq!(parsed["package"]["name"].as_str(), Some("my-crate"));
        assert_eq!(parsed["package"]["edition"].as_str(), Some("2024"));
        let dependencies = &parsed["dependencies"];
        assert_eq!(dependencies["serde"]["version"].as_str(), Some("1"));
        let features: Vec<&str> = dependencies["serde"]["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f.as_str())
            .collect();
        assert_eq!(features, ["derive", "rc"]);
        assert_eq!(dependencies["bytes"]["version"].as_str(), Some("1"));
        let shared = workspace.join("shared").display().to_string();
        assert_eq!(
            dependencies["shared"]["path"].as_str(),
            Some(shared.as_str())
        );
        let local = workspace.join("client/../local").display().to_string();
        assert_eq!(dependencies["local"]["path"].as_str(), Some(local.as_str()));
        assert_eq!(dependencies["plain"].as_str(), Some("0.3"));
        assert_eq!(
            dependencies["tabled"]["default-features"].as_bool(),
            Some(false)
        );
        assert_eq!(
            parsed["target"]["cfg(unix)"]["dependencies"]["libc"].as_str(),
            Some("0.2")
        );
        assert!(!manifest.contains("workspace = true"), "{manifest}");
        assert!(
            !manifest.contains("tokio"),
            "dev-dependencies stay out: {manifest}"
        );
    }

    #[test]
    fn an_inherited_dependency_missing_from_the_workspace_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("client")).unwrap();
        fs::write(dir.path().join("Cargo.toml"), "[workspace]\n").unwrap();
        fs::write(
            dir.path().join("client/Cargo.toml"),
            "[package]\nname = \"client\"\n\n[dependencies]\nserde.workspace = true\n",
        )
        .unwrap();
        let error = standalone_manifest(
            &dir.path().join("client/Cargo.toml"),
            &dir.path().join("out"),
        )
        .unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("`serde`"), "{message}");
        assert!(message.contains("[workspace.dependencies]"), "{message}");
    }
}
