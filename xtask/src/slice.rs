//! `cargo xtask slice`: cuts chosen operations, and the components they reach, out of an
//! upstream spec into a small one (YAML, or JSON by extension). `--compare-ops` then proves
//! that the slice offers exactly the operations of another spec: same ids, methods, paths and
//! media types.

use anyhow::Context;
use clap::Args;
use codegen::slice::{self, SliceOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct SliceArgs {
    /// The upstream spec (YAML or JSON, optionally gzipped).
    #[arg(long)]
    spec: PathBuf,
    /// The `operationId`s to keep, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    ops: Vec<String>,
    /// Keep structure only: drop descriptions, summaries, examples and external docs.
    #[arg(long)]
    strip_docs: bool,
    /// Where to write the slice; a `.json` name gets JSON, anything else YAML.
    #[arg(long)]
    out: PathBuf,
    /// After writing, fail unless the slice has exactly the operations of this spec (ids,
    /// methods, paths, success and request media types).
    #[arg(long, value_name = "SPEC")]
    compare_ops: Option<PathBuf>,
    /// With `--compare-ops`: only compare the operations whose path starts with this prefix
    /// (in both specs).
    #[arg(long, value_name = "PREFIX", requires = "compare_ops")]
    compare_under: Option<String>,
    /// With `--compare-ops`: the other spec may have more operations than the slice (those
    /// another slice checks); each sliced one must still be there, the same.
    #[arg(long, requires = "compare_ops")]
    only_sliced: bool,
}

pub fn run(args: SliceArgs) -> anyhow::Result<ExitCode> {
    let ops: Vec<String> = args
        .ops
        .iter()
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty())
        .collect();
    anyhow::ensure!(!ops.is_empty(), "--ops names no operation");
    let source = args.spec.display().to_string();
    let (text, _) = codegen::load::read_text(&args.spec)?;
    let document = slice::parse(&source, &text)?;
    let options = SliceOptions {
        operations: ops,
        strip_docs: args.strip_docs,
    };
    let cut = slice::slice(&source, &document, &options)?;
    let json = args.out.extension().is_some_and(|e| e == "json");
    let label = args
        .spec
        .file_name()
        .map_or_else(|| source.clone(), |n| n.to_string_lossy().into_owned());
    let rendered = slice::render(&cut, &label, json).map_err(anyhow::Error::msg)?;
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::write(&args.out, rendered)
        .with_context(|| format!("writing {}", args.out.display()))?;

    let counts: Vec<String> = cut
        .components
        .iter()
        .map(|(kind, names)| format!("{} {kind}", names.len()))
        .collect();
    println!(
        "sliced {} operation(s) from {source} into {}: {}",
        cut.operations.len(),
        args.out.display(),
        if counts.is_empty() {
            "no components".to_owned()
        } else {
            counts.join(", ")
        }
    );
    for (id, method, path) in &cut.operations {
        println!("  {id}: {method} {path}");
    }

    match &args.compare_ops {
        Some(other) => compare(
            &args.out,
            other,
            args.compare_under.as_deref(),
            args.only_sliced,
        ),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// What two specs must agree on for an operation: method, path and media types.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Signature {
    method: String,
    path: String,
    responses: Vec<String>,
    requests: Vec<String>,
}

impl std::fmt::Display for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} answers [{}]",
            self.method,
            self.path,
            self.responses.join(", ")
        )?;
        if !self.requests.is_empty() {
            write!(f, " accepts [{}]", self.requests.join(", "))?;
        }
        Ok(())
    }
}

/// The operations of a spec by the name the client gives them (Atlas's
/// `x-xgen-operation-id-override` where there is one, else the `operationId`), read through the
/// generator's model, so references and shared parameters are resolved the way generation sees
/// them. The raw spec's ids carry IPA renames (`getGroupClusterBackupSchedule`) that the curated
/// spec leaves out, while the override is the same in both.
fn signatures(spec: &Path, under: Option<&str>) -> anyhow::Result<BTreeMap<String, Signature>> {
    let loaded = codegen::load::load_file(spec)?;
    let validated = codegen::validate::validate(&loaded)?;
    let model = codegen::model::build_model(&validated)?;
    let mut out = BTreeMap::new();
    for op in &model.operations {
        if under.is_some_and(|prefix| !op.path.starts_with(prefix)) {
            continue;
        }
        let mut responses: Vec<String> = op
            .responses
            .iter()
            .map(|r| r.media_type.clone())
            .filter(|m| !m.is_empty())
            .collect();
        responses.sort();
        responses.dedup();
        let mut requests: Vec<String> = op
            .request
            .iter()
            .flat_map(|r| &r.contents)
            .map(|c| c.media_type.clone())
            .collect();
        requests.sort();
        requests.dedup();
        out.insert(
            op.id_override.clone().unwrap_or_else(|| op.id.0.clone()),
            Signature {
                method: op.http_method.as_str().to_owned(),
                path: op.path.clone(),
                responses,
                requests,
            },
        );
    }
    Ok(out)
}

fn compare(
    sliced: &Path,
    other: &Path,
    under: Option<&str>,
    only_sliced: bool,
) -> anyhow::Result<ExitCode> {
    let ours = signatures(sliced, under)?;
    let mut theirs = signatures(other, under)?;
    if only_sliced {
        theirs.retain(|id, _| ours.contains_key(id));
    }
    let scope = under.map_or_else(String::new, |p| format!(" under `{p}`"));
    let mut differences = Vec::new();
    for (id, signature) in &ours {
        match theirs.get(id) {
            None => differences.push(format!("  only in the slice: {id}: {signature}")),
            Some(expected) if expected != signature => differences.push(format!(
                "  {id} differs:\n    slice: {signature}\n    {}: {expected}",
                other.display()
            )),
            Some(_) => {}
        }
    }
    for (id, signature) in &theirs {
        if !ours.contains_key(id) {
            differences.push(format!("  only in {}: {id}: {signature}", other.display()));
        }
    }
    if differences.is_empty() {
        println!(
            "the slice has the same {} operation(s){scope} as {}: ids, methods, paths and media types",
            ours.len(),
            other.display()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "the operations{scope} of {} and {} differ:\n{}",
            sliced.display(),
            other.display(),
            differences.join("\n")
        );
        Ok(ExitCode::FAILURE)
    }
}
