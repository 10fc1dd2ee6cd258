//! Emit: model → the generated crate, one file at a time: its manifest and its sources. Each
//! emitted construct is a small type implementing `ToTokens` in a module of its own; this module
//! only decides which constructs go into which file, and asserts that nothing was left out.

mod builder;
mod client_impl;
mod crate_root;
mod docs;
mod files;
mod manifest;
mod model_builder;
mod model_enum;
mod model_struct;
mod model_struct_de;
mod model_union;
mod pagination;
mod params;
mod recursion;
mod types;
mod waiter;

use crate::error::CodegenError;
use crate::model::ApiModel;
use crate::write::OutputFile;
use crate::Options;
use proc_macro2::Ident;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Folder of the generated sources inside the crate.
pub const SOURCE_DIR: &str = "src";

/// The generated crate's manifest, beside `src/`.
pub const MANIFEST: &str = "Cargo.toml";

/// Emits and formats every file of the generated crate: the manifest, then the sources. The
/// parts of the sources are emitted, parsed and formatted on all cores; each file is its parts'
/// texts in order, so the output does not depend on how many threads there are.
pub fn emit_files(model: &ApiModel, options: &Options) -> Result<Vec<OutputFile>, CodegenError> {
    let crate_name = options.crate_settings.package.replace('-', "_");
    let readme = options.crate_settings.readme.as_deref();
    let files = files::source_files(model, &crate_name, readme);
    let jobs: Vec<(&str, &files::Part<'_>)> = files
        .iter()
        .flat_map(|(name, parts)| parts.iter().map(move |part| (*name, part)))
        .collect();
    let formatted = run_parallel(&jobs, |(name, part)| {
        let path = format!("{SOURCE_DIR}/{name}");
        let parsed = crate::format::parse_file(&path, part())?;
        let defined: Vec<String> = parsed.items.iter().filter_map(defined_type).collect();
        Ok((crate::format::format_file(&parsed), defined))
    })?;
    let mut texts = formatted.into_iter();
    let mut defined = BTreeSet::new();
    let mut out = vec![OutputFile {
        path: MANIFEST.to_owned(),
        contents: manifest::manifest(&options.crate_settings, &files::header(model, options)),
    }];
    for (name, parts) in &files {
        let mut contents = files::header(model, options);
        for (text, types) in texts.by_ref().take(parts.len()) {
            contents.push_str(&text);
            defined.extend(types);
        }
        out.push(OutputFile {
            path: format!("{SOURCE_DIR}/{name}"),
            contents,
        });
    }
    check_complete(model, &defined)?;
    Ok(out)
}

/// Runs `work` on every job on as many threads as there are cores, and returns the results in
/// job order (the first error, by job order, wins). Hand-rolled on `std::thread::scope`: a
/// thread-pool crate would add a dependency for a dozen lines.
fn run_parallel<J: Sync, T: Send>(
    jobs: &[J],
    work: impl Fn(&J) -> Result<T, CodegenError> + Sync,
) -> Result<Vec<T>, CodegenError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    if threads <= 1 {
        return jobs.iter().map(&work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<T, CodegenError>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else {
                            return done;
                        };
                        done.push((i, work(job)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
}

/// The name of a struct, enum or type alias item.
fn defined_type(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

/// Every named type and every operation's builder must have been emitted: a construct the
/// emitter silently skipped would otherwise only show up as a missing type for a user.
fn check_complete(model: &ApiModel, defined: &BTreeSet<String>) -> Result<(), CodegenError> {
    let expected = model
        .types
        .keys()
        .map(|name| name.0.clone())
        .chain(model.operations.iter().map(|op| op.builder_name.0.clone()));
    let missing: Vec<String> = expected.filter(|name| !defined.contains(name)).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(CodegenError::Incomplete(missing))
    }
}

/// An identifier from a name the `names` module already proved valid; `r#` names are raw.
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => Ident::new(name, proc_macro2::Span::call_site()),
    }
}
